"""The density lab's 2-D view: the shared canvas (where the points are painted) with a heatmap layer.

The canvas is :class:`gmmviz.qt.canvas.host.Canvas`, the host the EM studio draws on: the window's
tools (put, brush, erase, select) paint the shared points here directly, and the estimate follows.
:class:`HeatmapLayer` draws the chosen estimate under the points (an image with three contour
lines) and marks the held-out points (open squares; red crosses where the estimate is 0).  It only
draws the :class:`~gmmviz.labs.density.core.view.View2D` it is shown; nothing here computes.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject

from gmmviz.labs.density.core.sweep import FAMILY_TITLES
from gmmviz.labs.density.qt.plots import TEST_COLOR, ZERO_COLOR, _pen
from gmmviz.qt.canvas.host import BaseLayer, Canvas
from gmmviz.qt.classes.panel import ClassesPanel

LEVEL_PENS = ("#ffffff", "#dddddd", "#aaaaaa")


class HeatmapLayer(BaseLayer):
    """The estimate as an image with contours at the 25/50/75 % levels, and the held-out points marked."""

    def __init__(self):
        self.view = None
        self._scale = 1.0

    def attach(self, canvas: Canvas) -> None:
        super().attach(canvas)
        item = canvas.plot_item
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get("viridis"))
        self.image.setZValue(-20)  # under the grid's points
        item.addItem(self.image)
        self.contours = [pg.IsocurveItem(level=0.0, pen=_pen(c, 1.4)) for c in LEVEL_PENS]
        for c in self.contours:
            c.setParentItem(self.image)
        self.test = pg.ScatterPlotItem(size=11, symbol="s", pen=_pen(TEST_COLOR, 1.6), brush=None)
        self.zero = pg.ScatterPlotItem(symbol="x", size=13, pen=_pen(ZERO_COLOR, 1.8), brush=ZERO_COLOR)
        for z, marks in ((11, self.test), (12, self.zero)):
            marks.setZValue(z)
            item.addItem(marks)

    def show_frame(self, view) -> None:
        """Draw a :class:`~gmmviz.labs.density.core.view.View2D` (None: nothing)."""
        self.view = view
        if view is None:
            self.image.clear()
            for item in (self.test, self.zero):
                item.setData([], [])
            for c in self.contours:
                c.setData(None)
            self.canvas.set_legend("density", "")
            return
        d = np.asarray(view.density)
        top = float(d.max()) if np.isfinite(d).all() and d.max() > 0 else 1.0
        self.image.setImage(d, levels=(0.0, top))
        x0, x1, y0, y1 = float(view.xs[0]), float(view.xs[-1]), float(view.ys[0]), float(view.ys[-1])
        self.image.setRect(x0, y0, x1 - x0, y1 - y0)
        for item, level in zip(self.contours, view.levels):
            item.setData(d.T)  # isocurves index data as [x, y]; the image is row-major (rows are y)
            item.setLevel(level)
        self.test.setData(view.test[:, 0], view.test[:, 1])
        z = view.test[view.zero_test]
        self.zero.setData(z[:, 0], z[:, 1])
        self.canvas.set_legend("density", f"{FAMILY_TITLES[view.family]} · <span style='color:{TEST_COLOR}'>□</span>"
                                          f" held out" + (f" · <span style='color:{ZERO_COLOR}'>×</span> p̂ = 0"
                                                          if z.shape[0] else ""))

    def set_scale(self, factor: float) -> None:
        self._scale = factor
        if not hasattr(self, "test"):
            return
        self.test.setSize(11 * factor)
        self.test.setPen(_pen(TEST_COLOR, 1.6 * factor))
        self.zero.setSize(13 * factor)
        self.zero.setPen(_pen(ZERO_COLOR, 1.8 * factor))
        for c, color in zip(self.contours, LEVEL_PENS):
            c.setPen(_pen(color, 1.4 * factor))

    def describe(self, x: float, y: float) -> str | None:
        """The estimate's density at the cursor (its grid's nearest node)."""
        v = self.view
        if v is None or not (v.xs[0] <= x <= v.xs[-1] and v.ys[0] <= y <= v.ys[-1]):
            return None
        i = int(np.abs(v.ys - y).argmin())
        j = int(np.abs(v.xs - x).argmin())
        return f"p̂ = {float(v.density[i, j]):.4g} ({FAMILY_TITLES[v.family].lower()})"


class DensityCanvas(Canvas):
    """The shared points canvas with the density lab's :class:`HeatmapLayer`."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("densityCanvas")
        self.heatmap = self.add_layer(HeatmapLayer())


class PointsEditor:
    """What the window's tools edit in the 2-D mode (:meth:`gmmviz.qt.lab.Lab.points_editor`):
    the canvas, the class list new points take their class from, and the shared points' store."""

    def __init__(self, canvas: DensityCanvas, classes: ClassesPanel, store):
        self.canvas, self.classes, self.store = canvas, classes, store

    @property
    def dataset(self):
        return self.store.document


class Points2D(QObject):
    """The 2-D mode's canvas and class list on the shared points store: every tool's edit goes to the
    store (undoable, seen by every lab), and every change of the store is drawn here."""

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.canvas = DensityCanvas()
        self.classes = ClassesPanel()
        self.editor = PointsEditor(self.canvas, self.classes, store)
        self.canvas.command_requested.connect(lambda cmd, text, gesture: store.push(cmd, text, gesture=gesture))
        self.classes.current_changed.connect(self.canvas.set_current_class)
        store.changed.connect(self.set_dataset)
        self.set_dataset(store.document)
        self._fitted = False

    def set_dataset(self, dataset) -> None:
        self.canvas.set_dataset(dataset)
        self.classes.set_dataset(dataset)
        self.canvas.set_current_class(self.classes.current)

    def entered(self) -> None:
        """The 2-D mode is shown: the first time, zoom to the points."""
        if not self._fitted:
            self._fitted = True
            self.canvas.fit_view()
