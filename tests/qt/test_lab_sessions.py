"""Every real lab keeps its state in sessions: its part survives Save and Open through the
window, ``{}`` is its default state, and a malformed part is refused whole, naming the field."""

from __future__ import annotations

import pytest

from gmmviz.core.errors import FileFormatError
from gmmviz.core.session.envelope import lab_part_text
from gmmviz.labs import LABS, SESSION_LAB

from .conftest import save_to, three_clusters

KEYS = [spec.key for spec in LABS if spec.available and spec.key != SESSION_LAB]

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def isolated(files_isolated):
    """Own data folder; questions asked (and answered "Discard")."""


@pytest.mark.parametrize("key", KEYS)
def test_a_labs_part_survives_save_and_open(qtbot, make_window, tmp_path, monkeypatch, key):
    w = make_window(three_clusters())
    part = w.show_lab(key).session_part()
    assert part is not None, f"the {key} lab keeps nothing in sessions"
    text = lab_part_text(part)  # plain JSON
    path = tmp_path / f"{key}.gmmviz"
    assert save_to(w, path, monkeypatch)

    v = make_window()
    assert v.open_path(str(path))
    assert lab_part_text(v.show_lab(key).session_part()) == text
    assert not v.isWindowModified()


@pytest.mark.parametrize("key", KEYS)
def test_an_empty_part_is_the_labs_default_state(make_window, key):
    fresh = lab_part_text(make_window().lab(key).session_part())
    w = make_window(three_clusters())
    lab = w.lab(key)
    lab.apply_session_part({})
    assert lab_part_text(lab.session_part()) == fresh


@pytest.mark.parametrize("key", KEYS)
def test_a_malformed_field_is_refused_whole_and_named(make_window, key):
    lab = make_window(three_clusters()).lab(key)
    before = lab.session_part()
    for field in before:
        bad = {**before, field: {"\u0000": [None, {"x": []}]}}
        with pytest.raises(FileFormatError, match=rf"^labs\.{key}\.{field}"):
            lab.apply_session_part(bad)
        assert lab_part_text(lab.session_part()) == lab_part_text(before), field
