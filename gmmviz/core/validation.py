"""Checks at the boundary: each raises :class:`GmmvizError` naming the bad value.

Core functions below this boundary assume validated input and do not
re-check it.
"""

from __future__ import annotations

import numbers

import numpy as np

from gmmviz.core.covariance import check_covariance_type, is_positive_definite, to_full
from gmmviz.core.data import as_real_array
from gmmviz.core.errors import GmmvizError
from gmmviz.core.mixture import GaussianParams, covariance_shape

WEIGHT_SUM_TOL = 1e-6


def check_points(X, *, name: str = "X", allow_empty: bool = False) -> np.ndarray:
    """Points as a float64 array of shape (n_points, 2), all finite.

    Raises
    ------
    GmmvizError
        For a wrong shape, values that are not real numbers (strings,
        complex, booleans), no points (unless ``allow_empty``), or NaN/inf
        (the message gives the first bad row).
    """
    arr = as_real_array(X, name)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise GmmvizError(f"{name} must have shape (n_points, 2), got {arr.shape}")
    if arr.shape[0] == 0 and not allow_empty:
        raise GmmvizError(f"{name} has no points: add some points first")
    bad = ~np.isfinite(arr).all(axis=1)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise GmmvizError(
            f"{name} has {int(bad.sum())} point(s) with NaN or infinite coordinates "
            f"(first at row {row}: {arr[row].tolist()}); remove or fix them"
        )
    return arr


# The data's spread (RMS distance from the centre, in its units) must lie in this range:
# variances in the data's units are its square times numbers from about 1e-10 to about
# n_points, and must stay normal floats (1e-308 .. 1e308).
MIN_SPREAD, MAX_SPREAD = 1e-140, 1e140


def centre_and_spread(X: np.ndarray) -> tuple[np.ndarray, float, float]:
    """The centre of the points ``X`` (n, d), their RMS distance from it, and their largest magnitude.

    Computed on ``X`` divided by its largest magnitude, so that no square or sum overflows or
    underflows for any finite data (1e-300 .. 1e308). Empty or all-zero data: centre 0, spread 0.
    """
    X = np.asarray(X, dtype=np.float64)
    m = float(np.abs(X).max()) if X.size else 0.0
    if not (np.isfinite(m) and m > 0.0):
        return np.zeros(X.shape[1] if X.ndim == 2 else 2), 0.0, m
    Y = X / m
    centre = Y.mean(axis=0)
    D = Y - centre  # second pass about the mean: exact even for a 1e6 offset
    d = float(np.abs(D).max())
    rms = d * float(np.sqrt(np.mean(np.sum((D / d) ** 2, axis=1) / X.shape[1]))) if d > 0.0 else 0.0
    return centre * m, rms * m, m


def check_spread(X, *, what: str = "the points") -> float:
    """Refuse points whose variances float64 cannot hold (their spread beyond
    :data:`MIN_SPREAD` .. :data:`MAX_SPREAD`); identical points pass (spread 0).

    Returns
    -------
    float
        The spread (RMS distance from the centre, per coordinate).
    """
    return check_spread_value(centre_and_spread(X)[1], what=what)


def check_spread_value(spread: float, *, what: str = "the points") -> float:
    """:func:`check_spread` for a spread already computed (``Standardizer.spread``)."""
    if spread > 0.0 and not MIN_SPREAD <= spread <= MAX_SPREAD:
        raise GmmvizError(
            f"{what}' spread (RMS distance from their centre) is {spread:.3g}, outside the range "
            f"{MIN_SPREAD:g} to {MAX_SPREAD:g} whose square (a variance) float64 can hold: "
            "rescale the data (change its units)"
        )
    return spread


