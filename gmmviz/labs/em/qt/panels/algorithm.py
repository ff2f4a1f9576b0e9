"""The Algorithm choice of the model panel: EM, gradient ascent, the score-function gradient or VB, with
each one's own settings (only the chosen algorithm's rows are shown)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLineEdit, QSpinBox, QWidget

from gmmviz.labs.em.core.algorithms.types import AlgorithmSettings

ALGORITHM_CHOICES = (
    ("em", "EM", "Expectation-maximisation: no step size; ln p never falls"),
    ("ga", "gradient ascent", "Steps along the exact gradient of ln p (softmax weights, log-Cholesky covariances)"),
    ("ga-score", "score-function gradient", "Steps along the slide's Monte-Carlo gradient from m sampled z"),
    ("vb", "variational Bayes", "Coordinate ascent on the ELBO with a Dirichlet (process) and Normal-Wishart prior"),
)
GRADIENT = ("ga", "ga-score")


class AlgorithmPanel(QWidget):
    """Edits :class:`~gmmviz.labs.em.core.algorithms.types.AlgorithmSettings`.

    Signals
    -------
    settings_changed(object)
        The new AlgorithmSettings after any edit.
    """

    settings_changed = Signal(object)

    def __init__(self, settings: AlgorithmSettings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._build_ui()
        self.set_settings(settings or AlgorithmSettings())
        self._connect()

    def _build_ui(self) -> None:
        self.form = form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.algorithm = QComboBox()
        for key, text, tip in ALGORITHM_CHOICES:
            self.algorithm.addItem(text, key)
            self.algorithm.setItemData(self.algorithm.count() - 1, tip, 3)  # Qt.ToolTipRole
        self.algorithm.setToolTip("What fits the mixture (the curves plot what it maximises)")
        self.step_size = QLineEdit()
        validator = QDoubleValidator(1e-12, 1e6, 12, self.step_size)
        validator.setNotation(QDoubleValidator.Notation.ScientificNotation)
        self.step_size.setValidator(validator)
        self.step_size.setToolTip("Step along the gradient of ln p per point (units where the data's spread is 1): "
                                  "too large diverges, too small crawls")
        self.line_search = QCheckBox("backtracking (never lowers ln p)")
        self.samples = QSpinBox(minimum=1, maximum=10000)
        self.samples.setToolTip("m: sampled assignment vectors z per gradient estimate")
        self.sampler = QComboBox()
        self.sampler.addItem("posterior P(z|x,θ)", "posterior")
        self.sampler.addItem("prior P(z|θ) (the slide's)", "prior")
        self.prior = QComboBox()
        self.prior.addItem("Dirichlet", "dirichlet")
        self.prior.addItem("Dirichlet process (stick-breaking)", "dirichlet-process")
        self.concentration = QLineEdit()
        self.concentration.setPlaceholderText("1/K")
        conc = QDoubleValidator(1e-12, 1e12, 12, self.concentration)
        conc.setNotation(QDoubleValidator.Notation.ScientificNotation)
        self.concentration.setValidator(conc)
        self.concentration.setToolTip("The weight prior's concentration (empty: 1/K); small values empty components")
        self._rows = (("Algorithm", self.algorithm, None), ("Step size", self.step_size, GRADIENT),
                      ("Line search", self.line_search, GRADIENT), ("Samples m", self.samples, ("ga-score",)),
                      ("Sampler", self.sampler, ("ga-score",)), ("Weight prior", self.prior, ("vb",)),
                      ("Concentration", self.concentration, ("vb",)))
        for label, widget, _ in self._rows:
            form.addRow(label, widget)

    def fields(self) -> tuple[QWidget, ...]:
        return tuple(widget for _, widget, _ in self._rows)

    def _connect(self) -> None:
        for combo in (self.algorithm, self.sampler, self.prior):
            combo.currentIndexChanged.connect(self._emit)
        self.samples.valueChanged.connect(self._emit)
        self.line_search.toggled.connect(self._emit)
        for edit in (self.step_size, self.concentration):
            edit.editingFinished.connect(self._emit)

    def settings(self) -> AlgorithmSettings:
        step = _read(self.step_size.text(), self._last.step_size if hasattr(self, "_last") else 0.1)
        conc_text = self.concentration.text().strip()
        return AlgorithmSettings(
            algorithm=self.algorithm.currentData(), step_size=step, line_search=self.line_search.isChecked(),
            samples=self.samples.value(), sampler=self.sampler.currentData(), weight_prior=self.prior.currentData(),
            concentration=_read(conc_text, None) if conc_text else None,
        )

    def set_settings(self, s: AlgorithmSettings) -> None:
        """Show ``s`` without emitting :attr:`settings_changed`."""
        for w in self.fields():
            w.blockSignals(True)
        self.algorithm.setCurrentIndex(max(0, self.algorithm.findData(s.algorithm)))
        self.step_size.setText(repr(float(s.step_size)))
        self.line_search.setChecked(s.line_search)
        self.samples.setValue(s.samples)
        self.sampler.setCurrentIndex(max(0, self.sampler.findData(s.sampler)))
        self.prior.setCurrentIndex(max(0, self.prior.findData(s.weight_prior)))
        self.concentration.setText("" if s.concentration is None else repr(float(s.concentration)))
        for w in self.fields():
            w.blockSignals(False)
        self._last = s
        self._show_rows(s.algorithm)

    def _show_rows(self, algorithm: str) -> None:
        for i, (_, _, only) in enumerate(self._rows):
            self.form.setRowVisible(i, only is None or algorithm in only)

    def _emit(self) -> None:
        s = self.settings()
        self.step_size.setText(repr(float(s.step_size)))
        self._show_rows(s.algorithm)
        if s != self._last:
            self._last = s
            self.settings_changed.emit(s)


def _read(text: str, default):
    try:
        value = float(text)
    except ValueError:
        return default
    return value if 0 < value < float("inf") else default
