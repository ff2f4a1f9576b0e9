"""Data sources: the Data menu (generate from a mixture, presets, datasets,
lecture scenes, the true-mixture overlay and the lesson note).

Installed by the main window with :func:`install`.  Every source becomes a
:class:`~gmmviz.core.datasets.LoadedData` in the Qt-free core and is loaded
the same way: one undoable :class:`~gmmviz.core.commands.ReplaceDataset`
push (the studio restarts EM on the change), then the view is fitted.

What is known about where the data came from (the true mixture, a scene's
note) is an :class:`Origin` kept per Dataset object, so undo and redo bring
the right overlay and note back.  An edit of the points (a new Dataset with
the same classes, or the same points with renamed classes) keeps its
origin; any other new dataset (a file, a cleared canvas) has none.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox

from gmmviz.core import datasets
from gmmviz.core.commands import ReplaceDataset
from gmmviz.core.data import Dataset
from gmmviz.core.datasets import LoadedData
from gmmviz.core.errors import GmmvizError
from gmmviz.core.mixture import GaussianParams
from gmmviz.labs.em.core.algorithms.types import AlgorithmSettings
from gmmviz.labs.em.core.presets import (
    PRESETS,
    make_preset,
    mixture_from_rows,
    sample_mixture,
)
from gmmviz.labs.em.core.scenes import SCENES, build_scene
from gmmviz.labs.em.core.types import ModelSettings
from gmmviz.qt.widgets import ask_yes

# Where "Generate from Mixture…" starts the first time.
DEFAULT_MIXTURE = mixture_from_rows([[0.5, -3.0, -1.0, 1.6, 0.9, 0.5], [0.3, 3.0, 0.0, 0.8, 1.5, -0.3],
                                     [0.2, 0.0, 4.0, 1.0, 1.0, 0.0]])
SUBMENUS = (("&Presets", "preset_"), ("&Datasets", "dataset_"), ("&Lecture Scenes", "scene_"))


@dataclass(frozen=True)
class Origin:
    """Where a dataset came from: its true mixture, lesson note and axis names, if known."""

    truth: GaussianParams | None = None
    note: tuple[str, str] | None = None  # (title, paragraph)
    axes: tuple[str, str] = ("", "")


class DataSources(QObject):
    """The Data menu of one main window.

    Signals
    -------
    truth_changed(object)
        The true mixture drawn on the canvas (GaussianParams), or None.
    """

    truth_changed = Signal(object)

    def __init__(self, lab):
        super().__init__(lab)
        self.window = lab.ctx.window
        self.lab = lab
        self.studio = lab.studio
        self.actions = lab.ctx.actions
        self._origins: weakref.WeakKeyDictionary[Dataset, Origin] = weakref.WeakKeyDictionary()
        self._origin = Origin()
        self._origins[self.studio.dataset] = self._origin
        self._mixture, self._n_points, self._seed = DEFAULT_MIXTURE, 500, 0
        self._generated_once = False
        self._settings_before_scene: ModelSettings | None = None
        self.note = self.studio.banner  # the lesson note shares the one message strip
        self._build_menu()
        self._connect()
        self._set_origin(self._origin)

    # -- construction -----------------------------------------------------
    def _data_menu(self) -> QMenu:
        for action in self.window.menuBar().actions():
            if action.menu() is not None and action.text().replace("&", "") == "Data":
                return action.menu()
        return self.window.menuBar().addMenu("&Data")

    def _build_menu(self) -> None:
        """Generate…, the three submenus (rows grouped by name prefix), the toggles."""
        menu, a = self._data_menu(), self.actions
        menu.clear()
        menu.addAction(a["generate"])
        menu.addSeparator()
        self.submenus = {}
        for title, prefix in SUBMENUS:
            sub = menu.addMenu(title)
            for name, action in a.items():
                if name.startswith(prefix):
                    if name in ("preset_custom", "dataset_iris", "dataset_wine"):
                        sub.addSeparator()
                    sub.addAction(action)
            self.submenus[prefix.rstrip("_")] = sub
        menu.addSeparator()
        menu.addAction(a["show_truth"])
        menu.addAction(a["show_note"])

    def _connect(self) -> None:
        a = self.actions
        triggers = {
            "generate": self.open_generate_dialog,
            "preset_custom": self.open_preset_dialog,
            "dataset_faithful": lambda: self.load_source(datasets.faithful),
            "dataset_iris": lambda: self.load_source(datasets.iris),
            "dataset_wine": lambda: self.load_source(datasets.wine),
            "dataset_iris_features": lambda: self.open_features_dialog("iris"),
            "dataset_wine_features": lambda: self.open_features_dialog("wine"),
            **{f"preset_{p.key}": (lambda key=p.key: self.load_preset(key)) for p in PRESETS},
            **{f"scene_{s.key.replace('-', '_')}": (lambda key=s.key: self.load_scene(key)) for s in SCENES},
        }
        for name, fn in triggers.items():
            a[name].triggered.connect(lambda checked=False, fn=fn: fn())
        a["show_truth"].toggled.connect(self._apply_truth)
        a["show_note"].toggled.connect(self._on_show_note)
        self.note.note_dismissed.connect(lambda: a["show_note"].setChecked(False))
        self.studio.store.reset_done.connect(self._on_dataset_reset)
        self.studio.store.changed.connect(self._on_dataset_changed)

    # -- loading ------------------------------------------------------------
    def load(self, data: LoadedData, text: str, *, note: tuple[str, str] | None = None) -> None:
        """Replace the dataset with ``data`` as one undo step named ``text``."""
        s = self.studio
        replaced = s.dataset.n_points
        self._origins[s.dataset] = self._origin
        self._origins[data.dataset] = Origin(data.truth, note, data.axes)
        s.store.push(ReplaceDataset(data.dataset), text)
        if replaced:  # said where it is seen: the undo brings them back
            s.banner.show_message(f"{data.title or 'New data'} replaced the {replaced:,} points on the canvas: "
                                  "Ctrl+Z brings them back.", "info")
        s.canvas.fit_view()
        # again once a note shown or hidden above the canvas has changed its height
        QTimer.singleShot(0, s.canvas, s.canvas.fit_view)

    def load_source(self, build, *args) -> bool:
        """Build a source (a core function returning LoadedData) and load it;
        a problem is shown in a message box and nothing changes."""
        try:
            data = build(*args)
        except GmmvizError as exc:
            QMessageBox.warning(self.window, "Cannot load the data", str(exc))
            return False
        self._leave_scene()
        self.load(data, f"Load {data.title}")
        return True

    def load_preset(self, key: str, n_points: int | None = None, seed: int | None = None) -> bool:
        return self.load_source(make_preset, key, n_points, seed)

    def load_scene(self, key: str) -> None:
        """A lecture scene: its model settings, its data, its note, and a run from its start."""
        scene = build_scene(key)
        s = self.studio
        if self._settings_before_scene is None:
            self._settings_before_scene = s.settings()
        s.model_panel.set_settings(ModelSettings.from_config(scene.config))
        s.model_panel.algorithm.set_settings(AlgorithmSettings())  # the scenes are lessons on EM
        s.set_initial_params(scene.config.init_params)
        self.load(scene.data, f"Scene: {scene.title}", note=(scene.title, scene.note))
        s.start_run()
        self.lab.ctx.new_document(scene.title)  # a new, unnamed, unmodified document

    def generate(self, params: GaussianParams, n_points: int, seed: int, show_truth: bool = True) -> None:
        """Sample ``n_points`` from ``params`` (labels = true component) and load them."""
        data = sample_mixture(params, n_points, seed, title="Generated mixture")
        self._mixture, self._n_points, self._seed = params, n_points, seed
        self._leave_scene()
        self.actions["show_truth"].setChecked(show_truth)
        self.load(data, f"Generate {n_points:,} points from a mixture")
        s, k = self.studio.settings(), params.n_components
        if s.n_components != k and ask_yes(self.window, "Number of components",
                                           f"The points come from {k} components; the model has K = "
                                           f"{s.n_components}. Set K to {k}?"):
            self.studio.model_panel.set_settings(replace(s, n_components=k))
            self.studio.schedule_run()

    def _leave_scene(self) -> None:
        """Other data: a scene's settings give way to the lecturer's own again,
        and a manual start (it belongs to the old data) is forgotten."""
        if self._settings_before_scene is not None:
            self.studio.model_panel.set_settings(self._settings_before_scene)
            self._settings_before_scene = None
        self.studio.set_initial_params(None)

    # -- dialogs ------------------------------------------------------------
    def exec_dialog(self, dialog: QDialog) -> bool:
        """Run a modal dialog (tests replace this to answer it)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def open_generate_dialog(self) -> None:
        from gmmviz.labs.em.qt.sources.generate import GenerateDialog

        start = self._origin.truth or self._mixture
        show = self.actions["show_truth"].isChecked() or not self._generated_once
        dialog = GenerateDialog(start, self._n_points, self._seed, show, self.window)
        if self.exec_dialog(dialog) and dialog.params() is not None:
            self._generated_once = True
            self.generate(dialog.params(), dialog.n_points.value(), dialog.seed.value(),
                          dialog.show_truth.isChecked())
        dialog.deleteLater()

    def open_preset_dialog(self) -> None:
        from gmmviz.labs.em.qt.sources.dialogs import PresetDialog

        dialog = PresetDialog(parent=self.window)
        if self.exec_dialog(dialog):
            self.load_preset(*dialog.choice())
        dialog.deleteLater()

    def open_features_dialog(self, which: str) -> None:
        from gmmviz.labs.em.qt.sources.dialogs import FeaturesDialog

        if which == "iris":
            args = ("Iris", datasets.IRIS_FEATURES, datasets.IRIS_DEFAULT, "Measurements in cm; classes = species.")
            build = datasets.iris
        else:
            args = ("Wine", datasets.WINE_FEATURES, datasets.WINE_DEFAULT, "Chemical analysis; classes = cultivar.")
            build = datasets.wine
        dialog = FeaturesDialog(*args, parent=self.window)
        if self.exec_dialog(dialog):
            self.load_source(build, *dialog.choice())
        dialog.deleteLater()

    # -- origin: truth overlay and lesson note -------------------------------
    @property
    def truth(self) -> GaussianParams | None:
        """The true mixture of the data on screen, if known (drawn or not)."""
        return self._origin.truth

    def truth_of(self, dataset: Dataset) -> GaussianParams | None:
        """The true mixture of ``dataset`` (any dataset this menu has seen), if known."""
        origin = self._origins.get(dataset)
        return None if origin is None else origin.truth

    def adopt(self, data: LoadedData) -> None:
        """The document was reset to ``data`` (a file): what is known of its origin (axis names)."""
        origin = Origin(data.truth, None, data.axes)
        self._origins[data.dataset] = origin
        if self.studio.dataset is data.dataset:
            self._set_origin(origin)

    def _on_dataset_reset(self, dataset: Dataset) -> None:
        """A file or session was opened: its points have no known origin, and a
        scene's settings are no longer there to give back."""
        self._origins[dataset] = Origin()
        self._settings_before_scene = None

    def _on_dataset_changed(self, dataset: Dataset) -> None:
        """Every new dataset that is not an edit was registered on the way in
        (:meth:`load`, a reset); an edit keeps the origin of what it edits,
        except that a canvas cleared of every point has none."""
        origin = self._origins.get(dataset)
        if origin is None:
            origin = self._origin if dataset.n_points else Origin()
            self._origins[dataset] = origin
        self._set_origin(origin)

    def _set_origin(self, origin: Origin) -> None:
        new_note = origin.note != self._origin.note
        self._origin = origin
        a = self.actions
        a["show_truth"].setEnabled(origin.truth is not None)
        a["show_truth"].setToolTip("Draw the mixture the points were sampled from as dashed grey ellipses"
                                   if origin.truth is not None else "These points have no known true mixture")
        a["show_note"].setEnabled(origin.note is not None)
        if new_note:
            if origin.note is not None:
                self.note.show_note(*origin.note)
            else:
                self.note.remove_note()
            a["show_note"].setChecked(origin.note is not None)
        self.studio.canvas.set_axis_names(*origin.axes)
        self._apply_truth()

    def _apply_truth(self, *_) -> None:
        truth = self._origin.truth if self.actions["show_truth"].isChecked() else None
        self.studio.canvas.set_truth(truth)
        self.truth_changed.emit(truth)

    def _on_show_note(self, checked: bool) -> None:
        self.note.set_note_visible(checked and self._origin.note is not None)
