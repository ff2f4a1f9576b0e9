"""The lecture outline: the Lecture menu, a dockable outline panel and, in
presentation mode, a slide-like index over the window.

All three are built from :data:`gmmviz.labs.OUTLINE`, in the lecture's
order.  An entry opens its lab on a prepared scene in one click; an entry
whose lab has not landed yet is greyed out ("coming in a later version").

Installed by the main window with :func:`install`; owns the Lecture rows
of :mod:`gmmviz.qt.actions`.

Signals
-------
entry_opened(object)
    The :class:`~gmmviz.labs.OutlineEntry` just opened.
"""

from __future__ import annotations

import html
from itertools import groupby

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gmmviz.labs import OUTLINE, OutlineEntry

ENTRY_ROLE = Qt.ItemDataRole.UserRole


def sections(entries=None):
    """[(section, [(topic, [entry, ...]), ...]), ...] in the lecture's order."""
    out = []
    entries = OUTLINE if entries is None else entries
    for section, group in groupby(entries, key=lambda e: e.topic[0]):
        topics = [(topic, list(g)) for topic, g in groupby(group, key=lambda e: e.topic[1])]
        out.append((section, topics))
    return out


class Outline(QObject):
    """The lecture outline of one main window (see the module docstring)."""

    entry_opened = Signal(object)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.available = {spec.key for spec in window.lab_specs}
        self.entry_actions: dict[tuple[str, str], QAction] = {}
        self._build_menu()
        self._build_dock()
        self.index = OutlineIndex(window, self)
        action = window.actions_by_name["outline"]
        action.toggled.connect(self.set_visible)
        self.dock.visibilityChanged.connect(self._on_dock_visibility)

    def is_available(self, entry: OutlineEntry) -> bool:
        return entry.lab in self.available

    # -- construction -------------------------------------------------------
    def _build_menu(self) -> None:
        """Lecture: the outline toggle, then every section with a submenu per topic."""
        menu = self.window.menus["Lecture"]
        for section, topics in sections():
            menu.addSection(section)
            for topic, entries in topics:
                sub = menu.addMenu(topic)
                for entry in entries:
                    action = sub.addAction(entry.title)
                    self._describe(action, entry)
                    action.triggered.connect(lambda checked=False, e=entry: self.open(e))
                    self.entry_actions[(entry.lab, entry.key)] = action

    def _describe(self, action: QAction, entry: OutlineEntry) -> None:
        ok = self.is_available(entry)
        action.setEnabled(ok)
        tip = entry.tip if ok else "Coming in a later version"
        action.setToolTip(tip)
        action.setStatusTip(tip)

    def _build_dock(self) -> None:
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setObjectName("outlineTree")
        for section, topics in sections():
            top = QTreeWidgetItem([section])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(top)
            for topic, entries in topics:
                mid = QTreeWidgetItem([topic])
                mid.setFlags(Qt.ItemFlag.ItemIsEnabled)
                top.addChild(mid)
                for entry in entries:
                    leaf = QTreeWidgetItem([entry.title])
                    leaf.setData(0, ENTRY_ROLE, entry)
                    ok = self.is_available(entry)
                    leaf.setToolTip(0, entry.tip if ok else "Coming in a later version")
                    if not ok:
                        leaf.setFlags(Qt.ItemFlag.NoItemFlags)
                    mid.addChild(leaf)
        self.tree.expandAll()
        self.tree.setMinimumWidth(min(self.tree.sizeHintForColumn(0) + 48, 360))
        self.tree.itemActivated.connect(self._on_item)
        self.tree.itemClicked.connect(self._on_item)
        self.dock = QDockWidget("Lecture outline", self.window)
        self.dock.setObjectName("outlineDock")
        self.dock.setWidget(self.tree)
        self.window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        self.dock.hide()

    # -- showing ----------------------------------------------------------------
    def set_visible(self, visible: bool) -> None:
        """F6: the outline panel, or in presentation mode the slide-like index."""
        action = self.window.actions_by_name["outline"]
        if action.isChecked() != visible:
            action.setChecked(visible)  # comes back here through toggled
            return
        if self.window.presentation.presenting:
            self.index.setVisible(visible)
            if visible:
                self.index.open()
        else:
            self.dock.setVisible(visible)

    def _on_dock_visibility(self, visible: bool) -> None:
        if not self.window.presentation.presenting:
            action = self.window.actions_by_name["outline"]
            action.blockSignals(True)
            action.setChecked(visible)
            action.blockSignals(False)

    # -- opening ------------------------------------------------------------------
    def _on_item(self, item: QTreeWidgetItem, column: int = 0) -> None:
        entry = item.data(0, ENTRY_ROLE)
        if isinstance(entry, OutlineEntry) and self.is_available(entry):
            self.open(entry)

    def open(self, entry: OutlineEntry) -> bool:
        """Open ``entry``: its lab becomes current, on the entry's prepared scene."""
        if not self.is_available(entry):
            return False
        if not self.window.files.settle_unsaved(f"opening “{entry.title}”"):
            return False
        lab = self.window.show_lab(entry.lab)
        lab.open_entry(entry.key)
        if self.index.isVisible():
            self.set_visible(False)
        self.window.statusBar().showMessage(f"Lecture: {entry.title}", 6000)
        self.entry_opened.emit(entry)
        return True


