"""The EM studio as a lab of the window (the :class:`~gmmviz.qt.lab.Lab` seam).

Everything the window used to wire into the studio lives here: the EM and
timeline toolbars, the EM menu and View rows, the Data menu
(:mod:`gmmviz.labs.em.qt.sources`), the formula strip, the studio's part
of themes, scale, presentation mode and settings, and the session format.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QSlider,
    QToolBar,
    QToolButton,
    QWidget,
)

from gmmviz.core import datasets
from gmmviz.labs import LabSpec
from gmmviz.labs.em.qt.actions import EM_ACTIONS
from gmmviz.labs.em.qt.formula import FormulaStrip
from gmmviz.labs.em.qt.sources.controller import DataSources
from gmmviz.labs.em.qt.studio import EMStudio
from gmmviz.labs.em.qt.theming import curve_text_colors, style_studio
from gmmviz.qt.lab import Lab, LabContext
from gmmviz.qt.playback import SPEED_STEPS, slider_from_speed, speed_from_slider
from gmmviz.qt.widgets import fixed_toolbar

#: Where presentation mode and QSettings keep the studio's splitters.
LAYOUT_KEYS = ("hsplit", "vsplit")
#: Curve settings: (action, QSettings key).
CURVE_SETTINGS = (("curves_follow", "curves/follow"), ("curves_whole_run", "curves/whole_run"),
                  ("present_weights", "presentation/weights"), ("present_curves", "presentation/curves"))


class EMLab(Lab):
    """The EM studio lab."""

    ACTIONS = EM_ACTIONS
    MENUS = ("View", "Data", "EM")

    def __init__(self, spec: LabSpec, ctx: LabContext):
        super().__init__(spec, ctx)
        self.studio = EMStudio(ctx.points)
        self._pending: tuple[int, int] | None = None  # (run id, half-step) of an opened session
        self._build_toolbars()
        self._build_formula()
        self._connect()
        self.sources = DataSources(self)

    # -- construction -----------------------------------------------------------
    def _action(self, name: str):
        return self.ctx.actions[name]

    def _build_toolbars(self) -> None:
        a = self.ctx.actions
        tb = fixed_toolbar("EM", "emToolbar")
        self.step_button = QToolButton()
        self.step_button.setDefaultAction(a["step"])
        self.step_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.step_button.setMinimumWidth(150)
        tb.addWidget(self.step_button)
        for name in ("e_step", "m_step", "full_step"):
            tb.addAction(a[name])
        tb.addSeparator()
        for name in ("back", "play"):
            tb.addAction(a[name])
        self.play_button = tb.widgetForAction(a["play"])
        tb.addWidget(QLabel("  Speed "))
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(0, SPEED_STEPS)
        self.speed.setFixedWidth(110)
        self.speed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.speed.setToolTip("Half-steps per second, from one every 2 s to 30 per second ([ and ])")
        self.speed_label = QLabel()
        self.speed_label.setMinimumWidth(48)
        tb.addWidget(self.speed)
        tb.addWidget(self.speed_label)
        self.em_toolbar = tb
        tb = fixed_toolbar("Timeline", "timelineToolbar")
        tb.addAction(a["first"])
        self.timeline = QSlider(Qt.Orientation.Horizontal)
        self.timeline.setMinimumWidth(300)
        self.timeline.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.timeline.setToolTip("Every half-step computed so far: drag to scrub (Home / End)")
        self.timeline_label = QLabel("half-step 0 / 0")
        self.timeline_label.setMinimumWidth(120)
        tb.addWidget(self.timeline)
        tb.addWidget(self.timeline_label)
        for name in ("last", "converge"):
            tb.addAction(a[name])
        tb.addSeparator()
        for name in ("reset", "fit_view"):
            tb.addAction(a[name])
        self.timeline_toolbar = tb
        self.speed.setValue(slider_from_speed(self.studio.playback.speed))
        self._on_speed(self.speed.value())

    def _build_formula(self) -> None:
        self.formula = FormulaStrip()
        self.formula_dock = QDockWidget("Formula", self.ctx.window)
        self.formula_dock.setObjectName("formulaDock")
        self.formula_dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.formula_dock.setTitleBarWidget(QWidget())
        self.formula_dock.setWidget(self.formula)
        self.ctx.window.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, self.formula_dock)
        self.formula_dock.hide()

    def _connect(self) -> None:
        a, s, pb = self.ctx.actions, self.studio, self.studio.playback
        triggers = {
            "fit_view": s.canvas.fit_view, "step": pb.step_forward,
            "e_step": lambda: pb.step_to_phase("E"), "m_step": lambda: pb.step_to_phase("M"),
            "full_step": lambda: pb.step_to_phase("M"), "back": pb.step_back, "first": pb.first,
            "last": pb.last, "converge": pb.run_to_end, "reset": s.reset,
            "faster": lambda: self.speed.setValue(self.speed.value() + 8),
            "slower": lambda: self.speed.setValue(self.speed.value() - 8),
        }
        for name, fn in triggers.items():
            a[name].triggered.connect(lambda checked=False, fn=fn: fn())
        a["play"].triggered.connect(lambda checked: pb.play() if checked else pb.pause())
        pb.playing_changed.connect(self._on_playing)
        a["sigma1"].setChecked(True)
        a["sigma2"].setChecked(True)
        for name in ("sigma1", "sigma2", "sigma3"):
            a[name].toggled.connect(self._on_levels)
        a["hard"].toggled.connect(s.canvas.set_hard)
        for name in ("heatmap", "contours"):
            a[name].toggled.connect(self._on_density)
        a["formula"].toggled.connect(self.set_formula_visible)
        a["curves_follow"].setChecked(s.curves.follow)
        a["curves_whole_run"].setChecked(s.curves.whole_run)
        a["present_curves"].setChecked(True)  # the bound is the lesson; the weights are a choice
        for name in ("present_weights", "present_curves"):
            a[name].toggled.connect(lambda on: self._on_present_choice())
        a["curves_follow"].toggled.connect(lambda on: s.curves.set_view(follow=on))
        a["curves_whole_run"].toggled.connect(lambda on: s.curves.set_view(whole_run=on))
        self.speed.valueChanged.connect(self._on_speed)
        self.timeline.valueChanged.connect(self._on_timeline)
        pb.cursor_changed.connect(self._on_cursor)
        s.status_changed.connect(self.status_changed)
        s.frame_shown.connect(self._on_frame)
        s.model_panel.settings_changed.connect(lambda _: self.state_changed.emit())
        s.model_panel.algorithm.settings_changed.connect(lambda _: self.state_changed.emit())
        s.fit.run_started.connect(lambda _: self.state_changed.emit())
        s.canvas.mean_dragged.connect(self._on_mean_dragged)
        s.fit.step_appended.connect(self._on_step_appended)
        s.fit.run_finished.connect(self._on_run_finished)
        self._on_levels()
        self._on_cursor(pb.cursor, pb.count())

    # -- the Lab seam -------------------------------------------------------------
    def page(self) -> QWidget:
        return self.studio

    def toolbars(self) -> list[QToolBar]:
        return [self.em_toolbar, self.timeline_toolbar]

    def status(self) -> str:
        return self.studio.status_line()

    def activate(self, active: bool) -> None:
        self.formula_dock.setVisible(active and self._action("formula").isChecked())
        if not active:
            self.studio.playback.pause()

    def points_editor(self):
        return self.studio

    def export_source(self):
        return self.studio

    def known_truth(self, dataset):
        """Points from Data → Generate (or a preset, a scene) were sampled from a known mixture."""
        return self.sources.truth_of(dataset)

    def export_stem(self) -> str:
        """``K2_iter7`` (``iter7E`` for an E-step, ``init`` for the start) for the frame on screen."""
        frame = self.studio.frame
        if frame is None:
            return ""
        snap = frame.snapshot
        step = "init" if snap.phase == "init" else f"iter{snap.iteration}{'E' if snap.phase == 'E' else ''}"
        return f"K{snap.params.n_components}_{step}"

    def open_entry(self, key: str) -> None:
        """Outline entries: the lecture scenes, and three prepared views of EM."""
        if key.startswith("scene:"):
            self.sources.load_scene(key.removeprefix("scene:"))
            return
        if key == "mixture":
            self.sources.load_preset("blobs")
            self._action("show_truth").setChecked(True)
        elif key == "half-steps":
            self.sources.load_source(datasets.faithful)
            s = self.studio
            s.model_panel.set_settings(replace(s.settings(), n_components=2, init="random"))
            self.set_formula_visible(True)
        elif key == "bound":
            self.sources.load_scene("overlapping")
            self.set_formula_visible(True)
        else:
            raise KeyError(f"the EM lab has no outline entry {key!r}")

    def show_banner(self, text: str, kind: str) -> None:
        self.studio.banner.show_message(text, kind)

    # -- presentation, theme, scale, settings --------------------------------------
    def presentation_panels(self) -> dict[str, QWidget]:
        """The model and class panels always go; the weights and the curves as the lecturer chose."""
        s, a = self.studio, self.ctx.actions
        panels = {"model": s.groups["model"], "classes": s.groups["classes"]}
        if not a["present_weights"].isChecked():
            panels.update(weights=s.groups["weights"], side=s.side)
        if not a["present_curves"].isChecked():
            panels["curves"] = s.curves
        return panels

    def layout_panels(self) -> dict[str, QWidget]:
        s = self.studio
        return {"model": s.groups["model"], "classes": s.groups["classes"], "weights": s.groups["weights"],
                "side": s.side, "curves": s.curves}

    def _on_present_choice(self) -> None:
        """A choice made while presenting shows or hides at once."""
        presentation = getattr(self.ctx.window, "presentation", None)
        if presentation is None or not presentation.presenting:
            return
        s, a = self.studio, self.ctx.actions
        weights, curves = a["present_weights"].isChecked(), a["present_curves"].isChecked()
        s.side.setVisible(weights)
        s.groups["weights"].setVisible(weights)
        s.curves.setVisible(curves)

    def save_layout(self) -> dict:
        return {"hsplit": self.studio.hsplit.saveState(), "vsplit": self.studio.vsplit.saveState()}

    def restore_layout(self, layout: dict) -> None:
        for key in LAYOUT_KEYS:
            if isinstance(layout.get(key), QByteArray):
                getattr(self.studio, key).restoreState(layout[key])

    def set_presenting(self, presenting: bool) -> None:
        """The canvas takes what the curves do not need (the class looks at it most)."""
        vsplit = self.studio.vsplit
        if presenting and vsplit.count() == 2:
            curves = max(self.studio.curves.minimumSizeHint().height(), vsplit.height() // 4)
            vsplit.setSizes([max(vsplit.height() - curves, 1), curves])

    def apply_theme(self, theme) -> None:
        style_studio(self.studio, theme)
        self.studio.banner.restyle()
        ll_text, bound_text = curve_text_colors(theme)
        self.formula.set_accents(bound_text, ll_text)

    def apply_scale(self, factor: float) -> None:
        self.studio.canvas.set_scale(factor)
        self.studio.curves.set_scale(factor)
        self.studio.weights.set_scale(factor)
        self.studio.fit_side_panel(factor)
        self.studio.banner.set_scale(factor)

    def save_settings(self, settings) -> None:
        for name, key in CURVE_SETTINGS:
            settings.setValue(key, self._action(name).isChecked())
        settings.setValue("view/formula", self._action("formula").isChecked())
        settings.setValue("playback/speed", self.studio.playback.speed)

    def restore_settings(self, settings) -> None:
        speed = _float(settings.value("playback/speed"), 0.0)
        if speed > 0:
            self.speed.setValue(slider_from_speed(speed))
        for name, key in CURVE_SETTINGS:
            value = settings.value(key)
            if value is not None:
                self._action(name).setChecked(str(value).lower() == "true")
        if str(settings.value("view/formula", "false")).lower() == "true":
            self.set_formula_visible(True)

    # -- sessions ---------------------------------------------------------------------
    def read_session(self, path: str, progress):
        from gmmviz.labs.em.core.session import files as session_files  # on first use: start-up stays short

        return session_files.read_session(path, progress=progress)

    def write_session(self, path: str, session) -> None:
        from gmmviz.labs.em.core.session import files as session_files

        session_files.write_session(path, session)

    def capture_session(self, *, with_history: bool):
        from gmmviz.labs.em.qt import document

        return document.capture_session(self.studio, with_history=with_history)

    def apply_session(self, session) -> None:
        """Put ``session`` on screen; a recomputed run is followed to its saved half-step."""
        from gmmviz.labs.em.qt import document

        pending = document.apply_session(self.studio, session)
        self._pending = None if pending is None else (self.studio.fit.run_id, pending)

    def new_points(self, loaded) -> None:
        """Points from a CSV (or none) replaced the document: forget what belonged to the old
        ones; name the axes after the file's columns."""
        self.studio.playback.pause()
        self.studio.set_initial_params(None)  # a manual start belongs to the old data
        if loaded is not None:
            self.sources.adopt(loaded)
        self.studio.canvas.fit_view()

    def state_token(self):
        return self.studio.settings(), self.studio.model_panel.algorithm.settings()

    def shutdown(self) -> None:
        self.studio.shutdown()

    # -- slots --------------------------------------------------------------------------
    def _on_mean_dragged(self, *_) -> None:
        self.modified.emit()

    def _on_step_appended(self, run_id: int, index: int) -> None:
        pending = self._pending
        if pending is None:
            return
        if run_id != pending[0]:
            self._pending = None  # another run started: the user moved on
        elif index >= pending[1]:
            self._pending = None
            self.studio.playback.seek(pending[1])
        else:
            self.studio.fit.follow(pending[1])

    def _on_run_finished(self, run_id: int, reason: str) -> None:
        if self._pending is not None and self._pending[0] == run_id:
            self._pending = None
            self.studio.playback.last()

    def _on_playing(self, playing: bool) -> None:
        play = self._action("play")
        play.setChecked(playing)
        style = self.studio.style()
        name = "SP_MediaPause" if playing else "SP_MediaPlay"
        play.setIcon(style.standardIcon(getattr(style.StandardPixmap, name)))
        play.setText("&Pause" if playing else "&Play")
        self._hold_play_width()

    def _hold_play_width(self) -> None:
        """Play and Pause take the same room, so the speed slider never shifts."""
        button = self.play_button
        metrics = button.fontMetrics()
        text = max(metrics.horizontalAdvance(s) for s in ("Play", "Pause", "Play / Pause"))
        button.setMinimumWidth(text + button.iconSize().width() + 28)

    def _on_levels(self, *_) -> None:
        a = self.ctx.actions
        self.studio.canvas.set_levels(a["sigma1"].isChecked(), a["sigma2"].isChecked(), a["sigma3"].isChecked())

    def _on_density(self, *_) -> None:
        a = self.ctx.actions
        self.studio.canvas.set_density(a["heatmap"].isChecked(), a["contours"].isChecked())

    def _on_speed(self, value: int) -> None:
        speed = speed_from_slider(value)
        self.studio.playback.set_speed(speed)
        self.speed_label.setText(f"{speed:.1f}/s" if speed >= 1 else f"1/{1 / speed:.0f}s")

    def _on_timeline(self, value: int) -> None:
        if value != self.studio.playback.cursor:
            self.studio.playback.seek(value)

    def _on_cursor(self, index: int, count: int) -> None:
        self.timeline.blockSignals(True)
        self.timeline.setRange(0, max(count - 1, 0))
        self.timeline.setValue(max(index, 0))
        self.timeline.blockSignals(False)
        self.timeline_label.setText(f"half-step {max(index, 0)} / {max(count - 1, 0)}")
        nxt = self.studio.playback.next_phase()
        step = self._action("step")
        step.setText({"E": "Next: E-step", "M": "Next: M-step"}.get(nxt, "Step"))
        step.setEnabled(nxt is not None)

    # -- formula strip ---------------------------------------------------------------
    def set_formula_visible(self, visible: bool) -> None:
        action = self._action("formula")
        if action.isChecked() != visible:
            action.setChecked(visible)  # comes back here through toggled
            return
        self.formula_dock.setVisible(visible)
        if visible:
            self._on_frame(self.studio.frame)

    def _on_frame(self, frame) -> None:
        if self.formula_dock.isHidden():
            return
        if frame is None:
            self.formula.show_snapshot(None)
            return
        history = self.studio.fit.history
        previous = None
        if history is not None and history.run_id == frame.run_id and 0 < frame.index <= len(history):
            previous = history.snapshots[frame.index - 1]
        self.formula.show_snapshot(frame.snapshot, previous)


def _float(value, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default

