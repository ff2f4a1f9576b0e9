"""Lecture scenes: seeded data + model settings (+ a start) that set up one lesson.

Each scene is built by a function of no arguments, so it is the same every
time: its data come from :func:`gmmviz.labs.em.core.presets.sample_mixture` with a
fixed seed, and its run from a :class:`FitConfig` with a fixed seed (or
given initial parameters, ``init="given"``).  Its ``note`` is the paragraph
the window shows above the canvas: what to do and what to watch for.

``tests/core/test_scenes.py`` checks that each lesson really happens (the
bad start ends in a worse optimum, the collapse is a collapse onto a
point, ...), through the same :func:`gmmviz.core.em_steps` the app plays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from gmmviz.core.data import ClassInfo, Dataset
from gmmviz.core.datasets import LoadedData
from gmmviz.core.errors import GmmvizError
from gmmviz.core.palette import class_color
from gmmviz.labs.em.core.presets import ANISOTROPIC, mixture_from_rows, sample_mixture
from gmmviz.labs.em.core.types import FitConfig


@dataclass(frozen=True, eq=False)
class Scene:
    """One lesson, ready to load.

    Attributes
    ----------
    key : str
    title : str
    note : str
        One paragraph: what to do, what to watch for, why it happens.
    data : LoadedData
        The points (and the true mixture, when they were sampled from one).
    config : FitConfig
        The model settings; ``init="given"`` starts from ``config.init_params``.
    """

    key: str
    title: str
    note: str
    data: LoadedData
    config: FitConfig


# What a scene's builder returns: the note, the data and the model settings.
Lesson = tuple[str, LoadedData, FitConfig]


@dataclass(frozen=True)
class SceneSpec:
    """A scene's name and how to build it (building samples the data)."""

    key: str
    title: str
    build: Callable[[], Lesson]


def local_optimum() -> Lesson:
    """Three clusters; two means start in the top one, one between the bottom two."""
    truth = mixture_from_rows([[1, -5, -2, 1, 1, 0], [1, 5, -2, 1, 1, 0], [1, 0, 5, 1, 1, 0]])
    data = sample_mixture(truth, 300, 11, title="Scene: local optimum", class_name="Cluster")
    start = mixture_from_rows([[1, -0.5, 4.5, 1, 1, 0], [1, 0.5, 5.5, 1, 1, 0], [1, 0.0, -2.0, 5, 1.5, 0]])
    note = (
        "Two means start inside the top cluster and the third sits between the two bottom clusters. "
        "Press Space and watch: EM shares the top cluster between two components and stretches one "
        "ellipse over both bottom clusters, and it stops there, converged. Every step raised ln p (see the "
        "curves), yet the answer is wrong: EM only climbs the hill of the likelihood it starts on. "
        "Press R for a new random start and compare the final ln p; in practice EM is run from several "
        "starts and the best is kept."
    )
    config = FitConfig(3, "full", "given", 1e-6, 200, 1e-4, 0, init_params=start)
    return note, data, config


COLLAPSE_POINT = (0.0, 8.0)


def collapse() -> Lesson:
    """Two clusters and a lone point; component 3 starts on the lone point, reg_covar = 0."""
    truth = mixture_from_rows([[1, -3, 0, 1.2, 1.0, 0.3], [1, 3, 0.5, 1.0, 1.3, -0.2]])
    base = sample_mixture(truth, 200, 12, title="Scene: collapse", class_name="Cluster")
    ds = base.dataset
    X = np.vstack([ds.X, [COLLAPSE_POINT]])
    labels = np.append(ds.labels, len(ds.classes))
    classes = ds.classes + (ClassInfo("Lone point", class_color(len(ds.classes))),)
    data = LoadedData(Dataset(X, labels, classes), truth, base.title)
    start = mixture_from_rows([[0.45, -3, 0, 1.2, 1.0, 0], [0.45, 3, 0.5, 1.0, 1.3, 0],
                               [0.1, *COLLAPSE_POINT, 1.3, 1.3, 0]])
    note = (
        "reg_covar is 0 and component 3 starts on the lone point at the top. Step with → and watch its "
        "ellipse shrink onto that point while ln p climbs: with a point at its mean, N(x | μ, σ²I) = "
        "1/(2πσ²) → ∞ as σ → 0, so the likelihood has no maximum. EM stops at the collapse and marks it in "
        "red. The cures: a small reg_covar (set 1e-3 and the component survives as a tiny ellipse), a prior "
        "on the covariances (MAP), or fewer components."
    )
    config = FitConfig(3, "full", "given", 0.0, 200, 1e-4, 0, init_params=start)
    return note, data, config


