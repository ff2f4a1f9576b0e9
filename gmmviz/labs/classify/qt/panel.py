"""The classification lab's settings: the model, K and the prior of every class, the split.

Signals carry immutable values (a :class:`ClassifySettings`, a tuple of
priors); the page decides what to recompute.  A prior slider sets P(y) of
its class and rescales the others in proportion, so the priors always sum
to 1; *Reset priors* gives back the class frequencies of the training points.
"""

from __future__ import annotations

import html
from dataclasses import replace

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

from gmmviz.labs.classify.core.frame import MAX_K, MODEL_CHOICES, ClassifySettings
from gmmviz.labs.classify.core.model import COVARIANCE_TYPES

SLIDER_STEPS = 1000  # a prior slider's resolution (P = value / SLIDER_STEPS)
MIN_PRIOR = 0.001


class SettingsPanel(QWidget):
    """Model, covariance, reg_covar, test fraction and seed.

    Signals
    -------
    settings_changed(object)
        The new :class:`ClassifySettings` after any edit (K per class comes from the priors table).
    """

    settings_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._ks: tuple = (2,)
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
        validator = QDoubleValidator(0.0, 1e12, 12, self.reg_covar)
        validator.setNotation(QDoubleValidator.Notation.ScientificNotation)
        self.reg_covar.setValidator(validator)
        self.reg_covar.setToolTip("Added to every variance, in the data's squared units: a class of one point, "
                                  "or of identical points, still gets a proper density")
        self.test_size = QDoubleSpinBox(minimum=0.0, maximum=0.9, singleStep=0.05, decimals=2)
        self.test_size.setToolTip("Fraction of every class held out for testing (drawn as squares); 0: no test set")
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1)
        self.seed.setToolTip("Seeds the train/test split and the mixtures' initialisation")
        form.addRow("Model", self.model)
        form.addRow("Covariance", self.covariance)
        form.addRow("reg_covar", self.reg_covar)
        form.addRow("Test fraction", self.test_size)
        form.addRow("Split seed", self.seed)
        self.set_settings(ClassifySettings())
        self.model.currentIndexChanged.connect(self._emit)
        self.covariance.currentIndexChanged.connect(self._emit)
        self.reg_covar.editingFinished.connect(self._emit)
        self.test_size.valueChanged.connect(self._emit)
        self.seed.valueChanged.connect(self._emit)

    def fields(self) -> tuple[QWidget, ...]:
        return (self.model, self.covariance, self.reg_covar, self.test_size, self.seed)

    def settings(self) -> ClassifySettings:
        try:
            reg = float(self.reg_covar.text())
        except ValueError:
            reg = 1e-6
        if not (reg >= 0 and np.isfinite(reg)):
            reg = 1e-6
        return ClassifySettings(model=self.model.currentData(), n_components=self._ks,
                                covariance_type=self.covariance.currentData(), reg_covar=reg,
                                test_size=round(self.test_size.value(), 4), seed=self.seed.value())

    def set_settings(self, s: ClassifySettings) -> None:
        """Show ``s`` without emitting."""
        for w in self.fields():
            w.blockSignals(True)
        self._ks = tuple(s.n_components)
        self.model.setCurrentIndex(max(0, self.model.findData(s.model)))
        self.covariance.setCurrentIndex(max(0, self.covariance.findData(s.covariance_type)))
        self.reg_covar.setText(repr(float(s.reg_covar)))
        self.test_size.setValue(s.test_size)
        self.seed.setValue(s.seed)
        for w in self.fields():
            w.blockSignals(False)
        self.covariance.setEnabled(s.model == "gmm")
        self._last = self.settings()

    def set_ks(self, ks: tuple) -> None:
        if tuple(ks) != self._ks:
            self._ks = tuple(ks)
            self._emit()

    def _emit(self) -> None:
        s = self.settings()
        self.reg_covar.setText(repr(float(s.reg_covar)))
        self.covariance.setEnabled(s.model == "gmm")
        if s != self._last:
            self._last = s
            self.settings_changed.emit(s)


