"""Tiny dialogs of the Data menu: a preset with N and seed, two features of a dataset."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from gmmviz.labs.em.core.presets import MAX_POINTS, PRESETS
from gmmviz.qt.widgets import ok_cancel


class PresetDialog(QDialog):
    """Choose a preset, its number of points and its seed."""

    def __init__(self, key: str = PRESETS[0].key, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Preset")
        self.preset = QComboBox()
        for p in PRESETS:
            self.preset.addItem(p.title, p.key)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.n_points = QSpinBox(minimum=1, maximum=MAX_POINTS, singleStep=100)
        self.n_points.setGroupSeparatorShown(True)
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1)
        self.seed.setToolTip("The same seed gives the same points")
        form = QFormLayout(self)
        form.addRow("Preset", self.preset)
        form.addRow("", self.description)
        form.addRow("Points N", self.n_points)
        form.addRow("Seed", self.seed)
        form.addRow(ok_cancel(self, "Load"))
        self.preset.currentIndexChanged.connect(self._on_preset)
        self.preset.setCurrentIndex(max(0, self.preset.findData(key)))
        self._on_preset()
        self.setMinimumWidth(420)
        self.ok.setDefault(True)  # Enter loads (only works once the button is inside the dialog)
        self.preset.setFocus()

    def _on_preset(self, *_) -> None:
        p = PRESETS[self.preset.currentIndex()]
        self.description.setText(p.description)
        self.n_points.setValue(p.n_points)
        self.seed.setValue(p.seed)

    def choice(self) -> tuple[str, int, int]:
        """(preset key, N, seed)."""
        return self.preset.currentData(), self.n_points.value(), self.seed.value()


class FeaturesDialog(QDialog):
    """Choose the two features of a dataset to plot (x and y must differ)."""

    def __init__(self, title: str, features, default: tuple[str, str], about: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{title}: choose two features")
        self.x, self.y = QComboBox(), QComboBox()
        for combo, name in ((self.x, default[0]), (self.y, default[1])):
            combo.addItems(list(features))
            combo.setCurrentText(name)
            combo.currentIndexChanged.connect(self._check)
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QFormLayout(self)
        if about:
            label = QLabel(about)
            label.setWordWrap(True)
            form.addRow(label)
        form.addRow("x axis", self.x)
        form.addRow("y axis", self.y)
        form.addRow(self.message)
        form.addRow(ok_cancel(self, "Load"))
        self.setMinimumWidth(420)
        self._check()
        self.ok.setDefault(True)
        self.x.setFocus()

    def _check(self, *_) -> None:
        same = self.x.currentText() == self.y.currentText()
        self.message.setText("Choose two different features." if same else "")
        self.message.setStyleSheet("color: #9a1c0c;" if same else "")
        self.ok.setEnabled(not same)

    def choice(self) -> tuple[str, str]:
        return self.x.currentText(), self.y.currentText()
