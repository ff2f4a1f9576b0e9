"""Choosing a KDE's bandwidth by cross-validated likelihood: k-fold and leave-one-out, by hand.

The CV score of a bandwidth is the mean held-out ln p over all points (each
point scored once, by the estimate fitted without its fold).  In 1-D the
held-out densities come from one fine grid (:class:`~.kde.FineGrid`) shared by
every fold and bandwidth: the folds' binned weights are transformed once, the
kernel once per bandwidth, so 50 bandwidths x 5 folds cost 250 inverse FFTs.
Points where the binned density is tiny (below :data:`EXACT_BELOW` of its
peak, where its relative error is large) are scored exactly.  In 2-D every
score is exact.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.fft import rfft
from scipy.special import logsumexp

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.density.core.kde import (
    LOG_2PI,
    NODES_PER_BANDWIDTH,
    FineGrid,
    GridPoints,
    binned_density,
    fit_kde,
    rule_bandwidth,
)
from gmmviz.labs.density.core.scores import as_data

#: Held-out points whose binned density is below this fraction of the peak are scored exactly.
EXACT_BELOW = 1e-6
#: Sweeps with at most this many kernel terms (points x points x bandwidths) are scored exactly.
EXACT_TERMS = 20_000_000
#: Fine-grid nodes per smallest bandwidth in the CV sweep (error ~ (1/10)^2 / 24 of the peak).
CV_NODES_PER_BANDWIDTH = 10


def bandwidth_grid(X, count: int = 50, *, low: float = 1 / 25, high: float = 3.0) -> np.ndarray:
    """``count`` geometric bandwidths from ``low`` to ``high`` times Scott's (h in 1-D, f in 2-D)."""
    if not (2 <= count <= 1000):
        raise GmmvizError(f"the number of bandwidths must be from 2 to 1000, got {count}")
    h = rule_bandwidth(X, "scott")
    return h * np.geomspace(low, high, count)


def sweep_grid(x: np.ndarray, bandwidths: np.ndarray, per_bandwidth: int = CV_NODES_PER_BANDWIDTH) -> FineGrid:
    """One fine grid for every bandwidth of a sweep: nodes per smallest bandwidth, 8 largest ones of margin."""
    return FineGrid.covering(float(x.min()), float(x.max()), float(bandwidths.min()), float(bandwidths.max()),
                             per_bandwidth)


def kde_log_density_1d(train, h: float, x, *, grid: FineGrid | None = None, spectrum=None,
                       kernel=None, at: GridPoints | None = None) -> np.ndarray:
    """ln p(x) of the 1-D KDE of ``train``: binned where p is not tiny, exact elsewhere.

    ``grid``, the training weights' ``spectrum``, the ``kernel`` spectrum and the
    points ``x`` placed on the grid (``at``) may be passed when they are shared (a sweep).
    """
    t = as_data(train)[:, 0]
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    if grid is None:
        grid = FineGrid.covering(min(t.min(), x.min()), max(t.max(), x.max()), h, h)
    length = grid.fft_length()
    if spectrum is None:
        spectrum = rfft(grid.bin(t), n=length)
    if kernel is None:
        kernel = grid.kernel_spectrum(h, length)
    dens = binned_density(grid, spectrum, kernel, t.shape[0], length)
    return log_read(dens, grid.place(x) if at is None else at, lambda rows: fit_kde(t, h).log_density(x[rows]))


def log_read(dens: np.ndarray, at: GridPoints, exact) -> np.ndarray:
    """ln of the node densities ``dens`` read at the points ``at``; ``exact(mask)`` scores the points where
    the binned density is below :data:`EXACT_BELOW` of its peak (its relative error is large there)."""
    p = at.read(dens)
    out = np.empty_like(p)
    tiny = p < EXACT_BELOW * dens.max()
    with np.errstate(divide="ignore"):
        np.log(p, out=out, where=~tiny)
    if tiny.any():
        out[tiny] = exact(tiny)
    return out


