"""The sigma ellipses and means of a mixture, drawn with long-lived items.

Stacking order on the canvas (``QGraphicsItem`` z-values; the constants
below are the single source for every view):

============================  =====  ==========================================
layer                          z      owner
============================  =====  ==========================================
density heatmap                -10    :class:`~gmmviz.labs.em.qt.layers.density.DensityView`
density contours               -9     :class:`~gmmviz.labs.em.qt.layers.density.DensityView`
points                         10     the points view
"truth" ellipses               14     ``EllipsesView(style="truth")`` (halo 13.5)
fitted ellipses                15     ``EllipsesView()`` (halo 14.5)
"truth" means                  19     ``EllipsesView(style="truth")``
fitted means                   20     ``EllipsesView()``
collapse markers               30     ``EllipsesView()``
============================  =====  ==========================================

Ellipses are drawn over the points, each on a thin halo in the plot's
background colour, so they read on any fill and at any density.  One
:class:`pyqtgraph.PlotCurveItem` per (component, sigma level), and one for
its halo, is created the first time it is needed and reused afterwards: a
new frame only calls ``setData`` (and ``setPen`` when the colour or width
changed).  Every component is drawn alike, whatever its mixing weight (the
small components are what the collapse and "K too large" lessons are
about; the weights have their own bars): 1 sigma solid, 2 sigma dashed,
3 sigma dotted.  A component variational Bayes pruned (its share of the
points below the threshold) is drawn dashed grey at every level, its mean
grey: there, not live (:meth:`EllipsesView.set_pruned`).  All items are added with ``ignoreBounds=True`` so a growing
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
Z_POINTS = 10
Z_TRUTH = 14
Z_ELLIPSES = 15
HALO_BELOW = 0.5  # a halo sits just under its curve
Z_TRUTH_MEANS = 19
Z_MEANS = 20
Z_COLLAPSE = 30

SIGMA_LEVELS = (1, 2, 3)
STYLES = ("fit", "truth")
TRUTH_COLOR = "#505050"
COLLAPSE_COLOR = "#E0001B"
PRUNED_COLOR = "#9A9A9A"
_PRUNED_DASHES = [2.0, 2.5]
N_VERTICES = 96

_FIT_DASHES = {1: None, 2: [4.0, 3.0], 3: [1.0, 2.5]}
FIT_WIDTH, TRUTH_WIDTH, HALO_EXTRA = 2.4, 1.8, 2.5  # px at scale 1: line, truth line, halo beyond the line
HALO_COLOR = "#FFFFFF"
#: Where a collapse's "!" sits: above right of its ring (TextItem anchor).
MARK_ANCHOR = (-0.35, 1.35)
#: The true mixture is dash-dotted at every level (the fit's 2σ is dashed, its 3σ dotted): its own style.
_TRUTH_DASHES = {1: [7.0, 2.5, 1.5, 2.5], 2: [7.0, 2.5, 1.5, 2.5, 1.5, 2.5], 3: [4.0, 2.5, 1.5, 2.5]}


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
        self._halos: list[dict[int, pg.PlotCurveItem]] = []
        self._halo_color = HALO_COLOR
        self._pen_keys: dict[pg.PlotCurveItem, tuple] = {}
        self._brushes: dict[str, object] = {}
        self._show_means = True
        self._component_colors: tuple[str, ...] | None = None  # a theme's, else the palette's
        self._truth_color = TRUTH_COLOR
        self._pruned: tuple[bool, ...] = ()
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

    def drawn_color(self, component: int) -> str:
        """The colour its ellipses are drawn in: :meth:`color`, or grey once pruned."""
        return PRUNED_COLOR if self.is_pruned(component) else self.color(component)

    def is_pruned(self, component: int) -> bool:
        return self._style == "fit" and component < len(self._pruned) and self._pruned[component]

    def _ensure_curves(self, k: int) -> None:
        z = Z_TRUTH if self._style == "truth" else Z_ELLIPSES
        while len(self._curves) < k:
            row, halos = {}, {}
            for level in SIGMA_LEVELS:
                for store, depth in ((row, z), (halos, z - HALO_BELOW)):
                    curve = pg.PlotCurveItem(antialias=True, connect="finite")
                    curve.setZValue(depth)
                    curve.hide()
                    self._add(curve)
                    store[level] = curve
            self._curves.append(row)
            self._halos.append(halos)

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
        for i, (row, halos) in enumerate(zip(self._curves, self._halos)):
            for level, curve in row.items():
                curve.setVisible(i < k and self._levels[level])
                halos[level].setVisible(i < k and self._levels[level])

    def set_levels(self, one: bool, two: bool, three: bool) -> None:
        """Which of the 1-, 2- and 3-sigma ellipses to show."""
        self._levels = {1: bool(one), 2: bool(two), 3: bool(three)}
        self.set_params(self._params)

    def set_scale(self, factor: float) -> None:
        """Presentation scale: line widths and marker sizes times ``factor``."""
        self._scale = float(factor)
        self.set_params(self._params)
        self.set_collapse(self._collapse)

    def set_colors(self, *, components=None, truth: str | None = None, halo: str | None = None) -> None:
        """Theme colours: one per component (None: the palette's), the truth grey and the
        halo under every ellipse (the plot's background; None: the defaults)."""
        self._component_colors = tuple(components) if components else None
        self._truth_color = truth or TRUTH_COLOR
        self._halo_color = halo or HALO_COLOR
        self.set_params(self._params)

    def set_means_visible(self, visible: bool) -> None:
        """Show or hide the mean markers (e.g. when draggable handles replace them)."""
        self._show_means = bool(visible)
        self.set_params(self._params)

    def set_pruned(self, pruned) -> None:
        """Per component, whether variational Bayes pruned it (drawn dashed grey); () for none."""
        pruned = tuple(bool(p) for p in pruned)
        if pruned != self._pruned:
            self._pruned = pruned
            self.set_params(self._params)

    @property
    def pruned(self) -> tuple[bool, ...]:
        return self._pruned

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
        self._place_marks()

    def _new_mark(self) -> pg.TextItem:
        mark = pg.TextItem("!", color=COLLAPSE_COLOR, anchor=MARK_ANCHOR,
                           fill=pg.mkBrush(255, 255, 255, 230), border=pg.mkPen(COLLAPSE_COLOR, width=1.5))
        mark.setZValue(Z_COLLAPSE)
        self._add(mark)
        if not self._marks:
            vb = self._plot.getViewBox() if hasattr(self._plot, "getViewBox") else self._plot
            vb.sigRangeChanged.connect(self._place_marks)
            vb.sigResized.connect(self._place_marks)
        return mark

    def _place_marks(self, *_) -> None:
        """Each "!" above and right of its ring, flipped below or left where
        that would cross the top or right edge of the plot (it was clipped)."""
        for mark in self._marks:
            vb = mark.getViewBox()
            if not mark.isVisible() or vb is None:
                continue
            rect = vb.sceneBoundingRect()
            at = vb.mapViewToScene(mark.pos())
            w, h = mark.boundingRect().width(), mark.boundingRect().height()
            ax, ay = MARK_ANCHOR
            if at.y() - ay * h < rect.top():
                ay = -0.35  # below the ring
            if at.x() + (1 - ax) * w > rect.right():
                ax = 1.35  # left of the ring
            if (ax, ay) != tuple(mark.anchor):
                mark.setAnchor((ax, ay))

    # -- read-only access (tests, export) ---------------------------------
    @property
    def params(self) -> GaussianParams | None:
        return self._params

    def curve(self, component: int, n_sigma: int) -> pg.PlotCurveItem:
        """The curve of one component's n-sigma ellipse (it may be hidden)."""
        return self._curves[component][n_sigma]

    def halo(self, component: int, n_sigma: int) -> pg.PlotCurveItem:
        """The halo under :meth:`curve`."""
        return self._halos[component][n_sigma]

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
        width = (TRUTH_WIDTH if self._style == "truth" else FIT_WIDTH) * self._scale
        for level in SIGMA_LEVELS:
            if not self._levels[level]:
                continue
            x, y = geometry.ellipse_outlines(params.means, full, level, n)
            for i in range(k):
                xs, ys = x[i * (n + 1): i * (n + 1) + n], y[i * (n + 1): i * (n + 1) + n]
                pruned = self.is_pruned(i)
                for curve, color, w in ((self._curves[i][level], self.drawn_color(i), width),
                                        (self._halos[i][level], self._halo_color, width + HALO_EXTRA * self._scale)):
                    curve.setData(xs, ys)
                    self._apply_pen(curve, color, level, w, width, pruned)

    def _apply_pen(self, curve, color: str, level: int, width: float, line_width: float,
                   pruned: bool = False) -> None:
        """``curve``'s pen; a halo (``width`` > ``line_width``) keeps the line's dashes in place."""
        key = (color, level, round(width, 3), round(line_width, 3), pruned)
        if self._pen_keys.get(curve) == key:
            return
        pen = QPen(QColor(color))
        pen.setWidthF(max(key[2], 0.5))
        pen.setCosmetic(True)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        dashes = _PRUNED_DASHES if pruned else (_TRUTH_DASHES if self._style == "truth" else _FIT_DASHES)[level]
        if dashes is not None:  # dash lengths are in pen widths: the halo's are scaled to match
            pen.setDashPattern([d * key[3] / max(key[2], 0.5) for d in dashes])
        curve.setPen(pen)
        self._pen_keys[curve] = key

    def _update_means(self, params: GaussianParams) -> None:
        s, truth = self._scale, self._style == "truth"
        ok = np.flatnonzero(np.all(np.isfinite(params.means), axis=1))
        brushes = [self._brush(self.drawn_color(i)) for i in ok]
        self._means.setData(pos=params.means[ok], symbol="x" if truth else "+",
                            size=(12.0 if truth else 16.0) * s, brush=brushes,
                            pen=pg.mkPen("#FFFFFF", width=1.5 * s))

    def _brush(self, color: str):
        if color not in self._brushes:
            self._brushes[color] = pg.mkBrush(color)
        return self._brushes[color]
