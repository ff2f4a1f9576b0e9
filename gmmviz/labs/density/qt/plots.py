"""The density lab's plots: the 1-D densities with the points as rugs (and a jittered strip), the score curves
(the 2-D heatmap is a layer of the shared canvas: :mod:`.canvas2d`).

Items are created once and updated with ``setData`` / ``setImage``; nothing
here computes a density (the views come from :mod:`gmmviz.labs.density.core.view`).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QGraphicsItem, QGridLayout, QWidget

from gmmviz.labs.density.core.sweep import FAMILY_TITLES
from gmmviz.qt.style import FittingAxis, cache_axes
from gmmviz.qt.themes import font_size

#: Okabe-Ito colours, one per family.
COLORS = {"hist": "#0072B2", "vhist": "#009E73", "kde": "#D55E00", "gmm": "#CC79A7", "dpgmm": "#E69F00"}
TRAIN_COLOR, TEST_COLOR, ZERO_COLOR = "#555555", "#0072B2", "#D50000"
TRUTH_WIDTH = 2.0
#: Most ticks of each rug drawn (the sample is in random order: the first ones are a random subset).
MAX_RUG = 20_000


def _pen(color, width=2.0, style=Qt.PenStyle.SolidLine):
    pen = pg.mkPen(color, width=width)
    pen.setStyle(style)
    pen.setCosmetic(True)
    return pen


#: The y range's top over the highest curve, at least: room for the legend's rows (more when the
#: legend's text is large for the plot's height, see :meth:`DensityPlot1D._headroom`).
HEADROOM = 1.4
#: Pixels between the legend's lower edge and the highest curve.
LEGEND_GAP = 8
#: Below zero, in units of the highest curve: the rugs end at RUG_BOTTOM; the strip's bands below them.
RUG_BOTTOM, TRAIN_BAND, TEST_BAND, STRIP_BOTTOM = -0.15, (-0.28, -0.17), (-0.40, -0.31), -0.43


class DensityPlot1D(pg.PlotWidget):
    """Densities over x: histogram steps, KDE and mixture curves, the truth dashed; rugs below zero.

    Training points are ticks just below 0, held-out points a row further down (red
    crosses where the histogram gives them density 0).
    """

    def __init__(self, parent=None):
        super().__init__(parent, useOpenGL=False)
        self.setObjectName("densityPlot")
        self.setMenuEnabled(False)
        self.setLabel("left", "p(x)")
        self.setLabel("bottom", "x")
        self.getAxis("left").enableAutoSIPrefix(False)
        cache_axes(self.getPlotItem())  # blitted: replaying the axes was most of a sweep's redraw
        # Three columns in the headroom above the highest curve (HEADROOM): the legend covers no data.
        self.legend = self.addLegend(offset=(10, 4), colCount=3, labelTextColor=pg.getConfigOption("foreground"))
        self.hist = self.plot([], [], stepMode="center", pen=_pen(COLORS["hist"], 1.6), name="histogram")
        self.vhist = self.plot([], [], stepMode="center", pen=_pen(COLORS["vhist"], 1.6, Qt.PenStyle.DashDotLine),
                               name="equal-mass bins")
        self.curves = {f: self.plot([], [], pen=_pen(COLORS[f], 2.2), name=FAMILY_TITLES[f].lower())
                       for f in ("kde", "gmm", "dpgmm")}
        self.truth = self.plot([], [], pen=_pen("#222222", TRUTH_WIDTH, Qt.PenStyle.DashLine), name="true density")
        self.train_rug = self.plot([], [], pen=_pen(TRAIN_COLOR, 1.0), connect="pairs")
        self.test_rug = self.plot([], [], pen=_pen(TEST_COLOR, 1.0), connect="pairs")
        self.zero_marks = pg.ScatterPlotItem(symbol="x", size=11, pen=_pen(ZERO_COLOR, 1.6), brush=ZERO_COLOR)
        self.addItem(self.zero_marks)
        # the jittered strip: training points as grey dots, held-out points as blue open squares, a band each
        self.train_strip = pg.ScatterPlotItem(symbol="o", size=3.5, pen=None, brush=pg.mkBrush(TRAIN_COLOR + "aa"))
        self.test_strip = pg.ScatterPlotItem(symbol="s", size=5, pen=_pen(TEST_COLOR, 1.0), brush=None)
        for item in (self.train_strip, self.test_strip):
            self.addItem(item)
        self._strip = None  # the jitter shown, and the scale it was placed for
        self._points = None  # (train, test) of the rugs
        self._rug_top = None  # the density scale the rugs were placed for
        self.shown = {"hist": True, "vhist": True, "kde": True, "gmm": True, "dpgmm": True}
        self._drawn: dict = {}  # item -> what it shows
        self._ranges = None
        self._top = None  # the highest curve shown (None: nothing shown yet)

    def apply_theme(self, th) -> None:
        self.truth.setPen(_pen(th.truth, TRUTH_WIDTH, Qt.PenStyle.DashLine))
        self.legend.setLabelTextColor(th.plot_fg)
        for _, label in self.legend.items:
            label.setText(label.text, color=th.plot_fg)
        self.train_rug.setPen(_pen(th.muted, 1.0))
        self._rug_top = None

    def show_view(self, view, shown: dict | None = None) -> None:
        """Draw a :class:`~gmmviz.labs.density.core.view.View1D`.

        An item whose arrays are the ones it shows already is not touched (the view hands out the
        same read-only arrays while they hold): as the sweep's results arrive, only what changed
        is redrawn."""
        shown = self.shown if shown is None else shown
        top = 0.0
        for item, family, (edges, heights) in ((self.hist, "hist", view.hist), (self.vhist, "vhist", view.vhist)):
            on = shown.get(family, True)
            self._set(item, edges if on else None, heights if on else None)
            top = max(top, float(heights.max()) if on else 0.0)
        got = dict(view.curves)
        for family, item in self.curves.items():
            on = shown.get(family, True) and family in got
            self._set(item, view.xs if on else None, got[family] if on else None)
            top = max(top, float(got[family].max()) if on else 0.0)
        self._set(self.truth, view.xs if view.truth is not None else None, view.truth)
        if view.truth is not None:
            top = max(top, float(view.truth.max()))
        top = top if np.isfinite(top) and top > 0 else 1.0
        self._place_rugs(view, top)
        drawn = self._drawn.get(self.zero_marks)
        if drawn is None or drawn[0] is not view.zero_test or drawn[1] != self._rug_top:
            self._drawn[self.zero_marks] = (view.zero_test, self._rug_top)
            zero = view.test[view.zero_test]
            self.zero_marks.setData(zero, np.full(zero.shape, -0.11 * self._rug_top))
        self._place_strip(view)
        bottom = STRIP_BOTTOM if view.strip is not None else RUG_BOTTOM
        self._top, self._bottom, self._xs = top, bottom * self._rug_top, (float(view.xs[0]), float(view.xs[-1]))
        self._fit_range()

    def _headroom(self, top: float, lo: float) -> float:
        """The y range's top: the highest curve ``top`` stays below the legend (its rows in pixels over
        the view's height; at a large text scale, or on a short plot, they take more of it)."""
        height = self.getPlotItem().vb.height()
        legend = self.legend.boundingRect().height() + 4 + LEGEND_GAP  # its offset from the top, and a gap
        f = min(0.6, legend / height) if height > 0 else 0.0
        return max(HEADROOM * top, (top - f * lo) / (1.0 - f))

    def refit(self) -> None:
        """The range again, for the legend's size now (a new text scale)."""
        self._ranges = None
        self._fit_range()

    def _fit_range(self) -> None:
        if getattr(self, "_top", None) is None:  # (a resize comes during the constructor too)
            return
        ranges = ((self._bottom, self._headroom(self._top, self._bottom)), self._xs)
        if ranges != self._ranges:
            self._ranges = ranges
            self.setRange(yRange=ranges[0], xRange=ranges[1], padding=0)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._fit_range()  # the legend's share of the height changed

    def _set(self, item, x, y) -> None:
        """``item.setData(x, y)`` unless it shows these very arrays (None: nothing)."""
        drawn = self._drawn.get(item)
        if drawn is not None and drawn[0] is x and drawn[1] is y:
            return
        self._drawn[item] = (x, y)
        item.setData([] if x is None else x, [] if y is None else y)


    def _place_strip(self, view) -> None:
        """The jittered strip below the rugs (when ``view.strip``), placed when the points, the jitter or
        the rugs' scale change."""
        key = (view.strip, self._rug_top)
        if self._strip is not None and self._strip[0] is key[0] and self._strip[1] == key[1]:
            return
        self._strip = key
        if view.strip is None:
            self.train_strip.setData([], [])
            self.test_strip.setData([], [])
            return
        for item, x, jitter, (lo, hi) in ((self.train_strip, view.train, view.strip[0], TRAIN_BAND),
                                          (self.test_strip, view.test, view.strip[1], TEST_BAND)):
            n = min(x.shape[0], MAX_RUG)
            item.setData(np.asarray(x[:n]), (lo + (hi - lo) * np.asarray(jitter[:n])) * self._rug_top)

    def _place_rugs(self, view, top: float) -> None:
        """Ticks below zero, set only when the points change or the scale moves by more than 1.5x:
        a slider move never redraws 1e5 ticks (at most :data:`MAX_RUG` of each are drawn)."""
        same = self._points is not None and self._points[0] is view.train and self._points[1] is view.test
        if same and self._rug_top is not None and 1 / 1.5 < top / self._rug_top < 1.5:
            return
        self._points, self._rug_top = (view.train, view.test), top
        for item in (self.train_rug, self.test_rug):  # thousands of ticks: a blit while they stay
            item.curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        for item, x, y in ((self.train_rug, view.train, -0.05 * top), (self.test_rug, view.test, -0.11 * top)):
            x = np.asarray(x[:MAX_RUG])
            item.setData(np.repeat(x, 2), np.tile([y - 0.025 * top, y + 0.025 * top], x.shape[0]))


