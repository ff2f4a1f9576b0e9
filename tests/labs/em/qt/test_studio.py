"""The EM studio driven through the real window (pytest-qt, offscreen)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from PySide6.QtCore import Qt

from gmmviz.core.palette import NEUTRAL_FILL, hex_to_rgb

from .conftest import three_clusters, wait_for_run


def click(qtbot, window, x, y, button=Qt.MouseButton.LeftButton, modifier=Qt.KeyboardModifier.NoModifier):
    canvas = window.lab("em").studio.canvas
    pos = canvas.data_to_widget(x, y)
    qtbot.mouseClick(canvas.plot.viewport(), button, modifier, pos)


def test_click_adds_a_point_of_the_current_class_and_right_click_removes_it(qtbot, make_window):
    w = make_window()
    store = w.lab("em").studio.store
    w.tooling.choose_class(1)
    click(qtbot, w, 2.5, -3.0)
    ds = store.document
    assert ds.n_points == 1
    # exactly where clicked, to within a pixel of data units
    px = w.lab("em").studio.canvas.view.viewPixelSize()
    assert abs(ds.X[0, 0] - 2.5) <= px[0] and abs(ds.X[0, 1] + 3.0) <= px[1]
    assert ds.labels[0] == 1
    click(qtbot, w, 2.5 + 2 * px[0], -3.0, Qt.MouseButton.RightButton)
    assert store.document.n_points == 0
    w.actions_by_name["undo"].trigger()
    assert store.document.n_points == 1
    w.actions_by_name["undo"].trigger()
    assert store.document.n_points == 0
    w.actions_by_name["redo"].trigger()
    assert store.document.n_points == 1 and store.document.labels[0] == 1


def test_shift_click_erases_and_far_right_click_does_nothing(qtbot, make_window):
    w = make_window(three_clusters(5))
    n = w.lab("em").studio.dataset.n_points
    click(qtbot, w, 9.5, 9.5, Qt.MouseButton.RightButton)  # nothing within a few pixels
    assert w.lab("em").studio.dataset.n_points == n
    x, y = w.lab("em").studio.dataset.X[3]
    click(qtbot, w, x, y, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier)
    assert w.lab("em").studio.dataset.n_points == n - 1
    assert not np.any(np.all(w.lab("em").studio.dataset.X == [x, y], axis=1))


def test_e_then_m_changes_colours_and_ellipses(qtbot, make_window):
    w = make_window(three_clusters())
    wait_for_run(qtbot, w)
    pb, canvas = w.lab("em").studio.playback, w.lab("em").studio.canvas
    assert w.lab("em").studio.frame.snapshot.phase == "init"
    neutral = np.array(hex_to_rgb(NEUTRAL_FILL))
    assert np.all(canvas.points.fill == neutral)
    before = w.lab("em").studio.frame.snapshot.params
    w.actions_by_name["e_step"].trigger()
    assert w.lab("em").studio.frame.snapshot.phase == "E"
    assert not np.all(canvas.points.fill == neutral)
    fill_e = canvas.points.fill.copy()
    w.actions_by_name["m_step"].trigger()
    snap = w.lab("em").studio.frame.snapshot
    assert snap.phase == "M"
    assert not np.allclose(snap.params.means, before.means)
    # the drawn 1-sigma outline of component 0 moved with the mean
    x, y = canvas.ellipses.curve(0, 1).getData()
    centre = np.array([np.nanmean(x[:-1]), np.nanmean(y[:-1])])  # the last vertex closes the loop
    np.testing.assert_allclose(centre, snap.params.means[0], atol=1e-6 * (1 + np.abs(centre).max()))
    w.actions_by_name["e_step"].trigger()
    assert not np.array_equal(canvas.points.fill, fill_e)
    assert pb.cursor == 3


def test_step_button_names_the_next_half_step(qtbot, make_window):
    w = make_window(three_clusters())
    wait_for_run(qtbot, w)
    step = w.actions_by_name["step"]
    assert step.text() == "Next: E-step"
    step.trigger()
    assert step.text() == "Next: M-step"
    step.trigger()
    assert step.text() == "Next: E-step"


def test_play_reaches_convergence_and_stops_and_the_curve_never_decreases(qtbot, make_window):
    w = make_window(three_clusters(), reg_covar=0.0)
    w.lab("em").studio.playback.set_speed(30)
    with qtbot.waitSignal(w.lab("em").studio.playback.stopped, timeout=20000):
        w.actions_by_name["play"].trigger()
    assert not w.lab("em").studio.playback.playing
    snap = w.lab("em").studio.frame.snapshot
    assert snap.converged
    assert w.lab("em").studio.playback.cursor == len(w.lab("em").studio.fit.history) - 1
    x, ll = w.lab("em").studio.curves.ll_curve.getData()
    assert ll.size > 3
    assert np.all(np.diff(ll) >= -1e-9 * np.abs(ll).max())
    assert "converged" in w.status_label.text()


def test_the_shaded_kl_gap_lies_between_ln_p_and_the_bound(qtbot, make_window):
    from PySide6.QtCore import QPointF

    w = make_window(three_clusters(), n_components=3)
    history = wait_for_run(qtbot, w)
    w.lab("em").studio._refresh_curves()
    c = w.lab("em").studio.curves
    c.set_view(whole_run=True)  # the gap along the whole run, not only up to the cursor
    x, ll = c.ll_curve.getData()
    _, bound = c.bound_curve.getData()
    gap = c.gap.path()
    assert np.all(ll >= bound - 1e-9 * np.abs(ll).max()) and len(history) > 4
    for i in range(1, x.size - 1):  # at every half-step: inside between the curves, outside beyond them
        lo, hi = bound[i], ll[i]
        if hi - lo > 1e-6 * abs(hi):
            assert gap.contains(QPointF(x[i], (lo + hi) / 2))
        span = max(hi - lo, 1.0)
        assert not gap.contains(QPointF(x[i], hi + span)) and not gap.contains(QPointF(x[i], lo - span))


def test_stepping_back_shows_exactly_the_earlier_snapshot(qtbot, make_window):
    w = make_window(three_clusters())
    wait_for_run(qtbot, w)
    a = w.actions_by_name
    a["full_step"].trigger()
    earlier = w.lab("em").studio.frame
    a["full_step"].trigger()
    a["e_step"].trigger()
    later = w.lab("em").studio.frame
    assert later.index > earlier.index
    for _ in range(later.index - earlier.index):
        a["back"].trigger()
    assert w.lab("em").studio.frame.snapshot is earlier.snapshot
    assert w.lab("em").studio.frame.index == earlier.index
    a["last"].trigger()
    assert w.lab("em").studio.playback.cursor == len(w.lab("em").studio.fit.history) - 1
    a["first"].trigger()
    assert w.lab("em").studio.frame.snapshot.phase == "init"


@pytest.mark.slow  # a scenario of several seconds of real time; CI runs it
def test_edits_during_a_run_never_show_the_old_run(qtbot, make_window):
    w = make_window(three_clusters(200), max_iter=5000, tol=0.0)
    studio = w.lab("em").studio
    shown = []
    studio.playback.frame_changed.connect(lambda f: shown.append((f.run_id, studio.fit.run_id)))
    studio.playback.set_speed(30)
    studio.playback.play()
    rng = np.random.default_rng(1)
    from gmmviz.core.commands import AddPoints

    for i in range(40):
        studio.store.push(AddPoints(rng.normal(size=(1, 2)), [0]), "Add point")
        if i % 4 == 0:
            studio.start_run()  # no debounce: a new run right away
            studio.playback.play()
        qtbot.wait(5)
    studio.start_run()
    wait_for_run(qtbot, w, timeout=60000)
    assert shown, "no frame was shown"
    assert all(frame_run == current for frame_run, current in shown)
    h = studio.fit.history
    assert h.run_id == studio.fit.run_id
    assert h.X.shape[0] == studio.dataset.n_points


def test_a_failing_worker_shows_a_message_and_the_next_run_works(qtbot, make_window, monkeypatch):
    import gmmviz.labs.em.qt.fit as worker_module

    w = make_window(three_clusters())
    wait_for_run(qtbot, w)
    before = w.lab("em").studio.dataset

    def broken(*args, **kwargs):
        yield from ()
        raise RuntimeError("injected failure")

    monkeypatch.setattr(worker_module, "em_steps", broken)
    with qtbot.waitSignal(w.lab("em").studio.fit.run_failed, timeout=5000):
        w.lab("em").studio.start_run()
    assert w.lab("em").studio.banner.isVisible()
    assert "injected failure" in w.lab("em").studio.banner.text()
    assert "Traceback" not in w.lab("em").studio.banner.text()
    assert w.lab("em").studio.dataset is before
    monkeypatch.undo()
    with qtbot.waitSignal(w.lab("em").studio.fit.run_finished, timeout=10000):
        w.lab("em").studio.start_run()
    assert not w.lab("em").studio.banner.isVisible()
    assert len(w.lab("em").studio.fit.history) > 2


def test_collapse_pauses_marks_and_explains(qtbot, make_window):
    from gmmviz.core.data import Dataset
    from gmmviz.core.commands import default_classes

    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal(size=(40, 2)), [[8.0, 8.0]]])
    ds = Dataset(X, np.zeros(41, dtype=int), default_classes(1))
    w = make_window(ds, n_components=2, covariance_type="spherical", reg_covar=0.0, init="random", seed=0)
    studio = w.lab("em").studio
    hist = wait_for_run(qtbot, w)
    if hist.snapshots[-1].collapse is None:
        pytest.skip("this seed did not put a component on the outlier")
    studio.playback.set_speed(30)
    with qtbot.waitSignal(studio.playback.stopped, timeout=20000):
        studio.playback.play()
    assert not studio.playback.playing
    assert studio.banner.isVisible() and "reg_covar" in studio.banner.text()
    marker, _texts = studio.canvas.ellipses.collapse_items()
    assert marker.isVisible() and len(marker.data) >= 1


def test_keyboard_shortcuts_drive_the_studio(qtbot, make_window):
    w = make_window(three_clusters())
    wait_for_run(qtbot, w)
    pb = w.lab("em").studio.playback
    qtbot.keyClick(w, Qt.Key.Key_E)
    assert w.lab("em").studio.frame.snapshot.phase == "E"
    qtbot.keyClick(w, Qt.Key.Key_M)
    assert w.lab("em").studio.frame.snapshot.phase == "M"
    qtbot.keyClick(w, Qt.Key.Key_Right)
    assert w.lab("em").studio.frame.snapshot.phase == "M" and pb.cursor == 4
    qtbot.keyClick(w, Qt.Key.Key_Left)
    assert pb.cursor == 3
    qtbot.keyClick(w, Qt.Key.Key_Home)
    assert pb.cursor == 0
    qtbot.keyClick(w, Qt.Key.Key_Space)
    assert pb.playing
    qtbot.keyClick(w, Qt.Key.Key_Space)
    assert not pb.playing
    qtbot.keyClick(w, Qt.Key.Key_3)
    assert w.lab("em").studio.classes.current == 2 and len(w.lab("em").studio.dataset.classes) == 3
    seed = w.lab("em").studio.settings().seed
    qtbot.keyClick(w, Qt.Key.Key_R)
    assert w.lab("em").studio.settings().seed == seed + 1


def test_cheat_sheet_lists_every_shortcut(qtbot, make_window):
    from gmmviz.labs.em.qt.actions import EM_ACTIONS
    from gmmviz.qt.actions import ACTIONS
    from gmmviz.qt.help import cheat_sheet_html

    w = make_window()
    sheet = cheat_sheet_html(w.action_specs)
    for spec in ACTIONS + EM_ACTIONS:
        for key in spec.shortcuts:
            assert key in sheet, f"{spec.name}: {key} missing from the cheat sheet"


def test_export_png_and_svg(qtbot, make_window, tmp_path):
    from PySide6.QtGui import QImage

    from gmmviz.qt.export.images import export_target

    w = make_window(three_clusters())
    wait_for_run(qtbot, w)
    w.actions_by_name["full_step"].trigger()
    png = tmp_path / "canvas.png"
    export_target(w.lab("em").studio, "canvas", png, scale=2.0)
    img = QImage(str(png))
    assert img.width() == 2 * w.lab("em").studio.canvas.plot.width()
    svg = tmp_path / "both.svg"
    export_target(w.lab("em").studio, "both", svg)
    text = svg.read_text()
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    assert text.count("<path") + text.count("<ellipse") + text.count("<circle") > 50


CLOSE_DURING_RUN = textwrap.dedent("""
    import numpy as np
    from PySide6.QtCore import QTimer
    from gmmviz.app import make_app
    from gmmviz.core.commands import default_classes
    from gmmviz.core.data import Dataset
    from gmmviz.qt.main_window import MainWindow
    app = make_app()
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100000, 2)) + rng.integers(0, 4, size=(100000, 1)) * 3
    w = MainWindow(Dataset(X, np.zeros(len(X), dtype=int), default_classes(1)))
    w.show()
    w.lab("em").studio.start_run()
    w.lab("em").studio.fit.step_appended.connect(lambda *a: QTimer.singleShot(0, w.close))
    QTimer.singleShot(30000, app.quit)
    app.exec()
    print("alive:", w.lab("em").studio.fit.is_alive())
