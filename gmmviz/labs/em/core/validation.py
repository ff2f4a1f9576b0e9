"""check_config: an EM run's options, validated once at the boundary."""

from __future__ import annotations

import numpy as np

from gmmviz.core.errors import GmmvizError
from gmmviz.core.validation import (
    as_real_array,
    check_covariance_type,
    check_int,
    check_means,
    check_n_components,
    check_nonneg_float,
    check_params,
    check_random_state,
    check_spread_value,
)
from gmmviz.labs.em.core.types import INIT_METHODS, FitConfig


def check_config(config: FitConfig, n_points: int) -> FitConfig:
    """Validate every option of a run against a dataset of ``n_points``."""
    check_covariance_type(config.covariance_type)
    check_n_components(config.n_components, n_points)
    if config.init not in INIT_METHODS:
        raise GmmvizError(f"unknown init {config.init!r}; expected one of {', '.join(INIT_METHODS)}")
    check_nonneg_float(config.reg_covar, "reg_covar")
    check_nonneg_float(config.tol, "tol")
    check_int(config.max_iter, "max_iter", 0)
    check_random_state(config.random_state)
    if config.init == "given":
        if config.init_params is None and config.init_means is None:
            raise GmmvizError("init='given' needs initial parameters or initial means")
        if config.init_params is not None:
            p = config.init_params
            check_params(p.weights, p.means, p.covariances, p.covariance_type, n_components=config.n_components)
            if p.covariance_type != config.covariance_type:
                raise GmmvizError(
                    f"initial parameters have covariance type {p.covariance_type!r} "
                    f"but the run uses {config.covariance_type!r}"
                )
        else:
            check_means(config.init_means, config.n_components)
    return config


# reg_covar may be at most this many times the data's variance: beyond it
# every component is the same flat Gaussian, whatever the data.
MAX_REG_RATIO = 1e100


def check_scale(std, reg_covar: float) -> None:
    """Refuse data whose covariances float64 cannot hold, and an absurd reg_covar.

    Parameters
    ----------
    std : Standardizer
        Of the data (its ``scale`` is the RMS distance from the centre).
    reg_covar : float
        In the data's units.
    """
    check_spread_value(std.spread)  # (identical points, spread 0, collapse and say so)
    s = std.scale
    variance = s * s
    if std.spread > 0.0 and reg_covar > MAX_REG_RATIO * variance or reg_covar > 1e300:
        raise GmmvizError(
            f"reg_covar = {reg_covar:.3g} is absurdly large: {reg_covar / variance:.2g} times the points' "
            f"variance ({variance:.3g}), so every component would be the same flat Gaussian; "
            f"use a value well below that variance (e.g. {1e-6 * variance:.2g})"
        )


def check_resp(resp, n_points: int) -> np.ndarray:
    """Responsibilities: finite, >= 0, shape (n_points, n_components), rows summing to 1 (within 1e-6)."""
    r = as_real_array(resp, "resp")
    if r.ndim != 2 or r.shape[0] != n_points or r.shape[1] == 0:
        raise GmmvizError(f"resp must have shape ({n_points}, n_components), got {r.shape}")
    if not np.isfinite(r).all() or (r < 0).any():
        raise GmmvizError("resp must be finite and >= 0 (probabilities); it has NaN, infinite or negative values")
    rows = r.sum(axis=1)
    worst = int(np.argmax(np.abs(rows - 1.0)))
    if abs(rows[worst] - 1.0) > 1e-6:
        raise GmmvizError(f"every row of resp must sum to 1; row {worst} sums to {rows[worst]:.6g}")
    return r
