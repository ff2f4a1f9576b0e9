"""Gaussian mixtures: their parameters, sampling and model-selection criteria.

Shared by every lab (the EM studio fits them, the classifiers hold one per class,
the density lab scores them).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from gmmviz.core.covariance import (  # noqa: F401 (COVARIANCE_TYPES is re-exported)
    COVARIANCE_TYPES,
    check_covariance_type,
    covariance_shape,
    is_positive_definite,
    to_full,
)
from gmmviz.core.data import frozen_array
from gmmviz.core.errors import GmmvizError

CovarianceType = Literal["full", "diag", "spherical", "tied"]


@dataclass(frozen=True, eq=False)
class GaussianParams:
    """Parameters of a 2-D Gaussian mixture, in the data's own units.

    Attributes
    ----------
    weights : ndarray of shape (n_components,)
        Mixing weights pi_k, summing to 1.
    means : ndarray of shape (n_components, 2)
    covariances : ndarray
        Shape (n_components, 2, 2) for ``full``, (n_components, 2) for
        ``diag``, (n_components,) for ``spherical``, (2, 2) for ``tied``.
    covariance_type : {"full", "diag", "spherical", "tied"}
    """

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    covariance_type: str = "full"

    def __post_init__(self):
        weights = frozen_array(self.weights, name="weights")
        means = frozen_array(self.means, name="means")
        covs = frozen_array(self.covariances, name="covariances")
        check_covariance_type(self.covariance_type)
        if weights.ndim != 1:
            raise GmmvizError(f"weights must have shape (n_components,), got {weights.shape}")
        if means.shape == (2,) and weights.shape == (1,):
            means = means.reshape(1, 2)  # one component's mean given flat
        expected = covariance_shape(self.covariance_type, weights.shape[0])
        if means.shape != (weights.shape[0], 2) or covs.shape != expected:
            raise GmmvizError(
                f"inconsistent shapes: weights {weights.shape}, means {means.shape}, "
                f"covariances {covs.shape} (expected ({weights.shape[0]}, 2) means and {expected} covariances "
                f"for {weights.shape[0]} components, covariance type {self.covariance_type!r})"
            )
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "means", means)
        object.__setattr__(self, "covariances", covs)

    @classmethod
    def adopt(cls, weights: np.ndarray, means: np.ndarray, covariances: np.ndarray,
              covariance_type: str) -> "GaussianParams":
        """Wrap float64 arrays of the right shapes that the caller has just made
        and hands over (the EM loop's own results): they are made read-only
        in place, without the copies and checks of the constructor."""
        self = object.__new__(cls)
        for name, arr in (("weights", weights), ("means", means), ("covariances", covariances)):
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        object.__setattr__(self, "covariance_type", covariance_type)
        return self

    @property
    def n_components(self) -> int:
        return int(self.weights.shape[0])

    def full_covariances(self) -> np.ndarray:
        """Every component's covariance as a (n_components, 2, 2) array."""
        return to_full(self.covariances, self.covariance_type, self.n_components)

    def with_means(self, means) -> "GaussianParams":
        """A copy with other means (e.g. a lecturer dragged a handle)."""
        return replace(self, means=means)

    def to_dict(self) -> dict:
        """Plain lists in scikit-learn's shapes, for JSON."""
        return {
            "covariance_type": self.covariance_type,
            "weights": self.weights.tolist(),
            "means": self.means.tolist(),
            "covariances": self.covariances.tolist(),
        }


def n_parameters(n_components: int, covariance_type: str, n_features: int = 2) -> int:
    """Number of free parameters of a mixture (weights, means, covariances)."""
    check_covariance_type(covariance_type)
    d, k = n_features, n_components
    cov = {"full": k * d * (d + 1) // 2, "diag": k * d, "spherical": k, "tied": d * (d + 1) // 2}
    return cov[covariance_type] + k * d + k - 1


def bic(log_likelihood: float, n_points: int, n_components: int, covariance_type: str) -> float:
    """Bayesian information criterion -2 ln L + p ln N (lower is better)."""
    return -2.0 * log_likelihood + n_parameters(n_components, covariance_type) * np.log(n_points)


def aic(log_likelihood: float, n_components: int, covariance_type: str) -> float:
    """Akaike information criterion -2 ln L + 2p (lower is better)."""
    return -2.0 * log_likelihood + 2.0 * n_parameters(n_components, covariance_type)


def sample(params: GaussianParams, n_samples: int, random_state=None) -> tuple[np.ndarray, np.ndarray]:
    """Ancestral sampling: z_t ~ Mult(pi), then x_t | z_t ~ N(mu_z, Sigma_z).

    Parameters
    ----------
    params : GaussianParams
    n_samples : int
    random_state : int or numpy Generator, optional

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
    z : ndarray of shape (n_samples,)
        The component each point was drawn from.
    """
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < 0:
        raise GmmvizError(f"n_samples must be an integer >= 0, got {n_samples!r}")
    w = params.weights
    if not (np.isfinite(w).all() and (w >= 0).all() and abs(w.sum() - 1.0) <= 1e-6):
        raise GmmvizError(f"cannot sample: the weights must be finite, >= 0 and sum to 1, got {w.tolist()}")
    if not np.isfinite(params.means).all() or not is_positive_definite(params.full_covariances()).all():
        raise GmmvizError("cannot sample: the means must be finite and every covariance positive definite")
    rng = np.random.default_rng(random_state)
    z = rng.choice(params.n_components, size=int(n_samples), p=params.weights)
    full = params.full_covariances()
    a, b, c = full[:, 0, 0], full[:, 0, 1], full[:, 1, 1]
    l11 = np.sqrt(a)
    l21 = b / l11
    l22 = np.sqrt(np.maximum(c - l21 * l21, 0.0))
    e = rng.standard_normal((int(n_samples), 2))
    X = np.empty((int(n_samples), 2))
    X[:, 0] = params.means[z, 0] + l11[z] * e[:, 0]
    X[:, 1] = params.means[z, 1] + l21[z] * e[:, 0] + l22[z] * e[:, 1]
    return X, z
