"""Covariance algebra in every scikit-learn covariance type (2x2 in closed form).
"""

from __future__ import annotations

import math

import numpy as np

from gmmviz.core.errors import GmmvizError

COVARIANCE_TYPES = ("full", "diag", "spherical", "tied")


def covariance_shape(covariance_type: str, n_components: int, n_features: int = 2) -> tuple:
    """Shape of ``covariances`` for a covariance type (scikit-learn's convention)."""
    return {
        "full": (n_components, n_features, n_features),
        "diag": (n_components, n_features),
        "spherical": (n_components,),
        "tied": (n_features, n_features),
    }[covariance_type]


def to_full(covariances: np.ndarray, covariance_type: str, n_components: int) -> np.ndarray:
    """Expand covariances of any type to full matrices.

    Parameters
    ----------
    covariances : ndarray
        In scikit-learn's shape for ``covariance_type``.
    covariance_type : {"full", "diag", "spherical", "tied"}
    n_components : int

    Returns
    -------
    full : ndarray of shape (n_components, 2, 2)
    """
    c = np.asarray(covariances, dtype=np.float64)
    if covariance_type == "full":
        return c.reshape(n_components, 2, 2).copy()
    full = np.zeros((n_components, 2, 2))
    if covariance_type == "diag":
        full[:, 0, 0], full[:, 1, 1] = c[:, 0], c[:, 1]
    elif covariance_type == "spherical":
        full[:, 0, 0] = full[:, 1, 1] = c
    elif covariance_type == "tied":
        full[:] = c
    else:
        raise ValueError(f"unknown covariance_type {covariance_type!r}")
    return full


def from_full(full: np.ndarray, covariance_type: str) -> np.ndarray:
    """Reduce (n_components, 2, 2) matrices to ``covariance_type``'s shape.

    ``tied`` takes the first matrix (all are equal); ``spherical`` the mean
    of the two variances; ``diag`` the variances.
    """
    if covariance_type == "full":
        return full.copy()
    if covariance_type == "diag":
        return np.stack([full[:, 0, 0], full[:, 1, 1]], axis=1)
    if covariance_type == "spherical":
        return 0.5 * (full[:, 0, 0] + full[:, 1, 1])
    if covariance_type == "tied":
        return full[0].copy()
    raise ValueError(f"unknown covariance_type {covariance_type!r}")


def sym2_parts(full: np.ndarray):
    """Entries (a, b, c) of symmetric matrices [[a, b], [b, c]], each shape (k,)."""
    return full[..., 0, 0], 0.5 * (full[..., 0, 1] + full[..., 1, 0]), full[..., 1, 1]


def det2(full: np.ndarray) -> np.ndarray:
    """Determinants of (k, 2, 2) symmetric matrices, shape (k,)."""
    a, b, c = sym2_parts(full)
    return a * c - b * b