""")


def test_closing_during_a_run_exits_cleanly():
    out = subprocess.run([sys.executable, "-c", CLOSE_DURING_RUN], capture_output=True, text=True, timeout=120,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert "alive: False" in out.stdout
    assert "QThread" not in out.stderr


@pytest.mark.slow
def test_soak_of_100k_worker_signals_and_repaints(qtbot, make_window):
    w = make_window(three_clusters(7), max_iter=50000, tol=0.0, reg_covar=1e-3)
    studio = w.lab("em").studio
    seen = []
    studio.fit.step_appended.connect(lambda run, i: seen.append(i))

    def repaint(run, i):
        if i % 500 == 0:
            studio.playback.seek(i)
            studio.canvas.plot.viewport().repaint()

    studio.fit.step_appended.connect(repaint)
    hist = wait_for_run(qtbot, w, timeout=240000)
    assert len(hist) == 100001 and hist.snapshots[-1].collapse is None
    assert len(seen) == len(hist)
    assert studio.fit.is_alive()


def test_enter_in_a_model_field_gives_the_keyboard_back_to_the_canvas(qtbot, make_window):
    from .conftest import activate

    w = make_window(three_clusters())
    wait_for_run(qtbot, w)
    studio = w.lab("em").studio
    activate(qtbot, w)
    field = studio.model_panel.k
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.lineEdit().selectAll()
    qtbot.keyClicks(field.lineEdit(), "2")
    qtbot.keyClick(field.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(studio.canvas.plot.hasFocus)
    assert studio.settings().n_components == 2
    qtbot.keyClick(w, Qt.Key.Key_3)  # now a shortcut: class 3, not K = 3
    assert studio.settings().n_components == 2 and studio.classes.current == 2


def test_the_curves_grow_with_the_cursor_and_zoom_on_the_recent_half_steps(qtbot, make_window):
    from gmmviz.labs.em.qt.panels.curves import MIN_SPAN, RECENT

    w = make_window(three_clusters(), n_components=3)
    history = wait_for_run(qtbot, w)
    studio = w.lab("em").studio
    c = studio.curves
    assert len(history) > 2 * RECENT + 4
    studio.playback.seek(5)
    x, _ = c.ll_curve.getData()
    assert x.max() == 5  # nothing after the cursor: no spoilers
    studio.playback.seek(len(history) - 3)
    (x0, x1), (y0, y1) = c.plot.getPlotItem().viewRange()
    assert x0 >= len(history) - 3 - RECENT - 1 and x1 <= len(history) - 3 + RECENT + 1
    ll, bound = history.curves()["ll"], history.curves()["bound"]
    recent = np.r_[ll[-3 - RECENT:-2], bound[-3 - RECENT:-2]]
    assert y0 <= recent.min() and y1 >= recent.max()
    assert y1 - y0 < (np.nanmax(ll) - np.nanmin(ll[1:])) / 2  # zoomed in on the end of the climb
    assert y1 - y0 >= MIN_SPAN  # ticks never need ten decimals
    c.set_view(follow=False, whole_run=True)
    x, _ = c.ll_curve.getData()
    assert x.max() == len(history) - 1


def test_a_dragged_start_survives_a_change_of_k_and_says_so(qtbot, make_window):
    from dataclasses import replace

    w = make_window(three_clusters(), n_components=3)
    wait_for_run(qtbot, w)
    studio = w.lab("em").studio
    studio.canvas.mean_dragged.emit(0, 7.5, 7.5)  # as when a handle is dropped
    assert studio.settings().init == "manual"
    assert studio.banner.text() == "Mean 1 moved: EM starts again from the edited parameters."
    dragged = np.array(studio.manual_params.means)
    wait_for_run(qtbot, w)
    assert studio.banner.text().startswith("Mean 1 moved")  # still there to be read once the run started
    studio.model_panel.set_settings(replace(studio.settings(), n_components=4))
    studio.start_run()
    history = wait_for_run(qtbot, w)
    assert studio.settings().init == "manual"
    start = history.snapshots[0].params.means
    np.testing.assert_allclose(start[:3], dragged)  # the dragged means stay where they were put
    assert studio.banner.text() == "Manual start kept: the 3 dragged means stay, mean 4 starts at a k-means++ pick."
    studio.model_panel.set_settings(replace(studio.settings(), n_components=2))
    studio.start_run()
    history = wait_for_run(qtbot, w)
    np.testing.assert_allclose(history.snapshots[0].params.means, dragged[:2])
    assert "means 1–2 stay where you dragged them, means 3–4 dropped" in studio.banner.text()


def test_play_and_pause_take_the_same_room(qtbot, make_window):
    w = make_window(three_clusters())
    wait_for_run(qtbot, w)
    lab = w.lab("em")
    slider_x = []
    for playing in (True, False, True):
        lab.studio.playback.play() if playing else lab.studio.playback.pause()
        qtbot.waitUntil(lambda: lab.play_button.text() in ("Pause", "Play"))
        w.layout().activate()
        lab.em_toolbar.layout().activate()
        slider_x.append(lab.speed.mapTo(w, lab.speed.rect().topLeft()).x())
    lab.studio.playback.pause()
    assert len(set(slider_x)) == 1, slider_x
