"""The sweep as the window sees it: results fill in as they arrive, the infinite mixture uses every point."""

from __future__ import annotations

import pytest

from .conftest import three_clusters
from .test_lab import density_lab, wait_sweep

pytestmark = pytest.mark.slow


def test_the_infinite_mixture_is_fitted_to_all_of_10000_points_and_scored_as_shown(qtbot, make_window):
    w = make_window(three_clusters())
    lab = density_lab(qtbot, w, n=10_000, seed=1)
    split = lab.data.split
    assert split.train.size == 7500
    for index in (0, 3, 6):
        lab.controls.alpha.setValue(index)
        dp = lab.fits[("dpgmm", lab.settings.concentration)]
        assert dp.n_points == 7500  # no subsample
        assert lab.leaderboard.cell_text("dpgmm", "setting").endswith(f"({dp.n_used} used)")
        assert lab.leaderboard.cell_tip("dpgmm", "setting").endswith("fitted to all 7,500 training points")
        shown = float(lab.leaderboard.cell_text("dpgmm", "test").replace("−", "-"))
        assert shown == pytest.approx(dp.log_density(split.X_test).mean(), abs=5e-5)
    assert list(lab.curves["dpgmm"].extra("n_used"))  # a count for every concentration
    lab.controls.best.click()  # the best concentration's slider stop is its own
    assert lab.settings.concentration == lab.curves["dpgmm"].best_setting


def test_the_curves_fill_in_while_the_sweep_runs(qtbot, make_window):
    from PySide6.QtCore import QTimer

    w = make_window(three_clusters())
    lab = density_lab(qtbot, w, n=300)
    seen = set()
    _, test, *_ = lab.score_curves.items["gmm"]
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: seen.add(len(test.getData()[0] if test.getData()[0] is not None else ())))
    timer.start()
    lab.edit(n=10_000)
    qtbot.waitUntil(lambda: not lab.runs.busy, timeout=60000)
    timer.stop()
    assert 10 in seen and any(0 < k < 10 for k in seen), seen  # drawn part-way, then whole
    wait_sweep(qtbot, lab)
