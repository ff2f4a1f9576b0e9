"""The lab's side panels: Ask (X ⊥ Y | Z and its paths) and Tables (a node's table, sampling).

Panels show what the lab hands them and report the user's choices as signals;
the lab turns edits into commands on its graph store.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gmmviz.labs.graphs.qt.items import display_name

PICKS = ("X", "Y", "Z")
#: Samples per click: drawn on the run controller in chunks (about 2 s for 1,000,000 draws of a 30-node graph).
MAX_SAMPLES = 1_000_000


def names_html(names) -> str:
    return ", ".join(f"<i>{html.escape(display_name(n))}</i>" for n in names) or "—"


class AskPanel(QWidget):
    """Pick X, Y and Z by clicking nodes; the answer in large type and every path.

    Signals
    -------
    path_selected(object)
        The index of the path to show alone, or None for all paths.
    cleared()
    implied_requested()
    """

    path_selected = Signal(object)
    cleared = Signal()
    implied_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Click nodes to pick them as:"))
        row = QHBoxLayout()
        self.pick_group = QButtonGroup(self)
        self.pick_buttons = {}
        for i, what in enumerate(PICKS):
            b = QPushButton({"X": "X", "Y": "Y", "Z": "Z (given)"}[what])
            b.setCheckable(True)
            b.setToolTip(f"Clicking a node adds it to {what}, or takes it out")
            self.pick_group.addButton(b, i)
            self.pick_buttons[what] = b
            row.addWidget(b)
        self.pick_buttons["X"].setChecked(True)
        clear = QPushButton("Clear")
        clear.clicked.connect(self.cleared)
        row.addWidget(clear)
        layout.addLayout(row)
        self.sets = QLabel()
        self.sets.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.sets)
        self.answer = QLabel("—")
        font = QFont()
        font.setPointSize(26)
        self.answer.setFont(font)
        self.answer.setTextFormat(Qt.TextFormat.RichText)
        self.answer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.answer.setObjectName("askAnswer")
        layout.addWidget(self.answer)
        self.verdict = QLabel()
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verdict.setWordWrap(True)
        layout.addWidget(self.verdict)
        self.paths = QListWidget()
        self.paths.setWordWrap(True)
        self.paths.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.paths.currentRowChanged.connect(lambda r: self.path_selected.emit(None if r <= 0 else r - 1))
        layout.addWidget(self.paths, 1)
        self.numeric = QLabel()
        self.numeric.setWordWrap(True)
        layout.addWidget(self.numeric)
        implied = QPushButton("List every independence the graph implies")
        implied.clicked.connect(self.implied_requested)
        layout.addWidget(implied)
        self.implied = QLabel()
        self.implied.setWordWrap(True)
        self.implied.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.implied)

    @property
    def picking(self) -> str:
        return PICKS[max(0, self.pick_group.checkedId())]

    def show_sets(self, x, y, z) -> None:
        self.sets.setText(f"X = {{{names_html(x)}}} &nbsp; Y = {{{names_html(y)}}} &nbsp; Z = {{{names_html(z)}}}")

    def show_answer(self, explanation, colours: tuple[str, str]) -> None:
        """``explanation``: a :class:`~gmmviz.labs.graphs.core.dsep.Explanation` or None (X or Y empty)."""
        self.paths.blockSignals(True)
        self.paths.clear()
        if explanation is None:
            self.answer.setText("—")
            self.verdict.setText("Pick X and Y (and Z if any) by clicking nodes.")
            self.paths.blockSignals(False)
            return
        e = explanation
        rel = "⊥" if e.independent else "⊥̸"
        colour = colours[1] if e.independent else colours[0]
        given = f" | {names_html(e.z)}" if e.z else ""
        self.answer.setText(f"<span style='color:{colour}'>{names_html(e.x)} {rel} {names_html(e.y)}{given}</span>")
        n = len(e.paths)
        more = " (more not listed; the answer is exact)" if e.truncated else ""
        paths = f"{n} path" + "s" * (n != 1)
        if e.independent:
            verdict = ("Independent: no path joins X and Y." if not n else
                       "Independent: the only path is blocked." if n == 1 else
                       f"Independent: all {paths} are blocked{more}.")
        else:
            verdict = f"Not independent: {sum(p.open for p in e.paths)} of {paths} open{more}."
        self.verdict.setText(verdict)
        self.paths.addItem(f"All paths ({n})")
        for p in e.paths:
            if p.open:
                colliders = [s.reason for s in p.steps if s.kind == "collider"]
                why = "; ".join(colliders) if colliders else "no node blocks it"
                self.paths.addItem(f"open: {p.text()} ({why})")
            else:
                self.paths.addItem(f"blocked: {p.text()} ({'; '.join(s.reason for s in p.blockers)})")
        self.paths.setCurrentRow(0)
        self.paths.blockSignals(False)

    def show_numeric(self, text: str) -> None:
        self.numeric.setText(text)


class TablePanel(QWidget):
    """A node's conditional probability table (rows sum to 1), and sampling.

    Signals
    -------
    entry_edited(str, int, int, float)
        (node, row, column, value) typed into a cell.
    sample_requested(int, int)
        (number of samples, seed).
    """

    entry_edited = Signal(str, int, int, float)
    sample_requested = Signal(int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.node: str | None = None
        layout = QVBoxLayout(self)
        self.title = QLabel("Click a node to edit its table.")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.table = QTableWidget()
        self.table.itemChanged.connect(self._on_item)
        layout.addWidget(self.table, 1)
        hint = QLabel("Type a probability: the rest of its row is rescaled so the row sums to 1. "
                      "Click a bar beside a node to observe that state (again to clear); hover a node for its numbers.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        row = QHBoxLayout()
        self.n_samples = QSpinBox()
        self.n_samples.setRange(10, MAX_SAMPLES)
        self.n_samples.setValue(10_000)
        self.n_samples.setSingleStep(1000)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.sample_button = QPushButton("Sample")
        self.sample_button.setToolTip("Ancestral sampling: each node drawn from its table given its parents")
        self.sample_button.clicked.connect(lambda: self.sample_requested.emit(self.n_samples.value(),
                                                                              self.seed.value()))
        row.addWidget(QLabel("n"))
        row.addWidget(self.n_samples)
        row.addWidget(QLabel("seed"))
        row.addWidget(self.seed)
        row.addWidget(self.sample_button)
        layout.addLayout(row)
        self.samples = QLabel()
        self.samples.setWordWrap(True)
        self.samples.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.samples)

    def show_table(self, node: str | None, parents=(), rows=(), states=(), values=None) -> None:
        """``rows``: a label per parents' configuration; ``values``: array (n_rows, n_states)."""
        self.node = node
        self.table.blockSignals(True)
        self.table.clear()
        if node is None:
            self.title.setText("Click a node to edit its table.")
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.table.blockSignals(False)
            return
        given = f" | {names_html(parents)}" if parents else ""
        self.title.setText(f"P({names_html([node])}{given})")
        self.table.setRowCount(len(rows))
        self.table.setColumnCount(len(states))
        self.table.setHorizontalHeaderLabels([f"{display_name(node)}={s}" for s in states])
        self.table.setVerticalHeaderLabels(list(rows) if parents else ["P"])
        for i in range(len(rows)):
            for j in range(len(states)):
                self.table.setItem(i, j, QTableWidgetItem(f"{values[i, j]:.4g}"))
        self.table.resizeColumnsToContents()
        self.table.blockSignals(False)

    def _on_item(self, item: QTableWidgetItem) -> None:
        if self.node is None:
            return
        try:
            value = float(item.text().replace(",", "."))
        except ValueError:
            value = float("nan")
        # after the edit has finished: the table is rebuilt from the new document
        node, row, col = self.node, item.row(), item.column()
        QTimer.singleShot(0, lambda: self.entry_edited.emit(node, row, col, value))

    def show_samples(self, text: str) -> None:
        self.samples.setText(text)
