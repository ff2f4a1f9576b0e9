"""Seeded datasets and oracles shared by the core tests."""

from __future__ import annotations

import numpy as np

from gmmviz.core.types import GaussianParams


def blobs(n: int, k: int, seed: int, *, spread: float = 10.0, scale: float = 0.8) -> np.ndarray:
    """n points from k random anisotropic Gaussian blobs."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-spread, spread, (k, 2))
    z = rng.integers(0, k, n)
    A = rng.normal(size=(k, 2, 2)) * scale
    return centres[z] + np.einsum("nij,nj->ni", A[z], rng.normal(size=(n, 2)))


def random_params(k: int, covariance_type: str, seed: int, X: np.ndarray) -> GaussianParams:
    """Plausible parameters for X: means at random points, covariances of X's size."""
    rng = np.random.default_rng(seed)
    means = X[rng.choice(X.shape[0], k, replace=False)] + rng.normal(scale=0.1, size=(k, 2))
    w = rng.uniform(0.5, 1.5, k)
    var = X.var(axis=0).mean()
    if covariance_type == "full":
        A = rng.normal(size=(k, 2, 2))
        cov = np.einsum("kij,klj->kil", A, A) * var / 4 + np.eye(2) * var / 10
    elif covariance_type == "diag":
        cov = rng.uniform(0.1, 1.0, (k, 2)) * var
    elif covariance_type == "spherical":
        cov = rng.uniform(0.1, 1.0, k) * var
    else:
        A = rng.normal(size=(2, 2))
        cov = A @ A.T * var / 4 + np.eye(2) * var / 10
    return GaussianParams(w / w.sum(), means, cov, covariance_type)


def precisions(params: GaussianParams) -> np.ndarray:
    """scikit-learn's ``precisions_init`` for our parameters."""
    c = params.covariances
    if params.covariance_type in ("diag", "spherical"):
        return 1.0 / c
    return np.linalg.inv(c)
