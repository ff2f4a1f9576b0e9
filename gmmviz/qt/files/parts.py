"""The other labs' parts of a session: what File saves of each lab besides the session lab's
document, how an opened session gives each lab its part back, and whether any changed.

A session (format version 2) holds, under ``labs``, one part per lab other than the
session lab (:data:`gmmviz.labs.SESSION_LAB`): the JSON object that lab's
:meth:`~gmmviz.qt.lab.Lab.session_part` returns.  Labs are built on their tab's first
show, so a part can arrive before its lab exists: it is kept here, unchanged, given to
the lab when it is built, and saved again as it was meanwhile, so opening a session
and saving it never loses a lab the lecturer did not look at.

The parts cross to the writer thread as canonical JSON text (immutable); comparing that
text with the text as saved is how the window tells that a lab has unsaved changes.
"""

from __future__ import annotations

import json
import logging

from PySide6.QtCore import QObject, Signal

from gmmviz.core.errors import GmmvizError
from gmmviz.core.session.envelope import lab_part_text

log = logging.getLogger(__name__)


class LabParts(QObject):
    """The labs' parts for one window.

    Signals
    -------
    changed()
        A lab's part may have changed (an edit, an undo, a setting): the title is refreshed.
    """

    changed = Signal()

    def __init__(self, window, session_lab: str):
        super().__init__(window)
        self.window = window
        self.keys = tuple(spec.key for spec in window.lab_specs if spec.key != session_lab)
        self._pending: dict[str, str] = {}  # parts of labs not built yet, as opened
        self._saved: dict[str, str | None] = {}  # each lab's part as last saved or opened
        for lab in list(window.labs.values()):
            self._watch(lab)
        window.lab_built.connect(self._on_built)

    # -- reading the labs ----------------------------------------------------------
    def text_of(self, key: str) -> str | None:
        """Lab ``key``'s part now, as canonical text (None: nothing to keep, or it cannot be written)."""
        return self._read(key)[0]

    def _read(self, key: str) -> tuple[str | None, Exception | None]:
        lab = self.window.labs.get(key)
        if lab is None:
            return self._pending.get(key), None
        try:
            part = lab.session_part()
            return (None if part is None else lab_part_text(part)), None
        except (TypeError, ValueError, GmmvizError) as exc:  # a lab's bug must not stop the save of the rest
            log.warning("the %s lab's part cannot be saved: %s", key, exc)
            return None, exc

    def capture(self) -> tuple[tuple[str, str], ...]:
        """Every lab's part, sorted by key, for :attr:`Session.labs`; a part that cannot be
        written is left out and said so on its lab's banner (the rest is saved)."""
        parts = []
        for key in sorted(self.keys):
            text, error = self._read(key)
            if text is not None:
                parts.append((key, text))
            elif error is not None:
                self.window.labs[key].show_banner(
                    f"This lab's settings could not be saved with the session ({error}); the rest was.", "warning")
        return tuple(parts)

    def is_modified(self) -> bool:
        """Whether any lab's part differs from the part as saved or opened."""
        return any(self.text_of(key) != self._saved.get(key) for key in self.keys)

    def mark_clean(self) -> None:
        """The parts as they are now are the saved ones."""
        self._saved = {key: self.text_of(key) for key in self.keys}

    # -- giving the labs their parts -------------------------------------------------
    def apply(self, parts) -> None:
        """A session was opened (``parts``: its :attr:`Session.labs`), or File → New (``()``):
        each built lab gets its part, or ``{}`` (its defaults) if the session has none; the
        parts of labs not built yet wait for them."""
        self._pending = dict(parts)
        for key, lab in self.window.labs.items():
            if key in self.keys:
                self._give(lab, self._pending.pop(key, None))

    def _give(self, lab, text: str | None) -> None:
        try:
            lab.apply_session_part({} if text is None else json.loads(text))
        except GmmvizError as exc:
            self._pending.pop(lab.spec.key, None)
            log.info("the %s lab's part was not restored: %s", lab.spec.key, exc)
            message = f"This lab's part of the session could not be restored ({exc}); it keeps what it showed."
            lab.show_banner(message, "warning")
            self.window.statusBar().showMessage(f"{lab.spec.title}: its part of the session was not restored", 10000)

    def _on_built(self, lab) -> None:
        key = lab.spec.key
        if key not in self.keys:
            return
        self._watch(lab)
        text = self._pending.pop(key, None)
        if text is not None:
            self._give(lab, text)
        # Building a lab (and filling it with the part as opened) is not an edit.
        if self._saved.get(key) == text:
            self._saved[key] = self.text_of(key)

    def _watch(self, lab) -> None:
        for signal in (lab.state_changed, lab.modified):
            signal.connect(self.changed)
        stack = lab.undo_stack()
        if stack is not None:
            stack.indexChanged.connect(self.changed)
            stack.cleanChanged.connect(self.changed)
