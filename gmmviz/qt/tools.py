"""Canvas tools: small classes that turn pointer events into edit commands.

A tool never touches the data: it asks the :class:`ToolContext` (the
canvas) for what it needs (the current class, the nearest point) and hands
back commands.  The pointer events are plain dataclasses, so tools are
tested without a display.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from gmmviz.core.commands import AddPoints, Command, RemovePoints

ERASE_RADIUS_PX = 10.0


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
    """

    x: float
    y: float
    button: str = "left"
    shift: bool = False
    ctrl: bool = False
    phase: str = "click"


class ToolContext(Protocol):
    """What a tool may ask the canvas."""

    def current_class(self) -> int: ...

    def nearest_point(self, x: float, y: float, max_px: float) -> int: ...

    def push(self, command: Command, text: str, gesture: int | None = None) -> None: ...


class Tool:
    """Base tool: handles nothing, so the view pans and zooms as usual."""

    name = "tool"
    text = "Tool"

    def click(self, ev: Pointer, ctx: ToolContext) -> bool:
        return False

    def drag(self, ev: Pointer, ctx: ToolContext) -> bool:
        return False


class PutTool(Tool):
    """Click adds a point of the current class at exactly the clicked place;
    right click (or Shift + click) removes the nearest point within a few
    pixels; dragging pans the view."""

    name = "put"
    text = "Put points"

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
