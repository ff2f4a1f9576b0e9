"""The document store and the undo stack around it, for any immutable document.

Flow (STYLE "click to repaint"): a tool emits a command, the window pushes
it here, the store applies it (getting a new immutable document and the
inverse) and emits ``changed``.  One gesture is one undo step: commands
pushed with the same ``gesture`` id merge into one entry.  The store knows
nothing of what it holds: the points labs share one store of a
:class:`~gmmviz.core.data.Dataset`, the graphs lab will hold a graph.

Two stores can share one undo history: a store built with ``undo_stack=``
pushes its steps on that stack (the classification lab's model settings on
the points' stack), so one Ctrl+Z walks the edits of both in the order they
were made.  Such a store does not own the stack: :meth:`DocumentStore.reset`
then forgets only its own steps, never the other store's.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from gmmviz.core.document import Command, apply_all, keeps_indices

T = TypeVar("T")

_MERGE_ID = 0x6D6D  # any fixed id: only commands of the same gesture merge


class DocumentStore(QObject, Generic[T]):
    """Holds the current document of type ``T``.

    Signals
    -------
    changed(object)
        The new document after every edit, undo, redo or reset.
    reset_done(object)
        A new document with a fresh history (a file or session opened),
        emitted just before its ``changed``.
    revisited(str, bool)
        One of this store's steps was undone (True) or redone (False) from the
        undo stack (not when it was first pushed), with the step's text: on a
        shared stack a lab learns that an Undo in another tab changed its document.

    Attributes
    ----------
    kept_indices : bool
        Whether the latest change left every item at its index (a move or
        relabel, or the undo of one), so that index-based state such as a
        selection still names the same items.
    """

    changed = Signal(object)
    reset_done = Signal(object)
    revisited = Signal(str, bool)

    def __init__(self, document: T, parent: QObject | None = None, *, undo_stack: QUndoStack | None = None):
        """``undo_stack``: push on this (shared) stack instead of a stack of the store's own."""
        super().__init__(parent)
        self._document = document
        self.kept_indices = False
        self.owns_stack = undo_stack is None
        self.undo_stack = QUndoStack(self) if undo_stack is None else undo_stack
        self.generation = 0  # a reset starts a new one: steps of an older one do nothing

    @property
    def document(self) -> T:
        return self._document

    def apply_all(self, commands) -> list[Command[T]]:
        """Apply ``commands`` in order, emitting ``changed`` once at the end
        (undo and redo of a whole brush stroke); return their inverses."""
        commands = list(commands)  # undo passes an iterator; it is read twice
        self._document, inverses = apply_all(self._document, commands)
        self.kept_indices = keeps_indices(commands)
        self.changed.emit(self._document)
        return inverses

    def push(self, command: Command[T], text: str, *, gesture: int | None = None) -> None:
        """Apply ``command`` as an undoable step named ``text``."""
        self.undo_stack.push(EditStep(self, command, text, gesture))

    def reset(self, document: T) -> None:
        """Start over with ``document`` and an empty undo history (e.g. a new session).

        On a shared stack only this store's history is emptied: its steps still on the
        stack do nothing any more and are dropped when undo or redo reaches them (a
        step inside a macro, with another store's, stays there and does nothing)."""
        if self.owns_stack:
            self.undo_stack.clear()
        else:
            self.generation += 1
            for i in range(self.undo_stack.count()):
                step = self.undo_stack.command(i)
                if isinstance(step, EditStep) and step.store is self:
                    step.setObsolete(True)
        self._document = document
        self.kept_indices = False
        self.reset_done.emit(document)
        self.changed.emit(document)


class EditStep(QUndoCommand):
    """One undo step: a list of commands applied in order, undone in reverse."""

    def __init__(self, store: DocumentStore, command: Command, text: str, gesture: int | None):
        super().__init__(text)
        self.store = store
        self._generation = store.generation
        self._commands = [command]
        self._inverses: list[Command] = []
        self._gesture = gesture
        self._pushed = False  # QUndoStack.push redoes the step once: that is not a revisit

    def _current(self) -> bool:
        return self._generation == self.store.generation

    def redo(self) -> None:
        if self._current():
            self._inverses = self.store.apply_all(self._commands)
            if self._pushed:
                self.store.revisited.emit(self.text(), False)
        self._pushed = True

    def undo(self) -> None:
        if self._current():
            self.store.apply_all(reversed(self._inverses))
            self.store.revisited.emit(self.text(), True)

    def id(self) -> int:  # noqa: A003 (Qt API)
        return _MERGE_ID if self._gesture is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt API)
        if not isinstance(other, EditStep) or other._gesture != self._gesture or other.store is not self.store:
            return False
        # ``other`` has been applied already: keep its commands and inverses.
        self._commands.extend(other._commands)
        self._inverses.extend(other._inverses)
        return True
