"""Adding, renaming, recolouring and removing classes: every change is an
undoable command; removing a class that has points asks first.

Installed by :mod:`gmmviz.qt.canvas.tools.controller`; listens to the class panel and owns
the Edit menu's class actions.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QMessageBox

from gmmviz.core.commands import RemoveClass, SetClasses, with_new_class
from gmmviz.core.data import ClassInfo


class ClassEditor(QObject):
    """Class management for one main window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.studio = None
        self._attached: list = []
        self.attach(window.current_lab.points_editor())
        a = window.actions_by_name
        a["add_class"].triggered.connect(lambda: self.add())  # Ctrl+Shift+N: as the panel's button
        a["recolour_class"].triggered.connect(lambda: self.recolour(self.studio.classes.current))
        a["remove_class"].triggered.connect(lambda: self.remove(self.studio.classes.current))

    def attach(self, editor) -> None:
        """Edit the classes through ``editor`` (a lab's points editor) from now on; its
        class list's requests are heard (once per editor)."""
        self.studio = editor
        if any(e is editor for e in self._attached):
            return
        self._attached.append(editor)
        panel = editor.classes
        panel.add_requested.connect(self.add)
        panel.rename_requested.connect(self.rename)
        panel.recolour_requested.connect(self.recolour)
        panel.remove_requested.connect(self.remove)

    def _push_classes(self, classes: tuple[ClassInfo, ...], text: str) -> None:
        self.studio.store.push(SetClasses(classes), text)

    def add(self) -> None:
        """Add a class with the next palette colour and make it current."""
        ds = self.studio.dataset
        self.studio.store.push(with_new_class(ds), "Add class")
        self.studio.classes.set_current(len(ds.classes))

    def rename(self, index: int, name: str) -> None:
        """Rename class ``index`` (blank or unchanged names are ignored)."""
        classes = self.studio.dataset.classes
        name = name.strip()
        if not (0 <= index < len(classes)) or not name or name == classes[index].name:
            return
        new = classes[:index] + (ClassInfo(name, classes[index].color),) + classes[index + 1:]
        self._push_classes(new, f"Rename {classes[index].name} to {name}")

    def recolour(self, index: int) -> None:
        """Ask for a new colour of class ``index`` (QColorDialog); Cancel changes nothing."""
        classes = self.studio.dataset.classes
        if not 0 <= index < len(classes):
            return
        old = classes[index]
        color = QColorDialog.getColor(QColor(old.color), self.window, f"Colour of {old.name}")
        if not color.isValid() or color.name() == old.color.lower():
            return
        new = classes[:index] + (ClassInfo(old.name, color.name()),) + classes[index + 1:]
        self._push_classes(new, f"Recolour {old.name}")

    def remove(self, index: int) -> bool:
        """Remove class ``index`` and its points (asks when it has points).

        The last class is never removed: points always need one.  Returns
        True when the class was removed.
        """
        ds = self.studio.dataset
        if not 0 <= index < len(ds.classes) or len(ds.classes) <= 1:
            return False
        name, count = ds.classes[index].name, int(ds.counts()[index])
        if count:
            answer = QMessageBox.question(
                self.window, "Remove class",
                f"Remove “{name}” and its {count} point{'s' if count != 1 else ''}?\n(Edit → Undo brings them back.)",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return False
        panel = self.studio.classes
        current = panel.current
        self.studio.store.push(RemoveClass(index), f"Remove class {name}")
        if current > index:
            panel.set_current(current - 1)  # keep painting with the same class
        return True
