"""Histograms on a grid of bins: fixed width (1-D, 2-D) or any edges (the equal-mass bins of :mod:`.variable`).

A histogram of n points with counts c_j in bins of volume V_j is the density

    p(x) = (c_j + a) / ((n + a B) V_j)    for x in bin j,    0 outside every bin,

with B bins and a pseudo-count a >= 0 (additive smoothing; a = 0 is the plain
histogram).  It integrates to exactly 1 over its bins.  An empty bin (c_j = 0,
a = 0) has density 0, so a held-out point there has ln p = -inf; so has a
point outside the bins, whatever a is (the lab bins the window of all points,
:func:`~.scores.data_window`, so that does not happen there).

Bins are half-open [e_j, e_j+1) except the last of each axis, which is
closed, as in ``np.histogram``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmmviz.core.data import frozen_array
from gmmviz.core.errors import GmmvizError
from gmmviz.labs.density.core.scores import as_data

#: numpy's ``histogram_bin_edges`` rules, offered as presets.
BIN_RULES = ("auto", "fd", "doane", "scott", "stone", "rice", "sturges", "sqrt")
#: Most bins per axis (a 2-D grid holds at most MAX_BINS**2 / 4 cells).
MAX_BINS = 10_000


@dataclass(frozen=True, eq=False)
class HistogramDensity:
    """A fitted histogram.

    Attributes
    ----------
    edges : tuple of ndarray
        One increasing edge array per axis (length B_axis + 1).
    counts : ndarray of int64, shape (B_1,) or (B_1, B_2)
        Training points in each bin.
    n_train : int
    pseudo_count : float
        a, added to every bin's count.
    """

    edges: tuple
    counts: np.ndarray
    n_train: int
    pseudo_count: float = 0.0

    @property
    def n_features(self) -> int:
        return len(self.edges)

    @property
    def n_bins(self) -> int:
        return int(self.counts.size)

    def volumes(self) -> np.ndarray:
        """Volume of every bin, shape of ``counts``."""
        widths = [np.diff(e) for e in self.edges]
        return widths[0] if len(widths) == 1 else np.multiply.outer(widths[0], widths[1])

    def masses(self) -> np.ndarray:
        """Probability of every bin, (c_j + a) / (n + a B); sums to 1."""
        a = self.pseudo_count
        return (self.counts + a) / (self.n_train + a * self.n_bins)

    def densities(self) -> np.ndarray:
        """p in every bin, shape of ``counts``."""
        return self.masses() / self.volumes()

    def bin_index(self, X) -> tuple[np.ndarray, np.ndarray]:
        """(flat bin index, inside) of every point of ``X`` (m, d); index 0 where not inside."""
        X = as_data(X, minimum=0)
        if X.shape[1] != self.n_features:
            raise GmmvizError(f"the histogram is {self.n_features}-D, the points have {X.shape[1]} columns")
        flat = np.zeros(X.shape[0], dtype=np.intp)
        inside = np.ones(X.shape[0], dtype=bool)
        for axis, e in enumerate(self.edges):
            idx, ok = _axis_index(e, X[:, axis])
            flat = flat * (e.shape[0] - 1) + idx
            inside &= ok
        return np.where(inside, flat, 0), inside

    def log_density(self, X) -> np.ndarray:
        """ln p(x) for ``X`` (m, d) or (m,): -inf in an empty bin and outside every bin."""
        flat, inside = self.bin_index(X)
        with np.errstate(divide="ignore"):
            log_d = np.log(self.densities().reshape(-1))
        return np.where(inside, log_d[flat], -np.inf)


def _axis_index(edges: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    nb = edges.shape[0] - 1
    idx = np.searchsorted(edges, x, side="right") - 1
    idx = np.where(x == edges[-1], nb - 1, idx)
    ok = (idx >= 0) & (idx < nb)
    return np.clip(idx, 0, nb - 1), ok


def sorted_counts(sorted_x: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """``np.histogram(x, edges)[0]`` from the sorted points (O(B log n), for sweeps)."""
    pos = np.searchsorted(sorted_x, edges, side="left")
    counts = np.diff(pos)
    counts[-1] += int(np.count_nonzero(sorted_x[pos[-1]:] == edges[-1]))  # the last bin is closed
    return counts.astype(np.int64)


def fixed_edges(lo: float, hi: float, bins: int, origin: float = 0.0) -> np.ndarray:
    """Edges of ``bins`` bins of width (hi - lo) / bins, shifted left by ``origin`` widths.

    ``origin`` in [0, 1): 0 puts the first edge at ``lo``; otherwise the grid
    starts ``origin`` bin widths below ``lo`` and has one more bin, so it still
    covers [lo, hi].
    """
    if not (1 <= int(bins) <= MAX_BINS):
        raise GmmvizError(f"bins must be an integer from 1 to {MAX_BINS}, got {bins!r}")
    if not (0.0 <= origin < 1.0):
        raise GmmvizError(f"the bin origin is a fraction of a bin width in [0, 1), got {origin!r}")
    if not (np.isfinite(lo) and np.isfinite(hi) and hi > lo):
        raise GmmvizError(f"the binned range must be finite and non-empty, got ({lo!r}, {hi!r})")
    width = (hi - lo) / bins
    nb = int(bins) + (origin > 0)
    edges = lo - origin * width + width * np.arange(nb + 1)
    if origin == 0:
        edges[-1] = hi  # exact, whatever the rounding
    return edges


def rule_edges(x, rule: str, window) -> np.ndarray:
    """numpy's ``histogram_bin_edges(x, rule, range=window)`` for 1-D ``x`` (the presets)."""
    if rule not in BIN_RULES:
        raise GmmvizError(f"unknown bin rule {rule!r}; expected one of {', '.join(BIN_RULES)}")
    x = as_data(x)[:, 0]
    lo, hi = (float(v) for v in np.asarray(window, dtype=np.float64).reshape(-1)[:2])
    edges = np.histogram_bin_edges(x, bins=rule, range=(lo, hi))
    if edges.shape[0] - 1 > MAX_BINS:
        return fixed_edges(lo, hi, MAX_BINS)
    return edges


