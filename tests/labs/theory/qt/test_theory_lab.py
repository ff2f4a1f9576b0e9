"""The theory lab driven through the real window (pytest-qt, offscreen)."""

from __future__ import annotations

import numpy as np
from scipy.stats import entropy as scipy_entropy

from gmmviz.labs import OUTLINE

from .conftest import three_clusters


def theory(w, tab: int):
    lab = w.show_lab("theory")
    lab.tabs.setCurrentIndex(tab)
    return lab


def test_kl_readout_follows_the_sliders_and_is_zero_exactly_at_p_equals_q(qtbot, make_window):
    w = make_window(three_clusters())
    info = theory(w, 2).info
    rng = np.random.default_rng(0)
    for _ in range(20):
        for s in info.p_sliders + info.q_sliders:
            s.setValue(int(rng.integers(1, 100)))
        P, Q = info.distributions()
        q = info.quantities()
        assert q["KL(P||Q)"] >= 0 and q["KL(Q||P)"] >= 0
        assert abs(q["KL(P||Q)"] - scipy_entropy(P, Q)) < 1e-12
        assert f"{q['KL(P||Q)']:.4f}" in info.readout.text()
    for sp, sq in zip(info.p_sliders, info.q_sliders):
        sq.setValue(sp.value())
    assert info.quantities()["KL(P||Q)"] == 0.0 and "P = Q" in info.readout.text()
    info.q_sliders[0].setValue(0)
    if info.p_sliders[0].value() > 0:
        assert "∞" in info.readout.text()
    assert "minus sign" in info.note.text()


def assert_mm_picture(result, iteration):
    s = result.slice
    assert result.iteration == iteration
    assert np.all(s.bound <= s.f + 1e-9 * np.abs(s.f))
    i0 = int(np.argmin(np.abs(s.alphas)))
    assert abs(s.bound[i0] - s.f[i0]) <= 1e-9 * abs(s.f[i0])
    assert abs(s.argmax_bound - 1.0) <= s.alphas[1] - s.alphas[0]


def test_the_slice_touches_at_zero_lies_below_and_peaks_at_one_and_follows_the_step(qtbot, make_window):
    w = make_window(three_clusters())
    view = theory(w, 1).slice
    view.follow.setChecked(False)  # EM's own run on the shared points
    qtbot.waitUntil(lambda: view.result is not None and view.result.source == "own", timeout=10000)
    assert_mm_picture(view.result, 1)
    with qtbot.waitSignal(view.slice_shown, timeout=10000):
        view.iteration.setValue(4)
    assert_mm_picture(view.result, 4)
    _, y = view.bound_curve.getData()
    np.testing.assert_array_equal(y, view.result.slice.bound)
    assert "α = 1" in view.readout.text()


def test_race_started_cancelled_restarted_by_the_step_slider_and_finished(qtbot, make_window):
    w = make_window(three_clusters(n_per=200))
    race = theory(w, 0).race
    race.max_iter.setValue(5000)  # long enough to be running when the first point is drawn
    with qtbot.waitSignal(race.point_added, timeout=10000):
        race.start_button.click()
    assert race.running
    with qtbot.waitSignal(race.runner.cancelled, timeout=10000):
        race.cancel_button.click()
    assert not race.running and "cancelled" in race.readout.text()
    race.max_iter.setValue(60)  # cancelled: a changed setting does not start a race
    assert not race._debounce.isActive() and not race.running
    race.max_iter.setValue(3000)
    with qtbot.waitSignal(race.point_added, timeout=10000):
        race.start_button.click()
    first_run = race.runner.run_id
    race.step.setValue(race.step.value() + 5)  # mid-race (3000 iterations each): it races again, new step
    qtbot.waitUntil(lambda: race.runner.run_id > first_run, timeout=5000)
    assert race.configs()[1][1].step_size == race.step_size()
    second_run = race.runner.run_id
    race.max_iter.setValue(60)
    qtbot.waitUntil(lambda: race.runner.run_id > second_run, timeout=5000)
    with qtbot.waitSignal(race.race_finished, timeout=30000):
        pass
    finished_run = race.runner.run_id
    race.line_search.setChecked(True)  # after the race: the settings are still live
    qtbot.waitUntil(lambda: race.runner.run_id > finished_run, timeout=5000)
    with qtbot.waitSignal(race.race_finished, timeout=30000):
        pass
    em, ga = race.points["em"], race.points["ga"]
    assert abs(em[0].log_likelihood - ga[0].log_likelihood) <= 1e-12 * abs(em[0].log_likelihood)  # the same start
    assert len(em) > 1 and len(ga) > 1
    assert np.all(np.diff([p.seconds for p in em]) >= 0)
    x, y = race.curves[("iteration", "ga")].getData()
    assert y.size == len([p for p in ga if np.isfinite(p.log_likelihood)])


