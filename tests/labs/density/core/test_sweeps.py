"""Complexity sweeps: each point equals a single fit's score; CV by hand; best marked; distributions."""

import numpy as np
import pytest
from scipy import stats
from scipy.integrate import quad

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.density.core.distance import ise, learning_curve, loglik_gap
from gmmviz.labs.density.core.histogram import fixed_histogram
from gmmviz.labs.density.core.kde import fit_kde
from gmmviz.labs.density.core.mixture import fit_gmm
from gmmviz.labs.density.core.scores import HeldOut, kfold, train_test_split
from gmmviz.labs.density.core.sweep import (
    Split,
    gmm_curve,
    hist_curve,
    kde_curve,
    last,
    vhist_curve,
)
from gmmviz.labs.density.core.truth import DISTRIBUTIONS, distribution
from gmmviz.labs.density.core.variable import equal_mass_histogram


@pytest.fixture
def split():
    return Split.make(distribution("bimodal").sample(800, 5), test_size=0.25, seed=2, folds=4)


def test_split_and_folds_partition_the_points():
    train, test = train_test_split(101, 0.3, seed=1)
    assert len(test) == 30 and len(np.intersect1d(train, test)) == 0 and len(train) + len(test) == 101
    folds = kfold(50, 4, seed=0)
    np.testing.assert_array_equal(np.sort(np.concatenate([t for _, t in folds])), np.arange(50))
    for tr, te in folds:
        assert len(np.intersect1d(tr, te)) == 0 and len(tr) + len(te) == 50
    with pytest.raises(GmmvizError, match="folds"):
        kfold(3, 5)


def test_held_out_reports_minus_infinity_honestly():
    s = HeldOut.of(np.array([-1.0, -np.inf, -2.0]))
    assert s.mean == -np.inf and s.total == -np.inf and s.n_zero == 1
    assert HeldOut.of(np.array([-1.0, -3.0])).mean == -2.0


def test_hist_curve_equals_single_fits_and_cv_by_hand(split):
    bins = [1, 5, 20, 150]
    curve = hist_curve(split, bins, origin=0.3, pseudo_count=0.0)
    X_tr, X_te = split.X_train, split.X_test
    for i, b in enumerate(bins):
        h = fixed_histogram(X_tr, b, split.window, origin=0.3)
        assert curve.train[i] == pytest.approx(h.log_density(X_tr).mean(), rel=1e-12)
        assert curve.test[i] == HeldOut.of(h.log_density(X_te)).mean or np.isclose(
            curve.test[i], HeldOut.of(h.log_density(X_te)).mean, rtol=1e-12)
        total = sum(fixed_histogram(X_tr[a], b, split.window, origin=0.3).log_density(X_tr[t]).sum()
                    for a, t in split.folds)
        assert curve.cv[i] == pytest.approx(total / X_tr.shape[0], rel=1e-12) or curve.cv[i] == total == -np.inf
    assert curve.best == int(np.argmax(np.where(np.isnan(curve.cv), -np.inf, curve.cv)))
    assert curve.train[-1] > curve.train[0]  # the train score keeps rising with bins


def test_many_bins_give_minus_infinity_on_test_and_a_pseudo_count_repairs_it(split):
    plain = hist_curve(split, [400])
    assert plain.test[0] == -np.inf and plain.extra("n_zero")[0] > 0
    smooth = hist_curve(split, [400], pseudo_count=0.5)
    assert np.isfinite(smooth.test[0])


def test_vhist_and_kde_curves_equal_single_fits(split):
    v = vhist_curve(split)
    h = equal_mass_histogram(split.X_train, split.window[0])
    assert v.test[0] == pytest.approx(HeldOut.of(h.log_density(split.X_test)).mean, rel=1e-12)
    assert v.settings[0] == int(np.sqrt(split.train.size))
    bws = [0.05, 0.2, 1.0]
    k = kde_curve(split, bws)
    for i, bw in enumerate(bws):
        exact = fit_kde(split.X_train, bw)
        assert k.test[i] == pytest.approx(exact.log_density(split.X_test).mean(), abs=1e-4)
        assert k.train[i] == pytest.approx(exact.log_density(split.X_train).mean(), abs=1e-4)


def test_gmm_curve_fills_in_and_marks_the_best(split):
    curves = list(gmm_curve(split, [1, 2, 3]))
    assert [c.settings.size for c in curves] == [1, 2, 3]
    assert [c.complete for c in curves] == [False, False, True]
    final = curves[-1]
    m = fit_gmm(split.X_train, 2, seed=0, tol=1e-4)
    assert final.test[1] == pytest.approx(m.log_density(split.X_test).mean(), rel=1e-12)
    assert final.extra("bic")[1] == pytest.approx(m.bic(), rel=1e-12)
    assert final.best == int(np.argmax(final.cv))
    assert final.best_setting >= 2  # the data are bimodal


def test_2d_curves_run(split):
    X = np.random.default_rng(0).normal(size=(300, 2))
    s2 = Split.make(X, folds=3)
    assert hist_curve(s2, [2, 4]).cv.shape == (2,)
    assert np.isfinite(kde_curve(s2, [0.3, 0.6]).cv).all()
    assert last(gmm_curve(s2, [1, 2])).complete
    assert vhist_curve(s2).test.shape == (1,)


