"""The model settings: K, covariance type, initialisation, seed, reg_covar, max_iter, tol."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QSpinBox, QWidget

from gmmviz.core.mixture import COVARIANCE_TYPES
from gmmviz.labs.em.core.types import ModelSettings
from gmmviz.labs.em.qt.panels.algorithm import AlgorithmPanel

INIT_CHOICES = (
    ("random", "random points", "k random data points as means, the data's covariance for all"),
    ("kmeans++", "k-means++", "Well-spread random centres (seeded), then one M-step"),
    ("random-resp", "random responsibilities", "Uniformly random responsibilities, then one M-step"),
    ("manual", "manual (drag the means)", "Drag the mean handles on the canvas to place them"),
)


class ModelPanel(QWidget):
    """Edits :class:`ModelSettings`; its :attr:`algorithm` row (an :class:`AlgorithmPanel`, with
    signals of its own) chooses what fits them.

    Signals
    -------
    settings_changed(object)
        The new :class:`ModelSettings` after any edit.
    """

    settings_changed = Signal(object)

    def __init__(self, settings: ModelSettings = ModelSettings(), parent: QWidget | None = None):
        super().__init__(parent)
        self._build_ui()
        self.set_settings(settings)
        self._connect()

    def _build_ui(self) -> None:
        form = QFormLayout(self)
        self.algorithm = AlgorithmPanel()
        form.addRow(self.algorithm)
        self.k = QSpinBox(minimum=1, maximum=20)
        self.k.setToolTip("Number of mixture components K")
        self.covariance = QComboBox()
        for name, tip in zip(COVARIANCE_TYPES, ("any ellipse", "axis-aligned ellipses",
                                               "circles", "one shared ellipse")):
            self.covariance.addItem(f"{name} ({tip})", name)
        self.covariance.setToolTip("Shape of each covariance Σ_k (scikit-learn's covariance_type)")
        self.init = QComboBox()
        for key, text, tip in INIT_CHOICES:
            self.init.addItem(text, key)
            self.init.setItemData(self.init.count() - 1, tip, 3)  # Qt.ToolTipRole
        self.init.setToolTip("How the parameters start")
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1)
        self.seed.setToolTip("Random seed: the same seed gives the same initialisation (R picks the next)")
        self.reg_covar = _float_edit("Added to every covariance's diagonal, in the data's units (0 allowed)")
        self.max_iter = QSpinBox(minimum=1, maximum=100000)
        self.max_iter.setToolTip("Stop after this many EM iterations")
        self.tol = _float_edit("Converged when ln p per point changes by less than this")
        form.addRow("Components K", self.k)
        form.addRow("Covariance", self.covariance)
        form.addRow("Initialisation", self.init)
        form.addRow("Seed", self.seed)
        form.addRow("reg_covar", self.reg_covar)
        form.addRow("Max iterations", self.max_iter)
        form.addRow("Tolerance", self.tol)

    def fields(self) -> tuple[QWidget, ...]:
        """Every editor of the panel (each gives the keyboard back on Enter or Escape)."""
        return (*self.algorithm.fields(), self.k, self.covariance, self.init, self.seed, self.reg_covar,
                self.max_iter, self.tol)

    def _connect(self) -> None:
        for spin in (self.k, self.seed, self.max_iter):
            spin.valueChanged.connect(self._emit)
        for combo in (self.covariance, self.init):
            combo.currentIndexChanged.connect(self._emit)
        for edit in (self.reg_covar, self.tol):
            edit.editingFinished.connect(self._emit)

    def settings(self) -> ModelSettings:
        return ModelSettings(
            n_components=self.k.value(),
            covariance_type=self.covariance.currentData(),
            init=self.init.currentData(),
            seed=self.seed.value(),
            reg_covar=_read_float(self.reg_covar, 1e-6),
            max_iter=self.max_iter.value(),
            tol=_read_float(self.tol, 1e-4),
        )

    def set_settings(self, s: ModelSettings) -> None:
        """Show ``s`` without emitting :attr:`settings_changed`."""
        widgets = (self.k, self.covariance, self.init, self.seed, self.reg_covar, self.max_iter, self.tol)
        for w in widgets:
            w.blockSignals(True)
        self.k.setValue(s.n_components)
        self.covariance.setCurrentIndex(max(0, self.covariance.findData(s.covariance_type)))
        self.init.setCurrentIndex(max(0, self.init.findData(s.init)))
        self.seed.setValue(s.seed)
        self.reg_covar.setText(repr(float(s.reg_covar)))
        self.max_iter.setValue(s.max_iter)
        self.tol.setText(repr(float(s.tol)))
        for w in widgets:
            w.blockSignals(False)
        self._last = s

    def _emit(self) -> None:
        s = self.settings()
        self.reg_covar.setText(repr(float(s.reg_covar)))
        self.tol.setText(repr(float(s.tol)))
        if s != getattr(self, "_last", None):
            self._last = s
            self.settings_changed.emit(s)


def _float_edit(tip: str) -> QLineEdit:
    edit = QLineEdit()
    validator = QDoubleValidator(0.0, 1e12, 12, edit)
    validator.setNotation(QDoubleValidator.Notation.ScientificNotation)
    edit.setValidator(validator)
    edit.setToolTip(tip)
    return edit


def _read_float(edit: QLineEdit, default: float) -> float:
    try:
        value = float(edit.text())
    except ValueError:
        return default
    return value if value >= 0 and value == value and value != float("inf") else default
