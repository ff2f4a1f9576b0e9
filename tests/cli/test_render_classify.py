"""``gmmviz render --lab classify``: the posterior map of labelled points, headless, with the classify options."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from gmmviz.core.palette import hex_to_rgb

from .test_render import ok, png_size, render

pytestmark = pytest.mark.slow  # each render starts Qt in a fresh interpreter


@pytest.fixture
def labelled(tmp_path):
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal([-2, 0], 0.8, (60, 2)), rng.normal([2, 0.5], 0.8, (60, 2))])
    path = tmp_path / "two.csv"
    path.write_text("x,y,label\n" + "".join(f"{a:.5f},{b:.5f},{c}\n" for (a, b), c in
                                             zip(X, ["left"] * 60 + ["right"] * 60)))
    return path


def _pixels(path) -> np.ndarray:
    with Image.open(path) as img:
        return np.asarray(img.convert("RGB")).astype(np.int64)


def test_a_png_of_the_posterior_map(tmp_path, labelled):
    out = tmp_path / "map.png"
    proc = ok(render("--lab", "classify", labelled, "-o", out, "--model", "qda", "--test-size", "0.25"))
    assert png_size(out) == (1280, 720)
    # The same fit and split as ``gmmviz classify`` with the same options.
    report = subprocess.run([sys.executable, "-m", "gmmviz", "classify", str(labelled), "--model", "qda",
                             "--test-size", "0.25", "--json"], capture_output=True, text=True, timeout=120, check=True)
    r = json.loads(report.stdout)
    assert (f"qda, training accuracy {r['train_accuracy']:.3f}, test accuracy {r['test_accuracy']:.3f}"
            in proc.stdout)
    px = _pixels(out)
    h, w, _ = px.shape
    left, right = px[h // 2, w // 8], px[h // 2, 7 * w // 8]  # far from the boundary, beside the data
    orange, blue = np.array(hex_to_rgb("#E69F00")), np.array(hex_to_rgb("#56B4E9"))
    # Each side tinted towards its class colour (mixed with the white background).
    assert np.linalg.norm(left - orange) < np.linalg.norm(left - blue)
    assert np.linalg.norm(right - blue) < np.linalg.norm(right - orange)


def test_an_svg_in_the_dark_theme_with_priors_and_per_class_k(tmp_path, labelled):
    out = tmp_path / "map.svg"
    proc = ok(render("--lab=classify", labelled, "-o", out, "--model", "gmm", "--k", "left=2,right=1",
                     "--priors", "left=0.3,right=0.7", "--theme", "dark", "--size", "800x600", "--contours"))
    assert "gmm" in proc.stdout
    root = ET.parse(out).getroot()
    assert (root.get("width"), root.get("height")) == ("800", "600")


@pytest.mark.parametrize("args, status, words", [
    (["--model", "nb", "--k", "2"], 2, "applies to --model gmm only"),
    (["--priors", "left=0.5,middle=0.5"], 2, "unknown class"),
    (["--model", "svm"], 2, "invalid choice"),
])
def test_bad_options_are_one_line(tmp_path, labelled, args, status, words):
    proc = render("--lab", "classify", labelled, "-o", tmp_path / "x.png", *args)
    assert proc.returncode == status and words in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1
    assert not (tmp_path / "x.png").exists()


def test_unlabelled_data_and_a_wrong_lab_are_refused(tmp_path):
    plain = tmp_path / "plain.csv"
    plain.write_text("x,y\n0,0\n1,1\n2,0\n")
    proc = render("--lab", "classify", plain, "-o", tmp_path / "x.png")
    assert proc.returncode == 1 and "two classes" in proc.stderr and proc.stderr.count("\n") == 1
    proc = render("--lab", "graphs", plain, "-o", tmp_path / "x.png")
    assert proc.returncode == 2 and "--lab" in proc.stderr
