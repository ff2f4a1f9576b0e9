"""Checking a student's classifier: the loader, the output checks, the agreement."""

from __future__ import annotations

import numpy as np
import pytest

from gmmviz import GMMClassifier, compare, load_estimator
from gmmviz.labs.classify.core.compare import EstimatorOutputError
from gmmviz.labs.classify.core.loader import EstimatorLoadError
from tests.labs.classify.core.helpers import blobs

FIXTURE = "tests/labs/classify/core/fixtures/student.py"


@pytest.fixture
def data():
    X, y = blobs(n_per_class=(150, 40, 60), seed=5)
    rng = np.random.default_rng(0)
    return X, y, np.vstack([X, rng.uniform(-8, 8, (300, 2))])


@pytest.mark.parametrize("spec", ["gmmviz:GMMClassifier", "gmmviz.labs.classify.estimators:GMMClassifier"])
def test_our_own_class_agrees_everywhere(data, spec):
    X, y, X_eval = data
    result = compare(GMMClassifier(), load_estimator(spec), X, y, X_eval)
    assert result.agreement == 1.0
    assert result.differing.size == 0
    assert result.max_proba_difference < 1e-12
    assert result.classes == ("a", "b", "c")


def test_a_classifier_that_drops_the_priors_disagrees_somewhere(data):
    X, y, X_eval = data
    result = compare(GMMClassifier(), load_estimator(f"{FIXTURE}:NoPriorsGMMClassifier"), X, y, X_eval)
    assert 0.5 < result.agreement < 1.0
    assert result.differing.size == round((1 - result.agreement) * X_eval.shape[0])
    ref = GMMClassifier().fit(X, y).predict(X_eval)
    assert (ref[result.differing] != result.user_pred[result.differing]).all()


def test_an_instance_and_a_module_path_work_too(data, monkeypatch):
    X, y, X_eval = data
    monkeypatch.syspath_prepend("tests/labs/classify/core/fixtures")
    cls = load_estimator("student:NoPriorsGMMClassifier")
    result = compare(GMMClassifier, cls(n_components=2), X, y, X_eval)
    assert result.agreement < 1.0


@pytest.mark.parametrize("name, message", [
    ("RaisesInFit", r"RaisesInFit\.fit raised RuntimeError: not implemented yet \(at student\.py, line \d+\)"),
    ("WrongShape", r"predict_proba returned shape \(550, 1\), expected \(550, 3\)"),
    ("ReturnsNaN", r"predict_proba returned NaN or infinite values in 1 row\(s\) \(first: row 3"),
    ("NotNormalised", r"rows do not sum to 1 \(550 of 550; row 0 sums to 1\.2\)"),
    ("ReturnsIndices", r"predict returned label\(s\) \[0\] that are not classes"),
    ("NeedsArguments", r"could not create NeedsArguments\(\) with no arguments"),
])
def test_a_broken_estimator_gets_a_message_naming_the_fault(data, name, message):
    X, y, X_eval = data
    with pytest.raises(EstimatorOutputError, match=message):
        compare(GMMClassifier(), load_estimator(f"{FIXTURE}:{name}"), X, y, X_eval)


@pytest.mark.parametrize("spec, message", [
    ("nocolon", "expected module:Class"),
    ("gmmviz:", "expected module:Class"),
    ("no_such_module_xyz:Foo", "no module named 'no_such_module_xyz'"),
    ("missing/file.py:Foo", "no such file"),
    (f"{FIXTURE}:Nope", r"has no 'Nope' \(it defines: .*NoPriorsGMMClassifier"),
    (f"{FIXTURE}:NoProba", "NoProba lacks predict_proba"),
])
def test_the_loader_says_what_is_wrong(spec, message):
    with pytest.raises(EstimatorLoadError, match=message):
        load_estimator(spec)


def test_the_loader_reports_errors_inside_the_users_file(tmp_path):
    bad = tmp_path / "broken.py"
    bad.write_text("class A:\n    def fit(self:\n        pass\n")
    with pytest.raises(EstimatorLoadError, match=r"broken\.py, line 2: syntax error"):
        load_estimator(f"{bad}:A")
    raising = tmp_path / "raising.py"
    raising.write_text("import sys\nsys.exit(3)\n")
    with pytest.raises(EstimatorLoadError, match=r"importing .*raising\.py' raised SystemExit: 3"):
        load_estimator(f"{raising}:A")


def test_a_module_in_the_current_folder_is_found(tmp_path, monkeypatch):
    (tmp_path / "my_solution_mod.py").write_text("from gmmviz import QDA as Mine\n")
    monkeypatch.chdir(tmp_path)
    assert load_estimator("my_solution_mod:Mine").__name__ == "QDA"


def test_the_loader_can_reload_an_edited_module(tmp_path, monkeypatch):
    (tmp_path / "edited_solution_mod.py").write_text("from gmmviz import QDA as Mine\n")
    monkeypatch.chdir(tmp_path)
    assert load_estimator("edited_solution_mod:Mine").__name__ == "QDA"
    (tmp_path / "edited_solution_mod.py").write_text("from gmmviz import LDA as Mine  # edited: another size, so no stale bytecode\n")
    assert load_estimator("edited_solution_mod:Mine", reload=True).__name__ == "LDA"
