"""The ``gmmviz`` command line: end to end in subprocesses, and in-process for speed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from contextlib import ExitStack
from importlib.resources import as_file

import numpy as np
import pytest
from scipy.special import logsumexp
from scipy.stats import multivariate_normal

import gmmviz
from gmmviz.cli import main
from gmmviz.core.resources import resource

FAITHFUL_MEANS = np.array([[2.04, 54.5], [4.29, 80.0]])
FAITHFUL_WEIGHTS = np.array([0.356, 0.644])


@pytest.fixture(scope="module")
def faithful():
    with ExitStack() as stack:
        yield str(stack.enter_context(as_file(resource("data", "faithful.csv"))))


@pytest.fixture(scope="module")
def faithful_X(faithful):
    return np.loadtxt(faithful, delimiter=",", skiprows=1)


def run_cli(*args, cwd=None, env=None):
    """Run ``python -m gmmviz ARGS`` and return the CompletedProcess."""
    full_env = {k: v for k, v in os.environ.items() if k != "GMMVIZ_DEBUG"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "gmmviz", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, env=full_env, timeout=120,
    )


def fit_json(*args, **kwargs) -> dict:
    proc = run_cli("fit", *args, "--json", **kwargs)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return json.loads(proc.stdout)


def assert_one_line_error(stderr: str, prog: str = "gmmviz fit"):
    assert "Traceback" not in stderr
    assert stderr.endswith("\n") and stderr.count("\n") == 1, stderr
    assert stderr.startswith(f"{prog}: error: "), stderr
    assert len(stderr) > len(prog) + 12  # says something


def mixture_log_likelihood(X, weights, means, covariances) -> float:
    """Independent oracle: sum_t ln sum_k pi_k N(x_t | mu_k, Sigma_k), via scipy."""
    logp = np.column_stack([
        np.log(w) + multivariate_normal(mean=m, cov=c).logpdf(X)
        for w, m, c in zip(weights, means, covariances)
    ])
    return float(logsumexp(logp, axis=1).sum())


# --------------------------------------------------------------------------
# End to end (subprocesses)
# --------------------------------------------------------------------------


def test_version():
    proc = run_cli("--version")
    assert proc.returncode == 0
    assert proc.stdout == f"gmmviz {gmmviz.__version__}\n"
    assert proc.stderr == ""


def test_fit_old_faithful(faithful):
    out = fit_json(faithful, "--k", "2")
    assert set(out) == {
        "n_components", "covariance_type", "converged", "n_iter", "log_likelihood", "lower_bound",
        "weights", "means", "covariances", "bic", "aic", "n_points", "collapse",
    }
    assert out["n_components"] == 2 and out["covariance_type"] == "full" and out["n_points"] == 272
    assert out["converged"] is True and out["collapse"] is None
    order = np.argsort(np.array(out["means"])[:, 0])
    np.testing.assert_allclose(np.array(out["means"])[order], FAITHFUL_MEANS, atol=0.5)
    np.testing.assert_allclose(np.array(out["weights"])[order], FAITHFUL_WEIGHTS, atol=0.05)
    assert np.shape(out["covariances"]) == (2, 2, 2)

    ll = out["log_likelihood"]
    n_iter = out["n_iter"]
    assert n_iter >= 1 and len(ll) == n_iter + 1
    assert all(b >= a - 1e-9 * abs(a) for a, b in zip(ll, ll[1:])), ll
    bound = out["lower_bound"]
    assert len(bound) == 2 * n_iter
    assert [(b["iteration"], b["phase"]) for b in bound] == [(t, p) for t in range(1, n_iter + 1) for p in "EM"]
    for t in range(1, n_iter + 1):
        e_value, m_value = bound[2 * t - 2]["value"], bound[2 * t - 1]["value"]
        assert e_value == pytest.approx(ll[t - 1], rel=1e-9)  # the bound is tight after an E-step
        assert m_value <= ll[t] + 1e-9 * abs(ll[t])  # and below ln p after the M-step
        assert m_value >= e_value - 1e-9 * abs(e_value)  # the M-step raises it

    p = 2 * 3 + 2 * 2 + 1  # full covariances, means, weights
    assert out["bic"] == pytest.approx(-2 * ll[-1] + p * np.log(272), rel=1e-12)
    assert out["aic"] == pytest.approx(-2 * ll[-1] + 2 * p, rel=1e-12)


def _params_case(ctype):
    means = [[2.0, 55.0], [4.5, 80.0]]
    weights = [0.3, 0.7]
    if ctype == "full":
        covs = [[[0.1, 0.3], [0.3, 30.0]], [[0.2, 0.5], [0.5, 40.0]]]
        full = covs
    else:  # diag
        covs = [[0.1, 30.0], [0.2, 40.0]]
        full = [np.diag(c) for c in covs]
    return {"weights": weights, "means": means, "covariances": covs}, full


@pytest.mark.parametrize("ctype", ["full", "diag"])
def test_fit_from_given_params_starts_from_them(tmp_path, faithful, faithful_X, ctype):
    params, full = _params_case(ctype)
    path = tmp_path / "params.json"
    path.write_text(json.dumps(params))
    out = fit_json(faithful, "--k", "2", "--covariance", ctype, "--init", path)
    expected = mixture_log_likelihood(faithful_X, params["weights"], params["means"], full)
    assert out["log_likelihood"][0] == pytest.approx(expected, rel=1e-9)
    assert out["log_likelihood"][-1] > expected


def test_fit_from_given_means_uses_uniform_weights_and_data_covariance(tmp_path, faithful, faithful_X):
    path = tmp_path / "means.json"
    means = [[2.0, 50.0], [4.0, 85.0]]
    path.write_text(json.dumps({"means": means}))
    out = fit_json(faithful, "--k", "2", "--init", path)
    cov = np.cov(faithful_X, rowvar=False, bias=True) + 1e-6 * np.eye(2)
    expected = mixture_log_likelihood(faithful_X, [0.5, 0.5], means, [cov, cov])
    assert out["log_likelihood"][0] == pytest.approx(expected, rel=1e-9)


def test_fit_output_can_initialise_the_next_fit(tmp_path, faithful):
    first = fit_json(faithful, "--k", "2")
    (tmp_path / "fitted.json").write_text(json.dumps(first))
    second = fit_json(faithful, "--k", "2", "--init", tmp_path / "fitted.json")
    assert second["log_likelihood"][0] == pytest.approx(first["log_likelihood"][-1], rel=1e-12)


def test_n_init_keeps_the_best_run(faithful):
    one = fit_json(faithful, "--k", "3", "--seed", "5")
    three = fit_json(faithful, "--k", "3", "--seed", "5", "--n-init", "3")
    assert three["log_likelihood"][-1] >= one["log_likelihood"][-1] - 1e-9 * abs(one["log_likelihood"][-1])


@pytest.mark.parametrize(
    "args, status",
    [
        (["fit", "missing.csv", "--k", "2"], 1),
        (["fit", "nan.csv", "--k", "2"], 1),
        (["fit", "three.csv", "--k", "5"], 1),
        (["fit", "three.csv", "--k", "two"], 2),
        (["fit", "three.csv", "--k", "2", "--frobnicate"], 2),
        (["fit", "three.csv"], 2),
    ],
)
def test_failures_end_to_end(tmp_path, args, status):
    (tmp_path / "nan.csv").write_text("x,y\n1,2\nnan,3\n")
    (tmp_path / "three.csv").write_text("x,y\n1,2\n3,4\n5,7\n")
    proc = run_cli(*args, cwd=tmp_path)
    assert proc.returncode == status
    assert proc.stdout == ""
    assert_one_line_error(proc.stderr)


def test_help_works(faithful):
    proc = run_cli("fit", "--help")
    assert proc.returncode == 0 and proc.stdout.startswith("usage: gmmviz fit")
    assert "--covariance" in proc.stdout and proc.stderr == ""
    proc = run_cli("--help")
    assert proc.returncode == 0 and "fit" in proc.stdout


def test_fit_and_version_load_neither_qt_nor_scikit_learn(faithful):
    code = f"""
