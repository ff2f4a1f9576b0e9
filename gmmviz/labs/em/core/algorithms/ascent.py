"""Gradient ascent on ln p(X | theta) as a generator of EM-protocol snapshots.

Each iteration yields two snapshots, like EM's half-steps: ``E`` at theta_i (its responsibilities, from
which its gradient is made) and ``M`` at theta_{i+1} = theta_i + step * direction / N
(the gradient of ln p per point, so that a step size means the same for 30 points and for 10^5).  The pass that evaluates
theta_{i+1} also gives its gradient, so a fixed-step iteration costs one fused pass (an EM iteration's
cost); a line-search trial costs one more.  The step is a fixed size (optionally with momentum or Adam),
or a backtracking (Armijo) line search, which never lowers ln p.  With ``score=True`` the step follows the
score-function estimate (:mod:`~gmmviz.labs.em.core.algorithms.score`) instead of the exact gradient.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from gmmviz.core.covariance import from_full
from gmmviz.core.errors import GmmvizError
from gmmviz.core.mixture import GaussianParams
from gmmviz.core.validation import check_points
from gmmviz.labs.em.core import fused as kernel
from gmmviz.labs.em.core.algorithms.gradient import (
    Layout,
    evaluate,
    exact_gradient,
    expected_complete_ll,
)
from gmmviz.labs.em.core.algorithms.score import score_estimates
from gmmviz.labs.em.core.algorithms.types import (
    OPTIMIZERS,
    SAMPLERS,
    GradientConfig,
    GradientSnapshot,
)
from gmmviz.labs.em.core.collapse import (
    find_collapse,
    given_start_degenerate,
    nonfinite_collapse,
)
from gmmviz.labs.em.core.fused import Workspace
from gmmviz.labs.em.core.steps import initial_params
from gmmviz.labs.em.core.types import Collapse
from gmmviz.labs.em.core.validation import check_config, check_scale

ARMIJO = 1e-4
MIN_STEP = 1e-14
ADAM_BETAS = (0.9, 0.999)
GROW = 1.25  # a first-trial success lengthens the next first trial by this


def check_gradient_config(config: GradientConfig, n_points: int) -> GradientConfig:
    """Validate a gradient run's options (the EM ones included)."""
    check_config(config.base, n_points)
    if not (isinstance(config.step_size, (int, float)) and math.isfinite(config.step_size) and config.step_size > 0):
        raise GmmvizError(f"step_size must be a finite number > 0, got {config.step_size!r}")
    if config.optimizer not in OPTIMIZERS:
        raise GmmvizError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {config.optimizer!r}")
    if config.line_search and config.optimizer != "plain":
        raise GmmvizError("the line search follows the plain gradient: use optimizer='plain' with it")
    if config.sampler not in SAMPLERS:
        raise GmmvizError(f"sampler must be one of {', '.join(SAMPLERS)}, got {config.sampler!r}")
    if isinstance(config.samples, bool) or not isinstance(config.samples, int) or config.samples < 1:
        raise GmmvizError(f"samples must be an integer >= 1, got {config.samples!r}")
    if not 0.0 <= config.momentum < 1.0:
        raise GmmvizError(f"momentum must be in [0, 1), got {config.momentum!r}")
    return config


def diverged(step: float, means: np.ndarray, std) -> Collapse:
    """The report of a step that left float64's range (a step size too large)."""
    k = means.shape[0]
    with np.errstate(invalid="ignore", over="ignore"):
        m = means * std.scale + std.shift
    locs = tuple((float(x), float(y)) for x, y in m)
    message = (f"Gradient ascent diverged: a step of {step:.3g} left the numbers' range (NaN or infinite "
               "log-likelihood). Lower the step size or use the line search (EM needs no step size).")
    return Collapse(tuple(range(k)), ("non-finite",) * k, locs, message)


