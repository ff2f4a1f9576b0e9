"""The Lab seam: labs come from the registry, are built when first shown, and
their actions, menus and one-key shortcuts are scoped to the current lab."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gmmviz.labs import LABS, LabSpec, OutlineEntry
from gmmviz.qt.outline import Outline

from .conftest import activate, three_clusters, wait_for_run

FAKE = LabSpec("fake", "Fake lab", "qt.fake_lab:FakeLab", "A lab for the tests.")


@pytest.fixture
def two_labs(qtbot, monkeypatch):
    """A window with the EM studio and the fake lab (and an outline entry for it)."""
    from gmmviz.app import make_app
    from gmmviz.qt import outline
    from gmmviz.qt.main_window import MainWindow

    make_app()
    entry = OutlineEntry(("Exercises", "Classification"), "Poke it", "fake", "poke-scene")
    monkeypatch.setattr(outline, "OUTLINE", outline.OUTLINE + (entry,))
    w = MainWindow(three_clusters(), labs=(LABS[0], FAKE))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def test_a_lab_is_built_only_when_first_shown(two_labs):
    w = two_labs
    assert set(w.labs) == {"em"} and w.tabs.count() == 2 and w.tabs.tabBar().isVisible()
    fake = w.show_lab("fake")
    assert w.current_lab is fake and w.tabs.currentWidget() is fake.page()
    assert fake.active_calls == [True]
    assert w.status_label.text() == "fake lab ready"


def test_one_key_shortcuts_reach_only_the_current_lab(qtbot, two_labs):
    w = two_labs
    em = w.lab("em")
    wait_for_run(qtbot, w)
    fake = w.lab("fake")  # built, not current: its E must not steal EM's
    activate(qtbot, w)
    qtbot.keyClick(w, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: em.studio.frame is not None and em.studio.frame.snapshot.phase == "E")
    assert fake.pokes == 0
    w.show_lab("fake")
    activate(qtbot, w)
    qtbot.keyClick(w, Qt.Key.Key_E)
    assert fake.pokes == 1 and em.studio.frame.snapshot.phase == "E"
    assert w.status_label.text() == "poked 1"


def test_menus_and_toolbars_follow_the_current_lab(qtbot, two_labs):
    w = two_labs
    em_menu, data_menu = w.menus["EM"].menuAction(), w.menus["Data"].menuAction()
    assert em_menu.isVisible() and data_menu.isVisible()
    fake = w.show_lab("fake")
    assert not em_menu.isVisible() and not data_menu.isVisible()
    assert not w.actions_by_name["e_step"].isVisible() and w.actions_by_name["fake_poke"].isVisible()
    assert fake.toolbars()[0].isVisible() and not w.lab("em").toolbars()[0].isVisible()
    w.show_lab("em")
    assert em_menu.isVisible() and not w.actions_by_name["fake_poke"].isVisible()
    assert fake.active_calls == [True, False]


def test_the_shared_points_document_is_one_store(two_labs):
    w = two_labs
    assert w.lab("em").studio.store is w.points
    assert w.lab("fake").ctx.points is w.points


def test_an_outline_entry_opens_its_lab_on_its_scene(qtbot, two_labs):
    w = two_labs
    w.outline.entry_actions[("fake", "poke-scene")].trigger()
    fake = w.labs["fake"]
    assert w.current_lab is fake and fake.opened == ["poke-scene"]


def test_the_outline_lists_a_lab_that_is_not_there_greyed_out(qtbot):
    """A release where a lab's registry row has no class yet: its entries are greyed out."""
    from dataclasses import replace

    from gmmviz.app import make_app
    from gmmviz.labs import lab_spec
    from gmmviz.qt.main_window import MainWindow

    make_app()
    w = MainWindow(three_clusters(), labs=(LABS[0], replace(lab_spec("theory"), factory=None)))
    qtbot.addWidget(w)
    outline: Outline = w.outline
    later = [a for (lab, _), a in outline.entry_actions.items() if lab != "em"]
    assert later and not any(a.isEnabled() for a in later)
    assert all(a.toolTip() == "Coming in a later version" for a in later)
    assert all(a.isEnabled() for (lab, _), a in outline.entry_actions.items() if lab == "em")
    w.close()


def test_a_lab_menu_shows_only_while_its_lab_is_current(qtbot, make_window):
    """The Classify menu is neither shown empty before its lab is built nor kept in another lab."""
    w = make_window()
    visible = {name: menu.menuAction().isVisible() for name, menu in w.menus.items()}
    assert visible["EM"] and not visible["Classify"]
    w.show_lab("classify")
    assert w.menus["Classify"].menuAction().isVisible() and not w.menus["EM"].menuAction().isVisible()
    w.show_lab("graphs")
    assert not w.menus["Classify"].menuAction().isVisible() and not w.menus["EM"].menuAction().isVisible()
