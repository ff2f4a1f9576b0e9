"""The posterior map: every term of Bayes' rule on a grid of the view, vectorised.

For 2-D models only (what the lab draws).  On a grid the log-density of a
Gaussian component is a quadratic form in the coordinates, so, as in the EM
lab's fused pass (:func:`gmmviz.labs.em.core.fused.coefficients`), all the
component log-densities of a strip of grid rows are one small matrix
product ``coef @ phi`` with phi = (u^2, uv, v^2, u, v, 1).  The grid is
mapped to [-1, 1] first (its centre and half-width), so the expansion loses
nothing for data far from the origin.

Strips of about 8,000 points keep the working arrays in the cache and are
written straight into the results.  Each strip first bounds every
component's log-density on it (exactly: a concave quadratic over a box).
Where the bounds allow, a class's terms are exponentiated relative to its
bound (folded into the matrix product, so free), and when every class
allows it the posterior needs no further exp(); elsewhere every point is
shifted by its own maximum, and components that cannot matter there (e^-40
below the best) are left out.  A 400 x 400 grid with 5 classes of 3 full
components takes 10-15 ms on the 2-core lecture machine
(``bench/bench_classify.py``), most of it exp() and memory traffic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gmmviz.core.data import frozen_array
from gmmviz.core.errors import GmmvizError
from gmmviz.labs.classify.core.model import ClassModel
from gmmviz.labs.em.core.fused import coefficients
from gmmviz.labs.em.core.pruning import PRUNE_LOG_RATIO, _box_max, _quad

#: Grid points per strip (whole grid rows): (components, points) float64 arrays of about 1 MB.
STRIP_POINTS = 8192
# exp() of arguments whose result would be subnormal takes a slow path (10x); e^-700 = 1e-304
# is below any sum's rounding, so terms are kept above it (as in the EM lab's fused pass).
EXP_FLOOR = -700.0


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


def grid_coefficients(model: ClassModel, centre, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Rows c with c . phi(u, v) = ln w_k + ln N(x | k) at x = centre + scale * (u, v).

    Returns the (total components, 6) coefficients, class after class, and the
    index of each class's first row.
    """
    rows = []
    log_jacobian = 2.0 * math.log(scale)
    for density in model.densities:
        means = (density.means - centre) / scale
        coef = coefficients(density.weights, means, density.full_covariances() / (scale * scale))
        coef[:, 5] -= log_jacobian
        rows.append(coef)
    starts = np.cumsum([0] + [r.shape[0] for r in rows[:-1]])
    return np.vstack(rows), starts


