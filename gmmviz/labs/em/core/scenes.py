"""Lecture scenes: seeded data + model settings (+ a start) that set up one lesson.

Each scene is one row of :data:`SCENES`, so it is the same every time: its
data are sampled from its true mixture by
:func:`gmmviz.labs.em.core.presets.sample_mixture` with a fixed seed, and
its run comes from its model options (keyword arguments of a
:class:`FitConfig`) with a fixed seed, or from given initial parameters.  Its ``note`` is the paragraph
the window shows above the canvas: what to do and what to watch for.

``tests/core/test_scenes.py`` checks that each lesson really happens (the
bad start ends in a worse optimum, the collapse is a collapse onto a
point, ...), through the same :func:`gmmviz.core.em_steps` the app plays.
"""

from __future__ import annotations

from dataclasses import dataclass
import numpy as np

from gmmviz.core.data import ClassInfo, Dataset
from gmmviz.core.datasets import LoadedData
from gmmviz.core.errors import GmmvizError
from gmmviz.core.palette import class_color
from gmmviz.labs.em.core.presets import ANISOTROPIC, mixture_from_rows, sample_mixture
from gmmviz.core.mixture import GaussianParams
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


NOTE_LOCAL = (
    'Two means start inside the top cluster and the third sits between the two bottom clusters. Press '
    'Space and watch: EM shares the top cluster between two components and stretches one ellipse over '
    'both bottom clusters, and it stops there, converged. Every step raised ln p (see the curves), '
    'yet the answer is wrong: EM only climbs the hill of the likelihood it starts on. Press R for a '
    'new random start and compare the final ln p; in practice EM is run from several starts and the '
    'best is kept.'
)

NOTE_COLLAPSE = (
    'reg_covar is 0 and component 3 starts on the lone point at the top. Step with → and watch its '
    'ellipse shrink onto that point while ln p climbs: with a point at its mean, N(x | μ, σ²I) = '
    '1/(2πσ²) → ∞ as σ → 0, so the likelihood has no maximum. EM stops at the collapse and marks it '
    'in red. The cures: a small reg_covar (set 1e-3 and the component survives as a tiny ellipse), a '
    'prior on the covariances (MAP), or fewer components.'
)

NOTE_TOO_MANY = (
    'The points come from 3 clusters (Data ▸ Show True Mixture draws them dashed) but K = 6. EM still '
    'converges, and happily: spare components split clusters between them, share their weight (see π) '
    'and overlap. The final ln p is higher than with K = 3, because adding components never lowers '
    'the best likelihood, so ln p on the training points cannot choose K. Set K to 3 in the Model '
    'panel and compare; held-out likelihood, BIC or a Bayesian mixture are the usual ways to choose.'
)

NOTE_ANISOTROPIC = (
    'Three long, thin clusters tilted by 30°, fitted with spherical covariances: circles cannot '
    'follow them, so the components cut across the clusters. Switch Covariance to diag: axis-aligned '
    'ellipses are no better, since the clusters are tilted. Then choose full: each ellipse lies along '
    'one cluster and the final ln p is far higher. A full covariance has 3 parameters, diag 2, '
    'spherical 1: more flexible shapes need more data to estimate.'
)

NOTE_OVERLAPPING = (
    "Two classes whose clouds overlap; each point's outline shows the component it was really drawn "
    'from. After EM converges, points in the overlap have mixed fill colours: there r_tk = P(z_t = k '
    '| x_t, θ) is genuinely uncertain, and even the true parameters would assign some points wrongly. '
    'Press H for hard assignments and compare fills with outlines. Notice too how many steps EM '
    'needs: with ambiguous responsibilities each step moves the parameters only a little.'
)


@dataclass(frozen=True)
class SceneSpec:
    """One lecture scene as data.

    Attributes
    ----------
    key, title : str
    note : str
        The paragraph shown above the canvas: what to do, what to watch for.
    truth : tuple of rows
        The true mixture, rows of :func:`~gmmviz.labs.em.core.presets.mixture_from_rows`
        (weight, mean x, mean y, sd x, sd y, correlation), or a ready GaussianParams.
    n_points, seed : int
        How many points are sampled from ``truth``, and with which seed.
    model : dict
        The run's options, keyword arguments of :class:`FitConfig`.
    start : tuple of rows or None
        Where EM starts (``init="given"``), rows like ``truth``.
    class_name : str
        The name of the sampled classes ("Cluster 1", ...).
    extra_point : (float, float) or None
        One more point, a class of its own ("Lone point").
    data_title : str
        What the sampled data are called (the undo step, the window).
    """

    key: str
    title: str
    note: str
    truth: object
    n_points: int
    seed: int
    model: dict
    start: tuple | None = None
    class_name: str = "Cluster"
    extra_point: tuple[float, float] | None = None
    data_title: str = ""


