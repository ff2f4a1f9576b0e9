"""A small bar chart of the mixing weights π_k, with the numbers."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gmmviz.core.palette import component_color
from gmmviz.qt.style import cache_axes


class WeightsPanel(QWidget):
    """Bars in the component colours; items are reused across frames."""

    def __init__(self, color=component_color, parent: QWidget | None = None):
        """``color(i)``: the colour component ``i`` is drawn in (its ellipses')."""
        super().__init__(parent)
        self._color = color
        self._weights: np.ndarray | None = None
        self._font_size = 9.0  # pt, the weight numbers
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plot = pg.PlotWidget()
        self.plot.setMinimumHeight(110)
        self.plot.setMaximumHeight(180)
        item = self.plot.getPlotItem()
        cache_axes(item)
        item.setMenuEnabled(False)
        item.setMouseEnabled(False, False)
        item.hideButtons()
        item.setYRange(0, 1.08, padding=0)
        item.getAxis("left").setTicks([[(0, "0"), (0.5, "0.5"), (1, "1")]])
        item.setLabel("bottom", "component k")
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        item.addItem(self.bars)
        self._labels: list[pg.TextItem] = []
        self._k = -1
        self._brushes: list = []
        self._pen = pg.mkPen("#333333")
        self._item = item
        layout.addWidget(self.plot)

    def set_weights(self, weights: np.ndarray | None) -> None:
        self._weights = weights
        k = 0 if weights is None else len(weights)
        while len(self._labels) < k:
            t = pg.TextItem(anchor=(0.5, 1.0))
            self._item.addItem(t)
            self._labels.append(t)
        self._ink_labels()
        for i, t in enumerate(self._labels):
            t.setVisible(i < k)
        if not k:
            self._k = 0
            self.bars.setOpts(x=[], height=[])
            self._item.setXRange(0.4, 3.6, padding=0)
            self._item.getAxis("bottom").setTicks([[]])
            return
        x = np.arange(1, k + 1)
        if k != self._k:  # brushes, range and ticks only change with k
            self._k = k
            self._brushes = [pg.mkBrush(self._color(i)) for i in range(k)]
            self._item.setXRange(0.4, k + 0.6, padding=0)
            self._item.getAxis("bottom").setTicks([[(i, str(i)) for i in x]])
        self.bars.setOpts(x=x, height=np.asarray(weights), brushes=self._brushes, pens=[self._pen] * k)
        for i, (t, w) in enumerate(zip(self._labels, weights)):
            t.setText(f"{w:.2f}")
            t.setPos(i + 1, w + 0.02)

    def restyle(self) -> None:
        """The bars in their components' colours and the numbers like the axes (after a theme change)."""
        self._k = -1  # the brushes are made again
        self.set_weights(self._weights)

    def set_scale(self, factor: float) -> None:
        """The weight numbers at the presentation scale (the axes follow the window font)."""
        self._font_size = 9.0 * factor
        self._ink_labels()

    def _ink_labels(self) -> None:
        font = QFont()
        font.setPointSizeF(self._font_size)
        for t in self._labels:
            t.setFont(font)
        ink = self._item.getAxis("left").textPen().color()
        for t in self._labels:
            t.setColor(ink)
