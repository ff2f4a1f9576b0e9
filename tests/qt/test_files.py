"""Opening, saving, recent files, drag and drop, autosave and recovery in the real window."""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from core.helpers import CSV_MALFORMED, session_corpus
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton

from gmmviz.core.commands import AddPoints
from gmmviz.core.io.points import write_csv
from gmmviz.labs.em.core.session.files import read_session
from gmmviz.qt.files import recovery
from gmmviz.qt.files.controller import FileController
from gmmviz.qt.files.import_dialog import ColumnDialog

from .conftest import save_to, three_clusters, wait_for_run

# (id, file name, content, line the message names or None, fragment of the message)
MALFORMED = ([(f"csv-{id_}", "bad.csv", content, line, fragment) for id_, content, line, fragment in CSV_MALFORMED]
             + [(f"session-{id_}", "bad.gmmviz", content, None, fragment)
                for id_, content, fragment in session_corpus().cases()])


@pytest.fixture(autouse=True)
def isolated(files_isolated):
    """Own data folder; questions asked (and answered by patches)."""


@pytest.fixture
def messages(monkeypatch):
    """Every warning shown, as (title, text)."""
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: shown.append((title, text)))
    return shown


def state(window):
    """Everything that must not change when a bad file is refused."""
    st = window.lab("em").studio
    ds = st.dataset
    return (ds.X.tobytes(), ds.labels.tobytes(), ds.classes, st.settings(), st._manual,
            window.windowTitle(), window.isWindowModified(), st.store.undo_stack.count(), window.files.path)


def add_point(window, x=0.5, y=0.5):
    window.lab("em").studio.store.push(AddPoints([[x, y]], [0]), "Add point")


# --------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------


def test_open_csv_chooses_columns_when_there_are_more(make_window, tmp_path, monkeypatch, messages):
    path = tmp_path / "wide.csv"
    path.write_text("id,height,group,weight,note\n1,1.5,a,10.25,x\n2,2.5,b,20.5,y\n3,3.5,a,30.75,z\n")
    seen = {}

    def pick(dialog):
        seen["names"] = dialog.guess.names
        seen["defaults"] = dialog.columns()
        dialog.x.setCurrentIndex(1)  # height
        dialog.y.setCurrentIndex(3)  # weight
        dialog.label.setCurrentIndex(3)  # 1 + group
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ColumnDialog, "exec", pick)
    w = make_window(three_clusters(5))
    assert w.open_path(str(path))
    ds = w.lab("em").studio.dataset
    assert seen["names"] == ("id", "height", "group", "weight", "note")
    assert seen["defaults"] == (2, 4, 3)  # the index column skipped, the text column as the class
    assert ds.X.tolist() == [[1.5, 10.25], [2.5, 20.5], [3.5, 30.75]]
    assert ds.labels.tolist() == [0, 1, 0] and [c.name for c in ds.classes] == ["a", "b"]
    assert w.windowTitle() == "wide.csv[*] — gmmviz" and not w.isWindowModified()
    assert w.files.path is None and not messages  # Save asks where: a CSV is not overwritten by a session


