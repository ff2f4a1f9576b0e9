"""Class management through the real window: add, rename, recolour, remove (all undoable)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QLineEdit, QMessageBox

from .conftest import three_clusters


def same(a, b) -> bool:
    return a.same_as(b) and a.X.tobytes() == b.X.tobytes() and a.labels.tobytes() == b.labels.tobytes()


@pytest.fixture
def no_dialogs(monkeypatch):
    """Fail loudly if a dialog would block the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("an unexpected dialog was opened")

    monkeypatch.setattr(QMessageBox, "question", refuse)
    monkeypatch.setattr(QColorDialog, "getColor", refuse)


def test_add_button_adds_a_class_with_the_next_colour_and_selects_it(qtbot, make_window, no_dialogs):
    w = make_window(three_clusters(5))
    panel = w.lab("em").studio.classes
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    classes = w.lab("em").studio.dataset.classes
    assert len(classes) == 3 and classes[2].name == "Class 3"
    assert len({c.color for c in classes}) == 3
    assert panel.current == 2 and w.lab("em").studio.canvas.current_class() == 2
    w.actions_by_name["undo"].trigger()
    assert len(w.lab("em").studio.dataset.classes) == 2


def test_rename_in_place_edits_just_the_name_and_undoes(qtbot, make_window, no_dialogs):
    w = make_window(three_clusters(5))
    before = w.lab("em").studio.dataset
    panel = w.lab("em").studio.classes
    panel.list.editItem(panel.list.item(1))
    editor = panel.list.findChild(QLineEdit)
    assert editor is not None and editor.text() == "Class 2"  # not "Class 2  (10)"
    editor.setText("  Versicolor ")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.lab("em").studio.dataset is not before)  # the edit commits from the event loop
    ds = w.lab("em").studio.dataset
    assert [c.name for c in ds.classes] == ["Class 1", "Versicolor"]
    assert ds.classes[1].color == before.classes[1].color
    assert panel.list.item(1).text() == "Versicolor  (10)"
    assert w.lab("em").studio.store.undo_stack.undoText() == "Rename Class 2 to Versicolor"
    w.actions_by_name["undo"].trigger()
    assert same(w.lab("em").studio.dataset, before)


def test_a_blank_rename_is_ignored(qtbot, make_window, no_dialogs):
    w = make_window(three_clusters(5))
    count = w.lab("em").studio.store.undo_stack.count()
    w.tooling.classes.rename(0, "   ")
    w.tooling.classes.rename(0, "Class 1")
    assert w.lab("em").studio.store.undo_stack.count() == count


def test_recolour_from_the_context_menu_asks_qcolordialog_and_undoes(qtbot, make_window, monkeypatch):
    w = make_window(three_clusters(5))
    before = w.lab("em").studio.dataset
    asked = []

    def get_color(initial, parent=None, title="", *args):
        asked.append((initial.name(), title))
        return QColor("#123456")

    monkeypatch.setattr(QColorDialog, "getColor", get_color)
    menu = w.lab("em").studio.classes.context_menu_for(1)
    assert [a.text() for a in menu.actions()] == ["Rename", "Recolour…", "Remove…"]
    menu.actions()[1].trigger()
    assert asked == [(before.classes[1].color.lower(), "Colour of Class 2")]
    classes = w.lab("em").studio.dataset.classes
    assert classes[1].color == "#123456" and classes[0] == before.classes[0]
    outline = w.lab("em").studio.canvas.points.outline[w.lab("em").studio.dataset.labels == 1]
    assert (outline == [0x12, 0x34, 0x56]).all()  # the points' rims take the new colour
    w.actions_by_name["undo"].trigger()
    assert same(w.lab("em").studio.dataset, before)


def test_cancelling_the_colour_dialog_changes_nothing(qtbot, make_window, monkeypatch):
    w = make_window(three_clusters(5))
    before = w.lab("em").studio.dataset
    asked = []
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: asked.append(a) or QColor())  # invalid = Cancel
    w.actions_by_name["recolour_class"].trigger()
    assert len(asked) == 1, "the colour dialog was not opened exactly once"
    assert w.lab("em").studio.dataset is before and w.lab("em").studio.store.undo_stack.count() == 0


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
def test_removing_a_class_with_points_asks_first(qtbot, make_window, monkeypatch, answer):
    w = make_window(three_clusters(7))
    before = w.lab("em").studio.dataset
    questions = []

    def question(parent, title, text, *args):
        questions.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    w.lab("em").studio.classes.set_current(0)
    qtbot.mouseClick(w.lab("em").studio.classes.remove_button, Qt.MouseButton.LeftButton)
    assert len(questions) == 1 and "Class 1" in questions[0] and "7 points" in questions[0]
    if answer == QMessageBox.StandardButton.No:
        assert w.lab("em").studio.dataset is before
        return
    ds = w.lab("em").studio.dataset
    assert [c.name for c in ds.classes] == ["Class 2"]
    assert ds.n_points == 14 and (ds.labels == 0).all()
    assert ds.X.tobytes() == before.X[before.labels == 1].tobytes()
    assert w.lab("em").studio.store.undo_stack.undoText() == "Remove class Class 1"
    w.actions_by_name["undo"].trigger()
    assert same(w.lab("em").studio.dataset, before)
    w.actions_by_name["redo"].trigger()
    assert same(w.lab("em").studio.dataset, ds)


def test_removing_an_empty_class_does_not_ask_and_keeps_the_painting_class(qtbot, make_window, no_dialogs):
    w = make_window(three_clusters(5))
    w.tooling.choose_class(3)  # classes 3 and 4 are created, empty; 4 is current
    assert len(w.lab("em").studio.dataset.classes) == 4 and w.lab("em").studio.classes.current == 3
    assert w.tooling.classes.remove(2)
    ds = w.lab("em").studio.dataset
    assert [c.name for c in ds.classes] == ["Class 1", "Class 2", "Class 4"]
    assert w.lab("em").studio.classes.current == 2 and w.lab("em").studio.canvas.current_class() == 2


def test_the_last_class_cannot_be_removed(qtbot, make_window, no_dialogs):
    from gmmviz.core.commands import empty_dataset

    w = make_window(empty_dataset(1))
    assert not w.lab("em").studio.classes.remove_button.isEnabled()
    assert not w.tooling.classes.remove(0)
    assert not w.lab("em").studio.classes.context_menu_for(0).actions()[2].isEnabled()
    assert len(w.lab("em").studio.dataset.classes) == 1


def test_the_brush_cursor_takes_the_colour_of_the_current_class(qtbot, make_window, no_dialogs):
    w = make_window(three_clusters(5))
    w.actions_by_name["tool_brush"].trigger()
    images = []
    for i in (0, 1):
        w.lab("em").studio.classes.set_current(i)
        images.append(w.lab("em").studio.canvas.view.cursor().pixmap().toImage())
    assert images[0] != images[1]
