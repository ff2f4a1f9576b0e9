"""Review fixes in the Qt layer, through the real window: themed curves colours
that survive a rescale, an export that survives a cancelled close, and Ctrl+Shift+N
adding a class exactly as the class panel's button does."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from gmmviz.qt.export.animation import AnimationSpec
from gmmviz.labs.em.qt.panels.curves import LL_COLOR, value_rows
from gmmviz.labs.em.qt.theming import curve_text_colors
from gmmviz.qt.themes import contrast, legible, theme

from .conftest import three_clusters, wait_for_run

COLOR = re.compile(r"color:\s*(#[0-9a-fA-F]{6})")


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    """A real key press: window shortcuts need the window to be active."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    qtbot.keyClick(window, key, modifier)


# -- themes and the curves panel ------------------------------------------------------------------
def test_dark_theme_makes_the_curves_text_legible_on_the_window(qtbot, make_window):
    w = make_window(three_clusters(), n_components=2)
    wait_for_run(qtbot, w)
    w.lab("em").studio.playback.seek(3)
    curves = w.lab("em").studio.curves
    standard = {c.lower() for c in curve_text_colors(theme("standard"))}
    assert set(COLOR.findall(curves.numbers.text())) == standard
    w.actions_by_name["theme_dark"].trigger()
    th = theme("dark")
    window_color = QColor(th.window).name()

    def label_background() -> str:
        return curves.numbers.palette().color(QPalette.ColorRole.Window).name()

    qtbot.waitUntil(lambda: label_background() == window_color)  # the palette reaches the label
    text = curves.numbers.text()
    colors = set(COLOR.findall(text))
    assert len(colors) == 2 and colors == set(curve_text_colors(th))
    for color in colors:
        assert contrast(color, window_color) >= 4.5, color
    assert contrast(LL_COLOR, window_color) < 4.5  # (what the panel showed before)
    assert "iteration" in text and "Q + H" in text  # still the values, not just the legend
    # The formula strip's step names are the same colours (one place decides them).
    w.actions_by_name["formula"].setChecked(True)
    strip = w.lab("em").formula.text()
    assert set(COLOR.findall(strip)) <= colors and COLOR.findall(strip)
    w.actions_by_name["theme_standard"].trigger()
    assert set(COLOR.findall(curves.numbers.text())) == standard


def test_rescaling_keeps_the_themed_cursor_and_marker_colours(qtbot, make_window):
    w = make_window(three_clusters(), n_components=2)
    wait_for_run(qtbot, w)
    curves, th = w.lab("em").studio.curves, theme("dark")
    w.presentation.set_theme("dark")
    cursor = legible("#777777", th.plot_bg, 3.0)
    init = legible("#555555", th.plot_bg, 3.0)
    assert init != "#555555"  # the dark theme does change it
    for scale in (1.5, 2.0, 1.0):
        w.presentation.set_scale(scale)
        assert curves.cursor_line.pen.color().name() == cursor
        assert curves.cursor_line.pen.widthF() == pytest.approx(1.5 * scale)
        assert curves.init_dot.opts["brush"].color().name() == init
        assert set(COLOR.findall(curves.numbers.text())) == set(curve_text_colors(th))


def test_curves_panel_and_formula_strip_show_the_same_values(qtbot, make_window):
    w = make_window(three_clusters(), n_components=2)
    wait_for_run(qtbot, w)
    w.lab("em").studio.playback.seek(3)
    w.actions_by_name["formula"].setChecked(True)
    snap = w.lab("em").studio.frame.snapshot
    numbers, strip = w.lab("em").studio.curves.numbers.text(), w.lab("em").formula.text()
    for _, value in value_rows(snap):
        assert f"<b>{value}</b>" in numbers and f"<b>{value}</b>" in strip
    assert "−" in value_rows(snap)[0][1]  # ln p < 0, with a typographic minus in both


