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
import pickle
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.classify.compare_child import SERVE, CompareAnswer, CompareJob, main
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
    """Run ``job`` in a child process; kill it on cancel or after ``timeout`` seconds."""
    child = _Spawned(job) if _frozen() else _Piped(job)
    deadline = time.monotonic() + timeout
    try:
        while not child.wait(POLL_S):
            if token.cancelled:
                raise Cancelled()
            if time.monotonic() > deadline:
                raise GmmvizError(f"your classifier did not finish fit and predict within {timeout:g} s: "
                                  "it was stopped (an endless loop? far too many iterations?)")
        answer = child.answer()
    finally:
        child.stop()
    if answer is None:
        raise GmmvizError(f"your classifier's process stopped without an answer (exit code {child.exitcode()})")
    status, payload = answer
    if status != "ok":
        raise GmmvizError(payload)
    return payload


def _frozen() -> bool:
    """A PyInstaller bundle (no ``python -c`` to run)."""
    return bool(getattr(sys, "frozen", False))


class _Piped:
    """``python -c serve()``: the job pickled on its stdin, the answer read from its stdout by a thread."""

    def __init__(self, job: CompareJob):
        self.proc = subprocess.Popen([sys.executable, "-c", SERVE], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._answer: list = []
        self.reader = threading.Thread(target=self._read, name="gmmviz-compare-reader", daemon=True)
        self.reader.start()
        try:
            pickle.dump(job, self.proc.stdin)
            self.proc.stdin.close()
        except OSError:  # the child died at once; its exit code says so
            pass

    def _read(self) -> None:
        try:
            self._answer.append(pickle.load(self.proc.stdout))
        except Exception:  # noqa: BLE001  (no answer: the child died or wrote nonsense)
            pass

    def wait(self, seconds: float) -> bool:
        """True once the child answered or ended."""
        self.reader.join(seconds)
        return not self.reader.is_alive()

    def answer(self):
        return self._answer[0] if self._answer else None

    def exitcode(self):
        return self.proc.poll()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(5.0)
        self.reader.join(1.0)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None and not stream.closed:
                stream.close()


class _Spawned:
    """A frozen bundle has no ``python -c``: multiprocessing's spawn (the bundle calls freeze_support)."""

    def __init__(self, job: CompareJob):
        ctx = multiprocessing.get_context("spawn")
        self.receive, send = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=main, args=(send, job), name="gmmviz-compare", daemon=True)
        self.proc.start()
        send.close()

    def wait(self, seconds: float) -> bool:
        return self.receive.poll(seconds) or not self.proc.is_alive()

    def answer(self):
        try:
            return self.receive.recv() if self.receive.poll(0) else None
        except EOFError:
            return None

    def exitcode(self):
        return self.proc.exitcode

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(2.0)
        self.receive.close()


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
