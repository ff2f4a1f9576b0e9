"""Information theory: two discrete distributions P and Q, their entropies and KL divergences.

The bars are dragged (press on a bar and move up or down) or set with the sliders under them (each column's slider is the unnormalised mass of one
outcome); the view draws P and Q side by side and reads out H(P), H(Q), the cross-entropy and both KL
divergences, computed by :mod:`gmmviz.labs.theory.core.information` (this module only draws).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QSlider, QVBoxLayout, QWidget

from gmmviz.labs.theory.core.information import (
    cross_entropy,
    entropy,
    kl_divergence,
    with_probability,
)
from gmmviz.labs.theory.core.settings import FIELD, N_OUTCOMES
from gmmviz.labs.theory.core.settings import MAX_MASS as SLIDER_MAX
from gmmviz.labs.theory.core.studio_step import bound_at, step_ends
from gmmviz.qt.runs import RunController

P_COLOR, Q_COLOR = "#0072B2", "#D55E00"
NOTE = ("ℍ = −Σ r ln r ≥ 0. The slide writes ℍ without the minus sign, which would make it ≤ 0: "
        "the entropy is the expected surprise −ln r, never negative. Gibbs' inequality: D<sub>KL</sub>(P‖Q) ≥ 0, "
        "zero exactly when P = Q; in EM, ln p(x|θ) − (Q + ℍ) = D<sub>KL</sub>(r ‖ P(z|x, θ)).")


def normalise(masses) -> np.ndarray:
    """Slider masses -> a probability vector (uniform when every mass is zero)."""
    m = np.asarray(masses, dtype=np.float64)
    return m / m.sum() if m.sum() > 0 else np.full(m.shape, 1.0 / m.size)


class BarViewBox(pg.ViewBox):
    """Press or drag on a bar to set its height (P's bars left of each outcome, Q's right)."""

    def __init__(self, view: "InfoView"):
        super().__init__(enableMenu=False)
        self._info = view

    def _set(self, start, now) -> None:
        a, b = self.mapSceneToView(start), self.mapSceneToView(now)
        j = int(round(a.x())) - 1
        if 0 <= j < N_OUTCOMES:
            self._info.drag_bar("P" if a.x() < j + 1 else "Q", j, b.y())

    def mouseClickEvent(self, ev):  # noqa: N802 (Qt API)
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self._set(ev.scenePos(), ev.scenePos())

    def mouseDragEvent(self, ev, axis=None):  # noqa: N802 (Qt API)
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        self._set(ev.buttonDownScenePos(), ev.scenePos())


class InfoView(QWidget):
    """P and Q as bars, and their information quantities.

    Signals
    -------
    distributions_changed(object, object)
        The new P and Q (probability vectors) after a slider moved.
    """

    distributions_changed = Signal(object, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.gap = None  # the studio's identity now: (snapshot, BoundDecomposition) or None
        self.gap_runner = RunController("The bound's terms", "gmmviz-theory-gap", self)
        self._build_ui()
        self.gap_runner.yielded.connect(self._on_gap)
        self.gap_runner.failed.connect(lambda run_id, message: self.identity.setText(message))
        self.set_masses(np.array(FIELD["info_p"].default), np.array(FIELD["info_q"].default))

    def _build_ui(self) -> None:
        v = QVBoxLayout(self)
        self.plot = pg.PlotWidget(viewBox=BarViewBox(self))
        self.plot.setMouseEnabled(False, False)
        self.plot.setToolTip("Drag a bar up or down to set its probability (the others keep their ratios)")
        self.plot.getPlotItem().setLabel("left", "probability")
        self.plot.getPlotItem().setLabel("bottom", "outcome")
        self.plot.getPlotItem().getAxis("bottom").setTicks([[(j, str(j)) for j in range(1, N_OUTCOMES + 1)]])
        self.p_bars = pg.BarGraphItem(x=[], height=[], width=0.38, brush=P_COLOR)
        self.q_bars = pg.BarGraphItem(x=[], height=[], width=0.38, brush=Q_COLOR)
        self.plot.addItem(self.p_bars)
        self.plot.addItem(self.q_bars)
        v.addWidget(self.plot, 1)
        grid = QGridLayout()
        grid.addWidget(QLabel(f"<span style='color:{P_COLOR}'>P</span>"), 0, 0)
        grid.addWidget(QLabel(f"<span style='color:{Q_COLOR}'>Q</span>"), 1, 0)
        self.p_sliders, self.q_sliders = [], []
        for j in range(N_OUTCOMES):
            for row, sliders in ((0, self.p_sliders), (1, self.q_sliders)):
                s = QSlider(Qt.Orientation.Horizontal)
                s.setRange(0, SLIDER_MAX)
                s.setToolTip(f"{'PQ'[row]}'s mass on outcome {j + 1} (normalised with the others)")
                s.valueChanged.connect(self._changed)
                grid.addWidget(s, row, j + 1)
                sliders.append(s)
        v.addLayout(grid)
        self.readout = QLabel()
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        v.addWidget(self.readout)
        self.identity = QLabel("The EM studio shows no run yet: its bound's gap appears here.")
        self.identity.setTextFormat(Qt.TextFormat.RichText)
        self.identity.setWordWrap(True)
        v.addWidget(self.identity)
        self.note = QLabel(NOTE)
        self.note.setWordWrap(True)
        v.addWidget(self.note)

    def set_masses(self, p, q) -> None:
        """Move the sliders to unnormalised masses ``p`` and ``q`` (one update, one signal)."""
        for sliders, masses in ((self.p_sliders, p), (self.q_sliders, q)):
            for s, m in zip(sliders, masses):
                s.blockSignals(True)
                s.setValue(int(m))
                s.blockSignals(False)
        self._changed()

    def set_studio_step(self, step) -> None:
        """The EM studio's cursor moved: read ln p − (Q + ℍ) off its snapshot and compute the KL independently."""
        if step is None:
            self.gap_runner.cancel()
            self.gap = None
            self.identity.setText("The EM studio shows no run yet: its bound's gap appears here.")
            return
        snap = step.snapshots[step.index]
        if snap.phase == "init" or not np.isfinite(snap.q):
            self.gap_runner.cancel()
            self.gap = None
            self.identity.setText("The EM studio is at its initialisation (or runs an algorithm without EM's "
                                  "bound): no responsibilities yet, so no Q + ℍ. Step EM there.")
            return
        ends = step_ends(step.snapshots, step.index)
        theta_resp = ends.theta_old
        theta = ends.theta_new if ends.at == 1.0 else ends.theta_old
        X = step.X

        def job(token):
            yield snap, bound_at(X, theta_resp, theta)

        self.gap_runner.submit(job)

    def _on_gap(self, run_id: int, item) -> None:
        if run_id != self.gap_runner.run_id:
            return
        snap, dec = item
        self.gap = item
        where = "E-step: r is the posterior, so the gap is 0" if snap.phase == "E" else \
            "M-step: θ moved, r stayed, so the bound fell below ln p"
        self.identity.setText(
            f"<b>In the EM studio</b> (iteration {snap.iteration}, {where}):<br>"
            f"ln p(X|θ) − (Q + ℍ) = {snap.log_likelihood:,.6f} − ({snap.q:,.6f} + {snap.entropy:,.6f}) = "
            f"<b>{snap.gap:.6g}</b> nats (the studio's snapshot)<br>"
            f"D<sub>KL</sub>(r ‖ P(z|x, θ)) = <b>{dec.kl:.6g}</b> nats (computed here from r and the posterior)")

    def drag_bar(self, which: str, j: int, height: float) -> None:
        """Set bar ``j`` of P or Q to probability ``height`` (the sliders follow, in hundredths)."""
        P, Q = self.distributions()
        new = with_probability(P if which == "P" else Q, j, height)
        masses = np.round(new * SLIDER_MAX).astype(int)
        if which == "P":
            self.set_masses(masses, self._masses(self.q_sliders))
        else:
            self.set_masses(self._masses(self.p_sliders), masses)

    def masses(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The sliders' unnormalised masses of P and of Q."""
        return tuple(s.value() for s in self.p_sliders), tuple(s.value() for s in self.q_sliders)

    @staticmethod
    def _masses(sliders) -> np.ndarray:
        return np.array([s.value() for s in sliders])

    def distributions(self) -> tuple[np.ndarray, np.ndarray]:
        return (normalise([s.value() for s in self.p_sliders]), normalise([s.value() for s in self.q_sliders]))

    def quantities(self) -> dict[str, float]:
        """H(P), H(Q), H(P, Q), KL(P||Q), KL(Q||P) of the distributions on screen (nats)."""
        P, Q = self.distributions()
        return {"H(P)": entropy(P), "H(Q)": entropy(Q), "H(P,Q)": cross_entropy(P, Q),
                "KL(P||Q)": kl_divergence(P, Q), "KL(Q||P)": kl_divergence(Q, P)}

    def _changed(self) -> None:
        P, Q = self.distributions()
        x = np.arange(1, N_OUTCOMES + 1, dtype=float)
        self.p_bars.setOpts(x=x - 0.2, height=P)
        self.q_bars.setOpts(x=x + 0.2, height=Q)
        self.plot.getPlotItem().setRange(xRange=(0.4, N_OUTCOMES + 0.6), yRange=(0, 1), padding=0)
        q = self.quantities()
        rows = [("ℍ(P)", q["H(P)"]), ("ℍ(Q)", q["H(Q)"]), ("cross-entropy ℍ(P, Q)", q["H(P,Q)"]),
                ("D<sub>KL</sub>(P‖Q) = ℍ(P, Q) − ℍ(P)", q["KL(P||Q)"]), ("D<sub>KL</sub>(Q‖P)", q["KL(Q||P)"])]
        body = "".join(f"<tr><td>{k}&nbsp;</td><td align='right'><b>{_nats(v)}</b></td></tr>" for k, v in rows)
        equal = " (P = Q: both divergences are 0)" if np.array_equal(P, Q) else ""
        self.readout.setText(f"<table cellspacing='2'>{body}</table>nats{equal}")
        self.distributions_changed.emit(P, Q)


def _nats(value: float) -> str:
    return "∞" if value == float("inf") else f"{value:.4f}"
