"""Parity with scikit-learn, the independent oracle for EM itself.

From the same initial parameters and with tol=0, every covariance type and
several seeded datasets: the log-likelihood after each M-step must equal
scikit-learn's to 1e-8 relative, and the final parameters to 1e-6.
"""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from gmmviz.labs.em.core import FitConfig, em_steps
from gmmviz.labs.em.core.estimator import GaussianMixture
from gmmviz.core.mixture import bic, aic, n_parameters

from core.helpers import blobs, precisions, random_params

N_ITER = 12


def sklearn_trajectory(X, params, reg_covar, n_iter):
    """ln p(X | theta_i) for i = 1..n_iter, and scikit-learn's final model."""
    lls, model = [], None
    for i in range(1, n_iter + 1):
        model = SkGaussianMixture(
            params.n_components,
            covariance_type=params.covariance_type,
            weights_init=params.weights,
            means_init=params.means,
            precisions_init=precisions(params),
            reg_covar=reg_covar,
            max_iter=i,
            tol=0.0,
            random_state=0,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X)
        lls.append(model.score(X) * X.shape[0])
    return np.array(lls), model


@pytest.mark.parametrize("covariance_type", ["full", "diag", "spherical", "tied"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_trajectory_and_parameters_match_sklearn(covariance_type, seed):
    k = 3
    X = blobs(300, k, seed)
    init = random_params(k, covariance_type, seed + 100, X)
    reg = 1e-6
    config = FitConfig(
        n_components=k, covariance_type=covariance_type, init="given",
        init_params=init, reg_covar=reg, tol=0.0, max_iter=N_ITER,
    )
    snaps = list(em_steps(X, config))
    ours = np.array([s.log_likelihood for s in snaps if s.phase == "M"])
    theirs, model = sklearn_trajectory(X, init, reg, N_ITER)
    assert ours.shape == theirs.shape == (N_ITER,)
    np.testing.assert_allclose(ours, theirs, rtol=1e-8)
    final = snaps[-1].params
    np.testing.assert_allclose(final.weights, model.weights_, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(final.means, model.means_, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(final.covariances, model.covariances_, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("covariance_type", ["full", "diag", "spherical", "tied"])
def test_parity_holds_far_from_the_origin_and_at_tiny_scale(covariance_type):
    """Offsets of 1e6 and scales of 1e-9 fit exactly as the unit data do."""
    k = 2
    X = blobs(200, k, 7)
    init = random_params(k, covariance_type, 8, X)
    base = list(em_steps(X, FitConfig(n_components=k, covariance_type=covariance_type, init="given",
                                      init_params=init, reg_covar=0.0, tol=0.0, max_iter=15)))
    for shift, scale in [(1e6, 1.0), (0.0, 1e-9), (-3e5, 1e4)]:
        Xt = X * scale + shift
        it = type(init)(init.weights, init.means * scale + shift, init.covariances * scale**2, covariance_type)
        run = list(em_steps(Xt, FitConfig(n_components=k, covariance_type=covariance_type, init="given",
                                          init_params=it, reg_covar=0.0, tol=0.0, max_iter=15)))
        jac = X.shape[0] * 2 * np.log(scale)
        for a, b in zip(base, run):
            assert b.log_likelihood == pytest.approx(a.log_likelihood - jac, rel=1e-8, abs=1e-6)
        np.testing.assert_allclose(run[-1].params.means, base[-1].params.means * scale + shift,
                                   rtol=1e-9, atol=1e-7 * scale)
        np.testing.assert_allclose(run[-1].params.covariances, base[-1].params.covariances * scale**2,
                                   rtol=1e-7)


@pytest.mark.parametrize("covariance_type", ["full", "diag", "spherical", "tied"])
def test_information_criteria_match_sklearn(covariance_type):
    X = blobs(250, 3, 11)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = SkGaussianMixture(3, covariance_type=covariance_type, random_state=0).fit(X)
    ll = sk.score(X) * X.shape[0]
    assert n_parameters(3, covariance_type) == sk._n_parameters()
    assert bic(ll, X.shape[0], 3, covariance_type) == pytest.approx(sk.bic(X), rel=1e-12)
    assert aic(ll, 3, covariance_type) == pytest.approx(sk.aic(X), rel=1e-12)


def test_old_faithful_gives_the_classic_two_clusters():
    from gmmviz.core.resources import resource

    with resource("data", "faithful.csv").open("r") as fh:
        X = np.loadtxt(fh, delimiter=",", skiprows=1)
    gm = GaussianMixture(2, random_state=0).fit(X)
    order = np.argsort(gm.means_[:, 0])
    np.testing.assert_allclose(gm.means_[order], [[2.04, 54.48], [4.29, 79.97]], atol=0.02)
    np.testing.assert_allclose(gm.weights_[order], [0.356, 0.644], atol=0.005)
    sk = SkGaussianMixture(2, random_state=0).fit(X)
    assert gm.score(X) == pytest.approx(sk.score(X), abs=1e-4)
