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

from gmmviz.labs.em.core.presets import PRESETS
from gmmviz.labs.em.core.scenes import SCENES


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
    A("add_class", "Add &Class", "Edit", ("Ctrl+N",), "Add a class with the next colour"),
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
    A("sigma1", "1σ ellipse (39.3 %)", "View", ("Alt+1",), "The ellipse holding 39.3 % of a component's mass", checkable=True),
    A("sigma2", "2σ ellipse (86.5 %)", "View", ("Alt+2",), "The ellipse holding 86.5 % of a component's mass", checkable=True),
    A("sigma3", "3σ ellipse (98.9 %)", "View", ("Alt+3",), "The ellipse holding 98.9 % of a component's mass", checkable=True),
    A("hard", "&Hard Assignments", "View", ("H",), "Colour each point by its most responsible component only", checkable=True),
    A("heatmap", "Density &Heatmap", "View", ("D",), "Show ln p(x) under the current parameters", checkable=True),
    A("contours", "Density &Contours", "View", ("C",), "Contours of ln p(x)", checkable=True),
    A("fullscreen", "&Full Screen", "View", ("F11",), "Toggle full screen", checkable=True),
    # View / presentation (gmmviz.qt.presentation)
    A("presentation", "&Presentation Mode", "View", ("F5",), "Full screen for the lecture hall: bigger text and markers, only what the class needs (F5 again restores the layout)", "SP_DesktopIcon", checkable=True),
    A("zoom_in", "&Bigger", "View", ("Ctrl+=", "Ctrl++"), "Larger text, thicker lines and bigger markers"),
    A("zoom_out", "&Smaller", "View", ("Ctrl+-",), "Smaller text, thinner lines and smaller markers"),
    A("zoom_reset", "&Normal Size", "View", ("Ctrl+0",), "Back to the normal scale (1.5× in presentation mode)"),
    A("formula", "F&ormula Strip", "View", ("Ctrl+Shift+F",), "Show what the half-step on screen computed, with ln p, Q, H and KL", checkable=True),
    A("theme_standard", "Standard Colours", "View", (), "The desktop's usual colours", checkable=True),
    A("theme_light", "High-Contrast Light Theme", "View", (), "Black on white, pale ellipse colours darkened: bright rooms and projectors", checkable=True),
    A("theme_dark", "Dark Theme", "View", (), "Light on dark, ellipse colours lightened to stay legible", checkable=True),
    A("next_theme", "Next &Theme", "View", ("Ctrl+Shift+T",), "Cycle: standard, high-contrast light, dark"),
    # Data (gmmviz.labs.em.qt.sources.controller): it arranges these rows into the Data menu's submenus by prefix
    A("generate", "&Generate from Mixture…", "Data", ("Ctrl+G",), "Define a true mixture (table or dragged ellipses) and sample points from it"),
    *(A(f"preset_{p.key}", p.title, "Data", (), f"Preset: {p.description} ({p.n_points} points, seed {p.seed})") for p in PRESETS),
    A("preset_custom", "Preset with N and Seed…", "Data", (), "Choose a preset, its number of points and its seed"),
    A("dataset_faithful", "Old &Faithful", "Data", (), "272 eruptions of the Old Faithful geyser: duration × waiting time"),
    A("dataset_iris", "&Iris (petal length × petal width)", "Data", (), "Fisher's 150 irises; classes = species"),
    A("dataset_iris_features", "Iris, Choose Features…", "Data", (), "Iris with any two of its four measurements"),
    A("dataset_wine", "&Wine (flavanoids × colour intensity)", "Data", (), "178 wines; classes = cultivar"),
    A("dataset_wine_features", "Wine, Choose Features…", "Data", (), "Wine with any two of its 13 measurements"),
    *(A(f"scene_{s.key.replace('-', '_')}", f"&{i} {s.title}", "Data", (), "Lecture scene: data, model settings and a note") for i, s in enumerate(SCENES, start=1)),
    A("show_truth", "Show &True Mixture", "Data", ("Ctrl+T",), "Draw the mixture the points were sampled from as dashed ellipses", checkable=True),
    A("show_note", "Show Lesson &Note", "Data", (), "Show the lecture scene's note above the canvas", checkable=True),
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
