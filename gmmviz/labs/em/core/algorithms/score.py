"""The slide's Monte-Carlo gradient: the score-function estimator, with m sampled assignment vectors z.

With L(theta) = p(X | theta) = sum_z p(X | z, theta) p(z | theta) over all k^T assignment vectors,

    grad L = E_{z ~ p(z | theta)} [ p(X | z, theta) grad ln p(X, z | theta) ],

so m draws z^(i) from the prior estimate grad L by (1/m) sum_i p(X | z^(i)) g(z^(i)),
g(z) = grad ln p(X, z | theta) (the complete-data gradient of one assignment).  p(X | z) is a product of T
densities, far below float64's range for any real T, so the estimates are reported divided by L (a constant,
which keeps them unbiased): they estimate grad L / L = grad ln L, comparable with the exact gradient.
The weights w_i = p(X | z^(i)) / L have mean 1, but for T beyond a few points nearly all of the k^T vectors
have negligible p(X | z): one draw carries the whole estimate and the rest nothing (``ess`` near 1,
``negligible`` near 1).  That is the point the view makes.

Drawn from the posterior, z^(i) ~ P(z | X, theta) (each z_t ~ r_t independently), Fisher's identity
grad ln L = E_{z ~ P(z | X)} [grad ln p(X, z | theta)] gives an estimator with weights 1 and far lower
variance.  g is linear in the one-hot responsibilities, so an m-sample estimate is the gradient
(:meth:`~gmmviz.labs.em.core.algorithms.gradient.Layout.gradient`) of the weighted average of their one-hot
rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp

from gmmviz.core.errors import GmmvizError
from gmmviz.core.gaussian import component_log_prob
from gmmviz.labs.em.core.algorithms.gradient import Layout

# A draw whose weight p(X | z) / L is below this contributes nothing visible to the average.
NEGLIGIBLE_WEIGHT = 1e-3
# Draws x points x components handled in one vectorised batch.
BATCH_ELEMENTS = 2_000_000


@dataclass(frozen=True, eq=False)
class ScoreEstimate:
    """Repeated score-function estimates of grad ln L at one theta, next to the exact gradient.

    Attributes
    ----------
    estimates : ndarray of shape (repeats, n_params)
        One m-sample estimate per repeat.
    exact : ndarray of shape (n_params,)
    ess : ndarray of shape (repeats,)
        Effective sample size (sum w)^2 / sum w^2 of each estimate's weights (m for the posterior sampler).
    negligible : float
        Fraction of all draws whose weight was below :data:`NEGLIGIBLE_WEIGHT`.
    samples : int
    sampler : {"posterior", "prior"}
    """

    estimates: np.ndarray
    exact: np.ndarray
    ess: np.ndarray
    negligible: float
    samples: int
    sampler: str

    @property
    def mean(self) -> np.ndarray:
        return self.estimates.mean(axis=0)

    @property
    def spread(self) -> np.ndarray:
        """Standard deviation of one estimate, per parameter (over the repeats)."""
        return self.estimates.std(axis=0, ddof=1) if self.estimates.shape[0] > 1 else np.full(self.exact.shape, np.nan)

    @property
    def standard_error(self) -> np.ndarray:
        """Standard error of :attr:`mean`."""
        return self.spread / np.sqrt(self.estimates.shape[0])


def joint_log_prob(Xs: np.ndarray, layout: Layout, theta: np.ndarray) -> np.ndarray:
    """ln pi_k + ln N(x_t | mu_k, Sigma_k), shape (n_points, k)."""
    weights, means, full = layout.unpack(theta)
    with np.errstate(divide="ignore"):
        return component_log_prob(Xs, means, full) + np.log(weights)


def moments_of(Xs: np.ndarray, R: np.ndarray, means: np.ndarray):
    """(n, s, M) of responsibilities R (..., n_points, k): M the scatter about ``means``."""
    n = R.sum(axis=-2)
    s = np.einsum("...tk,ti->...ki", R, Xs)
    d = Xs[:, None, :] - means[None, :, :]
    M = np.einsum("...tk,tki,tkj->...kij", R, d, d)
    return n, s, M


def score_estimates(Xs: np.ndarray, layout: Layout, theta: np.ndarray, *, samples: int, sampler: str = "posterior",
                    repeats: int = 1, rng=None) -> ScoreEstimate:
    """``repeats`` independent m-sample estimates of grad ln L at ``theta``.

    Parameters
    ----------
    Xs : ndarray of shape (n_points, 2)
        Points in the frame of ``theta``.
    layout : Layout
    theta : ndarray of shape (layout.size,)
    samples : int
        m, the assignment vectors per estimate.
    sampler : {"posterior", "prior"}
    repeats : int
    rng : numpy Generator or seed

    Returns
    -------
    ScoreEstimate
    """
    if sampler not in ("posterior", "prior"):
        raise GmmvizError(f"sampler must be 'posterior' or 'prior', got {sampler!r}")
    if samples < 1 or repeats < 1:
        raise GmmvizError(f"samples and repeats must be >= 1, got {samples} and {repeats}")
    rng = np.random.default_rng(rng)
    weights, means, _ = layout.unpack(theta)
    logp = joint_log_prob(Xs, layout, theta)
    lse = logsumexp(logp, axis=1)
    log_L = float(lse.sum())
    resp = np.exp(logp - lse[:, None])
    exact = layout.gradient(theta, *moments_of(Xs, resp, means))
    T, k = resp.shape
    probs = resp if sampler == "posterior" else np.broadcast_to(weights, (T, k))
    cdf = np.cumsum(probs, axis=1)
    cdf[:, -1] = 1.0
    log_dens = logp - np.log(np.maximum(weights, 1e-300))  # ln N(x_t | k)
    estimates, ess, small = np.empty((repeats, layout.size)), np.empty(repeats), 0
    batch = max(1, BATCH_ELEMENTS // (T * k * samples))
    for start in range(0, repeats, batch):
        nb = min(batch, repeats - start)
        labels = (rng.random((nb, samples, T, 1)) > cdf).sum(axis=-1)  # (nb, m, T)
        if sampler == "prior":
            log_w = np.take_along_axis(log_dens[None, None], labels[..., None], axis=-1)[..., 0].sum(axis=-1) - log_L
            with np.errstate(over="ignore"):  # p(X | z) / L beyond float64: an infinite, useless estimate
                w = np.exp(log_w)
        else:
            w = np.ones((nb, samples))
        # R[b, t, k] = (1/m) sum_i w[b, i] [z_bit = k], accumulated without an (nb, m, T, k) array
        index = (np.arange(nb)[:, None, None] * T + np.arange(T)) * k + labels
        R = np.bincount(index.ravel(), weights=np.repeat(w.ravel(), T), minlength=nb * T * k)
        R = R.reshape(nb, T, k) / samples
        n, s_, M = moments_of(Xs, R, means)
        for j in range(nb):
            estimates[start + j] = layout.gradient(theta, n[j], s_[j], M[j])
        sq = np.einsum("bm,bm->b", w, w)
        ess[start : start + nb] = np.where(sq > 0, w.sum(axis=1) ** 2 / np.where(sq > 0, sq, 1.0), 0.0)
        small += int(np.count_nonzero(w < NEGLIGIBLE_WEIGHT))
    return ScoreEstimate(estimates, exact, ess, small / (repeats * samples), samples, sampler)


def assignment_count(k: int, T: int) -> int:
    """k^T: the assignment vectors z a sum over all of them would visit."""
    return int(k) ** int(T)
