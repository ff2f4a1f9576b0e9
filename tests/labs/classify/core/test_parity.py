"""Parity with independent oracles: scikit-learn's GaussianNB, QDA, LDA, GaussianMixture, and numpy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import logsumexp
from sklearn.base import BaseEstimator
from sklearn.discriminant_analysis import (
    LinearDiscriminantAnalysis,
    QuadraticDiscriminantAnalysis,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture
from sklearn.naive_bayes import GaussianNB

from gmmviz import LDA, QDA, GMMClassifier, NaiveBayes
from tests.labs.classify.core.helpers import blobs

TOL = 1e-8


class MLEPlusReg(BaseEstimator):
    """A covariance estimator for scikit-learn's discriminant analysis: divisor n, plus reg on the diagonal."""

    def __init__(self, reg=0.0):
        self.reg = reg

    def fit(self, X, y=None):
        d = X - X.mean(axis=0)
        self.covariance_ = d.T @ d / X.shape[0] + self.reg * np.eye(X.shape[1])
        return self


@pytest.fixture(params=[2, 3, 5], ids=lambda d: f"d{d}")
def data(request):
    X, y = blobs(d=request.param, seed=request.param)
    rng = np.random.default_rng(7)
    X_eval = np.vstack([X, rng.uniform(X.min(0) - 3, X.max(0) + 3, (200, X.shape[1]))])
    return X, y, X_eval


def test_diagonal_naive_bayes_is_gaussian_nb(data):
    X, y, X_eval = data
    smoothing = 1e-3
    ours = NaiveBayes("diag", reg_covar=smoothing * X.var(axis=0).max()).fit(X, y)
    ref = GaussianNB(var_smoothing=smoothing).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X_eval), ref.predict_proba(X_eval), atol=TOL, rtol=0)
    np.testing.assert_allclose(ours.predict_joint_log_proba(X_eval), ref.predict_joint_log_proba(X_eval), rtol=1e-10)
    np.testing.assert_allclose(ours.variances_, ref.var_, rtol=1e-12)
    np.testing.assert_array_equal(ours.predict(X_eval), ref.predict(X_eval))


def test_isotropic_naive_bayes_is_the_slides_formula(data):
    """x | y = i ~ N(mu_i, sigma_i^2 I), sigma_i^2 the mean of the class's MLE variances, P(y = i) = N_i / N."""
    X, y, X_eval = data
    reg = 1e-4
    ours = NaiveBayes(reg_covar=reg).fit(X, y)
    n, d = X.shape
    joint = []
    for c in np.unique(y):
        Xc = X[y == c]
        mu = Xc.mean(axis=0)
        s2 = np.mean((Xc - mu) ** 2) + reg  # pooled over coordinates, divisor N_i
        sq = np.sum((X_eval - mu) ** 2, axis=1)
        joint.append(-0.5 * d * np.log(2 * np.pi * s2) - sq / (2 * s2) + np.log(len(Xc) / n))
    joint = np.array(joint).T
    expected = np.exp(joint - logsumexp(joint, axis=1, keepdims=True))
    np.testing.assert_allclose(ours.predict_proba(X_eval), expected, atol=TOL, rtol=0)
    np.testing.assert_allclose(ours.predict_joint_log_proba(X_eval), joint, rtol=1e-10)


@pytest.mark.parametrize("reg", [0.0, 0.05])
def test_qda_is_sklearn_qda_with_the_same_covariances(data, reg):
    X, y, X_eval = data
    ours = QDA(reg_covar=reg).fit(X, y)
    if reg == 0.0:  # scikit-learn's SVD solver: divisor n, nothing added
        ref = QuadraticDiscriminantAnalysis(store_covariance=True).fit(X, y)
    else:
        ref = QuadraticDiscriminantAnalysis(solver="eigen", covariance_estimator=MLEPlusReg(reg),
                                            store_covariance=True).fit(X, y)
    np.testing.assert_allclose(ours.covariances_, np.array(ref.covariance_), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.predict_proba(X_eval), ref.predict_proba(X_eval), atol=TOL, rtol=0)
    np.testing.assert_array_equal(ours.predict(X_eval), ref.predict(X_eval))


