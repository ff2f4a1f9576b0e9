"""Small widget helpers shared by the shell's and the labs' dialogs."""

from __future__ import annotations

import os

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QMessageBox,
    QScrollArea,
    QToolBar,
    QVBoxLayout,
    QWidget,
)


def ask_yes(parent: QWidget, title: str, text: str, *, default: bool = True) -> bool:
    """A yes/no question with ``default`` preselected; headless test runs (``GMMVIZ_TEST``)
    take the default without asking."""
    if os.environ.get("GMMVIZ_TEST"):
        return default
    buttons = QMessageBox.StandardButton
    answer = QMessageBox.question(parent, title, text, buttons.Yes | buttons.No,
                                  buttons.Yes if default else buttons.No)
    return answer == buttons.Yes


def ok_cancel(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    """An OK button named ``ok_text`` (kept as ``dialog.ok``) and Cancel, wired to accept and reject."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    dialog.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.ok.setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def fixed_toolbar(title: str, name: str) -> QToolBar:
    """A toolbar that stays put, its buttons with text beside the icon (``name``: its objectName)."""
    tb = QToolBar(title)
    tb.setObjectName(name)
    tb.setMovable(False)
    tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    return tb


class FocusBack(QObject):
    """Enter or Escape in a field hands the keyboard back to ``target`` (the canvas), once
    the field has taken the Enter: the next "2" picks a class, "E" steps, Ctrl+Z undoes
    the points, instead of editing the field again."""

    KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)

    def __init__(self, target: QWidget, fields, parent: QObject | None = None):
        super().__init__(parent or target)
        self._target = target
        for field in fields:
            field.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.KeyPress and event.key() in self.KEYS:
            QTimer.singleShot(0, self, self._give_back)
        return False

    def _give_back(self) -> None:
        self._target.setFocus(Qt.FocusReason.OtherFocusReason)


def banner_column(banner: QWidget, canvas: QWidget) -> QWidget:
    """A lab's canvas with its message strip above it, as one widget."""
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(banner)
    layout.addWidget(canvas, 1)
    return column


class ValueLabel(QLabel):
    """A label for a changing value, at least as wide as ``template`` in its current font, at every
    text scale: the value never shifts its neighbours and is never cut off (a width in pixels was
    right at one scale only)."""

    def __init__(self, template: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._template = template

    def _wide(self, hint: QSize) -> QSize:
        return QSize(max(hint.width(), self.fontMetrics().horizontalAdvance(self._template) + 2), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self._wide(super().minimumSizeHint())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self._wide(super().sizeHint())


def scroll_width(scroll: QScrollArea) -> int:
    """The width ``scroll`` needs to show its widget whole, beside a vertical scroll bar (no
    horizontal one): its widget's minimum width in the current font, the bar and the frame."""
    return (scroll.widget().minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
            + 2 * scroll.frameWidth())


def side_panel(rows, width: tuple[int, int]) -> tuple[QScrollArea, dict]:
    """A scrolling column of group boxes from ``rows`` of (key, title, widget), ``width`` (min, max) px;
    returns the scroll area and the group boxes by key."""
    box = QWidget()
    v = QVBoxLayout(box)
    groups: dict[str, QGroupBox] = {}
    for key, title, widget in rows:
        group = QGroupBox(title)
        gl = QVBoxLayout(group)
        gl.setContentsMargins(6, 6, 6, 6)
        gl.addWidget(widget)
        v.addWidget(group)
        groups[key] = group
    v.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidget(box)
    scroll.setWidgetResizable(True)
    scroll.setMinimumWidth(width[0])
    scroll.setMaximumWidth(width[1])
    return scroll, groups
