"""EM for a Gaussian mixture in any number of features (scikit-learn's formulas).

The lab's own data are 2-D and go through the EM lab's fused core
(:mod:`gmmviz.labs.em.core.steps`); this module serves the library for other
dimensions (Iris with four features, a student's 10-D data).  The iteration
counts and the stopping rule are the EM core's: after the initial parameters
theta_0, iteration i is an E-step with theta_(i-1) and an M-step giving
theta_i; the run stops when ln p(X | theta) changes by less than
``tol`` per point, after ``max_iter`` iterations, or when a covariance stops
being positive definite (only possible with ``reg_covar = 0``), keeping the
last valid parameters and saying so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmmviz.core.errors import GmmvizError
from gmmviz.core.gaussian import normalise_rows
from gmmviz.labs.classify.core.model import ClassDensity
from gmmviz.labs.em.core.collapse import COLLAPSE_VARIANCE
from gmmviz.labs.em.core.steps import NK_EPS, kmeans_plusplus, nearest_centre


@dataclass(frozen=True, eq=False)
class MixtureFit:
    """The outcome of one EM run.

    Attributes
    ----------
    density : ClassDensity
    n_iter : int
    converged : bool
    log_likelihood : float
        ln p(X | final parameters), summed over points.
    message : str or None
        Why EM stopped early, if it did.
    """

    density: ClassDensity
    n_iter: int
    converged: bool
    log_likelihood: float
    message: str | None = None


def m_step(X: np.ndarray, resp: np.ndarray, covariance_type: str, reg_covar: float):
    """(weights, means, covariances) maximising Q for responsibilities ``resp`` (n, K)."""
    d = X.shape[1]
    nk = resp.sum(axis=0) + NK_EPS
    means = resp.T @ X / nk[:, None]
    if covariance_type == "full":
        covs = np.empty((nk.shape[0], d, d))
        for k in range(nk.shape[0]):
            diff = X - means[k]
            covs[k] = (resp[:, k] * diff.T) @ diff / nk[k]
            covs[k].flat[:: d + 1] += reg_covar
    elif covariance_type == "tied":
        covs = (X.T @ X - (nk * means.T) @ means) / nk.sum()
        covs.flat[:: d + 1] += reg_covar
    else:
        avg_x2 = resp.T @ (X * X) / nk[:, None]
        avg_x_means = means * (resp.T @ X) / nk[:, None]
        covs = avg_x2 - 2.0 * avg_x_means + means**2 + reg_covar
        if covariance_type == "spherical":
            covs = covs.mean(axis=1)
    return nk / nk.sum(), means, covs


def initial_resp(X: np.ndarray, k: int, init: str, rng: np.random.Generator) -> np.ndarray | None:
    """Responsibilities to start from (``kmeans++`` and ``random-resp``), or None for ``random``."""
    n = X.shape[0]
    if init == "kmeans++":
        label = nearest_centre(X, X[kmeans_plusplus(X, k, rng)])
        resp = np.zeros((n, k))
        resp[np.arange(n), label] = 1.0
        return resp
    if init == "random-resp":
        resp = rng.uniform(size=(n, k))
        return resp / resp.sum(axis=1, keepdims=True)
    return None


def initial_density(X, k, covariance_type, reg_covar, init, rng, what) -> ClassDensity:
    """theta_0 by ``init``: ``kmeans++``, ``random`` (k distinct points, the data's covariance) or ``random-resp``."""
    resp = initial_resp(X, k, init, rng)
    if resp is not None:
        return ClassDensity.build(*m_step(X, resp, covariance_type, reg_covar), covariance_type, what=what)
    d = X.shape[1]
    means = X[rng.choice(X.shape[0], size=k, replace=False)]
    diff = X - X.mean(axis=0)
    cov = diff.T @ diff / X.shape[0] + reg_covar * np.eye(d)
    covs = {"full": np.repeat(cov[None], k, axis=0), "tied": cov,
            "diag": np.repeat(np.diag(cov)[None], k, axis=0),
            "spherical": np.full(k, np.trace(cov) / d)}[covariance_type]
    return ClassDensity.build(np.full(k, 1.0 / k), means, covs, covariance_type, what=what)


def run_em_nd(X: np.ndarray, start: ClassDensity, *, reg_covar: float, tol: float, max_iter: int,
              what: str = "a class") -> MixtureFit:
    """EM from ``start`` on ``X`` (n, d); see the module docstring for the stopping rule."""
    ctype = start.covariance_type
    density = start
    # A covariance this much narrower than the data has collapsed (the EM lab's rule).
    floor = COLLAPSE_VARIANCE * max(float(X.var(axis=0).mean()), np.finfo(np.float64).tiny)
    resp, lse = normalise_rows(density.component_log_prob(X))
    ll = float(lse.sum())
    n_iter, converged, message = 0, False, None
    for it in range(1, max_iter + 1):
        try:
            new = ClassDensity.build(*m_step(X, resp, ctype, reg_covar), ctype, what=what)
            if np.linalg.eigvalsh(new.full_covariances())[:, 0].min() < floor:
                raise GmmvizError("collapsed")
        except GmmvizError:
            message = (f"EM for {what} stopped after iteration {it - 1}: a component collapsed "
                       "(its covariance became singular); increase reg_covar or use fewer components")
            break
        resp, lse = normalise_rows(new.component_log_prob(X))
        new_ll = float(lse.sum())
        density, n_iter = new, it
        converged = abs(new_ll - ll) < tol * X.shape[0]
        ll = new_ll
        if converged:
            break
    return MixtureFit(density, n_iter, converged, ll, message)


def fit_mixture_nd(X: np.ndarray, k: int, covariance_type: str, *, reg_covar: float, tol: float,
                   max_iter: int, init: str, n_init: int, random_state, start: ClassDensity | None = None,
                   what: str = "a class") -> MixtureFit:
    """The best of ``n_init`` EM runs (seeds random_state, +1, ...) on ``X`` (n, d).

    The data are centred first (exact for data far from the origin); the
    result is in the data's units.
    """
    shift = X.mean(axis=0)
    Xc = X - shift
    best = None
    runs = 1 if start is not None else max(1, int(n_init))
    for i in range(runs):
        if start is not None:
            theta0 = ClassDensity.build(start.weights, start.means - shift, start.covariances, covariance_type, what=what)
        else:
            seed = None if random_state is None else random_state + i
            theta0 = initial_density(Xc, k, covariance_type, reg_covar, init, np.random.default_rng(seed), what)
        fit = run_em_nd(Xc, theta0, reg_covar=reg_covar, tol=tol, max_iter=max_iter, what=what)
        if best is None or fit.log_likelihood > best.log_likelihood:
            best = fit
    d = best.density
    moved = ClassDensity.build(d.weights, d.means + shift, d.covariances, covariance_type, what=what)
    return MixtureFit(moved, best.n_iter, best.converged, best.log_likelihood, best.message)
