"""The classification lab's prepared scenes: seeded data, model settings and a lesson note.

Each scene is the same every time (its points are sampled with a fixed
seed).  Where the points were sampled, the scene knows its generator (a
:class:`ClassTruth`: one mixture and one probability per class), so the
lab draws the Bayes-optimal boundary beside the fitted one.
``tests/labs/classify/core/test_scenes.py`` checks that each lesson
happens (Naive Bayes does fail on the correlated classes, the GMM
classifier does beat QDA on the class of two clusters, ...).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmmviz.core import datasets
from gmmviz.core.data import ClassInfo, Dataset
from gmmviz.core.datasets import LoadedData
from gmmviz.core.errors import GmmvizError
from gmmviz.core.mixture import GaussianParams, sample
from gmmviz.core.palette import class_color
from gmmviz.labs.classify.core.frame import ClassifySettings


@dataclass(frozen=True, eq=False)
class ClassTruth:
    """The generator of labelled points: class y has density ``densities[y]`` and probability ``priors[y]``."""

    densities: tuple
    priors: tuple

    @classmethod
    def from_mixture(cls, params: GaussianParams) -> ClassTruth:
        """Points labelled by their component (Data → Generate): one Gaussian per class."""
        full = params.full_covariances()
        return cls(tuple(GaussianParams([1.0], params.means[k:k + 1], full[k:k + 1], "full")
                         for k in range(params.n_components)), tuple(float(w) for w in params.weights))


@dataclass(frozen=True, eq=False)
class Scene:
    """One lesson of the lab."""

    key: str
    title: str
    note: str
    data: LoadedData
    settings: ClassifySettings
    truth: ClassTruth | None = None


def _rotated(long: float, short: float, degrees: float) -> np.ndarray:
    t = np.deg2rad(degrees)
    R = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    return R @ np.diag([long ** 2, short ** 2]) @ R.T


def sample_classes(components, groups, n_points: int, seed: int, names) -> tuple[LoadedData, ClassTruth]:
    """Sample a mixture whose components are grouped into classes.

    Parameters
    ----------
    components : (weights, means, full covariances) of the whole mixture
    groups : sequence of int
        The class of each component.
    n_points, seed : int
    names : sequence of str
        The class names.
    """
    weights, means, covs = (np.asarray(a, dtype=np.float64) for a in components)
    groups = np.asarray(groups)
    X, z = sample(GaussianParams(weights, means, covs, "full"), n_points, random_state=seed)
    labels = groups[z]
    classes = tuple(ClassInfo(name, class_color(i)) for i, name in enumerate(names))
    densities, priors = [], []
    for c in range(len(names)):
        mine = np.flatnonzero(groups == c)
        w = weights[mine]
        densities.append(GaussianParams(w / w.sum(), means[mine], covs[mine], "full"))
        priors.append(float(w.sum()))
    return LoadedData(Dataset(X, labels, classes), None, ""), ClassTruth(tuple(densities), tuple(priors))


NOTE_GENERATIVE = (
    "Two classes, each a Gaussian: the model is P(x|y) and P(y), and the classifier is Bayes' rule "
    "P(y|x) = P(x|y) P(y) / P(x). The colours are P(y|x), pale where the classes are equally likely; the "
    "line is the decision boundary. Hover over the plane: the table on the right reads Bayes' rule off "
    "the screen, term by term. Paint more points (keys 1, 2 choose the class) and the model refits."
)
NOTE_ANISOTROPIC = (
    "Both classes are long and tilted: x and y are strongly correlated within a class. Naive Bayes "
    "assumes the features independent given the class (circles, or axis-aligned ellipses) and cuts "
    "straight across them; the dashed line is the best possible boundary. Switch the model to LDA or "
    "QDA (full covariances) and watch the boundary turn onto the dashed one, and the accuracy rise."
)
NOTE_TWO_COMPONENTS = (
    "The orange class is two clusters, left and right of the blue one. QDA gives each class one "
    "Gaussian: orange's is a wide ellipse over both clusters, and the blue class in the middle gets "
    "squeezed. Choose the GMM classifier, K = 2 for orange and 1 for blue: a mixture per class follows "
    "both clusters and the boundary wraps around the blue class, close to the dashed optimal one."
)
NOTE_PRIORS = (
    "Two overlapping classes, and many more orange points than blue: P(y) from the counts favours "
    "orange, so the boundary sits close to the blue class. Drag the blue prior slider up: the same "
    "densities P(x|y), another P(y), and the boundary moves towards the orange class. Priors matter "
    "where the classes overlap; Reset priors gives back the class frequencies."
)
NOTE_IRIS = (
    "Fisher's irises by sepal length and width, with 30 % of each species held out for testing (drawn "
    "as squares). Setosa stands apart; versicolor and virginica overlap. Compare the train and test "
    "accuracy of each model, and change the seed of the split: with 35 flowers a class, the test "
    "accuracy moves by several points from one split to the next."
)
NOTE_EXERCISE = (
    "The exercise: write a GMMClassifier class whose fit(X, y) fits one Gaussian mixture per class and "
    "the priors, and whose predict_proba is Bayes' rule (mind the priors and use logsumexp). Then "
    "Classify ▸ Compare with My Classifier… (module:Class or path/to/file.py:Class) fits it on these "
    "points: the agreement with the reference, the points where they differ circled, and its own map."
)


def _generative() -> Scene:
    comps = ([0.5, 0.5], [[-2.0, -0.5], [2.0, 0.8]], [_rotated(1.4, 1.0, 20), _rotated(1.2, 0.9, -30)])
    data, truth = sample_classes(comps, [0, 1], 240, 11, ("Class 1", "Class 2"))
    return Scene("generative", "Naive Bayes and the GMM classifier", NOTE_GENERATIVE, data,
                 ClassifySettings(model="nb"), truth)


def _anisotropic() -> Scene:
    cov = _rotated(3.0, 0.45, 45)
    comps = ([0.5, 0.5], [[-1.3, 0.0], [1.3, 0.0]], [cov, cov])
    data, truth = sample_classes(comps, [0, 1], 400, 5, ("Class 1", "Class 2"))
    return Scene("anisotropic", "Correlated classes: Naive Bayes fails", NOTE_ANISOTROPIC, data,
                 ClassifySettings(model="nb"), truth)


def _two_components() -> Scene:
    comps = ([0.3, 0.3, 0.4], [[-4.0, 0.0], [4.0, 0.0], [0.0, 0.0]],
             [_rotated(1.0, 0.8, 0), _rotated(1.0, 0.8, 0), _rotated(1.6, 0.9, 90)])
    data, truth = sample_classes(comps, [0, 0, 1], 450, 3, ("Class 1", "Class 2"))
    return Scene("two-components", "A class of two clusters: GMM beats QDA", NOTE_TWO_COMPONENTS, data,
                 ClassifySettings(model="qda", n_components=(2, 1)), truth)


def _priors() -> Scene:
    comps = ([0.8, 0.2], [[-1.0, 0.0], [1.2, 0.3]], [_rotated(1.3, 1.0, 0), _rotated(1.1, 1.0, 0)])
    data, truth = sample_classes(comps, [0, 1], 400, 8, ("Class 1", "Class 2"))
    return Scene("priors", "Unequal priors move the boundary", NOTE_PRIORS, data,
                 ClassifySettings(model="qda"), truth)


def _iris() -> Scene:
    data = datasets.iris("sepal length", "sepal width")
    return Scene("iris", "Iris, two features, with a train/test split", NOTE_IRIS, data,
                 ClassifySettings(model="qda", test_size=0.3, seed=0))


def _exercise() -> Scene:
    comps = ([0.35, 0.25, 0.4], [[-3.0, 2.0], [-2.0, -2.5], [2.5, 0.0]],
             [_rotated(1.3, 0.6, 30), _rotated(1.0, 0.7, -20), _rotated(1.8, 0.8, 80)])
    data, truth = sample_classes(comps, [0, 0, 1], 360, 21, ("Class 1", "Class 2"))
    return Scene("exercise", "Write a GMMClassifier and check it", NOTE_EXERCISE, data,
                 ClassifySettings(model="gmm", n_components=(2, 1)), truth)


_BUILDERS = {"generative": _generative, "anisotropic": _anisotropic, "two-components": _two_components,
             "priors": _priors, "iris": _iris, "exercise": _exercise}
SCENE_KEYS = tuple(_BUILDERS)


def build_scene(key: str) -> Scene:
    """The scene ``key`` (one of :data:`SCENE_KEYS`), sampled afresh (the same every time)."""
    if key not in _BUILDERS:
        raise GmmvizError(f"no classification scene {key!r}; the scenes are {', '.join(SCENE_KEYS)}")
    return _BUILDERS[key]()
