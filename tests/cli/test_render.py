"""``gmmviz render``: headless figures and animations, end to end in subprocesses
with no display at all (no DISPLAY, no WAYLAND_DISPLAY, no QT_QPA_PLATFORM)."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from contextlib import ExitStack
from importlib.resources import as_file

import numpy as np
import pytest
from PIL import Image

from gmmviz.core.resources import resource

HEADLESS_DROP = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "GMMVIZ_DEBUG")


@pytest.fixture(scope="module")
def faithful():
    with ExitStack() as stack:
        yield str(stack.enter_context(as_file(resource("data", "faithful.csv"))))


def render(*args, cwd=None):
    """``python -m gmmviz render ARGS`` as on a machine without any display."""
    env = {k: v for k, v in os.environ.items() if k not in HEADLESS_DROP}
    return subprocess.run([sys.executable, "-m", "gmmviz", "render", *map(str, args)],
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=180)


def ok(proc):
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return proc


def png_size(path) -> tuple[int, int]:
    with open(path, "rb") as f:
        data = f.read(24)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def assert_one_line_error(proc, status=1):
    assert proc.returncode == status
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("gmmviz render: error: "), proc.stderr
    assert proc.stdout == ""


def test_png_without_a_display(tmp_path, faithful):
    out = tmp_path / "faithful.png"
    proc = ok(render(faithful, "-o", out, "--k", "2"))
    assert png_size(out) == (1280, 720)
    assert "1280 × 720" in proc.stdout and "iteration" in proc.stdout
    with Image.open(out) as img:
        pixels = np.asarray(img.convert("RGB")).reshape(-1, 3).astype(np.int64)
    assert len(np.unique(pixels @ [65536, 256, 1])) > 50  # drawn, not blank
    assert [p.name for p in tmp_path.iterdir()] == ["faithful.png"]


def test_svg_of_a_size_and_an_iteration(tmp_path, faithful):
    out = tmp_path / "fig.svg"
    proc = ok(render(faithful, "-o", out, "--k", "2", "--covariance", "diag", "--seed", "3",
                     "--iteration", "2", "--phase", "E", "--size", "800x600", "--target", "both"))
    assert "iteration 2, E-step" in proc.stdout
    root = ET.parse(out).getroot()
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("800", "600", "0 0 800 600")


def test_gif_has_every_half_step_up_to_the_iteration(tmp_path, faithful):
    out = tmp_path / "run.gif"
    ok(render(faithful, "-o", out, "--k", "2", "--iteration", "3", "--size", "480x270", "--fps", "5"))
    with Image.open(out) as gif:
        assert gif.n_frames == 7  # init, E1, M1, E2, M2, E3, M3
        assert gif.size == (480, 270) and gif.info["duration"] == 200
        gif.seek(6)
        gif.convert("RGB").load()


def test_dark_theme_and_until_converged(tmp_path, faithful):
    light, dark = tmp_path / "light.png", tmp_path / "dark.png"
    ok(render(faithful, "-o", light, "--k", "2", "--until-converged", "--size", "640x360"))
    proc = ok(render(faithful, "-o", dark, "--k", "2", "--until-converged", "--size", "640x360",
                     "--theme", "dark", "--scale", "1.5"))
    assert "M-step" in proc.stdout
    with Image.open(dark) as d, Image.open(light) as li:
        assert np.asarray(d.convert("L")).mean() < 80
        assert np.asarray(li.convert("L")).mean() > 180


def test_the_same_drawing_as_the_window(tmp_path, faithful, qtbot):
    """Headless and in-window exports of the same half-step are the same picture."""
    from PySide6.QtCore import QSize

    from gmmviz.app import make_app
    from gmmviz.core.io.points import read_points
    from gmmviz.qt.export.images import export_target
    from gmmviz.labs.em.qt.studio import EMStudio
    from gmmviz.cli.render import CANVAS_HEIGHT, CURVES_HEIGHT

    out = tmp_path / "cli.png"
    ok(render(faithful, "-o", out, "--k", "2", "--iteration", "4", "--size", "640x360"))
    make_app()
    loaded = read_points(faithful)
    studio = EMStudio(loaded.dataset)
    studio.canvas.set_axis_names(*loaded.axes)  # as the window names them after the header
    qtbot.addWidget(studio)
    from dataclasses import replace

    studio.model_panel.set_settings(replace(studio.settings(), n_components=2))
    studio.canvas.set_levels(True, True, False)
    studio.side.hide()
    studio.resize(round(CANVAS_HEIGHT * 16 / 9), CANVAS_HEIGHT + CURVES_HEIGHT + studio.vsplit.handleWidth())
    studio.show()
    studio.vsplit.setSizes([CANVAS_HEIGHT, CURVES_HEIGHT])
    studio.canvas.fit_view()
    studio.start_run()
    qtbot.waitUntil(lambda: studio.fit.history is not None and studio.fit.history.finished, timeout=20000)
    studio.playback.seek(8)
    mine = tmp_path / "window.png"
    export_target(studio, "canvas", mine, size=QSize(640, 360))
    studio.shutdown()
    with Image.open(out) as ia, Image.open(mine) as ib:
        a = np.asarray(ia.convert("RGB"), dtype=float)
        b = np.asarray(ib.convert("RGB"), dtype=float)
    assert a.shape == b.shape and np.abs(a - b).mean() < 2.0


@pytest.mark.parametrize("args, words", [
    (["missing.csv"], "no such file"),
    (["bad.csv"], "not a number"),
    (["few.csv", "--k", "5"], "at least K = 5"),
    (["faithful", "--k", "2", "--iteration", "500"], "stopped at iteration"),
    (["."], "folder"),
])
def test_bad_source_exits_1_with_one_clear_line(tmp_path, faithful, args, words):
    (tmp_path / "bad.csv").write_text("x,y\n1,2\n3,oops\n")
    (tmp_path / "few.csv").write_text("x,y\n1,2\n3,4\n5,6\n")
    args = [faithful if a == "faithful" else a for a in args]
    proc = render(*args, "-o", tmp_path / "out.png", cwd=tmp_path)
    assert_one_line_error(proc)
    assert words in proc.stderr
    assert not (tmp_path / "out.png").exists()


@pytest.mark.parametrize("args, words", [
    (["-o", "out.jpg"], ".png, .svg or .gif"),
    (["-o", "out.png", "--size", "big"], "WIDTHxHEIGHT"),
    (["-o", "out.png", "--theme", "neon"], "invalid choice"),
    (["-o", "out.png", "--iteration", "2", "--until-converged"], "not allowed with"),
    ([], "required: -o"),
])
def test_bad_options_exit_2_without_loading_qt(tmp_path, faithful, args, words):
    code = ("import sys; from gmmviz.cli import main; status = main(sys.argv[1:]); "
            "assert 'PySide6' not in sys.modules, 'Qt was imported'; sys.exit(status)")
    env = {k: v for k, v in os.environ.items() if k not in HEADLESS_DROP}
    proc = subprocess.run([sys.executable, "-c", code, "render", faithful, *args], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=60)
    assert_one_line_error(proc, status=2)
    assert words in proc.stderr


def test_session_files_render(tmp_path, faithful):
    from gmmviz.core.io.points import read_dataset
    from gmmviz.labs.em.core.session.files import Session, write_session
    from gmmviz.labs.em.core.types import ModelSettings
    from gmmviz.cli.render import load_source

    path = tmp_path / "lecture.gmmviz"
    write_session(path, Session(read_dataset(faithful), ModelSettings(n_components=2, seed=1)))
    renamed = tmp_path / "lecture.json"  # a session by its content, as the window recognises it
    renamed.write_bytes(path.read_bytes())
    assert load_source(renamed)[1].settings == ModelSettings(n_components=2, seed=1)
    out = tmp_path / "session.png"
    proc = ok(render(path, "-o", out, "--size", "320x200"))
    assert png_size(out) == (320, 200) and "iteration" in proc.stdout


def test_render_names_the_axes_after_the_csv_header(tmp_path):
    from gmmviz.cli.render import load_source

    path = tmp_path / "geyser.csv"
    path.write_text("eruptions,waiting\n3.6,79\n1.8,54\n3.3,74\n")
    assert load_source(path)[2] == ("eruptions", "waiting")
    path.write_text("3.6,79\n1.8,54\n3.3,74\n")
    assert load_source(path)[2] == ("", "")


def test_render_never_writes_over_its_own_source(tmp_path, faithful):
    import shutil

    disguised = tmp_path / "points.png"  # a CSV by its content, a PNG by its name
    shutil.copy(faithful, disguised)
    before = disguised.read_bytes()
    proc = render(disguised, "-o", disguised, "--k", "2")
    assert proc.returncode == 2 and "is the SOURCE file itself" in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert disguised.read_bytes() == before
    link = tmp_path / "same.png"
    link.symlink_to(disguised)
    proc = render(disguised, "-o", link, "--k", "2")
    assert proc.returncode == 2 and disguised.read_bytes() == before


def test_render_follows_no_symlink_at_a_temporary_name_and_leaves_nothing_behind(tmp_path, faithful):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    for name in (".fig.part.png", ".fig.png.part", ".fig.png.tmp"):  # every name a writer could guess
        (tmp_path / name).symlink_to(victim)
    ok(render(faithful, "-o", tmp_path / "fig.png", "--k", "2", "--iteration", "1"))
    assert victim.read_text() == "precious" and (tmp_path / "fig.png").stat().st_size > 0
    folder = tmp_path / "a-folder.png"
    folder.mkdir()
    proc = render(faithful, "-o", folder, "--k", "2")
    assert proc.returncode == 2 and "is a folder" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp.png")) == []


VIEWS = {  # (x range, y range) a session may carry: tiny, subnormal, offset, huge
    "tiny": ([0, 1e-300], [0, 1e-300]), "subnormal": ([0, 5e-324], [0, 5e-324]),
    "far below the data": ([0, 1e-160], [0, 1e-200]), "offset": ([1e299, 1.0000001e299], [0, 1]),
    "huge": ([-1e300, 1e300], [-1e300, 1e300]), "lopsided": ([0, 1e-300], [-1e300, 1e300]),
}


@pytest.mark.parametrize("view", VIEWS.values(), ids=VIEWS.keys())
@pytest.mark.parametrize("scale", [1.0, 1e-250, 1e250])
def test_any_view_a_session_allows_renders_instead_of_crashing(tmp_path, view, scale):
    """A view narrower (or wider) than Qt can draw is widened where it is drawn:
    no NaN geometry reaches Qt (a SIGSEGV before), at any data magnitude."""
    import json

    path = tmp_path / "view.gmmviz"
    golden = os.path.join(os.path.dirname(__file__), "..", "data", "sessions", "v1", "minimal.gmmviz")
    with open(golden, encoding="utf-8") as f:
        session = json.load(f)
    session["data"] = {"x": [0.1 * scale, 0.5 * scale, -2.5 * scale, 1.5 * scale],
                       "y": [0.0, 1.0 * scale, 3.0 * scale, -1.0 * scale], "labels": [0, 1, 1, 0]}
    session["model"]["n_components"] = 2
    session["view"] = {"x": view[0], "y": view[1]}
    path.write_text(json.dumps(session))
    out = tmp_path / "view.png"
    proc = render(path, "-o", out, "--size", "320x200")
    assert proc.returncode in (0, 1), proc.stderr  # never a signal (-11 / 139)
    assert "Traceback" not in proc.stderr
    if proc.returncode == 0:
        assert png_size(out) == (320, 200)
    else:
        assert_one_line_error(proc)


def test_a_gif_beyond_the_pixel_budget_is_a_usage_error_before_any_drawing(tmp_path, faithful):
    out = tmp_path / "huge.gif"
    proc = render(faithful, "-o", out, "--size", "8192x8192", "--k", "2", "--iteration", "20")
    assert_one_line_error(proc, status=2)
    assert "8192 × 8192" in proc.stderr and "at most 7 half-steps" in proc.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_a_session_renders_with_the_algorithm_it_was_saved_with(tmp_path):
    golden = os.path.join(os.path.dirname(__file__), "..", "data", "sessions", "v2", "algorithm_vb.gmmviz")
    out = tmp_path / "vb.png"
    proc = render(golden, "-o", out, "--size", "320x200")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("(vb)") and png_size(out) == (320, 200)
