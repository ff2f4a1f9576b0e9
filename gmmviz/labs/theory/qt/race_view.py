"""EM against gradient ascent from the same start: ln p per iteration and per second, live.

The race runs in the view's own run controller: EM, then gradient ascent with the chosen step (and,
optionally, along the score-function estimate), each from the same initialisation of the shared points.
Every ``init`` and ``M`` snapshot is sent as a :class:`RacePoint`; once started (until cancelled), moving the
step slider or changing a setting races again, mid-race or after it.  EM needs no step size; a step too large diverges, one too small crawls.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gmmviz.labs.em.core.algorithms.run import algorithm_steps
from gmmviz.labs.em.core.algorithms.types import GradientConfig
from gmmviz.labs.em.core.fused import Workspace
from gmmviz.labs.em.core.types import FitConfig
from gmmviz.labs.theory.core.settings import STEP_LOG_RANGE
from gmmviz.labs.theory.qt.race_layer import RaceEllipses
from gmmviz.qt.canvas.host import Canvas
from gmmviz.qt.runs import RunController

COLORS = {"em": "#009E73", "ga": "#0072B2", "ga-score": "#CC79A7"}
NAMES = {"em": "EM", "ga": "gradient ascent", "ga-score": "score-function gradient"}
DEBOUNCE_MS = 150
REDRAW_MS = 100  # points arrive by the thousand: the curves are redrawn at most this often


@dataclass(frozen=True)
class RacePoint:
    """One recorded snapshot of one contestant."""

    algorithm: str
    iteration: int
    log_likelihood: float
    seconds: float
    final: bool = False
    message: str = ""
    params: object = None  # the GaussianParams of this snapshot (frozen)


def race_job(X: np.ndarray, configs: list):
    """EM and the gradient runs one after the other on one workspace, a :class:`RacePoint` per init / M."""

    def job(token):
        ws = Workspace.build(X)
        for name, config in configs:
            t0 = time.perf_counter()
            last = None
            for snap in algorithm_steps(X, config, keep_resp=False, workspace=ws):
                if token.cancelled:
                    return
                last = snap
                if snap.phase == "init":  # seconds of iterations: a first call's one-off set-up is not the race
                    t0 = time.perf_counter()
                if snap.phase in ("init", "M"):
                    yield RacePoint(name, snap.iteration, snap.log_likelihood, time.perf_counter() - t0,
                                    params=snap.params)
            if last is not None:
                message = last.collapse.message if last.collapse is not None else ""
                yield RacePoint(name, last.iteration, last.log_likelihood, time.perf_counter() - t0, True, message)

    return job


class RaceView(QWidget):
    """The race's settings and its two plots.

    Signals
    -------
    point_added(object)
        A :class:`RacePoint` of the current race was drawn.
    race_finished()
        The current race ran to its end.
    wants_points()
        Start was pressed with too few points (the lab loads a prepared scene).
    """

    point_added = Signal(object)
    race_finished = Signal()
    wants_points = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._X: np.ndarray | None = None
        self.points: dict[str, list[RacePoint]] = {}
        self.running = False
        self.live = False  # started and not cancelled: a changed setting races again, running or finished
        self.runner = RunController("The race", "gmmviz-theory-race", self)
        self._build_ui()
        self._connect()
        self._on_step_slider(self.step.value())

    def _build_ui(self) -> None:
        v = QVBoxLayout(self)
        row = QHBoxLayout()
        self.k = QSpinBox(minimum=1, maximum=12, value=3)
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1, value=0)
        self.max_iter = QSpinBox(minimum=1, maximum=5000, value=150)
        self.step = QSlider(Qt.Orientation.Horizontal)
        self.step.setRange(*STEP_LOG_RANGE)
        self.step.setValue(-10)
        self.step.setToolTip("Gradient ascent's step (along the gradient of ln p per point), 0.001 to 10")
        self.step_label = QLabel()
        self.line_search = QCheckBox("line search")
        self.score = QCheckBox("score-function path, m =")
        self.samples = QSpinBox(minimum=1, maximum=1000, value=10)
        for label, w in (("K", self.k), ("seed", self.seed), ("iterations", self.max_iter)):
            row.addWidget(QLabel(label))
            row.addWidget(w)
        row.addStretch(1)
        v.addLayout(row)
        row = QHBoxLayout()  # gradient ascent's own settings: a row of their own, the slider long enough
        self.step.setMinimumWidth(220)
        row.addWidget(QLabel("step"))
        row.addWidget(self.step, 1)
        for w in (self.step_label, self.line_search, self.score, self.samples):
            row.addWidget(w)
        self.start_button = QPushButton("Start race")
        self.cancel_button = QPushButton("Stop (Esc)")
        self.cancel_button.setToolTip("Stop the race (Esc)")
        self._esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self,
                              context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        row.addWidget(self.start_button)
        row.addWidget(self.cancel_button)
        v.addLayout(row)
        plots = QHBoxLayout()
        self.canvas = Canvas()
        self.ellipses = self.canvas.add_layer(RaceEllipses(COLORS))
        legend = "&nbsp; ".join(f"<span style='color:{c}'>━</span> {NAMES[n]}" for n, c in COLORS.items())
        self.canvas.set_legend("race", legend)
        plots.addWidget(self.canvas, 3)
        right = QVBoxLayout()
        plots.addLayout(right, 2)
        self.by_iteration = pg.PlotWidget()
        self.by_time = pg.PlotWidget()
        self.curves = {}
        for plot, xlabel in ((self.by_iteration, "iteration"), (self.by_time, "seconds")):
            item = plot.getPlotItem()
            item.setLabel("bottom", xlabel)
            item.setLabel("left", "ln p(X|θ)")
            item.addLegend()
            for name, color in COLORS.items():
                self.curves[(xlabel, name)] = item.plot(pen=pg.mkPen(color, width=2), name=NAMES[name])
            right.addWidget(plot)
        v.addLayout(plots, 1)
        self.readout = QLabel("Start the race: EM and gradient ascent from the same start.")
        self.readout.setWordWrap(True)
        v.addWidget(self.readout)
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._redraw_timer = QTimer(self, singleShot=True, interval=REDRAW_MS)

    def _connect(self) -> None:
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self._esc.activated.connect(self.cancel)
        self.step.valueChanged.connect(self._on_step_slider)
        for w in (self.k, self.seed, self.max_iter, self.samples):
            w.valueChanged.connect(self._restart_if_running)
        for w in (self.line_search, self.score):
            w.toggled.connect(self._restart_if_running)
        self._debounce.timeout.connect(self.start)
        self._redraw_timer.timeout.connect(self._redraw)
        self.runner.yielded.connect(self._on_point)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)

    def step_size(self) -> float:
        return float(10.0 ** (self.step.value() / 10.0))

    def set_dataset(self, dataset) -> None:
        """The shared points changed: draw them and race on them."""
        self.canvas.set_dataset(dataset)
        self.set_points(dataset.X)
        if dataset.n_points:
            self.canvas.fit_view()

    def set_points(self, X: np.ndarray) -> None:
        self._X = np.array(X, dtype=np.float64, copy=True)
        self._X.setflags(write=False)
        self._restart_if_running()

    def configs(self) -> list:
        base = FitConfig(n_components=self.k.value(), init="random", reg_covar=1e-6, tol=0.0,
                         max_iter=self.max_iter.value(), random_state=self.seed.value())
        out = [("em", base), ("ga", GradientConfig(base=base, step_size=self.step_size(),
                                                   line_search=self.line_search.isChecked()))]
        if self.score.isChecked():
            out.append(("ga-score", GradientConfig(base=base, step_size=self.step_size(), score=True,
                                                   samples=self.samples.value())))
        return out

    def start(self) -> None:
        """(Re)start the race from the current settings."""
        self._debounce.stop()
        self.points = {}
        self._redraw()
        if self._X is None or self._X.shape[0] < max(self.k.value(), 2):
            self.readout.setText(f"Add points: the race needs at least K = {self.k.value()} points.")
            self.wants_points.emit()
            return
        self.running = self.live = True
        self.runner.submit(race_job(self._X, self.configs()))
        self.readout.setText("Racing…")

    def cancel(self) -> None:
        self._debounce.stop()
        self.runner.cancel()
        self.live = False
        if self.running:
            self.running = False
            self.readout.setText("Race cancelled.")

    def _restart_if_running(self, *_) -> None:
        if self.live:
            self._debounce.start()

    def _on_step_slider(self, value: int) -> None:
        self.step_label.setText(f"{self.step_size():.3g}")
        self._restart_if_running()

    @Slot(int, object)
    def _on_point(self, run_id: int, point: RacePoint) -> None:
        if run_id != self.runner.run_id:
            return
        if not point.final:
            self.points.setdefault(point.algorithm, []).append(point)
        elif point.message:
            self.readout.setText(f"{NAMES[point.algorithm]}: {point.message}")
        if not self._redraw_timer.isActive():
            self._redraw_timer.start()
        self.point_added.emit(point)

    @Slot(int)
    def _on_finished(self, run_id: int) -> None:
        if run_id == self.runner.run_id and self.running:
            self.running = False
            self._redraw_timer.stop()
            self._redraw()
            finals = ", ".join(f"{NAMES[a]} {p[-1].log_likelihood:,.2f}" for a, p in self.points.items())
            self.readout.setText(f"Final ln p: {finals}. EM needs no step size.")
            self.race_finished.emit()

    @Slot(int, str)
    def _on_failed(self, run_id: int, message: str) -> None:
        if run_id == self.runner.run_id:
            self.running = False
            self.readout.setText(message)

    def _redraw(self) -> None:
        self.ellipses.show_params({n: (p[-1].params if p else None) for n, p in self.points.items()})
        for name in COLORS:
            pts = [p for p in self.points.get(name, []) if np.isfinite(p.log_likelihood)]
            ll = np.array([p.log_likelihood for p in pts])
            self.curves[("iteration", name)].setData(np.array([p.iteration for p in pts], float), ll)
            self.curves[("seconds", name)].setData(np.array([p.seconds for p in pts]), ll)

    def shutdown(self) -> None:
        self._debounce.stop()
        self._redraw_timer.stop()
        self.runner.shutdown()
