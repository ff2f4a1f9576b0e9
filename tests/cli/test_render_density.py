"""``gmmviz render --lab density``: real figures offscreen, one-line errors."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from tests.cli.test_cli import assert_one_line_error, run_cli

PROG = "gmmviz render --lab density"


@pytest.mark.slow
def test_a_scene_renders_to_png_at_the_asked_size(tmp_path):
    out = tmp_path / "exercise.png"
    proc = run_cli("render", "--lab", "density", "--scene", "exercise", "--bins", "40", "--size", "800x450",
                   "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "" and "800 × 450 px" in proc.stdout
    image = QImage(str(out))
    assert (image.width(), image.height()) == (800, 450)
    colours = {image.pixelColor(x, y).name() for x in range(0, 800, 23) for y in range(0, 450, 17)}
    assert len(colours) > 5  # something was drawn


@pytest.mark.slow
def test_the_2d_mode_renders_a_csv_to_svg(tmp_path):
    out = tmp_path / "faithful.svg"
    proc = run_cli("render", "--lab", "density", "--points", "resources/data/faithful.csv", "--target", "canvas",
                   "--theme", "dark", "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert "2D" in proc.stdout and out.read_text().lstrip().startswith("<?xml")


@pytest.mark.parametrize("args, status", [
    (["-o", "x.gif"], 2),
    (["--bins", "0", "-o", "x.png"], 2),
    (["--scene", "nope", "-o", "x.png"], 2),
    (["-o", "no/such/folder/x.png"], 1),
])
def test_bad_render_options_are_one_line_errors(tmp_path, args, status):
    proc = run_cli("render", "--lab", "density", *args, cwd=tmp_path)
    assert proc.returncode == status, proc.stderr
    assert_one_line_error(proc.stderr, PROG)


@pytest.mark.slow
def test_2d_without_enough_points_is_a_data_error(tmp_path):
    few = tmp_path / "few.csv"
    few.write_text("x,y\n1,2\n3,4\n")
    proc = run_cli("render", "--lab", "density", "--points", few, "-o", tmp_path / "x.png")
    assert proc.returncode == 1
    assert_one_line_error(proc.stderr, PROG)


@pytest.mark.slow
def test_a_slider_sweep_renders_a_gif_frame_by_frame(tmp_path):
    from PIL import Image

    out = tmp_path / "bins.gif"
    proc = run_cli("render", "--lab", "density", "--n", "200", "--sweep", "bins=2:20:6", "--size", "320x180",
                   "-o", out)
    assert proc.returncode == 0, proc.stderr
    with Image.open(out) as im:
        assert im.size == (320, 180) and im.n_frames == 4
    bad = run_cli("render", "--lab", "density", "--sweep", "bins=0:300", "-o", tmp_path / "x.gif")
    assert bad.returncode == 2
    assert_one_line_error(bad.stderr, PROG)
    png = run_cli("render", "--lab", "density", "-o", tmp_path / "x.gif")
    assert png.returncode == 2 and "needs --sweep" in png.stderr
