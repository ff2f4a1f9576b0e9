"""The message strip above a lab's canvas: one readable message, never a traceback.

One widget holds what the window has to say above the canvas: a message (a
run's warning or error, an information) and a scene's lesson note.  They
share one box and show one at a time, so two of them never stack and halve
the canvas: the newest message shows, and a "+1" button flips to the other;
closing the one on screen brings the other back.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

#: Background and ink of each kind of message, on a light and on a dark window.
STYLES = {
    "info": (("#e8f1fb", "#0b4f8a"), ("#12293d", "#a9d4ff")),
    "warning": (("#fff4d6", "#7a4b00"), ("#3a2d08", "#ffd67a")),
    "error": (("#fde7e4", "#9a1c0c"), ("#3e1511", "#ffab9e")),
    "note": (("#eef5ec", "#1f3b1c"), ("#15281a", "#b6e3b0")),
}
#: Text size of the strip at scale 1 (points); the presentation scale multiplies it.
BODY_PT = 11.5
NOTE, MESSAGE = "note", "message"


def message_colors(kind: str) -> tuple[str, str]:
    """(background, ink) of a ``kind`` message on the application's theme: dark themes get dark
    boxes.  (The widget's own palette is not asked: its style sheet colours it.)"""
    light, dark = STYLES.get(kind, STYLES["info"])
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return dark if window.lightnessF() < 0.5 else light


def _button(text: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setAutoRaise(True)
    button.setToolTip(tip)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays with the canvas
    return button


class Banner(QFrame):
    """A message and a lesson note, one at a time in one box, with a close button.

    Signals
    -------
    note_dismissed()
        The lecturer closed the lesson note (it stays hidden until :meth:`set_note_visible`).
    """

    note_dismissed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.more_button = _button("+1", "")
        self.more_button.clicked.connect(self._flip)
        self.close_button = _button("✕", "Dismiss")
        self.close_button.clicked.connect(self._close_shown)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self._message: tuple[str, str] | None = None  # (kind, text)
        self._note: tuple[str, str] | None = None  # (title, text)
        self._note_on = False
        self.showing: str | None = None  # NOTE, MESSAGE or None (hidden)
        self._styled: tuple | None = None
        self.set_scale(1.0)
        self.hide()

    # -- the message --------------------------------------------------------
    @property
    def kind(self) -> str:
        """The message's kind ("info", "warning", "error"), or "" without one."""
        return self._message[0] if self._message else ""

    def show_message(self, text: str, kind: str = "info") -> None:
        """Show ``text`` (plain) in place of any earlier message; the note, if any, is one click away."""
        self._message = (kind, text)
        self._refresh(MESSAGE)

    def clear(self) -> None:
        """Drop the message (the lesson note, if it is on, comes back)."""
        self._message = None
        self._refresh()

    def clear_problems(self) -> None:
        """Clear a warning or an error (a new run makes them obsolete); an info stays to be read."""
        if self.kind in ("warning", "error"):
            self.clear()

    def text(self) -> str:
        """The message (shown, or behind the note), or "" when there is none or the strip is hidden."""
        return self._message[1] if self._message and not self.isHidden() else ""

    # -- the lesson note ----------------------------------------------------
    def show_note(self, title: str, text: str) -> None:
        """Set the lesson note ("**title.** text") and show it (a message on screen stays in front)."""
        self._note, self._note_on = (title, text), True
        self._refresh(None if self._message else NOTE)

    def remove_note(self) -> None:
        """No lesson note any more (the data have none)."""
        self._note, self._note_on = None, False
        self._refresh()

    def set_note_visible(self, on: bool) -> None:
        """Show (in front) or hide the lesson note."""
        self._note_on = bool(on) and self._note is not None
        self._refresh(NOTE if self._note_on else None)

    @property
    def note_title(self) -> str:
        return self._note[0] if self._note else ""

    def note_text(self) -> str:
        """The note's paragraph when it is on (shown, or one click away), else ""."""
        return self._note[1] if self._note and self._note_on else ""

    # -- look ---------------------------------------------------------------
    def restyle(self) -> None:
        """Colours for the current theme and what is shown (the lab calls it on a theme change)."""
        kind = NOTE if self.showing == NOTE else (self.kind or "info")
        bg, ink = message_colors(kind)
        key = (bg, ink, kind == NOTE)
        if self._styled == key:
            return  # (setting the style sheet sends a palette change of its own)
        self._styled = key
        left = f" border-left: 5px solid {ink};" if kind == NOTE else ""
        self.setStyleSheet(f"QFrame#banner {{ background: {bg}; border: 1px solid {ink};{left} border-radius: 4px; }}"
                           f" QFrame#banner QLabel, QFrame#banner QToolButton {{ color: {ink};"
                           f" background: transparent; border: none; }}")

    def set_scale(self, factor: float) -> None:
        """Bigger text for a projector (1.0 = normal)."""
        for widget in (self.label, self.more_button, self.close_button):
            font = widget.font()
            font.setPointSizeF(BODY_PT * factor)
            widget.setFont(font)

    # -- internals ----------------------------------------------------------
    def _available(self) -> list[str]:
        return [name for name, there in ((MESSAGE, self._message), (NOTE, self._note_on)) if there]

    def _refresh(self, prefer: str | None = None) -> None:
        available = self._available()
        if prefer in available:
            self.showing = prefer
        elif self.showing not in available:
            self.showing = available[0] if available else None
        if self.showing == MESSAGE:
            self.label.setText(html.escape(self._message[1]))
            self.close_button.setToolTip("Dismiss this message")
        elif self.showing == NOTE:
            title, text = self._note
            self.label.setText(f"<b>{html.escape(title)}.</b>&nbsp; {html.escape(text)}")
            self.close_button.setToolTip("Hide the lesson note (Data ▸ Show Lesson Note brings it back)")
        else:
            self.label.clear()
        other = [name for name in available if name != self.showing]
        self.more_button.setVisible(bool(other))
        if other:
            self.more_button.setToolTip("Show the lesson note" if other[0] == NOTE else f"Show the {self.kind}")
        self.restyle()
        self.setVisible(self.showing is not None)

    def _flip(self) -> None:
        other = [name for name in self._available() if name != self.showing]
        if other:
            self._refresh(other[0])

    def _close_shown(self) -> None:
        if self.showing == NOTE:
            self._note_on = False
            self._refresh()
            self.note_dismissed.emit()
        else:
            self.clear()
