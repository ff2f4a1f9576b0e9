"""Entropy, KL divergence and Gibbs' inequality, and the decomposition under EM's lower bound.

For any responsibilities r (rows r_t on the k components) and any theta,

    ln p(X | theta) = Q(theta; r) + H(r) + sum_t KL(r_t || P(z_t | x_t, theta)),
    Q = sum_tk r_tk ln pi_k N(x_t | theta_k),   H = -sum_tk r_tk ln r_tk >= 0,

and Gibbs' inequality (KL >= 0, zero exactly when r is the posterior) makes Q + H a lower bound that
touches at the E-step.  H is written with its minus sign: without it (as on the slide) it would be <= 0.
All in nats; 0 ln 0 = 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import xlogy

from gmmviz.core.errors import GmmvizError
from gmmviz.core.gaussian import predict_proba, score_samples, weighted_log_prob
from gmmviz.core.validation import check_mixture, check_points

PROB_TOL = 1e-9


def check_distribution(p, name: str = "p") -> np.ndarray:
    """A probability vector (or rows of them): finite, >= 0, summing to 1 (within 1e-9) along the last axis."""
    a = np.asarray(p, dtype=np.float64)
    if a.ndim == 0 or a.shape[-1] == 0:
        raise GmmvizError(f"{name} must be a non-empty probability vector, got shape {a.shape}")
    if not np.isfinite(a).all() or (a < 0).any():
        raise GmmvizError(f"{name} must be finite and >= 0 (probabilities)")
    if np.abs(a.sum(axis=-1) - 1.0).max() > PROB_TOL:
        raise GmmvizError(f"{name} must sum to 1; it sums to {float(np.max(a.sum(axis=-1))):.12g}")
    return a


def entropy(p) -> float:
    """H(P) = -sum p ln p >= 0 (nats); summed over rows for a 2-D array."""
    p = check_distribution(p)
    return float(-xlogy(p, p).sum())


def cross_entropy(p, q) -> float:
    """-sum p ln q (nats): +inf when q = 0 where p > 0."""
    p, q = check_distribution(p), check_distribution(q, "q")
    with np.errstate(divide="ignore"):
        return float(-xlogy(p, q).sum())


def kl_divergence(p, q) -> float:
    """D_KL(P || Q) = sum p ln(p / q) >= 0 (Gibbs' inequality), 0 exactly at P = Q, +inf if Q misses P's support.

    Summed over rows for 2-D arrays (a KL between products of independent rows).
    """
    p, q = check_distribution(p), check_distribution(q, "q")
    if p.shape != q.shape:
        raise GmmvizError(f"P and Q must have the same shape, got {p.shape} and {q.shape}")
    if ((q == 0) & (p > 0)).any():
        return float("inf")
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(np.where(p > 0, p, 1.0)) - np.log(np.where(q > 0, q, 1.0))), 0.0)
    return float(terms.sum())


@dataclass(frozen=True)
class BoundDecomposition:
    """ln p(X | theta) = q + entropy + kl for responsibilities r (nats, data units)."""

    log_likelihood: float
    q: float
    entropy: float
    kl: float

    @property
    def lower_bound(self) -> float:
        return self.q + self.entropy


def decompose_bound(X, params, resp) -> BoundDecomposition:
    """Q, H and KL(r || posterior) of responsibilities ``resp`` (n_points, k) at ``params``, computed directly
    (scipy and :mod:`gmmviz.core.gaussian`, not the EM lab's fused pass: an independent check of its gap)."""
    X, params = check_points(X), check_mixture(params)
    r = check_distribution(resp, "resp")
    if r.shape != (X.shape[0], params.n_components):
        raise GmmvizError(f"resp must have shape {(X.shape[0], params.n_components)}, got {r.shape}")
    wlp = weighted_log_prob(X, params)
    q = float(np.sum(np.where(r > 0, r * wlp, 0.0)))
    return BoundDecomposition(float(score_samples(X, params).sum()), q, entropy(r), kl_divergence(r, predict_proba(X, params)))


def with_probability(p, j: int, value: float, *, most: float = 0.99) -> np.ndarray:
    """P with outcome ``j``'s probability set to ``value`` (clipped to [0, most]) and the others scaled to fit
    (shared equally when they were all 0): what dragging one bar does."""
    p = check_distribution(p)
    value = float(min(max(value, 0.0), most))
    rest = np.delete(p, j)
    rest = rest / rest.sum() if rest.sum() > 0 else np.full(rest.shape, 1.0 / max(rest.size, 1))
    return np.insert(rest * (1.0 - value), j, value)
