"""What the theory lab's computed views share: the shared points, a run controller of their own, a
debounced recompute, and results of the current run only."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QWidget

from gmmviz.qt.runs import RunController

DEBOUNCE_MS = 120


class ComputedView(QWidget):
    """A view whose picture a background job computes from the shared points.

    Subclasses build their widgets, call :meth:`_start_computing` (after ``_build_ui``), implement
    :meth:`recompute` (submitting a job to :attr:`runner`) and :meth:`show_result`.
    """

    def __init__(self, what: str, thread_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._X: np.ndarray | None = None
        self.result = None
        self.runner = RunController(what, thread_name, self)
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)

    def _start_computing(self, *signals) -> None:
        """Recompute (debounced) whenever one of ``signals`` fires; show the current run's results."""
        for signal in signals:
            signal.connect(self._debounce.start)
        self._debounce.timeout.connect(self.recompute)
        self.runner.yielded.connect(self._on_result)
        self.runner.failed.connect(self._on_failed)

    def set_points(self, X: np.ndarray) -> None:
        """The shared points changed: recompute (debounced)."""
        self._X = np.array(X, dtype=np.float64, copy=True)
        self._X.setflags(write=False)
        self._debounce.start()

    def enough_points(self, k: int) -> bool:
        """At least max(k, 2) points; otherwise nothing runs and the readout says why."""
        if self._X is not None and self._X.shape[0] >= max(k, 2):
            return True
        self.runner.cancel()
        self.show_result(None)
        self.readout.setText(f"Add points: this view needs a mixture fitted to at least K = {k} points.")
        return False

    def recompute(self) -> None:
        raise NotImplementedError

    def show_result(self, result) -> None:
        raise NotImplementedError

    @Slot(int, object)
    def _on_result(self, run_id: int, result) -> None:
        if run_id == self.runner.run_id:
            self.show_result(result)

    @Slot(int, str)
    def _on_failed(self, run_id: int, message: str) -> None:
        if run_id == self.runner.run_id:
            self.show_result(None)
            self.readout.setText(message)

    def shutdown(self) -> None:
        self._debounce.stop()
        self.runner.shutdown()
