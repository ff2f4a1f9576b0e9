"""Classify → Compare with my classifier…: agreement for a right class, circles for a wrong one,
one clear message for a broken one, and a window that stays responsive meanwhile."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gmmviz.core.commands import default_classes
from gmmviz.core.data import Dataset

from .test_lab import click, wait_frame

STUDENT = Path(__file__).parents[1] / "core" / "fixtures" / "student.py"
BROKEN = Path(__file__).parent / "fixtures" / "broken.py"

pytestmark = pytest.mark.slow  # every comparison starts a fresh interpreter (about 2 s)


def unequal_classes(seed=2) -> Dataset:
    """Overlapping classes of 150 and 30 points: dropping the priors changes predictions."""
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal([-1, 0], 1.2, (150, 2)), rng.normal([1, 0.3], 1.0, (30, 2))])
    return Dataset(X, np.repeat([0, 1], [150, 30]), default_classes(2))


def _lab(make_window, qtbot, **settings):
    w = make_window(unequal_classes())
    lab = w.show_lab("classify")
    page = lab.page_widget
    if settings:
        page.with_settings(**settings)
    wait_frame(qtbot, page, lambda f: f.model.kind == page.settings().model)
    return w, lab, page


def _wait_compared(qtbot, lab, timeout=60000):
    qtbot.waitUntil(lambda: not lab.comparer.busy, timeout=timeout)


def test_our_own_class_agrees_everywhere(qtbot, make_window):
    _w, lab, page = _lab(make_window, qtbot, model="qda")
    assert lab.compare("gmmviz.labs.classify.estimators:QDA")
    _wait_compared(qtbot, lab)
    r = lab.compare_result
    assert r is not None and r.answer.agreement == 1.0 and r.answer.differing.size == 0
    assert r.answer.max_proba_difference < 1e-9
    assert "100.0 %" in page.banner.text() and page.banner.kind == "info"
    assert len(page.canvas.marks_layer.differ.data) == 0


def test_a_classifier_that_drops_the_priors_differs_and_the_points_are_circled(qtbot, make_window):
    w, lab, page = _lab(make_window, qtbot, model="gmm", n_components=(1,))
    lab.compare(f"{STUDENT}:NoPriorsGMMClassifier")
    _wait_compared(qtbot, lab)
    r = lab.compare_result
    assert r is not None and 0.0 < r.answer.agreement < 1.0
    n_diff = r.answer.differing.size
    from gmmviz.labs.classify.qt.lab import circled

    assert circled(n_diff) in page.banner.text() and n_diff > 1
    circles = page.canvas.marks_layer.differ.data
    assert len(circles) == n_diff
    ds = w.points.document
    np.testing.assert_allclose(sorted(map(tuple, np.array([(p[0], p[1]) for p in circles]))),
                               sorted(map(tuple, ds.X[r.answer.differing])))
    # Its own map: the same grid, its colours.
    w.actions_by_name["cls_user_map"].setChecked(True)
    shown = page.canvas.map_layer.image.image
    np.testing.assert_array_equal(shown, r.user_map[2])
    assert not np.array_equal(shown, page.frame.image)
    # Editing the points makes the comparison stale: the circles go.
    click(qtbot, page.canvas, 0.0, 0.0)
    qtbot.waitUntil(lambda: lab.compare_result is None)
    assert len(page.canvas.marks_layer.differ.data) == 0
    assert not w.actions_by_name["cls_user_map"].isChecked()


@pytest.mark.parametrize("target, words", [
    ("RaisesInFit", "RaisesInFit.fit raised RuntimeError: not implemented yet"),
    ("WrongShape", "predict_proba returned shape"),
    ("ReturnsNaN", "NaN"),
])
def test_a_broken_estimator_gives_one_clear_message(qtbot, make_window, target, words):
    _w, lab, page = _lab(make_window, qtbot)
    lab.compare(f"{STUDENT}:{target}")
    qtbot.waitUntil(lambda: page.banner.kind == "error", timeout=60000)
    assert words in page.banner.text() and "Traceback" not in page.banner.text()
    assert lab.compare_result is None and page.frame is not None


def test_a_module_that_cannot_be_imported_is_named(qtbot, make_window):
    _w, lab, page = _lab(make_window, qtbot)
    lab.compare("no_such_student_module:GMMClassifier")
    qtbot.waitUntil(lambda: page.banner.kind == "error", timeout=60000)
    assert "no module named 'no_such_student_module'" in page.banner.text()


def test_a_hanging_estimator_times_out_and_the_window_stays_responsive(qtbot, make_window):
    w, lab, page = _lab(make_window, qtbot)
    lab.comparer.timeout = 4.0
    lab.compare(f"{BROKEN}:Hangs")
    assert lab.comparer.busy
    # Meanwhile the window works: a prior slider moves the boundary, the probe follows the cursor.
    page.priors.rows[0][2].setValue(300)
    wait_frame(qtbot, page, lambda f: abs(f.model.priors[0] - 0.3) < 1e-9)
    page.show_probe(0.0, 0.0)
    assert page.probe_table.probe is not None
    assert lab.comparer.busy
    qtbot.waitUntil(lambda: page.banner.kind == "error", timeout=30000)
    assert "did not finish fit and predict within 4 s" in page.banner.text()
    assert not lab.comparer.busy


def test_editing_the_points_stops_a_comparison_in_progress(qtbot, make_window):
    w, lab, page = _lab(make_window, qtbot)
    lab.compare(f"{BROKEN}:Hangs")
    n = w.points.document.n_points
    click(qtbot, page.canvas, 0.5, 0.5)
    wait_frame(qtbot, page, lambda f: f.train.size == n + 1)
    qtbot.waitUntil(lambda: not lab.comparer.busy, timeout=5000)
    assert "comparison was stopped" in page.banner.text() and lab.compare_result is None


def test_the_menu_asks_for_the_estimator(qtbot, make_window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    w, lab, _page = _lab(make_window, qtbot, model="lda")
    asked = []
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda *args: (asked.append(args[-1]), ("gmmviz.labs.classify.estimators:LDA", True))[1])
    w.actions_by_name["cls_compare"].trigger()
    _wait_compared(qtbot, lab)
    assert lab.compare_result.answer.agreement == 1.0
    w.actions_by_name["cls_compare"].trigger()
    assert asked[-1] == "gmmviz.labs.classify.estimators:LDA"  # offered again
    _wait_compared(qtbot, lab)
    w.actions_by_name["cls_clear_compare"].trigger()
    assert lab.compare_result is None and not w.actions_by_name["cls_user_map"].isEnabled()


def test_a_frozen_bundle_compares_through_multiprocessing(qtbot, make_window, monkeypatch):
    from gmmviz.labs.classify.qt import compare

    monkeypatch.setattr(compare, "_frozen", lambda: True)  # a bundle has no "python -c": spawn
    _w, lab, page = _lab(make_window, qtbot, model="qda")
    lab.compare(f"{STUDENT}:NoPriorsGMMClassifier")
    _wait_compared(qtbot, lab)
    assert lab.compare_result is not None and lab.compare_result.answer.agreement < 1.0


def test_what_the_estimator_prints_does_not_break_the_answer(qtbot, make_window, tmp_path):
    noisy = tmp_path / "noisy.py"
    noisy.write_text("import os\nprint('importing')\nfrom gmmviz import QDA\n\n"
                     "class Noisy(QDA):\n    def fit(self, X, y):\n        print('fitting', len(X))\n"
                     "        os.write(1, b'raw bytes on fd 1')\n        return super().fit(X, y)\n")
    _w, lab, page = _lab(make_window, qtbot, model="qda")
    lab.compare(f"{noisy}:Noisy")
    _wait_compared(qtbot, lab)
    assert lab.compare_result is not None and lab.compare_result.answer.agreement == 1.0
