"""The minorise-maximise picture along a line: ln p and EM's bound between two parameter sets.

theta(alpha) = theta_old + alpha (theta_new - theta_old) in the unconstrained parametrisation (softmax logits,
means, log-Cholesky factors; :class:`~gmmviz.labs.em.core.algorithms.gradient.Layout`), so every alpha gives a
valid mixture.  With r the responsibilities at theta_old,

    f(alpha) = ln p(X | theta(alpha)) >= B(alpha) = Q(theta(alpha) | theta_old) + H(r),

equal at alpha = 0; when theta_new is theta_old's M-step (with ``reg_covar = 0``: Q's exact maximiser) B is
largest at alpha = 1.  One fused pass per alpha for f; B costs O(k) per alpha from theta_old's statistics.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmmviz.core.errors import GmmvizError
from gmmviz.core.validation import check_mixture, check_points
from gmmviz.labs.em.core.algorithms.gradient import (
    Layout,
    evaluate,
    expected_complete_ll,
)
from gmmviz.labs.em.core.fused import Workspace

DEFAULT_ALPHAS = np.linspace(-0.5, 1.5, 201)


@dataclass(frozen=True, eq=False)
class MMSlice:
    """f and the bound along the line (data units, nats), each of shape (n_alphas,)."""

    alphas: np.ndarray
    f: np.ndarray
    bound: np.ndarray
    entropy: float

    @property
    def argmax_bound(self) -> float:
        return float(self.alphas[int(np.nanargmax(self.bound))])


def mm_slice(X, theta_old, theta_new, alphas=None, *, workspace: Workspace | None = None) -> MMSlice:
    """ln p(X | theta(alpha)) and Q(theta(alpha) | theta_old) + H along the line through two mixtures.

    Parameters
    ----------
    X : array-like of shape (n_points, 2)
    theta_old, theta_new : GaussianParams
        Same number of components and covariance type (e.g. an EM step's two ends).
    alphas : array-like, optional
        Default: 201 values from -0.5 to 1.5.
    """
    X = check_points(X)
    old, new = check_mixture(theta_old, name="theta_old"), check_mixture(theta_new, name="theta_new")
    if (old.n_components, old.covariance_type) != (new.n_components, new.covariance_type):
        raise GmmvizError("the two mixtures must have the same number of components and covariance type")
    alphas = DEFAULT_ALPHAS if alphas is None else np.asarray(alphas, dtype=np.float64)
    ws = workspace if workspace is not None else Workspace.build(X)
    layout = Layout(old.n_components, old.covariance_type, 0.0)
    a = _pack(layout, ws.std.params_to_std(old))
    b = _pack(layout, ws.std.params_to_std(new))
    offset = ws.n_points * ws.std.log_jacobian
    ev0 = evaluate(ws, layout, a)
    if not ev0.ok:
        raise GmmvizError("theta_old cannot be evaluated on these points (ln p is not finite)")
    stats, ent = ev0.result.stats, ev0.result.entropy
    f, bound = np.empty(alphas.shape), np.empty(alphas.shape)
    for i, alpha in enumerate(alphas.tolist()):
        theta = a + alpha * (b - a)
        ev = evaluate(ws, layout, theta)
        f[i] = ev.log_likelihood - offset
        bound[i] = expected_complete_ll(stats, *layout.unpack(theta)) + ent - offset
    return MMSlice(alphas, f, bound, ent)


def _pack(layout: Layout, params) -> np.ndarray:
    return layout.pack(params.weights, params.means, params.full_covariances())


@dataclass(frozen=True, eq=False)
class MMSurface:
    """f and the bound over a grid of two mean coordinates (data units), each (len(ys), len(xs))."""

    xs: np.ndarray
    ys: np.ndarray
    f: np.ndarray
    bound: np.ndarray


def mm_surface(X, theta_old, theta_new, coords, xs, ys, *, workspace: Workspace | None = None) -> MMSurface:
    """ln p and Q(. | theta_old) + H over two mean coordinates, every other parameter at ``theta_new``'s.

    Parameters
    ----------
    coords : ((int, int), (int, int))
        (component, axis) of the coordinate varied along ``xs`` and of the one along ``ys`` (axis 0: x, 1: y).
    xs, ys : array-like
        Their values, data units.

    Returns
    -------
    MMSurface
        The bound's maximum over the grid is at ``theta_new``'s coordinates (to the grid's spacing) when
        ``theta_new`` is theta_old's M-step with ``reg_covar = 0``; it lies below f everywhere.
    """
    X = check_points(X)
    old, new = check_mixture(theta_old, name="theta_old"), check_mixture(theta_new, name="theta_new")
    (ci, ai), (cj, aj) = coords
    if not (0 <= ci < new.n_components and 0 <= cj < new.n_components and ai in (0, 1) and aj in (0, 1)) \
            or (ci, ai) == (cj, aj):
        raise GmmvizError(f"coords must be two different (component, axis) pairs, got {coords!r}")
    xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
    ws = workspace if workspace is not None else Workspace.build(X)
    layout = Layout(old.n_components, old.covariance_type, 0.0)
    offset = ws.n_points * ws.std.log_jacobian
    ev0 = evaluate(ws, layout, _pack(layout, ws.std.params_to_std(old)))
    if not ev0.ok:
        raise GmmvizError("theta_old cannot be evaluated on these points (ln p is not finite)")
    std_new = ws.std.params_to_std(new)
    weights, full = np.array(std_new.weights), std_new.full_covariances()
    f, bound = np.empty((ys.size, xs.size)), np.empty((ys.size, xs.size))
    for r, y in enumerate(ys.tolist()):
        for c, x in enumerate(xs.tolist()):
            means = np.array(std_new.means)
            means[ci, ai] = (x - ws.std.shift[ai]) / ws.std.scale
            means[cj, aj] = (y - ws.std.shift[aj]) / ws.std.scale
            theta = layout.pack(weights, means, full)
            f[r, c] = evaluate(ws, layout, theta).log_likelihood - offset
            bound[r, c] = expected_complete_ll(ev0.result.stats, weights, means, full) + ev0.result.entropy - offset
    return MMSurface(xs, ys, f, bound)
