"""The graphical-models lab on the :class:`~gmmviz.qt.lab.Lab` seam.

Its document (the graph, its tables, positions and evidence) lives on its own
:class:`~gmmviz.qt.store.DocumentStore`; :meth:`GraphsLab.undo_stack` hands
that store's stack to the window, so Edit → Undo / Redo (Ctrl+Z) undo graph
edits while this lab is current and point edits in the point labs.
"""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtWidgets import QFileDialog, QWidget

from gmmviz.labs import LabSpec
from gmmviz.labs.graphs.qt.page import TABS, GraphPage
from gmmviz.qt.actions import ActionSpec
from gmmviz.qt.lab import Lab, LabContext

A = ActionSpec
GRAPH_ACTIONS: tuple[ActionSpec, ...] = (
    A("graph_open", "Open Graph &Model…", "File", (), "Open a MODEL.json (nodes, edges, tables) in the graphs lab"),
    A("graph_save", "Save Graph Model &As…", "File", (), "Write the graph and its tables as MODEL.json"),
    A("graph_export", "Export &Graph Image…", "File", ("Ctrl+Alt+E",), "The graph with its factorisation as PNG or SVG"),
    A("graph_layout", "&Lay Out the Graph", "Tools", ("Ctrl+Alt+L",), "Parents above children, layer by layer (undoable)"),
    A("graph_edge_mode", "&Dragging Draws Edges", "Tools", ("G",), "Drag from a node to another to add an edge (off: dragging moves; Shift+drag draws)", checkable=True),
    A("graph_marginals", "&Marginals on Nodes", "View", (), "Each node's P(state | evidence) as bars (Tables tab)", checkable=True),
)

#: Checkable actions kept in QSettings: (action, key).
SETTINGS = (("graph_edge_mode", "graphs/edge_mode"), ("graph_marginals", "graphs/marginals"))
#: Outline keys that are not an example's key, and what they open.
ENTRY_EXAMPLES = {"factorisation": "seven-node", "d-separation": "seven-node"}


