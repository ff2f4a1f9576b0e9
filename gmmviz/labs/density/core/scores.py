"""Data checks, the seeded train/test split, k-fold folds and held-out scores.

The score of a density estimate p on held-out points x_1..x_m is the
log-likelihood ln p(x_i): its mean per point (the leaderboard's number, higher
is better) and its total.  A point where the estimate is zero (an empty
histogram bin, or outside the histogram's window) has ln p = -inf, and so has
the mean: it is reported as such, never clipped; a pseudo-count
(:mod:`.histogram`) is the honest way to go on comparing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmmviz.core.data import as_real_array
from gmmviz.core.errors import GmmvizError
from gmmviz.core.validation import check_spread
from gmmviz.labs.classify.core.split import stratified_split

#: Most points a density is fitted to (the CSV reader's cap is larger; this keeps sweeps finite).
MAX_POINTS = 2_000_000


def as_data(X, *, name: str = "X", minimum: int = 1) -> np.ndarray:
    """Points as a float64 array of shape (n, d), d 1 or 2, all finite.

    A flat sequence is 1-D data (n, 1).

    Raises
    ------
    GmmvizError
        For another shape, fewer than ``minimum`` points, NaN or inf, or a spread
        whose square float64 cannot hold (:func:`~gmmviz.core.validation.check_spread`).
    """
    arr = as_real_array(X, name)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[1] not in (1, 2):
        raise GmmvizError(f"{name} must have shape (n,) or (n, 1) or (n, 2), got {arr.shape}")
    if arr.shape[0] < minimum:
        raise GmmvizError(f"{name} has {arr.shape[0]} point(s); a density needs at least {minimum}")
    if arr.shape[0] > MAX_POINTS:
        raise GmmvizError(f"{name} has {arr.shape[0]:,} points; at most {MAX_POINTS:,} are supported")
    bad = ~np.isfinite(arr).all(axis=1)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise GmmvizError(f"{name} has {int(bad.sum())} NaN or infinite value(s) (first at row {row}); remove them")
    check_spread(arr)
    return np.ascontiguousarray(arr, dtype=np.float64)


def data_window(X: np.ndarray) -> np.ndarray:
    """The box the histograms bin, shape (d, 2): per axis (min, max) of ``X``.

    The lab and ``gmmviz density`` pass the window of *all* points (training
    and held-out), so that a held-out point beyond the training range lands in
    an (empty) bin rather than outside every bin; a zero-width axis is widened
    by 0.5 on each side (numpy's rule).
    """
    X = as_data(X)
    lo, hi = X.min(axis=0), X.max(axis=0)
    same = lo == hi
    lo = np.where(same, lo - 0.5, lo)
    hi = np.where(same, hi + 0.5, hi)
    return np.stack([lo, hi], axis=1)


def train_test_split(n: int, test_size: float, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Sorted indices (train, test) of a seeded split of ``n`` points.

    round(test_size * n) points go to the test set (at least one stays for
    training); the split is the classification lab's (one class).
    """
    return stratified_split(np.zeros(int(n), dtype=np.intp), test_size, seed)


def kfold(n: int, folds: int, seed: int | None = 0) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """``folds`` seeded (train, test) index pairs: a permutation cut into near-equal parts.

    Every point is in exactly one test part.  Pass the same pairs to
    scikit-learn (``cv=list(folds)``) to compare on the same folds.
    """
    if not (2 <= folds <= n):
        raise GmmvizError(f"folds must be from 2 to the number of points ({n}), got {folds}")
    perm = np.random.default_rng(seed).permutation(n)
    out = []
    for part in np.array_split(perm, folds):
        test = np.sort(part)
        out.append((np.setdiff1d(np.arange(n), test), test))
    return tuple(out)


@dataclass(frozen=True)
class HeldOut:
    """The log-likelihood of a density on some points.

    Attributes
    ----------
    mean : float
        Mean ln p(x) per point (-inf if any point has density 0; nan without points).
    total : float
        Sum of ln p(x).
    n_points : int
    n_zero : int
        Points where the density is exactly zero (ln p = -inf).
    """

    mean: float
    total: float
    n_points: int
    n_zero: int

    @classmethod
    def of(cls, log_p: np.ndarray) -> HeldOut:
        log_p = np.asarray(log_p, dtype=np.float64).reshape(-1)
        n = int(log_p.shape[0])
        if n == 0:
            return cls(float("nan"), 0.0, 0, 0)
        zero = int(np.count_nonzero(log_p == -np.inf))
        total = -np.inf if zero else float(log_p.sum())
        return cls(total / n if zero == 0 else -np.inf, total, n, zero)


def cv_mean(fold_scores) -> float:
    """Mean log-likelihood per point over all folds' held-out points (each point counted once)."""
    total = sum(s.total for s in fold_scores)
    n = sum(s.n_points for s in fold_scores)
    return float(total / n) if n else float("nan")


def best_index(values) -> int:
    """Index of the largest score (the first among ties; 0 when all are -inf or nan)."""
    v = np.asarray(values, dtype=np.float64)
    v = np.where(np.isnan(v), -np.inf, v)
    return int(np.argmax(v))
