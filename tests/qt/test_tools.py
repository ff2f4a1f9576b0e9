"""The canvas tools driven through the real window (pytest-qt, offscreen).

Every gesture is checked three ways: the data it leaves, that it is ONE
undo step, and that undo and redo restore the arrays byte for byte.
See ``tool_helpers`` for how the drags are sent.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gmmviz.core.commands import AddPoints, MovePoints, ReplaceDataset

from .conftest import activate, three_clusters, wait_for_run
from .tool_helpers import distance_to_path_px, drag, in_view, line, pixel_path, ray_cast_inside, widget_to_data


def snapshot(window):
    ds = window.lab("em").studio.dataset
    return ds.X.tobytes(), ds.labels.tobytes(), ds.n_points


def assert_one_step_undoes_exactly(window, before, after_text=None):
    """The last gesture is one undo step; undo gives ``before``, redo the state now."""
    stack = window.lab("em").studio.store.undo_stack
    after = snapshot(window)
    if after_text:
        assert stack.undoText() == after_text
    index = stack.index()
    window.actions_by_name["undo"].trigger()
    assert stack.index() == index - 1
    assert snapshot(window) == before
    window.actions_by_name["redo"].trigger()
    assert snapshot(window) == after


def choose(window, name):
    window.actions_by_name[f"tool_{name}"].trigger()
    return window.lab("em").studio.canvas.tool


def test_tools_are_an_exclusive_group_with_shortcuts_and_cursors(qtbot, make_window):
    w = make_window()
    activate(qtbot, w)
    canvas = w.lab("em").studio.canvas
    assert canvas.tool.name == "put" and canvas.view.cursor().shape() == Qt.CursorShape.CrossCursor
    for key, name in ((Qt.Key.Key_B, "brush"), (Qt.Key.Key_X, "erase"), (Qt.Key.Key_S, "select"),
                      (Qt.Key.Key_B, "brush"), (Qt.Key.Key_P, "put")):
        qtbot.keyClick(w, key)
        assert canvas.tool.name == name
        checked = [n for n in ("put", "brush", "erase", "select") if w.actions_by_name[f"tool_{n}"].isChecked()]
        assert checked == [name]
        assert w.tooling.options.isVisible(), "the options fell into the toolbar's overflow menu"
    brush = choose(w, "brush")
    cursor = canvas.view.cursor()
    assert cursor.shape() == Qt.CursorShape.BitmapCursor
    assert abs(cursor.pixmap().deviceIndependentSize().width() - (2 * brush.radius_px + 7)) <= 2
    w.tooling.options.radius.setValue(40)  # the slider resizes the brush and its cursor
    assert brush.radius_px == 40
    assert abs(canvas.view.cursor().pixmap().deviceIndependentSize().width() - 87) <= 2
    choose(w, "select")
    assert canvas.view.cursor().shape() == Qt.CursorShape.ArrowCursor
    assert w.tooling.options.lasso.isVisibleTo(w) and not w.tooling.options.radius.isVisibleTo(w)


def test_brush_stroke_sprays_within_the_radius_as_one_undo_step_without_panning(qtbot, make_window, unthrottled):
    w = make_window(three_clusters(10))
    canvas = w.lab("em").studio.canvas
    brush = choose(w, "brush")
    w.tooling.choose_class(1)
    before, view = snapshot(w), canvas.view.viewRange()
    start, end = pixel_path(canvas, [in_view(canvas, 0.1, 0.2), in_view(canvas, 0.8, 0.6)])
    path = drag(canvas, line(start, end, 30) + line(end, end + QPoint(0, 60), 6)[1:])
    ds = w.lab("em").studio.dataset
    new = ds.X[before[2]:]
    assert np.all(ds.labels[before[2]:] == 1)
    assert ds.X[:before[2]].tobytes() == before[0][: before[2] * 16]
    length_px = np.hypot(*np.diff(np.array([[p.x(), p.y()] for p in
                                            [start, end, end + QPoint(0, 60)]]), axis=0).T).sum()
    expected = brush.dab_size() + brush.density * length_px
    assert abs(new.shape[0] - expected) <= 2, (new.shape[0], expected)
    assert distance_to_path_px(new, path, canvas.pixel_size()).max() <= brush.radius_px + 0.6
    assert canvas.view.viewRange() == view, "a tool drag must not pan, and new points must not auto-range"
    assert_one_step_undoes_exactly(w, before, "Brush stroke")


def test_brush_density_and_radius_options_are_respected(qtbot, make_window, unthrottled):
    w = make_window()
    canvas = w.lab("em").studio.canvas
    brush = choose(w, "brush")
    w.tooling.options.radius.setValue(8)
    w.tooling.options.density.setValue(20)  # 2 points per pixel
    assert brush.density == 2.0 and brush.radius_px == 8
    start = canvas.data_to_widget(*in_view(canvas, 0.2, 0.5))
    path = drag(canvas, line(start, start + QPoint(100, 0), 10))
    X = w.lab("em").studio.dataset.X
    assert abs(X.shape[0] - (16 + 200)) <= 1
    assert distance_to_path_px(X, path, canvas.pixel_size()).max() <= 8 + 0.6


def test_middle_drag_pans_and_wheel_zooms_whatever_the_tool(qtbot, make_window, unthrottled):
    w = make_window(three_clusters(5))
    canvas = w.lab("em").studio.canvas
    for name in ("brush", "erase", "select"):
        choose(w, name)
        before, view = snapshot(w), canvas.view.viewRange()
        p = canvas.data_to_widget(0, 0)
        drag(canvas, line(p, p + QPoint(80, 30), 8), button=Qt.MouseButton.MiddleButton)
        assert snapshot(w) == before
        assert canvas.view.viewRange() != view


def test_erase_click_and_drag_remove_exactly_the_points_under_the_circle(qtbot, make_window, unthrottled):
    w = make_window(three_clusters(80, seed=2))
    canvas = w.lab("em").studio.canvas
    eraser = choose(w, "erase")
    ds = w.lab("em").studio.dataset
    before = snapshot(w)
    pos = canvas.data_to_widget(-4, -2)
    qtbot.mouseClick(canvas.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    centre = widget_to_data(canvas, pos)
    d = distance_to_path_px(ds.X, centre[None, :], canvas.pixel_size())
    assert np.sum(d <= eraser.radius_px - 0.01) > 2
    survivors = {tuple(p) for p in w.lab("em").studio.dataset.X}
    assert {tuple(p) for p in ds.X[d > eraser.radius_px + 0.01]} <= survivors
    assert not {tuple(p) for p in ds.X[d < eraser.radius_px - 0.01]} & survivors
    assert_one_step_undoes_exactly(w, before, "Erase points")

    before, ds = snapshot(w), w.lab("em").studio.dataset
    a, b = canvas.data_to_widget(3, -3), canvas.data_to_widget(5, 1)
    path = drag(canvas, line(a, b, 12))
    d = distance_to_path_px(ds.X, path, canvas.pixel_size())
    survivors = {tuple(p) for p in w.lab("em").studio.dataset.X}
    assert np.sum(d < eraser.radius_px) > 5
    assert {tuple(p) for p in ds.X[d > eraser.radius_px + 0.01]} <= survivors
    assert not {tuple(p) for p in ds.X[d < eraser.radius_px - 0.01]} & survivors
    assert_one_step_undoes_exactly(w, before, "Erase points")


def test_rubber_band_selects_then_dragging_moves_exactly_those_as_one_step(qtbot, make_window, unthrottled):
    w = make_window(three_clusters(60, seed=4))
    canvas = w.lab("em").studio.canvas
    choose(w, "select")
    ds = w.lab("em").studio.dataset
    a, b = pixel_path(canvas, [in_view(canvas, 0.02, 0.03), in_view(canvas, 0.45, 0.45)])
    corners = drag(canvas, line(a, b, 6))
    lo, hi = corners.min(axis=0), corners.max(axis=0)
    expected = np.flatnonzero(np.all((ds.X >= lo) & (ds.X <= hi), axis=1))
    assert expected.size > 20
    np.testing.assert_array_equal(canvas.selection(), expected)

    before = snapshot(w)
    grab = canvas.data_to_widget(*ds.X[expected[0]])
    vp = canvas.plot.viewport()
    moves = line(grab, grab + QPoint(120, -40), 8)
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, moves[0])
    for pos in moves[1:]:
        QApplication.sendEvent(vp, QMouseEvent(QEvent.Type.MouseMove, QPointF(pos), QPointF(vp.mapToGlobal(pos)),
                                               Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton,
                                               Qt.KeyboardModifier.NoModifier))
    assert snapshot(w) == before, "the move is only previewed while dragging"
    delta = widget_to_data(canvas, moves[-1]) - widget_to_data(canvas, moves[0])
    np.testing.assert_allclose(canvas.points.xy[expected], ds.X[expected] + delta)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, moves[-1])
    X = w.lab("em").studio.dataset.X
    np.testing.assert_allclose(X[expected], ds.X[expected] + delta, rtol=0, atol=1e-12)
    others = np.setdiff1d(np.arange(ds.n_points), expected)
    assert X[others].tobytes() == ds.X[others].tobytes()
    np.testing.assert_array_equal(canvas.selection(), expected)  # the selection moves along
    assert_one_step_undoes_exactly(w, before, f"Move {expected.size} points")


@pytest.mark.parametrize("how", ["alt", "option"])
def test_lasso_selects_the_points_inside_the_drawn_path(qtbot, make_window, unthrottled, how):
    w = make_window(three_clusters(60, seed=5))
    canvas = w.lab("em").studio.canvas
    choose(w, "select")
    w.tooling.options.lasso.setChecked(how == "option")
    ds = w.lab("em").studio.dataset
    fractions = [(0.05, 0.05), (0.7, 0.1), (0.45, 0.4), (0.95, 0.8), (0.3, 0.95), (0.1, 0.5)]
    corners = pixel_path(canvas, [in_view(canvas, fx, fy) for fx, fy in fractions])
    pixels = [p for a, b in zip(corners[:-1], corners[1:]) for p in line(a, b, 5)[:-1]] + [corners[-1]]
    mods = Qt.KeyboardModifier.AltModifier if how == "alt" else Qt.KeyboardModifier.NoModifier
    path = drag(canvas, pixels, modifiers=mods)
    expected = ray_cast_inside(ds.X, path)
    assert expected.size > 20
    np.testing.assert_array_equal(canvas.selection(), expected)
    assert not canvas.tool_layer.outline.isVisible()


def test_delete_and_relabel_the_selection_by_key(qtbot, make_window, unthrottled):
    w = make_window(three_clusters(30, seed=6))
    activate(qtbot, w)
    canvas = w.lab("em").studio.canvas
    choose(w, "select")
    ds = w.lab("em").studio.dataset
    sel = np.array([2, 5, 40, 41, 77])
    canvas.set_selection(sel)
    before = snapshot(w)
    qtbot.keyClick(w, Qt.Key.Key_3)  # class 3 (created)
    qtbot.keyClick(w, Qt.Key.Key_L)
    labels = w.lab("em").studio.dataset.labels
    assert np.all(labels[sel] == 2)
    others = np.setdiff1d(np.arange(ds.n_points), sel)
    assert labels[others].tobytes() == ds.labels[others].tobytes()
    assert w.lab("em").studio.store.undo_stack.undoText() == "Relabel 5 points to Class 3"
    w.actions_by_name["undo"].trigger()
    assert w.lab("em").studio.dataset.labels.tobytes() == before[1]
    w.actions_by_name["redo"].trigger()
    before = snapshot(w)
    qtbot.keyClick(w, Qt.Key.Key_Delete)
    X = w.lab("em").studio.dataset.X
    assert X.tobytes() == ds.X[others].tobytes() and canvas.selection().size == 0
    assert_one_step_undoes_exactly(w, before, "Delete 5 points")
    w.actions_by_name["select_all"].trigger()
    assert canvas.selection().size == w.lab("em").studio.dataset.n_points
    qtbot.keyClick(w, Qt.Key.Key_Backspace)
    assert w.lab("em").studio.dataset.n_points == 0


def test_a_new_dataset_of_the_same_size_drops_the_selection(qtbot, make_window):
    w = make_window(three_clusters(30, seed=6))
    canvas = w.lab("em").studio.canvas
    n = w.lab("em").studio.dataset.n_points
    canvas.set_selection([1, 2, 3])
    w.lab("em").studio.store.push(MovePoints([1, 2, 3], w.lab("em").studio.dataset.X[[1, 2, 3]] + 0.5), "Move 3 points")
    np.testing.assert_array_equal(canvas.selection(), [1, 2, 3])  # the moved points are still selected
    w.actions_by_name["undo"].trigger()
    np.testing.assert_array_equal(canvas.selection(), [1, 2, 3])
    canvas.set_selection([5, 6])  # a move of other points, and its undo, keep it too
    w.actions_by_name["redo"].trigger()
    w.actions_by_name["undo"].trigger()
    np.testing.assert_array_equal(canvas.selection(), [5, 6])
    other = three_clusters(30, seed=7)
    assert other.n_points == n
    w.lab("em").studio.store.push(ReplaceDataset(other), "Load data")
    assert canvas.selection().size == 0


@pytest.mark.parametrize("tool", ["put", "brush", "erase", "select"])
def test_only_the_put_tool_lets_a_drag_from_a_mean_handle_move_the_mean(qtbot, make_window, unthrottled, tool):
    """With Put, a drag that starts on a mean's crosshair sets where EM starts;
    with the painting and selecting tools the same drag is theirs (a lecturer
    spraying over a cluster must not grab the mean sitting in it)."""
    w = make_window(three_clusters(30, seed=2), n_components=3)
    first = wait_for_run(qtbot, w)
    canvas = w.lab("em").studio.canvas
    choose(w, tool)
    before, mean = snapshot(w), first.snapshots[0].params.means[0]
    X = w.lab("em").studio.dataset.X
    inward = X[np.linalg.norm(X - mean, axis=1) < 2].mean(axis=0) - mean  # into the mean's cluster
    path = line(canvas.data_to_widget(*mean), canvas.data_to_widget(*(mean + 2.5 * inward / np.linalg.norm(inward))), 8)
    if tool == "put":
        with qtbot.waitSignal(canvas.mean_dragged) as dropped:
            drag(canvas, path)
        i, x, y = dropped.args
        assert i == 0 and np.dot([x, y] - mean, widget_to_data(canvas, path[-1]) - mean) > 0
        history = wait_for_run(qtbot, w)
        assert history is not first and w.lab("em").studio.settings().init == "manual"
        np.testing.assert_array_equal(history.snapshots[0].params.means[0], [x, y])  # EM starts there
        assert snapshot(w) == before  # the data are untouched
        return
    drag(canvas, path)
    if tool == "select":
        assert canvas.selection().size > 0 and snapshot(w) == before
        assert w.lab("em").studio.settings().init == "random" and w.lab("em").studio.fit.history is first
    else:
        assert snapshot(w)[2] != before[2]  # points were sprayed or erased where the mean sits
        assert w.lab("em").studio.settings().init == "random"


def test_changing_the_theme_keeps_the_selection_and_its_rings(qtbot, make_window):
    w = make_window(three_clusters(10, seed=3))
    canvas = w.lab("em").studio.canvas
    canvas.set_selection([1, 2, 3])
    w.presentation.set_theme("dark")
    np.testing.assert_array_equal(canvas.selection(), [1, 2, 3])
    np.testing.assert_array_equal(canvas.points._selected, [1, 2, 3])  # the rings are still drawn
    w.presentation.set_theme("standard")


def test_an_undo_in_the_middle_of_moving_the_selection_ends_the_move(qtbot, make_window, unthrottled):
    """Undoing the brush stroke that made the selected points, while they are
    being dragged, must not move (or crash on) points that are gone."""
    w = make_window(three_clusters(20, seed=8))
    canvas = w.lab("em").studio.canvas
    choose(w, "brush")
    before = snapshot(w)
    a = canvas.data_to_widget(*in_view(canvas, 0.2, 0.8))
    drag(canvas, line(a, a + QPoint(80, 0), 8))
    n = w.lab("em").studio.dataset.n_points
    assert n > before[2]
    choose(w, "select")
    canvas.set_selection(np.arange(before[2], n))  # the sprayed points
    grab = canvas.data_to_widget(*w.lab("em").studio.dataset.X[n - 1])
    vp = canvas.plot.viewport()
    moves = line(grab, grab + QPoint(60, 30), 8)
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, moves[0])

    def move_to(pos):
        QApplication.sendEvent(vp, QMouseEvent(QEvent.Type.MouseMove, QPointF(pos), QPointF(vp.mapToGlobal(pos)),
                                               Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton,
                                               Qt.KeyboardModifier.NoModifier))

    for pos in moves[1:4]:
        move_to(pos)
    assert canvas.tool_layer._previewing
    w.actions_by_name["undo"].trigger()  # the stroke goes, and the selection with it
    assert snapshot(w) == before and canvas.selection().size == 0
    for pos in moves[4:]:
        move_to(pos)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, moves[-1])
    assert snapshot(w) == before
    assert w.lab("em").studio.store.undo_stack.count() == 1 and w.lab("em").studio.store.undo_stack.index() == 0  # no move pushed
    np.testing.assert_array_equal(canvas.points.xy, w.lab("em").studio.dataset.X)  # no preview left on screen


def test_clear_all_is_one_undoable_step(qtbot, make_window):
    w = make_window(three_clusters(20))
    before = snapshot(w)
    w.actions_by_name["clear"].trigger()
    assert w.lab("em").studio.dataset.n_points == 0 and len(w.lab("em").studio.dataset.classes) == 2
    assert_one_step_undoes_exactly(w, before, "Clear all points")


def test_a_long_still_press_is_a_click_and_a_small_wobble_too(qtbot, make_window):
    w = make_window()
    canvas = w.lab("em").studio.canvas
    vp = canvas.plot.viewport()
    p = canvas.data_to_widget(1, 1)
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p)
    qtbot.wait(600)  # pyqtgraph alone would make any move after 0.5 s a drag (a pan)
    QTest.mouseMove(vp, p + QPoint(2, 1))
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p + QPoint(2, 1))
    X = w.lab("em").studio.dataset.X
    assert X.shape == (1, 2)
    np.testing.assert_allclose(X[0], widget_to_data(canvas, p))  # where the button went down


def test_adding_and_removing_points_keeps_the_view(qtbot, make_window):
    w = make_window(three_clusters(10))
    view = w.lab("em").studio.canvas.view.viewRange()
    w.actions_by_name["clear"].trigger()
    w.actions_by_name["undo"].trigger()
    w.lab("em").studio.store.push(AddPoints([[500.0, -800.0]], [0]), "Add point")
    assert w.lab("em").studio.canvas.view.viewRange() == view  # the far point is kept, not shown
    assert w.lab("em").studio.dataset.X[-1].tolist() == [500.0, -800.0]
    w.actions_by_name["fit_view"].trigger()
    assert w.lab("em").studio.canvas.view.viewRange() != view


@pytest.mark.slow  # a scenario of several seconds of real time; CI runs it
def test_a_long_stroke_starts_one_run_after_it_not_one_per_dab(qtbot, make_window):
    """Restarts are debounced and held while a gesture lasts: a 1.2 s stroke at 100 moves/s,
    with a pause longer than the debounce in the middle, starts no run until it ends."""
    from gmmviz.labs.em.qt.studio import RESTART_DELAY_MS

    w = make_window(three_clusters(40))
    canvas, fit = w.lab("em").studio.canvas, w.lab("em").studio.fit
    choose(w, "brush")
    starts = []
    fit_start = fit.start_run
    fit.start_run = lambda *a, **k: (starts.append(QTest), fit_start(*a, **k))
    vp = canvas.plot.viewport()
    p = canvas.data_to_widget(*in_view(canvas, 0.05, 0.4))
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p)
    for i in range(1, 121):
        QTest.mouseMove(vp, p + QPoint(3 * i, round(30 * np.sin(i / 8))))
        qtbot.wait(3 * RESTART_DELAY_MS if i == 60 else 10)  # holding still half-way
    assert w.lab("em").studio.canvas.in_gesture()
    assert starts == [], "EM restarted during the stroke"
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p + QPoint(360, 0))
    qtbot.waitUntil(lambda: len(starts) == 1, timeout=5 * RESTART_DELAY_MS)
    qtbot.wait(2 * RESTART_DELAY_MS)
    assert len(starts) == 1
    assert w.lab("em").studio.store.undo_stack.count() == 1


def test_history_window_lists_the_steps_and_jumps_back(qtbot, make_window):
    w = make_window()
    canvas = w.lab("em").studio.canvas
    for x in (1.0, 2.0, 3.0):
        qtbot.mouseClick(canvas.plot.viewport(), Qt.MouseButton.LeftButton, pos=canvas.data_to_widget(x, 0))
    w.actions_by_name["history"].trigger()
    dialog = w.tooling.history
    assert dialog.isVisible()
    model = dialog.view.model()
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Start"] + ["Add point"] * 3
    dialog.view.setCurrentIndex(model.index(1, 0))
    assert w.lab("em").studio.dataset.n_points == 1
    w.actions_by_name["history"].trigger()
    assert w.tooling.history is dialog
    dialog.close()


def test_the_tools_are_greyed_out_in_a_lab_without_points_to_edit(qtbot, make_window):
    """The graphs lab draws no points: the Tools toolbar and its one-key shortcuts rest there."""
    w = make_window(three_clusters())
    tools = [w.actions_by_name[f"tool_{name}"] for name in ("put", "brush", "erase", "select")]
    w.show_lab("graphs")
    assert not w.tooling.toolbar.isEnabled() and not any(a.isEnabled() for a in tools)
    activate(qtbot, w)
    qtbot.keyClick(w, Qt.Key.Key_B)  # the brush's key does nothing here
    assert w.tooling.tool is w.tooling.tools["put"]
    w.show_lab("classify")  # a lab that draws the points takes the tools
    assert w.tooling.toolbar.isEnabled() and all(a.isEnabled() for a in tools)
    w.show_lab("em")
    assert w.tooling.toolbar.isEnabled() and all(a.isEnabled() for a in tools)
