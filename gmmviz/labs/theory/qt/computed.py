"""What the theory lab's computed views share: the shared points, a run controller of their own, a
debounced recompute, and results of the current run only."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QCheckBox, QLabel, QSpinBox, QWidget

from gmmviz.labs.em.core.types import FitConfig
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


NO_STUDIO_RUN = "The EM studio shows no run yet: add points there (or untick 'Follow' to run EM here)."


class StepView(ComputedView):
    """A computed view of one EM step: the EM studio's (following its cursor) or iteration k of an
    EM run of its own on the shared points (K, seed and iteration chosen here when 'Follow' is off).

    Subclasses call :meth:`_step_controls` in their ``_build_ui`` and implement :meth:`studio_job`
    (a job for the studio's step, or None when there is nothing to draw) and :meth:`own_job`.
    """

    def __init__(self, what: str, thread_name: str, parent: QWidget | None = None):
        super().__init__(what, thread_name, parent)
        self.studio_step = None

    def _step_controls(self, row, *, k_max: int, iteration: int, extra=()) -> None:
        """'Follow the EM studio's cursor', then ``extra`` widgets, then K, seed and the iteration."""
        self.follow = QCheckBox("Follow the EM studio's cursor")
        self.follow.setToolTip("The step the EM studio shows: step EM there, the picture walks")
        self.follow.setChecked(True)
        row.addWidget(self.follow)
        for w in extra:
            row.addWidget(w)
        self.k = QSpinBox(minimum=1, maximum=k_max, value=3)
        self.k.setToolTip("Components K of the mixture EM fits")
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1, value=0)
        self.iteration = QSpinBox(minimum=1, maximum=500, value=iteration)
        self.iteration.setToolTip("The EM step drawn: theta_k to theta_k+1")
        self.own = []
        for label, w in (("K", self.k), ("seed", self.seed), ("EM iteration", self.iteration)):
            lab = QLabel(label)
            row.addWidget(lab)
            row.addWidget(w)
            self.own += [lab, w]
        row.addStretch(1)
        self.follow.toggled.connect(self._on_follow)
        self._on_follow(True)

    def _start_computing(self, *signals) -> None:
        super()._start_computing(self.k.valueChanged, self.seed.valueChanged, self.iteration.valueChanged,
                                 self.follow.toggled, *signals)

    def _on_follow(self, on: bool) -> None:
        for w in self.own:
            w.setEnabled(not on)

    def set_studio_step(self, step) -> None:
        """The EM studio's cursor moved (a :class:`~gmmviz.labs.theory.qt.studio_link.StudioStep` or None)."""
        self.studio_step = step
        if self.follow.isChecked():
            self._debounce.start()

    def recompute(self) -> None:
        if self.follow.isChecked():
            job = None if self.studio_step is None else self.studio_job(self.studio_step)
            if job is None:
                self.runner.cancel()
                self.show_result(None)
                self.readout.setText(NO_STUDIO_RUN)
            else:
                self.runner.submit(job)
            return
        if not self.enough_points(self.k.value()):
            return
        config = FitConfig(n_components=self.k.value(), init="random", reg_covar=0.0, tol=0.0,
                           max_iter=self.iteration.value(), random_state=self.seed.value())
        self.runner.submit(self.own_job(self._X, config, self.iteration.value()))

    def studio_job(self, step):
        raise NotImplementedError

    def own_job(self, X: np.ndarray, config: FitConfig, iteration: int):
        raise NotImplementedError
