"""Presentation mode, scale, themes, the cheat-sheet overlay, the formula strip
and settings that persist (pytest-qt, offscreen, settings in a temporary folder)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication

from gmmviz.core.commands import default_classes
from gmmviz.core.data import Dataset
from gmmviz.qt.actions import ACTIONS
from gmmviz.qt.export.images import image_to_array
from gmmviz.qt.themes import contrast, theme

from .conftest import activate, three_clusters, wait_for_run


def one_point() -> Dataset:
    return Dataset(np.array([[0.0, 0.0]]), np.array([0]), default_classes(1))


def marker_diameter(window) -> int:
    """Pixel width of the (orange-outlined) marker of the only point, from a grab."""
    canvas = window.lab("em").studio.canvas
    canvas.view.setRange(xRange=(-5, 5), yRange=(-5, 5), padding=0)
    QApplication.processEvents()
    rgb = image_to_array(canvas.plot.grab().toImage())[..., :3].astype(int)
    outline = np.array(QColor(default_classes(1)[0].color).getRgb()[:3])
    mask = np.abs(rgb - outline).sum(axis=2) < 90
    cols = np.flatnonzero(mask.any(axis=0))
    assert cols.size, "the marker was not drawn"
    return int(cols[-1] - cols[0] + 1)


def layout_of(w) -> dict:
    s = w.lab("em").studio
    return {"geometry": w.geometry().getRect(), "hsplit": s.hsplit.sizes(), "vsplit": s.vsplit.sizes(),
            "side": s.side.isVisible(), "menubar": w.menuBar().isVisible(), "full": w.isFullScreen(),
            "curves": s.curves.isVisible(), "scale": w.presentation.scale, "theme": w.presentation.theme_name,
            "font": w.font().pointSizeF(), "status": w.statusBar().isVisible()}


def listed(sheet: str, text: str, keys: tuple[str, ...]) -> bool:
    """Is an action with ``text`` and ``keys`` on the sheet (alone, or in a "Class 1–9" row)?"""
    text = html.escape(text.replace("&", ""))
    if text in sheet and all(html.escape(k) in sheet for k in keys):
        return True
    m = re.fullmatch(r"(.*\D)(\d+)", text)
    if m is None or keys != (m[2],):
        return False
    runs = re.findall(re.escape(m[1]) + r"(\d+)–(\d+)", sheet)
    return any(int(lo) <= int(m[2]) <= int(hi) and f"{lo}–{hi}" in sheet for lo, hi in runs)


def press(qtbot, widget, key, modifier=Qt.KeyboardModifier.NoModifier):
    """A real key press: window shortcuts need the window to be active."""
    activate(qtbot, widget.window())
    qtbot.keyClick(widget, key, modifier)


# -- presentation mode ----------------------------------------------------------------------
def test_presentation_mode_enters_and_restores_the_layout_exactly(qtbot, make_window):
    w = make_window(three_clusters())
    w.resize(1100, 700)
    w.lab("em").studio.hsplit.setSizes([700, 380])
    w.lab("em").studio.vsplit.setSizes([420, 180])
    qtbot.waitUntil(lambda: w.geometry().size() == QSize(1100, 700))  # a window manager resizes later
    before = layout_of(w)
    press(qtbot, w, Qt.Key.Key_F5)
    p = w.presentation
    assert p.presenting and w.isFullScreen()
    assert not w.lab("em").studio.side.isVisible() and not w.menuBar().isVisible()
    assert w.lab("em").studio.canvas.isVisible() and w.lab("em").studio.curves.isVisible()
    assert p.scale > 1.2 and p.theme_name == "light"
    assert w.actions_by_name["fullscreen"].isChecked()
    press(qtbot, w, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)  # lecturer makes it bigger
    assert p.scale > 1.5
    press(qtbot, w, Qt.Key.Key_F5)
    assert not p.presenting
    qtbot.waitUntil(lambda: layout_of(w) == before, timeout=3000)
    assert not w.actions_by_name["fullscreen"].isChecked()
    # the lecture scale is remembered for next time
    w.actions_by_name["presentation"].trigger()
    assert p.scale > 1.5
    w.actions_by_name["presentation"].trigger()


def test_presentation_mode_keeps_a_full_screen_window_full_screen(qtbot, make_window):
    w = make_window()
    w.actions_by_name["fullscreen"].trigger()
    qtbot.waitUntil(w.isFullScreen)
    w.actions_by_name["presentation"].trigger()
    w.actions_by_name["presentation"].trigger()
    assert w.isFullScreen() and w.actions_by_name["fullscreen"].isChecked()
    assert w.menuBar().isVisible() and w.lab("em").studio.side.isVisible()


def test_shortcuts_work_while_the_menu_bar_is_hidden(qtbot, make_window):
    w = make_window(three_clusters())
    wait_for_run(qtbot, w)
    w.actions_by_name["presentation"].trigger()
    assert not w.menuBar().isVisible()
    press(qtbot, w, Qt.Key.Key_E)
    assert w.lab("em").studio.frame.snapshot.phase == "E"
    press(qtbot, w, Qt.Key.Key_F5)
    assert not w.presentation.presenting


# -- scale ------------------------------------------------------------------------------------
def test_scale_changes_marker_size_and_fonts(qtbot, make_window):
    w = make_window(one_point())
    before = marker_diameter(w)
    font_before = w.font().pointSizeF()
    hover_before = w.lab("em").studio.canvas.hover.font().pointSizeF()
    tick_before = w.lab("em").studio.curves.plot.getPlotItem().getAxis("bottom").style["tickFont"]
    for _ in range(5):  # 1 -> 1.15 -> 1.3 -> 1.5 -> 1.75 -> 2
        press(qtbot, w, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert w.presentation.scale == pytest.approx(2.0)
    after = marker_diameter(w)
    assert after / before == pytest.approx(2.0, rel=0.2), (before, after)
    assert w.font().pointSizeF() == pytest.approx(2 * font_before)
    assert w.lab("em").studio.curves.numbers.font().pointSizeF() == pytest.approx(2 * font_before)
    assert w.lab("em").studio.canvas.hover.font().pointSizeF() == pytest.approx(2 * hover_before)
    tick = w.lab("em").studio.curves.plot.getPlotItem().getAxis("bottom").style["tickFont"]
    assert tick is not None and tick.pointSizeF() == pytest.approx(2 * font_before)
    assert tick_before is None or tick_before.pointSizeF() < tick.pointSizeF()
    press(qtbot, w, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert w.presentation.scale == pytest.approx(1.75)
    press(qtbot, w, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert w.presentation.scale == 1.0 and marker_diameter(w) == before


def test_zoom_keys_are_bound():
    rows = {spec.name: spec.shortcuts for spec in ACTIONS}
    assert "Ctrl+=" in rows["zoom_in"] and "Ctrl++" in rows["zoom_in"]
    assert rows["zoom_out"] == ("Ctrl+-",) and rows["presentation"] == ("F5",)


def test_no_two_actions_share_a_shortcut():
    """An ambiguous shortcut silently does nothing: every key sequence has one owner."""
    seen: dict[str, str] = {}
    for spec in ACTIONS:
        for key in spec.shortcuts:
            norm = QKeySequence(key).toString()
            assert norm not in seen, f"{key!r} is bound to both {seen[norm]!r} and {spec.name!r}"
            seen[norm] = spec.name


# -- themes -----------------------------------------------------------------------------------
def _lightness(color: QColor) -> float:
    return color.lightnessF()


def test_dark_theme_has_dark_backgrounds_light_text_and_legible_ellipses(qtbot, make_window):
    w = make_window(three_clusters(), n_components=3)
    wait_for_run(qtbot, w)
    w.actions_by_name["theme_dark"].trigger()
    pal = QApplication.palette()
    assert _lightness(pal.color(QPalette.ColorRole.Window)) < 0.25
    assert _lightness(pal.color(QPalette.ColorRole.WindowText)) > 0.8
    canvas = w.lab("em").studio.canvas
    assert _lightness(canvas.plot.backgroundBrush().color()) < 0.15
    th = theme("dark")
    for i in range(3):
        pen = canvas.ellipses.curve(i, 1).opts["pen"]
        assert contrast(pen.color().name(), th.plot_bg) >= 3.0, pen.color().name()
    assert contrast(canvas.truth.color(0), th.plot_bg) >= 3.0  # the truth grey, too
    for h in canvas.handles[:3]:  # the draggable means, in their ellipses' colours
        assert contrast(h.pen.color().name(), th.plot_bg) >= 3.0, h.pen.color().name()
    numbers = [t for t in w.lab("em").studio.weights._labels if t.isVisible()]
    assert len(numbers) == 3
    assert all(contrast(t.color.name(), th.plot_bg) >= 4.5 for t in numbers)  # the weights, as text
    assert th.label_fg in canvas.hover.styleSheet() and "rgba(20" in canvas.hover.styleSheet()
    assert contrast(th.label_fg, "#141518") > 7
    pixels = image_to_array(canvas.plot.grab().toImage())[..., :3]
    assert pixels.mean() < 90
    w.actions_by_name["theme_standard"].trigger()
    assert _lightness(canvas.plot.backgroundBrush().color()) > 0.95
    assert _lightness(QApplication.palette().color(QPalette.ColorRole.Window)) > 0.8


def test_next_theme_cycles_and_light_theme_darkens_pale_colours(qtbot, make_window):
    w = make_window()
    names = []
    for _ in range(3):
        w.actions_by_name["next_theme"].trigger()
        names.append(w.presentation.theme_name)
    assert names == ["light", "dark", "standard"]
    w.presentation.set_theme("light")
    sand = w.lab("em").studio.canvas.ellipses.color(2)  # Paul Tol's sand: pale on white
    assert contrast(sand, "#ffffff") >= 3.0
    w.presentation.set_theme("standard")


def test_class_outlines_stay_visible_on_every_theme_and_the_data_keeps_its_colours(qtbot, make_window):
    """Okabe-Ito's black (class 8) vanishes on the dark plot and its yellow
    (class 4) on white: the theme lightens or darkens the drawn outline."""
    classes = default_classes(9)
    X = np.column_stack([np.arange(9.0), np.zeros(9)])
    w = make_window(Dataset(X, np.arange(9), classes))
    canvas = w.lab("em").studio.canvas
    colors = [c.color for c in classes]
    assert "#000000" in colors and "#F0E442" in colors
    for name, bg in (("dark", theme("dark").plot_bg), ("light", theme("light").plot_bg)):
        w.presentation.set_theme(name)
        drawn = ["#%02x%02x%02x" % tuple(int(v) for v in rgb) for rgb in canvas.points.outline]
        assert min(contrast(c, bg) for c in drawn) >= 3.0, (name, drawn)
        assert [c.color for c in w.lab("em").studio.dataset.classes] == colors  # only the drawing changes
    w.presentation.set_theme("standard")
    drawn = ["#%02x%02x%02x" % tuple(int(v) for v in rgb) for rgb in canvas.points.outline]
    assert drawn == [c.lower() for c in colors]


# -- cheat sheet ------------------------------------------------------------------------------
def test_cheat_sheet_overlay_lists_every_action_that_has_a_shortcut(qtbot, make_window):
    w = make_window()
    press(qtbot, w, Qt.Key.Key_F1)
    from gmmviz.qt.help import CheatSheetOverlay

    overlay = w.findChild(CheatSheetOverlay)
    assert overlay is not None and overlay.isVisible()
    assert overlay.geometry() == w.rect()
    text = overlay.body.text()
    for spec in ACTIONS:  # the table, with every engineer's rows
        if spec.shortcuts:
            assert listed(text, spec.text, spec.shortcuts), f"{spec.name} missing from the cheat sheet"
    for action in w.findChildren(QAction):  # and every action the window really has
        keys = tuple(k.toString() for k in action.shortcuts())
        if keys:
            assert listed(text, action.text(), keys), f"{action.text()} missing from the cheat sheet"
    assert overlay.body.font().pointSize() >= 9  # readable: the largest type that fits
    card = overlay.card.geometry()
    assert w.rect().contains(card)
    assert card.height() >= overlay.body.sizeHint().height() and card.width() >= overlay.body.sizeHint().width()
    press(qtbot, overlay, Qt.Key.Key_Escape)
    assert not overlay.isVisible()
    w.show_cheat_sheet()
    assert overlay.isVisible()
    qtbot.mouseClick(overlay, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert not overlay.isVisible()
    w.show_cheat_sheet()
    w.show_cheat_sheet()  # F1 again closes it
    assert not overlay.isVisible()


def test_cheat_sheet_blocks_other_shortcuts_while_up(qtbot, make_window):
    w = make_window(three_clusters())
    wait_for_run(qtbot, w)
    w.show_cheat_sheet()
    index = w.lab("em").studio.playback.cursor
    from gmmviz.qt.help import CheatSheetOverlay

    qtbot.keyClick(w.findChild(CheatSheetOverlay), Qt.Key.Key_E)
    assert w.lab("em").studio.playback.cursor == index


# -- formula strip ----------------------------------------------------------------------------
def test_formula_strip_follows_the_half_step_on_screen(qtbot, make_window):
    w = make_window(three_clusters(), n_components=2, covariance_type="diag")
    wait_for_run(qtbot, w)
    strip = w.lab("em").formula
    assert not w.lab("em").formula_dock.isVisible()
    press(qtbot, w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert w.lab("em").formula_dock.isVisible()
    assert "Initialisation" in strip.text()
    w.actions_by_name["e_step"].trigger()
    snap = w.lab("em").studio.frame.snapshot
    text = strip.text()
    assert "E-step 1" in text and "r<sub>tk</sub> = π<sub>k</sub>" in text
    assert f"{snap.log_likelihood:,.4f}".replace("-", "−") in text
    assert f"{snap.q:,.4f}".replace("-", "−") in text and "KL" in text
    w.actions_by_name["m_step"].trigger()
    text = strip.text()
    assert "M-step 1" in text and "μ<sub>k</sub> = Σ<sub>t</sub> r<sub>tk</sub> x<sub>t</sub> / N<sub>k</sub>" in text
    assert "σ<sup>2</sup><sub>kd</sub>" in text  # the diagonal covariance update
    assert "(+" in text  # ln p rose since the E-step
    w.actions_by_name["formula"].trigger()
    assert not w.lab("em").formula_dock.isVisible()


def test_formula_html_for_every_covariance_type():
    from gmmviz.labs.em.qt.formula import COVARIANCE_FORMULAS, m_formula

    assert set(COVARIANCE_FORMULAS) == {"full", "diag", "spherical", "tied"}
    assert "<sup>T</sup> / N<sub>k</sub>" in m_formula("full")
    assert "/ N" in m_formula("tied") and "(2 N<sub>k</sub>)" in m_formula("spherical")


# -- settings ---------------------------------------------------------------------------------
def test_settings_persist_between_two_windows_and_stay_in_the_test_folder(qtbot, make_window, private_settings):
    from gmmviz.qt.settings import open_settings

    assert Path(open_settings().fileName()).is_relative_to(private_settings)
    w = make_window()
    w.resize(760, 560)
    w.lab("em").studio.hsplit.setSizes([390, 360])
    w.presentation.set_theme("dark")
    w.presentation.set_scale(1.3)
    w.actions_by_name["formula"].setChecked(True)
    w.lab("em").speed.setValue(w.lab("em").speed.value() + 16)
    speed = w.lab("em").studio.playback.speed
    qtbot.waitUntil(lambda: w.geometry().size() == QSize(760, 560))  # a window manager resizes later
    geometry, hsplit = w.geometry().size(), w.lab("em").studio.hsplit.sizes()
    w.close()
    assert any(private_settings.rglob("*")), "nothing was written to the test settings folder"

    w2 = make_window()
    qtbot.waitUntil(lambda: w2.lab("em").studio.hsplit.sizes() == hsplit, timeout=3000)
    assert w2.geometry().size() == geometry
    assert w2.presentation.theme_name == "dark" and w2.presentation.scale == pytest.approx(1.3)
    assert w2.actions_by_name["theme_dark"].isChecked()
    assert w2.actions_by_name["formula"].isChecked() and w2.lab("em").formula_dock.isVisible()
    assert w2.lab("em").studio.playback.speed == pytest.approx(speed)
    w2.presentation.set_theme("standard")


def test_closing_while_presenting_saves_the_desktop_layout(qtbot, make_window):
    w = make_window()
    w.resize(700, 560)
    qtbot.waitUntil(lambda: w.geometry().size() == QSize(700, 560))  # a window manager resizes later
    size = w.geometry().size()
    w.actions_by_name["presentation"].trigger()
    w.close()
    w2 = make_window()
    assert not w2.presentation.presenting and not w2.isFullScreen()
    assert w2.geometry().size() == size and w2.presentation.scale == 1.0
    assert w2.menuBar().isVisible() and w2.lab("em").studio.side.isVisible()


def test_a_new_window_does_not_inherit_another_windows_theme(qtbot, make_window):
    w = make_window()
    w.presentation.set_theme("dark")
    w2 = make_window()  # nothing saved: the standard theme
    assert w2.presentation.theme_name == "standard"
    assert _lightness(QApplication.palette().color(QPalette.ColorRole.Window)) > 0.8
    assert _lightness(w2.lab("em").studio.canvas.plot.backgroundBrush().color()) > 0.95


def test_four_steps_bigger_reflow_the_window_without_truncating_or_hiding(qtbot, make_window):
    from PySide6.QtWidgets import QComboBox, QToolBar, QToolButton

    w = make_window(three_clusters())
    wait_for_run(qtbot, w)
    w.resize(1280, 800)
    for _ in range(4):
        w.presentation.zoom_in()
    studio = w.lab("em").studio
    qtbot.waitUntil(lambda: studio.side.width() >= studio.side.minimumWidth() > 340)
    qtbot.waitUntil(lambda: all(not b.isVisible() for tb in w.findChildren(QToolBar)
                                for b in tb.findChildren(QToolButton, "qt_toolbar_ext_button")))
    window_pt = w.font().pointSizeF()
    assert w.tooling.options.hint.font().pointSizeF() == window_pt  # the hint follows the scale
    for combo in studio.model_panel.findChildren(QComboBox):
        assert combo.width() >= combo.sizeHint().width(), combo.currentText()  # not cut off
    labels = studio.weights._labels
    assert labels and all(t.textItem.font().pointSizeF() == 9.0 * w.presentation.scale for t in labels)


def test_the_lecturer_chooses_what_presentation_mode_keeps_and_it_is_remembered(qtbot, make_window):
    w = make_window(three_clusters())
    wait_for_run(qtbot, w)
    a, studio = w.actions_by_name, w.lab("em").studio
    assert not a["present_weights"].isChecked() and a["present_curves"].isChecked()  # as before: curves stay
    w.presentation.set_presenting(True)
    assert not studio.side.isVisible() and studio.curves.isVisible()
    a["present_weights"].setChecked(True)  # while presenting: at once
    assert studio.side.isVisible() and studio.groups["weights"].isVisible()
    assert not studio.groups["model"].isVisible() and not studio.groups["classes"].isVisible()
    a["present_curves"].setChecked(False)
    assert not studio.curves.isVisible()
    w.presentation.set_presenting(False)
    assert all(g.isVisible() for g in studio.groups.values()) and studio.curves.isVisible()
    w.presentation.save_settings()
    w2 = make_window(three_clusters())
    assert w2.actions_by_name["present_weights"].isChecked() and not w2.actions_by_name["present_curves"].isChecked()
    w2.presentation.set_presenting(True)
    s2 = w2.lab("em").studio
    assert s2.groups["weights"].isVisible() and not s2.groups["model"].isVisible() and not s2.curves.isVisible()
    w2.presentation.set_presenting(False)


def test_a_lab_first_shown_after_the_theme_scale_and_mode_changed_gets_them(qtbot, make_window):
    # the graphs lab, opened in a dark presentation, was drawn light at scale 1 with its hint shown
    w = make_window(three_clusters())
    p = w.presentation
    p.set_presenting(True)
    p.set_theme("dark")
    p.set_scale(1.75)
    lab = w.show_lab("graphs")
    g = lab.graph
    dark = theme("dark")
    assert g.scene.backgroundBrush().color() != QColor("#ffffff") and g.palette_.node != "#ffffff"
    assert QApplication.instance().palette().color(QPalette.ColorRole.Window) == QColor(dark.window)
    assert g.scene.scale_factor == 1.75
    qtbot.waitUntil(lambda: g.hint.isHidden())  # its presentation panel, hidden like the others
    p.set_presenting(False)
    qtbot.waitUntil(lambda: not g.hint.isHidden())  # and shown again on leaving


def test_every_plot_legend_of_every_lab_follows_the_text_scale(qtbot, make_window):
    import pyqtgraph as pg
    from PySide6.QtGui import QFontMetricsF

    w = make_window(three_clusters())
    for spec in w.lab_specs:
        w.show_lab(spec.key)
    w.presentation.set_scale(2.0)
    line = QFontMetricsF(w.font()).height()
    legends = [item.legend for plot in w.findChildren(pg.PlotWidget)
               if (item := plot.getPlotItem()).legend is not None and item.legend.items]
    assert len(legends) >= 3  # the density lab's two and the theory lab's
    for legend in legends:
        for _, label in legend.items:
            assert label.item.boundingRect().height() >= 0.9 * line, label.text


def test_axis_names_given_after_a_scale_change_have_the_scaled_size(qtbot, make_window):
    # the Iris scene names its axes after presentation mode scaled the window: they came at pyqtgraph's size
    from PySide6.QtGui import QFontMetricsF

    w = make_window(three_clusters())
    w.presentation.set_scale(2.0)
    lab = w.show_lab("classify")
    lab.open_entry("iris")
    axis = lab.page_widget.canvas.plot.getPlotItem().getAxis("bottom")
    assert axis.labelText == "sepal length (cm)"
    line = QFontMetricsF(w.font()).height()
    assert axis.label.boundingRect().height() >= 0.9 * line
