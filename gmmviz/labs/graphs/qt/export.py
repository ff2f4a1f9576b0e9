"""The graph with its factorisation as PNG or SVG: for slides (the lab) and ``gmmviz graph -o``.

The scene is rendered with a caption item (the factorisation) added below it
for the moment of the export; SVG goes through ``QSvgGenerator`` (pyqtgraph's
SVG exporter is not involved: see PITFALLS), with the resolution set to the
screen's so text and pens keep their size.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QGraphicsTextItem

from gmmviz.labs.graphs.qt.typeset import factorisation_html

PNG_ZOOM = 2.0


def export_scene(scene, dag, path: str) -> None:
    """Write ``scene`` (a GraphScene) and ``dag``'s factorisation to ``path`` (.png or .svg)."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ValueError(f"expected a .png or .svg file, got {path!r}")
    caption = QGraphicsTextItem()
    caption.setHtml(f"<div style='color:{scene.palette_.ink}'>{factorisation_html(dag)}</div>")
    font = QFont()
    font.setPointSizeF(14)
    caption.setFont(font)
    graph_rect = _items_rect(scene)
    caption.setPos(QPointF(graph_rect.center().x() - caption.boundingRect().width() / 2, graph_rect.bottom() + 12))
    scene.addItem(caption)
    try:
        rect = graph_rect.united(caption.sceneBoundingRect()).adjusted(-16, -16, 16, 16)
        if suffix == ".png":
            _png(scene, rect, path)
        else:
            _svg(scene, rect, path)
    finally:
        scene.removeItem(caption)


def _items_rect(scene) -> QRectF:
    rect = QRectF()
    for item in [*scene.nodes.values(), *scene.edges.values(), *scene.plates]:
        rect = rect.united(item.sceneBoundingRect())
    return rect if not rect.isEmpty() else QRectF(-100, -50, 200, 100)


def _png(scene, rect: QRectF, path: str) -> None:
    size = QSize(int(rect.width() * PNG_ZOOM), int(rect.height() * PNG_ZOOM))
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(QColor(scene.palette_.background))
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, QRectF(0, 0, size.width(), size.height()), rect, Qt.AspectRatioMode.KeepAspectRatio)
    painter.end()
    if not image.save(path, "PNG"):
        raise OSError("Qt could not save it (is the folder there and writable?)")


def _svg(scene, rect: QRectF, path: str) -> None:
    from PySide6.QtSvg import QSvgGenerator

    gen = QSvgGenerator()
    gen.setFileName(path)
    gen.setSize(QSize(int(rect.width()), int(rect.height())))
    gen.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    gen.setResolution(96)
    gen.setTitle("gmmviz graph")
    painter = QPainter(gen)
    painter.fillRect(QRectF(0, 0, rect.width(), rect.height()), QColor(scene.palette_.background))
    scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect, Qt.AspectRatioMode.KeepAspectRatio)
    painter.end()
    if not Path(path).exists():
        raise OSError("Qt could not save it (is the folder there and writable?)")


def write_graph_image(model, path: str, *, ask=None, theme: str = "light") -> None:
    """Draw ``model``'s graph (laid out) with its factorisation, and the paths of ``ask`` = (X, Y, Z)
    highlighted, to ``path``: the headless ``gmmviz graph -o``."""
    from gmmviz.app import make_app
    from gmmviz.labs.graphs.core.document import GraphDocument
    from gmmviz.labs.graphs.core.dsep import explain, highlights
    from gmmviz.labs.graphs.qt.items import Palette
    from gmmviz.labs.graphs.qt.scene import GraphScene
    from gmmviz.qt.themes import THEMES

    make_app()
    scene = GraphScene()
    palette = Palette.for_theme(THEMES.get(theme))
    scene.set_palette(palette)
    scene.set_document(GraphDocument.of(model))
    if ask is not None:
        x, y, z = ask
        kinds, blocked = highlights(explain(model.dag, x, y, z))
        marks = {**{n: "X" for n in x}, **{n: "Y" for n in y}}
        colours = {e: palette.open_path if k == "open" else palette.blocked_path for e, k in kinds.items()}
        scene.set_overlay(given=set(z), marks=marks, edge_colours=colours, blocked=blocked)
    export_scene(scene, model.dag, path)