import sys
from gmmviz.cli import main
assert main(["--version"]) == 0
assert "numpy" not in sys.modules, "--version loaded numpy"
assert main(["fit", {faithful!r}, "--k", "2", "--json"]) == 0
heavy = ("PySide6", "shiboken6", "pyqtgraph", "sklearn", "matplotlib")
print(sorted(m for m in sys.modules if m.split(".")[0] in heavy or m.startswith("gmmviz.qt")))
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "[]"


def test_single_threaded_blas_is_set_before_numpy_loads(faithful):
    code = f"""
import os, sys
import gmmviz.cli
assert "numpy" not in sys.modules
assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
gmmviz.cli.main(["fit", {faithful!r}, "--k", "2", "--json"])
from threadpoolctl import threadpool_info
print(sorted({{info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"}}))
"""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "[1]"


# --------------------------------------------------------------------------
# In-process (fast)
# --------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path):
    (tmp_path / "ragged.csv").write_text("x,y\n1,2\n3,4,5\n")
    (tmp_path / "nan.csv").write_text("x,y\n1,2\n3,NaN\n")
    (tmp_path / "three.csv").write_text("x,y\n1,2\n3,4\n5,7\n")
    (tmp_path / "latin1.csv").write_bytes(b"x,y,label\n1,2,caf\xe9\n")
    (tmp_path / "bad.json").write_text('{"means": [[1, 2], [3, 4]')
    (tmp_path / "wrongk.json").write_text('{"means": [[1, 2], [3, 4], [5, 6]]}')
    return tmp_path


