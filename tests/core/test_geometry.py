"""Sigma ellipses, isolines and grids against exact and analytic oracles."""

from fractions import Fraction

import numpy as np
import pytest

from gmmviz.core.geometry import (
    SIGMA_MASS,
    ellipse_outline,
    ellipse_outlines,
    grid,
    isolines,
    mass_label,
    principal_axes,
)


def rotated(theta: float, lam_max: float, lam_min: float) -> np.ndarray:
    c, s = np.cos(theta), np.sin(theta)
    R = np.array([[c, -s], [s, c]])
    cov = R @ np.diag([lam_max, lam_min]) @ R.T
    return 0.5 * (cov + cov.T)


def exact_mahalanobis(x: float, y: float, mean, cov) -> float:
    """(p - mu)^T Sigma^-1 (p - mu) in exact rational arithmetic."""
    dx, dy = Fraction(x) - Fraction(mean[0]), Fraction(y) - Fraction(mean[1])
    a, b, c = Fraction(cov[0, 0]), Fraction(cov[0, 1]), Fraction(cov[1, 1])
    return float((c * dx * dx - 2 * b * dx * dy + a * dy * dy) / (a * c - b * b))


def test_sigma_mass_and_labels():
    assert SIGMA_MASS[1] == pytest.approx(0.3934693402873666, abs=1e-15)
    assert SIGMA_MASS[2] == pytest.approx(0.8646647167633873, abs=1e-15)
    assert SIGMA_MASS[3] == pytest.approx(0.9888910034617577, abs=1e-15)
    assert [mass_label(r) for r in (1, 2, 3)] == ["39.3 %", "86.5 %", "98.9 %"]


def spd_cases() -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    cases = [np.diag([2.0, 0.5]), np.diag([0.5, 2.0]), np.diag([3.0, 3.0]), np.diag([1e-9, 4.0])]
    for cond in (1.0, 10.0, 1e3, 1e6, 1e8, 1e10):
        for _ in range(3):
            scale = 10.0 ** rng.uniform(-3, 3)
            cases.append(rotated(rng.uniform(-np.pi, np.pi), scale, scale / cond))
    A = rng.normal(size=(5, 2, 2))
    cases.extend(A @ A.transpose(0, 2, 1))
    return cases


@pytest.mark.parametrize("n_sigma", [1.0, 2.0, 3.0])
def test_ellipse_points_lie_on_the_mahalanobis_circle(n_sigma):
    covs = np.array(spd_cases())
    rng = np.random.default_rng(1)
    # Means on the scale of their ellipses, as in real data (a mean of 3 next
    # to a 1e-7-wide ellipse cannot even be represented that precisely).
    means = rng.normal(scale=3.0, size=(len(covs), 2)) * np.sqrt(covs[:, [0, 1], [0, 1]])
    x, y = ellipse_outlines(means, covs, n_sigma, n_vertices=40)
    for i in range(len(covs)):
        xi, yi = x[i * 41: i * 41 + 40], y[i * 41: i * 41 + 40]
        q = [exact_mahalanobis(a, b, means[i], covs[i]) for a, b in zip(xi, yi)]
        np.testing.assert_allclose(q, n_sigma**2, rtol=1e-9, err_msg=f"matrix {i}: {covs[i]}")


def test_outlines_are_closed_and_separated_by_nan():
    rng = np.random.default_rng(2)
    k, n = 4, 50
    covs = np.array([rotated(t, 2.0, 0.3) for t in rng.uniform(0, np.pi, k)])
    x, y = ellipse_outlines(rng.normal(size=(k, 2)), covs, 2.0, n_vertices=n)
    assert x.shape == y.shape == (k * (n + 1) - 1,)
    np.testing.assert_array_equal(np.flatnonzero(np.isnan(x)), [50, 101, 152])
    np.testing.assert_array_equal(np.isnan(x), np.isnan(y))
    for i in range(k):
        seg = slice(i * (n + 1), i * (n + 1) + n)
        assert x[seg][0] == x[seg][-1] and y[seg][0] == y[seg][-1]
        assert np.all(np.isfinite(x[seg]))


