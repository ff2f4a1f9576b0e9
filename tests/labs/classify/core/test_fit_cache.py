"""A point edit refits only the class it touched: the other classes' mixtures come from the cache, exactly."""

from __future__ import annotations

import numpy as np

from gmmviz.labs.classify.core import fitting
from gmmviz.labs.classify.core.frame import (
    ClassifySettings,
    FrameRequest,
    compute_frame,
)

from .helpers import blobs


def _labels(y):
    return np.unique(y, return_inverse=True)[1]


def test_only_the_edited_class_is_fitted_again_and_the_model_is_the_fresh_one(monkeypatch):
    X, y = blobs(seed=3)
    y_idx = _labels(y)
    calls = []
    real = fitting._fit_class
    monkeypatch.setattr(fitting, "_fit_class", lambda Xc, *a, **kw: calls.append(Xc.shape[0]) or real(Xc, *a, **kw))
    cache = {}
    first, _ = fitting.fit_mixture_classes(X, y_idx, (0, 1, 2), n_components=2, cache=cache)
    assert len(calls) == 3 and len(cache) == 3
    X2, y2 = np.vstack([X, [[0.3, 0.1]]]), np.append(y_idx, 1)  # a point for the second class
    calls.clear()
    again, _ = fitting.fit_mixture_classes(X2, y2, (0, 1, 2), n_components=2, cache=cache)
    assert calls == [int((y2 == 1).sum())]  # one class refitted
    fresh, _ = fitting.fit_mixture_classes(X2, y2, (0, 1, 2), n_components=2)
    for a, b in zip(again.densities, fresh.densities):
        np.testing.assert_array_equal(a.means, b.means)
        np.testing.assert_array_equal(a.covariances, b.covariances)
        np.testing.assert_array_equal(a.weights, b.weights)
    np.testing.assert_array_equal(again.log_priors, fresh.log_priors)
    assert again.densities[0] is first.densities[0]
    calls.clear()
    fitting.fit_mixture_classes(X2, y2, (0, 1, 2), n_components=2, cache=cache, random_state=1)
    assert len(calls) == 3  # another seed: other fits


def test_frames_hand_their_fits_on_and_draw_what_a_fresh_fit_draws():
    X, y = blobs(seed=5)
    y_idx = _labels(y)
    colors = ("#E69F00", "#56B4E9", "#009E73")
    s = ClassifySettings(model="gmm", n_components=(2, 3, 1))
    one = compute_frame(FrameRequest(X, y_idx, colors, s, view=(-8, 8, -8, 8)))
    assert len(one.fits) == 3
    X2, y2 = np.vstack([X, [[1.0, -1.0]]]), np.append(y_idx, 0)
    cached = compute_frame(FrameRequest(X2, y2, colors, s, view=(-8, 8, -8, 8), fits=one.fits))
    fresh = compute_frame(FrameRequest(X2, y2, colors, s, view=(-8, 8, -8, 8)))
    np.testing.assert_array_equal(cached.map.posterior, fresh.map.posterior)
    assert cached.fitted.densities[1] is one.fitted.densities[1]
    assert cached.fitted.densities[0] is not one.fitted.densities[0]


def test_the_cache_keeps_only_the_fits_of_the_model_just_made():
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal(c, 0.4, size=(30, 2)) for c in ((-2, 0), (2, 0), (0, 3))])
    y_idx = np.repeat([0, 1, 2], 30)
    cache = {}
    fitting.fit_mixture_classes(X, y_idx, (0, 1, 2), n_components=2, cache=cache)
    assert len(cache) == 3
    two = y_idx < 2  # the third class's points deleted: its fit must not linger for the next frame
    fitting.fit_mixture_classes(X[two], y_idx[two], (0, 1), n_components=2, cache=cache)
    assert len(cache) == 2 and {key[0] for key in cache} == {0, 1}
