"""The classification lab's settings: the model, K and the prior of every class, the split.

The widgets hold no state of their own: they show the lab's document
(:class:`~gmmviz.labs.classify.core.document.ClassifyDocument`, through
``show_settings`` and ``show_classes``) and report what the user did as
signals carrying plain values; the page turns each into an undoable command.
A prior slider sets P(y) of its class and the others are rescaled in
proportion, so the priors always sum to 1; *Reset priors* gives back the
class frequencies of the training points.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gmmviz.labs.classify.core.frame import (
    MAX_K,
    MAX_REG_COVAR,
    MAX_SEED,
    MODEL_CHOICES,
    ClassifySettings,
)
from gmmviz.labs.classify.core.model import COVARIANCE_TYPES
from gmmviz.qt.canvas.tools.base import new_gesture
from gmmviz.qt.widgets import ValueLabel

SLIDER_STEPS = 1000  # a prior slider's resolution (P = value / SLIDER_STEPS)


class SettingsPanel(QWidget):
    """Model, covariance, reg_covar, test fraction and seed.

    Signals
    -------
    edited(object)
        ``{field: value}`` of the :class:`ClassifySettings` field the user changed
        (``reg_covar`` NaN for text that is not a number: the page refuses it).
    """

    edited = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        form = QFormLayout(self)
        self.model = QComboBox()
        for key, text, tip in MODEL_CHOICES:
            self.model.addItem(text, key)
            self.model.setItemData(self.model.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.model.setToolTip("The model of P(x | y) (Classify ▸ Model, Alt+1 … Alt+5)")
        self.covariance = QComboBox()
        for name in COVARIANCE_TYPES:
            self.covariance.addItem(name, name)
        self.covariance.setToolTip("GMM classifier: the covariance type of every component of every class")
        self.reg_covar = QLineEdit()
        validator = QDoubleValidator(0.0, MAX_REG_COVAR, 12, self.reg_covar)
        validator.setNotation(QDoubleValidator.Notation.ScientificNotation)
        self.reg_covar.setValidator(validator)
        self.reg_covar.setToolTip("Added to every variance, in the data's squared units: a class of one point, "
                                  "or of identical points, still gets a proper density")
        self.test_size = QDoubleSpinBox(minimum=0.0, maximum=0.9, singleStep=0.05, decimals=2)
        self.test_size.setToolTip("Fraction of every class held out for testing (drawn as squares); 0: no test set")
        self.seed = QSpinBox(minimum=0, maximum=MAX_SEED)
        self.seed.setToolTip("Seeds the train/test split and the mixtures' initialisation")
        for box in (self.test_size, self.seed):
            box.setKeyboardTracking(False)  # typing "0.35" is one edit, not three
        form.addRow("Model", self.model)
        form.addRow("Covariance", self.covariance)
        form.addRow("reg_covar", self.reg_covar)
        form.addRow("Test fraction", self.test_size)
        form.addRow("Split seed", self.seed)
        self.show_settings(ClassifySettings())
        self.model.currentIndexChanged.connect(lambda: self.edited.emit({"model": self.model.currentData()}))
        self.covariance.currentIndexChanged.connect(
            lambda: self.edited.emit({"covariance_type": self.covariance.currentData()}))
        self.reg_covar.editingFinished.connect(self._on_reg_covar)
        self.test_size.valueChanged.connect(lambda v: self.edited.emit({"test_size": round(v, 4)}))
        self.seed.valueChanged.connect(lambda v: self.edited.emit({"seed": int(v)}))

    def fields(self) -> tuple[QWidget, ...]:
        return (self.model, self.covariance, self.reg_covar, self.test_size, self.seed)

    def show_settings(self, s: ClassifySettings) -> None:
        """Show ``s`` without emitting."""
        for w in self.fields():
            w.blockSignals(True)
        self.model.setCurrentIndex(max(0, self.model.findData(s.model)))
        self.covariance.setCurrentIndex(max(0, self.covariance.findData(s.covariance_type)))
        self.reg_covar.setText(repr(float(s.reg_covar)))
        self.test_size.setValue(s.test_size)
        self.seed.setValue(s.seed)
        for w in self.fields():
            w.blockSignals(False)
        self.covariance.setEnabled(s.model == "gmm")

    def _on_reg_covar(self) -> None:
        try:
            value = float(self.reg_covar.text())
        except ValueError:
            value = float("nan")
        self.edited.emit({"reg_covar": value})


class PriorsTable(QWidget):
    """One row per class: its colour and name, its K (GMM), a slider for P(y) and the value.

    Signals
    -------
    prior_edited(int, float, object)
        Class (document index), its new P(y), and the gesture id (one slider drag is one gesture) or None.
    k_edited(int, int)
        Class (document index) and its new K.
    reset_requested()
        *Reset priors* was pressed.
    """

    prior_edited = Signal(int, float, object)
    k_edited = Signal(int, int)
    reset_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.grid = QGridLayout()
        outer.addLayout(self.grid)
        self.reset = QPushButton("Reset priors")
        self.reset.setToolTip("P(y) from the class frequencies of the training points again (Ctrl+Shift+R)")
        self.reset.clicked.connect(self.reset_requested)
        outer.addWidget(self.reset)
        self.rows: list[tuple[QLabel, QSpinBox, QSlider, QLabel]] = []
        self.present: np.ndarray = np.zeros(0, np.intp)  # what is shown (the page's document decides)
        self.priors: tuple | None = None
        self._gesture: int | None = None
        for col, text in enumerate(("Class", "K", "Prior P(y)", "")):
            self.grid.addWidget(QLabel(f"<b>{text}</b>"), 0, col)

    def fields(self) -> list[QWidget]:
        return [w for row in self.rows for w in row[1:3]]

    def show_classes(self, classes, present, shown, priors, ks: tuple, gmm: bool) -> None:
        """Show the document's ``classes``, those with points (``present``), the P(y) in use for them
        (``shown``), the chosen ones (``priors``, None for the frequencies), K per class, GMM or not."""
        self.present = np.asarray(present, dtype=np.intp)
        self.priors = priors
        while len(self.rows) < len(classes):
            self._add_row()
        position = {int(c): j for j, c in enumerate(self.present)}
        for i, (name, k, slider, value) in enumerate(self.rows):
            visible = i < len(classes)
            for w in (name, k, slider, value):
                w.setVisible(visible)
            if not visible:
                continue
            info, j = classes[i], position.get(i)
            name.setText(f"<span style='color:{info.color}'>●</span> {html.escape(info.name)}")
            name.setToolTip(info.name)
            for w, v in ((k, ks[min(i, len(ks) - 1)]), (slider, 0 if j is None else round(shown[j] * SLIDER_STEPS))):
                w.blockSignals(True)
                w.setValue(v)
                w.blockSignals(False)
            k.setEnabled(gmm and j is not None)
            slider.setEnabled(j is not None and self.present.size >= 2)
            value.setText("–" if j is None else f"{shown[j]:.3f}")
        self.reset.setEnabled(priors is not None)

    def _add_row(self) -> None:
        i = len(self.rows)
        name = QLabel()
        k = QSpinBox(minimum=1, maximum=MAX_K)
        k.setKeyboardTracking(False)
        k.setToolTip("GMM classifier: the number of components of this class's mixture")
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setRange(0, SLIDER_STEPS)
        slider.setToolTip("The prior P(y) of this class: drag it and the boundary moves "
                          "(the others are rescaled so the priors sum to 1)")
        value = ValueLabel("0.000")
        k.valueChanged.connect(lambda v, i=i: self.k_edited.emit(i, int(v)))
        slider.valueChanged.connect(lambda v, i=i: self.set_prior(i, v / SLIDER_STEPS))
        slider.sliderPressed.connect(self._start_gesture)
        slider.sliderReleased.connect(self._end_gesture)
        for col, w in enumerate((name, k, slider, value)):
            self.grid.addWidget(w, i + 1, col)
        self.rows.append((name, k, slider, value))

    def _start_gesture(self) -> None:
        self._gesture = new_gesture()

    def _end_gesture(self) -> None:
        self._gesture = None

    def set_prior(self, doc_index: int, p: float) -> None:
        """Ask for P(y) of class ``doc_index`` to be ``p`` (the others share 1 - p)."""
        self.prior_edited.emit(int(doc_index), float(p), self._gesture)
