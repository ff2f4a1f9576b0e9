"""Regression test for PySide6 6.12.0 on Python 3.11 (see PITFALLS).

Its Signal.emit() dropped a reference to ``True`` on every call, and the
interpreter aborted with ``Fatal Python error: bool_dealloc`` after a few
thousand emits.  Our dependency pins keep 3.11 below 6.12; this test fails
loudly if an install ever lands on a version with the bug.
"""

import sys

from PySide6.QtCore import QObject, Signal, Slot


class Emitter(QObject):
    changed = Signal(bool)
    nothing = Signal()
    payload = Signal(object)


class Receiver(QObject):
    def __init__(self):
        super().__init__()
        self.count = 0

    @Slot(bool)
    @Slot()
    @Slot(object)
    def receive(self, *args):
        self.count += 1


def test_emitting_does_not_leak_or_drop_references(qapp):
    e, r = Emitter(), Receiver()
    e.changed.connect(r.receive)
    e.nothing.connect(r.receive)
    e.payload.connect(r.receive)
    for _ in range(200):  # warm up caches
        e.changed.emit(True)
    before = sys.getrefcount(True), sys.getrefcount(None)
    n = 5000
    for _ in range(n):
        e.changed.emit(True)
        e.nothing.emit()
        e.payload.emit(None)
    after = sys.getrefcount(True), sys.getrefcount(None)
    assert r.count == 200 + 3 * n
    assert abs(after[0] - before[0]) < 50, f"refcount of True drifted by {after[0] - before[0]}"
    assert abs(after[1] - before[1]) < 50, f"refcount of None drifted by {after[1] - before[1]}"
