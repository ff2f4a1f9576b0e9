"""The canvas: where points are clicked, and a host of layers that draw on them.

The canvas owns the plot, the points and the tools' overlay.  Everything a
lab draws over or under the points is a :class:`Layer`: it is attached
once (creating its long-lived pyqtgraph items, only ever updated with
``setData``), hears of every new dataset and every frame the lab shows,
follows the presentation scale, and may describe what is under the
cursor.  The canvas knows nothing of what a frame holds.  Mouse events go
to the active :class:`~gmmviz.qt.canvas.tools.base.Tool`, which returns
commands; the canvas forwards them as ``command_requested``.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gmmviz.core import palette
from gmmviz.core.data import Dataset
from gmmviz.core.document import Command
from gmmviz.core.geometry import (
    MAX_COORDINATE,
    MIN_RELATIVE_SPAN,
    MIN_SPAN,
    drawable_range,
)
from gmmviz.qt.canvas.points import PointCloudItem
from gmmviz.qt.canvas.sprites import zoomed_scale
from gmmviz.qt.canvas.tools.base import DRAG_THRESHOLD_PX, Pointer, PutTool, Tool
from gmmviz.qt.canvas.tools.cursors import cursor_for
from gmmviz.qt.canvas.tools.overlay import ToolLayer
from gmmviz.qt.style import cache_axes

_BUTTONS = {Qt.MouseButton.LeftButton: "left", Qt.MouseButton.RightButton: "right",
            Qt.MouseButton.MiddleButton: "middle"}


class Layer(Protocol):
    """What the canvas asks of a layer (every method may do nothing)."""

    def attach(self, canvas: "Canvas") -> None:
        """Create the layer's plot items on ``canvas.plot_item`` (called once)."""

    def set_dataset(self, dataset: Dataset) -> None:
        """New points (after an edit, undo, a file)."""

    def show_frame(self, frame) -> None:
        """The frame the lab shows now (the lab's own type), or None."""

    def set_scale(self, factor: float) -> None:
        """Presentation scale: line widths and markers times ``factor``."""

    def describe(self, x: float, y: float) -> str | None:
        """Rich-text lines for the hover read-out at (x, y), or None."""


#: Text size of the legend row at scale 1 (points).
LEGEND_PT = 9.5


