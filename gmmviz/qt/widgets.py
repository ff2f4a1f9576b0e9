"""Small widget helpers shared by the shell's and the labs' dialogs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QToolBar


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
