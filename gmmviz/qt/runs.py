"""The one run controller: every background computation of gmmviz.

A *job* is a generator function ``job(token) -> Iterator[item]``.  The
controller runs it in its own worker QThread and reports, in the GUI
thread, what the generator yields:

``started(run_id)`` -> ``yielded(run_id, item)`` ... -> one of
``finished(run_id)``, ``cancelled(run_id)`` or ``failed(run_id, message)``.

Rules (STYLE 7-9, PITFALLS "Qt threads in PySide6"):

* every item that crosses the thread is immutable (frozen dataclasses,
  read-only arrays); the controller hands it on as it is;
* every run has an id; results of a run that is no longer current are
  dropped here, so nothing stale reaches a widget;
* cancellation is cooperative: :meth:`cancel` (or a new :meth:`submit`)
  sets the run's :class:`RunToken`, the worker stops between two items,
  and a generator that blocks waits on the token (:meth:`RunToken.wait`);
* an exception in a job becomes ``failed(run_id, message)``: a
  :class:`~gmmviz.core.errors.GmmvizError` keeps its own message, anything
  else is logged with its traceback and reported in one readable line;
* the worker's signals are received by ``@Slot`` methods of the
  controller, a QObject of the GUI thread, and re-emitted: widgets and
  tests listen to the controller, never to the worker;
* the GUI never writes plain attributes of the worker: it talks to a job
  through the job's token or a thread-safe object the job was given
  (for example :class:`Pacer`);
* :meth:`shutdown` cancels, quits and joins the thread; it runs on window
  close and, for every live controller, at interpreter exit.
"""

from __future__ import annotations

import atexit
import logging
import threading
import traceback
import weakref
from dataclasses import dataclass
from typing import Callable, Iterator

from PySide6.QtCore import QObject, QThread, Signal, Slot

from gmmviz.core.errors import GmmvizError

log = logging.getLogger(__name__)

Job = Callable[["RunToken"], Iterator[object]]


class RunToken:
    """The cancellation flag of one run, shared by the GUI and the worker (thread-safe).

    A job that works through a callback rather than by yielding (a file
    reader reporting progress, say) hands items over with :meth:`report`;
    they arrive as ``yielded`` like yielded ones.
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self._report: Callable[[object], None] | None = None  # set by the worker for the run

    def report(self, item: object) -> None:
        """Send ``item`` (immutable) to the GUI thread now; call it from the job only."""
        if self._report is not None and not self.cancelled:
            self._report(item)

    @property
    def cancelled(self) -> bool:
        return self._event.is_set() or QThread.currentThread().isInterruptionRequested()

    def cancel(self) -> None:
        self._event.set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``, waking at once on cancellation; True if cancelled."""
        return self._event.wait(seconds) or self.cancelled


class Cancelled(Exception):
    """Raised by a job that notices its token is set in the middle of its work."""