class _Ascent:
    """One run's constants: the workspace, the layout, conversion to data units."""

    def __init__(self, ws: Workspace, config: GradientConfig, keep_resp: bool):
        base = config.base
        self.ws, self.config, self.keep_resp = ws, config, keep_resp
        self.n = ws.n_points
        self.layout = Layout(base.n_components, base.covariance_type, base.reg_covar / ws.std.scale**2)
        self.offset = self.n * ws.std.log_jacobian
        self.scratch = kernel.Scratch(base.n_components, ws.block_size(base.n_components))
        self.rng = np.random.default_rng(base.random_state)
        self.name = "ga-score" if config.score else "ga"

    def params(self, theta: np.ndarray) -> GaussianParams:
        std, ctype = self.ws.std, self.config.base.covariance_type
        weights, means, full = self.layout.unpack(theta)
        s2 = std.scale * std.scale
        return GaussianParams.adopt(weights, means * std.scale + std.shift, from_full(full, ctype) * s2, ctype)

    def evaluate(self, theta):
        return evaluate(self.ws, self.layout, theta, want_resp=self.keep_resp, scratch=self.scratch)

    def direction(self, ev, grad):
        """The step's direction: the exact gradient or its score-function estimate (and |estimate|, ESS)."""
        if not self.config.score:
            return grad, math.nan, math.nan
        est = score_estimates(self.ws.Xs, self.layout, ev.theta, samples=self.config.samples,
                              sampler=self.config.sampler, rng=self.rng)
        d = est.estimates[0]
        return d, self.norm(d), float(est.ess[0])

    def norm(self, g: np.ndarray) -> float:
        """|g| / N: the gradient of ln p per point."""
        return float(np.linalg.norm(g)) / self.n

    def collapse(self, theta) -> Collapse | None:
        _, means, full = self.layout.unpack(theta)
        return find_collapse(means, full, None, self.ws.std)


