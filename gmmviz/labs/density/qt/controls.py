"""The density lab's side panel: the data (mode, distribution, n, seed) and the complexity sliders.

Signals
-------
edited(dict, object)
    Fields of :class:`~gmmviz.labs.density.core.settings.DensitySettings` to set, and a
    gesture id (a slider drag is one gesture: one undo step) or None.
best_requested()
    "Best settings": move every slider to its family's best held-out score.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gmmviz.labs.density.core.settings import (
    CONCENTRATIONS,
    ESTIMATORS_2D,
    MAX_BINS,
    MAX_K,
    MAX_N,
    MIN_N,
    N_BANDWIDTHS,
    DensitySettings,
)
from gmmviz.labs.density.core.sweep import FAMILY_TITLES
from gmmviz.labs.density.core.truth import DISTRIBUTIONS
from gmmviz.qt.widgets import ValueLabel

_GESTURES = itertools.count(1)
#: Each setting's name on screen: its row's label, and its undo step's ("Undo Set K").
LABELS = {"mode": "Mode", "distribution": "Distribution", "n": "n", "seed": "Seed", "test_size": "Held out",
          "strip": "Points", "bins": "Bins", "origin": "Bin origin", "bandwidth_index": "Bandwidth", "k": "K",
          "concentration_index": "DP α", "pseudo_count": "Pseudo-count", "estimator_2d": "2-D heatmap"}


class Controls(QWidget):
    """See the module docstring for the signals."""

    edited = Signal(dict, object)
    best_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("densityControls")
        self._gesture: int | None = None
        self._bandwidths = None
        self._build_ui()
        self._connect()

    # -- construction --------------------------------------------------------
    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.mode = QComboBox()
        self.mode.addItem("1-D: a generated sample", "1d")
        self.mode.addItem("2-D: the painted points", "2d")
        layout.addWidget(self.mode)
        data = QGroupBox("Generate (1-D)")
        form = QFormLayout(data)
        self.distribution = QComboBox()
        for key, d in DISTRIBUTIONS.items():
            self.distribution.addItem(key, key)
            self.distribution.setItemData(self.distribution.count() - 1, d.title, Qt.ItemDataRole.ToolTipRole)
        self.n = QSpinBox()
        self.n.setRange(MIN_N, MAX_N)
        self.n.setSingleStep(100)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.test_size = QDoubleSpinBox()
        self.test_size.setRange(0.05, 0.9)
        self.test_size.setSingleStep(0.05)
        form.addRow(LABELS["distribution"], self.distribution)
        form.addRow(LABELS["n"], self.n)
        form.addRow(LABELS["seed"], self.seed)
        form.addRow(LABELS["test_size"], self.test_size)
        self.strip = QCheckBox("Jittered strip")
        self.strip.setToolTip("Besides the rugs, the points as a strip with a seeded vertical jitter under the "
                              "plot: training points as grey dots, held-out points as blue squares")
        form.addRow(LABELS["strip"], self.strip)
        self.data_box = data
        layout.addWidget(data)
        model = QGroupBox("Complexity")
        form = QFormLayout(model)
        self.bins, self.bins_label = self._slider(1, MAX_BINS)
        self.origin, self.origin_label = self._slider(0, 99)
        self.bandwidth, self.bandwidth_label = self._slider(0, N_BANDWIDTHS - 1)
        self.k, self.k_label = self._slider(1, MAX_K)
        self.alpha, self.alpha_label = self._slider(0, len(CONCENTRATIONS) - 1)
        self.pseudo = QDoubleSpinBox()
        self.pseudo.setRange(0.0, 10.0)
        self.pseudo.setSingleStep(0.5)
        self.pseudo.setToolTip("Added to every bin's count (additive smoothing): an empty bin gets a small density")
        for name, slider, label in (("bins", self.bins, self.bins_label), ("origin", self.origin, self.origin_label),
                                    ("bandwidth_index", self.bandwidth, self.bandwidth_label), ("k", self.k, self.k_label),
                                    ("concentration_index", self.alpha, self.alpha_label)):
            row = QHBoxLayout()
            row.addWidget(slider, 1)
            row.addWidget(label)
            form.addRow(LABELS[name], row)
        form.addRow(LABELS["pseudo_count"], self.pseudo)
        self.estimator_2d = QComboBox()
        for key in ESTIMATORS_2D:
            self.estimator_2d.addItem(FAMILY_TITLES[key], key)
        form.addRow(LABELS["estimator_2d"], self.estimator_2d)
        self.best = QPushButton("Best settings")
        self.best.setToolTip("Move each slider to the setting with the best held-out score")
        form.addRow(self.best)
        layout.addWidget(model)
        layout.addStretch(1)

    def add_classes_panel(self, panel: QWidget) -> None:
        """The class list of the 2-D mode's painted points (shown in 2-D only): new points take its class."""
        self.classes_box = QGroupBox("Painted points (2-D)")
        QVBoxLayout(self.classes_box).addWidget(panel)
        self.classes_box.setToolTip("Paint on the plot with the window's tools (put, brush, erase, select); "
                                    "the estimate follows.  New points get the class chosen here")
        layout = self.layout()
        layout.insertWidget(layout.count() - 1, self.classes_box)
        self.classes_box.setVisible(self.mode.currentData() == "2d")

    def _slider(self, lo: int, hi: int):
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setRange(lo, hi)
        slider.setMinimumWidth(140)
        label = ValueLabel("h = 0.000e-00")  # its widest text: a moving value never shifts the slider
        return slider, label

    def _connect(self) -> None:
        fields = ((self.bins, "bins", int), (self.origin, "origin", lambda v: v / 100.0),
                  (self.bandwidth, "bandwidth_index", int), (self.k, "k", int),
                  (self.alpha, "concentration_index", int))
        for slider, name, convert in fields:
            slider.sliderPressed.connect(self._start_gesture)
            slider.sliderReleased.connect(self._end_gesture)
            slider.valueChanged.connect(lambda v, name=name, convert=convert: self._emit({name: convert(v)}))
        self.mode.currentIndexChanged.connect(lambda: self._emit({"mode": self.mode.currentData()}))
        self.distribution.currentIndexChanged.connect(
            lambda: self._emit({"distribution": self.distribution.currentData()}))
        self.estimator_2d.currentIndexChanged.connect(
            lambda: self._emit({"estimator_2d": self.estimator_2d.currentData()}))
        for box, name in ((self.n, "n"), (self.seed, "seed")):
            box.editingFinished.connect(lambda box=box, name=name: self._emit({name: box.value()}))
        self.test_size.editingFinished.connect(lambda: self._emit({"test_size": round(self.test_size.value(), 2)}))
        self.pseudo.valueChanged.connect(lambda v: self._emit({"pseudo_count": float(v)}))
        self.strip.toggled.connect(lambda on: self._emit({"strip": bool(on)}))
        self.best.clicked.connect(self.best_requested)

    def _start_gesture(self) -> None:
        self._gesture = next(_GESTURES)

    def _end_gesture(self) -> None:
        self._gesture = None

    def _emit(self, values: dict) -> None:
        self.edited.emit(values, self._gesture)

    # -- from the document ---------------------------------------------------
    def set_bandwidths(self, bandwidths) -> None:
        self._bandwidths = bandwidths

    def show_settings(self, s: DensitySettings) -> None:
        """Put ``s`` in the widgets without emitting ``edited``."""
        widgets = (self.mode, self.distribution, self.n, self.seed, self.test_size, self.bins, self.origin,
                   self.bandwidth, self.k, self.alpha, self.pseudo, self.estimator_2d, self.strip)
        for w in widgets:
            w.blockSignals(True)
        try:
            self.mode.setCurrentIndex(self.mode.findData(s.mode))
            self.distribution.setCurrentIndex(self.distribution.findData(s.distribution))
            self.n.setValue(s.n)
            self.seed.setValue(s.seed)
            self.test_size.setValue(s.test_size)
            self.bins.setValue(s.bins)
            self.origin.setValue(round(100 * s.origin))
            self.bandwidth.setValue(s.bandwidth_index)
            self.k.setValue(s.k)
            self.alpha.setValue(s.concentration_index)
            self.pseudo.setValue(s.pseudo_count)
            self.estimator_2d.setCurrentIndex(self.estimator_2d.findData(s.estimator_2d))
            self.strip.setChecked(s.strip)
        finally:
            for w in widgets:
                w.blockSignals(False)
        self.data_box.setEnabled(s.mode == "1d")
        self.estimator_2d.setEnabled(s.mode == "2d")
        if hasattr(self, "classes_box"):
            self.classes_box.setVisible(s.mode == "2d")
        self.bins_label.setText(f"{s.bins}" + (f" × {s.bins}" if s.mode == "2d" else ""))
        self.origin_label.setText(f"{s.origin:.2f} w")
        self.k_label.setText(str(s.k))
        self.alpha_label.setText(f"{s.concentration:g}")
        if self._bandwidths is not None:
            value = float(self._bandwidths[s.bandwidth_index])
            self.bandwidth_label.setText(f"{'h' if s.mode == '1d' else 'f'} = {value:.3g}")
