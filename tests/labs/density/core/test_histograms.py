"""Histograms against np.histogram / np.histogram2d, exact normalisation, empty bins, equal-mass sizes."""

import math

import numpy as np
import pytest

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.density.core.histogram import (
    BIN_RULES,
    fit_histogram,
    fixed_edges,
    fixed_histogram,
    rule_edges,
    sorted_counts,
)
from gmmviz.labs.density.core.scores import data_window
from gmmviz.labs.density.core.variable import (
    equal_mass_histogram,
    kd_histogram,
    sqrt_bins,
)


@pytest.fixture
def sample():
    rng = np.random.default_rng(3)
    return np.r_[rng.normal(-1, 0.5, 700), rng.lognormal(0, 0.7, 500)]


@pytest.mark.parametrize("origin", [0.0, 0.25, 0.9])
@pytest.mark.parametrize("bins", [1, 7, 60])
def test_fixed_1d_integrates_to_one_and_matches_np_histogram(sample, bins, origin):
    train, test = sample[:900], sample[900:]
    window = data_window(sample)
    h = fixed_histogram(train, bins, window, origin=origin)
    assert math.isclose(float((h.densities() * h.volumes()).sum()), 1.0, rel_tol=0, abs_tol=1e-14)
    counts, edges = np.histogram(train, bins=h.edges[0])
    np.testing.assert_array_equal(h.counts, counts)
    # oracle: np.histogram's counts, its own bin search, density = count / (n width)
    idx = np.clip(np.digitize(test, edges) - 1, 0, len(counts) - 1)
    with np.errstate(divide="ignore"):
        expected = np.log(counts[idx] / (train.size * np.diff(edges)[idx]))
    np.testing.assert_allclose(h.log_density(test), expected, rtol=1e-10, atol=0)
    assert h.edges[0][0] <= window[0, 0] and h.edges[0][-1] >= window[0, 1]


