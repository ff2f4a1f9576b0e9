"""Canvas tools: small classes that turn pointer events into edit commands.

A tool never touches the data: it asks the :class:`ToolContext` (the
canvas) for what it needs (the current class, the points on screen, the
size of a pixel) and hands back commands.  The pointer events are plain
dataclasses, so tools are tested without a display.

Clicks and drags
----------------
pyqtgraph's scene tells a click from a drag: a press released within
``DRAG_THRESHOLD_PX`` pixels is a click, delivered once at the press
position; anything farther is a drag.  (pyqtgraph's own rule is 5 px, or
*any* movement once the button has been held for 0.5 s, which turned a
slow, slightly wobbly click into a pan; the canvas sets 4 px and no time
rule.)
A drag reaches a tool as ``start`` (at the press position), ``move``\\ s and
``finish`` (at the release position).  A tool returns True when it took
the event: a drag a tool takes does not pan the view.  Only left-button
events are ever taken by the painting tools, so middle-drag, right-drag and
the wheel always navigate.

One gesture is one undo step: every command of a stroke is pushed with the
same ``gesture`` id, which the undo stack merges into one entry.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from gmmviz.core.commands import AddPoints, RemovePoints
from gmmviz.core.document import Command
from gmmviz.qt.canvas.tools import picking

ERASE_RADIUS_PX = 10.0
DRAG_THRESHOLD_PX = 4  # a press that moves less than this before release is a click

_gesture_ids = itertools.count(1)


def new_gesture() -> int:
    """A fresh gesture id: commands pushed with it merge into one undo step."""
    return next(_gesture_ids)


@dataclass(frozen=True)
class Pointer:
    """A mouse event in data coordinates.

    Attributes
    ----------
    x, y : float
        Data coordinates of the pointer.
    button : str
        ``"left"``, ``"right"`` or ``"middle"``.
    shift, ctrl : bool
        Modifier keys held.
    phase : str
        ``"click"``, or ``"start"``, ``"move"``, ``"finish"`` of a drag.
    alt : bool
        The Alt modifier (lasso instead of rectangle for the Select tool).
    """

    x: float
    y: float
    button: str = "left"
    shift: bool = False
    ctrl: bool = False
    phase: str = "click"
    alt: bool = False

    @property
    def xy(self) -> np.ndarray:
        return np.array([self.x, self.y])


class ToolContext(Protocol):
    """What a tool may ask the canvas (read-only views and overlays; edits go through ``push``)."""

    def current_class(self) -> int: ...

    def nearest_point(self, x: float, y: float, max_px: float) -> int: ...

    def points_xy(self) -> np.ndarray: ...

    def pixel_size(self) -> tuple[float, float]: ...

    def selection(self) -> np.ndarray: ...

    def set_selection(self, indices: np.ndarray) -> None: ...

    def show_outline(self, poly: np.ndarray | None) -> None: ...

    def preview_move(self, indices: np.ndarray | None, xy: np.ndarray | None) -> None: ...

    def push(self, command: Command, text: str, gesture: int | None = None) -> None: ...


class Tool:
    """Base tool: handles nothing, so the view pans and zooms as usual.

    Attributes
    ----------
    name : str
        Key of the tool (the action is ``tool_<name>``).
    cursor : str
        ``"cross"``, ``"arrow"`` or ``"ring"`` (a circle of ``radius_px``).
    moves_means : bool
        Whether a drag that starts on a mean's handle moves the mean; when
        False the drag is the tool's (painting over a cluster must not grab
        the mean sitting in it).
    """

    name = "tool"
    text = "Tool"
    cursor = "arrow"
    radius_px = 0.0
    moves_means = False

    def click(self, ev: Pointer, ctx: ToolContext) -> bool:
        return False

    def drag(self, ev: Pointer, ctx: ToolContext) -> bool:
        return False

    def hover_cursor(self, ev: Pointer, ctx: ToolContext) -> str:
        """The cursor to show with the pointer at ``ev`` (no button held)."""
        return self.cursor


class PutTool(Tool):
    """Click adds a point of the current class at exactly the clicked place;
    right click (or Shift + click) removes the nearest point within a few
    pixels; dragging pans the view."""

    name = "put"
    text = "Put points"
    cursor = "cross"
    moves_means = True

    def click(self, ev: Pointer, ctx: ToolContext) -> bool:
        if ev.button == "right" or (ev.button == "left" and ev.shift):
            return erase_nearest(ev, ctx)
        if ev.button == "left":
            label = ctx.current_class()
            ctx.push(AddPoints(np.array([[ev.x, ev.y]]), np.array([label])), "Add point")
            return True
        return False


def erase_nearest(ev: Pointer, ctx: ToolContext) -> bool:
    """Remove the point nearest to the pointer within ERASE_RADIUS_PX."""
    i = ctx.nearest_point(ev.x, ev.y, ERASE_RADIUS_PX)
    if i >= 0:
        ctx.push(RemovePoints(np.array([i])), "Remove point")
    return True


class StrokeTool(Tool):
    """A left-button tool whose drag is one gesture: ``begin`` at the press,
    ``extend`` along each segment of the path, then ``end``."""

    cursor = "ring"

    def __init__(self, radius_px: float):
        self.radius_px = float(radius_px)
        self._gesture: int | None = None
        self._last: np.ndarray | None = None

    def click(self, ev: Pointer, ctx: ToolContext) -> bool:
        if ev.button != "left":
            return False
        self.begin(ev.xy, ctx, None)
        return True

    def drag(self, ev: Pointer, ctx: ToolContext) -> bool:
        if ev.button != "left":
            return False
        if ev.phase == "start":
            self._gesture = new_gesture()
            self._last = ev.xy
            self.begin(ev.xy, ctx, self._gesture)
        elif self._last is not None:
            self.extend(self._last, ev.xy, ctx, self._gesture)
            self._last = ev.xy
        if ev.phase == "finish":
            self._gesture, self._last = None, None
        return True

    def begin(self, xy: np.ndarray, ctx: ToolContext, gesture: int | None) -> None:
        raise NotImplementedError

    def extend(self, a: np.ndarray, b: np.ndarray, ctx: ToolContext, gesture: int | None) -> None:
        raise NotImplementedError


class BrushTool(StrokeTool):
    """Spray points of the current class.

    A click sprays one dab of ``dab_size()`` points within ``radius_px``
    screen pixels; a drag sprays ``density`` points per pixel travelled,
    spread over the discs along the path.  The generator is seeded, so a
    stroke is reproducible.

    Parameters
    ----------
    radius_px : float
        Brush radius in screen pixels.
    density : float
        Points per screen pixel of stroke.
    seed : int
        Seed of the brush's random generator.
    """

    name = "brush"
    text = "Brush"

    def __init__(self, radius_px: float = 24.0, density: float = 0.3, seed: int = 0):
        super().__init__(radius_px)
        self.density = float(density)
        self.rng = np.random.default_rng(seed)
        self._carry = 0.0

    def dab_size(self) -> int:
        """Points sprayed by a click (and at the start of a stroke): one radius of stroke."""
        return max(1, int(round(self.density * self.radius_px)))

    def begin(self, xy, ctx, gesture) -> None:
        self._carry = 0.0
        self._spray(xy, xy, self.dab_size(), ctx, gesture)

    def extend(self, a, b, ctx, gesture) -> None:
        length = float(np.hypot(*picking.to_pixels(b, a, ctx.pixel_size())[0]))
        self._carry += self.density * length
        n = int(self._carry)
        self._carry -= n
        self._spray(a, b, n, ctx, gesture)

    def _spray(self, a, b, n: int, ctx: ToolContext, gesture: int | None) -> None:
        if n <= 0:
            return
        xy = picking.spray(self.rng, a, b, n, self.radius_px, ctx.pixel_size())
        ctx.push(AddPoints(xy, np.full(n, ctx.current_class())), "Brush stroke", gesture)


class EraseTool(StrokeTool):
    """Remove every point within ``radius_px`` screen pixels of the pointer
    (a click), or of its path (a drag)."""

    name = "erase"
    text = "Erase"

    def __init__(self, radius_px: float = 15.0):
        super().__init__(radius_px)

    def begin(self, xy, ctx, gesture) -> None:
        self._remove(picking.within_radius(ctx.points_xy(), xy, self.radius_px, ctx.pixel_size()), ctx, gesture)

    def extend(self, a, b, ctx, gesture) -> None:
        self._remove(picking.near_segment(ctx.points_xy(), a, b, self.radius_px, ctx.pixel_size()), ctx, gesture)

    @staticmethod
    def _remove(indices: np.ndarray, ctx: ToolContext, gesture: int | None) -> None:
        if indices.size:
            ctx.push(RemovePoints(indices), "Erase points", gesture)
