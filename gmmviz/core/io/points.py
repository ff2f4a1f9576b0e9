"""File formats of gmmviz (Qt-free: numpy and the standard library only).

* CSV point files: :func:`read_csv`, :func:`write_csv`, :class:`CsvTable`
  and :class:`ImportCancelled` live in :mod:`gmmviz.core.io.csv_read` and are
  re-exported here.
* Initial parameters as JSON: :mod:`gmmviz.core.io.params`.
"""

from __future__ import annotations

import os

import numpy as np

from gmmviz.core.commands import default_classes
from gmmviz.core.data import ClassInfo, Dataset
from gmmviz.core.datasets import LoadedData
from gmmviz.core.io.atomic import atomic_write_text
from gmmviz.core.io.csv_read import (
    MAX_CLASSES,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    CsvTable,
    ImportCancelled,
    read_csv,
    write_csv,
)
from gmmviz.core.palette import class_color

__all__ = [
    "MAX_CLASSES",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "CsvTable",
    "ImportCancelled",
    "atomic_write_text",
    "read_csv",
    "write_csv",
]


# --------------------------------------------------------------------------
# Initial parameters (JSON)
# --------------------------------------------------------------------------


def dataset_from_table(table: CsvTable) -> Dataset:
    """A :class:`Dataset` from a CSV table: label names become classes (one
    default class when the file has no labels)."""
    if table.labels is None:
        return Dataset(table.X, np.zeros(table.X.shape[0], dtype=np.int64), default_classes(1))
    classes = tuple(ClassInfo(name, class_color(i)) for i, name in enumerate(table.label_names))
    return Dataset(table.X, table.labels, classes)


def read_dataset(source, *, columns=None, progress=None) -> Dataset:
    """Read a CSV of points (and labels) straight into a :class:`Dataset`."""
    return dataset_from_table(read_csv(source, columns=columns, progress=progress))


def read_points(source, *, columns=None, progress=None) -> LoadedData:
    """Read a CSV of points with their axis names: the x and y columns' header names
    (none when the file has no header line), and the file's name as the title."""
    table = read_csv(source, columns=columns, progress=progress)
    axes = tuple(table.columns[:2]) if table.header is not None else ("", "")
    title = os.path.basename(os.fspath(source)) if isinstance(source, (str, os.PathLike)) else ""
    return LoadedData(dataset_from_table(table), None, title, axes)
