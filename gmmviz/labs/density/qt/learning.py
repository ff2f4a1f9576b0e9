"""The learning-curve plot: each estimator's distance to the true density as n grows (log-log).

The curve comes from :func:`gmmviz.labs.density.core.distance.learning_curve`, run on the lab's
run controller; this widget only draws what arrives (each n as it is done).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal, Slot

from gmmviz.labs.density.core.distance import (
    LEARNING_NS,
    lab_estimators,
    learning_curve,
)
from gmmviz.labs.density.core.sweep import FAMILY_TITLES
from gmmviz.labs.density.core.truth import distribution
from gmmviz.labs.density.qt.plots import COLORS, _pen
from gmmviz.qt.runs import RunController

TOOLTIP = ("How far each estimate is from the true density as the sample grows: the integrated squared "
           "error ∫(p̂ − p)² dx against n = 50 … 50,000 (log-log), each estimator fitted to the first n points "
           "of one seeded sample at its rule of thumb (numpy's 'auto' bins, √n points a bin, Silverman's h, "
           "K = 4, the infinite mixture at α = 1).  The dotted line is the lab's n.")
#: The legend's band under the curves, in units of their span (log10).
LEGEND_BAND = 0.7
RULES = {"hist": "auto bins", "vhist": "√n pts/bin", "kde": "Silverman h", "gmm": "K = 4", "dpgmm": "α = 1"}


def _short(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


class LearningPlot(pg.PlotWidget):
    """ISE against n, one line with markers per family, both axes logarithmic."""

    def __init__(self, parent=None):
        super().__init__(parent, useOpenGL=False)
        self.setObjectName("learningPlot")
        self.setMenuEnabled(False)
        self.setToolTip(TOOLTIP)
        item = self.getPlotItem()
        item.setLogMode(x=True, y=True)
        item.setLabel("bottom", "n (points fitted)")
        item.getAxis("bottom").setTicks([[(float(np.log10(n)), _short(n)) for n in LEARNING_NS], []])
        item.setLabel("left", "ISE to the true density")
        item.showGrid(x=True, y=True, alpha=0.15)
        for side in ("left", "bottom"):
            item.getAxis(side).enableAutoSIPrefix(False)
        # lower left: the distances fall to the right, so that corner holds no data
        self.legend = item.addLegend(offset=(10, -10), colCount=3)
        self.legend.anchor(itemPos=(0, 1), parentPos=(0, 1), offset=(10, -10))
        self.lines = {f: item.plot([], [], pen=_pen(COLORS[f], 2.0), symbol="o", symbolSize=5,
                                   symbolBrush=COLORS[f], symbolPen=None,
                                   name=f"{FAMILY_TITLES[f].lower()} ({RULES[f]})")
                      for f in ("hist", "vhist", "kde", "gmm", "dpgmm")}
        self.current = pg.InfiniteLine(angle=90, pen=_pen("#777777", 1.0, Qt.PenStyle.DotLine))
        item.addItem(self.current)
        self.message = pg.TextItem("", anchor=(0.5, 0.5), color="#777777")
        item.addItem(self.message, ignoreBounds=True)
        self.curve = None

    def clear_curve(self, message: str = "") -> None:
        """No curve (yet); ``message`` says why."""
        self.curve = None
        for line in self.lines.values():
            line.setData([], [])
        self.message.setText(message)
        self.message.setPos(np.log10(1000.0), -2.0)

    def show_curve(self, curve) -> None:
        """Draw a :class:`~gmmviz.labs.density.core.distance.LearningCurve` (so far)."""
        self.curve = curve
        self.message.setText("")
        ns = np.asarray(curve.ns, dtype=np.float64)
        shown = []
        for family, line in self.lines.items():
            values = dict(curve.ise).get(family)
            if values is None:
                line.setData([], [])
                continue
            ok = np.isfinite(values) & (np.asarray(values) > 0)
            line.setData(ns[ok], np.asarray(values)[ok])
            shown.append(np.asarray(values)[ok])
        found = np.concatenate(shown) if shown else np.zeros(0)
        if found.size:  # a band below the lowest distance for the legend: it covers no line
            lo, hi = np.log10(found.min()), np.log10(found.max())
            span = max(hi - lo, 0.5)
            self.getPlotItem().setRange(xRange=(np.log10(LEARNING_NS[0]) - 0.05, np.log10(LEARNING_NS[-1]) + 0.05),
                                        yRange=(lo - LEGEND_BAND * span, hi + 0.05 * span), padding=0)

    def set_current_n(self, n: int) -> None:
        self.current.setValue(np.log10(max(int(n), 1)))

    def apply_theme(self, th) -> None:
        self.legend.setLabelTextColor(th.plot_fg)
        for _, label in self.legend.items:
            label.setText(label.text, color=th.plot_fg)


class LearningCurves(QObject):
    """The learning curve of the lab's distribution, run on its own run controller when shown.

    ``follow(settings, shown)``: a 1-D generated distribution whose curve is not drawn (or being
    made) starts a run, while the plot is shown; the 2-D mode says the curve needs a true density.
    Results arrive one n at a time.

    Signals
    -------
    updated(object)
        The :class:`~gmmviz.labs.density.core.distance.LearningCurve` so far.
    """

    updated = Signal(object)

    def __init__(self, plot: LearningPlot, parent=None):
        super().__init__(parent)
        self.plot = plot
        self.runs = RunController("The learning curve", "gmmviz-density-learning", self)
        self.runs.yielded.connect(self._on_curve)
        self._key = None  # (distribution, seed) drawn or being drawn

    def follow(self, settings, shown: bool) -> None:
        if settings.mode != "1d":
            self.runs.cancel()
            self._key = None
            self.plot.clear_curve("The learning curve needs a true density: the 1-D generated samples")
            return
        self.plot.set_current_n(settings.n)
        key = (settings.distribution, settings.seed)
        if key == self._key or not shown:
            return
        self._key = key
        self.plot.clear_curve(f"Fitting n = 50 … 50,000 points of '{settings.distribution}'…")
        truth, seed = distribution(settings.distribution), settings.seed

        def job(token):
            for curve in learning_curve(truth, LEARNING_NS, seed=seed, estimators=lab_estimators()):
                yield curve
                if token.cancelled:
                    return

        self.runs.submit(job)

    @Slot(int, object)
    def _on_curve(self, run_id: int, curve) -> None:
        self.plot.show_curve(curve)
        self.updated.emit(curve)

    def shutdown(self) -> None:
        self.runs.shutdown()
