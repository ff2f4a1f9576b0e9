"""The sigma ellipses and means of a mixture, drawn with long-lived items.

Stacking order on the canvas (``QGraphicsItem`` z-values; the constants
below are the single source for every view):

============================  =====  ==========================================
layer                          z      owner
============================  =====  ==========================================
density heatmap                -10    :class:`~gmmviz.labs.em.qt.layers.density.DensityView`
density contours               -9     :class:`~gmmviz.labs.em.qt.layers.density.DensityView`
"truth" ellipses               4      ``EllipsesView(style="truth")``
fitted ellipses                5      ``EllipsesView()``
points                         10     the points view
"truth" means                  19     ``EllipsesView(style="truth")``
fitted means                   20     ``EllipsesView()``
collapse markers               30     ``EllipsesView()``
============================  =====  ==========================================

One :class:`pyqtgraph.PlotCurveItem` per (component, sigma level) is
created the first time it is needed and reused afterwards: a new frame only
calls ``setData`` (and ``setPen`` when the rounded width or opacity
changed).  Each component keeps its own curves because its pen encodes its
mixing weight: width ``(1.2 + 5 pi_k) * scale`` px and opacity
``0.35 + 0.65 pi_k / max(pi)``.  1 sigma is solid, 2 sigma dashed, 3 sigma
dotted.  All items are added with ``ignoreBounds=True`` so a growing
ellipse never drags the auto-range.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPen

from gmmviz.core import geometry, palette
from gmmviz.core.mixture import GaussianParams
from gmmviz.labs.em.core.types import Collapse

Z_DENSITY = -10
Z_CONTOURS = -9
Z_TRUTH = 4
Z_ELLIPSES = 5
Z_POINTS = 10
Z_TRUTH_MEANS = 19
Z_MEANS = 20
Z_COLLAPSE = 30

SIGMA_LEVELS = (1, 2, 3)
STYLES = ("fit", "truth")
TRUTH_COLOR = "#505050"
COLLAPSE_COLOR = "#E0001B"
N_VERTICES = 96

_FIT_DASHES = {1: None, 2: [4.0, 3.0], 3: [1.0, 2.5]}
_TRUTH_DASHES = {1: [6.0, 4.0], 2: [3.0, 4.0], 3: [1.0, 4.0]}


class EllipsesView:
    """Sigma ellipses, mean markers and collapse markers of one mixture.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem or pyqtgraph.ViewBox
        Where the items go; they stay there for the life of the view.
    style : {"fit", "truth"}, default "fit"
        ``"fit"`` draws in the component colours; ``"truth"`` draws a
        known generating mixture as a dashed grey overlay under the fit.
    """

    def __init__(self, plot, *, style: str = "fit"):
        if style not in STYLES:
            raise ValueError(f"style must be one of {STYLES}, got {style!r}")
        self._plot = plot
        self._style = style
        self._scale = 1.0
        self._levels = {1: True, 2: True, 3: False}
        self._params: GaussianParams | None = None
        self._collapse: Collapse | None = None
        self._curves: list[dict[int, pg.PlotCurveItem]] = []
        self._pen_keys: dict[pg.PlotCurveItem, tuple] = {}
        self._brushes: dict[str, object] = {}
        self._show_means = True
        self._component_colors: tuple[str, ...] | None = None  # a theme's, else the palette's
        self._truth_color = TRUTH_COLOR
        self._build_items()

    # -- construction -----------------------------------------------------
    def _build_items(self) -> None:
        truth = self._style == "truth"
        self._means = pg.ScatterPlotItem(pxMode=True, antialias=True)
        self._means.setZValue(Z_TRUTH_MEANS if truth else Z_MEANS)
        self._rings = pg.ScatterPlotItem(pxMode=True, antialias=True)
        self._rings.setZValue(Z_COLLAPSE)
        self._marks: list[pg.TextItem] = []
        for item in (self._means, self._rings):
            self._add(item)
            item.hide()

    def _add(self, item) -> None:
        self._plot.addItem(item, ignoreBounds=True)  # PlotItem and ViewBox alike

    def color(self, component: int) -> str:
        """The colour component ``component`` is drawn in (the theme's, if it set one)."""
        if self._style == "truth":
            return self._truth_color
        colors = self._component_colors
        return colors[component % len(colors)] if colors else palette.component_color(component)

    def _ensure_curves(self, k: int) -> None:
        z = Z_TRUTH if self._style == "truth" else Z_ELLIPSES
        while len(self._curves) < k:
            row = {}
            for level in SIGMA_LEVELS:
                curve = pg.PlotCurveItem(antialias=True, connect="finite")
                curve.setZValue(z)
                curve.hide()
                self._add(curve)
                row[level] = curve
            self._curves.append(row)

    # -- public API -------------------------------------------------------
    def set_params(self, params: GaussianParams | None) -> None:
        """Draw ``params`` (reusing the items), or hide everything for None."""
        self._params = params
        k = 0 if params is None else params.n_components
        self._ensure_curves(k)
        if params is not None:
            self._update_curves(params)
            self._update_means(params)
        self._means.setVisible(k > 0 and self._show_means)
        for i, row in enumerate(self._curves):
            for level, curve in row.items():
                curve.setVisible(i < k and self._levels[level])

    def set_levels(self, one: bool, two: bool, three: bool) -> None:
        """Which of the 1-, 2- and 3-sigma ellipses to show."""
        self._levels = {1: bool(one), 2: bool(two), 3: bool(three)}
        self.set_params(self._params)

    def set_scale(self, factor: float) -> None:
        """Presentation scale: line widths and marker sizes times ``factor``."""
        self._scale = float(factor)
        self.set_params(self._params)
        self.set_collapse(self._collapse)

    def set_colors(self, *, components=None, truth: str | None = None) -> None:
        """Theme colours: one per component (None: the palette's) and the truth grey (None: default)."""
        self._component_colors = tuple(components) if components else None
        self._truth_color = truth or TRUTH_COLOR
        self.set_params(self._params)

    def set_means_visible(self, visible: bool) -> None:
        """Show or hide the mean markers (e.g. when draggable handles replace them)."""
        self._show_means = bool(visible)
        self.set_params(self._params)

    def set_collapse(self, collapse: Collapse | None) -> None:
        """Mark each collapsed component with a red ring and "!"; None clears."""
        self._collapse = collapse
        locs = np.empty((0, 2)) if collapse is None else np.asarray(collapse.locations, float).reshape(-1, 2)
        locs = locs[np.all(np.isfinite(locs), axis=1)]
        s = self._scale
        self._rings.setData(pos=locs, symbol="o", size=34 * s, brush=pg.mkBrush(None),
                            pen=pg.mkPen(COLLAPSE_COLOR, width=3.0 * s))
        self._rings.setVisible(len(locs) > 0)
        while len(self._marks) < len(locs):
            self._marks.append(self._new_mark())
        font = QFont()
        font.setBold(True)
        font.setPointSizeF(13.0 * s)
        tip = "" if collapse is None else collapse.message
        for i, mark in enumerate(self._marks):
            mark.setVisible(i < len(locs))
            if i < len(locs):
                mark.setFont(font)
                mark.setPos(float(locs[i, 0]), float(locs[i, 1]))
                mark.setToolTip(tip)

    def _new_mark(self) -> pg.TextItem:
        mark = pg.TextItem("!", color=COLLAPSE_COLOR, anchor=(-0.35, 1.35),
                           fill=pg.mkBrush(255, 255, 255, 230), border=pg.mkPen(COLLAPSE_COLOR, width=1.5))
        mark.setZValue(Z_COLLAPSE)
        self._add(mark)
        return mark

    # -- read-only access (tests, export) ---------------------------------
    @property
    def params(self) -> GaussianParams | None:
        return self._params

    def curve(self, component: int, n_sigma: int) -> pg.PlotCurveItem:
        """The curve of one component's n-sigma ellipse (it may be hidden)."""
        return self._curves[component][n_sigma]

    @property
    def means_item(self) -> pg.ScatterPlotItem:
        return self._means

    def collapse_items(self) -> tuple[pg.ScatterPlotItem, list[pg.TextItem]]:
        """The ring scatter and the visible "!" marks."""
        return self._rings, [m for m in self._marks if m.isVisible()]

    # -- updates ----------------------------------------------------------
    def _update_curves(self, params: GaussianParams) -> None:
        k, n = params.n_components, N_VERTICES
        full = params.full_covariances()
        widths, alphas = self._weight_styles(params.weights)
        for level in SIGMA_LEVELS:
            if not self._levels[level]:
                continue
            x, y = geometry.ellipse_outlines(params.means, full, level, n)
            for i in range(k):
                curve = self._curves[i][level]
                curve.setData(x[i * (n + 1): i * (n + 1) + n], y[i * (n + 1): i * (n + 1) + n])
                self._apply_pen(curve, i, level, widths[i], alphas[i])

    def _weight_styles(self, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pen width (px) and opacity (0..1) per component from pi_k."""
        w = np.clip(np.nan_to_num(np.asarray(weights, float)), 0.0, 1.0)
        if self._style == "truth":
            return np.full(w.shape, 1.6 * self._scale), np.full(w.shape, 0.85)
        top = w.max() if w.size and w.max() > 0 else 1.0
        return (1.2 + 5.0 * w) * self._scale, 0.35 + 0.65 * w / top

    def _apply_pen(self, curve, component: int, level: int, width: float, alpha: float) -> None:
        key = (self.color(component), level, round(width * 4) / 4, round(alpha * 32) / 32)
        if self._pen_keys.get(curve) == key:
            return
        color = QColor(key[0])
        color.setAlphaF(key[3])
        pen = QPen(color)
        pen.setWidthF(max(key[2], 0.5))
        pen.setCosmetic(True)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        dashes = (_TRUTH_DASHES if self._style == "truth" else _FIT_DASHES)[level]
        if dashes is not None:
            pen.setDashPattern(dashes)
        curve.setPen(pen)
        self._pen_keys[curve] = key

    def _update_means(self, params: GaussianParams) -> None:
        s, truth = self._scale, self._style == "truth"
        ok = np.flatnonzero(np.all(np.isfinite(params.means), axis=1))
        brushes = [self._brush(self.color(i)) for i in ok]
        self._means.setData(pos=params.means[ok], symbol="x" if truth else "+",
                            size=(12.0 if truth else 16.0) * s, brush=brushes,
                            pen=pg.mkPen("#FFFFFF", width=1.5 * s))

    def _brush(self, color: str):
        if color not in self._brushes:
            self._brushes[color] = pg.mkBrush(color)
        return self._brushes[color]
