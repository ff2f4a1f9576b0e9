"""A message bar above the canvas: one readable message, never a traceback."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton

STYLES = {
    "info": ("#e8f1fb", "#0b4f8a"),
    "warning": ("#fff4d6", "#7a4b00"),
    "error": ("#fde7e4", "#9a1c0c"),
}


class Banner(QFrame):
    """Shows one message at a time with a close button."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.clear)
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "info") -> None:
        bg, fg = STYLES.get(kind, STYLES["info"])
        self.setStyleSheet(f"QFrame#banner {{ background: {bg}; border: 1px solid {fg}; border-radius: 4px; }}"
                           f" QLabel {{ color: {fg}; }}")
        self.label.setText(text)
        self.kind = kind
        self.show()

    def clear(self) -> None:
        self.kind = ""
        self.label.clear()
        self.hide()

    def clear_problems(self) -> None:
        """Clear a warning or an error (a new run makes them obsolete); an info stays to be read."""
        if self.kind in ("warning", "error"):
            self.clear()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
