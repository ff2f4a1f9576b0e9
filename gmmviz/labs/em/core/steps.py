"""Expectation-Maximisation for a 2-D Gaussian mixture, one half-step at a time.

The E-step and the M-step are pure functions (:func:`e_step`,
:func:`m_step`); :func:`em_steps` is a generator that yields an immutable
:class:`~gmmviz.labs.em.core.types.EMSnapshot` after the initialisation and after
every E- and M-step.  The estimator, the command line, the tests and the
animation all drain that one generator.

The lower bound.  For responsibilities r (from theta_old) and any theta,

    ln p(X | theta) >= Q(theta | theta_old) + H,
    Q = sum_tk r_tk [ln pi_k + ln N(x_t | mu_k, Sigma_k)],   H = -sum_tk r_tk ln r_tk >= 0,

with equality at theta = theta_old.  So right after an E-step Q + H equals
the log-likelihood, and after the M-step it lies below the new one.

Internally everything runs in a standardised frame (one shift, one scale;
see :class:`~gmmviz.core.gaussian.Standardizer`) and is converted back, so
every reported number is in the data's own units.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from gmmviz.core.covariance import from_full
from gmmviz.core.mixture import GaussianParams
from gmmviz.core.covariance import check_covariance_type
from gmmviz.core.errors import GmmvizError
from gmmviz.core.validation import check_int, check_mixture, check_nonneg_float, check_points
from gmmviz.labs.em.core import fused as kernel
from gmmviz.labs.em.core.fused import Workspace
from gmmviz.labs.em.core.whitening import (
    NK_EPS, ONE, X1, XX, XY, Y1, YY, Components, components, expected_quadratic, stats_from_labels, stats_from_resp,
)
from gmmviz.labs.em.core.types import Collapse, EMSnapshot, FitConfig
from gmmviz.labs.em.core.collapse import find_collapse, given_start_degenerate, nonfinite_collapse
from gmmviz.labs.em.core.validation import check_config, check_resp, check_scale

# --------------------------------------------------------------------------
# M-step from sufficient statistics
# --------------------------------------------------------------------------


def moments_from_stats(stats: np.ndarray, covariance_type: str, reg_covar: float):
    """The closed-form M-step as raw arrays, from the weighted statistics.

    Parameters
    ----------
    stats : ndarray of shape (n_components, 6)
        Columns: the scatter about the weighted mean, sum r (x - m)(x - m)^T
        (xx, xy, yy), then sum r x, sum r y, sum r (see
        :func:`~gmmviz.labs.em.core.whitening.stats_from_resp`).
    covariance_type : str
    reg_covar : float
        Added to the diagonal of every covariance (same frame as ``stats``).

    Returns
    -------
    weights : ndarray of shape (n_components,)
    means : ndarray of shape (n_components, 2)
    full : ndarray of shape (n_components, 2, 2)
        Every component's covariance, already constrained to the type.

    Notes
    -----
    Scalar Python per component, like :func:`~gmmviz.labs.em.core.whitening.components`:
    for a few components it is several times faster than numpy calls.
    """
    rows = stats.tolist()
    nk = [row[ONE] + NK_EPS for row in rows]
    means = [(row[X1] / n, row[Y1] / n) for row, n in zip(rows, nk)]
    covs = [(row[XX] / n, row[XY] / n, row[YY] / n) for row, n in zip(rows, nk)]
    total = sum(nk)
    if covariance_type == "tied":
        # sum_k N_k Sigma_k / sum_k N_k: the pooled within-component scatter.
        pooled = tuple(sum(n * cov[j] for n, cov in zip(nk, covs)) / total for j in range(3))
        covs = [pooled] * len(rows)
    elif covariance_type == "diag":
        covs = [(a, 0.0, c) for a, _, c in covs]
    elif covariance_type == "spherical":
        covs = [(0.5 * (a + c), 0.0, 0.5 * (a + c)) for a, _, c in covs]
    full = np.array([((a + reg_covar, b), (b, c + reg_covar)) for a, b, c in covs], dtype=np.float64)
    weights = np.array(nk, dtype=np.float64) / total
    return weights, np.array(means, dtype=np.float64).reshape(-1, 2), full.reshape(-1, 2, 2)


def params_from_stats(stats: np.ndarray, covariance_type: str, reg_covar: float) -> GaussianParams:
    """The closed-form M-step as :class:`GaussianParams` (in ``stats``' frame)."""
    weights, means, full = moments_from_stats(stats, covariance_type, reg_covar)
    return GaussianParams(weights, means, from_full(full, covariance_type), covariance_type)


def m_step(X, resp, covariance_type: str = "full", reg_covar: float = 1e-6) -> GaussianParams:
    """Closed-form M-step in the data's units (a pure function).

    Parameters
    ----------
    X : array-like of shape (n_points, 2)
    resp : array-like of shape (n_points, n_components)
        Responsibilities; rows sum to 1.
    covariance_type : {"full", "diag", "spherical", "tied"}
    reg_covar : float
        Added to the diagonal of each covariance, in the data's units.

    Returns
    -------
    GaussianParams
    """
    X = check_points(X)
    check_covariance_type(covariance_type)
    reg_covar = check_nonneg_float(reg_covar, "reg_covar")
    resp = check_resp(resp, X.shape[0])
    ws = Workspace.build(X, sort=False)
    check_scale(ws.std, reg_covar)
    stats = stats_from_resp(ws.Xs, resp)
    std_params = params_from_stats(stats, covariance_type, reg_covar / ws.std.scale**2)
    return ws.std.params_from_std(std_params)


# --------------------------------------------------------------------------
# E-step
# --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class EStep:
    """Result of an E-step, in the data's units.

    Attributes
    ----------
    resp : ndarray of shape (n_points, n_components)
    log_likelihood : float
    q : float
        Q(theta | theta) for the responsibilities just computed.
    entropy : float
        H = -sum r ln r >= 0.
    """

    resp: np.ndarray
    log_likelihood: float
    q: float
    entropy: float


def e_step(X, params: GaussianParams) -> EStep:
    """Responsibilities r_tk = P(z_t = k | x_t, params) and the bound terms.

    Parameters
    ----------
    X : array-like of shape (n_points, 2)
    params : GaussianParams

    Returns
    -------
    EStep
    """
    X, params = check_points(X), check_mixture(params)
    ws = Workspace.build(X, sort=False)
    check_scale(ws.std, 0.0)
    p = ws.std.params_to_std(params)
    with np.errstate(over="ignore", under="ignore"):
        comp = components(p.weights, p.means, p.full_covariances())
    if not comp.valid:
        raise GmmvizError(
            "the covariances are too small or too large for the points' spread "
            f"({ws.std.scale:.3g}) to evaluate in float64: rescale the data or the parameters"
        )
    result = kernel.fused_pass(ws, comp, want_resp=True)
    ll = result.log_likelihood - ws.n_points * ws.std.log_jacobian
    return EStep(result.resp, ll, ll - result.entropy, result.entropy)


# --------------------------------------------------------------------------
# Initialisation
# --------------------------------------------------------------------------


def data_covariance(Xs: np.ndarray, covariance_type: str, n_components: int, reg: float) -> np.ndarray:
    """The covariance of all the points, repeated per component, in a type's shape."""
    d = Xs - Xs.mean(axis=0)
    cov = d.T @ d / max(Xs.shape[0], 1) + reg * np.eye(2)
    return from_full(np.repeat(cov[None], n_components, axis=0), covariance_type)


def kmeans_plusplus(Xs: np.ndarray, n_components: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ seeding: indices of ``n_components`` well-spread points.

    Each next centre is drawn with probability proportional to the squared
    distance to the nearest centre so far (uniformly if all are zero, e.g.
    when there are fewer distinct points than components).
    """
    n = Xs.shape[0]
    idx = [int(rng.integers(n))]
    d2 = np.sum((Xs - Xs[idx[0]]) ** 2, axis=1)
    for _ in range(1, n_components):
        total = d2.sum()
        nxt = int(rng.choice(n, p=d2 / total)) if total > 0 else int(rng.integers(n))
        idx.append(nxt)
        np.minimum(d2, np.sum((Xs - Xs[nxt]) ** 2, axis=1), out=d2)
    return np.array(idx)


def nearest_centre(Xs: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Index of the nearest centre for every point, shape (n_points,)."""
    best = np.full(Xs.shape[0], np.inf)
    label = np.zeros(Xs.shape[0], dtype=np.intp)
    for i, c in enumerate(centres):
        d2 = np.sum((Xs - c) ** 2, axis=1)
        closer = d2 < best
        best[closer], label[closer] = d2[closer], i
    return label


def initial_params(ws: Workspace, config: FitConfig, rng: np.random.Generator) -> GaussianParams:
    """Initial parameters in the standardised frame, by ``config.init``.

    * ``kmeans++``: k-means++ centres, points assigned to the nearest, one M-step.
    * ``random``: k distinct random points as means, uniform weights, the
      data's covariance for every component.
    * ``random-resp``: uniformly random responsibilities, one M-step.
    * ``given``: ``config.init_params``, or ``config.init_means`` with uniform
      weights and the data's covariance.
    """
    k, ctype = config.n_components, config.covariance_type
    reg = config.reg_covar / ws.std.scale**2
    Xs = ws.Xs
    if config.init == "kmeans++":
        nearest = nearest_centre(Xs, Xs[kmeans_plusplus(Xs, k, rng)])
        return params_from_stats(stats_from_labels(Xs, nearest, k), ctype, reg)
    if config.init == "random-resp":
        resp = rng.uniform(size=(Xs.shape[0], k))
        resp /= resp.sum(axis=1, keepdims=True)
        return _params_from_resp(Xs, resp, ctype, reg)
    if config.init == "given" and config.init_params is not None:
        return ws.std.params_to_std(config.init_params)
    if config.init == "given":
        means = ws.std.transform(config.init_means)
    else:  # "random"
        means = Xs[rng.choice(Xs.shape[0], size=k, replace=False)]
    return GaussianParams(np.full(k, 1.0 / k), means, data_covariance(Xs, ctype, k, reg), ctype)


def adapt_start(start: GaussianParams, fresh: GaussianParams) -> GaussianParams:
    """A dragged start carried over to another K or covariance type.

    The first ``min(K_old, K_new)`` means stay where they were dragged; the
    rest (and every weight and covariance) come from ``fresh``, a new
    initialisation for the new settings.  Returns ``fresh`` with those means.
    """
    k = min(start.n_components, fresh.n_components)
    means = np.array(fresh.means)
    means[:k] = start.means[:k]
    return fresh.with_means(means)


def _params_from_resp(Xs: np.ndarray, resp: np.ndarray, covariance_type: str, reg: float) -> GaussianParams:
    return params_from_stats(stats_from_resp(Xs, resp), covariance_type, reg)


# --------------------------------------------------------------------------
# Degeneracy
# --------------------------------------------------------------------------


# --------------------------------------------------------------------------
# The half-step generator
# --------------------------------------------------------------------------


def em_steps(X, config: FitConfig, *, keep_resp: bool = True, workspace: Workspace | None = None) -> Iterator[EMSnapshot]:
    """Run EM, yielding a snapshot after the initialisation and every half-step.

    Parameters
    ----------
    X : array-like of shape (n_points, 2)
    config : FitConfig
    keep_resp : bool
        Attach the (n_points, n_components) responsibilities to ``E``
        snapshots (costs one extra pass over k x N memory per step).
    workspace : Workspace, optional
        A prepared ``Workspace.build(X)`` to reuse across runs.

    Yields
    ------
    EMSnapshot
        ``init``, then ``E``, ``M``, ``E``, ``M``, ... .  The run ends after
        the ``M`` snapshot that converges (change in log-likelihood per
        point below ``tol``), after ``max_iter`` iterations, or at the ``E``
        snapshot of the last finite state when the M-step after it collapses:
        that snapshot carries the :class:`Collapse` (each half-step is yielded
        exactly once).

    Raises
    ------
    GmmvizError
        For invalid data or options (before anything is yielded).
    """
    X = check_points(X)
    config = check_config(config, X.shape[0])
    ws = workspace if workspace is not None else Workspace.build(X)
    check_scale(ws.std, config.reg_covar)
    run = _Run(ws, config, keep_resp)
    rng = np.random.default_rng(config.random_state)
    theta = initial_params(ws, config, rng)
    state = run.state(theta.weights, theta.means, theta.full_covariances(), None)
    if state.collapse is not None:
        collapse = state.collapse
        if config.init == "given" and config.init_params is not None:
            collapse = given_start_degenerate(collapse)
        yield EMSnapshot(0, "init", state.params, float("nan"), collapse=collapse, n_points=run.n)
        return
    # A given start is reported as given, bit for bit (the standardised frame's
    # round trip may move it by an ulp); ln p is evaluated from it all the same.
    given = config.init == "given" and config.init_params is not None
    yield EMSnapshot(0, "init", config.init_params if given else state.params, state.ll, n_points=run.n)

    for it in range(1, config.max_iter + 1):
        stats = state.pass_.stats
        # The M-step is computed before the E snapshot is handed out, so that a
        # collapse it finds is reported on that E snapshot (the last finite state),
        # yielded once.
        new = run.state(*moments_from_stats(stats, config.covariance_type, run.reg), stats[:, ONE])
        yield EMSnapshot(
            it, "E", state.params, state.ll, q=state.ll - state.pass_.entropy,
            entropy=state.pass_.entropy, resp=state.pass_.resp, n_points=run.n, collapse=new.collapse,
        )
        if new.collapse is not None:
            return
        converged = abs(new.ll - state.ll) < config.tol * run.n
        yield EMSnapshot(
            it, "M", new.params, new.ll, q=expected_quadratic(stats, new.comp, run.reg) - run.offset,
            entropy=state.pass_.entropy, converged=converged, n_points=run.n,
        )
        if converged:
            return
        state = new


@dataclass
class _State:
    """Parameters theta_i (standardised) with the pass that evaluated them."""

    params: GaussianParams  # data units
    comp: "Components | None" = None
    pass_: kernel.PassResult | None = None
    ll: float = float("nan")
    collapse: Collapse | None = None


class _Run:
    """Per-run constants and scratch space shared by every step of :func:`em_steps`."""

    def __init__(self, ws: Workspace, config: FitConfig, keep_resp: bool):
        self.ws, self.config, self.keep_resp = ws, config, keep_resp
        self.n = ws.n_points
        self.reg = config.reg_covar / ws.std.scale**2
        self.offset = self.n * ws.std.log_jacobian  # standardised ln-density -> data units
        self.scratch = kernel.Scratch(config.n_components, ws.block_size(config.n_components))

    def state(self, weights, means, full, nk) -> _State:
        """Check theta for degeneracy, then evaluate it with one fused pass."""
        std, ctype = self.ws.std, self.config.covariance_type
        s2 = std.scale * std.scale
        params = GaussianParams.adopt(weights.copy(), means * std.scale + std.shift, from_full(full, ctype) * s2, ctype)
        collapse = find_collapse(means, full, nk, std)
        if collapse is not None:
            return _State(params, collapse=collapse)
        comp = components(weights, means, full)
        if not comp.valid:
            return _State(params, collapse=nonfinite_collapse(means, full, std))
        result = kernel.fused_pass(self.ws, comp, want_resp=self.keep_resp, scratch=self.scratch)
        ll = result.log_likelihood - self.offset
        if not np.isfinite(ll):
            return _State(params, collapse=nonfinite_collapse(means, full, std))
        return _State(params, comp, result, ll)


def run_em(X, config: FitConfig, *, n_init: int = 1, workspace: Workspace | None = None,
           keep=None) -> list:
    """Drain :func:`em_steps` ``n_init`` times (seeds random_state, +1, ...) and
    return the snapshots of the run with the highest final log-likelihood.

    ``keep``: what to keep of each snapshot before the last (default: all of
    it); e.g. a few numbers, so that a long headless run does not hold every
    step's parameters.  The last snapshot is always kept whole."""
    X = check_points(X)
    n_init = check_int(n_init, "n_init", 1)
    ws = workspace if workspace is not None else Workspace.build(X)
    best: list[EMSnapshot] | None = None
    tries = 1 if config.init == "given" else n_init  # "given" is deterministic
    for i in range(tries):
        # A seed s gives runs s, s + 1, ...; a Generator is drawn from run after run.
        rs = config.random_state
        seed = rs + i if isinstance(rs, numbers.Integral) else rs
        run = _drain(em_steps(X, config.replace(random_state=seed), keep_resp=False, workspace=ws), keep)
        if best is None or _final_score(run) > _final_score(best):
            best = run
    return best


def _drain(snapshots, keep) -> list:
    if keep is None:
        return list(snapshots)
    run, last = [], None
    for snap in snapshots:
        if last is not None:
            run.append(keep(last))
        last = snap
    return [*run, last]


def _final_score(run: list[EMSnapshot]) -> float:
    ll = run[-1].log_likelihood
    return ll if np.isfinite(ll) and run[-1].collapse is None else -np.inf