def fit_histogram(X, edges, *, pseudo_count: float = 0.0) -> HistogramDensity:
    """The histogram of ``X`` (n, d) on the given edges (one array per axis, or one array in 1-D)."""
    X = as_data(X)
    if isinstance(edges, np.ndarray) and edges.ndim == 1:
        edges = (edges,)
    edges = tuple(frozen_array(e) for e in edges)
    if len(edges) != X.shape[1]:
        raise GmmvizError(f"{len(edges)} edge arrays for {X.shape[1]}-D points")
    for e in edges:
        if e.ndim != 1 or e.shape[0] < 2 or not np.all(np.diff(e) > 0):
            raise GmmvizError("histogram edges must be increasing, at least two per axis")
    if not (np.isfinite(pseudo_count) and pseudo_count >= 0):
        raise GmmvizError(f"the pseudo-count must be a finite number >= 0, got {pseudo_count!r}")
    if len(edges) == 1:
        counts = sorted_counts(np.sort(X[:, 0]), edges[0])
    else:
        counts = np.histogram2d(X[:, 0], X[:, 1], bins=list(edges))[0].astype(np.int64)
    return HistogramDensity(edges, frozen_array(counts, np.int64), int(X.shape[0]), float(pseudo_count))


def fixed_histogram(X, bins, window, *, origin=0.0, pseudo_count: float = 0.0) -> HistogramDensity:
    """A fixed-width histogram of ``X`` (n, d) over ``window`` (d, 2).

    ``bins`` is an int (per axis) or a sequence of one int per axis; ``origin``
    a fraction of a bin width per axis (or one for all), see :func:`fixed_edges`.
    """
    X = as_data(X)
    d = X.shape[1]
    window = np.asarray(window, dtype=np.float64).reshape(d, 2)
    bins = np.broadcast_to(np.asarray(bins), (d,))
    origin = np.broadcast_to(np.asarray(origin, dtype=np.float64), (d,))
    edges = tuple(fixed_edges(window[i, 0], window[i, 1], int(bins[i]), float(origin[i])) for i in range(d))
    return fit_histogram(X, edges, pseudo_count=pseudo_count)
