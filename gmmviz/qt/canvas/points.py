"""All data points as one pyqtgraph item, recoloured fast enough to animate.

Each point is a round marker: its class colour as the outline, the
responsibility-weighted blend of component colours as the fill.  How the
markers are drawn is decided in :meth:`PointCloudItem.paint` from the paint
device and the number of points:

``stamps`` (raster device, N <= ``small_max``)
    Antialiased stamps, one per distinct (outline, fill) pair, pre-rendered
    at device resolution into an LRU-bounded atlas and blitted with one
    ``drawPixmapFragments`` call; exact painter's-order compositing.
``disks`` (N <= ``disk_max``)
    Numpy rasteriser (:mod:`gmmviz.qt.canvas.raster`): which marker owns each device pixel
    is worked out once per view and cached, so a recolour is a gather.  Points appended
    to the cloud (a click of the brush) keep that plan: the newest, on top, are blitted
    as ``stamps`` over its image until ``tail_max`` of them have piled up.
``bins`` (larger N)
    The mean fill of the points in each device pixel (or 2 x 2 block at
    a 2x scale).
``vector`` (SVG, PDF, printer; N <= ``vector_max``)
    Real circles, so exported lecture figures stay vector graphics.

Default thresholds (``small_max=3000``, ``disk_max=200_000``,
``vector_max=20_000``) come from ``bench/bench_points.py``: a recolour plus
paint of a 1280 x 800 view takes about 1-2 ms up to 1e4 points, 5 ms at 1e5
and 16 ms at 1e6.

Markers are sized in screen pixels; painting at an export scale (a 2x image
of the scene, a HiDPI device) scales them with everything else.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from gmmviz.qt.canvas import raster as rz
from gmmviz.qt.canvas import raster_plans as rp
from gmmviz.qt.canvas.sprites import (
    SELECTION_RGB,
    StampAtlas,
    device_matrix,
    device_region,
    draw_fragments,
    frozen_column,
    guarded_paint,
    marker_stamp,
    ring_pixmap,
    wrap_buffer,
)

#: Device pixels per item pixel beyond which a frame is refused (an export
#: is at most a few times the screen).
_MAX_SCALE = 1e3


def _scale_between(dt: QtGui.QTransform, view: QtGui.QTransform) -> float:
    """How many device pixels one of the view's pixels covers, from the
    axes' lengths (``hypot``: no overflow where a determinant would)."""
    num = math.sqrt(math.hypot(dt.m11(), dt.m12()) * math.hypot(dt.m21(), dt.m22()))
    den = math.sqrt(math.hypot(view.m11(), view.m12()) * math.hypot(view.m21(), view.m22()))
    return num / den if den > 0.0 else math.nan


_VECTOR_ENGINES = {
    QtGui.QPaintEngine.Type.SVG, QtGui.QPaintEngine.Type.Pdf,
    QtGui.QPaintEngine.Type.Picture, QtGui.QPaintEngine.Type.MacPrinter,
    QtGui.QPaintEngine.Type.Windows,
}
#: Colours of the selection ring: a light band inside a dark one.


@dataclass(frozen=True)
class _Frame:
    """How the current paint call maps points to device pixels."""

    matrix: tuple  # item -> device pixels, (m11, m12, m21, m22, dx, dy)
    dpr: float  # device pixel ratio of the paint device
    scale: float  # device pixels per screen pixel: dpr x export zoom
    region: tuple[int, int, int, int]  # device pixels to cover: x0, y0, w, h
    vector: bool


