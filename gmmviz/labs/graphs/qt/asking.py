"""The Ask tab's X, Y and Z: the document's question, changed by undoable steps.

A click puts a node in the set being picked and takes it out of the others (or out of that
set, if it was there); every pick is one undo step on the graph's store, like any other edit.
"""

from __future__ import annotations


class AskPicks:
    """The question of ``page``'s document (``page.doc.ask``), edited through ``page.push``."""

    def __init__(self, page):
        self._page = page

    def sets(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        return self._page.doc.ask

    def toggle(self, which: str, name: str) -> bool:
        verb = "Unpick" if name in self.sets()["XYZ".index(which)] else "Pick"
        return self._page.push(lambda d: d.with_pick(which, name), f"{verb} {name} as {which}")

    def set(self, x=(), y=(), z=(), text: str = "Ask a question") -> bool:
        doc = self._page.doc
        if doc.with_ask(x, y, z).ask == doc.ask:
            return False
        return self._page.push(lambda d: d.with_ask(x, y, z), text)

    def clear(self) -> bool:
        return self.set(text="Clear the question")
