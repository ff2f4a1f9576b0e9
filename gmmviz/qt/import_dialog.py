"""Importing files: the column chooser, and file work in a background thread
with a progress dialog that can cancel it.

Threads (PITFALLS): the :class:`_FileWorker` lives in its own QThread and
reports through signals; :class:`TaskRunner`, a QObject of the GUI thread,
receives them in ``@Slot`` methods and calls the callbacks there.
Cancellation is cooperative: the task's ``progress(fraction)`` returns
False, the reader raises :class:`~gmmviz.core.io.ImportCancelled`.
"""

from __future__ import annotations

import html
import logging
import os
import threading
import traceback
from typing import Callable

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGraphicsView,
    QLabel,
    QProgressDialog,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gmmviz.core.csvio import ImportCancelled
from gmmviz.core.csvsniff import ColumnGuess, sniff_columns, suggest_columns
from gmmviz.core.errors import GmmvizError

log = logging.getLogger(__name__)

NO_LABELS = -1
#: Files at least this big are read in the background with a progress dialog.
BACKGROUND_BYTES = 2 << 20


def read_file(parent: QWidget, runner: "TaskRunner", path: str, *, session: bool, ask_columns: bool):
    """Read a session or a CSV of points, never raising.

    Returns
    -------
    (status, payload)
        ``("done", Session or Dataset)``, ``("failed", message)`` or
        ``("cancelled", None)`` (the column chooser or the progress dialog).
    """
    name = os.path.basename(path)
    if session:
        from gmmviz.core.session import read_session

        task = lambda progress: read_session(path, progress=progress)  # noqa: E731
    else:
        columns = _columns_for(parent, path, name, ask_columns)
        if columns is False:
            return "cancelled", None
        from gmmviz.core.io import read_dataset

        task = lambda progress: read_dataset(path, columns=columns, progress=progress)  # noqa: E731
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


def _columns_for(parent: QWidget, path: str, name: str, ask: bool):
    """Columns to read (None: the defaults), or False if the user cancelled."""
    try:
        guess = sniff_columns(path)
    except GmmvizError:
        return None  # the full read names the problem
    if guess.n_columns <= 3 or not ask:
        return None
    chosen = choose_columns(parent, guess, name)
    return False if chosen is None else chosen


class ColumnDialog(QDialog):
    """Choose the x, y and (optional) label columns of a CSV file."""

    def __init__(self, guess: ColumnGuess, file_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.guess = guess
        self.setWindowTitle(f"Import {file_name}")
        self._build_ui(file_name)

    def _build_ui(self, file_name: str) -> None:
        g = self.guess
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{html.escape(file_name)}</b> has {g.n_columns} columns. "
                                "Choose the ones that hold the points and their classes."))
        form = QFormLayout()
        self.x, self.y, self.label = QComboBox(), QComboBox(), QComboBox()
        self.label.addItem("(none: one class)", NO_LABELS)
        for combo in (self.x, self.y, self.label):
            for i, name in enumerate(g.names):
                combo.addItem(f"{i + 1}: {name}", i)
        x, y, label = suggest_columns(g)
        self.x.setCurrentIndex(x)
        self.y.setCurrentIndex(y)
        self.label.setCurrentIndex(0 if label is None else label + 1)
        form.addRow("x", self.x)
        form.addRow("y", self.y)
        form.addRow("Class label", self.label)
        layout.addLayout(form)
        layout.addWidget(self._preview())
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020;")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        for combo in (self.x, self.y, self.label):
            combo.currentIndexChanged.connect(self._check)
        self._check()

    def _preview(self) -> QTableWidget:
        g = self.guess
        table = QTableWidget(len(g.preview), g.n_columns)
        table.setHorizontalHeaderLabels(list(g.names))
        for r, row in enumerate(g.preview):
            for c, text in enumerate(row[: g.n_columns]):
                table.setItem(r, c, QTableWidgetItem(text))
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.resizeColumnsToContents()
        height = table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(len(g.preview)))
        table.setMinimumHeight(min(height + 2 * table.frameWidth() + 20, 260))
        table.setMinimumWidth(520)
        return table

    def columns(self) -> tuple[int, ...]:
        """The chosen columns, 1-based: (x, y) or (x, y, label)."""
        chosen = (self.x.currentData() + 1, self.y.currentData() + 1)
        label = self.label.currentData()
        return chosen if label == NO_LABELS else chosen + (label + 1,)

    def _check(self) -> None:
        cols = self.columns()
        problem = "" if len(set(cols)) == len(cols) else "Choose a different column for each."
        self.problem.setText(problem)
        self.ok.setEnabled(not problem)

    def _accept_if_valid(self) -> None:
        if self.ok.isEnabled():
            self.accept()


