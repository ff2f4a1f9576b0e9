"""The classification lab's page: the canvas with its banner, and the side panel.

Flow: an edit of the shared points (or a setting) -> the frame on screen is
stale -> after a short quiet time (never during a brush stroke) a
:class:`~gmmviz.labs.classify.core.frame.FrameRequest` goes to the lab's
:class:`~gmmviz.qt.runs.RunController`, which fits, scores and draws in its
worker thread -> ``yielded`` brings back an immutable
:class:`~gmmviz.labs.classify.core.frame.Frame` -> the canvas layers and the
panels show it.  A prior slider or a pan sends the fitted model along
(``reuse``): only Bayes' rule is evaluated again.

The model settings and the priors are the page's document
(:class:`~gmmviz.labs.classify.core.document.ClassifyDocument`) in
``model_store``, whose undo stack is the points' own: a point edit and a
model change are undone, one Ctrl+Z each, in the order they were made.  The
panels only show that document and report the user's edits.

Signals
-------
status_changed(str)
frame_shown(object)
    The :class:`Frame` on screen (or None).
settings_changed(object)
    The new :class:`ClassifySettings` (an edit, undo, redo or reset that changed them).
"""

from __future__ import annotations

import weakref

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from gmmviz.core.data import Dataset
from gmmviz.core.errors import GmmvizError
from gmmviz.labs.classify.core.document import ClassifyDocument
from gmmviz.labs.classify.core.frame import (
    MODEL_CHOICES,
    ClassifySettings,
    Frame,
    FrameRequest,
    compute_frame,
    present_classes,
)
from gmmviz.labs.classify.core.picture import probe
from gmmviz.labs.classify.qt.canvas import ClassifyCanvas
from gmmviz.labs.classify.qt.edits import ModelEdits
from gmmviz.labs.classify.qt.panel import PriorsTable, SettingsPanel
from gmmviz.labs.classify.qt.results import ProbeTable, ScoresPanel
from gmmviz.qt.banner import Banner
from gmmviz.qt.classes.panel import ClassesPanel
from gmmviz.qt.runs import RunController
from gmmviz.qt.store import DocumentStore
from gmmviz.qt.widgets import FocusBack, banner_column, side_panel

REFIT_DELAY_MS, VIEW_DELAY_MS, PRIOR_DELAY_MS = 80, 60, 10
SIDE_WIDTH = (360, 470)


