"""Exports for slides: images (PNG/SVG, clipboard) and animations.

Installed by the main window with :func:`install`; owns the export actions.
(The lecture-and-desktop work fills this in.)
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox

from gmmviz.qt.export import export_png, export_svg


class ExportController(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        window.actions_by_name["export_image"].triggered.connect(self.export_image_dialog)

    def export_image_dialog(self) -> None:
        w = self.window
        path, chosen = QFileDialog.getSaveFileName(
            w, "Export image", "gmmviz.png",
            "PNG image, canvas (*.png);;PNG image, canvas and curves (*.png);;"
            "SVG drawing, canvas (*.svg);;SVG drawing, canvas and curves (*.svg)")
        if path:
            widget = w.studio.vsplit if "curves" in chosen else w.studio.canvas.plot
            try:
                (export_svg if path.lower().endswith(".svg") else export_png)(widget, path)
            except OSError as exc:
                QMessageBox.warning(w, "Export failed", str(exc))


def install(window) -> ExportController:
    return ExportController(window)
