"""``gmmviz classify``: the JSON report against scikit-learn, the split, --compare, and one-line errors."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from sklearn.discriminant_analysis import QuadraticDiscriminantAnalysis
from sklearn.metrics import confusion_matrix, log_loss

from gmmviz.cli import main
from tests.cli.test_cli import assert_one_line_error, run_cli

FIXTURE = "tests/labs/classify/core/fixtures/student.py"
PROG = "gmmviz classify"


@pytest.fixture(scope="module")
def labelled(tmp_path_factory):
    """Three overlapping classes of unequal sizes, labels as words."""
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(m, 1.0, (n, 2)) for m, n in (((0, 0), 120), ((2.5, 1), 80), ((0, 3.5), 40))])
    y = np.repeat(["cat", "dog", "emu"], [120, 80, 40])
    path = tmp_path_factory.mktemp("classify") / "points.csv"
    path.write_text("x,y,label\n" + "".join(f"{a!r},{b!r},{c}\n" for (a, b), c in zip(X.tolist(), y)))
    return str(path), X, y


def classify_json(capsys, *args) -> dict:
    status = main(["classify", *map(str, args), "--json"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert err == ""
    return json.loads(out)


def test_qda_on_all_points_matches_scikit_learn(capsys, labelled):
    path, X, y = labelled
    r = classify_json(capsys, path, "--model", "qda", "--test-size", "0", "--reg-covar", "0")
    ref = QuadraticDiscriminantAnalysis(store_covariance=True).fit(X, y)  # divisor n, no regularisation: ours with reg 0
    assert r["model"] == "qda" and r["classes"] == ["cat", "dog", "emu"]
    assert r["n_train"] == 240 and r["n_test"] == 0
    assert r["test_accuracy"] is None and r["test_log_loss"] is None
    assert r["train_accuracy"] == pytest.approx(ref.score(X, y), abs=1e-12)
    assert r["train_log_loss"] == pytest.approx(log_loss(y, ref.predict_proba(X)), rel=1e-9)
    assert r["confusion_on"] == "train"
    assert r["confusion"] == confusion_matrix(y, ref.predict(X)).tolist()
    np.testing.assert_allclose(r["priors"], [0.5, 1 / 3, 1 / 6])
    np.testing.assert_allclose(r["parameters"]["dog"]["means"], [ref.means_[1]], rtol=1e-12)
    np.testing.assert_allclose(r["parameters"]["dog"]["covariances"], [ref.covariance_[1]], rtol=1e-9)


def test_the_split_is_stratified_and_the_confusion_counts_the_test_points(capsys, labelled):
    path, *_ = labelled
    r = classify_json(capsys, path, "--test-size", "0.25", "--seed", "3")
    assert (r["n_train"], r["n_test"]) == (180, 60)
    conf = np.array(r["confusion"])
    assert r["confusion_on"] == "test" and conf.sum() == 60
    assert conf.sum(axis=1).tolist() == [30, 20, 10]
    assert r["test_accuracy"] == pytest.approx(np.trace(conf) / 60)
    again = classify_json(capsys, path, "--test-size", "0.25", "--seed", "3")
    assert again == r


def test_gmm_with_components_per_class_and_given_priors(capsys, labelled):
    path, *_ = labelled
    r = classify_json(capsys, path, "--model", "gmm", "--k", "cat=3,dog=1,emu=2", "--covariance", "diag",
                      "--priors", "cat=0.2,dog=0.3,emu=0.5")
    assert r["priors"] == pytest.approx([0.2, 0.3, 0.5])
    shapes = {c: np.array(p["covariances"]).shape for c, p in r["parameters"].items()}
    assert shapes == {"cat": (3, 2), "dog": (1, 2), "emu": (2, 2)}
    assert all(p["covariance_type"] == "diag" for p in r["parameters"].values())
    assert sum(r["parameters"]["cat"]["weights"]) == pytest.approx(1.0)


def test_compare_with_our_own_class_and_with_a_wrong_one(capsys, labelled):
    path, *_ = labelled
    same = classify_json(capsys, path, "--compare", "gmmviz:GMMClassifier")["compare"]
    assert same["agreement"] == 1.0 and same["differing"] == []
    wrong = classify_json(capsys, path, "--priors", "cat=0.8,dog=0.1,emu=0.1",
                          "--compare", f"{FIXTURE}:NoPriorsGMMClassifier")["compare"]
    assert 0.5 < wrong["agreement"] < 1.0
    assert len(wrong["differing"]) == round((1 - wrong["agreement"]) * 240)
    assert all(0 <= i < 240 for i in wrong["differing"])


def test_the_summary_reads_like_a_report(capsys, labelled):
    path, *_ = labelled
    assert main(["classify", path, "--model", "nb", "--compare", f"{FIXTURE}:NoPriorsGMMClassifier"]) == 0
    out = capsys.readouterr().out
    assert "Naive Bayes (isotropic" in out
    assert "test accuracy" in out and "confusion (test; rows true, columns predicted):" in out
    assert "compare with" in out and "points differ: rows" in out


def _write(tmp_path, text: str) -> str:
    path = tmp_path / "data.csv"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("args, status, message", [
    (["--model", "nb", "--k", "2"], 2, "--k: applies to --model gmm only"),
    (["--covariance", "full", "--model", "lda"], 2, "--covariance: applies to --model gmm only"),
    (["--k", "cat=x"], 2, r"expected K or CLASS=K"),
    (["--k", "cat=2,bird=1"], 2, r"unknown class\(es\) \['bird'\]"),
    (["--priors", "cat=0.5,dog=0.5"], 2, r"no value for class\(es\) \['emu'\]"),
    (["--priors", "cat=0.5,dog=0.4,emu=0.3"], 2, "must sum to 1"),
    (["--priors", "cat=2"], 2, r"each P in \[0, 1\]"),
    (["--priors", "cat=0.5,cat=0.5"], 2, "class 'cat' given twice"),
    (["--k", "cat=1,dog=2,dog=1"], 2, "class 'dog' given twice"),
    (["--test-size", "1"], 2, "a fraction from 0 to 0.99"),
    (["--compare", "nocolon"], 2, "expected module:Class"),
    (["--compare", "no_such_module_q:Foo"], 1, "no module named 'no_such_module_q'"),
    (["--compare", f"{FIXTURE}:NoProba"], 1, "NoProba lacks predict_proba"),
    (["--compare", f"{FIXTURE}:RaisesInFit"], 1, "RaisesInFit.fit raised RuntimeError"),
    (["--compare", f"{FIXTURE}:NotNormalised"], 1, "rows do not sum to 1"),
])
def test_bad_options_and_broken_estimators_give_one_line(capsys, labelled, args, status, message):
    path, *_ = labelled
    assert main(["classify", path, *args]) == status
    err = capsys.readouterr().err
    assert_one_line_error(err, PROG)
    assert re.search(message, err), err


@pytest.mark.parametrize("text, message", [
    ("x,y\n1,2\n3,4\n5,6\n", "no label column"),
    ("x,y,label\n1,2,a\n3,4,a\n5,6,a\n", r"only one class \('a'\)"),
    ("x,y,label\n1,2,a\nnan,4,b\n5,6,b\n", "line 3"),
])
def test_bad_data_is_exit_1_with_one_line(capsys, tmp_path, text, message):
    assert main(["classify", _write(tmp_path, text)]) == 1
    err = capsys.readouterr().err
    assert_one_line_error(err, PROG)
    assert re.search(message, err), err


def test_end_to_end_in_a_fresh_process(labelled):
    path, *_ = labelled
    proc = run_cli("classify", path, "--model", "lda", "--json")
    assert proc.returncode == 0 and proc.stderr == ""
    assert json.loads(proc.stdout)["model"] == "lda"
    proc = run_cli("classify", path, "--k", "nope")
    assert proc.returncode == 2
    assert_one_line_error(proc.stderr, PROG)


def test_a_printing_estimator_and_clamped_classes_leave_the_json_clean(capsys, tmp_path):
    rng = np.random.default_rng(1)
    rows = [f"{a!r},{b!r},big" for a, b in rng.normal(size=(40, 2)).tolist()] + ["5.0,5.0,one", "6.0,5.0,one"]
    path = _write(tmp_path, "x,y,label\n" + "\n".join(rows) + "\n")
    assert main(["classify", path, "--k", "3", "--test-size", "0", "--json", "--compare", f"{FIXTURE}:Chatty"]) == 0
    out, err = capsys.readouterr()
    result = json.loads(out)
    assert result["compare"]["agreement"] == 1.0
    assert result["messages"] == ["class 'one' has only 2 distinct point(s): it gets 2 component(s) instead of 3"]
    assert err == "fitting 42 points\n"  # the user's print, moved off stdout; no warnings

