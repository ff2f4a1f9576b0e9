"""Two document stores on one undo stack: one history, each store's own steps, its own reset."""

from __future__ import annotations

from dataclasses import dataclass

from gmmviz.qt.store import DocumentStore


@dataclass(frozen=True)
class Set:
    value: int

    def apply(self, document):
        return self.value, Set(document)


def test_two_stores_share_one_history_in_order(qtbot):
    a = DocumentStore(0)
    b = DocumentStore("x", undo_stack=a.undo_stack)
    assert b.undo_stack is a.undo_stack and not b.owns_stack and a.owns_stack
    a.push(Set(1), "a=1")
    b.push(Set("y"), "b=y")
    a.push(Set(2), "a=2")
    stack = a.undo_stack
    stack.undo()
    assert (a.document, b.document) == (1, "y")
    stack.undo()
    assert (a.document, b.document) == (1, "x")
    stack.undo()
    assert (a.document, b.document) == (0, "x")
    stack.redo()
    stack.redo()
    assert (a.document, b.document) == (1, "y")


def test_a_gesture_never_merges_steps_of_two_stores(qtbot):
    a = DocumentStore(0)
    b = DocumentStore(0, undo_stack=a.undo_stack)
    a.push(Set(1), "a", gesture=7)
    b.push(Set(1), "b", gesture=7)
    a.push(Set(2), "a", gesture=7)
    assert a.undo_stack.count() == 3
    b.push(Set(2), "b", gesture=7)
    b.push(Set(3), "b", gesture=7)
    assert a.undo_stack.count() == 4  # b's consecutive steps of one gesture merged
    a.undo_stack.undo()
    assert b.document == 1


def test_reset_on_a_shared_stack_forgets_only_its_own_steps(qtbot):
    a = DocumentStore(0)
    b = DocumentStore(0, undo_stack=a.undo_stack)
    a.push(Set(1), "a=1")
    b.push(Set(5), "b=5")
    a.push(Set(2), "a=2")
    b.reset(9)
    assert b.document == 9 and a.document == 2
    stack = a.undo_stack
    stack.undo()
    assert a.document == 1
    stack.undo()  # b's old step: dropped, changes nothing
    assert b.document == 9 and a.document == 1
    stack.undo()
    assert a.document == 0 and b.document == 9
    assert stack.count() == 2  # the stale step is gone
    stack.redo()
    stack.redo()
    assert (a.document, b.document) == (2, 9)
    a.reset(4)  # a store that owns its stack empties it
    assert stack.count() == 0
