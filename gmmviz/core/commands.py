"""Edits of the points document (a :class:`Dataset`) as small commands with exact inverses.

Every command is a frozen dataclass with one method, ``apply(dataset)``,
that returns the new dataset and the command that undoes it; so undo and
redo are trivial and no edit is ever written twice.  Tools produce these
commands; the Qt undo stack stores and replays them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from gmmviz.core.data import ClassInfo, Dataset, as_points, frozen_array
from gmmviz.core.errors import GmmvizError
from gmmviz.core.palette import class_color


def _indices(values) -> np.ndarray:
    return frozen_array(values, dtype=np.int64).reshape(-1)


def _points(values) -> np.ndarray:
    return as_points(values)


def _check_dimension(xy: np.ndarray, dataset: Dataset) -> None:
    if xy.shape[0] and dataset.n_points and xy.shape[1] != dataset.n_features:
        raise GmmvizError(f"points of dimension {xy.shape[1]} cannot join {dataset.n_features}-D data")


def _check_labels(labels: np.ndarray, n_classes: int) -> None:
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise GmmvizError(f"class index {int(labels.max())} does not exist (there are {n_classes} classes)")


@dataclass(frozen=True, eq=False)
class AddPoints:
    """Append points (n, d) with their class labels (n,)."""

    xy: np.ndarray
    labels: np.ndarray

    def __post_init__(self):
        object.__setattr__(self, "xy", _points(self.xy))
        object.__setattr__(self, "labels", _indices(self.labels))

    def apply(self, dataset: Dataset) -> tuple[Dataset, "RemovePoints"]:
        _check_labels(self.labels, len(dataset.classes))
        _check_dimension(self.xy, dataset)
        n = dataset.n_points
        base = dataset.X if n else np.zeros((0, self.xy.shape[1]))
        new = Dataset(np.vstack([base, self.xy]), np.concatenate([dataset.labels, self.labels]),
                      dataset.classes)
        return new, RemovePoints(np.arange(n, n + self.xy.shape[0]))


@dataclass(frozen=True, eq=False)
class RemovePoints:
    """Remove the points at ``indices`` (any order, no duplicates)."""

    indices: np.ndarray

    def __post_init__(self):
        object.__setattr__(self, "indices", _indices(np.unique(self.indices)))

    def apply(self, dataset: Dataset) -> tuple[Dataset, "InsertPoints"]:
        idx = self.indices
        keep = np.ones(dataset.n_points, dtype=bool)
        keep[idx] = False
        new = Dataset(dataset.X[keep], dataset.labels[keep], dataset.classes)
        return new, InsertPoints(idx, dataset.X[idx], dataset.labels[idx])


@dataclass(frozen=True, eq=False)
class InsertPoints:
    """Put points back so that they end up at the (sorted) ``indices``."""

    indices: np.ndarray
    xy: np.ndarray
    labels: np.ndarray

    def __post_init__(self):
        object.__setattr__(self, "indices", _indices(self.indices))
        object.__setattr__(self, "xy", _points(self.xy))
        object.__setattr__(self, "labels", _indices(self.labels))

    def apply(self, dataset: Dataset) -> tuple[Dataset, RemovePoints]:
        _check_labels(self.labels, len(dataset.classes))
        _check_dimension(self.xy, dataset)
        total = dataset.n_points + self.indices.size
        is_new = np.zeros(total, dtype=bool)
        is_new[self.indices] = True
        X = np.empty((total, self.xy.shape[1] if self.indices.size else dataset.n_features))
        labels = np.empty(total, dtype=np.int64)
        X[is_new], labels[is_new] = self.xy, self.labels
        X[~is_new], labels[~is_new] = dataset.X, dataset.labels
        return Dataset(X, labels, dataset.classes), RemovePoints(self.indices)


@dataclass(frozen=True, eq=False)
class MovePoints:
    """Set the coordinates of the points at ``indices`` to ``xy``."""

    keeps_indices: ClassVar[bool] = True
    indices: np.ndarray
    xy: np.ndarray

    def __post_init__(self):
        object.__setattr__(self, "indices", _indices(self.indices))
        object.__setattr__(self, "xy", _points(self.xy))

    def apply(self, dataset: Dataset) -> tuple[Dataset, "MovePoints"]:
        if not np.isfinite(self.xy).all():
            raise GmmvizError("cannot move points to NaN or infinite coordinates")
        X = dataset.X.copy()
        old = X[self.indices].copy()
        X[self.indices] = self.xy
        return Dataset(X, dataset.labels, dataset.classes), MovePoints(self.indices, old)


@dataclass(frozen=True, eq=False)
class RelabelPoints:
    """Set the class of the points at ``indices`` to ``labels``."""

    keeps_indices: ClassVar[bool] = True
    indices: np.ndarray
    labels: np.ndarray

    def __post_init__(self):
        object.__setattr__(self, "indices", _indices(self.indices))
        object.__setattr__(self, "labels", _indices(np.broadcast_to(self.labels, self.indices.shape)))

    def apply(self, dataset: Dataset) -> tuple[Dataset, "RelabelPoints"]:
        _check_labels(self.labels, len(dataset.classes))
        labels = dataset.labels.copy()
        old = labels[self.indices].copy()
        labels[self.indices] = self.labels
        return Dataset(dataset.X, labels, dataset.classes), RelabelPoints(self.indices, old)


@dataclass(frozen=True, eq=False)
class ReplaceDataset:
    """Swap in a whole new dataset (clear all, load a file, a preset ...)."""

    dataset: Dataset

    def apply(self, dataset: Dataset) -> tuple[Dataset, "ReplaceDataset"]:
        return self.dataset, ReplaceDataset(dataset)


@dataclass(frozen=True, eq=False)
class SetClasses:
    """Replace the class list (rename, recolour, add); labels must stay valid."""

    keeps_indices: ClassVar[bool] = True
    classes: tuple[ClassInfo, ...] = field(default_factory=tuple)

    def apply(self, dataset: Dataset) -> tuple[Dataset, "SetClasses"]:
        _check_labels(dataset.labels, len(self.classes))
        return Dataset(dataset.X, dataset.labels, tuple(self.classes)), SetClasses(dataset.classes)


@dataclass(frozen=True, eq=False)
class RemoveClass:
    """Delete a class and its points; later classes move down by one."""

    index: int

    def apply(self, dataset: Dataset) -> tuple[Dataset, ReplaceDataset]:
        keep = dataset.labels != self.index
        labels = dataset.labels[keep]
        labels = np.where(labels > self.index, labels - 1, labels)
        classes = dataset.classes[: self.index] + dataset.classes[self.index + 1 :]
        return Dataset(dataset.X[keep], labels, classes), ReplaceDataset(dataset)


def clear_all(dataset: Dataset) -> ReplaceDataset:
    """A command that removes every point but keeps the classes."""
    return ReplaceDataset(Dataset(np.empty((0, 2)), np.empty(0, dtype=np.int64), dataset.classes))


def with_new_class(dataset: Dataset, name: str | None = None) -> SetClasses:
    """A command adding one class with the next palette colour."""
    i = len(dataset.classes)
    return SetClasses(dataset.classes + (ClassInfo(name or f"Class {i + 1}", class_color(i)),))


def default_classes(n: int = 3) -> tuple[ClassInfo, ...]:
    return tuple(ClassInfo(f"Class {i + 1}", class_color(i)) for i in range(n))


def empty_dataset(n_classes: int = 3) -> Dataset:
    return Dataset(np.empty((0, 2)), np.empty(0, dtype=np.int64), default_classes(n_classes))
