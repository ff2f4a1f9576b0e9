"""The minorise-maximise slice: ln p and EM's bound along the line through one EM step.

The step is the EM studio's (the view follows its cursor, so stepping EM walks the picture) or, unticked,
iteration k of an EM run of the view's own on the shared points.  For the step theta_k -> theta_k+1 the view
draws f(alpha) = ln p(theta_k + alpha (theta_k+1 - theta_k)) and the bound Q(. | theta_k) + H along the same
line (:func:`~gmmviz.labs.theory.core.mm_slice.mm_slice`): they touch at alpha = 0, the bound lies below,
and its maximum is at alpha = 1 (the M-step).  A dot marks where the studio's cursor is: alpha = 0 on an
E-step, alpha = 1 on an M-step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gmmviz.labs.em.core.types import FitConfig
from gmmviz.labs.theory.core.mm_slice import MMSlice, mm_slice
from gmmviz.labs.theory.qt.computed import StepView
from gmmviz.labs.theory.qt.steps import the_step

F_COLOR, BOUND_COLOR = "#0072B2", "#D55E00"


@dataclass(frozen=True, eq=False)
class SliceResult:
    """What the worker hands over: the slice through EM iteration ``iteration`` (read-only arrays).

    ``at`` is the cursor's alpha (0 or 1); ``source`` says whose step it is.
    """

    iteration: int
    slice: MMSlice
    note: str = ""
    at: float = 0.0
    source: str = "own"


def slice_job(X, snapshots=None, index: int = 0, *, config: FitConfig | None = None, iteration: int = 1):
    """The slice through snapshot ``index`` of ``snapshots`` (the studio's), or through iteration
    ``iteration`` of an EM run with ``config`` when no snapshots are given."""

    def job(token):
        got = the_step(X, snapshots, index, config, iteration, token)
        if got is None:
            return
        _, _, ends, new, source = got
        result = mm_slice(X, ends.theta_old, new)
        for arr in (result.alphas, result.f, result.bound):
            arr.setflags(write=False)
        note = ""
        if source == "own" and ends.iteration != iteration:
            note = f"EM stopped at iteration {ends.iteration}: showing its last step"
        elif ends.theta_new is None:
            note = "θ_k+1 is EM's update of the parameters on screen (reg_covar = 0)"
        yield SliceResult(ends.iteration, result, note, ends.at, source)

    return job


class SliceView(StepView):
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
        self._start_computing()

    def _build_ui(self) -> None:
        v = QVBoxLayout(self)
        row = QHBoxLayout()
        self._step_controls(row, k_max=12, iteration=1)
        v.addLayout(row)
        self.plot = pg.PlotWidget()
        item = self.plot.getPlotItem()
        item.setLabel("bottom", "α  (θ = θ_k + α (θ_k+1 − θ_k))")
        item.setLabel("left", "nats")
        item.addLegend(offset=(10, 10))
        self.f_curve = item.plot(pen=pg.mkPen(F_COLOR, width=3), name="f(α) = ln p(X|θ(α))")
        self.bound_curve = item.plot(pen=pg.mkPen(BOUND_COLOR, width=3, style=Qt.PenStyle.DashLine),
                                     name="Q(θ(α)|θ_k) + ℍ_k")
        self.cursor_dot = pg.ScatterPlotItem(size=14, brush=pg.mkBrush(F_COLOR), pen=pg.mkPen("w", width=1.5))
        item.addItem(self.cursor_dot)
        for alpha in (0.0, 1.0):
            item.addItem(pg.InfiniteLine(pos=alpha, angle=90, pen=pg.mkPen("#888888", style=Qt.PenStyle.DotLine)))
        v.addWidget(self.plot, 1)
        self.readout = QLabel()
        self.readout.setWordWrap(True)
        v.addWidget(self.readout)

    def studio_job(self, step):
        return slice_job(step.X, step.snapshots, step.index)

    def own_job(self, X, config, iteration):
        return slice_job(X, config=config, iteration=iteration)

    def show_result(self, result: SliceResult | None) -> None:
        self.result = result
        if result is None:
            self.f_curve.setData([], [])
            self.bound_curve.setData([], [])
            self.cursor_dot.setData([], [])
            return
        s = result.slice
        self.f_curve.setData(s.alphas, s.f)
        self.bound_curve.setData(s.alphas, s.bound)
        i0 = int(np.argmin(np.abs(s.alphas)))
        i1 = int(np.argmin(np.abs(s.alphas - 1.0)))
        ia = i1 if result.at == 1.0 else i0
        self.cursor_dot.setData([s.alphas[ia]], [s.f[ia]])
        where = ("the studio is at the M-step (α = 1): ln p rose above the bound" if result.at == 1.0
                 else "the studio is at the E-step (α = 0): the bound touches ln p")
        who = f"Studio, EM iteration {result.iteration}: {where}" if result.source == "studio" \
            else f"EM iteration {result.iteration}"
        self.readout.setText(
            f"{who}. f(0) = {s.f[i0]:,.4f} = bound(0); bound largest at α = {s.argmax_bound:.2f} "
            f"(the M-step is α = 1); f(1) − f(0) = {s.f[i1] - s.f[i0]:,.4f} ≥ 0. {result.note}")
        self.slice_shown.emit(result)
