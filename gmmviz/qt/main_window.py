"""The main window: the shell's menus and status bar, the shared points document, and the labs.

Labs come from the registry (:data:`gmmviz.labs.LABS`) and are pages of a
tab widget; the window knows them only through the
:class:`~gmmviz.qt.lab.Lab` seam.  A lab is built when its tab is first
needed; its actions are created from its own table then, and are enabled
(their menus shown) only while it is the current lab, so a one-key
shortcut of one lab never collides with another's.  The shell's features
(files, tools, export, presentation, the lecture outline) are installed
controllers that reach the lab through :attr:`MainWindow.current_lab`.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QToolBar,
    QWidget,
)

from gmmviz.core.commands import clear_all, empty_dataset
from gmmviz.core.data import Dataset
from gmmviz.core.resources import resource
from gmmviz.labs import LABS, LabSpec
from gmmviz.qt.actions import ACTIONS, MENUS, build_actions
from gmmviz.qt.help import about_html, toggle_cheat_sheet
from gmmviz.qt.lab import Lab, LabContext, lab_factory
from gmmviz.qt.store import DocumentStore

MENU_TITLES = {"File": "&File", "Edit": "&Edit", "View": "&View", "Lecture": "&Lecture", "Data": "&Data",
               "Tools": "&Tools", "EM": "E&M", "Classify": "&Classify", "Help": "&Help"}
SEPARATE_AFTER = ("export_animation", "clear", "class_9", "contours", "converge", "slower")


class _ActionText(QObject):
    """Sets its action's text to "<prefix> <what>" (a child of the action: it goes with it)."""

    def __init__(self, action, prefix: str):
        super().__init__(action)
        self._action, self._prefix = action, prefix

    @Slot(str)
    def set_text(self, text: str) -> None:
        self._action.setText(f"{self._prefix} {text}".strip())


def app_icon() -> QIcon:
    """The window icon at every size we ship."""
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        image = QImage.fromData(resource("icons", f"gmmviz-{size}.png").read_bytes())
        icon.addPixmap(QPixmap.fromImage(image))
    return icon


