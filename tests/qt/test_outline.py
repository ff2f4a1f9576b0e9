"""The lecture outline: the Lecture menu, the dock and the presentation index open
each EM entry on its prepared scene in one click."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from gmmviz.labs import LABS, OUTLINE, OUTLINE_TOPICS, lab_spec
from gmmviz.labs.em.core.scenes import SCENES

from .conftest import activate, three_clusters


@pytest.fixture
def theory_to_come(qtbot):
    """A window of a release where the theory lab has not landed (its registry row has no class)."""
    from gmmviz.app import make_app
    from gmmviz.qt.main_window import MainWindow

    make_app()
    w = MainWindow(three_clusters(), labs=(LABS[0], replace(lab_spec("theory"), factory=None)))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def test_the_lecture_menu_follows_the_outline_in_order(make_window):
    w = make_window()
    menu = w.menus["Lecture"]
    sections = [a.text() for a in menu.actions() if a.isSeparator() and a.text()]
    assert sections == list(dict.fromkeys(s for s, _ in OUTLINE_TOPICS))
    titles = [a.text() for a in w.outline.entry_actions.values()]
    assert titles == [e.title for e in OUTLINE]


def test_every_scene_has_an_outline_entry():
    from gmmviz.labs.classify.core.scenes import SCENE_KEYS

    def keys(lab):
        return {e.key.removeprefix("scene:") for e in OUTLINE if e.lab == lab and e.key.startswith("scene:")}

    assert keys("em") == {s.key for s in SCENES}
    classify = {e.key.removeprefix("scene:") for e in OUTLINE if e.lab == "classify"}
    assert keys("classify") <= classify == set(SCENE_KEYS)  # every entry a scene, every scene an entry
    assert all(e.topic in OUTLINE_TOPICS for e in OUTLINE)


def test_a_scene_entry_loads_the_scene_with_its_note(qtbot, make_window):
    w = make_window()
    w.outline.entry_actions[("em", "scene:collapse")].trigger()
    studio = w.lab("em").studio
    assert studio.dataset.n_points == 201 and studio.settings().reg_covar == 0.0
    assert w.lab("em").sources.note.isVisible() and w.lab("em").sources.note.showing == "note"
    assert "Collapse" in w.statusBar().currentMessage()


def test_the_half_steps_entry_is_old_faithful_with_two_components_and_the_formula(qtbot, make_window):
    w = make_window(three_clusters())
    w.outline.open(next(e for e in OUTLINE if e.key == "half-steps"))
    studio = w.lab("em").studio
    assert studio.dataset.n_points == 272 and studio.settings().n_components == 2
    assert w.lab("em").formula_dock.isVisible()


def test_the_mixture_entry_shows_the_true_mixture(qtbot, make_window):
    w = make_window()
    w.outline.open(next(e for e in OUTLINE if e.key == "mixture"))
    assert w.lab("em").studio.canvas.truth.params is not None


def test_f6_toggles_the_outline_dock_and_a_click_opens_an_entry(qtbot, make_window):
    w = make_window()
    activate(qtbot, w)
    qtbot.keyClick(w, Qt.Key.Key_F6)
    assert w.outline.dock.isVisible()
    tree = w.outline.tree
    leaf = next(tree.topLevelItem(i).child(j).child(k)
                for i in range(tree.topLevelItemCount())
                for j in range(tree.topLevelItem(i).childCount())
                for k in range(tree.topLevelItem(i).child(j).childCount())
                if tree.topLevelItem(i).child(j).child(k).text(0) == "Two overlapping classes")
    tree.scrollToItem(leaf)  # the outline is longer than the dock now that every lab is in it
    rect = tree.visualItemRect(leaf)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.lab("em").studio.dataset.n_points == 400
    qtbot.keyClick(w, Qt.Key.Key_F6)
    assert not w.outline.dock.isVisible()


def test_in_presentation_mode_f6_shows_the_index_and_an_entry_closes_it(qtbot, theory_to_come):
    w = theory_to_come
    activate(qtbot, w)
    w.presentation.set_presenting(True)
    qtbot.keyClick(w, Qt.Key.Key_F6)
    index = w.outline.index
    assert index.isVisible() and not w.outline.dock.isVisible()
    assert index.geometry() == w.rect()
    later = index.buttons[("theory", "gradient")]  # a lab still to come
    assert not later.isEnabled() and "coming later" in later.text()
    qtbot.mouseClick(index.buttons[("em", "scene:too-many")], Qt.MouseButton.LeftButton)
    assert not index.isVisible() and w.lab("em").studio.settings().n_components == 6
    w.presentation.set_presenting(False)
