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
