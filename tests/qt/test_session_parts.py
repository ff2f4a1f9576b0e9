"""Sessions keep every lab: the other labs' parts (format version 2's ``labs``) are saved,
passed through for labs not built yet, given back when a lab is built, and count as
unsaved changes; the EM studio's Algorithm choice is saved too."""

from __future__ import annotations

import json

import pytest

from gmmviz.labs import LABS, LabSpec
from gmmviz.labs.em.core.algorithms.types import AlgorithmSettings
from gmmviz.labs.em.core.session.files import read_session

from .conftest import save_to, three_clusters, wait_for_run

PART = LabSpec("partlab", "Part lab", "qt.fake_lab:PartLab", "A lab with a session part, for the tests.")


@pytest.fixture(autouse=True)
def isolated(files_isolated):
    """Own data folder; questions asked (and answered "Discard")."""


@pytest.fixture
def window(make_window):
    """Windows with the EM studio and the part lab."""
    return lambda dataset=None: make_window(dataset, labs=(LABS[0], PART))


def test_a_labs_part_is_saved_passed_through_unbuilt_and_given_back_when_built(qtbot, window, tmp_path,
                                                                                monkeypatch):
    w = window(three_clusters())
    wait_for_run(qtbot, w)
    lab = w.lab("partlab")
    assert not w.isWindowModified()  # building a lab is not an edit
    lab.set_word("explaining away")
    assert w.isWindowModified() and w.files.is_modified()
    lab.set_word("hello")
    assert not w.files.is_modified()  # back as saved
    lab.set_word("Bayes’ rule")
    path = tmp_path / "scene.gmmviz"
    assert save_to(w, path, monkeypatch) and not w.isWindowModified()
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["version"] == 2 and list(doc)[-2:] == ["labs", "history"]
    assert doc["labs"] == {"partlab": {"numbers": [1, 2.5], "word": "Bayes’ rule"}}

    v = window()
    assert v.open_path(str(path)) and "partlab" not in v.labs
    assert not v.isWindowModified()
    again = tmp_path / "again.gmmviz"
    assert save_to(v, again, monkeypatch)  # the unbuilt lab's part is kept as it was
    assert json.loads(again.read_text(encoding="utf-8"))["labs"] == doc["labs"]
    built = v.show_lab("partlab")
    assert built.part == {"word": "Bayes’ rule", "numbers": [1, 2.5]}
    assert not v.isWindowModified()
    assert read_session(path).labs == read_session(again).labs


def test_an_invalid_part_is_refused_by_its_lab_and_the_rest_of_the_session_opens(qtbot, window, tmp_path,
                                                                                  monkeypatch):
    w = window(three_clusters())
    wait_for_run(qtbot, w)
    w.lab("partlab").set_word("kept")
    path = tmp_path / "bad.gmmviz"
    assert save_to(w, path, monkeypatch)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["labs"]["partlab"]["word"] = 5
    path.write_text(json.dumps(doc), encoding="utf-8")

    v = window()
    lab = v.lab("partlab")
    lab.set_word("before")
    assert v.open_path(str(path))
    assert v.lab("em").studio.dataset.n_points == three_clusters().n_points  # the rest opened
    assert lab.part["word"] == "before"  # the lab changed nothing
    assert len(lab.banners) == 1 and "labs.partlab.word: expected text" in lab.banners[0][0]


def test_a_session_without_a_part_and_file_new_give_the_lab_its_defaults(qtbot, window, tmp_path, monkeypatch):
    w = window(three_clusters())
    path = tmp_path / "em-only.gmmviz"
    assert save_to(w, path, monkeypatch)  # no part lab built: an EM-only file, version 1
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 1
    v = window()
    lab = v.lab("partlab")
    lab.set_word("drawn meanwhile")
    assert v.open_path(str(path)) and lab.part == PartLabDefault()
    lab.set_word("again")
    assert v.files.new_document() and lab.part == PartLabDefault() and not v.isWindowModified()


def PartLabDefault():  # noqa: N802 (reads as a value)
    from qt.fake_lab import PartLab

    return dict(PartLab.DEFAULT)


def test_a_part_that_cannot_be_written_is_left_out_and_said_the_rest_is_saved(qtbot, window, tmp_path,
                                                                                monkeypatch):
    w = window(three_clusters())
    lab = w.lab("partlab")
    lab.broken = True
    path = tmp_path / "rest.gmmviz"
    assert save_to(w, path, monkeypatch)
    assert read_session(path).dataset.n_points == three_clusters().n_points
    assert read_session(path).labs == ()
    assert lab.banners and "could not be saved" in lab.banners[-1][0]


def test_the_algorithm_choice_is_saved_and_its_run_recomputed(qtbot, window, tmp_path, monkeypatch):
    w = window(three_clusters())
    wait_for_run(qtbot, w)
    st = w.lab("em").studio
    assert not w.isWindowModified()
    panel = st.model_panel.algorithm
    panel.prior.setCurrentIndex(panel.prior.findData("dirichlet-process"))
    panel.concentration.setText("0.01")
    panel.concentration.editingFinished.emit()
    assert w.isWindowModified()  # VB's settings are saved (and shown again) even while EM runs
    panel.algorithm.setCurrentIndex(panel.algorithm.findData("vb"))
    vb = AlgorithmSettings(algorithm="vb", weight_prior="dirichlet-process", concentration=0.01)
    assert panel.settings() == vb
    assert w.isWindowModified()  # another algorithm is an unsaved change
    qtbot.waitUntil(lambda: st.fit.history is not None and st.fit.history.finished
                    and getattr(st.fit.history.snapshots[-1], "algorithm", "em") == "vb", timeout=20000)
    path = tmp_path / "vb.gmmviz"
    assert save_to(w, path, monkeypatch)
    saved = read_session(path)
    assert saved.algorithm == vb and saved.history is None  # VB's run is recomputed, not stored as EM's
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 2

    v = window()
    assert v.open_path(str(path))
    sv = v.lab("em").studio
    assert sv.model_panel.algorithm.settings() == vb
    qtbot.waitUntil(lambda: sv.fit.history is not None and sv.fit.history.finished, timeout=20000)
    assert getattr(sv.fit.history.snapshots[-1], "algorithm", "em") == "vb"
    assert not v.isWindowModified()
