"""The classification lab's canvas: the shell's points canvas with the posterior layers on it.

Layers (z order): posterior map image (-10) < iso-probability contours (-8,
:mod:`~gmmviz.labs.classify.qt.contours`) < points (10) < test-point squares
and differing-point circles (12) <
class ellipses (15) < the true generator's Bayes-optimal boundary, dashed
(16) < the fitted decision boundary (17) < the contours' labels (18).  Each reads what it draws from the
:class:`~gmmviz.labs.classify.core.frame.Frame` on screen (computed in the
worker thread); nothing here computes more than a colour lookup.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt

from gmmviz.core import palette
from gmmviz.labs.classify.core.picture import probe
from gmmviz.labs.classify.qt.contours import ContoursLayer
from gmmviz.labs.classify.qt.layers import FrameLayer
from gmmviz.qt.canvas.host import BaseLayer, Canvas

Z_MAP, Z_MARKS, Z_ELLIPSES, Z_TRUTH, Z_BOUNDARY = -10, 12, 15, 16, 17
BOUNDARY_WIDTH, TRUTH_WIDTH, ELLIPSE_WIDTH = 3.0, 2.2, 1.8
DIFFER_COLOR = "#D000D0"
#: At most this many test squares and differing circles are drawn.
MAX_MARKS = 20_000


def _rect(xs: np.ndarray, ys: np.ndarray) -> QRectF:
    """The image rectangle whose pixel centres are the grid samples."""
    dx, dy = xs[1] - xs[0], ys[1] - ys[0]
    return QRectF(xs[0] - dx / 2, ys[0] - dy / 2, dx * xs.size, dy * ys.size)


class MapLayer(BaseLayer):
    """P(y | x) as colours: the reference's, or the compared estimator's when asked."""

    def attach(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(Z_MAP)
        canvas.plot_item.addItem(self.image, ignoreBounds=True)
        self.frame = None
        self.user: tuple | None = None  # (xs, ys, rgba) of the compared estimator
        self.show_user = False

    def show_frame(self, frame) -> None:
        self.frame = frame
        self.redraw()

    def set_user(self, user, show: bool) -> None:
        self.user, self.show_user = user, show
        self.redraw()

    def describe(self, x: float, y: float) -> str | None:
        """P(y | x) of every class at (x, y), in the class colours (the table has every term)."""
        f, ds = self.frame, self.canvas.dataset
        if f is None or ds is None:
            return None
        post = probe(f.model, x, y).posterior
        parts = " ".join(f"<span style='color:{ds.classes[int(c)].color}'>■</span>{p:.2f}"
                         for c, p in zip(f.present, post) if int(c) < len(ds.classes))
        return f"P(y | x): {parts}"

    def redraw(self) -> None:
        if self.show_user and self.user is not None:
            xs, ys, rgba = self.user
        elif self.frame is not None:
            xs, ys, rgba = self.frame.map.xs, self.frame.map.ys, self.frame.image
        else:
            self.image.hide()
            return
        self.image.setImage(np.asarray(rgba), autoLevels=False, levels=(0, 255))
        self.image.setRect(_rect(xs, ys))
        self.image.show()


class LinesLayer(BaseLayer):
    """The decision boundary and the true generator's boundary (dashed)."""

    def attach(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.color, self.truth_color = "#222222", "#505050"
        self.boundary = self._curve(Z_BOUNDARY)
        self.halo = self._curve(Z_BOUNDARY - 0.5)
        self.truth = self._curve(Z_TRUTH)
        self.frame = None
        self._scale = 1.0

    def _curve(self, z: float) -> pg.PlotCurveItem:
        item = pg.PlotCurveItem(connect="finite", antialias=True)
        item.setZValue(z)
        self.canvas.plot_item.addItem(item, ignoreBounds=True)
        return item

    def set_colors(self, boundary: str, truth: str, halo: str) -> None:
        self.color, self.truth_color, self.halo_color = boundary, truth, halo
        self.set_scale(self._scale)

    def set_scale(self, factor: float) -> None:
        self._scale = factor
        self.boundary.setPen(pg.mkPen(self.color, width=BOUNDARY_WIDTH * factor))
        self.halo.setPen(pg.mkPen(getattr(self, "halo_color", "#ffffff"), width=(BOUNDARY_WIDTH + 3) * factor))
        self.truth.setPen(pg.mkPen(self.truth_color, width=TRUTH_WIDTH * factor, style=Qt.PenStyle.DashLine))

    def show_frame(self, frame) -> None:
        self.frame = frame
        empty = (np.empty(0), np.empty(0))
        line = empty if frame is None else frame.boundary
        self.boundary.setData(*line, connect="finite")
        self.halo.setData(*line, connect="finite")
        truth = empty if frame is None or frame.truth_boundary is None else frame.truth_boundary
        self.truth.setData(*truth, connect="finite")
        self.canvas.set_legend("truth", "" if frame is None or frame.truth_boundary is None else
                               f"<span style='color:{self.truth_color}'>╍╍</span> optimal")
        self.canvas.set_legend("boundary", "" if frame is None else
                               f"<span style='color:{self.color}'>━━</span> boundary")


class EllipsesLayer(FrameLayer):
    """Each class's components as 1σ (solid) and 2σ (dashed) ellipses in the class colour."""

    def attach(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.curves: list[tuple[pg.PlotCurveItem, pg.PlotCurveItem]] = []
        self.color_map = lambda c: c

    def show_frame(self, frame) -> None:
        self.frame = frame
        n = 0 if frame is None or not self.visible else frame.n_classes
        while len(self.curves) < n:
            pair = tuple(pg.PlotCurveItem(connect="finite", antialias=True) for _ in range(2))
            for item in pair:
                item.setZValue(Z_ELLIPSES)
                self.canvas.plot_item.addItem(item, ignoreBounds=True)
            self.curves.append(pair)
        ds = self.canvas.dataset
        for c, (one, two) in enumerate(self.curves):
            for item in (one, two):
                item.setVisible(c < n)
            if c >= n or ds is None:
                continue
            color = self.color_map(ds.classes[int(frame.present[c])].color)
            one.setPen(pg.mkPen(color, width=ELLIPSE_WIDTH * self._scale))
            two.setPen(pg.mkPen(color, width=ELLIPSE_WIDTH * self._scale, style=Qt.PenStyle.DashLine))
            one.setData(*frame.ellipses[c][1.0], connect="finite")
            two.setData(*frame.ellipses[c][2.0], connect="finite")


class MarksLayer(BaseLayer):
    """Point fills (the predicted class), squares around test points, circles around differing points."""

    def attach(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.tests = pg.ScatterPlotItem(symbol="s", pxMode=True, brush=None)
        self.differ = pg.ScatterPlotItem(symbol="o", pxMode=True, brush=None)
        for item in (self.tests, self.differ):
            item.setZValue(Z_MARKS)
            canvas.plot_item.addItem(item, ignoreBounds=True)
        self.frame, self.differing = None, np.zeros(0, np.intp)
        self._scale = 1.0
        self.test_color = "#222222"

    def set_scale(self, factor: float) -> None:
        self._scale = factor
        self.refresh()

    def set_dataset(self, dataset) -> None:
        self.frame, self.differing = None, np.zeros(0, np.intp)  # indices of old points mean nothing now
        self.refresh()

    def show_frame(self, frame) -> None:
        self.frame = frame
        self.refresh()

    def set_differing(self, indices) -> None:
        self.differing = np.asarray(indices, dtype=np.intp).reshape(-1)
        self.refresh()

    def predicted(self) -> np.ndarray | None:
        """The predicted class (document index) of every point, or None."""
        f, ds = self.frame, self.canvas.dataset
        if f is None or ds is None or f.train.size + f.test.size != ds.n_points:
            return None
        out = np.empty(ds.n_points, np.int64)
        out[f.train] = f.present[f.train_scores.predicted]
        if f.test_scores is not None:
            out[f.test] = f.present[f.test_scores.predicted]
        return out

    def refresh(self) -> None:
        ds, scale = self.canvas.dataset, self._scale
        if ds is None:
            return
        pred = self.predicted()
        if pred is None:
            self.canvas.points.set_fill(self.canvas.neutral(ds.n_points))
        else:
            table = palette.rgb_table([c.color for c in ds.classes]).astype(np.uint8)
            self.canvas.points.set_fill(table[pred])
        test = np.zeros(0, np.intp) if pred is None else self.frame.test
        too_many = test.size > MAX_MARKS  # (a marker item per point: past this, marking costs seconds)
        if too_many:
            test = np.zeros(0, np.intp)
        side = 2 * self.canvas.points_radius() + 5 * scale
        ink = pg.mkColor(self.test_color)
        ink.setAlpha(150)
        self.tests.setData(pos=ds.X[test] if test.size else np.zeros((0, 2)), size=side,
                           pen=pg.mkPen(ink, width=1.2 * scale), brush=None)
        keep = self.differing[self.differing < ds.n_points][:MAX_MARKS]
        self.differ.setData(pos=ds.X[keep] if keep.size else np.zeros((0, 2)), size=side + 9 * scale,
                            pen=pg.mkPen(DIFFER_COLOR, width=2.5 * scale), brush=None)
        parts = []
        if test.size:
            parts.append("□ test")
        elif too_many:
            parts.append(f"{self.frame.test.size:,} test points (too many to mark)")
        if keep.size:
            parts.append(f"<span style='color:{DIFFER_COLOR}'>○</span> yours differs")
        self.canvas.set_legend("marks", " · ".join(parts))


class ClassifyCanvas(Canvas):
    """The canvas of the classification lab (see the module docstring)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.plot_item.titleLabel.setToolTip(
            "Colours: P(y | x), paler where the classes are equally likely.  Points: outlined in their true class, "
            "filled in the predicted one.  ━━ the decision boundary; ╍╍ the Bayes-optimal boundary of the true "
            "generator (when known); □ a test point; ○ where your classifier differs.")
        self.map_layer = self.add_layer(MapLayer())
        self.lines_layer = self.add_layer(LinesLayer())
        self.contours_layer = self.add_layer(ContoursLayer())
        self.ellipses_layer = self.add_layer(EllipsesLayer())
        self.marks_layer = self.add_layer(MarksLayer())

    def points_radius(self) -> float:
        """The markers' radius in px now."""
        from gmmviz.qt.canvas.host import marker_size

        n = 0 if self.dataset is None else self.dataset.n_points
        return marker_size(n, self.scale)[0]

    def set_contours(self, on: bool) -> None:
        self.contours_layer.set_visible(on)

    def set_ellipses(self, on: bool) -> None:
        self.ellipses_layer.set_visible(on)

    def set_compare(self, differing, user_map, show_user: bool) -> None:
        """The compared estimator: the points where it differs, its map (xs, ys, rgba) and whether to show it."""
        self.marks_layer.set_differing(np.zeros(0, np.intp) if differing is None else differing)
        self.map_layer.set_user(user_map, show_user)
