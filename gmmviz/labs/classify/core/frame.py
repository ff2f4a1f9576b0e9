"""What the classification lab draws, computed in one go from the points and the settings.

The lab's worker thread turns a :class:`FrameRequest` (the painted points,
the model settings, the priors, the view rectangle) into a :class:`Frame`
(the fitted model, the train/test split and its scores, the posterior map
as an image, the decision boundary, the iso-probability contours, the class
ellipses and, when the data came from a known generator, the Bayes-optimal
boundary).  Everything in both is immutable (frozen dataclasses, read-only
arrays), so a frame crosses the thread as it is and the Qt code only draws.

A request may carry the model of the previous frame (``reuse``): a prior
slider or a pan needs no refit, only Bayes' rule again on the new grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gmmviz.core import geometry
from gmmviz.core.data import frozen_array
from gmmviz.core.errors import GmmvizError
from gmmviz.labs.classify.core.fitting import MODELS, fit_classifier, model_from_params
from gmmviz.labs.classify.core.grid import PosteriorMap, posterior_map
from gmmviz.labs.classify.core.metrics import Scores, classification_scores
from gmmviz.labs.classify.core.model import COVARIANCE_TYPES, ClassModel
from gmmviz.labs.classify.core.picture import (
    boundary_lines,
    contour_labels,
    posterior_image,
    probability_contours,
)
from gmmviz.labs.classify.core.split import stratified_split

#: The model chooser's rows: (key, label, tooltip).
MODEL_CHOICES = (
    ("nb", "Naive Bayes (isotropic)", "x | y ~ N(μ_y, σ_y² I): one variance per class, as on the slide"),
    ("nb-diag", "Naive Bayes (diagonal)", "One variance per class and feature (scikit-learn's GaussianNB)"),
    ("lda", "LDA (shared covariance)", "One full Gaussian per class, all with the same covariance: linear boundaries"),
    ("qda", "QDA (full covariance)", "One full Gaussian per class: quadratic boundaries"),
    ("gmm", "GMM classifier", "A Gaussian mixture of K components per class"),
)
SIGMA_LEVELS = (1.0, 2.0)
#: Grid samples along the longer side of the view.
RESOLUTION = 200
#: The map covers the view plus this fraction on every side (small pans show no edge).
MARGIN = 0.1


#: Bounds of the settings (the panel's, and what a session may hold).
MAX_K, MAX_CLASSES, MAX_REG_COVAR, MAX_TEST_SIZE, MAX_SEED = 100, 1000, 1e12, 0.99, 2**31 - 1


@dataclass(frozen=True)
class ClassifySettings:
    """The model chooser's state.

    Attributes
    ----------
    model : str
        One of :data:`~gmmviz.labs.classify.core.fitting.MODELS`.
    n_components : tuple of int
        ``gmm``: K for the 1st, 2nd, ... class of the document (a class past
        the end gets the last value).
    covariance_type : str
        ``gmm``: of each class's mixture.
    reg_covar : float
    test_size : float
        Fraction of every class held out, in [0, 0.9].
    seed : int
        Seeds the split and the mixtures' initialisation.
    """

    model: str = "nb"
    n_components: tuple = (2,)
    covariance_type: str = "full"
    reg_covar: float = 1e-6
    test_size: float = 0.0
    seed: int = 0

    def __post_init__(self):
        ks = tuple(self.n_components)
        checks = (
            ("model", self.model in MODELS, f"must be one of {', '.join(MODELS)}"),
            ("n_components", 1 <= len(ks) <= MAX_CLASSES and all(
                isinstance(k, (int, np.integer)) and not isinstance(k, bool) and 1 <= k <= MAX_K for k in ks),
             f"must be 1 to {MAX_CLASSES} integers from 1 to {MAX_K} (K of each class)"),
            ("covariance_type", self.covariance_type in COVARIANCE_TYPES, f"must be one of {', '.join(COVARIANCE_TYPES)}"),
            ("reg_covar", 0.0 <= self.reg_covar <= MAX_REG_COVAR, f"must be a number from 0 to {MAX_REG_COVAR:g}"),
            ("test_size", 0.0 <= self.test_size <= MAX_TEST_SIZE, f"must be from 0 to {MAX_TEST_SIZE}"),
            ("seed", 0 <= self.seed <= MAX_SEED, f"must be from 0 to {MAX_SEED}"),
        )
        for name, ok, message in checks:
            if not ok:
                raise GmmvizError(f"{name} {message}, got {getattr(self, name)!r}")

    def k_for(self, index: int) -> int:
        ks = tuple(self.n_components) or (1,)
        return int(ks[min(index, len(ks) - 1)])


@dataclass(frozen=True, eq=False)
class FrameRequest:
    """What a frame is computed from.

    Attributes
    ----------
    X : ndarray of shape (n_points, 2)
    labels : ndarray of int, shape (n_points,)
        Class index of each point into the document's classes.
    colors : tuple of str
        ``"#rrggbb"`` of every class of the document.
    settings : ClassifySettings
    priors : tuple of float or None
        P(y) of each class that has points (in class order), None for the
        class frequencies of the training points.
    view : (x0, x1, y0, y1)
        The visible rectangle.
    background : str
        The plot's background colour (the map fades to it where uncertain).
    truth : sequence of ClassDensity-like or None
        The true generator: one mixture per class of the document, and
        ``truth_priors``.
    reuse : ClassModel or None
        The fitted model (empirical priors) of the same points and settings.
    resolution : int
    contours : bool
        Trace the iso-probability contours (they are drawn only when asked for).
    fits : tuple
        The previous frame's ``fits``: a GMM class whose points and options are
        unchanged is not fitted again.
    label_gap : float or None
        How far apart the contour labels must be, in data units (the size of a
        label on screen); None for a fraction of the view's width.
    """

    X: np.ndarray
    labels: np.ndarray
    colors: tuple
    settings: ClassifySettings
    priors: tuple | None = None
    view: tuple = (-10.0, 10.0, -10.0, 10.0)
    background: str = "#ffffff"
    truth: tuple | None = None
    truth_priors: tuple | None = None
    reuse: ClassModel | None = None
    resolution: int = RESOLUTION
    contours: bool = True
    fits: tuple = ()
    label_gap: float | None = None

    def __post_init__(self):
        object.__setattr__(self, "X", frozen_array(self.X).reshape(-1, 2))
        object.__setattr__(self, "labels", frozen_array(self.labels, dtype=np.int64).reshape(-1))


@dataclass(frozen=True, eq=False)
class Frame:
    """One picture of the lab (everything read-only).

    Attributes
    ----------
    present : ndarray of int
        The document's classes that have points, in order: model column c is
        class ``present[c]``.
    fitted : ClassModel
        The model with the training frequencies as priors (reused by the next request).
    model : ClassModel
        The model drawn: ``fitted`` under the chosen priors.
    train, test : ndarray of int
        Indices of the training and the test points (into the document).
    train_scores, test_scores : Scores or None
        ``test_scores`` None without test points.
    map : PosteriorMap
    image : ndarray of shape (height, width, 4), uint8
        The posterior map, RGBA, row 0 at ``map.ys[0]``.
    boundary : (x, y)
        The decision boundary as one NaN-separated polyline.
    contours : tuple of tuple of (x, y)
        ``contours[c][i]``: P(c | x) = ``CONTOUR_LEVELS[i]`` (0.6 ... 0.9), inside the region
        of class c; () when the request did not ask for them.
    contour_labels : tuple of (c, level, x, y)
        Where the contours' levels are written.
    fits : tuple
        The GMM classes' fits, (key, fit) pairs, for the next request.
    ellipses : dict {level: (x, y)} per class
        ``ellipses[c][level]`` the 1σ and 2σ outlines of class c's components.
    truth_boundary : (x, y) or None
    messages : tuple of str
    """

    present: np.ndarray
    fitted: ClassModel
    model: ClassModel
    train: np.ndarray
    test: np.ndarray
    train_scores: Scores
    test_scores: Scores | None
    map: PosteriorMap
    image: np.ndarray
    boundary: tuple
    contours: tuple
    ellipses: tuple
    contour_labels: tuple = ()
    fits: tuple = ()
    truth_boundary: tuple | None = None
    messages: tuple = field(default=())

    @property
    def n_classes(self) -> int:
        return int(self.present.shape[0])


def view_grid(view, resolution: int = RESOLUTION) -> tuple[np.ndarray, np.ndarray]:
    """Grid columns and rows over ``view`` (x0, x1, y0, y1) widened by :data:`MARGIN`, square cells."""
    x0, x1, y0, y1 = (float(v) for v in view)
    if not (np.isfinite([x0, x1, y0, y1]).all() and x1 > x0 and y1 > y0):
        raise GmmvizError(f"the view {view!r} is not a rectangle")
    mx, my = MARGIN * (x1 - x0), MARGIN * (y1 - y0)
    x0, x1, y0, y1 = x0 - mx, x1 + mx, y0 - my, y1 + my
    step = max(x1 - x0, y1 - y0) / max(int(resolution) - 1, 1)
    nx = int(np.clip(np.ceil((x1 - x0) / step) + 1, 2, 4 * resolution))
    ny = int(np.clip(np.ceil((y1 - y0) / step) + 1, 2, 4 * resolution))
    return np.linspace(x0, x1, nx), np.linspace(y0, y1, ny)


def present_classes(labels: np.ndarray, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """(classes with points, each point's index into them)."""
    counts = np.bincount(labels, minlength=n_classes)
    present = np.flatnonzero(counts)
    lookup = np.full(max(n_classes, int(labels.max(initial=-1)) + 1), -1)
    lookup[present] = np.arange(present.shape[0])
    return present, lookup[labels]


def fit_request(req: FrameRequest, present: np.ndarray, y_idx: np.ndarray, train: np.ndarray) -> tuple:
    """The model of ``req`` on the training points (empirical priors), and its classes' fits."""
    s = req.settings
    classes = tuple(int(c) for c in present)
    ks = {c: s.k_for(c) for c in classes}
    options = dict(reg_covar=s.reg_covar, n_components=ks, covariance_type=s.covariance_type, random_state=s.seed)
    if s.model != "gmm":
        return fit_classifier(s.model, req.X[train], y_idx[train], classes, **options), ()
    cache = dict(req.fits)
    model = fit_classifier("gmm", req.X[train], y_idx[train], classes, cache=cache, **options)
    return model, tuple(cache.items())  # (this model's fits only)


def class_ellipses(model: ClassModel) -> tuple:
    """Per class, {1.0: (x, y), 2.0: (x, y)}: the sigma outlines of its components."""
    out = []
    for density in model.densities:
        full = density.full_covariances()
        out.append({r: tuple(_frozen(a) for a in geometry.ellipse_outlines(density.means, full, r))
                    for r in SIGMA_LEVELS})
    return tuple(out)


def compute_frame(req: FrameRequest) -> Frame:
    """Fit (unless ``req.reuse``), split, score and draw; see the module docstring.

    Raises
    ------
    GmmvizError
        Fewer than two classes with points, or a model that cannot be fitted.
    """
    n_doc = len(req.colors)
    if req.X.shape[0] and req.labels.max() >= n_doc:
        raise GmmvizError(f"a point has class {int(req.labels.max())}, but there are {n_doc} classes")
    present, y_idx = present_classes(req.labels, n_doc)
    if present.shape[0] < 2:
        raise GmmvizError("Paint points of at least two classes to train a classifier.")
    s = req.settings
    train, test = stratified_split(y_idx, s.test_size, s.seed)
    fitted, fits = (req.reuse, req.fits) if _fits(req.reuse, present) else fit_request(req, present, y_idx, train)
    model = fitted if req.priors is None else fitted.with_priors(np.asarray(req.priors, dtype=np.float64))
    train_scores = classification_scores(model, req.X[train], y_idx[train])
    test_scores = classification_scores(model, req.X[test], y_idx[test]) if test.size else None
    xs, ys = view_grid(req.view, req.resolution)
    pmap = posterior_map(model, xs, ys)
    colors = tuple(req.colors[int(c)] for c in present)
    truth = None
    if req.truth is not None:
        truth_model = model_from_params(tuple(range(len(req.truth))), list(req.truth), list(req.truth_priors))
        truth = boundary_lines(posterior_map(truth_model, xs, ys))
    contours = probability_contours(pmap) if req.contours else ()
    labels = contour_labels(contours, req.view, gap=req.label_gap) if req.contours else ()
    return Frame(
        present=_frozen(present), fitted=fitted, model=model, train=_frozen(train), test=_frozen(test),
        train_scores=train_scores, test_scores=test_scores, map=pmap,
        image=posterior_image(pmap.posterior, colors, req.background),
        boundary=boundary_lines(pmap), contours=contours, contour_labels=labels, fits=fits,
        ellipses=class_ellipses(model),
        truth_boundary=truth, messages=tuple(fitted.messages),
    )


def _fits(model: ClassModel | None, present: np.ndarray) -> bool:
    return model is not None and model.classes == tuple(int(c) for c in present)


def _frozen(a) -> np.ndarray:
    a = np.asarray(a)
    a.setflags(write=False)
    return a


def check_priors(value) -> tuple | None:
    """A session's P(y) of the classes with points: None (the training frequencies) or a list of
    2 to :data:`MAX_CLASSES` numbers in (0, 1] that sum to 1; ValueError says what is wrong."""
    if value is None:
        return None
    if type(value) is not list or not 2 <= len(value) <= MAX_CLASSES:
        raise ValueError(f"expected null or a list of 2 to {MAX_CLASSES} probabilities")
    if not all(type(p) in (int, float) and 0.0 < p <= 1.0 for p in value):
        raise ValueError("every prior must be a number in (0, 1]")
    if abs(sum(value) - 1.0) > 1e-6:
        raise ValueError(f"the priors must sum to 1, not {sum(value):.6g}")
    return tuple(float(p) for p in value)
