"""``gmmviz density``: the JSON report against independent computations, -Infinity, one-line errors."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import stats

from gmmviz.cli import main
from gmmviz.labs.density.core.scores import train_test_split
from tests.cli.test_cli import assert_one_line_error, run_cli

PROG = "gmmviz density"


@pytest.fixture(scope="module")
def column_file(tmp_path_factory):
    x = np.r_[np.random.default_rng(0).normal(0, 1, 240), np.random.default_rng(1).normal(5, 0.5, 160)]
    path = tmp_path_factory.mktemp("density") / "values.csv"
    path.write_text("id,value\n" + "".join(f"{i},{v!r}\n" for i, v in enumerate(x.tolist())))
    return str(path), x


def density_json(capsys, *args) -> dict:
    status = main(["density", *map(str, args), "--json"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert err == ""
    return json.loads(out)


def test_histogram_scores_equal_np_histogram_on_the_same_split(capsys, column_file):
    path, x = column_file
    r = density_json(capsys, path, "--column", "value", "--estimators", "hist", "--bins", "4,12", "--seed", "3")
    train, test = train_test_split(x.size, 0.25, 3)
    assert (r["n_train"], r["n_test"], r["dimension"], r["columns"]) == (300, 100, 1, ["value"])
    for entry in r["estimators"]["hist"]["settings"]:
        counts, edges = np.histogram(x[train], bins=entry["bins"], range=(x.min(), x.max()))
        assert entry["counts"] == counts.tolist()
        np.testing.assert_allclose(entry["edges"], edges, rtol=1e-13)
        idx = np.clip(np.digitize(x[test], edges) - 1, 0, len(counts) - 1)
        with np.errstate(divide="ignore"):
            expected = np.mean(np.log(counts[idx] / (train.size * np.diff(edges)[idx])))
        assert entry["test_loglik"] == pytest.approx(expected, rel=1e-10)
    best = r["estimators"]["hist"]["best"]
    assert best["bins"] == max(r["estimators"]["hist"]["settings"], key=lambda e: e["test_loglik"])["bins"]


def test_empty_bins_print_minus_infinity_and_a_pseudo_count_makes_it_finite(capsys, column_file):
    path, _ = column_file
    r = density_json(capsys, path, "--column", "2", "--estimators", "hist", "--bins", "300")
    assert r["estimators"]["hist"]["settings"][0]["test_loglik"] == -math.inf
    assert r["estimators"]["hist"]["settings"][0]["n_zero"] > 0
    proc = run_cli("density", path, "--estimators", "hist", "--bins", "300", "--column", "value", "--json")
    assert '"test_loglik": -Infinity' in proc.stdout
    smooth = density_json(capsys, path, "--column", "value", "--estimators", "hist", "--bins", "300",
                          "--pseudo-count", "0.5")
    assert math.isfinite(smooth["estimators"]["hist"]["settings"][0]["test_loglik"])


def test_kde_and_gmm_scores_equal_scipy_and_their_bic_is_lowest_at_two(capsys, column_file):
    path, x = column_file
    r = density_json(capsys, path, "--column", "value", "--estimators", "kde,gmm", "--bandwidth", "0.4,scott",
                     "--k", "1-4", "--folds", "3")
    train, test = train_test_split(x.size, 0.25, 0)
    kde = r["estimators"]["kde"]
    oracle = stats.gaussian_kde(x[train], bw_method=0.4 / x[train].std(ddof=1))
    at = next(e for e in kde["settings"] if e["bandwidth"] == 0.4)
    assert at["test_loglik"] == pytest.approx(oracle.logpdf(x[test]).mean(), abs=1e-5)
    assert any(e["rule"] == "scott" for e in kde["settings"])
    gmm = r["estimators"]["gmm"]
    assert [e["k"] for e in gmm["settings"]] == [1, 2, 3, 4]
    assert all("cv_loglik" in e for e in gmm["settings"])
    assert gmm["best_bic"] == 2
    assert r["best_by"] == "cv"


def test_two_columns_are_2d(capsys, tmp_path):
    X = np.random.default_rng(2).normal(size=(200, 2))
    path = tmp_path / "xy.csv"
    path.write_text("x,y\n" + "".join(f"{a!r},{b!r}\n" for a, b in X.tolist()))
    r = density_json(capsys, path, "--columns", "x,y", "--estimators", "hist,vhist,kde,gmm", "--bins", "3,6",
                     "--bandwidth", "0.5", "--k", "1,2")
    assert r["dimension"] == 2
    assert np.array(r["estimators"]["hist"]["settings"][0]["counts"]).shape == (3, 3)
    assert sum(r["estimators"]["vhist"]["settings"][0]["counts"]) == r["n_train"]


def test_generate_reports_the_truth_and_distances(capsys):
    r = density_json(capsys, "--generate", "lognormal", "--n", "500", "--estimators", "hist,kde",
                     "--bins", "10,fd", "--bandwidth", "silverman")
    assert r["truth"]["distribution"] == "lognormal" and math.isfinite(r["truth"]["test_loglik"])
    assert r["estimators"]["hist"]["best"]["ise"] > 0
    assert any(e["rule"] == "fd" for e in r["estimators"]["hist"]["settings"])
    assert r["estimators"]["kde"]["settings"][0]["rule"] == "silverman"


def test_summary_is_printed_without_json(capsys):
    assert main(["density", "--generate", "bimodal", "--n", "300", "--estimators", "hist,gmm", "--k", "1,2"]) == 0
    out = capsys.readouterr().out
    assert "Histogram" in out and "Gaussian mixture" in out and "BIC prefers K" in out


@pytest.mark.parametrize("args, status", [
    (["--generate", "nope"], 2),
    ([], 2),
    (["--generate", "bimodal", "--bins", "0"], 2),
    (["--generate", "bimodal", "--k", "2-80"], 2),
    (["--generate", "bimodal", "--bandwidth", "wide"], 2),
    (["--generate", "bimodal", "--estimators", "hist,nn"], 2),
    (["--generate", "bimodal", "--column", "x"], 2),
    (["--generate", "bimodal", "--test-size", "2"], 2),
    (["--generate", "bimodal", "--n", "0"], 2),
])
def test_bad_options_are_one_line_usage_errors(capsys, args, status):
    assert main(["density", *args]) == status
    assert_one_line_error(capsys.readouterr().err, PROG)


def test_bad_files_are_one_line_data_errors(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("v\n1\n2\nnan\n")
    words = tmp_path / "words.csv"
    words.write_text("v\nabc\n")
    for path in (bad, words, tmp_path, tmp_path / "missing.csv"):
        assert main(["density", str(path)]) == 1
        assert_one_line_error(capsys.readouterr().err, PROG)
    assert main(["density", str(bad), "--column", "nope"]) == 2
    assert_one_line_error(capsys.readouterr().err, PROG)


def test_the_command_never_loads_qt_or_sklearn():
    proc = run_cli("density", "--generate", "bimodal", "--n", "200", "--k", "1,2", "--json")
    assert proc.returncode == 0, proc.stderr
    code = ("import sys, gmmviz.cli as c; c.main(['density','--generate','bimodal','--n','200','--k','1,2',"
            "'--estimators','hist,vhist,kde,gmm,dpgmm']);"
            "print(any(m.split('.')[0] in ('sklearn','PySide6','pyqtgraph') for m in sys.modules))")
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr


def test_learning_curve_distances_shrink_with_n(capsys):
    r = density_json(capsys, "--generate", "gamma", "--n", "300", "--estimators", "kde", "--learning-curve")
    lc = r["learning_curve"]
    assert lc["n"][0] == 50 and lc["n"][-1] == 50_000
    for family, values in lc["ise"].items():
        assert values[-1] < values[0] / 5, family
    assert main(["density", "--generate", "gamma", "--n", "300"]) == 0  # no learning curve unless asked
    assert "learning_curve" not in capsys.readouterr().out
