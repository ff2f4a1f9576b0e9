"""ln p(X | theta) and its exact gradient in an unconstrained parametrisation, from EM's fused statistics.

Every theta is a point of R^p, so a step in any direction is a valid mixture:

* weights: softmax logits a (pi = softmax(a));
* means: as they are;
* covariances Sigma_k = L_k L_k^T + reg I, with L_k lower triangular and its diagonal stored as logarithms
  (``full``: (ln l11, l21, ln l22) per component; ``diag``: (ln sigma_x, ln sigma_y); ``spherical``: ln sigma;
  ``tied``: one (ln l11, l21, ln l22) shared by all).  ``reg`` (the run's ``reg_covar``) is a floor.

Vector layout: [a (k), means (2k, row by row), covariance parameters (3k, 2k, k or 3)].

The gradient needs, per component, only n_k = sum_t r_tk, s_k = sum_t r_tk x_t and the scatter about mu_k,
M_k = sum_t r_tk (x_t - mu_k)(x_t - mu_k)^T, with r the responsibilities at theta: exactly the statistics the
fused E+M pass accumulates (:func:`~gmmviz.labs.em.core.fused.fused_pass`), so an iteration of gradient ascent
costs one pass, like one of EM.  With P_k = Sigma_k^-1,

    d ln p / d a_k     = n_k - N pi_k,
    d ln p / d mu_k    = P_k (s_k - n_k mu_k),
    d ln p / d Sigma_k = (P_k M_k P_k - n_k P_k) / 2 =: G_k,

and the chain rule through Sigma = L L^T gives d/dL = 2 G L (its lower triangle).  The formulas are linear in
(n, s, M), so the same code gives the complete-data gradient of a sampled assignment z (one-hot r), which the
score-function estimator uses.

Everything here works in the standardised frame of a :class:`~gmmviz.labs.em.core.fused.Workspace`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gmmviz.core.covariance import det2, inv2
from gmmviz.core.gaussian import LOG_2PI
from gmmviz.labs.em.core import fused as kernel
from gmmviz.labs.em.core.whitening import NK_EPS, ONE, X1, XX, XY, Y1, YY, components

COV_WIDTH = {"full": 3, "diag": 2, "spherical": 1}


@dataclass(frozen=True)
class Layout:
    """How a parameter vector is laid out for ``n_components`` and a covariance type."""

    n_components: int
    covariance_type: str
    reg: float = 0.0

    @property
    def size(self) -> int:
        k = self.n_components
        return 3 * k + (3 if self.covariance_type == "tied" else COV_WIDTH[self.covariance_type] * k)

    def split(self, theta: np.ndarray):
        """(logits (k,), means (k, 2), covariance parameters) views of ``theta``."""
        k = self.n_components
        return theta[:k], theta[k : 3 * k].reshape(k, 2), theta[3 * k :]

    # ------------------------------------------------------------------ theta <-> moments

    def pack(self, weights: np.ndarray, means: np.ndarray, full: np.ndarray) -> np.ndarray:
        """theta for weights (k,), means (k, 2) and covariances (k, 2, 2) of the layout's type.

        The part of each covariance above ``reg`` is factorised; a covariance not above ``reg``
        (not positive definite after removing it) keeps a tiny factor instead.
        """
        k, ctype = self.n_components, self.covariance_type
        logits = np.log(np.maximum(weights, 1e-300))
        logits = logits - logits.mean()
        a = full[:, 0, 0] - self.reg
        b = full[:, 0, 1]
        c = full[:, 1, 1] - self.reg
        floor = 1e-12
        if ctype == "tied":
            a, b, c = a[:1], b[:1], c[:1]
        if ctype in ("full", "tied"):
            l11 = np.sqrt(np.maximum(a, floor))
            l21 = b / l11
            l22 = np.sqrt(np.maximum(c - l21 * l21, floor))
            cov = np.column_stack([np.log(l11), l21, np.log(l22)]).ravel()
        elif ctype == "diag":
            cov = 0.5 * np.log(np.maximum(np.column_stack([a, c]), floor)).ravel()
        else:
            cov = 0.5 * np.log(np.maximum(0.5 * (a + c), floor))
        return np.concatenate([logits, means.reshape(-1), cov]).reshape(self.size) if k else np.zeros(0)

    def unpack(self, theta: np.ndarray):
        """(weights (k,), means (k, 2), covariances (k, 2, 2)) of ``theta``, covariances with ``reg``
        (infinite or NaN, without a warning, for a theta beyond float64's range: a diverged step)."""
        with np.errstate(over="ignore", invalid="ignore"):
            return self._unpack(theta)

    def _unpack(self, theta: np.ndarray):
        k, ctype = self.n_components, self.covariance_type
        logits, means, cov = self.split(theta)
        weights = _softmax(logits)
        full = np.zeros((k, 2, 2))
        if ctype in ("full", "tied"):
            u = cov.reshape(-1, 3)
            l11, l21, l22 = np.exp(u[:, 0]), u[:, 1], np.exp(u[:, 2])
            full[:, 0, 0] = l11 * l11
            full[:, 0, 1] = full[:, 1, 0] = l11 * l21
            full[:, 1, 1] = l21 * l21 + l22 * l22
        elif ctype == "diag":
            v = np.exp(2.0 * cov.reshape(k, 2))
            full[:, 0, 0], full[:, 1, 1] = v[:, 0], v[:, 1]
        else:
            v = np.exp(2.0 * cov)
            full[:, 0, 0] = full[:, 1, 1] = v
        full[:, 0, 0] += self.reg
        full[:, 1, 1] += self.reg
        return weights, np.array(means), full

    # ------------------------------------------------------------------ the gradient

    def gradient(self, theta: np.ndarray, n: np.ndarray, s: np.ndarray, M: np.ndarray) -> np.ndarray:
        """d ln p / d theta from n (k,), s (k, 2) and the scatter about the means M (k, 2, 2).

        Linear in (n, s, M): with the responsibilities at theta it is the exact gradient of
        ln p(X | theta); with one-hot rows it is the gradient of ln p(X, z | theta).
        """
        ctype = self.covariance_type
        weights, means, full = self.unpack(theta)
        _, _, cov = self.split(theta)
        P = inv2(full)
        G = 0.5 * (P @ M @ P - n[:, None, None] * P)
        g_logits = n - n.sum() * weights
        g_means = np.einsum("kij,kj->ki", P, s - n[:, None] * means)
        if ctype in ("full", "tied"):
            if ctype == "tied":
                G = G.sum(axis=0, keepdims=True)
            u = cov.reshape(-1, 3)
            l11, l21, l22 = np.exp(u[:, 0]), u[:, 1], np.exp(u[:, 2])
            g11, g12, g22 = G[:, 0, 0], G[:, 0, 1], G[:, 1, 1]
            g_cov = np.column_stack([2.0 * l11 * (g11 * l11 + g12 * l21), 2.0 * (g12 * l11 + g22 * l21),
                                     2.0 * g22 * l22 * l22]).ravel()
        elif ctype == "diag":
            v = np.exp(2.0 * cov.reshape(-1, 2))
            g_cov = (2.0 * v * np.column_stack([G[:, 0, 0], G[:, 1, 1]])).ravel()
        else:
            g_cov = 2.0 * np.exp(2.0 * cov) * (G[:, 0, 0] + G[:, 1, 1])
        return np.concatenate([g_logits, g_means.ravel(), g_cov])



def moments_about(stats: np.ndarray, means: np.ndarray):
    """(n (k,), s (k, 2), M (k, 2, 2)) from fused-pass statistics, M the scatter about ``means``.

    ``stats`` holds the scatter about m = s / (n + NK_EPS); moving it to mu adds
    n d d^T + 2 sym((s - n m) d^T), d = m - mu (the second term is NK_EPS-small).
    """
    n = stats[:, ONE]
    s = stats[:, X1 : Y1 + 1]
    m = s / (n + NK_EPS)[:, None]
    d = m - means
    resid = s - n[:, None] * m
    C = np.empty((stats.shape[0], 2, 2))
    C[:, 0, 0], C[:, 1, 1] = stats[:, XX], stats[:, YY]
    C[:, 0, 1] = C[:, 1, 0] = stats[:, XY]
    cross = resid[:, :, None] * d[:, None, :]
    return n, s, C + n[:, None, None] * d[:, :, None] * d[:, None, :] + cross + cross.transpose(0, 2, 1)


def expected_complete_ll(stats: np.ndarray, weights: np.ndarray, means: np.ndarray, full: np.ndarray) -> float:
    """Q(theta | theta_old) = sum_tk r_tk ln pi_k N(x_t | mu_k, Sigma_k), r from theta_old's ``stats``.

    Parameters
    ----------
    stats : ndarray of shape (k, 6)
        The fused pass's statistics at theta_old (standardised frame).
    weights, means, full : the mixture theta (same frame), shapes (k,), (k, 2), (k, 2, 2).
    """
    n, _, M = moments_about(stats, means)
    P = inv2(full)
    logdet = np.log(det2(full))
    with np.errstate(divide="ignore"):
        logw = np.log(weights)
    terms = n * (np.where(n > 0, logw, 0.0) - LOG_2PI - 0.5 * logdet) - 0.5 * np.einsum("kij,kji->k", P, M)
    return float(terms.sum())


@dataclass(frozen=True, eq=False)
class Evaluation:
    """ln p and the fused pass at one theta (standardised frame); ``result`` None if theta is not finite."""

    theta: np.ndarray
    log_likelihood: float
    result: kernel.PassResult | None

    @property
    def ok(self) -> bool:
        return self.result is not None and math.isfinite(self.log_likelihood)


def evaluate(ws, layout: Layout, theta: np.ndarray, *, want_resp: bool = False, scratch=None) -> Evaluation:
    """One fused pass at ``theta``: ln p (standardised frame), statistics, entropy (and resp)."""
    if not np.isfinite(theta).all():
        return Evaluation(theta, -math.inf, None)
    weights, means, full = layout.unpack(theta)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        comp = components(weights, means, full)
    if not comp.valid:
        return Evaluation(theta, -math.inf, None)
    result = kernel.fused_pass(ws, comp, want_resp=want_resp, scratch=scratch)
    return Evaluation(theta, float(result.log_likelihood), result)


def exact_gradient(layout: Layout, ev: Evaluation) -> np.ndarray:
    """d ln p / d theta at an evaluated theta (from its pass's statistics)."""
    _, means, _ = layout.unpack(ev.theta)
    return layout.gradient(ev.theta, *moments_about(ev.result.stats, means))


def _softmax(logits: np.ndarray) -> np.ndarray:
    """exp(logits - logsumexp(logits)) for a short vector, without scipy's per-call overhead (half of a
    minorise-maximise slice's time at 1,000 points went to it); NaN, not a warning, for infinite logits."""
    if logits.size == 0:
        return np.zeros(0)
    w = np.exp(logits - logits.max())
    return w / w.sum()
