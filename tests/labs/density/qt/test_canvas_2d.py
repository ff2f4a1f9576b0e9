"""The 2-D mode on the shared canvas: the window's tools paint the points in place and the estimate follows."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from .conftest import three_clusters
from .test_lab import density_lab, wait_sweep

pytestmark = pytest.mark.slow


def _click(qtbot, canvas, x, y):
    vp = canvas.plot.viewport()
    p = canvas.plot.mapFromScene(canvas.view.mapViewToScene(QPointF(x, y)))
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=p)


def test_a_lecturer_paints_points_in_the_2d_view_and_sees_the_estimate_update(qtbot, make_window):
    from gmmviz.qt.canvas.host import Canvas

    w = make_window(three_clusters(40))
    lab = density_lab(qtbot, w)
    put = w.actions_by_name["tool_put"]
    assert lab.points_editor() is None and not put.isEnabled()  # 1-D: nothing to paint on
    lab.controls.mode.setCurrentIndex(lab.controls.mode.findData("2d"))
    wait_sweep(qtbot, lab)
    canvas = lab.canvas_2d
    assert isinstance(canvas, Canvas) and lab.stack.currentWidget() is canvas  # the shared canvas host
    assert lab.points_editor().canvas is canvas and put.isEnabled()
    assert lab.controls.classes_box.isVisible()
    qtbot.waitExposed(canvas)
    put.trigger()
    assert canvas.tool.name == "put"
    lab.controls.estimator_2d.setCurrentIndex(lab.controls.estimator_2d.findData("kde"))
    before = lab.view
    density_before = before.density.copy()
    n = w.points.document.n_points
    lo, hi = np.asarray(before.xs[[0, -1]]), np.asarray(before.ys[[0, -1]])
    x, y = 0.25 * lo[0] + 0.75 * hi[0], 0.8 * lo[1] + 0.2 * hi[1]  # an empty corner of the plot
    for dx in (0.0, 0.3, 0.6):
        _click(qtbot, canvas, x + dx, y)
    assert w.points.document.n_points == n + 3  # painted in the shared store, in place
    np.testing.assert_allclose(w.points.document.X[-3:, 0], x + np.array([0.0, 0.3, 0.6]), atol=0.2)
    qtbot.waitUntil(lambda: lab.data is not None and lab.data.split.X.shape[0] == n + 3, timeout=5000)
    wait_sweep(qtbot, lab)
    assert lab.view is not before and lab.view.density.shape == density_before.shape
    assert not np.allclose(lab.view.density, density_before)  # the estimate follows the painted points
    image = canvas.heatmap.image.image
    np.testing.assert_array_equal(image, lab.view.density)
    w.points.undo_stack.undo()
    qtbot.waitUntil(lambda: lab.data.split.X.shape[0] == n + 2, timeout=5000)
    wait_sweep(qtbot, lab)
    # held-out points are marked on the canvas; back in 1-D the tools are greyed again
    held = canvas.heatmap.test.data
    np.testing.assert_allclose(np.c_[held["x"], held["y"]], lab.data.split.X_test)
    lab.controls.mode.setCurrentIndex(lab.controls.mode.findData("1d"))
    assert not put.isEnabled() and lab.points_editor() is None
    wait_sweep(qtbot, lab)


def test_the_infinite_mixture_is_a_2d_estimator(qtbot, make_window):
    w = make_window(three_clusters(60))
    lab = density_lab(qtbot, w, mode="2d")
    assert "dpgmm" in lab.curves and lab.curves["dpgmm"].complete
    lab.controls.estimator_2d.setCurrentIndex(lab.controls.estimator_2d.findData("dpgmm"))
    dp = lab.fits[("dpgmm", lab.settings.concentration)]
    assert lab.view.family == "dpgmm" and dp.n_features == 2 and dp.n_points == lab.data.split.train.size
    assert 2 <= dp.n_used <= 8
    shown = float(lab.leaderboard.cell_text("dpgmm", "test").replace("−", "-"))
    assert shown == pytest.approx(dp.log_density(lab.data.split.X_test).mean(), abs=5e-5)
    split = lab.data.split
    G = np.stack(np.meshgrid(lab.view.xs, lab.view.ys), axis=-1).reshape(-1, 2)
    np.testing.assert_allclose(lab.view.density, np.exp(dp.log_density(G)).reshape(lab.view.density.shape))
    assert split.n_features == 2
