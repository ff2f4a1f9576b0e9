"""The Joint tab: an editable joint table of two or three variables, its marginals, conditionals and
Bayes' theorem, in the measure notation and the random-variable notation side by side.

A table of three variables is shown a slice at a time (the third variable's state chosen above the
table, or summed over), each slice editable; the numbers below are those of the first two variables.

Signals
-------
entry_edited(object, float)
    (index, value): a cell's index into the whole table (a tuple) and the count or weight typed into
    it (the table is renormalised).
cell_chosen(int, int)
    The cell whose events the notation table spells out.
table_requested(object)
    ("preset", key) for one of :data:`~gmmviz.labs.graphs.core.examples.JOINT_PRESETS`, or
    ("graph", names) for the joint of 2 or 3 of the graph's nodes.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gmmviz.labs.graphs.core.examples import JOINT_PRESETS

NONE = "—"


class JointPanel(QWidget):
    entry_edited = Signal(object, float)
    cell_chosen = Signal(int, int)
    table_requested = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.cell = (0, 0)
        self.joint = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.presets = QComboBox()
        for key, title, _ in JOINT_PRESETS:
            self.presets.addItem(title, key)
        self.presets.setToolTip("A prepared joint table (the Berkeley 1973 admissions counts)")
        self.use_preset = QPushButton("Use")
        self.use_preset.setToolTip("Put this table in the Joint tab (undoable)")
        self.use_preset.clicked.connect(lambda: self.table_requested.emit(("preset", self.presets.currentData())))
        row.addWidget(self.presets, 1)
        row.addWidget(self.use_preset)
        layout.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(QLabel("From the graph: ℙ("))
        self.variables = [QComboBox() for _ in range(3)]
        for i, combo in enumerate(self.variables):
            combo.setToolTip("A node of the graph" + (" (— for a table of two)" if i == 2 else ""))
            row.addWidget(combo)
            row.addWidget(QLabel(")" if i == 2 else ","))
        self.take = QPushButton("Take")
        self.take.setToolTip("The joint of these nodes as the graph's tables give it (variable elimination)")
        self.take.clicked.connect(self._take)
        row.addWidget(self.take)
        row.addStretch(1)
        layout.addLayout(row)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        row = QHBoxLayout()
        self.slice_label = QLabel("Slice")
        self.slice = QComboBox()
        self.slice.setToolTip("The third variable's state whose slice the table shows and edits, or the "
                              "sum over it (read-only)")
        self.slice.currentIndexChanged.connect(lambda _: self.joint is not None and self.show_joint(self.joint))
        row.addWidget(self.slice_label)
        row.addWidget(self.slice, 1)
        layout.addLayout(row)
        self.table = QTableWidget()
        self.table.itemChanged.connect(self._on_item)
        self.table.currentCellChanged.connect(lambda r, c, *_: r >= 0 and c >= 0 and self._choose(r, c))
        layout.addWidget(self.table)
        self.numbers = QLabel()
        self.numbers.setTextFormat(Qt.TextFormat.RichText)
        self.numbers.setWordWrap(True)
        self.numbers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.numbers, 1)

    # -- choosing the table -------------------------------------------------------------------
    def set_graph_names(self, names) -> None:
        """The graph's nodes, for "From the graph" (the choices kept where they still exist)."""
        for i, combo in enumerate(self.variables):
            keep = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(([NONE] if i == 2 else []) + list(names))
            j = combo.findText(keep)
            combo.setCurrentIndex(j if j >= 0 else (0 if i == 2 else min(i, len(names) - 1)))
            combo.blockSignals(False)

    def _take(self) -> None:
        names = [c.currentText() for c in self.variables if c.currentText() not in ("", NONE)]
        self.table_requested.emit(("graph", tuple(names)))

    def layer(self) -> int | None:
        """The third variable's state shown, or None (the sum over it, or a table of two)."""
        data = self.slice.currentData()
        return None if data is None or data < 0 else int(data)

    # -- editing --------------------------------------------------------------------------------
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
        layer = self.layer()
        index = (item.row(), item.column()) + (() if layer is None else (layer,))
        QTimer.singleShot(0, lambda: self.entry_edited.emit(index, value))

    # -- showing -----------------------------------------------------------------------------------
    def show_joint(self, joint) -> None:
        """``joint``: a :class:`~gmmviz.labs.graphs.core.joint.JointTable` of two or three variables, or None."""
        self.joint = joint
        self.table.blockSignals(True)
        self.table.clear()
        three = joint is not None and len(joint.names) == 3
        self._fill_slices(joint if three else None)
        if joint is None:
            self.title.setText("No joint table.")
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.numbers.clear()
            self.table.blockSignals(False)
            return
        (a, b), (sa, sb) = joint.names[:2], joint.states[:2]
        what = "counts" if joint.total else "probabilities"
        scale = joint.total or 1.0
        layer = self.layer()
        if three:
            c = joint.names[2]
            values = np.asarray(joint.p)[:, :, layer] * scale if layer is not None else joint.marginal(a, b) * scale
            where = (f"the slice <i>{c}</i> = {html.escape(joint.states[2][layer])}" if layer is not None
                     else f"summed over <i>{c}</i> (choose a slice to edit)")
            self.title.setText(f"ℙ(<i>{a}</i>, <i>{b}</i>, <i>{c}</i>): {where}, edit the {what} (the whole table "
                               f"is renormalised); the margins are this table's.")
        else:
            values = np.asarray(joint.p) * scale
            self.title.setText(f"ℙ(<i>{a}</i>, <i>{b}</i>), edit the {what} (the table is renormalised); "
                               f"the margins are ℙ(<i>{a}</i>) and ℙ(<i>{b}</i>).")
        editable = not three or layer is not None
        self.table.setRowCount(len(sa) + 1)
        self.table.setColumnCount(len(sb) + 1)
        self.table.setVerticalHeaderLabels([f"{a}={s}" for s in sa] + [f"ℙ({b})" if not three else "sum"])
        self.table.setHorizontalHeaderLabels([f"{b}={s}" for s in sb] + [f"ℙ({a})" if not three else "sum"])
        for i in range(len(sa)):
            for j in range(len(sb)):
                item = QTableWidgetItem(f"{values[i, j]:.6g}")
                if not editable:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(i, j, item)
        share = values / scale  # this table's probabilities (a slice's sum to ℙ(slice))
        for i, v in enumerate(share.sum(axis=1)):
            self._fixed(i, len(sb), v)
        for j, v in enumerate(share.sum(axis=0)):
            self._fixed(len(sa), j, v)
        self._fixed(len(sa), len(sb), float(share.sum()))
        self.table.resizeColumnsToContents()
        rows = sum(self.table.rowHeight(i) for i in range(self.table.rowCount()))
        self.table.setMaximumHeight(rows + self.table.horizontalHeader().height() + 2 * self.table.frameWidth() + 4)
        self.table.blockSignals(False)
        self.show_numbers(joint)

    def _fill_slices(self, joint) -> None:
        self.slice_label.setVisible(joint is not None)
        self.slice.setVisible(joint is not None)
        wanted = [] if joint is None else [(f"{joint.names[2]} = {s}", k) for k, s in enumerate(joint.states[2])] + \
            [(f"summed over {joint.names[2]}", -1)]
        if [(self.slice.itemText(i), self.slice.itemData(i)) for i in range(self.slice.count())] == wanted:
            return
        self.slice.blockSignals(True)
        self.slice.clear()
        for text, k in wanted:
            self.slice.addItem(text, k)
        self.slice.blockSignals(False)

    def _fixed(self, i: int, j: int, v: float) -> None:
        item = QTableWidgetItem(f"{v:.4f}")
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(i, j, item)

    def show_numbers(self, joint) -> None:
        (a, b), (sa, sb) = joint.names[:2], joint.states[:2]
        r, c = min(self.cell[0], len(sa) - 1), min(self.cell[1], len(sb) - 1)
        rows = "".join(f"<tr><td>{html.escape(ev)}</td><td>{html.escape(rv)}</td><td align=right>{v:.4f}</td></tr>"
                       for ev, rv, v in joint.notations(a, sa[r], b, sb[c]))
        direct, via = joint.bayes(a, b)
        same = np.allclose(direct, via, equal_nan=True)
        layer = self.layer() if len(joint.names) == 3 else None
        extra = ""
        if layer is not None:
            n3, s3 = joint.names[2], joint.states[2][layer]
            given = joint.conditional(a, b, n3)[c, layer, r]  # ℙ(a | b, c) at the chosen cell and slice
            extra = (f"<br>In the slice: ℙ({a}={html.escape(sa[r])} | {b}={html.escape(sb[c])}, {n3}={html.escape(s3)}) "
                     f"= {given:.4f}, against ℙ({a}={html.escape(sa[r])} | {b}={html.escape(sb[c])}) = "
                     f"{direct[c, r]:.4f} over every {n3}.")
        pooled = f" (summed over {joint.names[2]})" if len(joint.names) == 3 else ""
        self.numbers.setText(
            f"<table cellspacing=0 cellpadding=2><tr><th>events (measure){pooled}</th><th>random variables</th>"
            f"<th>value</th></tr>{rows}</table>"
            f"Bayes' theorem ℙ({a} | {b}) = ℙ({b} | {a}) ℙ({a}) / ℙ({b}) holds in every cell: {'yes' if same else 'no'}."
            + extra)
