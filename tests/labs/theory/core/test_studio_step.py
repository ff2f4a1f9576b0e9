"""The EM step under a studio cursor: its ends, EM's update, and the bound's terms read off a snapshot."""

import numpy as np
import pytest
from scipy.special import logsumexp
from scipy.stats import multivariate_normal
from sklearn.mixture import GaussianMixture

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.em.core.steps import em_steps
from gmmviz.labs.em.core.types import FitConfig
from gmmviz.labs.theory.core.mm_slice import mm_slice
from gmmviz.labs.theory.core.studio_step import bound_at, em_update, step_ends


def blobs(seed=0, n=60):
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.normal(size=(n, 2)) * 0.7 + c for c in ([0, 0], [3, 0], [0, 3])])


def run(X, max_iter=6):
    cfg = FitConfig(n_components=3, init="random", reg_covar=0.0, tol=0.0, max_iter=max_iter, random_state=1)
    return list(em_steps(X, cfg, keep_resp=False))


def test_step_ends_walk_a_run_e_at_zero_m_at_one():
    snaps = run(blobs())
    assert [s.phase for s in snaps[:3]] == ["init", "E", "M"]
    init = step_ends(snaps, 0)
    assert init.at == 0.0 and init.iteration == 1 and init.theta_old is snaps[0].params
    assert init.theta_new is snaps[2].params
    for i, s in enumerate(snaps[1:], start=1):
        ends = step_ends(snaps, i)
        if s.phase == "E":
            assert ends.at == 0.0 and ends.theta_old is s.params and ends.theta_new is snaps[i + 1].params
        else:
            assert ends.at == 1.0 and ends.theta_new is s.params and ends.theta_old is snaps[i - 1].params
        assert ends.iteration == s.iteration
    assert step_ends(snaps[:-1], len(snaps) - 2).theta_new is None  # the last E-step: its M not computed yet
    with pytest.raises(GmmvizError):
        step_ends(snaps, len(snaps))


