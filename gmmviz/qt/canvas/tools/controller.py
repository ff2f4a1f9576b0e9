"""Canvas tools beyond clicking: brush, erase, select, and class management.

Installed by the main window with :func:`install`; owns the Tools menu and
the Tools toolbar (the tools as one exclusive group, then the active
tool's options), the selection actions (Select All/None, Delete, Relabel),
Edit → History… and, through :class:`~gmmviz.qt.classes.editing.ClassEditor`,
recolouring and removing classes.

Tools, their shortcuts and cursors: Put (P, cross), Brush (B, a circle of
the brush radius in the class colour), Erase (X, a circle with a cross),
Select (S, arrow; a move cursor over a selected point).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QDialog, QMenu, QUndoView, QVBoxLayout

from gmmviz.core.commands import RelabelPoints, RemovePoints, SetClasses, with_new_class
from gmmviz.qt.canvas.tools.base import BrushTool, EraseTool, PutTool, Tool
from gmmviz.qt.canvas.tools.cursors import cursor_for, tool_icon
from gmmviz.qt.canvas.tools.options import ToolOptions
from gmmviz.qt.canvas.tools.select import SelectTool
from gmmviz.qt.classes.editing import ClassEditor
from gmmviz.qt.widgets import fixed_toolbar

TOOL_NAMES = ("put", "brush", "erase", "select")


class HistoryDialog(QDialog):
    """Every edit of the points as a list (a :class:`QUndoView`); clicking an
    entry undoes or redoes up to it.  Non-modal: it can stay open."""

    def __init__(self, undo_stack, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Edit history")
        self.view = QUndoView(undo_stack)
        self.view.setEmptyLabel("Start")
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        self.resize(300, 420)


class Tooling(QObject):
    """The canvas tools of one main window.

    Attributes
    ----------
    tools : dict of str to Tool
        ``put``, ``brush``, ``erase``, ``select``.
    toolbar : QToolBar
        The Tools toolbar.
    options : ToolOptions
        The active tool's options on that toolbar.
    classes : ClassEditor
        Adding, renaming, recolouring and removing classes.
    """

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        # The points editor of the lab the tools draw on (its canvas, class list and store).
        self.studio = window.current_lab.points_editor()
        self.canvas = self.studio.canvas
        self.tools: dict[str, Tool] = {t.name: t for t in (PutTool(), BrushTool(), EraseTool(), SelectTool())}
        self.classes = ClassEditor(window)
        self.history: HistoryDialog | None = None
        self._shown_cursor: tuple = ()
        self._tool_name = "put"
        self._build_actions()
        self._build_toolbar()
        self._connect()
        self._connect_editor()
        self.set_tool("put")
        window.lab_changed.connect(self._on_lab_changed)

    # -- construction -------------------------------------------------------
    def _build_actions(self) -> None:
        a = self.window.actions_by_name
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        for name in TOOL_NAMES:
            action = a[f"tool_{name}"]
            action.setIcon(tool_icon(name))
            self.group.addAction(action)
        for menu in a["select_all"].associatedObjects():
            if isinstance(menu, QMenu):
                menu.insertSeparator(a["select_all"])
        for menu in a["clear"].associatedObjects():
            if isinstance(menu, QMenu):  # History… next to Undo and Redo
                menu.insertAction(a["clear"], a["history"])
                menu.insertSeparator(a["clear"])

    def _build_toolbar(self) -> None:
        a = self.window.actions_by_name
        tb = fixed_toolbar("Tools", "toolsToolbar")
        for name in TOOL_NAMES:
            tb.addAction(a[f"tool_{name}"])
        tb.addSeparator()
        self.options = ToolOptions()
        self.options.reserve_width(self.tools.values())
        tb.addWidget(self.options)
        self.window.addToolBarBreak()
        self.window.addToolBar(tb)
        self.toolbar = tb

    def _connect(self) -> None:
        a = self.window.actions_by_name
        self.group.triggered.connect(lambda action: self.set_tool(action.objectName().removeprefix("tool_")))
        self.options.radius_changed.connect(self._on_radius)
        self.options.density_changed.connect(lambda d: setattr(self.tools["brush"], "density", d))
        self.options.lasso_changed.connect(lambda on: setattr(self.tools["select"], "lasso", on))
        self.window.points.changed.connect(lambda _: self._refresh_cursor())
        a["select_all"].triggered.connect(lambda: self.canvas.set_selection(np.arange(self.studio.dataset.n_points)))
        a["select_none"].triggered.connect(lambda: self.canvas.set_selection(np.zeros(0, np.intp)))
        a["delete_selection"].triggered.connect(self.delete_selection)
        a["relabel_selection"].triggered.connect(self.relabel_selection)
        a["history"].triggered.connect(self.show_history)
        for i in range(1, 10):
            a[f"class_{i}"].triggered.connect(lambda checked=False, i=i: self.choose_class(i - 1))
        self._on_selection_changed(0)

    def _connect_editor(self) -> None:
        """Follow the class list and the selection of the editor the tools draw on now."""
        self._editor_links = [(self.studio.classes.current_changed, self._on_current_class),
                              (self.canvas.tool_layer.selection_changed, self._on_selection_changed)]
        for signal, slot in self._editor_links:
            signal.connect(slot)

    def _on_current_class(self, _index: int) -> None:
        self._refresh_cursor()

    def _on_lab_changed(self, lab) -> None:
        """The tools draw on the points editor of the lab now current; a lab without one
        (a graph, a 1-D density) greys them out, shortcuts included."""
        editor = lab.points_editor()
        self.toolbar.setEnabled(editor is not None)
        for action in self.group.actions():
            action.setEnabled(editor is not None)
        if editor is None or editor is self.studio:
            return
        for signal, slot in self._editor_links:
            signal.disconnect(slot)
        self.canvas.set_selection([])
        self.studio, self.canvas = editor, editor.canvas
        self.classes.attach(editor)
        self._connect_editor()
        self.set_tool(self._tool_name)
        self._on_selection_changed(int(self.canvas.selection().size))

    # -- tools --------------------------------------------------------------
    @property
    def tool(self) -> Tool:
        return self.canvas.tool

    def set_tool(self, name: str) -> None:
        """Make tool ``name`` the active one (its action, cursor and options follow)."""
        tool = self.tools[name]
        self._tool_name = name
        self.window.actions_by_name[f"tool_{name}"].setChecked(True)
        self.options.show_for(tool)
        self.canvas.set_tool(tool, self._cursor(tool))

    def _cursor_key(self, tool: Tool) -> tuple:
        classes, i = self.studio.dataset.classes, self.studio.classes.current
        color = classes[i].color if 0 <= i < len(classes) else "#202020"
        return tool.name, tool.cursor, tool.radius_px, color

    def _cursor(self, tool: Tool):
        self._shown_cursor = self._cursor_key(tool)
        return cursor_for(tool.cursor, tool, self._shown_cursor[-1])

    def _refresh_cursor(self) -> None:
        """Redraw a ring cursor whose radius or class colour changed (not on every dab)."""
        if self.tool.cursor == "ring" and self._cursor_key(self.tool) != self._shown_cursor:
            self.canvas.set_tool(self.tool, self._cursor(self.tool))

    def _on_radius(self, radius: float) -> None:
        if self.tool.name in ("brush", "erase"):
            self.tool.radius_px = radius
            self._refresh_cursor()

    # -- selection ------------------------------------------------------------
    def _on_selection_changed(self, count: int) -> None:
        a = self.window.actions_by_name
        for name in ("delete_selection", "relabel_selection", "select_none"):
            a[name].setEnabled(count > 0)

    def delete_selection(self) -> None:
        """Remove the selected points (one undo step)."""
        sel = self.canvas.selection()
        if sel.size:
            self.studio.store.push(RemovePoints(sel), f"Delete {_points(sel.size)}")

    def relabel_selection(self) -> None:
        """Give the selected points the current class (one undo step)."""
        sel, ds = self.canvas.selection(), self.studio.dataset
        label = self.studio.classes.current
        if not sel.size or not 0 <= label < len(ds.classes) or np.all(ds.labels[sel] == label):
            return
        text = f"Relabel {_points(sel.size)} to {ds.classes[label].name}"
        self.studio.store.push(RelabelPoints(sel, np.full(sel.size, label)), text)

    def choose_class(self, index: int) -> None:
        """Keys 1-9: pick a class, creating the missing ones (undoable)."""
        ds = self.studio.dataset
        if index >= len(ds.classes):
            while len(ds.classes) <= index:
                ds, _ = with_new_class(ds).apply(ds)
            self.studio.store.push(SetClasses(ds.classes), f"Add class {index + 1}")
        self.studio.classes.set_current(index)

    # -- history --------------------------------------------------------------
    def show_history(self) -> None:
        """Edit → History…: the undo stack as a list (one window, raised if open)."""
        if self.history is None:
            self.history = HistoryDialog(self.studio.store.undo_stack, self.window)
        self.history.show()
        self.history.activateWindow()  # brings it to the front (raise_() is unsupported offscreen)


def _points(n: int) -> str:
    return f"{n} point{'s' if n != 1 else ''}"


def install(window) -> Tooling:
    return Tooling(window)
