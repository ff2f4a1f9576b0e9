"""The 2-parameter slice: contours of ln p and of EM's bound over two mean coordinates, and EM's path.

Two coordinates of the means (chosen by the user) vary over a grid around EM's path; every other
parameter is theta_k+1's.  ln p's contours are solid, the bound Q(. | theta_k) + H_k's dashed at the same
levels (the bound lies below, so its contours sit inside), and the path of the means after the init and
each M-step ends at the bound's maximum.  The step is the studio's (following its cursor) or an own run's,
as in the slice view.  Computed by :func:`~gmmviz.labs.theory.core.mm_slice.mm_surface` and
:mod:`~gmmviz.labs.theory.core.surface_view` in the worker; this module draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gmmviz.core.geometry import isolines
from gmmviz.labs.em.core.types import FitConfig
from gmmviz.labs.theory.core.mm_slice import mm_surface
from gmmviz.labs.theory.core.surface_view import (
    contour_levels,
    coordinate_label,
    coordinate_pairs,
    grid_around,
    path_coordinates,
)
from gmmviz.labs.theory.qt.computed import StepView
from gmmviz.labs.theory.qt.steps import the_step

F_COLOR, BOUND_COLOR, PATH_COLOR = "#0072B2", "#D55E00", "#009E73"
GRID = 41


@dataclass(frozen=True, eq=False)
class SurfaceResult:
    """Contours (one NaN-broken curve each), the path, the surfaces and where the bound peaks."""

    iteration: int
    coords: tuple
    xs: np.ndarray
    ys: np.ndarray
    f: np.ndarray
    bound: np.ndarray
    f_lines: tuple[np.ndarray, np.ndarray]
    bound_lines: tuple[np.ndarray, np.ndarray]
    path: np.ndarray
    end: tuple[float, float]
    source: str


def _joined(lines) -> tuple[np.ndarray, np.ndarray]:
    if not lines:
        return np.zeros(0), np.zeros(0)
    xs = np.concatenate([x for x, _ in lines])
    ys = np.concatenate([y for _, y in lines])
    return xs, ys


def surface_job(X, coords, snapshots=None, index: int = 0, *, config: FitConfig | None = None,
                iteration: int = 1):
    """The 2-parameter slice through a step (the studio's snapshots, or an own run as in the slice view)."""

    def job(token):
        got = the_step(X, snapshots, index, config, iteration, token)
        if got is None:
            return
        snaps, i, ends, new, source = got
        (ci, ai), (cj, aj) = coords
        end = (float(new.means[ci, ai]), float(new.means[cj, aj]))
        before = snaps[:i] if ends.at == 1.0 else snaps[:i + 1]  # on an M frame, its params are the end
        path = np.vstack([path_coordinates(before, coords), [end]])
        xs, ys = grid_around(path, X, n=GRID, axes=(ai, aj))
        if token.cancelled:
            return
        surf = mm_surface(X, ends.theta_old, new, coords, xs, ys)
        levels = contour_levels(surf.f)
        f_lines, b_lines = _joined(isolines(surf.f, xs, ys, levels)), _joined(isolines(surf.bound, xs, ys, levels))
        arrays = (xs, ys, surf.f, surf.bound, path, *f_lines, *b_lines)
        for arr in arrays:
            arr.setflags(write=False)
        yield SurfaceResult(ends.iteration, coords, xs, ys, surf.f, surf.bound, f_lines, b_lines, path, end, source)

    return job


class SurfaceView(StepView):
    """The contour plot and its settings.

    Signals
    -------
    surface_shown(object)
        The :class:`SurfaceResult` now drawn.
    """

    surface_shown = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__("The 2-parameter slice", "gmmviz-theory-surface", parent)
        self._build_ui()
        self._fill_coords(3)
        self._start_computing(self.coords.currentIndexChanged)

    def _build_ui(self) -> None:
        v = QVBoxLayout(self)
        row = QHBoxLayout()
        self.coords = QComboBox()
        self.coords.setToolTip("The two mean coordinates on the axes; every other parameter is θ_k+1's")
        self._step_controls(row, k_max=8, iteration=2, extra=(QLabel("coordinates"), self.coords))
        v.addLayout(row)
        self.plot = pg.PlotWidget()
        item = self.plot.getPlotItem()
        item.addLegend(offset=(10, 10))
        self.f_lines = item.plot(pen=pg.mkPen(F_COLOR, width=2), connect="finite", name="ln p(X|θ) contours")
        self.bound_lines = item.plot(pen=pg.mkPen(BOUND_COLOR, width=2, style=Qt.PenStyle.DashLine),
                                     connect="finite", name="Q(θ|θ_k) + ℍ_k, same levels")
        self.path = item.plot(pen=pg.mkPen(PATH_COLOR, width=3), symbol="o", symbolSize=9,
                              symbolBrush=PATH_COLOR, name="EM's path")
        self.end = pg.ScatterPlotItem(size=18, symbol="star", brush=pg.mkBrush(BOUND_COLOR))
        item.addItem(self.end)
        v.addWidget(self.plot, 1)
        self.readout = QLabel()
        self.readout.setWordWrap(True)
        v.addWidget(self.readout)
        self.k.valueChanged.connect(self._fill_coords)

    def _fill_coords(self, k: int) -> None:
        keep = self.coords.currentData()
        self.coords.blockSignals(True)
        self.coords.clear()
        for pair in coordinate_pairs(k):
            self.coords.addItem(f"{coordinate_label(pair[0])} / {coordinate_label(pair[1])}", pair)
        i = self.coords.findData(keep) if keep is not None else 0
        self.coords.setCurrentIndex(max(i, 0))
        self.coords.blockSignals(False)

    def set_studio_step(self, step) -> None:
        if step is not None and step.snapshots:
            k = step.snapshots[0].params.n_components
            if self.coords.count() != len(coordinate_pairs(k)):
                self._fill_coords(k)
        super().set_studio_step(step)

    def studio_job(self, step):
        pair = self.coords.currentData()
        return None if pair is None else surface_job(step.X, pair, step.snapshots, step.index)

    def own_job(self, X, config, iteration):
        return surface_job(X, self.coords.currentData(), config=config, iteration=iteration)

    def show_result(self, result: SurfaceResult | None) -> None:
        self.result = result
        if result is None:
            for curve in (self.f_lines, self.bound_lines, self.path):
                curve.setData([], [])
            self.end.setData([], [])
            return
        self.f_lines.setData(*result.f_lines, connect="finite")
        self.bound_lines.setData(*result.bound_lines, connect="finite")
        self.path.setData(result.path[:, 0], result.path[:, 1])
        self.end.setData([result.end[0]], [result.end[1]])
        item = self.plot.getPlotItem()
        a, b = (coordinate_label(c) for c in result.coords)
        item.setLabel("bottom", a)
        item.setLabel("left", b)
        item.setRange(xRange=(result.xs[0], result.xs[-1]), yRange=(result.ys[0], result.ys[-1]), padding=0.02)
        r, c = np.unravel_index(int(np.nanargmax(result.bound)), result.bound.shape)
        self.readout.setText(
            f"EM iteration {result.iteration} ({'the studio' if result.source == 'studio' else 'own run'}): "
            f"contours of ln p (solid) and of the bound (dashed) at the same levels, the bound inside: below "
            f"everywhere. The bound peaks at ({result.xs[c]:.3g}, {result.ys[r]:.3g}) (grid), the M-step's "
            f"means ★ ({result.end[0]:.3g}, {result.end[1]:.3g}); the other parameters are θ_k+1's.")
        self.surface_shown.emit(result)
