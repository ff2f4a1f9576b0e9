"""The Gaussian mixture drawn as a graphical model, with the graphs lab's drawing code: θ → z_t → x_t ← μ, Σ,
z_t and x_t inside a plate over t = 1..T, z_t hidden (dashed), x_t observed (shaded), the parameters dashed.

Clicking a node emits ``node_clicked`` (the graphical-model view shows the responsibilities for z_t, the
data for x_t); :meth:`ModelGraph.light` fills a node while ancestral sampling draws it.  The drawing is
read-only: it is the lecture's model, not a graph to edit (that is the graphs lab).
"""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gmmviz.labs.graphs.core.dag import DAG, Node, Plate
from gmmviz.labs.graphs.core.discrete import DiscreteModel
from gmmviz.labs.graphs.core.document import GraphDocument
from gmmviz.labs.graphs.qt.items import Palette
from gmmviz.labs.graphs.qt.scene import GraphScene, GraphView

#: The drawing's node of each key the view talks about (Σ goes with μ).
NAMES = {"theta": "θ", "z": "z", "x": "x", "mu": "μ", "sigma": "Σ"}
KEYS = {name: ("mu" if key == "sigma" else key) for key, name in NAMES.items()}
POSITIONS = {"θ": (-150.0, 0.0), "z": (-30.0, 0.0), "x": (90.0, 0.0), "μ": (50.0, -130.0), "Σ": (130.0, -130.0)}
CAPTIONS = {"z": "z_t: hidden (dashed); its posterior P(z_t|x_t, θ) is the responsibility r_t",
            "x": "x_t: observed (shaded): the data"}


def mixture_document() -> GraphDocument:
    """θ → z_t → x_t ← μ, Σ with the plate t = 1…T, laid out left to right."""
    nodes = (Node("θ", "parameter"), Node("z", "latent", "t"), Node("x", "observed", "t"),
             Node("μ", "parameter"), Node("Σ", "parameter"))
    edges = frozenset({("θ", "z"), ("z", "x"), ("μ", "x"), ("Σ", "x")})
    dag = DAG(nodes, edges, (Plate("t", "t", "T"),))
    return GraphDocument(DiscreteModel(dag), tuple((n.name, POSITIONS[n.name]) for n in nodes))


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
        self.scene = GraphScene(self)
        self.view = GraphView(self.scene)
        for set_policy in (self.view.setHorizontalScrollBarPolicy, self.view.setVerticalScrollBarPolicy):
            set_policy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the drawing is fitted whole
        self.scene.set_document(mixture_document())
        self.scene.set_overlay(given=("x",))  # observed: shaded, as on the slides
        for item in self.scene.nodes.values():
            item.setFlag(item.GraphicsItemFlag.ItemIsMovable, False)
        self.nodes = {key: self.scene.nodes[name] for key, name in NAMES.items() if key != "sigma"}
        self.scene.node_clicked.connect(lambda name: self.click(KEYS[name]))
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(self.view, 1)

    def resizeEvent(self, event):  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._fit()

    def showEvent(self, event):  # noqa: N802 (Qt API)
        super().showEvent(event)
        self._fit()

    def _fit(self) -> None:
        """The whole drawing, as large as the view allows (projector-size), nothing cut off."""
        rect = self.scene.itemsBoundingRect().adjusted(-30, -30, 30, 30)
        self.view.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def set_foreground(self, color: str) -> None:
        """The graphs lab's palette for a plot foreground ``color`` (light ink: the dark palette)."""
        self.scene.set_palette(Palette.for_theme(SimpleNamespace(dark=QColor(color).lightness() > 128)))

    def light(self, lit: dict[str, str]) -> None:
        """Fill the nodes of ``lit`` (key -> colour) as being drawn; the others their usual way."""
        for name, item in self.scene.nodes.items():
            item.set_fill(lit.get(KEYS[name]))

    def click(self, key: str) -> None:
        self.node_clicked.emit(key)
