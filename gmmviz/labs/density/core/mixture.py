"""Gaussian mixtures with K components as density estimates (1-D and 2-D), and their BIC/AIC.

The fit is the classification core's d-dimensional EM
(:func:`gmmviz.labs.classify.core.em_nd.fit_mixture_nd`, full covariances,
k-means++ starts): the EM lab's fused core is 2-D only, and this lab needs
1-D as well, so there is no third EM here.  ``reg_covar`` is added to every
variance in the data's squared units (scikit-learn's convention); the default
here is relative, 1e-6 of the data's variance, so that it means the same on
every scale (the value used is kept in the result and shown).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gmmviz.core.errors import GmmvizError
from gmmviz.core.mixture import n_parameters
from gmmviz.labs.classify.core.em_nd import fit_mixture_nd
from gmmviz.labs.classify.core.model import ClassDensity
from gmmviz.labs.density.core.scores import as_data

#: Default regularisation, relative to the data's mean variance.
RELATIVE_REG = 1e-6
MAX_COMPONENTS = 50


@dataclass(frozen=True, eq=False)
class MixtureDensity:
    """A fitted Gaussian mixture.

    Attributes
    ----------
    mixture : ClassDensity
        Weights, means, covariances (full) and precision factors, scikit-learn's shapes.
    train_log_likelihood : float
        ln p(X_train) summed.
    n_train : int
    reg_covar : float
        The absolute value added to every variance.
    n_iter : int
    converged : bool
    message : str or None
        Why EM stopped early (a collapse), if it did.
    """

    mixture: ClassDensity
    train_log_likelihood: float
    n_train: int
    reg_covar: float
    n_iter: int = 0
    converged: bool = True
    message: str | None = None

    @property
    def n_features(self) -> int:
        return self.mixture.n_features

    @property
    def n_components(self) -> int:
        return self.mixture.n_components

    def log_density(self, X) -> np.ndarray:
        X = as_data(X, minimum=0)
        return self.mixture.log_prob(X)

    def n_parameters(self) -> int:
        return n_parameters(self.n_components, "full", self.n_features)

    def bic(self) -> float:
        """-2 ln L + p ln n (lower is better)."""
        return -2.0 * self.train_log_likelihood + self.n_parameters() * math.log(self.n_train)

    def aic(self) -> float:
        """-2 ln L + 2 p (lower is better)."""
        return -2.0 * self.train_log_likelihood + 2.0 * self.n_parameters()


def default_reg_covar(X) -> float:
    X = as_data(X)
    return RELATIVE_REG * max(float(X.var(axis=0).mean()), np.finfo(np.float64).tiny)


def fit_gmm(X, n_components: int, *, reg_covar: float | None = None, seed: int | None = 0, n_init: int = 1,
            tol: float = 1e-4, max_iter: int = 300) -> MixtureDensity:
    """Fit a K-component full-covariance mixture to ``X`` (n, d) by EM.

    Raises
    ------
    GmmvizError
        If K is not from 1 to min(n, 50).
    """
    X = as_data(X)
    n = X.shape[0]
    if isinstance(n_components, bool) or not isinstance(n_components, (int, np.integer)) \
            or not 1 <= n_components <= min(n, MAX_COMPONENTS):
        raise GmmvizError(f"K must be an integer from 1 to {min(n, MAX_COMPONENTS)} "
                          f"(at most one component a point), got {n_components!r}")
    reg = default_reg_covar(X) if reg_covar is None else float(reg_covar)
    fit = fit_mixture_nd(X, int(n_components), "full", reg_covar=reg, tol=tol, max_iter=max_iter,
                         init="kmeans++", n_init=n_init, random_state=seed, what="the mixture")
    return MixtureDensity(fit.density, fit.log_likelihood, n, reg, fit.n_iter, fit.converged, fit.message)


def mixture_from_parameters(weights, means, covariances, *, train_log_likelihood: float = math.nan,
                            n_train: int = 0, reg_covar: float = 0.0, message: str | None = None) -> MixtureDensity:
    """A :class:`MixtureDensity` from given full-covariance parameters (the infinite mixture's point estimate)."""
    mixture = ClassDensity.build(weights, means, covariances, "full", what="the mixture")
    return MixtureDensity(mixture, float(train_log_likelihood), int(n_train), float(reg_covar), message=message)