def ga_steps(X, config: GradientConfig, *, keep_resp: bool = True,
             workspace: Workspace | None = None) -> Iterator[GradientSnapshot]:
    """Run gradient ascent, yielding ``init``, then ``E``, ``M``, ... snapshots (EM's protocol).

    Parameters
    ----------
    X : array-like of shape (n_points, 2)
    config : GradientConfig
    keep_resp : bool
        Attach responsibilities to ``E`` snapshots.
    workspace : Workspace, optional

    Yields
    ------
    GradientSnapshot
        Ends at the ``M`` snapshot where ln p changed by less than ``tol`` per point (or the line
        search found no rising step; never for a score-function run, whose steps are noisy), after
        ``max_iter`` iterations, or at the ``E`` snapshot whose
        step diverged or collapsed a component (that snapshot carries the :class:`Collapse`).
    """
    X = check_points(X)
    config = check_gradient_config(config, X.shape[0])
    base = config.base
    ws = workspace if workspace is not None else Workspace.build(X)
    check_scale(ws.std, base.reg_covar)
    run = _Ascent(ws, config, keep_resp)
    start = initial_params(ws, base, np.random.default_rng(base.random_state))
    theta = run.layout.pack(start.weights, start.means, start.full_covariances())
    ev = run.evaluate(theta)
    if not ev.ok:  # a start float64 cannot evaluate: EM's report of it
        collapse = nonfinite_collapse(start.means, start.full_covariances(), ws.std)
        if base.init == "given" and base.init_params is not None:
            collapse = given_start_degenerate(collapse)
        yield _snap(run, 0, "init", run.params(theta), math.nan, n_points=run.n, collapse=collapse)
        return
    grad = exact_gradient(run.layout, ev)
    yield _snap(run, 0, "init", run.params(theta), ev.log_likelihood - run.offset, n_points=run.n,
                grad_norm=run.norm(grad), n_evaluations=1)
    step = float(config.step_size)
    velocity = np.zeros_like(theta)
    second = np.zeros_like(theta)
    for it in range(1, base.max_iter + 1):
        ll = ev.log_likelihood
        ent = ev.result.entropy
        direction, est_norm, ess = run.direction(ev, grad)
        direction = direction / run.n  # the step climbs ln p per point: a step size that does not scale with N
        if config.line_search:
            new, used, trials = _line_search(run, ev, direction, grad, step)
            step = _next_trial(used, trials) if new is not None else used
        else:
            move, velocity, second = _fixed_move(config, direction, velocity, second, it)
            new, used, trials = run.evaluate(theta + step * move), step, 1
        stalled = new is None
        failed = None
        if not stalled and not new.ok:
            failed = diverged(used, run.layout.unpack(theta)[1], ws.std)
        elif not stalled:
            failed = run.collapse(new.theta)
        yield _snap(run, it, "E", run.params(theta), ll - run.offset, q=ll - run.offset - ent, entropy=ent,
                    resp=ev.result.resp, n_points=run.n, grad_norm=run.norm(grad),
                    estimate_norm=est_norm, ess=ess, collapse=failed)
        if failed is not None:
            return
        if stalled:  # no step raises ln p to float64's precision: a stationary point
            yield _snap(run, it, "M", run.params(theta), ll - run.offset, q=ll - run.offset - ent, entropy=ent,
                        n_points=run.n, grad_norm=run.norm(grad), step_size=0.0,
                        n_evaluations=trials, converged=True)
            return
        w, m, f = run.layout.unpack(new.theta)
        q = expected_complete_ll(ev.result.stats, w, m, f) - run.offset
        grad = exact_gradient(run.layout, new)
        # A noisy (score-function) step proves nothing by a small change: such runs go to max_iter
        # (the prior sampler's estimate is often exactly 0: every weight p(X | z) / L underflows).
        converged = not config.score and abs(new.log_likelihood - ll) < base.tol * run.n
        yield _snap(run, it, "M", run.params(new.theta), new.log_likelihood - run.offset, q=q, entropy=ent,
                    n_points=run.n, grad_norm=run.norm(grad), step_size=used,
                               n_evaluations=trials, estimate_norm=est_norm, ess=ess, converged=converged)
        if converged:
            return
        theta, ev = new.theta, new


def _snap(run: _Ascent, iteration: int, phase: str, *args, **kwargs) -> GradientSnapshot:
    return GradientSnapshot(iteration, phase, *args, algorithm=run.name, **kwargs)


def _fixed_move(config: GradientConfig, g: np.ndarray, velocity, second, it: int):
    """The fixed-step move (before scaling by the step): plain, heavy-ball momentum or Adam."""
    if config.optimizer == "plain":
        return g, velocity, second
    if config.optimizer == "momentum":
        velocity = config.momentum * velocity + g
        return velocity, velocity, second
    b1, b2 = ADAM_BETAS
    velocity = b1 * velocity + (1 - b1) * g
    second = b2 * second + (1 - b2) * g * g
    move = (velocity / (1 - b1**it)) / (np.sqrt(second / (1 - b2**it)) + 1e-8)
    return move, velocity, second


def _line_search(run: _Ascent, ev, direction: np.ndarray, grad: np.ndarray, step: float):
    """Backtrack from ``step`` until ln p rises by the Armijo amount: (evaluation or None, step, trials)."""
    slope = float(np.dot(grad, direction))
    trials = 0
    while step >= MIN_STEP:
        trials += 1
        new = run.evaluate(ev.theta + step * direction)
        if new.ok and new.log_likelihood >= ev.log_likelihood + ARMIJO * step * slope and \
                new.log_likelihood > ev.log_likelihood:
            return new, step, trials
        step *= 0.5
    return None, step, trials


def _next_trial(used: float, trials: int) -> float:
    """The next iteration's first trial: grow after a first-trial success, keep a backtracked step.

    (Doubling after every success makes the next trial fail about every other time: two passes per
    iteration instead of about one.)"""
    return min(GROW * used, 1e6) if trials == 1 else used
