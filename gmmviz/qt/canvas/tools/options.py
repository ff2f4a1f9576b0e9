"""The options of the active tool, shown on the Tools toolbar.

Brush: radius and density; Erase: radius; Select: rectangle or lasso.
Sliders never take the keyboard focus, so the single-key shortcuts keep
working after a slider was dragged.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QWidget,
)

from gmmviz.qt.canvas.tools.base import Tool

RADIUS_RANGE = (3, 80)  # screen pixels
DENSITY_RANGE = (1, 40)  # points per 10 px of stroke


class ToolOptions(QWidget):
    """Radius, density and lasso controls of the active tool.

    Signals
    -------
    radius_changed(float)
        Brush or eraser radius in screen pixels.
    density_changed(float)
        Brush density in points per screen pixel of stroke.
    lasso_changed(bool)
        Select draws a lasso (True) or a rectangle (False).
    """

    radius_changed = Signal(float)
    density_changed = Signal(float)
    lasso_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._build_ui()
        self._connect()

    def _slider(self, lo: int, hi: int, tip: str) -> QSlider:
        s = QSlider(Qt.Orientation.Horizontal)
        s.setRange(lo, hi)
        s.setFixedWidth(80)
        s.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        s.setToolTip(tip)
        return s

    def _build_ui(self) -> None:
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 0, 6, 0)
        self.radius_title = QLabel("Radius")
        self.radius = self._slider(*RADIUS_RANGE, "Brush or eraser radius in screen pixels (the cursor's circle)")
        self.radius_label = QLabel()
        self.density_title = QLabel("Density")
        self.density = self._slider(*DENSITY_RANGE, "Points sprayed per 10 pixels of stroke")
        self.density_label = QLabel()
        self.lasso = QCheckBox("Lasso")
        self.lasso.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lasso.setToolTip("Draw a free-hand lasso instead of a rectangle (or hold Alt while dragging)")
        self.radius_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("00 px") + 4)
        self.density_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("00/10px") + 4)
        self.density_title.setContentsMargins(8, 0, 0, 0)
        for w in (self.radius_title, self.radius, self.radius_label, self.density_title, self.density,
                  self.density_label, self.lasso):
            row.addWidget(w)
        # The hint takes what room is left and no more (Ignored: it adds nothing
        # to the size hint), so a narrow window clips the hint, not the controls.
        self.hint = QLabel()
        self.hint.setObjectName("toolHint")
        self.hint.setStyleSheet("QLabel#toolHint { color: palette(mid); }")
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addSpacing(10)
        row.addWidget(self.hint, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def _connect(self) -> None:
        self.radius.valueChanged.connect(self._on_radius)
        self.density.valueChanged.connect(self._on_density)
        self.lasso.toggled.connect(self.lasso_changed)

    def _on_radius(self, value: int) -> None:
        self.radius_label.setText(f"{value} px")
        self.radius_changed.emit(float(value))

    def _on_density(self, value: int) -> None:
        self.density_label.setText(f"{value}/10px")
        self.density_changed.emit(value / 10.0)

    def reserve_width(self, tools) -> None:
        """Keep one width for every tool: a toolbar widget whose size hint changes
        may be pushed into the toolbar's overflow menu and never come back."""
        width = 0
        for tool in tools:
            self.show_for(tool)
            width = max(width, self.sizeHint().width())
        self.setMinimumWidth(width)

    def show_for(self, tool: Tool) -> None:
        """Show the controls that ``tool`` has, set to its values (no signals)."""
        has_radius = tool.name in ("brush", "erase")
        has_density = tool.name == "brush"
        for w in (self.radius_title, self.radius, self.radius_label):
            w.setVisible(has_radius)
        for w in (self.density_title, self.density, self.density_label):
            w.setVisible(has_density)
        self.lasso.setVisible(tool.name == "select")
        for w in (self.radius, self.density, self.lasso):
            w.blockSignals(True)
        self.radius.setValue(round(tool.radius_px))
        self.density.setValue(round(getattr(tool, "density", 0.0) * 10))
        self.lasso.setChecked(getattr(tool, "lasso", False))
        for w in (self.radius, self.density, self.lasso):
            w.blockSignals(False)
        self.radius_label.setText(f"{self.radius.value()} px")
        self.density_label.setText(f"{self.density.value()}/10px")
        self.hint.setText(HINTS.get(tool.name, ""))
        self.hint.setToolTip(self.hint.text())


HINTS = {
    "put": "Click: add · right click / Shift+click: remove · drag: pan",
    "brush": "Drag: spray · middle drag: pan",
    "erase": "Click or drag: erase · middle drag: pan",
    "select": "Drag: select (Shift adds, Ctrl removes, Alt lasso) · drag a selected point: move · Del · L",
}
