"""The EM studio: the lab where points are clicked and EM is played.

It owns the dataset store, the fit controller (worker thread + history)
and the playback cursor, and wires them to the canvas and the panels:

* edit -> store -> ``dataset_changed`` -> canvas + class list, and the run
  goes stale: a new one starts (debounced) and nothing of the old one is
  drawn again;
* a setting changes -> the same;
* worker -> ``step_appended`` -> history -> curves (debounced) + playback;
* playback -> ``frame_changed`` -> canvas, curves cursor, weights, status.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from gmmviz.core.data import Dataset
from gmmviz.core.mixture import GaussianParams
from gmmviz.labs.em.core.run_history import Frame, RunHistory, Step
from gmmviz.labs.em.core.steps import Workspace, adapt_start, initial_params
from gmmviz.labs.em.core.types import FitConfig, ModelSettings
from gmmviz.labs.em.qt.fit import FitController
from gmmviz.labs.em.qt.panels.curves import CurvesPanel
from gmmviz.labs.em.qt.panels.model import ModelPanel
from gmmviz.labs.em.qt.panels.weights import WeightsPanel
from gmmviz.qt.banner import Banner
from gmmviz.labs.em.qt.canvas import EMCanvas
from gmmviz.qt.classes.panel import ClassesPanel
from gmmviz.qt.playback import PlaybackController
from gmmviz.qt.store import DocumentStore
from gmmviz.qt.widgets import FocusBack, banner_column, side_panel

RESTART_DELAY_MS = 120
SIDE_WIDTH = (340, 440)  # the side panel's width range at scale 1, px
CURVES_IDLE_MS, CURVES_PLAYING_MS = 150, 1000


class EMStudio(QWidget):
    """The EM lab.

    Signals
    -------
    status_changed(str)
        One line for the status bar (iteration, phase, ln p, converged).
    frame_shown(object)
        The :class:`Frame` on screen, or None.
    """

    status_changed = Signal(str)
    frame_shown = Signal(object)

    def __init__(self, points: DocumentStore | Dataset, parent: QWidget | None = None):
        """``points``: the window's shared points document, or a Dataset for a
        studio of its own (headless rendering)."""
        super().__init__(parent)
        self.store = points if isinstance(points, DocumentStore) else DocumentStore(points, self)
        dataset = self.store.document
        self.fit = FitController(self)
        self.playback = PlaybackController(self)
        self._manual: GaussianParams | None = None
        self._frame: Frame | None = None
        self._build_ui()
        self._connect()
        self._on_dataset_changed(dataset)
        self.canvas.fit_view()

    # -- construction -----------------------------------------------------
    def _build_ui(self) -> None:
        self.canvas = EMCanvas()
        self.banner = Banner()
        self.curves = CurvesPanel()
        self.model_panel = ModelPanel()
        self.classes = ClassesPanel()
        self.weights = WeightsPanel(self.canvas.ellipses.color)
        left = banner_column(self.banner, self.canvas)
        self.vsplit = QSplitter(Qt.Orientation.Vertical)
        self.vsplit.addWidget(left)
        self.vsplit.addWidget(self.curves)
        self.vsplit.setStretchFactor(0, 4)
        self.vsplit.setStretchFactor(1, 1)
        self.side = self._side_panel()
        self.hsplit = QSplitter(Qt.Orientation.Horizontal)
        self.hsplit.addWidget(self.vsplit)
        self.hsplit.addWidget(self.side)
        self.hsplit.setStretchFactor(0, 1)
        self.hsplit.setStretchFactor(1, 0)
        self.hsplit.setSizes([930, 350])
        self.vsplit.setSizes([560, 200])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hsplit)

    def _side_panel(self) -> QWidget:
        scroll, self.groups = side_panel((("model", "Model", self.model_panel), ("classes", "Classes", self.classes),
                                          ("weights", "Mixing weights π", self.weights)), SIDE_WIDTH)
        return scroll

    def fit_side_panel(self, factor: float) -> None:
        """Widen the side panel with the text (up to 45 % of the studio; it scrolls past that)."""
        room = max(self.width(), 800)
        lo, hi = (round(w * factor) for w in SIDE_WIDTH)
        self.side.setMinimumWidth(min(lo, int(0.45 * room)))
        self.side.setMaximumWidth(max(hi, self.side.minimumWidth()))
        total = sum(self.hsplit.sizes()) or room
        self.hsplit.setSizes([max(total - self.side.minimumWidth(), 1), self.side.minimumWidth()])

    def _connect(self) -> None:
        self._restart = QTimer(self, singleShot=True, interval=RESTART_DELAY_MS)
        self._restart.timeout.connect(self._restart_when_idle)
        # The curves grow while the worker runs; redrawing them (and re-ticking
        # their axes) costs ~10 ms, so it is coalesced: a few times a second,
        # and once a second while playback animates the canvas.
        self._curves_timer = QTimer(self, singleShot=True, interval=CURVES_IDLE_MS)
        self._curves_timer.timeout.connect(self._refresh_curves)
        self.store.changed.connect(self._on_dataset_changed)
        self._focus_back = FocusBack(self.canvas.plot, self.model_panel.fields(), self)
        self.canvas.command_requested.connect(self._on_command)
        self.canvas.mean_dragged.connect(self._on_mean_dragged)
        self.classes.current_changed.connect(self.canvas.set_current_class)
        self.model_panel.settings_changed.connect(self._on_settings_changed)
        self.model_panel.algorithm.settings_changed.connect(self._on_settings_changed)
        self.fit.step_appended.connect(self.playback.on_step_appended)
        self.fit.step_appended.connect(self._on_step_appended)
        self.fit.run_finished.connect(self.playback.on_run_finished)
        self.fit.run_finished.connect(self._refresh_curves)
        self.fit.run_failed.connect(self._on_run_failed)
        self.playback.frame_changed.connect(self._on_frame)
        self.playback.cursor_changed.connect(self._on_cursor)
        self.playback.wants_all.connect(self.fit.compute_all)
        self.playback.stopped.connect(self._on_stopped)
        self.playback.playing_changed.connect(self._on_playing_changed)

    # -- runs ---------------------------------------------------------------
    @property
    def dataset(self) -> Dataset:
        return self.store.document

    def settings(self) -> ModelSettings:
        return self.model_panel.settings()

    def config(self) -> FitConfig | None:
        """The FitConfig for the current settings and data (None if it can't run)."""
        s, ds = self.settings(), self.dataset
        if ds.n_points < max(s.n_components, 1):
            return None
        return s.to_config(self._manual_params(s) if s.init == "manual" else None)

    def run_config(self):
        """What a run of the chosen algorithm needs: :meth:`config`, wrapped for an algorithm other than EM."""
        cfg = self.config()
        return None if cfg is None else self.model_panel.algorithm.settings().to_config(cfg)

    def _manual_params(self, s: ModelSettings) -> GaussianParams:
        """The dragged start; k-means++ from the seed when there is none; a dragged start
        made for another K or covariance type keeps its means (and says so)."""
        m = self._manual
        if m is None or m.n_components != s.n_components or m.covariance_type != s.covariance_type:
            ws = Workspace.build(self.dataset.X)
            cfg = replace(s, init="kmeans++").to_config()
            fresh = ws.std.params_from_std(initial_params(ws, cfg, np.random.default_rng(cfg.random_state)))
            if m is not None:
                self.banner.show_message(_kept_message(m.n_components, s.n_components), "info")
                fresh = adapt_start(m, fresh)
            self._manual = m = fresh
        return m

    def set_initial_params(self, params: GaussianParams | None) -> None:
        """Where the "manual" initialisation starts (None: k-means++ from the seed).

        Used when init is "manual"; the next run picks it up.
        """
        self._manual = params

    def show_run(self, snapshots, finish_reason: str, index: int) -> None:
        """Show a finished run read from a session file, without recomputing it."""
        self._restart.stop()
        self.fit.cancel()
        history = RunHistory(self.fit.run_id, self.dataset.X, self.config())
        for snap in snapshots:
            history.append(Step(snap))
        history.finish(finish_reason)
        self.fit.history = history
        self.banner.clear_problems()
        self.playback.set_history(history)
        self.playback.seek(max(index, 0))
        self._refresh_curves()

    def start_run(self) -> None:
        """Start the chosen algorithm (EM by default) afresh from the current data and settings."""
        self._restart.stop()
        cfg = self.run_config()
        if cfg is None:
            self.fit.cancel()
            self.playback.set_history(None)
            self._on_frame(None)
            k, n = self.settings().n_components, self.dataset.n_points
            self.status_changed.emit(f"Add points: EM needs at least K = {k} points (there are {n}).")
            return
        self.banner.clear_problems()
        self.fit.start_run(self.dataset.X, cfg)
        self.playback.set_history(self.fit.history)
        self._refresh_curves()

    def schedule_run(self) -> None:
        """The run is stale: stop drawing it and start a new one shortly."""
        self.fit.cancel()
        self.playback.pause()
        self.playback.set_history(None)
        self._on_frame(None)
        self._refresh_curves()
        self._restart.start()

    def _restart_when_idle(self) -> None:
        """The debounced restart; never in the middle of a brush stroke or drag."""
        if self.canvas.in_gesture():
            self._restart.start()
        else:
            self.start_run()

    def reset(self) -> None:
        """A new initialisation: the next seed."""
        s = self.settings()
        self._manual = None
        self.model_panel.set_settings(replace(s, seed=s.seed + 1))
        self.start_run()

    # -- slots ----------------------------------------------------------------
    def _on_dataset_changed(self, dataset: Dataset) -> None:
        self.canvas.set_dataset(dataset, keep_selection=self.store.kept_indices)
        self.classes.set_dataset(dataset)
        self.canvas.set_current_class(self.classes.current)
        self.schedule_run()

    def _on_step_appended(self, run_id: int, index: int) -> None:
        if not self._curves_timer.isActive():
            self._curves_timer.start()  # coalesce bursts of steps into one redraw

    def _on_command(self, command, text: str, gesture) -> None:
        self.store.push(command, text, gesture=gesture)

    def _on_settings_changed(self, settings) -> None:
        self.schedule_run()

    def _on_mean_dragged(self, i: int, x: float, y: float) -> None:
        """Continue from the parameters on screen with mean i moved (a new run)."""
        base = self._frame.snapshot.params if self._frame is not None else None
        if base is None or i >= base.n_components:
            return
        means = np.array(base.means)
        means[i] = (x, y)
        self._manual = base.with_means(means)
        s = self.settings()
        if s.init != "manual":
            self.model_panel.set_settings(replace(s, init="manual"))
        self.start_run()
        self.banner.show_message(f"Mean {i + 1} moved: EM starts again from the edited parameters.", "info")

    def _on_cursor(self, index: int, count: int) -> None:
        self.fit.follow(max(index, 0))

    def _on_playing_changed(self, playing: bool) -> None:
        self.canvas.set_handles_enabled(not playing)  # means are dragged while paused
        self.fit.set_animating(playing)
        self._curves_timer.setInterval(CURVES_PLAYING_MS if playing else CURVES_IDLE_MS)

    def _on_run_failed(self, run_id: int, message: str) -> None:
        self.playback.pause()
        self.banner.show_message(message, "error")
        self.status_changed.emit("EM stopped: " + message.split(". ")[0])

    def _on_stopped(self, reason: str) -> None:
        if reason == "collapse" and self._frame is not None and self._frame.snapshot.collapse is not None:
            self.banner.show_message(self._frame.snapshot.collapse.message, "warning")

    def _on_frame(self, frame: Frame | None) -> None:
        self._frame = frame
        self.canvas.show_frame(frame)
        snap = None if frame is None else frame.snapshot
        self.curves.show_values(snap)
        self.curves.set_cursor(-1 if frame is None else frame.index)
        self.weights.set_weights(None if snap is None else snap.params.weights)
        self.status_changed.emit(self.status_line())
        self.frame_shown.emit(frame)

    def status_line(self) -> str:
        """The status bar's line for the frame on screen."""
        frame = self._frame
        if frame is None:
            return "Click to add points; 1–9 choose the class; Space plays EM."
        s = frame.snapshot
        phase = {"init": "initialisation", "E": "E-step", "M": "M-step"}[s.phase]
        state = "converged" if s.converged else ("collapsed" if s.collapse else "not converged")
        elbo = f" · ELBO = {s.lower_bound:,.4f}" if getattr(s, "algorithm", "em") == "vb" else ""
        return f"Iteration {s.iteration} · {phase} · ln p = {s.log_likelihood:,.4f}{elbo} · {state}"

    def _refresh_curves(self, *_) -> None:
        h = self.fit.history
        self.curves.set_curves(None if h is None else h.curves())

    @property
    def frame(self) -> Frame | None:
        return self._frame

    @property
    def manual_params(self) -> GaussianParams | None:
        """Where a "manual" initialisation starts (the dragged means), if set."""
        return self._manual

    # -- what the export needs (gmmviz.qt.export.animation.Animated) ----------------
    def timeline(self):
        return self.fit.history

    def compute_all(self) -> None:
        self.fit.compute_all()

    @staticmethod
    def caption(frame: Frame) -> str:
        """'Initialisation', 'Iteration 3 · E-step', … for a frame."""
        snap = frame.snapshot
        if snap.phase == "init":
            return "Initialisation"
        return f"Iteration {snap.iteration} · {snap.phase}-step"

    def shutdown(self) -> None:
        self._restart.stop()
        self.playback.pause()
        self.fit.shutdown()


def _kept_message(k_old: int, k_new: int) -> str:
    """What happened to a manual start when the settings changed under it."""
    if k_new > k_old:
        added = f"mean {k_new}" if k_new == k_old + 1 else f"means {k_old + 1}–{k_new}"
        kept = f"the {k_old} dragged means stay" if k_old > 1 else "the dragged mean stays"
        where = "starts at a k-means++ pick" if k_new == k_old + 1 else "start at k-means++ picks"
        return f"Manual start kept: {kept}, {added} {where}."
    if k_new < k_old:
        dropped = f"mean {k_old}" if k_old == k_new + 1 else f"means {k_new + 1}–{k_old}"
        return f"Manual start kept: means 1–{k_new} stay where you dragged them, {dropped} dropped."
    return "Manual start kept: the dragged means stay; the covariances start afresh for the new type."
