"""The fused pass's fast path: the expanded quadratic form, for components where it is provably accurate.

The accurate path whitens every point for every component (y = L^-1 (x - mu),
then |y|^2): several elementwise passes per component and block.  The
expanded form ln pi N(x | k) = coef_k . phi(x), phi = (x^2, xy, y^2, x, y, 1),
is one matrix product for all components, and its M-step statistics (moments
about the origin) another: about 2-3 times faster, but it adds up terms of
size |L^-1 (x, y, 1)|^2 that cancel, so it loses accuracy for nearly singular
covariances (cond * eps) and for components that are narrow compared with
their distance from the frame's origin.

Rounding analysis.  With W_k = (r_1; r_2) the whitening rows, r_i = (a_i, b_i, c_i)
(y_i = r_i . (x, y, 1)), each entry of coef_k is formed with at most 3
roundings and the product coef_k . phi adds 7 more (phi's own included), so
against the exact value of the same W_k and constant k0 the computed
log-density is off by at most

    gamma_10 (|k0| + 1/2 sum_i (|a_i| |x| + |b_i| |y| + |c_i|)^2),

gamma_n = n u / (1 - n u), u = 2^-53 (checked against extended precision in
the tests).  Over the data's bounding box (|x| <= X, |y| <= Y) this is one
number per component.  Only components whose bound is within
:data:`FAST_TOL` nats take the fast path: every log-density they contribute
is then within 1e-12 relative for any magnitude of 1 nat or more (and the
density itself within 1e-12 relative).  The same sum bounds, per unit
weight, what the mapping of the moments about the origin into the whitened
frame (:func:`whitened_sums`) adds to the M-step statistics (besides
the accumulation over the points, which both paths share).  Nearly singular
components and narrow ones far from the origin (|c_i| is that distance in
their own widths) get a large bound and stay on the accurate path: as
sum_i (a_i^2 + b_i^2) = tr Sigma^-1 >= 1 / lambda_min, every component with
lambda_min < gamma_10 min(X, Y)^2 / (2 FAST_TOL), about 5e-4 min(X, Y)^2, does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gmmviz.labs.em.core.whitening import Components

# Nats: the largest rounding error the expanded form may add to any log-density.
FAST_TOL = 1e-12
# Fewer fast components than this (unless all are) all take the accurate path:
# the fast path's two products read six feature rows whatever the count.
MIN_FAST = 2
_U = 2.0**-53
_GAMMA_10 = 10 * _U / (1 - 10 * _U)
HALF_SQRT2 = math.sqrt(0.5)  # the accurate path's rows are L^-1 / sqrt(2)
SQRT2 = math.sqrt(2.0)


def expanded_error_bound(W: np.ndarray, const: np.ndarray, abs_max: np.ndarray) -> list[float]:
    """Worst-case error (nats) of the expanded form per component over a box.

    Parameters
    ----------
    W : ndarray of shape (k, 2, 3)
        Whitening rows (a_i, b_i, c_i) of each component.
    const : ndarray of shape (k,)
        ln pi_k - ln 2 pi - ln det(Sigma_k) / 2.
    abs_max : ndarray of shape (2,)
        Largest |x| and |y| of the points (the box the bound holds on).

    Returns
    -------
    bound : list of k floats
        +inf (or NaN) for a component that is not finite.

    Notes
    -----
    Scalar Python, as :func:`~gmmviz.labs.em.core.whitening.components`: it
    runs once per pass for a few components.
    """
    X, Y = abs_max.tolist()
    out = []
    for ((a1, b1, c1), (a2, b2, c2)), k0 in zip(W.tolist(), const.tolist()):
        e1 = abs(a1) * X + abs(b1) * Y + abs(c1)
        e2 = abs(a2) * X + abs(b2) * Y + abs(c2)
        out.append(_GAMMA_10 * (abs(k0) + 0.5 * (e1 * e1 + e2 * e2)))
    return out


def fast_components(W: np.ndarray, const: np.ndarray, abs_max: np.ndarray) -> np.ndarray:
    """Boolean mask (k,): the components the expanded form evaluates within FAST_TOL."""
    return np.array([b <= FAST_TOL for b in expanded_error_bound(W, const, abs_max)], dtype=bool).reshape(-1)


def whitened_sums(raw: np.ndarray, fast: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Every component's sums in its whitened frame, from what its path accumulated.

    Parameters
    ----------
    raw : ndarray of shape (k, 6)
        A fast component's row: its moments about the origin, sum r x^2,
        sum r xy, sum r y^2, sum r x, sum r y, sum r.  An accurate one's:
        sum r v1^2, sum r v2^2, sum r v1 v2, sum r v1, sum r v2, sum r with
        v = y / sqrt(2) (see :class:`Plan`).
    fast : ndarray of shape (k,) of bool
    W : ndarray of shape (k, 2, 3)
        Whitening rows: y = W_k (x, y, 1).

    Returns
    -------
    ndarray of shape (k, 6)
        sum r y1^2, sum r y1 y2, sum r y2^2, sum r y1, sum r y2, sum r
        (what :func:`~gmmviz.labs.em.core.whitening.whitened_to_stats` takes).

    Notes
    -----
    Scalar Python: once per pass, for a few components.
    """
    out = []
    for row, is_fast, ((a1, b1, c1), (a2, b2, c2)) in zip(raw.tolist(), fast.tolist(), W.tolist()):
        if not is_fast:
            q1, q2, q12, v1, v2, n = row
            out.append((2.0 * q1, 2.0 * q12, 2.0 * q2, SQRT2 * v1, SQRT2 * v2, n))
            continue
        xx, xy, yy, x1, y1, n = row
        # M = sum r p p^T with p = (x, y, 1); u_i = M r_i, then sum r y_i y_j = r_j . u_i
        u1 = (xx * a1 + xy * b1 + x1 * c1, xy * a1 + yy * b1 + y1 * c1, x1 * a1 + y1 * b1 + n * c1)
        u2 = (xx * a2 + xy * b2 + x1 * c2, xy * a2 + yy * b2 + y1 * c2, x1 * a2 + y1 * b2 + n * c2)
        s11 = a1 * u1[0] + b1 * u1[1] + c1 * u1[2]
        s12 = a2 * u1[0] + b2 * u1[1] + c2 * u1[2]
        s22 = a2 * u2[0] + b2 * u2[1] + c2 * u2[2]
        out.append((s11, s12, s22, u1[2], u2[2], n))
    return np.array(out, dtype=np.float64).reshape(-1, 6)