def eigvals2(full: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest eigenvalues of (k, 2, 2) symmetric matrices.

    Each matrix is scaled by its largest entry first, so entries of any
    magnitude (1e-300 or 1e300) neither underflow nor overflow when
    multiplied; the smaller eigenvalue is computed as det / largest, which
    keeps its relative precision when the matrix is nearly singular.
    """
    a, b, c = sym2_parts(np.asarray(full, dtype=np.float64))
    s = np.maximum(np.maximum(np.abs(a), np.abs(c)), np.abs(b))
    s = np.where((s > 0) & np.isfinite(s), s, 1.0)
    a, b, c = a / s, b / s, c / s
    half_tr = 0.5 * (a + c)
    disc = np.sqrt((0.5 * (a - c)) ** 2 + b * b)
    lam_max = half_tr + disc
    # det / lam_max when lam_max > 0 (precise for nearly singular matrices).
    lam_min = np.where(lam_max > 0, (a * c - b * b) / np.where(lam_max > 0, lam_max, 1.0), half_tr - disc)
    return lam_min * s, lam_max * s


_SPLIT = 134217729.0  # 2^27 + 1 (Veltkamp)


def _two_product(a: float, b: float) -> tuple[float, float]:
    """p, e with p = fl(a b) and a b = p + e exactly (Dekker), for |a|, |b| within 1e-150 .. 1e150."""
    p = a * b
    t = _SPLIT * a
    ah = t - (t - a)
    al = a - ah
    t = _SPLIT * b
    bh = t - (t - b)
    bl = b - bh
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def det_accurate(a: float, b: float, c: float) -> float:
    """a c - b^2 to a few ulps of the result, however much the terms cancel.

    Plain ``a * c - b * b`` loses every digit of a nearly singular matrix
    (its error is eps * a c); the error-free products keep the rounding
    errors.  For entries outside 1e-150 .. 1e150 the result may under- or
    overflow: use :func:`cholesky2` for a logarithm.
    """
    p, q = a * c, b * b
    if q <= 0.5 * p and p > 1e-290:
        # Little cancellation: the plain difference is within 4 ulps
        # (error <= u (p + q) + u (p - q) = 2 u p, and p - q >= p / 2).
        return p - q
    p, e = _two_product(a, c)
    q, f = _two_product(b, b)
    return (p - q) + (e - f)


def cholesky2(a: float, b: float, c: float) -> tuple[float, float, float, float] | None:
    """Cholesky factor and log-determinant of [[a, b], [b, c]], for entries of any magnitude.

    Returns
    -------
    (l11, l21, l22, log_det) with [[a, b], [b, c]] = L L^T, L = [[l11, 0], [l21, l22]],
    or None when the matrix is not positive definite (or not finite) in float64.
    """
    top = max(abs(a), abs(b), abs(c))
    if not (math.isfinite(top) and top > 0.0 and a > 0.0):
        return None
    s = math.ldexp(1.0, math.frexp(top)[1])  # a power of two: the scaling is exact
    an, bn, cn = a / s, b / s, c / s
    dn = det_accurate(an, bn, cn)
    if not dn > 0.0:
        return None
    l11 = math.sqrt(a)
    l22 = math.sqrt(s) * math.sqrt(dn / an)
    if not (l11 > 0.0 and l22 > 0.0 and math.isfinite(l11 * 0.0 + l22)):
        return None
    return l11, b / l11, l22, 2.0 * math.log(s) + math.log(dn)


def inv2(full: np.ndarray) -> np.ndarray:
    """Inverses of (k, 2, 2) symmetric positive-definite matrices."""
    a, b, c = sym2_parts(full)
    det = a * c - b * b
    out = np.empty(full.shape)
    out[..., 0, 0] = c / det
    out[..., 1, 1] = a / det
    out[..., 0, 1] = out[..., 1, 0] = -b / det
    return out


def is_positive_definite(full: np.ndarray) -> np.ndarray:
    """Which of (k, 2, 2) matrices are finite, symmetric and positive definite."""
    full = np.asarray(full, dtype=np.float64)
    finite = np.all(np.isfinite(full), axis=(-2, -1))
    scale = np.maximum(np.abs(full).max(axis=(-2, -1)), np.finfo(float).tiny)
    symmetric = np.abs(full[..., 0, 1] - full[..., 1, 0]) <= 1e-9 * scale
    with np.errstate(invalid="ignore"):
        lam_min, _ = eigvals2(np.where(finite[..., None, None], full, 0.0))
    return finite & symmetric & (lam_min > 0)


def precisions_cholesky(covariances: np.ndarray, covariance_type: str) -> np.ndarray:
    """scikit-learn's ``precisions_cholesky_`` for given covariances.

    For ``full``/``tied`` the upper-triangular U with U U^T = Sigma^-1 (as
    scikit-learn stores it); for ``diag``/``spherical`` 1/sqrt(variance).
    """
    c = np.asarray(covariances, dtype=np.float64)
    if covariance_type in ("diag", "spherical"):
        return 1.0 / np.sqrt(c)
    full = c.reshape(-1, 2, 2)
    a, b, cc = sym2_parts(full)
    l11 = np.sqrt(a)
    l21 = b / l11
    l22 = np.sqrt(cc - l21 * l21)
    # Sigma = L L^T (lower L); precision Cholesky = L^-T (upper triangular).
    out = np.zeros_like(full)
    out[:, 0, 0] = 1.0 / l11
    out[:, 0, 1] = -l21 / (l11 * l22)
    out[:, 1, 1] = 1.0 / l22
    return out[0] if covariance_type == "tied" else out


def check_covariance_type(covariance_type) -> str:
    if covariance_type not in COVARIANCE_TYPES:
        raise GmmvizError(
            f"unknown covariance type {covariance_type!r}; expected one of {', '.join(COVARIANCE_TYPES)}"
        )
    return covariance_type
