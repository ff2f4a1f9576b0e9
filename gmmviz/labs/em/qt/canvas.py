"""The EM studio's canvas: the shell's points canvas with the EM layers on it.

Layers (z order): density heatmap and contours < true mixture < ellipses <
points < means < mean handles < collapse markers.  Each is a
:class:`~gmmviz.qt.canvas.host.Layer` that reads what it draws from the
:class:`~gmmviz.labs.em.core.run_history.Frame` on screen.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Signal

from gmmviz.core import palette
from gmmviz.core.gaussian import predict_proba, score_samples
from gmmviz.core.geometry import mass_label
from gmmviz.core.mixture import GaussianParams
from gmmviz.labs.em.core.algorithms.types import VBConfig
from gmmviz.labs.em.qt.layers.density import DensityView
from gmmviz.labs.em.qt.layers.ellipses import PRUNED_COLOR, EllipsesView

PRUNE_SHARE = VBConfig.prune_threshold  # the studio's VB runs use the default threshold
from gmmviz.qt.canvas.host import BaseLayer, Canvas


def _params(frame) -> GaussianParams | None:
    return None if frame is None else frame.snapshot.params


class DensityLayer(BaseLayer):
    """ln p(x) under the parameters on screen, as a heatmap and contours."""

    def attach(self, canvas: Canvas) -> None:
        self.view = DensityView(canvas.plot_item)

    def show_frame(self, frame) -> None:
        self.view.set_params(_params(frame))


class TruthLayer(BaseLayer):
    """The mixture the points were sampled from, dash-dotted, with its legend entry (set by the Data menu)."""

    def attach(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.view = EllipsesView(canvas.plot_item, style="truth")

    def set_scale(self, factor: float) -> None:
        self.view.set_scale(factor)

    def set_params(self, params: GaussianParams | None) -> None:
        self.view.set_params(params)
        self.refresh_legend()

    def refresh_legend(self) -> None:
        color = self.view.color(0)
        self.canvas.set_legend("truth", "" if self.view.params is None else
                               f"<span style='color:{color}'>━·━</span> true mixture (× its means)")


LEVEL_GLYPHS = {1: "━━", 2: "╍╍", 3: "┈┈"}


class EllipsesLayer(BaseLayer):
    """An ellipse per component and sigma level, collapse marks, and the legend of the levels."""

    def attach(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.view = EllipsesView(canvas.plot_item)
        self.params: GaussianParams | None = None
        self._levels_text = ""
        canvas.plot_item.titleLabel.setToolTip("Probability mass inside each ellipse of a 2-D Gaussian: 1 − exp(−r²/2)")

    def show_frame(self, frame) -> None:
        self.params = _params(frame)
        self.view.set_pruned(() if frame is None else getattr(frame.snapshot, "pruned", ()))
        self.view.set_params(self.params)
        self.view.set_collapse(None if frame is None else frame.snapshot.collapse)
        self._refresh_legend()

    def set_scale(self, factor: float) -> None:
        self.view.set_scale(factor)

    def set_levels(self, one: bool, two: bool, three: bool) -> None:
        self.view.set_levels(one, two, three)
        shown = [f"{LEVEL_GLYPHS[r]} {r}σ holds {mass_label(r)}" for r, on in ((1, one), (2, two), (3, three)) if on]
        self._levels_text = "&nbsp;&nbsp;&nbsp;".join(shown)
        self._refresh_legend()

    def _refresh_legend(self) -> None:
        """The levels' legend, while there are ellipses to read it on (not on an empty canvas), and
        the pruned components' entry while variational Bayes has pruned some."""
        self.canvas.set_legend("levels", self._levels_text if self.params is not None else "")
        pruned = [i for i, p in enumerate(self.view.pruned) if p] if self.params is not None else []
        names = ", ".join(f"<span style='color:{self.view.color(i)}'>■</span>{i + 1}" for i in pruned)
        self.canvas.set_legend("pruned", "" if not pruned else
                               f"<span style='color:{PRUNED_COLOR}'>┄┄</span> pruned by VB ({names}: "
                               f"under {PRUNE_SHARE:g} of the points)")

    def describe(self, x: float, y: float) -> str | None:
        """p(x) and the responsibilities at (x, y) under the parameters on screen."""
        if self.params is None:
            return None
        X = np.array([[x, y]])
        lp = float(score_samples(X, self.params)[0])
        r = predict_proba(X, self.params)[0]
        parts = " ".join(f"<span style='color:{self.view.color(i)}'>■</span>{v:.2f}"
                         + (" (pruned)" if self.view.is_pruned(i) else "") for i, v in enumerate(r))
        return f"p(x) = {np.exp(lp):.3g}  (ln p = {lp:.3f})<br>r: {parts}"


