"""Drawing helpers of :class:`gmmviz.qt.canvas.points.PointCloudItem`: marker stamps as
pixmaps, an atlas of coloured stamps, and the device geometry of a paint call."""

from __future__ import annotations

import functools
import logging
import math
from contextlib import contextmanager
from functools import lru_cache

import numpy as np
import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

from gmmviz.qt.canvas import raster as rz

_ARGB32_PM = QtGui.QImage.Format.Format_ARGB32_Premultiplied
SELECTION_RGB = ((255, 255, 255), (25, 25, 25))


@lru_cache(maxsize=16)
def marker_stamp(radius: float, outline: float) -> rz.Stamp:
    return rz.marker_stamp(radius, outline)


def ring_pixmap(r_out: float, scale: float) -> tuple[rz.Stamp, QtGui.QPixmap]:
    """Stamp and pixmap of the selection ring around a marker of ``r_out``."""
    stamp = rz.annulus_stamp([r_out + 0.5 * scale, r_out + 2 * scale, r_out + 3.5 * scale])
    img = rz.stamp_images(stamp, np.array([SELECTION_RGB], np.uint8))[0]
    return stamp, QtGui.QPixmap.fromImage(wrap_buffer(img).copy())


def wrap_buffer(buf: np.ndarray) -> QtGui.QImage:
    """QImage viewing a C-contiguous (h, w) uint32 buffer; keep ``buf`` alive."""
    h, w = buf.shape
    return QtGui.QImage(buf.data, w, h, buf.strides[0], _ARGB32_PM)


def draw_fragments(p: QtGui.QPainter, x, y, cell_x, cell_y, size: int, pixmap) -> None:
    """Blit ``size``-pixel cells of ``pixmap`` centred on (x, y), in order."""
    frags = np.empty((x.shape[0], 10))
    frags[:, 0], frags[:, 1] = x, y
    frags[:, 2], frags[:, 3] = cell_x, cell_y
    frags[:, 4:8] = (size, size, 1.0, 1.0)
    frags[:, 8:10] = (0.0, 1.0)
    if frags.shape[0]:
        ptr = shiboken6.wrapInstance(frags.ctypes.data, QtGui.QPainter.PixmapFragment)
        p.drawPixmapFragments(ptr, frags.shape[0], pixmap)


class StampAtlas:
    """Marker stamps of (outline, fill) pairs in one pixmap, LRU-bounded."""

    def __init__(self, stamp: rz.Stamp, max_bytes: int):
        self.stamp = stamp
        size = stamp.size
        self.cols = max(1, 2048 // size)
        cap = max(256, min(65536, max_bytes // (size * size * 4)))
        self.rows = -(-cap // self.cols)
        self.table = rz.SlotTable(self.rows * self.cols)
        self.buf = np.zeros((self.rows * size, self.cols * size), np.uint32)
        self.pixmap = QtGui.QPixmap(self.cols * size, self.rows * size)
        self.pixmap.fill(QtCore.Qt.GlobalColor.transparent)

    def cells(self, keys: np.ndarray, bits: int) -> np.ndarray | None:
        """Atlas cells of sorted unique colour keys; None if they don't fit."""
        got = self.table.assign(keys)
        if got is None:
            return None
        cells, new = got
        if new.any():
            self._draw(cells[new], rz.stamp_images(self.stamp, rz.key_colours(keys[new], bits)))
        return cells

    def origin(self, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Top-left pixel of each cell."""
        row, col = np.divmod(cells, self.cols)
        return col * self.stamp.size, row * self.stamp.size

    def _draw(self, cells: np.ndarray, images: np.ndarray) -> None:
        size = self.stamp.size
        row, col = np.divmod(cells, self.cols)
        grid = self.buf.reshape(self.rows, size, self.cols, size)
        grid[row, :, col, :] = images
        top, bottom = row.min() * size, (row.max() + 1) * size
        band = wrap_buffer(self.buf[top:bottom])
        p = QtGui.QPainter(self.pixmap)
        p.setCompositionMode(QtGui.QPainter.CompositionMode.CompositionMode_Source)
        p.drawImage(QtCore.QPointF(0, top), band)
        p.end()


def frozen_column(a, dtype, name: str, cols: int, n: int | None = None) -> np.ndarray:
    """A read-only C-contiguous copy of ``a``, checked to be (n, cols)."""
    arr = np.array(a, dtype=dtype, copy=True, order="C")
    if arr.ndim != 2 or arr.shape[1] != cols or (n is not None and arr.shape[0] != n):
        want = f"({'N' if n is None else n}, {cols})"
        raise ValueError(f"{name} must have shape {want}, got {np.shape(a)}")
    if dtype is np.float64 and not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite; drop or impute the NaN/inf rows first")
    arr.setflags(write=False)
    return arr


def device_matrix(t: QtGui.QTransform) -> tuple:
    return (t.m11(), t.m12(), t.m21(), t.m22(), t.dx(), t.dy())


def device_region(p: QtGui.QPainter, dt: QtGui.QTransform, bounds: QtCore.QRectF,
                   visible: QtCore.QRectF | None, dpr: float) -> tuple[int, int, int, int] | None:
    """Device pixels on the device, inside the view (else the clip) and near the item.

    The view's rectangle, unlike the painter's clip, does not shrink when Qt
    repaints only part of the viewport, so a partial repaint reuses the cache.
    """
    dev = p.device()
    if isinstance(dev, (QtGui.QImage, QtGui.QPixmap)):
        rect = QtCore.QRectF(0, 0, dev.width(), dev.height())
    elif isinstance(dev, QtWidgets.QWidget):
        rect = QtCore.QRectF(0, 0, math.ceil(dev.width() * dpr), math.ceil(dev.height() * dpr))
    else:
        rect = QtCore.QRectF(p.viewport())
    rect = rect.intersected(dt.mapRect(bounds))
    if visible is not None:
        rect = rect.intersected(dt.mapRect(visible))
    elif p.hasClipping():
        rect = rect.intersected(dt.mapRect(p.clipBoundingRect()))
    x0, y0 = math.floor(rect.left()), math.floor(rect.top())
    x1, y1 = math.ceil(rect.right()), math.ceil(rect.bottom())
    if rect.isEmpty() or x1 <= x0 or y1 <= y0:
        return None
    return (x0, y0, x1 - x0, y1 - y0)


def guarded_paint(paint):
    """Wrap an item's ``paint`` so that no exception ever reaches Qt (PySide
    aborts the process on one raised inside a virtual override): the item
    draws nothing that frame and the first failure is logged once."""

    @functools.wraps(paint)
    def wrapper(self, p, *args, **kwargs):
        try:
            paint(self, p, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001 (the last line before Qt)
            if not getattr(wrapper, "_logged", False):
                wrapper._logged = True
                logging.getLogger("gmmviz").warning("could not draw %s: %s", type(self).__name__, exc)
    return wrapper


@contextmanager
def zoomed_scale(set_scale, scale: float, zoom: float):
    """``set_scale(scale * zoom)`` for the moment of an export drawn ``zoom``
    times larger by the painter (Qt's cosmetic pens ignore its scale), then
    ``set_scale(scale)`` again."""
    if zoom == 1.0:
        yield
        return
    set_scale(scale * zoom)
    try:
        yield
    finally:
        set_scale(scale)
