"""The classification lab's actions: the Classify menu (scoped to the lab)."""

from __future__ import annotations

from gmmviz.labs.classify.core.frame import MODEL_CHOICES
from gmmviz.labs.classify.core.scenes import SCENE_KEYS, build_scene
from gmmviz.qt.actions import ActionSpec

A = ActionSpec
SCENE_TITLES = {key: build_scene(key).title for key in SCENE_KEYS}
CLASSIFY_ACTIONS: tuple[ActionSpec, ...] = (
    *(A(f"cls_model_{key.replace('-', '_')}", f"&{i} {text}", "Classify", (f"Alt+{i}",), tip, checkable=True)
      for i, (key, text, tip) in enumerate(MODEL_CHOICES, start=1)),
    A("cls_ellipses", "Class &Ellipses (1σ, 2σ)", "Classify", ("E",), "Each class's Gaussians as 1σ (solid) and 2σ (dashed) ellipses", checkable=True),
    A("cls_contours", "Iso-probability &Contours", "Classify", ("C",), "Where P(y | x) = 0.6, 0.7, 0.8, 0.9 for each class, in its colour, inside its region", checkable=True),
    A("cls_truth", "Bayes-optimal Boundary of the &Generator", "Classify", ("T",), "The best possible boundary, dashed, when the points were sampled from a known generator (Data ▸ Generate, the scenes)", checkable=True),
    A("cls_reset_priors", "&Reset Priors", "Classify", ("Ctrl+Shift+R",), "P(y) from the class frequencies of the training points again"),
    A("cls_resplit", "&New Train/Test Split", "Classify", ("N",), "Another random split (the next seed)"),
    A("cls_compare", "Com&pare with My Classifier…", "Classify", ("Ctrl+K",), "Fit your own estimator (module:Class or path/to/file.py:Class) on the same training points and show where it differs"),
    A("cls_user_map", "Show My Classifier's &Map", "Classify", ("M",), "Colour the plane by your classifier's P(y | x) instead of the reference's", checkable=True),
    A("cls_clear_compare", "C&lear the Comparison", "Classify", (), "Forget the compared classifier (its circles and its map)"),
    *(A(f"cls_scene_{key.replace('-', '_')}", f"Scene: {title}", "Classify", (), "Lecture scene: data, model and a note")
      for key, title in SCENE_TITLES.items()),
)
