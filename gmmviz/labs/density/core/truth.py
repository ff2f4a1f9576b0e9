"""1-D test distributions with known densities: the exercise's "arbitrary distribution in R".

Each is a finite mixture of scipy distributions (one component for most), so
sampling is ancestral (a component, then a point) and the true density is the
weighted sum of the components' densities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats
from scipy.special import logsumexp

from gmmviz.core.errors import GmmvizError

#: Most points a generator draws.
MAX_GENERATED = 1_000_000


@dataclass(frozen=True, eq=False)
class Distribution:
    """A 1-D distribution with a known density.

    Attributes
    ----------
    key : str
    title : str
    weights : tuple of float
    components : tuple of scipy frozen distributions
    """

    key: str
    title: str
    weights: tuple
    components: tuple

    def sample(self, n: int, seed: int | None = 0) -> np.ndarray:
        """``n`` points, shape (n,), seeded."""
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_GENERATED:
            raise GmmvizError(f"n must be an integer from 1 to {MAX_GENERATED:,}, got {n!r}")
        rng = np.random.default_rng(seed)
        z = rng.choice(len(self.weights), size=int(n), p=np.asarray(self.weights))
        out = np.empty(int(n))
        for k, comp in enumerate(self.components):
            members = np.flatnonzero(z == k)
            if members.size:
                out[members] = comp.rvs(size=members.size, random_state=rng)
        return out

    def log_pdf(self, x) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        with np.errstate(divide="ignore"):
            terms = [np.log(w) + c.logpdf(x) for w, c in zip(self.weights, self.components)]
        return logsumexp(np.stack(terms), axis=0)

    def pdf(self, x) -> np.ndarray:
        return np.exp(self.log_pdf(x))

    def plot_range(self, mass: float = 1e-3) -> tuple[float, float]:
        """Where all but ``mass`` of every component lies (for axes and integration grids)."""
        lo = min(float(c.ppf(mass / 2)) for c in self.components)
        hi = max(float(c.ppf(1 - mass / 2)) for c in self.components)
        return lo, hi


def _mix(key, title, parts):
    return Distribution(key, title, tuple(w for w, _ in parts), tuple(c for _, c in parts))


DISTRIBUTIONS = {
    d.key: d
    for d in (
        _mix("bimodal", "Bimodal: ½ N(−1.5, 0.6²) + ½ N(1.5, 0.6²)",
             [(0.5, stats.norm(-1.5, 0.6)), (0.5, stats.norm(1.5, 0.6))]),
        _mix("mixture", "Mixture of three Gaussians (0.3, 0.5, 0.2)",
             [(0.3, stats.norm(-2.0, 0.5)), (0.5, stats.norm(0.5, 0.8)), (0.2, stats.norm(3.0, 0.4))]),
        _mix("lognormal", "Log-normal (σ = 0.6), skewed", [(1.0, stats.lognorm(s=0.6))]),
        _mix("gamma", "Gamma (shape 2), skewed", [(1.0, stats.gamma(a=2.0))]),
        _mix("uniform", "Uniform on [0, 1], sharp edges", [(1.0, stats.uniform(0.0, 1.0))]),
        _mix("student-t", "Student t (3 degrees of freedom), heavy tails", [(1.0, stats.t(df=3))]),
        _mix("spike", "Spike: 0.7 N(0, 1) + 0.3 N(1, 0.02²), nearly discrete",
             [(0.7, stats.norm(0.0, 1.0)), (0.3, stats.norm(1.0, 0.02))]),
    )
}


def distribution(key: str) -> Distribution:
    """The built-in distribution ``key`` (see :data:`DISTRIBUTIONS`)."""
    try:
        return DISTRIBUTIONS[key]
    except KeyError:
        raise GmmvizError(f"unknown distribution {key!r}; expected one of {', '.join(DISTRIBUTIONS)}") from None
