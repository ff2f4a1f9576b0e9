"""The theory lab's view of the EM studio's cursor, through the Lab seam only.

The EM lab offers its playback and its run's history as its :meth:`~gmmviz.qt.lab.Lab.export_source`
(``playback.frame_changed`` and ``timeline()``, what animations read); the link turns every frame on screen
into an immutable :class:`StudioStep` for the slice views.  No private attribute of the EM lab is read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot


@dataclass(frozen=True, eq=False)
class StudioStep:
    """The studio's frame: its points, the run's snapshots up to one past the cursor, the cursor."""

    X: np.ndarray
    snapshots: tuple
    index: int
    run_id: int


class StudioLink(QObject):
    """Follows the EM lab's cursor.

    Signals
    -------
    step_changed(object)
        A :class:`StudioStep`, or None when the studio shows no frame.
    """

    step_changed = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._source = None
        self.step: StudioStep | None = None

    @property
    def linked(self) -> bool:
        return self._source is not None

    def link(self, window) -> bool:
        """Connect to ``window.lab("em")`` (built if needed); False if the window has no EM lab."""
        if self._source is not None:
            return True
        try:
            em = window.lab("em")
        except KeyError:
            return False
        source = em.export_source()
        if source is None or not hasattr(source, "playback"):
            return False
        self._source = source
        source.playback.frame_changed.connect(self._on_frame)
        self._on_frame(getattr(source, "frame", None))
        return True

    @Slot(object)
    def _on_frame(self, frame) -> None:
        history = None if self._source is None else self._source.timeline()
        if frame is None or history is None or history.run_id != frame.run_id or frame.index >= len(history):
            self.step = None
        else:
            X = np.array(history.X, dtype=np.float64, copy=True)
            X.setflags(write=False)
            self.step = StudioStep(X, tuple(history.snapshots[:frame.index + 2]), frame.index, frame.run_id)
        self.step_changed.emit(self.step)
