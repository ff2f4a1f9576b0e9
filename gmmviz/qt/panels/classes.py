"""The class list: colour swatch, name and point count; the current class."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from gmmviz.core.types import Dataset


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


class ClassesPanel(QWidget):
    """Shows the classes of a :class:`Dataset` and which one new points get.

    Signals
    -------
    current_changed(int)
        The class index now selected for new points.
    rename_requested(int, str)
        The user edited a class name in place.
    """

    current_changed = Signal(int)
    rename_requested = Signal(int, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._current = 0
        self._updating = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setIconSize(QSize(16, 16))
        self.list.setToolTip("Keys 1–9 pick the class of new points; double-click a name to rename it")
        layout.addWidget(self.list)
        self.list.currentRowChanged.connect(self._row_changed)
        self.list.itemChanged.connect(self._item_changed)

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
            item = QListWidgetItem(swatch(info.color), f"{info.name}")
            item.setData(Qt.ItemDataRole.UserRole, info.name)
            item.setText(f"{info.name}  ({count})")
            item.setToolTip(f"Key {i + 1}" if i < 9 else "")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.list.addItem(item)
        self._current = min(current, max(0, len(dataset.classes) - 1))
        self.list.setCurrentRow(self._current)
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
        if text and text != item.data(Qt.ItemDataRole.UserRole):
            self.rename_requested.emit(row, text)
