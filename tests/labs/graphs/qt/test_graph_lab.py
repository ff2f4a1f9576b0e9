"""The graphs lab driven as a user would: draw, undo, type, ask, edit a table, set evidence."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from gmmviz.labs.graphs.core.dag import DAG
from gmmviz.labs.graphs.core.discrete import DiscreteModel

from .helpers import click_node, double_click, drag, node_pixel, open_graphs


@pytest.fixture
def page_of(make_window):
    """A window with the graphs lab current, on an empty graph."""

    def make():
        w = make_window()
        lab, page = open_graphs(w)
        page.load(DiscreteModel(DAG()), text="Empty")
        return w, lab, page

    return make


def test_draw_a_graph_with_the_mouse(qtbot, page_of):
    _w, _lab, page = page_of()
    double_click(qtbot, page, (-150, 0))
    double_click(qtbot, page, (150, 150))
    qtbot.waitUntil(lambda: page.doc.dag.names == ("x1", "x2"))
    assert page.doc.position("x1") == pytest.approx((-150, 0), abs=2)
    drag(qtbot, page, node_pixel(page, "x1"), node_pixel(page, "x2"), Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: page.doc.dag.edges == {("x1", "x2")})
    assert "P(<i>x₂</i> | <i>x₁</i>)" in page.formula.text()
    assert set(page.scene.edges) == {("x1", "x2")}
    # a plain drag moves the node: one undo step
    before = page.doc.position("x2")
    count = page.store.undo_stack.count()
    drag(qtbot, page, node_pixel(page, "x2"), node_pixel(page, "x2") + QPoint(60, 30))
    qtbot.waitUntil(lambda: page.doc.position("x2") != before)
    assert page.store.undo_stack.count() == count + 1 and page.doc.dag.edges == {("x1", "x2")}
    # an edge that would close a cycle is refused, named on the banner
    drag(qtbot, page, node_pixel(page, "x2"), node_pixel(page, "x1"), Qt.KeyboardModifier.ShiftModifier)
    page.add_edge("x2", "x1")
    assert "cycle" in page.banner.text() and page.doc.dag.edges == {("x1", "x2")}


def test_undo_and_redo_follow_the_current_lab(qtbot, page_of):
    w, _lab, page = page_of()
    page.draw_text("P(a)P(b|a)")
    double_click(qtbot, page, (0, 300))
    qtbot.waitUntil(lambda: "x1" in page.doc.dag)
    page.rename_node("x1", "c")
    undo, redo = w.actions_by_name["undo"], w.actions_by_name["redo"]
    assert w.undo_stack() is page.store.undo_stack
    assert undo.isEnabled() and "Rename x1 to c" in undo.text()
    undo.trigger()
    assert page.doc.dag.names == ("a", "b", "x1")
    undo.trigger()
    assert page.doc.dag.names == ("a", "b")
    undo.trigger()
    assert page.doc.dag.names == ()
    for _ in range(3):
        redo.trigger()
    assert page.doc.dag.names == ("a", "b", "c")
    # Ctrl+Z in the window undoes the graph too
    from qt.conftest import activate

    activate(qtbot, w)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.doc.dag.names == ("a", "b", "x1"))  # the rename undone
    # in the EM studio Undo is the points' again (nothing to undo there)
    w.show_lab("em")
    assert w.undo_stack() is w.points.undo_stack and not undo.isEnabled()
    w.show_lab("graphs")
    assert undo.isEnabled()


def test_type_a_factorisation_and_a_malformed_one(qtbot, page_of):
    _w, _lab, page = page_of()
    page.typed.setFocus()
    page.typed.insert("ℙ(a, b, c) = ℙ(a) ℙ(b | a) ")  # QTest types ASCII only
    qtbot.keyClicks(page.typed, "p(c | a, b)")
    qtbot.keyClick(page.typed, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.doc.dag.edges == {("a", "b"), ("a", "c"), ("b", "c")})
    ys = {n: page.doc.position(n)[1] for n in "abc"}
    assert ys["a"] < ys["b"] < ys["c"]  # laid out, parents above children
    page.typed.clear()
    qtbot.keyClicks(page.typed, "P(a)P(b|c)")
    qtbot.keyClick(page.typed, Qt.Key.Key_Return)
    assert "c appears (column 9)" in page.banner.text() and page.banner.kind == "error"
    assert page.typed.cursorPosition() == 8
    assert page.doc.dag.edges == {("a", "b"), ("a", "c"), ("b", "c")}  # unchanged


def test_a_factorisation_whose_tables_cannot_be_held_is_refused_on_the_banner(qtbot, page_of):
    _w, _lab, page = page_of()
    before, steps = page.doc, page.store.undo_stack.count()
    dense = "".join(f"P(x{i}|{','.join(f'x{j}' for j in range(i))})" if i else "P(x0)" for i in range(40))
    page.typed.setText(dense)
    qtbot.keyClick(page.typed, Qt.Key.Key_Return)  # 2^40 uniform table entries were allocated here
    from gmmviz.labs.graphs.core.discrete import MAX_TABLE_CELLS

    first = MAX_TABLE_CELLS.bit_length() - 1
    assert f"x{first} has {first} parents" in page.banner.text()
    assert page.doc is before and page.store.undo_stack.count() == steps


def test_ask_a_query_by_clicking_and_read_the_paths(qtbot, make_window):
    w = make_window()
    lab, page = open_graphs(w)
    lab.open_entry("explaining-away")
    page.tabs.setCurrentIndex(0)
    page.clear_ask()
    ask = page.ask_panel
    ask.pick_buttons["X"].click()
    click_node(qtbot, page, "S")
    ask.pick_buttons["Y"].click()
    click_node(qtbot, page, "A")
    qtbot.waitUntil(lambda: page.explanation is not None)
    assert page.explanation.independent and "⊥" in ask.answer.text() and "⊥̸" not in ask.answer.text()
    assert ask.paths.item(1).text().startswith("blocked: S → C ← A")
    assert page.scene.edges[("S", "C")].colour == page.palette_.blocked_path
    assert page.scene.nodes["C"].blocked.startswith("collider")
    ask.pick_buttons["Z"].click()
    click_node(qtbot, page, "C")
    qtbot.waitUntil(lambda: not page.explanation.independent)
    assert "⊥̸" in ask.answer.text() and ask.paths.item(1).text().startswith("open: S → C ← A")
    assert "explaining away" in ask.paths.item(1).text()
    assert page.scene.edges[("A", "C")].colour == page.palette_.open_path
    assert page.scene.nodes["C"].given and page.scene.nodes["C"].blocked == ""
    assert page.scene.nodes["S"].mark == "X" and page.scene.nodes["A"].mark == "Y"
    # every pick is an undo step: Ctrl+Z takes C out of Z again, Ctrl+Shift+Z puts it back
    from qt.conftest import activate

    activate(qtbot, w)
    page.view.setFocus()
    assert page.store.undo_stack.undoText() == "Pick C as Z"
    qtbot.keyClick(page.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.ask.sets() == (("S",), ("A",), ()))
    assert page.explanation.independent and page.scene.nodes["C"].mark == ""
    qtbot.keyClick(page.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: page.ask.sets() == (("S",), ("A",), ("C",)))
    # a path picked in the list is drawn alone
    page.draw_text("P(S)P(A)P(C|A,S)P(D|S)P(E|A,D)")
    page.ask.set(["S"], ["A"], ["C"])
    page.refresh()
    assert len(page.explanation.paths) == 2
    def coloured():
        return {e for e, item in page.scene.edges.items() if item.colour}

    ask.paths.setCurrentRow(2)  # S → D → E ← A, blocked at the collider E
    assert coloured() == {("S", "D"), ("D", "E"), ("A", "E")} and page.scene.nodes["E"].blocked
    assert not page.scene.nodes["C"].blocked
    ask.paths.setCurrentRow(1)  # S → C ← A, open
    assert coloured() == {("S", "C"), ("A", "C")} and not page.scene.nodes["E"].blocked
    ask.paths.setCurrentRow(0)
    assert {e for e, item in page.scene.edges.items() if item.colour} == set(page.doc.dag.edges)
    assert "From the tables: max |" in ask.numeric.text() and "20,000 ancestral samples" in ask.numeric.text()


def test_edit_a_table_rows_stay_distributions(qtbot, make_window):
    w = make_window()
    lab, page = open_graphs(w)
    lab.open_entry("chain")
    page.tabs.setCurrentIndex(1)
    click_node(qtbot, page, "x2")
    table = page.table_panel.table
    qtbot.waitUntil(lambda: table.rowCount() == 2 and table.columnCount() == 2)
    assert table.item(0, 0).text() == "0.9"
    table.item(0, 0).setText("0.25")
    qtbot.waitUntil(lambda: page.doc.model.tables["x2"][0, 0] == 0.25)
    np.testing.assert_allclose(page.doc.model.tables["x2"].sum(axis=-1), 1.0)
    assert table.item(0, 1).text() == "0.75"
    table.item(1, 1).setText("7")  # clipped to 1, the row still sums to 1
    qtbot.waitUntil(lambda: page.doc.model.tables["x2"][1, 1] == 1.0)
    np.testing.assert_allclose(page.doc.model.tables["x2"][1], [0.0, 1.0])
    page.store.undo_stack.undo()
    page.store.undo_stack.undo()
    np.testing.assert_allclose(page.doc.model.tables["x2"], [[0.9, 0.1], [0.2, 0.8]])


def test_set_evidence_by_clicking_a_bar_and_sample(qtbot, make_window):
    w = make_window()
    lab, page = open_graphs(w)
    lab.open_entry("traffic")
    page.tabs.setCurrentIndex(1)
    page.refresh()
    john = page.scene.nodes["John"]
    qtbot.waitUntil(lambda: len(john.bars) == 2)
    before = page.scene.nodes["T"].bars
    bar = john._bars_rect()
    late = page.view.mapFromScene(john.mapToScene(bar.left() + 1.5 * 12 + 3, bar.bottom() - 14))
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, late)
    qtbot.waitUntil(lambda: dict(page.doc.evidence) == {"John": 1})
    assert john.given and john.given_state == 1
    after = page.scene.nodes["T"].bars
    assert after[1] > before[1] + 0.3  # John late: a jam is far more likely
    assert after[1] == pytest.approx(0.2 * 0.7 / (0.2 * 0.7 + 0.8 * 0.1))
    page.table_panel.n_samples.setValue(50_000)
    qtbot.mouseClick(page.table_panel.sample_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(page.empirical))
    assert page.scene.nodes["T"].empirical[1] == pytest.approx(after[1], abs=0.02)
    assert "ancestral samples" in page.table_panel.samples.text()
    assert "John = draw P(John | T)" in page.table_panel.samples.text()
    qtbot.waitUntil(lambda: "50,000 ancestral samples" in page.table_panel.samples.text())  # all chunks in
    late = page.view.mapFromScene(john.mapToScene(bar.left() + 1.5 * 12 + 3, bar.bottom() - 14))  # the text moved it
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, late)
    qtbot.waitUntil(lambda: page.doc.evidence == ())


def test_context_menu_actions_and_rename_and_delete(qtbot, page_of):
    w, _lab, page = page_of()
    page.draw_text("P(a)P(b|a)P(c|b)")
    page.ask.set(["a"], ["c"], ["b"])
    assert page.rename_node("b", "m")
    assert page.doc.dag.parents("c") == ("m",) and page.ask.sets() == (("a",), ("c",), ("m",))
    assert page.explanation.independent and page.explanation.z == ("m",)
    assert page.set_kind("m", "latent") and page.scene.nodes["m"].kind == "latent"
    page.selected_node = "a"
    w.actions_by_name["delete_selection"].setEnabled(True)  # the window's Del shortcut, armed
    from qt.conftest import activate

    activate(qtbot, w)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: "a" not in page.doc.dag)
    assert not page.rename_node("m", "c") and "already" in page.banner.text()


def test_exercises_check_and_score(qtbot, page_of):
    _w, _lab, page = page_of()
    page.tabs.setCurrentIndex(3)
    panel = page.exercise_panel
    panel.number.setValue(1)
    qtbot.mouseClick(panel.start, Qt.MouseButton.LeftButton)
    assert page.doc.dag.edges == {("x1", "x2"), ("x2", "x3")} and not page.formula.isVisible()
    assert not page.typed.isVisible()  # it would redraw the exercise's graph
    panel.answer.setText("P(x1)P(x2|x1)P(x3|x1)")
    qtbot.mouseClick(panel.check, Qt.MouseButton.LeftButton)
    assert "missing parent" in panel.feedback.text() and "extra edge x1 → x3" in panel.feedback.text()
    panel.answer.setText("P(x1) P(x2|x1) P(x3|x2)")
    qtbot.mouseClick(panel.check, Qt.MouseButton.LeftButton)
    assert "Right" in panel.feedback.text() and panel.score.text() == "Score: 1 / 2"
    panel.mode.setCurrentIndex(1)
    qtbot.mouseClick(panel.next, Qt.MouseButton.LeftButton)  # exercise 2: draw S → C ← A
    assert set(page.doc.dag.names) == {"A", "S", "C"} and not page.doc.dag.edges
    assert "P(A,S,C)" in panel.prompt.text()
    drag(qtbot, page, node_pixel(page, "S"), node_pixel(page, "C"), Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: page.doc.dag.edges == {("S", "C")})
    qtbot.mouseClick(panel.check, Qt.MouseButton.LeftButton)
    assert "missing parent: C depends on A" in panel.feedback.text()
    page.add_edge("A", "C")
    qtbot.mouseClick(panel.check, Qt.MouseButton.LeftButton)
    assert "Right" in panel.feedback.text() and panel.score.text() == "Score: 2 / 4"


def test_export_png_and_svg(qtbot, make_window, tmp_path):
    w = make_window()
    lab, page = open_graphs(w)
    lab.open_entry("gmm")
    png, svg = tmp_path / "g.png", tmp_path / "g.svg"
    assert lab.export_image(str(png)) and lab.export_image(str(svg))
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert image.width() > 200 and image.height() > 200
    text = svg.read_text()
    assert "<svg" in text and len(text) > 1000
    assert not lab.export_image(str(tmp_path / "g.gif")) and "png" in page.banner.text()
    # the shell's File ▸ Export Image (Ctrl+E) draws the graph and its factorisation too
    shared = tmp_path / "shared.png"
    size = w.exporting.export_image(str(shared), target="both", scale=1.0)
    assert size is not None and size.width() > page.figure.width() and QImage(str(shared)).width() == size.width()
    assert w.exporting.export_image(str(tmp_path / "shared.svg")) is not None
    assert "<svg" in (tmp_path / "shared.svg").read_text()


def test_every_outline_entry_opens(qtbot, make_window):
    from gmmviz.labs import OUTLINE

    w = make_window()
    lab, page = open_graphs(w)
    for entry in OUTLINE:
        if entry.lab == "graphs":
            lab.open_entry(entry.key)
            assert page.banner.note_title or entry.key == "exercises"
    lab.open_entry("simpson")
    assert "44.5 %" in page.details.text() and "82 %" in page.details.text()
    lab.open_entry("gmm")  # plate nodes indexed and gathered under one product
    assert "P(<i>π</i>) Π<sub><i>t</i>=1</sub><sup><i>T</i></sup> P(<i>z</i><sub><i>t</i></sub> | <i>π</i>)" \
        in page.formula.text()
    with pytest.raises(KeyError):
        lab.open_entry("nope")


def test_the_joint_table_tab_edits_counts_and_shows_both_notations(qtbot, make_window):
    w = make_window()
    lab, page = open_graphs(w)
    lab.open_entry("variables")
    assert page.current_tab == "joint"
    panel = page.joint_panel
    assert panel.table.item(1, 0).text() == "557"  # women admitted, Berkeley 1973 pooled
    assert panel.table.item(2, 2).text() == "1.0000"
    assert "P({g=male} ∩ {a=admitted})" in panel.numbers.text() and "ℙ(g=male, a=admitted)" in panel.numbers.text()
    panel.table.setCurrentCell(1, 0)
    assert "{g=female}" in panel.numbers.text()
    panel.table.item(1, 0).setText("1278")  # as many women admitted as rejected
    qtbot.waitUntil(lambda: page.doc.joint.total == 4526 - 557 + 1278)
    assert float(panel.table.item(1, 2).text()) == pytest.approx((1278 + 1278) / page.doc.joint.total, abs=1e-4)
    assert f"{1278 / (1198 + 1278):.4f}" in panel.numbers.text()  # P(g=female | a=admitted)
    assert "holds in every cell: yes" in panel.numbers.text()
    panel.table.item(0, 0).setText("-3")
    qtbot.waitUntil(lambda: "finite number >= 0" in page.banner.text())
    page.store.undo_stack.undo()
    assert page.doc.joint.total == 4526


def test_opening_an_example_leaves_unsaved_points_unsaved(qtbot, make_window):
    from qt.conftest import three_clusters

    w = make_window(three_clusters())
    from gmmviz.core.commands import clear_all

    w.points.push(clear_all(w.points.document), "Clear all points")
    assert not w.points.undo_stack.isClean()
    lab, _page = open_graphs(w)
    lab.open_entry("chain")
    assert not w.points.undo_stack.isClean() and w.files.is_modified()


def test_the_context_menus_edit_the_graph(qtbot, page_of):
    from gmmviz.labs.graphs.qt.context_menu import context_menu

    _w, _lab, page = page_of()
    page.draw_text("P(a)P(b|a)")
    menu = context_menu(page, "b", None)
    texts = [a.text() for a in menu.actions()]
    assert texts[:4] == ["Rename b…", "Mark observed", "Mark latent", "Mark parameter"]
    menu.actions()[2].trigger()
    assert page.doc.dag.node("b").kind == "latent" and page.scene.nodes["b"].kind == "latent"
    observe = next(a for a in menu.actions() if a.menu() is not None).menu()
    observe.actions()[1].trigger()
    assert dict(page.doc.evidence) == {"b": 1}
    next(a for a in menu.actions() if a.text() == "Delete b").trigger()
    assert page.doc.dag.names == ("a",)
    page.store.undo_stack.undo()
    edge_menu = context_menu(page, None, ("a", "b"))
    edge_menu.actions()[0].trigger()
    assert page.doc.dag.edges == frozenset()
    assert context_menu(page, None, None) is None


def test_plates_are_made_ranged_and_left_from_the_node_menu(qtbot, page_of, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from gmmviz.labs.graphs.qt.context_menu import context_menu

    _w, _lab, page = page_of()
    page.draw_text("P(pi)P(z|pi)P(x|z,mu)P(mu)")
    answers = iter([("t = 1…T", True), ("n = 1..N", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))

    def plate_menu(node):
        menu = context_menu(page, node, None)
        return next(a.menu() for a in menu.actions() if a.text().startswith("Plate"))

    def choose(node, starts):
        next(a for a in plate_menu(node).actions() if a.text().startswith(starts)).trigger()

    choose("z", "Put z on a new plate")
    choose("x", "Put x on the plate t = 1…T")
    assert [(n.name, n.plate) for n in page.doc.dag.nodes if n.plate] == [("z", "t"), ("x", "t")]
    assert len(page.scene.plates) == 1 and "t = 1…T" in page.scene.plates[0].label
    assert "Π<sub><i>t</i>=1</sub><sup><i>T</i></sup> P(<i>z</i><sub><i>t</i></sub> | <i>pi</i>)" in page.formula.text()
    choose("x", "Change the plate's range")
    assert page.doc.dag.plates[0].index == "n" and page.doc.dag.plates[0].size == "N"
    choose("x", "Take x off its plate")
    choose("z", "Take z off its plate")
    assert page.doc.dag.plates == () and page.scene.plates == []  # a plate without nodes goes
    for _ in range(5):
        page.store.undo_stack.undo()
    assert page.doc.dag.plates == () and all(n.plate is None for n in page.doc.dag.nodes)
    page.store.undo_stack.redo()
    assert page.doc.dag.node("z").plate == "t"


def test_edge_mode_and_marginals_are_remembered(qtbot, make_window):
    from gmmviz.qt.settings import open_settings

    w = make_window()
    lab, page = open_graphs(w)
    a = w.actions_by_name
    a["graph_edge_mode"].setChecked(True)
    a["graph_marginals"].setChecked(False)
    assert page.scene.edge_mode and not page.show_marginals
    settings = open_settings()
    lab.save_settings(settings)
    a["graph_edge_mode"].setChecked(False)
    a["graph_marginals"].setChecked(True)
    lab.restore_settings(settings)
    assert page.scene.edge_mode and not page.show_marginals


def test_sampling_runs_off_the_gui_thread_and_stops_when_the_graph_changes(qtbot, make_window):
    w = make_window()
    lab, page = open_graphs(w)
    lab.open_entry("seven-node")
    page.tabs.setCurrentIndex(1)
    page.table_panel.n_samples.setValue(1_000_000)
    with qtbot.waitSignal(page.sampler.yielded, timeout=10_000):
        qtbot.mouseClick(page.table_panel.sample_button, Qt.MouseButton.LeftButton)
    assert "so far" in page.table_panel.samples.text()  # the first chunk is shown while the rest is drawn
    assert page.sampler.busy
    with qtbot.waitSignal(page.sampler.cancelled, timeout=10_000):
        page.toggle_evidence("x1", 1)  # an edit: the draws of the old model are dropped
    assert page.empirical == {}


def test_a_joint_table_of_three_variables_is_shown_and_edited_a_slice_at_a_time(qtbot, make_window):
    from gmmviz.labs.graphs.core.examples import berkeley

    w = make_window()
    lab, page = open_graphs(w)
    lab.open_entry("simpson")
    page.tabs.setCurrentIndex(2)
    panel = page.joint_panel
    panel.presets.setCurrentIndex(panel.presets.findData("berkeley3"))
    qtbot.mouseClick(panel.use_preset, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.doc.joint is not None and len(page.doc.joint.names) == 3)
    assert panel.slice.isVisible() and panel.slice.currentText() == "s = A"
    counts = berkeley().counts  # [gender, school, admission]
    assert panel.table.item(0, 0).text() == f"{counts[0, 0, 0]:.6g}"  # men admitted to school A: 512
    assert panel.table.item(1, 0).text() == f"{counts[1, 0, 0]:.6g}"
    assert "In the slice" in panel.numbers.text()
    panel.slice.setCurrentIndex(panel.slice.count() - 1)  # summed over the schools: the pooled table
    assert panel.table.item(1, 0).text() == f"{counts[1, :, 0].sum():.6g}"
    assert not panel.table.item(1, 0).flags() & Qt.ItemFlag.ItemIsEditable
    panel.slice.setCurrentIndex(2)  # school C
    panel.table.item(1, 1).setText("0")  # no woman rejected by C
    qtbot.waitUntil(lambda: page.doc.joint.total == counts.sum() - counts[1, 2, 1])
    assert panel.slice.currentText() == "s = C" and panel.table.item(1, 1).text() == "0"
    page.store.undo_stack.undo()
    assert page.doc.joint.total == counts.sum()
    # the joint of three of the graph's nodes, by variable elimination: its pooled margin is the counts'
    for combo, name in zip(panel.variables, ("z", "a", "s")):
        combo.setCurrentText(name)
    qtbot.mouseClick(panel.take, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.doc.joint.names == ("z", "a", "s"))
    pooled = counts.sum(axis=1) / counts.sum()
    np.testing.assert_allclose(page.doc.joint.marginal("z", "a"), pooled, atol=1e-12)
    assert page.store.undo_stack.undoText() == "Use the joint of z, a, s from the graph"
