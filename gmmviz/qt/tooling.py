"""Canvas tools beyond clicking: brush, erase, select, and class management.

Installed by the main window with :func:`install`; owns the Tools menu.
(The data-and-sessions work fills this in.)
"""

from __future__ import annotations

from PySide6.QtCore import QObject


class Tooling(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window


def install(window) -> Tooling:
    return Tooling(window)