def cv_scores(X, bandwidths, folds) -> np.ndarray:
    """Mean held-out ln p for every bandwidth, over the (train, test) index pairs ``folds``.

    Exact when the sweep has at most :data:`EXACT_TERMS` kernel terms (and always in 2-D), binned otherwise.
    """
    X = as_data(X, minimum=2)
    bandwidths = np.asarray(bandwidths, dtype=np.float64).reshape(-1)
    if not (bandwidths.size and np.isfinite(bandwidths).all() and (bandwidths > 0).all()):
        raise GmmvizError("bandwidths must be finite numbers > 0")
    total = np.zeros(bandwidths.shape[0])
    n_scored = sum(len(test) for _, test in folds)
    terms = sum(len(a) * len(b) for a, b in folds) * bandwidths.shape[0]
    if X.shape[1] == 1 and terms > EXACT_TERMS:
        x = X[:, 0]
        grid = sweep_grid(x, bandwidths)
        length = grid.fft_length()
        # per fold, once: its training points, their weights' spectrum, its test points on the grid
        parts = [(x[train], x[test], rfft(grid.bin(x[train]), n=length), grid.place(x[test])) for train, test in folds]
        for j, h in enumerate(bandwidths):
            kernel = grid.kernel_spectrum(h, length)
            for x_in, x_out, spectrum, at in parts:
                dens = binned_density(grid, spectrum, kernel, x_in.shape[0], length)
                total[j] += log_read(dens, at, lambda rows: fit_kde(x_in, h).log_density(x_out[rows])).sum()
    else:
        for j, f in enumerate(bandwidths):
            for train, test in folds:
                total[j] += fit_kde(X[train], f).log_density(X[test]).sum()
    return total / n_scored


def loo_scores(x, bandwidths) -> np.ndarray:
    """Mean leave-one-out ln p_(-i)(x_i) for every bandwidth of a 1-D KDE.

    p_(-i)(x_i) = (n p(x_i) - s_i) / (n - 1) from the binned p, where s_i is
    what the binned p holds of x_i's own kernel (linear binning and linear
    interpolation are linear, so s_i is exact: (1 - f)^2 K(0) + 2 f (1 - f) K(delta)
    + f^2 K(0) at fraction f between nodes).  Points whose remainder is under
    1 % of K_h(0) (isolated points, where the subtraction cancels) are scored
    exactly, leaving themselves out.
    """
    x = as_data(x, minimum=2)
    if x.shape[1] != 1:
        raise GmmvizError("leave-one-out bandwidths are for 1-D data; use k-fold in 2-D")
    x = x[:, 0]
    n = x.shape[0]
    bandwidths = np.asarray(bandwidths, dtype=np.float64).reshape(-1)
    grid = sweep_grid(x, bandwidths, NODES_PER_BANDWIDTH)
    length = grid.fft_length()
    at = grid.place(x)
    spectrum = rfft(at.weights(), n=length)
    out = np.empty(bandwidths.shape[0])
    for j, h in enumerate(bandwidths):
        k0 = 1.0 / (h * math.sqrt(2.0 * math.pi))
        dens = binned_density(grid, spectrum, grid.kernel_spectrum(h, length), n, length)
        rest = n * at.read(dens) - at.own_kernel(h)
        exact = rest < 1e-2 * k0
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.log(rest) - math.log(n - 1)
        if exact.any():
            logs[exact] = _loo_exact(x, h, np.flatnonzero(exact))
        out[j] = logs.mean()
    return out


def _loo_exact(x: np.ndarray, h: float, rows: np.ndarray) -> np.ndarray:
    out = np.empty(rows.shape[0])
    step = max(1, (1 << 21) // x.shape[0])
    for a in range(0, rows.shape[0], step):
        r = rows[a:a + step]
        z = -0.5 * ((x[r, None] - x[None, :]) / h) ** 2
        z[np.arange(r.shape[0]), r] = -np.inf
        out[a:a + step] = logsumexp(z, axis=1)
    return out - math.log(x.shape[0] - 1) - math.log(h) - 0.5 * LOG_2PI
