"""One table of every action: text, shortcut, icon, tooltip, menu.

Menus, toolbars and the shortcut cheat sheet are all generated from
:data:`ACTIONS`, so a shortcut shown anywhere can never disagree with the
one that works.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QApplication, QStyle


@dataclass(frozen=True)
class ActionSpec:
    """How one action looks and where it lives."""

    name: str
    text: str
    menu: str
    shortcuts: tuple[str, ...] = ()
    tip: str = ""
    icon: str | None = None  # a QStyle.StandardPixmap name
    checkable: bool = False


A = ActionSpec
ACTIONS: tuple[ActionSpec, ...] = (
    # Rows are grouped by the module that wires them (files, tooling,
    # sources, exporting, presentation, the studio itself): add new rows in
    # the group of the module that connects them.
    # File (gmmviz.qt.files, gmmviz.qt.exporting)
    A("open", "&Open…", "File", ("Ctrl+O",), "Open a CSV of points or a .gmmviz session", "SP_DialogOpenButton"),
    A("save", "&Save", "File", ("Ctrl+S",), "Save the session", "SP_DialogSaveButton"),
    A("save_as", "Save &As…", "File", ("Ctrl+Shift+S",), "Save the session under a new name"),
    A("export_csv", "Export Points as &CSV…", "File", (), "Write the points and labels as x,y,label"),
    A("export_image", "&Export Image…", "File", ("Ctrl+E",), "Save the canvas (and the curves) as PNG or SVG"),
    A("quit", "&Quit", "File", ("Ctrl+Q",), "Close gmmviz"),
    # Edit
    A("undo", "&Undo", "Edit", ("Ctrl+Z",), "Undo the last edit of the points", "SP_ArrowBack"),
    A("redo", "&Redo", "Edit", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo the edit", "SP_ArrowForward"),
    A("clear", "C&lear All Points", "Edit", ("Ctrl+Shift+Delete",), "Remove every point (undoable)", "SP_TrashIcon"),
    A("add_class", "Add &Class", "Edit", ("Ctrl+N",), "Add a class with the next colour"),
    *(A(f"class_{i}", f"Class {i}", "Edit", (str(i),), f"Click to add points of class {i}") for i in range(1, 10)),
    # View
    A("fit_view", "&Fit View to Data", "View", ("F",), "Zoom so that every point is visible", "SP_TitleBarMaxButton"),
    A("sigma1", "1σ ellipse (39.3 %)", "View", ("Alt+1",), "The ellipse holding 39.3 % of a component's mass", checkable=True),
    A("sigma2", "2σ ellipse (86.5 %)", "View", ("Alt+2",), "The ellipse holding 86.5 % of a component's mass", checkable=True),
    A("sigma3", "3σ ellipse (98.9 %)", "View", ("Alt+3",), "The ellipse holding 98.9 % of a component's mass", checkable=True),
    A("hard", "&Hard Assignments", "View", ("H",), "Colour each point by its most responsible component only", checkable=True),
    A("heatmap", "Density &Heatmap", "View", ("D",), "Show ln p(x) under the current parameters", checkable=True),
    A("contours", "Density &Contours", "View", ("C",), "Contours of ln p(x)", checkable=True),
    A("fullscreen", "&Full Screen", "View", ("F11",), "Toggle full screen", checkable=True),
    # EM
    A("step", "&Step", "EM", (), "Advance one half-step (the label says which)", "SP_ArrowRight"),
    A("e_step", "&E-step", "EM", ("E",), "Compute the responsibilities r_tk = P(z_t = k | x_t, θ)"),
    A("m_step", "&M-step", "EM", ("M",), "Re-estimate weights, means and covariances from the responsibilities"),
    A("full_step", "&Full Step (E then M)", "EM", ("Right",), "One whole EM iteration", "SP_MediaSkipForward"),
    A("play", "&Play / Pause", "EM", ("Space",), "Play the run at the chosen speed, or pause it", "SP_MediaPlay", True),
    A("back", "Step &Back", "EM", ("Left",), "Show the previous half-step", "SP_MediaSeekBackward"),
    A("first", "F&irst Half-step", "EM", ("Home",), "Back to the initialisation", "SP_MediaSkipBackward"),
    A("last", "&Last Half-step", "EM", ("End",), "The last half-step computed so far", "SP_MediaSkipForward"),
    A("converge", "Run to &Convergence", "EM", ("Ctrl+Right",), "Jump to the end of the run", "SP_DialogApplyButton"),
    A("reset", "&Reset (New Initialisation)", "EM", ("R",), "Start again from a new random initialisation", "SP_BrowserReload"),
    A("faster", "Faster", "EM", ("]",), "Play faster"),
    A("slower", "Slower", "EM", ("[",), "Play slower"),
    # Help
    A("cheatsheet", "&Keyboard Shortcuts", "Help", ("F1", "?"), "Every shortcut on one sheet", "SP_DialogHelpButton"),
    A("about", "&About gmmviz", "Help", (), "Version, licence, credits"),
)

MENUS = ("File", "Edit", "View", "Data", "Tools", "EM", "Help")


def build_actions(parent: QObject) -> dict[str, QAction]:
    """Create a QAction for every row of :data:`ACTIONS`."""
    style = QApplication.style()
    actions = {}
    for spec in ACTIONS:
        action = QAction(spec.text, parent)
        action.setObjectName(spec.name)
        if spec.shortcuts:
            action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        tip = spec.tip + (f"  ({', '.join(spec.shortcuts)})" if spec.shortcuts else "")
        action.setToolTip(tip)
        action.setStatusTip(spec.tip)
        if spec.icon:
            action.setIcon(style.standardIcon(getattr(QStyle.StandardPixmap, spec.icon)))
        action.setCheckable(spec.checkable)
        actions[spec.name] = action
    return actions


def shortcut_rows() -> list[tuple[str, str, str]]:
    """(menu, action text, shortcuts) for every action that has a shortcut."""
    return [
        (spec.menu, spec.text.replace("&", ""), ", ".join(spec.shortcuts))
        for spec in ACTIONS
        if spec.shortcuts
    ]


def icon(name: str) -> QIcon:
    return QApplication.style().standardIcon(getattr(QStyle.StandardPixmap, name))
