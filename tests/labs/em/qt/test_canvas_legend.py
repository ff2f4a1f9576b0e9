"""What the canvas tells beside the data: the legend row (levels, true mixture),
never over the points and not on an empty canvas; a 2× export with 2× lines;
the true mixture in a style of its own."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize

from gmmviz.core.commands import default_classes
from gmmviz.core.data import Dataset
from gmmviz.labs.em.qt.layers import ellipses as ellipses_module
from gmmviz.qt.export.images import image_to_array, plan_export, render_plan

from .conftest import three_clusters, wait_for_run


def test_the_levels_legend_sits_above_the_plot_and_only_with_ellipses(qtbot, make_window):
    w = make_window(Dataset(np.empty((0, 2)), np.empty(0, int), default_classes(1)))
    canvas = w.lab("em").studio.canvas
    assert "holds" not in canvas.legend_html()  # an empty canvas: nothing to read it on
    height = canvas.view.sceneBoundingRect().height()
    v = make_window(three_clusters(), n_components=3)
    wait_for_run(qtbot, v)
    canvas = v.lab("em").studio.canvas
    assert "1σ holds 39.3 %" in canvas.legend_html() and "2σ holds 86.5 %" in canvas.legend_html()
    title = canvas.plot_item.titleLabel.sceneBoundingRect()
    assert not title.intersects(canvas.view.sceneBoundingRect())  # outside the data, covering no point
    assert canvas.view.sceneBoundingRect().height() == height  # the row was there before: no jump


def test_the_true_mixture_has_its_own_line_style_and_legend_entry(qtbot, make_window):
    w = make_window(three_clusters())
    w.actions_by_name["preset_blobs"].trigger()
    w.actions_by_name["show_truth"].setChecked(True)
    canvas = w.lab("em").studio.canvas
    qtbot.waitUntil(lambda: canvas.truth.params is not None)
    assert "true mixture" in canvas.legend_html()
    truth = {tuple(p) for p in ellipses_module._TRUTH_DASHES.values()}
    fit = {tuple(p) for p in ellipses_module._FIT_DASHES.values() if p is not None}
    assert not truth & fit and all(len(p) == 4 or len(p) == 6 for p in truth)  # dash-dot, unlike any fit level
    w.actions_by_name["show_truth"].setChecked(False)
    assert "true mixture" not in canvas.legend_html()


def _ink(image) -> int:
    """Pixels of strong colour (the ellipses), not the grey/white of points, grid and text."""
    rgb = image_to_array(image)[..., :3].astype(int)
    return int(((rgb.max(axis=2) - rgb.min(axis=2)) > 90).sum())


def test_a_png_at_twice_the_size_has_twice_as_wide_lines(qtbot, make_window):
    """Area of the coloured ellipse lines: about 4× at 2× (2× longer, 2× wider, a little more
    where antialiasing thins a 1× line); it was about 2×."""
    w = make_window(three_clusters(), n_components=3, covariance_type="full", seed=1)
    studio = w.lab("em").studio
    wait_for_run(qtbot, w)
    studio.canvas.points.hide()  # only the lines carry colour
    studio.canvas.set_density(False, False)
    one = plan_export(studio, "canvas", size=QSize(600, 400))
    two = plan_export(studio, "canvas", size=QSize(1200, 800))
    assert two.zoom == 2 * one.zoom
    widths = [studio.canvas.ellipses.curve(0, 1).opts["pen"].widthF()]
    ratio = _ink(render_plan(two)) / _ink(render_plan(one))
    assert 3.3 < ratio < 6.0, ratio
    assert studio.canvas.ellipses.curve(0, 1).opts["pen"].widthF() == widths[0]  # restored after


def test_the_heatmap_has_a_colour_bar_in_nats_beside_the_plot(qtbot, make_window):
    w = make_window(three_clusters(), n_components=3)
    wait_for_run(qtbot, w)
    canvas = w.lab("em").studio.canvas
    density = canvas.density
    bar = density.colour_bar
    assert not bar.isVisible()
    canvas.set_density(True, False)
    qtbot.waitUntil(bar.isVisible)
    lo, hi = bar.levels()
    assert hi == density.peak and lo == density.peak - 12.0
    qtbot.waitUntil(lambda: bar.sceneBoundingRect().left() > 0)  # laid out by the next layout pass
    assert bar.sceneBoundingRect().left() >= canvas.view.sceneBoundingRect().right() - 1  # beside, not over
    canvas.set_density(False, True)  # contours alone: no bar
    assert not bar.isVisible()
