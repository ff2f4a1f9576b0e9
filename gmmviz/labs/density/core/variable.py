"""Variable-bin (equal-mass) histograms: about sqrt(n) points in every bin.

1-D: the sorted training points are cut into B consecutive groups whose sizes
differ by at most one; an edge lies midway between the last point of a group
and the first of the next (the outer edges are the window's), so each bin's
density is its mass over its width.  B is chosen so that every group holds
floor(sqrt n) or ceil(sqrt n) points (:func:`sqrt_bins`).

2-D: a k-d split of the window: a cell is cut across its longer side
(relative to the window) at the median-like position that sends to each side
the points its share of the B leaves should hold, so that every leaf holds
floor(sqrt n) or ceil(sqrt n) points too.

Ties: tied values are never split between two bins (an edge cannot pass
between equal numbers).  A cut that would fall inside a run of tied values
moves to the end of the run, so the bin before it holds more than ceil(sqrt n)
points and the next one fewer; without ties, the sizes above hold exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gmmviz.core.data import frozen_array
from gmmviz.core.errors import GmmvizError
from gmmviz.labs.density.core.histogram import HistogramDensity, fit_histogram
from gmmviz.labs.density.core.scores import as_data


def sqrt_bins(n: int) -> int:
    """The number of bins B for which n points split into groups of floor(sqrt n) or ceil(sqrt n).

    With s = floor(sqrt n) and n = s^2 + t (0 <= t <= 2s): B = s when t <= s
    (groups of s or s + 1), else B = s + 1 (groups of s or s + 1 again).
    """
    s = math.isqrt(int(n))
    return max(1, s if n - s * s <= s else s + 1)


def group_sizes(n: int, n_bins: int) -> np.ndarray:
    """Sizes of ``n_bins`` consecutive groups of ``n`` points, larger ones first, differing by at most 1."""
    q, r = divmod(int(n), int(n_bins))
    return np.array([q + 1] * r + [q] * (n_bins - r), dtype=np.int64)


def _n_bins(n: int, points_per_bin) -> int:
    if points_per_bin is None:
        return sqrt_bins(n)
    if not (isinstance(points_per_bin, (int, np.integer)) and points_per_bin >= 1):
        raise GmmvizError(f"points per bin must be an integer >= 1, got {points_per_bin!r}")
    return max(1, min(n, round(n / int(points_per_bin))))


def _untie(s: np.ndarray, cut: int) -> int:
    """``cut`` moved to the end of the run of values tied across it (len(s) if none is left)."""
    if 0 < cut < s.shape[0] and s[cut - 1] == s[cut]:
        return int(np.searchsorted(s, s[cut], side="right"))
    return cut


def equal_mass_edges(x, window, *, points_per_bin: int | None = None) -> np.ndarray:
    """Edges of the equal-mass bins of 1-D ``x`` over ``window`` (lo, hi) (see the module docstring)."""
    s = np.sort(as_data(x)[:, 0])
    lo, hi = (float(v) for v in np.asarray(window, dtype=np.float64).reshape(-1)[:2])
    if s[0] < lo or s[-1] > hi:
        raise GmmvizError(f"the window ({lo}, {hi}) does not hold every point ({s[0]}, {s[-1]})")
    n = s.shape[0]
    cuts = np.cumsum(group_sizes(n, _n_bins(n, points_per_bin)))[:-1]
    edges, last = [lo], 0
    for cut in cuts:
        cut = _untie(s, int(cut))
        if cut <= last or cut >= n:
            continue
        mid = 0.5 * (s[cut - 1] + s[cut])
        if edges[-1] < mid < hi:
            edges.append(mid)
            last = cut
    edges.append(hi)
    return np.asarray(edges)


def equal_mass_histogram(x, window, *, points_per_bin: int | None = None,
                         pseudo_count: float = 0.0) -> HistogramDensity:
    """The 1-D equal-mass histogram of ``x`` (its counts are those of its edges)."""
    return fit_histogram(x, equal_mass_edges(x, window, points_per_bin=points_per_bin),
                         pseudo_count=pseudo_count)


@dataclass(frozen=True, eq=False)
class KdCells:
    """A 2-D histogram on the rectangular cells of a k-d split.

    Attributes
    ----------
    lower, upper : ndarray of shape (B, 2)
        Each cell's corners; the cells tile the window.
    counts : ndarray of int64, shape (B,)
    n_train : int
    window : ndarray of shape (2, 2)
    pseudo_count : float
    """

    lower: np.ndarray
    upper: np.ndarray
    counts: np.ndarray
    n_train: int
    window: np.ndarray
    pseudo_count: float = 0.0

    n_features = 2

    @property
    def n_bins(self) -> int:
        return int(self.counts.shape[0])

    def volumes(self) -> np.ndarray:
        return np.prod(self.upper - self.lower, axis=1)

    def masses(self) -> np.ndarray:
        a = self.pseudo_count
        return (self.counts + a) / (self.n_train + a * self.n_bins)

    def densities(self) -> np.ndarray:
        return self.masses() / self.volumes()

    def cell_index(self, X) -> tuple[np.ndarray, np.ndarray]:
        """(cell, inside) of every point of ``X`` (m, 2): cells are [lower, upper), closed at the window's top."""
        X = as_data(X, minimum=0)
        if X.shape[1] != 2:
            raise GmmvizError(f"the k-d histogram is 2-D, the points have {X.shape[1]} column(s)")
        top = self.upper >= self.window[:, 1]
        cell = np.zeros(X.shape[0], dtype=np.intp)
        inside = np.zeros(X.shape[0], dtype=bool)
        step = max(1, 2_000_000 // max(1, self.n_bins))
        for a in range(0, X.shape[0], step):
            P = X[a:a + step, None, :]
            ok = (P >= self.lower) & ((P < self.upper) | (top & (P <= self.upper)))
            hit = ok.all(axis=2)
            cell[a:a + step] = np.argmax(hit, axis=1)
            inside[a:a + step] = hit.any(axis=1)
        return cell, inside

    def log_density(self, X) -> np.ndarray:
        cell, inside = self.cell_index(X)
        with np.errstate(divide="ignore"):
            log_d = np.log(self.densities())
        return np.where(inside, log_d[cell], -np.inf)


def kd_histogram(X, window, *, points_per_bin: int | None = None, pseudo_count: float = 0.0) -> KdCells:
    """The k-d equal-mass histogram of 2-D ``X`` over ``window`` (2, 2) (see the module docstring)."""
    X = as_data(X)
    if X.shape[1] != 2:
        raise GmmvizError(f"a k-d split needs 2-D points, got {X.shape[1]} column(s)")
    window = np.asarray(window, dtype=np.float64).reshape(2, 2)
    if (X.min(axis=0) < window[:, 0]).any() or (X.max(axis=0) > window[:, 1]).any():
        raise GmmvizError("the window does not hold every point")
    if not (np.isfinite(pseudo_count) and pseudo_count >= 0):
        raise GmmvizError(f"the pseudo-count must be a finite number >= 0, got {pseudo_count!r}")
    n = X.shape[0]
    sizes = group_sizes(n, _n_bins(n, points_per_bin))
    span = window[:, 1] - window[:, 0]
    cells = []
    stack = [(np.arange(n), window[:, 0].copy(), window[:, 1].copy(), 0, sizes.shape[0])]
    while stack:
        idx, lo, hi, a, b = stack.pop()
        split = _split(X[idx], lo, hi, span, int(sizes[a:(a + b) // 2].sum()) if b - a > 1 else 0)
        if split is None:
            cells.append((lo, hi, idx.shape[0]))
            continue
        axis, value, left = split
        c = (a + b) // 2
        hi_left, lo_right = hi.copy(), lo.copy()
        hi_left[axis] = lo_right[axis] = value
        stack.append((idx[~left], lo_right, hi, c, b))
        stack.append((idx[left], lo, hi_left, a, c))
    lower = frozen_array([c[0] for c in cells])
    upper = frozen_array([c[1] for c in cells])
    counts = frozen_array([c[2] for c in cells], np.int64)
    return KdCells(lower, upper, counts, n, frozen_array(window), float(pseudo_count))


def _split(P: np.ndarray, lo, hi, span, n_left: int):
    """(axis, value, left mask) cutting ``P`` after its ``n_left`` smallest along the cell's longer side."""
    m = P.shape[0]
    if n_left <= 0 or n_left >= m:
        return None
    order = np.argsort(-(hi - lo) / span, kind="stable")
    for axis in order:
        s = np.sort(P[:, axis])
        cut = _untie(s, n_left)
        if cut >= m:
            continue
        value = 0.5 * (s[cut - 1] + s[cut])
        if lo[axis] < value < hi[axis]:
            return int(axis), float(value), P[:, axis] < value
    return None
