"""gmmviz: watch Expectation-Maximisation fit a Gaussian mixture, live.

The package has two layers: :mod:`gmmviz.core` (numpy/scipy only, no Qt)
holds every formula; :mod:`gmmviz.qt` draws and never computes.
"""

import os as _os

__version__ = "0.1.0"

# On the 2-core machines we teach from, a multi-threaded BLAS made a
# (1e6 x 2) @ (2 x 2) product ~100x slower than single-threaded.  The
# numerical kernels here are many small products, so one BLAS thread is
# always right.  These variables only take effect if numpy is not loaded
# yet (true for the ``gmmviz`` command); :func:`gmmviz.core.threads.pin_blas`
# covers the other case at run time.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_var, "1")
del _var


# The public classifiers (the classification lab's library), loaded on first
# use (PEP 562): ``import gmmviz`` stays light and never loads scikit-learn.
_LAZY = {
    "GMMClassifier": "gmmviz.labs.classify.estimators",
    "NaiveBayes": "gmmviz.labs.classify.estimators",
    "LDA": "gmmviz.labs.classify.estimators",
    "QDA": "gmmviz.labs.classify.estimators",
    "posterior_map": "gmmviz.labs.classify.core.grid",
    "compare": "gmmviz.labs.classify.core.compare",
    "load_estimator": "gmmviz.labs.classify.core.loader",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'gmmviz' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_LAZY))
