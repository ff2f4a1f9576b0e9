"""The dataset store and the undo stack around it.

Flow (STYLE "click to repaint"): a tool emits a command, the window pushes
it here, the store applies it (getting a new immutable Dataset and the
inverse) and emits ``dataset_changed``.  One gesture is one undo step:
commands pushed with the same ``gesture`` id merge into one entry.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from gmmviz.core.commands import Command, keeps_indices
from gmmviz.core.types import Dataset

_MERGE_ID = 0x6D6D  # any fixed id: only commands of the same gesture merge


class DatasetStore(QObject):
    """Holds the current :class:`Dataset`.

    Signals
    -------
    dataset_changed(object)
        The new Dataset after every edit, undo, redo or reset.
    dataset_reset(object)
        A new Dataset with a fresh history (a file or session opened),
        emitted just before its ``dataset_changed``.

    Attributes
    ----------
    kept_indices : bool
        Whether the latest change left every point at its index (a move or
        relabel, or the undo of one), so that index-based state such as a
        selection still names the same points.
    """

    dataset_changed = Signal(object)
    dataset_reset = Signal(object)

    def __init__(self, dataset: Dataset, parent: QObject | None = None):
        super().__init__(parent)
        self._dataset = dataset
        self.kept_indices = False
        self.undo_stack = QUndoStack(self)

    @property
    def dataset(self) -> Dataset:
        return self._dataset

    def apply_all(self, commands) -> list[Command]:
        """Apply ``commands`` in order, emitting ``dataset_changed`` once at the
        end (undo and redo of a whole brush stroke); return their inverses."""
        commands = list(commands)  # undo passes an iterator; it is read twice
        dataset, inverses = self._dataset, []
        for command in commands:
            dataset, inverse = command.apply(dataset)
            inverses.append(inverse)
        self._dataset = dataset
        self.kept_indices = keeps_indices(commands)
        self.dataset_changed.emit(dataset)
        return inverses

    def push(self, command: Command, text: str, *, gesture: int | None = None) -> None:
        """Apply ``command`` as an undoable step named ``text``."""
        self.undo_stack.push(EditStep(self, command, text, gesture))

    def reset(self, dataset: Dataset) -> None:
        """Start over with ``dataset`` and an empty undo history (e.g. a new session)."""
        self.undo_stack.clear()
        self._dataset = dataset
        self.kept_indices = False
        self.dataset_reset.emit(dataset)
        self.dataset_changed.emit(dataset)


class EditStep(QUndoCommand):
    """One undo step: a list of commands applied in order, undone in reverse."""

    def __init__(self, store: DatasetStore, command: Command, text: str, gesture: int | None):
        super().__init__(text)
        self._store = store
        self._commands = [command]
        self._inverses: list[Command] = []
        self._gesture = gesture

    def redo(self) -> None:
        self._inverses = self._store.apply_all(self._commands)

    def undo(self) -> None:
        self._store.apply_all(reversed(self._inverses))

    def id(self) -> int:  # noqa: A003 (Qt API)
        return _MERGE_ID if self._gesture is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt API)
        if not isinstance(other, EditStep) or other._gesture != self._gesture:
            return False
        # ``other`` has been applied already: keep its commands and inverses.
        self._commands.extend(other._commands)
        self._inverses.extend(other._inverses)
        return True
