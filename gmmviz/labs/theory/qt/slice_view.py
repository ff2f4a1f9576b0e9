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
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from gmmviz.labs.em.core.types import FitConfig
from gmmviz.labs.theory.core.mm_slice import MMSlice, mm_slice
from gmmviz.labs.theory.qt.computed import ComputedView
from gmmviz.labs.theory.qt.steps import own_run, resolve

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
        source, snaps, i = "studio", snapshots, index
        if snaps is None:
            got = own_run(X, config, iteration, token)
            if got is None:
                return
            snaps, i = got
            source = "own"
        ends, new = resolve(X, snaps, i)
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
        self.studio_step = None
        self._build_ui()
        self._start_computing(self.k.valueChanged, self.seed.valueChanged, self.iteration.valueChanged,
                              self.follow.toggled)
        self.follow.toggled.connect(self._on_follow)
        self._on_follow(self.follow.isChecked())

    def _build_ui(self) -> None:
        v = QVBoxLayout(self)
        row = QHBoxLayout()
        self.follow = QCheckBox("Follow the EM studio's cursor")
        self.follow.setToolTip("The slice through the step the EM studio shows: step EM there, the picture walks")
        self.follow.setChecked(True)
        row.addWidget(self.follow)
        self.k = QSpinBox(minimum=1, maximum=12, value=3)
        self.k.setToolTip("Components K of the mixture EM fits")
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1, value=0)
        self.iteration = QSpinBox(minimum=1, maximum=500, value=1)
        self.iteration.setToolTip("The EM step the slice goes through: theta_k to theta_k+1")
        self.own = []
        for label, w in (("K", self.k), ("seed", self.seed), ("EM iteration", self.iteration)):
            lab = QLabel(label)
            row.addWidget(lab)
            row.addWidget(w)
            self.own += [lab, w]
        row.addStretch(1)
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
            step = self.studio_step
            if step is None:
                self.runner.cancel()
                self.show_result(None)
                self.readout.setText("The EM studio shows no run yet: add points there (or untick "
                                     "'Follow' to run EM here).")
                return
            self.runner.submit(slice_job(step.X, step.snapshots, step.index))
            return
        if not self.enough_points(self.k.value()):
            return
        config = FitConfig(n_components=self.k.value(), init="random", reg_covar=0.0, tol=0.0,
                           max_iter=self.iteration.value(), random_state=self.seed.value())
        self.runner.submit(slice_job(self._X, config=config, iteration=self.iteration.value()))

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
