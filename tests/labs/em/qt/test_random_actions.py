"""Random sequences of everything a lecturer does, on the real window.

200 sequences of 30+ actions (add, erase, brush, move, relabel, clear,
undo, redo, change K / covariance, step, play, pause, load, save) with
random short waits (and sometimes long enough for a new run to start and
play).  Throughout: no exception reaches sys.excepthook or
threading.excepthook (pytest-qt also fails on exceptions in Qt slots), the
screen never shows a frame of a run other than the current one nor of
other data than those in the store, and no thread is left running.
"""

from __future__ import annotations

import sys
import threading

import numpy as np
import pytest
from PySide6.QtCore import Qt

from gmmviz.core.commands import MovePoints, empty_dataset
from gmmviz.core.io.points import write_csv
from gmmviz.labs.em.core.types import ModelSettings

from .conftest import activate, three_clusters, wait_for_run
from qt.tool_helpers import drag, in_view, pixel_path

N_SEQUENCES = 200
MIN_ACTIONS = 30


class Run:
    """One window and the actions a random sequence draws from."""

    def __init__(self, qtbot, window, tmp_path, rng):
        self.qtbot, self.w, self.tmp, self.rng = qtbot, window, tmp_path, rng
        self.s = window.lab("em").studio
        self.csv = tmp_path / "points.csv"
        ds = three_clusters(15, seed=3)
        write_csv(self.csv, ds.X, ds.labels, [c.name for c in ds.classes])

    def xy(self):
        return in_view(self.s.canvas, *self.rng.uniform(0.1, 0.9, 2))

    def click(self, button=Qt.MouseButton.LeftButton):
        x, y = self.xy()
        pos = self.s.canvas.data_to_widget(x, y)
        self.qtbot.mouseClick(self.s.canvas.plot.viewport(), button, Qt.KeyboardModifier.NoModifier, pos)

    def use_tool(self, name):
        self.w.tooling.set_tool(name)

    # -- the actions ------------------------------------------------------
    def add(self):
        self.use_tool("put")
        self.click()

    def erase(self):
        ds = self.s.dataset
        if ds.n_points:
            self.use_tool("put")
            x, y = ds.X[self.rng.integers(ds.n_points)]
            pos = self.s.canvas.data_to_widget(float(x), float(y))
            self.qtbot.mouseClick(self.s.canvas.plot.viewport(), Qt.MouseButton.RightButton,
                                  Qt.KeyboardModifier.NoModifier, pos)

    def brush(self):
        self.use_tool("brush")
        start = np.array(self.xy())
        path = [start + self.rng.normal(scale=0.4, size=2) * i for i in range(4)]
        drag(self.s.canvas, pixel_path(self.s.canvas, path))

    def move(self):
        ds = self.s.dataset
        if ds.n_points:
            idx = self.rng.choice(ds.n_points, size=min(3, ds.n_points), replace=False)
            self.s.store.push(MovePoints(idx, ds.X[idx] + self.rng.normal(size=(idx.size, 2))), "Move points")

    def relabel(self):
        self.w.actions_by_name["select_all"].trigger()
        self.w.tooling.choose_class(int(self.rng.integers(0, 3)))
        self.w.tooling.relabel_selection()
        self.w.actions_by_name["select_none"].trigger()

    def clear(self):
        self.w.actions_by_name["clear"].trigger()

    def undo(self):
        self.w.actions_by_name["undo"].trigger()

    def redo(self):
        self.w.actions_by_name["redo"].trigger()

    def change_k(self):
        self.s.model_panel.k.setValue(int(self.rng.integers(1, 5)))

    def change_covariance(self):
        combo = self.s.model_panel.covariance
        combo.setCurrentIndex(int(self.rng.integers(0, combo.count())))

    def step(self):
        name = ("e_step", "m_step", "full_step", "back", "step")[self.rng.integers(0, 5)]
        self.w.actions_by_name[name].trigger()

    def play(self):
        self.s.playback.set_speed(30)
        self.s.playback.play()

    def pause(self):
        self.s.playback.pause()

    def load(self):
        assert self.w.files.open_path(str(self.csv))

    def save(self):
        assert self.w.files.write(str(self.tmp / "scene.gmmviz"))

    def linger(self):
        """Long enough for the debounced restart: a new run starts and plays."""
        self.qtbot.wait(int(self.rng.integers(125, 190)))

    ACTIONS = ("add", "add", "erase", "brush", "move", "relabel", "clear", "undo", "redo", "change_k",
               "change_covariance", "step", "step", "play", "pause", "load", "save", "linger")


@pytest.mark.slow
def test_random_sequences_of_actions(qtbot, make_window, tmp_path, unthrottled):
    hooked: list[str] = []
    old_sys, old_thread = sys.excepthook, threading.excepthook
    sys.excepthook = lambda t, v, tb: hooked.append(f"{t.__name__}: {v}")
    threading.excepthook = lambda args: hooked.append(f"{args.exc_type.__name__}: {args.exc_value}")
    try:
        _run_sequences(qtbot, make_window, tmp_path)
    finally:
        sys.excepthook, threading.excepthook = old_sys, old_thread
    assert not hooked, hooked


def _run_sequences(qtbot, make_window, tmp_path):
    w = make_window(three_clusters(10))
    activate(qtbot, w)
    studio = w.lab("em").studio
    stale: list[str] = []
    shown = []

    def check_frame(frame):
        shown.append(frame.run_id)
        hist = studio.fit.history
        if frame.run_id != studio.fit.run_id or hist is None or hist.run_id != frame.run_id:
            stale.append(f"frame of run {frame.run_id} while run {studio.fit.run_id} is current")
        elif not np.array_equal(hist.X, studio.dataset.X):
            stale.append("a frame of a run on other data than the store's")
        elif frame.resp_u8 is not None and frame.resp_u8.shape[0] != studio.dataset.n_points:
            stale.append("responsibilities for another number of points")

    studio.playback.frame_changed.connect(check_frame)
    for seq in range(N_SEQUENCES):
        rng = np.random.default_rng(seq)
        run = Run(qtbot, w, tmp_path, rng)
        studio.store.reset(three_clusters(int(rng.integers(3, 12)), seed=seq) if seq % 7 else empty_dataset())
        studio.model_panel.set_settings(ModelSettings(n_components=int(rng.integers(1, 4)), seed=seq))
        for _ in range(MIN_ACTIONS + int(rng.integers(0, 6))):
            getattr(run, Run.ACTIONS[rng.integers(len(Run.ACTIONS))])()
            qtbot.wait(int(rng.integers(0, 6)))
        assert not stale, f"sequence {seq}: {stale[:3]}"
        studio.playback.pause()
    assert len(set(shown)) > N_SEQUENCES, "too few runs reached the screen for the test to mean much"
    # After the last edit the run settles on exactly the data on screen.
    studio.start_run()
    studio.fit.compute_all()
    if studio.config() is None:  # fewer points than K (e.g. cleared): no run, and no old one on screen
        assert studio.dataset.n_points < max(studio.settings().n_components, 1)
        assert studio.fit.history is None and studio.frame is None and studio.playback.count() == 0
    else:
        history = wait_for_run(qtbot, w, timeout=20000)
        assert history.run_id == studio.fit.run_id and np.array_equal(history.X, studio.dataset.X)
    assert studio.fit.is_alive()