class BaseLayer:
    """A :class:`Layer` that does nothing: subclass it and override what the layer needs."""

    canvas: "Canvas"

    def attach(self, canvas: "Canvas") -> None:
        self.canvas = canvas

    def set_dataset(self, dataset: Dataset) -> None:
        pass

    def show_frame(self, frame) -> None:
        pass

    def set_scale(self, factor: float) -> None:
        pass

    def describe(self, x: float, y: float) -> str | None:
        return None


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
    """The points canvas, a host of :class:`Layer`\\ s.

    Signals
    -------
    command_requested(object, str, object)
        An edit from a tool: command, undo text, gesture id (or None).
    hover_text(str)
        What is under the cursor: its coordinates and what the layers say.
    tool_changed(object)
        The active :class:`~gmmviz.qt.canvas.tools.base.Tool`.
    """

    command_requested = Signal(object, str, object)
    hover_text = Signal(str)
    tool_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.tool: Tool = PutTool()
        self._tool_cursor, self._hover_cursor = QCursor(Qt.CursorShape.CrossCursor), self.tool.cursor
        self._dataset: Dataset | None = None
        self._outline_color = _same_color  # class colour -> outline drawn (set by the theme)
        self._class_index = 0
        self._scale = 1.0
        self.layers: list[Layer] = []
        self._legend: dict[str, str] = {}
        self._legend_color = "#333333"
        self._legend_shown: tuple | None = None
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
        self.plot_item = item
        self._show_legend()
        self.points = PointCloudItem()
        self.points.setZValue(10)
        item.addItem(self.points)
        self.tool_layer = ToolLayer(item, self.points, self)
        self.view.setCursor(self._tool_cursor)
        self.hover = QLabel(self.plot)
        self.hover.setObjectName("hoverLabel")
        self.hover.setStyleSheet("QLabel#hoverLabel { background: rgba(255,255,255,215); color: #222;"
                                 " border: 1px solid #bbb; border-radius: 4px; padding: 3px 6px; }")
        self.hover.move(8, 8)
        self.hover.hide()
        layout.addWidget(self.plot)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.plot.scene().setMoveDistance(DRAG_THRESHOLD_PX)
        self.plot.scene().minDragTime = float("inf")  # a long, still press is a click, never a drag
        self.set_scale(1.0)

    def add_layer(self, layer: Layer) -> Layer:
        """Host ``layer`` (it attaches now); returns it."""
        self.layers.append(layer)
        layer.attach(self)
        layer.set_scale(self._scale)
        if self._dataset is not None:
            layer.set_dataset(self._dataset)
        return layer

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
        self.tool_changed.emit(tool)

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
        if self._dataset is None or marker_size(self._dataset.n_points, 1) != marker_size(dataset.n_points, 1):
            self._dataset = dataset
            self._size_markers()
        self._dataset = dataset
        self._limit_zoom()
        self.points.set_data(np.asarray(dataset.X), self._outlines(dataset), self.neutral(dataset.n_points))
        self.tool_layer.on_dataset(dataset.X, keep_selection)
        for layer in self.layers:
            layer.set_dataset(dataset)

    @property
    def dataset(self) -> Dataset | None:
        return self._dataset

    def show_frame(self, frame) -> None:
        """Hand the lab's frame on screen (or None) to every layer."""
        for layer in self.layers:
            layer.show_frame(frame)

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

    @staticmethod
    def neutral(n: int) -> np.ndarray:
        """The fill of points no layer colours, (n, 3) uint8."""
        return np.broadcast_to(np.array(palette.hex_to_rgb(palette.NEUTRAL_FILL), np.uint8), (n, 3)).copy()

    def set_axis_names(self, x: str = "", y: str = "") -> None:
        """Name the axes (e.g. "petal length (cm)"); empty strings hide the names."""
        item = self.plot.getPlotItem()
        for side, text in (("bottom", x), ("left", y)):
            item.getAxis(side).setLabel(text)
            item.getAxis(side).showLabel(bool(text))

    # -- view -------------------------------------------------------------
    def fit_view(self) -> None:
        """Zoom so that every point (and every ellipse) is visible."""
        ds = self._dataset
        if ds is None or ds.n_points == 0:
            self.view.setRange(xRange=(-10, 10), yRange=(-10, 10))
            return
        lo, hi = ds.X.min(axis=0), ds.X.max(axis=0)
        span = np.maximum(0.5 * hi - 0.5 * lo, 1e-9 * np.maximum(np.abs(hi), 1.0))  # half spans: no overflow
        ratio = span.max() / max(span.min(), 1e-300)
        self.view.setAspectLocked(ratio < 4.0)  # very different axis scales: let each axis fit
        pad = 0.16 * span
        self.show_range((lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1]))

    def show_range(self, x: tuple[float, float], y: tuple[float, float]) -> bool:
        """Show the data ranges ``x`` and ``y``, widened to what the canvas can
        draw (see :func:`~gmmviz.core.geometry.drawable_range`): the one place
        a view range reaches Qt.  False (and the view unchanged) for ranges
        without finite meaning."""
        mx, my = self._magnitudes()
        rx, ry = drawable_range(*x, mx), drawable_range(*y, my)
        if rx is None or ry is None:
            return False
        self.view.setRange(xRange=rx, yRange=ry, padding=0)
        return True

    def _magnitudes(self) -> tuple[float, float]:
        ds = self._dataset
        if ds is None or ds.n_points == 0:
            return 0.0, 0.0
        m = np.max(np.abs(ds.X), axis=0)
        return float(m[0]), float(m[1])

    def _limit_zoom(self) -> None:
        """Keep the wheel and the zoom tool within :func:`drawable_range`."""
        mx, my = self._magnitudes()
        self.view.setLimits(xMin=-MAX_COORDINATE, xMax=MAX_COORDINATE, yMin=-MAX_COORDINATE, yMax=MAX_COORDINATE,
                            minXRange=max(MIN_SPAN, MIN_RELATIVE_SPAN * mx),
                            minYRange=max(MIN_SPAN, MIN_RELATIVE_SPAN * my))

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().leaveEvent(event)
        self.hover.hide()  # no stale read-out over the plot once the pointer has left

    def set_scale(self, factor: float) -> None:
        """Presentation scale: bigger markers, thicker lines."""
        self._scale = factor
        self._size_markers()
        self.scale_label(self.hover)
        self._show_legend()
        for layer in self.layers:
            layer.set_scale(factor)

    @property
    def scale(self) -> float:
        return self._scale

    def _size_markers(self) -> None:
        radius, outline = marker_size(0 if self._dataset is None else self._dataset.n_points, self._scale)
        self.points.set_marker(radius_px=radius, outline_px=outline)

    # -- the legend row ------------------------------------------------------
    def set_legend(self, key: str, html: str) -> None:
        """A layer's entry in the legend row above the plot, right-aligned and
        outside the data, so it never covers points ("" removes the entry;
        with no entries the row is blank)."""
        if html:
            self._legend[key] = html
        else:
            self._legend.pop(key, None)
        self._show_legend()

    def set_legend_color(self, color: str) -> None:
        """The legend's text colour (the theme's)."""
        self._legend_color = color
        self._show_legend()

    def legend_html(self) -> str:
        return self.plot_item.titleLabel.text if self._legend else ""

    def _show_legend(self) -> None:
        # The row stays (blank) without entries: the plot never changes height,
        # so the view range does not jump when a legend comes or goes.
        pt = LEGEND_PT * self._scale
        shown = ("&nbsp;&nbsp;&nbsp;&nbsp;".join(self._legend.values()) or "&nbsp;", self._legend_color, f"{pt:.1f}pt")
        if shown == self._legend_shown:
            return  # (a new title relays the plot out: not on every frame)
        self._legend_shown = shown
        self.plot_item.setTitle(shown[0], justify="right", color=shown[1], size=shown[2])

    def drawn_at(self, zoom: float):
        """For the moment of an export drawn ``zoom`` times larger by the painter:
        the layers' pens and pixel-sized symbols, which Qt draws cosmetic
        (the painter's scale leaves them thin), widened to match the text and
        the points (these scale with the painter already)."""

        def layers_at(factor: float) -> None:
            for layer in self.layers:
                layer.set_scale(factor)

        return zoomed_scale(layers_at, self._scale, zoom)

    def scale_label(self, label: QLabel) -> None:
        """A floating label over the plot at the presentation scale."""
        font = label.font()
        font.setPointSizeF(9.5 * self._scale)
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
        self._place_hover()
        self.hover.show()
        self.hover_text.emit(text)

    def _place_hover(self) -> None:
        """Dock the read-out in the plot's bottom-left corner: clear of the cursor, the ticks
        and the title; the legend of a lab takes the bottom-right."""
        corner = self.plot.mapFromScene(self.view.sceneBoundingRect().bottomLeft())
        self.hover.move(corner.x() + 8, max(corner.y() - self.hover.height() - 8, 0))

    def describe(self, x: float, y: float) -> str:
        """The coordinates at (x, y), then what each layer has to say there."""
        lines = [f"x = {x:.4g}, y = {y:.4g}"]
        lines += [d for layer in self.layers if (d := layer.describe(x, y))]
        return "<br>".join(lines)



#: Marker radius and outline at scale 1, up to :data:`DENSE_FROM` points.
MARKER_RADIUS, MARKER_OUTLINE, DENSE_FROM = 6.0, 2.0, 2000


def marker_size(n_points: int, scale: float) -> tuple[float, float]:
    """(radius, outline) in px: full size up to DENSE_FROM points, then smaller as the
    points get denser (n^-0.3, down to a third), so 1e5 points are dots, not a blob.  The size
    moves in steps of 1/96 of the full size (1/16 px): a click that adds a point to 10,000 does
    not resize, and so re-rasterise, every marker."""
    shrink = 1.0 if n_points <= DENSE_FROM else round(max((DENSE_FROM / n_points) ** 0.3, 1 / 3) * 96) / 96
    return MARKER_RADIUS * scale * shrink, max(MARKER_OUTLINE * scale * shrink, 0.75)


def _same_color(color: str) -> str:
    return color