def test_single_outline_matches_the_vectorised_one():
    cov = rotated(0.4, 3.0, 0.2)
    x1, y1 = ellipse_outline([1.0, -2.0], cov, 3.0, n_vertices=64)
    x, y = ellipse_outlines(np.array([[0.0, 0.0], [1.0, -2.0]]), np.array([np.eye(2), cov]), 3.0, 64)
    assert x1.shape == (64,)
    np.testing.assert_array_equal(x1, x[65:])
    np.testing.assert_array_equal(y1, y[65:])


def test_no_components_gives_empty_arrays():
    x, y = ellipse_outlines(np.empty((0, 2)), np.empty((0, 2, 2)), 1.0)
    assert x.shape == y.shape == (0,)


def test_principal_axes_match_numpy():
    covs = np.array(spd_cases()[:12])
    lam_max, lam_min, theta = principal_axes(covs)
    w, v = np.linalg.eigh(covs)
    np.testing.assert_allclose(lam_max, w[:, 1], rtol=1e-12)
    np.testing.assert_allclose(lam_min, w[:, 0], rtol=1e-6, atol=1e-15 * w[:, 1].max())
    # Same major axis up to sign (where there is one: not for circles).
    axis = np.stack([np.cos(theta), np.sin(theta)], axis=1)
    distinct = w[:, 1] > 1.01 * w[:, 0]
    assert distinct.sum() >= 8
    cos = np.abs(np.sum(axis * v[:, :, 1], axis=1))
    np.testing.assert_allclose(cos[distinct], 1.0, atol=1e-9)


def test_singular_and_non_finite_covariances_degrade_gracefully():
    covs = np.array([[[1.0, 1.0], [1.0, 1.0]], [[np.nan, 0.0], [0.0, 1.0]], np.eye(2)])
    means = np.array([[1.0, 2.0], [0.0, 0.0], [5.0, 5.0]])
    x, y = ellipse_outlines(means, covs, 2.0, n_vertices=30)
    line_x, line_y = x[:30] - 1.0, y[:30] - 2.0
    np.testing.assert_allclose(line_x, line_y, atol=1e-12)  # a segment along y = x
    assert np.abs(line_x).max() == pytest.approx(2.0, rel=1e-3)  # 2 sigma of variance 2 along (1,1)/sqrt 2
    assert np.all(np.isnan(x[31:61]))
    np.testing.assert_allclose(np.hypot(x[62:] - 5, y[62:] - 5), 2.0)


def inside_polygon(px, py, vx, vy) -> np.ndarray:
    """Even-odd rule for many points against one closed polygon."""
    inside = np.zeros(px.shape, dtype=bool)
    for x0, y0, x1, y1 in zip(vx[:-1], vy[:-1], vx[1:], vy[1:]):
        crosses = (y0 > py) != (y1 > py)
        with np.errstate(divide="ignore", invalid="ignore"):
            xc = x0 + (py - y0) * (x1 - x0) / (y1 - y0)
        inside ^= crosses & (px < xc)
    return inside


@pytest.mark.parametrize("r", [1, 2, 3])
def test_mass_inside_the_drawn_ellipse(r):
    rng = np.random.default_rng(10 + r)
    mean, cov = np.array([2.0, -1.0]), rotated(0.7, 4.0, 0.25)
    draws = rng.multivariate_normal(mean, cov, size=100_000)
    vx, vy = ellipse_outline(mean, cov, r, n_vertices=192)
    frac = inside_polygon(draws[:, 0], draws[:, 1], vx, vy).mean()
    assert frac == pytest.approx(SIGMA_MASS[r], abs=0.005)


def test_grid_orders_points_row_by_row():
    xs, ys, XY = grid((-1, 1), (0, 3), 5, 4)
    np.testing.assert_array_equal(xs, np.linspace(-1, 1, 5))
    np.testing.assert_array_equal(ys, np.linspace(0, 3, 4))
    assert XY.shape == (20, 2)
    for iy in range(4):
        for ix in range(5):
            assert tuple(XY[iy * 5 + ix]) == (xs[ix], ys[iy])