@pytest.mark.parametrize("key", sorted(DISTRIBUTIONS))
def test_true_densities_integrate_to_one_and_match_their_samples(key):
    d = DISTRIBUTIONS[key]
    lo, hi = d.plot_range(1e-9)
    total = sum(quad(lambda t: float(d.pdf(t)), a, b, limit=400, points=None)[0]
                for a, b in zip(np.linspace(lo, hi, 41)[:-1], np.linspace(lo, hi, 41)[1:]))
    assert total == pytest.approx(1.0, abs=1e-6)
    x = d.sample(4000, 9)
    grid = np.sort(x)
    cdf = np.array([sum(w * c.cdf(t) for w, c in zip(d.weights, d.components)) for t in grid])
    assert stats.kstest(x, lambda t: np.interp(t, grid, cdf)).pvalue > 1e-3


def test_distance_to_truth_shrinks_with_n():
    truth = distribution("gamma")
    curve = last(learning_curve(truth, [50, 500, 5000]))
    for family, values in curve.ise:
        assert values[-1] < values[0], family
    assert loglik_gap(fit_kde(truth.sample(2000, 0), "silverman"), truth) > 0
    h = fixed_histogram(truth.sample(200, 0), 10, [[0.0, 5.0]])
    assert loglik_gap(h, truth) == np.inf  # the truth has mass beyond the bins
    assert ise(h, truth) > 0


def test_binned_kde_sweep_is_close_to_exact(split, monkeypatch):
    from gmmviz.labs.density.core import kde_cv, sweep

    monkeypatch.setattr(sweep, "EXACT_TERMS", 0)
    monkeypatch.setattr(kde_cv, "EXACT_TERMS", 0)
    bws = [0.05, 0.2, 1.0]
    binned = kde_curve(split, bws)
    monkeypatch.undo()
    exact = kde_curve(split, bws)
    # documented: ~1e-3 nats per point at the sweep's smallest bandwidth, ~1e-6 from 4x it on
    for got, want in ((binned.test, exact.test), (binned.train, exact.train), (binned.cv, exact.cv)):
        assert abs(got[0] - want[0]) < 1e-3
        np.testing.assert_allclose(got[1:], want[1:], atol=2e-5)


def test_the_lab_job_yields_every_family_and_each_fit():
    from gmmviz.labs.density.core.job import lab_data, points_per_bin_tried, sweep_items
    from gmmviz.labs.density.core.settings import DensitySettings
    from gmmviz.labs.density.core.view import view_1d

    s = DensitySettings(n=300, seed=4)
    data = lab_data(s)
    items = list(sweep_items(data, s))
    families = [i.curve.family for i in items]
    assert families[:3] == ["hist", "vhist", "kde"] and families[3:] == ["gmm"] * 10
    fits = {(i.curve.family, i.setting): i.fit for i in items if i.fit is not None}
    curves = {i.curve.family: i.curve for i in items}
    view = view_1d(data, s, fits, curves)
    row = {r.family: r for r in view.rows}
    assert row["gmm"].test == pytest.approx(fits[("gmm", 2)].log_density(data.split.X_test).mean(), rel=1e-12)
    assert row["dpgmm"].setting.endswith("(fitting…)") and np.isnan(row["dpgmm"].test)
    assert None in points_per_bin_tried(300) and int(np.sqrt(225)) not in points_per_bin_tried(225)


@pytest.mark.parametrize("n, test_size, seed", [(2, 0.5, 0), (10, 0.25, 1), (1001, 0.3, 7), (100_000, 0.25, 3),
                                                (50, 0.0, 2)])
def test_the_split_is_the_classification_labs_one_class_split(n, test_size, seed):
    from gmmviz.labs.classify.core.split import stratified_split
    from gmmviz.labs.density.core.scores import train_test_split

    got, want = train_test_split(n, test_size, seed), stratified_split(np.zeros(n, dtype=np.intp), test_size, seed)
    for a, b in zip(got, want):
        np.testing.assert_array_equal(a, b)
        assert a.dtype == b.dtype or (a.dtype.kind == b.dtype.kind == "i")


def test_a_deferred_view_leaves_the_costly_rows_unscored_until_the_next_one():
    from gmmviz.labs.density.core.job import lab_data
    from gmmviz.labs.density.core.settings import DensitySettings
    from gmmviz.labs.density.core.view import view_1d

    s = DensitySettings(n=2000, seed=1)
    data = lab_data(s)
    first = {r.family: r for r in view_1d(data, s, {}, {}, defer=True).rows}
    assert all(np.isnan(first[f].test) for f in ("vhist", "kde", "truth"))
    assert np.isfinite(first["hist"].test)  # the slider's own estimator is scored at once
    full = {r.family: r for r in view_1d(data, s, {}, {}).rows}
    fresh = {r.family: r for r in view_1d(lab_data(s), s, {}, {}).rows}
    for f in ("vhist", "kde", "truth"):
        assert full[f].test == fresh[f].test and np.isfinite(full[f].test)
