"""Gaussian kernel density estimates, their bandwidth rules, and a fast 1-D evaluation by binning + FFT.

    p(x) = 1/n sum_i N(x | x_i, H)

with the kernel covariance H.  In 1-D, H = h^2 with the bandwidth h in the
data's units.  In 2-D the bandwidth is a factor f of the data's covariance,
H = f^2 S (S the sample covariance, ddof = 1), as in ``scipy.stats.gaussian_kde``.

The rules are scaled to the data (scikit-learn's ``bandwidth="scott"`` is
n^(-1/(d+4)) alone, in whatever units the data come in: not copied here):

* Scott (Scott 1992):   1-D h = sigma n^(-1/5);   d-D f = n^(-1/(d+4)).
* Silverman (1986, eq. 3.31), the textbook rule of thumb in 1-D:
  h = 0.9 min(sigma, IQR / 1.349) n^(-1/5) (sigma alone if the IQR is 0);
  in d-D f = (n (d + 2) / 4)^(-1/(d+4)) (scipy's ``"silverman"``).

sigma is the sample standard deviation (ddof = 1).  Exact evaluation is a
chunked logsumexp over the training points; :func:`binned_kde_1d` evaluates a
1-D estimate on many points in O(n + M log M) by linear binning onto a fine
grid of M nodes and one FFT convolution with the sampled kernel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.fft import irfft, next_fast_len, rfft
from scipy.special import logsumexp

from gmmviz.core.data import frozen_array
from gmmviz.core.errors import GmmvizError
from gmmviz.labs.density.core.scores import as_data

LOG_2PI = math.log(2.0 * math.pi)
BANDWIDTH_RULES = ("scott", "silverman")
#: The kernel is cut at this many bandwidths in the binned evaluation (e^(-32) of its peak).
TRUNCATE = 8.0
#: Fine-grid nodes per bandwidth in the binned evaluation, and the most nodes.
NODES_PER_BANDWIDTH, MAX_NODES = 40, 1 << 20
_CHUNK = 1 << 21  # kernel terms per block of exact evaluation


def _sample_cov(X: np.ndarray) -> np.ndarray:
    if X.shape[0] < 2:
        raise GmmvizError("a kernel bandwidth rule needs at least 2 points")
    S = np.atleast_2d(np.cov(X, rowvar=False, ddof=1))
    if not (np.linalg.eigvalsh(S)[0] > 0):
        raise GmmvizError("the points have no spread (all equal, or on a line): give the bandwidth by hand")
    return S


def rule_bandwidth(X, rule: str) -> float:
    """The bandwidth of ``rule`` for ``X`` (n, d): h in data units in 1-D, the factor f in 2-D."""
    X = as_data(X)
    if rule not in BANDWIDTH_RULES:
        raise GmmvizError(f"unknown bandwidth rule {rule!r}; expected one of {', '.join(BANDWIDTH_RULES)}")
    n, d = X.shape
    sigma = math.sqrt(float(_sample_cov(X)[0, 0])) if d == 1 else 1.0
    if rule == "scott":
        return sigma * n ** (-1.0 / (d + 4))
    if d == 1:
        q75, q25 = np.percentile(X[:, 0], [75, 25])
        spread = min(sigma, (q75 - q25) / 1.349) if q75 > q25 else sigma
        return 0.9 * spread * n ** (-0.2)
    return (n * (d + 2) / 4.0) ** (-1.0 / (d + 4))


def kernel_covariance(X, bandwidth: float) -> np.ndarray:
    """H (d, d) for a bandwidth: h^2 in 1-D, f^2 S in 2-D."""
    X = as_data(X)
    if not (np.isfinite(bandwidth) and bandwidth > 0):
        raise GmmvizError(f"the bandwidth must be a finite number > 0, got {bandwidth!r}")
    if X.shape[1] == 1:
        return np.array([[float(bandwidth) ** 2]])
    return float(bandwidth) ** 2 * _sample_cov(X)


@dataclass(frozen=True, eq=False)
class KernelDensity:
    """A fitted Gaussian kernel density estimate.

    Attributes
    ----------
    train : ndarray of shape (n, d), read-only
    bandwidth : float
        h (1-D, data units) or f (2-D, a factor of the data's covariance).
    covariance : ndarray of shape (d, d)
        The kernel covariance H.
    """

    train: np.ndarray
    bandwidth: float
    covariance: np.ndarray

    @property
    def n_features(self) -> int:
        return int(self.train.shape[1])

    def log_density(self, X) -> np.ndarray:
        """Exact ln p(x) for ``X`` (m, d) or (m,), a logsumexp over the training points."""
        X = as_data(X, minimum=0)
        n, d = self.train.shape
        L = np.linalg.cholesky(self.covariance)
        Linv = np.linalg.inv(L)
        T = self.train @ Linv.T
        Y = X @ Linv.T
        const = -math.log(n) - 0.5 * d * LOG_2PI - float(np.log(np.diag(L)).sum())
        out = np.empty(X.shape[0])
        step = max(1, _CHUNK // max(1, n))
        for a in range(0, X.shape[0], step):
            diff = Y[a:a + step, None, :] - T[None, :, :]
            out[a:a + step] = logsumexp(-0.5 * np.einsum("mnd,mnd->mn", diff, diff), axis=1)
        return out + const

    def density(self, X) -> np.ndarray:
        return np.exp(self.log_density(X))


def fit_kde(X, bandwidth) -> KernelDensity:
    """A Gaussian KDE of ``X`` (n, d); ``bandwidth`` a number or ``"scott"`` / ``"silverman"``."""
    X = as_data(X)
    if isinstance(bandwidth, str):
        bandwidth = rule_bandwidth(X, bandwidth)
    H = kernel_covariance(X, float(bandwidth))
    return KernelDensity(frozen_array(X), float(bandwidth), frozen_array(H))


# --------------------------------------------------------------------------
# Binned 1-D evaluation
# --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class FineGrid:
    """M equally spaced nodes a + j delta carrying linearly binned weights (1-D)."""

    start: float
    step: float
    size: int

    @classmethod
    def covering(cls, lo: float, hi: float, min_bandwidth: float, max_bandwidth: float,
                 per_bandwidth: int = NODES_PER_BANDWIDTH) -> FineGrid:
        """Nodes over [lo - 8 h_max, hi + 8 h_max], ``per_bandwidth`` per smallest bandwidth (capped at 2^20)."""
        pad = TRUNCATE * max_bandwidth
        a, b = lo - pad, hi + pad
        size = int(min(MAX_NODES, max(1024, math.ceil((b - a) / min_bandwidth * per_bandwidth))))
        size = next_fast_len(size, real=True)
        return cls(a, (b - a) / (size - 1), size)

    def nodes(self) -> np.ndarray:
        return self.start + self.step * np.arange(self.size)

    def place(self, x) -> GridPoints:
        """The points ``x`` on this grid, to bin them or read node values at them."""
        pos = (np.asarray(x, dtype=np.float64).reshape(-1) - self.start) / self.step
        j = np.clip(np.floor(pos).astype(np.intp), 0, self.size - 2)
        outside = (pos < 0) | (pos > self.size - 1)
        return GridPoints(self, j, pos - j, outside if outside.any() else None)

    def bin(self, x: np.ndarray) -> np.ndarray:
        """Linear binning: each point splits its unit weight between its two nearest nodes."""
        return self.place(x).weights()

    def kernel_spectrum(self, h: float, length: int) -> np.ndarray:
        """rfft of the Gaussian N(0, h^2) sampled at the nodes' spacing, periodic with ``length`` nodes.

        Analytic: sum_j K(j delta) e^(-2 pi i j m / L) = exp(-2 pi^2 (h m / (L delta))^2) / delta, up to
        aliasing of order exp(-2 pi^2 (h / delta)^2) (nothing at 10 or more nodes per bandwidth).
        """
        m = np.arange(length // 2 + 1)
        return np.exp(-2.0 * (math.pi * h * m / (length * self.step)) ** 2) / self.step

    def fft_length(self) -> int:
        """The FFT's length: the grid's own (a fast length), no zero padding.

        The weights lie within [lo, hi] and the margin is 8 h_max on each side, so every periodic
        image of a weight is at least 16 h_max from every node in [lo, hi] (where densities are read)
        and at least 8 h_max (the kernel's cut, :data:`TRUNCATE`) from any node.
        """
        return self.size


@dataclass(frozen=True, eq=False)
class GridPoints:
    """Points placed once on a :class:`FineGrid`: each one's left node and its fraction towards the next.

    Linear binning and linear interpolation both use these, so a sweep places its points once
    and reads every bandwidth's node densities at them without a search.
    """

    grid: FineGrid
    index: np.ndarray
    frac: np.ndarray
    outside: np.ndarray | None = None  # points beyond the grid (read as 0), None if there are none

    def weights(self) -> np.ndarray:
        """The points' unit weights split linearly between their two nodes, per node."""
        w = np.bincount(self.index, 1.0 - self.frac, minlength=self.grid.size)
        w[1:] += np.bincount(self.index, self.frac, minlength=self.grid.size)[:-1]
        return w

    def read(self, values: np.ndarray) -> np.ndarray:
        """Node ``values`` interpolated linearly at the points (``np.interp``; 0 beyond the grid)."""
        out = values[self.index] * (1.0 - self.frac)
        out += values[self.index + 1] * self.frac
        if self.outside is not None:
            out[self.outside] = 0.0
        return out

    def own_kernel(self, h: float) -> np.ndarray:
        """What the binned, interpolated density holds of each point's own kernel (times n), exactly.

        A point at fraction f between two nodes puts weights 1 - f, f on them; read
        back by linear interpolation, its own kernel is
        ((1 - f)^2 + f^2) K(0) + 2 f (1 - f) K(delta).
        """
        f = self.frac
        k0 = 1.0 / (h * math.sqrt(2.0 * math.pi))
        k1 = k0 * math.exp(-0.5 * (self.grid.step / h) ** 2)
        return ((1 - f) ** 2 + f**2) * k0 + 2 * f * (1 - f) * k1


def binned_density(grid: FineGrid, weights_spectrum: np.ndarray, kernel_spectrum: np.ndarray, n: int,
                   length: int) -> np.ndarray:
    """p at the nodes: the binned weights convolved with the kernel, divided by n (never below 0)."""
    dens = irfft(weights_spectrum * kernel_spectrum, n=length)[: grid.size] / n
    return np.maximum(dens, 0.0)


def binned_kde_1d(train, h: float, x) -> np.ndarray:
    """p(x) of the 1-D Gaussian KDE with bandwidth ``h``, by linear binning + FFT.

    The error is about (delta / h)^2 / 24 of the peak density (delta the node
    spacing, at most h / 40): below 1e-4 of the peak (measured in
    ``bench/bench_density.py`` against ``scipy.stats.gaussian_kde``).  Far in
    the tails, where p is below ~1e-12 of its peak, the relative error is
    large: use :meth:`KernelDensity.log_density` for held-out scores there
    (:func:`~.kde_cv.kde_log_density_1d` does).
    """
    t = as_data(train)[:, 0]
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    if not (np.isfinite(h) and h > 0):
        raise GmmvizError(f"the bandwidth must be a finite number > 0, got {h!r}")
    lo = min(float(t.min()), float(x.min()) if x.size else math.inf)
    hi = max(float(t.max()), float(x.max()) if x.size else -math.inf)
    grid = FineGrid.covering(lo, hi, h, h)
    length = grid.fft_length()
    spectrum = rfft(grid.bin(t), n=length)
    dens = binned_density(grid, spectrum, grid.kernel_spectrum(h, length), t.shape[0], length)
    return grid.place(x).read(dens)
