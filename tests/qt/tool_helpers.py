"""Helpers for driving the canvas tools: a fake canvas for pure tool tests,
and real mouse drags on the canvas viewport for widget tests.

How a drag reaches a tool in a test
-----------------------------------
* Press with ``QTest.mousePress`` on ``canvas.plot.viewport()`` (clicks on
  the PlotWidget itself do nothing).
* Moves are ``QMouseEvent(MouseMove, ..., buttons=<held button>,
  modifiers=...)`` sent with ``QApplication.sendEvent``: ``QTest.mouseMove``
  does carry the pressed button in Qt 6 but never a modifier, and Shift/Alt
  drags need one.
* pyqtgraph drops move events closer together than 1/``mouseRateLimit``
  seconds (100 per second by default), so the ``unthrottled`` fixture turns
  the limit off (or a test would have to wait 10 ms between moves).
* The scene turns the moves into one drag once the pointer is
  ``DRAG_THRESHOLD_PX`` from the press; release with ``QTest.mouseRelease``.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gmmviz.qt.canvas.tools import picking

NO_MOD = Qt.KeyboardModifier.NoModifier
LEFT = Qt.MouseButton.LeftButton


def widget_to_data(canvas, pos: QPoint) -> np.ndarray:
    """Data coordinates of viewport pixel ``pos`` (what a tool is told)."""
    p = canvas.view.mapSceneToView(canvas.plot.mapToScene(pos))
    return np.array([p.x(), p.y()])


def in_view(canvas, fx: float, fy: float) -> tuple[float, float]:
    """Data coordinates at fractions (0..1, 0..1) of the visible range: always on the plot."""
    (x0, x1), (y0, y1) = canvas.view.viewRange()
    return x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)


def pixel_path(canvas, points) -> list[QPoint]:
    """Viewport pixels of data points [(x, y), ...]."""
    return [canvas.data_to_widget(float(x), float(y)) for x, y in points]


def drag(canvas, path: list[QPoint], button=LEFT, modifiers=NO_MOD) -> np.ndarray:
    """Press at ``path[0]``, move through ``path[1:]``, release at ``path[-1]``.

    Returns the data coordinates of every pixel of the path, shape (m, 2).
    """
    vp = canvas.plot.viewport()
    QTest.mousePress(vp, button, modifiers, path[0])
    for pos in path[1:]:
        local = QPointF(pos)
        ev = QMouseEvent(QEvent.Type.MouseMove, local, QPointF(vp.mapToGlobal(pos)), Qt.MouseButton.NoButton,
                         button, modifiers)
        QApplication.sendEvent(vp, ev)
    QTest.mouseRelease(vp, button, modifiers, path[-1])
    return np.array([widget_to_data(canvas, p) for p in path])


def line(start: QPoint, end: QPoint, steps: int) -> list[QPoint]:
    """``steps`` + 1 pixels from ``start`` to ``end``."""
    return [QPoint(round(start.x() + (end.x() - start.x()) * t), round(start.y() + (end.y() - start.y()) * t))
            for t in np.linspace(0.0, 1.0, steps + 1)]


def distance_to_path_px(xy: np.ndarray, path: np.ndarray, pixel_size) -> np.ndarray:
    """Brute force: each point's distance in pixels to a polyline (m, 2), by dense sampling."""
    samples = [path[:1]]
    for a, b in zip(path[:-1], path[1:]):
        t = np.linspace(0.0, 1.0, 400)[:, None]
        samples.append(a + t * (b - a))
    dense = np.vstack(samples)
    d = (xy[:, None, :] - dense[None, :, :]) / np.asarray(pixel_size)
    return np.sqrt((d ** 2).sum(axis=2)).min(axis=1)


def ray_cast_inside(xy: np.ndarray, poly: np.ndarray) -> np.ndarray:
    """Independent even-odd test, one point at a time (the oracle for the lasso)."""
    out = []
    for x, y in xy:
        inside = False
        for (x1, y1), (x2, y2) in zip(poly, np.roll(poly, -1, axis=0)):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
        out.append(inside)
    return np.flatnonzero(out)


class FakeCanvas:
    """A ToolContext without Qt: applies pushed commands to its own dataset."""

    def __init__(self, dataset, pixel_size=(0.01, 0.02)):
        self.dataset = dataset
        self.pixel = pixel_size
        self.cls = 0
        self.sel = np.zeros(0, np.intp)
        self.pushed: list = []
        self.outline = None
        self.preview = None

    def current_class(self) -> int:
        return self.cls

    def nearest_point(self, x, y, max_px) -> int:
        if self.dataset.n_points == 0:
            return -1
        d = np.hypot(*picking.to_pixels(self.dataset.X, (x, y), self.pixel).T)
        i = int(np.argmin(d))
        return i if d[i] <= max_px else -1

    def points_xy(self):
        return self.dataset.X

    def pixel_size(self):
        return self.pixel

    def selection(self):
        return self.sel

    def set_selection(self, indices):
        self.sel = np.unique(np.asarray(indices, np.intp))

    def show_outline(self, poly):
        self.outline = None if poly is None else np.array(poly)

    def preview_move(self, indices, xy):
        self.preview = None if indices is None else (np.array(indices), np.array(xy))

    def push(self, command, text, gesture=None):
        self.dataset, _ = command.apply(self.dataset)
        self.pushed.append((command, text, gesture))
