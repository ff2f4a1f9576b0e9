"""Covariance algebra in every scikit-learn covariance type (2x2 in closed form).
"""

from __future__ import annotations

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

    The smaller one is computed as det / largest, which keeps its relative
    precision when the matrix is nearly singular.
    """
    a, b, c = sym2_parts(full)
    half_tr = 0.5 * (a + c)
    disc = np.sqrt((0.5 * (a - c)) ** 2 + b * b)
    lam_max = half_tr + disc
    # det / lam_max when lam_max > 0 (precise for nearly singular matrices).
    lam_min = np.where(lam_max > 0, (a * c - b * b) / np.where(lam_max > 0, lam_max, 1.0), half_tr - disc)
    return lam_min, lam_max


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