BAD_INPUTS = [
    # usage errors: exit 2
    (["fit"], 2, "gmmviz fit"),
    (["fit", "{d}/three.csv"], 2, "gmmviz fit"),
    (["fit", "{d}/three.csv", "--k", "0"], 2, "gmmviz fit"),
    (["fit", "{d}/three.csv", "--k", "1.5"], 2, "gmmviz fit"),
    (["fit", "{d}/three.csv", "--k", "2", "--covariance", "round"], 2, "gmmviz fit"),
    (["fit", "{d}/three.csv", "--k", "2", "--init", "magic"], 2, "gmmviz fit"),
    (["fit", "{d}/three.csv", "--k", "2", "--n-init", "0"], 2, "gmmviz fit"),
    (["fit", "{d}/three.csv", "--k", "2", "--tol", "-1"], 2, "gmmviz fit"),
    (["fit", "{d}/three.csv", "--k", "2", "--tol", "nan"], 2, "gmmviz fit"),
    (["fit", "{d}/three.csv", "--k", "2", "--reg-covar", "-0.1"], 2, "gmmviz fit"),
    (["fit", "{d}/three.csv", "--k", "2", "--max-iter", "-1"], 2, "gmmviz fit"),
    (["fit", "{d}/three.csv", "--k", "2", "--seed", "-3"], 2, "gmmviz fit"),
    (["fit", "{d}/three.csv", "--k", "2", "--columns", "x"], 2, "gmmviz fit"),
    (["fit", "{d}/three.csv", "--k", "2", "--bogus"], 2, "gmmviz fit"),
    (["--bogus"], 2, "gmmviz"),
    (["--install-desktop", "--uninstall-desktop"], 2, "gmmviz"),
    (["fitt"], 2, "gmmviz"),
    (["a", "b"], 2, "gmmviz"),
    # data errors: exit 1
    (["fit", "{d}/missing.csv", "--k", "2"], 1, "gmmviz fit"),
    (["fit", "{d}", "--k", "2"], 1, "gmmviz fit"),
    (["fit", "{d}/ragged.csv", "--k", "2"], 1, "gmmviz fit"),
    (["fit", "{d}/nan.csv", "--k", "2"], 1, "gmmviz fit"),
    (["fit", "{d}/latin1.csv", "--k", "2"], 1, "gmmviz fit"),
    (["fit", "{d}/three.csv", "--k", "4"], 1, "gmmviz fit"),
    (["fit", "{d}/three.csv", "--k", "2", "--columns", "x,z"], 2, "gmmviz fit"),  # a usage error (issue 11.16)
    (["fit", "{d}/three.csv", "--k", "2", "--init", "{d}/missing.json"], 1, "gmmviz fit"),
    (["fit", "{d}/three.csv", "--k", "2", "--init", "{d}/bad.json"], 1, "gmmviz fit"),
    (["fit", "{d}/three.csv", "--k", "2", "--init", "{d}/wrongk.json"], 1, "gmmviz fit"),
    (["{d}/missing.csv"], 1, "gmmviz"),
]


