"""Hostile library calls (issue 11, items 5, 6, 8, 9): every public entry of
gmmviz.core and the EM estimator validates once, with a GmmvizError that names
the problem; any finite data either fits or is refused naming the range.

pytest turns every warning into an error here (pyproject), so a RuntimeWarning
from an overflow fails these tests as well.
"""

import re

import numpy as np
import pytest

from gmmviz.core import GaussianParams, GmmvizError, log_likelihood, predict_proba, sample, score_samples
from gmmviz.core.covariance import cholesky2, eigvals2, is_positive_definite
from gmmviz.core.gaussian import Standardizer
from gmmviz.core.validation import check_params
from gmmviz.labs.em.core import FitConfig, GaussianMixture, e_step, em_steps, m_step, run_em

from core.helpers import EXTREME_COVARIANCES, EXTREME_SCALES, blobs, exact_log_density, two_blobs

X = blobs(60, 2, 1)
GOOD = GaussianParams([0.5, 0.5], [[0.0, 0.0], [4.0, 4.0]], [np.eye(2), np.eye(2)])


def params(weights=(0.5, 0.5), cov=((1.0, 0.0), (0.0, 1.0))):
    return GaussianParams(list(weights), [[0.0, 0.0], [4.0, 4.0]], [np.eye(2), np.array(cov, dtype=float)])


BAD_X = [
    ("nan", np.r_[X[:5], [[np.nan, 1.0]]], "NaN or infinite"),
    ("inf", np.r_[X[:5], [[1.0, -np.inf]]], "NaN or infinite"),
    ("three-columns", np.ones((5, 3)), r"shape \(n_points, 2\)"),
    ("one-column", np.ones((5, 1)), r"shape \(n_points, 2\)"),
    ("flat", np.ones(4), r"shape \(n_points, 2\)"),
    ("complex", X[:5] + 1j, "complex"),
    ("strings", [["1.5", "2"], ["3", "4"]], "strings"),
    ("objects-with-a-string", np.array([[1.0, "2"]], dtype=object), "str"),
    ("booleans", np.ones((4, 2), dtype=bool), "booleans"),
    ("ragged", [[1.0, 2.0], [3.0]], "numbers"),
    ("longdouble-overflow", np.full((3, 2), np.longdouble("1e400")), "NaN or infinite"),
]

BAD_PARAMS = [
    ("nan-weight", lambda: params(weights=(np.nan, 1.0)), "weights"),
    ("negative-weight", lambda: params(weights=(-0.5, 1.5)), "weights"),
    ("not-positive-definite", lambda: params(cov=((1.0, 2.0), (2.0, 1.0))), "not symmetric positive definite"),
    ("nan-covariance", lambda: params(cov=((np.nan, 0.0), (0.0, 1.0))), "NaN or infinite"),
    ("zero-covariance", lambda: params(cov=((0.0, 0.0), (0.0, 0.0))), "not symmetric positive definite"),
]


@pytest.mark.parametrize("bad, match", [(b, m) for _, b, m in BAD_X], ids=[i for i, _, _ in BAD_X])
@pytest.mark.parametrize("call", [score_samples, predict_proba, log_likelihood, e_step], ids=lambda f: f.__name__)
def test_bad_points_are_refused_at_every_entry(call, bad, match):
    with pytest.raises(GmmvizError, match=match):
        call(bad, GOOD)


@pytest.mark.parametrize("bad, match", [(b, m) for _, b, m in BAD_X], ids=[i for i, _, _ in BAD_X])
def test_bad_points_are_refused_by_the_estimator_and_the_m_step(bad, match):
    with pytest.raises(GmmvizError, match=match):
        GaussianMixture(1).fit(bad)
    fitted = GaussianMixture(2, random_state=0).fit(X)
    for method in (fitted.score_samples, fitted.predict_proba, fitted.predict, fitted.score, fitted.bic, fitted.aic):
        with pytest.raises(GmmvizError, match=match):
            method(bad)
    with pytest.raises(GmmvizError, match=match):
        m_step(bad, np.full((len(bad), 1), 1.0))


