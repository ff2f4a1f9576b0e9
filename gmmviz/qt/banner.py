"""A message bar above the canvas: one readable message, never a traceback."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton

#: Background and ink of each kind of message, on a light and on a dark window.
STYLES = {
    "info": (("#e8f1fb", "#0b4f8a"), ("#12293d", "#a9d4ff")),
    "warning": (("#fff4d6", "#7a4b00"), ("#3a2d08", "#ffd67a")),
    "error": (("#fde7e4", "#9a1c0c"), ("#3e1511", "#ffab9e")),
    "note": (("#eef5ec", "#1f3b1c"), ("#15281a", "#b6e3b0")),
}


def message_colors(kind: str) -> tuple[str, str]:
    """(background, ink) of a ``kind`` message on the application's theme: dark themes get dark
    boxes.  (The widget's own palette is not asked: its style sheet colours it.)"""
    light, dark = STYLES.get(kind, STYLES["info"])
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return dark if window.lightnessF() < 0.5 else light


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
        self._styled: tuple[str, str] | None = None
        self.hide()

    def show_message(self, text: str, kind: str = "info") -> None:
        self.kind = kind
        self.restyle()
        self.label.setText(text)
        self.show()

    def restyle(self) -> None:
        """Colours for the current theme (the lab calls it on a theme change)."""
        bg, fg = message_colors(self.kind or "info")
        if self._styled == (bg, fg):
            return  # (setting the style sheet sends a palette change of its own)
        self._styled = (bg, fg)
        self.setStyleSheet(f"QFrame#banner {{ background: {bg}; border: 1px solid {fg}; border-radius: 4px; }}"
                           f" QLabel {{ color: {fg}; }}")


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
