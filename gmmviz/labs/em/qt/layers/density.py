"""Heatmap and contours of the mixture's log-density ln p(x | params).

Both layers are evaluated on a regular grid over the visible rectangle
(plus a 10 % margin, so small pans do not reveal an edge) and recomputed
when the parameters change (immediately) or the view range changes
(debounced: one recomputation ~40 ms after the last ``sigRangeChanged`` of
a drag or zoom burst).  Nothing is computed while both layers are hidden.

Levels are tied to the peak P = the largest ln p on the grid or at any
component mean, so frames of an animation share one scale and nothing
flickers:

* heatmap: ``viridis`` over ``[P - 12, P]`` nats, fading to transparent in
  the lowest quarter so the empty plane keeps the background;
* contours: ln p = P - 1, P - 2, P - 4, P - 8 nats.  For a single Gaussian
  ln p falls by r^2 / 2 nats at Mahalanobis radius r, so these are its
  1.4-, 2-, 2.8- and 4-sigma ellipses.

z-values: heatmap -10, contours -9 (see :mod:`gmmviz.labs.em.qt.layers.ellipses`).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QTimer

from gmmviz.core import geometry
from gmmviz.core.gaussian import score_samples
from gmmviz.core.mixture import GaussianParams
from gmmviz.labs.em.qt.layers.ellipses import Z_CONTOURS, Z_DENSITY

SPAN_NATS = 12.0
CONTOUR_OFFSETS = (1.0, 2.0, 4.0, 8.0)
MARGIN = 0.1


def _lookup_table() -> np.ndarray:
    """(256, 4) uint8 viridis with alpha rising over the lowest quarter."""
    lut = pg.colormap.get("viridis").getLookupTable(nPts=256, alpha=True)
    ramp = np.clip(np.linspace(0.0, 4.0, 256), 0.0, 1.0)
    lut[:, 3] = np.rint(215 * ramp).astype(np.uint8)
    return lut


class DensityView:
    """Optional heatmap and contours of ln p(x) under the current parameters.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem or pyqtgraph.ViewBox
    resolution : int, default 160
        Grid samples along each axis of the visible rectangle.
    debounce_ms : int, default 40
        Quiet time after the last range change before recomputing.
    """

    def __init__(self, plot, *, resolution: int = 160, debounce_ms: int = 40):
        self._plot = plot
        self._vb = plot if isinstance(plot, pg.ViewBox) else plot.getViewBox()
        self._resolution = int(resolution)
        self._params: GaussianParams | None = None
        self._show_heatmap = False
        self._show_contours = False
        self._grid: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._peak = float("nan")
        self._build_items(debounce_ms)

    def _build_items(self, debounce_ms: int) -> None:
        self._image = pg.ImageItem(axisOrder="row-major")
        self._image.setLookupTable(_lookup_table())
        self._image.setZValue(Z_DENSITY)
        self._contours = pg.PlotCurveItem(connect="finite", antialias=True)
        self._contours.setZValue(Z_CONTOURS)
        self._contour_pens = {True: pg.mkPen((255, 255, 255, 200), width=1.0),
                              False: pg.mkPen((40, 40, 40, 190), width=1.0)}
        for item in (self._image, self._contours):
            item.hide()
            self._plot.addItem(item, ignoreBounds=True)
        self._bar: pg.ColorBarItem | None = None  # made with the first heatmap (start-up stays short)
        # Parented to the view box: it dies with it, so no late timeout.
        self._timer = QTimer(self._vb)
        self._timer.setSingleShot(True)
        self._timer.setInterval(int(debounce_ms))
        self._timer.timeout.connect(self.refresh)
        self._vb.sigRangeChanged.connect(self._on_range_changed)

    # -- public API -------------------------------------------------------
    def set_params(self, params: GaussianParams | None) -> None:
        """New parameters: recompute now if a layer is shown."""
        self._params = params
        self.refresh()

    def set_visible(self, heatmap: bool, contours: bool) -> None:
        """Show or hide the heatmap and the contours."""
        self._show_heatmap, self._show_contours = bool(heatmap), bool(contours)
        self.refresh()

    def set_resolution(self, resolution: int) -> None:
        """Grid samples per axis (e.g. lower while exporting a video)."""
        self._resolution = max(int(resolution), 2)
        self.refresh()

    def grid_values(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """``(xs (nx,), ys (ny,), Z (ny, nx))`` of the last evaluation, or None."""
        return self._grid

    @property
    def peak(self) -> float:
        """The peak P of ln p the levels are tied to (NaN before any)."""
        return self._peak

    @property
    def colour_bar(self) -> pg.ColorBarItem:
        """The heatmap's scale in nats, right of the plot (shown with the heatmap)."""
        if self._bar is None:
            lut = _lookup_table()
            self._bar = pg.ColorBarItem(values=(-SPAN_NATS, 0.0), width=14, label="ln p(x)", interactive=False,
                                        colorMap=pg.ColorMap(np.linspace(0.0, 1.0, len(lut)), lut),
                                        colorMapMenu=False)
            self._bar.setToolTip(f"ln p(x) of the heatmap: the top is the peak, the bottom {SPAN_NATS:g} nats below it")
            self._bar.hide()
            if isinstance(self._plot, pg.PlotItem):
                self._plot.layout.addItem(self._bar, 2, 5)
        return self._bar

    @property
    def image_item(self) -> pg.ImageItem:
        return self._image

    @property
    def contour_item(self) -> pg.PlotCurveItem:
        return self._contours

    @property
    def pending(self) -> bool:
        """True while a debounced recomputation is scheduled."""
        return self._timer.isActive()

    # -- evaluation -------------------------------------------------------
    def _on_range_changed(self, *_args) -> None:
        if self._params is not None and (self._show_heatmap or self._show_contours):
            self._timer.start()

    def refresh(self) -> None:
        """Recompute both shown layers over the visible rectangle now."""
        self._timer.stop()
        active = self._show_heatmap or self._show_contours
        evaluated = active and self._params is not None and self._evaluate()
        self._image.setVisible(bool(evaluated) and self._show_heatmap)
        if self._bar is not None or (evaluated and self._show_heatmap):
            self.colour_bar.setVisible(bool(evaluated) and self._show_heatmap)
        self._contours.setVisible(bool(evaluated) and self._show_contours)
        if not evaluated:
            self._grid = None
            return
        xs, ys, Z = self._grid
        if self._show_heatmap:
            self._update_image(xs, ys, Z)
        if self._show_contours:
            self._update_contours(xs, ys, Z)

    def _evaluate(self) -> bool:
        """Sample ln p on the grid; False when the view or density is unusable."""
        rect = self._vb.viewRect()
        x0, x1, y0, y1 = rect.left(), rect.right(), rect.top(), rect.bottom()
        if not all(np.isfinite([x0, x1, y0, y1])) or x1 <= x0 or y1 <= y0:
            return False
        mx, my = MARGIN * (x1 - x0), MARGIN * (y1 - y0)
        n = self._resolution
        xs, ys, XY = geometry.grid((x0 - mx, x1 + mx), (y0 - my, y1 + my), n, n)
        with np.errstate(all="ignore"):  # a collapsed component gives inf/nan
            Z = score_samples(XY, self._params).reshape(ys.size, xs.size)
            at_means = score_samples(np.asarray(self._params.means), self._params)
        candidates = np.concatenate([Z[np.isfinite(Z)], at_means[np.isfinite(at_means)]])
        if candidates.size == 0:
            return False
        self._peak = float(candidates.max())
        Z.setflags(write=False)
        self._grid = (xs, ys, Z)
        return True

    def _update_image(self, xs: np.ndarray, ys: np.ndarray, Z: np.ndarray) -> None:
        lo, hi = self._peak - SPAN_NATS, self._peak
        img = np.clip(np.nan_to_num(Z, nan=lo, neginf=lo, posinf=hi), lo, hi).astype(np.float32)
        self._image.setImage(img, autoLevels=False, levels=(lo, hi))
        self.colour_bar.setLevels((lo, hi))
        dx, dy = xs[1] - xs[0], ys[1] - ys[0]
        # Each sample is the centre of its pixel.
        self._image.setRect(QRectF(xs[0] - dx / 2, ys[0] - dy / 2, dx * xs.size, dy * ys.size))

    def _update_contours(self, xs: np.ndarray, ys: np.ndarray, Z: np.ndarray) -> None:
        levels = [self._peak - off for off in CONTOUR_OFFSETS]
        lines = geometry.isolines(Z, xs, ys, levels)
        x = np.concatenate([ln[0] for ln in lines])
        y = np.concatenate([ln[1] for ln in lines])
        self._contours.setData(x, y, connect="finite", pen=self._contour_pens[self._show_heatmap])
