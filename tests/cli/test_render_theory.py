"""``gmmviz render --lab theory``: every view as PNG and SVG offscreen, one-line errors before Qt loads."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.cli.test_cli import assert_one_line_error, run_cli

PROG = "gmmviz render --lab theory"
VIEWS = ("race", "mm-slice", "surface", "info", "score")
ROOT = Path(__file__).resolve().parents[2]
#: This checkout's gmmviz, also from a scratch folder (not whichever one the environment installed).
ENV = {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def render(*args, cwd=None):
    return run_cli("render", "--lab", "theory", *args, cwd=cwd, env=ENV)


@pytest.mark.slow
@pytest.mark.parametrize("view", VIEWS)
def test_each_view_renders_png_and_svg_of_the_asked_size(tmp_path, view):
    png, svg = tmp_path / f"{view}.png", tmp_path / f"{view}.svg"
    for out in (png, svg):
        proc = render("--view", view, "-o", out, "--size", "800x480", "--max-iter", "20", "--theme", "light")
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr == "" and "800 × 480 px" in proc.stdout and view in proc.stdout
    image = QImage(str(png))
    assert (image.width(), image.height()) == (800, 480)
    colours = {image.pixelColor(x, y).name() for x in range(0, 800, 13) for y in range(0, 480, 11)}
    assert len(colours) > 8  # a drawing, not a blank page
    text = svg.read_text(encoding="utf-8")
    head = text[:text.index(">", text.index("<svg"))]
    assert re.search(r'\swidth="800"', head) and re.search(r'\sheight="480"', head)
    assert text.count("<path") + text.count("<polyline") > 20  # true vector drawing, not one embedded image


@pytest.mark.slow
def test_the_views_own_options_reach_the_figure(tmp_path):
    surface = render("--view", "surface", "--k", "2", "--coords", "2", "--iteration", "3", "-o", tmp_path / "s.png")
    assert surface.returncode == 0, surface.stderr
    assert "iteration 3" in surface.stdout and "μ1,x / μ2,x" in surface.stdout
    score = render("--view", "score", "--sampler", "posterior", "--points", "12", "--samples", "50",
                   "--repeats", "20", "-o", tmp_path / "c.svg")
    assert score.returncode == 0, score.stderr
    assert "posterior sampler, T = 12, m = 50" in score.stdout


@pytest.mark.parametrize("args, status, says", [
    (["--view", "nope", "-o", "a.png"], 2, "invalid choice"),
    (["--view", "info", "-o", "a.gif"], 2, ".png or .svg"),
    (["--view", "surface", "--k", "9", "-o", "a.png"], 2, "from 1 to 8"),
    (["--view", "score", "--k", "7", "-o", "a.png"], 2, "from 1 to 6"),
    (["--view", "surface", "--k", "1", "--coords", "1", "-o", "a.png"], 2, "from 0 to 0"),
    (["--view", "mm-slice", "--iteration", "501", "-o", "a.png"], 2, "from 1 to 500"),
    (["--view", "race", "--step-size", "20", "-o", "a.png"], 2, "0.001 to 10"),
    (["--view", "score", "--repeats", "1", "-o", "a.png"], 2, "from 2 to"),
    (["--view", "race", "-o", "no/such/folder/a.png"], 1, "existing folder"),
    (["--view", "race", "none.csv", "-o", "a.png"], 1, "no such file"),
])
def test_bad_input_is_one_line_and_its_exit_status(tmp_path, args, status, says):
    proc = render(*args, cwd=tmp_path)
    assert proc.returncode == status, proc.stderr
    assert_one_line_error(proc.stderr, PROG)
    assert says in proc.stderr
    assert not list(tmp_path.glob("a.*"))


@pytest.mark.slow
def test_too_few_points_is_a_data_error(tmp_path):
    few = tmp_path / "few.csv"
    few.write_text("x,y\n0,0\n1,1\n")
    proc = render("--view", "surface", few, "-o", tmp_path / "b.svg", "--k", "3")
    assert proc.returncode == 1 and "at least K = 3" in proc.stderr
    assert_one_line_error(proc.stderr, PROG)


def test_qt_is_not_loaded_before_the_arguments_are_checked():
    code = ("import sys\nfrom gmmviz.cli import main\n"
            "rc = main(['render', '--lab', 'theory', '--view', 'surface', '--k', '9', '-o', 'x.png'])\n"
            "print(rc, sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env={**os.environ, **ENV})
    assert proc.stdout.split(None, 1) == ["2", "[]\n"], proc.stdout + proc.stderr