@pytest.mark.parametrize("argv, status, prog", BAD_INPUTS, ids=[" ".join(a[0]) for a in BAD_INPUTS])
def test_bad_input_gives_one_line_and_the_right_status(files, capsys, argv, status, prog):
    assert main([a.format(d=files) for a in argv]) == status
    out, err = capsys.readouterr()
    assert out == ""
    assert_one_line_error(err, prog)


def test_error_messages_name_the_problem(files, capsys):
    main(["fit", str(files / "ragged.csv"), "--k", "2"])
    assert "line 3" in capsys.readouterr().err
    main(["fit", str(files / "three.csv"), "--k", "2", "--init", str(files / "bad.json")])
    assert "line 1, column" in capsys.readouterr().err
    main(["fit", str(files / "three.csv"), "--k", "4"])
    assert "fewer points (3)" in capsys.readouterr().err


def test_readable_summary(faithful, capsys):
    assert main(["fit", faithful, "--k", "2"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "272 points, 2 components, covariance full" in out
    assert "converged after" in out and "BIC" in out and "AIC" in out
    assert "mean eruptions" in out and "mean waiting" in out
    rows = [line.split() for line in out.splitlines() if line.strip()[:1].isdigit()]
    weights = sorted(float(r[1]) for r in rows)
    np.testing.assert_allclose(weights, sorted(FAITHFUL_WEIGHTS), atol=0.05)


@pytest.mark.parametrize("ctype, shape", [("full", (3, 2, 2)), ("diag", (3, 2)), ("spherical", (3,)), ("tied", (2, 2))])
def test_covariance_types_and_columns(tmp_path, capsys, ctype, shape):
    rng = np.random.default_rng(3)
    X = np.concatenate([rng.normal(c, 0.3, size=(50, 2)) for c in ([0, 0], [3, 0], [0, 3])])
    lines = ["id,b,a"] + [f"{i},{x!r},{y!r}" for i, (x, y) in enumerate(X.tolist())]
    (tmp_path / "d.csv").write_text("\n".join(lines) + "\n")
    argv = ["fit", str(tmp_path / "d.csv"), "--k", "3", "--covariance", ctype, "--columns", "a,2", "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["covariance_type"] == ctype and np.shape(out["covariances"]) == shape
    means = np.array(sorted(map(tuple, np.round(out["means"]))))
    np.testing.assert_array_equal(means, [[0, 0], [0, 3], [3, 0]])  # (a, b) = (y, x)


def test_collapse_is_reported_as_json_null_free(tmp_path, capsys):
    (tmp_path / "dup.csv").write_text("x,y\n0,0\n0,0\n1,1\n1,1\n2,0\n2,0\n5,5\n")
    argv = ["fit", str(tmp_path / "dup.csv"), "--k", "3", "--init", "random", "--reg-covar", "0", "--json"]
    assert main(argv) == 0
    text = capsys.readouterr().out
    out = json.loads(text)  # strict JSON: no NaN
    assert "NaN" not in text and "Infinity" not in text
    assert out["collapse"] and "reg_covar" in out["collapse"]
    assert out["converged"] is False
    steps = [(b["iteration"], b["phase"]) for b in out["lower_bound"]]
    assert len(steps) == len(set(steps))  # the collapsed E-step appears once
    assert len(out["log_likelihood"]) == out["n_iter"]  # no M-step in the last iteration


def test_max_iter_zero_reports_the_initial_state(faithful, capsys):
    assert main(["fit", faithful, "--k", "2", "--max-iter", "0", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n_iter"] == 0 and out["lower_bound"] == [] and len(out["log_likelihood"]) == 1


def test_version_in_process(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"gmmviz {gmmviz.__version__}\n"


# --------------------------------------------------------------------------
# The window and the desktop launcher (fake modules: nothing real is started
# or installed)
# --------------------------------------------------------------------------


@pytest.fixture
def fake_app(monkeypatch):
    calls = []
    module = types.ModuleType("gmmviz.app")
    module.run_app = lambda files: calls.append(files) or 0
    monkeypatch.setitem(sys.modules, "gmmviz.app", module)
    return calls


def test_no_arguments_launches_the_window(fake_app):
    assert main([]) == 0
    assert fake_app == [[]]


def test_a_file_argument_opens_it(tmp_path, fake_app):
    path = tmp_path / "points.csv"
    path.write_text("x,y\n1,2\n")
    assert main([str(path)]) == 0
    assert fake_app == [[str(path)]]


def test_missing_gui_is_one_line(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "gmmviz.app", None)  # import fails
    assert main([]) == 1
    assert_one_line_error(capsys.readouterr().err, "gmmviz")


@pytest.mark.parametrize("option, function", [("--install-desktop", "install_desktop"), ("--uninstall-desktop", "uninstall_desktop")])
def test_desktop_options_print_the_paths(tmp_path, monkeypatch, capsys, option, function):
    paths = [tmp_path / "a.desktop", tmp_path / "icon.svg"]
    called = []
    module = types.ModuleType("gmmviz.cli.desktop")
    setattr(module, function, lambda: called.append(function) or paths)
    monkeypatch.setitem(sys.modules, "gmmviz.cli.desktop", module)
    assert main([option]) == 0
    assert called == [function]
    assert capsys.readouterr().out.splitlines() == [str(p) for p in paths]


def test_desktop_failure_is_one_line(monkeypatch, capsys):
    module = types.ModuleType("gmmviz.cli.desktop")

    def install_desktop():
        raise PermissionError(13, "Permission denied", "/usr/share/applications")

    module.install_desktop = install_desktop
    monkeypatch.setitem(sys.modules, "gmmviz.cli.desktop", module)
    assert main(["--install-desktop"]) == 1
    assert_one_line_error(capsys.readouterr().err, "gmmviz --install-desktop")


def test_fit_render_and_the_window_start_from_one_set_of_defaults():
    from argparse import Namespace

    from gmmviz.cli.fit import _fit_parser
    from gmmviz.cli.render import _settings
    from gmmviz.labs.em.core.types import ModelSettings

    window = ModelSettings()
    args = _fit_parser().parse_args(["data.csv", "--k", "3"])
    assert (args.covariance, args.init, args.seed, args.max_iter, args.tol, args.reg_covar) == (
        window.covariance_type, window.init, window.seed, window.max_iter, window.tol, window.reg_covar)
    none = Namespace(k=None, covariance=None, init=None, seed=None, max_iter=None)
    assert _settings(none, None) == window
    help_text = _fit_parser().format_help()
    assert f"default: {window.init}" in help_text and f"default: {window.max_iter}" in help_text


@pytest.mark.parametrize("option, value", [("--n-init", "1000000000"), ("--max-iter", "1000000000"),
                                           ("--n-init", "0"), ("--max-iter", "-1")])
def test_absurd_counts_are_usage_errors_not_endless_runs(option, value):
    with as_file(resource("data", "faithful.csv")) as faithful:
        proc = run_cli("fit", str(faithful), "--k", "2", option, value)
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1 and option in proc.stderr


def test_fit_keeps_only_the_trajectory_and_agrees_with_run_em():
    """``gmmviz fit`` reports what run_em's snapshots say, from a trajectory of a
    few numbers per half-step: memory does not grow with the parameters of every step."""
    import tracemalloc

    import numpy as np

    from gmmviz.cli.fit import fit_result, trajectory_run
    from gmmviz.labs.em.core.steps import run_em
    from gmmviz.labs.em.core.types import FitConfig

    rng = np.random.default_rng(4)
    X = np.vstack([rng.normal(size=(60, 2)), rng.normal(size=(60, 2)) + 4])
    config = FitConfig(n_components=3, covariance_type="full", max_iter=60, tol=1e-9, random_state=1)
    assert fit_result(trajectory_run(X, config, n_init=3)) == fit_result(run_em(X, config, n_init=3))

    def peak(fn, iterations):
        tracemalloc.start()
        fn(X, config.replace(n_components=20, max_iter=iterations, tol=0.0))
        used = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return used

    kept = peak(trajectory_run, 300) - peak(trajectory_run, 150)  # what 150 more iterations cost
    every = peak(run_em, 300) - peak(run_em, 150)
    assert kept < every / 5, (kept, every)
