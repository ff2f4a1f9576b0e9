"""Bayes' rule behaves: finite far away, priors move the boundary, degenerate classes, labels, options."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest

from gmmviz import LDA, QDA, GMMClassifier, NaiveBayes
from gmmviz.core.errors import GmmvizError
from gmmviz.labs.classify.core.em_nd import fit_mixture_nd
from gmmviz.labs.classify.core.fitting import encode_labels, fit_gaussian_classes
from gmmviz.labs.classify.core.model import ClassDensity
from gmmviz.labs.classify.core.split import stratified_split
from gmmviz.labs.classify.estimators import ComponentsClampedWarning
from tests.labs.classify.core.helpers import blobs, two_component_classes

ALL = [NaiveBayes, lambda **kw: NaiveBayes("diag", **kw), QDA, LDA, GMMClassifier,
       lambda **kw: GMMClassifier(3, covariance_type="diag", **kw)]
IDS = ["nb", "nb-diag", "qda", "lda", "gmm", "gmm-diag"]


@pytest.mark.parametrize("make", ALL, ids=IDS)
@pytest.mark.parametrize("d", [2, 4])
def test_rows_sum_to_one_and_stay_finite_a_million_units_away(make, d):
    X, y = blobs(d=d, seed=d)
    est = make().fit(X, y)
    far = np.vstack([np.full(d, 1e6), np.full(d, -1e6), np.r_[1e6, np.zeros(d - 1)], np.zeros(d)])
    P = est.predict_proba(far)
    assert np.isfinite(P).all()
    np.testing.assert_allclose(P.sum(axis=1), 1.0, atol=1e-12)
    assert np.isfinite(est.predict_log_proba(far)).all()
    assert np.isfinite(est.class_log_likelihood(far)).all()


def _boundary(est, lo: float, hi: float) -> float:
    """x where P(class 0 | (x, 0)) = 1/2, by bisection (class 0 on the left)."""
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if est.predict_proba([[mid, 0.0]])[0, 0] > 0.5:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


@pytest.mark.parametrize("make", ALL, ids=IDS)
def test_a_larger_prior_moves_the_boundary_towards_the_other_class(make):
    rng = np.random.default_rng(5)
    X = np.vstack([rng.normal([-2, 0], 1.0, (200, 2)), rng.normal([2, 0], 1.0, (200, 2))])
    y = np.array(["left"] * 200 + ["right"] * 200)
    even = _boundary(make().fit(X, y), -2, 2)
    favoured = _boundary(make(priors={"left": 0.9, "right": 0.1}).fit(X, y), -2, 2)
    disfavoured = _boundary(make(priors=[0.2, 0.8]).fit(X, y), -2, 2)
    assert favoured > even + 0.3  # left's region grows towards right
    assert disfavoured < even - 0.2


@pytest.mark.parametrize("make", ALL, ids=IDS)
def test_a_class_of_one_point_or_of_identical_points_gets_finite_probabilities(make):
    X, y = blobs(d=2, seed=3)
    X = np.vstack([X, [[0.5, 0.5]], [[4.0, 4.0]] * 5])
    y = np.r_[y, ["single"], ["same"] * 5]
    # (pytest turns any other warning into an error)
    with pytest.warns(ComponentsClampedWarning) if make in ALL[4:] else contextlib.nullcontext():
        est = make().fit(X, y)
    probe = np.vstack([X, [[0.5, 0.5], [4.0, 4.0], [1e6, -1e6]]])
    P = est.predict_proba(probe)
    assert np.isfinite(P).all()
    np.testing.assert_allclose(P.sum(axis=1), 1.0, atol=1e-12)
    classes = list(est.classes_)
    if make is not LDA:  # LDA gives the single point the shared covariance: a broad, rare class
        assert est.predict([[0.5, 0.5]])[0] == "single"
        assert P[-2, classes.index("same")] > 0.99


def test_without_regularisation_a_degenerate_class_is_a_clear_error():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [5.0, 0.0], [6.0, 1.0], [5.0, 2.0]])
    y = np.array([0, 0, 0, 1, 1, 1])  # class 0 lies on a line
    with pytest.raises(ValueError, match=r"class 0 is singular.*reg_covar"):
        QDA(reg_covar=0.0).fit(X, y)
    assert np.isfinite(QDA().fit(X, y).predict_proba(X)).all()


def test_components_are_clamped_to_the_distinct_points_with_a_message():
    X, y = blobs(n_per_class=(50, 50, 2), d=2, seed=4)
    with pytest.warns(ComponentsClampedWarning, match=r"class 'c' has only 2 distinct point\(s\).*2 component\(s\) instead of 4"):
        est = GMMClassifier({"a": 3, "b": 1, "c": 4}).fit(X, y)
    assert est.n_components_.tolist() == [3, 1, 2]
    assert [m.shape for m in est.means_] == [(3, 2), (1, 2), (2, 2)]
    assert len(est.messages_) == 1
    np.testing.assert_allclose([w.sum() for w in est.weights_], 1.0)


@pytest.mark.parametrize("bad, message", [
    ({"a": 2, "b": 2}, r"no value for class\(es\) \['c'\]"),
    ({"a": 2, "b": 2, "c": 2, "z": 1}, r"unknown class\(es\) \['z'\]"),
    (0, "integers >= 1"),
])
def test_bad_component_counts_name_the_problem(bad, message):
    X, y = blobs(seed=2)
    with pytest.raises(ValueError, match=message):
        GMMClassifier(bad).fit(X, y)


@pytest.mark.parametrize("priors, message", [
    ([0.5, 0.5], "one value per class"),
    ([0.5, 0.6, -0.1], ">= 0"),
    ([0.5, 0.3, 0.1], "sum to 1"),
    ({"a": 0.5, "b": 0.5}, r"no value for class\(es\) \['c'\]"),
])
def test_bad_priors_name_the_problem(priors, message):
    X, y = blobs(seed=2)
    with pytest.raises(ValueError, match=message):
        NaiveBayes(priors=priors).fit(X, y)


def test_a_zero_prior_class_is_never_predicted_and_rows_still_sum_to_one():
    X, y = blobs(seed=2)
    est = LDA(priors=[0.0, 0.5, 0.5]).fit(X, y)
    P = est.predict_proba(X)
    assert (P[:, 0] == 0).all() and "a" not in est.predict(X)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, atol=1e-12)


@pytest.mark.parametrize("labels", [(3, -1, 10), ("cat", "dog", "emu"), (0.0, 1.0, 2.0)])
def test_predictions_are_the_training_labels(labels):
    X, y = blobs(seed=6, labels=labels)
    est = GMMClassifier().fit(X, y)
    assert set(est.predict(X).tolist()) <= set(labels)
    assert list(est.classes_) == sorted(labels)
    assert est.score(X, y) > 0.8


def test_a_class_that_needs_two_components_is_learnt_by_the_gmm_not_by_qda():
    X, y = two_component_classes()
    X_test, y_test = two_component_classes(seed=9)
    qda = QDA().fit(X, y).score(X_test, y_test)
    gmm = GMMClassifier(2).fit(X, y).score(X_test, y_test)
    assert gmm > 0.97
    assert gmm > qda + 0.05


def test_naive_bayes_fails_on_correlated_classes_where_qda_succeeds():
    rng = np.random.default_rng(8)
    cov = np.array([[1.0, 0.95], [0.95, 1.0]])
    X = np.vstack([rng.multivariate_normal([0, 0.6], cov, 400), rng.multivariate_normal([0, -0.6], cov, 400)])
    y = np.repeat([0, 1], 400)
    assert QDA().fit(X, y).score(X, y) > NaiveBayes("diag").fit(X, y).score(X, y) + 0.15


def test_changing_priors_on_a_fitted_model_keeps_the_densities():
    X, y = blobs(seed=2)
    classes, y_idx, _ = encode_labels(y)
    model = fit_gaussian_classes(X, y_idx, classes, "qda")
    moved = model.with_priors({"a": 0.8, "b": 0.1, "c": 0.1})
    assert moved.densities is model.densities
    np.testing.assert_allclose(moved.priors, [0.8, 0.1, 0.1])
    with pytest.raises(GmmvizError, match="sum to 1"):
        model.with_priors([0.8, 0.1, 0.2])


def test_em_in_any_dimension_raises_the_likelihood_every_iteration():
    X, _ = blobs(n_per_class=(300,), d=3, seed=12, labels=("a",))
    lls = [fit_mixture_nd(X, 3, "full", reg_covar=0.0, tol=0.0, max_iter=m, init="kmeans++", n_init=1,
                          random_state=0).log_likelihood for m in range(12)]
    assert np.all(np.diff(lls) >= -1e-9 * abs(lls[-1]))
    assert lls[-1] > lls[0]


def test_em_in_any_dimension_stops_at_a_collapse_with_a_message():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(size=(40, 3)), np.zeros((3, 3)) + 7.0])  # three identical points
    start = ClassDensity.build([0.5, 0.5], [[0.0, 0.0, 0.0], [6.5, 6.5, 6.5]], np.eye(3) * 2.0, "tied")
    fit = fit_mixture_nd(X, 2, "full", reg_covar=0.0, tol=0.0, max_iter=200, init="kmeans++", n_init=1,
                         random_state=1, start=ClassDensity.build(
                             start.weights, start.means, start.full_covariances(), "full"))
    assert fit.message is not None and "reg_covar" in fit.message
    assert np.isfinite(fit.density.log_prob(X)).all()


def test_the_split_is_stratified_seeded_and_keeps_every_class():
    y = np.repeat([0, 1, 2], [100, 10, 1])
    train, test = stratified_split(y, 0.3, seed=4)
    assert np.intersect1d(train, test).size == 0 and np.union1d(train, test).size == y.size
    assert [int(np.sum(y[test] == c)) for c in range(3)] == [30, 3, 0]
    assert set(y[train]) == {0, 1, 2}
    again = stratified_split(y, 0.3, seed=4)
    assert np.array_equal(again[1], test)
    assert not np.array_equal(stratified_split(y, 0.3, seed=5)[1], test)
    assert stratified_split(y, 0.0)[1].size == 0
    with pytest.raises(GmmvizError, match=r"\[0, 1\)"):
        stratified_split(y, 1.0)


def test_scores_are_scikit_learns_metrics():
    from sklearn.metrics import accuracy_score, confusion_matrix, log_loss

    from gmmviz.labs.classify.core.metrics import classification_scores

    X, y = blobs(seed=9)
    est = GMMClassifier().fit(X, y)
    _, y_idx, _ = encode_labels(y)
    found = classification_scores(est.model_, X, y_idx)
    assert found.accuracy == pytest.approx(accuracy_score(y, est.predict(X)), abs=1e-15)
    assert found.log_loss == pytest.approx(log_loss(y, est.predict_proba(X)), rel=1e-9)
    np.testing.assert_array_equal(found.confusion, confusion_matrix(y, est.predict(X)))
    np.testing.assert_array_equal(est.classes_[found.predicted], est.predict(X))


def test_the_truth_model_is_bayes_rule_of_the_generator():
    from scipy.stats import multivariate_normal

    from gmmviz.core.mixture import GaussianParams
    from gmmviz.labs.classify.core.fitting import model_from_params
    from gmmviz.labs.classify.core.model import evaluate

    a = GaussianParams([0.3, 0.7], [[0, 0], [3, 0]], [[[1, 0.5], [0.5, 1]], [[0.5, 0], [0, 2]]], "full")
    b = {"weights": [1.0], "means": [[1, 2]], "covariances": [0.8], "covariance_type": "spherical"}
    model = model_from_params(["a", "b"], [a, b], {"a": 0.25, "b": 0.75})
    X = np.random.default_rng(0).normal(size=(50, 2)) * 3
    pa = 0.3 * multivariate_normal([0, 0], [[1, 0.5], [0.5, 1]]).pdf(X) + 0.7 * multivariate_normal([3, 0], [[0.5, 0], [0, 2]]).pdf(X)
    pb = multivariate_normal([1, 2], 0.8 * np.eye(2)).pdf(X)
    expected = np.column_stack([0.25 * pa, 0.75 * pb])
    np.testing.assert_allclose(evaluate(model, X).posterior, expected / expected.sum(axis=1, keepdims=True), atol=1e-12)


@pytest.mark.parametrize("make", ALL, ids=IDS)
@pytest.mark.parametrize("scale, shift", [(1e-3, 0.0), (1e3, 1e6), (1.0, -1e6)])
def test_posteriors_do_not_change_when_the_data_are_shifted_and_scaled(make, scale, shift):
    """With reg_covar scaled alike (it is in the data's squared units), Bayes' rule is unit-free."""
    X, y = blobs(d=2, seed=13)
    probe = np.vstack([X, [[9.0, -9.0], [0.0, 0.0]]])
    ref = make(reg_covar=1e-4).fit(X, y).predict_proba(probe)
    moved = make(reg_covar=1e-4 * scale**2).fit(X * scale + shift, y).predict_proba(probe * scale + shift)
    np.testing.assert_allclose(moved, ref, atol=1e-7)
