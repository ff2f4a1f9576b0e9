"""Lecture-hall features: presentation mode, themes, scale, formula strip,
settings that persist.

Installed by the main window with :func:`install`.
(The lecture-and-desktop work fills this in.)
"""

from __future__ import annotations

from PySide6.QtCore import QObject


class Presentation(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window

    def save_settings(self) -> None:
        """Persist window geometry, theme, scale, speed (QSettings)."""


def install(window) -> Presentation:
    return Presentation(window)