LOG_X = ("vhist", "kde", "dpgmm")
#: Each small plot's title and complexity, short: for a plot too narrow for the long ones (a projector's
#: large text on 1280 px cut "Gaussian mi", "log₁₀ bandwid"; m is the points per bin, as the tooltip says).
SHORT = {"hist": ("Hist.", "bins"), "vhist": ("Equal-mass", "m"), "kde": ("Kernel", "h"),
         "gmm": ("GMM", "K"), "dpgmm": ("Infinite", "α")}


class ScoreCurves(QWidget):
    """Train (dashed) and held-out (solid) mean ln p against complexity, one small plot per family
    (the equal-mass histogram's complexity is its points per bin, around the √n rule).

    The kernel's plot adds its 5-fold cross-validated score on the training points (dotted), by
    which its best bandwidth is chosen.  The best setting is a star; the current one a vertical line.  ``-inf`` scores are
    left out of the line (a gap) and shown as red marks at the plot's bottom.
    """

    FAMILIES = (("hist", "bins"), ("vhist", "points per bin (┊ √n)"), ("kde", "bandwidth"), ("gmm", "K"),
                ("dpgmm", "concentration α"))
    TIPS = {"vhist": "Equal-mass bins of m points each, m from √n / 8 to 8 √n; the dotted line is the √n rule "
                     "(the leaderboard's current setting)"}

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("scoreCurves")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self._grid, self._columns = grid, len(self.FAMILIES)
        self._fg = pg.getConfigOption("foreground")
        self.plots, self.items, self.cv_items = {}, {}, {}
        self._titled: dict = {}  # family -> (title, size, colour) shown
        for i, (family, xlabel) in enumerate(self.FAMILIES):
            plot = pg.PlotWidget(useOpenGL=False, axisItems={"bottom": FittingAxis("bottom")})  # narrow plots
            plot.setObjectName(f"score_{family}")
            plot.setMenuEnabled(False)
            plot.getAxis("left").enableAutoSIPrefix(False)
            plot.getAxis("bottom").enableAutoSIPrefix(False)
            cache_axes(plot.getPlotItem())
            color = COLORS[family]
            train = plot.plot([], [], pen=_pen(color, 1.5, Qt.PenStyle.DashLine), connect="finite")
            test = plot.plot([], [], pen=_pen(color, 2.2), connect="finite")
            cv = plot.plot([], [], pen=_pen(color, 1.5, Qt.PenStyle.DotLine), connect="finite")
            best = pg.ScatterPlotItem(symbol="star", size=14, pen=_pen("#000000", 0.8), brush=color)
            minus_inf = pg.ScatterPlotItem(symbol="t", size=6, pen=_pen(ZERO_COLOR, 1.0), brush=ZERO_COLOR)
            current = pg.InfiniteLine(angle=90, pen=_pen("#777777", 1.0, Qt.PenStyle.DotLine))
            for item in (best, minus_inf, current):
                plot.addItem(item)
            plot.setToolTip(self.TIPS.get(family, ""))
            self.plots[family] = plot
            self._title(family)
            self.items[family] = (train, test, best, minus_inf, current)
            self.cv_items[family] = cv
            grid.addWidget(plot, 0, i)
        self.plots["hist"].setLabel("left", "mean ln p")

    def resizeEvent(self, event) -> None:
        """A row of five plots when wide, rows of three when tall (an export beside the density plot)."""
        columns = len(self.FAMILIES) if event.size().width() >= 2.0 * event.size().height() else 3
        if columns != self._columns:
            self._columns = columns
            for i, (family, _) in enumerate(self.FAMILIES):
                self._grid.addWidget(self.plots[family], i // columns, i % columns)
            self._grid.setGeometry(self.rect())  # now: an export renders right after its resize
        super().resizeEvent(event)
        for family in self.plots:  # the long texts, or the short ones where they do not fit
            self._title(family)

    def clear(self) -> None:
        for family, (train, test, best, minus_inf, _) in self.items.items():
            for item in (train, test, best, minus_inf, self.cv_items[family]):
                item.setData([], [])

    def show_curve(self, curve) -> None:
        family = curve.family if curve.family in self.items else None
        if family is None:
            return
        train, test, best, minus_inf, _ = self.items[family]
        x = np.asarray(curve.settings, dtype=np.float64)
        tr = np.where(np.isfinite(curve.train), curve.train, np.nan)
        te = np.where(np.isfinite(curve.test), curve.test, np.nan)
        if family in LOG_X:
            x = np.log10(x)
        train.setData(x, tr)
        test.setData(x, te)
        cv = None if curve.cv is None else np.where(np.isfinite(curve.cv), curve.cv, np.nan)
        self.cv_items[family].setData(x if cv is not None else [], cv if cv is not None else [])
        scores = curve.cv if curve.cv is not None else curve.test
        finite = np.concatenate([tr[np.isfinite(tr)], te[np.isfinite(te)]])
        floor = float(finite.min()) if finite.size else 0.0
        if finite.size:  # the train and test curves set the range (a CV score far below is cut off)
            span = max(float(finite.max()) - floor, 1e-3)
            lo, hi = float(np.nanmin(x)), float(np.nanmax(x))
            pad = 0.04 * max(hi - lo, 1.0)
            # both ranges set here, none left to a lazy auto-range (which repaints the plot once more)
            self.plots[family].setRange(xRange=(lo - pad, hi + pad),
                                        yRange=(floor - 0.08 * span, float(finite.max()) + 0.05 * span), padding=0)
        bad = ~np.isfinite(curve.test)
        minus_inf.setData(x[bad], np.full(int(bad.sum()), floor))
        if np.isfinite(scores[curve.best]):  # the star sits on the curve the best was chosen by
            best.setData([x[curve.best]], [scores[curve.best]])
        else:
            best.setData([], [])

    def set_current(self, family: str, value: float) -> None:
        if family in self.items and np.isfinite(value) and value > 0:
            self.items[family][4].setValue(np.log10(value) if family in LOG_X else value)

    def apply_theme(self, th) -> None:
        self._fg = th.plot_fg
        for family in self.plots:
            self._title(family)

    def _title(self, family: str) -> None:
        """The plot's title and complexity label, long if they fit its width in the current font, else short."""
        plot = self.plots[family]
        metrics = self.fontMetrics()
        long_label = dict(self.FAMILIES)[family]
        title, label = FAMILY_TITLES[family], long_label
        room = self.width() / self._columns
        left = plot.getPlotItem().getAxis("left").width()
        if max(metrics.horizontalAdvance(title), metrics.horizontalAdvance("log₁₀ " + label)) + left > room - 12:
            title, label = SHORT[family]
        shown = (title, font_size(self.font()), self._fg)
        if self._titled.get(family) != shown:  # (a new title lays the plot out again: not on every resize)
            self._titled[family] = shown
            plot.setTitle(title, size=shown[1], color=shown[2])
        text = ("log₁₀ " + label) if family in LOG_X else label
        bottom = plot.getPlotItem().getAxis("bottom")
        if bottom.labelText != text:
            plot.setLabel("bottom", text)
            bottom.setToolTip(f"{FAMILY_TITLES[family]}: {'log₁₀ ' if family in LOG_X else ''}{long_label}")

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the text scale: the titles as large as the ticks
            for family in self.plots:
                self._title(family)
