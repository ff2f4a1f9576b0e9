"""The command line at the edge of floating point (issue 11, items 5-8): every case
either fits (exit 0, finite numbers) or is refused in one line naming the range
(exit 1), and no RuntimeWarning, traceback or internal error ever reaches stderr
(the interpreter runs with ``-W error::RuntimeWarning``, so one would be fatal)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest

from core.helpers import EXTREME_SCALES, SESSION_DATA, two_blobs

DROP = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "GMMVIZ_DEBUG")


def gmmviz(*args, code: str | None = None):
    env = {k: v for k, v in os.environ.items() if k not in DROP}
    head = ["-c", code] if code else ["-m", "gmmviz"]
    return subprocess.run([sys.executable, "-W", "error::RuntimeWarning", *head, *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=180)


def assert_one_line(proc, prog: str, status: int = 1) -> str:
    assert proc.returncode == status, proc.stderr
    assert "Traceback" not in proc.stderr and "Warning" not in proc.stderr and "internal error" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith(f"{prog}: error: "), proc.stderr
    return proc.stderr


def write_csv(path, X) -> None:
    path.write_text("x,y\n" + "".join(f"{x!r},{y!r}\n" for x, y in X.tolist()))


@pytest.mark.parametrize("case", EXTREME_SCALES, ids=[c[0] for c in EXTREME_SCALES])
def test_fit_on_extreme_numbers(tmp_path, case):
    _, scale, offset, options, expected = case
    data = tmp_path / "data.csv"
    write_csv(data, two_blobs(scale, offset))
    proc = gmmviz("fit", data, "--k", "2", "--json", *options)
    if expected is not None:
        assert expected in assert_one_line(proc, "gmmviz fit")
        return
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    result = json.loads(proc.stdout)
    numbers = np.array(result["means"] + [result["weights"]], dtype=object)
    assert all(v is not None and math.isfinite(v) for v in np.hstack(numbers.ravel()).tolist())
    assert all(v is not None and math.isfinite(v) for v in np.ravel(result["covariances"]).tolist())


@pytest.mark.parametrize("variance", [1e-300, 1e300])
def test_a_tiny_or_huge_positive_definite_start_is_accepted(tmp_path, variance):
    """1e-300 I was refused as "not symmetric positive definite" (issue 11, item 8)."""
    data, init = tmp_path / "data.csv", tmp_path / "init.json"
    write_csv(data, two_blobs(1.0, 0.0))
    init.write_text(json.dumps({"weights": [0.5, 0.5], "means": [[0, 0], [4, 4]],
                                "covariances": [(variance * np.eye(2)).tolist(), np.eye(2).tolist()]}))
    proc = gmmviz("fit", data, "--k", "2", "--init", init)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert "not symmetric positive definite" not in proc.stdout


def test_render_of_the_golden_session_scaled_to_1e300_is_one_line(tmp_path):
    """It printed a 14-line traceback from the EM worker (issue 11, item 7)."""
    doc = json.loads((SESSION_DATA / "v1" / "minimal.gmmviz").read_text())
    for axis in ("x", "y"):
        doc["data"][axis] = [v * 1e300 if abs(v) * 1e300 < 1e308 else v for v in doc["data"][axis]]
    src = tmp_path / "big.gmmviz"
    src.write_text(json.dumps(doc))
    proc = gmmviz("render", src, "-o", tmp_path / "out.png")
    assert "outside the range" in assert_one_line(proc, "gmmviz render")
    assert not (tmp_path / "out.png").exists()


def test_a_bug_in_the_em_worker_is_one_line_in_render(tmp_path):
    """Any exception in the worker (not only a GmmvizError) is reported in one line;
    its traceback is logged only with GMMVIZ_DEBUG=1."""
    data = tmp_path / "data.csv"
    write_csv(data, two_blobs(1.0, 0.0))
    code = ("import sys, gmmviz.labs.em.core.fused as f\n"
            "def boom(*a, **k): raise RuntimeError('injected worker bug')\n"
            "f.fused_pass = boom\n"
            "from gmmviz.cli import main\nsys.exit(main(sys.argv[1:]))")
    proc = gmmviz("render", data, "-o", tmp_path / "out.png", "--k", "2", code=code)
    assert "injected worker bug" in assert_one_line(proc, "gmmviz render")
