"""Images for slides: PNG at any scale or size and true-vector SVG.

pyqtgraph's own SVGExporter fails on Qt >= 6.11 (PITFALLS), so widgets are
rendered straight into a ``QSvgGenerator`` (with its resolution set to the
widget's DPI, or pens and text come out scaled by 96/72).  Points are
drawn as vector circles on such devices by the points view.

What is exported is a *target* of a lab's export source: the canvas, the curves, or
both side by side.  An :class:`ExportPlan` says where each widget goes in
logical pixels and the zoom to device pixels.  For a requested size
(1920 × 1080, say) the widgets are laid out, for the moment of drawing, at
that aspect ratio and at about their size on screen, then drawn zoomed:
text keeps its proportions, circles stay round, more of the plane shows.
The window itself is untouched (sizes are restored before it repaints).
"""

from __future__ import annotations

import math
import re
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPoint, QRect, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView, QWidget

from gmmviz.core.io.atomic import replacing

TARGETS = ("canvas", "curves", "both")
TARGET_LABELS = {"canvas": "Canvas", "curves": "Curves (ln p and the bound)", "both": "Canvas and curves, side by side"}
MIN_ZOOM, MAX_ZOOM = 0.25, 4.0


def image_to_array(image: QImage) -> np.ndarray:
    """(height, width, 4) uint8 RGBA copy of a QImage, minding its row padding."""
    img = image.convertToFormat(QImage.Format.Format_RGBA8888)
    h, w, bpl = img.height(), img.width(), img.bytesPerLine()
    raw = np.frombuffer(img.constBits(), np.uint8, count=h * bpl).reshape(h, bpl)
    return raw[:, : w * 4].reshape(h, w, 4).copy()


# -- plans ----------------------------------------------------------------------
@dataclass(frozen=True)
class ExportPlan:
    """Where each widget is drawn.

    Attributes
    ----------
    parts : tuple of (QWidget, QRect)
        Each widget and its rectangle in logical pixels.
    zoom : float
        Device pixels per logical pixel.
    out : QSize
        The image size in device pixels.
    background : str
        Colour behind and between the widgets.
    """

    parts: tuple
    zoom: float
    out: QSize
    background: str


def target_widgets(source, target: str) -> list[QWidget]:
    """The source widgets that make up ``target`` ("canvas", "curves" or "both")."""
    if target not in TARGETS:
        raise ValueError(f"target must be one of {', '.join(TARGETS)}, got {target!r}")
    if not hasattr(source, "curves"):
        return [source.canvas]  # a lab without curves exports its canvas
    return {"canvas": [source.canvas], "curves": [source.curves], "both": [source.canvas, source.curves]}[target]


def _natural(widget: QWidget, fallback: QSize) -> QSize:
    size = widget.size()
    return size if size.width() >= 50 and size.height() >= 50 else fallback


def _curves_width(height: int, total: int) -> int:
    return int(min(max(round(0.8 * height), 360), 0.45 * total))


