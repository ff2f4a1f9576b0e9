"""The theory lab (the :class:`~gmmviz.qt.lab.Lab` seam): EM against gradient ascent, the minorise-maximise
slice and the information theory under EM's bound, on the window's shared points."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from gmmviz.labs import LabSpec
from gmmviz.labs.theory.qt.info import InfoView
from gmmviz.labs.theory.qt.race_view import RaceView
from gmmviz.labs.theory.qt.score_view import ScoreView
from gmmviz.labs.theory.qt.slice_view import SliceView
from gmmviz.qt.lab import Lab, LabContext

#: Outline keys -> the tab they open.
ENTRY_TABS = {"gradient": 0, "mm-slice": 1, "info": 2, "score": 3}
STATUS = ("EM and gradient ascent race from the same start: move the step size.",
          "The bound Q + ℍ touches ln p at α = 0, lies below it, and peaks at α = 1 (the M-step).",
          "Gibbs' inequality: D_KL(P‖Q) ≥ 0, zero exactly at P = Q.",
          "The slide's Monte-Carlo gradient: with the prior sampler, almost every z has negligible P(x|z, θ).")


class TheoryLab(Lab):
    """Algorithms and theory."""

    def __init__(self, spec: LabSpec, ctx: LabContext):
        super().__init__(spec, ctx)
        self.race = RaceView()
        self.slice = SliceView()
        self.info = InfoView()
        self.score = ScoreView()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.race, "EM vs gradient ascent")
        self.tabs.addTab(self.slice, "Minorise-maximise slice")
        self.tabs.addTab(self.info, "Entropy and KL")
        self.tabs.addTab(self.score, "Score-function gradient")
        self.tabs.currentChanged.connect(lambda i: self.status_changed.emit(STATUS[i]))
        ctx.points.changed.connect(self._on_points)
        self._on_points(ctx.points.document)

    def page(self) -> QWidget:
        return self.tabs

    def status(self) -> str:
        return STATUS[self.tabs.currentIndex()]

    def activate(self, active: bool) -> None:
        if not active:
            self.race.cancel()

    def open_entry(self, key: str) -> None:
        """Outline entries: a tab each."""
        self.tabs.setCurrentIndex(ENTRY_TABS.get(key, 0))

    def _on_points(self, dataset) -> None:
        self.slice.set_points(dataset.X)
        self.race.set_points(dataset.X)
        self.score.set_points(dataset.X)

    def shutdown(self) -> None:
        self.race.shutdown()
        self.slice.shutdown()
        self.score.shutdown()
