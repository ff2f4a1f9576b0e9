"""Seeded data for the classification tests."""

from __future__ import annotations

import numpy as np


def blobs(n_per_class=(80, 120, 60), d: int = 2, seed: int = 0, labels=("a", "b", "c"), spread: float = 3.0):
    """Anisotropic Gaussian classes, partly overlapping; string labels by default."""
    rng = np.random.default_rng(seed)
    X, y = [], []
    for n, label in zip(n_per_class, labels):
        A = rng.normal(size=(d, d)) * 0.8 + np.eye(d) * 0.3
        X.append(rng.uniform(-spread, spread, d) + rng.normal(size=(n, d)) @ A)
        y += [label] * n
    return np.vstack(X), np.array(y)


def two_component_classes(n: int = 200, seed: int = 1):
    """Blobs along a line, alternating 0, 1, 0, 1: three boundaries, more than a quadratic
    (QDA) can draw, two per class for a mixture of two components."""
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal([x, 0.0], 0.7, (n, 2)) for x in (-4.0, 0.0, 4.0, 8.0)])
    return X, np.repeat([0, 1, 0, 1], n)
