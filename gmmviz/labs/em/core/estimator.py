"""A scikit-learn-style Gaussian mixture estimator that drains :func:`em_steps`.

It does not subclass scikit-learn (which must not load when the app
starts), but follows its vocabulary: ``fit(X)``, ``predict``,
``predict_proba``, ``score_samples``, ``score``, ``bic``, ``aic``,
``sample`` and fitted attributes ending in ``_``.
"""

from __future__ import annotations

import numpy as np

from gmmviz.core import gaussian
from gmmviz.core.covariance import precisions_cholesky, to_full
from gmmviz.core.errors import GmmvizError
from gmmviz.core.mixture import GaussianParams, aic, bic, sample
from gmmviz.core.validation import check_points
from gmmviz.labs.em.core.steps import run_em
from gmmviz.labs.em.core.types import EMSnapshot, FitConfig


class GaussianMixture:
    """Gaussian mixture fitted by EM (scikit-learn's parameter names).

    Parameters
    ----------
    n_components : int
    covariance_type : {"full", "diag", "spherical", "tied"}
    tol : float
        Stop when the log-likelihood per point changes by less than this.
    reg_covar : float
        Added to covariance diagonals, in the data's units.
    max_iter : int
    n_init : int
        Initialisations tried; the best final log-likelihood wins.
    init : {"kmeans++", "random", "random-resp", "given"}
    init_params : GaussianParams, optional
    init_means : array-like of shape (n_components, 2), optional
    random_state : int or None

    Attributes
    ----------
    weights_, means_, covariances_, precisions_cholesky_ : ndarray
        scikit-learn's shapes.
    converged_ : bool
    n_iter_ : int
    lower_bound_ : float
        Final log-likelihood per point (scikit-learn's meaning).
    history_ : list of EMSnapshot
        Every half-step of the best run.
    collapse_ : Collapse or None
    """

    def __init__(
        self,
        n_components: int = 1,
        *,
        covariance_type: str = "full",
        tol: float = 1e-3,
        reg_covar: float = 1e-6,
        max_iter: int = 100,
        n_init: int = 1,
        init: str = "kmeans++",
        init_params: GaussianParams | None = None,
        init_means=None,
        random_state: int | None = None,
    ):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init = init
        self.init_params = init_params
        self.init_means = init_means
        self.random_state = random_state

    def config(self) -> FitConfig:
        return FitConfig(
            n_components=self.n_components,
            covariance_type=self.covariance_type,
            init=self.init,
            reg_covar=self.reg_covar,
            max_iter=self.max_iter,
            tol=self.tol,
            random_state=self.random_state,
            init_params=self.init_params,
            init_means=self.init_means,
        )

    def fit(self, X, y=None) -> "GaussianMixture":
        """Run EM on ``X`` of shape (n_points, 2); returns self."""
        X = check_points(X)
        history = run_em(X, self.config(), n_init=self.n_init)
        last = history[-1]
        self.history_ = history
        self.params_ = last.params
        self.weights_ = np.array(last.params.weights)
        self.means_ = np.array(last.params.means)
        self.covariances_ = np.array(last.params.covariances)
        self.precisions_cholesky_ = precisions_cholesky(self.covariances_, self.covariance_type)
        self.converged_ = bool(last.converged)
        # A collapse repeats the last finite state: its M-step never happened.
        self.n_iter_ = int(last.iteration) - (1 if last.collapse is not None and last.phase == "E" else 0)
        self.lower_bound_ = float(last.log_likelihood / X.shape[0])
        self.collapse_ = last.collapse
        self.n_points_ = X.shape[0]
        return self

    def _check_fitted(self) -> GaussianParams:
        if not hasattr(self, "params_"):
            raise GmmvizError("this GaussianMixture is not fitted yet: call fit(X) first")
        return self.params_

    def score_samples(self, X) -> np.ndarray:
        """Per-point log-likelihood ln p(x_t), shape (n_points,)."""
        return gaussian.score_samples(check_points(X), self._check_fitted())

    def score(self, X, y=None) -> float:
        """Mean log-likelihood per point (scikit-learn's ``score``)."""
        return float(np.mean(self.score_samples(X)))

    def predict_proba(self, X) -> np.ndarray:
        return gaussian.predict_proba(check_points(X), self._check_fitted())

    def predict(self, X) -> np.ndarray:
        return np.argmax(self.predict_proba(X), axis=1)

    def bic(self, X) -> float:
        X = check_points(X)
        ll = float(np.sum(self.score_samples(X)))
        return bic(ll, X.shape[0], self.n_components, self.covariance_type)

    def aic(self, X) -> float:
        ll = float(np.sum(self.score_samples(X)))
        return aic(ll, self.n_components, self.covariance_type)

    def sample(self, n_samples: int = 1):
        return sample(self._check_fitted(), n_samples, self.random_state)

    @property
    def full_covariances_(self) -> np.ndarray:
        return to_full(self.covariances_, self.covariance_type, self.n_components)


def snapshot_summary(s: EMSnapshot) -> str:
    """One line describing a snapshot, e.g. for a status bar or a log."""
    state = "converged" if s.converged else ("collapsed" if s.collapse else "running")
    return f"iteration {s.iteration} {s.phase}: ln p = {s.log_likelihood:.6g} ({state})"
