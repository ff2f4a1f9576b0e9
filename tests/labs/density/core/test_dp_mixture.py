"""The numpy infinite mixture against scikit-learn's BayesianGaussianMixture (the same updates), on all points."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad

from gmmviz.labs.density.core.dp_mixture import (
    Continuation,
    Groups,
    Priors,
    e_step,
    fit_dp_mixture,
    grouping,
    m_step,
)
from gmmviz.labs.density.core.truth import distribution


def _sklearn(X, alpha, k, reg):
    from sklearn.mixture import BayesianGaussianMixture

    return BayesianGaussianMixture(n_components=k, weight_concentration_prior=alpha, reg_covar=reg, max_iter=30,
                                   random_state=0).fit(X)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("d", [1, 2])
def test_e_and_m_steps_are_scikit_learns(d):
    rng = np.random.default_rng(d)
    X = np.concatenate([rng.normal(size=(150, d)), rng.normal(size=(100, d)) * 0.5 + 3.0])
    ref = _sklearn(X, 0.3, 5, 1e-4)
    # E-step: our responsibilities under scikit-learn's posterior are its predict_proba
    from gmmviz.labs.density.core.dp_mixture import DP, _precision_cholesky
    from gmmviz.labs.em.core.algorithms.vb_elbo import Posterior

    dof = ref.degrees_of_freedom_
    q = Posterior(np.stack(ref.weight_concentration_), ref.mean_precision_, ref.means_, dof,
                  ref.covariances_ * dof[:, None, None])
    log_resp, _ = e_step(X, q)
    np.testing.assert_allclose(np.exp(log_resp), ref.predict_proba(X), atol=1e-10)
    np.testing.assert_allclose(q.weights(DP), ref.weights_, rtol=1e-10)
    # M-step: from the same responsibilities, the same posterior as scikit-learn's _m_step
    ours = m_step(Groups.of_points(X), np.exp(log_resp), Priors.of(X, 0.3, 1e-4))
    ref._m_step(X, log_resp)
    np.testing.assert_allclose(ours.concentration[0], ref.weight_concentration_[0], rtol=1e-10)
    np.testing.assert_allclose(ours.concentration[1], ref.weight_concentration_[1], rtol=1e-10)
    np.testing.assert_allclose(ours.beta, ref.mean_precision_, rtol=1e-10)
    np.testing.assert_allclose(ours.dof, ref.degrees_of_freedom_, rtol=1e-10)
    np.testing.assert_allclose(ours.means, ref.means_, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(ours.covariances, ref.covariances_, rtol=1e-9)
    np.testing.assert_allclose(_precision_cholesky(ours.covariances), ref.precisions_cholesky_, rtol=1e-9)

def test_bins_keep_the_exact_sums_of_their_points():
    x = distribution("lognormal").sample(5000, 3)
    g = grouping(x[:, None])
    assert g.X.shape[0] < 1024 and g.w.sum() == 5000
    assert g.w @ g.X[:, 0] == pytest.approx(x.sum(), rel=1e-12)
    # the scatter within bins plus between bins is the total scatter
    total = g.scatter.sum() + g.w @ (g.X[:, 0] - x.mean()) ** 2
    assert total == pytest.approx(((x - x.mean()) ** 2).sum(), rel=1e-10)


def test_binned_fit_of_all_points_matches_the_fit_of_every_point():
    x = distribution("bimodal").sample(3000, 1)[:, None]
    binned = fit_dp_mixture(x, 1.0, seed=0)
    assert binned.n_points == 3000 and binned.converged
    from gmmviz.labs.density.core.dp_mixture import _fit, kmeans_resp

    g = Groups.of_points(x)
    exact, _, _ = _fit(x, g, kmeans_resp(x, g, 20, 0), 1.0, None, 1000, 1e-4)
    probe = np.linspace(-4, 4, 200)[:, None]
    assert np.abs(binned.log_density(x).mean() - exact.log_density(x).mean()) < 2e-3
    assert np.max(np.abs(np.exp(binned.log_density(probe)) - np.exp(exact.log_density(probe)))) < 5e-3


def test_a_fit_of_10000_points_is_a_density_and_uses_few_components():
    x = distribution("bimodal").sample(10_000, 2)
    dp = fit_dp_mixture(x, 1.0)
    assert dp.n_points == 10_000 and 2 <= dp.n_used <= 6
    total, _ = quad(lambda t: float(np.exp(dp.log_density([t])[0])), -20, 20, limit=400, epsabs=1e-12)
    assert total == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize("n", [30_000, 75_000])
def test_a_fit_of_many_points_prunes_to_the_truth_from_a_subsample_start(n):
    """Two Gaussians: from k-means on all points, VB still used 10-19 components when its weights stopped
    moving; from the subsample's fit it uses 2-3, a density, the same again from the same seed."""
    from gmmviz.labs.density.core.dp_mixture import (
        START_ABOVE,
        _fit,
        grouping,
        start_resp,
    )

    x = distribution("bimodal").sample(n, 3)[:, None]
    assert n > START_ABOVE
    dp = fit_dp_mixture(x, 1.0, seed=0)
    assert dp.n_points == n and dp.converged and 2 <= dp.n_used <= 3
    g = grouping(x)
    again, _, _ = _fit(x, g, start_resp(x, g, 20, 0, 1.0, None, 1000, 1e-4), 1.0, None, 1000, 1e-4)
    np.testing.assert_array_equal(again.density.mixture.weights, dp.density.mixture.weights)  # seeded
    total, _ = quad(lambda t: float(np.exp(dp.log_density([t])[0])), -20, 20, limit=400, epsabs=1e-12)
    assert total == pytest.approx(1.0, abs=1e-6)


def test_the_continuation_starts_each_concentration_from_the_last_and_scores_like_a_cold_fit():
    x = distribution("mixture").sample(4000, 5)[:, None]
    run = Continuation()
    fits = [run(x, a, 0) for a in (1e3, 10.0, 0.01)]
    assert fits[1].density.n_iter < fits[0].density.n_iter and fits[2].density.n_iter < fits[0].density.n_iter
    cold = fit_dp_mixture(x, 0.01, seed=0)
    assert abs(fits[2].log_density(x).mean() - cold.log_density(x).mean()) < 0.01


def test_the_2d_fit_uses_every_painted_point():
    rng = np.random.default_rng(7)
    X = np.concatenate([rng.normal(size=(200, 2)), rng.normal(size=(200, 2)) + [5.0, 0.0]])
    dp = fit_dp_mixture(X, 0.1, max_components=8)
    assert dp.n_features == 2 and dp.n_points == 400 and 2 <= dp.n_used <= 4
