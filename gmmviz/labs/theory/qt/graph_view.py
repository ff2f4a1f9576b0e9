"""The graphical-model view: the mixture's DAG, a canvas of the shared points, and ancestral sampling.

Clicking z_t colours the canvas's points by their responsibilities P(z_t | x_t, θ), clicking x_t shows
the data as observed.  θ is the EM studio's mixture on screen (when it shows one of these points), else
an EM fit of the view's own (K chosen here), computed in the view's run controller with the
responsibilities.  "Sample" draws T points by ancestral sampling
(:func:`~gmmviz.labs.theory.core.ancestral.ancestral_sample`, in a worker) and animates them with a
QTimer, two steps a point: z_t lights the hidden node in its component's colour, then x_t appears on the
canvas in that colour.  The samples stay the view's own until "Keep samples as points" asks the lab to
add them to the shared points (``keep_requested``: one undoable edit).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gmmviz.core import palette
from gmmviz.core.mixture import GaussianParams
from gmmviz.labs.theory.core.ancestral import (
    MAX_SAMPLES,
    AncestralSample,
    GraphState,
    keep_command,
    sample_job,
    state_job,
)
from gmmviz.labs.theory.qt.dag import CAPTIONS, ModelGraph
from gmmviz.qt.canvas.host import BaseLayer, Canvas
from gmmviz.qt.runs import RunController

__all__ = ["GraphView"]
DEBOUNCE_MS = 120
SAMPLING_MS = 3000  # the whole animation, however many points (each step 5 to 300 ms)
Z_SAMPLES = 12  # over the points (10), under the ellipses of other labs' canvases


class SamplesLayer(BaseLayer):
    """The sampled points shown so far, each in its component's colour; the newest one larger."""

    def attach(self, canvas: Canvas) -> None:
        self.scatter = pg.ScatterPlotItem(pxMode=True, antialias=True)
        self.scatter.setZValue(Z_SAMPLES)
        canvas.plot_item.addItem(self.scatter, ignoreBounds=True)
        self._scale = 1.0
        self._brushes = np.array([], dtype=object)

    def set_scale(self, factor: float) -> None:
        self._scale = factor

    def show_samples(self, X: np.ndarray, z: np.ndarray) -> None:
        n = len(z)
        if n == 0:
            self.scatter.setData([], [])
            return
        k = int(z.max()) + 1
        if len(self._brushes) < k:  # one brush per component, made once: the animation redraws every step
            self._brushes = np.array([pg.mkBrush(palette.component_color(i)) for i in range(k)], dtype=object)
        brushes = self._brushes[z]
        sizes = np.full(n, 8.0 * self._scale)
        sizes[-1] = 15.0 * self._scale
        self.scatter.setData(pos=X, brush=brushes, size=sizes, pen=pg.mkPen("#FFFFFF", width=1.0), symbol="d")


