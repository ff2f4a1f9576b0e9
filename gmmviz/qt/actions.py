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
    # File (gmmviz.qt.files, gmmviz.qt.export.controller)
    A("new", "&New", "File", ("Ctrl+N",), "Start a new, empty session (asks about unsaved changes)", "SP_FileIcon"),
    A("open", "&Open…", "File", ("Ctrl+O",), "Open a CSV of points or a .gmmviz session", "SP_DialogOpenButton"),
    A("recent", "Open &Recent", "File", (), "Files opened or saved lately (missing ones are left out)"),
    A("save", "&Save", "File", ("Ctrl+S",), "Save the session", "SP_DialogSaveButton"),
    A("save_as", "Save &As…", "File", ("Ctrl+Shift+S",), "Save the session under a new name"),
    A("revert", "Re&vert to Saved", "File", (), "Reload the session from its file, dropping the changes since"),
    A("save_history", "Save Run &History in Sessions", "File", (), "Keep every half-step of the run in the session file (else it is recomputed on opening)", checkable=True),
    A("export_csv", "Export Points as &CSV…", "File", (), "Write the points and labels as x,y,label"),
    A("export_image", "&Export Image…", "File", ("Ctrl+E",), "Save the canvas (and the curves) as PNG or SVG"),
    # Export (gmmviz.qt.export.controller)
    A("copy_image", "&Copy Image", "File", ("Ctrl+Shift+C",), "Copy the canvas as an image, ready to paste into slides"),
    A("export_animation", "Export &Animation…", "File", ("Ctrl+Shift+E",), "Save the run, half-step by half-step, as an animated GIF or an MP4"),
    # File, continued
    A("quit", "&Quit", "File", ("Ctrl+Q",), "Close gmmviz"),
    # Edit
    A("undo", "&Undo", "Edit", ("Ctrl+Z",), "Undo the last edit of the points", "SP_ArrowBack"),
    A("redo", "&Redo", "Edit", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo the edit", "SP_ArrowForward"),
    A("clear", "C&lear All Points", "Edit", ("Ctrl+Shift+Delete",), "Remove every point (undoable)", "SP_TrashIcon"),
    A("add_class", "Add &Class", "Edit", ("Ctrl+Shift+N",), "Add a class with the next colour"),
    *(A(f"class_{i}", f"Class {i}", "Edit", (str(i),), f"Click to add points of class {i}") for i in range(1, 10)),
    # Tools (gmmviz.qt.canvas.tools.controller)
    A("tool_put", "&Put Points", "Tools", ("P",), "Click adds a point of the current class; right click or Shift+click removes one", checkable=True),
    A("tool_brush", "&Brush", "Tools", ("B",), "Drag to spray points of the current class (radius and density on the Tools toolbar)", checkable=True),
    A("tool_erase", "&Erase", "Tools", ("X",), "Click or drag to remove every point inside the circle", checkable=True),
    A("tool_select", "&Select", "Tools", ("S",), "Drag a rectangle (Alt: a lasso) to select; drag a selected point to move them all", checkable=True),
    A("select_all", "Select &All", "Tools", ("Ctrl+A",), "Select every point"),
    A("select_none", "Select &None", "Tools", ("Ctrl+Shift+A",), "Clear the selection"),
    A("delete_selection", "&Delete Selected Points", "Tools", ("Del", "Backspace"), "Remove the selected points (undoable)"),
    A("relabel_selection", "&Relabel Selected to Current Class", "Tools", ("L",), "Give the selected points the current class (keys 1–9 pick it)"),
    A("recolour_class", "Rec&olour Current Class…", "Edit", (), "Pick a new colour for the current class"),
    A("remove_class", "Re&move Current Class…", "Edit", (), "Delete the current class and its points (undoable)"),
    A("history", "&History…", "Edit", ("Ctrl+H",), "Every edit so far: click one to go back to it"),
    # View
    A("fit_view", "&Fit View to Data", "View", ("F",), "Zoom so that every point is visible", "SP_TitleBarMaxButton"),
    A("fullscreen", "&Full Screen", "View", ("F11",), "Toggle full screen", checkable=True),
    # View / presentation (gmmviz.qt.presentation)
    A("presentation", "&Presentation Mode", "View", ("F5",), "Full screen for the lecture hall: bigger text and markers, only what the class needs (F5 again restores the layout)", "SP_DesktopIcon", checkable=True),
    A("zoom_in", "&Bigger", "View", ("Ctrl+=", "Ctrl++"), "Larger text, thicker lines and bigger markers"),
    A("zoom_out", "&Smaller", "View", ("Ctrl+-",), "Smaller text, thinner lines and smaller markers"),
    A("zoom_reset", "&Normal Size", "View", ("Ctrl+0",), "Back to the normal scale (1.5× in presentation mode)"),
    A("theme_standard", "Standard Colours", "View", (), "The desktop's usual colours", checkable=True),
    A("theme_light", "High-Contrast Light Theme", "View", (), "Black on white, pale ellipse colours darkened: bright rooms and projectors", checkable=True),
    A("theme_dark", "Dark Theme", "View", (), "Light on dark, ellipse colours lightened to stay legible", checkable=True),
    A("next_theme", "Next &Theme", "View", ("Ctrl+Shift+T",), "Cycle: standard, high-contrast light, dark"),
    # Lecture (gmmviz.qt.outline): the entries themselves come from gmmviz.labs.OUTLINE
    A("outline", "Lecture &Outline", "Lecture", ("F6",), "Show the lecture outline: every topic, one click opens its lab on a prepared scene", checkable=True),
    # Help
    A("cheatsheet", "&Keyboard Shortcuts", "Help", ("F1", "?"), "Every shortcut on one sheet", "SP_DialogHelpButton"),
    A("about", "&About gmmviz", "Help", (), "Version, licence, credits"),
)

#: Menu-bar order; a lab's own menus (its ``MENUS``) take their place here.
MENUS = ("File", "Edit", "View", "Lecture", "Data", "Tools", "EM", "Classify", "Help")


def build_actions(parent: QObject, specs=None) -> dict[str, QAction]:
    """Create a QAction for every row of ``specs`` (default: the shell's :data:`ACTIONS`)."""
    style = QApplication.style()
    actions = {}
    for spec in ACTIONS if specs is None else specs:
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


def shortcut_rows(specs=None) -> list[tuple[str, str, str]]:
    """(menu, action text, shortcuts) for every action of ``specs`` (default: the
    shell's) that has a shortcut."""
    return [
        (spec.menu, spec.text.replace("&", ""), ", ".join(spec.shortcuts))
        for spec in (ACTIONS if specs is None else specs)
        if spec.shortcuts
    ]


def icon(name: str) -> QIcon:
    return QApplication.style().standardIcon(getattr(QStyle.StandardPixmap, name))
