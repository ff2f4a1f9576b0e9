"""The theory lab's part of a theme: legend text in the plots' foreground colour (legible on dark)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from gmmviz.qt.canvas.host import Canvas

LEGEND_PT = 10.0  # a plot legend's text at scale 1


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


def rescale(root: QWidget, factor: float) -> None:
    """Curve widths and symbol sizes under ``root`` times ``factor`` (of the widths they were built with)."""
    for plot in root.findChildren(pg.PlotWidget):
        legend = plot.getPlotItem().legend
        for _, label in [] if legend is None else legend.items:
            label.setText(label.text, size=f"{LEGEND_PT * factor:.1f}pt")
        for item in plot.getPlotItem().listDataItems():
            if not isinstance(item, pg.PlotDataItem):
                continue
            pen = item.opts.get("pen")
            if pen is None:
                continue
            pen = pg.mkPen(pen)
            base = item.property("theory_base_width")
            if base is None:
                base = pen.widthF()
                item.setProperty("theory_base_width", base)
            pen.setWidthF(base * factor)
            item.setPen(pen)
            size = item.opts.get("symbolSize")
            if item.opts.get("symbol") is not None and size:
                base_size = item.property("theory_base_size") or size
                item.setProperty("theory_base_size", base_size)
                item.setSymbolSize(base_size * factor)
