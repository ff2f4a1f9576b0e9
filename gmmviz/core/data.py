"""Points and their classes: the document the point-based labs share.

Everything here is a frozen dataclass holding read-only numpy arrays, so an
object can be handed from the worker thread to the GUI thread (or kept in
the run history) without copies and without locks.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from gmmviz.core.errors import GmmvizError


def as_real_array(value, name: str) -> np.ndarray:
    """``value`` as a float64 array, refusing what is not real numbers.

    numpy would truncate complex numbers (with a warning), parse strings
    like "1.5" and turn True into 1.0: each of those is a mistake to report.
    Values too large for float64 (e.g. a longdouble 1e400) become inf, which
    the callers' finiteness checks refuse.
    """
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:  # e.g. ragged nested lists
        raise GmmvizError(f"{name} must be numbers in an array, got {type(value).__name__}: {exc}") from None
    kind = arr.dtype.kind
    if kind == "O":
        flat = arr.reshape(-1).tolist()
        odd = next((v for v in flat if isinstance(v, bool) or not isinstance(v, numbers.Real)), None)
        if odd is not None:
            raise GmmvizError(f"{name} must be numbers (real ones), got {type(odd).__name__} {odd!r:.40}")
    elif kind not in "iuf":
        what = {"c": "complex numbers", "b": "booleans", "U": "strings", "S": "bytes"}.get(kind, f"dtype {arr.dtype}")
        raise GmmvizError(f"{name} must be numbers (real ones), got {what} (dtype {arr.dtype})")
    with np.errstate(over="ignore"):
        return arr.astype(np.float64)


def frozen_array(values, dtype=np.float64, name: str = "array") -> np.ndarray:
    """Return a read-only copy of ``values`` as a contiguous array of ``dtype``
    (float64: only real numbers, see :func:`as_real_array`)."""
    if np.dtype(dtype) == np.float64:
        values = as_real_array(values, name)
    arr = np.array(values, dtype=dtype, copy=True, order="C")
    arr.setflags(write=False)
    return arr


def as_points(values) -> np.ndarray:
    """Coordinates as a read-only (n, d) float64 array, d 1 or 2 (a flat sequence: (x, y) pairs).

    Raises
    ------
    ValueError
        For any other shape.
    """
    X = frozen_array(values)
    if X.ndim == 2 and X.shape[1] in (1, 2):
        return X
    if X.ndim == 1 and X.size % 2 == 0:
        return X.reshape(-1, 2)
    raise ValueError(f"points must have shape (n, 1) or (n, 2), got {X.shape}")


@dataclass(frozen=True)
class ClassInfo:
    """A class of points: a display name and a colour (``"#rrggbb"``)."""

    name: str
    color: str


@dataclass(frozen=True, eq=False)
class Dataset:
    """Points on the canvas and the class of each.

    Attributes
    ----------
    X : ndarray of shape (n_points, n_features), n_features 1 or 2
        Coordinates in the data's own units (read-only).  The canvas labs
        draw 2-D data; 1-D data are for the density lab's line.  A flat
        sequence is read as (x, y) pairs, and an empty one as no 2-D points.
    labels : ndarray of shape (n_points,), int
        Index into ``classes`` for every point (read-only).
    classes : tuple of ClassInfo
        The classes, in order; a class may have no points.
    """

    X: np.ndarray
    labels: np.ndarray
    classes: tuple[ClassInfo, ...] = ()

    def __post_init__(self):
        X = as_points(self.X)
        labels = frozen_array(self.labels, dtype=np.int64).reshape(-1)
        if labels.shape[0] != X.shape[0]:
            raise ValueError(f"{X.shape[0]} points but {labels.shape[0]} labels")
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "classes", tuple(self.classes))

    @property
    def n_points(self) -> int:
        return int(self.X.shape[0])

    @property
    def n_features(self) -> int:
        """1 or 2: the dimension of the points."""
        return int(self.X.shape[1])

    def counts(self) -> np.ndarray:
        """Number of points of each class, shape (n_classes,)."""
        return np.bincount(self.labels, minlength=len(self.classes))[: len(self.classes)]

    def same_as(self, other: "Dataset") -> bool:
        """True when both hold identical points, labels and classes."""
        return (
            self.classes == other.classes
            and np.array_equal(self.X, other.X)
            and np.array_equal(self.labels, other.labels)
        )