def test_cancelling_the_column_chooser_changes_nothing(make_window, tmp_path, monkeypatch, messages):
    path = tmp_path / "wide.csv"
    path.write_text("a,b,c,d\n1,2,3,4\n")
    monkeypatch.setattr(ColumnDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    w = make_window(three_clusters(5))
    before = state(w)
    assert not w.open_path(str(path))
    assert state(w) == before and not messages


def test_the_column_dialog_refuses_one_column_twice(qtbot, tmp_path):
    from gmmviz.core.io.csv_preview import sniff_columns

    dialog = ColumnDialog(sniff_columns(b"p,q,r,s\n1,2,3,4\n"), "x.csv")
    qtbot.addWidget(dialog)
    assert dialog.ok.isEnabled()
    dialog.y.setCurrentIndex(dialog.x.currentIndex())
    assert not dialog.ok.isEnabled() and "different" in dialog.problem.text()


@pytest.fixture(scope="module")
def million_csv(tmp_path_factory):
    rng = np.random.default_rng(1)
    path = tmp_path_factory.mktemp("big") / "million.csv"
    X = rng.normal(size=(1_000_000, 2))
    write_csv(path, X, rng.integers(0, 3, X.shape[0]))
    return path, X


def test_a_million_rows_load_with_progress_cancel_then_complete(qtbot, make_window, million_csv, messages):
    path, X = million_csv
    w = make_window(three_clusters(5))
    before = state(w)
    runner = w.files.runner
    fractions = []

    def cancel_on_first_progress(task_id, fraction):
        fractions.append(fraction)
        if len(fractions) == 1:
            button = runner.dialog.findChild(QPushButton)
            QTimer.singleShot(0, button.click)  # the user presses Cancel

    runner.progressed.connect(cancel_on_first_progress)
    assert not w.open_path(str(path))
    assert state(w) == before and not messages
    assert 0 < fractions[0] < 1
    runner.progressed.disconnect(cancel_on_first_progress)

    start = time.perf_counter()
    assert w.open_path(str(path))
    elapsed = time.perf_counter() - start
    assert w.lab("em").studio.dataset.X.tobytes() == X.tobytes()
    assert elapsed < 8.0, f"opening a million rows took {elapsed:.1f} s"
    assert w.windowTitle().startswith("million.csv") and not w.isWindowModified()


@pytest.fixture(scope="class")
def shared_window():
    """One window for a whole test class (closed after its last test)."""
    from gmmviz.app import make_app
    from gmmviz.qt.main_window import MainWindow

    make_app()
    w = MainWindow(three_clusters(5))
    w.show()
    yield w
    w.close()
    w.deleteLater()


class TestMalformedFiles:
    """Every malformed file of the corpus, refused by one window (shared by the class:
    each refusal must leave it exactly as it was, which is what every case checks)."""

    @pytest.mark.parametrize("name, content, line, fragment", [m[1:] for m in MALFORMED],
                             ids=[m[0] for m in MALFORMED])
    def test_malformed_file_shows_one_message_and_changes_nothing(self, shared_window, tmp_path, messages, name, content,
                                                                  line, fragment):
        w = shared_window
        before = state(w)
        path = tmp_path / name
        path.write_bytes(content)
        assert not w.open_path(str(path))
        assert state(w) == before
        assert len(messages) == 1, messages
        _, text = messages[0]
        assert text.startswith(f"{name}: "), text
        assert "internal error" not in text.lower() and "Traceback" not in text, text  # a refusal, not a crash
        assert fragment in text, text
        if line is not None:
            assert re.search(rf"\bline {line}\b", text), text


def test_the_session_limits_admit_every_model_panel_setting(make_window):
    from gmmviz.labs.em.core.session import model as sessionmodel

    panel = make_window().lab("em").studio.model_panel
    assert panel.k.minimum() == 1 and panel.k.maximum() == sessionmodel.MAX_COMPONENTS
    assert panel.seed.maximum() <= sessionmodel.MAX_SEED and panel.max_iter.maximum() <= sessionmodel.MAX_ITER
    assert {panel.init.itemData(i) for i in range(panel.init.count())} <= set(sessionmodel.INIT_CHOICES)


def test_a_missing_file_is_one_message(make_window, tmp_path, messages):
    w = make_window()
    before = state(w)
    assert not w.open_path(str(tmp_path / "gone.csv"))
    assert state(w) == before and len(messages) == 1 and "no such file" in messages[0][1]


# --------------------------------------------------------------------------
# Sessions through the window
# --------------------------------------------------------------------------


def test_session_round_trip_restores_data_settings_run_cursor_and_view(qtbot, make_window, tmp_path, monkeypatch):
    w = make_window(three_clusters(), n_components=3, covariance_type="diag", seed=4)
    history = wait_for_run(qtbot, w)
    w.lab("em").studio.playback.seek(5)
    w.lab("em").studio.canvas.view.setRange(xRange=(-7, 7), yRange=(-6, 9), padding=0)
    view = w.lab("em").studio.canvas.view.viewRange()
    path = tmp_path / "lecture.gmmviz"
    assert save_to(w, path, monkeypatch)
    assert w.windowTitle() == "lecture.gmmviz[*] — gmmviz" and not w.isWindowModified()
    first = path.read_bytes()

    v = make_window()
    assert v.open_path(str(path))
    st = v.lab("em").studio
    assert st.dataset.same_as(w.lab("em").studio.dataset) and st.settings() == w.lab("em").studio.settings()
    assert st.fit.history.finished and len(st.fit.history) == len(history)  # shown at once, not recomputed
    assert st.frame.index == 5
    assert st.frame.snapshot.params.means.tobytes() == history.snapshots[5].params.means.tobytes()
    assert np.allclose(st.canvas.view.viewRange(), view, rtol=0.05)
    assert not v.isWindowModified() and v.files.path == str(path)
    assert v.files.save()  # save -> load -> save: the same bytes
    assert path.read_bytes() == first


def test_session_without_history_recomputes_the_run_and_returns_to_the_cursor(qtbot, make_window, tmp_path,
                                                                                monkeypatch):
    w = make_window(three_clusters(), n_components=3, seed=2)
    wait_for_run(qtbot, w)
    w.lab("em").studio.playback.seek(4)
    w.actions_by_name["save_history"].setChecked(False)
    path = tmp_path / "light.gmmviz"
    assert save_to(w, path, monkeypatch)
    assert read_session(path).history is None
    first = path.read_bytes()
    v = make_window()
    assert v.open_path(str(path))
    qtbot.waitUntil(lambda: v.lab("em").studio.frame is not None and v.lab("em").studio.frame.index == 4, timeout=10000)
    assert v.lab("em").studio.frame.snapshot.params.means.tobytes() == w.lab("em").studio.frame.snapshot.params.means.tobytes()
    assert v.files.save() and path.read_bytes() == first


def test_save_as_then_save_round_trips_byte_identically(qtbot, make_window, tmp_path, monkeypatch):
    w = make_window(three_clusters(), n_components=2)
    wait_for_run(qtbot, w)
    path = tmp_path / "a.gmmviz"
    assert save_to(w, path, monkeypatch)
    first = path.read_bytes()
    v = make_window()
    assert v.open_path(str(path))
    assert v.files.save()
    assert path.read_bytes() == first


def test_a_failed_save_keeps_the_old_file_and_says_why(make_window, tmp_path, monkeypatch, messages):
    w = make_window(three_clusters(5))
    path = tmp_path / "keep.gmmviz"
    assert save_to(w, path, monkeypatch)
    before = path.read_bytes()
    add_point(w)
    monkeypatch.setattr("gmmviz.core.io.atomic.os.fsync", lambda fd: (_ for _ in ()).throw(OSError(28, "No space left")))
    assert not w.files.save()
    assert path.read_bytes() == before and w.isWindowModified()
    assert len(messages) == 1 and "No space left" in messages[0][1] and "unchanged" in messages[0][1]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temporary left behind


# --------------------------------------------------------------------------
# Title, modified mark, closing
# --------------------------------------------------------------------------


def test_title_shows_the_name_and_the_unsaved_mark(qtbot, make_window, tmp_path, monkeypatch):
    w = make_window(three_clusters(5))
    assert w.windowTitle() == "Untitled[*] — gmmviz" and not w.isWindowModified()
    add_point(w)
    assert w.isWindowModified()
    w.actions_by_name["undo"].trigger()
    assert not w.isWindowModified()  # back to the saved state
    w.lab("em").studio.model_panel.k.setValue(4)
    assert w.isWindowModified()  # settings changed
    w.lab("em").studio.model_panel.k.setValue(3)
    assert not w.isWindowModified()
    assert save_to(w, tmp_path / "t.gmmviz", monkeypatch)
    assert w.windowTitle() == "t.gmmviz[*] — gmmviz" and not w.isWindowModified()
    w.actions_by_name["reset"].trigger()  # a new seed
    assert w.isWindowModified()


def test_closing_with_unsaved_changes_asks(qtbot, make_window, tmp_path, monkeypatch):
    asked = []
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save])

    def question(parent, title, text, *a, **k):
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(FileController, "ask_save_path", lambda self: str(tmp_path / "closing.gmmviz"))
    w = make_window(three_clusters(5))
    add_point(w)
    assert not w.close() and w.isVisible()  # Cancel: still open, still modified
    assert w.isWindowModified() and "Untitled" in asked[0]
    assert w.close()  # Save: written, then closed
    assert len(asked) == 2 and read_session(tmp_path / "closing.gmmviz").dataset.n_points == 16