# -- closing during an export -----------------------------------------------------------------------
@pytest.mark.slow  # a scenario of several seconds of real time; CI runs it
def test_a_cancelled_close_keeps_the_export_running(qtbot, make_window, tmp_path, monkeypatch):
    w = make_window(three_clusters(), n_components=2, max_iter=30, tol=0.0)
    wait_for_run(qtbot, w)
    assert w.files.is_modified()  # other settings than the saved ones: closing asks
    answers, asked = [QMessageBox.StandardButton.Cancel], []

    def question(parent, title, text, *args):
        asked.append(title)
        return answers.pop(0)

    monkeypatch.setattr(w.files, "ask_user", True)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    shutdowns = []
    real_shutdown = w.exporting.shutdown
    monkeypatch.setattr(w.exporting, "shutdown", lambda: (shutdowns.append(1), real_shutdown()))
    path = tmp_path / "run.gif"
    job = w.exporting.export_animation(AnimationSpec(path, size=(320, 180)))
    qtbot.waitUntil(lambda: job._rendered >= 1, timeout=20000)
    assert job.running
    w.close()  # the user answers Cancel
    assert asked == ["Unsaved changes"] and w.isVisible()
    assert shutdowns == [] and job.running and w.exporting.job is job
    with qtbot.waitSignal(job.finished, timeout=60000):
        pass  # the export carries on to the end
    assert path.exists() and w.exporting.job is None

    job = w.exporting.export_animation(AnimationSpec(tmp_path / "again.gif", size=(320, 180)))
    qtbot.waitUntil(lambda: job._rendered >= 1, timeout=20000)
    answers.append(QMessageBox.StandardButton.Discard)
    assert job.running
    w.close()  # accepted: now the export stops, its encoder joined, nothing left behind
    assert not w.isVisible() and shutdowns == [1]
    assert not job.running and w.exporting.job is None
    assert not (tmp_path / "again.gif").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["run.gif"]
    assert QApplication.overrideCursor() is None