def test_outline_entries_open_their_tabs(qtbot, make_window):
    w = make_window(three_clusters())
    for key, tab in (("mm-slice", 1), ("info", 2), ("score", 3), ("mm-surface", 4), ("gradient", 0)):
        w.outline.open(next(e for e in OUTLINE if e.key == key))
        lab = w.lab("theory")
        assert w.tabs.currentIndex() == w._tab_index("theory") and lab.tabs.currentIndex() == tab


def test_the_score_function_view_shows_the_prior_samplers_uselessness_beyond_a_few_points(qtbot, make_window):
    w = make_window(three_clusters())
    view = theory(w, 3).score
    qtbot.waitUntil(lambda: view.result is not None, timeout=20000)
    few = view.result.estimate
    assert view.result.n_points == 5 and few.sampler == "prior"
    assert "3^5 = 243 assignment vectors" in view.readout.text()
    with qtbot.waitSignal(view.estimate_shown, timeout=20000):
        view.T.setValue(90)
    many = view.result.estimate
    assert many.negligible > 0.95 and many.negligible >= few.negligible and "negligible" in view.readout.text()
    assert "3^90" in view.readout.text()
    with qtbot.waitSignal(view.estimate_shown, timeout=20000):
        view.sampler.setCurrentIndex(view.sampler.findData("posterior"))
    post = view.result.estimate
    assert np.all(post.ess == view.samples.value())
    assert np.linalg.norm(post.mean - post.exact) < np.linalg.norm(many.mean - many.exact)


def test_the_slice_the_surface_and_the_kl_gap_follow_the_em_studios_cursor(qtbot, make_window):
    w = make_window(three_clusters())
    lab = theory(w, 1)
    view, info = lab.slice, lab.info
    pb = w.lab("em").export_source().playback
    studio_frame = lambda: w.lab("em").export_source().frame  # noqa: E731
    qtbot.waitUntil(lambda: studio_frame() is not None, timeout=10000)
    qtbot.waitUntil(lambda: view.result is not None and view.result.source == "studio", timeout=10000)
    for phase, at in (("E", 0.0), ("M", 1.0), ("E", 0.0), ("M", 1.0)):
        with qtbot.waitSignal(view.slice_shown, timeout=10000):
            pb.step_to_phase(phase)
        snap = studio_frame().snapshot
        assert snap.phase == phase
        r = view.result
        assert r.at == at and r.iteration == snap.iteration and r.source == "studio"
        s = r.slice
        assert np.all(s.bound <= s.f + 1e-9 * np.abs(s.f))
        i0 = int(np.argmin(np.abs(s.alphas)))
        assert abs(s.bound[i0] - s.f[i0]) <= 1e-9 * abs(s.f[i0])
        assert abs(s.argmax_bound - 1.0) <= 2 * (s.alphas[1] - s.alphas[0])  # the studio's reg_covar is 1e-6
        ia = int(np.argmin(np.abs(s.alphas - at)))
        assert abs(s.f[ia] - snap.log_likelihood) <= 1e-6 * abs(snap.log_likelihood)  # the dot is the studio's ln p
        assert np.allclose(view.cursor_dot.getData()[0], [s.alphas[ia]])
        qtbot.waitUntil(lambda snap=snap: info.gap is not None and info.gap[0] is snap, timeout=10000)
        dec = info.gap[1]
        assert abs(dec.kl - snap.gap) <= 1e-6 * max(1.0, abs(snap.gap))
        assert (dec.kl > 1e-9) == (phase == "M")
        assert f"{snap.gap:.6g}" in info.identity.text()
    surface = lab.surface
    lab.tabs.setCurrentWidget(surface)
    qtbot.waitUntil(lambda: surface.result is not None and surface.result.iteration == snap.iteration, timeout=20000)
    res = surface.result
    assert np.all(res.bound <= res.f + 1e-9 * np.abs(res.f))
    assert res.path.shape[0] == snap.iteration + 1  # the init, M1 .. (the M on screen is the path's end)
    assert res.f_lines[0].size > 0 and res.bound_lines[0].size > 0


