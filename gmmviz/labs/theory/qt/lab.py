"""The theory lab (the :class:`~gmmviz.qt.lab.Lab` seam): EM against gradient ascent, the minorise-maximise
slice (following the EM studio's cursor) and its 2-parameter view, the information theory under EM's bound,
and the slide's score-function gradient, on the window's shared points."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from gmmviz.core.commands import ReplaceDataset
from gmmviz.core.session.parts import write_part
from gmmviz.labs import LabSpec
from gmmviz.labs.theory.core.scenes import scene
from gmmviz.labs.theory.core.settings import FIELDS
from gmmviz.labs.theory.core.settings import read as read_settings
from gmmviz.labs.theory.qt.graph_view import GraphView
from gmmviz.labs.theory.qt.info import InfoView
from gmmviz.labs.theory.qt.race_view import RaceView
from gmmviz.labs.theory.qt.score_view import ScoreView
from gmmviz.labs.theory.qt.slice_view import SliceView
from gmmviz.labs.theory.qt.studio_link import StudioLink
from gmmviz.labs.theory.qt.surface_view import SurfaceView
from gmmviz.labs.theory.qt.theming import rescale, restyle
from gmmviz.qt.banner import Banner
from gmmviz.qt.lab import Lab, LabContext
from gmmviz.qt.part_binding import WidgetBinding

#: The views, in tab order: (key, title, status line).
VIEWS = (("race", "EM vs gradient ascent", "EM and gradient ascent race from the same start: move the step size."),
         ("mm-slice", "Minorise-maximise slice",
          "The bound Q + ℍ touches ln p at α = 0, lies below it, and peaks at α = 1 (the M-step)."),
         ("info", "Entropy and KL", "Gibbs' inequality: D_KL(P‖Q) ≥ 0, zero exactly at P = Q."),
         ("score", "Score-function gradient",
          "The slide's Monte-Carlo gradient: with the prior sampler, almost every z has negligible P(x|z, θ)."),
         ("surface", "2-parameter slice", "Contours of ln p and of the bound over two mean coordinates, EM's path."),
         ("graph", "Graphical model", "θ → z_t → x_t ← μ, Σ in a plate over t: z_t hidden, x_t observed."))
ENTRY_TABS = {"gradient": 0, "mm-slice": 1, "info": 2, "score": 3, "mm-surface": 4, "graph": 5}
STATUS = tuple(v[2] for v in VIEWS)


class TheoryLab(Lab):
    """Algorithms and theory."""

    def __init__(self, spec: LabSpec, ctx: LabContext):
        super().__init__(spec, ctx)
        self.race = RaceView()
        self.slice = SliceView()
        self.info = InfoView()
        self.score = ScoreView()
        self.surface = SurfaceView()
        self.graph = GraphView()
        self.views = {"race": self.race, "mm-slice": self.slice, "info": self.info, "score": self.score,
                      "surface": self.surface, "graph": self.graph}
        self.tabs = QTabWidget()
        for key, title, _ in VIEWS:
            self.tabs.addTab(self.views[key], title)
        self.banner = Banner()
        self._page = QWidget()
        v = QVBoxLayout(self._page)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(self.banner)
        v.addWidget(self.tabs, 1)
        self.link = StudioLink(self)
        self.tabs.currentChanged.connect(lambda i: self.status_changed.emit(STATUS[i]))
        self.link.step_changed.connect(self._on_studio_step)
        self.race.wants_points.connect(self._load_race_scene)
        self.race.canvas.command_requested.connect(lambda cmd, text, gesture: ctx.points.push(cmd, text, gesture=gesture))
        self.graph.keep_requested.connect(lambda cmd: ctx.points.push(cmd, "Keep samples as points"))
        ctx.points.changed.connect(self._on_points)
        self._on_points(ctx.points.document)
        self.binding = WidgetBinding(FIELDS, self._widgets(), self)
        self.binding.changed.connect(self.state_changed)
        self.info.distributions_changed.connect(lambda p, q: self.state_changed.emit())

    # -- sessions: every control of every view --------------------------------------------
    def _widgets(self) -> dict:
        r, s, f, c = self.race, self.slice, self.surface, self.score
        widgets = {"view": self.tabs, "race_k": r.k, "race_seed": r.seed, "race_iterations": r.max_iter,
                   "race_step": r.step, "race_line_search": r.line_search, "race_score": r.score,
                   "race_samples": r.samples, "surface_coords": f.coords, "score_k": c.k, "score_T": c.T,
                   "score_m": c.samples, "score_sampler": c.sampler, "score_repeats": c.repeats,
                   "graph_k": self.graph.k, "graph_samples": self.graph.samples, "graph_seed": self.graph.seed}
        for prefix, view in (("slice", s), ("surface", f)):
            widgets.update({f"{prefix}_follow": view.follow, f"{prefix}_k": view.k, f"{prefix}_seed": view.seed,
                            f"{prefix}_iteration": view.iteration})
        return widgets

    def session_part(self) -> dict:
        p, q = self.info.masses()
        return write_part({**self.binding.values(), "info_p": p, "info_q": q}, FIELDS)

    def apply_session_part(self, part: dict) -> None:
        """Every view's settings as saved (checked whole first)."""
        values = read_settings(self.spec.key, part)
        self.race.cancel()
        self.binding.set_values(values)
        self.info.set_masses(values["info_p"], values["info_q"])

    def page(self) -> QWidget:
        return self._page

    def status(self) -> str:
        return STATUS[self.tabs.currentIndex()]

    def activate(self, active: bool) -> None:
        if active:
            self.link_studio()
        else:
            self.race.cancel()
            self.graph.stop_sampling()

    def link_studio(self) -> bool:
        """Follow the EM studio's cursor (through ``window.lab("em")``); False without an EM lab."""
        return self.link.link(self.ctx.window)

    def open_entry(self, key: str) -> None:
        """Outline entries: a prepared scene (its points, when it has some), its note, its tab."""
        s = scene(key)
        data = s.build()
        if data is not None:
            self.ctx.points.push(ReplaceDataset(data.dataset), f"Scene: {s.title}")
            self.ctx.new_document(s.title)
        self.banner.show_note(s.title, s.note)
        self.tabs.setCurrentIndex(ENTRY_TABS.get(key, 0))
        self.link_studio()

    def show_banner(self, text: str, kind: str) -> None:
        self.banner.show_message(text, kind)

    def apply_theme(self, theme) -> None:
        self.banner.restyle()
        restyle(self._page, theme)
        self.graph.set_foreground(theme.plot_fg)

    def apply_scale(self, factor: float) -> None:
        self.banner.set_scale(factor)
        self.race.canvas.set_scale(factor)
        self.graph.canvas.set_scale(factor)
        rescale(self._page, factor)

    def _load_race_scene(self) -> None:
        """Start with too few points: the gradient entry's scene, then the race."""
        if self.ctx.points.document.n_points == 0:
            self.open_entry("gradient")
            self.race.start()

    def _on_studio_step(self, step) -> None:
        for view in (self.slice, self.surface, self.info, self.graph):
            view.set_studio_step(step)

    def _on_points(self, dataset) -> None:
        self.slice.set_points(dataset.X)
        self.race.set_dataset(dataset)
        self.score.set_points(dataset.X)
        self.surface.set_points(dataset.X)
        self.graph.set_dataset(dataset)

    def shutdown(self) -> None:
        for view in (self.race, self.slice, self.score, self.surface, self.graph):
            view.shutdown()
        self.info.gap_runner.shutdown()
