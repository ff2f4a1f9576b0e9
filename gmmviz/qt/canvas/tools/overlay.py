"""What the canvas tools draw over the points: the rubber band or lasso,
the selection rings, and a live preview of a move.

The selection is a set of point indices of the dataset on screen; it
survives edits that leave every point at its index (a move, a relabel, the
undo of those: the store says so) and is cleared by any other change, since
its indices could then name other points.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsPathItem

from gmmviz.qt.canvas.points import PointCloudItem

BAND_PEN = (40, 90, 200)
BAND_FILL = (40, 90, 200, 36)


class ToolLayer(QObject):
    """The tools' overlays on one canvas.

    Parameters
    ----------
    plot_item : pyqtgraph.PlotItem
        Where the outline is drawn (in data coordinates).
    points : PointCloudItem
        The points view: selection rings and the move preview go there.

    Signals
    -------
    selection_changed(int)
        The number of selected points, after every change of the selection.
    """

    selection_changed = Signal(int)

    def __init__(self, plot_item, points: PointCloudItem, parent: QObject | None = None):
        super().__init__(parent)
        self._points = points
        self._xy = np.zeros((0, 2))
        self._selection = np.zeros(0, np.intp)
        self._previewing = False
        self.outline = QGraphicsPathItem()
        pen = QPen(QColor(*BAND_PEN), 1.5)
        pen.setCosmetic(True)
        pen.setStyle(Qt.PenStyle.DashLine)
        self.outline.setPen(pen)
        self.outline.setBrush(QBrush(QColor(*BAND_FILL)))
        self.outline.setZValue(30)
        self.outline.hide()
        plot_item.addItem(self.outline, ignoreBounds=True)

    @property
    def selection(self) -> np.ndarray:
        """Sorted indices of the selected points (read-only)."""
        return self._selection

    def set_selection(self, indices) -> None:
        """Select the points at ``indices`` (out-of-range ones are ignored)."""
        idx = np.asarray(indices, np.intp).reshape(-1)
        if idx.size > 1:
            idx = np.unique(idx)
        idx = idx[(idx >= 0) & (idx < self._xy.shape[0])]
        idx.setflags(write=False)
        changed = not np.array_equal(idx, self._selection)
        self._selection = idx
        self._show_rings()
        if changed:
            self.selection_changed.emit(int(idx.size))

    def on_dataset(self, xy: np.ndarray, keep_selection: bool) -> None:
        """The canvas shows new data ``xy`` (n, 2): end a preview, and drop the
        selection unless the change left every point at its index."""
        self._xy = np.asarray(xy)
        self._previewing = False
        if keep_selection:
            self._show_rings()
        else:
            self.set_selection(np.zeros(0, np.intp))

    def show_outline(self, poly: np.ndarray | None) -> None:
        """Draw the closed polygon ``poly`` (m, 2) in data coordinates, or hide it."""
        if poly is None or len(poly) < 2:
            self.outline.hide()
            return
        path = QPainterPath()
        path.addPolygon(QPolygonF([QPointF(float(x), float(y)) for x, y in poly]))
        path.closeSubpath()
        self.outline.setPath(path)
        self.outline.show()

    def preview_move(self, indices: np.ndarray | None, xy: np.ndarray | None) -> None:
        """Show the points at ``indices`` at ``xy`` (n, 2) without editing the data;
        ``None`` puts them back where the data has them."""
        if indices is None:
            if self._previewing:
                self._previewing = False
                self._points.set_data(self._xy, self._points.outline, self._points.fill)
                self._show_rings()
            return
        moved = np.array(self._xy, np.float64)
        moved[np.asarray(indices, np.intp)] = xy
        self._points.set_data(moved, self._points.outline, self._points.fill)
        self._previewing = True
        self._show_rings()

    def _show_rings(self) -> None:
        n = self._points.xy.shape[0]
        if not self._selection.size or n != self._xy.shape[0]:
            self._points.set_selection(None)
            return
        mask = np.zeros(n, bool)
        mask[self._selection] = True
        self._points.set_selection(mask)

