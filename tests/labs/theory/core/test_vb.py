"""Variational Bayes against scikit-learn's BayesianGaussianMixture, stepped one iteration at a time."""

import warnings

import numpy as np
import pytest

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.em.core.algorithms.run import run_algorithm
from gmmviz.labs.em.core.algorithms.types import VBConfig
from gmmviz.labs.em.core.algorithms.vb import vb_steps
from gmmviz.labs.em.core.run_history import RunHistory, Step
from gmmviz.labs.em.core.types import FitConfig

TYPES = ("full", "diag", "spherical", "tied")
PRIORS = {"dirichlet": "dirichlet_distribution", "dirichlet-process": "dirichlet_process"}


def data(seed=3):
    rng = np.random.default_rng(seed)
    blobs = [rng.normal(size=(150, 2)) @ rng.normal(size=(2, 2)) * 0.6 + c for c in ([0, 0], [4, 1], [1, 5])]
    return np.concatenate(blobs) * 3.0 + 100.0  # off the origin, not unit scale


def sklearn_stepper(X, resp, ctype, prior, concentration, reg):
    from sklearn.mixture import BayesianGaussianMixture

    est = BayesianGaussianMixture(n_components=resp.shape[1], covariance_type=ctype, warm_start=True, max_iter=1,
                                  weight_concentration_prior_type=PRIORS[prior], reg_covar=reg,
                                  weight_concentration_prior=concentration)
    # The same initial responsibilities: scikit-learn's own initialisation from resp, then warm starts.
    est._check_parameters(X)
    est._initialize(X, resp)
    est.converged_, est.lower_bound_ = False, -np.inf
    return est


@pytest.mark.parametrize("prior", list(PRIORS))
@pytest.mark.parametrize("ctype", TYPES)
def test_parity_with_sklearn_one_iteration_at_a_time(ctype, prior):
    from sklearn.exceptions import ConvergenceWarning

    X = data()
    rng = np.random.default_rng(7)
    resp = rng.uniform(size=(X.shape[0], 4))
    resp /= resp.sum(axis=1, keepdims=True)
    cfg = VBConfig(base=FitConfig(n_components=4, covariance_type=ctype, max_iter=15, tol=0.0, reg_covar=1e-6),
                   weight_prior=prior, concentration=0.3, init_resp=resp)
    snaps = list(vb_steps(X, cfg))
    est = sklearn_stepper(X, resp, ctype, prior, 0.3, 1e-6)
    bounds = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for snap in [s for s in snaps if s.phase == "M"]:
            est.fit(X)
            np.testing.assert_allclose(snap.params.weights, est.weights_, rtol=0, atol=1e-8)
            np.testing.assert_allclose(snap.params.means, est.means_, rtol=1e-8, atol=1e-8)
            np.testing.assert_allclose(snap.params.covariances, est.covariances_, rtol=1e-8, atol=1e-8)
            bounds.append((snap.elbo, float(np.squeeze(est.lower_bound_))))
    elbo = np.array([s.elbo for s in snaps])
    assert np.all(np.diff(elbo) >= -1e-9 * np.abs(elbo[1:]))  # never decreases, half-step by half-step
    mine, theirs = np.array(bounds).T
    if ctype != "tied":  # scikit-learn's bound drops only constants: ours differs from it by one number
        assert np.ptp(mine - theirs) < 1e-6 * np.abs(mine).max()


def test_elbo_terms_sum_to_the_elbo_and_the_dirichlet_process_prunes():
    X = data()
    cfg = VBConfig(base=FitConfig(n_components=8, max_iter=300, tol=1e-8, random_state=0),
                   weight_prior="dirichlet-process", concentration=0.01, prune_threshold=1e-2)
    snaps = list(vb_steps(X, cfg, keep_resp=False))
    last = snaps[-1]
    assert sum(last.elbo_terms.values()) == pytest.approx(last.elbo)
    assert last.lower_bound == last.elbo
    assert 1 <= sum(last.pruned) <= 6
    assert np.isfinite(last.log_likelihood)
    assert all(s.elbo_terms["H[q(z)]"] >= 0 for s in snaps)


