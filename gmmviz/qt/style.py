"""Look and feel shared by every plot in the window."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem


def cache_axes(plot: pg.PlotItem) -> None:
    """Let Qt keep each axis as a pixmap.

    pyqtgraph replays an axis's QPicture (text and ticks) on every repaint of
    its plot, about 3 ms per axis in the software renderer; during playback
    that was most of a frame.  With a device-coordinate cache an unchanged
    axis is a blit; Qt re-renders it when its ticks or size change.
    An export paints them afresh (:func:`gmmviz.qt.export.images.paint_plan`): a cached axis is the
    screen's pixels and can clip a label that grew.
    """
    for name in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(name)
        if axis is not None:
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
