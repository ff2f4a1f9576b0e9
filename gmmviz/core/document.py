"""Edits of any immutable document as commands with exact inverses (Qt-free).

A document is an immutable value (a :class:`~gmmviz.core.data.Dataset` of
points, later a graph).  An edit is a :class:`Command`: one pure method,
``apply(document)``, returns the new document and the command that undoes
it.  The Qt undo stack (:class:`gmmviz.qt.store.DocumentStore`) stores and
replays commands without knowing what they edit (Orange's Paint Data).
"""

from __future__ import annotations

from typing import Protocol, TypeVar

T = TypeVar("T")


class Command(Protocol[T]):
    """What every edit offers: apply it, get the new document and the inverse.

    A command whose class sets ``keeps_indices = True`` leaves every item
    of the document at its index (it moves, relabels or renames), so
    whatever refers to items by index, like a selection, stays valid.
    """

    def apply(self, document: T) -> tuple[T, "Command[T]"]: ...


def keeps_indices(commands) -> bool:
    """True when every one of ``commands`` leaves each item at its index."""
    return all(getattr(c, "keeps_indices", False) for c in commands)


def apply_all(document: T, commands) -> tuple[T, list]:
    """Apply ``commands`` in order; the final document and the inverses, in order."""
    inverses = []
    for command in commands:
        document, inverse = command.apply(document)
        inverses.append(inverse)
    return document, inverses
