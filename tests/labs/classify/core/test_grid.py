"""The posterior map equals Bayes' rule point by point, and stays finite far from the data."""

from __future__ import annotations

import numpy as np
import pytest

from gmmviz import GMMClassifier, NaiveBayes, posterior_map
from gmmviz.core.errors import GmmvizError
from tests.labs.classify.core.helpers import blobs


def _points(xs, ys):
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


@pytest.mark.parametrize("offset", [0.0, 1e6])
def test_the_map_is_the_classifiers_bayes_rule_at_every_grid_point(offset):
    X, y = blobs(n_per_class=(100, 100, 100, 100, 100), labels=tuple("abcde"), seed=3)
    X = X + offset
    est = GMMClassifier(3, priors=[0.1, 0.2, 0.3, 0.25, 0.15]).fit(X, y)
    xs = np.linspace(X[:, 0].min() - 2, X[:, 0].max() + 2, 57)
    ys = np.linspace(X[:, 1].min() - 2, X[:, 1].max() + 2, 43)
    m = posterior_map(est, xs, ys)
    ev = est.evaluate(_points(xs, ys))
    C = len(est.classes_)
    assert m.posterior.shape == m.log_likelihood.shape == (C, 43, 57)
    np.testing.assert_allclose(m.posterior, ev.posterior.T.reshape(C, 43, 57), atol=1e-9)
    np.testing.assert_allclose(m.log_likelihood, ev.log_likelihood.T.reshape(C, 43, 57), rtol=1e-9, atol=1e-7)
    np.testing.assert_allclose(m.log_evidence, ev.log_evidence.reshape(43, 57), rtol=1e-9, atol=1e-7)
    np.testing.assert_allclose(m.log_prior, np.log([0.1, 0.2, 0.3, 0.25, 0.15]))
    np.testing.assert_array_equal(m.decision(), np.argmax(ev.posterior, axis=1).reshape(43, 57))
    assert not m.posterior.flags.writeable


def test_a_grid_a_million_units_away_is_finite_and_normalised():
    X, y = blobs(seed=1)
    est = NaiveBayes().fit(X, y)
    m = posterior_map(est.model_, np.linspace(1e6, 1e6 + 10, 20), np.linspace(-1e6, -1e6 + 5, 10))
    assert np.isfinite(m.posterior).all() and np.isfinite(m.log_likelihood).all()
    np.testing.assert_allclose(m.posterior.sum(axis=0), 1.0, atol=1e-12)
    assert (m.certainty() >= 1 / 3 - 1e-12).all()


def test_the_map_is_for_two_features_only():
    X, y = blobs(d=3, seed=1)
    with pytest.raises(GmmvizError, match="2-D"):
        posterior_map(NaiveBayes().fit(X, y), [0, 1], [0, 1])
    with pytest.raises(GmmvizError, match="fitted gmmviz classifier"):
        posterior_map(object(), [0, 1], [0, 1])


@pytest.mark.parametrize("spreads", [(0.05,) * 4, (1.0,) * 4, (30.0,) * 4, (30.0, 0.05, 1.0, 30.0)],
                         ids=["tight", "broad", "huge", "mixed"])
def test_every_path_of_the_map_agrees_with_bayes_rule(spreads):
    """Tight components (per-point shifts, pruning, clamps), broad ones (the bound-shifted fast
    path), unequal K per class and a zero prior, on a grid with a short last strip."""
    rng = np.random.default_rng(4)
    centres = ([0, 0], [3, 1], [-2, 4], [5, -3])
    X = np.vstack([rng.normal(c, spread, (60, 2)) for c, spread in zip(centres, spreads)])
    y = np.repeat(list("abcd"), 60)
    est = GMMClassifier({"a": 3, "b": 1, "c": 2, "d": 3}, priors=[0.4, 0.3, 0.3, 0.0]).fit(X, y)
    xs, ys = np.linspace(-6, 9, 151), np.linspace(8, -7, 97)  # y decreasing
    m = posterior_map(est, xs, ys)
    ev = est.evaluate(_points(xs, ys))
    np.testing.assert_allclose(m.posterior, ev.posterior.T.reshape(4, 97, 151), atol=1e-9)
    np.testing.assert_allclose(m.log_likelihood, ev.log_likelihood.T.reshape(4, 97, 151), rtol=1e-9, atol=1e-8)
    assert (m.posterior[3] == 0).all()
    np.testing.assert_allclose(m.posterior.sum(axis=0), 1.0, atol=1e-12)
