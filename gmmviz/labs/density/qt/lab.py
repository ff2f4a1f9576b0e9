"""The density-estimation lab (the :class:`~gmmviz.qt.lab.Lab` seam).

One page: the controls on the left; on the right the banner, the density plot
(1-D: a generated sample's histograms, kernel and mixture curves with the
true density dashed and the points as rugs and an optional jittered strip;
2-D: the shared canvas, where the window's tools paint the points in place,
with the chosen estimate as a heatmap-and-contours layer), the leaderboard and,
in tabs, the score-versus-complexity curves and the learning curve.  The settings live in a ``DocumentStore``
(every edit an undoable command); the complexity sweep runs on a
``RunController`` and its curves and fitted mixtures fill in as they arrive;
every slider move redraws from :mod:`gmmviz.labs.density.core.view`.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gmmviz.core.errors import GmmvizError
from gmmviz.core.session.parts import read_settings, settings_part
from gmmviz.labs import LabSpec
from gmmviz.labs.density.core.dp_mixture import Continuation
from gmmviz.labs.density.core.job import lab_data, sweep_items
from gmmviz.labs.density.core.scenes import scene
from gmmviz.labs.density.core.settings import (
    CONCENTRATIONS,
    CURVE_VIEWS,
    DensitySettings,
    SetSettings,
)
from gmmviz.labs.density.core.view import mixture_row_key, view_1d, view_2d
from gmmviz.labs.density.qt.canvas2d import Points2D
from gmmviz.labs.density.qt.controls import LABELS, Controls
from gmmviz.labs.density.qt.leaderboard import Leaderboard
from gmmviz.labs.density.qt.learning import TOOLTIP as LEARNING_TOOLTIP
from gmmviz.labs.density.qt.learning import LearningCurves, LearningPanel
from gmmviz.labs.density.qt.plots import DensityPlot1D, ScoreCurves
from gmmviz.qt.banner import Banner
from gmmviz.qt.lab import Lab, LabContext
from gmmviz.qt.runs import RunController
from gmmviz.qt.store import DocumentStore
from gmmviz.qt.widgets import scroll_width

#: The shortest time between two redraws as the sweep's results arrive.
REDRAW_MS = 40
#: Iterations of each of the sweep's infinite-mixture fits (scikit-learn's default max_iter was the lab's before).
DP_MAX_ITER = 500


class ExportSource:
    """What Ctrl+E exports: the density plot (``canvas``) and the score curves (``curves``)."""

    def __init__(self, lab: DensityLab):
        self._lab = lab

    @property
    def canvas(self):
        return self._lab.stack.currentWidget()

    @property
    def curves(self):
        """The lower plot shown: the scores against complexity, or the learning curve."""
        return self._lab.curve_tabs.currentWidget()

    def palette(self):
        """The page's palette (the export's background colour)."""
        return self._lab.page().palette()


class DensityLab(Lab):
    """Histograms, kernels and mixtures scored by held-out likelihood.

    Its settings are its document, on the points' undo history (as the classification lab's): in 2-D
    it paints the shared points too, and Ctrl+Z undoes settings and strokes in the order they were made.
    """

    def __init__(self, spec: LabSpec, ctx: LabContext):
        super().__init__(spec, ctx)
        self.store: DocumentStore[DensitySettings] = DocumentStore(DensitySettings(), self,
                                                                   undo_stack=ctx.points.undo_stack)
        self.runs = RunController("The density sweep", "gmmviz-density", self)
        self.data = None
        self.fits: dict = {}
        self.curves: dict = {}
        self.view = None
        self._shown_key = self._histogram_key = None
        self._build_ui()
        self._connect()
        self._refresh_data()

    # -- construction -------------------------------------------------------
    def _build_ui(self) -> None:
        self._page = QSplitter(Qt.Orientation.Horizontal)
        self._page.setObjectName("densityPage")
        self.controls = Controls()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.controls)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll = scroll
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_controls)
        self.controls.installEventFilter(self)  # a new font or text: fit the column again
        self._fit_controls()
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        self.banner = Banner()
        self.plot_1d = DensityPlot1D()
        self.points_2d = Points2D(self.ctx.points, self)  # the 2-D mode: the shared canvas, painted in place
        self.canvas_2d = self.points_2d.canvas
        self.controls.add_classes_panel(self.points_2d.classes)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.plot_1d)
        self.stack.addWidget(self.canvas_2d)
        self.leaderboard = Leaderboard()
        self.score_curves = ScoreCurves()
        self.learning_panel = LearningPanel()
        self.learning_plot = self.learning_panel.plot
        self.learning = LearningCurves(self.learning_plot, self)
        self.curve_tabs = QTabWidget()
        self.curve_tabs.setObjectName("densityCurveTabs")
        self.curve_tabs.addTab(self.score_curves, "Score vs complexity")
        self.curve_tabs.addTab(self.learning_panel, "Learning curve")
        self.curve_tabs.setTabToolTip(0, "Train (dashed), held-out (solid) and cross-validated (dotted) mean ln p "
                                         "against each family's complexity; the star is the best setting")
        self.curve_tabs.setTabToolTip(1, LEARNING_TOOLTIP)
        lower = QSplitter(Qt.Orientation.Vertical)
        lower.addWidget(self.stack)
        lower.addWidget(self.leaderboard)
        lower.addWidget(self.curve_tabs)
        lower.setSizes([400, 215, 215])
        column.addWidget(self.banner)
        column.addWidget(lower, 1)
        self._page.addWidget(scroll)
        self._page.addWidget(right)
        self._page.setSizes([320, 1000])
        self._data_timer = QTimer(self)
        self._data_timer.setSingleShot(True)
        self._data_timer.setInterval(250)
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(REDRAW_MS)
        self._pending: set = set()
        self._view_timer = QTimer(self)
        self._view_timer.setSingleShot(True)
        self._view_timer.setInterval(0)
        self.controls.show_settings(self.store.document)

    def _connect(self) -> None:
        self.controls.edited.connect(self._on_edit)
        self.curve_tabs.currentChanged.connect(
            lambda i: self.edit("Show the " + ("learning curve" if i else "scores"),
                                curves_view=CURVE_VIEWS[i]))
        self.controls.best_requested.connect(self.set_best)
        self.store.changed.connect(self._on_settings)
        self.store.changed.connect(lambda _: self.state_changed.emit())
        self.follow_undo(self.store)  # its settings are on the points' history: an Undo elsewhere shows them
        self.runs.yielded.connect(self._on_item)
        self.runs.failed.connect(lambda run_id, message: self.banner.show_message(message, "error"))
        self.runs.finished.connect(lambda run_id: self.status_changed.emit(self.status()))
        self.ctx.points.changed.connect(self._on_points)
        self._data_timer.timeout.connect(self._refresh_data)
        self._redraw_timer.timeout.connect(self._draw_pending)
        self._view_timer.timeout.connect(self.redraw)
        self.runs.finished.connect(self._on_finished)

    def points_editor(self):
        """The 2-D mode paints the shared points on this lab's canvas; the 1-D mode has none."""
        return self.points_2d.editor if self.settings.mode == "2d" else None

    # -- sessions: the settings are the lab's part ----------------------------------
    def session_part(self) -> dict:
        return settings_part(self.settings)

    def apply_session_part(self, part: dict) -> None:
        """The settings as saved (checked whole first), with a fresh undo history."""
        self.store.reset(read_settings(self.spec.key, part, DensitySettings))

    # -- edits --------------------------------------------------------------
    @property
    def settings(self) -> DensitySettings:
        return self.store.document

    def edit(self, text: str = "Change a density setting", gesture=None, **values) -> None:
        """Push one undoable settings change (a no-op when nothing changes)."""
        if all(getattr(self.settings, k) == v for k, v in values.items()):
            return
        try:
            command = SetSettings.of(**values)
            command.apply(self.settings)  # validate before it reaches the undo stack
        except GmmvizError as exc:
            self.banner.show_message(str(exc), "warning")
            self.controls.show_settings(self.settings)
            return
        self.store.push(command, text, gesture=gesture)

    def _on_edit(self, values: dict, gesture) -> None:
        name = next(iter(values))
        self.edit(f"Set {LABELS.get(name, name)}", gesture, **values)

    def set_best(self) -> None:
        """Move the bins, bandwidth, K and α sliders to their best held-out settings."""
        values = {}
        for family, name in (("hist", "bins"), ("kde", "bandwidth_index"), ("gmm", "k"),
                             ("dpgmm", "concentration_index")):
            curve = self.curves.get(family)
            if curve is None:
                continue
            values[name] = {"kde": lambda: int(curve.best),
                            "dpgmm": lambda: CONCENTRATIONS.index(curve.best_setting)}.get(
                family, lambda: int(curve.best_setting))()
        if values:
            self.edit("Best settings", **values)

    def _on_settings(self, settings: DensitySettings) -> None:
        if self._shown_key is not None and settings.mode != self._shown_key[0]:
            self.points_editor_changed.emit()  # the window's tools: on the canvas in 2-D, greyed in 1-D
        self.controls.show_settings(settings)
        self._show_curves_view(settings)
        if self.data is None or settings.data_key() != self._shown_key:
            self._refresh_data()
            return
        if settings.histogram_key() != self._histogram_key:  # same points: only the histograms' curves change
            self._histogram_key = settings.histogram_key()
            self._submit(("hist", "vhist"))
        self.redraw()

    def _show_curves_view(self, s: DensitySettings) -> None:
        """The lower plot's tab, and the learning curve of the sample's distribution while it is shown."""
        index = CURVE_VIEWS.index(s.curves_view)
        if self.curve_tabs.currentIndex() != index:
            self.curve_tabs.blockSignals(True)
            self.curve_tabs.setCurrentIndex(index)
            self.curve_tabs.blockSignals(False)
        self.learning.follow(s, shown=s.curves_view == "learning")

    def _on_points(self, dataset) -> None:
        if self.settings.mode == "2d":
            self._data_timer.start()

    # -- data and the sweep ---------------------------------------------------
    def _refresh_data(self) -> None:
        s = self.settings
        self._shown_key, self._histogram_key = s.data_key(), s.histogram_key()
        self.runs.cancel()
        self.fits, self.curves = {}, {}
        self._pending.clear()
        self._redraw_timer.stop()
        self.score_curves.clear()
        self.stack.setCurrentIndex(0 if s.mode == "1d" else 1)
        if s.mode == "2d":
            self.points_2d.entered()
        else:
            self.canvas_2d.show_frame(None)
        self._show_curves_view(s)
        try:
            self.data = lab_data(s, self.ctx.points.document.X if s.mode == "2d" else None)
        except GmmvizError as exc:
            self.data = None
            self.banner.show_message(str(exc), "warning")
            self.leaderboard.show_rows(())
            self.status_changed.emit(self.status())
            return
        self.banner.clear_problems()
        self.controls.set_bandwidths(self.data.bandwidths)
        self.controls.show_settings(s)
        self._submit(("hist", "vhist", "kde", "gmm", "dpgmm"))
        self.redraw(defer=True)  # a new sample: the plot now, the rest of the leaderboard in the next turn
        self._view_timer.start()

    def _submit(self, families) -> None:
        """Run the sweep of ``families`` (a new run supersedes the one in progress, whose other curves
        are run again with it)."""
        if self.runs.busy:
            families = ("hist", "vhist", "kde", "gmm", "dpgmm")
        s, data = self.settings, self.data

        def job(token):  # the continuation (mutable) is made in the worker, and stays there
            return sweep_items(data, s, dp_fit=Continuation(max_iter=DP_MAX_ITER), cancelled=lambda: token.cancelled,
                               families=families)

        self.runs.submit(job)

    def _on_item(self, run_id: int, item) -> None:
        """Keep the result (its scores were computed in the worker); draw at most every
        :data:`REDRAW_MS` (a burst of results is one redraw)."""
        family = item.curve.family
        self.curves[family] = item.curve
        if item.fit is not None:
            self.fits[(family, item.setting)] = item.fit
            if item.scores is not None and self.data is not None:
                self.data.cache[mixture_row_key(family, item.setting)] = item.scores
        self._pending.add(family)
        if not self._redraw_timer.isActive():
            self._redraw_timer.start()

    def _draw_pending(self, *, now: bool = False) -> None:
        """The new curves now, the density plot and the leaderboard in the next turn of the event loop
        (each painted in its own turn: no frame repaints the whole page), or both ``now``."""
        for family in sorted(self._pending):
            self.score_curves.show_curve(self.curves[family])
        self._pending.clear()
        if now:
            self._view_timer.stop()
            self.redraw()
        else:
            self._view_timer.start()

    def _on_finished(self, run_id: int) -> None:
        """Everything the sweep found is on screen once the run is over."""
        if self._pending or self._view_timer.isActive():
            self._redraw_timer.stop()
            self._draw_pending(now=True)

    # -- drawing --------------------------------------------------------------
    def redraw(self, *, defer: bool = False) -> None:
        """Draw the view of the settings now (``defer``: rows not scored yet stay "…", see :func:`view_1d`)."""
        if self.data is None:
            return
        s = self.settings
        try:
            if s.mode == "1d":
                self.view = view_1d(self.data, s, self.fits, self.curves, defer=defer)
                self.plot_1d.show_view(self.view)
            else:
                self.view = view_2d(self.data, s, self.fits, self.curves)
                self.canvas_2d.show_frame(self.view)
        except GmmvizError as exc:
            self.banner.show_message(str(exc), "warning")
            return
        self.leaderboard.show_rows(self.view.rows)
        bw = float(self.data.bandwidths[s.bandwidth_index])
        root = int(np.sqrt(self.data.split.train.size))  # the equal-mass bins' √n rule
        for family, value in (("hist", s.bins), ("vhist", root), ("kde", bw), ("gmm", s.k),
                              ("dpgmm", s.concentration)):
            self.score_curves.set_current(family, value)
        self.status_changed.emit(self.status())

    # -- the seam ---------------------------------------------------------------
    def page(self) -> QWidget:
        return self._page

    def status(self) -> str:
        if self.data is None:
            return "Density: no data"
        s, split = self.settings, self.data.split
        what = f"{s.distribution}, n = {s.n}" if s.mode == "1d" else f"{split.X.shape[0]} painted points"
        busy = " · sweeping…" if self.runs.busy else ""
        return f"Density ({s.mode.upper()}): {what}, {split.train.size} train / {split.test.size} held out{busy}"

    def export_source(self):
        return ExportSource(self)

    def export_stem(self) -> str:
        s = self.settings
        return f"density_{s.mode}_bins{s.bins}_K{s.k}"

    def open_entry(self, key: str) -> None:
        sc = scene(key.removeprefix("scene:"))
        values = {f.name: getattr(sc.settings, f.name) for f in fields(DensitySettings)}
        self.edit(f"Scene: {sc.title}", **values)
        self.banner.show_note(sc.title, sc.note)

    def _fit_controls(self) -> None:
        """The settings column as wide as its widest row needs (plus the scroll bar): no
        control is cut off, at any text scale."""
        self._scroll.setMinimumWidth(scroll_width(self._scroll))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.LayoutRequest, QEvent.Type.Show):
            self._fit_timer.start()
        return False

    def apply_theme(self, theme) -> None:
        self.banner.restyle()
        self.plot_1d.apply_theme(theme)
        self.score_curves.apply_theme(theme)
        self.canvas_2d.set_legend_color(theme.plot_fg)

    def apply_scale(self, factor: float) -> None:
        self.canvas_2d.set_scale(factor)  # the 2-D canvas's markers and lines, as in the other point labs
        self.banner.set_scale(factor)
        self.plot_1d.refit()  # its legend's text changed size: the headroom above the curves follows

    def shutdown(self) -> None:
        self._data_timer.stop()
        self.runs.shutdown()
        self.learning.shutdown()