COLLAPSE_POINT = (0.0, 8.0)
RUN = {"reg_covar": 1e-6, "tol": 1e-4, "random_state": 0}

SCENES: tuple[SceneSpec, ...] = (
    SceneSpec(
        "local-optimum", "Bad Start: a Local Optimum",
        note=NOTE_LOCAL,
        truth=([1, -5, -2, 1, 1, 0], [1, 5, -2, 1, 1, 0], [1, 0, 5, 1, 1, 0]), n_points=300, seed=11,
        model=dict(RUN, n_components=3, covariance_type="full", init="given", max_iter=200),
        start=([1, -0.5, 4.5, 1, 1, 0], [1, 0.5, 5.5, 1, 1, 0], [1, 0.0, -2.0, 5, 1.5, 0]),
        data_title="Scene: local optimum",
    ),
    SceneSpec(
        "collapse", "Collapse onto a Point (reg_covar = 0)",
        note=NOTE_COLLAPSE,
        truth=([1, -3, 0, 1.2, 1.0, 0.3], [1, 3, 0.5, 1.0, 1.3, -0.2]), n_points=200, seed=12,
        model=dict(RUN, n_components=3, covariance_type="full", init="given", max_iter=200, reg_covar=0.0),
        start=([0.45, -3, 0, 1.2, 1.0, 0], [0.45, 3, 0.5, 1.0, 1.3, 0], [0.1, *COLLAPSE_POINT, 1.3, 1.3, 0]),
        extra_point=COLLAPSE_POINT,
        data_title="Scene: collapse",
    ),
    SceneSpec(
        "too-many", "K Too Large (6 for 3 clusters)",
        note=NOTE_TOO_MANY,
        truth=([1, -4, -2, 1.1, 0.9, 0.2], [1, 4, -1.5, 1.0, 1.2, -0.3], [1, 0, 4, 1.2, 1.0, 0]),
        n_points=450, seed=13,
        model=dict(RUN, n_components=6, covariance_type="full", init="kmeans++", max_iter=300),
        data_title="Scene: K too large",
    ),
    SceneSpec(
        "anisotropic", "Anisotropic Clusters: full vs diag vs spherical",
        note=NOTE_ANISOTROPIC,
        truth=ANISOTROPIC, n_points=450, seed=14,
        model=dict(RUN, n_components=3, covariance_type="spherical", init="kmeans++", max_iter=300),
        data_title="Scene: anisotropic clusters",
    ),
    SceneSpec(
        "overlapping", "Two Overlapping Classes",
        note=NOTE_OVERLAPPING,
        truth=([0.55, -1, 0, 1.5, 1.0, 0.4], [0.45, 1.3, 0.6, 1.0, 1.4, -0.3]), n_points=400, seed=15,
        model=dict(RUN, n_components=2, covariance_type="full", init="random", max_iter=500),
        class_name="Class",
        data_title="Scene: overlapping classes",
    ),
)


def _mixture(rows) -> GaussianParams:
    return rows if isinstance(rows, GaussianParams) else mixture_from_rows(rows)


def build_scene(key: str) -> Scene:
    """Build the scene named ``key`` (see :data:`SCENES`): sample its data, make its run's options."""
    spec = next((s for s in SCENES if s.key == key), None)
    if spec is None:
        raise GmmvizError(f"unknown scene {key!r}; expected one of {', '.join(s.key for s in SCENES)}")
    truth = _mixture(spec.truth)
    data = sample_mixture(truth, spec.n_points, spec.seed, title=spec.data_title, class_name=spec.class_name)
    if spec.extra_point is not None:
        ds = data.dataset
        X = np.vstack([ds.X, [spec.extra_point]])
        labels = np.append(ds.labels, len(ds.classes))
        classes = ds.classes + (ClassInfo("Lone point", class_color(len(ds.classes))),)
        data = LoadedData(Dataset(X, labels, classes), truth, data.title)
    start = None if spec.start is None else _mixture(spec.start)
    return Scene(spec.key, spec.title, spec.note, data, FitConfig(**spec.model, init_params=start))
