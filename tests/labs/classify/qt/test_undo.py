"""The classification lab's model settings are undoable, on the one history the points have."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionSlider

from .conftest import activate
from .test_lab import click, open_lab, two_classes, wait_frame


def ctrl_z(qtbot, w, shift=False):
    mods = Qt.KeyboardModifier.ControlModifier | (Qt.KeyboardModifier.ShiftModifier if shift else
                                                  Qt.KeyboardModifier.NoModifier)
    qtbot.keyClick(w, Qt.Key.Key_Z, mods)


def choose_model(page, key: str) -> None:
    box = page.settings_panel.model
    box.setCurrentIndex(box.findData(key))  # as the user's pick in the combo box


def test_point_edits_and_model_changes_are_undone_in_reverse_order(qtbot, make_window):
    w, _lab, page = open_lab(qtbot, make_window, two_classes())
    wait_frame(qtbot, page)
    activate(qtbot, w)
    n0, stack = w.points.document.n_points, w.points.undo_stack
    count = stack.count()
    click(qtbot, page.canvas, -3, 2)  # paint a point
    choose_model(page, "qda")  # change the model
    click(qtbot, page.canvas, 3, -2)  # paint another
    assert (w.points.document.n_points, page.settings().model) == (n0 + 2, "qda")
    assert stack.count() == count + 3
    assert [stack.text(i) for i in range(count, count + 3)][1] == "Model: QDA (full covariance)"
    ctrl_z(qtbot, w)
    assert (w.points.document.n_points, page.settings().model) == (n0 + 1, "qda")
    ctrl_z(qtbot, w)
    assert (w.points.document.n_points, page.settings().model) == (n0 + 1, "nb")
    assert page.settings_panel.model.currentData() == "nb"  # the chooser shows the document
    ctrl_z(qtbot, w)
    assert (w.points.document.n_points, page.settings().model) == (n0, "nb")
    ctrl_z(qtbot, w, shift=True)
    ctrl_z(qtbot, w, shift=True)
    assert (w.points.document.n_points, page.settings().model) == (n0 + 1, "qda")
    assert w.actions_by_name["cls_model_qda"].isChecked()
    wait_frame(qtbot, page, lambda f: f.model.kind == "qda" and f.train.size == n0 + 1)


@pytest.mark.parametrize("field, edit, value", [
    ("covariance_type", lambda p: p.settings_panel.covariance.setCurrentIndex(
        p.settings_panel.covariance.findData("diag")), "diag"),
    ("test_size", lambda p: p.settings_panel.test_size.setValue(0.25), 0.25),
    ("seed", lambda p: p.settings_panel.seed.setValue(5), 5),
    ("reg_covar", lambda p: (p.settings_panel.reg_covar.setText("0.5"),
                             p.settings_panel.reg_covar.editingFinished.emit()), 0.5),
    ("n_components", lambda p: p.priors.rows[1][1].setValue(3), (2, 3, 2)),
])
def test_every_setting_is_one_undo_step(qtbot, make_window, field, edit, value):
    w, _lab, page = open_lab(qtbot, make_window, two_classes())
    page.with_settings(model="gmm")
    before, count = page.settings(), w.points.undo_stack.count()
    edit(page)
    assert getattr(page.settings(), field) == value and w.points.undo_stack.count() == count + 1
    w.actions_by_name["undo"].trigger()
    assert page.settings() == before
    assert page.settings_panel.test_size.value() == before.test_size
    assert page.priors.rows[1][1].value() == before.k_for(1)


def test_resplit_is_undoable(qtbot, make_window):
    w, _lab, page = open_lab(qtbot, make_window, two_classes())
    page.settings_panel.test_size.setValue(0.3)
    first = wait_frame(qtbot, page, lambda f: f.test.size > 0)
    w.actions_by_name["cls_resplit"].trigger()
    wait_frame(qtbot, page, lambda f: not np.array_equal(f.test, first.test))
    w.actions_by_name["undo"].trigger()
    assert page.settings().seed == 0
    wait_frame(qtbot, page, lambda f: np.array_equal(f.test, first.test))


def _handle_centre(slider) -> QPoint:
    opt = QStyleOptionSlider()
    slider.initStyleOption(opt)
    rect = slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                         QStyle.SubControl.SC_SliderHandle, slider)
    return rect.center()


def _mouse(slider, kind, pos: QPoint, buttons) -> None:
    event = QMouseEvent(kind, QPointF(pos), QPointF(slider.mapToGlobal(pos)), Qt.MouseButton.LeftButton,
                        buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(slider, event)


def drag_slider(slider, dx_steps) -> None:
    """Press the handle, move it by each of ``dx_steps`` pixels in turn, release."""
    start = _handle_centre(slider)
    left = Qt.MouseButton.LeftButton
    _mouse(slider, QMouseEvent.Type.MouseButtonPress, start, left)
    pos = start
    for dx in dx_steps:
        pos = QPoint(start.x() + dx, start.y())
        _mouse(slider, QMouseEvent.Type.MouseMove, pos, left)
    _mouse(slider, QMouseEvent.Type.MouseButtonRelease, pos, Qt.MouseButton.NoButton)


def test_a_prior_slider_drag_is_one_undo_step_and_undo_restores_the_boundary(qtbot, make_window):
    w, _lab, page = open_lab(qtbot, make_window, two_classes())
    before = wait_frame(qtbot, page)
    slider, stack = page.priors.rows[0][2], w.points.undo_stack
    slider.resize(300, slider.sizeHint().height())
    count = stack.count()
    seen = []
    page.model_store.changed.connect(lambda doc: seen.append(doc.priors))
    drag_slider(slider, (10, 25, 40, 60, 80))
    assert len(seen) >= 4 and len(set(seen)) >= 4  # the boundary moved all along the drag
    assert stack.count() == count + 1, "one drag, one undo step"
    moved = page.chosen_priors()
    assert moved is not None and moved[0] > 0.6 and sum(moved) == pytest.approx(1.0)
    after = wait_frame(qtbot, page, lambda f: abs(f.model.priors[0] - moved[0]) < 1e-9)
    assert after.fitted is before.fitted  # a prior needs no refit
    w.actions_by_name["undo"].trigger()
    assert page.chosen_priors() is None and slider.value() == 500
    back = wait_frame(qtbot, page, lambda f: abs(f.model.priors[0] - 0.5) < 1e-9)
    np.testing.assert_allclose(back.boundary[0], before.boundary[0], equal_nan=True)
    np.testing.assert_allclose(back.boundary[1], before.boundary[1], equal_nan=True)


def test_undoing_a_model_change_refits_the_old_boundary(qtbot, make_window):
    rng = np.random.default_rng(4)
    ds = two_classes()
    X = ds.X.copy()
    X[:40] = rng.normal([-2, 0], [0.4, 2.5], (40, 2))  # one class narrow and tall: QDA's boundary curves
    from gmmviz.core.data import Dataset

    w, _lab, page = open_lab(qtbot, make_window, Dataset(X, ds.labels, ds.classes))
    before = wait_frame(qtbot, page)
    choose_model(page, "qda")
    qda = wait_frame(qtbot, page, lambda f: f.model.kind == "qda")
    assert qda.boundary[0].size != before.boundary[0].size or not np.allclose(
        qda.boundary[0], before.boundary[0], equal_nan=True)
    w.actions_by_name["undo"].trigger()
    back = wait_frame(qtbot, page, lambda f: f.model.kind == "nb")
    assert back is not before  # refitted, not kept
    np.testing.assert_allclose(back.boundary[0], before.boundary[0], equal_nan=True)
    np.testing.assert_allclose(back.boundary[1], before.boundary[1], equal_nan=True)


def test_reset_priors_is_undoable(qtbot, make_window):
    w, _lab, page = open_lab(qtbot, make_window, two_classes())
    wait_frame(qtbot, page)
    page.priors.rows[1][2].setValue(800)
    chosen = page.chosen_priors()
    assert chosen == pytest.approx((0.2, 0.8))
    qtbot.mouseClick(page.priors.reset, Qt.MouseButton.LeftButton)
    assert page.chosen_priors() is None and not page.priors.reset.isEnabled()
    w.actions_by_name["undo"].trigger()
    assert page.chosen_priors() == chosen and page.priors.rows[1][3].text() == "0.800"


def test_a_session_part_is_no_undo_step_and_keeps_the_points_history(qtbot, make_window):
    w, lab, page = open_lab(qtbot, make_window, two_classes())
    activate(qtbot, w)
    click(qtbot, page.canvas, 0, 3)
    page.with_settings(model="lda")
    count = w.points.undo_stack.count()
    lab.apply_session_part({"model": "qda", "seed": 3, "priors": [0.3, 0.7]})
    assert w.points.undo_stack.count() == count  # no new step
    assert page.settings().model == "qda" and page.chosen_priors() == pytest.approx((0.3, 0.7))
    assert page.settings_panel.model.currentData() == "qda"
    n = w.points.document.n_points
    w.actions_by_name["undo"].trigger()  # the lda step is of the settings before: it is dropped
    assert page.settings().model == "qda"
    w.actions_by_name["undo"].trigger()  # the point is still undoable
    assert w.points.document.n_points == n - 1


def test_priors_follow_their_classes(qtbot, make_window):
    """Priors chosen for two classes are not applied to others; undo brings them back with their class."""
    from gmmviz.core.commands import AddPoints

    w, _lab, page = open_lab(qtbot, make_window, two_classes())
    page.set_prior(0, 0.3)
    assert page.chosen_priors() == pytest.approx((0.3, 0.7))
    w.points.push(AddPoints(np.array([[0.0, 5.0]]), [2]), "Add point")  # a third class
    assert page.chosen_priors() is None and page.request().priors is None
    w.actions_by_name["undo"].trigger()
    assert page.chosen_priors() == pytest.approx((0.3, 0.7))


def test_an_undo_in_another_tab_brings_the_changed_settings_forward(qtbot, make_window):
    """The settings share the points' history: Ctrl+Z in the EM studio that undoes a classification
    setting shows the classification tab (and says so) instead of changing it out of sight."""
    w, lab, page = open_lab(qtbot, make_window, two_classes())
    wait_frame(qtbot, page)
    activate(qtbot, w)
    choose_model(page, "qda")
    w.show_lab("em")
    assert w.current_lab is not lab
    activate(qtbot, w)
    ctrl_z(qtbot, w)
    qtbot.waitUntil(lambda: w.current_lab is lab)
    assert page.settings().model == "nb" and page.settings_panel.model.currentData() == "nb"
    assert "Undid" in w.statusBar().currentMessage() and "Classification" in w.statusBar().currentMessage()
    ctrl_z(qtbot, w, shift=True)  # now in its own tab: the redo stays here
    assert page.settings().model == "qda" and w.current_lab is lab
    # a point edit undone from another tab is the points' (every points lab shows them): no switch
    click(qtbot, page.canvas, -3, 2)
    w.show_lab("em")
    studio = w.current_lab
    activate(qtbot, w)
    ctrl_z(qtbot, w)
    assert w.current_lab is studio