def circle_field(n=201, half=2.0):
    xs, ys, XY = grid((-half, half), (-half, half), n, n)
    return xs, ys, (XY**2).sum(axis=1).reshape(n, n)


def segments(x, y) -> np.ndarray:
    """(n_segments, 2, 2) end points from a [a, b, nan, ...] polyline."""
    assert x.size % 3 == 0 and np.all(np.isnan(x[2::3])) and np.all(np.isnan(y[2::3]))
    assert np.all(np.isfinite(x[0::3])) and np.all(np.isfinite(x[1::3]))
    return np.stack([np.stack([x[0::3], y[0::3]], -1), np.stack([x[1::3], y[1::3]], -1)], axis=1)


@pytest.mark.parametrize("r", [0.37, 1.23, 1.87])
def test_isolines_of_a_paraboloid_are_circles(r):
    xs, ys, Z = circle_field()
    h = xs[1] - xs[0]
    (x, y), = isolines(Z, xs, ys, [r * r])
    seg = segments(x, y)
    rho = np.hypot(seg[..., 0], seg[..., 1])
    assert np.abs(rho - r).max() < h * h
    length = np.hypot(*(seg[:, 1] - seg[:, 0]).T).sum()
    assert length == pytest.approx(2 * np.pi * r, rel=1e-3)
    # Closed: every end point is shared by exactly two segments (bit-identical).
    _, counts = np.unique(seg.reshape(-1, 2), axis=0, return_counts=True)
    assert np.all(counts == 2)


def test_isolines_per_level_and_out_of_range_levels():
    xs, ys, Z = circle_field(n=101)
    lines = isolines(Z, xs, ys, [-1.0, 0.5**2, 1.5**2, 100.0])
    assert len(lines) == 4
    assert lines[0][0].size == 0 and lines[3][0].size == 0
    assert 0 < lines[1][0].size < lines[2][0].size


def test_isolines_interpolate_linear_fields_exactly_on_uneven_grids():
    rng = np.random.default_rng(3)
    xs = np.sort(rng.uniform(-5, 5, 60))
    ys = np.sort(rng.uniform(-5, 5, 45))
    Z = 2.0 * xs[None, :] + 3.0 * ys[:, None]
    for level, (x, y) in zip([-4.1, 0.3, 7.7], isolines(Z, xs, ys, [-4.1, 0.3, 7.7])):
        seg = segments(x, y)
        assert seg.shape[0] > 10
        np.testing.assert_allclose(2.0 * seg[..., 0] + 3.0 * seg[..., 1], level, atol=1e-12)


@pytest.mark.parametrize(("level", "expected"), [
    # Centre 0.5 above the level: the high corners (0,0) and (1,1) join, and
    # the segments cut off the low corners (1,0) and (0,1).
    (0.4, {((0.6, 0.0), (1.0, 0.4)), ((0.4, 1.0), (0.0, 0.6))}),
    # Centre below: the segments cut off the high corners.
    (0.6, {((0.0, 0.4), (0.4, 0.0)), ((1.0, 0.6), (0.6, 1.0))}),
])
def test_saddle_cells_are_resolved_by_the_centre(level, expected):
    Z = np.array([[1.0, 0.0], [0.0, 1.0]])
    (x, y), = isolines(Z, [0.0, 1.0], [0.0, 1.0], [level])
    expected = {frozenset(s) for s in expected}
    assert segment_set(x, y) == expected
    # The other saddle case (10), mirrored: 1 - Z above 1 - level is Z below level.
    (x2, y2), = isolines(1.0 - Z, [0.0, 1.0], [0.0, 1.0], [1.0 - level])
    assert segment_set(x2, y2) == expected


def segment_set(x, y, swap=False, mirror_x=False) -> set:
    seg = segments(x, y)
    if swap:
        seg = seg[..., ::-1]
    if mirror_x:
        seg = seg * np.array([-1.0, 1.0])
    return {frozenset(map(tuple, np.round(s, 9))) for s in seg}


