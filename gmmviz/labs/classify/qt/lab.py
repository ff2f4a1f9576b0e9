"""The classification lab as a lab of the window (the :class:`~gmmviz.qt.lab.Lab` seam).

The shared points document is its training data: paint in the EM studio,
switch tab, see the classifier; the canvas tools edit this lab's canvas
while it is current (:meth:`ClassifyLab.points_editor`).  Its Classify menu
(:mod:`gmmviz.labs.classify.qt.actions`) chooses the model, the overlays,
the lecture scenes and *Compare with My Classifier…*.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from gmmviz.core.commands import ReplaceDataset
from gmmviz.core.session.parts import Custom, read_part, read_settings, settings_part
from gmmviz.labs import LabSpec
from gmmviz.labs.classify.core.document import ClassifyDocument
from gmmviz.labs.classify.core.frame import (
    MODEL_CHOICES,
    ClassifySettings,
    check_priors,
)
from gmmviz.labs.classify.qt.actions import CLASSIFY_ACTIONS
from gmmviz.labs.classify.qt.page import ClassifyPage
from gmmviz.qt.lab import Lab, LabContext
from gmmviz.qt.widgets import scroll_width

MODEL_ACTIONS = {key: f"cls_model_{key.replace('-', '_')}" for key, _, _ in MODEL_CHOICES}
VIEW_SETTINGS = (("cls_ellipses", "classify/ellipses", True), ("cls_contours", "classify/contours", False),
                 ("cls_truth", "classify/truth", True))


class ClassifyLab(Lab):
    """The classification lab."""

    ACTIONS = CLASSIFY_ACTIONS
    MENUS = ("Classify",)

    def __init__(self, spec: LabSpec, ctx: LabContext):
        super().__init__(spec, ctx)
        self.page_widget = ClassifyPage(ctx.points, ctx.known_truth)
        self.active = False
        self.last_spec = ""
        self.compare_result = None
        self._compare_text = ""
        from gmmviz.labs.classify.qt.compare import CompareController

        self.comparer = CompareController(self)
        self._connect()

    # -- construction -----------------------------------------------------------
    def _connect(self) -> None:
        a, p = self.ctx.actions, self.page_widget
        for key, name in MODEL_ACTIONS.items():
            a[name].triggered.connect(lambda checked=False, key=key: p.with_settings(model=key))
        p.settings_changed.connect(lambda s: self._check_model())
        for name, _, default in VIEW_SETTINGS:
            a[name].setChecked(default)
        a["cls_ellipses"].toggled.connect(p.canvas.set_ellipses)
        a["cls_contours"].toggled.connect(p.set_contours)
        a["cls_truth"].toggled.connect(lambda on: p.canvas.lines_layer.truth.setVisible(on))
        a["cls_reset_priors"].triggered.connect(p.reset_priors)
        a["cls_resplit"].triggered.connect(lambda: p.with_settings(seed=p.settings().seed + 1))
        a["cls_compare"].triggered.connect(self.ask_compare)
        a["cls_user_map"].toggled.connect(lambda on: self._show_compare())
        a["cls_clear_compare"].triggered.connect(self.clear_compare)
        a["fit_view"].triggered.connect(lambda: self.active and p.canvas.fit_view())
        for key in _scene_keys():
            a[f"cls_scene_{key.replace('-', '_')}"].triggered.connect(lambda checked=False, k=key: self.load_scene(k))
        p.status_changed.connect(self.status_changed)
        p.model_store.changed.connect(lambda _: self.state_changed.emit())
        self.follow_undo(p.model_store)  # its settings are on the points' history: an Undo elsewhere shows them
        p.store.changed.connect(lambda _: self.clear_compare(quiet=True))  # its circles name the old points
        p.settings_changed.connect(lambda _: self.clear_compare(quiet=True))  # another reference
        self.comparer.done.connect(self._on_compared)
        self.comparer.failed.connect(self._on_compare_failed)
        self._check_model()
        self._enable_compare()

    def _check_model(self) -> None:
        model = self.page_widget.settings().model
        for key, name in MODEL_ACTIONS.items():
            self.ctx.actions[name].setChecked(key == model)

    # -- the Lab seam -------------------------------------------------------------
    def page(self) -> QWidget:
        return self.page_widget

    def status(self) -> str:
        return self.page_widget.status_line()

    def activate(self, active: bool) -> None:
        self.active = active  # (the theme, scale and preferences chosen before it was built: the shell's)
        if active:
            self.page_widget.schedule()
            self.page_widget.canvas.plot.setFocus(Qt.FocusReason.OtherFocusReason)

    def points_editor(self):
        return self.page_widget

    def export_source(self):
        return self.page_widget

    def export_stem(self) -> str:
        return self.page_widget.settings().model

    def open_entry(self, key: str) -> None:
        """Outline entries: the lab's lecture scenes (``scene:<key>``, or the scene's key)."""
        self.load_scene(key.removeprefix("scene:"))

    def show_banner(self, text: str, kind: str) -> None:
        self.page_widget.banner.show_message(text, kind)

    def load_scene(self, key: str) -> None:
        """Put a prepared scene on screen: its points and its model (one undo step) and its note."""
        from gmmviz.labs.classify.core.scenes import build_scene

        scene = build_scene(key)
        p = self.page_widget
        dataset = scene.data.dataset
        if scene.truth is not None:
            p.set_truth(dataset, scene.truth)
        stack = p.store.undo_stack
        stack.beginMacro(f"Scene: {scene.title}")
        p.edit(ClassifyDocument(scene.settings), f"Scene: {scene.title}")
        p.store.push(ReplaceDataset(dataset), f"Scene: {scene.title}")
        stack.endMacro()
        p.canvas.set_axis_names(*scene.data.axes)
        p.canvas.fit_view()
        p.banner.show_note(scene.title, scene.note)
        self.ctx.new_document(scene.title)

    # -- compare ---------------------------------------------------------------------
    def ask_compare(self) -> None:
        """Classify → Compare with My Classifier…: ask for ``module:Class`` and run it."""
        spec, ok = QInputDialog.getText(
            self.ctx.window, "Compare with my classifier",
            "Your estimator, as module:Class or path/to/file.py:Class\n"
            "(fit(X, y), predict(X) and predict_proba(X); y are the class numbers 0, 1, …):",
            QLineEdit.EchoMode.Normal, self.last_spec)
        if ok and spec.strip():
            self.compare(spec.strip())

    def compare(self, spec: str) -> bool:
        """Fit ``spec`` on the training points on screen and compare; False if there is nothing to compare on."""
        from gmmviz.labs.classify.compare_child import CompareJob

        p, frame = self.page_widget, self.page_widget.frame
        self.last_spec = spec
        if frame is None:
            p.banner.show_message("Nothing to compare with yet: paint points of at least two classes.", "warning")
            return False
        ds, s = p.dataset, p.settings()
        classes = [int(c) for c in frame.present]
        keep = np.isin(ds.labels, frame.present)
        points = np.flatnonzero(keep)
        train = frame.train
        chosen = p.chosen_priors()
        priors = None if chosen is None else dict(zip(classes, chosen))
        options = {"priors": priors, "reg_covar": s.reg_covar, "random_state": s.seed,
                   "n_components": {c: s.k_for(c) for c in classes}, "covariance_type": s.covariance_type}
        xs, ys = frame.map.xs, frame.map.ys
        grid = np.column_stack([np.tile(xs, ys.size), np.repeat(ys, xs.size)])
        job = CompareJob(spec, s.model, options, np.asarray(ds.X[train]), np.asarray(ds.labels[train]),
                         np.asarray(ds.X[points]), grid)
        self._points = points
        colors = tuple(ds.classes[c].color for c in classes)
        name = {key: text for key, text, _ in MODEL_CHOICES}[s.model]
        self.comparer.start(job, (xs, ys), colors, p.background, name)
        p.banner.show_message(f"Fitting {spec} on the {train.size} training points…", "info")
        self.status_changed.emit(f"Comparing with {spec}…")
        return True

    def _on_compared(self, outcome) -> None:
        self.compare_result = outcome
        ans = outcome.answer
        differ = ans.differing.size
        text = (f"{ans.name} agrees with the reference ({outcome.reference}) on {100 * ans.agreement:.1f} % of the "
                f"{outcome.n_points} points" + (circled(differ) if differ else ".")
                + f" Largest difference in P(y|x): {ans.max_proba_difference:.3g}.")
        if ans.notes:
            text += " " + " ".join(ans.notes)
        self._compare_text = text
        self.page_widget.banner.show_message(text, "info" if differ == 0 else "warning")
        self._enable_compare()
        self._show_compare()

    def _on_compare_failed(self, message: str) -> None:
        self.page_widget.banner.show_message(f"Your classifier: {message}", "error")
        self.status_changed.emit("The comparison failed (see the message above the canvas).")

    def _show_compare(self) -> None:
        r = self.compare_result
        differing = None if r is None else self._points[r.answer.differing]
        show = self.ctx.actions["cls_user_map"].isChecked()
        self.page_widget.canvas.set_compare(differing, None if r is None else r.user_map, show)

    def clear_compare(self, quiet: bool = False) -> None:
        """Forget the compared estimator (the points or the model changed, or the user asked); a
        comparison still running is cancelled (its answer would be about other points)."""
        banner = self.page_widget.banner
        if self.comparer.busy:
            self.comparer.cancel()
            banner.show_message("The comparison was stopped: the points or the model changed. "
                                "Classify ▸ Compare with My Classifier… runs it again.", "info")
        elif self.compare_result is not None and banner.text() == self._compare_text:
            banner.clear()
        if self.compare_result is None and quiet:
            return
        self.compare_result = None
        self.ctx.actions["cls_user_map"].setChecked(False)
        self._show_compare()
        self._enable_compare()

    def _enable_compare(self) -> None:
        there = self.compare_result is not None
        for name in ("cls_user_map", "cls_clear_compare"):
            self.ctx.actions[name].setEnabled(there)

    # -- presentation, theme, scale, settings --------------------------------------
    def presentation_panels(self) -> dict[str, QWidget]:
        g = self.page_widget.groups
        return {"classify_model": g["model"], "classify_classes": g["classes"]}

    def save_layout(self) -> dict:
        return {"hsplit": self.page_widget.hsplit.saveState()}

    def restore_layout(self, layout: dict) -> None:
        if isinstance(layout.get("hsplit"), QByteArray):
            self.page_widget.hsplit.restoreState(layout["hsplit"])

    def set_presenting(self, presenting: bool) -> None:
        """The canvas takes what the side panel does not need (the class looks at it most)."""
        p = self.page_widget
        if presenting:
            screen = self.ctx.window.screen()  # full screen: the window is (about to be) the screen's size
            room = max(screen.geometry().width() if screen is not None else self.ctx.window.width(), 1)
            # as wide as its content needs (a narrower column cut the priors' sliders and P(y|x) on a
            # 1280 px projector), at most 45 % of the screen
            side = min(max(scroll_width(p.side), int(0.25 * room)), int(0.45 * room))
            p.side.setMinimumWidth(side)
            p.side.setMaximumWidth(side)
            p.hsplit.setSizes([max(room - side, 1), side])
        else:
            p.fit_side_panel(getattr(getattr(self.ctx.window, "presentation", None), "scale", 1.0))

    def apply_theme(self, theme) -> None:
        from gmmviz.labs.classify.qt.theming import style_page

        style_page(self.page_widget, theme)

    def apply_scale(self, factor: float) -> None:
        p = self.page_widget
        p.canvas.set_scale(factor)
        p.banner.set_scale(factor)
        p.fit_side_panel(factor)
        if p.canvas.contours_layer.visible:
            p.schedule()  # the labels, larger now, are spaced again

    def save_settings(self, settings) -> None:
        for name, key, _ in VIEW_SETTINGS:
            settings.setValue(key, self.ctx.actions[name].isChecked())
        settings.setValue("classify/model", self.page_widget.settings().model)

    def restore_settings(self, settings) -> None:
        for name, key, _ in VIEW_SETTINGS:
            value = settings.value(key)
            if value is not None:
                self.ctx.actions[name].setChecked(str(value).lower() == "true")
        model = settings.value("classify/model")
        if model in MODEL_ACTIONS:  # the lecturer's last model: not an edit to undo
            p = self.page_widget
            p.reset_document(p.document.with_settings(model=model))

    def state_token(self):
        return self.page_widget.settings()

    # -- sessions: the model's settings and the priors --------------------------------
    def session_part(self) -> dict:
        p = self.page_widget
        part = settings_part(p.settings())
        chosen = p.chosen_priors()
        part["priors"] = None if chosen is None else list(chosen)
        return part

    def apply_session_part(self, part: dict) -> None:
        """The settings and priors as saved (the whole part checked first), with no undo step: the
        settings' history starts afresh (the points' history is not touched)."""
        key = self.spec.key
        settings = read_settings(key, part, ClassifySettings)  # unknown keys (the priors) ignored
        priors = read_part(key, part, (Custom("priors", None, check=check_priors),))["priors"]
        p = self.page_widget
        present = p.present()
        if priors is None or len(priors) != present.size:
            priors = None
        p.reset_document(ClassifyDocument(settings).with_priors(priors, present))
        self._check_model()
        self.state_changed.emit()

    def new_points(self, loaded) -> None:
        if loaded is not None:
            self.page_widget.canvas.set_axis_names(*loaded.axes)
        self.page_widget.canvas.fit_view()

    def shutdown(self) -> None:
        self.comparer.shutdown()
        self.page_widget.shutdown()


def circled(n: int) -> str:
    """"; the 3 points where they differ are circled." (one point: "the point ... is")."""
    return "; the point where they differ is circled." if n == 1 else f"; the {n} points where they differ are circled."


def _scene_keys():
    from gmmviz.labs.classify.core.scenes import SCENE_KEYS

    return SCENE_KEYS

