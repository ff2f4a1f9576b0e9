"""Bivariate Gaussian algebra in closed form.

Every matrix here is 2 x 2, so Cholesky factors are written out instead of
calling LAPACK once per component.  Densities are evaluated centred, through
the Cholesky factor (accurate for condition numbers up to ~1e12, and for any
magnitude of data and covariance); EM works in a standardised frame (see
:class:`Standardizer`) so that data offset by 1e6 or scaled by 1e-9 lose no
precision; reported numbers are in the data's own units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmmviz.core.covariance import cholesky2
from gmmviz.core.mixture import GaussianParams
from gmmviz.core.validation import centre_and_spread, check_mixture, check_points

LOG_2PI = float(np.log(2.0 * np.pi))


@dataclass(frozen=True)
class Standardizer:
    """x_std = (x - shift) / scale, with one scale for both axes.

    One common scale keeps ``spherical`` and ``tied`` meaning the same in
    both frames (a per-axis scale would not).
    """

    shift: np.ndarray
    scale: float
    spread: float = 0.0  # the RMS distance itself: 0 when every point is the same

    @classmethod
    def fit(cls, X: np.ndarray) -> Standardizer:
        """Centre of ``X`` and the RMS distance per axis from it (1 if zero).

        Computed on ``X`` divided by its largest magnitude, so no square or
        sum overflows or underflows for any finite data (1e-300 .. 1e308).
        """
        X = np.asarray(X, dtype=np.float64)
        centre, spread, m = centre_and_spread(X)
        if not X.shape[0] or not (np.isfinite(m) and m > 0.0):
            return cls(shift=_frozen(np.zeros(2)), scale=1.0)
        scale = spread
        if not (np.isfinite(scale) and scale > 0.0):
            # Every point the same (to float64's precision): no scale to take
            # out; reg_covar alone (in the data's units) sets the width.
            scale = 1.0
        return cls(shift=_frozen(centre), scale=scale, spread=spread)

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


def _frozen(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def component_log_prob(X: np.ndarray, means: np.ndarray, full_covariances: np.ndarray) -> np.ndarray:
    """ln N(x_t | mu_k, Sigma_k) for every point and component.

    Parameters
    ----------
    X : ndarray of shape (n_points, 2)
    means : ndarray of shape (n_components, 2)
    full_covariances : ndarray of shape (n_components, 2, 2)
        A component whose covariance is not positive definite in float64
        gets NaN (public callers validate first).

    Returns
    -------
    log_prob : ndarray of shape (n_points, n_components)
    """
    X = np.asarray(X, dtype=np.float64)
    out = np.empty((X.shape[0], means.shape[0]))
    # Halved offsets cannot overflow (|x|, |mu| <= 1.8e308); a Mahalanobis
    # distance beyond float64 becomes inf, so the log-density -inf.
    hx, hy = 0.5 * X[:, 0], 0.5 * X[:, 1]
    with np.errstate(over="ignore"):
        for k, ((mx, my), ((a, b), (_, c))) in enumerate(zip(means.tolist(), full_covariances.tolist())):
            chol = cholesky2(a, b, c)
            if chol is None:
                out[:, k] = np.nan
                continue
            l11, l21, l22, log_det = chol
            dx, dy = hx - 0.5 * mx, hy - 0.5 * my
            z1 = dx / (0.5 * l11)  # L^-1 (x - mu), centred: loses ~sqrt(cond) ulps, not cond
            z2 = (dy - (l21 / l11) * dx) / (0.5 * l22)
            out[:, k] = -0.5 * (z1 * z1 + z2 * z2) - LOG_2PI - 0.5 * log_det
    return out


def weighted_log_prob(X: np.ndarray, params: GaussianParams) -> np.ndarray:
    """ln pi_k + ln N(x_t | mu_k, Sigma_k), shape (n_points, n_components)."""
    with np.errstate(divide="ignore"):
        log_w = np.log(params.weights)
    return component_log_prob(X, params.means, params.full_covariances()) + log_w


#: Rows this short are reduced column by column: numpy reduces a short inner axis ~25 x slower.
SHORT_ROWS = 32


def row_max(a: np.ndarray) -> np.ndarray:
    """max_k a[:, k] for every row of an (n, K) array (NaN propagates, as in ``np.max``)."""
    if a.shape[1] > SHORT_ROWS or a.shape[1] == 0:
        return np.max(a, axis=1)
    m = a[:, 0].copy()
    for j in range(1, a.shape[1]):
        np.maximum(m, a[:, j], out=m)
    return m


def row_sum(a: np.ndarray) -> np.ndarray:
    """sum_k a[:, k] for every row of an (n, K) array."""
    if a.shape[1] > SHORT_ROWS or a.shape[1] == 0:
        return np.sum(a, axis=1)
    s = a[:, 0].copy()
    for j in range(1, a.shape[1]):
        s += a[:, j]
    return s


def _shifted_exp(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(m, exp(a - m)) with m each row's maximum (0 where it is not finite: a row of -inf stays 0, one with
    NaN or +inf gives NaN or +inf, silently)."""
    m = row_max(a)
    m[~np.isfinite(m)] = 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        return m, np.exp(a - m[:, None])


def normalise_rows(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(exp(a - lse), lse) with lse = ln sum_k exp(a[:, k]): the responsibilities and ln p in one pass.

    Stable for any magnitude; a row of -inf gives lse = -inf (and NaN responsibilities).
    """
    if a.shape[1] == 0:
        return np.empty_like(a), np.full(a.shape[0], -np.inf)
    m, e = _shifted_exp(a)
    s = row_sum(e)
    with np.errstate(divide="ignore", invalid="ignore"):  # a row of -inf (a point beyond float64's reach)
        e /= s[:, None]
        return e, m + np.log(s)


def logsumexp_rows(a: np.ndarray) -> np.ndarray:
    """ln sum_k exp(a[:, k]) for every row, stable for any magnitude."""
    if a.shape[1] == 0:
        return np.full(a.shape[0], -np.inf)
    m, e = _shifted_exp(a)
    with np.errstate(divide="ignore"):  # a row of -inf: -inf
        return m + np.log(row_sum(e))


def score_samples(X, params: GaussianParams) -> np.ndarray:
    """Per-point log-likelihood ln p(x_t | params), shape (n_points,), nats.

    Raises
    ------
    GmmvizError
        For points that are not finite real numbers of shape (n_points, 2), or
        parameters with NaN or negative weights, covariances that are not
        positive definite, or inconsistent shapes.
    """
    X, params = check_points(X, allow_empty=True), check_mixture(params)
    return logsumexp_rows(weighted_log_prob(X, params))


def log_likelihood(X, params: GaussianParams) -> float:
    """Total log-likelihood sum_t ln p(x_t | params), nats (held-out scoring)."""
    return float(np.sum(score_samples(X, params)))


def predict_proba(X, params: GaussianParams) -> np.ndarray:
    """Responsibilities P(z = k | x_t, params), shape (n_points, n_components).

    Raises
    ------
    GmmvizError
        As :func:`score_samples`.
    """
    X, params = check_points(X, allow_empty=True), check_mixture(params)
    wlp = weighted_log_prob(X, params)
    return normalise_rows(wlp)[0]
