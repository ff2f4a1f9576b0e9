"""Images for slides: PNG at any scale and true-vector SVG.

pyqtgraph's own SVGExporter fails on Qt >= 6.11 (PITFALLS), so widgets are
rendered straight into a ``QSvgGenerator`` (with its resolution set to the
widget's DPI, or pens and text come out scaled by 96/72).  Points are
drawn as vector circles on such devices by the points view.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from PySide6.QtCore import QPoint, QRect, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsView, QWidget


def image_to_array(image: QImage) -> np.ndarray:
    """(height, width, 4) uint8 RGBA copy of a QImage, minding its row padding."""
    img = image.convertToFormat(QImage.Format.Format_RGBA8888)
    h, w, bpl = img.height(), img.width(), img.bytesPerLine()
    raw = np.frombuffer(img.constBits(), np.uint8, count=h * bpl).reshape(h, bpl)
    return raw[:, : w * 4].reshape(h, w, 4).copy()


def render_image(widget: QWidget, *, scale: float = 1.0, size: QSize | None = None,
                 background: str = "#ffffff") -> QImage:
    """The widget drawn into a QImage at ``scale`` (or stretched to ``size``)."""
    src = widget.size()
    target = size if size is not None else QSize(round(src.width() * scale), round(src.height() * scale))
    image = QImage(target, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(background))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(target.width() / max(src.width(), 1), target.height() / max(src.height(), 1))
        _render(widget, painter)
    finally:
        painter.end()
    return image


def export_png(widget: QWidget, path: str | Path, *, scale: float = 1.0, size: QSize | None = None) -> QImage:
    image = render_image(widget, scale=scale, size=size)
    if not image.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    return image


def export_svg(widget: QWidget, path: str | Path, *, title: str = "gmmviz") -> None:
    """Write the widget as an SVG drawing of the same size in pixels."""
    gen = QSvgGenerator()
    gen.setFileName(str(path))
    gen.setSize(widget.size())
    gen.setViewBox(QRect(0, 0, widget.width(), widget.height()))
    gen.setResolution(widget.logicalDpiX())
    gen.setTitle(title)
    gen.setDescription("Exported from gmmviz")
    painter = QPainter(gen)
    try:
        painter.fillRect(QRectF(0, 0, widget.width(), widget.height()), QColor("#ffffff"))
        _render(widget, painter)
    finally:
        painter.end()
    if not Path(path).exists():
        raise OSError(f"could not write {path}")


def _render(widget: QWidget, painter: QPainter) -> None:
    """QWidget.render for any widget (a QGraphicsView overloads the name)."""
    for view in [widget, *widget.findChildren(QGraphicsView)]:
        scene = view.scene() if isinstance(view, QGraphicsView) else None
        if scene is not None and hasattr(scene, "prepareForPaint"):
            scene.prepareForPaint()  # pyqtgraph's deferred updates
    QWidget.render(widget, painter, QPoint())
