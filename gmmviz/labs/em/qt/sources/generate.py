"""Generate from a mixture: define a "true" mixture, then sample it.

The lecturer types the components in a table (weight, μx, μy, σx, σy, ρ)
or drags their ellipses in the preview; the preview shows the points the
chosen N and seed will give (the first few thousand of them).  Every edit
is validated at once with :func:`gmmviz.labs.em.core.presets.mixture_from_rows`
(weights normalised, covariances positive definite); the Generate button
is enabled only for a valid mixture and :meth:`GenerateDialog.accept`
refuses an invalid one.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gmmviz.core.errors import GmmvizError
from gmmviz.core.mixture import GaussianParams, sample
from gmmviz.core.palette import CLASS_COLORS, class_color
from gmmviz.labs.em.core.presets import (
    MAX_POINTS,
    ROW_FIELDS,
    mixture_from_rows,
    row_problem,
    rows_from_mixture,
)

PREVIEW_POINTS = 3000
BAD_CELL = QColor("#f8c9c2")
ERROR_STYLE = "color: #9a1c0c; font-weight: bold;"
INFO_STYLE = "color: #333333;"
INTRO = ("z<sub>t</sub> ~ Mult(π), then x<sub>t</sub> | z<sub>t</sub> = i ~ N(μ<sub>i</sub>, Σ<sub>i</sub>): "
         "each point is labelled by the component it came from.  Σ<sub>i</sub> = "
         "[[σx², ρσxσy], [ρσxσy, σy²]].")


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def _parse(text: str) -> float:
    return float(text.strip().replace("−", "-").replace(",", "."))


class GenerateDialog(QDialog):
    """Define a true mixture, N and a seed.

    Parameters
    ----------
    params : GaussianParams
        The mixture to start from.
    n_points, seed : int
    show_truth : bool
        Initial state of "Show the true mixture on the canvas".
    """

    def __init__(self, params: GaussianParams, n_points: int = 500, seed: int = 0, show_truth: bool = True,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Generate from a Mixture")
        self._params: GaussianParams | None = None
        self._preview_timer = QTimer(self, singleShot=True, interval=40)
        self._build_ui(n_points, seed, show_truth)
        self._connect()
        self.set_rows(rows_from_mixture(params))
        self.editor.fit_view(force=True)
        self.resize(1180, 640)

    # -- construction -----------------------------------------------------
    def _build_ui(self, n_points: int, seed: int, show_truth: bool) -> None:
        from gmmviz.labs.em.qt.sources.mixture_editor import MixtureEditor

        self.editor = MixtureEditor()
        self.editor.setMinimumSize(460, 420)
        self.hint = QLabel("Drag ● to move a mean, ■ to stretch an axis and turn the ellipse.")
        self.hint.setWordWrap(True)
        right = QVBoxLayout()
        right.addWidget(self.editor, 1)
        right.addWidget(self.hint)
        body = QHBoxLayout()
        body.addLayout(self._table_column(n_points, seed, show_truth), 5)
        body.addLayout(right, 6)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton("Generate", QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)
        self.ok.setDefault(True)  # Enter generates; set once the button is inside the dialog

    def _table_column(self, n_points: int, seed: int, show_truth: bool) -> QVBoxLayout:
        """K, the table, N, the seed, the truth check box and the message."""
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.k = QSpinBox(minimum=1, maximum=len(CLASS_COLORS))
        self.k.setToolTip("Number of components K (one class per component)")
        self.normalise = QPushButton("Normalise weights")
        self.normalise.setToolTip("Rewrite the weights so that they sum to 1 (they are normalised anyway)")
        top = QHBoxLayout()
        for widget in (QLabel("Components K"), self.k):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.normalise)
        self.table = QTableWidget(0, len(ROW_FIELDS))
        self.table.setHorizontalHeaderLabels(list(ROW_FIELDS))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip("weight ≥ 0 (normalised), mean μ, standard deviations σ > 0, correlation −1 < ρ < 1")
        self.n_points = QSpinBox(minimum=1, maximum=MAX_POINTS, value=n_points, singleStep=100)
        self.n_points.setGroupSeparatorShown(True)
        self.n_points.setToolTip("How many points to sample")
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1, value=seed)
        self.seed.setToolTip("Random seed: the same seed gives the same points")
        self.new_seed = QPushButton("Next seed")
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(self.new_seed)
        form = QFormLayout()
        form.addRow("Points N", self.n_points)
        form.addRow("Seed", seed_row)
        self.show_truth = QCheckBox("Show the true mixture on the canvas (dashed)")
        self.show_truth.setChecked(show_truth)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(48)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        left = QVBoxLayout()
        for part in (intro, top, self.table, form, self.show_truth, self.message):
            (left.addWidget if isinstance(part, QWidget) else left.addLayout)(part)
        left.setStretch(2, 1)
        return left

    def _connect(self) -> None:
        self.k.valueChanged.connect(self._on_k)
        self.normalise.clicked.connect(self._normalise)
        self.table.itemChanged.connect(lambda *_: self._revalidate(refit=True))
        self.n_points.valueChanged.connect(lambda *_: self._revalidate())
        self.seed.valueChanged.connect(lambda *_: self._revalidate())
        self.new_seed.clicked.connect(lambda: self.seed.setValue(self.seed.value() + 1))
        self.editor.component_edited.connect(self._on_dragged)
        self._preview_timer.timeout.connect(self._update_preview)
        self.buttons.rejected.connect(self.reject)
        self.ok.clicked.connect(self.accept)

    # -- the table ----------------------------------------------------------
    def set_rows(self, rows: np.ndarray) -> None:
        """Fill the table with rows of (weight, μx, μy, σx, σy, ρ), shape (k, 6)."""
        rows = np.asarray(rows, dtype=float).reshape(-1, 6)
        self.table.blockSignals(True)
        self.k.blockSignals(True)
        self.table.setRowCount(len(rows))
        self.k.setValue(len(rows))
        for i, row in enumerate(rows):
            self._set_header(i)
            for j, value in enumerate(row):
                self.table.setItem(i, j, QTableWidgetItem(_fmt(value)))
        self.k.blockSignals(False)
        self.table.blockSignals(False)
        self._revalidate(refit=True)

    def set_cell(self, row: int, column: int, text: str) -> None:
        """Type ``text`` into a cell (as a user would; validates)."""
        self.table.item(row, column).setText(text)

    def _set_header(self, i: int) -> None:
        swatch = QPixmap(14, 14)
        swatch.fill(QColor(class_color(i)))
        self.table.setVerticalHeaderItem(i, QTableWidgetItem(QIcon(swatch), f"Component {i + 1}"))

    def _read(self) -> tuple[np.ndarray, tuple[int, int, str] | None]:
        """Table values (NaN where unreadable), shape (k, 6), and the first unreadable cell."""
        rows = np.full((self.table.rowCount(), len(ROW_FIELDS)), np.nan)
        problem = None
        for i in range(rows.shape[0]):
            for j, name in enumerate(ROW_FIELDS):
                item = self.table.item(i, j)
                text = "" if item is None else item.text()
                try:
                    rows[i, j] = _parse(text)
                except ValueError:
                    if problem is None:
                        problem = (i, j, f"Component {i + 1}: {name} must be a number, got {text.strip()!r}")
        return rows, problem

    def _on_k(self, k: int) -> None:
        rows, _ = self._read()
        while len(rows) < k:
            angle = 2.4 * len(rows)
            centre = np.nanmean(rows[:, 1:3], axis=0) if len(rows) else np.zeros(2)
            spot = np.nan_to_num(centre) + 4.0 * np.array([np.cos(angle), np.sin(angle)])
            rows = np.vstack([rows, [1.0 / k, *spot, 1.0, 1.0, 0.0]])
        self.set_rows(rows[:k])

    def _normalise(self) -> None:
        if self._params is not None:
            self.set_rows(rows_from_mixture(self._params))

    def _on_dragged(self, i: int, values) -> None:
        self.table.blockSignals(True)
        for j, v in enumerate(values, start=1):
            self.table.item(i, j).setText(_fmt(v))
        self.table.blockSignals(False)
        self._revalidate()

    # -- validation ---------------------------------------------------------
    def _revalidate(self, refit: bool = False) -> None:
        rows, problem = self._read()
        problem = problem or (row_problem(rows) if len(rows) else (0, -1, "Add at least one component"))
        self._params = None
        if problem is None:
            try:
                self._params = mixture_from_rows(rows)
            except GmmvizError as exc:
                problem = (-1, -1, str(exc))
        self._mark(problem, rows)
        self.ok.setEnabled(self._params is not None)
        drawable = np.all(np.isfinite(rows), axis=1) & (rows[:, 3] > 0) & (rows[:, 4] > 0) & (np.abs(rows[:, 5]) < 1)
        self.editor.set_rows(rows, drawable)
        if refit:
            self.editor.fit_view()
        self._preview_timer.start()

    def _mark(self, problem: tuple[int, int, str] | None, rows: np.ndarray) -> None:
        bad = set()
        if problem is not None and problem[0] >= 0:
            i, j = problem[:2]
            bad = {(r, 0) for r in range(len(rows))} if j == -1 else {(i, j)}
        self.table.blockSignals(True)
        for i in range(self.table.rowCount()):
            for j in range(self.table.columnCount()):
                self.table.item(i, j).setBackground(BAD_CELL if (i, j) in bad else QColor(0, 0, 0, 0))
        self.table.blockSignals(False)
        if problem is not None:
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(problem[2])
            return
        w, n, total = self._params.weights, self.n_points.value(), float(rows[:, 0].sum())
        note = "" if abs(total - 1) < 1e-9 else f" (the weights summed to {total:.4g}: normalised)"
        self.message.setStyleSheet(INFO_STYLE)
        self.message.setText(f"π = {', '.join(f'{x:.3f}' for x in w)}{note}.  Expected points per component: "
                             f"{', '.join(f'{x * n:,.0f}' for x in w)}.")

    def _update_preview(self) -> None:
        if self._params is None:
            self.editor.set_sample(None, None)
            return
        n = self.n_points.value()
        X, z = sample(self._params, min(n, PREVIEW_POINTS), random_state=self.seed.value())
        self.editor.set_sample(X, z)
        shown = "these are the points" if n <= PREVIEW_POINTS else f"a preview sample of {PREVIEW_POINTS:,}"
        self.hint.setText(f"Drag ● to move a mean, ■ to stretch an axis and turn the ellipse.  "
                          f"N = {n:,}: {shown}.")

    # -- result -------------------------------------------------------------
    def params(self) -> GaussianParams | None:
        """The validated mixture (full covariances), or None while invalid."""
        return self._params

    def accept(self) -> None:
        """Generate, unless the mixture is invalid (the message stays on screen)."""
        self._revalidate()
        if self._params is None:
            return
        super().accept()