def test_isolines_do_not_depend_on_grid_orientation():
    rng = np.random.default_rng(4)
    xs, ys = np.arange(30.0), np.arange(25.0)
    Z = rng.normal(size=(25, 30))  # many saddles
    (x, y), = isolines(Z, xs, ys, [0.1])
    (xt, yt), = isolines(Z.T, ys, xs, [0.1])
    (xm, ym), = isolines(Z[:, ::-1], -xs[::-1], ys, [0.1])
    reference = segment_set(x, y)
    assert len(reference) > 200
    assert segment_set(xt, yt, swap=True) == reference
    assert segment_set(xm, ym, mirror_x=True) == reference


@pytest.mark.parametrize("bad", [np.nan, -np.inf, np.inf])
def test_cells_touching_non_finite_values_are_skipped(bad):
    xs, ys, Z = circle_field(n=81)
    Zb = Z.copy()
    Zb[30:45, 50:60] = bad
    (x, y), = isolines(Zb, xs, ys, [1.1])
    (x0, y0), = isolines(Z, xs, ys, [1.1])
    kept, full = segment_set(x, y), segment_set(x0, y0)
    assert kept < full  # a strict subset: the damaged cells dropped out
    h = xs[1] - xs[0]
    seg = segments(x, y)
    # No segment lies in a cell with a non-finite corner (cells 29..44 x 49..59).
    cx = np.floor((seg[..., 0].mean(axis=1) - xs[0]) / h).astype(int)
    cy = np.floor((seg[..., 1].mean(axis=1) - ys[0]) / h).astype(int)
    assert not np.any((cy >= 29) & (cy <= 44) & (cx >= 49) & (cx <= 59))


def test_isolines_reject_mismatched_shapes():
    with pytest.raises(ValueError, match="expected"):
        isolines(np.zeros((3, 4)), np.arange(3.0), np.arange(4.0), [0.0])


EDGES = [0.0, -0.0, 1e-300, -1e-300, 5e-324, 1.0, -2.5, 1e-160, 1e154, -1e200, 1e300, -1e300, 1.7e308, -1.7e308]


@pytest.mark.parametrize("magnitude", [0.0, 3.0, 1e-250, 1e300, 1.7e308, float("inf")])
@pytest.mark.parametrize("lo", EDGES)
@pytest.mark.parametrize("hi", EDGES)
def test_drawable_range_is_always_a_range_a_canvas_can_draw(lo, hi, magnitude):
    from gmmviz.core.geometry import MAX_COORDINATE, MIN_RELATIVE_SPAN, MIN_SPAN, drawable_range

    with np.errstate(all="raise"):  # no overflow anywhere on the way
        a, b = drawable_range(lo, hi, magnitude)
    assert np.isfinite(a) and np.isfinite(b) and a < b
    assert -MAX_COORDINATE <= a and b <= MAX_COORDINATE
    finite_m = min(magnitude, MAX_COORDINATE) if np.isfinite(magnitude) else 0.0
    assert b - a >= 0.999 * max(MIN_SPAN, MIN_RELATIVE_SPAN * max(finite_m, abs(a), abs(b)))
    # device coordinates of anything within the magnitude stay far from overflow
    assert (max(finite_m, abs(a), abs(b)) / (b - a)) * 1e4 < 1e14


def test_drawable_range_keeps_ordinary_ranges_and_refuses_non_finite_ones():
    from gmmviz.core.geometry import drawable_range

    assert drawable_range(-3.0, 7.5, 10.0) == (-3.0, 7.5)
    assert drawable_range(7.5, -3.0) == (-3.0, 7.5)
    a, b = drawable_range(2.0, 2.0, 2.0)  # an empty range is widened about its centre
    assert a < 2.0 < b and abs((a + b) / 2 - 2.0) < 1e-12
    for bad in (float("nan"), float("inf"), -float("inf")):
        assert drawable_range(bad, 1.0) is None and drawable_range(0.0, bad) is None
