"""Files: open CSV points, sessions, recent files, autosave and recovery.

Installed by the main window with :func:`install`; owns the File menu's
open/save actions.  (The data-and-sessions work fills this in.)
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox

from gmmviz.core.commands import ReplaceDataset
from gmmviz.core.errors import GmmvizError


class FileController(QObject):
    """Opening and saving for one main window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        a = window.actions_by_name
        a["open"].triggered.connect(self.open_file_dialog)
        a["export_csv"].triggered.connect(self.export_csv_dialog)
        for name in ("save", "save_as"):
            a[name].setEnabled(False)

    def open_file_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open points", "", "CSV files (*.csv);;All files (*)")
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Load a CSV of points; on any problem the data stay as they were."""
        from gmmviz.core.io import read_dataset

        w = self.window
        try:
            dataset = read_dataset(path)
        except GmmvizError as exc:
            QMessageBox.warning(w, "Cannot open file", f"{Path(path).name}: {exc}")
            return False
        w.studio.store.push(ReplaceDataset(dataset), f"Open {Path(path).name}")
        w.studio.canvas.fit_view()
        w.setWindowTitle(f"{Path(path).name} — gmmviz")
        return True

    def export_csv_dialog(self) -> None:
        from gmmviz.core.io import write_csv

        path, _ = QFileDialog.getSaveFileName(self.window, "Export points", "points.csv", "CSV files (*.csv)")
        if path:
            ds = self.window.studio.dataset
            write_csv(path, ds.X, ds.labels, [c.name for c in ds.classes])

    def confirm_close(self) -> bool:
        """May the window close (asks about unsaved changes)?"""
        return True

    def clean_exit(self) -> None:
        """The window closes normally (e.g. remove the recovery copy)."""


def install(window) -> FileController:
    return FileController(window)