def strip_bounds(coef: np.ndarray, u: np.ndarray, v: np.ndarray, strips) -> tuple[np.ndarray, np.ndarray]:
    """Exact (max, min) of every component's log-density over each strip of grid rows,
    each (n_strips, n_components).

    The log-densities are concave quadratics: the maximum over a box is
    :func:`gmmviz.labs.em.core.pruning._box_max`'s, the minimum is at a corner.
    """
    a = np.array([[u[0], v[r0]] for r0, r1 in strips])[:, None, :]
    b = np.array([[u[-1], v[r1 - 1]] for r0, r1 in strips])[:, None, :]
    lo, hi = np.minimum(a, b), np.maximum(a, b)  # the axes may decrease
    top = _box_max(coef, lo, hi)
    low = np.min([_quad(coef, cx[..., 0], cy[..., 1]) for cx in (lo, hi) for cy in (lo, hi)], axis=0)
    return top, low


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
    coef, starts = grid_coefficients(model, centre, scale)
    u, v = (xs - centre[0]) / scale, (ys - centre[1]) / scale
    W, H, C = xs.shape[0], ys.shape[0], model.n_classes
    # One allocation for all the results (fresh pages are a good part of the cost; one large
    # block is cheapest), viewed as the three arrays.
    out = np.empty((2 * C + 1) * H * W)
    ll, post = out[: C * H * W].reshape(C, H * W), out[C * H * W: 2 * C * H * W].reshape(C, H * W)
    evidence = out[2 * C * H * W:]
    rows = max(1, STRIP_POINTS // W)
    strips = [(r0, min(H, r0 + rows)) for r0 in range(0, H, rows)]
    tops, lows = strip_bounds(coef, u, v, strips)
    work = _Strip(model, coef, starts, rows * W)
    P = _features(u, v[:rows])
    for t, (r0, r1) in enumerate(strips):
        blk = slice(r0 * W, r1 * W)
        if r1 - r0 != P.shape[1] // W:  # the last, shorter strip
            P = _features(u, v[r0:r1])
        else:
            _update_features(P, u, v[r0:r1])
        work.run(P, tops[t], lows[t], ll[:, blk], post[:, blk], evidence[blk])
    return PosteriorMap(frozen_array(xs), frozen_array(ys), _freeze(ll.reshape(C, H, W)),
                        frozen_array(model.log_priors), _freeze(evidence.reshape(H, W)),
                        _freeze(post.reshape(C, H, W)))


class _Strip:
    """One strip's computation, written straight into the output rows; scratch reused."""

    def __init__(self, model: ClassModel, coef: np.ndarray, starts: np.ndarray, size: int):
        self.coef, self.starts = coef, starts
        self.counts = np.array([d.n_components for d in model.densities])
        self.log_prior = model.log_priors
        self.possible = np.isfinite(model.log_priors)  # prior 0: posterior exactly 0
        self.log_k = np.log(self.counts)
        self.m, self.floor = np.empty(size), np.full(size, EXP_FLOOR)

    def run(self, P: np.ndarray, top: np.ndarray, low: np.ndarray, L, J, s) -> None:
        """Write ln p(x | y) into L (C, n), P(y | x) into J (C, n), ln p(x) into s (n,),
        for the strip's features P (6, n) and its bounds of every component."""
        n = P.shape[1]
        m, floor = self.m[:n], self.floor[:n]
        c_top = np.maximum.reduceat(top, self.starts)  # bounds per class on the strip
        c_low = np.minimum.reduceat(low, self.starts)
        # Every term of class c is shifted by its bound c_top (in the matrix product's constant):
        # exp() then neither overflows nor, where c_low is within 700 nats, underflows.
        coef = self.coef.copy()
        coef[:, 5] -= np.repeat(c_top, self.counts)
        D = coef @ P
        fast = c_low >= c_top + EXP_FLOOR
        lp = self.log_prior[self.possible]
        S = float(np.max(c_top[self.possible] + self.log_k[self.possible] + lp))  # >= every ln p(x, y)
        if fast.all() and np.all(c_low[self.possible] + lp >= S + EXP_FLOOR):
            self._fast(D, c_top, S, L, J, s)
            return
        for c, (start, k) in enumerate(zip(self.starts, self.counts)):
            rows = slice(start, start + k)
            if fast[c] and k > 1:  # shifted by its bound already: no max, no clamp
                Dc = np.exp(D[rows], out=D[rows])
                np.sum(Dc, axis=0, out=L[c])
                np.log(L[c], out=L[c])
            else:
                _class_logsumexp(D[rows], top[rows] - c_top[c], low[rows] - c_top[c], L[c], m, floor)
        np.add(L, c_top[:, None], out=L)
        self._general(L, J, s, m, floor)

    def _fast(self, D, c_top, S, L, J, s):
        """Every class's terms within 700 nats of its bound, every joint within 700 of S: no max, no clamp."""
        E = np.exp(D, out=D)
        sums = self._class_sums(E)  # (C, n): p(x | y) e^-c_top
        w = np.exp(c_top + self.log_prior - S)  # 0 for a prior of 0
        np.multiply(sums, w[:, None], out=J)
        np.sum(J, axis=0, out=s)
        np.divide(J, s, out=J)
        np.log(s, out=s)
        s += S
        np.log(sums, out=L)
        np.add(L, c_top[:, None], out=L)

    def _class_sums(self, E: np.ndarray) -> np.ndarray:
        """Sum of each class's rows of ``E`` (n_components, n), shape (n_classes, n)."""
        k = int(self.counts[0])
        if (self.counts == k).all():
            return E.reshape(self.counts.shape[0], k, E.shape[1]).sum(axis=1)
        return np.stack([E[a:a + k].sum(axis=0) for a, k in zip(self.starts, self.counts)])

    def _general(self, L, J, s, m, floor):
        """The posterior from ln p(x | y), each point shifted by its own largest joint."""
        np.add(L, self.log_prior[:, None], out=J)
        np.max(J, axis=0, out=m)
        np.subtract(J, m, out=J)
        np.maximum(J, floor, out=J)
        np.exp(J, out=J)
        J[~self.possible] = 0.0
        np.sum(J, axis=0, out=s)
        np.divide(J, s, out=J)
        np.log(s, out=s)
        np.add(s, m, out=s)


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


def _update_features(P: np.ndarray, u: np.ndarray, v: np.ndarray) -> None:
    """Rewrite the rows of :func:`_features`' ``P`` that depend on ``v`` (same shape)."""
    Q = P.reshape(6, v.shape[0], u.shape[0])
    np.multiply(v[:, None], u[None, :], out=Q[1])
    Q[2] = (v * v)[:, None]
    Q[4] = v[:, None]


def _class_logsumexp(D, top, low, out, m, floor) -> None:
    """out = ln sum_k exp(D[k]) over one class's rows ``D`` of the strip's log-densities.

    ``top`` and ``low`` bound each row on the strip.  A component that stays more than
    40 nats below what the best one surely reaches (e^-40 = 4e-18) adds nothing to the sum at
    double precision and is left out; when one remains, its row is the answer, with no exp().
    """
    keep = top > low.max() + PRUNE_LOG_RATIO
    n_keep = int(np.count_nonzero(keep))
    if n_keep == 1:
        np.copyto(out, D[np.flatnonzero(keep)[0]])
        return
    Dc = D if n_keep == D.shape[0] else D[keep]  # a view when nothing is left out
    _rows(np.maximum, Dc, m)
    np.subtract(Dc, m, out=Dc)
    if low[keep].min() < top[keep].max() + EXP_FLOOR:
        np.maximum(Dc, floor, out=Dc)  # some term may underflow: keep exp() on its fast path
    np.exp(Dc, out=Dc)
    _rows(np.add, Dc, out)
    np.log(out, out=out)
    np.add(out, m, out=out)


def _rows(ufunc, A: np.ndarray, out: np.ndarray) -> None:
    """``ufunc.reduce(A, axis=0, out=out)`` row by row: faster for the few rows of a class."""
    ufunc(A[0], A[1], out=out)
    for row in A[2:]:
        ufunc(out, row, out=out)
