"""The infinite (Dirichlet-process) Gaussian mixture, through scikit-learn's ``BayesianGaussianMixture``.

The command line's fit (and the oracle of :mod:`.core.dp_mixture`, the numpy fit the lab runs on
all points).

scikit-learn is imported inside :func:`fit_dpgmm` only (start-up never loads
it; ``core/`` never imports it).  The variational posterior is truncated at
``max_components``; the concentration alpha (``weight_concentration_prior``)
sets how readily it opens a new component.  The density used for scores is
the posterior's point estimate: the mixture with ``weights_``, ``means_`` and
``covariances_`` (a proper density that integrates to 1).  scikit-learn's own
``score_samples`` for this model adds variational expectation terms and is
not a normalised density, so it is not used.  A component "is used" when its
weight is at least :data:`USED_WEIGHT`.
"""

from __future__ import annotations

import warnings

import numpy as np

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.density.core.dp_mixture import USED_WEIGHT, DirichletMixture
from gmmviz.labs.density.core.mixture import (
    MixtureDensity,
    default_reg_covar,
    mixture_from_parameters,
)
from gmmviz.labs.density.core.scores import as_data


def fit_dpgmm(X, concentration: float = 1.0, *, max_components: int = 20, seed: int | None = 0,
              reg_covar: float | None = None, max_iter: int = 500) -> DirichletMixture:
    """Fit a Dirichlet-process mixture (truncated at ``max_components``) to ``X`` (n, d)."""
    X = as_data(X, minimum=2)
    if not (np.isfinite(concentration) and concentration > 0):
        raise GmmvizError(f"the concentration must be a finite number > 0, got {concentration!r}")
    k = max(1, min(int(max_components), X.shape[0]))
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.mixture import BayesianGaussianMixture

    reg = default_reg_covar(X) if reg_covar is None else float(reg_covar)
    model = BayesianGaussianMixture(n_components=k, weight_concentration_prior_type="dirichlet_process",
                                    weight_concentration_prior=float(concentration), covariance_type="full",
                                    reg_covar=reg, max_iter=max_iter, random_state=seed, init_params="kmeans")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X)
    weights = model.weights_ / model.weights_.sum()
    density = mixture_from_parameters(weights, model.means_, model.covariances_, n_train=X.shape[0], reg_covar=reg,
                                      message=None if model.converged_ else
                                      f"the variational fit did not converge in {max_iter} iterations")
    ll = float(density.log_density(X).sum())
    density = MixtureDensity(density.mixture, ll, X.shape[0], reg, int(model.n_iter_), bool(model.converged_),
                             density.message)
    return DirichletMixture(density, float(concentration), int(np.count_nonzero(weights >= USED_WEIGHT)),
                            bool(model.converged_), int(X.shape[0]))
