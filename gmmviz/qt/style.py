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
    """
    set_axis_cache(plot, True)


def set_axis_cache(plot: pg.PlotItem, on: bool) -> None:
    """Axes kept as pixmaps (``on``) or painted every time (exact: a label that grows past the axis's
    rectangle is not clipped, so a plot is exported with this off)."""
    mode = QGraphicsItem.CacheMode.DeviceCoordinateCache if on else QGraphicsItem.CacheMode.NoCache
    for name in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(name)
        if axis is not None and axis.cacheMode() != mode:
            axis.setCacheMode(mode)
            axis.update()