def too_many_components() -> Lesson:
    """Three clusters fitted with K = 6."""
    truth = mixture_from_rows([[1, -4, -2, 1.1, 0.9, 0.2], [1, 4, -1.5, 1.0, 1.2, -0.3], [1, 0, 4, 1.2, 1.0, 0]])
    data = sample_mixture(truth, 450, 13, title="Scene: K too large", class_name="Cluster")
    note = (
        "The points come from 3 clusters (Data ▸ Show True Mixture draws them dashed) but K = 6. EM still "
        "converges, and happily: spare components split clusters between them, share their weight (see π) "
        "and overlap. The final ln p is higher than with K = 3, because adding components never lowers the "
        "best likelihood, so ln p on the training points cannot choose K. Set K to 3 in the Model panel "
        "and compare; held-out likelihood, BIC or a Bayesian mixture are the usual ways to choose."
    )
    config = FitConfig(6, "full", "kmeans++", 1e-6, 300, 1e-4, 0)
    return note, data, config


def anisotropic() -> Lesson:
    """Three long thin tilted clusters fitted with spherical covariances."""
    data = sample_mixture(ANISOTROPIC, 450, 14, title="Scene: anisotropic clusters", class_name="Cluster")
    note = (
        "Three long, thin clusters tilted by 30°, fitted with spherical covariances: circles cannot follow "
        "them, so the components cut across the clusters. Switch Covariance to diag: axis-aligned ellipses "
        "are no better, since the clusters are tilted. Then choose full: each ellipse lies along one "
        "cluster and the final ln p is far higher. A full covariance has 3 parameters, diag 2, spherical 1: "
        "more flexible shapes need more data to estimate."
    )
    config = FitConfig(3, "spherical", "kmeans++", 1e-6, 300, 1e-4, 0)
    return note, data, config


def overlapping() -> Lesson:
    """Two overlapping classes, K = 2."""
    truth = mixture_from_rows([[0.55, -1, 0, 1.5, 1.0, 0.4], [0.45, 1.3, 0.6, 1.0, 1.4, -0.3]])
    data = sample_mixture(truth, 400, 15, title="Scene: overlapping classes", class_name="Class")
    note = (
        "Two classes whose clouds overlap; each point's outline shows the component it was really drawn "
        "from. After EM converges, points in the overlap have mixed fill colours: there r_tk = P(z_t = k | "
        "x_t, θ) is genuinely uncertain, and even the true parameters would assign some points wrongly. "
        "Press H for hard assignments and compare fills with outlines. Notice too how many steps EM needs: "
        "with ambiguous responsibilities each step moves the parameters only a little."
    )
    config = FitConfig(2, "full", "random", 1e-6, 500, 1e-4, 0)
    return note, data, config


SCENES: tuple[SceneSpec, ...] = (
    SceneSpec("local-optimum", "Bad Start: a Local Optimum", local_optimum),
    SceneSpec("collapse", "Collapse onto a Point (reg_covar = 0)", collapse),
    SceneSpec("too-many", "K Too Large (6 for 3 clusters)", too_many_components),
    SceneSpec("anisotropic", "Anisotropic Clusters: full vs diag vs spherical", anisotropic),
    SceneSpec("overlapping", "Two Overlapping Classes", overlapping),
)


def build_scene(key: str) -> Scene:
    """Build the scene named ``key`` (see :data:`SCENES`)."""
    for spec in SCENES:
        if spec.key == key:
            note, data, config = spec.build()
            return Scene(spec.key, spec.title, note, data, config)
    raise GmmvizError(f"unknown scene {key!r}; expected one of {', '.join(s.key for s in SCENES)}")
