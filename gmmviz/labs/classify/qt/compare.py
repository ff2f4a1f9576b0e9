"""Classify → Compare with my classifier…: the user's estimator beside the reference.

The comparison runs on its own :class:`~gmmviz.qt.runs.RunController`; the
job starts a child process (:mod:`gmmviz.labs.classify.compare_child`) and
waits for its one answer, waking every 50 ms to notice a cancel or the
timeout, and kills the child in either case: a user's ``fit`` that never
returns costs the window nothing.  What comes back (agreement, the
differing points, the user's P(y | x) on the map's grid, coloured here in
the worker thread) is one immutable :class:`CompareOutcome`.

Signals
-------
done(object)
    A :class:`CompareOutcome`.
failed(str)
    One readable line: what was wrong with the estimator (or that it timed out).
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.classify.compare_child import CompareAnswer, CompareJob, main
from gmmviz.labs.classify.core.picture import posterior_image
from gmmviz.qt.runs import Cancelled, RunController

#: Seconds the user's estimator gets for fit and predict (and the child to start).
TIMEOUT_S = 30.0
POLL_S = 0.05


@dataclass(frozen=True, eq=False)
class CompareOutcome:
    """The answer, with the user's map as an image: ``user_map`` is (xs, ys, rgba)."""

    answer: CompareAnswer
    user_map: tuple
    n_points: int
    reference: str


def run_child(job: CompareJob, token, timeout: float) -> CompareAnswer:
    """Run ``job`` in a spawned child; kill it on cancel or after ``timeout`` seconds."""
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=main, args=(send, job), name="gmmviz-compare", daemon=True)
    child.start()
    send.close()
    deadline = time.monotonic() + timeout
    try:
        while not receive.poll(POLL_S):
            if token.cancelled:
                raise Cancelled()
            if not child.is_alive() and not receive.poll(0):
                raise GmmvizError(f"your classifier's process stopped without an answer (exit code {child.exitcode})")
            if time.monotonic() > deadline:
                raise GmmvizError(f"your classifier did not finish fit and predict within {timeout:g} s: "
                                  "it was stopped (an endless loop? far too many iterations?)")
        try:
            status, payload = receive.recv()
        except EOFError:
            raise GmmvizError("your classifier's process stopped without an answer") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join(2.0)
        receive.close()
    if status != "ok":
        raise GmmvizError(payload)
    return payload


class CompareController(QObject):
    """Runs comparisons, one at a time (a new one cancels the old); see the module docstring."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.runs = RunController("The comparison", "gmmviz-compare", self)
        self.timeout = TIMEOUT_S
        self.runs.yielded.connect(lambda run_id, outcome: self.done.emit(outcome))
        self.runs.failed.connect(lambda run_id, message: self.failed.emit(message))

    @property
    def busy(self) -> bool:
        return self.runs.busy

    def start(self, job: CompareJob, grid: tuple, colors, background: str, reference: str) -> int:
        """Compare on the RunController; ``grid`` = (xs, ys) of ``job.X_grid``."""
        timeout = self.timeout

        def work(token):
            found = run_child(job, token, timeout)
            xs, ys = grid
            P = np.asarray(found.grid_proba, dtype=np.float64).T.reshape(-1, ys.size, xs.size)
            rgba = posterior_image(P, colors, background)
            yield CompareOutcome(found, (xs, ys, rgba), int(job.X_points.shape[0]), reference)

        return self.runs.submit(work)

    def cancel(self) -> None:
        self.runs.cancel()

    def shutdown(self) -> None:
        self.runs.shutdown()