def plan_export(source, target: str, *, size: QSize | None = None, scale: float = 1.0,
                even: bool = False) -> ExportPlan:
    """Lay out ``target`` for an image of ``size`` (device pixels), or at ``scale`` × its screen size.

    ``even`` rounds the image size down to even numbers (video encoders need it).
    """
    widgets = target_widgets(source, target)
    if not hasattr(source, "curves"):
        target = "canvas"
    canvas_nat = _natural(source.canvas, QSize(900, 600))
    if target == "curves":
        natural = _natural(source.curves, QSize(800, 260))
    elif target == "canvas":
        natural = canvas_nat
    else:
        h = canvas_nat.height()
        natural = QSize(canvas_nat.width() + _curves_width(h, canvas_nat.width() * 2), h)
    if size is None:
        zoom = float(scale)
        out = QSize(round(natural.width() * zoom), round(natural.height() * zoom))
    else:
        out = QSize(size)
        zoom = min(MAX_ZOOM, max(MIN_ZOOM, min(out.width() / natural.width(), out.height() / natural.height())))
    if even:
        out = QSize(max(2, out.width() // 2 * 2), max(2, out.height() // 2 * 2))
    if not (out.width() > 0 and out.height() > 0 and math.isfinite(zoom) and zoom > 0):
        raise ValueError(f"cannot export an image of {out.width()} × {out.height()} pixels")
    logical = QSize(math.ceil(out.width() / zoom), math.ceil(out.height() / zoom))
    if target == "both":
        wk = _curves_width(logical.height(), logical.width())
        parts = ((widgets[0], QRect(0, 0, logical.width() - wk, logical.height())),
                 (widgets[1], QRect(logical.width() - wk, 0, wk, logical.height())))
    else:
        parts = ((widgets[0], QRect(QPoint(0, 0), logical)),)
    background = source.palette().color(QPalette.ColorRole.Window).name()
    return ExportPlan(parts, zoom, out, background)


# -- drawing --------------------------------------------------------------------
@contextmanager
def _laid_out(widget: QWidget, size: QSize):
    """``widget`` resized to ``size`` for the duration (and its hover read-out hidden)."""
    old = widget.size()
    hover = getattr(widget, "hover", None)
    hover_shown = hover is not None and not hover.isHidden()
    if hover_shown:
        hover.hide()
    if size != old:
        widget.resize(size)
    try:
        yield
    finally:
        if size != old:
            widget.resize(old)
        if hover_shown:
            hover.show()


def _drawn_at(widget: QWidget, zoom: float):
    """The widget's own ``drawn_at(zoom)`` (line widths for a zoomed painter), if it has one."""
    hook = getattr(widget, "drawn_at", None)
    return nullcontext() if hook is None else hook(zoom)


@contextmanager
def _uncached(widget: QWidget):
    """Every pixmap-cached graphics item under ``widget`` (axes, see :func:`gmmviz.qt.style.cache_axes`)
    painted afresh while it is exported: a cache is the screen's pixels, and can clip a label that grew."""
    views = [v for v in [widget, *widget.findChildren(QGraphicsView)] if isinstance(v, QGraphicsView)]
    cached = [(item, item.cacheMode()) for v in views if v.scene() is not None for item in v.scene().items()
              if item.cacheMode() != QGraphicsItem.CacheMode.NoCache]
    for item, _ in cached:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        yield
    finally:
        for item, mode in cached:
            item.setCacheMode(mode)


def paint_plan(plan: ExportPlan, painter: QPainter) -> None:
    """Draw every part of ``plan`` with ``painter`` (already on its device)."""
    painter.fillRect(QRectF(0, 0, plan.out.width(), plan.out.height()), QColor(plan.background))
    painter.scale(plan.zoom, plan.zoom)
    for widget, rect in plan.parts:
        with _laid_out(widget, rect.size()), _drawn_at(widget, plan.zoom), _uncached(widget):
            painter.save()
            painter.translate(rect.topLeft())
            _render(widget, painter)
            painter.restore()


def render_plan(plan: ExportPlan) -> QImage:
    """``plan`` drawn into a new QImage of ``plan.out`` pixels."""
    image = QImage(plan.out, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(plan.background))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_plan(plan, painter)
    finally:
        painter.end()
    return image


def write_png(plan: ExportPlan, path: str | Path) -> QImage:
    """Render ``plan`` and write it as a PNG (atomically: no partial file on failure)."""
    image = render_plan(plan)
    with replacing(path, suffix=".png") as tmp:
        if not image.save(tmp, "PNG"):
            raise OSError(f"could not write {path}")
    return image


def write_svg(plan: ExportPlan, path: str | Path, *, title: str = "gmmviz") -> None:
    """Write ``plan`` as an SVG drawing whose width, height and viewBox are ``plan.out`` pixels."""
    with replacing(path, suffix=".svg") as name:
        _paint_svg(plan, Path(name), title)


def _paint_svg(plan: ExportPlan, tmp: Path, title: str) -> None:
    gen = QSvgGenerator()
    gen.setFileName(str(tmp))
    gen.setSize(plan.out)
    gen.setViewBox(QRect(QPoint(0, 0), plan.out))
    gen.setResolution(plan.parts[0][0].logicalDpiX())
    gen.setTitle(title)
    gen.setDescription("Exported from gmmviz")
    painter = QPainter(gen)
    try:
        paint_plan(plan, painter)
    finally:
        painter.end()
    if not tmp.exists() or tmp.stat().st_size == 0:
        raise OSError(f"could not write {tmp.name}")
    _set_svg_pixel_size(tmp, plan.out)


def _set_svg_pixel_size(path: Path, size: QSize) -> None:
    """QSvgGenerator states width and height in mm; slides want pixels."""
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("<svg")
    tag, close, tail = rest.partition(">")
    tag = re.sub(r'\swidth="[^"]*"', f' width="{size.width()}"', tag, count=1)
    tag = re.sub(r'\sheight="[^"]*"', f' height="{size.height()}"', tag, count=1)
    path.write_text(head + sep + tag + close + tail, encoding="utf-8")


def export_target(source, target: str, path: str | Path, *, size: QSize | None = None,
                  scale: float = 1.0) -> QSize:
    """Write ``target`` as PNG or SVG (by the suffix of ``path``); returns the size in pixels."""
    plan = plan_export(source, target, size=size, scale=scale)
    suffix = Path(path).suffix.lower()
    if suffix == ".svg":
        write_svg(plan, path)
    elif suffix == ".png":
        write_png(plan, path)
    else:
        raise ValueError(f"export to .png or .svg, got {Path(path).name!r}")
    return plan.out


def default_file_name(name: str | None, detail: str | None, ext: str) -> str:
    """``faithful_K2_iter7.png``: the data's name, then what the lab says of the frame
    on screen (its :meth:`~gmmviz.qt.lab.Lab.export_stem`, "K2_iter7")."""
    stem = re.sub(r"[^\w.-]+", "_", (name or "gmmviz").strip()).strip("_") or "gmmviz"
    if detail:
        stem += f"_{detail}"
    return f"{stem}.{ext.lstrip('.')}"


def _render(widget: QWidget, painter: QPainter) -> None:
    """QWidget.render for any widget (a QGraphicsView overloads the name)."""
    for view in [widget, *widget.findChildren(QGraphicsView)]:
        scene = view.scene() if isinstance(view, QGraphicsView) else None
        if scene is not None and hasattr(scene, "prepareForPaint"):
            scene.prepareForPaint()  # pyqtgraph's deferred updates
    QWidget.render(widget, painter, QPoint())
