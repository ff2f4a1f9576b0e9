"""The density lab driven through its widgets: both modes, the leaderboard following the sliders."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gmmviz.core.commands import AddPoints
from gmmviz.labs.density.core.histogram import fixed_histogram
from gmmviz.labs.density.core.scores import HeldOut

from .conftest import three_clusters

pytestmark = pytest.mark.slow  # each test waits for a real sweep (mixtures and the DP) in the worker


def density_lab(qtbot, window, **settings):
    lab = window.show_lab("density")
    if settings:
        lab.edit(**settings)
    wait_sweep(qtbot, lab)
    return lab


def wait_sweep(qtbot, lab, timeout=60000):
    qtbot.waitUntil(lambda: not lab.runs.busy, timeout=timeout)


def test_1d_leaderboard_follows_the_bins_slider_to_minus_infinity_and_back(qtbot, make_window):
    w = make_window(three_clusters())
    lab = density_lab(qtbot, w, n=400, seed=2)
    c, board = lab.controls, lab.leaderboard
    c.bins.setValue(5)
    before = board.cell_text("hist", "test")
    assert before not in ("−∞", "…") and "bins = 5" == board.cell_text("hist", "setting")
    c.bins.setValue(200)  # 300 training points in 200 bins: some held-out point falls in an empty bin
    assert board.cell_text("hist", "test").startswith("−∞")
    assert lab.view.zero_test.any() and lab.plot_1d.zero_marks.data.size > 0
    c.pseudo.setValue(1.0)
    text = board.cell_text("hist", "test")
    assert not text.startswith("−∞") and math.isfinite(float(text.replace("−", "-")))
    # the number on screen is the histogram's own held-out score
    split = lab.data.split
    h = fixed_histogram(split.X_train, 200, split.window, pseudo_count=1.0)
    assert float(text.replace("−", "-")) == pytest.approx(HeldOut.of(h.log_density(split.X_test)).mean, abs=5e-5)
    lab.store.undo_stack.undo()
    assert lab.settings.pseudo_count == 0.0 and board.cell_text("hist", "test").startswith("−∞")


def test_a_slider_drag_is_one_undo_step(qtbot, make_window):
    w = make_window(three_clusters())
    lab = density_lab(qtbot, w, n=300)
    stack = lab.store.undo_stack
    count = stack.count()
    slider = lab.controls.bandwidth
    slider.setSliderDown(True)
    for v in (10, 12, 14, 16):
        slider.setValue(v)
    slider.setSliderDown(False)
    assert stack.count() == count + 1 and lab.settings.bandwidth_index == 16
    assert lab.leaderboard.cell_text("kde", "setting") == f"h = {lab.data.bandwidths[16]:.4g}"
    stack.undo()
    assert lab.settings.bandwidth_index != 16 and lab.controls.bandwidth.value() == lab.settings.bandwidth_index


def test_the_sweep_fills_the_curves_and_the_k_slider_shows_fitted_mixtures(qtbot, make_window):
    w = make_window(three_clusters())
    lab = density_lab(qtbot, w, n=500, distribution="mixture", seed=3)
    assert set(lab.curves) == {"hist", "vhist", "kde", "gmm", "dpgmm"}
    assert all(lab.curves[f].complete for f in lab.curves)
    _, test, *_ = lab.score_curves.items["gmm"]
    assert len(test.getData()[0]) == 10
    for k in (1, 3, 6):
        lab.controls.k.setValue(k)
        gmm = lab.fits[("gmm", k)]
        expected = gmm.log_density(lab.data.split.X_test).mean()
        assert lab.leaderboard.cell_text("gmm", "setting") == f"K = {k}"
        assert float(lab.leaderboard.cell_text("gmm", "test").replace("−", "-")) == pytest.approx(expected, abs=5e-5)
    # train keeps rising with K far more than test does
    curve = lab.curves["gmm"]
    assert curve.train[-1] > curve.train[0]
    lab.controls.best.click()
    assert lab.settings.k == int(curve.best_setting) and lab.settings.bins == int(lab.curves["hist"].best_setting)


def test_a_new_sample_restarts_the_sweep(qtbot, make_window):
    w = make_window(three_clusters())
    lab = density_lab(qtbot, w, n=300)
    old = lab.data
    lab.controls.distribution.setCurrentIndex(lab.controls.distribution.findData("uniform"))
    assert lab.data is not old and lab.data.truth.key == "uniform"
    wait_sweep(qtbot, lab)
    assert lab.leaderboard.cell_text("truth", "setting") == "uniform"


def test_2d_mode_scores_the_painted_points_and_follows_edits(qtbot, make_window):
    w = make_window(three_clusters(40))
    lab = density_lab(qtbot, w)
    lab.controls.mode.setCurrentIndex(lab.controls.mode.findData("2d"))
    wait_sweep(qtbot, lab)
    assert lab.stack.currentWidget() is lab.canvas_2d
    assert [r.family for r in lab.view.rows] == ["hist", "vhist", "kde", "gmm", "dpgmm"]
    assert lab.data.split.X.shape == (120, 2)
    lab.controls.bins.setValue(3)
    assert lab.leaderboard.cell_text("hist", "setting") == "3 × 3 bins"
    first = lab.leaderboard.cell_text("hist", "test")
    lab.controls.bins.setValue(30)
    assert lab.leaderboard.cell_text("hist", "test") != first
    lab.controls.estimator_2d.setCurrentIndex(lab.controls.estimator_2d.findData("gmm"))
    assert lab.view.family == "gmm" and lab.canvas_2d.heatmap.image.image is not None
    w.points.push(AddPoints(np.array([[20.0, 20.0], [21.0, 20.5]]), np.array([0, 0])), "Add points")
    qtbot.waitUntil(lambda: lab.data.split.X.shape[0] == 122, timeout=5000)
    wait_sweep(qtbot, lab)


def test_2d_mode_with_too_few_points_says_so(qtbot, make_window):
    w = make_window()
    lab = w.show_lab("density")
    lab.edit(mode="2d")
    assert lab.data is None and "paint at least" in lab.banner.text()
    assert not lab.runs.busy


@pytest.mark.parametrize("key", ["exercise", "estimators", "scene:origin", "scene:sqrt-n", "scene:bandwidth-small",
                                 "scene:bandwidth-large", "scene:dp"])
def test_outline_entries_open_their_scenes(qtbot, make_window, key):
    w = make_window(three_clusters())
    lab = w.show_lab("density")
    lab.open_entry(key)
    assert lab.banner.showing == "note" and lab.banner.note_title
    wait_sweep(qtbot, lab)
    assert lab.view is not None and lab.leaderboard.rowCount() == 6


def test_every_density_scene_has_an_outline_entry_and_the_outline_opens_it(qtbot, make_window):
    from gmmviz.labs import OUTLINE
    from gmmviz.labs.density.core.scenes import SCENES

    entries = {e.key.removeprefix("scene:") for e in OUTLINE if e.lab == "density"}
    assert entries == {s.key for s in SCENES}
    w = make_window(three_clusters())
    w.outline.entry_actions[("density", "scene:origin")].trigger()
    lab = w.lab("density")
    assert w.current_lab is lab and lab.settings.bins == 12 and lab.banner.note_title.startswith("Bin origin")
    wait_sweep(qtbot, lab)


def test_the_plot_and_the_curves_export_as_png(qtbot, make_window, tmp_path):
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage

    from gmmviz.qt.export.images import export_target

    w = make_window(three_clusters())
    lab = density_lab(qtbot, w, n=300)
    assert w.current_lab is lab and lab.export_source().canvas is lab.plot_1d  # what Ctrl+E exports
    for target in ("canvas", "curves", "both"):
        path = tmp_path / f"{target}.png"
        export_target(lab.export_source(), target, path, size=QSize(640, 360))
        assert QImage(str(path)).size() == QSize(640, 360)


def test_ctrl_z_walks_density_settings_and_point_edits_in_the_order_they_were_made(qtbot, make_window):
    from PySide6.QtCore import Qt

    from .conftest import activate

    w = make_window(three_clusters())
    lab = density_lab(qtbot, w, n=300)
    undo, redo = w.actions_by_name["undo"], w.actions_by_name["redo"]
    w.points.push(AddPoints(np.array([[0.0, 0.0]]), np.array([0])), "Add a point")
    n_points = w.points.document.n_points
    lab.controls.k.setValue(5)
    activate(qtbot, w)
    qtbot.waitUntil(undo.isEnabled)
    qtbot.keyClick(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert lab.settings.k == 2 and lab.controls.k.value() == 2
    assert w.points.document.n_points == n_points  # the setting went back, not the point
    qtbot.keyClick(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.points.document.n_points == n_points - 1  # then the point: one history, newest first
    redo.trigger()
    redo.trigger()
    assert lab.settings.k == 5 and w.points.document.n_points == n_points
    # in 2-D this lab paints the shared points: Ctrl+Z takes back the stroke just painted, not a setting
    lab.edit(mode="2d")
    w.points.push(AddPoints(np.array([[1.0, 1.0]]), np.array([0])), "Paint a point")
    qtbot.keyClick(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.points.document.n_points == n_points and lab.settings.mode == "2d"


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_the_legend_covers_no_curve_and_no_control_is_cut_off(qtbot, make_window, scale):
    w = make_window(three_clusters())
    w.resize(1280, 800)
    w.presentation.set_scale(scale)
    lab = density_lab(qtbot, w, n=400, seed=2)
    plot = lab.plot_1d
    vb = plot.getPlotItem().vb
    # the legend's lower edge, in data units, lies above every curve drawn
    legend = plot.legend.mapRectToView(plot.legend.boundingRect())
    highest = max(float(np.max(item.getData()[1])) for item in (plot.hist, plot.vhist, plot.truth, *plot.curves.values())
                  if item.getData()[1] is not None and len(item.getData()[1]))
    assert min(legend.top(), legend.bottom()) > highest, (legend, highest, vb.viewRange())
    # the settings column is as wide as its widest row needs, and its value labels show their whole text
    qtbot.waitUntil(lambda: lab._scroll.viewport().width() >= lab.controls.minimumSizeHint().width())
    for label in (lab.controls.bandwidth_label, lab.controls.origin_label):
        assert label.width() >= label.fontMetrics().horizontalAdvance(label.text())


def test_an_export_paints_the_cached_axes_afresh_and_caches_them_again(qtbot, make_window, monkeypatch, tmp_path):
    import pyqtgraph as pg
    from PySide6.QtWidgets import QGraphicsItem, QGraphicsView

    from gmmviz.qt.export import images

    def axes_of(widget):
        views = [v for v in [widget, *widget.findChildren(QGraphicsView)] if isinstance(v, QGraphicsView)]
        return {item.cacheMode() for v in views for item in v.scene().items() if isinstance(item, pg.AxisItem)}

    w = make_window(three_clusters())
    lab = density_lab(qtbot, w, n=300)
    source = lab.export_source()
    cached = {QGraphicsItem.CacheMode.DeviceCoordinateCache}
    assert axes_of(source.canvas) == cached and axes_of(source.curves) == cached  # blitted on screen
    seen = []
    real = images._render
    monkeypatch.setattr(images, "_render", lambda widget, painter: (seen.append(axes_of(widget)), real(widget, painter)))
    images.export_target(source, "both", tmp_path / "both.png")
    assert len(seen) == 2 and all(m == {QGraphicsItem.CacheMode.NoCache} for m in seen)  # exact in the file
    assert axes_of(source.canvas) == cached and axes_of(source.curves) == cached


def test_an_undo_from_another_tab_shows_the_density_settings_it_changed(qtbot, make_window):
    from PySide6.QtCore import Qt

    from .conftest import activate

    w = make_window(three_clusters())
    lab = density_lab(qtbot, w, n=300)
    lab.controls.k.setValue(5)
    w.show_lab("em")
    activate(qtbot, w)
    qtbot.keyClick(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.current_lab is lab)
    assert lab.settings.k == 2 and lab.controls.k.value() == 2
    assert w.statusBar().currentMessage() == "Undid “Set K” in Density estimation"  # the slider's own name


def test_a_larger_text_scale_grows_the_legend_and_the_titles_and_keeps_the_legend_off_the_curves(qtbot, make_window):
    # the legend and the score plots' titles kept pyqtgraph's fixed 9 pt: small beside the ticks on a projector
    from PySide6.QtGui import QFontMetricsF

    w = make_window(three_clusters())
    w.resize(1280, 800)
    lab = density_lab(qtbot, w, n=400, seed=2)
    plot = lab.plot_1d
    before = plot.legend.boundingRect().height()
    w.presentation.set_scale(2.0)
    line = QFontMetricsF(w.font()).height()
    rows = [label.item.boundingRect().height() for _, label in plot.legend.items]
    assert rows and min(rows) >= 0.9 * line  # each row as tall as the window's (scaled) text
    assert plot.legend.boundingRect().height() > 1.3 * before  # (its margins and line samples stay)
    for family, score_plot in lab.score_curves.plots.items():
        title = score_plot.getPlotItem().titleLabel
        assert title.item.boundingRect().height() >= 0.9 * line, family
    highest = max(float(np.max(item.getData()[1])) for item in (plot.hist, plot.vhist, plot.truth, *plot.curves.values())
                  if item.getData()[1] is not None and len(item.getData()[1]))

    def legend_above_the_curves():
        legend = plot.legend.mapRectToView(plot.legend.boundingRect())
        return min(legend.top(), legend.bottom()) > highest

    qtbot.waitUntil(legend_above_the_curves)  # once the window's layout has settled at the new scale


def test_a_narrow_leaderboard_wraps_its_words_and_cuts_no_cell(qtbot, make_window):
    # at a projector's text scale on 1280 x 800 the setting column was squeezed to "bins…", "pts/…"
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QFontMetrics

    w = make_window(three_clusters())
    w.resize(1280, 800)
    w.presentation.set_scale(1.75)
    lab = density_lab(qtbot, w, n=1500, distribution="mixture", seed=7)
    board = lab.leaderboard
    qtbot.waitUntil(lambda: all("…" not in board.cell_text(r.family, "setting") for r in board.rows))
    board.fit_columns()

    def every_cell_whole():
        for i in range(board.rowCount()):
            for j in range(board.columnCount()):
                item = board.item(i, j)
                cell = board.visualItemRect(item)
                flags = Qt.TextFlag.TextWordWrap | int(item.textAlignment())
                need = QFontMetrics(item.font()).boundingRect(QRect(0, 0, cell.width() - 8, 10_000), flags, item.text())
                if need.width() > cell.width() - 4 or need.height() > cell.height():
                    return False
        return True

    qtbot.waitUntil(every_cell_whole)
    assert board.horizontalScrollBar().maximum() == 0  # and nothing beyond the right edge
    assert "fitted to all" in board.cell_tip("dpgmm", "setting")  # what the short text leaves out


@pytest.mark.parametrize(("size", "scale", "long"), [((1900, 1000), 1.0, True), ((1280, 800), 1.75, False)])
def test_the_score_plots_titles_and_labels_fit_their_plots(qtbot, make_window, size, scale, long):
    # at a projector's text size on 1280 px they read "Gaussian mi" and "log₁₀ bandwid"
    from gmmviz.labs.density.core.sweep import FAMILY_TITLES

    w = make_window(three_clusters())
    w.resize(*size)
    w.presentation.set_scale(scale)
    lab = density_lab(qtbot, w, n=400, seed=2)
    curves = lab.score_curves

    def every_text_fits():
        for plot in curves.plots.values():
            item = plot.getPlotItem()
            title = item.titleLabel.item.boundingRect().width()
            label = item.getAxis("bottom").label.boundingRect().width()
            if title > item.vb.width() + 4 or label > item.vb.width() + 4:  # both centred over the view box
                return False
        return True

    qtbot.waitUntil(every_text_fits)
    titles = [plot.getPlotItem().titleLabel.text for plot in curves.plots.values()]
    assert (titles == [FAMILY_TITLES[f] for f in curves.plots]) == long  # the long names where they fit


def test_at_a_projectors_text_size_no_two_tick_labels_of_a_score_plot_overlap(qtbot, make_window):
    # pyqtgraph spaces ticks by pixels, not by their text: at 1.75 on a 150 px plot "50100150"
    from PySide6.QtGui import QImage, QPainter

    w = make_window(three_clusters())
    w.resize(1280, 800)
    w.presentation.set_scale(1.75)
    lab = density_lab(qtbot, w, n=1000, seed=1)
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    for family, plot in lab.score_curves.plots.items():
        axis = plot.getPlotItem().getAxis("bottom")
        painter = QPainter(image)
        try:
            _, _, texts = axis.generateDrawSpecs(painter)
        finally:
            painter.end()
        boxes = sorted((rect.left(), rect.right()) for rect, _flags, _text in texts)
        assert boxes, family  # still a number to read
        assert all(a[1] <= b[0] for a, b in zip(boxes, boxes[1:])), (family, [t for _, _, t in texts])