class MainWindow(QMainWindow):
    """The gmmviz window.

    Signals
    -------
    lab_changed(object)
        The :class:`~gmmviz.qt.lab.Lab` now current.
    lab_built(object)
        A :class:`~gmmviz.qt.lab.Lab` was built (on its tab's first show, or when asked for).
    started()
        The first lab is built and the window's features installed
        (:meth:`finish_start`).
    """

    lab_changed = Signal(object)
    lab_built = Signal(object)
    started = Signal()

    def __init__(self, dataset: Dataset | None = None, parent: QWidget | None = None, *,
                 labs: tuple[LabSpec, ...] = LABS, defer_start: bool = False):
        super().__init__(parent)
        self.setWindowTitle("gmmviz")
        self.setWindowIcon(app_icon())
        self.lab_specs = tuple(s for s in labs if s.available)
        self.points = DocumentStore(dataset if dataset is not None else empty_dataset(), self)
        self.action_specs = list(ACTIONS)
        self.actions_by_name = build_actions(self)
        self.labs: dict[str, Lab] = {}
        self._lab_actions: dict[str, list] = {}
        self._current: Lab | None = None
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self._build_menus()
        self._build_status()
        self._connect()
        for spec in self.lab_specs:  # a placeholder page each; the first lab is built now
            self.tabs.addTab(_placeholder(spec.title), spec.title)
        self.tabs.tabBar().setVisible(self.tabs.count() > 1)
        self.tabs.currentChanged.connect(self._on_tab)
        self.resize(1280, 800)
        self._started = False
        if not defer_start:
            self.finish_start()

    def finish_start(self) -> None:
        """Build the current lab and install the features that reach into it.

        ``MainWindow(defer_start=True)`` leaves this to the caller, so that the
        ``gmmviz`` command can map and paint the window (menus, tabs, the
        page's "Opening …" line) before the plotting library is loaded and the
        first lab's page is built: what a user waits for is a window, then its
        canvas a moment later (``bench/bench_startup.py`` measures both)."""
        if self._started:
            return
        self._started = True
        self._on_tab(self.tabs.currentIndex())  # the first lab, before the features that reach into it
        self._install_extensions()
        self.started.emit()

    def _install_extensions(self) -> None:
        """Each feature area wires itself to the actions of its own rows in
        :mod:`gmmviz.qt.actions` and keeps its code in its own module."""
        from gmmviz.qt import outline, presentation
        from gmmviz.qt.canvas.tools import controller as tooling
        from gmmviz.qt.export import controller as exporting
        from gmmviz.qt.files import controller as files

        self.files = files.install(self)
        self.tooling = tooling.install(self)
        self.exporting = exporting.install(self)
        self.presentation = presentation.install(self)
        self.outline = outline.install(self)

    def open_path(self, path: str) -> bool:
        """Open a CSV or session file (``gmmviz FILE``, drag and drop, recent files)."""
        return self.files.open_path(path)

    # -- labs -----------------------------------------------------------------
    @property
    def current_lab(self) -> Lab | None:
        return self._current

    def lab(self, key: str) -> Lab:
        """Lab ``key``, built if it was not yet (its tab is not made current)."""
        if key not in self.labs:
            self._build_lab(self.lab_specs[self._tab_index(key)])
        return self.labs[key]

    def show_lab(self, key: str) -> Lab:
        """Make lab ``key`` the current tab (building it if needed)."""
        lab = self.lab(key)
        self.tabs.setCurrentIndex(self._tab_index(key))
        return lab

    def _tab_index(self, key: str) -> int:
        keys = [s.key for s in self.lab_specs]
        if key not in keys:
            raise KeyError(f"no lab {key!r} in this window; its labs are {', '.join(keys)}")
        return keys.index(key)

    def _build_lab(self, spec: LabSpec) -> None:
        actions = build_actions(self, spec_rows := lab_factory(spec).ACTIONS)
        self.actions_by_name.update(actions)
        self.action_specs.extend(spec_rows)
        self.addActions(list(actions.values()))  # shortcuts work with the menu bar hidden too
        for row in spec_rows:
            self.menus[row.menu].addAction(actions[row.name])
            if row.name in SEPARATE_AFTER:
                self.menus[row.menu].addSeparator()
        ctx = LabContext(self, self.actions_by_name, self.points, self.statusBar().showMessage,
                         lambda title: self.files.adopt_document(title), self.known_truth)
        lab = lab_factory(spec)(spec, ctx)
        self.labs[spec.key] = lab
        self._lab_actions[spec.key] = list(actions.values())
        index = self._tab_index(spec.key)
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        old = self.tabs.widget(index)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, lab.page(), spec.title)
        old.deleteLater()
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        for i, toolbar in enumerate(lab.toolbars()):
            if i:
                self.addToolBarBreak()
            self.addToolBar(toolbar)
        lab.status_changed.connect(lambda text, lab=lab: self._on_lab_status(lab, text))
        lab.points_editor_changed.connect(lambda lab=lab: self._on_editor_changed(lab))
        lab.show_requested.connect(lambda what, lab=lab: self._on_show_requested(lab, what))
        self._enable(spec.key, False)
        if self._started:  # a lab built later gets its remembered preferences before a session's part
            from gmmviz.qt.settings import open_settings

            lab.restore_settings(open_settings())
        self.lab_built.emit(lab)

    def _on_show_requested(self, lab: Lab, what: str) -> None:
        """A lab's document changed from another tab (Undo on the shared history): show it, and say so."""
        if lab is self._current:
            return
        self.show_lab(lab.spec.key)
        self.statusBar().showMessage(f"{what} in {lab.spec.title}", 5000)

    def known_truth(self, dataset):
        """The mixture a built lab sampled ``dataset`` from, if one did (see :meth:`Lab.known_truth`)."""
        return next((t for lab in self.labs.values() if (t := lab.known_truth(dataset)) is not None), None)

    def _enable(self, key: str, on: bool) -> None:
        """Scope lab ``key``'s actions, toolbars and menus to it being current.

        Hidden actions neither show in menus nor answer their shortcuts (Qt
        disables the shortcut of an invisible action); whether an action is
        *enabled* stays the lab's own business."""
        lab = self.labs[key]
        for action in self._lab_actions[key]:
            action.setVisible(on)
        for toolbar in lab.toolbars():
            toolbar.setVisible(on)
        for name in lab.MENUS:
            _show_if_any(self.menus[name])

    def _on_tab(self, index: int) -> None:
        if index < 0:
            return
        spec = self.lab_specs[index]
        if spec.key not in self.labs:
            self._build_lab(spec)
        lab = self.labs[spec.key]
        if lab is self._current:
            return
        if self._current is not None:
            self._current.activate(False)
            self._enable(self._current.spec.key, False)
        self._current = lab
        self._enable(spec.key, True)
        self._watch_undo(self.undo_stack())
        lab.activate(True)
        self.status_label.setText(lab.status())
        self.lab_changed.emit(lab)

    def _on_editor_changed(self, lab: Lab) -> None:
        """The current lab draws its points elsewhere now: the tools follow (as on a change of lab)."""
        if lab is self._current:
            self.lab_changed.emit(lab)

    def _on_lab_status(self, lab: Lab, text: str) -> None:
        if lab is self._current:
            self.status_label.setText(text)

    # -- construction -----------------------------------------------------
    def _build_menus(self) -> None:
        self.menus: dict[str, QMenu] = {name: self.menuBar().addMenu(MENU_TITLES[name]) for name in MENUS}
        for spec in ACTIONS:
            self.menus[spec.menu].addAction(self.actions_by_name[spec.name])
            if spec.name in SEPARATE_AFTER:
                self.menus[spec.menu].addSeparator()
        self.addActions(list(self.actions_by_name.values()))
        for menu in self.menus.values():  # a lab's menu shows once the lab is built and current
            _show_if_any(menu)

    def _build_status(self) -> None:
        self.status_label = QLabel()
        # Permanent, on the right, at its natural width: transient showMessage()
        # texts (menu hints, autosave notes) get the left part and never overlap it.
        self.statusBar().addPermanentWidget(self.status_label)

    def _connect(self) -> None:
        a = self.actions_by_name
        triggers = {
            "quit": self.close, "undo": lambda: self.undo_stack().undo(), "redo": lambda: self.undo_stack().redo(),
            "clear": lambda: self.points.push(clear_all(self.points.document), "Clear all points"),
            "cheatsheet": self.show_cheat_sheet, "about": self.show_about,
        }
        for name, fn in triggers.items():
            a[name].triggered.connect(lambda checked=False, fn=fn: fn())
        a["fullscreen"].toggled.connect(lambda on: self.showFullScreen() if on else self.showNormal())
        self._watched_stack = None
        self._watch_undo(self.points.undo_stack)

    def undo_stack(self):
        """The undo stack Edit → Undo / Redo act on: the current lab's own, else the points'."""
        own = self._current.undo_stack() if self._current is not None else None
        return own if own is not None else self.points.undo_stack

    def _watch_undo(self, stack) -> None:
        """Undo / Redo follow ``stack`` (enabled state and texts)."""
        a, old = self.actions_by_name, self._watched_stack
        if old is stack:
            return
        if old is not None:
            for signal, slot in zip(self._undo_signals(old), self._undo_slots):
                signal.disconnect(slot)
        if not hasattr(self, "_undo_slots"):  # receivers that die with their actions: a stack that outlives
            texts = (_ActionText(a["undo"], "&Undo"), _ActionText(a["redo"], "&Redo"))  # them emits into nothing
            self._undo_slots = (a["undo"].setEnabled, a["redo"].setEnabled, texts[0].set_text, texts[1].set_text)
        for signal, slot in zip(self._undo_signals(stack), self._undo_slots):
            signal.connect(slot)
        self._watched_stack = stack
        a["undo"].setEnabled(stack.canUndo())
        a["redo"].setEnabled(stack.canRedo())
        self._undo_slots[2](stack.undoText())
        self._undo_slots[3](stack.redoText())

    @staticmethod
    def _undo_signals(stack):
        return (stack.canUndoChanged, stack.canRedoChanged, stack.undoTextChanged, stack.redoTextChanged)

    def lab_toolbars(self) -> list[QToolBar]:
        """Every built lab's toolbars (presentation mode keeps the current lab's)."""
        return [tb for lab in self.labs.values() for tb in lab.toolbars()]

    # -- dialogs ------------------------------------------------------------
    def show_cheat_sheet(self) -> None:
        toggle_cheat_sheet(self)

    def about_text(self) -> str:
        return about_html(spec.about for spec in self.lab_specs)

    def show_about(self) -> None:
        QMessageBox.about(self, "About gmmviz", self.about_text())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.finish_start()  # closed within the first moment: the features it closes exist
        if not self.files.confirm_close():
            event.ignore()
            return
        self.presentation.save_settings()
        self.exporting.shutdown()  # only now: a cancelled close leaves the export running
        for lab in self.labs.values():
            lab.shutdown()
        self.files.clean_exit()
        event.accept()


def _placeholder(title: str) -> QWidget:
    """A lab's page until it is built (on its tab's first show)."""
    label = QLabel(f"Opening {title}…")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setEnabled(False)
    return label


def _show_if_any(menu: QMenu) -> bool:
    """Show ``menu`` (and each submenu) only if it holds a visible action; returns whether it does."""
    shown = False
    for action in menu.actions():
        if action.menu() is not None:
            shown |= _show_if_any(action.menu())
        elif not action.isSeparator():
            shown |= action.isVisible()
    menu.menuAction().setVisible(shown)
    return shown
