"""The graph's items on a QGraphicsScene: nodes, edges, plates, and the drawing palette.

Items draw and never compute: a node is told its label, kind, whether it is
given, its marginal bars and its mark; an edge its two ends and its colour.
Every ``paint`` is wrapped in :func:`~gmmviz.qt.canvas.sprites.guarded_paint`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject

from gmmviz.qt.canvas.sprites import guarded_paint

RADIUS = 24.0
BAR_W, BAR_H, BAR_GAP = 12.0, 26.0, 3.0
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def display_name(name: str) -> str:
    """x12 → x₁₂ (trailing digits as subscripts, as on the slides)."""
    head = name.rstrip("0123456789")
    return head + name[len(head):].translate(_SUB) if head else name


@dataclass(frozen=True)
class Palette:
    """Colours of the graph on one theme."""

    background: str = "#ffffff"
    ink: str = "#1d1d1f"
    node: str = "#ffffff"
    shaded: str = "#c9ced6"
    edge: str = "#404048"
    open_path: str = "#d9480f"
    blocked_path: str = "#1c7ed6"
    picked_x: str = "#2b8a3e"
    picked_y: str = "#862e9c"
    bar: str = "#5c7cfa"
    bar_given: str = "#e8590c"
    empirical: str = "#111111"
    plate: str = "#6c6c74"

    @classmethod
    def for_theme(cls, theme) -> Palette:
        if theme is not None and theme.dark:
            return cls("#1e1f24", "#e8e8ea", "#2b2d34", "#596070", "#c8ccd6", "#ff8a50", "#66b2ff",
                       "#69db7c", "#e599f7", "#91a7ff", "#ffa94d", "#f1f3f5", "#a0a0aa")
        return cls()


_FONTS: dict = {}


def _font(size: float, *, italic: bool = False, bold: bool = False) -> QFont:
    """A font of ``size`` points, built once (painting many nodes per frame builds none)."""
    key = (round(size, 2), italic, bold)
    if key not in _FONTS:
        font = QFont()
        font.setPointSizeF(size)
        font.setItalic(italic)
        font.setBold(bold)
        _FONTS[key] = font
    return _FONTS[key]


#: The widest a blocking rule's label is drawn (at scale 1; it grows with the text).
BLOCK_MAX_W = 300


class NodeItem(QGraphicsObject):
    """One node: a circle (dashed for latent and parameter nodes, shaded when given), its name,
    and optionally its marginal as bars under it (clicking a bar sets evidence)."""

    def __init__(self, name: str, palette: Palette):
        super().__init__()
        self.name = name
        self.kind = "observed"
        self.given = False
        self.mark = ""  # "X", "Y" or ""
        self.bars: tuple[float, ...] = ()
        self.empirical: tuple[float, ...] = ()
        self.fill: str | None = None  # a colour the node is filled with instead of its own (being drawn)
        self.given_state: int | None = None
        self.blocked = ""  # a short rule shown beside a blocking node
        self.labels: tuple[str, ...] = ()  # the states' names, under the bars
        self.palette = palette
        self.scale_factor = 1.0
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setZValue(2)

    def set_fill(self, color: str | None) -> None:
        """Fill the node with ``color`` (a node being drawn, as ancestral sampling goes), or its own (None)."""
        if color != self.fill:
            self.fill = color
            self.update()

    def set_state(self, *, kind, given, mark, bars, empirical, given_state, blocked, labels=()) -> None:
        self.prepareGeometryChange()
        self.kind, self.given, self.mark = kind, given, mark
        self.bars, self.empirical, self.given_state, self.blocked = bars, empirical, given_state, blocked
        self.labels = tuple(labels)
        self.setZValue(3 if blocked else 2)  # a rule's label reads over the edges and other nodes
        if bars:
            names = self.labels or tuple(str(i) for i in range(len(bars)))
            rows = [f"{s}: {p:.4f}" + (f" (sampled {e:.4f})" if i < len(empirical) else "")
                    for i, (s, p, e) in enumerate(zip(names, bars, list(empirical) + [0.0] * len(bars)))]
            self.setToolTip(f"P({self.name} | evidence)\n" + "\n".join(rows) + "\nClick a bar to observe that state")
        else:
            self.setToolTip("")
        self.update()

    def _bars_rect(self) -> QRectF:
        n = len(self.bars)
        width = n * BAR_W + (n - 1) * BAR_GAP
        return QRectF(RADIUS + 6, -BAR_H / 2 - 2, width, BAR_H + 12)

    def boundingRect(self) -> QRectF:
        r = QRectF(-RADIUS - 16, -RADIUS - 4, 2 * RADIUS + 20, 2 * RADIUS + 8)
        if self.bars:
            r = r.united(self._bars_rect().adjusted(-2, -2, 2, 2))
        if self.blocked:
            r = r.united(self._block_rect(BLOCK_MAX_W * self.scale_factor).adjusted(-2, -2, 2, 2))
        return r

    def _block_rect(self, text_width: float) -> QRectF:
        """The rule's label above right of the node, as tall as its scaled font needs."""
        s = self.scale_factor
        height = 20 * s
        return QRectF(RADIUS + 2, -RADIUS - height + 6, min(text_width, BLOCK_MAX_W * s), height)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), RADIUS, RADIUS)
        if self.bars:
            path.addRect(self._bars_rect())
        return path

    def bar_at(self, local: QPointF) -> int | None:
        """The state whose bar is under ``local`` (item coordinates), or None."""
        if not self.bars or not self._bars_rect().contains(local):
            return None
        i = int((local.x() - self._bars_rect().left()) // (BAR_W + BAR_GAP))
        return i if 0 <= i < len(self.bars) else None

    @guarded_paint
    def paint(self, p, option, widget=None) -> None:
        pal = self.palette
        pen = QPen(QColor(pal.ink), 2.0)
        if self.kind != "observed":
            pen.setStyle(Qt.PenStyle.DashLine)
        if self.isSelected():
            pen.setWidthF(3.5)
        if self.mark:
            pen.setColor(QColor(pal.picked_x if self.mark == "X" else pal.picked_y))
            pen.setWidthF(4.0)
        p.setRenderHint(p.RenderHint.Antialiasing)
        p.setPen(pen)
        fill = QColor(self.fill) if self.fill else QColor(pal.shaded if self.given else pal.node)
        if self.fill:
            fill.setAlpha(170)
        p.setBrush(QBrush(fill))
        p.drawEllipse(QPointF(0, 0), RADIUS, RADIUS)
        p.setFont(_font(13 * self.scale_factor, italic=True))
        p.setPen(QColor(pal.ink))
        p.drawText(QRectF(-RADIUS, -RADIUS, 2 * RADIUS, 2 * RADIUS), Qt.AlignmentFlag.AlignCenter,
                   display_name(self.name))
        if self.mark:
            p.setFont(_font(9 * self.scale_factor, bold=True))
            p.setPen(QColor(pal.picked_x if self.mark == "X" else pal.picked_y))
            p.drawText(QPointF(-RADIUS - 14, 4), self.mark)
        if self.bars:
            self._paint_bars(p)
        if self.blocked:
            self._paint_block(p)

    def _paint_bars(self, p) -> None:
        pal, r = self.palette, self._bars_rect()
        base = r.top() + BAR_H
        p.setFont(_font(7 * self.scale_factor))
        for i, v in enumerate(self.bars):
            x = r.left() + i * (BAR_W + BAR_GAP)
            h = max(0.0, min(1.0, float(v))) * BAR_H
            p.setPen(QPen(QColor(pal.ink), 0.6))
            p.setBrush(QBrush(QColor(pal.bar_given if self.given_state == i else pal.bar)))
            p.drawRect(QRectF(x, base - h, BAR_W, h))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(x, base - BAR_H, BAR_W, BAR_H))
            if i < len(self.empirical):
                e = base - max(0.0, min(1.0, float(self.empirical[i]))) * BAR_H
                p.setPen(QPen(QColor(pal.empirical), 2.0))
                p.drawLine(QLineF(x - 1, e, x + BAR_W + 1, e))
            p.setPen(QColor(pal.ink))
            label = self.labels[i] if i < len(self.labels) and len(self.labels[i]) <= 2 else str(i)
            p.drawText(QRectF(x - 2, base + 1, BAR_W + 4, 11), Qt.AlignmentFlag.AlignCenter, label)

    def _paint_block(self, p) -> None:
        pal = self.palette
        p.setPen(QPen(QColor(pal.blocked_path), 3.0))
        d = RADIUS * 0.75
        p.drawLine(QLineF(-d, d, d, -d))  # a bar through the node: it blocks
        p.setFont(_font(9 * self.scale_factor))
        box = self._block_rect(p.fontMetrics().horizontalAdvance(self.blocked) + 8)
        back = QColor(pal.background)
        back.setAlpha(215)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(back)
        p.drawRoundedRect(box, 4, 4)
        p.setPen(QColor(pal.blocked_path))
        p.drawText(box.adjusted(4, 0, -2, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.blocked)


class EdgeItem(QGraphicsItem):
    """An arrow parent → child between two node centres, stopping at the circles."""

    def __init__(self, parent: str, child: str, palette: Palette):
        super().__init__()
        self.parent_name, self.child_name = parent, child
        self.palette = palette
        self.colour: str | None = None  # a highlighted path's colour
        self.line = QLineF()
        self.setZValue(1)

    def set_ends(self, a: QPointF, b: QPointF) -> None:
        self.prepareGeometryChange()
        self.line = QLineF(a, b)
        self.update()

    def set_colour(self, colour: str | None) -> None:
        self.colour = colour
        self.update()

    def _trimmed(self) -> QLineF:
        line = self.line
        n = line.length()
        if n < 2 * RADIUS + 1:
            return QLineF(line.p1(), line.p1())
        ux, uy = (line.dx() / n, line.dy() / n)
        return QLineF(line.x1() + ux * RADIUS, line.y1() + uy * RADIUS,
                      line.x2() - ux * (RADIUS + 1), line.y2() - uy * (RADIUS + 1))

    def boundingRect(self) -> QRectF:
        return QRectF(self.line.p1(), self.line.p2()).normalized().adjusted(-12, -12, 12, 12)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        t = self._trimmed()
        n = max(t.length(), 1e-9)
        nx_, ny_ = -t.dy() / n * 6, t.dx() / n * 6
        path.addPolygon(QPolygonF([QPointF(t.x1() + nx_, t.y1() + ny_), QPointF(t.x2() + nx_, t.y2() + ny_),
                                   QPointF(t.x2() - nx_, t.y2() - ny_), QPointF(t.x1() - nx_, t.y1() - ny_)]))
        return path

    @guarded_paint
    def paint(self, p, option, widget=None) -> None:
        t = self._trimmed()
        if t.length() < 1:
            return
        colour = QColor(self.colour or self.palette.edge)
        width = 4.0 if self.colour else 1.8
        p.setRenderHint(p.RenderHint.Antialiasing)
        p.setPen(QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawLine(t)
        angle = math.atan2(t.dy(), t.dx())
        tip = t.p2()
        size = 11.0 + (2 if self.colour else 0)
        left = QPointF(tip.x() - size * math.cos(angle - 0.4), tip.y() - size * math.sin(angle - 0.4))
        right = QPointF(tip.x() - size * math.cos(angle + 0.4), tip.y() - size * math.sin(angle + 0.4))
        p.setBrush(QBrush(colour))
        p.drawPolygon(QPolygonF([tip, left, right]))


class PlateItem(QGraphicsItem):
    """A rounded box around a plate's nodes, labelled with its range (t = 1…T)."""

    def __init__(self, label: str, palette: Palette):
        super().__init__()
        self.label = label
        self.palette = palette
        self.rect = QRectF()
        self.setZValue(0)

    def set_rect(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self.rect = rect
        self.update()

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-2, -2, 2, 2)

    @guarded_paint
    def paint(self, p, option, widget=None) -> None:
        p.setRenderHint(p.RenderHint.Antialiasing)
        p.setPen(QPen(QColor(self.palette.plate), 1.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(self.rect, 8, 8)
        p.setFont(_font(10))
        p.setPen(QColor(self.palette.ink))
        p.drawText(self.rect.adjusted(0, 0, -8, -4), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                   self.label)
