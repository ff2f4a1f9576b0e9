"""The variational posterior of a Bayesian Gaussian mixture and its evidence lower bound, term by term.

q(z) q(pi) prod_k q(mu_k, Lambda_k) with q(mu_k, Lambda_k) = N(mu_k | m_k, (beta_k Lambda_k)^-1) W(Lambda_k | W_k, nu_k)
(Bishop, PRML 10.2; scikit-learn's ``BayesianGaussianMixture`` parametrisation: ``C_k = W_k^-1`` and its
``covariances_ = C_k / nu_k``).  The ELBO (PRML 10.70-10.77) with every term, constants included, so it is
comparable across priors and settings; with ``tied`` one Wishart is shared, with ``diag`` and ``spherical``
the scale matrices are diagonal / isotropic (scikit-learn's updates).  D = 2 throughout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import betaln, digamma, gammaln

from gmmviz.core.covariance import det2, inv2

D = 2
LOG_PI = math.log(math.pi)
LOG_2PI = math.log(2.0 * math.pi)


@dataclass(frozen=True, eq=False)
class Prior:
    """The prior in the standardised frame: weights, then Normal-Wishart (m0, beta0, nu0, C0 = W0^-1)."""

    weight_prior: str
    concentration: float
    mean_prior: np.ndarray
    mean_precision: float
    dof: float
    covariance: np.ndarray  # (2, 2) full matrix (diagonal / isotropic for those types)


@dataclass(frozen=True, eq=False)
class Posterior:
    """q(pi, mu, Lambda) (standardised frame).

    Attributes
    ----------
    concentration : ndarray (k,) for the Dirichlet, or (2, k): the Beta(a_k, b_k) of each stick
    beta : ndarray (k,)
    means : ndarray (k, 2)
    dof : ndarray (k,) (all equal for ``tied``)
    scale_inv : ndarray (k, 2, 2)
        C_k = W_k^-1 (all equal for ``tied``).
    """

    concentration: np.ndarray
    beta: np.ndarray
    means: np.ndarray
    dof: np.ndarray
    scale_inv: np.ndarray

    @property
    def covariances(self) -> np.ndarray:
        """C_k / nu_k: scikit-learn's ``covariances_`` (the precision's mean is their inverse)."""
        return self.scale_inv / self.dof[:, None, None]

    def expected_log_weights(self, weight_prior: str) -> np.ndarray:
        """E[ln pi_k] (stick-breaking: E ln v_k + sum_{j<k} E ln (1 - v_j))."""
        if weight_prior == "dirichlet-process":
            a, b = self.concentration
            ds = digamma(a + b)
            return digamma(a) - ds + np.concatenate([[0.0], np.cumsum(digamma(b) - ds)[:-1]])
        return digamma(self.concentration) - digamma(self.concentration.sum())

    def weights(self, weight_prior: str) -> np.ndarray:
        """Expected weights, normalised (scikit-learn's ``weights_``)."""
        if weight_prior == "dirichlet-process":
            a, b = self.concentration
            w = a / (a + b) * np.concatenate([[1.0], np.cumprod(b / (a + b))[:-1]])
        else:
            w = self.concentration.copy()
        return w / w.sum()

    def expected_log_det(self) -> np.ndarray:
        """E[ln |Lambda_k|] = sum_i psi((nu + 1 - i) / 2) + D ln 2 - ln |C_k|."""
        nu = self.dof
        return (digamma(0.5 * nu) + digamma(0.5 * (nu - 1.0)) + D * math.log(2.0)
                - np.log(det2(self.scale_inv)))



def log_wishart_norm(scale_inv: np.ndarray, dof: np.ndarray) -> np.ndarray:
    """ln B(W, nu) = -nu/2 ln|W| - nu D/2 ln 2 - D(D-1)/4 ln pi - sum_i ln Gamma((nu + 1 - i)/2), per k."""
    return (0.5 * dof * np.log(det2(scale_inv)) - dof * math.log(2.0) - 0.5 * LOG_PI
            - gammaln(0.5 * dof) - gammaln(0.5 * (dof - 1.0)))


def elbo_terms(prior: Prior, q: Posterior, nk: np.ndarray, xk: np.ndarray, sk: np.ndarray, entropy: float,
               tied: bool) -> dict[str, float]:
    """Every term of the ELBO (standardised frame) for responsibilities with statistics (nk, xk, sk).

    Parameters
    ----------
    nk : ndarray (k,)
        sum_t r_tk (with scikit-learn's 10 eps).
    xk : ndarray (k, 2)
        Weighted means.
    sk : ndarray (k, 2, 2)
        Weighted covariances of the type (with reg_covar), as the M-step uses them.
    entropy : float
        -sum r ln r.
    tied : bool
        One Wishart shared by every component.
    """
    k = nk.shape[0]
    W = inv2(q.scale_inv)
    log_det = q.expected_log_det()
    e_log_pi = q.expected_log_weights(prior.weight_prior)
    nu, beta = q.dof, q.beta
    dx = xk - q.means
    dm = q.means - prior.mean_prior
    tr_SW = np.einsum("kij,kji->k", sk, W)
    quad_x = np.einsum("ki,kij,kj->k", dx, W, dx)
    quad_m = np.einsum("ki,kij,kj->k", dm, W, dm)
    data = 0.5 * float(np.sum(nk * (log_det - D / beta - nu * tr_SW - nu * quad_x - D * LOG_2PI)))
    b0, nu0, C0 = prior.mean_precision, prior.dof, prior.covariance
    # Wishart parts: one per distinct Lambda (k of them, or 1 when tied).
    wk = slice(0, 1) if tied else slice(None)
    tr_C0W = np.einsum("ij,kji->k", C0, W)[wk]
    log_B0 = float(log_wishart_norm(C0[None], np.array([nu0]))[0])
    p_mean = 0.5 * float(np.sum(D * math.log(b0 / (2 * math.pi)) + log_det - D * b0 / beta - b0 * nu * quad_m))
    p_wishart = float(np.sum(log_B0 + 0.5 * (nu0 - D - 1) * log_det[wk] - 0.5 * nu[wk] * tr_C0W))
    q_mean = float(np.sum(0.5 * log_det + 0.5 * D * np.log(beta / (2 * math.pi)) - 0.5 * D))
    h_wishart = -log_wishart_norm(q.scale_inv[wk], nu[wk]) - 0.5 * (nu[wk] - D - 1) * log_det[wk] + 0.5 * nu[wk] * D
    terms = {
        "E[ln p(X|Z,mu,Lambda)]": data,
        "E[ln p(Z|pi)]": float(np.dot(nk, e_log_pi)),
        "E[ln p(mu|Lambda)]": p_mean,
        "E[ln p(Lambda)]": p_wishart,
        "H[q(z)]": float(entropy),
        "-E[ln q(mu|Lambda)]": -q_mean,
        "H[q(Lambda)]": float(np.sum(h_wishart)),
    }
    terms.update(_weight_terms(prior, q, e_log_pi, k))
    return terms


def _weight_terms(prior: Prior, q: Posterior, e_log_pi: np.ndarray, k: int) -> dict[str, float]:
    g = prior.concentration
    if prior.weight_prior == "dirichlet-process":
        a, b = q.concentration
        ds = digamma(a + b)
        e_log_v, e_log_1v = digamma(a) - ds, digamma(b) - ds
        p = float(np.sum(-betaln(1.0, g) + (g - 1.0) * e_log_1v))
        h = float(np.sum(betaln(a, b) - (a - 1.0) * e_log_v - (b - 1.0) * e_log_1v))
        return {"E[ln p(v)]": p, "H[q(v)]": h}
    alpha = q.concentration
    p = float(gammaln(k * g) - k * gammaln(g) + (g - 1.0) * e_log_pi.sum())
    h = float(-(gammaln(alpha.sum()) - gammaln(alpha).sum()) - np.dot(alpha - 1.0, e_log_pi))
    return {"E[ln p(pi)]": p, "H[q(pi)]": h}
