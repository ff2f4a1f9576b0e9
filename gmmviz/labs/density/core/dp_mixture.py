"""The infinite (Dirichlet-process) Gaussian mixture by variational Bayes, in numpy (1-D and 2-D).

The updates are scikit-learn's ``BayesianGaussianMixture`` with
``weight_concentration_prior_type="dirichlet_process"`` and full covariances
(the same priors: mean prior the data's mean with precision 1, d degrees of
freedom, the data's covariance as covariance prior; the same E-step and
M-step, checked against it to 1e-10 in ``tests/labs/density/core/test_dp_mixture.py``;
the prior, the posterior and its update are the EM studio's variational Bayes ones,
:mod:`gmmviz.labs.em.core.algorithms.vb`), with the sums of the M-step
written for *weighted groups of points*: a group is a count, its mean and
its scatter about that mean, so the M-step's sums are the exact sums over the
points of the group.  The approximation is only that the points of one group
share their responsibilities.

In 1-D the training points are grouped in :data:`BINS_1D` equal-width bins of
their range (a bin is 1/1024 of the range wide: far narrower than any component
a sample of the lab resolves), so every point is used and an iteration costs
the same at n = 1e3 and 1e5; in 2-D (painted points, a few hundred) every point
is its own group.  A sweep over concentrations is a :class:`Continuation`.

The density used for scores is the posterior's point estimate (``weights_``,
``means_``, ``covariances_`` in scikit-learn's terms): a proper density.
A component "is used" when its weight is at least :data:`USED_WEIGHT`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import digamma

from gmmviz.core.errors import GmmvizError
from gmmviz.core.gaussian import logsumexp_rows, normalise_rows
from gmmviz.labs.density.core.mixture import (
    MixtureDensity,
    default_reg_covar,
    mixture_from_parameters,
)
from gmmviz.labs.density.core.scores import as_data
from gmmviz.labs.em.core.algorithms.vb import update_posterior
from gmmviz.labs.em.core.algorithms.vb_elbo import Posterior, Prior
from gmmviz.labs.em.core.steps import kmeans_plusplus, nearest_centre

USED_WEIGHT = 0.01
DP = "dirichlet-process"
BINS_1D = 1024
#: Lloyd iterations of the k-means start (on the groups).
KMEANS_ITER = 20
#: Fits of more points than this start from the fit of a subsample of :data:`START_POINTS` (:func:`start_resp`).
START_ABOVE, START_POINTS = 10_000, 5_000
_EPS = 10 * np.finfo(np.float64).eps


@dataclass(frozen=True, eq=False)
class DirichletMixture:
    """A fitted infinite mixture: its point-estimate density and how many components it uses.

    Attributes
    ----------
    density : MixtureDensity
    concentration : float
    n_used : int
        Components with weight >= :data:`USED_WEIGHT`.
    converged : bool
    n_points : int
        The training points it was fitted to (all of them).
    """

    density: MixtureDensity
    concentration: float
    n_used: int
    converged: bool
    n_points: int = 0

    @property
    def n_features(self) -> int:
        return self.density.n_features

    def log_density(self, X) -> np.ndarray:
        return self.density.log_density(X)


@dataclass(frozen=True, eq=False)
class Groups:
    """Points as weighted groups: ``X`` (g, d) group means, ``w`` (g,) counts, ``scatter`` (g, d, d)."""

    X: np.ndarray
    w: np.ndarray
    scatter: np.ndarray

    @classmethod
    def of_points(cls, X: np.ndarray) -> Groups:
        return cls(X, np.ones(X.shape[0]), np.zeros((X.shape[0], X.shape[1], X.shape[1])))

    @classmethod
    def binned(cls, x: np.ndarray, bins: int = BINS_1D) -> Groups:
        """1-D points in ``bins`` equal-width bins of their range (empty bins dropped)."""
        lo, hi = float(x.min()), float(x.max())
        idx = np.minimum(((x - lo) / max(hi - lo, np.finfo(np.float64).tiny) * bins).astype(np.intp), bins - 1)
        w = np.bincount(idx, minlength=bins).astype(np.float64)
        s = np.bincount(idx, weights=x, minlength=bins)
        used = w > 0
        mean = s[used] / w[used]
        scatter = np.bincount(idx, weights=(x - mean[np.cumsum(used)[idx] - 1]) ** 2, minlength=bins)[used]
        return cls(mean[:, None], w[used], scatter[:, None, None])


@dataclass(frozen=True)
class Priors:
    """The variational prior (the EM lab's VB :class:`~gmmviz.labs.em.core.algorithms.vb_elbo.Prior`, with
    stick-breaking weights) and the regularisation added to every component's scatter."""

    prior: Prior
    reg_covar: float

    @classmethod
    def of(cls, X: np.ndarray, concentration: float, reg_covar: float) -> Priors:
        d = X.shape[1]
        return cls(Prior(DP, float(concentration), X.mean(axis=0), 1.0, float(d), np.atleast_2d(np.cov(X.T))),
                   float(reg_covar))


