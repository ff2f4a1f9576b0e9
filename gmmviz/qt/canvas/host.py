"""The canvas: where points are clicked and EM is drawn.

Layers (z order): density heatmap and contours < ellipses < points <
means < mean handles < collapse markers.  Each visual layer is a view
object owning long-lived pyqtgraph items that are only ever updated with
``setData``.  Mouse events go to the active :class:`~gmmviz.qt.canvas.tools.base.Tool`,
which returns commands; the canvas forwards them as ``command_requested``.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gmmviz.core import palette
from gmmviz.core.document import Command
from gmmviz.core.data import Dataset
from gmmviz.core.gaussian import predict_proba, score_samples
from gmmviz.core.geometry import mass_label
from gmmviz.core.mixture import GaussianParams
from gmmviz.labs.em.core.run_history import Frame
from gmmviz.labs.em.qt.layers.density import DensityView
from gmmviz.labs.em.qt.layers.ellipses import EllipsesView
from gmmviz.qt.canvas.points import PointCloudItem
from gmmviz.qt.canvas.tools.base import DRAG_THRESHOLD_PX, Pointer, PutTool, Tool
from gmmviz.qt.canvas.tools.cursors import cursor_for
from gmmviz.qt.canvas.tools.overlay import ToolLayer
from gmmviz.qt.style import cache_axes

_BUTTONS = {Qt.MouseButton.LeftButton: "left", Qt.MouseButton.RightButton: "right",
            Qt.MouseButton.MiddleButton: "middle"}


class CanvasViewBox(pg.ViewBox):
    """A ViewBox that offers clicks and drags to the canvas's tool first."""

    def __init__(self, canvas: "Canvas"):
        super().__init__(enableMenu=False)
        self._canvas = canvas
        self._drag_tool: Tool | None = None  # the tool that took the current drag

    def _pointer(self, ev, phase: str, scene_pos=None) -> Pointer:
        p = self.mapSceneToView(ev.scenePos() if scene_pos is None else scene_pos)
        mods = ev.modifiers()
        return Pointer(float(p.x()), float(p.y()), _BUTTONS.get(ev.button(), "other"),
                       bool(mods & Qt.KeyboardModifier.ShiftModifier),
                       bool(mods & Qt.KeyboardModifier.ControlModifier), phase,
                       bool(mods & Qt.KeyboardModifier.AltModifier))

    def mouseClickEvent(self, ev):  # noqa: N802 (Qt API)
        self._drag_tool = None  # a click: no drag is going on (even if a release got lost)
        if self._canvas.tool.click(self._pointer(ev, "click"), self._canvas):
            ev.accept()
        else:
            super().mouseClickEvent(ev)

    def mouseDragEvent(self, ev, axis=None):  # noqa: N802 (Qt API)
        """A drag the tool takes at its start is the tool's to the end (the
        view does not pan); the middle button always navigates.  The tool
        sees ``start`` at the press position, then ``move``\\ s and ``finish``."""
        if ev.isStart():
            self._drag_tool = None
        if ev.isStart() and ev.button() != Qt.MouseButton.MiddleButton:
            tool = self._canvas.tool
            if tool.drag(self._pointer(ev, "start", ev.buttonDownScenePos()), self._canvas):
                self._drag_tool = tool
                tool.drag(self._pointer(ev, "move"), self._canvas)
                ev.accept()
                return
        elif self._drag_tool is not None and not ev.isStart():
            tool = self._drag_tool
            if ev.isFinish():
                self._drag_tool = None
            tool.drag(self._pointer(ev, "finish" if ev.isFinish() else "move"), self._canvas)
            ev.accept()
            return
        super().mouseDragEvent(ev, axis)


