"""Kernel density estimates against scipy.stats.gaussian_kde and scikit-learn's KernelDensity."""

import math

import numpy as np
import pytest
from scipy import stats
from scipy.integrate import quad

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.density.core.kde import binned_kde_1d, fit_kde, rule_bandwidth
from gmmviz.labs.density.core.kde_cv import (
    bandwidth_grid,
    cv_scores,
    kde_log_density_1d,
    loo_scores,
)
from gmmviz.labs.density.core.scores import kfold


@pytest.fixture
def x():
    rng = np.random.default_rng(7)
    return np.r_[rng.normal(-2, 0.7, 300), rng.gamma(2.0, 1.0, 500)] * 3.0 + 100.0


@pytest.fixture
def X2():
    rng = np.random.default_rng(8)
    return rng.multivariate_normal([5.0, -3.0], [[4.0, 1.5], [1.5, 1.0]], size=400)


def test_scott_is_scaled_to_the_data_and_matches_scipy(x):
    h = rule_bandwidth(x, "scott")
    assert h == pytest.approx(x.std(ddof=1) * x.size ** -0.2, rel=1e-12)
    assert rule_bandwidth(1000 * x, "scott") == pytest.approx(1000 * h, rel=1e-12)
    assert stats.gaussian_kde(x).factor * x.std(ddof=1) == pytest.approx(h, rel=1e-12)


def test_silverman_is_the_textbook_rule(x):
    q75, q25 = np.percentile(x, [75, 25])
    expected = 0.9 * min(x.std(ddof=1), (q75 - q25) / 1.349) * x.size ** -0.2
    assert rule_bandwidth(x, "silverman") == pytest.approx(expected, rel=1e-12)


def test_exact_log_density_equals_scipy_gaussian_kde_1d(x):
    train, test = x[:600], x[600:]
    for h in (0.3, rule_bandwidth(train, "silverman"), 5.0):
        kde = fit_kde(train, h)
        oracle = stats.gaussian_kde(train, bw_method=h / train.std(ddof=1))
        np.testing.assert_allclose(kde.log_density(test), oracle.logpdf(test), rtol=1e-10)


def test_exact_log_density_equals_sklearn_kernel_density_1d(x):
    from sklearn.neighbors import KernelDensity

    train, test = x[:600], x[600:]
    kde = fit_kde(train, 0.8)
    oracle = KernelDensity(bandwidth=0.8, kernel="gaussian", rtol=0, atol=0).fit(train[:, None])
    np.testing.assert_allclose(kde.log_density(test), oracle.score_samples(test[:, None]), rtol=1e-10)


def test_exact_log_density_in_2d_equals_scipy_and_sklearn(X2):
    from sklearn.neighbors import KernelDensity

    train, test = X2[:300], X2[300:]
    kde = fit_kde(train, 0.4)
    oracle = stats.gaussian_kde(train.T, bw_method=0.4)
    np.testing.assert_allclose(kde.log_density(test), oracle.logpdf(test.T), rtol=1e-10)
    # scikit-learn's kernel is isotropic: compare in the frame where ours is too
    L = np.linalg.cholesky(kde.covariance)
    Linv = np.linalg.inv(L)
    sk = KernelDensity(bandwidth=1.0, rtol=0, atol=0).fit(train @ Linv.T)
    expected = sk.score_samples(test @ Linv.T) - np.log(np.diag(L)).sum()
    np.testing.assert_allclose(kde.log_density(test), expected, rtol=1e-10)


def test_kde_integrates_to_one_in_1d_and_2d(x, X2):
    kde = fit_kde(x[:200], "scott")
    total, _ = quad(lambda t: float(kde.density([t])[0]), x.min() - 50, x.max() + 50, limit=500, epsabs=1e-12)
    assert total == pytest.approx(1.0, abs=1e-6)
    kde2 = fit_kde(X2[:100], "scott")
    gx = np.linspace(X2[:, 0].min() - 8, X2[:, 0].max() + 8, 401)
    gy = np.linspace(X2[:, 1].min() - 6, X2[:, 1].max() + 6, 401)
    G = np.stack(np.meshgrid(gx, gy, indexing="ij"), axis=-1).reshape(-1, 2)
    dens = kde2.density(G).reshape(401, 401)
    assert np.trapezoid(np.trapezoid(dens, gy, axis=1), gx) == pytest.approx(1.0, abs=1e-6)


def test_binned_fft_evaluation_is_within_1e4_of_the_peak(x):
    h = rule_bandwidth(x, "scott")
    grid = np.linspace(x.min() - 3 * h, x.max() + 3 * h, 2000)
    exact = stats.gaussian_kde(x, bw_method=h / x.std(ddof=1))(grid)
    fast = binned_kde_1d(x, h, grid)
    assert np.abs(fast - exact).max() < 1e-4 * exact.max()


