"""Per-component constants of the fused pass: the whitening maps and the M-step statistics.

With Sigma_k = L_k L_k^T (lower Cholesky factor), the whitened offset
y = L_k^-1 (x - mu_k) is linear in (x, y, 1), and

    ln pi_k + ln N(x | mu_k, Sigma_k) = const_k - |y|^2 / 2,
    const_k = ln pi_k - ln 2 pi - ln l11 - ln l22.

Evaluating |y|^2 this way loses about sqrt(cond) ulps, where the expanded
quadratic form x^T Sigma^-1 x - 2 mu^T Sigma^-1 x + ... loses about cond
(a condition number of 1e12 costs 1e-4 relative there).  The M-step
statistics are accumulated in the same whitened frame (about the old
mean) and mapped back with L_k, so no moment about the origin is ever
subtracted from another.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gmmviz.core.covariance import cholesky2
from gmmviz.core.gaussian import LOG_2PI

# Stats columns: centred scatter sum r (x-m)(x-m)^T (xx, xy, yy), sum r x, sum r y, sum r.
XX, XY, YY, X1, Y1, ONE = range(6)

# scikit-learn adds this to every N_k so an empty component never divides by 0.
NK_EPS = 10 * np.finfo(np.float64).eps


@dataclass(frozen=True, eq=False)
class Components:
    """What one fused pass needs to know of the components (standardised frame).

    Attributes
    ----------
    W : ndarray of shape (n_components, 2, 3)
        ``W[k] @ (x, y, 1)`` is the whitened offset L_k^-1 (x - mu_k).
    const : ndarray of shape (n_components,)
        ln pi_k - ln 2 pi - ln det(Sigma_k) / 2.
    chol : ndarray of shape (n_components, 3)
        (l11, l21, l22) of each lower Cholesky factor.
    means : ndarray of shape (n_components, 2)
    log_det : ndarray of shape (n_components,)
    trace_precision : ndarray of shape (n_components,)
        tr Sigma_k^-1.
    coef : ndarray of shape (n_components, 6)
        The same log-densities as a quadratic form in (x^2, xy, y^2, x, y, 1):
        only for bounds (pruning), where its lower accuracy does not matter.
    valid : bool
        Every covariance positive definite and every number finite.
    """

    W: np.ndarray
    const: np.ndarray
    chol: np.ndarray
    means: np.ndarray
    log_det: np.ndarray
    trace_precision: np.ndarray
    coef: np.ndarray
    valid: bool

    @property
    def n_components(self) -> int:
        return int(self.const.shape[0])


def components(weights: np.ndarray, means: np.ndarray, full_cov: np.ndarray) -> Components:
    """The :class:`Components` of a mixture in the standardised frame.

    Parameters
    ----------
    weights : ndarray of shape (k,)
    means : ndarray of shape (k, 2)
    full_cov : ndarray of shape (k, 2, 2)
        Positive definite; a component that is not gets NaN constants and
        ``valid`` is False.

    Notes
    -----
    Scalar Python per component: k is small (at most 20 in the app), and a
    handful of float operations each is faster than numpy calls.
    """
    # One flat row per component, one array for all: W (6), const, chol (3),
    # log_det, trace, coef (6); the fields are views of it.
    rows = []
    nan_row = (math.nan,) * _ROW
    for w, (mx, my), ((a, b), (_, c)) in zip(weights.tolist(), means.tolist(), full_cov.tolist()):
        # From the error-free determinant: c - b^2 / a would cancel to a
        # relative error of about cond * eps in l22.
        chol = cholesky2(a, b, c)
        if chol is None or not math.isfinite(mx + my):
            rows.append(nan_row)
            continue
        l11, l21, l22, ld = chol
        g = l21 / l11  # slope of the regression of y on x
        r1 = (1.0 / l11, 0.0, -mx / l11)
        r2 = (-g / l22, 1.0 / l22, (g * mx - my) / l22)
        # A zero weight would give -inf, and -inf * 0 = NaN in the statistics.
        k0 = math.log(max(w, 1e-300)) - LOG_2PI - 0.5 * ld
        trace = r1[0] * r1[0] + r2[0] * r2[0] + r2[1] * r2[1]  # |L^-1|_F^2
        rows.append(r1 + r2 + (k0, l11, l21, l22, ld, trace) + _quadratic_row(r1, r2, k0))
    k = len(rows)
    flat = np.array(rows, dtype=np.float64).reshape(k, _ROW)
    const = flat[:, 6]
    return Components(
        W=flat[:, :6].reshape(k, 2, 3), const=const, chol=flat[:, 7:10],
        means=np.array(means, dtype=np.float64).reshape(k, 2), log_det=flat[:, 10],
        trace_precision=flat[:, 11], coef=flat[:, 12:], valid=bool(np.isfinite(const).all()),
    )


_ROW = 18


def _quadratic_row(r1, r2, k0) -> tuple:
    """const - (r1 . phi)^2 / 2 - (r2 . phi)^2 / 2 expanded in (x^2, xy, y^2, x, y, 1)."""
    (a1, b1, c1), (a2, b2, c2) = r1, r2
    return (
        -0.5 * (a1 * a1 + a2 * a2), -(a1 * b1 + a2 * b2), -0.5 * (b1 * b1 + b2 * b2),
        -(a1 * c1 + a2 * c2), -(b1 * c1 + b2 * c2), k0 - 0.5 * (c1 * c1 + c2 * c2),
    )


def whitened_to_stats(raw: np.ndarray, comp: Components) -> np.ndarray:
    """Statistics in the standardised frame from sums in the whitened frames.

    Parameters
    ----------
    raw : ndarray of shape (k, 6)
        Per component: sum r y1^2, sum r y1 y2, sum r y2^2, sum r y1, sum r y2,
        sum r, with y = L_k^-1 (x - mu_k).
    comp : Components

    Returns
    -------
    stats : ndarray of shape (k, 6)
        Scatter about the weighted mean sum r (x - m)(x - m)^T (xx, xy, yy),
        sum r x, sum r y, sum r; m = sum r x / (sum r + NK_EPS).
    """
    out = []
    for (s11, s12, s22, s1, s2, n), (l11, l21, l22), (mx, my) in zip(
        raw.tolist(), comp.chol.tolist(), comp.means.tolist()
    ):
        nk = n + NK_EPS
        f = (2.0 * nk - n) / (nk * nk)  # sum r (y - m~)(y - m~)^T with m~ = s / nk
        c11, c12, c22 = s11 - f * s1 * s1, s12 - f * s1 * s2, s22 - f * s2 * s2
        # L C L^T with L = [[l11, 0], [l21, l22]]
        xx = l11 * l11 * c11
        xy = l11 * (l21 * c11 + l22 * c12)
        yy = l21 * l21 * c11 + 2.0 * l21 * l22 * c12 + l22 * l22 * c22
        # sum r x = n mu + L s
        out.append((xx, xy, yy, n * mx + l11 * s1, n * my + l21 * s1 + l22 * s2, n))
    return np.array(out, dtype=np.float64).reshape(-1, 6)


def stats_from_resp(Xs: np.ndarray, resp: np.ndarray) -> np.ndarray:
    """The same statistics straight from responsibilities (two passes, centred).

    Parameters
    ----------
    Xs : ndarray of shape (n_points, 2)
    resp : ndarray of shape (n_points, k)

    Returns
    -------
    stats : ndarray of shape (k, 6)
    """
    n = resp.sum(axis=0)
    s = resp.T @ Xs
    m = s / (n + NK_EPS)[:, None]
    out = np.empty((resp.shape[1], 6))
    for k in range(resp.shape[1]):
        d = Xs - m[k]
        rd = resp[:, k, None] * d
        c = rd.T @ d
        out[k] = (c[0, 0], 0.5 * (c[0, 1] + c[1, 0]), c[1, 1], s[k, 0], s[k, 1], n[k])
    return out


def stats_from_labels(Xs: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """:func:`stats_from_resp` for hard assignments (a label per point)."""
    n = np.bincount(labels, minlength=k).astype(np.float64)
    s = np.stack([np.bincount(labels, weights=Xs[:, j], minlength=k) for j in (0, 1)], axis=1)
    m = s / (n + NK_EPS)[:, None]
    d = Xs - m[labels]
    sums = [np.bincount(labels, weights=d[:, i] * d[:, j], minlength=k) for i, j in ((0, 0), (0, 1), (1, 1))]
    return np.column_stack(sums + [s[:, 0], s[:, 1], n])


def expected_quadratic(stats: np.ndarray, comp: Components, reg: float) -> float:
    """sum_k sum_t r_tk ln pi'_k N(x_t | theta'_k) for the M-step result theta' of ``stats``.

    Uses that the closed-form M-step makes sum_k tr(Sigma'_k^-1 C_k), with C_k
    the scatter of ``stats``, equal to sum_k nk (2 - reg tr Sigma'_k^-1) for every
    covariance type, so no ill-conditioned trace is evaluated.
    """
    n = stats[:, ONE]
    nk = n + NK_EPS
    return float(np.dot(n, comp.const) - 0.5 * np.dot(nk, 2.0 - reg * comp.trace_precision))
