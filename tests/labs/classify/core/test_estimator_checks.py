"""Every classifier passes scikit-learn's estimator checks (default and non-default settings)."""

from __future__ import annotations

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from gmmviz import LDA, QDA, GMMClassifier, NaiveBayes

ESTIMATORS = [
    NaiveBayes(),
    NaiveBayes("diag"),
    QDA(),
    LDA(),
    GMMClassifier(),
    GMMClassifier(1, covariance_type="diag"),
    GMMClassifier(3, covariance_type="spherical", init="random", n_init=2),
    GMMClassifier(2, covariance_type="tied", init="random-resp", priors=None),
]


# The checks fit classes of one or two points: the clamp to the class size is announced, and
# pandas (not installed) and the array API (not enabled) are skipped by scikit-learn itself.
@pytest.mark.filterwarnings("ignore::gmmviz.labs.classify.estimators.ComponentsClampedWarning")
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.SkipTestWarning")
@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
