"""Build the QApplication and the main window (the ``gmmviz`` command with no
subcommand).

Start-up is kept short: scikit-learn and scipy.stats are never imported
here (a test checks), numeric kernels run on one BLAS thread, and files
named on the command line are opened after the first paint.
"""

from __future__ import annotations

import os
import sys


def pin_blas_threads() -> None:
    """One BLAS thread for every numeric kernel (much faster on small products)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return
    threadpool_limits(1)


def make_app(argv: list[str] | None = None):
    """The QApplication (created once), with gmmviz's names and icon."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv or [sys.argv[0]]))
    app.setApplicationName("gmmviz")
    app.setOrganizationName("gmmviz")
    app.setApplicationDisplayName("gmmviz")
    app.setDesktopFileName("org.gmmviz.GmmViz")
    from gmmviz.qt.settings import configure_settings

    configure_settings()  # GMMVIZ_SETTINGS_DIR, and tests never touch the user's settings
    import pyqtgraph as pg

    pg.setConfigOptions(antialias=True, background="w", foreground="#222222", useOpenGL=False)
    return app


def run_app(files: list[str] | None = None) -> int:
    """Show the window (opening ``files``) and run the event loop."""
    pin_blas_threads()
    app = make_app()
    from PySide6.QtCore import QTimer

    from gmmviz.qt.main_window import MainWindow, app_icon

    app.setWindowIcon(app_icon())
    window = MainWindow()
    window.show()
    # After the first paint: offer a crash's recovery copy, then open the files.
    paths = [os.fspath(p) for p in files or []]
    QTimer.singleShot(0, lambda: window.files.start_up(paths))
    if os.environ.get("GMMVIZ_STARTUP_REPORT"):  # bench/bench_startup.py
        _report_startup(app, window)
    elif os.environ.get("GMMVIZ_QUIT_AFTER_PAINT"):  # smoke tests
        QTimer.singleShot(0, app.quit)
    return app.exec()


def _report_startup(app, window) -> None:
    """Print when the window first painted and when it was ready (the start-up
    work after the first paint done: recovery check, files), as wall-clock
    times, then quit: what a user waits for, measured from the outside."""
    import time

    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        painted = None

        def eventFilter(self, obj, event):  # noqa: N802 (Qt API)
            if self.painted is None and event.type() == QEvent.Type.Paint and obj.isWidgetType() \
                    and obj.window() is window:
                self.painted = time.time()
                QTimer.singleShot(0, ready)  # after the start-up work queued behind the first paint
            return False

    def ready() -> None:
        QTimer.singleShot(0, finish)

    def finish() -> None:
        window.repaint()
        print(f"gmmviz-startup painted={spy.painted:.6f} ready={time.time():.6f} "
              f"sklearn={int('sklearn' in sys.modules)} scipy.stats={int('scipy.stats' in sys.modules)}",
              flush=True)
        app.quit()

    spy = FirstPaint(app)
    app.installEventFilter(spy)
