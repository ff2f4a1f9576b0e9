"""The slide's Monte-Carlo gradient next to the exact one: its mean and spread over repeated draws.

On T points of the shared data (the first T) and the mixture EM fits to all of them, the view draws
``repeats`` independent m-sample score-function estimates of grad ln L
(:func:`~gmmviz.labs.em.core.algorithms.score.score_estimates`) and shows, per parameter, the exact
gradient, the estimates' mean and their spread.  With the prior sampler and more than a few points almost
every sampled z has negligible P(x | z, theta): the readout says how many, and the spread shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gmmviz.labs.em.core.algorithms.gradient import Layout
from gmmviz.labs.em.core.algorithms.score import (
    ScoreEstimate,
    assignment_count,
    score_estimates,
)
from gmmviz.labs.em.core.fused import Workspace
from gmmviz.labs.em.core.steps import run_em
from gmmviz.labs.em.core.types import FitConfig
from gmmviz.labs.theory.qt.computed import ComputedView

EXACT_COLOR, MEAN_COLOR = "#0072B2", "#D55E00"
SHOWN_PARAMS = 12  # the logits and the means of the first components


@dataclass(frozen=True, eq=False)
class ScoreResult:
    """Repeated estimates at the fitted mixture, on the first ``n_points`` points."""

    n_points: int
    n_components: int
    estimate: ScoreEstimate


def score_job(X: np.ndarray, k: int, T: int, samples: int, sampler: str, repeats: int, seed: int):
    """Fit EM to all points, then draw the estimates on the first T (standardised frame, as the run)."""

    def job(token):
        ws = Workspace.build(X)
        fit = run_em(X, FitConfig(n_components=k, max_iter=50, random_state=seed), workspace=ws)[-1]
        params = ws.std.params_to_std(fit.params)
        layout = Layout(k, "full")
        theta = layout.pack(params.weights, params.means, params.full_covariances())
        if token.cancelled:
            return
        est = score_estimates(ws.Xs[:T], layout, theta, samples=samples, sampler=sampler, repeats=repeats, rng=seed)
        for arr in (est.estimates, est.exact, est.ess):
            arr.setflags(write=False)
        yield ScoreResult(T, k, est)

    return job


class ScoreView(ComputedView):
    """Exact gradient, estimate mean and spread per parameter, and the sampler's honesty numbers.

    Signals
    -------
    estimate_shown(object)
        The :class:`ScoreResult` now drawn.
    """

    estimate_shown = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__("The score-function estimates", "gmmviz-theory-score", parent)
        self._build_ui()
        self._start_computing(self.k.valueChanged, self.T.valueChanged, self.samples.valueChanged,
                              self.repeats.valueChanged, self.sampler.currentIndexChanged)

    def _build_ui(self) -> None:
        v = QVBoxLayout(self)
        row = QHBoxLayout()
        self.k = QSpinBox(minimum=1, maximum=6, value=3)
        self.T = QSpinBox(minimum=1, maximum=2000, value=5)
        self.T.setToolTip("T: how many points (the first T) the likelihood L = p(x_1..x_T | θ) is of")
        self.samples = QSpinBox(minimum=1, maximum=10000, value=100)
        self.samples.setToolTip("m: sampled assignment vectors z per estimate")
        self.sampler = QComboBox()
        self.sampler.addItem("prior P(z|θ) (the slide's)", "prior")
        self.sampler.addItem("posterior P(z|x,θ)", "posterior")
        self.repeats = QSpinBox(minimum=2, maximum=5000, value=200)
        self.repeats.setToolTip("Independent estimates drawn, for their spread")
        for label, w in (("K", self.k), ("T", self.T), ("m", self.samples), ("sampler", self.sampler),
                         ("repeats", self.repeats)):
            row.addWidget(QLabel(label))
            row.addWidget(w)
        v.addLayout(row)
        v.addWidget(QLabel(f"<span style='color:{EXACT_COLOR}'>■</span> exact gradient&nbsp; "
                           f"<span style='color:{MEAN_COLOR}'>■</span> mean of the estimates, ± their spread"))
        self.plot = pg.PlotWidget()
        item = self.plot.getPlotItem()
        item.setLabel("bottom", "parameter (logits, then means)")
        item.setLabel("left", "∂ ln L / ∂θ")
        self.exact_bars = pg.BarGraphItem(x=[], height=[], width=0.35, brush=EXACT_COLOR)
        self.mean_bars = pg.BarGraphItem(x=[], height=[], width=0.35, brush=MEAN_COLOR)
        self.spread = pg.ErrorBarItem(x=np.zeros(0), y=np.zeros(0), height=np.zeros(0), beam=0.15)
        for it in (self.exact_bars, self.mean_bars, self.spread):
            item.addItem(it)
        v.addWidget(self.plot, 1)
        self.readout = QLabel()
        self.readout.setWordWrap(True)
        v.addWidget(self.readout)

    def recompute(self) -> None:
        k = self.k.value()
        if not self.enough_points(k):
            return
        T = min(self.T.value(), self._X.shape[0])
        self.runner.submit(score_job(self._X, k, T, self.samples.value(), self.sampler.currentData(),
                                     self.repeats.value(), 0))

    def show_result(self, result: ScoreResult | None) -> None:
        self.result = result
        if result is None:
            for bars in (self.exact_bars, self.mean_bars):
                bars.setOpts(x=[], height=[])
            self.spread.setData(x=np.zeros(0), y=np.zeros(0), height=np.zeros(0))
            return
        est = result.estimate
        n = min(SHOWN_PARAMS, est.exact.size)
        x = np.arange(n, dtype=float)
        mean, spread = est.mean[:n], est.spread[:n]
        self.exact_bars.setOpts(x=x - 0.18, height=est.exact[:n])
        self.mean_bars.setOpts(x=x + 0.18, height=np.nan_to_num(mean))
        self.spread.setData(x=x + 0.18, y=np.nan_to_num(mean), height=2 * np.nan_to_num(spread))
        rel = float(np.linalg.norm(est.mean - est.exact) / max(np.linalg.norm(est.exact), 1e-300))
        self.readout.setText(
            f"{result.n_components}^{result.n_points} = {_count(result.n_components, result.n_points)} assignment "
            f"vectors z. {est.sampler.capitalize()} sampler, m = {est.samples}: median effective sample size "
            f"{float(np.median(est.ess)):.3g} of {est.samples}; {100 * est.negligible:.1f} % of the sampled z have "
            f"negligible P(x|z,θ); |mean − exact| / |exact| = {rel:.3g} over {est.estimates.shape[0]} estimates.")
        self.estimate_shown.emit(result)


def _count(k: int, T: int) -> str:
    n = assignment_count(k, T)
    return f"{n:,}" if n < 10**15 else f"about 10^{len(str(n)) - 1}"
