"""File work in the background: reads with a cancellable progress dialog, and writes.

A task is ``task(progress) -> result``, where ``progress(fraction)`` returns
False once the user has cancelled (the readers then raise
:class:`~gmmviz.core.io.csv_read.ImportCancelled`).  :class:`TaskRunner`
runs tasks one after the other on a :class:`~gmmviz.qt.runs.RunController`
(queued: a write is never cut short by the next task) and calls each
task's callback in the GUI thread with ``(status, payload)``.
"""

from __future__ import annotations

import logging
import os
import traceback
from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QProgressDialog, QWidget

from gmmviz.core.errors import GmmvizError
from gmmviz.core.io.csv_read import ImportCancelled
from gmmviz.core.io.points import read_points
from gmmviz.qt.files.import_dialog import columns_for
from gmmviz.qt.runs import RunController

log = logging.getLogger(__name__)

#: Files at least this big are read in the background with a progress dialog.
BACKGROUND_BYTES = 2 << 20


@dataclass(frozen=True)
class Progress:
    fraction: float


@dataclass(frozen=True)
class Outcome:
    status: str  # "done", "failed" or "cancelled"
    payload: object


def read_file(parent: QWidget, runner: "TaskRunner", path: str, *, session=None, ask_columns: bool):
    """Read a session (with ``session(path, progress)``, the session lab's reader)
    or, without one, a CSV of points; never raises.

    Returns
    -------
    (status, payload)
        ``("done", Session or LoadedData)``, ``("failed", message)`` or
        ``("cancelled", None)`` (the column chooser or the progress dialog).
    """
    name = os.path.basename(path)
    if session is not None:
        task = lambda progress: session(path, progress)  # noqa: E731
    else:
        columns = columns_for(parent, path, name, ask_columns)
        if columns is False:
            return "cancelled", None
        task = lambda progress: read_points(path, columns=columns, progress=progress)  # noqa: E731
    try:
        big = os.path.getsize(path) >= BACKGROUND_BYTES
    except OSError:
        big = False
    if big:
        return runner.run_modal(task, f"Reading {name}…", parent)
    return run_task(task, None)


def run_task(task: Callable, progress) -> tuple[str, object]:
    """``task(progress)`` as ``(status, payload)``, never raising.

    Returns
    -------
    (status, payload)
        ``("done", result)``, ``("failed", message)`` or ``("cancelled", None)``.
    """
    try:
        result = task(progress)
    except ImportCancelled:
        return "cancelled", None
    except GmmvizError as exc:
        return "failed", str(exc)
    except MemoryError:
        return "failed", "not enough memory for this file"
    except Exception as exc:  # a bug must not show a traceback to the class, nor take the window down
        log.error("file task failed:\n%s", traceback.format_exc())
        return "failed", f"internal error ({type(exc).__name__}: {exc}); please report it"
    return "done", result




def task_job(task: Callable):
    """A run-controller job for ``task``: its progress, then its :class:`Outcome`."""

    def job(token):
        def progress(fraction: float) -> bool:
            token.report(Progress(float(fraction)))
            return not token.cancelled

        yield Outcome(*run_task(task, progress))

    return job


class TaskRunner(QObject):
    """File work in a background thread, results delivered in the GUI thread.

    Signals
    -------
    progressed(int, float)
        Task id and fraction done (GUI thread).
    """

    progressed = Signal(int, float)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.runs = RunController("The file task", "gmmviz-file-worker", self)
        self._callbacks: dict[int, Callable[[str, object], None]] = {}
        self.dialog: QProgressDialog | None = None
        self.runs.yielded.connect(self._on_item)
        self.runs.cancelled.connect(self._on_cancelled)
        self.runs.failed.connect(self._on_failed)

    def submit(self, task: Callable, callback: Callable[[str, object], None]) -> int:
        """Run ``task(progress)`` in the background; ``callback(status, payload)`` gets the outcome."""
        task_id = self.runs.submit(task_job(task), queue=True)
        self._callbacks[task_id] = callback
        return task_id

    def cancel(self, task_id: int) -> None:
        self.runs.cancel(task_id)

    def _deliver(self, task_id: int, status: str, payload: object) -> None:
        callback = self._callbacks.pop(task_id, None)
        if callback is not None:
            callback(status, payload)

    @Slot(int, object)
    def _on_item(self, task_id: int, item: object) -> None:
        if isinstance(item, Progress):
            self.progressed.emit(task_id, item.fraction)
        else:
            self._deliver(task_id, item.status, item.payload)

    @Slot(int)
    def _on_cancelled(self, task_id: int) -> None:
        self._deliver(task_id, "cancelled", None)

    @Slot(int, str)
    def _on_failed(self, task_id: int, message: str) -> None:
        self._deliver(task_id, "failed", message)

    def run_modal(self, task: Callable, label: str, parent: QWidget, *, show_after_ms: int = 250):
        """Run ``task`` with a window-modal progress dialog; returns (status, payload)."""
        outcome: list = []
        loop = QEventLoop()
        dialog = QProgressDialog(label, "Cancel", 0, 1000, parent)
        dialog.setWindowTitle("gmmviz")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(show_after_ms)
        self.dialog = dialog
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        task_id = self.submit(task, lambda status, payload: (outcome.append((status, payload)), loop.quit()))
        cancel = dialog.canceled.connect(lambda: (self.cancel(task_id), dialog.setLabelText("Cancelling…")))
        track = self.progressed.connect(lambda tid, f: dialog.setValue(int(f * 1000)) if tid == task_id else None)
        try:
            if not outcome:
                loop.exec()
        finally:
            self.progressed.disconnect(track)
            dialog.canceled.disconnect(cancel)
            dialog.close()
            dialog.deleteLater()
            self.dialog = None
            QGuiApplication.restoreOverrideCursor()
        return outcome[0]

    def shutdown(self) -> None:
        """Finish the task in progress (writes are never cut short) and stop the thread."""
        self.runs.shutdown()
        self._callbacks.clear()
