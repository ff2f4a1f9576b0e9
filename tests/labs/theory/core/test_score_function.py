"""The score-function estimator: unbiased with either sampler, and useless with the prior beyond a few points."""

import numpy as np
import pytest

from gmmviz.labs.em.core.algorithms.ascent import ga_steps
from gmmviz.labs.em.core.algorithms.gradient import Layout
from gmmviz.labs.em.core.algorithms.score import assignment_count, score_estimates
from gmmviz.labs.em.core.algorithms.types import GradientConfig
from gmmviz.labs.em.core.types import FitConfig


def setup(T, seed=0, ctype="full"):
    rng = np.random.default_rng(seed)
    X = np.concatenate([rng.normal(size=(T - T // 2, 2)), rng.normal(size=(T // 2, 2)) + 2.0])
    layout = Layout(2, ctype)
    theta = np.concatenate([[0.2, -0.2], [0.1, -0.3, 1.8, 2.2], rng.normal(size=layout.size - 6) * 0.2])
    return X, layout, theta


def assert_unbiased(est):
    z = (est.mean - est.exact) / est.standard_error
    assert np.all(np.abs(z) < 4.0), z


@pytest.mark.slow
@pytest.mark.parametrize("ctype", ["full", "diag", "spherical", "tied"])
def test_posterior_sampler_is_unbiased(ctype):
    X, layout, theta = setup(30, ctype=ctype)
    est = score_estimates(X, layout, theta, samples=1, sampler="posterior", repeats=10_000, rng=1)
    assert_unbiased(est)
    assert np.all(est.ess == 1.0)


@pytest.mark.slow
@pytest.mark.parametrize("T", [3, 5])
def test_prior_sampler_is_unbiased_on_a_few_points(T):
    X, layout, theta = setup(T)
    est = score_estimates(X, layout, theta, samples=1, sampler="prior", repeats=10_000, rng=2)
    assert_unbiased(est)


def test_m_samples_shrink_the_spread_like_one_over_root_m():
    X, layout, theta = setup(20)
    one = score_estimates(X, layout, theta, samples=1, repeats=2000, rng=3).spread
    many = score_estimates(X, layout, theta, samples=16, repeats=2000, rng=4).spread
    np.testing.assert_allclose(many / one, 0.25, rtol=0.15)


def test_the_prior_sampler_is_useless_beyond_a_few_points():
    X, layout, theta = setup(200)
    prior = score_estimates(X, layout, theta, samples=100, sampler="prior", repeats=20, rng=5)
    post = score_estimates(X, layout, theta, samples=100, sampler="posterior", repeats=20, rng=5)
    assert prior.negligible > 0.95  # almost every sampled z has negligible P(X | z)
    assert np.median(prior.ess) < 1.5  # one draw carries each estimate
    prior_err = np.linalg.norm(prior.estimates - prior.exact, axis=1).mean()
    post_err = np.linalg.norm(post.estimates - post.exact, axis=1).mean()
    assert prior_err > 10 * post_err
    assert assignment_count(2, 200) == 2**200


def test_score_function_ascent_climbs_with_the_posterior_sampler():
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(size=(100, 2)), rng.normal(size=(100, 2)) + 4.0])
    base = FitConfig(n_components=2, init="random", max_iter=60, tol=0.0, random_state=1)
    snaps = list(ga_steps(X, GradientConfig(base=base, step_size=0.2, score=True, samples=5), keep_resp=False))
    assert snaps[-1].log_likelihood > snaps[0].log_likelihood
    assert all(np.isfinite(s.estimate_norm) for s in snaps if s.phase == "M")