def test_em_update_is_the_runs_own_m_step_and_scikit_learns():
    X = blobs()
    snaps = run(X)
    for i in (1, 3, 5):
        assert snaps[i].phase == "E"
        got, want = em_update(X, snaps[i].params), snaps[i + 1].params
        np.testing.assert_allclose(got.means, want.means, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(got.full_covariances(), want.full_covariances(), rtol=1e-9, atol=1e-12)
    p = snaps[3].params  # oracle: one scikit-learn M-step from the same responsibilities (reg_covar tiny)
    gm = GaussianMixture(3, reg_covar=1e-300, max_iter=1, init_params="random")
    gm._initialize_parameters(X, np.random.RandomState(0))
    resp = np.exp(bound_log_resp(X, p))
    gm._m_step(X, np.log(resp))
    got = em_update(X, p)
    np.testing.assert_allclose(got.weights, gm.weights_, rtol=1e-9)
    np.testing.assert_allclose(got.means, gm.means_, rtol=1e-9)
    np.testing.assert_allclose(got.full_covariances(), gm.covariances_, rtol=1e-8)
    s = mm_slice(X, p, got)  # and the bound through it peaks at alpha = 1
    assert abs(s.argmax_bound - 1.0) <= s.alphas[1] - s.alphas[0]


def bound_log_resp(X, params):
    lp = np.column_stack([np.log(w) + multivariate_normal(m, c).logpdf(X)
                          for w, m, c in zip(params.weights, params.means, params.full_covariances())])
    return lp - logsumexp(lp, axis=1, keepdims=True)


def test_bound_at_an_m_snapshot_is_its_gap_and_zero_at_an_e_snapshot():
    X = blobs()
    snaps = run(X)
    for i in (1, 3):
        e, m = snaps[i], snaps[i + 1]
        at_e = bound_at(X, e.params, e.params)
        assert at_e.kl == pytest.approx(0.0, abs=1e-9)
        assert at_e.lower_bound == pytest.approx(e.lower_bound, rel=1e-10)
        at_m = bound_at(X, e.params, m.params)
        assert at_m.log_likelihood == pytest.approx(m.log_likelihood, rel=1e-10)
        assert at_m.kl == pytest.approx(m.gap, rel=1e-6, abs=1e-9)
        r, post = np.exp(bound_log_resp(X, e.params)), np.exp(bound_log_resp(X, m.params))  # scipy oracle
        kl = float(np.sum(r * (np.log(r) - np.log(post))))
        assert at_m.kl == pytest.approx(kl, rel=1e-8, abs=1e-10) and at_m.kl > 0


def test_the_two_parameter_slice_keeps_the_bound_below_and_the_path_inside_the_grid():
    from gmmviz.labs.theory.core.mm_slice import mm_surface
    from gmmviz.labs.theory.core.surface_view import (
        contour_levels,
        coordinate_label,
        coordinate_pairs,
        grid_around,
        path_coordinates,
    )

    X = blobs()
    snaps = run(X, max_iter=4)
    pairs = coordinate_pairs(3)
    assert len(pairs) == 15 and pairs[0] == ((0, 0), (0, 1)) and coordinate_label((1, 0)) == "μ2,x"
    ends = step_ends(snaps, 3)  # E-step 2
    path = path_coordinates(snaps[:4], pairs[0])
    np.testing.assert_array_equal(path[0], snaps[0].params.means[0])
    assert path.shape == (2, 2)  # init and M1
    xs, ys = grid_around(np.vstack([path, ends.theta_new.means[0]]), X, n=21)
    assert xs[0] < path[:, 0].min() and xs[-1] > path[:, 0].max()
    surf = mm_surface(X, ends.theta_old, ends.theta_new, pairs[0], xs, ys)
    assert np.all(surf.bound <= surf.f + 1e-9 * np.abs(surf.f))
    r, c = np.unravel_index(np.argmax(surf.bound), surf.bound.shape)  # the bound peaks at the M-step's means
    assert abs(xs[c] - ends.theta_new.means[0, 0]) <= xs[1] - xs[0]
    assert abs(ys[r] - ends.theta_new.means[0, 1]) <= ys[1] - ys[0]
    levels = contour_levels(surf.f)
    assert levels.size > 2 and np.all(np.diff(levels) > 0) and levels[-1] < surf.f.max()
    with pytest.raises(GmmvizError):
        grid_around(np.zeros((0, 2)), X)


def test_dragging_one_bar_sets_its_probability_and_keeps_the_others_ratios():
    from gmmviz.labs.theory.core.information import with_probability

    p = np.array([0.4, 0.3, 0.2, 0.1])
    q = with_probability(p, 1, 0.5)
    assert q.sum() == pytest.approx(1.0) and q[1] == 0.5
    np.testing.assert_allclose(np.delete(q, 1) / np.delete(q, 1).sum(), np.delete(p, 1) / np.delete(p, 1).sum())
    assert with_probability(p, 0, 2.0)[0] == 0.99 and with_probability(p, 0, -1)[0] == 0.0
    np.testing.assert_allclose(with_probability([1.0, 0.0, 0.0], 0, 0.4), [0.4, 0.3, 0.3])


def test_the_two_parameter_grid_follows_each_axis_scale_so_the_bound_peaks_at_the_m_step():
    """Old Faithful (x in minutes, y in tens of minutes): a grid padded by the larger spread on both axes
    was ~20x too coarse along x, the bound's contours broke up and its grid maximum missed the M-step."""
    from gmmviz.core.datasets import faithful
    from gmmviz.labs.theory.core.mm_slice import mm_surface
    from gmmviz.labs.theory.core.surface_view import grid_around, path_coordinates

    X = faithful().dataset.X
    snaps = run(X, max_iter=3)
    ends = step_ends(snaps, 3)
    coords = ((0, 0), (0, 1))
    path = np.vstack([path_coordinates(snaps[:4], coords), ends.theta_new.means[0]])
    xs, ys = grid_around(path, X, n=41, axes=(0, 1))
    spread = np.ptp(X, axis=0)
    assert xs[-1] - xs[0] < np.ptp(path[:, 0]) + spread[0]  # padded by the x spread, not the y spread
    surf = mm_surface(X, ends.theta_old, ends.theta_new, coords, xs, ys)
    r, c = np.unravel_index(np.argmax(surf.bound), surf.bound.shape)
    assert abs(xs[c] - ends.theta_new.means[0, 0]) <= xs[1] - xs[0]
    assert abs(ys[r] - ends.theta_new.means[0, 1]) <= ys[1] - ys[0]
    assert xs[1] - xs[0] < 0.1 * spread[0]  # fine enough to draw the bound's narrow ellipses
