"""The jittered strip under the 1-D densities: toggled, seeded, training and held-out points apart."""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import three_clusters
from .test_lab import density_lab, wait_sweep

pytestmark = pytest.mark.slow


def test_the_strip_is_toggled_seeded_and_draws_training_and_held_out_points_apart(qtbot, make_window):
    from gmmviz.labs.density.qt.plots import TEST_BAND, TRAIN_BAND

    w = make_window(three_clusters())
    lab = density_lab(qtbot, w, n=400, seed=5)
    plot, box = lab.plot_1d, lab.controls.strip
    assert not box.isChecked() and plot.train_strip.data.size == 0 and plot.test_strip.data.size == 0
    assert box.toolTip()
    box.click()
    assert lab.settings.strip and lab.session_part()["strip"] is True
    tr, te = plot.train_strip.data, plot.test_strip.data
    np.testing.assert_array_equal(np.sort(tr["x"]), np.sort(lab.data.x_train))
    np.testing.assert_array_equal(np.sort(te["x"]), np.sort(lab.data.x_test))
    top = plot._rug_top
    assert ((tr["y"] >= TRAIN_BAND[0] * top) & (tr["y"] <= TRAIN_BAND[1] * top)).all()
    assert ((te["y"] >= TEST_BAND[0] * top) & (te["y"] <= TEST_BAND[1] * top)).all()
    assert plot.train_strip.opts["symbol"] != plot.test_strip.opts["symbol"]  # drawn differently
    first = tr["y"].copy()
    assert np.ptp(first) > 0.5 * (TRAIN_BAND[1] - TRAIN_BAND[0]) * top  # jittered, not a line
    # the view's range shows the strip
    low = plot.getPlotItem().vb.viewRange()[1][0]
    assert low <= TEST_BAND[0] * top
    box.click()
    assert plot.train_strip.data.size == 0
    box.click()
    np.testing.assert_array_equal(plot.train_strip.data["y"], first)  # seeded: the same jitter again
    lab.controls.seed.setValue(6)
    lab.controls.seed.editingFinished.emit()
    wait_sweep(qtbot, lab)
    assert plot.train_strip.data.size == lab.data.x_train.size
    assert not np.array_equal(plot.train_strip.data["y"], first)
    lab.store.undo_stack.undo()  # the seed back
    wait_sweep(qtbot, lab)
    np.testing.assert_array_equal(plot.train_strip.data["y"], first)
    lab.store.undo_stack.undo()  # on -> off -> on -> off: three toggles, three undo steps
    assert not lab.settings.strip and plot.train_strip.data.size == 0
    lab.store.undo_stack.undo()
    assert lab.settings.strip and box.isChecked()
    lab.store.undo_stack.undo()
    assert not lab.settings.strip and not box.isChecked() and plot.train_strip.data.size == 0