# -- Ctrl+Shift+N (Ctrl+N is File → New) ---------------------------------------------------------
def test_ctrl_shift_n_adds_a_class_and_makes_it_current_in_one_undo_step(qtbot, make_window):
    w = make_window(three_clusters(5))
    stack, panel = w.lab("em").studio.store.undo_stack, w.lab("em").studio.classes
    count = stack.count()
    assert panel.current == 0
    press(qtbot, w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(w.lab("em").studio.dataset.classes) == 3
    assert panel.current == 2 and w.lab("em").studio.canvas.current_class() == 2
    assert stack.count() == count + 1 and stack.undoText() == "Add class"
    w.actions_by_name["add_class"].trigger()  # the menu entry: the same
    assert len(w.lab("em").studio.dataset.classes) == 4 and panel.current == 3
    assert stack.count() == count + 2
    w.actions_by_name["undo"].trigger()
    w.actions_by_name["undo"].trigger()
    assert len(w.lab("em").studio.dataset.classes) == 2 and stack.count() - stack.index() == 2


def test_values_never_show_a_negative_zero_and_the_readout_names_the_iteration():
    from gmmviz.labs.em.qt.panels.curves import fmt

    assert fmt(-0.00001) == "0.0000" and fmt(-0.0) == "0.0000" and fmt(0.0) == "0.0000"
    assert fmt(-1234.56789) == "−1,234.5679" and fmt(float("nan")) == "—"


def test_the_readout_the_status_bar_and_the_timeline_agree_on_the_step(qtbot, make_window):
    w = make_window(three_clusters())
    wait_for_run(qtbot, w)
    lab = w.lab("em")
    lab.studio.playback.seek(4)  # init, E1, M1, E2, M2
    assert "iteration&nbsp;</td><td align='right'><b>2 · M-step" in lab.studio.curves.numbers.text()
    assert w.status_label.text().startswith("Iteration 2 · M-step")
    assert lab.timeline_label.text() == f"half-step 4 / {lab.studio.playback.count() - 1}"


def test_ctrl_n_starts_a_new_empty_unnamed_session(qtbot, make_window, tmp_path):
    w = make_window(three_clusters(5))
    path = tmp_path / "lecture.gmmviz"
    assert w.files.write(str(path))
    assert w.windowTitle().startswith("lecture.gmmviz")
    press(qtbot, w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    studio = w.lab("em").studio
    assert studio.dataset.n_points == 0 and studio.store.undo_stack.count() == 0
    assert w.windowTitle().startswith("Untitled") and not w.isWindowModified() and w.files.path is None


@pytest.mark.parametrize("name", ["standard", "light", "dark"])
def test_every_component_stands_out_from_the_plot_on_every_theme(qtbot, make_window, name):
    """Contrast ≥ 3:1 against the plot for every component's ellipse, handle and weight bar."""
    w = make_window(three_clusters(), n_components=10, init="random")
    wait_for_run(qtbot, w)
    w.presentation.set_theme(name)
    th, canvas = theme(name), w.lab("em").studio.canvas
    drawn = [canvas.ellipses.curve(i, 1).opts["pen"].color().name() for i in range(10)]
    assert all(contrast(c, th.plot_bg) >= 3.0 for c in drawn), [(c, round(contrast(c, th.plot_bg), 2)) for c in drawn]
    assert [canvas.ellipses.color(i) for i in range(10)] == drawn
    assert len(set(drawn)) == 10  # still ten different colours
    bars = w.lab("em").studio.weights.bars.opts["brushes"]
    assert [b.color().name() for b in bars] == drawn


@pytest.mark.parametrize("name", ["standard", "light", "dark"])
def test_component_fills_and_class_outlines_never_look_alike(qtbot, make_window, name):
    """Every component colour drawn differs from every (chromatic) class outline drawn
    by a CIE76 difference of at least 20 on every theme, and the components from each
    other by at least 25 (green on green and light blue on light blue before: 4-18)."""
    from gmmviz.core.palette import CLASS_COLORS, delta_e

    w = make_window(three_clusters(), n_components=10, init="random")
    wait_for_run(qtbot, w)
    w.presentation.set_theme(name)
    canvas = w.lab("em").studio.canvas
    components = [canvas.ellipses.color(i) for i in range(10)]
    outline = canvas._outline_color  # what the canvas draws a class colour as, on this theme
    classes = [outline(c) if outline else c for c in CLASS_COLORS[:7]]  # black and grey are not hues
    worst = min((delta_e(a, b), a, b) for a in components for b in classes)
    assert worst[0] >= 20, worst
    assert min(delta_e(a, b) for i, a in enumerate(components) for b in components[:i]) >= 25


def test_delta_e_against_published_values():
    from gmmviz.core.palette import delta_e, to_lab

    np.testing.assert_allclose(to_lab("#FFFFFF"), [100, 0, 0], atol=0.01)
    np.testing.assert_allclose(to_lab("#FF0000"), [53.24, 80.09, 67.20], atol=0.05)  # sRGB red
    np.testing.assert_allclose(to_lab("#0000FF"), [32.30, 79.19, -107.86], atol=0.05)
    assert delta_e("#000000", "#FFFFFF") == pytest.approx(100.0, abs=0.01)


def test_banners_and_the_lesson_note_follow_the_theme_and_the_scale(qtbot, make_window):
    from PySide6.QtGui import QColor

    w = make_window(three_clusters())
    lab = w.lab("em")
    lab.sources.load_scene("collapse")
    banner = lab.studio.banner
    banner.show_message("Autosave failed: disk full.", "warning")

    def background():
        sheet = banner.styleSheet()
        return QColor(sheet.split("QFrame#banner { background: ")[1].split(";")[0])

    for theme_name, dark in (("dark", True), ("light", False), ("dark", True)):
        w.presentation.set_theme(theme_name)
        for shown in ("message", "note"):
            if banner.showing != shown:
                banner.more_button.click()
            assert banner.showing == shown
            assert (background().lightnessF() < 0.5) == dark, (theme_name, shown)
    w.presentation.set_scale(2.0)
    assert banner.label.font().pointSizeF() == 2 * 11.5
    assert banner.more_button.font().pointSizeF() == 2 * 11.5


def test_the_curves_x_title_is_never_cut_off_when_the_text_grows(qtbot, make_window):
    """Item 9: four Ctrl+= at 1280x800 left 'half-step (0 = init; E, M, E, M, …' clipped."""
    from PySide6.QtGui import QFont, QFontMetricsF

    from gmmviz.labs.em.qt.panels.curves import X_TITLES

    w = make_window(three_clusters())
    w.resize(1280, 800)
    curves = w.lab("em").studio.curves
    axis = curves.plot.getPlotItem().getAxis("bottom")

    def fits() -> bool:
        font = QFont(axis.label.font())
        font.setPointSizeF(float(axis.labelStyle["font-size"][:-2]))
        return QFontMetricsF(font).horizontalAdvance(axis.labelText) <= curves.plot.getPlotItem().vb.width()

    w.presentation.set_scale(1.0)
    qtbot.waitUntil(lambda: axis.labelText == X_TITLES[0])
    for _ in range(4):
        w.actions_by_name["zoom_in"].trigger()
    qtbot.waitUntil(lambda: axis.labelText != X_TITLES[0] and fits())
    w.presentation.set_scale(1.0)
    qtbot.waitUntil(lambda: axis.labelText == X_TITLES[0])
