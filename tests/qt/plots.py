"""Helpers for tests that draw into a bare pyqtgraph plot and read its pixels."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui

from gmmviz.qt.export.images import image_to_array


def rgb_array(img: QtGui.QImage) -> np.ndarray:
    """(h, w, 3) uint8 RGB of a QImage."""
    return image_to_array(img)[..., :3].copy()


def white_plot(qtbot, size: tuple[int, int], x_range, y_range, *, axes: bool = True) -> pg.PlotWidget:
    """A shown, white PlotWidget of ``size`` pixels showing exactly ``x_range`` × ``y_range``."""
    w = pg.PlotWidget(background="w")
    w.resize(*size)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    if not axes:
        w.getPlotItem().hideAxis("left")
        w.getPlotItem().hideAxis("bottom")
    w.setRange(xRange=x_range, yRange=y_range, padding=0)
    return w
