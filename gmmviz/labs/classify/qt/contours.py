"""The iso-probability contours of the classification lab, one set per class, legible with many classes.

Each class's lines P(y | x) = 0.6 … 0.9 lie inside its own decision region
(:func:`~gmmviz.labs.classify.core.picture.probability_contours`), so they
are drawn in the class's own colour, shaded until it reads on the tint the
map gives that region, and labelled with their level where the frame says
(:func:`~gmmviz.labs.classify.core.picture.contour_labels`): with three to
five classes the picture shows each class's certainty rising towards its
core instead of a tangle of dotted lines in one ink.  Items are made once per
class and per label and updated with ``setData`` / ``setText``.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from gmmviz.labs.classify.core.picture import certain_tint, join_lines
from gmmviz.labs.classify.qt.layers import FrameLayer
from gmmviz.qt.canvas.host import Canvas
from gmmviz.qt.themes import legible, luminance

Z_CONTOURS, Z_LABELS = -8, 18  # the labels above every line and point
CONTOUR_WIDTH = 1.4
#: The labels' text size at presentation scale 1 (points), that of the legend row.
LABEL_PT = 9.5
#: Labels keep this many of their text size apart, centre to centre (about a label's width).
LABEL_GAP_EM = 4.5
#: Contrast of a class's contour ink against the tint of its region.
INK_CONTRAST = 3.0


def contour_ink(color: str, background: str) -> str:
    """``color`` darkened (lightened on a dark plot) until it stands out on the tint of its own region."""
    toward = "#000000" if luminance(background) >= 0.5 else "#ffffff"
    return legible(color, certain_tint(color, background), INK_CONTRAST, toward=toward)


class ContoursLayer(FrameLayer):
    """Per class: one curve (all its levels, NaN-separated) and its level labels."""

    def attach(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.curves: list[pg.PlotCurveItem] = []
        self.labels: list[pg.TextItem] = []
        self.visible = False
        self.background = "#ffffff"

    def set_background(self, background: str) -> None:
        self.background = background
        self.show_frame(self.frame)

    def label_gap(self) -> float | None:
        """How far apart the labels must be in data units now (a label's width on screen)."""
        view = self.canvas.view
        px = view.width()
        if px <= 0:
            return None
        pixels = LABEL_GAP_EM * LABEL_PT * self.canvas.scale * self.canvas.plot.logicalDpiX() / 72.0
        return pixels * view.viewRect().width() / px

    def inks(self, frame) -> list[str]:
        """The ink of each of ``frame``'s classes."""
        ds = self.canvas.dataset
        return [contour_ink(ds.classes[int(c)].color, self.background) for c in frame.present]

    def show_frame(self, frame) -> None:
        self.frame = frame
        ds = self.canvas.dataset
        shown = frame is not None and self.visible and bool(frame.contours) and ds is not None
        n = frame.n_classes if shown else 0
        while len(self.curves) < n:
            item = pg.PlotCurveItem(connect="finite", antialias=True)
            item.setZValue(Z_CONTOURS)
            self.canvas.plot_item.addItem(item, ignoreBounds=True)
            self.curves.append(item)
        inks = self.inks(frame) if shown else []
        for c, item in enumerate(self.curves):
            item.setVisible(c < n)
            if c < n:
                item.setPen(pg.mkPen(inks[c], width=CONTOUR_WIDTH * self._scale))
                item.setData(*join_lines(frame.contours[c]), connect="finite")
        self._show_labels(frame.contour_labels if shown else (), inks)
        swatches = "".join(f"<span style='color:{ink}'>─</span>" for ink in inks)
        self.canvas.set_legend("contours", f"{swatches} P(y | x) = 0.6 … 0.9" if shown else "")

    def _show_labels(self, labels, inks) -> None:
        while len(self.labels) < len(labels):
            item = pg.TextItem(anchor=(0.5, 0.5))
            item.setZValue(Z_LABELS)
            self.canvas.plot_item.addItem(item, ignoreBounds=True)
            self.labels.append(item)
        fill = QColor(self.background)
        fill.setAlpha(210)
        font = QFont()
        font.setBold(True)
        font.setPointSizeF(LABEL_PT * self.canvas.scale)  # the presentation scale (an export's zoom scales text itself)
        for i, item in enumerate(self.labels):
            item.setVisible(i < len(labels))
            if i >= len(labels):
                continue
            if item.textItem.font() != font:
                item.setFont(font)
            c, level, x, y = labels[i]
            item.setText(f"{level:.1f}", color=inks[c])
            item.fill = pg.mkBrush(fill)
            item.border = pg.mkPen(inks[c], width=1.0 * self._scale, style=Qt.PenStyle.SolidLine)
            item.setPos(x, y)
            item.update()
