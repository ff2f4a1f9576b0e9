"""The graphical-model view made live: z_t / x_t on its canvas, ancestral sampling animated, kept by one edit."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from gmmviz.core import palette
from gmmviz.core.gaussian import predict_proba
from gmmviz.labs.theory.core.ancestral import ancestral_sample

from .conftest import three_clusters, wait_for_run


def graph_tab(qtbot, make_window):
    w = make_window(three_clusters())
    wait_for_run(qtbot, w)
    lab = w.show_lab("theory")
    lab.tabs.setCurrentIndex(5)
    graph = lab.graph
    qtbot.waitUntil(lambda: graph.state is not None, timeout=10000)
    return w, lab, graph


def click_node(qtbot, graph, key):
    centre = graph.nodes[key].scenePos()  # the graphs lab's node item, drawn here
    with qtbot.waitSignal(graph.node_clicked, timeout=3000):
        qtbot.mouseClick(graph.view.viewport(), Qt.MouseButton.LeftButton, pos=graph.view.mapFromScene(centre))


def fills(graph):
    return np.asarray(graph.canvas.points.fill)


def test_clicking_z_shows_the_responsibilities_and_x_the_data(qtbot, make_window):
    w, lab, graph = graph_tab(qtbot, make_window)
    state = graph.state
    assert state.source == "studio"  # the EM studio's mixture on screen, of the same points
    assert graph.theta_label.text().startswith("θ: the EM studio's mixture on screen")
    studio_params = w.lab("em").studio.frame.snapshot.params
    np.testing.assert_allclose(state.params.means, studio_params.means)
    r = predict_proba(w.points.document.X, studio_params)
    np.testing.assert_allclose(state.resp_u8 / 255.0, r, atol=0.5 / 255 + 1e-12)
    neutral = graph.canvas.neutral(w.points.document.n_points)
    click_node(qtbot, graph, "z")
    assert graph.shown == "z" and "responsibility" in graph.readout.text()
    table = palette.rgb_table([palette.component_color(i) for i in range(r.shape[1])])
    np.testing.assert_array_equal(fills(graph), palette.blend(state.resp_u8, table))
    click_node(qtbot, graph, "x")
    assert graph.shown == "x" and "observed" in graph.readout.text()
    np.testing.assert_array_equal(fills(graph), neutral)


@pytest.mark.slow
def test_sample_animates_ancestral_sampling_and_keeping_is_one_undo_step(qtbot, make_window):
    w, lab, graph = graph_tab(qtbot, make_window)
    graph.samples.setValue(40)
    graph.seed.setValue(11)
    before = w.points.document
    steps = w.points.undo_stack.count()
    seen = []
    graph.samples_shown.connect(seen.append)
    qtbot.mouseClick(graph.sample_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: 0 < len(seen) < 40, timeout=5000)
    assert graph.timer.isActive() and graph.stop_button.isEnabled()  # animating, the event loop free
    assert "z_t" in graph.readout.text() or "x_t" in graph.readout.text()
    with qtbot.waitSignal(graph.sampling_finished, timeout=15000):
        pass
    assert seen == list(range(1, 41))  # the points appear one by one
    expected = ancestral_sample(graph.state.params, 40, 11)
    np.testing.assert_array_equal(graph.sample.X, expected.X)
    pos = graph.samples_layer.scatter.getData()
    np.testing.assert_allclose(np.column_stack(pos), expected.X)
    brushes = [b.color().name() for b in graph.samples_layer.scatter.data["brush"]]
    assert brushes == [palette.component_color(int(z)).lower() for z in expected.z]
    assert graph.seed.value() == 12  # the next Sample draws anew
    assert w.points.document is before and w.points.undo_stack.count() == steps  # sampling edits nothing
    qtbot.mouseClick(graph.keep_button, Qt.MouseButton.LeftButton)
    doc = w.points.document
    assert doc.n_points == before.n_points + 40 and w.points.undo_stack.count() == steps + 1
    np.testing.assert_array_equal(doc.X[before.n_points:], expected.X)
    assert w.points.undo_stack.undoText() == "Keep samples as points"
    w.points.undo_stack.undo()
    assert w.points.document.n_points == before.n_points
    assert not graph.keep_button.isEnabled()


def test_stopping_mid_sample_keeps_only_what_is_shown(qtbot, make_window):
    w, lab, graph = graph_tab(qtbot, make_window)
    graph.samples.setValue(400)
    n0 = w.points.document.n_points
    qtbot.mouseClick(graph.sample_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: graph.shown_samples() >= 3, timeout=5000)
    qtbot.mouseClick(graph.stop_button, Qt.MouseButton.LeftButton)
    shown = graph.shown_samples()
    assert not graph.timer.isActive() and 3 <= shown < 400 and f"{shown} of 400" in graph.readout.text()
    graph.keep()
    assert w.points.document.n_points == n0 + shown


def test_the_samplers_settings_are_session_fields(qtbot, make_window):
    w, lab, graph = graph_tab(qtbot, make_window)
    graph.k.setValue(5)
    graph.samples.setValue(77)
    graph.seed.setValue(9)
    part = lab.session_part()
    assert (part["graph_k"], part["graph_samples"], part["graph_seed"]) == (5, 77, 9)
    lab.apply_session_part({})
    assert (graph.k.value(), graph.samples.value(), graph.seed.value()) == (3, 200, 0)
    lab.apply_session_part(part)
    assert (graph.k.value(), graph.samples.value(), graph.seed.value()) == (5, 77, 9)
