"""The lesson note: one paragraph above the canvas saying what to watch for.

Separate from the studio's :class:`~gmmviz.qt.banner.Banner` (which is for
errors and warnings of a run), so a collapse warning never hides the lesson
and the lesson never hides a warning.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from gmmviz.qt.banner import message_colors

BODY_PT = 11.5


class LessonNote(QFrame):
    """A dismissable note: a paragraph that starts with a bold title.

    Signals
    -------
    dismissed()
        The close button was pressed (the note is hidden).
    """

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("lessonNote")
        self.restyle()
        self._title = self._text = ""
        self._build_ui()
        self.hide()

    def _build_ui(self) -> None:
        self.body = QLabel()
        self.body.setObjectName("lessonBody")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.set_scale(1.0)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Hide the note (Data ▸ Show Lesson Note brings it back)")
        close.clicked.connect(self._dismiss)
        self.close_button = close
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 6, 6)
        row.addWidget(self.body, 1)
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)

    def restyle(self) -> None:
        """Colours for the current theme (the lab calls it on a theme change)."""
        bg, ink = message_colors("note")
        if getattr(self, "_styled", None) == (bg, ink):
            return  # (setting the style sheet sends a palette change of its own)
        self._styled = (bg, ink)
        self.setStyleSheet(f"QFrame#lessonNote {{ background: {bg}; border: 1px solid {ink};"
                           f" border-left: 5px solid {ink}; border-radius: 4px; }}"
                           f" QFrame#lessonNote QLabel {{ color: {ink}; background: transparent; border: none; }}")


    def set_scale(self, factor: float) -> None:
        """Bigger text for a projector (1.0 = normal)."""
        font = self.body.font()
        font.setPointSizeF(BODY_PT * factor)
        self.body.setFont(font)

    def show_note(self, title: str, text: str) -> None:
        """Show "**title.** text" (plain strings; they are escaped)."""
        self._title, self._text = title, text
        self.body.setText(f"<b>{html.escape(title)}.</b>&nbsp; {html.escape(text)}")
        self.show()

    @property
    def title(self) -> str:
        return self._title

    def text(self) -> str:
        """The paragraph on screen, or "" when hidden."""
        return self._text if self.isVisible() else ""

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()
