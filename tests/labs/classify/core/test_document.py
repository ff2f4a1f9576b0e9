"""The classification lab's document and its command (Qt-free)."""

from __future__ import annotations

import numpy as np
import pytest

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.classify.core.document import (
    ClassifyDocument,
    SetDocument,
    moved_prior,
)
from gmmviz.labs.classify.core.frame import ClassifySettings


def test_set_document_has_an_exact_inverse():
    old = ClassifyDocument()
    new = old.with_settings(model="qda", seed=4).with_priors([0.25, 0.75], [0, 2])
    after, inverse = SetDocument(new).apply(old)
    assert after == new
    back, again = inverse.apply(after)
    assert back == old and again == SetDocument(new)


def test_priors_apply_only_to_their_classes():
    doc = ClassifyDocument().with_priors([0.25, 0.75], np.array([0, 2]))
    assert doc.priors_for(np.array([0, 2])) == (0.25, 0.75)
    assert doc.priors_for([0, 1]) is None and doc.priors_for([0, 1, 2]) is None
    assert ClassifyDocument().with_priors(None, [0, 1]).prior_classes == ()


def test_bad_values_are_refused():
    with pytest.raises(GmmvizError, match="reg_covar"):
        ClassifyDocument().with_settings(reg_covar=float("nan"))
    with pytest.raises(ValueError):
        ClassifyDocument(ClassifySettings(), (0.5, 0.6), (0, 1))
    with pytest.raises(GmmvizError):
        ClassifyDocument(ClassifySettings(), (0.5, 0.5), (0, 1, 2))


def test_moved_prior_keeps_the_others_proportions():
    out = moved_prior([0.2, 0.3, 0.5], 0, 0.6)
    assert out[0] == pytest.approx(0.6) and sum(out) == pytest.approx(1.0)
    assert out[2] / out[1] == pytest.approx(0.5 / 0.3)
    low = moved_prior([0.5, 0.5], 1, 1.0)
    assert min(low) >= 0.001 * 0.999 and sum(low) == pytest.approx(1.0)
