"""The lower plot's tabs: the equal-mass histogram's own complexity curve, and the learning curve."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad

from .conftest import three_clusters
from .test_lab import density_lab

pytestmark = pytest.mark.slow


def test_the_equal_mass_histogram_has_its_curve_with_sqrt_n_marked_and_its_best_in_the_leaderboard(qtbot, make_window):
    from gmmviz.labs.density.core.job import points_per_bin_tried

    w = make_window(three_clusters())
    lab = density_lab(qtbot, w, n=1600, distribution="lognormal", seed=2)
    curve = lab.curves["vhist"]
    n_train = lab.data.split.train.size
    assert len(curve.settings) == len(points_per_bin_tried(n_train)) >= 5
    assert curve.settings.min() < np.sqrt(n_train) < curve.settings.max()
    train, test, best, _, current = lab.score_curves.items["vhist"]
    x, y = test.getData()
    np.testing.assert_allclose(x, np.log10(curve.settings))
    np.testing.assert_allclose(y, curve.test)
    assert current.value() == pytest.approx(np.log10(int(np.sqrt(n_train))))  # the √n rule
    assert best.data["x"][0] == pytest.approx(np.log10(curve.best_setting))
    board = lab.leaderboard
    assert board.cell_text("vhist", "setting") == f"pts/bin ≈ √n = {int(np.sqrt(n_train))}"
    assert board.cell_text("vhist", "best setting") == f"pts/bin = {int(curve.best_setting)}"
    assert float(board.cell_text("vhist", "best test").replace("−", "-")) == pytest.approx(curve.test[curve.best],
                                                                                          abs=5e-5)
    assert lab.score_curves.plots["vhist"].toolTip()


def test_the_learning_curve_tab_draws_the_distance_to_the_truth_as_n_grows(qtbot, make_window):
    from gmmviz.labs.density.core.distance import LEARNING_NS
    from gmmviz.labs.density.core.kde import fit_kde
    from gmmviz.labs.density.core.truth import distribution

    w = make_window(three_clusters())
    lab = density_lab(qtbot, w, n=500, distribution="bimodal", seed=3)
    tabs, plot = lab.curve_tabs, lab.learning_plot
    assert tabs.tabText(1) == "Learning curve" and tabs.tabToolTip(1) and plot.toolTip()
    assert plot.curve is None and not lab.learning.runs.busy  # nothing computed while hidden
    tabs.setCurrentIndex(1)
    assert lab.settings.curves_view == "learning"
    qtbot.waitUntil(lambda: plot.curve is not None and len(plot.curve.ns) == len(LEARNING_NS), timeout=60000)
    assert plot.getPlotItem().ctrl.logXCheck.isChecked() and plot.getPlotItem().ctrl.logYCheck.isChecked()
    x, y = plot.lines["kde"].xData, plot.lines["kde"].yData  # the data (getData is in log units)
    np.testing.assert_allclose(x, LEARNING_NS)
    # the first point, by an independent integral: Silverman's KDE of the first 50 points of the seeded sample
    truth = distribution("bimodal")
    kde = fit_kde(truth.sample(max(LEARNING_NS), 3)[:50], "silverman")
    lo, hi = truth.plot_range(1e-6)
    ise, _ = quad(lambda t: (np.exp(kde.log_density([t])[0]) - truth.pdf(np.array([t]))[0]) ** 2, lo - 3, hi + 3,
                  limit=400)
    assert y[0] == pytest.approx(ise, rel=2e-3)
    assert all(len(line.xData) == len(LEARNING_NS) for line in plot.lines.values())
    assert y[-1] < y[0] / 10  # the distance shrinks as n grows
    assert plot.current.value() == pytest.approx(np.log10(500))
    # a new distribution: a new curve; the tab is a setting (undoable, saved in the session)
    lab.controls.distribution.setCurrentIndex(lab.controls.distribution.findData("uniform"))
    qtbot.waitUntil(lambda: plot.curve is not None and plot.curve.key == "uniform", timeout=60000)
    assert lab.session_part()["curves_view"] == "learning"
    qtbot.waitUntil(lambda: not lab.learning.runs.busy and not lab.runs.busy, timeout=60000)
    lab.store.undo_stack.undo()
    lab.store.undo_stack.undo()
    assert tabs.currentIndex() == 0 and lab.settings.curves_view == "scores"
    lab.edit(mode="2d")
    assert "true density" in plot.message.toPlainText()
    qtbot.waitUntil(lambda: not lab.runs.busy, timeout=60000)


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_the_learning_key_sits_above_the_plot_whole_and_at_the_windows_text_size(qtbot, make_window, scale):
    # a legend inside the plot covered the lines on 1280 x 800 (the plot is ~110 px tall there)
    from PySide6.QtGui import QFontMetricsF

    from gmmviz.labs.density.core.distance import LEARNING_NS
    from gmmviz.labs.density.qt.learning import NAMES

    w = make_window(three_clusters())
    w.resize(1280, 800)
    w.presentation.set_scale(scale)
    lab = density_lab(qtbot, w, n=500, distribution="bimodal", seed=3)
    lab.curve_tabs.setCurrentIndex(1)
    panel, plot = lab.learning_panel, lab.learning_plot
    qtbot.waitUntil(lambda: plot.curve is not None and len(plot.curve.ns) == len(LEARNING_NS), timeout=60000)
    key = panel.key
    assert all(name in key.text() for name in NAMES.values())
    assert key.geometry().bottom() < plot.geometry().top()  # beside the lines, never on them
    assert key.height() >= key.heightForWidth(key.width())  # every row of it shown (it wraps when narrow)
    assert key.font().pointSizeF() == pytest.approx(w.font().pointSizeF())  # the window's (scaled) text
    assert QFontMetricsF(key.font()).height() >= QFontMetricsF(w.font()).height() - 0.5
    assert plot.getPlotItem().legend is None
    assert lab.curve_tabs.currentWidget() is panel  # what Ctrl+E exports: the key with the plot
    qtbot.waitUntil(lambda: not lab.learning.runs.busy and not lab.runs.busy, timeout=60000)
