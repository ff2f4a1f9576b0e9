"""What the lab draws: the frame's scores, map, boundary and image agree with independent computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.discriminant_analysis import QuadraticDiscriminantAnalysis
from sklearn.metrics import accuracy_score

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.classify.core.frame import (
    ClassifySettings,
    FrameRequest,
    compute_frame,
    view_grid,
)
from gmmviz.labs.classify.core.model import evaluate
from gmmviz.labs.classify.core.picture import format_exp, posterior_image, probe
from gmmviz.labs.classify.core.scenes import SCENE_KEYS, build_scene
from gmmviz.labs.classify.core.split import stratified_split

COLORS = ("#E69F00", "#56B4E9", "#009E73")


def _two_classes(n=150, seed=0):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal([-2, 0], 1.0, (n, 2)), rng.normal([2, 0.5], [1.5, 0.6], (n, 2))])
    return X, np.repeat([0, 2], n)  # class 1 of the document has no points


def _request(X, labels, **settings):
    view = (X[:, 0].min(), X[:, 0].max(), X[:, 1].min(), X[:, 1].max())
    return FrameRequest(X, labels, COLORS, ClassifySettings(**settings), view=view)


def test_the_frame_scores_are_the_split_models_scores_on_its_points():
    X, labels = _two_classes()
    f = compute_frame(_request(X, labels, model="qda", test_size=0.3, seed=4, reg_covar=0.0))
    np.testing.assert_array_equal(f.present, [0, 2])
    y_idx = (labels == 2).astype(int)
    train, test = stratified_split(y_idx, 0.3, 4)
    np.testing.assert_array_equal(f.train, train)
    np.testing.assert_array_equal(f.test, test)
    oracle = QuadraticDiscriminantAnalysis(store_covariance=True).fit(X[train], y_idx[train])
    assert f.test_scores.accuracy == pytest.approx(accuracy_score(y_idx[test], oracle.predict(X[test])), abs=0.01)
    post = evaluate(f.model, X[test]).posterior
    assert f.test_scores.log_loss == pytest.approx(-np.mean(np.log(post[np.arange(test.size), y_idx[test]])))


def test_priors_and_reuse_change_bayes_rule_only():
    X, labels = _two_classes()
    first = compute_frame(_request(X, labels, model="nb"))
    req = FrameRequest(X, labels, COLORS, ClassifySettings(model="nb"), priors=(0.9, 0.1),
                       view=(-5, 5, -4, 4), reuse=first.fitted)
    second = compute_frame(req)
    assert second.fitted is first.fitted  # no refit
    np.testing.assert_allclose(second.model.priors, [0.9, 0.1])
    # The boundary moves towards the less likely class: more of the plane goes to class 0.
    area = lambda f: float(np.mean(f.map.decision() == 0))
    assert area(second) > area(compute_frame(FrameRequest(X, labels, COLORS, ClassifySettings(model="nb"),
                                                          view=(-5, 5, -4, 4))))


def test_the_boundary_lies_where_the_two_posteriors_are_equal():
    X, labels = _two_classes()
    f = compute_frame(_request(X, labels, model="qda"))
    x, y = f.boundary
    pts = np.column_stack([x, y])[np.isfinite(x)]
    assert pts.shape[0] > 20
    post = evaluate(f.model, pts).posterior
    cell = max(f.map.xs[1] - f.map.xs[0], f.map.ys[1] - f.map.ys[0])
    # Linear interpolation on the grid: P is 1/2 up to the change of P across a cell.
    grad = np.abs(np.gradient(f.map.posterior[0], f.map.ys, f.map.xs)).max()
    assert np.abs(post[:, 0] - 0.5).max() <= grad * cell


def test_the_image_blends_the_class_colours_by_the_posterior():
    P = np.zeros((2, 1, 3))
    P[:, 0, 0] = (1.0, 0.0)  # certain: class 0
    P[:, 0, 1] = (0.5, 0.5)  # undecided
    P[:, 0, 2] = (0.0, 1.0)
    img = posterior_image(P, ("#ff0000", "#0000ff"), "#ffffff")
    assert img.shape == (1, 3, 4) and not img.flags.writeable
    red, mid, blue = img[0, :, :3].astype(int)
    assert red[0] > red[2] and blue[2] > blue[0]
    assert (mid > red.min()).all() and mid.min() >= 230  # the undecided pixel fades to the background


def test_the_probe_is_bayes_rule_term_by_term():
    X, labels = _two_classes()
    f = compute_frame(_request(X, labels, model="lda"))
    pr = probe(f.model, 0.3, -0.2)
    joint = np.exp(pr.log_likelihood) * pr.prior
    np.testing.assert_allclose(np.exp(pr.log_joint), joint)
    np.testing.assert_allclose(pr.posterior, joint / joint.sum())
    far = probe(f.model, 1e6, -1e6)
    assert np.isfinite(far.posterior).all() and far.posterior.sum() == pytest.approx(1.0)
    assert format_exp(float(far.log_likelihood[0])).count("e") == 1  # below 1e-308, still a number


@pytest.mark.parametrize("value, text", [(math.log(0.0478), "0.0478"), (-1000 * math.log(10), "1.00e-1000"),
                                         (-float("inf"), "0")])
def test_exponentials_are_written_past_the_doubles(value, text):
    assert format_exp(value) == text


def test_fewer_than_two_painted_classes_is_a_message():
    X = np.zeros((3, 2))
    with pytest.raises(GmmvizError, match="two classes"):
        compute_frame(FrameRequest(X, [1, 1, 1], COLORS, ClassifySettings()))


def test_the_grid_covers_the_view_with_square_cells():
    xs, ys = view_grid((0, 10, 0, 5), 101)
    assert xs[0] < 0 and xs[-1] > 10 and ys[0] < 0 and ys[-1] > 5
    assert xs[1] - xs[0] == pytest.approx(ys[1] - ys[0], rel=0.05)


def _accuracy(scene, model, **changes):
    ds = scene.data.dataset
    s = scene.settings.__class__(**{**scene.settings.__dict__, "model": model, **changes})
    req = FrameRequest(ds.X, ds.labels, tuple(c.color for c in ds.classes), s,
                       view=(ds.X[:, 0].min(), ds.X[:, 0].max(), ds.X[:, 1].min(), ds.X[:, 1].max()))
    return compute_frame(req).train_scores.accuracy


def test_each_scene_teaches_its_lesson():
    aniso = build_scene("anisotropic")
    assert _accuracy(aniso, "nb") < _accuracy(aniso, "qda") - 0.15  # NB fails on correlated classes
    two = build_scene("two-components")
    assert _accuracy(two, "gmm", n_components=(2, 1)) > _accuracy(two, "qda") + 0.03  # GMM beats QDA
    priors = build_scene("priors")
    assert (priors.data.dataset.counts()[0] > 3 * priors.data.dataset.counts()[1])  # unequal P(y)
    iris = build_scene("iris")
    assert iris.settings.test_size == 0.3 and iris.data.dataset.n_points == 150
    assert all(build_scene(k).data.dataset.same_as(build_scene(k).data.dataset) for k in SCENE_KEYS)  # seeded


def test_the_iris_scene_is_fishers_data_as_scikit_learn_ships_it():
    from sklearn.datasets import load_iris

    iris = load_iris()  # bundled with scikit-learn: no download
    ds = build_scene("iris").data.dataset
    np.testing.assert_allclose(ds.X, iris.data[:, :2])
    np.testing.assert_array_equal(ds.labels, iris.target)
