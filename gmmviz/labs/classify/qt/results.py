"""What the fitted classifier scores, and Bayes' rule under the cursor.

* :class:`ScoresPanel`: accuracy and log-loss on the training and the test
  points and the confusion matrix (test points, else training points), all
  read from the frame's :class:`~gmmviz.labs.classify.core.metrics.Scores`;
* :class:`ProbeTable`: at the cursor, per class, p(x | y), P(y), their
  product and P(y | x), from :func:`~gmmviz.labs.classify.core.picture.probe`.
"""

from __future__ import annotations

import html
import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gmmviz.labs.classify.core.picture import Probe, format_exp

PROBE_COLUMNS = ("p(x|y)", "P(y)", "p(x|y)P(y)", "P(y|x)")


def _num(value: float | None, fmt: str = ".3f") -> str:
    return "–" if value is None or not math.isfinite(value) else format(value, fmt)


def _table(columns) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays with the canvas
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fit_height(table: QTableWidget) -> None:
    h = table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(table.rowCount()))
    table.setFixedHeight(h + 2 * table.frameWidth() + 2)


def _set(table: QTableWidget, row: int, col: int, text: str) -> None:
    item = table.item(row, col)
    if item is None:
        item = QTableWidgetItem()
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        table.setItem(row, col, item)
    item.setText(text)


def _class_rows(table: QTableWidget, names) -> None:
    if table.rowCount() != len(names):
        table.setRowCount(len(names))
    table.setVerticalHeaderLabels(list(names))


class ScoresPanel(QWidget):
    """Accuracy, log-loss and the confusion matrix of the frame on screen."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setToolTip("Accuracy: the fraction predicted right.  Log-loss: −mean ln P(y_true | x), nats.")
        self.summary.setWordWrap(True)  # (its one-line messages would set the side panel's width)
        self.confusion_title = QLabel()
        self.confusion_title.setWordWrap(True)
        self.confusion = _table(())
        self.confusion.setToolTip("Rows: the true class; columns: the predicted class")
        layout.addWidget(self.summary)
        layout.addWidget(self.confusion_title)
        layout.addWidget(self.confusion)
        self.show_frame(None, ())

    def show_frame(self, frame, names) -> None:
        """The scores of ``frame`` (None: none), ``names`` the names of its classes."""
        if frame is None:
            self.summary.setText("<i>No classifier yet: paint points of two classes.</i>")
            self.confusion_title.setText("")
            self.confusion.setRowCount(0)
            self.confusion.setColumnCount(0)
            self.confusion.hide()
            return
        tr, te = frame.train_scores, frame.test_scores
        rows = [("training", tr, frame.train.size), ("test", te, frame.test.size)]
        self.summary.setText(
            "<table cellspacing=4><tr><th></th><th align=right>points</th><th align=right>accuracy</th>"
            "<th align=right>log-loss</th></tr>"
            + "".join(f"<tr><td>{name}</td><td align=right>{n}</td><td align=right>{_num(None if s is None else s.accuracy)}"
                      f"</td><td align=right>{_num(None if s is None else s.log_loss)}</td></tr>" for name, s, n in rows)
            + "</table>")
        shown = te if te is not None else tr
        self.confusion_title.setText(f"Confusion ({'test' if te is not None else 'training'} points; rows true, "
                                     "columns predicted):")
        self.confusion.setColumnCount(len(names))
        self.confusion.setHorizontalHeaderLabels(list(names))
        _class_rows(self.confusion, names)
        for i, row in enumerate(shown.confusion):
            for j, v in enumerate(row):
                _set(self.confusion, i, j, str(int(v)))
        self.confusion.show()
        _fit_height(self.confusion)

    def accuracy_text(self) -> str:
        return self.summary.text()


class ProbeTable(QWidget):
    """Bayes' rule at the cursor, one row per class."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.where = QLabel("<i>Hover over the plane.</i>")
        self.table = _table(PROBE_COLUMNS)
        self.table.setToolTip("Bayes' rule at the cursor: P(y | x) = p(x | y) P(y) / Σ_y' p(x | y') P(y')")
        self.evidence = QLabel()
        layout.addWidget(self.where)
        layout.addWidget(self.table)
        layout.addWidget(self.evidence)
        self.probe: Probe | None = None

    def show_probe(self, probe: Probe | None, names=()) -> None:
        self.probe = probe
        if probe is None:
            self.where.setText("<i>Hover over the plane.</i>")
            self.table.setRowCount(0)
            self.evidence.setText("")
            return
        self.where.setText(f"At x = ({probe.x:.4g}, {probe.y:.4g}):")
        _class_rows(self.table, names)
        for i in range(len(names)):
            _set(self.table, i, 0, format_exp(float(probe.log_likelihood[i])))
            _set(self.table, i, 1, f"{probe.prior[i]:.3f}")
            _set(self.table, i, 2, format_exp(float(probe.log_joint[i])))
            _set(self.table, i, 3, f"{probe.posterior[i]:.4f}")
        _fit_height(self.table)
        from gmmviz.labs.classify.core.model import logsumexp

        log_px = float(logsumexp(probe.log_joint[None, :], axis=1)[0])
        best = int(probe.posterior.argmax())
        self.evidence.setText(f"p(x) = Σ p(x | y) P(y) = {format_exp(log_px)};  predicted: "
                              f"<b>{html.escape(str(names[best]))}</b>")

    def cell(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return "" if item is None else item.text()
