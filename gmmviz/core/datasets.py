"""Real datasets shipped with gmmviz or with its dependencies (never downloaded).

* Old Faithful: ``resources/data/faithful.csv`` (272 eruptions).
* Iris (Fisher 1936) and Wine (Forina et al.): ``resources/data/iris.csv``
  and ``wine_data.csv``, copied unchanged from scikit-learn's bundled data
  (provenance in ``resources/data/README.md``).  Shipping our own copies
  keeps the core free of scikit-learn (loading takes milliseconds, not the
  second scikit-learn takes to import) and works in a frozen bundle that
  leaves scikit-learn out.  ``tests/core/test_presets.py`` checks the result
  against ``sklearn.datasets.load_iris`` / ``load_wine``.

Every loader returns a :class:`LoadedData`: a Dataset, the generating
mixture when one is known (``truth``), and a short title for the undo
stack.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmmviz.core.data import ClassInfo, Dataset
from gmmviz.core.errors import GmmvizError
from gmmviz.core.mixture import GaussianParams
from gmmviz.core.palette import class_color
from gmmviz.core.resources import read_bytes

IRIS_FEATURES = ("sepal length", "sepal width", "petal length", "petal width")
IRIS_SPECIES = ("Iris setosa", "Iris versicolor", "Iris virginica")
IRIS_DEFAULT = ("petal length", "petal width")

WINE_FEATURES = (
    "alcohol", "malic acid", "ash", "alcalinity of ash", "magnesium", "total phenols", "flavanoids",
    "nonflavanoid phenols", "proanthocyanins", "colour intensity", "hue", "OD280/OD315", "proline",
)
WINE_CULTIVARS = ("Cultivar 1", "Cultivar 2", "Cultivar 3")
# Flavanoids against colour intensity separates the three cultivars best of
# all 78 pairs with similar scales (QDA accuracy 0.92, a 3-component GMM
# agrees with the cultivars at ARI 0.77); alcohol against colour intensity,
# the other usual choice, manages ARI 0.39.
WINE_DEFAULT = ("flavanoids", "colour intensity")


@dataclass(frozen=True, eq=False)
class LoadedData:
    """A dataset from a source, with what is known about how it was made.

    Attributes
    ----------
    dataset : Dataset
    truth : GaussianParams or None
        The mixture the points were sampled from (full covariances), if any.
    title : str
        A short name, e.g. ``"Iris (petal length × petal width)"``.
    axes : tuple of str
        Names of the x and y coordinates (empty strings when unnamed).
    """

    dataset: Dataset
    truth: GaussianParams | None = None
    title: str = ""
    axes: tuple[str, str] = ("", "")


def faithful() -> LoadedData:
    """Old Faithful: 272 eruptions, duration (min) against waiting time (min).

    Returns
    -------
    LoadedData
        X of shape (272, 2), one class.
    """
    rows = np.loadtxt(_lines(read_bytes("data", "faithful.csv")), delimiter=",", skiprows=1)
    X = rows.reshape(-1, 2)
    ds = Dataset(X, np.zeros(X.shape[0], dtype=np.int64), (ClassInfo("Eruptions", class_color(0)),))
    return LoadedData(ds, None, "Old Faithful", ("eruption (min)", "waiting (min)"))


def iris(x: str = IRIS_DEFAULT[0], y: str = IRIS_DEFAULT[1]) -> LoadedData:
    """Fisher's Iris: 150 flowers, two of four measurements (cm), classes = species.

    Parameters
    ----------
    x, y : str
        Names from :data:`IRIS_FEATURES` (different from each other).

    Returns
    -------
    LoadedData
        X of shape (150, 2); 3 classes of 50.
    """
    table = _bundled_table("iris.csv")
    return _two_features(table, IRIS_FEATURES, x, y, IRIS_SPECIES, "Iris", unit=" (cm)")


def wine(x: str = WINE_DEFAULT[0], y: str = WINE_DEFAULT[1]) -> LoadedData:
    """Wine recognition: 178 wines, two of 13 chemical measurements, classes = cultivar.

    Parameters
    ----------
    x, y : str
        Names from :data:`WINE_FEATURES` (different from each other).

    Returns
    -------
    LoadedData
        X of shape (178, 2); 3 classes of 59, 71 and 48.
    """
    table = _bundled_table("wine_data.csv")
    return _two_features(table, WINE_FEATURES, x, y, WINE_CULTIVARS, "Wine")


def _two_features(table: np.ndarray, names, x: str, y: str, classes, title: str, unit: str = "") -> LoadedData:
    for name in (x, y):
        if name not in names:
            raise GmmvizError(f"{title} has no feature {name!r}; choose one of: {', '.join(names)}")
    if x == y:
        raise GmmvizError(f"choose two different {title} features (both are {x!r})")
    i, j = names.index(x), names.index(y)
    X = table[:, [i, j]]
    labels = table[:, -1].astype(np.int64)
    info = tuple(ClassInfo(c, class_color(k)) for k, c in enumerate(classes))
    return LoadedData(Dataset(X, labels, info), None, f"{title} ({x} × {y})", (x + unit, y + unit))


def _bundled_table(name: str) -> np.ndarray:
    """A bundled CSV in scikit-learn's format (header: n_rows, n_features,
    class names...) as an array (n_rows, n_features + 1), class last."""
    lines = _lines(read_bytes("data", name))
    n_rows, n_features = (int(v) for v in lines[0].split(",")[:2])
    table = np.loadtxt(lines[1:], delimiter=",", ndmin=2)
    if table.shape != (n_rows, n_features + 1):
        raise GmmvizError(f"{name} has shape {table.shape}, expected {(n_rows, n_features + 1)}")
    return table


def _lines(data: bytes) -> list[str]:
    return [line for line in data.decode("utf-8-sig").splitlines() if line.strip()]