def test_binned_log_density_falls_back_to_exact_in_the_tails(x):
    far = np.array([x.max() + 40.0, x.min() - 60.0])
    out = kde_log_density_1d(x, 0.5, far)
    np.testing.assert_allclose(out, fit_kde(x, 0.5).log_density(far), rtol=1e-10)


def test_cv_bandwidth_is_within_1_5_of_grid_search_cv_on_the_same_folds():
    from sklearn.model_selection import GridSearchCV
    from sklearn.neighbors import KernelDensity

    rng = np.random.default_rng(11)
    x = np.r_[rng.normal(0, 1, 400), rng.normal(4, 0.3, 200)]
    folds = kfold(x.size, 5, seed=3)
    grid = bandwidth_grid(x, 30)
    ours = grid[int(np.argmax(cv_scores(x, grid, folds)))]
    search = GridSearchCV(KernelDensity(), {"bandwidth": grid}, cv=list(folds)).fit(x[:, None])
    theirs = search.best_params_["bandwidth"]
    assert 1 / 1.5 <= ours / theirs <= 1.5
    # and the scores themselves agree (sklearn's are fold totals, averaged over folds of near-equal size)
    ours_at = cv_scores(x, [theirs], folds)[0]
    assert ours_at * x.size / 5 == pytest.approx(search.best_score_, rel=1e-3)


def test_loo_scores_equal_brute_force():
    x = np.random.default_rng(2).normal(size=150)
    bws = np.array([0.05, 0.2, 0.6])
    d = x[:, None] - x[None, :]
    expected = []
    for h in bws:
        K = np.exp(-0.5 * (d / h) ** 2) / (h * math.sqrt(2 * math.pi))
        np.fill_diagonal(K, 0.0)
        expected.append(np.mean(np.log(K.sum(axis=1) / (x.size - 1))))
    np.testing.assert_allclose(loo_scores(x, bws), expected, rtol=1e-4)


def test_bad_bandwidths_raise():
    with pytest.raises(GmmvizError, match="bandwidth"):
        fit_kde([0.0, 1.0], -1.0)
    with pytest.raises(GmmvizError, match="spread"):
        rule_bandwidth([1.0, 1.0, 1.0], "scott")
    with pytest.raises(GmmvizError, match="rule"):
        fit_kde([0.0, 1.0], "sklearn")


def test_grid_points_read_as_np_interp_and_bin_to_unit_weights(x):
    from gmmviz.labs.density.core.kde import FineGrid

    grid = FineGrid.covering(float(x.min()), float(x.max()), 0.3, 2.0)
    values = np.random.default_rng(1).uniform(size=grid.size)
    probe = np.r_[x, grid.start - 1.0, grid.start, grid.start + grid.step * (grid.size - 1), grid.nodes()[-1] + 5]
    at = grid.place(probe)
    # the fraction is (x - start) / step against interp's search of start + j step: ~1e-12 apart on values ~1
    np.testing.assert_allclose(at.read(values), np.interp(probe, grid.nodes(), values, left=0.0, right=0.0),
                               rtol=0, atol=1e-11)
    assert at.read(values)[-4] == 0.0 and at.read(values)[-1] == 0.0  # beyond the grid
    w = grid.place(x).weights()
    assert w.sum() == pytest.approx(x.size, rel=1e-13)
    np.testing.assert_allclose(w @ grid.nodes(), x.sum(), rtol=1e-12)  # linear binning keeps every point's mean


def test_binned_density_needs_no_zero_padding_inside_the_data(x):
    """The grid's 8 h margins keep the periodic images away: the same densities as a twice-as-long transform."""
    from scipy.fft import rfft

    from gmmviz.labs.density.core.kde import FineGrid, binned_density

    h = 4.0 * rule_bandwidth(x, "scott")  # wide kernels reach furthest
    grid = FineGrid.covering(float(x.min()), float(x.max()), h / 10, h)
    weights = grid.bin(x)
    inside = (grid.nodes() >= x.min()) & (grid.nodes() <= x.max())
    short = binned_density(grid, rfft(weights, n=grid.fft_length()), grid.kernel_spectrum(h, grid.fft_length()),
                           x.size, grid.fft_length())
    long = binned_density(grid, rfft(weights, n=2 * grid.size), grid.kernel_spectrum(h, 2 * grid.size), x.size,
                          2 * grid.size)
    assert grid.fft_length() == grid.size
    np.testing.assert_allclose(short[inside], long[inside], rtol=1e-12, atol=1e-14 * long.max())
