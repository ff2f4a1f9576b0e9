"""The posterior map: every term of Bayes' rule on a grid of the view, vectorised.

For 2-D models only (what the lab draws).  On a grid the log-density of a
Gaussian component is a quadratic form in the coordinates, so, as in the EM
lab's fused pass (:func:`gmmviz.labs.em.core.fused.coefficients`), all the
component log-densities of a block of grid points are one small matrix
product ``coef @ phi`` with phi = (u^2, uv, v^2, u, v, 1).  The grid is
mapped to [-1, 1] first (its centre and half-width), so the expansion loses
nothing for data far from the origin.  Blocks of rows keep the working
arrays in the cache; a 400 x 400 grid with 5 classes of 3 full components
takes a few milliseconds (``bench/bench_classify.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gmmviz.core.data import frozen_array
from gmmviz.core.errors import GmmvizError
from gmmviz.labs.classify.core.model import ClassModel
from gmmviz.labs.em.core.fused import coefficients

# Grid points per block: (components, block) float64 arrays of about 1 MB.
BLOCK_POINTS = 8192


@dataclass(frozen=True, eq=False)
class PosteriorMap:
    """Bayes' rule on a grid: ``[c, j, i]`` is class c at (xs[i], ys[j]).

    Attributes
    ----------
    xs : ndarray of shape (width,)
    ys : ndarray of shape (height,)
    log_likelihood : ndarray of shape (n_classes, height, width)
        ln p(x | y).
    log_prior : ndarray of shape (n_classes,)
        ln P(y).
    log_evidence : ndarray of shape (height, width)
        ln p(x).
    posterior : ndarray of shape (n_classes, height, width)
        P(y | x), summing to 1 over classes.
    """

    xs: np.ndarray
    ys: np.ndarray
    log_likelihood: np.ndarray
    log_prior: np.ndarray
    log_evidence: np.ndarray
    posterior: np.ndarray

    def decision(self) -> np.ndarray:
        """Index of the most probable class at every grid point, shape (height, width)."""
        return np.argmax(self.posterior, axis=0)

    def certainty(self) -> np.ndarray:
        """max_y P(y | x), shape (height, width), in [1 / n_classes, 1]."""
        return self.posterior.max(axis=0)


def _as_model(model) -> ClassModel:
    found = getattr(model, "model_", model)
    if not isinstance(found, ClassModel):
        raise GmmvizError("posterior_map needs a fitted gmmviz classifier (or its model_), "
                          f"got {type(model).__name__}")
    if found.n_features != 2:
        raise GmmvizError(f"the posterior map is drawn for 2-D models, this one has {found.n_features} features")
    return found


def _axis(values, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64).reshape(-1)
    if arr.shape[0] == 0 or not np.isfinite(arr).all():
        raise GmmvizError(f"{name} must be a non-empty array of finite numbers")
    return arr


def grid_coefficients(model: ClassModel, centre, scale: float) -> tuple[np.ndarray, list[slice]]:
    """Rows c with c . phi(u, v) = ln w_k + ln N(x | k) at x = centre + scale * (u, v).

    Returns the (total components, 6) coefficients and each class's row slice.
    """
    rows, slices, start = [], [], 0
    log_jacobian = 2.0 * math.log(scale)
    for density in model.densities:
        means = (density.means - centre) / scale
        coef = coefficients(density.weights, means, density.full_covariances() / (scale * scale))
        coef[:, 5] -= log_jacobian
        rows.append(coef)
        slices.append(slice(start, start + coef.shape[0]))
        start += coef.shape[0]
    return np.vstack(rows), slices


def posterior_map(model, xs, ys) -> PosteriorMap:
    """Evaluate ln p(x | y), ln P(y), ln p(x) and P(y | x) on the grid ``xs`` x ``ys``.

    Parameters
    ----------
    model : ClassModel or a fitted gmmviz classifier (its ``model_``)
        Two features.
    xs : array-like of shape (width,)
        Grid columns (x coordinates).
    ys : array-like of shape (height,)
        Grid rows (y coordinates).

    Returns
    -------
    PosteriorMap
    """
    model = _as_model(model)
    xs, ys = _axis(xs, "xs"), _axis(ys, "ys")
    centre = np.array([0.5 * (xs.min() + xs.max()), 0.5 * (ys.min() + ys.max())])
    half = max(0.5 * (xs.max() - xs.min()), 0.5 * (ys.max() - ys.min()))
    scale = half if half > 0 and math.isfinite(half) else max(1.0, float(np.abs(centre).max()))
    coef, slices = grid_coefficients(model, centre, scale)
    u, v = (xs - centre[0]) / scale, (ys - centre[1]) / scale
    W, H, C = xs.shape[0], ys.shape[0], model.n_classes
    n = W * H
    ll = np.empty((C, n))
    post = np.empty((C, n))
    evidence = np.empty(n)
    rows_per_block = max(1, BLOCK_POINTS // W)
    log_prior = model.log_priors.tolist()
    for r0 in range(0, H, rows_per_block):
        r1 = min(H, r0 + rows_per_block)
        blk = slice(r0 * W, r1 * W)
        D = coef @ _features(u, v[r0:r1])
        L, J = ll[:, blk], post[:, blk]
        for c, sl in enumerate(slices):
            _class_logsumexp(D[sl], L[c])
            np.add(L[c], log_prior[c], out=J[c])
        m = _rows(np.maximum, J)
        m[~np.isfinite(m)] = 0.0  # only where every class has prior 0 (never, priors sum to 1)
        np.subtract(J, m, out=J)
        np.exp(J, out=J)
        s = _rows(np.add, J)
        np.divide(J, s, out=J)
        np.log(s, out=s)
        np.add(s, m, out=evidence[blk])
    return PosteriorMap(frozen_array(xs), frozen_array(ys), _freeze(ll.reshape(C, H, W)),
                        frozen_array(model.log_priors), _freeze(evidence.reshape(H, W)),
                        _freeze(post.reshape(C, H, W)))


def _freeze(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def _features(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """phi = (u^2, uv, v^2, u, v, 1) for the grid rows ``v`` x columns ``u``, shape (6, len(v) * len(u))."""
    W, R = u.shape[0], v.shape[0]
    P = np.empty((6, R, W))
    P[0] = u * u
    np.multiply(v[:, None], u[None, :], out=P[1])
    P[2] = (v * v)[:, None]
    P[3] = u
    P[4] = v[:, None]
    P[5] = 1.0
    return P.reshape(6, R * W)


def _rows(ufunc, A: np.ndarray) -> np.ndarray:
    """``ufunc.reduce(A, axis=0)`` row by row (faster for the few rows here)."""
    out = A[0].copy()
    for row in A[1:]:
        ufunc(out, row, out=out)
    return out


def _class_logsumexp(D: np.ndarray, out: np.ndarray) -> None:
    """out = ln sum_k exp(D[k]) over one class's component rows (D is overwritten)."""
    if D.shape[0] == 1:
        np.copyto(out, D[0])
        return
    m = _rows(np.maximum, D)
    np.subtract(D, m, out=D)
    np.exp(D, out=D)
    s = _rows(np.add, D)
    np.log(s, out=s)
    np.add(s, m, out=out)