def test_vb_snapshots_follow_ems_protocol_and_run_algorithm_picks_the_best_elbo():
    X = data()
    base = FitConfig(n_components=3, max_iter=10, tol=0.0, random_state=0)
    snaps = list(vb_steps(X, VBConfig(base=base)))
    assert [s.phase for s in snaps] == ["init"] + ["E", "M"] * 10
    assert all(s.resp is not None for s in snaps if s.phase == "E")
    history = RunHistory(1, X, base)
    for s in snaps:
        history.append(Step(s))
    np.testing.assert_allclose(history.curves()["bound"], [s.elbo for s in snaps])
    runs = [list(vb_steps(X, VBConfig(base=base.replace(random_state=i)), keep_resp=False))[-1].elbo for i in range(3)]
    best = run_algorithm(X, VBConfig(base=base), n_init=3)
    assert best[-1].elbo == pytest.approx(max(runs))


@pytest.mark.parametrize("bad", [dict(weight_prior="beta"), dict(concentration=0.0), dict(degrees_of_freedom_prior=0.5),
                                 dict(init_resp=np.ones((3, 3))), dict(mean_prior=[1.0, 2.0, 3.0]),
                                 dict(covariance_prior=np.eye(3)), dict(covariance_prior=[[1.0, 2.0], [2.0, 1.0]]),
                                 dict(mean_prior="centre"), dict(mean_precision_prior=-1.0)])
def test_bad_options_are_refused(bad):
    with pytest.raises(GmmvizError):
        list(vb_steps(data(), VBConfig(base=FitConfig(n_components=3, max_iter=2), **bad)))


def test_vb_starts_from_given_parameters_or_means():
    from gmmviz.core.gaussian import predict_proba
    from gmmviz.core.mixture import GaussianParams

    X = data()
    given = GaussianParams(np.full(3, 1 / 3), X[[0, 200, 400]], np.repeat(np.cov(X.T)[None] / 4, 3, axis=0))
    base = FitConfig(n_components=3, init="given", init_params=given, max_iter=3)
    resp = predict_proba(X, given)
    a = [s.params.means for s in vb_steps(X, VBConfig(base=base))]
    b = [s.params.means for s in vb_steps(X, VBConfig(base=base.replace(init="kmeans++", init_params=None), init_resp=resp))]
    np.testing.assert_allclose(a, b, rtol=1e-9)
    means_only = FitConfig(n_components=3, init="given", init_means=X[[0, 200, 400]], max_iter=3)
    assert list(vb_steps(X, VBConfig(base=means_only)))[-1].phase == "M"


def test_given_priors_in_data_units_match_sklearn():
    from sklearn.exceptions import ConvergenceWarning

    X = data()
    rng = np.random.default_rng(2)
    resp = rng.dirichlet(np.ones(3), size=X.shape[0])
    prior = dict(mean_prior=[101.0, 105.0], covariance_prior=[[20.0, 3.0], [3.0, 10.0]], degrees_of_freedom_prior=4.0,
                 mean_precision_prior=0.5)
    cfg = VBConfig(base=FitConfig(n_components=3, max_iter=2, tol=0.0), init_resp=resp, concentration=2.0, **prior)
    snaps = [s for s in vb_steps(X, cfg) if s.phase == "M"]
    est = sklearn_stepper(X, resp, "full", "dirichlet", 2.0, 1e-6)
    est.set_params(**prior)
    est._check_parameters(X)
    est._initialize(X, resp)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for snap in snaps:
            est.fit(X)
            np.testing.assert_allclose(snap.params.weights, est.weights_, rtol=0, atol=1e-8)
            np.testing.assert_allclose(snap.params.means, est.means_, rtol=1e-8)
            np.testing.assert_allclose(snap.params.covariances, est.covariances_, rtol=1e-8)
