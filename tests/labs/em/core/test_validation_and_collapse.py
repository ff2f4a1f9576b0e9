"""Typed errors at the boundary, initialisations, and degenerate components."""

import numpy as np
import pytest

from gmmviz.labs.em.core import FitConfig, GaussianMixture, em_steps
from gmmviz.core.mixture import GaussianParams
from gmmviz.core.errors import GmmvizError
from gmmviz.core.validation import check_params

from core.helpers import blobs

X3 = blobs(60, 3, 0)


@pytest.mark.parametrize(
    "X, config, match",
    [
        (np.empty((0, 2)), FitConfig(n_components=1), "no points"),
        (X3[:2], FitConfig(n_components=3), r"fewer points \(2\) than components \(n_components=3\)"),
        (np.array([[0.0, 1.0], [np.nan, 2.0], [3.0, 4.0]]), FitConfig(n_components=1), r"NaN .*row 1"),
        (np.array([[0.0, 1.0], [np.inf, 2.0]]), FitConfig(n_components=1), "infinite"),
        (X3[:, :1], FitConfig(n_components=1), r"shape \(n_points, 2\)"),
        ([["a", "b"]], FitConfig(n_components=1), "must be numbers"),
        (X3, FitConfig(covariance_type="banana"), "unknown covariance type 'banana'"),
        (X3, FitConfig(n_components=0), "n_components must be an integer >= 1, got 0"),
        (X3, FitConfig(reg_covar=-1.0), "reg_covar"),
        (X3, FitConfig(tol=float("nan")), "tol"),
        (X3, FitConfig(max_iter=-3), "max_iter"),
        (X3, FitConfig(init="magic"), "unknown init 'magic'"),
        (X3, FitConfig(init="given"), "needs initial parameters"),
        (X3, FitConfig(n_components=2, init="given", init_means=[[0, 0], [1, 1], [2, 2]]), "means give 3 components"),
    ],
)
def test_bad_input_raises_a_typed_error_naming_the_value(X, config, match):
    with pytest.raises(GmmvizError, match=match):
        next(em_steps(X, config))


@pytest.mark.parametrize(
    "weights, means, covariances, ctype, match",
    [
        ([0.5, 0.6], [[0, 0], [1, 1]], [np.eye(2), np.eye(2)], "full", "sum to 1, they sum to 1.1"),
        ([1.5, -0.5], [[0, 0], [1, 1]], [np.eye(2), np.eye(2)], "full", ">= 0"),
        ([0.5, 0.5], [[0, 0], [1, 1]], [np.eye(2), [[1, 2], [2, 1]]], "full", "component 1 is not symmetric positive definite"),
        ([0.5, 0.5], [[0, 0], [1, 1]], [np.eye(2), [[1, 0.5], [0.2, 1]]], "full", "not symmetric"),
        ([0.5, 0.5], [[0, 0], [1, 1]], [[1, 1], [1, -1]], "diag", "component 1"),
        ([0.5, 0.5], [[0, 0], [1, 1]], [1.0, 0.0], "spherical", "component 1"),
        ([0.5, 0.5], [[0, 0], [1, 1]], [[1, 0], [0, -1]], "tied", "not symmetric positive definite"),
        ([0.5, 0.5], [[0, 0], [1, np.nan]], [1.0, 1.0], "spherical", "NaN"),
        ([0.5, 0.5], [[0, 0], [1, 1]], [1.0, 1.0, 1.0], "spherical", r"shape \(2,\)"),
        ([1.0], [[0, 0]], [1.0], "round", "unknown covariance type"),
    ],
)
def test_bad_parameters_are_refused(weights, means, covariances, ctype, match):
    with pytest.raises(GmmvizError, match=match):
        check_params(weights, means, covariances, ctype)


@pytest.mark.parametrize("init", ["kmeans++", "random", "random-resp"])
def test_same_seed_same_result(init):
    X = blobs(60, 1, 1)  # one blob: where k=3 components start depends on the seed

    def run(seed):
        return [s.log_likelihood for s in em_steps(X, FitConfig(init=init, random_state=seed, max_iter=5, tol=0))]

    a, b, c = run(5), run(5), run(6)
    assert a == b
    assert a != c


def test_given_means_only_start_from_those_means():
    means = np.array([[-5.0, 0.0], [0.0, 5.0], [5.0, -5.0]])
    first = next(em_steps(X3, FitConfig(init="given", init_means=means)))
    np.testing.assert_allclose(first.params.means, means, atol=1e-12)
    np.testing.assert_allclose(first.params.weights, 1 / 3)
    cov = np.cov(X3.T, bias=True)
    np.testing.assert_allclose(first.params.covariances, np.repeat(cov[None], 3, axis=0), rtol=1e-9, atol=1e-6)


