"""The EM worker thread and the GUI-thread controller that owns it.

Flow (STYLE "play to frame"): :meth:`FitController.start_run` captures the
data and a frozen :class:`FitConfig`, gives the run a new id and asks the
worker (in its own QThread) to drain :func:`gmmviz.core.em_steps`.  The
worker emits one immutable :class:`Step` per half-step, tagged with the
run id; the controller, a QObject living in the GUI thread, receives them
in ``@Slot`` methods (PITFALLS: only those run in the GUI thread), drops
any whose id is not current, appends the rest to the :class:`RunHistory`
and re-emits for widgets and tests to listen to.

Cancellation is cooperative: a newer run id makes the worker stop between
two half-steps.  On shutdown: cancel, ``quit()``, ``wait()``.
"""

from __future__ import annotations

import atexit
import logging
import threading
import traceback
import weakref
from dataclasses import replace

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot

from gmmviz.core.em import em_steps
from gmmviz.core.errors import GmmvizError
from gmmviz.core.palette import quantize_resp
from gmmviz.core.types import FitConfig
from gmmviz.qt.history import RunHistory, Step

log = logging.getLogger(__name__)

# Every live controller, so that an interpreter exiting without closing its
# windows (an exception in a script, say) still joins the worker threads
# before PySide tears Qt down ("QThread: Destroyed while thread is still
# running" aborts the process).  atexit runs this before PySide's own hook,
# which was registered earlier, at import.
_LIVE: "weakref.WeakSet[FitController]" = weakref.WeakSet()


@atexit.register
def _join_all_workers() -> None:
    for controller in list(_LIVE):
        controller.shutdown()


class EMWorker(QObject):
    """Runs EM in the thread it was moved to.

    Signals
    -------
    step_ready(int, object)
        Run id and a :class:`Step`.
    run_finished(int, str)
        Run id and why it ended: ``converged``, ``max_iter``, ``collapse`` or ``cancelled``.
    run_failed(int, str)
        Run id and a readable message (bad input, or an internal error).
    """

    step_ready = Signal(int, object)
    run_finished = Signal(int, str)
    run_failed = Signal(int, str)

    def __init__(self):
        super().__init__()
        # Written by the GUI thread, read here between half-steps: an int
        # assignment is atomic under the GIL, so no lock is needed.
        self.wanted_run = -1
        # The last half-step index worth computing now.  Racing far ahead
        # of what is on screen only competes with the painting for the CPU
        # and the GIL on big data; the GUI moves this as playback advances.
        self.horizon = 1 << 62
        # Seconds to pause after each half-step while the GUI animates, so
        # that painting is not starved of CPU and GIL (0: full speed).
        self.pause_between = 0.0
        self._wake = threading.Event()

    def wake(self) -> None:
        """Re-check the horizon and cancellation now (thread-safe)."""
        self._wake.set()

    def _cancelled(self, run_id: int) -> bool:
        return self.wanted_run != run_id or QThread.currentThread().isInterruptionRequested()

    def _wait_for_horizon(self, run_id: int, index: int) -> bool:
        """Block while ``index`` is beyond the horizon; False if cancelled."""
        while index > self.horizon:
            if self._cancelled(run_id):
                return False
            self._wake.wait(0.05)
            self._wake.clear()
        return not self._cancelled(run_id)

    @Slot(int, object, object)
    def run(self, run_id: int, X: np.ndarray, config: FitConfig) -> None:
        if self._cancelled(run_id):
            return
        reason = "max_iter"
        try:
            for index, snap in enumerate(em_steps(X, config, keep_resp=True)):
                if not self._wait_for_horizon(run_id, index):
                    self.run_finished.emit(run_id, "cancelled")
                    return
                resp = None if snap.resp is None else quantize_resp(snap.resp)
                self.step_ready.emit(run_id, Step(replace(snap, resp=None), resp))
                if self.pause_between:
                    self._wake.wait(self.pause_between)
                    self._wake.clear()
                if snap.converged:
                    reason = "converged"
                elif snap.collapse is not None:
                    reason = "collapse"
        except GmmvizError as exc:
            self.run_failed.emit(run_id, str(exc))
            return
        except Exception as exc:  # a bug must not take the window down
            log.error("EM worker failed:\n%s", traceback.format_exc())
            self.run_failed.emit(run_id, f"The EM computation failed ({type(exc).__name__}: {exc}). "
                                         "Your data are unchanged; try again or change a setting.")
            return
        self.run_finished.emit(run_id, reason)