class PointCloudItem(pg.GraphicsObject):
    """Every data point of the canvas in one item.

    Parameters
    ----------
    parent : QGraphicsItem, optional

    Attributes
    ----------
    small_max, disk_max, vector_max : int
        Thresholds between the drawing paths (see the module docstring);
        instance attributes, so a test or a benchmark may force a path.
    atlas_bytes : int
        Memory bound of one stamp atlas.

    Notes
    -----
    Emits no signals.  Arrays handed in are copied and kept read-only.
    """

    def __init__(self, parent: QtWidgets.QGraphicsItem | None = None):
        super().__init__(parent)
        self.small_max, self.disk_max, self.vector_max = 3000, 200_000, 20_000
        self.tail_max = 256
        self.atlas_bytes = 8 << 20
        self._xy = np.zeros((0, 2))
        self._outline = self._fill = np.zeros((0, 3), np.uint8)
        self._radius, self._outline_px = 6.0, 2.0
        self._selected: np.ndarray | None = None
        self._bounds: tuple | None = None
        self._versions = [0, 0, 0]  # data, fill, geometry (changed by any edit but an append)
        self._planned = 0  # points the raster plan covers; later ones were appended since
        self._plan_region: tuple | None = None
        self._derived: dict = {}  # packed colours, per version
        self._atlases: dict = {}
        self._plan: tuple = (None, None)
        self._image: tuple = (None, None, None)
        self._ring: tuple = (None, None, None)

    # ---- data ------------------------------------------------------------

    def set_data(self, xy: np.ndarray, outline: np.ndarray, fill: np.ndarray) -> None:
        """Replace all points.

        Parameters
        ----------
        xy : ndarray, shape (N, 2), float
            Positions in data coordinates, drawn in this order.
        outline, fill : ndarray, shape (N, 3), uint8
            RGB of each point's outline (class) and fill.
        """
        xy = frozen_column(xy, np.float64, "xy", 2)
        n = xy.shape[0]
        outline = frozen_column(outline, np.uint8, "outline", 3, n)
        fill = frozen_column(fill, np.uint8, "fill", 3, n)
        old = self._xy.shape[0]
        appended = 0 < old < n and np.array_equal(xy[:old], self._xy) and np.array_equal(outline[:old], self._outline)
        self.prepareGeometryChange()
        self._xy, self._outline, self._fill = xy, outline, fill
        self._selected, self._bounds, self._derived = None, None, {}
        self._versions[0] += 1
        self._versions[1] += 1
        if not appended:
            self._versions[2] += 1
        self.informViewBoundsChanged()
        self.update()

    def set_fill(self, fill: np.ndarray) -> None:
        """Recolour the fills only (the animation's fast path); same N."""
        self._fill = frozen_column(fill, np.uint8, "fill", 3, self._xy.shape[0])
        self._versions[1] += 1
        self.update()

    def set_outline(self, outline: np.ndarray) -> None:
        """Recolour the outlines only (a theme change); same N, selection kept."""
        self._outline = frozen_column(outline, np.uint8, "outline", 3, self._xy.shape[0])
        self._versions[0] += 1  # the outline cache and the raster plan depend on it
        self._versions[2] += 1
        self.update()

    def set_marker(self, radius_px: float = 6.0, outline_px: float = 2.0) -> None:
        """Marker radius and outline width in screen pixels."""
        if not (radius_px > 0 and 0 <= outline_px <= 2 * radius_px):
            raise ValueError(f"need radius_px > 0 and 0 <= outline_px <= 2 * radius_px, "
                             f"got radius_px={radius_px!r}, outline_px={outline_px!r}")
        self.prepareGeometryChange()
        self._radius, self._outline_px = float(radius_px), float(outline_px)
        self.informViewBoundsChanged()
        self.update()

    def set_selection(self, mask: np.ndarray | None) -> None:
        """Ring the points where ``mask`` (shape (N,), bool) is True; None clears."""
        if mask is not None:
            mask = np.asarray(mask, bool)
            if mask.shape != (self._xy.shape[0],):
                raise ValueError(f"mask must have shape ({self._xy.shape[0]},), got {mask.shape}")
            mask = np.flatnonzero(mask) if mask.any() else None
        self.prepareGeometryChange()
        self._selected = mask
        self.update()

    @property
    def xy(self) -> np.ndarray:
        """Positions (N, 2) float64, read-only."""
        return self._xy

    @property
    def outline(self) -> np.ndarray:
        """Outline colours (N, 3) uint8, read-only."""
        return self._outline

    @property
    def fill(self) -> np.ndarray:
        """Fill colours (N, 3) uint8 as last set, read-only."""
        return self._fill

    # ---- picking (screen pixels of the current view) ----------------------

    def nearest(self, x: float, y: float, max_px: float) -> int:
        """Index of the point nearest data position (x, y), or -1.

        Distances are in screen pixels of the current view; only points
        within ``max_px`` count, and of equally near points the topmost wins.
        """
        d2 = self._screen_d2(x, y)
        if d2.shape[0] == 0:
            return -1
        i = d2.shape[0] - 1 - int(np.argmin(d2[::-1]))
        return i if d2[i] <= max_px * max_px else -1

    def _screen_d2(self, x: float, y: float) -> np.ndarray:
        tr = self.deviceTransform_()
        m = device_matrix(tr) if tr is not None else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        X, Y = rz.to_device(self._xy, m)
        cx, cy = rz.to_device(np.array([[x, y]], np.float64), m)
        return (X - cx[0]) ** 2 + (Y - cy[0]) ** 2

    # ---- geometry (pyqtgraph protocol) -------------------------------------

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):
        """Range of the data along axis ``ax`` (pyqtgraph's auto-range protocol)."""
        if self._xy.shape[0] == 0:
            return (None, None)
        if frac >= 1.0 and orthoRange is None:
            b = self._data_bounds()
            return (b[ax], b[ax + 2])
        d = self._xy[:, ax]
        if orthoRange is not None:
            other = self._xy[:, 1 - ax]
            d = d[(other >= orthoRange[0]) & (other <= orthoRange[1])]
            if d.shape[0] == 0:
                return (None, None)
        if frac >= 1.0:
            return (float(d.min()), float(d.max()))
        return tuple(np.percentile(d, [50 * (1 - frac), 50 * (1 + frac)]))

    def pixelPadding(self) -> float:
        """Screen pixels the markers (and selection rings) reach past the data."""
        pad = self._radius + self._outline_px / 2.0 + 1.0
        return pad + 4.0 if self._selected is not None else pad

    def boundingRect(self) -> QtCore.QRectF:
        if self._xy.shape[0] == 0:
            return QtCore.QRectF()
        x0, y0, x1, y1 = self._data_bounds()
        px, py = self.pixelVectors()
        px = 0.0 if px is None else px.length() * self.pixelPadding()
        py = 0.0 if py is None else py.length() * self.pixelPadding()
        return QtCore.QRectF(x0 - px, y0 - py, x1 - x0 + 2 * px, y1 - y0 + 2 * py)

    def _data_bounds(self) -> tuple[float, float, float, float]:
        if self._bounds is None:
            self._bounds = tuple(map(float, (*self._xy.min(axis=0), *self._xy.max(axis=0))))
        return self._bounds

    def viewTransformChanged(self) -> None:
        self.prepareGeometryChange()  # the padding is in pixels
        super().viewTransformChanged()

    # ---- painting -----------------------------------------------------------

    @guarded_paint
    def paint(self, p: QtGui.QPainter, option, widget=None) -> None:
        n = self._xy.shape[0]
        frame = self._frame(p) if n else None
        if frame is None:
            return
        p.save()
        try:
            # Draw in device pixels: undo the device pixel ratio (which Qt
            # applies below the view transform) and any window/viewport map.
            p.setViewTransformEnabled(False)
            p.setWorldTransform(QtGui.QTransform.fromScale(1 / frame.dpr, 1 / frame.dpr))
            if frame.vector and n <= self.vector_max:
                self._paint_vector(p, frame)
            elif frame.vector or n > self.small_max or not self._paint_stamps(p, frame):
                self._paint_raster(p, frame)
            if self._selected is not None:
                self._paint_selection(p, frame)
        finally:
            p.restore()

    def path_for(self, p: QtGui.QPainter) -> str:
        """Name of the path :meth:`paint` takes on painter ``p``."""
        n = self._xy.shape[0]
        vector = p.paintEngine().type() in _VECTOR_ENGINES
        if vector and n <= self.vector_max:
            return "vector"
        if not vector and n <= self.small_max:
            return "stamps"
        return "disks" if n <= self.disk_max else "bins"

    def _frame(self, p: QtGui.QPainter) -> _Frame | None:
        # Not p.deviceTransform(): when Qt paints a child widget into its
        # window's backing store, that includes the widget's offset in the
        # window, which Qt adds again when we draw (points shifted by the
        # height of the toolbars).  The combined transform (world, then the
        # window/viewport mapping that also carries the device pixel ratio)
        # stops at the painter's own device; paint() draws in device pixels
        # with the view transform off.
        dpr = p.device().devicePixelRatioF()
        dt = p.combinedTransform()  # includes the device pixel ratio
        view = self.deviceTransform_()
        scale = dpr if view is None else _scale_between(dt, view)
        matrix = device_matrix(dt)
        # The hand-over: geometry Qt cannot draw (a view narrower than floats
        # can place, an overflowing transform) draws nothing, never NaN.
        if not (all(map(math.isfinite, matrix)) and math.isfinite(scale) and 0.0 < scale < _MAX_SCALE):
            return None
        region = device_region(p, dt, self.boundingRect(), self.viewRect(), dpr)
        if region is None:
            return None
        return _Frame(matrix, dpr, scale, region, p.paintEngine().type() in _VECTOR_ENGINES)

    def _stamp(self, frame: _Frame) -> rz.Stamp:
        s = frame.scale
        return marker_stamp(round(self._radius * s, 3), round(self._outline_px * s, 3))

    def _visible(self, frame: _Frame, margin: float):
        X, Y = rz.to_device(self._xy, frame.matrix)
        x0, y0, w, h = frame.region
        ids = np.flatnonzero((X >= x0 - margin) & (X < x0 + w + margin)
                             & (Y >= y0 - margin) & (Y < y0 + h + margin))
        return ids, X[ids], Y[ids]

    def _paint_stamps(self, p: QtGui.QPainter, frame: _Frame) -> bool:
        blit = self._stamps(frame)
        if blit is not None:
            draw_fragments(p, *blit)
        return blit is not None

    def _stamps(self, frame: _Frame, start: int = 0):
        """What ``draw_fragments`` blits for the markers from ``start`` on, or None when the atlas
        cannot hold their colours (too many distinct ones: the caller rasterises)."""
        stamp = self._stamp(frame)
        atlas = self._atlas(stamp)
        ids, X, Y = self._visible(frame, stamp.half + 1)
        if start:
            keep = ids >= start
            ids, X, Y = ids[keep], X[keep], Y[keep]
        for bits in (5, 4):  # quantised fills keep the atlas small
            keys = rz.colour_keys(self._outline[ids], self._fill[ids], bits)
            uniq, inverse = np.unique(keys, return_inverse=True)
            cells = atlas.cells(uniq, bits)
            if cells is not None:
                sx, sy = atlas.origin(cells[inverse])
                return np.floor(X) + 0.5, np.floor(Y) + 0.5, sx, sy, stamp.size, atlas.pixmap
        return None

    def _atlas(self, stamp: rz.Stamp) -> StampAtlas:
        key = (stamp.half, stamp.layers.tobytes())
        if key not in self._atlases:
            if len(self._atlases) >= 2:  # screen and one export scale
                self._atlases.pop(next(iter(self._atlases)))
            self._atlases[key] = StampAtlas(stamp, self.atlas_bytes)
        return self._atlases[key]

    def _paint_raster(self, p: QtGui.QPainter, frame: _Frame) -> None:
        n = self._xy.shape[0]
        bins = n > self.disk_max
        cell = max(1, round(frame.scale)) if bins else 0
        key = (frame.matrix, self._versions[2], frame.scale, self._radius, self._outline_px, cell)
        tail = None
        kept = self._plan[0] == key and (self._planned < n or self._plan_region == frame.region)
        if kept and self._planned < n:  # points appended since the plan (their bounds may have grown)
            tail = None if bins or n - self._planned > self.tail_max else self._stamps(frame, self._planned)
            kept = tail is not None
        if not kept:
            self._plan, self._planned, self._plan_region = (key, self._make_plan(frame, cell)), n, frame.region
            self._image = (None, None, None)
        image_key = (key, self._plan_region, self._versions[1])
        if self._image[0] != image_key:
            plan = self._plan[1]
            if bins:
                buf = rp.paint_bins(plan, self._fill, self._packed("lanes"))
            else:
                buf = rp.paint_disks(plan, self._packed("fill"))
            self._image = (image_key, buf, wrap_buffer(buf))
        x0, y0, w, h = self._plan_region
        img = self._image[2]
        if bins:  # one image pixel per cell
            p.drawImage(QtCore.QRectF(x0, y0, img.width() * cell, img.height() * cell), img)
        else:  # the region sits inside the plan's margin
            pad = self._plan[1].pad
            p.drawImage(QtCore.QRectF(x0, y0, w, h), img, QtCore.QRectF(pad, pad, w, h))
            if tail is not None:  # the appended points, on top
                draw_fragments(p, *tail)

    def _make_plan(self, frame: _Frame, cell: int):
        X, Y = rz.to_device(self._xy, frame.matrix)
        if cell:
            return rp.plan_bins(X, Y, frame.region, cell)
        return rp.plan_disks(X, Y, frame.region, self._stamp(frame), self._packed("outline"))

    def _packed(self, name: str) -> np.ndarray:
        key = (name, self._versions[1] if name != "outline" else self._versions[0])
        if key not in self._derived:
            self._derived = {k: v for k, v in self._derived.items() if k[0] != name}
            if name == "lanes":
                self._derived[key] = rz.pack_lanes(self._fill)
            else:
                self._derived[key] = rz.pack_bgra(self._fill if name == "fill" else self._outline)
        return self._derived[key]

    def _paint_vector(self, p: QtGui.QPainter, frame: _Frame) -> None:
        r = self._radius * frame.scale
        ids, X, Y = self._visible(frame, r + self._outline_px * frame.scale)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        pen_w = self._outline_px * frame.scale
        no_pen = QtCore.Qt.PenStyle.NoPen
        pens: dict = {}
        brushes: dict = {}
        outline = rz.pack_bgra(self._outline[ids]).tolist()
        fill = rz.pack_bgra(self._fill[ids]).tolist()
        for x, y, o, f in zip(X.tolist(), Y.tolist(), outline, fill):
            if o not in pens:
                pens[o] = QtGui.QPen(QtGui.QColor.fromRgb(o), pen_w) if pen_w else no_pen
            if f not in brushes:
                brushes[f] = QtGui.QBrush(QtGui.QColor.fromRgb(f))
            p.setPen(pens[o])
            p.setBrush(brushes[f])
            p.drawEllipse(QtCore.QPointF(x, y), r, r)

    def _paint_selection(self, p: QtGui.QPainter, frame: _Frame) -> None:
        r_out = (self._radius + self._outline_px / 2.0) * frame.scale
        X, Y = rz.to_device(self._xy[self._selected], frame.matrix)
        if frame.vector:
            p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
            p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            for rgb, dr in zip(SELECTION_RGB, (1.25, 2.75)):  # the stamp's two bands
                p.setPen(QtGui.QPen(QtGui.QColor(*rgb), 1.5 * frame.scale))
                r = r_out + dr * frame.scale
                for x, y in zip(X.tolist(), Y.tolist()):
                    p.drawEllipse(QtCore.QPointF(x, y), r, r)
            return
        key = (round(r_out, 3), round(frame.scale, 3))
        if self._ring[0] != key:
            self._ring = (key, *ring_pixmap(*key))
        _, stamp, pixmap = self._ring
        zeros = np.zeros(X.shape[0])
        draw_fragments(p, np.floor(X) + 0.5, np.floor(Y) + 0.5, zeros, zeros, stamp.size, pixmap)