class Pacer:
    """How far ahead a job may compute, set by the GUI and read by the job (thread-safe).

    ``horizon`` is the last item index worth computing now; ``pause`` the
    seconds to rest after each item (to leave the GUI thread the CPU and
    the GIL while it animates).
    """

    UNBOUNDED = 1 << 62

    def __init__(self, horizon: int = UNBOUNDED, pause: float = 0.0) -> None:
        self._cond = threading.Condition()
        self._horizon = horizon
        self._pause = pause

    @property
    def horizon(self) -> int:
        with self._cond:
            return self._horizon

    @property
    def pause(self) -> float:
        with self._cond:
            return self._pause

    def set_horizon(self, horizon: int) -> None:
        with self._cond:
            self._horizon = horizon
            self._cond.notify_all()

    def raise_horizon(self, horizon: int) -> None:
        """Move the horizon forward only."""
        with self._cond:
            if horizon > self._horizon:
                self._horizon = horizon
                self._cond.notify_all()

    def set_pause(self, seconds: float) -> None:
        with self._cond:
            self._pause = seconds
            self._cond.notify_all()

    def wake(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def wait_for(self, index: int, token: RunToken) -> bool:
        """Block while ``index`` is beyond the horizon; False if the run was cancelled."""
        with self._cond:
            while index > self._horizon and not token.cancelled:
                self._cond.wait(0.05)
        return not token.cancelled

    def rest(self, token: RunToken) -> None:
        """Rest ``pause`` seconds (woken early by a change or a cancel)."""
        with self._cond:
            if self._pause > 0 and not token.cancelled:
                self._cond.wait(self._pause)


@dataclass(frozen=True)
class _Request:
    run_id: int
    job: Job
    token: RunToken


class _Worker(QObject):
    """Drains jobs in the thread it was moved to; talks only through signals."""

    yielded = Signal(int, object)
    finished = Signal(int)
    cancelled = Signal(int)
    failed = Signal(int, str)

    def __init__(self, what: str):
        super().__init__()
        self._what = what

    @Slot(object)
    def run(self, request: _Request) -> None:
        run_id, token = request.run_id, request.token
        token._report = lambda item: self.yielded.emit(run_id, item)
        if token.cancelled:
            self.cancelled.emit(run_id)
            return
        try:
            for item in request.job(token):
                if token.cancelled:
                    self.cancelled.emit(run_id)
                    return
                self.yielded.emit(run_id, item)
        except Cancelled:
            self.cancelled.emit(run_id)
            return
        except GmmvizError as exc:
            self.failed.emit(run_id, str(exc))
            return
        except Exception as exc:  # a bug must not take the window down
            log.error("%s failed:\n%s", self._what, traceback.format_exc())
            self.failed.emit(run_id, f"{self._what} failed ({type(exc).__name__}: {exc}). "
                                     "Your data are unchanged; try again or change a setting.")
            return
        if token.cancelled:
            self.cancelled.emit(run_id)
        else:
            self.finished.emit(run_id)


# Every live controller, so that an interpreter exiting without closing its
# windows still joins the worker threads before PySide tears Qt down
# ("QThread: Destroyed while thread is still running" aborts the process).
_LIVE: "weakref.WeakSet[RunController]" = weakref.WeakSet()


@atexit.register
def _join_all() -> None:
    for controller in list(_LIVE):
        controller.shutdown()


class RunController(QObject):
    """Runs one job at a time in a worker thread of its own (see the module docstring).

    Parameters
    ----------
    what : str
        What the jobs compute, for messages ("The EM computation").
    name : str
        The thread's name (seen in debuggers).

    Signals
    -------
    started(int)
        A run id was submitted.
    yielded(int, object)
        Run id and an item of the current run.
    finished(int)
        The current run's generator is exhausted.
    cancelled(int)
        The run stopped because it was cancelled (also for a run superseded
        by a newer one, so every started run gets exactly one ending).
    failed(int, str)
        Run id and a readable message.
    """

    started = Signal(int)
    yielded = Signal(int, object)
    finished = Signal(int)
    cancelled = Signal(int)
    failed = Signal(int, str)
    _request = Signal(object)

    def __init__(self, what: str = "The computation", name: str = "gmmviz-worker",
                 parent: QObject | None = None):
        super().__init__(parent)
        self._run_id = 0
        self._live: dict[int, RunToken] = {}  # runs submitted and not cancelled, whose ending is due
        self._what, self._name = what, name
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        _LIVE.add(self)

    # -- state ------------------------------------------------------------
    @property
    def run_id(self) -> int:
        """The id of the current (latest) run; 0 before the first."""
        return self._run_id

    @property
    def busy(self) -> bool:
        """A run that was not cancelled has not reported its ending yet."""
        return bool(self._live)

    def is_alive(self) -> bool:
        """Is the worker thread running?  It starts with the first run and
        again with the first run after a :meth:`shutdown`."""
        return self._thread is not None and self._thread.isRunning()

    def _start_thread(self) -> None:
        self._thread = QThread()
        self._thread.setObjectName(self._name)
        self._worker = _Worker(self._what)
        self._worker.moveToThread(self._thread)
        self._request.connect(self._worker.run)
        self._worker.yielded.connect(self._on_yielded)
        self._worker.finished.connect(self._on_finished)
        self._worker.cancelled.connect(self._on_cancelled)
        self._worker.failed.connect(self._on_failed)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()

    # -- commands ---------------------------------------------------------
    def submit(self, job: Job, *, queue: bool = False) -> int:
        """Start ``job``; returns its run id.

        By default the runs in progress are cancelled first (a newer EM run
        supersedes the old one).  With ``queue=True`` the job waits for
        them instead and they all stay current (file writes are never cut
        short).
        """
        if not queue:
            self.cancel()
        if not self.is_alive():
            self._start_thread()
        self._run_id += 1
        token = RunToken()
        self._live[self._run_id] = token
        self.started.emit(self._run_id)
        self._request.emit(_Request(self._run_id, job, token))
        return self._run_id

    def cancel(self, run_id: int | None = None) -> None:
        """Ask run ``run_id`` (default: every run in progress) to stop; nothing
        more of it is reported but its ``cancelled``."""
        ids = list(self._live) if run_id is None else [run_id]
        for i in ids:
            token = self._live.pop(i, None)
            if token is not None:
                token.cancel()

    def shutdown(self) -> None:
        """Cancel, stop the thread and wait for it (window close, interpreter exit)."""
        self.cancel()
        if not self.is_alive():
            return
        self._thread.requestInterruption()
        self._thread.quit()
        self._thread.wait()
        self._thread, self._worker = None, None

    # -- from the worker (GUI thread) --------------------------------------
    def is_current(self, run_id: int) -> bool:
        """Is ``run_id`` in progress and not cancelled?"""
        return run_id in self._live

    @Slot(int, object)
    def _on_yielded(self, run_id: int, item: object) -> None:
        if run_id in self._live:
            self.yielded.emit(run_id, item)

    @Slot(int)
    def _on_finished(self, run_id: int) -> None:
        if self._live.pop(run_id, None) is not None:
            self.finished.emit(run_id)
        else:
            self.cancelled.emit(run_id)  # it ended before it saw the cancel

    @Slot(int)
    def _on_cancelled(self, run_id: int) -> None:
        self._live.pop(run_id, None)
        self.cancelled.emit(run_id)

    @Slot(int, str)
    def _on_failed(self, run_id: int, message: str) -> None:
        if self._live.pop(run_id, None) is not None:
            self.failed.emit(run_id, message)
        else:
            self.cancelled.emit(run_id)
