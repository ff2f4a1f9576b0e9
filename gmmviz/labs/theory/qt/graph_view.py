"""The Gaussian mixture as a graphical model: θ → z_t → x_t ← μ, Σ inside a plate over t = 1..T.

A small QGraphicsView drawing of its own (the graphs lab may later share one): z_t is hidden (dashed),
x_t observed (shaded).  Clicking z_t or x_t says what the canvas should show (``node_clicked``: "z" for the
responsibilities, "x" for the data); the lab wires it to the race canvas.  Ancestral sampling is not animated yet.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsScene,
    QGraphicsTextItem,
    QGraphicsView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

R = 34  # node radius, scene units
NODES = {"theta": (-180, 0, "θ"), "z": (-40, 0, "z_t"), "x": (120, 0, "x_t"), "mu": (120, -150, "μ, Σ")}
EDGES = (("theta", "z"), ("z", "x"), ("mu", "x"))
CAPTIONS = {"z": "z_t: hidden (dashed); its posterior P(z_t|x_t, θ) is the responsibility r_t",
            "x": "x_t: observed (shaded): the data"}


class _Node(QGraphicsEllipseItem):
    def __init__(self, key: str, view: "GraphView"):
        x, y, _ = NODES[key]
        super().__init__(QRectF(x - R, y - R, 2 * R, 2 * R))
        self.key, self.view = key, view
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)

    def mousePressEvent(self, event):  # noqa: N802 (Qt API)
        self.view.click(self.key)
        event.accept()


class GraphView(QWidget):
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
        self.shown = "x"
        self._build()
        v = QVBoxLayout(self)
        v.addWidget(self.view, 1)
        self.readout = QLabel("Click z_t or x_t.")
        self.readout.setWordWrap(True)
        v.addWidget(self.readout)
        self.set_foreground("#222222")

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
        from PySide6.QtGui import QColor

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
            node.setBrush(QBrush(QColor(128, 128, 128, 90)) if key == "x" else QBrush(Qt.BrushStyle.NoBrush))
            self.labels[key].setDefaultTextColor(QColor(color))

    def click(self, key: str) -> None:
        if key in CAPTIONS:
            self.shown = key
            self.readout.setText(CAPTIONS[key])
        self.node_clicked.emit(key)


def _arrow_head(x: float, y: float, ux: float, uy: float):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QPolygonF

    size, half = 12.0, 6.0
    bx, by = x - size * ux, y - size * uy
    return QPolygonF([QPointF(x, y), QPointF(bx - half * uy, by + half * ux), QPointF(bx + half * uy, by - half * ux)])
