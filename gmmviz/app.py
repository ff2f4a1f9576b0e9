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
    """One BLAS thread for every numeric kernel (much faster on small products).

    Before numpy is loaded, the variables :mod:`gmmviz` sets do it (and
    loading threadpoolctl would only cost start-up time)."""
    if "numpy" not in sys.modules:
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return
    threadpool_limits(1)


def make_app(argv: list[str] | None = None, *, plots: bool = True):
    """The QApplication (created once), with gmmviz's names and icon
    (and pyqtgraph configured, unless ``plots`` is false)."""
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
    if plots:
        configure_plots()
    return app


def configure_plots() -> None:
    """pyqtgraph's options (loading it takes a third of the start-up)."""
    import pyqtgraph as pg

    pg.setConfigOptions(antialias=True, background="w", foreground="#222222", useOpenGL=False)


def run_app(files: list[str] | None = None) -> int:
    """Show the window (opening ``files``) and run the event loop."""
    pin_blas_threads()
    app = make_app(plots=False)
    from PySide6.QtCore import QTimer

    from gmmviz.qt.main_window import MainWindow, app_icon

    app.setWindowIcon(app_icon())
    window = MainWindow(defer_start=True)
    paths = [os.fspath(p) for p in files or []]

    def start() -> None:  # after the first paint
        configure_plots()
        window.finish_start()  # the first lab's page
        window.files.start_up(paths)  # offer a crash's recovery copy, then open the files

    after_first_paint(window, start)
    window.show()
    if os.environ.get("GMMVIZ_STARTUP_REPORT"):  # bench/bench_startup.py
        _report_startup(app, window, paths)
    elif os.environ.get("GMMVIZ_QUIT_AFTER_PAINT"):  # smoke tests: painted, then started
        window.started.connect(lambda: QTimer.singleShot(0, app.quit))
    return app.exec()


def after_first_paint(window, fn, *, fallback_ms: int = 1000) -> None:
    """Call ``fn`` once, in the event loop's next turn after ``window`` first
    paints (or after ``fallback_ms`` if no paint comes, e.g. a minimised start)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Once(QObject):
        done = False

        def eventFilter(self, obj, event):  # noqa: N802 (Qt API)
            if event.type() == QEvent.Type.Paint and obj.isWidgetType() and obj.window() is window:
                self.fire()
            return False

        def fire(self) -> None:
            if not self.done:
                self.done = True
                app.removeEventFilter(self)
                QTimer.singleShot(0, fn)

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    once = Once(window)
    app.installEventFilter(once)
    QTimer.singleShot(fallback_ms, once.fire)


def _report_startup(app, window, paths: list[str]) -> None:
    """Print when the window first painted and when it was ready (its first
    lab built and the points of the files named on the command line on
    screen), as wall-clock times, then quit: what a user waits for, measured
    from the outside (``bench/bench_startup.py``)."""
    import time

    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        painted = None
        plots_at_paint = None

        def eventFilter(self, obj, event):  # noqa: N802 (Qt API)
            if self.painted is None and event.type() == QEvent.Type.Paint and obj.isWidgetType() \
                    and obj.window() is window:
                self.painted = time.time()
                self.plots_at_paint = "pyqtgraph" in sys.modules
            return False

    def poll() -> None:  # every 5 ms until the lab is built and the files' points arrived
        loaded = not paths or window.points.document.n_points > 0
        if spy.painted is None or window.current_lab is None or not loaded:
            QTimer.singleShot(5, poll)
            return
        window.repaint()
        print(f"gmmviz-startup painted={spy.painted:.6f} ready={time.time():.6f} "
              f"plots_at_paint={int(spy.plots_at_paint)} lab={window.current_lab.spec.key} "
              f"sklearn={int('sklearn' in sys.modules)} scipy.stats={int('scipy.stats' in sys.modules)}",
              flush=True)
        app.quit()

    spy = FirstPaint(app)
    app.installEventFilter(spy)
    QTimer.singleShot(0, poll)