class GraphsLab(Lab):
    """Draw a DAG, read its factorisation, ask what is independent of what and see why."""

    ACTIONS = GRAPH_ACTIONS
    MENUS = ("File", "View", "Tools")

    def __init__(self, spec: LabSpec, ctx: LabContext):
        super().__init__(spec, ctx)
        self.graph = GraphPage()
        a = ctx.actions
        a["graph_marginals"].setChecked(True)
        a["graph_marginals"].toggled.connect(self._on_marginals)
        a["graph_edge_mode"].toggled.connect(lambda on: setattr(self.graph.scene, "edge_mode", on))
        a["graph_layout"].triggered.connect(lambda: self.graph.lay_out())
        a["graph_export"].triggered.connect(lambda: self.export_dialog())
        a["graph_open"].triggered.connect(lambda: self.open_dialog())
        a["graph_save"].triggered.connect(lambda: self.save_dialog())
        self.graph.store.changed.connect(lambda doc: self.status_changed.emit(self.status()))
        self.graph.refreshed.connect(self.state_changed)

    # -- sessions: the graph document and the question asked ---------------------------------
    def session_part(self) -> dict:
        from gmmviz.labs.graphs.core.session_part import part_of

        return part_of(self.graph.doc)

    def apply_session_part(self, part: dict) -> None:
        """The graph, its tables, positions, evidence, joint table and question as saved (checked
        whole first), with a fresh undo history."""
        from gmmviz.labs.graphs.core.session_part import read

        doc = read(self.spec.key, part)
        g = self.graph
        g.exercising.stop()
        g.selected_node = None
        g.store.reset(doc)
        g.view.fit()

    def page(self) -> QWidget:
        return self.graph

    def undo_stack(self):
        return self.graph.store.undo_stack

    def status(self) -> str:
        dag = self.graph.doc.dag
        return f"{len(dag.names)} nodes, {len(dag.edges)} edges"

    def _on_marginals(self, on: bool) -> None:
        self.graph.show_marginals = on
        self.graph.refresh()

    # -- the outline -------------------------------------------------------------------------
    def open_entry(self, key: str) -> None:
        """Outline entries: the lecture's examples (one click each, with their note) and the exercises."""
        from gmmviz.labs.graphs.core.examples import example, examples
        from gmmviz.labs.graphs.qt.details import DETAILS

        g = self.graph
        g.exercising.stop()
        if key == "exercises":
            g.tabs.setCurrentIndex(TABS.index("exercises"))
            g.exercise_panel.start.click()
            g.details.hide()
            return
        name = ENTRY_EXAMPLES.get(key, key)
        if name not in examples():
            raise KeyError(f"the graphs lab has no outline entry {key!r}")
        e = example(name)
        g.load(e.model, e.evidence, text=f"Open the example: {e.title}", ask=e.ask)
        if e.has_tables:  # the table of the last node, usually the one the example is about
            g.selected_node = e.dag.topological_order()[-1]
        tab = "joint" if key == "variables" else "tables" if e.evidence else "ask"
        g.tabs.setCurrentIndex(TABS.index(tab))
        g.refresh()
        g.banner.show_note(e.title, e.note.split("\n")[0])
        detail = DETAILS.get(key) or DETAILS.get(name)
        g.details.setText(detail() if detail else "")
        g.details.setVisible(detail is not None)
        # (not ctx.new_document: that names the points' session and marks it saved; a graph is not in it)

    def export_source(self):
        """For the shell's Export Image / Copy Image: the graph with its factorisation ("canvas") and
        the Ask panel ("curves"); there is no run to animate."""
        g = self.graph
        return SimpleNamespace(canvas=g.figure, curves=g.ask_panel, palette=g.palette, timeline=lambda: None)

    def export_stem(self) -> str:
        return "graph"

    def show_banner(self, text: str, kind: str) -> None:
        self.graph.banner.show_message(text, kind)

    # -- files and export ----------------------------------------------------------------------
    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.ctx.window, "Open graph model", "", "Graph model (*.json)")
        if path:
            self.open_model(path)

    def open_model(self, path: str) -> bool:
        from gmmviz.core.errors import GmmvizError
        from gmmviz.labs.graphs.core.model_json import read_model

        try:
            model = read_model(path)
        except GmmvizError as exc:
            self.graph.banner.show_message(str(exc), "error")
            return False
        self.graph.load(model, text="Open a graph model")
        return True

    def save_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.ctx.window, "Save graph model", "model.json",
                                              "Graph model (*.json)")
        if path:
            self.save_model(path)

    def save_model(self, path: str) -> bool:
        from gmmviz.core.errors import GmmvizError
        from gmmviz.core.io.atomic import atomic_write_text
        from gmmviz.labs.graphs.core.model_json import model_to_json

        try:
            atomic_write_text(path, [model_to_json(self.graph.doc.model), "\n"])
        except GmmvizError as exc:
            self.graph.banner.show_message(str(exc), "error")
            return False
        return True

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.ctx.window, "Export graph", "graph.png",
                                              "PNG image (*.png);;SVG drawing (*.svg)")
        if path:
            self.export_image(path)

    def export_image(self, path: str) -> bool:
        from gmmviz.labs.graphs.qt.export import export_scene

        try:
            export_scene(self.graph.scene, self.graph.doc.dag, path)
        except (OSError, ValueError) as exc:
            self.graph.banner.show_message(f"cannot export to {path}: {exc}", "error")
            return False
        self.ctx.show_message(f"Exported {path}", 5000)
        return True

    # -- theme, scale, layout -------------------------------------------------------------------
    def apply_theme(self, theme) -> None:
        from gmmviz.labs.graphs.qt.items import Palette

        self.graph.set_palette(Palette.for_theme(theme))
        self.graph.banner.restyle()

    def apply_scale(self, factor: float) -> None:
        self.graph.scene.set_scale(factor)
        self.graph.banner.set_scale(factor)

    def save_settings(self, settings) -> None:
        for name, key in SETTINGS:
            settings.setValue(key, self.ctx.actions[name].isChecked())

    def restore_settings(self, settings) -> None:
        for name, key in SETTINGS:
            value = settings.value(key)
            if value is not None:
                self.ctx.actions[name].setChecked(str(value).lower() == "true")

    def shutdown(self) -> None:
        self.graph.sampler.shutdown()

    def presentation_panels(self) -> dict[str, QWidget]:
        return {"hint": self.graph.hint}

    def save_layout(self) -> dict:
        return {"split": bytes(self.graph.splitter.saveState().toBase64()).decode("ascii")}

    def restore_layout(self, layout: dict) -> None:
        from PySide6.QtCore import QByteArray

        if isinstance(layout.get("split"), str):
            self.graph.splitter.restoreState(QByteArray.fromBase64(layout["split"].encode("ascii")))