class Canvas(QWidget):
    """The EM canvas.

    Signals
    -------
    command_requested(object, str, object)
        An edit from a tool: command, undo text, gesture id (or None).
    mean_dragged(int, float, float)
        A mean handle was dropped at (x, y): component index and position.
    hover_text(str)
        What is under the cursor: p(x) and the responsibilities.
    """

    command_requested = Signal(object, str, object)
    mean_dragged = Signal(int, float, float)
    hover_text = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.tool: Tool = PutTool()
        self._tool_cursor, self._hover_cursor = QCursor(Qt.CursorShape.CrossCursor), self.tool.cursor
        self._dataset: Dataset | None = None
        self._outline_color = _same_color  # class colour -> outline drawn (set by the theme)
        self._params: GaussianParams | None = None
        self._class_index = 0
        self._hard = False
        self._scale = 1.0
        self._resp: np.ndarray | None = None
        self._build_ui()

    # -- construction -----------------------------------------------------
    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view = CanvasViewBox(self)
        self.plot = pg.PlotWidget(viewBox=self.view)
        self.plot.setAntialiasing(True)
        item = self.plot.getPlotItem()
        cache_axes(item)
        item.showGrid(x=True, y=True, alpha=0.15)
        item.hideButtons()
        self.view.setAspectLocked(True)
        self.view.setRange(xRange=(-10, 10), yRange=(-10, 10), padding=0)
        self.density = DensityView(item)
        self.truth = EllipsesView(item, style="truth")
        self.ellipses = EllipsesView(item)
        self.points = PointCloudItem()
        self.points.setZValue(10)
        item.addItem(self.points)
        self.tool_layer = ToolLayer(item, self.points, self)
        self.view.setCursor(self._tool_cursor)
        self._handles: list[pg.TargetItem] = []
        self._handles_enabled = True  # by the playback (not while playing)
        self.hover = QLabel(self.plot)
        self.hover.setObjectName("hoverLabel")
        self.hover.setStyleSheet("QLabel#hoverLabel { background: rgba(255,255,255,215); color: #222;"
                                 " border: 1px solid #bbb; border-radius: 4px; padding: 3px 6px; }")
        self.hover.move(8, 8)
        self.hover.hide()
        self.levels_note = QLabel(self.plot)
        self.levels_note.setObjectName("levelsNote")
        self.levels_note.setStyleSheet("QLabel#levelsNote { background: rgba(255,255,255,200); color: #333;"
                                       " border-radius: 4px; padding: 2px 6px; }")
        self.levels_note.setToolTip("Probability mass inside each ellipse of a 2-D Gaussian: 1 − exp(−r²/2)")
        layout.addWidget(self.plot)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.plot.scene().setMoveDistance(DRAG_THRESHOLD_PX)
        self.plot.scene().minDragTime = float("inf")  # a long, still press is a click, never a drag
        self.set_scale(1.0)

    # -- ToolContext ------------------------------------------------------
    def current_class(self) -> int:
        return self._class_index

    def set_current_class(self, index: int) -> None:
        self._class_index = index

    def nearest_point(self, x: float, y: float, max_px: float) -> int:
        return self.points.nearest(x, y, max_px)

    def push(self, command: Command, text: str, gesture: int | None = None) -> None:
        self.command_requested.emit(command, text, gesture)

    def points_xy(self) -> np.ndarray:
        return self._dataset.X if self._dataset is not None else np.zeros((0, 2))

    def pixel_size(self) -> tuple[float, float]:
        sx, sy = self.view.viewPixelSize()
        return float(sx), float(sy)

    def selection(self) -> np.ndarray:
        return self.tool_layer.selection

    def set_selection(self, indices) -> None:
        self.tool_layer.set_selection(indices)

    def show_outline(self, poly) -> None:
        self.tool_layer.show_outline(poly)

    def preview_move(self, indices, xy) -> None:
        self.tool_layer.preview_move(indices, xy)

    def in_gesture(self) -> bool:
        """Is a tool in the middle of a drag (a stroke, a band, a move)?"""
        return self.view._drag_tool is not None

    def set_tool(self, tool: Tool, cursor: QCursor) -> None:
        """Let ``tool`` take the mouse; ``cursor`` shows it over the plot."""
        self.tool, self._tool_cursor, self._hover_cursor = tool, cursor, tool.cursor
        self.view.setCursor(cursor)
        self._update_handles_movable()

    def _update_cursor(self, x: float, y: float) -> None:
        name = self.tool.hover_cursor(Pointer(x, y), self)
        if name != self._hover_cursor:
            self._hover_cursor = name
            self.view.setCursor(self._tool_cursor if name == self.tool.cursor else cursor_for(name, self.tool))

    # -- data and frames --------------------------------------------------
    def set_dataset(self, dataset: Dataset, *, keep_selection: bool = False) -> None:
        """New points (after an edit): outlines by class, neutral fills.

        ``keep_selection``: the change left every point at its index (see
        :attr:`DocumentStore.kept_indices`), so the selection still holds.
        """
        self._dataset = dataset
        self._resp = None
        self.points.set_data(np.asarray(dataset.X), self._outlines(dataset), self._neutral(dataset.n_points))
        self.tool_layer.on_dataset(dataset.X, keep_selection)

    def set_outline_color(self, color_map) -> None:
        """Draw a class of colour ``c`` with outline ``color_map(c)`` (a theme keeps
        black outlines visible on a dark plot, yellow ones on white)."""
        self._outline_color = color_map or _same_color
        if self._dataset is not None:
            self.points.set_outline(self._outlines(self._dataset))

    def _outlines(self, dataset: Dataset) -> np.ndarray:
        """RGB outline of every point, by class, (n, 3) uint8."""
        colors = [self._outline_color(c.color) for c in dataset.classes] or ["#000000"]
        labels = np.clip(dataset.labels, 0, max(len(dataset.classes) - 1, 0))
        return palette.rgb_table(colors).astype(np.uint8)[labels]

    def _neutral(self, n: int) -> np.ndarray:
        return np.broadcast_to(np.array(palette.hex_to_rgb(palette.NEUTRAL_FILL), np.uint8), (n, 3)).copy()

    def show_frame(self, frame: Frame | None) -> None:
        """Draw one half-step: fills, ellipses, means, density, collapse marks."""
        if frame is None:
            self._params = None
            self.ellipses.set_params(None)
            self.ellipses.set_collapse(None)
            self.density.set_params(None)
            self._set_handles(None)
            if self._dataset is not None:
                self.points.set_fill(self._neutral(self._dataset.n_points))
            return
        snap = frame.snapshot
        self._params = snap.params
        self.ellipses.set_params(snap.params)
        self.ellipses.set_collapse(snap.collapse)
        self.density.set_params(snap.params)
        self._set_handles(snap.params)
        self._resp = frame.resp_u8
        self._refill()

    def _refill(self) -> None:
        ds = self._dataset
        if ds is None:
            return
        resp = self._resp
        if resp is None or resp.shape[0] != ds.n_points:
            self.points.set_fill(self._neutral(ds.n_points))
            return
        table = palette.component_table(resp.shape[1])
        fill = palette.hard(resp, table) if self._hard else palette.blend(resp, table)
        self.points.set_fill(fill)

    def set_hard(self, hard: bool) -> None:
        self._hard = hard
        self._refill()

    def set_truth(self, params: GaussianParams | None) -> None:
        self.truth.set_params(params)

    def set_axis_names(self, x: str = "", y: str = "") -> None:
        """Name the axes (e.g. "petal length (cm)"); empty strings hide the names."""
        item = self.plot.getPlotItem()
        for side, text in (("bottom", x), ("left", y)):
            item.getAxis(side).setLabel(text)
            item.getAxis(side).showLabel(bool(text))

    # -- mean handles -----------------------------------------------------
    def set_handles_enabled(self, enabled: bool) -> None:
        """Let the mean handles be dragged (while paused) if the tool allows it."""
        self._handles_enabled = enabled
        self._update_handles_movable()

    def _update_handles_movable(self) -> None:
        movable = self._handles_enabled and self.tool.moves_means
        for h in self._handles:
            h.movable = movable

    def _set_handles(self, params: GaussianParams | None) -> None:
        k = 0 if params is None else params.n_components
        while len(self._handles) < k:
            i = len(self._handles)
            h = pg.TargetItem(pos=(0, 0), size=16, symbol="crosshair")
            h.setZValue(25)
            h.sigPositionChangeFinished.connect(lambda item, i=i: self._handle_dropped(i, item))
            self.plot.getPlotItem().addItem(h)
            self._handles.append(h)
            self._update_handles_movable()
        for i, h in enumerate(self._handles):
            h.setVisible(i < k)
            if i < k:
                h.setToolTip(f"Mean of component {i + 1}: drag it to set where EM starts")
                h.blockSignals(True)
                h.setPos(*params.means[i])
                h.blockSignals(False)
        self.restyle_handles()

    def restyle_handles(self) -> None:
        """Pen the mean handles in their ellipses' colours (after a theme or scale change)."""
        for i, h in enumerate(self._handles):
            color = self.ellipses.color(i)
            h.setPen(pg.mkPen(color, width=2.5 * self._scale))
            h.setHoverPen(pg.mkPen(color, width=4 * self._scale))

    def _handle_dropped(self, i: int, item: pg.TargetItem) -> None:
        p = item.pos()
        self.mean_dragged.emit(i, float(p.x()), float(p.y()))

    # -- view -------------------------------------------------------------
    def fit_view(self) -> None:
        """Zoom so that every point (and every ellipse) is visible."""
        ds = self._dataset
        if ds is None or ds.n_points == 0:
            self.view.setRange(xRange=(-10, 10), yRange=(-10, 10))
            return
        lo, hi = ds.X.min(axis=0), ds.X.max(axis=0)
        span = np.maximum(hi - lo, 1e-9 * np.maximum(np.abs(hi), 1.0))
        ratio = span.max() / max(span.min(), 1e-300)
        self.view.setAspectLocked(ratio < 4.0)  # very different axis scales: let each axis fit
        pad = 0.08 * span
        self.view.setRange(xRange=(lo[0] - pad[0], hi[0] + pad[0]), yRange=(lo[1] - pad[1], hi[1] + pad[1]),
                           padding=0)

    def set_levels(self, one: bool, two: bool, three: bool) -> None:
        self.ellipses.set_levels(one, two, three)
        glyphs = {1: "━━", 2: "╍╍", 3: "┈┈"}
        shown = [f"{glyphs[r]} {r}σ holds {mass_label(r)}" for r, on in ((1, one), (2, two), (3, three)) if on]
        self.levels_note.setText("   ".join(shown))
        self.levels_note.adjustSize()
        self.levels_note.setVisible(bool(shown))
        self._place_notes()

    def _place_notes(self) -> None:
        note = self.levels_note
        note.move(self.plot.width() - note.width() - 12, self.plot.height() - note.height() - 34)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._place_notes()

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().leaveEvent(event)
        self.hover.hide()  # no stale read-out over the plot once the pointer has left

    def set_density(self, heatmap: bool, contours: bool) -> None:
        self.density.set_visible(heatmap, contours)

    def set_scale(self, factor: float) -> None:
        """Presentation scale: bigger markers, thicker lines."""
        self._scale = factor
        self.points.set_marker(radius_px=6.0 * factor, outline_px=2.0 * factor)
        self.ellipses.set_scale(factor)
        self.truth.set_scale(factor)
        self.restyle_handles()
        for label in (self.hover, self.levels_note):
            font = label.font()
            font.setPointSizeF(9.5 * factor)
            label.setFont(font)
            label.adjustSize()

    def data_to_widget(self, x: float, y: float) -> QPoint:
        """Viewport pixel position of data point (x, y) (for tests and tools)."""
        return self.plot.mapFromScene(self.view.mapViewToScene(QPointF(x, y)))

    # -- hover ------------------------------------------------------------
    def _on_mouse_moved(self, scene_pos) -> None:
        if not self.view.sceneBoundingRect().contains(scene_pos):
            self.hover.hide()
            return
        p = self.view.mapSceneToView(scene_pos)
        self._update_cursor(float(p.x()), float(p.y()))
        text = self.describe(float(p.x()), float(p.y()))
        self.hover.setText(text)
        self.hover.adjustSize()
        self.hover.show()
        self.hover_text.emit(text)

    def describe(self, x: float, y: float) -> str:
        """p(x) and the responsibilities at (x, y) under the parameters on screen."""
        head = f"x = {x:.4g}, y = {y:.4g}"
        if self._params is None:
            return head
        X = np.array([[x, y]])
        lp = float(score_samples(X, self._params)[0])
        r = predict_proba(X, self._params)[0]
        parts = " ".join(f"<span style='color:{self.ellipses.color(i)}'>■</span>{v:.2f}" for i, v in enumerate(r))
        return f"{head}<br>p(x) = {np.exp(lp):.3g}  (ln p = {lp:.3f})<br>r: {parts}"


def _same_color(color: str) -> str:
    return color