@pytest.mark.parametrize("make, match", [(b, m) for _, b, m in BAD_PARAMS], ids=[i for i, _, _ in BAD_PARAMS])
@pytest.mark.parametrize("call", [score_samples, predict_proba, log_likelihood, e_step], ids=lambda f: f.__name__)
def test_bad_parameters_are_refused_not_answered_with_nan(call, make, match):
    with pytest.raises(GmmvizError, match=match):
        call(X, make())


def test_sample_refuses_bad_parameters():
    with pytest.raises(GmmvizError, match="weights"):
        sample(params(weights=(np.nan, 1.0)), 10)


@pytest.mark.parametrize("means, covs", [
    ([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]], [np.eye(2)] * 2),  # (n, 3) means: reshaped silently before
    ([[0.0, 0.0]], [np.eye(2)] * 2),
    ([[0.0, 0.0], [1.0, 1.0]], [np.eye(3)] * 2),
    ([[0.0, 0.0], [1.0, 1.0]], [[1.0, 2.0]]),
])
def test_parameters_of_the_wrong_shape_are_a_typed_error(means, covs):
    with pytest.raises(GmmvizError, match="shapes"):
        GaussianParams([0.5, 0.5], means, covs)


def test_parameters_that_are_not_real_numbers_are_refused():
    with pytest.raises(GmmvizError, match="complex"):
        GaussianParams([0.5, 0.5], np.zeros((2, 2)) + 1j, [np.eye(2)] * 2)
    with pytest.raises(GmmvizError, match="strings"):
        GaussianParams(["0.5", "0.5"], np.zeros((2, 2)), [np.eye(2)] * 2)


@pytest.mark.parametrize("resp, match", [
    (np.full((60, 2), np.nan), "NaN"),
    (np.c_[np.full(60, 1.5), np.full(60, -0.5)], "negative"),
    (np.full((60, 2), 0.3), "sum to 1"),
    (np.full((59, 2), 0.5), "shape"),
    (np.full((60, 2), 0.5) + 0j, "complex"),
])
def test_m_step_refuses_impossible_responsibilities(resp, match):
    with pytest.raises(GmmvizError, match=match):
        m_step(X, resp)


@pytest.mark.parametrize("reg", [-1e-6, np.nan, np.inf, "1e-6", True])
def test_m_step_and_the_estimator_refuse_a_bad_reg_covar(reg):
    with pytest.raises(GmmvizError, match="reg_covar"):
        m_step(X, np.full((60, 2), 0.5), reg_covar=reg)
    with pytest.raises(GmmvizError, match="reg_covar"):
        GaussianMixture(2, reg_covar=reg).fit(X)


@pytest.mark.parametrize("n_init", [0, -5, "3", 2.0, True, None])
def test_n_init_must_be_a_positive_integer(n_init):
    with pytest.raises(GmmvizError, match="n_init"):
        GaussianMixture(2, n_init=n_init).fit(X)
    with pytest.raises(GmmvizError, match="n_init"):
        run_em(X, FitConfig(n_components=2), n_init=n_init)


def test_random_state_may_be_a_numpy_generator():
    a = GaussianMixture(3, n_init=3, init="random", random_state=np.random.default_rng(5)).fit(X)
    b = GaussianMixture(3, n_init=3, init="random", random_state=np.random.default_rng(5)).fit(X)
    np.testing.assert_array_equal(a.means_, b.means_)
    assert np.isfinite(a.lower_bound_)
    assert a.sample(5)[0].shape == (5, 2)
    with pytest.raises(GmmvizError, match="random_state"):
        GaussianMixture(2, random_state=np.random.RandomState(0)).fit(X)
    with pytest.raises(GmmvizError, match="random_state"):
        GaussianMixture(2, random_state=-1).fit(X)


# -- numbers at the edge of float64 ---------------------------------------------------------


