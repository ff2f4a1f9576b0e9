"""The Data menu driven through the real window (pytest-qt, offscreen)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from gmmviz.core import datasets
from gmmviz.core.commands import AddPoints
from gmmviz.core.errors import GmmvizError
from gmmviz.labs.em.core.presets import PRESETS, make_preset, mixture_from_rows
from gmmviz.labs.em.core.scenes import SCENES, build_scene
from gmmviz.labs.em.qt.sources.generate import GenerateDialog

from .conftest import three_clusters, wait_for_run

SOURCES = {
    **{f"preset_{p.key}": p.n_points for p in PRESETS},
    "dataset_faithful": 272,
    "dataset_iris": 150,
    "dataset_wine": 178,
    **{f"scene_{s.key.replace('-', '_')}": None for s in SCENES},
}


def answer(window, monkeypatch, fill):
    """Make the next dialog of the Data menu run ``fill(dialog)`` and return its verdict."""
    seen = []

    def fake_exec(dialog):
        seen.append(dialog)
        return bool(fill(dialog))

    monkeypatch.setattr(window.lab("em").sources, "exec_dialog", fake_exec)
    return seen


def in_view(window) -> bool:
    (x0, x1), (y0, y1) = window.lab("em").studio.canvas.view.viewRange()
    X = window.lab("em").studio.dataset.X
    return bool(np.all((X[:, 0] >= x0) & (X[:, 0] <= x1) & (X[:, 1] >= y0) & (X[:, 1] <= y1)))


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_each_source_loads_in_one_undo_step_and_undo_restores_exactly(qtbot, make_window, name):
    w = make_window(three_clusters())
    store, stack = w.lab("em").studio.store, w.lab("em").studio.store.undo_stack
    before = store.document
    w.actions_by_name[name].trigger()
    loaded = store.document
    assert loaded is not before and stack.count() == 1
    expected = SOURCES[name] or build_scene(name[len("scene_"):].replace("_", "-")).data.dataset.n_points
    assert loaded.n_points == expected
    assert in_view(w), "the view is fitted to the new points"
    hist = wait_for_run(qtbot, w)
    assert hist.X.shape == loaded.X.shape and np.array_equal(hist.X, loaded.X), "EM restarted on the new data"
    w.actions_by_name["undo"].trigger()
    assert store.document is before and store.document.same_as(three_clusters())
    w.actions_by_name["redo"].trigger()
    assert store.document.same_as(loaded)


def test_data_menu_has_the_submenus_and_toggles(make_window):
    w = make_window()
    menu = w.lab("em").sources._data_menu()
    texts = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
    assert texts == ["Generate from Mixture…", "Presets", "Datasets", "Lecture Scenes", "Show True Mixture",
                     "Show Lesson Note"]
    scenes = [a.text() for a in w.lab("em").sources.submenus["scene"].actions()]
    assert len(scenes) == len(SCENES) and scenes[0].startswith("&1 ")
    assert w.actions_by_name["generate"].shortcut().toString() == "Ctrl+G"


def type_mixture(dialog: GenerateDialog, rows, n_points: int, seed: int) -> None:
    dialog.k.setValue(len(rows))
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            dialog.set_cell(i, j, text)
    dialog.n_points.setValue(n_points)
    dialog.seed.setValue(seed)


def test_generate_dialog_samples_typed_parameters_labelled_by_component(qtbot, make_window, monkeypatch):
    w = make_window(three_clusters())
    rows = [["3", "-6", "0", "0.5", "0.5", "0"], ["1", "6", "1", "0.4", "0.8", "0.5"]]

    def fill(dialog):
        type_mixture(dialog, rows, 800, 5)
        assert dialog.ok.isEnabled(), dialog.message.text()
        assert "0.750, 0.250" in dialog.message.text() and "normalised" in dialog.message.text()
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        return dialog.result() == dialog.DialogCode.Accepted

    seen = answer(w, monkeypatch, fill)
    w.actions_by_name["generate"].trigger()
    assert seen
    ds = w.lab("em").studio.dataset
    assert ds.n_points == 800 and [c.name for c in ds.classes] == ["Component 1", "Component 2"]
    assert abs(np.mean(ds.labels == 0) - 0.75) < 0.06
    np.testing.assert_allclose(ds.X[ds.labels == 0].mean(axis=0), [-6, 0], atol=0.15)
    np.testing.assert_allclose(ds.X[ds.labels == 1].mean(axis=0), [6, 1], atol=0.15)
    truth = w.lab("em").sources.truth
    np.testing.assert_allclose(truth.weights, [0.75, 0.25])
    assert w.actions_by_name["show_truth"].isChecked()
    assert w.lab("em").studio.canvas.truth.params is truth and w.lab("em").studio.canvas.truth.curve(0, 1).isVisible()
    assert w.lab("em").studio.store.undo_stack.count() == 1


@pytest.mark.parametrize(("cell", "text", "message"), [
    ((1, 5), "1.5", "Component 2: the correlation ρ must lie strictly between −1 and 1"),
    ((0, 3), "0", "Component 1: σx must be > 0"),
    ((1, 0), "-2", "Component 2: the weight must be ≥ 0"),
    ((0, 2), "abc", "Component 1: μy must be a number, got 'abc'"),
])
def test_generate_dialog_refuses_invalid_parameters_and_nothing_changes(qtbot, make_window, monkeypatch,
                                                                         cell, text, message):
    w = make_window(three_clusters())
    before = w.lab("em").studio.dataset

    def fill(dialog):
        dialog.set_cell(*cell, text)
        assert message in dialog.message.text()
        assert not dialog.ok.isEnabled()
        dialog.accept()  # e.g. Enter pressed: refused, the dialog stays open
        assert dialog.result() != dialog.DialogCode.Accepted
        item = dialog.table.item(*cell)
        assert item.background().color().name() == "#f8c9c2", "the bad cell is marked"
        return False

    seen = answer(w, monkeypatch, fill)
    w.actions_by_name["generate"].trigger()
    assert seen and w.lab("em").studio.dataset is before and w.lab("em").studio.store.undo_stack.count() == 0


def drag(widget, start, end, steps: int = 6) -> None:
    """A real press-move-release with the left button held (QTest's moves carry no buttons)."""
    vp = widget.viewport()
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton

    def send(kind, pos, button, buttons):
        p = QPointF(pos)
        event = QMouseEvent(kind, p, vp.mapToGlobal(p), button, buttons, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(vp, event)

    send(QEvent.Type.MouseButtonPress, start, left, left)
    for t in np.linspace(0, 1, steps + 1)[1:]:
        send(QEvent.Type.MouseMove, start + (end - start) * float(t), none, left)
    send(QEvent.Type.MouseButtonRelease, end, left, none)


def test_dragging_a_mean_and_an_axis_handle_edits_the_table(qtbot):
    from gmmviz.app import make_app

    make_app()
    dialog = GenerateDialog(mixture_from_rows([[1, 0, 0, 1, 1, 0]]), 300, 0)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    ed = dialog.editor
    ed.getViewBox().setRange(xRange=(-4, 4), yRange=(-4, 4), padding=0)
    qtbot.wait(20)
    drag(ed, ed.data_to_widget(0, 0), ed.data_to_widget(1.0, -0.5))
    mx, my = (float(dialog.table.item(0, j).text()) for j in (1, 2))
    assert abs(mx - 1.0) < 0.1 and abs(my + 0.5) < 0.1
    qtbot.wait(QApplication.doubleClickInterval() + 50)  # two quick presses would be a double click
    # the first axis end sits on the 2σ circle at (mx + 2, my); pull it out to 3 units along 45°
    end = ed.handle(0, 1).pos()
    target = np.array([mx, my]) + 3.0 * np.array([1, 1]) / np.sqrt(2)
    drag(ed, ed.data_to_widget(end.x(), end.y()), ed.data_to_widget(*target))
    sx, sy, rho = (float(dialog.table.item(0, j).text()) for j in (3, 4, 5))
    assert rho > 0.3, "the ellipse turned towards 45°"
    assert sx > 1.05 and sy > 1.05, "the dragged axis got longer"
    assert dialog.ok.isEnabled()


def test_truth_overlay_follows_the_data_and_the_toggle(qtbot, make_window):
    w = make_window(three_clusters())
    a, truth_view = w.actions_by_name, w.lab("em").studio.canvas.truth
    assert not a["show_truth"].isEnabled(), "clicked points have no true mixture"
    a["preset_blobs"].trigger()
    assert a["show_truth"].isEnabled() and truth_view.params is None
    a["show_truth"].setChecked(True)
    assert truth_view.params is w.lab("em").sources.truth and truth_view.curve(0, 1).isVisible()
    a["show_truth"].setChecked(False)
    assert truth_view.params is None and not truth_view.curve(0, 1).isVisible()
    a["show_truth"].setChecked(True)
    w.lab("em").studio.canvas.push(AddPoints([[0, 0]], [0]), "Add point")
    assert truth_view.params is not None, "an edit of sampled points keeps their truth"
    a["dataset_faithful"].trigger()
    assert truth_view.params is None and not a["show_truth"].isEnabled()
    bottom = w.lab("em").studio.canvas.plot.getPlotItem().getAxis("bottom")
    assert bottom.label.isVisible() and "eruption" in bottom.labelText
    a["undo"].trigger()
    assert truth_view.params is w.lab("em").sources.truth is not None and a["show_truth"].isEnabled()
    assert not bottom.label.isVisible(), "sampled points have no named axes"


def test_an_opened_file_has_no_truth_and_ends_the_scene(qtbot, make_window, tmp_path):
    """A CSV whose default class looks like the scene's classes is still not an
    edit of the scene: no truth overlay, and the settings it was opened with stay."""
    path = tmp_path / "points.csv"
    path.write_text("".join(f"{x},{y}\n" for x, y in three_clusters(10).X))
    w = make_window(three_clusters())
    w.actions_by_name["scene_overlapping"].trigger()
    assert w.lab("em").sources.truth is not None
    assert w.open_path(str(path))
    assert w.lab("em").sources.truth is None and not w.actions_by_name["show_truth"].isEnabled()
    assert w.lab("em").studio.canvas.truth.params is None and w.lab("em").sources.note.note_text() == ""
    mine = w.lab("em").studio.settings()
    w.lab("em").studio.model_panel.set_settings(replace(mine, n_components=mine.n_components + 2))
    w.actions_by_name["preset_blobs"].trigger()
    assert w.lab("em").studio.settings().n_components == mine.n_components + 2  # not the pre-scene settings


def test_a_scene_applies_its_settings_starts_its_run_and_shows_its_note(qtbot, make_window):
    w = make_window(three_clusters(), n_components=4, reg_covar=1e-3)
    own = w.lab("em").studio.settings()
    scene = build_scene("collapse")
    w.actions_by_name["scene_collapse"].trigger()
    s = w.lab("em").studio.settings()
    assert (s.n_components, s.covariance_type, s.init, s.reg_covar) == (3, "full", "manual", 0.0)
    note = w.lab("em").sources.note
    assert note is w.lab("em").studio.banner  # one strip above the canvas
    assert note.isVisible() and note.note_text() == scene.note and note.note_title == scene.title
    hist = wait_for_run(qtbot, w)
    np.testing.assert_allclose(hist.snapshots[0].params.means, scene.config.init_params.means)
    last = hist.snapshots[-1]
    assert last.collapse is not None and "point" in last.collapse.kinds
    # the collapse warning and the note share one box: the warning in front, the note one click away
    playback = w.lab("em").studio.playback
    playback.set_speed(30)
    with qtbot.waitSignal(playback.stopped, timeout=20000):
        playback.play()
    assert note.kind == "warning" and note.more_button.isVisibleTo(note)
    height = note.height()
    qtbot.mouseClick(note.more_button, Qt.MouseButton.LeftButton)
    assert note.showing == "note" and scene.title in note.label.text() and note.more_button.isVisibleTo(note)
    qtbot.mouseClick(note.close_button, Qt.MouseButton.LeftButton)
    assert note.note_text() == "" and not w.actions_by_name["show_note"].isChecked()
    assert note.showing == "message" and not note.more_button.isVisibleTo(note)  # the warning is still to be read
    assert note.height() <= height + 2
    w.actions_by_name["show_note"].trigger()
    assert note.showing == "note" and note.note_text() == scene.note
    w.actions_by_name["scene_too_many"].trigger()  # from scene to scene
    assert w.lab("em").studio.settings().n_components == 6
    w.actions_by_name["preset_moons"].trigger()
    assert note.note_text() == "" and not w.actions_by_name["show_note"].isEnabled()
    assert w.lab("em").studio.settings() == own, "other data: the lecturer's own settings come back"
    w.actions_by_name["undo"].trigger()
    w.actions_by_name["undo"].trigger()
    assert note.isVisible() and note.note_text() == scene.note


def test_scene_k_too_large_sets_k_and_seeded_init(qtbot, make_window):
    w = make_window()
    w.actions_by_name["scene_too_many"].trigger()
    s = w.lab("em").studio.settings()
    assert (s.n_components, s.init, s.seed) == (6, "kmeans++", 0)
    assert wait_for_run(qtbot, w).snapshots[-1].params.n_components == 6


def test_preset_dialog_uses_the_chosen_n_and_seed_and_enter_loads(qtbot, make_window, monkeypatch):
    w = make_window()

    def fill(dialog):
        dialog.preset.setCurrentIndex(dialog.preset.findData("moons"))
        dialog.n_points.setValue(77)
        dialog.seed.setValue(3)
        dialog.show()
        qtbot.keyClick(dialog.seed, Qt.Key.Key_Return)  # Enter means Load
        return dialog.result() == dialog.DialogCode.Accepted

    answer(w, monkeypatch, fill)
    w.actions_by_name["preset_custom"].trigger()
    assert w.lab("em").studio.dataset.same_as(make_preset("moons", 77, 3).dataset)


def test_features_dialog_loads_the_chosen_pair_and_refuses_the_same_twice(make_window, monkeypatch):
    w = make_window()

    def fill(dialog):
        dialog.x.setCurrentText("sepal width")
        dialog.y.setCurrentText("sepal width")
        assert not dialog.ok.isEnabled() and "two different" in dialog.message.text()
        dialog.y.setCurrentText("sepal length")
        return dialog.ok.isEnabled()

    answer(w, monkeypatch, fill)
    w.actions_by_name["dataset_iris_features"].trigger()
    assert w.lab("em").studio.dataset.same_as(datasets.iris("sepal width", "sepal length").dataset)


def test_a_missing_dataset_is_reported_and_nothing_changes(make_window, monkeypatch):
    w = make_window(three_clusters())
    before = w.lab("em").studio.dataset
    messages = []

    def broken(*parts):
        raise GmmvizError("cannot read wine_data.csv: the installation is damaged")

    monkeypatch.setattr(datasets, "read_bytes", broken)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: messages.append(text))
    w.actions_by_name["dataset_wine"].trigger()
    assert messages and "damaged" in messages[0]
    assert w.lab("em").studio.dataset is before and w.lab("em").studio.store.undo_stack.count() == 0


def test_generating_from_a_mixture_of_other_k_offers_that_k(qtbot, make_window):
    from gmmviz.labs.em.core.presets import mixture_from_rows

    w = make_window(n_components=2)
    studio = w.lab("em").studio
    truth = mixture_from_rows([[1, -4, 0, 1, 1, 0], [1, 4, 0, 1, 1, 0], [1, 0, 5, 1, 1, 0]])
    w.lab("em").sources.generate(truth, 300, 1)
    assert studio.settings().n_components == 3  # the default answer: yes
    history = wait_for_run(qtbot, w)
    assert history.config.n_components == 3 and studio.dataset.n_points == 300


def test_a_scene_is_a_new_unnamed_unmodified_document_titled_after_it(qtbot, make_window, tmp_path):
    w = make_window(three_clusters())
    assert w.files.write(str(tmp_path / "mine.gmmviz"))
    w.lab("em").sources.load_scene("collapse")
    assert w.windowTitle().startswith("Collapse onto a Point") and not w.isWindowModified()
    assert w.files.path is None  # Save asks for a name: the scene is no one's file


def test_loading_a_preset_over_clicked_points_says_how_to_get_them_back(qtbot, make_window):
    w = make_window(three_clusters(10))
    studio = w.lab("em").studio
    before = studio.dataset
    w.lab("em").sources.load_preset("blobs")
    assert "replaced the 30 points" in studio.banner.text() and "Ctrl+Z" in studio.banner.text()
    w.actions_by_name["undo"].trigger()
    assert studio.dataset.same_as(before)