def test_race_stops_with_escape_and_draws_each_contestants_ellipses(qtbot, make_window):
    w = make_window(three_clusters(n_per=200))
    race = theory(w, 0).race
    race.max_iter.setValue(5000)
    race.score.setChecked(True)
    with qtbot.waitSignal(race.point_added, timeout=10000):
        race.start_button.click()
    qtbot.waitUntil(lambda: race.ellipses.curves["em"].getData()[0] is not None
                    and race.ellipses.curves["em"].getData()[0].size > 0, timeout=10000)
    race.setFocus()
    with qtbot.waitSignal(race.runner.cancelled, timeout=10000):
        race._esc.activated.emit()  # the Esc shortcut's signal (offscreen windows get no real key focus)
    assert not race.running and "cancelled" in race.readout.text()
    race.samples.setValue(30)  # stopped: no restart
    assert not race._debounce.isActive()


def test_a_race_on_an_empty_canvas_loads_the_gradient_scene_with_its_note(qtbot, make_window):
    from gmmviz.core.commands import empty_dataset

    w = make_window(empty_dataset())
    lab = theory(w, 0)
    with qtbot.waitSignal(lab.race.point_added, timeout=10000):
        lab.race.start_button.click()
    assert w.points.document.n_points == 300 and lab.banner.note_title == "Gradient ascent on ln p"
    lab.race.cancel()
    w.points.undo_stack.undo()
    assert w.points.document.n_points == 0


def test_the_models_graph_answers_clicks_on_z_and_x(qtbot, make_window):
    from PySide6.QtCore import Qt

    from gmmviz.labs.graphs.qt.items import NodeItem

    w = make_window(three_clusters())
    lab = w.show_lab("theory")
    lab.open_entry("graph")
    graph = lab.graph
    assert lab.tabs.currentWidget() is graph and lab.banner.note_title == "The mixture as a graphical model"
    assert all(isinstance(n, NodeItem) for n in graph.nodes.values())  # the graphs lab's drawing
    assert graph.nodes["z"].kind == "latent" and not graph.nodes["z"].given  # hidden: dashed
    assert graph.nodes["x"].kind == "observed" and graph.nodes["x"].given  # observed: shaded
    assert graph.nodes["theta"].kind == "parameter" and graph.dag.scene.plates[0].label == "t = 1…T"
    rect = graph.view.mapFromScene(graph.dag.scene.itemsBoundingRect()).boundingRect()
    assert graph.view.viewport().rect().contains(rect)  # the whole drawing in view, nothing cut off
    for key in ("z", "x"):
        pos = graph.view.mapFromScene(graph.nodes[key].scenePos())
        with qtbot.waitSignal(graph.node_clicked, timeout=3000) as blocker:
            qtbot.mouseClick(graph.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        assert blocker.args == [key] and graph.shown == key
    assert "observed" in graph.readout.text()


def test_dragging_a_bar_sets_its_probability(qtbot, make_window):
    from PySide6.QtCore import QPointF, Qt

    w = make_window(three_clusters())
    info = theory(w, 2).info
    vb = info.plot.getPlotItem().getViewBox()
    qtbot.waitUntil(lambda: info.plot.isVisible(), timeout=3000)

    def at(x, y):
        return info.plot.mapFromScene(vb.mapViewToScene(QPointF(x, y)))

    qtbot.mouseClick(info.plot.viewport(), Qt.MouseButton.LeftButton, pos=at(2.8, 0.6))  # P's bar of outcome 3
    P, Q = info.distributions()
    assert abs(P[2] - 0.6) < 0.02 and abs(Q[2] - 0.2) < 1e-12  # Q untouched
    qtbot.mouseClick(info.plot.viewport(), Qt.MouseButton.LeftButton, pos=at(1.2, 0.5))  # Q's bar of outcome 1
    P2, Q2 = info.distributions()
    assert abs(Q2[0] - 0.5) < 0.02 and np.array_equal(P2, P)
    assert f"{info.quantities()['KL(P||Q)']:.4f}" in info.readout.text()


def test_the_lecture_scale_widens_the_curves_and_the_dark_theme_lightens_the_legends(qtbot, make_window):
    from gmmviz.qt.themes import apply_scale, apply_theme

    w = make_window(three_clusters())
    lab = theory(w, 1)
    width = lab.slice.f_curve.opts["pen"].widthF()
    apply_scale(w, 2.0, rescale=[lab.apply_scale])
    assert lab.slice.f_curve.opts["pen"].widthF() == 2 * width
    apply_scale(w, 1.0, rescale=[lab.apply_scale])
    assert lab.slice.f_curve.opts["pen"].widthF() == width  # from the built width, not compounding
    theme = apply_theme("dark", w, [lab.apply_theme])
    legend = lab.slice.plot.getPlotItem().legend
    assert all(label.opts["color"] == theme.plot_fg for _, label in legend.items)
