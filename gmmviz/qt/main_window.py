"""The main window: menus, the EM toolbar, the status bar, and the labs.

Labs (the EM studio now; classification, density estimation and theory
views later) are pages of a tab widget, so a new lab is one more tab and
rewires nothing here.  Every action comes from :mod:`gmmviz.qt.actions`.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSlider,
    QTabWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from gmmviz.core.commands import SetClasses, clear_all, empty_dataset, with_new_class
from gmmviz.core.data import Dataset
from gmmviz.core.resources import resource
from gmmviz.labs.em.qt.studio import EMStudio
from gmmviz.qt.actions import ACTIONS, MENUS, build_actions
from gmmviz.qt.help import ABOUT, toggle_cheat_sheet
from gmmviz.qt.playback import MAX_SPEED, MIN_SPEED

SPEED_STEPS = 100


def speed_from_slider(value: int) -> float:
    """Slider 0..100 to half-steps per second, logarithmic from 0.5 to 30."""
    return MIN_SPEED * (MAX_SPEED / MIN_SPEED) ** (value / SPEED_STEPS)


def slider_from_speed(speed: float) -> int:
    return round(SPEED_STEPS * math.log(speed / MIN_SPEED) / math.log(MAX_SPEED / MIN_SPEED))


def app_icon() -> QIcon:
    """The window icon at every size we ship."""
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        image = QImage.fromData(resource("icons", f"gmmviz-{size}.png").read_bytes())
        icon.addPixmap(QPixmap.fromImage(image))
    return icon


class MainWindow(QMainWindow):
    """The gmmviz window."""

    def __init__(self, dataset: Dataset | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("gmmviz")
        self.setWindowIcon(app_icon())
        self.actions_by_name = build_actions(self)
        self.studio = EMStudio(dataset if dataset is not None else empty_dataset())
        self.labs = QTabWidget()
        self.labs.setDocumentMode(True)
        self.labs.addTab(self.studio, "EM studio")
        self.labs.tabBar().setVisible(self.labs.count() > 1)
        self.setCentralWidget(self.labs)
        self._build_menus()
        self._build_toolbar()
        self._build_status()
        self._connect()
        self._install_extensions()
        self.resize(1280, 800)

    def _install_extensions(self) -> None:
        """Each feature area wires itself to the actions of its own rows in
        :mod:`gmmviz.qt.actions` and keeps its code in its own module."""
        from gmmviz.labs.em.qt.sources import controller as sources
        from gmmviz.qt import presentation
        from gmmviz.qt.canvas.tools import controller as tooling
        from gmmviz.qt.export import controller as exporting
        from gmmviz.qt.files import controller as files

        self.files = files.install(self)
        self.sources = sources.install(self)
        self.tooling = tooling.install(self)
        self.exporting = exporting.install(self)
        self.presentation = presentation.install(self)

    def open_path(self, path: str) -> bool:
        """Open a CSV or session file (``gmmviz FILE``, drag and drop, recent files)."""
        return self.files.open_path(path)

    # -- construction -----------------------------------------------------
    def _build_menus(self) -> None:
        titles = {"File": "&File", "Edit": "&Edit", "View": "&View", "Data": "&Data", "Tools": "&Tools",
                  "EM": "E&M", "Help": "&Help"}
        menus = {name: self.menuBar().addMenu(titles[name]) for name in MENUS}
        for spec in ACTIONS:
            menus[spec.menu].addAction(self.actions_by_name[spec.name])
            if spec.name in ("export_animation", "clear", "class_9", "contours", "converge", "slower"):
                menus[spec.menu].addSeparator()
        a = self.actions_by_name
        a["sigma1"].setChecked(True)
        a["sigma2"].setChecked(True)

    def _build_toolbar(self) -> None:
        a = self.actions_by_name
        tb = QToolBar("EM")
        tb.setObjectName("emToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(tb)
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
        self.addToolBarBreak()
        tb = QToolBar("Timeline")
        tb.setObjectName("timelineToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(tb)
        for name in ("first",):
            tb.addAction(a[name])
        self.timeline = QSlider(Qt.Orientation.Horizontal)
        self.timeline.setMinimumWidth(300)
        self.timeline.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.timeline.setToolTip("Every half-step computed so far: drag to scrub (Home / End)")
        self.timeline_label = QLabel("0 / 0")
        self.timeline_label.setMinimumWidth(64)
        tb.addWidget(self.timeline)
        tb.addWidget(self.timeline_label)
        for name in ("last", "converge"):
            tb.addAction(a[name])
        tb.addSeparator()
        for name in ("reset", "fit_view"):
            tb.addAction(a[name])
        self.speed.setValue(slider_from_speed(self.studio.playback.speed))
        self._on_speed(self.speed.value())

    def _build_status(self) -> None:
        self.status_label = QLabel()
        # Permanent, on the right, at its natural width: transient showMessage()
        # texts (menu hints, autosave notes) get the left part and never overlap it.
        self.statusBar().addPermanentWidget(self.status_label)

    def _connect(self) -> None:
        a, s, pb = self.actions_by_name, self.studio, self.studio.playback
        triggers = {
            "quit": self.close, "undo": s.store.undo_stack.undo, "redo": s.store.undo_stack.redo,
            "clear": lambda: s.store.push(clear_all(s.dataset), "Clear all points"),
            "fit_view": s.canvas.fit_view, "step": pb.step_forward,
            "e_step": lambda: pb.step_to_phase("E"), "m_step": lambda: pb.step_to_phase("M"),
            "full_step": lambda: pb.step_to_phase("M"), "back": pb.step_back, "first": pb.first,
            "last": pb.last, "converge": pb.run_to_end, "reset": s.reset,
            "faster": lambda: self.speed.setValue(self.speed.value() + 8),
            "slower": lambda: self.speed.setValue(self.speed.value() - 8),
            "cheatsheet": self.show_cheat_sheet, "about": self.show_about,
        }
        for name, fn in triggers.items():
            a[name].triggered.connect(lambda checked=False, fn=fn: fn())
        a["play"].triggered.connect(lambda checked: pb.play() if checked else pb.pause())
        pb.playing_changed.connect(self._on_playing)
        for i in range(1, 10):
            a[f"class_{i}"].triggered.connect(lambda checked=False, i=i: self.choose_class(i - 1))
        for name in ("sigma1", "sigma2", "sigma3"):
            a[name].toggled.connect(self._on_levels)
        a["hard"].toggled.connect(s.canvas.set_hard)
        for name in ("heatmap", "contours"):
            a[name].toggled.connect(self._on_density)
        a["fullscreen"].toggled.connect(lambda on: self.showFullScreen() if on else self.showNormal())
        self.speed.valueChanged.connect(self._on_speed)
        self.timeline.valueChanged.connect(self._on_timeline)
        pb.cursor_changed.connect(self._on_cursor)
        s.status_changed.connect(self.status_label.setText)
        s.store.undo_stack.canUndoChanged.connect(a["undo"].setEnabled)
        s.store.undo_stack.canRedoChanged.connect(a["redo"].setEnabled)
        s.store.undo_stack.undoTextChanged.connect(self._on_undo_text)
        s.store.undo_stack.redoTextChanged.connect(self._on_redo_text)
        a["undo"].setEnabled(False)
        a["redo"].setEnabled(False)
        self._on_levels()
        self._on_cursor(pb.cursor, pb.count())
        self.status_label.setText(s._status_line(s.frame))

    # -- slots ------------------------------------------------------------
    def _on_undo_text(self, text: str) -> None:
        self.actions_by_name["undo"].setText(f"&Undo {text}".strip())

    def _on_redo_text(self, text: str) -> None:
        self.actions_by_name["redo"].setText(f"&Redo {text}".strip())

    def choose_class(self, index: int) -> None:
        """Keys 1-9: pick a class, creating the missing ones (undoable)."""
        s = self.studio
        if index >= len(s.dataset.classes):
            ds = s.dataset
            while len(ds.classes) <= index:
                ds, _ = with_new_class(ds).apply(ds)
            s.store.push(SetClasses(ds.classes), f"Add class {index + 1}")
        s.classes.set_current(index)

    def _on_playing(self, playing: bool) -> None:
        play = self.actions_by_name["play"]
        play.setChecked(playing)
        name = "SP_MediaPause" if playing else "SP_MediaPlay"
        play.setIcon(self.style().standardIcon(getattr(self.style().StandardPixmap, name)))
        play.setText("&Pause" if playing else "&Play")

    def _on_levels(self, *_) -> None:
        a = self.actions_by_name
        self.studio.canvas.set_levels(a["sigma1"].isChecked(), a["sigma2"].isChecked(), a["sigma3"].isChecked())

    def _on_density(self, *_) -> None:
        a = self.actions_by_name
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
        self.timeline_label.setText(f"{max(index, 0)} / {max(count - 1, 0)}")
        nxt = self.studio.playback.next_phase()
        step = self.actions_by_name["step"]
        step.setText({"E": "Next: E-step", "M": "Next: M-step"}.get(nxt, "Step"))
        step.setEnabled(nxt is not None)

    # -- dialogs ------------------------------------------------------------
    def show_cheat_sheet(self) -> None:
        toggle_cheat_sheet(self)

    def show_about(self) -> None:
        QMessageBox.about(self, "About gmmviz", ABOUT)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if not self.files.confirm_close():
            event.ignore()
            return
        self.presentation.save_settings()
        self.exporting.shutdown()  # only now: a cancelled close leaves the export running
        self.studio.shutdown()
        self.files.clean_exit()
        event.accept()
