"""The graph canvas: a QGraphicsScene kept in step with the graph document, and its view.

Gestures (each becomes one command on the lab's graph store, by the lab):
double click on empty space adds a node, on a node renames it; dragging a
node moves it (one undo step when released); Shift+drag from a node to
another (or any drag in edge mode) adds an edge; a click on a node picks it
(the lab decides for what: X, Y, Z, or the table editor); a click on one of
a node's marginal bars sets that state as evidence; right click opens the
node's or the edge's menu.

Signals
-------
add_node_requested(QPointF)
edge_requested(str, str)
node_moved(str, QPointF)
node_clicked(str)
node_double_clicked(str)
state_clicked(str, int)
context_requested(object, object, QPoint)
    (node name or None, (parent, child) or None, screen position)
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsScene, QGraphicsView

from gmmviz.labs.graphs.qt.items import RADIUS, EdgeItem, NodeItem, Palette, PlateItem

DRAG_PIXELS = 4
_OWN_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_F2)


class GraphScene(QGraphicsScene):
    add_node_requested = Signal(QPointF)
    edge_requested = Signal(str, str)
    node_moved = Signal(str, QPointF)
    node_clicked = Signal(str)
    node_double_clicked = Signal(str)
    state_clicked = Signal(str, int)
    context_requested = Signal(object, object, object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.palette_ = Palette()
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[tuple[str, str], EdgeItem] = {}
        self.plates: list[PlateItem] = []
        self.edge_mode = False
        self.scale_factor = 1.0
        self._drag: tuple[str, str, QPointF] | None = None  # (mode, node, press position)
        self._rubber = QGraphicsLineItem()
        self._rubber.setPen(QPen(QColor("#888"), 2, Qt.PenStyle.DashLine))
        self._rubber.setZValue(5)
        self._rubber.hide()
        self.addItem(self._rubber)
        self._doc = None
        self.setSceneRect(QRectF(-400, -120, 800, 600))

    # -- from the document ------------------------------------------------------------------
    def set_document(self, doc) -> None:
        """Make the items match ``doc`` (a GraphDocument): add, remove and move what changed."""
        self._doc = doc
        dag = doc.dag
        for name in [n for n in self.nodes if n not in dag]:
            self.removeItem(self.nodes.pop(name))
        for name in dag.names:
            if name not in self.nodes:
                item = NodeItem(name, self.palette_)
                item.scale_factor = self.scale_factor
                self.nodes[name] = item
                self.addItem(item)
            self.nodes[name].kind = dag.node(name).kind
            self.nodes[name].setPos(QPointF(*doc.position(name)))
        for e in [e for e in self.edges if e not in dag.edges]:
            self.removeItem(self.edges.pop(e))
        for e in dag.edges:
            if e not in self.edges:
                self.edges[e] = EdgeItem(*e, self.palette_)
                self.addItem(self.edges[e])
        self._place_edges()
        for plate in self.plates:
            self.removeItem(plate)
        self.plates = []
        for plate in dag.plates:
            item = PlateItem(f"{plate.index} = 1…{plate.size}", self.palette_)
            self.plates.append(item)
            self.addItem(item)
        self._place_plates()
        self._fit_rect()

    def _place_edges(self) -> None:
        for (a, b), item in self.edges.items():
            item.set_ends(self.nodes[a].pos(), self.nodes[b].pos())

    def _place_plates(self) -> None:
        if self._doc is None:
            return
        for item, plate in zip(self.plates, self._doc.dag.plates):
            members = [self.nodes[n.name].pos() for n in self._doc.dag.nodes if n.plate == plate.name]
            if not members:
                item.set_rect(QRectF())
                continue
            xs, ys = [p.x() for p in members], [p.y() for p in members]
            item.set_rect(QRectF(min(xs) - RADIUS - 18, min(ys) - RADIUS - 14, max(xs) - min(xs) + 2 * RADIUS + 36,
                                 max(ys) - min(ys) + 2 * RADIUS + 40))

    def _fit_rect(self) -> None:
        rect = self.itemsBoundingRect().adjusted(-80, -60, 80, 60)
        self.setSceneRect(rect.united(QRectF(-300, -80, 600, 400)))

    def set_overlay(self, *, given=(), marks=None, bars=None, empirical=None, given_states=None,
                    edge_colours=None, blocked=None, labels=None) -> None:
        """What the nodes and edges show besides the graph (all plain values from the lab)."""
        marks, bars, empirical = marks or {}, bars or {}, empirical or {}
        given_states, edge_colours, blocked = given_states or {}, edge_colours or {}, blocked or {}
        labels = labels or {}
        for name, item in self.nodes.items():
            item.set_state(kind=item.kind, given=name in given, mark=marks.get(name, ""),
                           bars=tuple(bars.get(name, ())), empirical=tuple(empirical.get(name, ())),
                           given_state=given_states.get(name), blocked=blocked.get(name, ""),
                           labels=labels.get(name, ()))
        for e, item in self.edges.items():
            item.set_colour(edge_colours.get(e))

    def set_palette(self, palette: Palette) -> None:
        self.palette_ = palette
        self.setBackgroundBrush(QColor(palette.background))
        for item in [*self.nodes.values(), *self.edges.values(), *self.plates]:
            item.palette = palette
            item.update()

    def set_scale(self, factor: float) -> None:
        self.scale_factor = factor
        for item in self.nodes.values():
            item.scale_factor = factor
            item.update()

    # -- gestures -------------------------------------------------------------------------------
    def _node_at(self, pos: QPointF) -> NodeItem | None:
        for item in self.items(pos):
            if isinstance(item, NodeItem):
                return item
        return None

    def _edge_at(self, pos: QPointF) -> EdgeItem | None:
        for item in self.items(pos):
            if isinstance(item, EdgeItem):
                return item
        return None

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            event.accept()
            return
        node = self._node_at(event.scenePos())
        if node is None:
            self.clearSelection()
            event.accept()
            return
        state = node.bar_at(node.mapFromScene(event.scenePos()))
        if state is not None:
            self.state_clicked.emit(node.name, state)
            event.accept()
            return
        edge = self.edge_mode or bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        self._drag = ("edge" if edge else "move", node.name, event.scenePos())
        self.clearSelection()
        node.setSelected(True)
        event.accept()

    def mouseMoveEvent(self, event) -> None:
        if self._drag is None:
            return
        mode, name, start = self._drag
        node = self.nodes.get(name)
        if node is None:
            self._drag = None
            return
        if mode == "move":
            if (event.scenePos() - start).manhattanLength() < DRAG_PIXELS and node.pos() == self._doc_pos(name):
                return
            node.setPos(self._doc_pos(name) + (event.scenePos() - start))
            for (a, b), item in self.edges.items():
                if name in (a, b):
                    item.set_ends(self.nodes[a].pos(), self.nodes[b].pos())
            self._place_plates()
        else:
            self._rubber.setLine(QLineF(node.pos(), event.scenePos()))
            self._rubber.show()

    def mouseReleaseEvent(self, event) -> None:
        if self._drag is None:
            return
        mode, name, start = self._drag
        self._drag = None
        self._rubber.hide()
        moved = (event.scenePos() - start).manhattanLength() >= DRAG_PIXELS
        if mode == "edge":
            target = self._node_at(event.scenePos())
            if target is not None and target.name != name:
                self.edge_requested.emit(name, target.name)
            elif not moved:
                self.node_clicked.emit(name)
        elif moved and name in self.nodes:
            self.node_moved.emit(name, self.nodes[name].pos())
        else:
            self.node_clicked.emit(name)

    def _doc_pos(self, name: str) -> QPointF:
        return QPointF(*self._doc.position(name)) if self._doc is not None and name in self._doc.dag else QPointF()

    def mouseDoubleClickEvent(self, event) -> None:
        node = self._node_at(event.scenePos())
        state = None if node is None else node.bar_at(node.mapFromScene(event.scenePos()))
        if state is not None and event.button() == Qt.MouseButton.LeftButton:
            self.state_clicked.emit(node.name, state)  # a quick second click on a bar toggles it, not a rename
        elif node is not None:
            self.node_double_clicked.emit(node.name)
        elif event.button() == Qt.MouseButton.LeftButton:
            self.add_node_requested.emit(event.scenePos())
        event.accept()

    def contextMenuEvent(self, event) -> None:
        node = self._node_at(event.scenePos())
        edge = None if node is not None else self._edge_at(event.scenePos())
        self.context_requested.emit(node.name if node else None,
                                    (edge.parent_name, edge.child_name) if edge else None, event.screenPos())
        event.accept()


class GraphView(QGraphicsView):
    """The scene, antialiased, kept in view when resized.

    Signals
    -------
    delete_pressed(), rename_pressed()
    """

    delete_pressed = Signal()
    rename_pressed = Signal()

    def __init__(self, scene: GraphScene, parent=None):
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.setMinimumSize(320, 240)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def event(self, event) -> bool:
        # Del, Backspace and F2 belong to the graph while it has the focus, even where a window
        # action (Delete Selected Points) has the same shortcut
        if (event.type() == QEvent.Type.ShortcutOverride and event.key() in _OWN_KEYS
                and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_pressed.emit()
        elif event.key() == Qt.Key.Key_F2:
            self.rename_pressed.emit()
        else:
            super().keyPressEvent(event)

    def fit(self) -> None:
        self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > 1.6:  # a small graph is not blown up
            self.resetTransform()
            self.scale(1.6, 1.6)
            self.centerOn(self.scene().sceneRect().center())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()
