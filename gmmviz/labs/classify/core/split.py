"""The seeded, stratified train/test split of the lab and of ``gmmviz classify``."""

from __future__ import annotations

import numpy as np

from gmmviz.core.errors import GmmvizError


def stratified_split(y_idx, test_size: float, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the training and the test points, each sorted.

    Every class sends round(test_size * n_class) of its points (chosen by a
    generator seeded with ``seed``) to the test set, but keeps at least one
    for training, so that every class can still be fitted.

    Parameters
    ----------
    y_idx : array-like of int, shape (n_points,)
        Class index of every point.
    test_size : float
        Fraction in [0, 1).
    seed : int or None

    Returns
    -------
    (train, test) : ndarrays of int
    """
    if not (isinstance(test_size, (int, float)) and 0.0 <= float(test_size) < 1.0):
        raise GmmvizError(f"test_size must be a fraction in [0, 1), got {test_size!r}")
    y_idx = np.asarray(y_idx).reshape(-1)
    n = y_idx.shape[0]
    if float(test_size) * n < 0.5:  # no class sends a point (the lab's default: no test set)
        return np.arange(n, dtype=np.intp), np.zeros(0, dtype=np.intp)
    rng = np.random.default_rng(seed)
    held = np.zeros(n, dtype=bool)
    for c in np.unique(y_idx):
        members = np.flatnonzero(y_idx == c)
        n_test = min(int(np.floor(test_size * members.shape[0] + 0.5)), members.shape[0] - 1)
        held[rng.permutation(members)[:n_test]] = True
    return np.flatnonzero(~held), np.flatnonzero(held)