class GraphView(QWidget):
    """The DAG beside a canvas, the sampler's settings and its animation.

    Signals
    -------
    node_clicked(str)
        "z", "x", "theta" or "mu" (z and x change what the canvas shows).
    state_shown(object)
        The :class:`GraphState` now drawn (None: none).
    samples_shown(int)
        How many sampled points are on the canvas (after each animation step).
    sampling_finished()
        The animation reached its last point.
    keep_requested(object)
        "Keep samples as points": the AddPoints edit for the lab to push on the points' undo stack.
    """

    node_clicked = Signal(str)
    state_shown = Signal(object)
    samples_shown = Signal(int)
    sampling_finished = Signal()
    keep_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.shown = "x"
        self.state: GraphState | None = None
        self.sample: AncestralSample | None = None
        self.step = 0
        self._X: np.ndarray | None = None
        self._studio_params: GaussianParams | None = None
        self._studio_label = ""
        self.runner = RunController("The graphical model's mixture", "gmmviz-theory-graph", self)
        self.sampler = RunController("Ancestral sampling", "gmmviz-theory-sample", self)
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.timer = QTimer(self)
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        v = QVBoxLayout(self)
        row = QHBoxLayout()
        self.k = QSpinBox(minimum=1, maximum=8, value=3)
        self.k.setToolTip("K of the view's own EM fit (when the EM studio shows no mixture of these points)")
        self.samples = QSpinBox(minimum=1, maximum=MAX_SAMPLES, value=200)
        self.samples.setToolTip("T: how many points one Sample draws")
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1, value=0)
        self.seed.setToolTip("The sampler's seed (each Sample moves it on by one)")
        self.sample_button = QPushButton("Sample")
        self.sample_button.setToolTip("Ancestral sampling from θ: z_t ~ π, then x_t ~ N(μ_z, Σ_z), point by point")
        self.stop_button = QPushButton("Stop")
        self.keep_button = QPushButton("Keep samples as points")
        self.keep_button.setToolTip("Add the sampled points to the shared points (one undo step)")
        for label, w in (("K", self.k), ("T", self.samples), ("seed", self.seed)):
            row.addWidget(QLabel(label))
            row.addWidget(w)
        for w in (self.sample_button, self.stop_button, self.keep_button):
            row.addWidget(w)
        row.addStretch(1)
        self.theta_label = QLabel()
        self.theta_label.setToolTip("The mixture θ sampled from and whose responsibilities z_t shows")
        row.addWidget(self.theta_label)
        v.addLayout(row)
        body = QHBoxLayout()
        self.dag = ModelGraph()
        self.view, self.nodes = self.dag.view, self.dag.nodes  # the drawing, for clicks and tests
        self.canvas = Canvas()
        self.samples_layer = self.canvas.add_layer(SamplesLayer())
        body.addWidget(self.dag, 2)
        body.addWidget(self.canvas, 3)
        v.addLayout(body, 1)
        self.readout = QLabel("Click z_t or x_t.")
        self.readout.setWordWrap(True)
        v.addWidget(self.readout)
        self.stop_button.setEnabled(False)
        self.keep_button.setEnabled(False)

    def _connect(self) -> None:
        self.dag.node_clicked.connect(self.click)
        self.k.valueChanged.connect(self._debounce.start)
        self._debounce.timeout.connect(self.recompute)
        self.runner.yielded.connect(self._on_state)
        self.runner.failed.connect(self._on_failed)
        self.sampler.yielded.connect(self._on_sample)
        self.sampler.failed.connect(self._on_failed)
        self.timer.timeout.connect(self._advance)
        self.sample_button.clicked.connect(self.start_sampling)
        self.stop_button.clicked.connect(self.stop_sampling)
        self.keep_button.clicked.connect(self.keep)

    # -- inputs ---------------------------------------------------------------------------
    def set_dataset(self, dataset) -> None:
        """The shared points changed: show them, recompute θ's responsibilities (debounced)."""
        self.canvas.set_dataset(dataset)
        self._X = None if dataset.n_points == 0 else np.array(dataset.X, dtype=np.float64)
        if self._X is not None and self._X.shape[1] == 2:
            self._X.setflags(write=False)
            self.canvas.fit_view()
        else:
            self._X = None
        self.state = None
        self._refill()
        self._debounce.start()

    def set_studio_step(self, step) -> None:
        """The EM studio's frame (a StudioStep or None): its mixture is θ when it is of these points."""
        params = None
        if step is not None and step.snapshots and self._X is not None and step.X.shape == self._X.shape \
                and np.array_equal(step.X, self._X):
            snap = step.snapshots[step.index]
            params = snap.params
            when = "initialisation" if snap.phase == "init" else f"iteration {snap.iteration}, {snap.phase}-step"
            self._studio_label = f"the EM studio's mixture on screen ({when})"
        if params is not self._studio_params:
            self._studio_params = params
            self._debounce.start()

    def recompute(self) -> None:
        k = self.k.value()
        if self._X is None or (self._studio_params is None and self._X.shape[0] < max(k, 2)):
            self.runner.cancel()
            self._show_state(None)
            self.readout.setText(f"Add points: θ is a mixture fitted to at least K = {k} points.")
            return
        self.runner.submit(state_job(self._X, self._studio_params, k, 0, self._studio_label))

    # -- what the canvas shows ------------------------------------------------------------
    def click(self, key: str) -> None:
        if key in CAPTIONS:
            self.shown = key
            self._refill()
            self.readout.setText(CAPTIONS[key] if key == "x" or self.state is not None
                                 else CAPTIONS[key] + " (θ is still being computed)")
        self.node_clicked.emit(key)

    @Slot(int, object)
    def _on_state(self, run_id: int, state) -> None:
        if run_id == self.runner.run_id:
            self._show_state(state)

    def _show_state(self, state: GraphState | None) -> None:
        self.state = state
        self.theta_label.setText("θ: none yet" if state is None else f"θ: {state.label}")
        self._refill()
        self.state_shown.emit(state)

    def _refill(self) -> None:
        ds = self.canvas.dataset
        if ds is None:
            return
        resp = None if self.state is None else self.state.resp_u8
        if self.shown != "z" or resp is None or resp.shape[0] != ds.n_points:
            self.canvas.points.set_fill(self.canvas.neutral(ds.n_points))
            return
        table = palette.rgb_table([palette.component_color(i) for i in range(resp.shape[1])])
        self.canvas.points.set_fill(palette.blend(resp, table))

    @Slot(int, str)
    def _on_failed(self, run_id: int, message: str) -> None:
        self.readout.setText(message)

    # -- ancestral sampling ---------------------------------------------------------------
    def start_sampling(self) -> None:
        """Draw T points from θ in the worker; the animation starts when they arrive."""
        if self.state is None:
            self.readout.setText("No θ yet: add points (or wait for the fit) before sampling.")
            return
        self.stop_sampling()
        seed = self.seed.value()
        self.sampler.submit(sample_job(self.state.params, self.samples.value(), seed))
        self.seed.setValue(seed + 1 if seed < self.seed.maximum() else 0)  # the next Sample draws anew

    @Slot(int, object)
    def _on_sample(self, run_id: int, sample: AncestralSample) -> None:
        if run_id != self.sampler.run_id:
            return
        self.sample, self.step = sample, 0
        self.samples_layer.show_samples(np.zeros((0, 2)), np.zeros(0, dtype=np.int64))
        self.timer.setInterval(int(min(300, max(5, SAMPLING_MS // sample.n_steps))))
        self.stop_button.setEnabled(True)
        self.keep_button.setEnabled(False)
        self.timer.start()

    def _advance(self) -> None:
        s = self.sample
        if s is None:
            self.timer.stop()
            return
        self.step += 1
        n_z, n_x = s.revealed(self.step)
        t = n_z - 1
        color = palette.component_color(int(s.z[t]))
        if n_z > n_x:  # z_t drawn, x_t not yet
            self.dag.light({"theta": color, "z": color})
            self.readout.setText(f"t = {n_z}: z_t = {int(s.z[t]) + 1}, drawn from π "
                                 f"({', '.join(f'{w:.2f}' for w in s.params.weights)})")
        else:
            self.dag.light({"z": color, "x": color, "mu": color})
            self.samples_layer.show_samples(s.X[:n_x], s.z[:n_x])
            self.readout.setText(f"t = {n_x}: x_t drawn from N(μ_{int(s.z[t]) + 1}, Σ_{int(s.z[t]) + 1})")
            self.samples_shown.emit(n_x)
        if self.step >= s.n_steps:
            self.stop_sampling()
            self.sampling_finished.emit()

    def stop_sampling(self) -> None:
        """Stop the animation where it is (the points shown so far can be kept)."""
        self.timer.stop()
        self.dag.light({})
        self.stop_button.setEnabled(False)
        shown = self.shown_samples()
        self.keep_button.setEnabled(shown > 0)
        if self.sample is not None and shown:
            counts = ", ".join(str(c) for c in self.sample.counts(shown))
            self.readout.setText(f"{shown} of {self.sample.n_samples} points sampled, z first, then x given z "
                                 f"(per component: {counts}). They are not your points until you keep them.")

    def shown_samples(self) -> int:
        return 0 if self.sample is None else self.sample.revealed(self.step)[1]

    def keep(self) -> None:
        """"Keep samples as points": hand the lab the edit that adds the points shown."""
        shown = self.shown_samples()
        if shown == 0:
            return
        self.keep_requested.emit(keep_command(self.sample, shown, self.canvas.current_class()))
        self.sample, self.step = None, 0
        self.samples_layer.show_samples(np.zeros((0, 2)), np.zeros(0, dtype=np.int64))
        self.keep_button.setEnabled(False)
        self.readout.setText(f"Kept {shown} sampled points (Edit → Undo takes them back).")

    def set_foreground(self, color: str) -> None:
        self.dag.set_foreground(color)

    def shutdown(self) -> None:
        self.timer.stop()
        self._debounce.stop()
        self.runner.shutdown()
        self.sampler.shutdown()
