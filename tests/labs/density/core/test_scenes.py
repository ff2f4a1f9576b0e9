"""Each lecture scene's lesson really happens on its data (the numbers the note talks about)."""

import numpy as np
import pytest

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.density.core.histogram import fixed_histogram
from gmmviz.labs.density.core.job import lab_data
from gmmviz.labs.density.core.scenes import SCENES, scene
from gmmviz.labs.density.core.settings import (
    CONCENTRATIONS,
    DensitySettings,
    SetSettings,
)
from gmmviz.labs.density.core.sweep import (
    gmm_curve,
    hist_curve,
    kde_curve,
    last,
    vhist_curve,
)


def _data(key):
    return lab_data(scene(key).settings)


def test_every_scene_is_valid_and_found():
    assert len({s.key for s in SCENES}) == len(SCENES)
    for s in SCENES:
        assert scene(s.key) is s and s.note and s.settings.mode == "1d"
    with pytest.raises(GmmvizError, match="no density scene"):
        scene("nope")


def test_exercise_train_rises_test_peaks_and_many_bins_give_minus_infinity():
    split = _data("exercise").split
    hist = hist_curve(split, range(2, 101))
    assert hist.train[-1] > hist.train[0] and hist.test[-1] == -np.inf
    assert 2 < hist.best_setting < 60
    gmm = last(gmm_curve(split, range(1, 11)))
    assert gmm.best_setting >= 2 and gmm.test[0] < gmm.test[1]


def _modes(h):
    d = h.densities()
    padded = np.r_[-1.0, d, -1.0]
    return int(np.sum((padded[1:-1] > padded[:-2]) & (padded[1:-1] >= padded[2:])))


def test_moving_the_bin_origin_changes_the_modes():
    data = _data("origin")
    s = scene("origin").settings
    modes = {_modes(fixed_histogram(data.split.X_train, s.bins, data.split.window, origin=o))
             for o in np.linspace(0, 0.95, 20)}
    assert len(modes) >= 2


def test_sqrt_n_bins_beat_fixed_bins_on_skewed_data():
    data = _data("sqrt-n")
    fixed = hist_curve(data.split, [scene("sqrt-n").settings.bins])
    equal = vhist_curve(data.split)
    assert equal.test[0] > fixed.test[0]


def test_small_bandwidth_overfits_and_large_bandwidth_underfits():
    data = _data("bandwidth-small")
    curve = kde_curve(data.split, data.bandwidths)
    small, large, best = 0, len(data.bandwidths) - 1, curve.best
    assert np.isfinite(curve.test).all()  # a Gaussian kernel never gives -inf
    assert curve.train[small] > curve.train[best] and curve.test[small] < curve.test[best] - 0.1
    assert curve.test[large] < curve.test[best] - 0.1
    assert abs(curve.train[large] - curve.test[large]) < abs(curve.train[small] - curve.test[small])
    assert scene("bandwidth-large").settings.bandwidth_index == large


def test_the_infinite_mixture_uses_a_handful_of_components():
    from gmmviz.labs.density.core.dp_mixture import fit_dp_mixture

    x = _data("dp").split.X_train
    used = [fit_dp_mixture(x, a, seed=0).n_used for a in CONCENTRATIONS[::2]]
    assert all(2 <= u <= 8 for u in used), used


def test_settings_commands_have_exact_inverses():
    s = DensitySettings()
    cmd = SetSettings.of(bins=50, k=4)
    new, inverse = cmd.apply(s)
    assert (new.bins, new.k) == (50, 4)
    back, _ = inverse.apply(new)
    assert back == s
    with pytest.raises(GmmvizError, match="bins"):
        SetSettings.of(bins=0).apply(s)
    with pytest.raises(GmmvizError, match="no setting"):
        SetSettings.of(colour="red")
