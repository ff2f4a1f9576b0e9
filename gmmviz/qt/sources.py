"""Data sources: presets, bundled datasets, lecture scenes, sampling from a mixture.

Installed by the main window with :func:`install`; owns the Data menu.
(The data-and-sessions work fills this in.)
"""

from __future__ import annotations

from PySide6.QtCore import QObject


class DataSources(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window


def install(window) -> DataSources:
    return DataSources(window)
