"""The race's canvas layer: each contestant's current mixture as 1σ and 2σ ellipses, one colour each."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from gmmviz.core.geometry import ellipse_outlines
from gmmviz.qt.canvas.host import BaseLayer

STYLES = {"em": Qt.PenStyle.SolidLine, "ga": Qt.PenStyle.DashLine, "ga-score": Qt.PenStyle.DotLine}
WIDTH = 2.5


class RaceEllipses(BaseLayer):
    """One NaN-broken curve per contestant (created once, updated with ``setData``)."""

    def __init__(self, colors: dict[str, str]):
        self.colors = colors
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.params: dict[str, object] = {}
        self._scale = 1.0

    def attach(self, canvas) -> None:
        super().attach(canvas)
        for name in self.colors:
            curve = pg.PlotDataItem(connect="finite")
            curve.setZValue(20)
            canvas.plot_item.addItem(curve)
            self.curves[name] = curve
        self._restyle()

    def set_scale(self, factor: float) -> None:
        self._scale = factor
        if self.curves:
            self._restyle()

    def _restyle(self) -> None:
        for name, curve in self.curves.items():
            curve.setPen(pg.mkPen(self.colors[name], width=WIDTH * self._scale, style=STYLES.get(name)))

    def show_params(self, params: dict) -> None:
        """``params``: contestant -> GaussianParams (or None: not drawn)."""
        self.params = dict(params)
        for name, curve in self.curves.items():
            p = params.get(name)
            if p is None:
                curve.setData([], [])
                continue
            means, covs = np.asarray(p.means), np.asarray(p.full_covariances())
            pieces = [ellipse_outlines(means, covs, r) for r in (1.0, 2.0)]
            x = np.concatenate([pieces[0][0], [np.nan], pieces[1][0]])
            y = np.concatenate([pieces[0][1], [np.nan], pieces[1][1]])
            ok = np.isfinite(x) & np.isfinite(y)
            if not ok.any():
                curve.setData([], [])
                continue
            curve.setData(np.where(ok, x, np.nan), np.where(ok, y, np.nan), connect="finite")
