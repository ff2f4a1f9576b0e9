"""The shared numerical core: numpy and scipy only, never Qt.

What every lab uses: points and classes (:mod:`~gmmviz.core.data`), edit
commands with inverses (:mod:`~gmmviz.core.commands`), Gaussian mixtures
(:mod:`~gmmviz.core.mixture`, :mod:`~gmmviz.core.gaussian`,
:mod:`~gmmviz.core.covariance`), geometry, palettes, validation, errors,
and file formats (:mod:`gmmviz.core.io`).  Each lab's own maths lives in
``gmmviz.labs.<lab>.core``.  A test imports every Qt-free package in a fresh
interpreter and fails if PySide6, shiboken6, pyqtgraph or :mod:`gmmviz.qt`
got loaded.
"""

from gmmviz.core.data import ClassInfo, Dataset
from gmmviz.core.errors import FileFormatError, GmmvizError
from gmmviz.core.gaussian import log_likelihood, predict_proba, score_samples
from gmmviz.core.mixture import (
    COVARIANCE_TYPES,
    GaussianParams,
    aic,
    bic,
    n_parameters,
    sample,
)

__all__ = [
    "COVARIANCE_TYPES",
    "ClassInfo",
    "Dataset",
    "FileFormatError",
    "GaussianParams",
    "GmmvizError",
    "aic",
    "bic",
    "log_likelihood",
    "n_parameters",
    "predict_proba",
    "sample",
    "score_samples",
]