class OutlineIndex(QWidget):
    """The outline as a slide over the window (presentation mode): the sections in
    large type, every entry a button; Esc, F6 or an entry closes it."""

    def __init__(self, window: QWidget, outline: Outline):
        super().__init__(window)
        self.setObjectName("outlineIndex")
        self.setAutoFillBackground(True)
        self._outline = outline
        self.buttons: dict[tuple[str, str], QPushButton] = {}
        self._build_ui()
        self.hide()

    def _build_ui(self) -> None:
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        outer = QVBoxLayout(body)
        title = QLabel("<b>Lecture outline</b>")
        title.setObjectName("outlineTitle")
        outer.addWidget(title)
        row = QHBoxLayout()
        row.setSpacing(64)
        outer.addLayout(row)
        outer.addStretch(1)
        groups = sections()
        half = (len(groups) + 1) // 2
        for part in (groups[:half], groups[half:]):  # two columns, each section whole
            column = QVBoxLayout()
            column.setSpacing(4)
            for section, topics in part:
                head = QLabel(f"<b>{html.escape(section)}</b>")
                head.setObjectName("outlineSection")
                column.addWidget(head)
                for topic, entries in topics:
                    sub = QLabel(html.escape(topic))
                    sub.setObjectName("outlineTopic")
                    column.addWidget(sub)
                    for entry in entries:
                        column.addWidget(self._button(entry), 0, Qt.AlignmentFlag.AlignLeft)
            column.addStretch(1)
            row.addLayout(column)
        row.addStretch(1)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.addWidget(scroll)

    def _button(self, entry: OutlineEntry) -> QPushButton:
        ok = self._outline.is_available(entry)
        button = QPushButton(entry.title if ok else f"{entry.title}  (coming later)")
        button.setFlat(True)
        button.setObjectName("outlineEntry" if ok else "outlineLater")
        button.setEnabled(ok)
        button.setToolTip(entry.tip if ok else "Coming in a later version")
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(lambda checked=False, e=entry: self._outline.open(e))
        self.buttons[(entry.lab, entry.key)] = button
        return button

    def open(self) -> None:
        """Cover the window, in type sized for the back row, and take the keyboard."""
        self.setGeometry(self.parentWidget().rect())
        base = self.parentWidget().font().pointSizeF()
        pal = self.palette()
        link, muted = pal.color(QPalette.ColorRole.Link).name(), pal.color(QPalette.ColorRole.PlaceholderText).name()
        self.setStyleSheet(
            f"QLabel#outlineTitle {{ font-size: {base * 2.4:.0f}pt; }}"
            f" QLabel#outlineSection {{ font-size: {base * 1.8:.0f}pt; padding-top: 14px; }}"
            f" QLabel#outlineTopic {{ font-size: {base * 1.35:.0f}pt; padding-left: 12px; padding-top: 4px; }}"
            f" QPushButton#outlineEntry {{ font-size: {base * 1.25:.0f}pt; text-align: left; padding: 1px 28px;"
            f" color: {link}; }}"
            f" QPushButton#outlineLater {{ font-size: {base * 1.1:.0f}pt; text-align: left; padding: 1px 28px;"
            f" color: {muted}; font-style: italic; }}")
        self.raise_()
        self.show()
        self.setFocus(Qt.FocusReason.PopupFocusReason)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_F6):
            self._outline.set_visible(False)
            return
        super().keyPressEvent(event)


def install(window) -> Outline:
    return Outline(window)
