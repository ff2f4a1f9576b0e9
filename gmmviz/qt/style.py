"""Look and feel shared by every plot in the window."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetricsF
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


class FittingAxis(pg.AxisItem):
    """An x axis whose tick labels never run into each other.

    pyqtgraph spaces ticks by pixels alone (at least 2.25 intervals whatever the font), so a
    narrow plot at a projector's text size printed "50100150".  Here the major spacing steps up
    the 1-2-5 ladder until the labels pyqtgraph would draw (those wholly inside the axis) are a
    gap apart; the finer levels are dropped with it (their grid lines too).
    """

    GAP = 0.5  # of the font's height between two labels

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802, N803 (pyqtgraph API)
        levels = super().tickSpacing(minVal, maxVal, size)
        if not levels or self.orientation not in ("bottom", "top") or size <= 0 or maxVal == minVal:
            return levels
        metrics = self._metrics()
        lo, hi = min(minVal, maxVal), max(minVal, maxVal)
        spacing = levels[0][0]
        for _ in range(12):
            if self._labels_fit(lo, hi, size, spacing, metrics):
                break
            spacing = _coarser(spacing)
        return levels if spacing == levels[0][0] else [(spacing, 0.0)]

    def _metrics(self) -> QFontMetricsF:
        return QFontMetricsF(self.style["tickFont"] or QFont())

    def _labels_fit(self, lo, hi, size, spacing, metrics) -> bool:
        ticks = np.arange(np.ceil(lo / spacing) * spacing, hi + 1e-9 * spacing, spacing)
        if ticks.size < 2:
            return True
        texts = self.tickStrings(list(ticks), self.autoSIPrefixScale * self.scale, spacing)
        at = (ticks - lo) / (hi - lo) * size
        half = np.array([metrics.horizontalAdvance(t) / 2 for t in texts])
        inside = (at - half >= 0) & (at + half <= size)  # the ones drawn
        left, right = (at - half)[inside], (at + half)[inside]
        return bool(np.all(left[1:] - right[:-1] >= self.GAP * metrics.height()))


def _coarser(spacing: float) -> float:
    """The next step of the 1-2-5 ladder above ``spacing``."""
    power = 10.0 ** np.floor(np.log10(spacing))
    mantissa = spacing / power
    return power * (2.0 if mantissa < 1.5 else 5.0 if mantissa < 3.5 else 10.0)
