"""The numerical core: numpy and scipy only, never Qt.

A test imports this package in a fresh interpreter and fails if PySide6,
shiboken6, pyqtgraph or :mod:`gmmviz.qt` got loaded.
"""

from gmmviz.core.em import e_step, em_steps, m_step, run_em
from gmmviz.core.errors import FileFormatError, GmmvizError
from gmmviz.core.gaussian import log_likelihood, predict_proba, score_samples
from gmmviz.core.mixture import GaussianMixture, aic, bic, n_parameters, sample
from gmmviz.core.types import (
    COVARIANCE_TYPES,
    INIT_METHODS,
    ClassInfo,
    Collapse,
    Dataset,
    EMSnapshot,
    FitConfig,
    GaussianParams,
)

__all__ = [
    "COVARIANCE_TYPES",
    "INIT_METHODS",
    "ClassInfo",
    "Collapse",
    "Dataset",
    "EMSnapshot",
    "FitConfig",
    "GaussianMixture",
    "GaussianParams",
    "FileFormatError",
    "GmmvizError",
    "aic",
    "bic",
    "e_step",
    "em_steps",
    "log_likelihood",
    "m_step",
    "n_parameters",
    "predict_proba",
    "run_em",
    "sample",
    "score_samples",
]