def m_step(g: Groups, resp: np.ndarray, p: Priors) -> Posterior:
    """The posterior given responsibilities ``resp`` (g, K) of the groups: the groups' sums (nk, xk, sk),
    then the EM lab's VB update (scikit-learn's M-step, in any dimension for full covariances)."""
    d = g.X.shape[1]
    rw = resp * g.w[:, None]
    nk = rw.sum(axis=0) + _EPS
    xk = rw.T @ g.X / nk[:, None]
    K = resp.shape[1]
    outer = (g.X[:, :, None] * g.X[:, None, :]).reshape(-1, d * d)
    second = (rw.T @ outer + resp.T @ g.scatter.reshape(-1, d * d)).reshape(K, d, d)
    sk = second / nk[:, None, None] - xk[:, :, None] * xk[:, None, :]
    sk += p.reg_covar * np.eye(d)
    return update_posterior(p.prior, "full", nk, xk, sk)


def _precision_cholesky(cov: np.ndarray) -> np.ndarray:
    """The upper factors U with U U^T = cov^-1 (scikit-learn's ``precisions_cholesky_``), all at once."""
    try:
        chol = np.linalg.cholesky(cov)
    except np.linalg.LinAlgError as exc:
        raise GmmvizError("the infinite mixture's covariance collapsed: raise reg_covar") from exc
    if cov.shape[1] == 1:
        return 1.0 / chol
    return np.linalg.inv(chol).transpose(0, 2, 1)


def _weighted_log_prob(X: np.ndarray, q: Posterior) -> np.ndarray:
    """E[ln pi_k] + E[ln N(x | mu_k, Lambda_k)] of every point and component, shape (n, K)."""
    d = X.shape[1]
    P = _precision_cholesky(q.covariances)
    K = P.shape[0]
    if d == 1:  # (n, K) at once, no (n, K, d) temporaries
        sq = ((X[:, :1] - q.means[:, 0]) * P[:, 0, 0]) ** 2
    else:
        y = (X @ P.transpose(1, 0, 2).reshape(d, K * d)).reshape(-1, K, d) - np.einsum("ki,kij->kj", q.means, P)[None]
        sq = (y * y).sum(axis=2)
    log_det = np.log(np.diagonal(P, axis1=1, axis2=2)).sum(axis=1)
    log_lambda = d * math.log(2.0) + sum(digamma(0.5 * (q.dof - i)) for i in range(d))
    log_w = q.expected_log_weights(DP)
    const = log_det - 0.5 * d * (math.log(2 * math.pi) + np.log(q.dof)) \
        + 0.5 * (log_lambda - d / q.beta) + log_w
    sq *= -0.5
    sq += const
    return sq


def e_step(X: np.ndarray, q: Posterior) -> tuple[np.ndarray, np.ndarray]:
    """(log responsibilities (n, K), ln of the normaliser (n,)) of points ``X`` (n, d) under ``q``."""
    wlp = _weighted_log_prob(X, q)
    norm = logsumexp_rows(wlp)
    return wlp - norm[:, None], norm


def _responsibilities(X: np.ndarray, q: Posterior) -> np.ndarray:
    """exp of :func:`e_step`'s log responsibilities, with one exp and no log."""
    return normalise_rows(_weighted_log_prob(X, q))[0]


def kmeans_resp(X: np.ndarray, g: Groups, k: int, seed: int | None) -> np.ndarray:
    """One-hot responsibilities of the groups from weighted k-means (k-means++ seeds drawn from the points)."""
    rng = np.random.default_rng(seed)
    centres = X[kmeans_plusplus(X, k, rng)].astype(np.float64)
    for _ in range(KMEANS_ITER):
        label = nearest_centre(g.X, centres)
        counts = np.bincount(label, weights=g.w, minlength=k)
        sums = np.stack([np.bincount(label, weights=g.w * g.X[:, j], minlength=k) for j in range(X.shape[1])], 1)
        moved = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1e-300)[:, None], centres)
        if np.array_equal(moved, centres):
            break
        centres = moved
    resp = np.zeros((g.X.shape[0], k))
    resp[np.arange(g.X.shape[0]), label] = 1.0
    return resp


