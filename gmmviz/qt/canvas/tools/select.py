"""The Select tool: pick points, then move them as one.

* click on a point selects it (Shift adds, Ctrl removes); a click on empty
  canvas clears the selection;
* a drag from a selected point moves the whole selection: the canvas
  previews the move live, and the drop is one
  :class:`~gmmviz.core.commands.MovePoints`, so one undo step;
* any other drag draws a rubber band (or a lasso with Alt, or when
  ``lasso`` is set) and selects what it encloses: in a dense cloud a band
  can start on top of points (to move one point: click it, then drag it).
"""

from __future__ import annotations

import numpy as np

from gmmviz.core.commands import MovePoints
from gmmviz.qt.canvas.tools import picking
from gmmviz.qt.canvas.tools.base import Pointer, Tool, ToolContext

PICK_RADIUS_PX = 8.0


class SelectTool(Tool):
    """Rubber band / lasso selection and moving the selection.

    Parameters
    ----------
    lasso : bool
        Draw a free-hand lasso instead of a rectangle (Alt switches per drag).
    """

    name = "select"
    text = "Select"
    cursor = "arrow"

    def __init__(self, lasso: bool = False):
        self.lasso = lasso
        self._mode: str | None = None  # "band", "lasso" or "move" during a drag
        self._path: list[np.ndarray] = []
        self._moving: np.ndarray = np.zeros(0, np.intp)
        self._origin: np.ndarray = np.zeros((0, 2))

    def click(self, ev: Pointer, ctx: ToolContext) -> bool:
        if ev.button != "left":
            return False
        i = ctx.nearest_point(ev.x, ev.y, PICK_RADIUS_PX)
        hits = np.array([i] if i >= 0 else [], np.intp)
        ctx.set_selection(picking.combine(ctx.selection(), hits, add=ev.shift, subtract=ev.ctrl))
        return True

    def drag(self, ev: Pointer, ctx: ToolContext) -> bool:
        if ev.button != "left":
            return False
        if ev.phase == "start":
            self._start(ev, ctx)
        elif self._mode == "move":
            self._move(ev, ctx)
        elif self._mode is not None:
            self._outline(ev, ctx)
        return True

    def hover_cursor(self, ev: Pointer, ctx: ToolContext) -> str:
        """A move cursor over a selected point: dragging it moves the selection."""
        return "move" if _on_selection(ev, ctx) else self.cursor

    # -- the three drags ---------------------------------------------------
    def _start(self, ev: Pointer, ctx: ToolContext) -> None:
        selection = ctx.selection()
        if ev.alt or not _on_selection(ev, ctx):
            self._mode = "lasso" if (self.lasso or ev.alt) else "band"
            self._path = [ev.xy]
            return
        self._mode = "move"
        self._moving = selection
        self._origin = np.array(ctx.points_xy()[selection], np.float64)
        self._path = [ev.xy]

    def _move(self, ev: Pointer, ctx: ToolContext) -> None:
        if not np.array_equal(ctx.selection(), self._moving):
            # The data changed under the drag (an undo, a file opened) and the
            # selection was dropped with it: its indices name other points now.
            self._mode = None
            ctx.preview_move(None, None)
            return
        target = self._origin + (ev.xy - self._path[0])
        if ev.phase != "finish":
            ctx.preview_move(self._moving, target)
            return
        self._mode = None
        ctx.preview_move(None, None)
        if np.any(ev.xy != self._path[0]) and self._moving.size:
            n = self._moving.size
            ctx.push(MovePoints(self._moving, target), f"Move {n} point{'s' if n != 1 else ''}")

    def _outline(self, ev: Pointer, ctx: ToolContext) -> None:
        start = self._path[0]
        if self._mode == "lasso":
            self._path.append(ev.xy)
            poly = np.array(self._path)
        else:
            poly = np.array([start, [ev.x, start[1]], ev.xy, [start[0], ev.y]])
        if ev.phase != "finish":
            ctx.show_outline(poly)
            return
        ctx.show_outline(None)
        if self._mode == "lasso":
            hits = picking.in_polygon(ctx.points_xy(), poly)
        else:
            hits = picking.in_rect(ctx.points_xy(), start, ev.xy)
        self._mode = None
        ctx.set_selection(picking.combine(ctx.selection(), hits, add=ev.shift, subtract=ev.ctrl))


def _on_selection(ev: Pointer, ctx: ToolContext) -> bool:
    """Whether a selected point lies under the pointer (only the selected
    points are tested: this runs on every mouse move)."""
    selection = ctx.selection()
    if not selection.size:
        return False
    near = picking.within_radius(ctx.points_xy()[selection], ev.xy, PICK_RADIUS_PX, ctx.pixel_size())
    return near.size > 0