@pytest.mark.parametrize("case", EXTREME_SCALES, ids=[c[0] for c in EXTREME_SCALES])
def test_any_finite_data_fits_or_is_refused_naming_the_range(case):
    _, scale, offset, options, expected = case
    reg = float(options[1]) if options else 1e-6
    data = two_blobs(scale, offset)
    config = FitConfig(n_components=2, reg_covar=reg, random_state=0, max_iter=200)
    if expected is not None:
        with pytest.raises(GmmvizError, match=re.escape(expected)):
            run_em(data, config)
        return
    last = run_em(data, config)[-1]
    p = last.params
    assert np.isfinite(p.means).all() and np.isfinite(p.covariances).all() and np.isfinite(p.weights).all()
    if scale > 0 and reg == 0.0:
        # Equivariance: the same fit as the unit-scale data, moved and scaled.
        unit = run_em(two_blobs(1.0, 0.0), config)[-1].params
        order = np.argsort(p.means[:, 0])
        np.testing.assert_allclose(p.means[order], unit.means[np.argsort(unit.means[:, 0])] * scale + offset,
                                   rtol=1e-9, atol=1e-9 * scale)
        np.testing.assert_allclose(p.covariances[order], unit.covariances[np.argsort(unit.means[:, 0])] * scale**2,
                                   rtol=1e-8, atol=1e-12 * scale**2)
        assert last.collapse is None


@pytest.mark.parametrize("x", [1e308, -1.7e308, 1e-308, 5e-324])
def test_the_standardised_frame_never_overflows(x):
    data = np.array([[x, -x], [x, x], [0.5 * x, 0.0]])
    std = Standardizer.fit(data)
    assert np.isfinite(std.shift).all() and np.isfinite(std.scale) and std.scale > 0
    assert np.isfinite(std.transform(data)).all()


@pytest.mark.parametrize("v", EXTREME_COVARIANCES)
def test_extreme_but_positive_definite_covariances_are_accepted_and_scored_exactly(v):
    cov = np.array([[v, 0.3 * v], [0.3 * v, 2 * v]])
    assert is_positive_definite(cov[None])[0]
    lam_min, lam_max = eigvals2(cov[None])
    np.testing.assert_allclose([lam_min[0], lam_max[0]], np.linalg.eigvalsh(cov / v) * v, rtol=1e-13)
    p = check_params([0.5, 0.5], [[0.0, 0.0], [1.0, 1.0]], [cov, np.eye(2)])
    pts = np.sqrt(v) * np.array([[0.1, -0.2], [1.0, 1.5], [-3.0, 2.0]])
    got = score_samples(pts, p)
    exact = [np.logaddexp(exact_log_density(x, y, 0.5, (0, 0), cov), exact_log_density(x, y, 0.5, (1, 1), np.eye(2)))
             for x, y in pts]
    np.testing.assert_allclose(got, exact, rtol=1e-13)
    assert cholesky2(*cov[0], cov[1, 1]) is not None


def test_a_point_beyond_float64_reach_scores_minus_infinity_without_warnings():
    far = np.array([[1e308, -1e308]])
    tiny = GaussianParams([1.0], [[-1e308, 1e308]], [1e-300 * np.eye(2)])
    assert score_samples(far, tiny)[0] == -np.inf


def test_an_absurd_reg_covar_gets_its_own_message_not_a_collapse():
    with pytest.raises(GmmvizError, match="absurdly large.*times the points' variance"):
        GaussianMixture(2, reg_covar=1e155).fit(X)


def test_collapse_messages_say_only_what_was_found():
    dup = np.r_[np.zeros((5, 2)), blobs(40, 1, 3)]  # five copies of one point
    gm = GaussianMixture(3, reg_covar=0.0, init="given", random_state=0,
                         init_means=[[0.0, 0.0], [0.1, 0.1], dup[10]]).fit(dup)
    assert gm.collapse_ is not None and set(gm.collapse_.kinds) <= {"point", "line", "empty"}
    msg = gm.collapse_.message
    if {"point", "line"} & set(gm.collapse_.kinds):
        variance = Standardizer.fit(dup).scale ** 2
        assert f"e.g. to {1e-6 * variance:.2g}" in msg  # a remedy that lifts every variance above the threshold
    else:
        assert "increase reg_covar" not in msg


def test_a_degenerate_given_start_is_not_reported_as_a_collapse_of_em():
    tiny = GaussianParams([0.5, 0.5], [[0.0, 0.0], [4.0, 4.0]], [1e-300 * np.eye(2), np.eye(2)])
    snaps = list(em_steps(X, FitConfig(n_components=2, init="given", init_params=tiny)))
    assert len(snaps) == 1 and snaps[0].collapse is not None
    assert snaps[0].collapse.message.startswith("The given initial parameters cannot start EM")
    assert "smallest variance 1e-300" in snaps[0].collapse.message
