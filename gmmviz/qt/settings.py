"""Where gmmviz keeps its settings, and the one way to open them.

Every controller uses :func:`open_settings` (or a default ``QSettings()``
after :func:`configure_settings`, which :func:`gmmviz.app.make_app` calls),
so they all share one store.  Keys in use:

``window/geometry``, ``window/state``, ``window/hsplit``, ``window/vsplit``,
``view/theme``, ``view/scale``, ``view/formula``, ``presentation/scale``,
``presentation/theme``, ``playback/speed`` (:mod:`gmmviz.qt.presentation`);
``export/...`` and ``dirs/export`` (:mod:`gmmviz.qt.export.controller`);
``files/recent`` and ``dirs/open`` are for the file controller.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from PySide6.QtCore import QSettings

_TEST_DIR: list[str] = []


def configure_settings() -> None:
    """Choose where QSettings live (call before the first QSettings is made).

    ``GMMVIZ_SETTINGS_DIR`` puts them in that folder (INI format); under
    ``GMMVIZ_TEST`` (set by the test suite) they go to a fresh temporary
    folder per process, so tests never read or write the user's settings.
    Otherwise Qt's usual place (``~/.config/gmmviz/gmmviz.conf`` on Linux).
    """
    folder = os.environ.get("GMMVIZ_SETTINGS_DIR")
    if not folder and os.environ.get("GMMVIZ_TEST"):
        if not _TEST_DIR:
            _TEST_DIR.append(tempfile.mkdtemp(prefix="gmmviz-test-settings-"))
            atexit.register(shutil.rmtree, _TEST_DIR[0], True)
        folder = _TEST_DIR[0]
    if folder:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)


def open_settings() -> QSettings:
    """The application's settings store (the same for every controller)."""
    configure_settings()
    return QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope, "gmmviz", "gmmviz")