class ClassifyPage(ModelEdits, QWidget):
    """The classification lab's widget (see the module docstring)."""

    status_changed = Signal(str)
    frame_shown = Signal(object)
    settings_changed = Signal(object)

    def __init__(self, points: DocumentStore | Dataset, known_truth=None, parent: QWidget | None = None):
        """``points``: the window's shared points document, or a Dataset (headless rendering);
        ``known_truth(dataset)``: the generator of points made elsewhere (Data → Generate), or None."""
        super().__init__(parent)
        self.store = points if isinstance(points, DocumentStore) else DocumentStore(points, self)
        self.model_store: DocumentStore[ClassifyDocument] = DocumentStore(
            ClassifyDocument(), self, undo_stack=self.store.undo_stack)
        self._shown_document = self.model_store.document
        self._known_truth = known_truth or (lambda dataset: None)
        self._truths: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self.runs = RunController("The classifier", "gmmviz-classify", self)
        self.background = "#ffffff"
        self.frame: Frame | None = None
        self._frame_key = None  # (dataset, settings) the frame's fitted model belongs to
        self._submitted_key = None
        self._last_dataset: Dataset | None = None
        self._build_ui()
        self._connect()
        self._on_dataset_changed(self.store.document)
        self.canvas.fit_view()

    # -- construction -----------------------------------------------------
    def _build_ui(self) -> None:
        self.canvas = ClassifyCanvas()
        self.banner = Banner()
        self.settings_panel = SettingsPanel()
        self.classes = ClassesPanel()
        self.priors = PriorsTable()
        self.scores = ScoresPanel()
        self.probe_table = ProbeTable()
        left = banner_column(self.banner, self.canvas)
        self.side, self.groups = side_panel(
            (("model", "Model", self.settings_panel), ("classes", "Classes", self.classes),
             ("priors", "Components K and priors P(y)", self.priors),
             ("probe", "Bayes' rule at the cursor", self.probe_table), ("scores", "Train / test", self.scores)),
            SIDE_WIDTH)
        self.hsplit = QSplitter(Qt.Orientation.Horizontal)
        self.hsplit.addWidget(left)
        self.hsplit.addWidget(self.side)
        self.hsplit.setStretchFactor(0, 1)
        self.hsplit.setStretchFactor(1, 0)
        self.hsplit.setSizes([900, 380])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hsplit)

    def _connect(self) -> None:
        self._refit_timer = QTimer(self, singleShot=True, interval=REFIT_DELAY_MS)
        self._refit_timer.timeout.connect(self._submit_when_idle)
        self._view_timer = QTimer(self, singleShot=True, interval=VIEW_DELAY_MS)
        self._view_timer.timeout.connect(self._submit_when_idle)
        self.store.changed.connect(self._on_dataset_changed)
        self.canvas.command_requested.connect(lambda command, text, gesture: self.store.push(command, text,
                                                                                            gesture=gesture))
        self.classes.current_changed.connect(self.canvas.set_current_class)
        self.model_store.changed.connect(self._on_document)
        self.settings_panel.edited.connect(lambda changes: self.with_settings(**changes))
        self.priors.prior_edited.connect(self.set_prior)
        self.priors.k_edited.connect(self.set_k)
        self.priors.reset_requested.connect(self.reset_priors)
        self.canvas.view.sigRangeChanged.connect(lambda *_: self._view_timer.start())
        self.canvas.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.runs.yielded.connect(self._on_frame)
        self.runs.failed.connect(self._on_failed)
        self._focused: list = []
        self.focus_fields()

    def focus_fields(self) -> None:
        """Enter in a field gives the keyboard back to the canvas (the K boxes come with their classes)."""
        new = [f for f in (*self.settings_panel.fields(), *self.priors.fields()) if not any(f is g for g in self._focused)]
        if new:
            self._focused += new
            FocusBack(self.canvas.plot, new, self)

    def fit_side_panel(self, factor: float) -> None:
        room = max(self.width(), 800)
        lo, hi = (round(w * factor) for w in SIDE_WIDTH)
        self.side.setMinimumWidth(min(lo, int(0.45 * room)))
        self.side.setMaximumWidth(max(hi, self.side.minimumWidth()))

    # -- state ---------------------------------------------------------------
    @property
    def dataset(self) -> Dataset:
        return self.store.document

    @property
    def document(self) -> ClassifyDocument:
        return self.model_store.document

    def settings(self) -> ClassifySettings:
        return self.document.settings

    def present(self) -> np.ndarray:
        """The document classes that have points."""
        ds = self.dataset
        return np.flatnonzero(ds.counts()) if ds.n_points else np.zeros(0, np.intp)

    def chosen_priors(self) -> tuple | None:
        """P(y) chosen for the classes with points now, or None (the training frequencies)."""
        return self.document.priors_for(self.present())

    def set_contours(self, on: bool) -> None:
        """Show or hide the iso-probability contours (traced by the next frame if this one has none)."""
        self.canvas.set_contours(on)
        self._trace_contours()

    def _trace_contours(self) -> None:
        """Contours are asked for and the frame on screen has none: the next frame traces them
        (a frame with the model it has: Bayes' rule and the contours only)."""
        if self.canvas.contours_layer.visible and self.frame is not None and not self.frame.contours:
            self.schedule(delay=VIEW_DELAY_MS)

    def _on_document(self, document: ClassifyDocument) -> None:
        old, self._shown_document = self._shown_document, document
        self.settings_panel.show_settings(document.settings)
        self._refresh_classes()
        if document.settings != old.settings:
            self.schedule()
            self.settings_changed.emit(document.settings)
        else:
            self.schedule(delay=PRIOR_DELAY_MS)

    def set_truth(self, dataset: Dataset, truth) -> None:
        """The generator of ``dataset`` (a :class:`~gmmviz.labs.classify.core.scenes.ClassTruth`)."""
        self._truths[dataset] = truth
        if dataset is self.dataset:
            self.schedule()

    def truth(self):
        """The generator of the points on screen, if known and if it fits their classes."""
        ds = self.dataset
        truth = self._truths.get(ds)
        if truth is None:
            from gmmviz.labs.classify.core.scenes import ClassTruth

            params = self._known_truth(ds)
            truth = None if params is None else ClassTruth.from_mixture(params)
        if truth is None or len(truth.densities) != len(ds.classes) or (ds.counts() == 0).any():
            return None
        return truth

    # -- scheduling -------------------------------------------------------------
    def schedule(self, delay: int = REFIT_DELAY_MS) -> None:
        """Recompute shortly (a burst of edits or slider moves gives one job)."""
        self._refit_timer.start(delay)

    def _submit_when_idle(self) -> None:
        if self.canvas.in_gesture():
            self._refit_timer.start(REFIT_DELAY_MS)
        else:
            self.submit()

    def request(self) -> FrameRequest | None:
        """The request for what should be on screen now (None: nothing to fit)."""
        ds = self.dataset
        present, _ = present_classes(ds.labels, len(ds.classes)) if ds.n_points else (np.zeros(0, int), None)
        if present.size < 2 or ds.n_features != 2:
            return None
        r = self.canvas.view.viewRect()
        s = self.settings()
        key = (ds, s)
        reuse = self.frame.fitted if self.frame is not None and self._frame_key_is(key) else None
        truth = self.truth()
        return FrameRequest(ds.X, ds.labels, tuple(c.color for c in ds.classes), s, priors=self.chosen_priors(),
                            view=(r.left(), r.right(), r.top(), r.bottom()), background=self.background,
                            truth=None if truth is None else truth.densities,
                            truth_priors=None if truth is None else truth.priors, reuse=reuse,
                            contours=self.canvas.contours_layer.visible,
                            fits=() if self.frame is None else self.frame.fits,
                            label_gap=self.canvas.contours_layer.label_gap())

    def _frame_key_is(self, key) -> bool:
        k = self._frame_key
        return k is not None and k[0] is key[0] and k[1] == key[1]

    def submit(self) -> None:
        """Start the job for what should be on screen now."""
        self._refit_timer.stop()
        self._view_timer.stop()
        req = self.request()
        if req is None:
            self.runs.cancel()
            self._show(None)
            counts = self.dataset.counts() if self.dataset.n_points else []
            if self.dataset.n_features != 2:
                self.status_changed.emit("The classification lab draws points in two dimensions; these have one.")
                return
            self.status_changed.emit(f"Paint points of at least two classes (keys 1–9 choose the class); "
                                     f"the classes have {', '.join(str(int(c)) for c in counts) or 'no'} points.")
            return
        self._submitted_key = (self.dataset, req.settings)

        def job(token, req=req):
            yield compute_frame(req)

        self.runs.submit(job)

    def compute_now(self) -> Frame | None:
        """Compute and show the frame in this thread (headless rendering); raises GmmvizError."""
        req = self.request()
        if req is None:
            raise GmmvizError("the data need points of at least two classes")
        self._submitted_key = (self.dataset, req.settings)
        frame = compute_frame(req)
        self._on_frame(self.runs.run_id, frame)
        return frame

    @property
    def pending(self) -> bool:
        """A recomputation is scheduled or running."""
        return self._refit_timer.isActive() or self._view_timer.isActive() or self.runs.busy

    # -- slots -----------------------------------------------------------------
    def _on_dataset_changed(self, dataset: Dataset) -> None:
        last = self._last_dataset
        if dataset not in self._truths and last is not None and dataset.n_points and dataset.classes == last.classes:
            truth = self._truths.get(last)
            if truth is not None:
                self._truths[dataset] = truth  # an edit keeps what is known of the generator
        self._last_dataset = dataset
        self.canvas.set_dataset(dataset, keep_selection=self.store.kept_indices)
        self.classes.set_dataset(dataset)
        self.canvas.set_current_class(self.classes.current)
        self._refresh_classes()
        self.schedule()

    def _refresh_classes(self) -> None:
        """The priors table shows the document's K and P(y) for the classes now."""
        ds, s = self.dataset, self.settings()
        present = self.present()
        ks = tuple(s.k_for(i) for i in range(len(ds.classes))) or (s.k_for(0),)
        self.priors.show_classes(ds.classes, present, self._shown_priors(present, self.frame),
                                 self.document.priors_for(present), ks, s.model == "gmm")
        self.focus_fields()

    def _on_frame(self, run_id: int, frame: Frame) -> None:
        self._frame_key = self._submitted_key
        self._show(frame)
        self._trace_contours()
        if frame.messages:
            self.banner.show_message(" ".join(frame.messages), "info")
        else:
            self.banner.clear_problems()

    def _on_failed(self, run_id: int, message: str) -> None:
        self.banner.show_message(message, "error")
        self.status_changed.emit("The classifier could not be fitted: " + message.split(". ")[0])

    def _show(self, frame: Frame | None) -> None:
        self.frame = frame
        if frame is None:
            self._frame_key = None
        self.canvas.show_frame(frame)
        self.scores.show_frame(frame, self.class_names(frame))
        self._refresh_classes()
        self.status_changed.emit(self.status_line())
        self.frame_shown.emit(frame)

    def class_names(self, frame: Frame | None = None) -> tuple:
        frame = self.frame if frame is None else frame
        if frame is None:
            return ()
        classes = self.dataset.classes
        return tuple(classes[int(c)].name if int(c) < len(classes) else str(int(c)) for c in frame.present)

    def status_line(self) -> str:
        f = self.frame
        if f is None:
            return "Paint points of at least two classes (keys 1–9 choose the class)."
        name = {key: text for key, text, _ in MODEL_CHOICES}[self.settings().model]
        test = "" if f.test_scores is None else f" · test accuracy {f.test_scores.accuracy:.3f}"
        return f"{name} · training accuracy {f.train_scores.accuracy:.3f}{test}"

    def _on_mouse_moved(self, scene_pos) -> None:
        if self.frame is None or not self.canvas.view.sceneBoundingRect().contains(scene_pos):
            return
        p = self.canvas.view.mapSceneToView(scene_pos)
        self.show_probe(float(p.x()), float(p.y()))

    def show_probe(self, x: float, y: float) -> None:
        """The probe table at (x, y) under the model on screen."""
        if self.frame is None:
            self.probe_table.show_probe(None)
            return
        self.probe_table.show_probe(probe(self.frame.model, x, y), self.class_names())

    def shutdown(self) -> None:
        self._refit_timer.stop()
        self._view_timer.stop()
        self.runs.shutdown()

