"""Iso-probability contours stay legible with many classes: each class's lines inside its own region."""

from __future__ import annotations

import numpy as np
import pytest

from gmmviz.labs.classify.core.frame import (
    ClassifySettings,
    FrameRequest,
    compute_frame,
)
from gmmviz.labs.classify.core.model import evaluate
from gmmviz.labs.classify.core.picture import CONTOUR_LEVELS, contour_labels

COLORS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442")
VIEW = (-7.0, 7.0, -6.0, 6.0)


def four_classes(seed=2):
    rng = np.random.default_rng(seed)
    centres = [(-2.5, -1.5), (2.5, -1.5), (0.0, 2.5), (0.5, -0.2)]
    covs = [[[1.2, 0.6], [0.6, 0.8]], [[0.9, -0.5], [-0.5, 1.1]], [[1.6, 0], [0, 0.5]], [[0.4, 0], [0, 0.4]]]
    X = np.vstack([rng.multivariate_normal(m, c, 120) for m, c in zip(centres, covs)])
    return X, np.repeat(np.arange(4), 120)


@pytest.fixture(scope="module")
def frame():
    X, y = four_classes()
    return compute_frame(FrameRequest(X, y, COLORS, ClassifySettings(model="qda"), view=VIEW))


def test_every_contour_of_a_class_lies_in_its_own_region_at_its_level(frame):
    assert len(frame.contours) == 4 and all(len(lines) == len(CONTOUR_LEVELS) for lines in frame.contours)
    for c, lines in enumerate(frame.contours):
        for level, (x, y) in zip(CONTOUR_LEVELS, lines):
            ok = np.isfinite(x)
            assert ok.sum() > 10, (c, level)
            post = evaluate(frame.model, np.column_stack([x[ok], y[ok]])).posterior
            # the oracle: the model itself at every vertex (linear interpolation on a 200-cell grid)
            assert np.abs(post[:, c] - level).max() < 0.05
            assert (post.argmax(axis=1) == c).all(), "a class's contour strays into another's region"


def test_two_classes_give_the_lines_of_one_class_at_every_level(frame):
    X, y = four_classes()
    keep = y < 2
    two = compute_frame(FrameRequest(X[keep], y[keep], COLORS[:2], ClassifySettings(model="qda"), view=VIEW))
    assert len(two.contours) == 2
    for c in range(2):
        for level, (x, yy) in zip(CONTOUR_LEVELS, two.contours[c]):
            ok = np.isfinite(x)
            p_first = evaluate(two.model, np.column_stack([x[ok], yy[ok]])).posterior[:, 0]
            expected = level if c == 0 else 1 - level  # class 2's 0.6 is class 1's 0.4
            assert np.abs(p_first - expected).max() < 0.05


def test_labels_sit_on_their_lines_inside_the_view_and_apart(frame):
    labels = frame.contour_labels
    assert len(labels) >= 4 and {lv for _, lv, _, _ in labels} <= {CONTOUR_LEVELS[0], CONTOUR_LEVELS[-1]}
    assert {c for c, *_ in labels} == {0, 1, 2, 3}  # every class says which way its certainty rises
    for c, level, x, y in labels:
        lx, ly = frame.contours[c][CONTOUR_LEVELS.index(level)]
        assert np.nanmin(np.hypot(lx - x, ly - y)) < 1e-9  # on its own line
        assert VIEW[0] < x < VIEW[1] and VIEW[2] < y < VIEW[3]
    pts = np.array([(x, y) for *_, x, y in labels])
    d = np.hypot(*(pts[:, None, :] - pts[None]).transpose(2, 0, 1))
    assert d[np.triu_indices(len(pts), 1)].min() >= 0.045 * (VIEW[1] - VIEW[0]) - 1e-9
    assert len({(c, lv) for c, lv, _, _ in labels}) == len(labels)


def test_contours_are_traced_only_when_asked(frame):
    X, y = four_classes()
    bare = compute_frame(FrameRequest(X, y, COLORS, ClassifySettings(model="qda"), view=VIEW, contours=False))
    assert bare.contours == () and bare.contour_labels == ()
    assert contour_labels((), VIEW) == ()
