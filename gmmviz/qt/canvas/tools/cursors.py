"""Cursors and toolbar icons of the canvas tools, painted in code.

The Brush and Erase cursors are circles exactly the size of the tool's
radius on screen, so what lies inside the circle is what a click paints or
erases; the Brush circle has the current class's colour.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QCursor,
    QGuiApplication,
    QIcon,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
)

from gmmviz.qt.canvas.tools.base import Tool

_SHAPES = {"cross": Qt.CursorShape.CrossCursor, "arrow": Qt.CursorShape.ArrowCursor,
           "move": Qt.CursorShape.SizeAllCursor}


def ring_cursor(radius_px: float, color: str = "#202020", mark: str = "+") -> QCursor:
    """A circle of ``radius_px`` logical pixels with a light halo and a centre mark.

    Parameters
    ----------
    radius_px : float
        Radius of the circle, in the same pixels the tools measure.
    color : str
        Colour of the circle (the class a brush paints).
    mark : str
        ``"+"`` (brush) or ``"x"`` (eraser) at the hot spot.
    """
    dpr = QGuiApplication.primaryScreen().devicePixelRatio() if QGuiApplication.primaryScreen() else 1.0
    r = max(2.0, float(radius_px))
    half = math.ceil(r + 3)
    pm = QPixmap(round((2 * half + 1) * dpr), round((2 * half + 1) * dpr))
    pm.setDevicePixelRatio(dpr)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    c = QPointF(half + 0.5, half + 0.5)
    p.setBrush(Qt.BrushStyle.NoBrush)
    for pen in (QPen(QColor(255, 255, 255, 230), 3.0), QPen(QColor(color), 1.5)):
        p.setPen(pen)
        p.drawEllipse(c, r, r)
        d = 3.0
        if mark == "x":
            p.drawLine(c + QPointF(-d, -d), c + QPointF(d, d))
            p.drawLine(c + QPointF(-d, d), c + QPointF(d, -d))
        else:
            p.drawLine(c + QPointF(-d, 0), c + QPointF(d, 0))
            p.drawLine(c + QPointF(0, -d), c + QPointF(0, d))
    p.end()
    return QCursor(pm, half, half)


def cursor_for(name: str, tool: Tool, class_color: str = "#202020") -> QCursor:
    """The cursor ``name`` (a tool's ``cursor`` or ``hover_cursor``) for ``tool``."""
    if name == "ring":
        return ring_cursor(tool.radius_px, class_color if tool.name == "brush" else "#202020",
                           "+" if tool.name == "brush" else "x")
    return QCursor(_SHAPES.get(name, Qt.CursorShape.ArrowCursor))


def tool_icon(name: str, size: int = 24) -> QIcon:
    """A toolbar icon for tool ``name`` in the palette's text colour (fits light and dark themes)."""
    ink = QGuiApplication.palette().color(QPalette.ColorRole.WindowText)
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 24.0, size / 24.0)
    p.setPen(QPen(ink, 1.6))
    {"put": _paint_put, "brush": _paint_brush, "erase": _paint_erase, "select": _paint_select}[name](p, ink)
    p.end()
    return QIcon(pm)


def _paint_put(p: QPainter, ink: QColor) -> None:
    p.setBrush(QBrush(ink))
    p.drawEllipse(QPointF(10, 14), 4.5, 4.5)
    p.drawLine(QPointF(18, 2), QPointF(18, 10))
    p.drawLine(QPointF(14, 6), QPointF(22, 6))


def _paint_brush(p: QPainter, ink: QColor) -> None:
    rng = np.random.default_rng(3)
    p.setBrush(QBrush(ink))
    p.setPen(Qt.PenStyle.NoPen)
    for rho, theta in zip(9 * np.sqrt(rng.random(16)), 2 * np.pi * rng.random(16)):
        p.drawEllipse(QPointF(12 + rho * np.cos(theta), 12 + rho * np.sin(theta)), 1.4, 1.4)
    pen = QPen(ink, 1.2, Qt.PenStyle.DotLine)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(QPointF(12, 12), 10.5, 10.5)


def _paint_erase(p: QPainter, ink: QColor) -> None:
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(QPointF(12, 12), 9.5, 9.5)
    p.drawLine(QPointF(8, 8), QPointF(16, 16))
    p.drawLine(QPointF(8, 16), QPointF(16, 8))


def _paint_select(p: QPainter, ink: QColor) -> None:
    p.setPen(QPen(ink, 1.5, Qt.PenStyle.DashLine))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(QRectF(3, 5, 15, 12))
    p.setPen(QPen(ink, 1.2))
    p.setBrush(QBrush(ink))
    tip = [QPointF(14, 12), QPointF(14, 23), QPointF(17, 20), QPointF(19.5, 24), QPointF(21, 23),
           QPointF(18.5, 19), QPointF(22, 18.5)]
    p.drawPolygon(tip)
