"""``gmmviz fit --algorithm em|ga|ga-score|vb``: the same JSON as EM's plus each algorithm's own numbers."""

from __future__ import annotations

import json

import numpy as np
import pytest

from gmmviz.cli import main
from tests.cli.test_cli import assert_one_line_error, faithful, mixture_log_likelihood  # noqa: F401 (fixture)


def fit(capsys, *args) -> dict:
    assert main(["fit", *map(str, args), "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return json.loads(out)


@pytest.fixture(scope="module")
def blobs(tmp_path_factory):
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(size=(80, 2)) * 0.5 + c for c in ([0, 0], [4, 0], [0, 4])])
    path = tmp_path_factory.mktemp("alg") / "blobs.csv"
    np.savetxt(path, X, delimiter=",", header="x,y", comments="")
    return path, X


def test_gradient_ascent_with_line_search(capsys, blobs):
    path, X = blobs
    r = fit(capsys, path, "--k", "3", "--algorithm", "ga", "--line-search", "--max-iter", "500", "--tol", "1e-9")
    assert r["algorithm"] == "ga" and r["objective"] == "ln p" and r["line_search"] is True
    ll = np.array(r["log_likelihood"])
    assert np.all(np.diff(ll) >= 0)
    assert len(r["gradient_norm"]) == len(ll) and len(r["step_size"]) == r["n_iter"]
    assert r["gradient_norm"][-1] < r["gradient_norm"][0]
    assert ll[-1] == pytest.approx(mixture_log_likelihood(X, r["weights"], r["means"], r["covariances"]), rel=1e-9)
    em = fit(capsys, path, "--k", "3", "--tol", "1e-9", "--max-iter", "500")
    assert ll[-1] == pytest.approx(em["log_likelihood"][-1], rel=1e-5)
    assert "algorithm" not in em and "gradient_norm" not in em  # EM's JSON is what it was


def test_fixed_step_and_score_function(capsys, blobs):
    path, _ = blobs
    r = fit(capsys, path, "--k", "3", "--algorithm", "ga", "--step-size", "0.05", "--max-iter", "20", "--tol", "0")
    assert r["n_iter"] == 20 and set(r["step_size"]) == {0.05}
    s = fit(capsys, path, "--k", "3", "--algorithm", "ga-score", "--samples", "4", "--sampler", "posterior",
            "--max-iter", "10", "--tol", "0")
    assert s["algorithm"] == "ga-score" and s["samples"] == 4 and s["sampler"] == "posterior"
    assert len(s["gradient_norm"]) == 11
    assert len(s["estimate_norm"]) == 10 and s["ess"] == [4.0] * 10  # posterior draws all weigh 1
    prior = fit(capsys, path, "--k", "3", "--algorithm", "ga-score", "--samples", "20", "--sampler", "prior",
                "--max-iter", "5", "--tol", "0")
    assert prior["converged"] is False and prior["n_iter"] == 5  # a noisy step never "converges"
    assert max(prior["ess"]) < 2.0  # 240 points: one draw (or none) carries each estimate


@pytest.mark.parametrize("prior", ["dirichlet", "dirichlet-process"])
def test_variational_bayes(capsys, blobs, prior):
    path, X = blobs
    r = fit(capsys, path, "--k", "6", "--algorithm", "vb", "--prior", prior, "--concentration", "0.01",
            "--max-iter", "500", "--tol", "1e-8")
    assert r["algorithm"] == "vb" and r["objective"] == "ELBO" and r["weight_prior"] == prior
    elbo = np.array(r["elbo"])
    assert np.all(np.diff(elbo) >= -1e-9 * np.abs(elbo[1:]))
    assert [e["value"] for e in r["lower_bound"]] == r["elbo"][1:]
    assert sum(r["elbo_terms"].values()) == pytest.approx(elbo[-1])
    assert len(r["pruned"]) >= 1  # six components for three blobs: the prior empties some
    assert r["log_likelihood"][-1] == pytest.approx(
        mixture_log_likelihood(X, r["weights"], r["means"], r["covariances"]), rel=1e-9)
    assert r["concentration"] == 0.01


@pytest.mark.parametrize("args", [
    ["--step-size", "0.1"], ["--algorithm", "vb", "--line-search"], ["--algorithm", "ga", "--prior", "dirichlet"],
    ["--algorithm", "ga", "--samples", "3"], ["--algorithm", "ga", "--step-size", "0"],
    ["--algorithm", "ga-score", "--samples", "0"], ["--algorithm", "vb", "--concentration", "-1"],
    ["--algorithm", "ga", "--step-size", "nan"], ["--algorithm", "newton"],
    ["--algorithm", "ga", "--line-search", "--optimizer", "adam"],
])
def test_bad_algorithm_options_are_one_line(capsys, blobs, args):
    path, _ = blobs
    status = main(["fit", str(path), "--k", "3", *args])
    out, err = capsys.readouterr()
    assert status in (1, 2) and out == ""
    assert_one_line_error(err)


def test_summary_names_the_algorithm_s_run(capsys, blobs):
    path, _ = blobs
    assert main(["fit", str(path), "--k", "3", "--algorithm", "vb"]) == 0
    out, _ = capsys.readouterr()
    assert "3 components" in out and "log-likelihood" in out


def test_the_algorithms_load_neither_qt_nor_scikit_learn(blobs):
    import subprocess
    import sys

    path, _ = blobs
    code = f"""
import sys
from gmmviz.cli import main
for alg in ("ga", "ga-score", "vb"):
    assert main(["fit", {str(path)!r}, "--k", "2", "--algorithm", alg, "--max-iter", "3", "--json"]) == 0
heavy = ("PySide6", "shiboken6", "pyqtgraph", "sklearn", "matplotlib")
print(sorted(m for m in sys.modules if m.split(".")[0] in heavy or m.startswith("gmmviz.qt")))
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "[]"
