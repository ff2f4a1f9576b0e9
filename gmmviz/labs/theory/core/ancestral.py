"""Ancestral sampling from the mixture's graph, theta -> z_t -> x_t, as the graphical-model view animates it.

The graph's order is the sampler's: for t = 1..T, first z_t ~ Categorical(pi) (the hidden node), then
x_t | z_t ~ N(mu_{z_t}, Sigma_{z_t}) (the observed one).  :func:`ancestral_sample` draws the whole sample at
once (:func:`gmmviz.core.mixture.sample`, seeded); the animation reveals it two steps a point
(:meth:`AncestralSample.revealed`).  Keeping the points is the view's explicit, undoable action
(:func:`keep_command`), never a side effect of sampling.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmmviz.core import palette
from gmmviz.core.commands import AddPoints
from gmmviz.core.errors import GmmvizError
from gmmviz.core.gaussian import predict_proba
from gmmviz.core.mixture import GaussianParams, sample
from gmmviz.labs.em.core.steps import run_em
from gmmviz.labs.em.core.types import FitConfig

#: Most points one Sample press draws (the session field's upper bound too).
MAX_SAMPLES = 2000


@dataclass(frozen=True, eq=False)
class AncestralSample:
    """T draws (z_t, x_t) from one mixture (read-only arrays).

    Attributes
    ----------
    params : GaussianParams
        The mixture sampled from (theta).
    z : ndarray of shape (T,), int
        The component of each draw.
    X : ndarray of shape (T, 2)
        The points.
    seed : int
    """

    params: GaussianParams
    z: np.ndarray
    X: np.ndarray
    seed: int

    @property
    def n_samples(self) -> int:
        return int(self.z.shape[0])

    @property
    def n_steps(self) -> int:
        """Steps of the animation: z_t, then x_t, for every t."""
        return 2 * self.n_samples

    def revealed(self, step: int) -> tuple[int, int]:
        """(draws whose z is shown, draws whose x is shown) after ``step`` steps (0 .. n_steps).

        Step 2t + 1 draws z_t (0-based t), step 2t + 2 its x_t: the hidden node always comes first.
        """
        step = min(max(int(step), 0), self.n_steps)
        return (step + 1) // 2, step // 2

    def counts(self, shown: int | None = None) -> np.ndarray:
        """How many of the first ``shown`` draws (default all) came from each component, shape (k,)."""
        z = self.z if shown is None else self.z[:shown]
        return np.bincount(z, minlength=self.params.n_components)


def ancestral_sample(params: GaussianParams, n_samples: int, seed: int) -> AncestralSample:
    """T = ``n_samples`` draws, z first, then x given z, from ``params`` with ``seed``.

    Raises
    ------
    GmmvizError
        ``n_samples`` outside 1 .. MAX_SAMPLES, or a mixture that cannot be sampled.
    """
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) \
            or not 1 <= n_samples <= MAX_SAMPLES:
        raise GmmvizError(f"n_samples must be an integer from 1 to {MAX_SAMPLES}, got {n_samples!r}")
    X, z = sample(params, int(n_samples), np.random.default_rng(seed))
    X, z = np.array(X, dtype=np.float64), np.asarray(z, dtype=np.int64).copy()
    for arr in (X, z):
        arr.setflags(write=False)
    return AncestralSample(params, z, X, int(seed))


def keep_command(sample: AncestralSample, shown: int, class_index: int = 0) -> AddPoints:
    """The edit that keeps the first ``shown`` draws as points of class ``class_index`` (one undo step)."""
    if not 1 <= shown <= sample.n_samples:
        raise GmmvizError(f"nothing to keep: {shown} of {sample.n_samples} samples are shown")
    return AddPoints(sample.X[:shown], np.full(shown, int(class_index), dtype=np.int64))


# -- the view's runs (on its run controllers) ----------------------------------------------------
@dataclass(frozen=True, eq=False)
class GraphState:
    """θ and the responsibilities of the shared points under it (uint8 rows, read-only)."""

    params: GaussianParams
    resp_u8: np.ndarray
    source: str  # "studio" or "own"
    label: str  # which mixture θ is, in words


def state_job(X: np.ndarray, studio_params: GaussianParams | None, k: int, seed: int, studio_label: str = ""):
    """θ (the studio's, else EM's fit with K components) and P(z_t | x_t, θ) for every shared point."""

    def job(token):
        params, source, label = studio_params, "studio", studio_label
        if params is None:
            fit = run_em(X, FitConfig(n_components=k, max_iter=100, random_state=seed))[-1]
            params, source, label = fit.params, "own", f"EM's own fit, K = {k}, iteration {fit.iteration}"
        if token.cancelled:
            return
        resp = palette.quantize_resp(predict_proba(X, params))
        resp.setflags(write=False)
        yield GraphState(params, resp, source, label)

    return job


def sample_job(params: GaussianParams, n: int, seed: int):
    def job(token):
        yield ancestral_sample(params, n, seed)

    return job
