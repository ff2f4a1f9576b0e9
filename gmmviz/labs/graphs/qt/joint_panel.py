"""The Joint tab: an editable joint table of two variables, its marginals, conditionals and Bayes'
theorem, in the measure notation and the random-variable notation side by side.

Signals
-------
entry_edited(int, int, float)
    (row, column, value) typed into a cell (a count or a weight; the table is renormalised).
cell_chosen(int, int)
    The cell whose events the notation table spells out.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class JointPanel(QWidget):
    entry_edited = Signal(int, int, float)
    cell_chosen = Signal(int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.cell = (0, 0)
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.table = QTableWidget()
        self.table.itemChanged.connect(self._on_item)
        self.table.currentCellChanged.connect(lambda r, c, *_: r >= 0 and c >= 0 and self._choose(r, c))
        layout.addWidget(self.table)
        self.numbers = QLabel()
        self.numbers.setTextFormat(Qt.TextFormat.RichText)
        self.numbers.setWordWrap(True)
        self.numbers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.numbers, 1)

    def _choose(self, r: int, c: int) -> None:
        if r < self.table.rowCount() - 1 and c < self.table.columnCount() - 1:  # not the margins
            self.cell = (r, c)
            self.cell_chosen.emit(r, c)

    def _on_item(self, item: QTableWidgetItem) -> None:
        try:
            value = float(item.text().replace(",", "."))
        except ValueError:
            value = float("nan")
        # after the edit has finished: the table is rebuilt from the new document
        row, col = item.row(), item.column()
        QTimer.singleShot(0, lambda: self.entry_edited.emit(row, col, value))

    def show_joint(self, joint) -> None:
        """``joint``: a :class:`~gmmviz.labs.graphs.core.joint.JointTable` of two variables, or None."""
        self.table.blockSignals(True)
        self.table.clear()
        if joint is None:
            self.title.setText("No joint table.")
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.numbers.clear()
            self.table.blockSignals(False)
            return
        (a, b), (sa, sb) = joint.names, joint.states
        what = "counts" if joint.total else "probabilities"
        self.title.setText(f"ℙ(<i>{a}</i>, <i>{b}</i>), edit the {what} (the table is renormalised); "
                           f"the margins are ℙ(<i>{a}</i>) and ℙ(<i>{b}</i>).")
        values = np.asarray(joint.p) * (joint.total or 1.0)
        self.table.setRowCount(len(sa) + 1)
        self.table.setColumnCount(len(sb) + 1)
        self.table.setVerticalHeaderLabels([f"{a}={s}" for s in sa] + [f"ℙ({b})"])
        self.table.setHorizontalHeaderLabels([f"{b}={s}" for s in sb] + [f"ℙ({a})"])
        for i in range(len(sa)):
            for j in range(len(sb)):
                self.table.setItem(i, j, QTableWidgetItem(f"{values[i, j]:.6g}"))
        for i, v in enumerate(joint.marginal(a)):
            self._fixed(i, len(sb), v)
        for j, v in enumerate(joint.marginal(b)):
            self._fixed(len(sa), j, v)
        self._fixed(len(sa), len(sb), 1.0)
        self.table.resizeColumnsToContents()
        rows = sum(self.table.rowHeight(i) for i in range(self.table.rowCount()))
        self.table.setMaximumHeight(rows + self.table.horizontalHeader().height() + 2 * self.table.frameWidth() + 4)
        self.table.blockSignals(False)
        self.show_numbers(joint)

    def _fixed(self, i: int, j: int, v: float) -> None:
        item = QTableWidgetItem(f"{v:.4f}")
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(i, j, item)

    def show_numbers(self, joint) -> None:
        (a, b), (sa, sb) = joint.names, joint.states
        r, c = min(self.cell[0], len(sa) - 1), min(self.cell[1], len(sb) - 1)
        rows = "".join(f"<tr><td>{html.escape(ev)}</td><td>{html.escape(rv)}</td><td align=right>{v:.4f}</td></tr>"
                       for ev, rv, v in joint.notations(a, sa[r], b, sb[c]))
        direct, via = joint.bayes(a, b)
        same = np.allclose(direct, via, equal_nan=True)
        self.numbers.setText(
            "<table cellspacing=0 cellpadding=2><tr><th>events (measure)</th><th>random variables</th>"
            f"<th>value</th></tr>{rows}</table>"
            f"Bayes' theorem ℙ({a} | {b}) = ℙ({b} | {a}) ℙ({a}) / ℙ({b}) holds in every cell: {'yes' if same else 'no'}.")
