"""The minorise-maximise slice: ln p and EM's bound along the line through one EM step.

EM runs on the shared points (in the view's own run controller); for iteration k the view draws
f(alpha) = ln p(theta_k + alpha (theta_k+1 - theta_k)) and the bound Q(. | theta_k) + H along the same
line (:func:`~gmmviz.labs.theory.core.mm_slice.mm_slice`): they touch at alpha = 0, the bound lies
below, and its maximum is at alpha = 1 (the M-step).  Stepping k walks the picture.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.em.core.steps import em_steps
from gmmviz.labs.em.core.types import FitConfig
from gmmviz.labs.theory.core.mm_slice import MMSlice, mm_slice
from gmmviz.labs.theory.qt.computed import ComputedView

F_COLOR, BOUND_COLOR = "#0072B2", "#D55E00"


@dataclass(frozen=True, eq=False)
class SliceResult:
    """What the worker hands over: the slice of EM iteration ``iteration`` (read-only arrays)."""

    iteration: int
    slice: MMSlice
    note: str = ""


def slice_job(X: np.ndarray, config: FitConfig, iteration: int):
    """Run EM to iteration ``iteration`` (or its last) and yield the slice through that step."""

    def job(token):
        old = new = None
        it = 0
        for snap in em_steps(X, config, keep_resp=False):
            if token.cancelled:
                return
            if snap.phase == "E":
                old, it = snap.params, snap.iteration
            elif snap.phase == "M" and old is not None:
                new = snap.params
                if snap.iteration >= iteration:
                    break
        if new is None:
            raise GmmvizError("EM made no step on these points (too few, or a collapse at once): add points")
        result = mm_slice(X, old, new)
        for arr in (result.alphas, result.f, result.bound):
            arr.setflags(write=False)
        note = "" if it == iteration else f"EM stopped at iteration {it}: showing its last step"
        yield SliceResult(it, result, note)

    return job


class SliceView(ComputedView):
    """The slice plot and its settings.

    Signals
    -------
    slice_shown(object)
        The :class:`SliceResult` now drawn.
    """

    slice_shown = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__("The minorise-maximise slice", "gmmviz-theory-slice", parent)
        self._build_ui()
        self._start_computing(self.k.valueChanged, self.seed.valueChanged, self.iteration.valueChanged)

    def _build_ui(self) -> None:
        v = QVBoxLayout(self)
        form = QFormLayout()
        self.k = QSpinBox(minimum=1, maximum=12, value=3)
        self.k.setToolTip("Components K of the mixture EM fits")
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1, value=0)
        self.iteration = QSpinBox(minimum=1, maximum=500, value=1)
        self.iteration.setToolTip("The EM step the slice goes through: theta_k to theta_k+1")
        row = QHBoxLayout()
        for label, w in (("K", self.k), ("seed", self.seed), ("EM iteration", self.iteration)):
            row.addWidget(QLabel(label))
            row.addWidget(w)
        form.addRow(row)
        v.addLayout(form)
        self.plot = pg.PlotWidget()
        item = self.plot.getPlotItem()
        item.setLabel("bottom", "α  (θ = θ_k + α (θ_k+1 − θ_k))")
        item.setLabel("left", "nats")
        self.f_curve = item.plot(pen=pg.mkPen(F_COLOR, width=2), name="f(α) = ln p(X|θ(α))")
        self.bound_curve = item.plot(pen=pg.mkPen(BOUND_COLOR, width=2, style=Qt.PenStyle.DashLine),
                                     name="Q(θ(α)|θ_k) + ℍ")
        for alpha in (0.0, 1.0):
            item.addItem(pg.InfiniteLine(pos=alpha, angle=90, pen=pg.mkPen("#888888", style=Qt.PenStyle.DotLine)))
        v.addWidget(self.plot, 1)
        self.readout = QLabel()
        self.readout.setWordWrap(True)
        v.addWidget(self.readout)

    def recompute(self) -> None:
        if not self.enough_points(self.k.value()):
            return
        config = FitConfig(n_components=self.k.value(), init="random", reg_covar=0.0, tol=0.0,
                           max_iter=self.iteration.value(), random_state=self.seed.value())
        self.runner.submit(slice_job(self._X, config, self.iteration.value()))

    def show_result(self, result: SliceResult | None) -> None:
        self.result = result
        if result is None:
            self.f_curve.setData([], [])
            self.bound_curve.setData([], [])
            return
        s = result.slice
        self.f_curve.setData(s.alphas, s.f)
        self.bound_curve.setData(s.alphas, s.bound)
        i0 = int(np.argmin(np.abs(s.alphas)))
        i1 = int(np.argmin(np.abs(s.alphas - 1.0)))
        self.readout.setText(
            f"EM iteration {result.iteration}: f(0) = {s.f[i0]:,.4f} = bound(0); bound largest at α = "
            f"{s.argmax_bound:.2f} (the M-step is α = 1); f(1) − f(0) = {s.f[i1] - s.f[i0]:,.4f} ≥ 0. {result.note}")
        self.slice_shown.emit(result)

