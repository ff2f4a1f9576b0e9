"""A small plot where a mixture is edited by dragging its ellipses.

Each component is drawn as its 1σ (dashed) and 2σ (solid) ellipse in its
class colour, with three handles on the 2σ ellipse's axes:

* ● at the mean: drag to move the component;
* ■ at the end of each principal axis: drag to stretch that axis and turn
  the ellipse (the other axis keeps its length).

The editor holds no state of its own beyond what it draws: the dialog owns
the table, the editor reports drags as ``component_edited`` and the dialog
calls :meth:`MixtureEditor.set_rows` back (which leaves the handle being
dragged where the pointer is).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal

from gmmviz.core import geometry, palette
from gmmviz.labs.em.core.presets import (
    covariance_from_axes,
    covariance_from_sigmas,
    sigmas_from_covariance,
)

HANDLE_SIGMA = 2.0  # handles sit on the 2-sigma ellipse
MIN_AXIS_RATIO = 0.02  # an axis never gets shorter than 2 % of the other
N_VERTICES = 96


class MixtureEditor(pg.PlotWidget):
    """Preview and drag-to-edit view of a mixture given as table rows.

    Signals
    -------
    component_edited(int, object)
        A handle was dragged: component index and its new
        ``(mu_x, mu_y, sigma_x, sigma_y, rho)`` as a tuple of floats.
    drag_finished()
        The pointer was released after a drag.
    """

    component_edited = Signal(int, object)
    drag_finished = Signal()

    def __init__(self, parent=None):
        super().__init__(parent, background="w")
        self._rows = np.empty((0, 6))
        self._valid = np.zeros(0, dtype=bool)
        self._curves: list[tuple[pg.PlotCurveItem, pg.PlotCurveItem]] = []
        self._handles: list[tuple[pg.TargetItem, pg.TargetItem, pg.TargetItem]] = []
        self._drag: list | None = None  # [i, kind, angle, sd_a, sd_b] while a handle is dragged
        self._brushes = [pg.mkBrush(palette.class_color(i)) for i in range(len(palette.CLASS_COLORS))]
        self._build_ui()

    def _build_ui(self) -> None:
        item = self.getPlotItem()
        item.showGrid(x=True, y=True, alpha=0.15)
        item.hideButtons()
        item.setMenuEnabled(False)
        self.getViewBox().setAspectLocked(True)
        self._points = pg.ScatterPlotItem(size=5, pen=None)
        self._points.setZValue(1)
        item.addItem(self._points)

    # -- public -------------------------------------------------------------
    def set_rows(self, rows: np.ndarray, valid: np.ndarray) -> None:
        """Draw components from table rows.

        Parameters
        ----------
        rows : ndarray of shape (n_components, 6)
            ``(weight, mu_x, mu_y, sigma_x, sigma_y, rho)``; NaN where unreadable.
        valid : ndarray of shape (n_components,), bool
            Which rows describe a drawable Gaussian (others are hidden).
        """
        self._rows, self._valid = np.array(rows, dtype=float).reshape(-1, 6), np.asarray(valid, bool)
        while len(self._curves) < len(self._rows):
            self._add_component(len(self._curves))
        for i, (curves, handles) in enumerate(zip(self._curves, self._handles)):
            shown = i < len(self._rows) and bool(self._valid[i])
            for obj in (*curves, *handles):
                obj.setVisible(shown)
            if shown:
                self._draw_component(i)

    def set_sample(self, X: np.ndarray | None, z: np.ndarray | None) -> None:
        """Show sampled points (X of shape (n, 2), z of shape (n,)), or none."""
        if X is None or len(X) == 0:
            self._points.setData(pos=np.empty((0, 2)))
            return
        brushes = [self._brushes[k % len(self._brushes)] for k in z]
        self._points.setData(pos=X, brush=brushes)

    def fit_view(self, force: bool = False) -> None:
        """Zoom to the 3σ boxes of the components; unless ``force``, only zoom
        out, and only when a 2σ ellipse (where the handles are) left the view."""
        box, inner = self._extent(3.0), self._extent(HANDLE_SIGMA)
        if box is None:
            return
        (x0, y0), (x1, y1) = box
        (vx0, vx1), (vy0, vy1) = self.getViewBox().viewRange()
        if force:
            self.getViewBox().setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.05)
            return
        (ix0, iy0), (ix1, iy1) = inner
        if ix0 < vx0 or ix1 > vx1 or iy0 < vy0 or iy1 > vy1:
            self.getViewBox().setRange(xRange=(min(x0, vx0), max(x1, vx1)), yRange=(min(y0, vy0), max(y1, vy1)),
                                       padding=0.02)

    def handle(self, component: int, kind: int) -> pg.TargetItem:
        """Handle of a component: kind 0 = mean, 1 and 2 = the axis ends (for tests)."""
        return self._handles[component][kind]

    def data_to_widget(self, x: float, y: float):
        return self.mapFromScene(self.getViewBox().mapViewToScene(QPointF(x, y)))

    # -- drawing ------------------------------------------------------------
    def _add_component(self, i: int) -> None:
        color = palette.class_color(i)
        item = self.getPlotItem()
        curves = (pg.PlotCurveItem(pen=pg.mkPen(color, width=1.5, style=pg.QtCore.Qt.PenStyle.DashLine)),
                  pg.PlotCurveItem(pen=pg.mkPen(color, width=2.5)))
        for c in curves:
            c.setZValue(2)
            item.addItem(c, ignoreBounds=True)
        centre = pg.TargetItem(size=16, symbol="o", pen=pg.mkPen("#222222", width=2), brush=pg.mkBrush(color),
                               hoverPen=pg.mkPen("#000000", width=3))
        centre.setToolTip(f"Component {i + 1}: drag to move its mean")
        ends = []
        for _axis in (1, 2):
            end = pg.TargetItem(size=11, symbol="s", pen=pg.mkPen("#222222", width=1.5), brush=pg.mkBrush(color),
                                hoverPen=pg.mkPen("#000000", width=3))
            end.setToolTip(f"Component {i + 1}: drag to stretch this axis and turn the ellipse")
            ends.append(end)
        for kind, h in enumerate((centre, *ends)):
            h.setZValue(5)
            h.sigPositionChanged.connect(lambda item, i=i, kind=kind: self._on_drag(i, kind, item))
            h.sigPositionChangeFinished.connect(self._on_drag_finished)
            item.addItem(h, ignoreBounds=True)
        self._curves.append(curves)
        self._handles.append((centre, ends[0], ends[1]))

    def _draw_component(self, i: int) -> None:
        _, mx, my, sx, sy, rho = self._rows[i]
        mean, cov = np.array([[mx, my]]), covariance_from_sigmas(sx, sy, rho)[None]
        for curve, level in zip(self._curves[i], (1.0, HANDLE_SIGMA)):
            curve.setData(*geometry.ellipse_outlines(mean, cov, level, N_VERTICES))
        if self._drag is not None and self._drag[0] == i and self._drag[1] != 0:
            t, a, b = self._drag[2:]  # keep each handle on its own axis while it is dragged
        else:
            lam_max, lam_min, theta = geometry.principal_axes(cov)
            a, b, t = np.sqrt(lam_max[0]), np.sqrt(lam_min[0]), float(theta[0])
        u, v = np.array([np.cos(t), np.sin(t)]), np.array([-np.sin(t), np.cos(t)])
        spots = (mean[0], mean[0] + HANDLE_SIGMA * a * u, mean[0] + HANDLE_SIGMA * b * v)
        for kind, (h, p) in enumerate(zip(self._handles[i], spots)):
            if self._drag is not None and self._drag[:2] == [i, kind]:
                continue  # the pointer owns it
            h.blockSignals(True)
            h.setPos(float(p[0]), float(p[1]))
            h.blockSignals(False)

    def _extent(self, n_sigma: float):
        """Bounding box (lo, hi) of every drawable component's n-sigma ellipse, or None."""
        ok = self._valid & np.all(np.isfinite(self._rows), axis=1) if len(self._rows) else self._valid
        if not ok.any():
            return None
        r = self._rows[ok]
        return np.min(r[:, 1:3] - n_sigma * r[:, 3:5], axis=0), np.max(r[:, 1:3] + n_sigma * r[:, 3:5], axis=0)

    # -- dragging -----------------------------------------------------------
    def _on_drag(self, i: int, kind: int, item: pg.TargetItem) -> None:
        if i >= len(self._rows) or not self._valid[i]:
            return
        _, mx, my, sx, sy, rho = self._rows[i]
        if self._drag is None or self._drag[:2] != [i, kind]:
            lam_max, lam_min, theta = geometry.principal_axes(covariance_from_sigmas(sx, sy, rho)[None])
            self._drag = [i, kind, float(theta[0]), float(np.sqrt(lam_max[0])), float(np.sqrt(lam_min[0]))]
        _, _, angle, sd_a, sd_b = self._drag
        p = np.array([item.pos().x(), item.pos().y()])
        if kind == 0:
            self.component_edited.emit(i, (float(p[0]), float(p[1]), float(sx), float(sy), float(rho)))
            return
        d = p - (mx, my)
        length = float(np.hypot(*d)) / HANDLE_SIGMA
        angle = float(np.arctan2(d[1], d[0])) - (0.0 if kind == 1 else np.pi / 2)
        if kind == 1:
            sd_a = max(length, MIN_AXIS_RATIO * sd_b, 1e-12)
        else:
            sd_b = max(length, MIN_AXIS_RATIO * sd_a, 1e-12)
        self._drag[2:] = [angle, sd_a, sd_b]
        new = sigmas_from_covariance(covariance_from_axes(angle, sd_a, sd_b))
        self.component_edited.emit(i, (float(mx), float(my), *new))

    def _on_drag_finished(self, *_) -> None:
        if self._drag is not None:
            self._drag = None
            self.set_rows(self._rows, self._valid)
            self.drag_finished.emit()
