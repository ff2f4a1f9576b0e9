"""``gmmviz render --lab theory``: the theory lab's figures headless, end to end in subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image


def render(*args):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "gmmviz", "render", "--lab", "theory", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.slow
@pytest.mark.parametrize("view", ["mm-slice", "race", "info"])
def test_each_view_renders_a_png_of_the_asked_size(tmp_path, view):
    out = tmp_path / f"{view}.png"
    proc = render("--view", view, "-o", out, "--size", "900x500", "--max-iter", "30", "--theme", "dark")
    assert proc.returncode == 0, proc.stderr
    img = np.asarray(Image.open(out).convert("RGB"))
    assert img.shape == (500, 900, 3)
    assert len(np.unique(img.reshape(-1, 3), axis=0)) > 20  # a drawing, not a blank


@pytest.mark.slow
def test_bad_options_and_data_get_one_line_and_their_exit_status(tmp_path):
    bad = render("--view", "nope", "-o", tmp_path / "a.png")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "invalid choice" in bad.stderr
    gif = render("--view", "info", "-o", tmp_path / "a.gif")
    assert gif.returncode == 2 and ".png" in gif.stderr
    few = tmp_path / "few.csv"
    few.write_text("x,y\n0,0\n1,1\n")
    short = render("--view", "race", few, "-o", tmp_path / "b.png", "--k", "3")
    assert short.returncode == 1 and "at least K = 3" in short.stderr and short.stderr.count("\n") == 1
    missing = render("--view", "race", tmp_path / "none.csv", "-o", tmp_path / "c.png")
    assert missing.returncode == 1 and "no such file" in missing.stderr
