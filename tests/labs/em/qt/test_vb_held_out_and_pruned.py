"""Variational Bayes in the studio: the held-out ln p beside the ELBO, pruned components drawn as such."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from gmmviz.labs.em.qt.layers.ellipses import PRUNED_COLOR

from .conftest import three_clusters, wait_for_run
from .test_algorithm_choice import choose, new_run


def vb_run(qtbot, make_window, k=6):
    w = make_window(three_clusters(), n_components=k)
    studio = w.lab("em").studio
    wait_for_run(qtbot, w)
    history = new_run(qtbot, w, lambda: choose(qtbot, studio.model_panel.algorithm.algorithm, "vb"))
    studio._refresh_curves()
    studio.playback.seek(len(history) - 1)
    qtbot.waitUntil(lambda: studio.frame is not None and studio.frame.index == len(history) - 1)
    return w, studio, history


def test_the_curves_show_the_held_out_ln_p_beside_the_elbo_labelled(qtbot, make_window):
    w, studio, history = vb_run(qtbot, make_window)
    last = history.snapshots[-1]
    assert last.held_out_points == 18 and last.n_points == 72  # 20 % of the 90 points held out, the rest fitted
    x, y = studio.curves.held_out_curve.getData()
    np.testing.assert_allclose(y, [s.held_out_scaled for s in history.snapshots])
    np.testing.assert_allclose(x, np.arange(len(history)))
    text = studio.curves.numbers.text()
    assert "ELBO" in text and "held-out ln p × 4" in text and "20 % of the points, seeded, not fitted" in text
    assert f"{last.held_out_log_likelihood:,.4f}".replace("-", "−") in text
    new_run(qtbot, w, lambda: choose(qtbot, studio.model_panel.algorithm.algorithm, "em"))
    studio._refresh_curves()
    x, _ = studio.curves.held_out_curve.getData()
    assert x is None or len(x) == 0  # EM has no held-out curve
    assert "held-out" not in studio.curves.numbers.text()


def test_pruned_components_are_dashed_grey_with_a_legend_and_a_tooltip(qtbot, make_window):
    w, studio, history = vb_run(qtbot, make_window)
    pruned = history.snapshots[-1].pruned
    assert any(pruned) and not all(pruned)
    view = studio.canvas.ellipses
    assert view.pruned == pruned
    for i, p in enumerate(pruned):
        pen = view.curve(i, 1).opts["pen"]
        assert (pen.color().name().upper() == PRUNED_COLOR.upper()) == p
        assert (pen.style() == Qt.PenStyle.CustomDashLine) == p  # live 1σ ellipses are solid
    assert "pruned by VB" in studio.canvas.legend_html()
    i = pruned.index(True)
    tip = studio.canvas.ellipses_layer.describe(*view.params.means[i])
    assert "(pruned)" in tip
    studio.playback.seek(0)  # the initialisation: nothing pruned yet
    qtbot.waitUntil(lambda: studio.frame is not None and studio.frame.index == 0)
    assert view.pruned == history.snapshots[0].pruned
    assert ("pruned by VB" in studio.canvas.legend_html()) == any(history.snapshots[0].pruned)
    new_run(qtbot, w, lambda: choose(qtbot, studio.model_panel.algorithm.algorithm, "em"))
    qtbot.waitUntil(lambda: studio.frame is not None)
    assert not any(view.pruned) and "pruned by VB" not in studio.canvas.legend_html()
