"""Importing files: the column chooser, and file drops on the window.

The reading itself is :mod:`gmmviz.qt.files.tasks`'s.
"""

from __future__ import annotations

import html
import logging
import os
from typing import Callable

from PySide6.QtCore import (
    QEvent,
    QObject,
    QTimer,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGraphicsView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gmmviz.core.errors import GmmvizError
from gmmviz.core.io.csv_preview import ColumnGuess, sniff_columns, suggest_columns

log = logging.getLogger(__name__)

NO_LABELS = -1


def columns_for(parent: QWidget, path: str, name: str, ask: bool):
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
    """The first existing local file (not a folder) a drag carries, or None.

    A FIFO, a device or a socket is accepted here (checked by name only, never
    opened), so that the reader refuses it with one message instead of the drop
    being silently ignored."""
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return None
    for url in mime.urls():
        path = url.toLocalFile() if url.isLocalFile() else ""
        if path and os.path.exists(path) and not os.path.isdir(path):
            return path
    return None