class PriorsTable(QWidget):
    """One row per class: its colour and name, its K (GMM), a slider for P(y) and the value.

    Signals
    -------
    priors_changed(object)
        A tuple of P(y) for the classes with points, or None (the class frequencies).
    ks_changed(object)
        K of every class of the document, a tuple.
    """

    priors_changed = Signal(object)
    ks_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.grid = QGridLayout()
        outer.addLayout(self.grid)
        self.reset = QPushButton("Reset priors")
        self.reset.setToolTip("P(y) from the class frequencies of the training points again (Ctrl+Shift+R)")
        self.reset.clicked.connect(self.reset_priors)
        outer.addWidget(self.reset)
        self.rows: list[tuple[QLabel, QSpinBox, QSlider, QLabel]] = []
        self.present: np.ndarray = np.zeros(0, np.intp)
        self.priors: tuple | None = None
        self._empirical = np.zeros(0)
        self._ks: tuple = (2,)
        self._gmm = False
        for col, text in enumerate(("Class", "K", "Prior P(y)", "")):
            self.grid.addWidget(QLabel(f"<b>{text}</b>"), 0, col)

    def fields(self) -> list[QWidget]:
        return [w for row in self.rows for w in row[1:3]]

    def set_classes(self, classes, present: np.ndarray, empirical: np.ndarray, ks: tuple, gmm: bool) -> None:
        """The document's classes, those with points and their frequencies; K per class; GMM or not."""
        present = np.asarray(present, dtype=np.intp)
        if not np.array_equal(present, self.present):
            self.priors = None  # other classes: the chosen priors mean nothing now
        self.present, self._empirical, self._gmm = present, np.asarray(empirical, float), gmm
        self._ks = tuple(ks[i] if i < len(ks) else ks[-1] for i in range(len(classes))) or (2,)
        while len(self.rows) < len(classes):
            self._add_row()
        for i, (name, k, slider, value) in enumerate(self.rows):
            shown = i < len(classes)
            for w in (name, k, slider, value):
                w.setVisible(shown)
            if not shown:
                continue
            info = classes[i]
            name.setText(f"<span style='color:{info.color}'>●</span> {html.escape(info.name)}")
            name.setToolTip(info.name)
            k.blockSignals(True)
            k.setValue(self._ks[i])
            k.blockSignals(False)
            k.setEnabled(gmm and i in set(present.tolist()))
            slider.setEnabled(i in set(present.tolist()) and present.size >= 2)
        self._show_values()

    def _add_row(self) -> None:
        i = len(self.rows)
        name = QLabel()
        k = QSpinBox(minimum=1, maximum=MAX_K)
        k.setToolTip("GMM classifier: the number of components of this class's mixture")
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setRange(0, SLIDER_STEPS)
        slider.setToolTip("The prior P(y) of this class: drag it and the boundary moves "
                          "(the others are rescaled so the priors sum to 1)")
        value = QLabel()
        value.setMinimumWidth(44)
        k.valueChanged.connect(lambda v, i=i: self._on_k(i, v))
        slider.valueChanged.connect(lambda v, i=i: self._on_slider(i, v))
        for col, w in enumerate((name, k, slider, value)):
            self.grid.addWidget(w, i + 1, col)
        self.rows.append((name, k, slider, value))

    def current(self) -> np.ndarray:
        """P(y) shown now, for the classes with points."""
        return self._empirical if self.priors is None else np.asarray(self.priors)

    def set_priors(self, priors) -> None:
        """Set P(y) of the classes with points (None: the frequencies), and say so."""
        self.priors = None if priors is None else tuple(float(p) for p in priors)
        self._show_values()
        self.priors_changed.emit(self.priors)

    def reset_priors(self) -> None:
        if self.priors is not None:
            self.set_priors(None)

    def set_prior(self, doc_index: int, p: float) -> None:
        """P(y) of class ``doc_index`` to ``p``; the others share 1 - p in their current proportions."""
        where = np.flatnonzero(self.present == doc_index)
        if where.size == 0 or self.present.size < 2:
            return
        j = int(where[0])
        p = float(np.clip(p, MIN_PRIOR, 1.0 - MIN_PRIOR * (self.present.size - 1)))
        old = self.current().astype(float).copy()
        rest = np.delete(old, j)
        rest = rest / rest.sum() if rest.sum() > 0 else np.full(rest.size, 1.0 / rest.size)
        new = np.insert(rest * (1.0 - p), j, p)
        self.set_priors(new)

    def _on_slider(self, i: int, value: int) -> None:
        self.set_prior(i, value / SLIDER_STEPS)

    def _on_k(self, i: int, value: int) -> None:
        ks = list(self._ks)
        ks[i] = value
        self._ks = tuple(ks)
        self.ks_changed.emit(self._ks)

    def _show_values(self) -> None:
        shown = self.current()
        position = {int(c): j for j, c in enumerate(self.present)}
        for i, (_, _, slider, value) in enumerate(self.rows):
            j = position.get(i)
            slider.blockSignals(True)
            slider.setValue(0 if j is None else round(shown[j] * SLIDER_STEPS))
            slider.blockSignals(False)
            value.setText("–" if j is None else f"{shown[j]:.3f}")
        self.reset.setEnabled(self.priors is not None)


def with_ks(settings: ClassifySettings, ks) -> ClassifySettings:
    return replace(settings, n_components=tuple(ks))
