"""The classification lab's maths (Qt-free, scikit-learn-free).

* :mod:`~gmmviz.labs.classify.core.model`: a fitted generative classifier
  (:class:`ClassModel`: per-class Gaussian mixtures and log priors) and Bayes'
  rule in log space (:func:`evaluate`);
* :mod:`~gmmviz.labs.classify.core.fitting`: fitting Naive Bayes, LDA, QDA and
  per-class mixtures (the EM lab's core for 2-D data);
* :mod:`~gmmviz.labs.classify.core.em_nd`: EM for any number of features;
* :mod:`~gmmviz.labs.classify.core.grid`: the posterior map on a grid;
* :mod:`~gmmviz.labs.classify.core.split`: the seeded, stratified train/test split;
* :mod:`~gmmviz.labs.classify.core.metrics`: accuracy, log-loss, confusion matrix;
* :mod:`~gmmviz.labs.classify.core.compare`: a user's estimator against the reference;
* :mod:`~gmmviz.labs.classify.core.loader`: ``"module:Class"`` to a class.
"""

import importlib

# Lazy re-exports (PEP 562), as in gmmviz.labs.em.core.
_EXPORTS = {
    "ClassDensity": "model", "ClassModel": "model", "Evaluation": "model", "evaluate": "model",
    "MODELS": "fitting", "encode_labels": "fitting", "fit_classifier": "fitting",
    "fit_gaussian_classes": "fitting", "fit_mixture_classes": "fitting", "resolve_priors": "model",
    "model_from_params": "fitting", "Scores": "metrics", "classification_scores": "metrics",
    "PosteriorMap": "grid", "posterior_map": "grid",
    "stratified_split": "split",
    "CompareResult": "compare", "EstimatorOutputError": "compare", "compare": "compare",
    "EstimatorLoadError": "loader", "load_estimator": "loader",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"gmmviz.labs.classify.core.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