def ahead_for(n_points: int, n_components: int) -> int:
    """How many half-steps the worker may run ahead of the screen.

    Small problems are computed to the end at once (the whole curve is
    there immediately); big ones stay a window ahead of playback.
    """
    cost = n_points * n_components
    return 1 << 62 if cost <= 200_000 else 64


class FitController(QObject):
    """Owns the worker thread and the history of the current run.

    Signals
    -------
    run_started(int)
        A new run id; the history is empty until its first step arrives.
    step_appended(int, int)
        Run id and the index of the half-step just added to :attr:`history`.
    run_finished(int, str)
        Run id and reason (see :class:`EMWorker`).
    run_failed(int, str)
        Run id and a readable message.
    """

    run_started = Signal(int)
    step_appended = Signal(int, int)
    run_finished = Signal(int, str)
    run_failed = Signal(int, str)
    _request = Signal(int, object, object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._run_id = 0
        self._ahead = 1 << 62
        self.history: RunHistory | None = None
        self._thread = QThread()
        self._thread.setObjectName("gmmviz-em-worker")
        self._worker = EMWorker()
        self._worker.moveToThread(self._thread)
        self._request.connect(self._worker.run)
        self._worker.step_ready.connect(self._on_step)
        self._worker.run_finished.connect(self._on_finished)
        self._worker.run_failed.connect(self._on_failed)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()
        _LIVE.add(self)

    @property
    def run_id(self) -> int:
        return self._run_id

    @property
    def running(self) -> bool:
        return self.history is not None and not self.history.finished

    def start_run(self, X: np.ndarray, config: FitConfig) -> int:
        """Cancel any run in progress and start a new one; returns its id."""
        self._run_id += 1
        X = np.array(X, dtype=np.float64, copy=True)
        X.setflags(write=False)
        self.history = RunHistory(self._run_id, X, config)
        self._ahead = ahead_for(X.shape[0], config.n_components)
        self._worker.horizon = self._ahead
        self._worker.wanted_run = self._run_id
        self._worker.wake()
        self.run_started.emit(self._run_id)
        self._request.emit(self._run_id, X, config)
        return self._run_id

    def cancel(self) -> None:
        """Stop the current run and forget its history."""
        self._run_id += 1
        self._worker.wanted_run = self._run_id
        self._worker.wake()
        self.history = None

    def follow(self, index: int) -> None:
        """The cursor is at ``index``: compute up to a window beyond it."""
        horizon = index + self._ahead
        if horizon > self._worker.horizon:
            self._worker.horizon = horizon
            self._worker.wake()

    def set_animating(self, animating: bool) -> None:
        """While the window animates a big run, the worker leaves it room."""
        self._worker.pause_between = 0.008 if animating and self._ahead < (1 << 62) else 0.0

    def compute_all(self) -> None:
        """Lift the horizon (e.g. run to convergence)."""
        self._worker.horizon = 1 << 62
        self._worker.wake()

    def shutdown(self) -> None:
        """Stop the worker thread and wait for it (call before the window closes)."""
        if not self._thread.isRunning():
            return
        self._worker.wanted_run = -1
        self._worker.wake()
        self._thread.requestInterruption()
        self._thread.quit()
        self._thread.wait()

    def is_alive(self) -> bool:
        return self._thread.isRunning()

    @Slot(int, object)
    def _on_step(self, run_id: int, step: Step) -> None:
        if run_id != self._run_id or self.history is None:
            return  # a stale run: never reaches the screen
        index = self.history.append(step)
        self.step_appended.emit(run_id, index)

    @Slot(int, str)
    def _on_finished(self, run_id: int, reason: str) -> None:
        if run_id == self._run_id and self.history is not None:
            self.history.finish(reason)
            self.run_finished.emit(run_id, reason)

    @Slot(int, str)
    def _on_failed(self, run_id: int, message: str) -> None:
        if run_id == self._run_id and self.history is not None:
            self.history.finish("failed")
            self.run_failed.emit(run_id, message)