def test_closing_unmodified_does_not_ask(make_window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a: pytest.fail("asked without changes"))
    w = make_window(three_clusters(5))
    assert w.close()


def test_opening_over_unsaved_changes_asks_first(make_window, tmp_path, monkeypatch):
    path = tmp_path / "p.csv"
    path.write_text("x,y\n1,2\n3,4\n")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    w = make_window(three_clusters(5))
    add_point(w)
    before = state(w)
    assert not w.open_path(str(path))
    assert state(w) == before
    # the teardown closes this still modified window: let it discard rather than cancel
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)


# --------------------------------------------------------------------------
# Recent files, drag and drop
# --------------------------------------------------------------------------


def test_recent_files_are_listed_newest_first_and_missing_ones_pruned(make_window, tmp_path, monkeypatch):
    paths = []
    for i in range(10):
        p = tmp_path / f"p{i}.csv"
        p.write_text(f"x,y\n{i},1\n2,3\n")
        paths.append(p)
    w = make_window()
    for p in paths:
        assert w.open_path(str(p))
    assert w.files.recent.paths() == [str(p) for p in reversed(paths)][:8]
    paths[9].unlink()
    menu = w.files.recent_menu
    menu.aboutToShow.emit()
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts[0] == "&1 p8.csv" and len([t for t in texts if t.startswith("&")]) == 7
    menu.actions()[1].trigger()  # "&2 p7.csv"
    assert w.lab("em").studio.dataset.X[0].tolist() == [7.0, 1.0]
    assert w.actions_by_name["recent"].menu() is menu