def test_origin_shifts_the_grid_by_a_fraction_of_a_width():
    e0, e1 = fixed_edges(0.0, 1.0, 4), fixed_edges(0.0, 1.0, 4, 0.5)
    np.testing.assert_allclose(e0, [0, 0.25, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(e1, [-0.125, 0.125, 0.375, 0.625, 0.875, 1.125])


def test_fixed_2d_grid_matches_histogram2d(sample):
    rng = np.random.default_rng(0)
    X = np.c_[sample, rng.normal(size=sample.size) + 0.3 * sample]
    train, test = X[:1000], X[1000:]
    h = fixed_histogram(train, (9, 6), data_window(X))
    counts, ex, ey = np.histogram2d(train[:, 0], train[:, 1], bins=list(h.edges))
    np.testing.assert_array_equal(h.counts, counts)
    assert math.isclose(float((h.densities() * h.volumes()).sum()), 1.0, abs_tol=1e-14)
    ix = np.clip(np.digitize(test[:, 0], ex) - 1, 0, 8)
    iy = np.clip(np.digitize(test[:, 1], ey) - 1, 0, 5)
    area = np.diff(ex)[ix] * np.diff(ey)[iy]
    with np.errstate(divide="ignore"):
        expected = np.log(counts[ix, iy] / (1000 * area))
    np.testing.assert_allclose(h.log_density(test), expected, rtol=1e-10)


def test_empty_bin_is_exactly_minus_infinity_and_finite_with_a_pseudo_count():
    train = np.array([0.0, 0.1, 0.2, 2.9, 3.0])
    window = [[0.0, 3.0]]
    plain = fixed_histogram(train, 3, window)
    assert plain.counts.tolist() == [3, 0, 2]
    assert plain.log_density([1.5])[0] == -np.inf
    smoothed = fixed_histogram(train, 3, window, pseudo_count=0.5)
    value = smoothed.log_density([1.5])[0]
    assert np.isfinite(value)
    assert value == pytest.approx(math.log(0.5 / ((5 + 1.5) * 1.0)), rel=1e-12)
    assert math.isclose(float((smoothed.densities() * smoothed.volumes()).sum()), 1.0, abs_tol=1e-14)
    # outside every bin: zero whatever the pseudo-count
    assert smoothed.log_density([3.5])[0] == -np.inf


@pytest.mark.parametrize("rule", BIN_RULES)
def test_rule_presets_are_numpys(sample, rule):
    window = data_window(sample)[0]
    np.testing.assert_array_equal(rule_edges(sample, rule, window),
                                  np.histogram_bin_edges(sample, bins=rule, range=tuple(window)))


def test_sorted_counts_is_np_histogram(sample):
    for bins in (1, 3, 50):
        edges = np.histogram_bin_edges(sample, bins)
        np.testing.assert_array_equal(sorted_counts(np.sort(sample), edges), np.histogram(sample, edges)[0])


@pytest.mark.parametrize("n", [2, 3, 15, 16, 17, 24, 25, 99, 100, 101, 1000, 4097])
def test_equal_mass_bins_hold_floor_or_ceil_sqrt_n(n):
    x = np.random.default_rng(n).normal(size=n)
    h = equal_mass_histogram(x, data_window(x)[0])
    lo, hi = math.isqrt(n), math.isqrt(n) + (math.isqrt(n) ** 2 != n)
    assert h.counts.sum() == n
    assert set(h.counts.tolist()) <= {lo, hi}, h.counts
    assert h.n_bins == sqrt_bins(n)
    assert math.isclose(float((h.densities() * h.volumes()).sum()), 1.0, abs_tol=1e-12)
    np.testing.assert_array_equal(h.counts, np.histogram(x, h.edges[0])[0])


def test_ties_are_never_split_and_the_rest_keep_their_sizes():
    # 100 points, 20 of them tied at 0.5: the run falls in one bin (documented behaviour)
    x = np.r_[np.linspace(0, 0.49, 40), np.full(20, 0.5), np.linspace(0.51, 1, 40)]
    h = equal_mass_histogram(x, [0, 1])
    assert h.counts.sum() == 100
    tied_bin = int(np.searchsorted(h.edges[0], 0.5, side="right") - 1)
    assert h.counts[tied_bin] >= 20
    assert all(c <= 10 for i, c in enumerate(h.counts) if abs(i - tied_bin) > 1)
    assert np.all(np.diff(h.edges[0]) > 0)
    assert math.isclose(float((h.densities() * h.volumes()).sum()), 1.0, abs_tol=1e-12)


def test_all_points_tied_make_one_bin():
    h = equal_mass_histogram(np.full(9, 2.0), [1.5, 2.5])
    assert h.counts.tolist() == [9]


@pytest.mark.parametrize("n", [16, 50, 101, 1000])
def test_kd_cells_hold_floor_or_ceil_sqrt_n_and_tile_the_window(n):
    X = np.random.default_rng(n).normal(size=(n, 2)) * [1.0, 5.0]
    window = data_window(X)
    h = kd_histogram(X, window)
    lo, hi = math.isqrt(n), math.isqrt(n) + (math.isqrt(n) ** 2 != n)
    assert set(h.counts.tolist()) <= {lo, hi}
    assert math.isclose(float(h.volumes().sum()), float(np.prod(window[:, 1] - window[:, 0])), rel_tol=1e-12)
    assert math.isclose(float((h.densities() * h.volumes()).sum()), 1.0, abs_tol=1e-12)
    cell, inside = h.cell_index(X)
    assert inside.all()
    np.testing.assert_array_equal(np.bincount(cell, minlength=h.n_bins), h.counts)


def test_kd_empty_cell_and_pseudo_count():
    X = np.random.default_rng(1).uniform(size=(100, 2))
    window = [[-1.0, 1.0], [-1.0, 1.0]]  # the lower-left part of the window holds no point
    h = kd_histogram(X, window)
    assert h.log_density([[-0.9, -0.9]])[0] > -np.inf  # cells tile the window: the corner is in a cell
    assert kd_histogram(X, window, pseudo_count=1.0).log_density([[2.0, 2.0]])[0] == -np.inf


def test_bad_histogram_input_raises_one_clear_error():
    with pytest.raises(GmmvizError, match="bins"):
        fixed_edges(0, 1, 0)
    with pytest.raises(GmmvizError, match="origin"):
        fixed_edges(0, 1, 3, 1.0)
    with pytest.raises(GmmvizError, match="NaN"):
        fit_histogram([0.0, np.nan], np.array([0.0, 1.0]))
    with pytest.raises(GmmvizError, match="pseudo-count"):
        fixed_histogram([0.0, 1.0], 2, [[0, 1]], pseudo_count=-1)
