"""check_config: an EM run's options, validated once at the boundary."""

from __future__ import annotations

from gmmviz.core.errors import GmmvizError
from gmmviz.core.validation import (
    check_covariance_type,
    check_int,
    check_means,
    check_n_components,
    check_nonneg_float,
    check_params,
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
    if config.random_state is not None:
        check_int(config.random_state, "random_state (seed)", 0)
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