def drop(qtbot, target, path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    pos = QPointF(target.width() / 2, target.height() / 2)
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos.toPoint(), Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    event = QDropEvent(pos, Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(target, event)
    assert event.isAccepted()


@pytest.mark.parametrize("target", ["window", "canvas", "text field"])
def test_dropping_a_file_opens_it(qtbot, make_window, tmp_path, target):
    path = tmp_path / "dropped.csv"
    path.write_text("x,y,label\n1,2,a\n3,4,b\n5,6,a\n")
    w = make_window(three_clusters(5))
    field = w.lab("em").studio.model_panel.reg_covar.text()
    widget = {"window": w, "canvas": w.lab("em").studio.canvas.plot.viewport(),
              "text field": w.lab("em").studio.model_panel.reg_covar}[target]
    drop(qtbot, widget, path)
    qtbot.waitUntil(lambda: w.lab("em").studio.dataset.n_points == 3)
    assert w.windowTitle().startswith("dropped.csv")
    assert w.lab("em").studio.model_panel.reg_covar.text() == field  # the path was not typed into the field


@pytest.mark.parametrize("how", ["drop", "open"])
@pytest.mark.parametrize("name", ["pipe", "pipe.csv", "pipe.gmmviz"])
def test_a_fifo_is_one_message_and_the_window_stays(qtbot, make_window, tmp_path, messages, how, name):
    path = tmp_path / name
    os.mkfifo(path)  # opening it for reading would block for ever
    w = make_window(three_clusters(5))
    before = state(w)
    if how == "drop":
        drop(qtbot, w, path)
        qtbot.waitUntil(lambda: len(messages) == 1)
    else:
        assert not w.open_path(str(path))  # the open dialog's path ends here too
    assert len(messages) == 1 and "named pipe (FIFO)" in messages[0][1], messages
    assert w.isVisible() and state(w) == before


def test_dropping_a_device_is_one_message(qtbot, make_window, messages):
    w = make_window(three_clusters(5))
    drop(qtbot, w, Path("/dev/zero"))
    qtbot.waitUntil(lambda: len(messages) == 1)
    assert "character device" in messages[0][1] and w.isVisible()


def test_dropping_text_is_not_accepted(qtbot, make_window):
    w = make_window()
    mime = QMimeData()
    mime.setText("hello")
    enter = QDragEnterEvent(w.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    QApplication.sendEvent(w, enter)
    assert not enter.isAccepted()


# --------------------------------------------------------------------------
# Autosave and recovery
# --------------------------------------------------------------------------


def recovery_copies() -> list[Path]:
    folder = recovery.recovery_dir()
    return sorted(folder.glob("*.gmmviz")) if folder.is_dir() else []


def test_autosave_writes_a_recovery_copy_only_when_modified_and_clean_exit_removes_it(qtbot, make_window,
                                                                                       tmp_path):
    w = make_window(three_clusters(5))
    assert w.files.autosave_timer.isActive() and w.files.autosave_timer.interval() == 60_000
    assert not w.files.autosave() and not recovery_copies()  # nothing to save
    add_point(w, 1.25, -3.5)
    with qtbot.waitSignal(w.files.autosaved, timeout=5000) as blocker:
        assert w.files.autosave()
    copy = Path(blocker.args[0])
    assert copy.parent == tmp_path / "data" / "recovery" and recovery_copies() == [copy]
    saved = read_session(copy)
    assert saved.dataset.same_as(w.lab("em").studio.dataset)
    sidecar = json.loads(copy.with_suffix(".json").read_text())
    assert sidecar["document"] is None and sidecar["name"] == "Untitled"
    assert recovery.find_orphans() == []  # this window is alive: not an orphan
    w.close()
    assert recovery_copies() == [] and not copy.with_suffix(".json").exists()


def test_a_failing_autosave_is_shown_on_the_banner(make_window, tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be")
    monkeypatch.setenv("GMMVIZ_DATA_DIR", str(blocked))
    w = make_window(three_clusters(5))
    add_point(w)
    assert not w.files.autosave()
    assert w.lab("em").studio.banner.isVisibleTo(w) and "Autosave failed" in w.lab("em").studio.banner.label.text()
    assert w.isWindowModified()


def test_saving_removes_the_recovery_copy(qtbot, make_window, tmp_path, monkeypatch):
    w = make_window(three_clusters(5))
    add_point(w)
    with qtbot.waitSignal(w.files.autosaved, timeout=5000):
        w.files.autosave()
    assert recovery_copies()
    assert save_to(w, tmp_path / "s.gmmviz", monkeypatch)
    assert recovery_copies() == []


def make_orphan(tmp_path, document=None):
    """A recovery copy as a crashed gmmviz leaves it (no process holds its lock)."""
    from gmmviz.labs.em.core.session.files import Session, write_session

    folder = recovery.recovery_dir()
    folder.mkdir(parents=True, exist_ok=True)
    ds = three_clusters(4, seed=9)
    path = folder / "20260101-000000-1-dead.gmmviz"
    write_session(path, Session(ds))
    path.with_suffix(".json").write_text(json.dumps({"document": document, "saved": time.time()}))
    (folder / f".{path.name}.0123456789ab.tmp").write_text('{"format": "gmmviz-sess')  # a write cut short
    return path, ds


@pytest.mark.parametrize("answer", ["restore", "discard", "later"])
def test_start_up_offers_the_recovery_copy(qtbot, make_window, tmp_path, monkeypatch, answer):
    document = str(tmp_path / "lecture.gmmviz")
    path, ds = make_orphan(tmp_path, document)
    offered = []
    monkeypatch.setattr(recovery, "ask_restore", lambda parent, orphan: offered.append(orphan) or answer)
    w = make_window()
    before = state(w)
    restored = w.files.offer_recovery()
    assert len(offered) == 1 and offered[0].document == document
    if answer == "restore":
        assert restored and w.lab("em").studio.dataset.same_as(ds)
        assert w.isWindowModified() and w.windowTitle() == "lecture.gmmviz[*] — gmmviz"
        assert w.files.path == document
        assert not path.exists() and len(recovery_copies()) == 1  # our own copy replaced it
    else:
        assert not restored and state(w) == before
        assert path.exists() == (answer == "later")
    w.close()
    assert recovery_copies() == ([path] if answer == "later" else [])
    assert bool(list(path.parent.glob(".*.tmp"))) == (answer == "later")


def test_recovered_work_of_a_csv_keeps_its_name_and_is_saved_elsewhere(qtbot, make_window, tmp_path,
                                                                       monkeypatch):
    csv = tmp_path / "points.csv"
    csv.write_text("x,y\n1,1\n2,2\n3,5\n")
    w = make_window()
    assert w.open_path(str(csv))
    add_point(w)
    with qtbot.waitSignal(w.files.autosaved, timeout=5000) as blocker:
        w.files.autosave()
    copy = Path(blocker.args[0])
    w.files.slot._lock.unlock()  # as if this gmmviz had been killed
    w.files.slot._lock = None
    monkeypatch.setattr(recovery, "ask_restore", lambda parent, orphan: "restore")
    v = make_window()
    assert v.files.offer_recovery()
    assert v.windowTitle() == "points.csv[*] — gmmviz" and v.files.path is None
    assert v.lab("em").studio.dataset.n_points == 4 and not copy.exists()
    monkeypatch.setattr(FileController, "ask_save_path", lambda self: str(tmp_path / "points.gmmviz"))
    assert v.files.save() and csv.read_text() == "x,y\n1,1\n2,2\n3,5\n"  # the CSV is never overwritten


def test_nothing_is_offered_without_a_crash(make_window, monkeypatch):
    monkeypatch.setattr(recovery, "ask_restore", lambda *a: pytest.fail("offered without a copy"))
    w = make_window()
    assert not w.files.offer_recovery()


def test_start_up_offers_recovery_then_opens_the_files(make_window, tmp_path, monkeypatch):
    make_orphan(tmp_path)
    csv = tmp_path / "later.csv"
    csv.write_text("x,y\n1,1\n2,2\n")
    order = []
    monkeypatch.setattr(recovery, "ask_restore", lambda *a: order.append("offer") or "later")
    w = make_window()
    w.files.opened.connect(lambda p: order.append("open"))
    w.files.start_up([str(csv)])
    assert order == ["offer", "open"] and w.lab("em").studio.dataset.n_points == 2


def test_revert_reloads_the_saved_session(make_window, tmp_path, monkeypatch):
    w = make_window(three_clusters(5))
    assert save_to(w, tmp_path / "r.gmmviz", monkeypatch)
    assert not w.actions_by_name["revert"].isEnabled()  # nothing to revert
    add_point(w)
    assert w.actions_by_name["revert"].isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    w.actions_by_name["revert"].trigger()
    assert w.lab("em").studio.dataset.n_points == 15 and not w.isWindowModified()


def test_export_csv_writes_points_and_labels(make_window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from gmmviz.core.io.points import read_dataset

    out = tmp_path / "out.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    w = make_window(three_clusters(5))
    w.actions_by_name["export_csv"].trigger()
    back = read_dataset(out)
    assert back.X.tobytes() == w.lab("em").studio.dataset.X.tobytes()
    assert replace(back, classes=w.lab("em").studio.dataset.classes).same_as(w.lab("em").studio.dataset)


def test_a_csv_header_names_the_axes_and_a_headless_file_has_none(make_window, tmp_path):
    w = make_window()
    axis = w.lab("em").studio.canvas.plot.getPlotItem().getAxis
    named = tmp_path / "geyser.csv"
    named.write_text("eruptions,waiting\n3.6,79\n1.8,54\n3.3,74\n")
    assert w.open_path(str(named))
    assert (axis("bottom").labelText, axis("left").labelText) == ("eruptions", "waiting")
    assert axis("bottom").label.isVisible()
    plain = tmp_path / "plain.csv"
    plain.write_text("3.6,79\n1.8,54\n3.3,74\n")
    assert w.open_path(str(plain))
    assert (axis("bottom").labelText, axis("left").labelText) == ("", "")
