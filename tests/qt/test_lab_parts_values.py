"""Each real lab's own settings, changed from the defaults, come back from a saved session;
changing them marks the window modified; a part naming what does not exist is refused whole."""

from __future__ import annotations

import pytest

from gmmviz.core.errors import FileFormatError
from gmmviz.core.session.envelope import lab_part_text

from .conftest import save_to, three_clusters

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def isolated(files_isolated):
    """Own data folder; questions asked (and answered "Discard")."""


def _round_trip(make_window, tmp_path, monkeypatch, w, key):
    path = tmp_path / f"{key}.gmmviz"
    assert save_to(w, path, monkeypatch)
    assert not w.isWindowModified()
    v = make_window()
    assert v.open_path(str(path))
    assert not v.isWindowModified()
    return v, v.show_lab(key)


def test_density_settings_come_back_with_a_fresh_undo_history(make_window, tmp_path, monkeypatch):
    w = make_window(three_clusters())
    lab = w.show_lab("density")
    lab.edit(bins=37, k=4, distribution="uniform", mode="2d", estimator_2d="gmm")
    assert w.isWindowModified()  # a density setting is part of the session
    v, back = _round_trip(make_window, tmp_path, monkeypatch, w, "density")
    s = back.settings
    assert (s.bins, s.k, s.distribution, s.mode, s.estimator_2d) == (37, 4, "uniform", "2d", "gmm")
    assert v.undo_stack().count() == 0  # a fresh history (the settings share the points')
    back.edit(bins=38)
    assert v.isWindowModified()


def test_classify_model_components_and_priors_come_back(make_window, tmp_path, monkeypatch, qtbot):
    w = make_window(three_clusters())
    lab = w.show_lab("classify")
    page = lab.page_widget
    page.with_settings(model="gmm", n_components=(3, 1), seed=7, test_size=0.3)
    qtbot.waitUntil(lambda: page.priors.present.size == 2)
    page.priors.set_prior(0, 0.2)
    assert w.isWindowModified()
    part = lab.session_part()
    assert part["model"] == "gmm" and part["n_components"] == [3, 1]
    assert part["priors"] == pytest.approx([0.2, 0.8])
    v, back = _round_trip(make_window, tmp_path, monkeypatch, w, "classify")
    s = back.page_widget.settings()
    assert (s.model, s.n_components, s.seed, s.test_size) == ("gmm", (3, 1), 7, 0.3)
    assert back.page_widget.priors.priors == pytest.approx((0.2, 0.8))
    from gmmviz.labs.classify.qt.lab import MODEL_ACTIONS

    assert back.ctx.actions[MODEL_ACTIONS["gmm"]].isChecked()  # Classify ▸ Model follows


def test_the_graph_its_evidence_and_question_come_back(make_window, tmp_path, monkeypatch):
    from gmmviz.labs.graphs.core.model_json import model_to_json

    w = make_window(three_clusters())
    lab = w.show_lab("graphs")
    lab.open_entry("explaining-away")
    g = lab.graph
    assert g.doc.evidence  # the example sets C = 1, S = 1
    v, back = _round_trip(make_window, tmp_path, monkeypatch, w, "graphs")
    h = back.graph
    assert model_to_json(h.doc.model) == model_to_json(g.doc.model)  # the xor table too
    assert h.doc.evidence == g.doc.evidence and h.doc.positions == g.doc.positions
    assert h.ask.sets() == (("S",), ("A",), ("C",))
    assert h.explanation is not None  # the question is answered again
    assert back.undo_stack().count() == 0
    assert h.doc.joint is not None and (h.doc.joint.p == g.doc.joint.p).all()


def test_graphs_part_naming_a_missing_node_is_refused_and_changes_nothing(make_window):
    lab = make_window().lab("graphs")
    before = lab_part_text(lab.session_part())
    part = lab.session_part()
    for field, value in (("positions", {"nobody": [0, 0]}), ("evidence", {"a": "7"}), ("ask_z", ["zz"])):
        with pytest.raises(FileFormatError, match=rf"^labs\.graphs\.{field}: "):
            lab.apply_session_part({**part, field: value})
        assert lab_part_text(lab.session_part()) == before


def test_theory_views_settings_and_tab_come_back(make_window, tmp_path, monkeypatch):
    w = make_window(three_clusters())
    lab = w.show_lab("theory")
    lab.tabs.setCurrentIndex(3)  # the score-function view
    lab.race.step.setValue(-25)
    lab.score.sampler.setCurrentIndex(1)
    lab.slice.follow.setChecked(False)
    lab.slice.k.setValue(5)
    lab.info.set_masses((10, 20, 30, 40, 0), (5, 5, 5, 5, 80))
    assert w.isWindowModified()
    v, back = _round_trip(make_window, tmp_path, monkeypatch, w, "theory")
    p = back.session_part()
    assert p["view"] == "score" and back.tabs.currentIndex() == 3
    assert (p["race_step"], p["score_sampler"], p["slice_follow"], p["slice_k"]) == (-25, "posterior", False, 5)
    assert back.race.step.value() == -25 and back.score.sampler.currentData() == "posterior"
    assert back.info.masses() == ((10, 20, 30, 40, 0), (5, 5, 5, 5, 80))


def test_theory_surface_coordinates_must_exist_for_its_k(make_window):
    lab = make_window().lab("theory")
    part = {**lab.session_part(), "surface_k": 1, "surface_coords": 5}  # K = 1: one pair only
    with pytest.raises(FileFormatError, match=r"^labs\.theory\.surface_coords: K = 1 has 1 coordinate"):
        lab.apply_session_part(part)


def test_theory_widgets_take_their_ranges_and_defaults_from_the_core_fields(make_window):
    from gmmviz.labs.theory.core.settings import FIELDS, VIEW_KEYS, defaults
    from gmmviz.labs.theory.qt.lab import VIEWS

    lab = make_window().lab("theory")
    assert tuple(v[0] for v in VIEWS) == VIEW_KEYS
    fresh = {k: list(v) if isinstance(v, tuple) else v for k, v in defaults(FIELDS).items()}
    assert lab.session_part() == fresh
    assert (lab.race.k.minimum(), lab.race.k.maximum()) == (1, 12)


def test_a_lab_built_later_gets_its_remembered_preferences_and_a_session_part_wins(make_window, tmp_path,
                                                                                   monkeypatch):
    from gmmviz.qt.settings import open_settings

    s = open_settings()
    s.setValue("classify/model", "qda")  # the lecturer's last model, from an earlier run
    s.sync()
    w = make_window(three_clusters())
    assert w.show_lab("classify").page_widget.settings().model == "qda"  # it was never read for a later lab
    w.lab("classify").apply_session_part({"model": "lda"})
    path = tmp_path / "lda.gmmviz"
    assert save_to(w, path, monkeypatch)
    v = make_window()
    assert v.open_path(str(path))  # the classification lab not built yet: its part waits
    assert v.show_lab("classify").page_widget.settings().model == "lda"  # the session's, not the remembered
    assert not v.isWindowModified()
