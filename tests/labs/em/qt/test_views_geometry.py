"""EllipsesView and DensityView on a real PlotWidget: item state and pixels."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtCore

from gmmviz.core import palette
from gmmviz.core.gaussian import score_samples
from gmmviz.labs.em.core.types import Collapse
from gmmviz.core.mixture import GaussianParams
from gmmviz.labs.em.qt.layers import density as density_module
from gmmviz.labs.em.qt.layers import ellipses as ellipses_module
from gmmviz.labs.em.qt.layers.density import CONTOUR_OFFSETS, SPAN_NATS, DensityView
from gmmviz.labs.em.qt.layers.ellipses import N_VERTICES, EllipsesView
from qt.plots import rgb_array, white_plot


@pytest.fixture
def pw(qtbot):
    return white_plot(qtbot, (420, 420), (-6, 6), (-6, 6), axes=False)


def make_params(k: int, seed: int = 0) -> GaussianParams:
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(k, 2, 2)) * 0.7
    covs = A @ A.transpose(0, 2, 1) + 0.2 * np.eye(2)
    w = rng.uniform(0.5, 2.0, k)
    return GaussianParams(w / w.sum(), rng.uniform(-3, 3, (k, 2)), covs)


def mahalanobis_sq(x, y, mean, cov) -> np.ndarray:
    d = np.stack([x - mean[0], y - mean[1]], axis=1)
    return np.einsum("ni,ij,nj->n", d, np.linalg.inv(cov), d)


def pixel_of(w: pg.PlotWidget, x: float, y: float) -> tuple[int, int]:
    p = w.mapFromScene(w.getPlotItem().vb.mapViewToScene(QtCore.QPointF(x, y)))
    return int(round(p.x())), int(round(p.y()))


def grab(w: pg.PlotWidget) -> np.ndarray:
    w.viewport().repaint()
    return rgb_array(w.viewport().grab().toImage())


def near_color(img, col, row, rgb, tol=40.0, radius=2) -> bool:
    patch = img[row - radius: row + radius + 1, col - radius: col + radius + 1].astype(float)
    return bool(np.min(np.linalg.norm(patch - np.array(rgb, float), axis=-1)) < tol)


# -- EllipsesView ---------------------------------------------------------------
def test_curves_lie_on_the_sigma_ellipses(pw):
    view = EllipsesView(pw.getPlotItem())
    view.set_levels(True, True, True)
    params = make_params(4)
    view.set_params(params)
    full = params.full_covariances()
    for i in range(4):
        for level in (1, 2, 3):
            curve = view.curve(i, level)
            assert curve.isVisible()
            x, y = curve.getData()
            assert x.shape == (N_VERTICES,)
            np.testing.assert_allclose(mahalanobis_sq(x, y, params.means[i], full[i]), level**2, rtol=1e-9)


def test_items_are_created_once_and_reused(pw):
    plot = pw.getPlotItem()
    view = EllipsesView(plot)
    view.set_params(make_params(3, seed=0))
    n_items, n_added = len(plot.items), len(plot.vb.childGroup.childItems())
    curves = [view.curve(i, r) for i in range(3) for r in (1, 2, 3)]
    for seed in range(1, 60):
        params = make_params(3, seed=seed)
        view.set_params(params)
    assert len(plot.items) == n_items and len(plot.vb.childGroup.childItems()) == n_added
    assert [view.curve(i, r) for i in range(3) for r in (1, 2, 3)] == curves
    x, _ = view.curve(2, 1).getData()
    np.testing.assert_allclose(x[:-1].mean(), params.means[2, 0], atol=1e-9)  # the last frame is shown


def test_fewer_components_hide_the_surplus_items(pw):
    plot = pw.getPlotItem()
    view = EllipsesView(plot)
    view.set_params(make_params(5))
    n_items = len(plot.items)
    view.set_params(make_params(2, seed=3))
    assert [view.curve(i, 1).isVisible() for i in range(5)] == [True, True, False, False, False]
    assert not any(view.curve(i, 2).isVisible() for i in range(2, 5))
    assert len(view.means_item.data) == 2
    view.set_params(make_params(5, seed=4))
    assert all(view.curve(i, 1).isVisible() for i in range(5))
    assert len(plot.items) == n_items


def test_none_hides_everything(pw):
    view = EllipsesView(pw.getPlotItem())
    view.set_params(make_params(3))
    view.set_params(None)
    assert not any(view.curve(i, r).isVisible() for i in range(3) for r in (1, 2, 3))
    assert not view.means_item.isVisible()


def test_level_toggles_show_and_hide_and_fill_in_data(pw):
    view = EllipsesView(pw.getPlotItem())
    params = make_params(2)
    view.set_levels(False, True, False)
    view.set_params(params)
    assert [view.curve(0, r).isVisible() for r in (1, 2, 3)] == [False, True, False]
    view.set_levels(True, False, True)
    assert [view.curve(1, r).isVisible() for r in (1, 2, 3)] == [True, False, True]
    x, y = view.curve(1, 3).getData()  # computed when switched on
    np.testing.assert_allclose(mahalanobis_sq(x, y, params.means[1], params.full_covariances()[1]), 9.0)
    styles = [view.curve(0, r).opts["pen"].style() for r in (1, 3)]
    assert styles[0] == QtCore.Qt.PenStyle.SolidLine and styles[1] == QtCore.Qt.PenStyle.CustomDashLine


def test_every_ellipse_is_drawn_alike_whatever_its_weight_on_a_halo(pw):
    """A component of weight 0.02 is as legible as one of 0.98 (the weights have their own
    bars); each ellipse has a wider halo under it in the background colour."""
    view = EllipsesView(pw.getPlotItem())
    view.set_colors(halo="#101014")
    params = GaussianParams([0.98, 0.02], [[-2, 0], [2, 0]], np.stack([np.eye(2)] * 2))
    view.set_params(params)
    heavy, light = view.curve(0, 1).opts["pen"], view.curve(1, 1).opts["pen"]
    assert heavy.widthF() == light.widthF() == pytest.approx(ellipses_module.FIT_WIDTH)
    assert heavy.color().alphaF() == light.color().alphaF() == 1.0
    assert heavy.color().name() == palette.component_color(0).lower()
    for i in range(2):
        for level in (1, 2):
            halo, line = view.halo(i, level), view.curve(i, level)
            assert halo.isVisible() and halo.zValue() < line.zValue()
            assert halo.opts["pen"].color().name() == "#101014"
            assert halo.opts["pen"].widthF() > line.opts["pen"].widthF()
            np.testing.assert_array_equal(halo.getData()[0], line.getData()[0])
    # the halo's dashes are as long, in pixels, as the line's
    line, halo = view.curve(0, 2).opts["pen"], view.halo(0, 2).opts["pen"]
    np.testing.assert_allclose(np.multiply(halo.dashPattern(), halo.widthF()),
                               np.multiply(line.dashPattern(), line.widthF()))


def test_scale_multiplies_widths_and_marker_sizes(pw):
    view = EllipsesView(pw.getPlotItem())
    view.set_params(make_params(3))
    widths = [view.curve(i, 1).opts["pen"].widthF() for i in range(3)]
    size = view.means_item.opts["size"]
    view.set_scale(2.0)
    np.testing.assert_allclose([view.curve(i, 1).opts["pen"].widthF() for i in range(3)],
                               np.multiply(widths, 2.0), atol=0.26)
    assert view.means_item.opts["size"] == pytest.approx(2 * size)


def test_collapse_marker_appears_at_the_location_and_clears(pw):
    view = EllipsesView(pw.getPlotItem())
    view.set_params(make_params(3))
    collapse = Collapse((1, 2), ("point", "non-finite"), ((1.5, -2.0), (np.nan, np.nan)), "Raise reg_covar.")
    view.set_collapse(collapse)
    rings, marks = view.collapse_items()
    assert rings.isVisible() and len(rings.data) == 1
    assert (rings.data["x"][0], rings.data["y"][0]) == (1.5, -2.0)
    assert len(marks) == 1 and (marks[0].pos().x(), marks[0].pos().y()) == (1.5, -2.0)
    assert marks[0].toolTip() == "Raise reg_covar."
    view.set_collapse(None)
    rings, marks = view.collapse_items()
    assert not rings.isVisible() and marks == []


def test_truth_style_is_grey_dashed_and_under_the_fit(pw):
    plot = pw.getPlotItem()
    truth, fit = EllipsesView(plot, style="truth"), EllipsesView(plot)
    params = make_params(2)
    truth.set_params(params)
    fit.set_params(params)
    pen = truth.curve(0, 1).opts["pen"]
    assert pen.color().name() == ellipses_module.TRUTH_COLOR.lower()
    assert pen.style() == QtCore.Qt.PenStyle.CustomDashLine
    assert truth.curve(0, 1).zValue() < fit.halo(0, 1).zValue() < fit.curve(0, 1).zValue()
    assert truth.means_item.zValue() < fit.means_item.zValue()
    with pytest.raises(ValueError, match="style"):
        EllipsesView(plot, style="dashed")


def test_stacking_order(pw):
    """Density under the points; ellipses (on their halos) and means over them; collapse marks on top."""
    plot = pw.getPlotItem()
    density, view = DensityView(plot), EllipsesView(plot)
    view.set_params(make_params(2))
    view.set_collapse(Collapse((0,), ("point",), ((0.0, 0.0),), "m"))
    z = [density.image_item.zValue(), density.contour_item.zValue(), ellipses_module.Z_POINTS,
         view.halo(0, 1).zValue(), view.curve(0, 1).zValue(), view.means_item.zValue(),
         view.collapse_items()[0].zValue()]
    assert z == sorted(z) and len(set(z)) == len(z)
    assert z[0] == -10 and z[2] == 10 and z[4] == 15 and z[5] == 20 and z[6] == 30


def test_a_viewbox_works_as_the_host(qtbot):
    w = pg.GraphicsLayoutWidget()
    qtbot.addWidget(w)
    vb = w.addViewBox()
    view = EllipsesView(vb)
    view.set_params(make_params(2))
    assert view.curve(1, 1).parentItem() is vb.childGroup
    assert view.curve(1, 1) not in vb.addedItems  # ignoreBounds: never drags the auto-range


def test_rendered_ellipse_has_the_component_colour(pw):
    view = EllipsesView(pw.getPlotItem())
    view.set_levels(True, False, False)
    view.set_params(GaussianParams([1.0], [[1.0, -1.0]], [[[4.0, 0.0], [0.0, 1.0]]]))
    img = grab(pw)
    rgb = palette.hex_to_rgb(palette.component_color(0))
    for x, y in [(3.0, -1.0), (-1.0, -1.0), (1.0, 0.0), (1.0, -2.0)]:  # ends of both axes
        col, row = pixel_of(pw, x, y)
        assert near_color(img, col, row, rgb), (x, y, img[row, col])
    col, row = pixel_of(pw, 1.0, 3.0)  # well outside: background
    assert tuple(img[row, col]) == (255, 255, 255)


# -- DensityView ----------------------------------------------------------------
def test_density_grid_matches_score_samples(pw):
    density = DensityView(pw.getPlotItem(), resolution=60)
    params = make_params(3)
    density.set_visible(True, True)
    density.set_params(params)
    xs, ys, Z = density.grid_values()
    assert Z.shape == (60, 60)
    rect = pw.getPlotItem().vb.viewRect()
    assert xs[0] < rect.left() and xs[-1] > rect.right() and ys[0] < rect.top() and ys[-1] > rect.bottom()
    for iy, ix in [(0, 0), (7, 31), (30, 30), (59, 12), (59, 59)]:
        assert Z[iy, ix] == pytest.approx(score_samples(np.array([[xs[ix], ys[iy]]]), params)[0], rel=1e-12)


def test_heatmap_levels_are_fixed_relative_to_the_peak(pw):
    density = DensityView(pw.getPlotItem(), resolution=80)
    density.set_visible(True, False)
    for seed in range(3):
        params = make_params(3, seed=seed)
        density.set_params(params)
        _, _, Z = density.grid_values()
        peak = max(Z.max(), score_samples(np.asarray(params.means), params).max())
        assert density.peak == pytest.approx(peak)
        np.testing.assert_allclose(density.image_item.getLevels(), [peak - SPAN_NATS, peak])
        img = density.image_item.image
        assert img.min() >= peak - SPAN_NATS - 1e-4 and img.max() <= peak + 1e-4
    assert density.image_item.isVisible() and not density.contour_item.isVisible()


def test_contours_of_one_gaussian_are_its_ellipses(pw):
    density = DensityView(pw.getPlotItem(), resolution=200)
    density.set_visible(False, True)
    density.set_params(GaussianParams([1.0], [[0.0, 0.0]], [np.eye(2)]))
    x, y = density.contour_item.getData()
    rho = np.hypot(x, y)[np.isfinite(x)]
    expected = np.sqrt(2.0 * np.array(CONTOUR_OFFSETS))  # ln p drops r^2/2 nats at radius r
    err = np.min(np.abs(rho[:, None] - expected[None, :]), axis=1)
    assert err.max() < 0.01
    assert all(np.any(np.abs(rho - r) < 0.01) for r in expected)
    assert not density.image_item.isVisible()


def test_nothing_is_computed_while_hidden(pw, monkeypatch):
    calls = []
    real = density_module.score_samples
    monkeypatch.setattr(density_module, "score_samples", lambda X, p: calls.append(len(X)) or real(X, p))
    density = DensityView(pw.getPlotItem(), resolution=40)
    density.set_params(make_params(2))
    pw.setRange(xRange=(-2, 2), yRange=(-2, 2), padding=0)
    assert calls == [] and not density.pending and density.grid_values() is None
    assert not density.image_item.isVisible() and not density.contour_item.isVisible()
    density.set_visible(False, True)
    assert calls and calls[0] == 40 * 40
    density.set_visible(False, False)
    assert density.grid_values() is None and not density.contour_item.isVisible()


def test_range_changes_are_debounced(qtbot, pw, monkeypatch):
    calls = []
    real = density_module.score_samples
    monkeypatch.setattr(density_module, "score_samples", lambda X, p: calls.append(len(X)) or real(X, p))
    density = DensityView(pw.getPlotItem(), resolution=40)
    density.set_visible(True, True)
    density.set_params(make_params(2))
    before = density.grid_values()
    n_calls = len(calls)
    for i in range(5):  # a burst, like a drag
        pw.setRange(xRange=(i, i + 4), yRange=(-2, 2), padding=0)
    assert density.grid_values() is before and density.pending
    qtbot.waitUntil(lambda: density.grid_values() is not before, timeout=2000)
    assert len(calls) - n_calls == 2  # one evaluation: the grid and the means
    xs, ys, _ = density.grid_values()
    assert xs[0] < 4 < 8 < xs[-1] and ys[0] < -2 < 2 < ys[-1]


def test_rendered_heatmap_peaks_at_the_mean(pw):
    density = DensityView(pw.getPlotItem(), resolution=120)
    density.set_visible(True, False)
    density.set_params(GaussianParams([1.0], [[3.0, 2.0]], [np.eye(2)]))
    img = grab(pw).astype(float)
    lut = density_module._lookup_table()
    top_alpha = lut[-1, 3] / 255.0
    top = top_alpha * lut[-1, :3] + (1 - top_alpha) * 255.0  # yellow over white
    col, row = pixel_of(pw, 3.0, 2.0)
    assert np.linalg.norm(img[row, col] - top) < 25, img[row, col]
    col, row = pixel_of(pw, -3.0, -2.0)  # the mirror image (a flipped axis) is far down the tail
    assert np.linalg.norm(img[row, col] - top) > 100


@pytest.mark.parametrize("where", [(9.8, 9.8), (-9.8, 9.8), (9.8, -9.8), (0.0, 0.0)])
def test_the_collapse_mark_stays_inside_the_plot_at_every_edge(pw, where):
    """Near the top or right edge the "!" flips below or left of its ring (it was clipped)."""
    view = EllipsesView(pw.getPlotItem())
    pw.getPlotItem().getViewBox().setRange(xRange=(-10, 10), yRange=(-10, 10), padding=0)
    view.set_collapse(Collapse((0,), ("point",), (where,), "m"))
    pw.viewport().repaint()
    (mark,) = view.collapse_items()[1]
    inside = pw.getPlotItem().getViewBox().sceneBoundingRect()
    assert inside.contains(mark.sceneBoundingRect()), (mark.sceneBoundingRect(), inside)
    pw.getPlotItem().getViewBox().setRange(xRange=(-10, 30), yRange=(-10, 30), padding=0)  # room again
    assert tuple(mark.anchor) == ellipses_module.MARK_ANCHOR
