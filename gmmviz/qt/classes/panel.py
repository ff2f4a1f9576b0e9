"""The class list: colour swatch, name and point count; the current class.

Below the list, buttons add and remove classes; a right click on a class
offers Rename, Recolour… and Remove…; a double click renames in place.
The panel only asks (signals): the window's class editor decides and
pushes the undoable commands.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QStyledItemDelegate,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gmmviz.core.data import Dataset

NAME_ROLE = Qt.ItemDataRole.UserRole


def swatch(color: str, size: int = 16) -> QIcon:
    """A round colour swatch with a dark rim (visible on light and dark themes)."""
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QColor("#333333"))
    p.setBrush(QColor(color))
    p.drawEllipse(1, 1, size - 2, size - 2)
    p.end()
    icon = QIcon(pm)
    icon.addPixmap(pm, QIcon.Mode.Selected)  # no highlight tint: the colour is the message
    return icon


class _NameDelegate(QStyledItemDelegate):
    """Edits the class name alone (the row shows "name  (count)")."""

    def setEditorData(self, editor, index) -> None:  # noqa: N802 (Qt API)
        editor.setText(index.data(NAME_ROLE) or "")


class ClassesPanel(QWidget):
    """Shows the classes of a :class:`Dataset` and which one new points get.

    Signals
    -------
    current_changed(int)
        The class index now selected for new points.
    rename_requested(int, str)
        The user edited a class name in place.
    add_requested()
        The Add button.
    remove_requested(int)
        Remove this class (button or context menu).
    recolour_requested(int)
        Pick a new colour for this class (context menu).
    """

    current_changed = Signal(int)
    rename_requested = Signal(int, str)
    add_requested = Signal()
    remove_requested = Signal(int)
    recolour_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._current = 0
        self._updating = False
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setIconSize(QSize(16, 16))
        self.list.setItemDelegate(_NameDelegate(self.list))
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.setToolTip("Keys 1–9 pick the class of new points; double-click a name to rename it;"
                            " right-click to recolour or remove")
        layout.addWidget(self.list)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.add_button = QToolButton(text="+ Add class")
        self.add_button.setToolTip("Add a class with the next colour (Ctrl+Shift+N)")
        self.remove_button = QToolButton(text="− Remove")
        self.remove_button.setToolTip("Remove the current class and its points (undoable)")
        for b in (self.add_button, self.remove_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setAutoRaise(True)
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)

    def _connect(self) -> None:
        self.list.currentRowChanged.connect(self._row_changed)
        self.list.itemChanged.connect(self._item_changed)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.add_button.clicked.connect(self.add_requested)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self._current))

    @property
    def current(self) -> int:
        return self._current

    def set_dataset(self, dataset: Dataset) -> None:
        """Rebuild the list; the current class survives (rebuilding must not
        move it: Qt selects rows on its own while items are added)."""
        counts = dataset.counts() if dataset.classes else np.zeros(0, dtype=int)
        current = self._current
        self._updating = True
        self.list.clear()
        for i, (info, count) in enumerate(zip(dataset.classes, counts)):
            item = QListWidgetItem(swatch(info.color), f"{info.name}  ({count})")
            item.setData(NAME_ROLE, info.name)
            item.setToolTip(f"Key {i + 1}" if i < 9 else "")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.list.addItem(item)
        self._current = min(current, max(0, len(dataset.classes) - 1))
        self.list.setCurrentRow(self._current)
        self.remove_button.setEnabled(len(dataset.classes) > 1)
        self._updating = False

    def set_current(self, index: int) -> None:
        if 0 <= index < self.list.count():
            self.list.setCurrentRow(index)

    def _row_changed(self, row: int) -> None:
        if row >= 0 and not self._updating:
            self._current = row
            self.current_changed.emit(row)

    def _item_changed(self, item: QListWidgetItem) -> None:
        if self._updating:
            return
        row = self.list.row(item)
        text = item.text().split("  (")[0].strip()
        if text and text != item.data(NAME_ROLE):
            # Later, not now: the rename rebuilds this list, and deleting the item
            # while its editor is still committing crashes Qt.
            QTimer.singleShot(0, self, lambda: self.rename_requested.emit(row, text))

    def context_menu_for(self, row: int) -> QMenu:
        """The menu a right click on class ``row`` shows (built fresh, for tests too)."""
        menu = QMenu(self)
        menu.addAction("Rename", lambda: self.list.editItem(self.list.item(row)))
        menu.addAction("Recolour…", lambda: self.recolour_requested.emit(row))
        remove = menu.addAction("Remove…", lambda: self.remove_requested.emit(row))
        remove.setEnabled(self.list.count() > 1)
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        if item is None:
            return
        row = self.list.row(item)
        self.set_current(row)
        self.context_menu_for(row).exec(self.list.viewport().mapToGlobal(pos))
