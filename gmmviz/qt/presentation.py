"""Lecture-hall features: presentation mode, themes, scale, formula strip,
settings that persist.

Installed by the main window with :func:`install`; owns the actions of the
"View / presentation" rows of :mod:`gmmviz.qt.actions`.

* **Presentation mode** (F5, or the toolbar toggle): full screen, the
  lecture scale and theme, the menu bar and the side panel hidden.  Leaving
  it restores the layout exactly: geometry, window state, splitter sizes,
  visible panels, scale and theme.
* **Scale** (Ctrl + / Ctrl − / Ctrl 0): window font, toolbar icons, axis
  text, markers and line widths, all by one factor.
* **Themes**: standard, high-contrast light, dark (:mod:`gmmviz.qt.themes`).
* **Formula strip** (Ctrl+Shift+F): :class:`~gmmviz.labs.em.qt.formula.FormulaStrip`
  in a dock above the canvas, following ``EMStudio.frame_shown``.
* **Settings** (QSettings, :func:`gmmviz.qt.settings.open_settings`):
  geometry and layout, theme, scale, speed, formula strip.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QActionGroup, QFont
from PySide6.QtWidgets import QDockWidget, QToolBar, QWidget

from gmmviz.labs.em.qt.formula import FormulaStrip
from gmmviz.qt.settings import open_settings
from gmmviz.qt.themes import (
    THEME_NAMES,
    apply_scale,
    apply_theme,
    curve_text_colors,
    light_icon,
    theme,
)

SCALE_STEPS = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.3, 2.6, 3.0)
PRESENTATION_SCALE, PRESENTATION_THEME = 1.5, "light"
LECTURE_TOOLBARS = ("emToolbar", "timelineToolbar")  # kept in presentation mode (keys do the rest)


@dataclass(frozen=True)
class Layout:
    """Everything presentation mode changes, captured on entering it."""

    geometry: QByteArray
    rect: QRect
    state: QByteArray
    window_state: Qt.WindowState
    hsplit: QByteArray
    vsplit: QByteArray
    visible: dict
    toolbar_styles: dict
    scale: float
    theme: str


class Presentation(QObject):
    """Presentation mode, scale, theme, formula strip and settings of one window.

    Signals
    -------
    mode_changed(bool)
        Presentation mode entered (True) or left (False).
    scale_changed(float)
        The new scale factor.
    theme_changed(str)
        The new theme name.
    """

    mode_changed = Signal(bool)
    scale_changed = Signal(float)
    theme_changed = Signal(str)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._base_font = QFont(window.font())
        self._icon_px = window.iconSize().width()
        self._scale, self._theme = 1.0, "standard"
        self._lecture = (PRESENTATION_SCALE, PRESENTATION_THEME)  # scale and theme while presenting
        self._saved: Layout | None = None
        self._icons: dict = {}  # the original icons, while a dark theme shows light ones
        self._pending_layout: dict | None = None
        self._build_ui()
        self._build_actions()
        self._connect()
        self.restore_settings()

    # -- construction -----------------------------------------------------
    def _build_ui(self) -> None:
        self.formula = FormulaStrip()
        self.formula_dock = QDockWidget("Formula", self.window)
        self.formula_dock.setObjectName("formulaDock")
        self.formula_dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.formula_dock.setTitleBarWidget(QWidget())
        self.formula_dock.setWidget(self.formula)
        self.window.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, self.formula_dock)
        self.formula_dock.hide()

    def _build_actions(self) -> None:
        w, a = self.window, self.window.actions_by_name
        # Shortcuts keep working with the menu bar hidden (presentation mode).
        w.addActions(list(a.values()))
        self.theme_group = QActionGroup(self)
        for name in THEME_NAMES:
            self.theme_group.addAction(a[f"theme_{name}"])
        a["theme_standard"].setChecked(True)
        toolbar = w.findChild(QToolBar, "emToolbar")
        if toolbar is not None:
            toolbar.addSeparator()
            toolbar.addAction(a["presentation"])

    def _connect(self) -> None:
        a = self.window.actions_by_name
        a["presentation"].toggled.connect(self.set_presenting)
        a["zoom_in"].triggered.connect(self.zoom_in)
        a["zoom_out"].triggered.connect(self.zoom_out)
        a["zoom_reset"].triggered.connect(lambda: self.set_scale(PRESENTATION_SCALE if self.presenting else 1.0))
        a["next_theme"].triggered.connect(self.next_theme)
        for name in THEME_NAMES:
            a[f"theme_{name}"].triggered.connect(lambda checked=False, n=name: self.set_theme(n))
        a["formula"].toggled.connect(self.set_formula_visible)
        self.window.studio.frame_shown.connect(self._on_frame)
        self.window.studio.playback.playing_changed.connect(self._on_playing)  # after the window's slot
        self.window.installEventFilter(self)

    # -- state ------------------------------------------------------------
    @property
    def presenting(self) -> bool:
        return self._saved is not None

    @property
    def scale(self) -> float:
        return self._scale

    @property
    def theme_name(self) -> str:
        return self._theme

    # -- scale ------------------------------------------------------------
    def set_scale(self, factor: float) -> None:
        """Fonts, icons, markers and line widths times ``factor`` (0.5 .. 4)."""
        factor = min(4.0, max(0.5, round(float(factor), 3)))
        self._scale = factor
        if self.presenting:
            self._lecture = (factor, self._lecture[1])
        w = self.window
        apply_scale(w, factor, self._base_font)
        for toolbar in w.findChildren(QToolBar):
            toolbar.setIconSize(QSize(round(self._icon_px * factor), round(self._icon_px * factor)))
        if self.presenting:
            QTimer.singleShot(0, self, self._canvas_first)  # the curves need more room with bigger text
        self.scale_changed.emit(factor)

    def zoom_in(self) -> None:
        self.set_scale(next((s for s in SCALE_STEPS if s > self._scale + 1e-6), SCALE_STEPS[-1]))

    def zoom_out(self) -> None:
        self.set_scale(next((s for s in reversed(SCALE_STEPS) if s < self._scale - 1e-6), SCALE_STEPS[0]))

    # -- theme ------------------------------------------------------------
    def set_theme(self, name: str) -> None:
        """Apply theme ``name`` ("standard", "light" or "dark")."""
        th = apply_theme(name, self.window)
        self._theme = name
        if self.presenting:
            self._lecture = (self._lecture[0], name)
        self.window.actions_by_name[f"theme_{name}"].setChecked(True)
        m_color, e_color = curve_text_colors(th)  # as the curves panel's ln p and Q + H
        self.formula.set_accents(e_color, m_color)
        self._theme_icons(th.dark)
        self.theme_changed.emit(name)

    def _theme_icons(self, dark: bool) -> None:
        """Light versions of the dark standard icons on a dark theme; the originals otherwise."""
        for name, action in self.window.actions_by_name.items():
            if name not in self._icons and not action.icon().isNull():
                self._icons[name] = action.icon()
            if name in self._icons:
                action.setIcon(light_icon(self._icons[name]) if dark else self._icons[name])

    def _on_playing(self, playing: bool) -> None:
        """The window swaps the play/pause icon; keep it light on a dark theme."""
        action = self.window.actions_by_name["play"]
        self._icons["play"] = action.icon()
        if theme(self._theme).dark:
            action.setIcon(light_icon(action.icon()))

    def next_theme(self) -> None:
        self.set_theme(THEME_NAMES[(THEME_NAMES.index(self._theme) + 1) % len(THEME_NAMES)])

    # -- formula strip ----------------------------------------------------
    def set_formula_visible(self, visible: bool) -> None:
        action = self.window.actions_by_name["formula"]
        if action.isChecked() != visible:
            action.setChecked(visible)  # comes back here through toggled
            return
        self.formula_dock.setVisible(visible)
        if visible:
            self._on_frame(self.window.studio.frame)

    def _on_frame(self, frame) -> None:
        if self.formula_dock.isHidden():
            return
        if frame is None:
            self.formula.show_snapshot(None)
            return
        history = self.window.studio.fit.history
        previous = None
        if history is not None and history.run_id == frame.run_id and 0 < frame.index <= len(history):
            previous = history.snapshots[frame.index - 1]
        self.formula.show_snapshot(frame.snapshot, previous)

    # -- presentation mode ------------------------------------------------
    def set_presenting(self, on: bool) -> None:
        """Enter (True) or leave (False) presentation mode."""
        action = self.window.actions_by_name["presentation"]
        if action.isChecked() != on:
            action.setChecked(on)  # comes back here through toggled
            return
        if on and not self.presenting:
            self._enter()
        elif not on and self.presenting:
            self._leave()

    def toggle(self) -> None:
        self.set_presenting(not self.presenting)

    def _panels(self) -> dict:
        """What presentation mode hides: all but the canvas, the curves and the EM toolbars."""
        w = self.window
        panels = {"menubar": w.menuBar(), "side": w.studio.side}
        for toolbar in w.findChildren(QToolBar):
            if toolbar.objectName() not in LECTURE_TOOLBARS:
                panels[f"toolbar:{toolbar.objectName()}"] = toolbar
        return panels

    def snapshot(self) -> Layout:
        """The current layout, scale and theme."""
        w, studio = self.window, self.window.studio
        return Layout(w.saveGeometry(), w.geometry(), w.saveState(), w.windowState(), studio.hsplit.saveState(),
                      studio.vsplit.saveState(), {k: not p.isHidden() for k, p in self._panels().items()},
                      {tb: tb.toolButtonStyle() for tb in w.findChildren(QToolBar)}, self._scale, self._theme)

    def _enter(self) -> None:
        self._saved = self.snapshot()
        for panel in self._panels().values():
            panel.hide()
        for toolbar in self._saved.toolbar_styles:  # big icons, text only where there is no icon
            toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        scale, name = self._lecture
        self.set_theme(name)
        self.set_scale(scale)
        self.window.showFullScreen()
        QTimer.singleShot(0, self, self._canvas_first)
        self._sync_fullscreen()
        self.mode_changed.emit(True)

    def _canvas_first(self) -> None:
        """The canvas takes what the curves do not need (the class looks at it most)."""
        vsplit = self.window.studio.vsplit
        if self.presenting and vsplit.count() == 2:
            curves = max(self.window.studio.curves.minimumSizeHint().height(), vsplit.height() // 4)
            vsplit.setSizes([max(vsplit.height() - curves, 1), curves])

    def _leave(self) -> None:
        saved, self._saved = self._saved, None
        self.set_scale(saved.scale)
        self.set_theme(saved.theme)
        for key, panel in self._panels().items():
            panel.setVisible(saved.visible[key])
        for toolbar, style in saved.toolbar_styles.items():
            toolbar.setToolButtonStyle(style)
        self._restore_layout(saved.geometry, saved.state, saved.window_state, saved.hsplit, saved.vsplit)
        if not saved.window_state & (Qt.WindowState.WindowFullScreen | Qt.WindowState.WindowMaximized):
            self.window.setGeometry(saved.rect)  # exactly, even where restoreGeometry would clamp it
        self._sync_fullscreen()
        self.mode_changed.emit(False)

    def _restore_layout(self, geometry, state, window_state, hsplit, vsplit) -> None:
        w, studio = self.window, self.window.studio
        if not window_state & Qt.WindowState.WindowFullScreen and w.isFullScreen():
            w.showNormal()
        w.restoreGeometry(geometry)
        w.restoreState(state)
        self.formula_dock.setVisible(self.window.actions_by_name["formula"].isChecked())

        def splitters() -> None:
            studio.hsplit.restoreState(hsplit)
            studio.vsplit.restoreState(vsplit)

        splitters()
        # A window manager applies the new geometry later; the splitters
        # must be set again once the window has its size.
        QTimer.singleShot(0, self, splitters)  # (dropped if the window is gone)
        QTimer.singleShot(150, self, splitters)

    def _sync_fullscreen(self) -> None:
        action = self.window.actions_by_name["fullscreen"]
        action.blockSignals(True)
        action.setChecked(bool(self.window.windowState() & Qt.WindowState.WindowFullScreen))
        action.blockSignals(False)

    # -- settings ---------------------------------------------------------
    def save_settings(self) -> None:
        """Persist geometry, layout, theme, scale, speed and the strip (QSettings)."""
        layout = self._saved or self.snapshot()
        s, studio = open_settings(), self.window.studio
        s.setValue("window/geometry", layout.geometry)
        s.setValue("window/state", layout.state)
        s.setValue("window/hsplit", layout.hsplit)
        s.setValue("window/vsplit", layout.vsplit)
        s.setValue("view/theme", layout.theme)
        s.setValue("view/scale", layout.scale)
        s.setValue("presentation/scale", self._lecture[0])
        s.setValue("presentation/theme", self._lecture[1])
        s.setValue("view/formula", self.window.actions_by_name["formula"].isChecked())
        s.setValue("playback/speed", studio.playback.speed)
        s.sync()

    def restore_settings(self) -> None:
        """Apply saved settings; the geometry and splitters when the window is first shown."""
        s = open_settings()
        self._lecture = (_float(s.value("presentation/scale"), PRESENTATION_SCALE),
                         _name(s.value("presentation/theme"), PRESENTATION_THEME))
        self.set_theme(_name(s.value("view/theme"), "standard"))  # also undoes another window's theme
        scale = _float(s.value("view/scale"), 1.0)
        if scale != 1.0:
            self.set_scale(scale)
        speed = _float(s.value("playback/speed"), 0.0)
        if speed > 0 and hasattr(self.window, "speed"):
            from gmmviz.qt.main_window import slider_from_speed

            self.window.speed.setValue(slider_from_speed(speed))
        if str(s.value("view/formula", "false")).lower() == "true":
            self.set_formula_visible(True)
        keys = ("window/geometry", "window/state", "window/hsplit", "window/vsplit")
        values = {k: s.value(k) for k in keys}
        self._pending_layout = values if all(isinstance(v, QByteArray) for v in values.values()) else None

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        if obj is self.window and event.type() == QEvent.Type.Show and self._pending_layout is not None:
            v, self._pending_layout = self._pending_layout, None
            self._restore_layout(v["window/geometry"], v["window/state"], Qt.WindowState.WindowNoState,
                                 v["window/hsplit"], v["window/vsplit"])
        return False


def _float(value, default: float) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return default
    return out if 0 < out < 100 else default


def _name(value, default: str) -> str:
    return value if value in THEME_NAMES else default


def install(window) -> Presentation:
    return Presentation(window)
