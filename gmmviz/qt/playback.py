"""The playback cursor over a run's half-steps, and its timer.

The worker computes as fast as it can; the pace the class sees belongs to
this controller's QTimer (STYLE: animation pace belongs to the playback
timer, not the worker).  Stepping past what has been computed so far
waits for the next half-step to arrive.
"""

from __future__ import annotations

import math
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal, Slot

MIN_SPEED = 0.5  # half-steps per second (one every 2 s)
MAX_SPEED = 30.0
SPEED_STEPS = 100  # positions of a speed slider


class Timeline(Protocol):
    """What playback steps through: a run's kept half-steps (e.g. the EM lab's
    :class:`~gmmviz.labs.em.core.run_history.RunHistory`)."""

    run_id: int
    finished: bool

    def __len__(self) -> int: ...

    def frame(self, index: int):
        """What the views draw for step ``index`` (has a ``snapshot``)."""

    def phase(self, index: int) -> str:
        """The kind of step ``index`` ("init", "E", "M", ...)."""

    def is_final(self, index: int) -> bool:
        """Does the run end at step ``index`` (converged, collapsed)?"""


def speed_from_slider(value: int) -> float:
    """Slider 0..SPEED_STEPS to half-steps per second, logarithmic from MIN_SPEED to MAX_SPEED."""
    return MIN_SPEED * (MAX_SPEED / MIN_SPEED) ** (value / SPEED_STEPS)


def slider_from_speed(speed: float) -> int:
    """The slider position of ``speed`` half-steps per second (inverse of :func:`speed_from_slider`)."""
    return round(SPEED_STEPS * math.log(speed / MIN_SPEED) / math.log(MAX_SPEED / MIN_SPEED))


class PlaybackController(QObject):
    """A cursor into the current :class:`Timeline`.

    Signals
    -------
    frame_changed(object)
        The frame now on screen (the timeline's ``frame(index)``).
    cursor_changed(int, int)
        Cursor index and the number of half-steps computed so far.
    playing_changed(bool)
    stopped(str)
        Playback stopped by itself: ``converged``, ``collapse``, ``end``.
    wants_all()
        The user asked for the end of the run: compute everything.
    """

    frame_changed = Signal(object)
    cursor_changed = Signal(int, int)
    playing_changed = Signal(bool)
    stopped = Signal(str)
    wants_all = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._history: Timeline | None = None
        self._cursor = -1
        self._target: int | str | None = None  # an index, "E", "M" or "end"
        self._speed = 2.0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.setInterval(self._interval_ms())

    # -- state ------------------------------------------------------------
    @property
    def cursor(self) -> int:
        return self._cursor

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    @property
    def speed(self) -> float:
        return self._speed

    def _interval_ms(self) -> int:
        return max(1, round(1000.0 / self._speed))

    def set_speed(self, half_steps_per_second: float) -> None:
        self._speed = min(MAX_SPEED, max(MIN_SPEED, float(half_steps_per_second)))
        self._timer.setInterval(self._interval_ms())

    def count(self) -> int:
        return 0 if self._history is None else len(self._history)

    def next_phase(self) -> str | None:
        """The phase of the half-step after the cursor ("E" or "M"), if any."""
        if self._history is None or self._cursor < 0:
            return None
        h, i = self._history, self._cursor
        if h.is_final(i) and i == self.count() - 1:
            return None
        return "M" if h.phase(i) == "E" else "E"

    # -- wiring -----------------------------------------------------------
    def set_history(self, history: Timeline | None) -> None:
        """Follow a new run; the cursor waits for its first snapshot."""
        self._history = history
        self._cursor = -1
        self._target = 0
        if history is not None and len(history):
            self._show(0)
        self.cursor_changed.emit(self._cursor, self.count())

    @Slot(int, int)
    def on_step_appended(self, run_id: int, index: int) -> None:
        if self._history is None or run_id != self._history.run_id:
            return
        if index == self._cursor:  # the final snapshot replaced the one shown
            self._show(index)
        self._advance_towards_target()
        self.cursor_changed.emit(self._cursor, self.count())

    @Slot(int, str)
    def on_run_finished(self, run_id: int, reason: str) -> None:
        if self._history is not None and run_id == self._history.run_id and self._target == "end":
            self._target = None
            self._show(self.count() - 1)

    # -- commands ---------------------------------------------------------
    def play(self) -> None:
        if self._history is None:
            return
        if self._at_final():
            self._show(0)  # replay from the start
        self._timer.start()
        self.playing_changed.emit(True)

    def pause(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.playing_changed.emit(False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def step_forward(self) -> None:
        self._go(self._cursor + 1)

    def step_back(self) -> None:
        self.pause()
        self._target = None
        if self._cursor > 0:
            self._show(self._cursor - 1)

    def first(self) -> None:
        self.pause()
        self._target = None
        if self.count():
            self._show(0)

    def last(self) -> None:
        """The last half-step computed so far."""
        self.pause()
        self._target = None
        if self.count():
            self._show(self.count() - 1)

    def seek(self, index: int) -> None:
        self.pause()
        self._target = None
        if 0 <= index < self.count():
            self._show(index)

    def step_to_phase(self, phase: str) -> None:
        """Advance to the next snapshot of ``phase`` ("E" or "M")."""
        self.pause()
        self._target = phase
        self._advance_towards_target()

    def run_to_end(self) -> None:
        """Jump to the end of the run (waiting for the worker if needed)."""
        self.pause()
        self._target = "end"
        self.wants_all.emit()
        if self._history is not None and self._history.finished and self.count():
            self._target = None
            self._show(self.count() - 1)

    # -- internals --------------------------------------------------------
    def _go(self, index: int) -> None:
        self.pause()
        self._target = index
        self._advance_towards_target()

    def _advance_towards_target(self) -> None:
        target, n = self._target, self.count()
        if target is None or n == 0:
            return
        if isinstance(target, int):
            if target < n:
                self._target = None
                self._show(target)
            return
        if target == "end":
            return
        for i in range(self._cursor + 1, n):
            if self._history.phase(i) == target or self._history.is_final(i):
                self._target = None
                self._show(i)
                return

    def _at_final(self) -> bool:
        return self._history is not None and self._history.finished and self._cursor >= self.count() - 1

    @Slot()
    def _tick(self) -> None:
        if self._cursor + 1 < self.count():
            self._show(self._cursor + 1)
        elif self._history is not None and self._history.finished:
            self.pause()
            self.stopped.emit("end")

    def _show(self, index: int) -> None:
        self._cursor = index
        frame = self._history.frame(index)
        self.frame_changed.emit(frame)
        self.cursor_changed.emit(index, self.count())
        snap = frame.snapshot
        if snap.collapse is not None or (snap.converged and index == self.count() - 1):
            if self.playing:
                self.pause()
            self.stopped.emit("collapse" if snap.collapse is not None else "converged")