def fit_dp_mixture(X, concentration: float = 1.0, *, max_components: int = 20, seed: int | None = 0,
                   reg_covar: float | None = None, max_iter: int = 1000, tol: float = 1e-4) -> DirichletMixture:
    """Fit a Dirichlet-process mixture (truncated at ``max_components``) to all of ``X`` (n, d).

    Starts from :func:`start_resp` (seeded) and stops when no weight moves by ``tol`` in an iteration.
    """
    X = as_data(X, minimum=2)
    groups = grouping(X)
    k = max(1, min(int(max_components), X.shape[0]))
    resp = start_resp(X, groups, k, seed, concentration, reg_covar, max_iter, tol)
    return _fit(X, groups, resp, concentration, reg_covar, max_iter, tol)[0]


def start_resp(X: np.ndarray, groups: Groups, k: int, seed: int | None, concentration: float,
               reg_covar: float | None, max_iter: int, tol: float) -> np.ndarray:
    """The groups' responsibilities to start from: weighted k-means, or above :data:`START_ABOVE` points
    the fit (from k-means) of a seeded subsample of :data:`START_POINTS` of them, read on all the groups.

    With many points every piece of a k-means split is well determined and variational Bayes prunes
    pieces that carry the same density at a rate of about 1/n per iteration: on 75,000 points of two
    Gaussians, 20 components were still in use after 65 iterations (when no weight moved by 1e-4 any
    more) and 4 after 10,000.  On the subsample it prunes them in a few hundred; all the points then
    refine that fit.
    """
    if X.shape[0] <= START_ABOVE:
        return kmeans_resp(X, groups, k, seed)
    sub = X[np.sort(np.random.default_rng(seed).choice(X.shape[0], START_POINTS, replace=False))]
    sub_groups = grouping(sub)
    q = _fit(sub, sub_groups, kmeans_resp(sub, sub_groups, k, seed), concentration, reg_covar, max_iter, tol)[2]
    return _responsibilities(groups.X, q)


class Continuation:
    """Fits of one sample at one concentration after another, each starting where the last ended.

    ``fit(X, concentration, seed)`` (the sweep's ``dp_fit``): the first fit of ``X`` starts from
    weighted k-means; each later one of the same ``X`` from the previous fit's responsibilities (a
    continuation: run from the largest concentration down, it lets the prior switch components off
    one by one, in a few iterations each instead of hundreds).  Not thread-safe: one per sweep.
    """

    def __init__(self, *, max_components: int = 20, max_iter: int = 1000, tol: float = 1e-4):
        self.max_components, self.max_iter, self.tol = max_components, max_iter, tol
        self._X = self._groups = self._resp = None

    def __call__(self, X, concentration: float, seed: int | None = 0) -> DirichletMixture:
        X = as_data(X, minimum=2)
        if self._X is None or self._X.shape != X.shape or not np.array_equal(self._X, X):
            self._X, self._groups = X, grouping(X)
            self._resp = start_resp(X, self._groups, max(1, min(self.max_components, X.shape[0])), seed,
                                    concentration, None, self.max_iter, self.tol)
        fit, self._resp, _ = _fit(X, self._groups, self._resp, concentration, None, self.max_iter, self.tol)
        return fit


def _fit(X, groups: Groups, resp: np.ndarray, concentration, reg_covar, max_iter, tol):
    if not (np.isfinite(concentration) and concentration > 0):
        raise GmmvizError(f"the concentration must be a finite number > 0, got {concentration!r}")
    reg = default_reg_covar(X) if reg_covar is None else float(reg_covar)
    prior = Priors.of(X, concentration, reg)
    last, converged, n_iter = None, False, 0
    for n_iter in range(1, max_iter + 1):
        q = m_step(groups, resp, prior)
        resp = _responsibilities(groups.X, q)
        weights = q.weights(DP)
        if last is not None and np.abs(weights - last).max() < tol:
            converged = True
            break
        last = weights
    q = m_step(groups, resp, prior)
    weights = q.weights(DP)
    density = mixture_from_parameters(weights, q.means, q.covariances, n_train=X.shape[0], reg_covar=reg,
                                      message=None if converged else
                                      f"the variational fit did not converge in {max_iter} iterations")
    ll = float(density.log_density(X).sum())
    density = MixtureDensity(density.mixture, ll, X.shape[0], reg, n_iter, converged, density.message)
    return DirichletMixture(density, float(concentration), int(np.count_nonzero(weights >= USED_WEIGHT)),
                            converged, int(X.shape[0])), resp, q


def grouping(X: np.ndarray) -> Groups:
    """Binned groups in 1-D when there are more points than a quarter of the bins, else one group a point."""
    return Groups.binned(X[:, 0]) if X.shape[1] == 1 and X.shape[0] > BINS_1D // 4 else Groups.of_points(X)
