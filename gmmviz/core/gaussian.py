"""Bivariate Gaussian algebra in closed form.

Every matrix here is 2 x 2, so inverses, determinants and Cholesky factors
are written out instead of calling LAPACK once per component.  Densities are
evaluated in a standardised frame (see :class:`Standardizer`) so that data
offset by 1e6 or scaled by 1e-9 lose no precision; reported numbers are in
the data's own units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmmviz.core.covariance import det2, inv2
from gmmviz.core.mixture import GaussianParams

LOG_2PI = float(np.log(2.0 * np.pi))


@dataclass(frozen=True)
class Standardizer:
    """x_std = (x - shift) / scale, with one scale for both axes.

    One common scale keeps ``spherical`` and ``tied`` meaning the same in
    both frames (a per-axis scale would not).
    """

    shift: np.ndarray
    scale: float

    @classmethod
    def fit(cls, X: np.ndarray) -> "Standardizer":
        """Centre of ``X`` and the RMS distance per axis from it (1 if zero)."""
        X = np.asarray(X, dtype=np.float64)
        shift = X.mean(axis=0) if X.shape[0] else np.zeros(2)
        # Second pass about the mean: exact even for a 1e6 offset.
        scale = float(np.sqrt(np.mean((X - shift) ** 2))) if X.shape[0] else 1.0
        if not np.isfinite(scale) or scale <= 0.0:
            scale = max(float(np.abs(shift).max()) * 1e-3, 1.0) if X.shape[0] else 1.0
        shift.setflags(write=False)
        return cls(shift=shift, scale=scale)

    def transform(self, X: np.ndarray) -> np.ndarray:
        return (np.asarray(X, dtype=np.float64) - self.shift) / self.scale

    @property
    def log_jacobian(self) -> float:
        """ln |d x_std / d x| per 2-D point: subtract from a standardised density."""
        return 2.0 * float(np.log(self.scale))

    def params_to_std(self, params: GaussianParams) -> GaussianParams:
        s = self.scale
        return GaussianParams(
            params.weights,
            (params.means - self.shift) / s,
            params.covariances / (s * s),
            params.covariance_type,
        )

    def params_from_std(self, params: GaussianParams) -> GaussianParams:
        s = self.scale
        return GaussianParams(
            params.weights,
            params.means * s + self.shift,
            params.covariances * (s * s),
            params.covariance_type,
        )


def component_log_prob(X: np.ndarray, means: np.ndarray, full_covariances: np.ndarray) -> np.ndarray:
    """ln N(x_t | mu_k, Sigma_k) for every point and component.

    Parameters
    ----------
    X : ndarray of shape (n_points, 2)
    means : ndarray of shape (n_components, 2)
    full_covariances : ndarray of shape (n_components, 2, 2)
        Must be positive definite.

    Returns
    -------
    log_prob : ndarray of shape (n_points, n_components)
    """
    X = np.asarray(X, dtype=np.float64)
    std = Standardizer.fit(np.vstack([X, means]) if X.shape[0] else means)
    Xs = std.transform(X)
    mu = std.transform(means)
    prec = inv2(full_covariances / std.scale**2)
    logdet = np.log(det2(full_covariances / std.scale**2))
    dx = Xs[:, None, 0] - mu[None, :, 0]
    dy = Xs[:, None, 1] - mu[None, :, 1]
    maha = prec[:, 0, 0] * dx * dx + 2.0 * prec[:, 0, 1] * dx * dy + prec[:, 1, 1] * dy * dy
    return -0.5 * maha - LOG_2PI - 0.5 * logdet - std.log_jacobian


def weighted_log_prob(X: np.ndarray, params: GaussianParams) -> np.ndarray:
    """ln pi_k + ln N(x_t | mu_k, Sigma_k), shape (n_points, n_components)."""
    with np.errstate(divide="ignore"):
        log_w = np.log(params.weights)
    return component_log_prob(X, params.means, params.full_covariances()) + log_w


def logsumexp_rows(a: np.ndarray) -> np.ndarray:
    """ln sum_k exp(a[:, k]) for every row, stable for any magnitude."""
    m = np.max(a, axis=1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    return (m + np.log(np.sum(np.exp(a - m), axis=1, keepdims=True)))[:, 0]


def score_samples(X: np.ndarray, params: GaussianParams) -> np.ndarray:
    """Per-point log-likelihood ln p(x_t | params), shape (n_points,), nats."""
    return logsumexp_rows(weighted_log_prob(X, params))


def log_likelihood(X: np.ndarray, params: GaussianParams) -> float:
    """Total log-likelihood sum_t ln p(x_t | params), nats (held-out scoring)."""
    return float(np.sum(score_samples(X, params)))


def predict_proba(X: np.ndarray, params: GaussianParams) -> np.ndarray:
    """Responsibilities P(z = k | x_t, params), shape (n_points, n_components)."""
    wlp = weighted_log_prob(X, params)
    return np.exp(wlp - logsumexp_rows(wlp)[:, None])
