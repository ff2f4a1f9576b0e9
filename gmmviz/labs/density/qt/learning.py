"""The learning-curve plot: each estimator's distance to the true density as n grows (log-log).

The curve comes from :func:`gmmviz.labs.density.core.distance.learning_curve`, run on the lab's
run controller; this widget only draws what arrives (each n as it is done).
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from gmmviz.labs.density.core.distance import (
    LEARNING_NS,
    lab_estimators,
    learning_curve,
)
from gmmviz.labs.density.core.sweep import FAMILIES
from gmmviz.labs.density.core.truth import distribution
from gmmviz.labs.density.qt.plots import COLORS, _pen
from gmmviz.qt.runs import RunController

TOOLTIP = ("How far each estimate is from the true density as the sample grows: the integrated squared "
           "error ∫(p̂ − p)² dx against n = 50 … 50,000 (log-log), each estimator fitted to the first n points "
           "of one seeded sample at its rule of thumb (numpy's 'auto' bins, √n points a bin, Silverman's h, "
           "K = 4, the infinite mixture at α = 1).  The dotted line is the lab's n.")
#: The key's names (above the plot): each family by the rule it is fitted with.
NAMES = {"hist": "histogram (auto bins)", "vhist": "equal-mass (√n)", "kde": "kernel (Silverman)",
         "gmm": "GMM (K = 4)", "dpgmm": "infinite (α = 1)"}


def key_html() -> str:
    """The learning plot's key: a line of each family's colour and name (wraps on a narrow plot)."""
    return "&nbsp;&nbsp; ".join(f"<span style='white-space:nowrap'><span style='color:{COLORS[f]}'>━━●━━</span>"
                                f"&nbsp;{html.escape(NAMES[f])}</span>" for f in FAMILIES)


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
        item.setLabel("left", "ISE to truth")  # (short: the plot is short; the tooltip says what it is)
        item.showGrid(x=True, y=True, alpha=0.15)
        for side in ("left", "bottom"):
            item.getAxis(side).enableAutoSIPrefix(False)
        self.lines = {f: item.plot([], [], pen=_pen(COLORS[f], 2.0), symbol="o", symbolSize=5,
                                   symbolBrush=COLORS[f], symbolPen=None)
                      for f in FAMILIES}
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
        if found.size:
            lo, hi = float(np.log10(found.min())), float(np.log10(found.max()))
            pad = 0.05 * max(hi - lo, 0.5)
            self.getPlotItem().setRange(xRange=(np.log10(LEARNING_NS[0]) - 0.05, np.log10(LEARNING_NS[-1]) + 0.05),
                                        yRange=(lo - pad, hi + pad), padding=0)

    def set_current_n(self, n: int) -> None:
        self.current.setValue(np.log10(max(int(n), 1)))


class LearningPanel(QWidget):
    """The learning plot under its key.  The key is a label of its own, above the plot, not a legend
    on it: a legend inside the plot covered the lines on a short plot (1280 x 800, or a projector's
    large text); the label follows the window's font and wraps."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("learningPanel")
        self.key = QLabel(key_html())
        self.key.setObjectName("learningKey")
        self.key.setTextFormat(Qt.TextFormat.RichText)
        self.key.setWordWrap(True)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.key.setSizePolicy(policy)  # all its rows, always: the plot gives up the height
        self.key.setToolTip(TOOLTIP)
        self.plot = LearningPlot()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.key)
        layout.addWidget(self.plot, 1)


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
