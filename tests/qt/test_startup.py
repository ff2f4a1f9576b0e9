"""Start-up as a user sees it: the window paints first, its first lab follows.

``gmmviz`` shows and paints the window before pyqtgraph is loaded and the
first lab's page is built (issue 10, item 26); these tests hold that order.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QLabel

from gmmviz.core.resources import resource


def test_a_deferred_window_starts_after_its_first_paint(qtbot):
    from gmmviz.app import after_first_paint, make_app
    from gmmviz.qt.main_window import MainWindow

    make_app()
    w = MainWindow(defer_start=True)
    qtbot.addWidget(w)
    assert w.current_lab is None and not w.labs
    placeholder = w.tabs.widget(0)
    assert isinstance(placeholder, QLabel) and placeholder.text() == "Opening EM studio…"
    after_first_paint(w, w.finish_start)
    with qtbot.waitSignal(w.started, timeout=5000):
        w.show()
    assert w.current_lab is w.lab("em")
    assert w.tabs.widget(0) is w.lab("em").page()
    w.finish_start()  # a second call changes nothing
    assert list(w.labs) == ["em"]
    w.close()


def test_closing_before_the_start_finished_closes_cleanly(qtbot):
    from gmmviz.app import make_app
    from gmmviz.qt.main_window import MainWindow

    make_app()
    w = MainWindow(defer_start=True)
    qtbot.addWidget(w)
    assert w.close()
    assert w.current_lab is not None  # built to be shut down in order


@pytest.mark.slow
def test_the_command_paints_before_loading_the_plots():
    """The real ``gmmviz FILE``: painted without pyqtgraph, then the EM studio with the file's points."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GMMVIZ_STARTUP_REPORT": "1"}
    out = subprocess.run([sys.executable, "-m", "gmmviz", str(resource("data", "faithful.csv"))],
                         capture_output=True, text=True, env=env, timeout=60)
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("gmmviz-startup"))
    fields = dict(item.split("=") for item in line.split()[1:])
    assert fields["plots_at_paint"] == "0"
    assert fields["lab"] == "em"
    assert float(fields["ready"]) >= float(fields["painted"])
    assert fields["sklearn"] == "0" and fields["scipy.stats"] == "0"
    assert out.returncode == 0
