"""Files: open CSV points and sessions, save sessions, recent files, the
window title, drag and drop, autosave and recovery.

Installed by the main window with :func:`install`; owns the File menu's
open/save rows of :mod:`gmmviz.qt.actions`.

The contract with the lecturer:

* a file is opened whole or not at all: any problem is one message naming
  the line or field, and the data and settings stay exactly as they were;
* opening a file replaces the document: unsaved changes are offered to be
  saved first (Save / Discard / Cancel), as when closing the window;
* saves are atomic (the old file survives a crash or a kill mid-save);
* while there are unsaved changes, a recovery copy is autosaved every
  minute to the data directory (:mod:`gmmviz.qt.files.recovery`), never over the
  user's file; a clean exit removes it, and the next start after a crash
  offers it back.

Signals
-------
opened(str)
    A file was opened (its path).
saved(str)
    The session was saved (its path).
autosaved(str)
    A recovery copy was written (its path).
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import replace
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from gmmviz.core.commands import empty_dataset
from gmmviz.core.errors import GmmvizError
from gmmviz.core.session import SESSION_SUFFIX, is_session_path
from gmmviz.labs import SESSION_LAB
from gmmviz.qt.files import recovery
from gmmviz.qt.files.import_dialog import FileDrops
from gmmviz.qt.files.parts import LabParts
from gmmviz.qt.files.tasks import TaskRunner, read_file
from gmmviz.qt.settings import open_settings

log = logging.getLogger(__name__)

AUTOSAVE_MS = 60_000
HISTORY_KEY = "files/save_history"
DIR_KEY = "dirs/open"
SESSION_FILTER = "gmmviz sessions (*.gmmviz)"
OPEN_FILTER = "Points or sessions (*.csv *.txt *.gmmviz);;CSV files (*.csv *.txt);;gmmviz sessions (*.gmmviz);;All files (*)"


class FileController(QObject):
    """Opening and saving for one main window (see the module docstring)."""

    opened = Signal(str)
    saved = Signal(str)
    autosaved = Signal(str)

    #: False in headless test runs: never block on a question (unsaved
    #: changes are then discarded at close, default columns are imported).
    ask_user = not os.environ.get("GMMVIZ_TEST")

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.points = window.points
        self.lab = window.lab(SESSION_LAB)  # whose session format File reads and writes
        self.path: str | None = None  # the session that Save writes to
        self.source: str | None = None  # the file the document was read from
        self.name = "Untitled"  # what the title shows
        self._folder = ""  # where the document came from: Save As starts there
        self.recent = recovery.RecentFiles()
        self.runner = TaskRunner(self)
        self.slot = recovery.RecoverySlot()
        self._busy = False
        self._closed = False
        self._autosaving = False
        self.parts = LabParts(window, SESSION_LAB)  # the other labs' parts of the session
        self._build_actions()
        self._connect()
        self._install_drops()
        self.mark_clean()

    # -- construction -------------------------------------------------------
    def _build_actions(self) -> None:
        a = self.window.actions_by_name
        a["new"].triggered.connect(self.new_document)
        a["open"].triggered.connect(self.open_file_dialog)
        a["save"].triggered.connect(self.save)
        a["save_as"].triggered.connect(self.save_as)
        a["export_csv"].triggered.connect(self.export_csv_dialog)
        a["revert"].triggered.connect(self.revert)
        a["save_history"].setChecked(_as_bool(open_settings().value(HISTORY_KEY, True)))
        a["save_history"].toggled.connect(lambda on: open_settings().setValue(HISTORY_KEY, on))
        self.recent_menu = QMenu("Open &Recent", self.window)  # listed each time it opens
        self.recent_menu.aboutToShow.connect(lambda: self.recent.fill_menu(self.recent_menu, self.open_path))
        a["recent"].setMenu(self.recent_menu)

    def _connect(self) -> None:
        self.autosave_timer = QTimer(self, interval=AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        for signal in (self.points.undo_stack.cleanChanged, self.points.undo_stack.indexChanged,
                       self.points.changed):
            signal.connect(self.refresh_title)
        self.lab.state_changed.connect(self.refresh_title)
        self.lab.modified.connect(self._on_lab_modified)
        self.parts.changed.connect(self.refresh_title)

    def _install_drops(self) -> None:
        """A file dropped anywhere on the window (the canvas too) is opened."""
        # Opened after the drop returns: the file manager is not kept waiting.
        self.drops = FileDrops(self.window, lambda path: QTimer.singleShot(0, self, lambda: self.open_path(path)))

    # -- state ----------------------------------------------------------------
    def mark_clean(self) -> None:
        """The document is as saved (or as opened)."""
        self.points.undo_stack.setClean()
        self._saved_data = self.points.document
        self._saved_state = self.lab.state_token()
        self.parts.mark_clean()
        self._dirty = False
        self.refresh_title()

    def is_modified(self) -> bool:
        """Unsaved changes: an edit, other data, other settings, a dragged mean, or a change in
        another lab's part (a graph drawn, a density setting)."""
        if self._dirty or not self.points.undo_stack.isClean() or self.lab.state_token() != self._saved_state:
            return True
        if self.parts.is_modified():
            return True
        data = self.points.document
        return data is not self._saved_data and not data.same_as(self._saved_data)

    def refresh_title(self, *_) -> None:
        """Title: the document's name, and the unsaved-changes mark."""
        if self._closed or not shiboken6.isValid(self.window):
            return  # the window is being destroyed (its undo stack clears itself)
        modified = self.is_modified()
        self.window.setWindowTitle(f"{self.name}[*] — gmmviz")
        self.window.setWindowModified(modified)
        self.window.actions_by_name["revert"].setEnabled(modified and self.path is not None)

    def _on_lab_modified(self) -> None:
        self._dirty = True
        self.refresh_title()

    @property
    def folder(self) -> str:
        """Where the document came from (its session or CSV file's folder), or ""."""
        return self._folder

    def _set_document(self, path: str | None, name: str, source: str | None = None) -> None:
        """``path``: where Save writes (a session); ``source``: the file it came from."""
        self.path, self.name = path, name
        self.source = source or path  # the file the document was read from (never an export's target)
        self._folder = os.path.dirname(source or path or "") or self._folder

    def adopt_document(self, title: str) -> None:
        """What is on screen is a new, unnamed, unmodified document named ``title`` (a scene)."""
        self._set_document(None, title)
        self.mark_clean()
        self.slot.remove()

    # -- new ----------------------------------------------------------------
    def new_document(self) -> bool:
        """File → New: an empty, unnamed, unmodified session (unsaved changes are offered first)."""
        if self._busy or not self.settle_unsaved("starting a new session"):
            return False
        self.points.reset(empty_dataset())
        for lab in self.window.labs.values():
            lab.new_points(None)
        self.parts.apply(())  # every other lab back to its defaults
        self._set_document(None, "Untitled")
        self.mark_clean()
        self.slot.remove()
        self.window.statusBar().showMessage("New session", 4000)
        return True

    # -- opening ------------------------------------------------------------
    def open_file_dialog(self) -> None:
        start = str(open_settings().value(DIR_KEY, "") or "")
        path, _ = QFileDialog.getOpenFileName(self.window, "Open points or a session", start, OPEN_FILTER)
        if path:
            open_settings().setValue(DIR_KEY, os.path.dirname(path))
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Open a CSV of points or a session; on any problem nothing changes.

        Returns
        -------
        bool
            True when the file is on screen.
        """
        path = os.fspath(path)
        if self._busy or not self.settle_unsaved("opening another file"):
            return False
        return self._open(path)

    def _open(self, path: str) -> bool:
        if self._busy:
            return False
        self._busy = True
        try:
            return self._read_and_show(path)
        finally:
            self._busy = False

    def _read_and_show(self, path: str) -> bool:
        name, session = Path(path).name, is_session_path(path)
        status, payload = read_file(self.window, self.runner, path, session=self.lab.read_session if session else None,
                                    ask_columns=self.ask_user)
        if status == "failed":
            self.warn("Cannot open file", f"{name}: {payload}\n\nNothing was changed.")
        if status != "done":
            return False
        try:
            self._show_opened(payload, session, path, name)
        except Exception as exc:  # a bug must not show a traceback to the class
            log.exception("showing %s failed", path)
            self.warn("Cannot open file", f"{name}: internal error ({type(exc).__name__}: {exc}); please report it")
            return False
        return True

    def _show_opened(self, loaded, session: bool, path: str, name: str) -> None:
        if session:
            self._show_session(loaded)
            self._set_document(path, name)
        else:
            self.points.reset(loaded.dataset)
            for lab in self.window.labs.values():
                lab.new_points(loaded)
            self._set_document(None, name, path)
        self.mark_clean()
        self.slot.remove()
        self.recent.add(path)
        self.window.statusBar().showMessage(f"Opened {name}", 5000)
        self.opened.emit(path)

    def _show_session(self, session) -> None:
        """Put ``session`` on screen (the lab follows a recomputed run to its saved half-step),
        and give every other lab its part (or its defaults, if the session has none)."""
        self.lab.apply_session(session)
        self.parts.apply(session.labs)

    def revert(self) -> None:
        """Reload the session from its file, dropping the changes (asks first)."""
        if self.path is not None and self.is_modified():
            answer = QMessageBox.question(self.window, "Revert", f"Drop every change since {self.name} was saved?")
            if answer == QMessageBox.StandardButton.Yes:
                self._open(self.path)

    # -- saving -------------------------------------------------------------
    def save(self) -> bool:
        """Save to the session's file (asks for a name the first time)."""
        return self.save_as() if self.path is None else self.write(self.path)

    def save_as(self) -> bool:
        path = self.ask_save_path()
        return bool(path) and self.write(path)

    def ask_save_path(self) -> str | None:
        """Ask where to save (tests replace this)."""
        stem = Path(self.name).stem if self.name != "Untitled" else "session"
        folder = self._folder or str(open_settings().value(DIR_KEY, "") or "")
        dialog = QFileDialog(self.window, "Save session", os.path.join(folder, stem + SESSION_SUFFIX), SESSION_FILTER)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(SESSION_SUFFIX.lstrip("."))
        if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return None
        return dialog.selectedFiles()[0]

    def write(self, path: str) -> bool:
        """Write the session to ``path`` atomically; a problem is one message."""
        name = Path(path).name
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.lab.write_session(path, self.capture())
        except GmmvizError as exc:
            QGuiApplication.restoreOverrideCursor()
            self.warn("Cannot save", f"{name}: {exc}\n\nThe file on disk is unchanged.")
            return False
        QGuiApplication.restoreOverrideCursor()
        self._set_document(path, name)
        self.mark_clean()
        self.slot.remove()
        self.recent.add(path)
        self.window.statusBar().showMessage(f"Saved {name}", 5000)
        self.saved.emit(path)
        return True

    def save_history(self) -> bool:
        return self.window.actions_by_name["save_history"].isChecked()

    def export_csv_dialog(self) -> None:
        from gmmviz.core.io.points import write_csv

        start = os.path.join(self._folder, Path(self.name).stem + ".csv")
        path, _ = QFileDialog.getSaveFileName(self.window, "Export points", start, "CSV files (*.csv)")
        if path:
            ds = self.points.document
            try:
                write_csv(path, ds.X, ds.labels, [c.name for c in ds.classes])
            except GmmvizError as exc:
                self.warn("Cannot export", f"{Path(path).name}: {exc}")

    # -- questions ------------------------------------------------------------
    def warn(self, title: str, text: str) -> None:
        """One message for one problem."""
        log.info("%s: %s", title, text)
        QMessageBox.warning(self.window, title, text)

    def settle_unsaved(self, doing: str) -> bool:
        """Before the document goes away: save it, drop it, or stop (False)."""
        if not self.is_modified():
            return True
        if not self.ask_user:
            return True
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.window, "Unsaved changes", f"Save the changes to {self.name} before {doing}?",
            buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
        if answer == buttons.Save:
            return self.save()
        return answer == buttons.Discard

    def confirm_close(self) -> bool:
        """May the window close (asks about unsaved changes)?"""
        return not self._busy and self.settle_unsaved("closing")

    def capture(self):
        """The whole window as an immutable session: the session lab's document and every
        other lab's part."""
        return replace(self.lab.capture_session(with_history=self.save_history()), labs=self.parts.capture())

    # -- autosave and recovery ------------------------------------------------------
    @Slot()
    def autosave(self) -> bool:
        """Write a recovery copy now if there are unsaved changes (in the background)."""
        if not self.is_modified() or self._autosaving:
            return False
        try:
            session = self.capture()
            self.slot.claim()
        except GmmvizError as exc:
            log.warning("autosave skipped: %s", exc)
            self._autosave_failed(exc)
            return False
        self._autosaving = True
        document, name, slot = self.path, self.name, self.slot
        write = self.lab.write_session
        self.runner.submit(lambda progress: slot.write(session, document, name, write), self._on_autosaved)
        return True

    def _on_autosaved(self, status: str, payload) -> None:
        self._autosaving = False
        if status != "done":
            self._autosave_failed(payload)
            return
        if not self.is_modified():
            self.slot.remove()  # saved meanwhile: the copy is stale
            return
        self.autosaved.emit(payload)

    def _autosave_failed(self, reason) -> None:
        """Say so where it is seen (the status bar's message area is covered)."""
        self.lab.show_banner(f"Autosave failed: {reason}. Save your work now (Ctrl+S).", "warning")

    def offer_recovery(self) -> bool:
        """At start-up: offer the work of a gmmviz that did not close normally."""
        for i, orphan in enumerate(orphans := recovery.find_orphans()):
            answer = recovery.ask_restore(self.window, orphan)
            if answer == "restore" and self._restore(orphan):
                for other in orphans[i + 1:]:
                    other.release()
                return True
            orphan.discard() if answer == "discard" else orphan.release()
        return False

    def _restore(self, orphan) -> bool:
        status, session = read_file(self.window, self.runner, str(orphan.path), session=self.lab.read_session,
                                    ask_columns=False)
        if status != "done":
            self.warn("Cannot restore", f"The recovery copy cannot be read: {session}\n\n"
                      f"It stays in {orphan.path.parent}.")
            return False
        self._show_session(session)
        self._set_document(orphan.document, orphan.name, orphan.document)
        self.mark_clean()
        self._dirty = True  # restored work is unsaved work
        self.refresh_title()
        try:  # our own copy first, then let go of the old one
            self.slot.claim()
            self.slot.write(session, self.path, self.name, self.lab.write_session)
        except GmmvizError as exc:
            log.warning("could not copy the restored work: %s", exc)
            orphan.release()  # keep it: it is still the only copy on disk
        else:
            orphan.discard()
        when = time.strftime("%H:%M", time.localtime(orphan.saved))
        self.lab.show_banner(f"Restored the work autosaved at {when}: save it to keep it.", "info")
        return True

    def start_up(self, paths: list[str]) -> None:
        """After the first paint: offer recovery, then open the files named on the command line."""
        self.offer_recovery()
        for path in paths:
            self.open_path(path)

    def clean_exit(self) -> None:
        """The window closes normally: finish any write, remove the recovery copy."""
        self._closed = True
        self.autosave_timer.stop()
        self.runner.shutdown()
        self.slot.release()


def _as_bool(value) -> bool:
    return value if isinstance(value, bool) else str(value).lower() in ("true", "1", "yes")


def install(window) -> FileController:
    return FileController(window)
