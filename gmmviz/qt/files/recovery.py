"""gmmviz's own files: the data directory, settings, recent files, and the
autosaved recovery copies offered back after a crash.

Layout of the data directory (``$GMMVIZ_DATA_DIR``, else the platform's
generic data location + ``gmmviz``, e.g. ``~/.local/share/gmmviz``)::

    recovery/<id>.gmmviz   the latest autosave of one running window (a session)
    recovery/<id>.json     {"document": the user's file or null, "saved": epoch seconds}
    recovery/<id>.lock     held (QLockFile) while that window runs

A copy whose lock nobody holds belongs to a gmmviz that did not close
normally: :func:`find_orphans` lists those for the start-up offer.  Under
``GMMVIZ_TEST`` (set by the test suite), the data directory is a temporary
folder, never the user's; settings (recent files) use the application's
one store, :func:`gmmviz.qt.settings.open_settings`, which does the same.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QStandardPaths
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from gmmviz.core.errors import GmmvizError
from gmmviz.core.io.atomic import atomic_write_text
from gmmviz.qt.settings import open_settings

ENV_DATA_DIR = "GMMVIZ_DATA_DIR"
MAX_RECENT = 8
_TEST_DIR: list[str] = []


def data_dir() -> Path:
    """Where gmmviz keeps its own files (created on demand by the writers).

    ``$GMMVIZ_DATA_DIR`` if set; under ``GMMVIZ_TEST`` a fresh temporary
    folder per process; else the platform's data location + ``gmmviz``.
    """
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env)
    if os.environ.get("GMMVIZ_TEST"):
        if not _TEST_DIR:
            _TEST_DIR.append(tempfile.mkdtemp(prefix="gmmviz-test-data-"))
            atexit.register(shutil.rmtree, _TEST_DIR[0], True)
        return Path(_TEST_DIR[0])
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(base) / "gmmviz"


def recovery_dir() -> Path:
    return data_dir() / "recovery"


class RecentFiles:
    """The most recently opened or saved files, newest first (QSettings)."""

    KEY = "files/recent"

    def paths(self) -> list[str]:
        """Existing files only: missing ones are pruned from the list."""
        stored = open_settings().value(self.KEY, [])
        stored = [stored] if isinstance(stored, str) else list(stored or [])
        kept = [p for p in stored if isinstance(p, str) and os.path.isfile(p)]
        if kept != stored:
            self._store(kept)
        return kept

    def add(self, path: str) -> None:
        path = os.path.abspath(path)
        self._store([path] + [p for p in self.paths() if p != path])

    def clear(self) -> None:
        self._store([])

    def fill_menu(self, menu: QMenu, open_path) -> None:
        """List the files in ``menu``; choosing one calls ``open_path(path)``."""
        menu.clear()
        paths = self.paths()
        for i, path in enumerate(paths, start=1):
            action = menu.addAction(f"&{i} {os.path.basename(path)}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda checked=False, p=path: open_path(p))
        if paths:
            menu.addSeparator()
            menu.addAction("Clear Recent Files", self.clear)
        else:
            menu.addAction("No recent files").setEnabled(False)

    def _store(self, paths: list[str]) -> None:
        settings = open_settings()
        settings.setValue(self.KEY, paths[:MAX_RECENT])
        settings.sync()


def _lock(path: Path) -> QLockFile:
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
    return lock


class RecoverySlot:
    """This window's recovery copy (created at the first autosave)."""

    def __init__(self):
        self.folder: Path | None = None
        self.stem = f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{id(self):x}"
        self._lock: QLockFile | None = None

    @property
    def path(self) -> Path | None:
        return None if self.folder is None else self.folder / f"{self.stem}.gmmviz"

    def claim(self) -> Path:
        """Take the lock (GUI thread) so that no other gmmviz thinks this copy is orphaned."""
        if self._lock is None:
            self.folder = recovery_dir()
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise GmmvizError(f"cannot create {str(self.folder)!r}: {exc.strerror or exc}") from None
            self._lock = _lock(self.folder / f"{self.stem}.lock")
            self._lock.tryLock(0)
        return self.path

    def write(self, session, document: str | None, name: str, write_session) -> str:
        """Write the copy atomically (any thread, after :meth:`claim`); returns its path.

        ``document`` is the session file the work belongs to (None if not
        saved yet), ``name`` what the window's title showed, and
        ``write_session(path, session)`` the session lab's writer.
        """
        path = self.path
        write_session(path, session)
        sidecar = json.dumps({"document": document, "name": name, "saved": time.time()})
        atomic_write_text(path.with_suffix(".json"), [sidecar])
        return str(path)

    def remove(self) -> None:
        """Delete the copy (e.g. after a save or at a clean exit); keeps the lock."""
        if self.folder is not None:
            for suffix in (".gmmviz", ".json"):
                _unlink(self.folder / f"{self.stem}{suffix}")

    def release(self) -> None:
        """Delete the copy and give up the lock (a clean exit)."""
        self.remove()
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        pass  # a copy left behind is offered again, never lost


@dataclass
class Orphan:
    """A recovery copy left by a gmmviz that did not close normally (its lock is held here)."""

    path: Path
    document: str | None  # the session file the work belongs to
    name: str  # what the window's title showed
    saved: float
    lock: QLockFile

    def discard(self) -> None:
        """Delete the copy (and what a write cut short by the crash left) for good."""
        for suffix in (".gmmviz", ".json"):
            _unlink(self.path.with_suffix(suffix))
            for tmp in self.path.parent.glob(f".{self.path.stem}{suffix}.*.tmp"):
                _unlink(tmp)
        self.release()

    def release(self) -> None:
        """Keep the copy for a later start and let go of it."""
        self.lock.unlock()


def find_orphans(folder: Path | None = None) -> list[Orphan]:
    """Recovery copies nobody runs, newest first; each is locked until released."""
    folder = recovery_dir() if folder is None else folder
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.gmmviz"):
        lock = _lock(path.with_suffix(".lock"))
        if not lock.tryLock(0):
            continue  # a running gmmviz owns it
        document, name, saved = _sidecar(path)
        found.append(Orphan(path, document, name, saved, lock))
    return sorted(found, key=lambda o: o.saved, reverse=True)


def _sidecar(path: Path) -> tuple[str | None, str, float]:
    """(document, name, time saved) of a copy; a missing or bad sidecar means "Untitled"."""
    try:
        saved = path.stat().st_mtime
    except OSError:
        saved = 0.0
    try:
        info = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        document, name = info.get("document"), info.get("name")
    except (OSError, ValueError, AttributeError):
        return None, "Untitled", saved
    document = document if isinstance(document, str) and document.endswith(".gmmviz") else None
    if not isinstance(name, str) or not name or len(name) > 255:
        name = os.path.basename(document) if document else "Untitled"
    return document, name, saved


def ask_restore(parent: QWidget, orphan: Orphan) -> str:
    """Ask whether to restore ``orphan``: ``"restore"``, ``"discard"`` or ``"later"``."""
    name = orphan.name if orphan.name != "Untitled" else "an untitled session"
    when = time.strftime("%A %d %B, %H:%M", time.localtime(orphan.saved))
    box = QMessageBox(QMessageBox.Icon.Warning, "Restore unsaved work?",
                      "gmmviz did not close normally last time.", QMessageBox.StandardButton.NoButton, parent)
    box.setInformativeText(f"A recovery copy of {name}, saved automatically on {when}, was kept.\n\n"
                           "Restore it, or discard it for good?")
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Not Now", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    clicked = box.clickedButton()
    return "restore" if clicked is restore else ("discard" if clicked is discard else "later")
