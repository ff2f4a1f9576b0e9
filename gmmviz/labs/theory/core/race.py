"""EM against gradient ascent (or any algorithm) from the same start: ln p per iteration and per second.

Each run drains the algorithm's snapshot generator (:func:`~gmmviz.labs.em.core.algorithms.run.algorithm_steps`)
and keeps, after the initialisation and every ``M`` snapshot, the iteration, ln p, the objective (Q + H's
endpoint ln p, or the ELBO for VB) and the wall-clock seconds since the run started.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from gmmviz.core.validation import check_points
from gmmviz.labs.em.core.algorithms.run import algorithm_of, algorithm_steps
from gmmviz.labs.em.core.fused import Workspace


@dataclass(frozen=True, eq=False)
class Lap:
    """One algorithm's trajectory: per recorded snapshot (init and every M), read-only arrays.

    Attributes
    ----------
    algorithm : str
    iteration, log_likelihood, objective, seconds : ndarray of shape (n_records,)
    converged : bool
    stopped : str
        "" or the collapse / divergence message.
    """

    algorithm: str
    iteration: np.ndarray
    log_likelihood: np.ndarray
    objective: np.ndarray
    seconds: np.ndarray
    converged: bool
    stopped: str


def run_lap(X, config, *, workspace: Workspace | None = None, clock=time.perf_counter) -> Lap:
    """Drain one algorithm's run, timing it (``clock``: seconds, e.g. ``time.perf_counter``)."""
    X = check_points(X)
    ws = workspace if workspace is not None else Workspace.build(X)
    rows, last = [], None
    t0 = clock()
    for snap in algorithm_steps(X, config, keep_resp=False, workspace=ws):
        last = snap
        if snap.phase in ("init", "M"):
            objective = snap.lower_bound if algorithm_of(config) == "vb" else snap.log_likelihood
            rows.append((snap.iteration, snap.log_likelihood, objective, clock() - t0))
    arr = np.array(rows, dtype=np.float64).reshape(-1, 4)
    cols = [np.ascontiguousarray(arr[:, j]) for j in range(4)]
    for c in cols:
        c.setflags(write=False)
    stopped = "" if last is None or last.collapse is None else last.collapse.message
    return Lap(algorithm_of(config), cols[0].astype(np.int64), cols[1], cols[2], cols[3],
               bool(last is not None and last.converged), stopped)


def race(X, configs, *, clock=time.perf_counter) -> list[Lap]:
    """:func:`run_lap` for each config in turn, on one prepared workspace (same data, same frame)."""
    X = check_points(X)
    ws = Workspace.build(X)
    return [run_lap(X, c, workspace=ws, clock=clock) for c in configs]


def iterations_to_reach(lap: Lap, target: float, *, rel: float = 1e-6) -> float:
    """The first iteration whose ln p is within ``rel`` of ``target`` (relative), or inf."""
    hit = np.flatnonzero(lap.log_likelihood >= target - rel * abs(target))
    return float(lap.iteration[hit[0]]) if hit.size else math.inf
