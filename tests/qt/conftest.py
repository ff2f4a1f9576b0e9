"""Fixtures for the Qt tier: a real main window, closed and checked after each test."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from gmmviz.core.commands import default_classes
from gmmviz.core.data import Dataset


def three_clusters(n_per: int = 30, seed: int = 0) -> Dataset:
    """Three round clusters in two classes, like a lecturer would click them."""
    rng = np.random.default_rng(seed)
    centres = np.array([[-4.0, -2.0], [4.0, -1.0], [0.0, 5.0]])
    X = np.vstack([c + rng.normal(scale=0.9, size=(n_per, 2)) for c in centres])
    labels = np.repeat([0, 1, 1], n_per)
    return Dataset(X, labels, default_classes(2))


@pytest.fixture
def make_window(qtbot):
    """Factory for shown main windows; each is closed and its worker joined."""
    from gmmviz.app import make_app
    from gmmviz.qt.main_window import MainWindow

    make_app()
    windows = []

    def make(dataset: Dataset | None = None, *, labs=None, **settings):
        w = MainWindow(dataset) if labs is None else MainWindow(dataset, labs=labs)
        qtbot.addWidget(w)
        if settings:
            from dataclasses import replace

            w.lab("em").studio.model_panel.set_settings(replace(w.lab("em").studio.settings(), **settings))
            w.lab("em").studio.start_run()
        w.show()
        qtbot.waitExposed(w)
        windows.append(w)
        return w

    yield make
    for w in windows:
        w.close()
    from gmmviz.qt import runs

    alive = [c.objectName() for c in list(runs._LIVE) if c.is_alive()]
    assert not alive, f"worker threads still running after close: {alive}"
    leaked = [type(x).__name__ for x in QApplication.topLevelWidgets() if x.isVisible()]
    assert not leaked, f"top-level widgets still shown after the windows closed: {leaked}"


def wait_for_run(qtbot, window, timeout: int = 10000):
    """Wait until the current run has finished computing."""
    fit = window.lab("em").studio.fit
    qtbot.waitUntil(lambda: fit.history is not None and fit.history.finished, timeout=timeout)
    return fit.history


def activate(qtbot, window):
    """Make ``window`` the active window and wait for it: window shortcuts fire
    only in the active window, and offscreen the activation comes a little later."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


@pytest.fixture(autouse=True)
def private_settings(tmp_path, monkeypatch):
    """Each Qt test gets its own, empty settings folder (themes, recent files, ...),
    never the user's; request it by name to look into the folder.

    Afterwards QSettings point back at the suite's own temporary folder: a
    default ``QSettings()`` keeps the path :func:`configure_settings` last set,
    so it is set again once the environment is restored.  ``monkeypatch.undo()``
    restores the environment now rather than after this fixture; it also undoes
    the test's own patches, which is harmless this late (the windows are closed).
    """
    from gmmviz.qt.settings import configure_settings

    folder = tmp_path / "settings"
    folder.mkdir()
    monkeypatch.setenv("GMMVIZ_SETTINGS_DIR", str(folder))  # read by gmmviz.qt.settings
    yield folder
    monkeypatch.undo()
    configure_settings()


@pytest.fixture
def unthrottled():
    """pyqtgraph drops mouse moves closer than 10 ms apart; tests send them at once."""
    import pyqtgraph as pg

    old = pg.getConfigOption("mouseRateLimit")
    pg.setConfigOption("mouseRateLimit", 0)
    yield
    pg.setConfigOption("mouseRateLimit", old)


@pytest.fixture
def files_isolated(tmp_path, monkeypatch):
    """Own data folder (the settings one is the autouse fixture's); questions asked, and
    answered "Discard" (a test that wants another answer patches ``QMessageBox.question``)."""
    from PySide6.QtWidgets import QMessageBox

    from gmmviz.qt.files.controller import FileController

    monkeypatch.setenv("GMMVIZ_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(FileController, "ask_user", True)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)


def save_to(window, path, monkeypatch):
    """File → Save As… to ``path`` (the dialog answered)."""
    from gmmviz.qt.files.controller import FileController

    monkeypatch.setattr(FileController, "ask_save_path", lambda self: str(path))
    return window.files.save_as()