def choose_columns(parent: QWidget, guess: ColumnGuess, file_name: str) -> tuple[int, ...] | None:
    """Show the chooser; the chosen 1-based columns, or None if cancelled."""
    dialog = ColumnDialog(guess, file_name, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.columns()
    finally:
        dialog.deleteLater()


class FileDrops(QObject):
    """Accepts a local file dropped on ``window`` (or any plot in it) and
    hands its path to ``on_drop``."""

    def __init__(self, window: QWidget, on_drop: Callable[[str], None]):
        super().__init__(window)
        self._on_drop = on_drop
        self._window = window
        window.setAcceptDrops(True)
        window.installEventFilter(self)
        self.watch_children()
        QTimer.singleShot(0, self, self.watch_children)  # and what the other controllers add

    def watch_children(self) -> None:
        """Catch file drops on child widgets that take drops themselves (plots, text fields)."""
        for view in self._window.findChildren(QGraphicsView):
            view.viewport().installEventFilter(self)
        for widget in self._window.findChildren(QWidget):
            if widget.acceptDrops():
                widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            path = dropped_file(event)
            if path is not None:
                event.acceptProposedAction()
                if kind == QEvent.Type.Drop:
                    self._on_drop(path)
                return True
        return super().eventFilter(obj, event)


def dropped_file(event) -> str | None:
    """The first existing local file a drag carries, or None."""
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and os.path.isfile(url.toLocalFile()):
            return url.toLocalFile()
    return None


# --------------------------------------------------------------------------
# Background file work
# --------------------------------------------------------------------------


class _FileWorker(QObject):
    """Runs ``task(progress)`` callables in the thread it was moved to.

    Signals
    -------
    progressed(int, float)
        Task id, fraction done.
    done(int, str, object)
        Task id, ``"done"`` / ``"failed"`` / ``"cancelled"``, and the result
        or the message.
    """

    progressed = Signal(int, float)
    done = Signal(int, str, object)

    def __init__(self):
        super().__init__()
        self._cancelled: set[int] = set()
        self._guard = threading.Lock()

    def cancel(self, task_id: int) -> None:
        with self._guard:
            self._cancelled.add(task_id)

    def _wanted(self, task_id: int) -> bool:
        with self._guard:
            return task_id not in self._cancelled

    @Slot(int, object)
    def run(self, task_id: int, task: Callable) -> None:
        def progress(fraction: float) -> bool:
            self.progressed.emit(task_id, float(fraction))
            return self._wanted(task_id)

        if self._wanted(task_id):
            status, payload = run_task(task, progress)
        else:
            status, payload = "cancelled", None  # cancelled before it started
        self.done.emit(task_id, status, payload)


class TaskRunner(QObject):
    """File work in a background thread, results delivered in the GUI thread.

    Tasks run one after the other; the thread is started for the first and
    joined when none is left (and at :meth:`shutdown`).

    Signals
    -------
    progressed(int, float)
        Task id and fraction done (GUI thread).
    """

    progressed = Signal(int, float)
    _request = Signal(int, object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: _FileWorker | None = None
        self._next = 0
        self._callbacks: dict[int, Callable[[str, object], None]] = {}

    def _start(self) -> None:
        self._thread = QThread()
        self._thread.setObjectName("gmmviz-file-worker")
        self._worker = _FileWorker()
        self._worker.moveToThread(self._thread)
        self._request.connect(self._worker.run)
        self._worker.progressed.connect(self._on_progress)
        self._worker.done.connect(self._on_done)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()

    def submit(self, task: Callable, callback: Callable[[str, object], None]) -> int:
        """Run ``task(progress)`` in the background; ``callback(status, payload)`` gets the outcome."""
        if self._thread is None:
            self._start()
        self._next += 1
        self._callbacks[self._next] = callback
        self._request.emit(self._next, task)
        return self._next

    def cancel(self, task_id: int) -> None:
        if self._worker is not None:
            self._worker.cancel(task_id)

    @Slot(int, float)
    def _on_progress(self, task_id: int, fraction: float) -> None:
        self.progressed.emit(task_id, fraction)

    @Slot(int, str, object)
    def _on_done(self, task_id: int, status: str, payload: object) -> None:
        callback = self._callbacks.pop(task_id, None)
        if not self._callbacks:
            self.shutdown()  # the thread lives only while there is work: none outlives its window
        if callback is not None:
            callback(status, payload)

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
        if self._thread is None:
            return
        self._thread.quit()
        self._thread.wait()
        self._thread = None
        self._worker = None
        self._callbacks.clear()
