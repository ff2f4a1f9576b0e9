"""Exports for slides: images (PNG/SVG, clipboard) and animations (GIF/MP4).

Installed by the main window with :func:`install`; owns the "Export" rows
of :mod:`gmmviz.qt.actions` (Export Image…, Copy Image, Export Animation…).
The dialogs remember their choices and the last folder (QSettings
``export/...`` and ``dirs/export``).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from gmmviz.qt.export.animation import (
    AnimationExport,
    AnimationSpec,
    ExportError,
    mp4_available,
)
from gmmviz.qt.export.dialogs import (
    AnimationDialog,
    ImageChoice,
    ImageDialog,
    ProgressDialog,
)
from gmmviz.qt.export.images import (
    default_file_name,
    export_target,
    plan_export,
    render_plan,
)
from gmmviz.qt.settings import open_settings


def data_name(window) -> str:
    """A short name for file names: the document's (its file's stem), or "gmmviz"."""
    stem = Path(window.files.name).stem
    return "gmmviz" if stem in UNNAMED else stem


UNNAMED = ("Untitled", "gmmviz", "")


class ExportController(QObject):
    """Image and animation exports of one main window.

    Signals: none (results go to the status bar, problems to a message box).
    """

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.job: AnimationExport | None = None
        self.progress: ProgressDialog | None = None
        a = window.actions_by_name
        a["export_image"].triggered.connect(self.export_image_dialog)
        a["copy_image"].triggered.connect(lambda: self.copy_image())
        a["export_animation"].triggered.connect(self.export_animation_dialog)

    def _refuse_own_file(self, path) -> bool:
        """An export never overwrites the file the document came from (its CSV or session)."""
        own = [p for p in (self.window.files.source, self.window.files.path) if p]
        try:
            same = Path(path).exists() and any(os.path.samefile(path, p) for p in own if os.path.exists(p))
        except OSError:
            same = False
        if same:
            QMessageBox.warning(self.window, "Export refused", f"{Path(path).name} is the file this document came "
                                "from: choose another name (nothing was written).")
        return same

    def _source(self):
        """What the current lab exports (see :meth:`gmmviz.qt.lab.Lab.export_source`)."""
        return self.window.current_lab.export_source()

    # -- images ---------------------------------------------------------------
    def _folder(self) -> str:
        """The last export's folder; before any export, the document's (its file's), else home."""
        for folder in (open_settings().value("dirs/export", ""), self.window.files.folder):
            if folder and Path(folder).is_dir():
                return str(folder)
        return str(Path.home())

    def _remember_folder(self, path: str) -> None:
        open_settings().setValue("dirs/export", str(Path(path).parent))

    def suggested_path(self, ext: str) -> str:
        """``<last folder>/<data>_K<k>_iter<n>.<ext>``."""
        return str(Path(self._folder()) / default_file_name(data_name(self.window), self.window.current_lab.export_stem(), ext))

    def export_image_dialog(self) -> None:
        dialog = ImageDialog(self.window, self.suggested_path, ImageChoice.load(open_settings()))
        if dialog.exec():
            choice = dialog.choice()
            choice.save(open_settings())
            self.export_image(choice.path, target=choice.target, size=choice.qsize(), scale=choice.scale)

    def export_image(self, path: str, *, target: str = "canvas", size: QSize | None = None,
                     scale: float = 1.0) -> QSize | None:
        """Write ``target`` to ``path`` (.png or .svg); returns the pixel size, None on failure."""
        if self._refuse_own_file(path):
            return None
        try:
            out = export_target(self._source(), target, path, size=size, scale=scale)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self.window, "Export failed", str(exc))
            return None
        self._remember_folder(path)
        self.window.statusBar().showMessage(f"Saved {Path(path).name} ({out.width()} × {out.height()} px)", 6000)
        return out

    def copy_image(self, *, target: str | None = None, size: QSize | None = None,
                   scale: float | None = None) -> QSize:
        """Put ``target`` on the clipboard as an image (default: the last image export's choices)."""
        choice = ImageChoice.load(open_settings())
        if target is None and size is None and scale is None:
            target, size, scale = choice.target, choice.qsize(), choice.scale
        plan = plan_export(self._source(), target or "canvas", size=size, scale=scale or 1.0)
        image = render_plan(plan)
        QGuiApplication.clipboard().setImage(image)
        self.window.statusBar().showMessage(
            f"Copied the {target or 'canvas'} to the clipboard ({image.width()} × {image.height()} px)", 6000)
        return image.size()

    # -- animations -------------------------------------------------------------
    def export_animation_dialog(self) -> None:
        source = self._source()
        if not hasattr(source, "timeline"):
            QMessageBox.information(self.window, "Export animation", "This lab has no run to animate: "
                                    "File ▸ Export Image… saves what is on screen.")
            return
        history = source.timeline()
        if history is None or len(history) == 0:
            QMessageBox.information(self.window, "Export animation", "There is no run yet: add points first.")
            return
        source.compute_all()
        dialog = AnimationDialog(self.window, self.suggested_path, open_settings(), len(history) - 1,
                                 history.finished, mp4_available())
        if dialog.exec():
            spec = dialog.spec()
            dialog.save(open_settings())
            self.export_animation(spec)

    def export_animation(self, spec: AnimationSpec) -> AnimationExport | None:
        """Start an animation export with a cancellable progress dialog (returns at once)."""
        if self.job is not None:
            QMessageBox.information(self.window, "Export animation", "An export is already running.")
            return None
        if self._refuse_own_file(spec.path):
            return None
        try:
            job = AnimationExport(self._source(), spec, self)
            job.start()
        except ExportError as exc:
            QMessageBox.warning(self.window, "Cannot export the animation", str(exc))
            return None
        self.job = job
        self._show_progress(spec)
        job.progress.connect(self._on_progress)
        job.finished.connect(self._on_finished)
        job.cancelled.connect(lambda: self._end("Animation export cancelled; nothing was written."))
        job.failed.connect(self._on_failed)
        self._remember_folder(str(spec.path))
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        return job

    def _show_progress(self, spec: AnimationSpec) -> None:
        dialog = ProgressDialog(self.window, "Export animation", f"Exporting {Path(spec.path).name}…")
        dialog.cancel_requested.connect(self.cancel_export)
        dialog.show()
        self.progress = dialog

    def cancel_export(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if self.progress is not None:
            self.progress.set_progress(done, total, text)

    def _on_finished(self, path: str) -> None:
        self._end(f"Saved {Path(path).name}")

    def _on_failed(self, message: str) -> None:
        self._end("Animation export failed")
        QMessageBox.warning(self.window, "Export failed", message)

    def _end(self, message: str) -> None:
        self.job = None
        if self.progress is not None:
            self.progress.cancel_requested.disconnect(self.cancel_export)
            self.progress.hide()
            self.progress.deleteLater()
            self.progress = None
        QApplication.restoreOverrideCursor()
        self.window.statusBar().showMessage(message, 8000)

    def shutdown(self) -> None:
        """Cancel a running export and join its encoder (the window is closing for good).

        Called by ``MainWindow.closeEvent`` once the close is accepted, never
        before: a close the user cancels leaves the export running.
        """
        job = self.job
        if job is not None:
            self._end("Animation export cancelled")
            job.shutdown()


__all__ = ["ExportController", "install", "data_name"]


def install(window) -> ExportController:
    return ExportController(window)