def test_phases_alternate_and_the_run_converges():
    snaps = list(em_steps(X3, FitConfig(tol=1e-6, max_iter=500)))
    assert snaps[0].phase == "init" and snaps[0].iteration == 0
    assert [s.phase for s in snaps[1:]] == ["E", "M"] * ((len(snaps) - 1) // 2)
    assert [s.iteration for s in snaps[1:]] == [i for i in range(1, len(snaps) // 2 + 1) for _ in (0, 1)]
    assert snaps[-1].converged and not any(s.converged for s in snaps[:-1])
    assert all(s.resp is not None for s in snaps if s.phase == "E")


def outlier_data():
    rng = np.random.default_rng(3)
    return np.vstack([rng.normal(size=(40, 2)), [[30.0, 30.0]]])


def test_collapse_onto_a_point_is_flagged_not_raised():
    X = outlier_data()
    init = GaussianParams([0.5, 0.5], [[0.0, 0.0], [30.0, 30.0]], [1.0, 1.0], "spherical")
    snaps = list(em_steps(X, FitConfig(n_components=2, covariance_type="spherical", init="given",
                                       init_params=init, reg_covar=0.0, max_iter=50)))
    last = snaps[-1]
    assert last.collapse is not None
    assert last.collapse.components == (1,)
    assert last.collapse.kinds == ("point",)
    assert last.collapse.locations[0] == pytest.approx((30.0, 30.0), abs=1e-6)
    for word in ("Component 2", "single point", "reg_covar", "fewer components", "more points"):
        assert word in last.collapse.message
    assert all(np.isfinite(s.log_likelihood) for s in snaps)
    assert all(s.collapse is None for s in snaps[:-1])
    # the final snapshot is the last finite state, the E-step whose M-step collapsed, yielded once
    assert last.phase == "E" and snaps[-2].phase in ("init", "M") and snaps[-2].iteration == last.iteration - 1
    assert len({(s.iteration, s.phase) for s in snaps}) == len(snaps)


def test_regularisation_prevents_the_collapse():
    X = outlier_data()
    init = GaussianParams([0.5, 0.5], [[0.0, 0.0], [30.0, 30.0]], [1.0, 1.0], "spherical")
    gm = GaussianMixture(2, covariance_type="spherical", init="given", init_params=init, reg_covar=1e-3).fit(X)
    assert gm.collapse_ is None and gm.converged_
    assert gm.covariances_.min() >= 1e-3


def test_collapse_onto_a_line_is_flagged():
    rng = np.random.default_rng(4)
    line = np.column_stack([np.linspace(20, 25, 6), np.full(6, 10.0)])
    X = np.vstack([rng.normal(size=(40, 2)), line])
    init = GaussianParams([0.5, 0.5], [[0.0, 0.0], [22.5, 10.0]], [np.eye(2), np.eye(2)], "full")
    snaps = list(em_steps(X, FitConfig(n_components=2, init="given", init_params=init, reg_covar=0.0)))
    assert snaps[-1].collapse is not None
    assert snaps[-1].collapse.kinds == ("line",)
    assert "line" in snaps[-1].collapse.message


def test_an_emptied_component_is_flagged():
    X = blobs(50, 1, 5)
    init = GaussianParams([0.5, 0.5], [X.mean(axis=0), [1e3, 1e3]], [1.0, 1e-2], "spherical")
    snaps = list(em_steps(X, FitConfig(n_components=2, covariance_type="spherical", init="given",
                                       init_params=init, reg_covar=1e-6)))
    assert snaps[-1].collapse is not None
    assert snaps[-1].collapse.kinds == ("empty",)
    assert "lost all its points" in snaps[-1].collapse.message


def test_fewer_distinct_points_than_components_does_not_crash():
    X = np.repeat([[1.0, 2.0], [3.0, 4.0]], 10, axis=0)
    snaps = list(em_steps(X, FitConfig(n_components=3, reg_covar=0.0)))
    assert snaps[-1].collapse is not None
    assert all(np.isfinite(s.log_likelihood) for s in snaps if s.collapse is None)


def test_estimator_must_be_fitted_first():
    with pytest.raises(GmmvizError, match="not fitted yet"):
        GaussianMixture(2).predict(X3)
