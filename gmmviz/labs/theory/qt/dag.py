"""The Gaussian mixture drawn as a graphical model: θ → z_t → x_t ← μ, Σ inside a plate over t = 1..T.

A small QGraphicsView drawing of its own (the graphs lab may later share one): z_t is hidden (dashed),
x_t observed (shaded).  Clicking a node emits ``node_clicked`` (the graphical-model view shows the
responsibilities for z_t, the data for x_t); :meth:`ModelGraph.light` fills a node while ancestral
sampling draws it.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsScene,
    QGraphicsTextItem,
    QGraphicsView,
    QVBoxLayout,
    QWidget,
)

R = 34  # node radius, scene units
NODES = {"theta": (-180, 0, "θ"), "z": (-40, 0, "z_t"), "x": (120, 0, "x_t"), "mu": (120, -150, "μ, Σ")}
EDGES = (("theta", "z"), ("z", "x"), ("mu", "x"))
CAPTIONS = {"z": "z_t: hidden (dashed); its posterior P(z_t|x_t, θ) is the responsibility r_t",
            "x": "x_t: observed (shaded): the data"}


class _Node(QGraphicsEllipseItem):
    def __init__(self, key: str, view: "ModelGraph"):
        x, y, _ = NODES[key]
        super().__init__(QRectF(x - R, y - R, 2 * R, 2 * R))
        self.key, self.view = key, view
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)

    def mousePressEvent(self, event):  # noqa: N802 (Qt API)
        self.view.click(self.key)
        event.accept()


class ModelGraph(QWidget):
    """The DAG with its plate.

    Signals
    -------
    node_clicked(str)
        "z" or "x" (the nodes that change what the canvas shows), or "theta" / "mu".
    """

    node_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.scene = QGraphicsScene(self)
        self.view = QGraphicsView(self.scene)
        self.view.setRenderHint(self.view.renderHints().Antialiasing, True)
        self.nodes: dict[str, _Node] = {}
        self._lit: dict[str, str] = {}
        self._fg = "#222222"
        self._build()
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(self.view, 1)
        self.set_foreground(self._fg)

    def _build(self) -> None:
        self.plate = self.scene.addRect(QRectF(-90, -70, 280, 150))
        self.plate_label = self.scene.addText("t = 1 … T")
        font = QFont()
        font.setPointSizeF(12)
        self.plate_label.setFont(font)
        self.plate_label.setPos(90, 44)
        self.edges = []
        for a, b in EDGES:
            (xa, ya, _), (xb, yb, _) = NODES[a], NODES[b]
            dx, dy = xb - xa, yb - ya
            n = (dx * dx + dy * dy) ** 0.5
            line = self.scene.addLine(xa + R * dx / n, ya + R * dy / n, xb - R * dx / n, yb - R * dy / n)
            head = self.scene.addPolygon(_arrow_head(xb - R * dx / n, yb - R * dy / n, dx / n, dy / n))
            self.edges.append((line, head))
        self.labels = {}
        for key, (x, y, text) in NODES.items():
            node = _Node(key, self)
            self.scene.addItem(node)
            self.nodes[key] = node
            label = QGraphicsTextItem(text)
            font = QFont()
            font.setPointSizeF(14)
            label.setFont(font)
            r = label.boundingRect()
            label.setPos(x - r.width() / 2, y - r.height() / 2)
            label.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            self.scene.addItem(label)
            self.labels[key] = label

    def resizeEvent(self, event):  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.view.fitInView(self.scene.itemsBoundingRect().adjusted(-40, -40, 40, 40),
                            Qt.AspectRatioMode.KeepAspectRatio)  # the drawing fills the page (projector-size)

    def set_foreground(self, color: str) -> None:
        """Lines and text in ``color`` (the theme's plot foreground)."""
        self._fg = color
        pen = QPen(QColor(color), 2)
        for line, head in self.edges:
            line.setPen(pen)
            head.setPen(pen)
            head.setBrush(QBrush(QColor(color)))
        self.plate.setPen(pen)
        self.plate_label.setDefaultTextColor(QColor(color))
        for key, node in self.nodes.items():
            p = QPen(QColor(color), 2.5, Qt.PenStyle.DashLine if key == "z" else Qt.PenStyle.SolidLine)
            node.setPen(p)
            self.labels[key].setDefaultTextColor(QColor(color))
        self._fill()

    def light(self, lit: dict[str, str]) -> None:
        """Fill the nodes of ``lit`` (key -> colour) as being drawn; the others their usual way."""
        self._lit = dict(lit)
        self._fill()

    def _fill(self) -> None:
        for key, node in self.nodes.items():
            if key in self._lit:
                color = QColor(self._lit[key])
                color.setAlpha(150)
                node.setBrush(QBrush(color))
            else:
                node.setBrush(QBrush(QColor(128, 128, 128, 90)) if key == "x" else QBrush(Qt.BrushStyle.NoBrush))

    def click(self, key: str) -> None:
        self.node_clicked.emit(key)


def _arrow_head(x: float, y: float, ux: float, uy: float):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QPolygonF

    size, half = 12.0, 6.0
    bx, by = x - size * ux, y - size * uy
    return QPolygonF([QPointF(x, y), QPointF(bx - half * uy, by + half * ux), QPointF(bx + half * uy, by - half * ux)])
