"""The model panel's Algorithm choice: gradient ascent and VB animate through the same studio."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from gmmviz.labs.em.core.algorithms.types import GradientSnapshot, VBSnapshot
from gmmviz.labs.em.core.types import EMSnapshot

from .conftest import three_clusters, wait_for_run


def choose(qtbot, combo, key):
    combo.setCurrentIndex(combo.findData(key))  # emits currentIndexChanged, as a user's pick does


def new_run(qtbot, w, action):
    studio = w.lab("em").studio
    old = studio.fit.run_id
    action()
    qtbot.waitUntil(lambda: studio.fit.run_id != old, timeout=5000)
    return wait_for_run(qtbot, w)


def test_variational_bayes_runs_and_the_curves_say_elbo(qtbot, make_window):
    w = make_window(three_clusters(), n_components=4)
    studio = w.lab("em").studio
    panel = studio.model_panel.algorithm
    wait_for_run(qtbot, w)
    history = new_run(qtbot, w, lambda: choose(qtbot, panel.algorithm, "vb"))
    assert all(isinstance(s, VBSnapshot) for s in history.snapshots)
    assert panel.form.isRowVisible(6) and not panel.form.isRowVisible(1)  # concentration shown, step size hidden
    studio._refresh_curves()
    studio.playback.seek(len(history) - 1)
    qtbot.waitUntil(lambda: studio.frame is not None and studio.frame.index == len(history) - 1)
    assert "ELBO" in studio.curves.numbers.text() and "KL gap" not in studio.curves.numbers.text()
    elbo = np.array([s.elbo for s in history.snapshots])
    assert np.all(np.diff(elbo) >= -1e-9 * np.abs(elbo).max())
    _, bound = studio.curves.bound_curve.getData()
    np.testing.assert_allclose(bound, elbo[1:])
    assert "ELBO" in studio.status_line()
    history = new_run(qtbot, w, lambda: choose(qtbot, panel.prior, "dirichlet-process"))
    assert history.snapshots[-1].elbo_terms.keys() >= {"E[ln p(v)]", "H[q(v)]"}


def test_gradient_ascent_with_a_typed_step_size_and_back_to_em(qtbot, make_window):
    w = make_window(three_clusters(), n_components=3, init="random", max_iter=40)
    studio = w.lab("em").studio
    panel = studio.model_panel.algorithm
    wait_for_run(qtbot, w)
    history = new_run(qtbot, w, lambda: choose(qtbot, panel.algorithm, "ga"))
    assert all(isinstance(s, GradientSnapshot) for s in history.snapshots)
    assert {s.step_size for s in history.snapshots if s.phase == "M"} == {0.1}

    def type_step():
        panel.step_size.selectAll()
        qtbot.keyClicks(panel.step_size, "0.5")
        qtbot.keyClick(panel.step_size, Qt.Key.Key_Return)

    history = new_run(qtbot, w, type_step)
    assert {s.step_size for s in history.snapshots if s.phase == "M"} == {0.5}
    history = new_run(qtbot, w, lambda: panel.line_search.setChecked(True))
    ll = np.array([s.log_likelihood for s in history.snapshots if s.phase in ("init", "M")])
    assert np.all(np.diff(ll) >= 0)
    studio.playback.seek(2)
    qtbot.waitUntil(lambda: studio.frame is not None and studio.frame.index == 2)
    assert "∇ ln p" in studio.curves.numbers.text()
    history = new_run(qtbot, w, lambda: choose(qtbot, panel.algorithm, "em"))
    assert all(type(s) is EMSnapshot for s in history.snapshots)


def test_score_function_gradient_runs_from_the_panel(qtbot, make_window):
    w = make_window(three_clusters(), n_components=3, init="random", max_iter=15)
    studio = w.lab("em").studio
    panel = studio.model_panel.algorithm
    wait_for_run(qtbot, w)
    panel.samples.setValue(3)
    history = new_run(qtbot, w, lambda: choose(qtbot, panel.algorithm, "ga-score"))
    assert history.snapshots[-1].algorithm == "ga-score"
    assert all(np.isfinite(s.estimate_norm) for s in history.snapshots if s.phase == "M")
    assert panel.form.isRowVisible(3) and panel.form.isRowVisible(4)


def test_a_lecture_scene_runs_em_whatever_algorithm_was_chosen(qtbot, make_window):
    w = make_window(three_clusters())
    studio = w.lab("em").studio
    panel = studio.model_panel.algorithm
    wait_for_run(qtbot, w)
    new_run(qtbot, w, lambda: choose(qtbot, panel.algorithm, "vb"))
    w.outline.entry_actions[("em", "scene:collapse")].trigger()
    history = wait_for_run(qtbot, w)
    assert panel.settings().algorithm == "em"
    assert all(type(s) is EMSnapshot for s in history.snapshots)
