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
* **Settings** (QSettings, :func:`gmmviz.qt.settings.open_settings`):
  geometry and layout, theme, scale, and each lab's own (its ``save_settings``).

What a lab adds to these (its panels, splitters, colours, markers) it
does through the :class:`~gmmviz.qt.lab.Lab` seam.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QActionGroup, QFont
from PySide6.QtWidgets import QToolBar

from gmmviz.qt.settings import open_settings
from gmmviz.qt.themes import THEME_NAMES, apply_scale, apply_theme, light_icon, theme

SCALE_STEPS = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.3, 2.6, 3.0)
PRESENTATION_SCALE, PRESENTATION_THEME = 1.5, "light"
#: QSettings keys, written and read through these names only.
KEY_GEOMETRY, KEY_STATE = "window/geometry", "window/state"
KEY_THEME, KEY_SCALE = "view/theme", "view/scale"
KEY_LECTURE_SCALE, KEY_LECTURE_THEME = "presentation/scale", "presentation/theme"


def layout_key(lab_key: str, part: str) -> str:
    """The QSettings key of part ``part`` of lab ``lab_key``'s layout."""
    return f"layout/{lab_key}/{part}"


@dataclass(frozen=True)
class Layout:
    """Everything presentation mode changes, captured on entering it."""

    geometry: QByteArray
    rect: QRect
    state: QByteArray
    window_state: Qt.WindowState
    labs: dict  # lab key -> its save_layout()
    visible: dict  # panel name -> (widget, was it shown)
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
        self._light: set[int] = set()  # cache keys of the light icons we made
        self._pending_layout: tuple | None = None
        self._build_actions()
        self._connect()
        self.restore_settings()

    # -- construction -----------------------------------------------------
    def _build_actions(self) -> None:
        w, a = self.window, self.window.actions_by_name
        # Shortcuts keep working with the menu bar hidden (presentation mode).
        w.addActions(list(a.values()))
        self.theme_group = QActionGroup(self)
        for name in THEME_NAMES:
            self.theme_group.addAction(a[f"theme_{name}"])
        a["theme_standard"].setChecked(True)
        toolbars = w.lab_toolbars()
        if toolbars:  # next to the lab's own controls, which presentation mode keeps
            toolbars[0].addSeparator()
            toolbars[0].addAction(a["presentation"])

    def _connect(self) -> None:
        a = self.window.actions_by_name
        a["presentation"].toggled.connect(self.set_presenting)
        a["zoom_in"].triggered.connect(self.zoom_in)
        a["zoom_out"].triggered.connect(self.zoom_out)
        a["zoom_reset"].triggered.connect(lambda: self.set_scale(PRESENTATION_SCALE if self.presenting else 1.0))
        a["next_theme"].triggered.connect(self.next_theme)
        for name in THEME_NAMES:
            a[f"theme_{name}"].triggered.connect(lambda checked=False, n=name: self.set_theme(n))
        for name, action in a.items():  # a lab that swaps an icon (play / pause) keeps it themed
            action.changed.connect(lambda name=name: self._on_action_changed(name))
        self.window.lab_built.connect(self._on_lab_built)
        self.window.installEventFilter(self)

    def _on_lab_built(self, lab) -> None:
        """A lab built after the theme, the scale or presentation mode changed (its tab first shown
        then) gets them too: it was drawn in the standard theme at scale 1 with all its panels."""
        w = self.window
        th = apply_theme(self._theme, lab.page(), [lab.apply_theme])
        self._theme_icons(th.dark)
        if self._scale != 1.0:
            apply_scale(w, self._scale, self._base_font, [lab.apply_scale])
        if self.presenting:
            for name, widget in lab.presentation_panels().items():
                self._saved.visible[f"{lab.spec.key}:{name}"] = (widget, not widget.isHidden())
                widget.hide()
            QTimer.singleShot(0, self, self._lab_first)

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
        apply_scale(w, factor, self._base_font, [lab.apply_scale for lab in w.labs.values()])
        for toolbar in w.findChildren(QToolBar):
            toolbar.setIconSize(QSize(round(self._icon_px * factor), round(self._icon_px * factor)))
        if not self.presenting:
            QTimer.singleShot(0, self, self._fit_toolbars)  # once the new sizes are laid out
        if self.presenting:
            QTimer.singleShot(0, self, self._lab_first)  # the lab's strips need more room with bigger text
        self.scale_changed.emit(factor)

    def _fit_toolbars(self) -> None:
        """Text beside the icons where a toolbar has the room; icons alone (text in the
        tooltip) where it would otherwise push buttons into its overflow menu."""
        w = self.window
        if self.presenting:
            return
        for toolbar in w.findChildren(QToolBar):
            toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            if toolbar.sizeHint().width() > w.width():
                toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)

    def zoom_in(self) -> None:
        self.set_scale(next((s for s in SCALE_STEPS if s > self._scale + 1e-6), SCALE_STEPS[-1]))

    def zoom_out(self) -> None:
        self.set_scale(next((s for s in reversed(SCALE_STEPS) if s < self._scale - 1e-6), SCALE_STEPS[0]))

    # -- theme ------------------------------------------------------------
    def set_theme(self, name: str) -> None:
        """Apply theme ``name`` ("standard", "light" or "dark")."""
        th = apply_theme(name, self.window, [lab.apply_theme for lab in self.window.labs.values()])
        self._theme = name
        if self.presenting:
            self._lecture = (self._lecture[0], name)
        self.window.actions_by_name[f"theme_{name}"].setChecked(True)
        self._theme_icons(th.dark)
        self.theme_changed.emit(name)

    def _theme_icons(self, dark: bool) -> None:
        """Light versions of the dark standard icons on a dark theme; the originals otherwise."""
        for name, action in self.window.actions_by_name.items():
            if name not in self._icons and not action.icon().isNull():
                self._icons[name] = action.icon()
            if name in self._icons:
                icon = light_icon(self._icons[name]) if dark else self._icons[name]
                if dark:
                    self._light.add(icon.cacheKey())
                action.setIcon(icon)

    def _on_action_changed(self, name: str) -> None:
        """An action got a new icon while a dark theme is on: show its light version."""
        action = self.window.actions_by_name[name]
        if not theme(self._theme).dark or action.icon().isNull() or action.icon().cacheKey() in self._light:
            return
        self._icons[name] = action.icon()
        light = light_icon(action.icon())
        self._light.add(light.cacheKey())
        action.setIcon(light)

    def next_theme(self) -> None:
        self.set_theme(THEME_NAMES[(THEME_NAMES.index(self._theme) + 1) % len(THEME_NAMES)])

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
        """What presentation mode hides: the menu bar, the toolbars but the labs'
        own (keys do the rest) and what each lab names."""
        w = self.window
        panels = {"menubar": w.menuBar()}
        for key, lab in w.labs.items():
            panels.update({f"{key}:{name}": widget for name, widget in lab.presentation_panels().items()})
        kept = w.lab_toolbars()
        for toolbar in w.findChildren(QToolBar):
            if toolbar not in kept:
                panels[f"toolbar:{toolbar.objectName()}"] = toolbar
        return panels

    def _restorable(self) -> dict:
        """Every panel presentation mode may show or hide, by name (what leaving it restores)."""
        panels = self._panels()
        for key, lab in self.window.labs.items():
            panels.update({f"{key}:{name}": widget for name, widget in lab.layout_panels().items()})
        return panels

    def snapshot(self) -> Layout:
        """The current layout, scale and theme."""
        w = self.window
        return Layout(w.saveGeometry(), w.geometry(), w.saveState(), w.windowState(),
                      {key: lab.save_layout() for key, lab in w.labs.items()},
                      {k: (p, not p.isHidden()) for k, p in self._restorable().items()},
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
        QTimer.singleShot(0, self, self._lab_first)
        self._sync_fullscreen()
        self.mode_changed.emit(True)

    def _lab_first(self) -> None:
        lab = self.window.current_lab
        if self.presenting and lab is not None:
            lab.set_presenting(True)

    def _leave(self) -> None:
        saved, self._saved = self._saved, None
        self.set_scale(saved.scale)
        self.set_theme(saved.theme)
        for panel, shown in saved.visible.values():  # every panel hidden on entering, as it was
            panel.setVisible(shown)
        for toolbar, style in saved.toolbar_styles.items():
            toolbar.setToolButtonStyle(style)
        self._restore_layout(saved.geometry, saved.state, saved.window_state, saved.labs)
        if not saved.window_state & (Qt.WindowState.WindowFullScreen | Qt.WindowState.WindowMaximized):
            self.window.setGeometry(saved.rect)  # exactly, even where restoreGeometry would clamp it
        self._sync_fullscreen()
        self.mode_changed.emit(False)

    def _restore_layout(self, geometry, state, window_state, labs: dict) -> None:
        w = self.window
        if not window_state & Qt.WindowState.WindowFullScreen and w.isFullScreen():
            w.showNormal()
        w.restoreGeometry(geometry)
        w.restoreState(state)
        if w.current_lab is not None:
            w.current_lab.activate(True)  # restoreState may show or hide a lab's docks

        def splitters() -> None:
            for key, layout in labs.items():
                if key in w.labs:
                    w.labs[key].restore_layout(layout)

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
        """Persist geometry, layout, theme, scale and each lab's settings (QSettings)."""
        layout = self._saved or self.snapshot()
        s = open_settings()
        s.setValue(KEY_GEOMETRY, layout.geometry)
        s.setValue(KEY_STATE, layout.state)
        for key, parts in layout.labs.items():
            for part, value in parts.items():
                s.setValue(layout_key(key, part), value)
        s.setValue(KEY_THEME, layout.theme)
        s.setValue(KEY_SCALE, layout.scale)
        s.setValue(KEY_LECTURE_SCALE, self._lecture[0])
        s.setValue(KEY_LECTURE_THEME, self._lecture[1])
        for lab in self.window.labs.values():
            lab.save_settings(s)
        s.sync()

    def restore_settings(self) -> None:
        """Apply saved settings; the geometry and splitters when the window is first shown."""
        s = open_settings()
        self._lecture = (_float(s.value(KEY_LECTURE_SCALE), PRESENTATION_SCALE),
                         _name(s.value(KEY_LECTURE_THEME), PRESENTATION_THEME))
        self.set_theme(_name(s.value(KEY_THEME), "standard"))  # also undoes another window's theme
        scale = _float(s.value(KEY_SCALE), 1.0)
        if scale != 1.0:
            self.set_scale(scale)
        for lab in self.window.labs.values():
            lab.restore_settings(s)
        geometry, state = s.value(KEY_GEOMETRY), s.value(KEY_STATE)
        labs = {key: {part: s.value(layout_key(key, part)) for part in lab.save_layout()}
                for key, lab in self.window.labs.items()}
        ok = all(isinstance(v, QByteArray) for v in (geometry, state))
        self._pending_layout = (geometry, state, labs) if ok else None

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        if obj is self.window and event.type() == QEvent.Type.Show and self._pending_layout is not None:
            (geometry, state, labs), self._pending_layout = self._pending_layout, None
            self._restore_layout(geometry, state, Qt.WindowState.WindowNoState, labs)
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