class Routing:
    """Which components of a pass take the fast (expanded) path, block by block.

    :meth:`plan` gives, for the components taking part in a block, the
    order in which the block evaluates them (fast ones first) and what
    each path needs.
    """

    def __init__(self, comp: Components, abs_max: np.ndarray):
        self.comp = comp
        fast = fast_components(comp.W, comp.const, abs_max)  # (k,) bool
        n_fast = int(np.count_nonzero(fast))
        if n_fast < MIN_FAST and n_fast < fast.shape[0]:
            fast[:] = False  # its products read all six features: not worth it for one component
        self.fast = fast
        self._cache: dict = {}

    def plan(self, rows: np.ndarray | None) -> Plan:
        key = None if rows is None else rows.tobytes()
        plan = self._cache.get(key)
        if plan is None:
            plan = self._cache[key] = Plan.make(self.comp, self.fast, rows)
        return plan


@dataclass(frozen=True, eq=False)
class Plan:
    """The components of one block in evaluation order, the first ``nf`` on the fast path.

    ``order`` holds component indices (None: 0..k-1 as they are).
    """

    order: np.ndarray | None
    nf: int
    coef: np.ndarray  # (nf, 6) expanded rows
    W_acc: np.ndarray  # (na, 2, 3): whitening rows / sqrt(2)
    const_acc: np.ndarray  # (na,)

    @classmethod
    def make(cls, comp: Components, fast: np.ndarray, rows: np.ndarray | None) -> Plan:
        is_fast = fast.tolist()
        if rows is None and all(is_fast):
            return cls(None, len(is_fast), comp.coef, _NO_ROWS, _NO_ROWS[:, 0, 0])
        if rows is None and not any(is_fast):
            return cls(None, 0, comp.coef[:0], comp.W * HALF_SQRT2, comp.const)
        idx = range(len(is_fast)) if rows is None else rows.tolist()
        fi = [i for i in idx if is_fast[i]]
        ai = [i for i in idx if not is_fast[i]]
        order = fi + ai
        keep = rows is None and order == list(idx)
        return cls(None if keep else np.array(order, dtype=np.intp), len(fi), comp.coef[fi],
                   comp.W[ai] * HALF_SQRT2, comp.const[ai])


_NO_ROWS = np.zeros((0, 2, 3))
