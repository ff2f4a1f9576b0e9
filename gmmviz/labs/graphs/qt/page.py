"""The graphs lab's page: the canvas, the live factorisation, and the Ask / Tables / Exercises tabs.

Every edit goes through :meth:`GraphPage.push` onto the lab's graph
:class:`~gmmviz.qt.store.DocumentStore` as one :class:`Replace` command, so
undo and redo cover node and edge edits, renames, kinds, moves, tables,
evidence, typed factorisations and loaded examples alike.  What is shown
besides the graph (marginals, the answer and its paths) is recomputed from
the document by the core after every change.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gmmviz.labs.graphs.core import discrete as D
from gmmviz.labs.graphs.core.dag import GraphError
from gmmviz.labs.graphs.core.discrete import DiscreteModel
from gmmviz.labs.graphs.core.document import GraphDocument, Replace
from gmmviz.labs.graphs.core.dsep import explain, highlights
from gmmviz.labs.graphs.core.factorisation import parse
from gmmviz.labs.graphs.core.sampling import SamplingProgress, sampling_job
from gmmviz.labs.graphs.core.session_part import first_document
from gmmviz.labs.graphs.qt.asking import AskPicks
from gmmviz.labs.graphs.qt.context_menu import context_menu
from gmmviz.labs.graphs.qt.exercise_panel import ExercisePanel
from gmmviz.labs.graphs.qt.exercising import Exercising
from gmmviz.labs.graphs.qt.items import Palette
from gmmviz.labs.graphs.qt.joint_panel import JointPanel
from gmmviz.labs.graphs.qt.panels import AskPanel, TablePanel
from gmmviz.labs.graphs.qt.scene import GraphScene, GraphView
from gmmviz.labs.graphs.qt.typeset import factorisation_html
from gmmviz.qt.banner import Banner
from gmmviz.qt.runs import RunController
from gmmviz.qt.store import DocumentStore

TABS = ("ask", "tables", "joint", "exercises")
MAX_MARGINAL_NODES = 24
#: Samples behind the Ask tab's sampled CI check (seeded, so the number is the same each time).
CI_SAMPLES = 20_000


class GraphPage(QWidget):
    """The lab's widget; ``store`` holds the :class:`GraphDocument`.

    Signals
    -------
    refreshed()
        The document or the Ask tab's sets changed (what is shown was recomputed).
    """

    refreshed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.store = DocumentStore(first_document(), self)
        self.palette_ = Palette()
        self.ask = AskPicks(self)
        self.sampler = RunController("Ancestral sampling", "gmmviz-graph-sampling", self)
        self.selected_node: str | None = None
        self.selected_path: int | None = None
        self.empirical: dict = {}
        self.show_marginals = True
        self.explanation = None
        self._build_ui()
        self.exercising = Exercising(self)
        self._connect()
        self._on_changed(self.store.document)

    # -- construction ------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.banner = Banner()
        self.scene = GraphScene(self)
        self.view = GraphView(self.scene)
        self.formula = QLabel()
        self.formula.setObjectName("graphFactorisation")
        self.formula.setTextFormat(Qt.TextFormat.RichText)
        self.formula.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.formula.setWordWrap(True)
        font = self.formula.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        self.formula.setFont(font)
        self.typed = QLineEdit()
        self.typed.setPlaceholderText("Type a factorisation, e.g. P(a)P(b|a)P(c|a,b), and press Enter to draw it")
        self.draw_button = QPushButton("Draw")
        typed_row = QHBoxLayout()
        typed_row.addWidget(self.typed, 1)
        typed_row.addWidget(self.draw_button)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.banner)
        self.details = QLabel()
        self.details.setObjectName("graphDetails")
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setWordWrap(True)
        self.details.hide()
        lv.addWidget(self.details)
        self.figure = QWidget()  # the graph and its factorisation: what File ▸ Export Image draws
        fv = QVBoxLayout(self.figure)
        fv.setContentsMargins(0, 0, 0, 0)
        fv.addWidget(self.view, 1)
        fv.addWidget(self.formula)
        lv.addWidget(self.figure, 1)
        lv.addLayout(typed_row)
        self.hint = QLabel("Double click: add a node · drag: move · Shift+drag node → node: add an edge · "
                           "right click: kind, evidence, delete · F2: rename · Del: delete")
        self.hint.setWordWrap(True)
        lv.addWidget(self.hint)
        self.ask_panel = AskPanel()
        self.table_panel = TablePanel()
        self.exercise_panel = ExercisePanel()
        self.joint_panel = JointPanel()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.ask_panel, "Ask")
        self.tabs.addTab(self.table_panel, "Tables")
        self.tabs.addTab(self.joint_panel, "Joint")
        self.tabs.addTab(self.exercise_panel, "Exercises")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([820, 380])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)

    def _connect(self) -> None:
        s = self.scene
        self.store.changed.connect(self._on_changed)
        s.add_node_requested.connect(self.add_node_at)
        s.edge_requested.connect(self.add_edge)
        s.node_moved.connect(lambda name, pos: self.push(lambda d: d.moved(name, (pos.x(), pos.y())),
                                                         f"Move {name}"))
        s.node_clicked.connect(self.click_node)
        s.node_double_clicked.connect(self.rename_dialog)
        s.state_clicked.connect(self.toggle_evidence)
        s.context_requested.connect(self._context_menu)
        self.view.delete_pressed.connect(self.delete_selected)
        self.view.rename_pressed.connect(lambda: self.selected_node and self.rename_dialog(self.selected_node))
        self.typed.returnPressed.connect(lambda: self.draw_text(self.typed.text()))
        self.draw_button.clicked.connect(lambda: self.draw_text(self.typed.text()))
        self.tabs.currentChanged.connect(lambda _: self.refresh())
        self.ask_panel.path_selected.connect(self._on_path)
        self.ask_panel.cleared.connect(self.clear_ask)
        self.ask_panel.implied_requested.connect(self.show_implied)
        self.table_panel.entry_edited.connect(self.edit_entry)
        self.table_panel.sample_requested.connect(self.run_sampling)
        self.sampler.yielded.connect(self._on_samples)
        self.sampler.failed.connect(lambda run_id, message: self.banner.show_message(message, "error"))
        self.joint_panel.entry_edited.connect(self.edit_joint)
        self.joint_panel.table_requested.connect(self.use_joint)
        self.joint_panel.cell_chosen.connect(lambda r, c: self.joint_panel.show_numbers(self.doc.joint))

    # -- edits: each one command on the store ------------------------------------------------
    @property
    def doc(self) -> GraphDocument:
        return self.store.document

    def push(self, edit, text: str) -> bool:
        """Apply ``edit(doc) -> new doc`` as one undo step; a GraphError goes on the banner."""
        try:
            new = edit(self.doc)
        except GraphError as exc:
            self.banner.show_message(str(exc), "warning")
            return False
        self.store.push(Replace(new), text)
        return True

    def add_node_at(self, pos: QPointF, name: str | None = None) -> bool:
        name = name or self._free_name()
        return self.push(lambda d: d.with_node(name, (pos.x(), pos.y())), f"Add node {name}")

    def _free_name(self) -> str:
        i = 1
        while f"x{i}" in self.doc.dag:
            i += 1
        return f"x{i}"

    def add_edge(self, parent: str, child: str) -> bool:
        return self.push(lambda d: d.with_edge(parent, child), f"Add edge {parent} → {child}")

    def remove_edge(self, parent: str, child: str) -> bool:
        return self.push(lambda d: d.without_edge(parent, child), f"Delete edge {parent} → {child}")

    def delete_node(self, name: str) -> bool:
        return self.push(lambda d: d.without_node(name), f"Delete node {name}")

    def delete_selected(self) -> None:
        if self.selected_node is not None and self.selected_node in self.doc.dag:
            self.delete_node(self.selected_node)

    def rename_node(self, old: str, new: str) -> bool:
        try:
            renamed = self.doc.renamed(old, new)
        except GraphError as exc:
            self.banner.show_message(str(exc), "warning")
            return False
        if self.selected_node == old:
            self.selected_node = new.strip()
        return self.push(lambda d: renamed, f"Rename {old} to {new.strip()}")

    def rename_dialog(self, name: str) -> None:
        new, ok = QInputDialog.getText(self, "Rename node", f"New name for {name}:", text=name)
        if ok and new.strip() and new.strip() != name:
            self.rename_node(name, new)

    def set_kind(self, name: str, kind: str) -> bool:
        return self.push(lambda d: d.with_kind(name, kind), f"Mark {name} {kind}")

    def toggle_evidence(self, name: str, state: int) -> bool:
        current = dict(self.doc.evidence).get(name)
        new = None if current == state else state
        text = f"Observe {name} = {self.doc.model.states[name][state]}" if new is not None else f"Forget {name}"
        return self.push(lambda d: d.with_evidence(name, new), text)

    def edit_entry(self, name: str, row: int, col: int, value: float) -> bool:
        if name not in self.doc.dag:  # the node went between the keystroke and now
            return False
        table = np.array(self.doc.model.tables[name])
        if not (0 <= row < table.size // table.shape[-1] and 0 <= col < table.shape[-1]):
            return False
        flat = table.reshape(-1, table.shape[-1])
        flat[row] = D.renormalised_row(flat[row], col, value)
        return self.push(lambda d: d.with_table(name, flat.reshape(table.shape)), f"Edit the table of {name}")

    def edit_joint(self, index: tuple, value: float) -> bool:
        return self.push(lambda d: d.with_joint(d.joint.with_entry(tuple(index), value)), "Edit the joint table")

    def use_joint(self, request) -> bool:
        """The Joint tab's table from a preset (``("preset", key)``) or of 2–3 nodes of the graph
        (``("graph", names)``), as one undo step."""
        from gmmviz.labs.graphs.core.examples import JOINT_PRESETS
        from gmmviz.labs.graphs.core.joint import JointTable

        kind, what = request
        if kind == "preset":
            key, title, make = next(p for p in JOINT_PRESETS if p[0] == what)
            return self.push(lambda d: d.with_joint(make()), f"Use the joint table: {title}")
        return self.push(lambda d: d.with_joint(JointTable.of_model(d.model, what)),
                         f"Use the joint of {', '.join(what)} from the graph")

    def draw_text(self, text: str) -> bool:
        """Replace the graph by the one the factorisation ``text`` describes (tables kept where they fit)."""
        try:
            dag = parse(text)
        except GraphError as exc:
            self.banner.show_message(f"{exc}", "error")
            if exc.position is not None:
                self.typed.setCursorPosition(exc.position)
                self.typed.setFocus()
            return False
        self.banner.clear_problems()
        done = self.push(lambda d: d.with_dag(dag, layout=True), "Draw the typed factorisation")
        self.view.fit()
        return done

    def load(self, model: DiscreteModel, evidence=(), text: str = "Load a model", ask=((), (), ())) -> None:
        self.selected_node = None
        self.store.push(Replace(GraphDocument.of(model, evidence, ask).with_joint(self.doc.joint)), text)
        self.view.fit()

    def lay_out(self) -> None:
        self.push(lambda d: d.laid_out(), "Lay out the graph")
        self.view.fit()

    # -- clicks that choose, not edit ------------------------------------------------------------
    def click_node(self, name: str) -> None:
        self.selected_node = name
        if not (self.current_tab == "ask" and self.ask.toggle(self.ask_panel.picking, name)):
            self.refresh()  # (a pick is an edit: the store's change refreshes)

    def clear_ask(self) -> None:
        self.ask.clear()

    def _on_path(self, index) -> None:
        self.selected_path = index
        self._draw_overlay()

    @property
    def current_tab(self) -> str:
        return TABS[self.tabs.currentIndex()]

    def _context_menu(self, node, edge, screen_pos) -> None:
        menu = context_menu(self, node, edge)
        if menu is not None:
            menu.popup(screen_pos)

    # -- what is shown -----------------------------------------------------------------------------
    def _on_changed(self, doc: GraphDocument) -> None:
        self.sampler.cancel()  # its draws are of the old model
        self.scene.set_document(doc)
        self.empirical = {}
        self.table_panel.show_samples("")
        self.formula.setText(factorisation_html(doc.dag))
        self.joint_panel.set_graph_names(doc.dag.names)
        self.joint_panel.show_joint(doc.joint)
        self.refresh()

    def refresh(self) -> None:
        """Recompute the answer, the marginals and the table on screen from the document."""
        doc = self.doc
        if self.selected_node not in doc.dag:
            self.selected_node = None
        self.explanation = None
        x, y, z = self.ask.sets()
        self.ask_panel.show_sets(x, y, z)
        self.refreshed.emit()
        if x and y:
            try:
                self.explanation = explain(doc.dag, x, y, z)
            except GraphError as exc:
                self.banner.show_message(str(exc), "warning")
        self.selected_path = None
        self.ask_panel.show_answer(self.explanation, (self.palette_.open_path, self.palette_.blocked_path))
        self.ask_panel.show_numeric(self._numeric_text())
        self._show_table()
        self._draw_overlay()

    def _numeric_text(self) -> str:
        e = self.explanation
        if e is None or len(self.doc.dag.names) > 14:
            return ""
        m = self.doc.model
        gap = D.ci_check(m, e.x, e.y, e.z).max_gap
        text = f"From the tables: max |P(X,Y|Z) − P(X|Z) P(Y|Z)| = {gap:.2g}"
        draws = D.sample(m, CI_SAMPLES, np.random.default_rng(0))
        sampled, n = D.sampled_ci_gap(draws, m, e.x, e.y, e.z)
        if n:
            text += f"; from {CI_SAMPLES:,} ancestral samples: {sampled:.2g} (sampling noise ~ {n ** -0.5:.1g})"
        if D.all_uniform(m):
            text += " (every table is uniform, so everything is independent: edit the tables)"
        return text

    def _show_table(self) -> None:
        n, m = self.selected_node, self.doc.model
        if n is None:
            self.table_panel.show_table(None)
            return
        t = m.tables[n]
        self.table_panel.show_table(n, m.dag.parents(n), D.row_labels(m, n), m.states[n], t.reshape(-1, t.shape[-1]))

    def _draw_overlay(self) -> None:
        doc, pal = self.doc, self.palette_
        asking = self.current_tab == "ask"
        tables = self.current_tab == "tables"
        x, y, z = self.ask.sets()
        marks = {**{n: "X" for n in x}, **{n: "Y" for n in y}} if asking else {}
        given = set(z) if asking else set(dict(doc.evidence))
        bars, states = {}, {}
        if self.show_marginals and tables and len(doc.dag.names) <= MAX_MARGINAL_NODES:
            try:
                bars = {k: v.tolist() for k, v in D.marginals(doc.model, dict(doc.evidence)).items()}
                states = dict(doc.evidence)
            except GraphError as exc:
                self.banner.show_message(str(exc), "warning")
        colours, blocked = {}, {}
        if asking and self.explanation is not None:
            kinds, blocked = highlights(self.explanation, self.selected_path)
            colours = {e: pal.open_path if k == "open" else pal.blocked_path for e, k in kinds.items()}
        if self.selected_node is not None and self.selected_node in self.scene.nodes:
            self.scene.nodes[self.selected_node].setSelected(True)
        self.scene.set_overlay(given=given, marks=marks, bars=bars, empirical=self.empirical if not asking else {},
                               given_states=states, edge_colours=colours, blocked=blocked,
                               labels=dict(doc.model.states) if bars else None)

    def show_implied(self) -> None:
        from gmmviz.labs.graphs.core.dsep import implied_independencies

        try:
            found = implied_independencies(self.doc.dag)
        except GraphError as exc:
            self.ask_panel.implied.setText(str(exc))
            return
        self.ask_panel.implied.setText("\n".join(i.text() for i in found) or "None: every pair is dependent.")

    def run_sampling(self, n: int, seed: int) -> None:
        """Ancestral sampling on the run controller: the frequencies fill in chunk by chunk."""
        doc = self.doc
        evidence = {name: doc.model.states[name][i] for name, i in doc.evidence}
        try:
            job = sampling_job(doc.model, evidence, n, seed)
        except GraphError as exc:
            self.banner.show_message(str(exc), "warning")
            return
        self.sampler.submit(job)
        self.table_panel.show_samples(f"Drawing {n:,} ancestral samples…")

    def _on_samples(self, run_id: int, p: SamplingProgress) -> None:
        self.empirical = {v: list(f) for v, f in p.frequencies}
        exact, observed = dict(p.exact), {name for name, _ in self.doc.evidence}
        rows = []
        for v, freq in p.frequencies:
            if v in observed:
                continue
            pairs = ", ".join(f"{s}: {e:.3f} / {f:.3f}"
                              for s, e, f in zip(self.doc.model.states[v], exact.get(v, freq), freq))
            rows.append(f"<i>{html.escape(v)}</i>: {pairs}")
        program = "; ".join(html.escape(line) for line in p.program)
        so_far = f"{p.drawn:,}" if p.done else f"{p.drawn:,} of {p.total:,} so far"
        impossible = "" if p.exact or not observed else " (the evidence has probability 0)"
        head = (f"<tt>{program}</tt><br>{so_far} ancestral samples, {p.kept:,} match the evidence{impossible}. "
                "Exact / empirical:<br>")
        self.table_panel.show_samples(head + "<br>".join(rows))
        self._draw_overlay()

    # -- theme and scale --------------------------------------------------------------------------
    def set_palette(self, palette: Palette) -> None:
        self.palette_ = palette
        self.scene.set_palette(palette)
        self.refresh()
