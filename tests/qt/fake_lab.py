"""A second lab for the seam tests: a page, one action on the key E (EM's E-step too)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QToolBar

from gmmviz.qt.actions import ActionSpec
from gmmviz.qt.lab import Lab


class FakeLab(Lab):
    ACTIONS = (ActionSpec("fake_poke", "&Poke", "Tools", ("E",), "Poke the fake lab"),)
    MENUS = ("Tools",)

    def __init__(self, spec, ctx):
        super().__init__(spec, ctx)
        self.pokes = 0
        self.opened: list[str] = []
        self.active_calls: list[bool] = []
        self._page = QLabel("fake lab")
        self._toolbar = QToolBar("Fake")
        self._toolbar.setObjectName("fakeToolbar")
        self._toolbar.addAction(ctx.actions["fake_poke"])
        ctx.actions["fake_poke"].triggered.connect(self._poke)

    def _poke(self) -> None:
        self.pokes += 1
        self.status_changed.emit(f"poked {self.pokes}")

    def page(self):
        return self._page

    def toolbars(self):
        return [self._toolbar]

    def status(self) -> str:
        return "fake lab ready"

    def activate(self, active: bool) -> None:
        self.active_calls.append(active)

    def open_entry(self, key: str) -> None:
        self.opened.append(key)


class PartLab(Lab):
    """A lab with a part of its own in sessions: one word and a list of numbers."""

    DEFAULT = {"word": "hello", "numbers": [1, 2.5]}

    def __init__(self, spec, ctx):
        super().__init__(spec, ctx)
        self.part = dict(self.DEFAULT)
        self.banners: list[tuple[str, str]] = []
        self.broken = False  # session_part returns what JSON cannot write
        self._page = QLabel("part lab")

    def page(self):
        return self._page

    def set_word(self, word: str) -> None:
        self.part = {**self.part, "word": word}
        self.state_changed.emit()

    def session_part(self):
        return {"word": float("nan")} if self.broken else dict(self.part)

    def apply_session_part(self, part: dict) -> None:
        from gmmviz.core.errors import FileFormatError

        word = part.get("word", self.DEFAULT["word"])
        if not isinstance(word, str):
            raise FileFormatError(f"labs.{self.spec.key}.word: expected text, got {type(word).__name__}")
        self.part = {"word": word, "numbers": list(part.get("numbers", self.DEFAULT["numbers"]))}
        self.state_changed.emit()

    def show_banner(self, text: str, kind: str) -> None:
        self.banners.append((text, kind))
