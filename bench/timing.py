"""What every bench script times with: best and median of repeated runs.

The scripts are run as ``python bench/bench_<name>.py``, so this folder is on
``sys.path`` and ``from timing import timed`` finds this module.
"""

from __future__ import annotations

import time

import numpy as np


def timed(fn, repeats: int) -> tuple[float, float]:
    """(best, median) seconds of ``fn()`` over ``repeats`` runs (after one warm-up)."""
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), float(np.median(times))
