"""Hostile command lines and files (issue 11): special files, absurd numbers, one exit-code convention.

Every case ends in exactly one ``gmmviz ...: error: ...`` line and the documented
status (2 usage, 1 data), never a traceback or a hang.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import numpy as np
import pytest

from gmmviz.cli import main
from gmmviz.cli.args import EXIT_DATA, EXIT_USAGE

ABSURD = ("0", "-1", "1e9", "1e308", "nan", "inf", "-inf", "abc", "", "1" + "0" * 30, "0x10", "1.5")

#: (command, option) -> the absurd values that are valid for it (and so not scanned).
VALID = {
    ("fit", "--seed"): {"0"}, ("fit", "--max-iter"): {"0"}, ("fit", "--tol"): {"0", "1e9", "1e308", "1.5", "1" + "0" * 30},
    ("fit", "--reg-covar"): {"0", "1e9", "1e308", "1.5", "1" + "0" * 30}, ("render", "--seed"): {"0"},
    ("render", "--iteration"): {"0"}, ("render", "--scale"): {"1.5"}, ("render", "--fps"): {"1.5"},
}
NUMERIC = {
    "fit": ("--k", "--n-init", "--seed", "--max-iter", "--tol", "--reg-covar"),
    "render": ("--k", "--seed", "--max-iter", "--iteration", "--size", "--scale", "--fps"),
}


@pytest.fixture
def points(tmp_path):
    rng = np.random.default_rng(0)
    path = tmp_path / "pts.csv"
    path.write_text("x,y\n" + "".join(f"{a!r},{b!r}\n" for a, b in rng.normal(size=(60, 2)).tolist()))
    return str(path)


def base_args(command: str, points: str, tmp_path) -> list[str]:
    if command == "fit":
        return ["fit", points, "--k", "2"]
    return ["render", points, "-o", str(tmp_path / "out.png")]


def one_error_line(err: str, prog: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"{prog}: error: ")
    assert "Traceback" not in err
    return lines[0]


CASES = [(c, o, v) for c, opts in NUMERIC.items() for o in opts for v in ABSURD if v not in VALID.get((c, o), ())]


@pytest.mark.parametrize(("command", "option", "value"), CASES)
def test_every_absurd_number_is_a_usage_error(command, option, value, points, tmp_path, capsys):
    args = base_args(command, points, tmp_path)
    if command == "fit" and option == "--k":
        args = ["fit", points]
    assert main([*args, option, value]) == EXIT_USAGE
    one_error_line(capsys.readouterr().err, f"gmmviz {command}")
    assert not (tmp_path / "out.png").exists()


@pytest.mark.parametrize("columns", ["z,y", "1,9", "0,1", "x,x", "x", "1e9,2", "nan,y", ",", "-1,2"])
def test_bad_columns_is_a_usage_error(columns, points, capsys):
    assert main(["fit", points, "--k", "2", f"--columns={columns}"]) == EXIT_USAGE
    one_error_line(capsys.readouterr().err, "gmmviz fit")


def test_columns_given_by_name_on_a_headerless_file_is_a_usage_error(tmp_path, capsys):
    path = tmp_path / "plain.csv"
    path.write_text("1,2\n3,4\n5,6\n")
    assert main(["fit", str(path), "--k", "1", "--columns", "x,y"]) == EXIT_USAGE
    one_error_line(capsys.readouterr().err, "gmmviz fit")


def test_top_level_and_desktop_usage_errors_exit_2(capsys):
    for argv in (["--install-desktop", "x.csv"], ["--install-desktop", "--uninstall-desktop"], ["--bogus"],
                 ["notacommand"], ["fit"], ["render"], ["render", "a.csv"]):
        assert main(argv) == EXIT_USAGE, argv
        one_error_line(capsys.readouterr().err, "gmmviz" if argv[0] not in ("fit", "render") else f"gmmviz {argv[0]}")


# --------------------------------------------------------------------------
# Special files: refused before they are opened
# --------------------------------------------------------------------------


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return str(path)


@pytest.fixture
def unix_socket(tmp_path):
    path = str(tmp_path / "sock")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(path)
    yield path
    sock.close()


def run(*args):
    env = {k: v for k, v in os.environ.items() if k != "GMMVIZ_DEBUG"}
    return subprocess.run([sys.executable, "-m", "gmmviz", *args], capture_output=True, text=True, timeout=60,
                          env=env, check=False)


@pytest.mark.parametrize("kind", ["fifo", "fifo.csv", "fifo.gmmviz", "dev", "socket"])
def test_special_files_are_refused_without_blocking(kind, tmp_path, points, unix_socket):
    if kind.startswith("fifo"):
        path = str(tmp_path / kind)
        os.mkfifo(path)
    else:
        path = "/dev/zero" if kind == "dev" else unix_socket
    for args, prog in ((["fit", path, "--k", "2"], "gmmviz fit"),
                       (["fit", points, "--k", "2", "--init", path], "gmmviz fit"),
                       (["render", path, "-o", str(tmp_path / "o.png")], "gmmviz render")):
        result = run(*args)
        assert result.returncode == EXIT_DATA, result.stderr
        line = one_error_line(result.stderr, prog)
        assert "ordinary files" in line or "is a" in line


def test_init_params_from_a_fifo_json_name(tmp_path, points):
    path = str(tmp_path / "params.json")
    os.mkfifo(path)
    result = run("fit", points, "--k", "2", "--init", path)
    assert result.returncode == EXIT_DATA
    assert "named pipe" in one_error_line(result.stderr, "gmmviz fit")


def test_readers_refuse_special_files_in_process(fifo, unix_socket):
    from gmmviz.core.errors import GmmvizError
    from gmmviz.core.io.csv_preview import sniff_columns
    from gmmviz.core.io.params import read_params_json
    from gmmviz.core.io.points import read_points
    from gmmviz.core.session import is_session_path
    from gmmviz.labs.em.core.session.files import read_session

    for path, what in ((fifo, "named pipe"), ("/dev/zero", "character device"), (unix_socket, "socket")):
        for read in (read_points, read_session, sniff_columns,
                     lambda p: read_params_json(p, covariance_type="full")):
            with pytest.raises(GmmvizError, match=what):
                read(path)
        assert not is_session_path(path)


# --------------------------------------------------------------------------
# Parameters JSON: the strict layer of sessions
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ('{"means": [[0, 0], [1, 1]], "means": [[2, 2], [3, 3]]}', "appears twice"),
    ('{"means": [["1", 0], [1, 1]]}', r"means\[0\]\[0\]: expected a number, got a string"),
    ('{"means": [[true, 0], [1, 1]]}', "got true/false"),
    ('{"means": [[null, 0], [1, 1]]}', "got null"),
    ('{"means": [[NaN, 0], [1, 1]]}', "literal NaN"),
    ('{"means": [[1' + "0" * 5000 + ', 0], [1, 1]]}', "thousands of digits"),
    ('{"means": [[1' + "0" * 400 + ', 0], [1, 1]]}', "too large"),
    ('{"means": [[1e999, 0], [1, 1]]}', "too large"),
    ('{"means": ' + "[" * 40 + "]" * 40 + "}", "nested 41 levels"),
    ('{"means": [[0, 0], [1, 1]], "covariance_type": 3}', "covariance_type: expected a string"),
    ('{"weights": [0.5, "0.5"], "means": [[0, 0], [1, 1]], "covariances": [[[1, 0], [0, 1]], [[1, 0], [0, 1]]]}',
     r"weights\[1\]"),
    ("[1, 2]", "expected a JSON object"),
])
def test_params_json_is_read_strictly(text, expected, tmp_path, points, capsys):
    path = tmp_path / "p.json"
    path.write_text(text)
    assert main(["fit", points, "--k", "2", "--init", str(path)]) == EXIT_DATA
    line = one_error_line(capsys.readouterr().err, "gmmviz fit")
    assert "internal error" not in line
    import re

    assert re.search(expected, line), line


def test_a_render_beyond_its_budget_is_refused_with_the_remedy(tmp_path, capsys):
    rng = np.random.default_rng(1)
    path = tmp_path / "many.csv"
    path.write_text("x,y\n" + "".join(f"{a!r},{b!r}\n" for a, b in rng.normal(size=(20_000, 2)).tolist()))
    out = tmp_path / "o.png"
    assert main(["render", str(path), "-o", str(out), "--k", "20", "--max-iter", "100000"]) == EXIT_USAGE
    line = one_error_line(capsys.readouterr().err, "gmmviz render")
    assert "--max-iter 2,500 or less" in line and not out.exists()


def test_the_render_budget_admits_the_defaults_on_a_million_points():
    from gmmviz.cli.render import check_budget
    from gmmviz.labs.em.core.defaults import EM_DEFAULTS

    check_budget(1_000_000, EM_DEFAULTS["n_components"], EM_DEFAULTS["max_iter"])