@pytest.mark.parametrize("reg", [0.0, 0.05])
def test_lda_is_sklearn_lda_lsqr(data, reg):
    X, y, X_eval = data
    ours = LDA(reg_covar=reg).fit(X, y)
    ref = LinearDiscriminantAnalysis(solver="lsqr", covariance_estimator=MLEPlusReg(reg)).fit(X, y)
    np.testing.assert_allclose(ours.covariance_, ref.covariance_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.predict_proba(X_eval), ref.predict_proba(X_eval), atol=TOL, rtol=0)
    np.testing.assert_array_equal(ours.predict(X_eval), ref.predict(X_eval))


def _start(Xc: np.ndarray, k: int, ctype: str, rng) -> dict:
    means = Xc[rng.choice(Xc.shape[0], k, replace=False)]
    cov = np.cov(Xc.T, bias=True) / k
    covs = {"full": np.repeat(cov[None], k, axis=0), "tied": cov,
            "diag": np.repeat(np.diag(cov)[None], k, axis=0),
            "spherical": np.full(k, np.trace(cov) / Xc.shape[1])}[ctype]
    return {"weights": np.full(k, 1.0 / k), "means": means, "covariances": covs}


def _precisions(covs: np.ndarray, ctype: str) -> np.ndarray:
    return np.linalg.inv(covs) if ctype in ("full", "tied") else 1.0 / covs


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("ctype", ["full", "diag", "spherical", "tied"])
def test_gmm_classifier_is_per_class_gaussian_mixtures_plus_log_priors(data, ctype):
    X, y, X_eval = data
    ks = {"a": 3, "b": 2, "c": 1}
    rng = np.random.default_rng(3)
    starts = {c: _start(X[y == c], ks[c], ctype, rng) for c in ks}
    its = 15
    ours = GMMClassifier(ks, covariance_type=ctype, init_params=starts, tol=0.0, max_iter=its, reg_covar=1e-4).fit(X, y)
    joint = []
    for c in sorted(ks):
        s = starts[c]
        gm = GaussianMixture(ks[c], covariance_type=ctype, weights_init=s["weights"], means_init=s["means"],
                             precisions_init=_precisions(s["covariances"], ctype), tol=0.0, max_iter=its,
                             reg_covar=1e-4).fit(X[y == c])
        i = sorted(ks).index(c)
        np.testing.assert_allclose(ours.means_[i], gm.means_, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(ours.covariances_[i], gm.covariances_, rtol=1e-9, atol=1e-9)
        joint.append(gm.score_samples(X_eval) + np.log(np.mean(y == c)))
    joint = np.array(joint).T
    expected = np.exp(joint - logsumexp(joint, axis=1, keepdims=True))
    np.testing.assert_allclose(ours.predict_proba(X_eval), expected, atol=TOL, rtol=0)
    np.testing.assert_allclose(ours.predict_log_proba(X_eval), joint - logsumexp(joint, axis=1, keepdims=True),
                               rtol=1e-8, atol=1e-8)


def test_gmm_classifier_keeps_given_priors_in_bayes_rule():
    X, y = blobs(d=2, seed=11)
    priors = {"a": 0.6, "b": 0.3, "c": 0.1}
    with pytest.warns(ConvergenceWarning):  # scikit-learn's; ours stops at max_iter quietly
        gms = [GaussianMixture(1, tol=0.0, max_iter=1).fit(X[y == c]) for c in "abc"]
    ours = GMMClassifier(1, priors=priors).fit(X, y)
    joint = np.array([gm.score_samples(X) + np.log(priors[c]) for gm, c in zip(gms, "abc")]).T
    expected = np.exp(joint - logsumexp(joint, axis=1, keepdims=True))
    np.testing.assert_allclose(ours.predict_proba(X), expected, atol=TOL, rtol=0)
    np.testing.assert_allclose(ours.class_prior_, [0.6, 0.3, 0.1])