def check_int(value, name: str, minimum: int) -> int:
    """An integer (not a bool, a float or a string like '3') of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise GmmvizError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_nonneg_float(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise GmmvizError(f"{name} must be a number >= 0, got {value!r}")
    if not np.isfinite(value) or value < 0:
        raise GmmvizError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def check_n_components(n_components, n_points: int) -> int:
    k = check_int(n_components, "n_components", 1)
    if n_points < k:
        raise GmmvizError(
            f"fewer points ({n_points}) than components (n_components={k}): "
            "add points or lower the number of components"
        )
    return k


def check_params(
    weights, means, covariances, covariance_type: str = "full", *, n_components: int | None = None
) -> GaussianParams:
    """Validate mixture parameters given by a user or a file.

    Parameters
    ----------
    weights : array-like of shape (n_components,)
        Non-negative, summing to 1 (within 1e-6).
    means : array-like of shape (n_components, 2)
    covariances : array-like
        scikit-learn's shape for ``covariance_type``; positive definite.
    covariance_type : str
    n_components : int, optional
        If given, the number of components the parameters must have.

    Returns
    -------
    GaussianParams
    """
    check_covariance_type(covariance_type)
    m = _as_float_array(means, "means")
    if m.ndim != 2 or m.shape[1] != 2 or m.shape[0] == 0:
        raise GmmvizError(f"means must have shape (n_components, 2), got {m.shape}")
    k = m.shape[0]
    if n_components is not None and k != n_components:
        raise GmmvizError(f"means give {k} components but n_components={n_components}")
    w = _as_float_array(weights, "weights")
    if w.shape != (k,):
        raise GmmvizError(f"weights must have shape ({k},), got {w.shape}")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise GmmvizError(f"weights must be finite and >= 0, got {w.tolist()}")
    if abs(w.sum() - 1.0) > WEIGHT_SUM_TOL:
        raise GmmvizError(f"weights must sum to 1, they sum to {w.sum():.6g}")
    if not np.all(np.isfinite(m)):
        raise GmmvizError("means contain NaN or infinite values")
    c = _as_float_array(covariances, "covariances")
    expected = covariance_shape(covariance_type, k)
    if c.shape != expected:
        raise GmmvizError(
            f"covariances for covariance type {covariance_type!r} must have shape {expected}, got {c.shape}"
        )
    full = to_full(c, covariance_type, k)
    bad = ~is_positive_definite(full)
    if bad.any():
        idx = int(np.flatnonzero(bad)[0])
        what = "contains NaN or infinite values" if not np.isfinite(full[idx]).all() else "is not symmetric positive definite"
        raise GmmvizError(f"covariance of component {idx} {what} ({full[idx].tolist()})")
    return GaussianParams(w / w.sum(), m, c, covariance_type)


def check_means(means, n_components: int | None = None) -> np.ndarray:
    m = _as_float_array(means, "means")
    if m.ndim != 2 or m.shape[1] != 2 or m.shape[0] == 0 or not np.all(np.isfinite(m)):
        raise GmmvizError(f"means must be finite numbers of shape (n_components, 2), got shape {m.shape}")
    if n_components is not None and m.shape[0] != n_components:
        raise GmmvizError(f"means give {m.shape[0]} components but n_components={n_components}")
    return m


def _as_float_array(value, name: str) -> np.ndarray:
    return as_real_array(value, name)


def check_mixture(params, *, name: str = "params") -> GaussianParams:
    """Validate a :class:`GaussianParams` given to a public function (NaN weights,
    covariances that are not positive definite, ...); returns it unchanged."""
    if not isinstance(params, GaussianParams):
        raise GmmvizError(f"{name} must be GaussianParams, got {type(params).__name__}")
    check_params(params.weights, params.means, params.covariances, params.covariance_type)
    return params


def check_random_state(value):
    """None, an integer seed >= 0, or a numpy Generator (used as it is, like scikit-learn)."""
    if value is None or isinstance(value, np.random.Generator):
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise GmmvizError(
            f"random_state must be None, an integer seed >= 0 or a numpy.random.Generator, got {value!r:.60}"
        )
    return int(value)
