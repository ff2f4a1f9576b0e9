"""The theory lab's part of a theme: legend text in the plots' foreground colour (legible on dark)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from gmmviz.qt.canvas.host import Canvas


def restyle(root: QWidget, theme) -> None:
    """Every legend under ``root`` in ``theme.plot_fg``; the race canvas's legend row too."""
    for plot in root.findChildren(pg.PlotWidget):
        legend = plot.getPlotItem().legend
        if legend is None:
            continue
        legend.setLabelTextColor(theme.plot_fg)
        for _, label in legend.items:
            label.setText(label.text, color=theme.plot_fg)
    for canvas in root.findChildren(Canvas):
        canvas.set_legend_color(theme.plot_fg)
