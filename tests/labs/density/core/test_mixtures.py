"""Mixtures against scikit-learn's GaussianMixture from the same parameters; the infinite mixture."""

import numpy as np
import pytest
from scipy.integrate import quad

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.density.core.dp_mixture import USED_WEIGHT, fit_dp_mixture
from gmmviz.labs.density.core.mixture import fit_gmm
from gmmviz.labs.density.core.truth import distribution


def _sklearn_with(m):
    from sklearn.mixture import GaussianMixture

    gm = GaussianMixture(m.n_components, covariance_type="full")
    mix = m.mixture
    gm.weights_, gm.means_, gm.covariances_ = mix.weights, mix.means, mix.full_covariances()
    gm.precisions_cholesky_ = mix.precisions_cholesky
    return gm


@pytest.mark.parametrize("d", [1, 2])
def test_gmm_log_density_and_bic_equal_sklearn_from_the_same_parameters(d):
    rng = np.random.default_rng(d)
    X = np.r_[rng.normal(-2, 0.5, (300, d)), rng.normal(2, 1.0, (200, d))]
    m = fit_gmm(X[:400], 3, seed=1)
    gm = _sklearn_with(m)
    np.testing.assert_allclose(m.log_density(X[400:]), gm.score_samples(X[400:]), rtol=1e-10)
    assert m.train_log_likelihood == pytest.approx(gm.score(X[:400]) * 400, rel=1e-10)
    assert m.bic() == pytest.approx(gm.bic(X[:400]), rel=1e-10)
    assert m.aic() == pytest.approx(gm.aic(X[:400]), rel=1e-10)


def test_gmm_density_integrates_to_one_in_1d():
    x = distribution("mixture").sample(500, 0)
    m = fit_gmm(x, 4)
    total, _ = quad(lambda t: float(np.exp(m.log_density([t])[0])), -30, 30, limit=400, epsabs=1e-12)
    assert total == pytest.approx(1.0, abs=1e-6)


def test_gmm_density_integrates_to_one_in_2d():
    X = np.random.default_rng(3).normal(size=(300, 2)) * [2.0, 0.5]
    m = fit_gmm(X, 2)
    gx, gy = np.linspace(-16, 16, 801), np.linspace(-5, 5, 801)
    G = np.stack(np.meshgrid(gx, gy, indexing="ij"), axis=-1).reshape(-1, 2)
    dens = np.exp(m.log_density(G)).reshape(801, 801)
    assert np.trapezoid(np.trapezoid(dens, gy, axis=1), gx) == pytest.approx(1.0, abs=1e-6)


def test_gmm_rejects_more_components_than_points():
    with pytest.raises(GmmvizError, match="K must be"):
        fit_gmm([0.0, 1.0, 2.0], 4)


def test_the_infinite_mixture_uses_fewer_components_with_a_smaller_concentration():
    x = distribution("bimodal").sample(600, 1)
    small = fit_dp_mixture(x, 1e-3, max_components=10, seed=0)
    large = fit_dp_mixture(x, 1e3, max_components=10, seed=0)
    assert 2 <= small.n_used <= large.n_used
    assert small.n_used == int((small.density.mixture.weights >= USED_WEIGHT).sum())
    assert small.density.mixture.weights.sum() == pytest.approx(1.0, abs=1e-12)
    total, _ = quad(lambda t: float(np.exp(small.log_density([t])[0])), -20, 20, limit=400, epsabs=1e-12)
    assert total == pytest.approx(1.0, abs=1e-6)


def test_the_infinite_mixture_density_is_its_point_estimate():
    """Its ln p is the mixture of its own weights, means and covariances (scipy's normal densities):
    a proper density, not scikit-learn's score_samples with variational terms."""
    from scipy import stats

    X = distribution("mixture").sample(400, 2)[:, None]
    dp = fit_dp_mixture(X, 0.5, max_components=6, seed=4)
    m = dp.density.mixture
    assert m.weights.sum() == pytest.approx(1.0, abs=1e-12) and 1 <= dp.n_used <= 6
    grid = np.linspace(-4, 5, 50)[:, None]
    expected = np.log(sum(w * stats.norm(mu[0], np.sqrt(c[0, 0])).pdf(grid[:, 0])
                          for w, mu, c in zip(m.weights, m.means, m.full_covariances())))
    np.testing.assert_allclose(dp.log_density(grid), expected, rtol=1e-10)
    assert dp.density.train_log_likelihood == pytest.approx(float(dp.log_density(X).sum()), rel=1e-12)