class FillLayer(BaseLayer):
    """Point fills: each point's responsibilities blended into the component colours (or the
    most responsible one's, for hard assignments)."""

    def __init__(self, color) -> None:
        """``color(i)``: component ``i``'s colour, the same as its ellipses'."""
        self.hard = False
        self._color = color
        self._resp: np.ndarray | None = None

    def attach(self, canvas: Canvas) -> None:
        self.canvas = canvas

    def set_dataset(self, dataset) -> None:
        self._resp = None  # the canvas shows new points with neutral fills

    def show_frame(self, frame) -> None:
        self._resp = None if frame is None else frame.resp_u8
        self.refill()

    def set_hard(self, hard: bool) -> None:
        self.hard = hard
        self.refill()

    def refill(self) -> None:
        ds, resp = self.canvas.dataset, self._resp
        if ds is None:
            return
        if resp is None or resp.shape[0] != ds.n_points:
            self.canvas.points.set_fill(self.canvas.neutral(ds.n_points))
            return
        table = palette.rgb_table([self._color(i) for i in range(resp.shape[1])])
        self.canvas.points.set_fill(palette.hard(resp, table) if self.hard else palette.blend(resp, table))


class MeansLayer(QObject, BaseLayer):
    """A draggable cross on every mean (while paused, with a tool that moves means).

    Signals
    -------
    mean_dragged(int, float, float)
        A mean handle was dropped at (x, y): component index and position.
    """

    mean_dragged = Signal(int, float, float)

    def __init__(self, ellipses: EllipsesLayer):
        super().__init__()
        self._ellipses = ellipses
        self.handles: list[pg.TargetItem] = []
        self.enabled = True  # by the playback (not while playing)

    def attach(self, canvas: Canvas) -> None:
        self.canvas = canvas
        canvas.tool_changed.connect(lambda _: self.update_movable())

    def set_scale(self, factor: float) -> None:
        self.restyle()

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled
        self.update_movable()

    def update_movable(self) -> None:
        movable = self.enabled and self.canvas.tool.moves_means
        for h in self.handles:
            h.movable = movable

    def show_frame(self, frame) -> None:
        params = _params(frame)
        k = 0 if params is None else params.n_components
        while len(self.handles) < k:
            i = len(self.handles)
            h = pg.TargetItem(pos=(0, 0), size=16, symbol="crosshair")
            h.setZValue(25)
            h.sigPositionChangeFinished.connect(lambda item, i=i: self._dropped(i, item))
            self.canvas.plot_item.addItem(h)
            self.handles.append(h)
            self.update_movable()
        for i, h in enumerate(self.handles):
            h.setVisible(i < k)
            if i < k:
                pruned = " (pruned by variational Bayes: under its threshold share of the points)" \
                    if self._ellipses.view.is_pruned(i) else ""
                h.setToolTip(f"Mean of component {i + 1}{pruned}: drag it to set where EM starts")
                h.blockSignals(True)
                h.setPos(*params.means[i])
                h.blockSignals(False)
        self.restyle()

    def restyle(self) -> None:
        """Pen the handles in their ellipses' colours (after a theme or scale change)."""
        scale = self.canvas.scale
        for i, h in enumerate(self.handles):
            color = self._ellipses.view.drawn_color(i)  # grey once VB pruned it, as its ellipses
            h.setPen(pg.mkPen(color, width=2.5 * scale))
            h.setHoverPen(pg.mkPen(color, width=4 * scale))

    def _dropped(self, i: int, item: pg.TargetItem) -> None:
        p = item.pos()
        self.mean_dragged.emit(i, float(p.x()), float(p.y()))


class EMCanvas(Canvas):
    """The canvas of the EM studio: the shell's canvas hosting the EM layers.

    Signals
    -------
    mean_dragged(int, float, float)
        A mean handle was dropped at (x, y): component index and position.
    """

    mean_dragged = Signal(int, float, float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.density_layer = self.add_layer(DensityLayer())
        self.truth_layer = self.add_layer(TruthLayer())
        self.ellipses_layer = self.add_layer(EllipsesLayer())
        self.fill_layer = self.add_layer(FillLayer(lambda i: self.ellipses.color(i)))
        self.means_layer = self.add_layer(MeansLayer(self.ellipses_layer))
        self.means_layer.mean_dragged.connect(self.mean_dragged)

    # The views, for the theme, the Data menu, the export and the tests.
    @property
    def density(self) -> DensityView:
        return self.density_layer.view

    @property
    def truth(self) -> EllipsesView:
        return self.truth_layer.view

    @property
    def ellipses(self) -> EllipsesView:
        return self.ellipses_layer.view

    @property
    def handles(self) -> list[pg.TargetItem]:
        return self.means_layer.handles

    def set_levels(self, one: bool, two: bool, three: bool) -> None:
        self.ellipses_layer.set_levels(one, two, three)

    def set_hard(self, hard: bool) -> None:
        self.fill_layer.set_hard(hard)

    def set_truth(self, params: GaussianParams | None) -> None:
        self.truth_layer.set_params(params)

    def set_density(self, heatmap: bool, contours: bool) -> None:
        self.density.set_visible(heatmap, contours)

    def set_handles_enabled(self, enabled: bool) -> None:
        """Let the mean handles be dragged (while paused) if the tool allows it."""
        self.means_layer.set_enabled(enabled)

    def restyle_handles(self) -> None:
        self.means_layer.restyle()
