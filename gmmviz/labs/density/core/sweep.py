"""Scores as a function of complexity: bins, points per bin, bandwidth, K.

A :class:`Split` holds the points, the seeded train/test split, the window
the histograms bin (all points' box) and optional k folds of the training
points.  Each ``*_curve`` function scores one family at every setting: the
mean ln p per point on the training points, on the held-out test points and,
with folds, cross-validated on the training points (each fold's estimate
scores its left-out part).  The best setting is the one with the highest CV
score when there are folds, else the highest test score.

KDE curves are exact for small sweeps (:data:`~.kde_cv.EXACT_TERMS` kernel
terms) and in 2-D; larger 1-D ones are computed on one binned grid (:mod:`.kde_cv`, 10 nodes per
smallest bandwidth): measured within ~1e-3 nats per point of the exact scores at
the smallest bandwidth and ~1e-6 from 5 times it on; the estimators' own
``log_density`` (the leaderboard's current setting) is exact.
Mixture curves are generators that yield the curve so far after each K, so
that a window can draw them as they arrive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from scipy.fft import rfft

from gmmviz.core.data import frozen_array
from gmmviz.labs.density.core.histogram import fit_histogram, fixed_edges
from gmmviz.labs.density.core.kde import binned_density, fit_kde
from gmmviz.labs.density.core.kde_cv import (
    EXACT_TERMS,
    cv_scores,
    log_read,
    sweep_grid,
)
from gmmviz.labs.density.core.mixture import fit_gmm
from gmmviz.labs.density.core.scores import (
    HeldOut,
    as_data,
    best_index,
    data_window,
    kfold,
    train_test_split,
)
from gmmviz.labs.density.core.variable import equal_mass_histogram, kd_histogram

FAMILIES = ("hist", "vhist", "kde", "gmm", "dpgmm")
FAMILY_TITLES = {"hist": "Histogram", "vhist": "Equal-mass histogram", "kde": "Kernel density",
                 "gmm": "Gaussian mixture", "dpgmm": "Infinite mixture"}


@dataclass(frozen=True, eq=False)
class Split:
    """Points with a seeded train/test split, the binned window and optional folds.

    Attributes
    ----------
    X : ndarray of shape (n, d), read-only
    train, test : ndarray of int
        Indices into ``X``.
    window : ndarray of shape (d, 2)
    folds : tuple of (train, test) index pairs into ``X[train]``, or None
    seed : int or None
    """

    X: np.ndarray
    train: np.ndarray
    test: np.ndarray
    window: np.ndarray
    folds: tuple | None
    seed: int | None

    @classmethod
    def make(cls, X, *, test_size: float = 0.25, seed: int | None = 0, folds: int | None = None) -> Split:
        X = frozen_array(as_data(X, minimum=2))
        train, test = train_test_split(X.shape[0], test_size, seed)
        made = kfold(train.shape[0], folds, seed) if folds else None
        return cls(X, frozen_array(train, np.intp), frozen_array(test, np.intp), frozen_array(data_window(X)),
                   made, seed)

    @property
    def X_train(self) -> np.ndarray:
        return self.X[self.train]

    @property
    def X_test(self) -> np.ndarray:
        return self.X[self.test]

    @property
    def n_features(self) -> int:
        return int(self.X.shape[1])


@dataclass(frozen=True, eq=False)
class Curve:
    """One family's scores at every setting tried.

    Attributes
    ----------
    family : str
        One of :data:`FAMILIES`.
    parameter : str
        What the settings are ("bins", "points per bin", "bandwidth", "K", "concentration").
    settings : ndarray
    train, test : ndarray
        Mean ln p per point (-inf allowed).
    cv : ndarray or None
    best : int
        Index of the best setting (by CV if given, else by test).
    extras : tuple of (str, ndarray)
        Per-setting extras (``bic``, ``aic``, ``n_used``, ``n_zero``: held-out points of zero density).
    complete : bool
        False while a generator is still adding settings.
    """

    family: str
    parameter: str
    settings: np.ndarray
    train: np.ndarray
    test: np.ndarray
    cv: np.ndarray | None
    best: int
    extras: tuple = ()
    complete: bool = True

    @classmethod
    def build(cls, family, parameter, settings, train, test, cv=None, extras=(), complete=True) -> Curve:
        cv = None if cv is None else frozen_array(cv)
        extras = tuple((name, frozen_array(v)) for name, v in extras)
        return cls(family, parameter, frozen_array(settings), frozen_array(train), frozen_array(test), cv,
                   best_index(cv if cv is not None else test), extras, complete)

    def extra(self, name: str) -> np.ndarray | None:
        return next((v for k, v in self.extras if k == name), None)

    @property
    def best_setting(self) -> float:
        return float(self.settings[self.best])


def _mean(log_p) -> float:
    return HeldOut.of(log_p).mean


def hist_curve(split: Split, bins, *, origin: float = 0.0, pseudo_count: float = 0.0) -> Curve:
    """Fixed histograms with every number of bins in ``bins`` (per axis, b x b cells in 2-D)."""
    bins = [int(b) for b in bins]
    if split.n_features == 2:
        def fit(X, b):
            edges = tuple(fixed_edges(lo, hi, b, origin) for lo, hi in split.window)
            return fit_histogram(X, edges, pseudo_count=pseudo_count)
        return _fitted_curve(split, "hist", "bins", bins, fit)
    lo, hi = split.window[0]
    x_tr, x_te = split.X_train[:, 0], split.X_test[:, 0]
    folds = split.folds or ()
    train, test, cv, zero = [], [], [], []
    for b in bins:
        edges = fixed_edges(lo, hi, b, origin)
        nb = edges.shape[0] - 1
        i_tr, i_te = _bin_of(edges, x_tr), _bin_of(edges, x_te)  # every training point is inside
        counts = np.bincount(i_tr, minlength=nb)
        log_d = _log_hist(counts, x_tr.shape[0], edges, pseudo_count)
        train.append(float(log_d[i_tr].mean()))
        held = HeldOut.of(np.where(i_te >= 0, log_d[np.maximum(i_te, 0)], -np.inf))
        test.append(held.mean)
        zero.append(held.n_zero)
        if folds:
            total = 0.0
            for _, part in folds:  # a fold's counts: all training counts minus its left-out part's
                i_part = i_tr[part]
                log_f = _log_hist(counts - np.bincount(i_part, minlength=nb), x_tr.shape[0] - part.shape[0], edges,
                                  pseudo_count)
                total += float(log_f[i_part].sum())
            cv.append(total / x_tr.shape[0])
    return Curve.build("hist", "bins", bins, train, test, cv if folds else None, (("n_zero", zero),))


def _bin_of(edges: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Bin of every point as ``np.histogram`` assigns it (last bin closed); -1 outside."""
    nb = edges.shape[0] - 1
    idx = np.searchsorted(edges, x, side="right") - 1
    idx[x == edges[-1]] = nb - 1
    idx[(idx < 0) | (idx >= nb)] = -1
    return idx


def _log_hist(counts: np.ndarray, n: int, edges: np.ndarray, a: float) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log((counts + a) / ((n + a * counts.shape[0]) * np.diff(edges)))


def vhist_curve(split: Split, points_per_bin=(None,), *, pseudo_count: float = 0.0) -> Curve:
    """Equal-mass histograms; a setting of None is sqrt(n) (reported as floor(sqrt n_train))."""
    def fit(X, m):
        m = None if m is None or m <= 0 else int(m)
        if split.n_features == 1:
            return equal_mass_histogram(X, split.window[0], points_per_bin=m, pseudo_count=pseudo_count)
        return kd_histogram(X, split.window, points_per_bin=m, pseudo_count=pseudo_count)

    shown = [int(np.sqrt(split.train.shape[0])) if m is None else int(m) for m in points_per_bin]
    curve = _fitted_curve(split, "vhist", "points per bin", list(points_per_bin), fit)
    return Curve.build("vhist", "points per bin", shown, curve.train, curve.test, curve.cv, curve.extras)


def kde_curve(split: Split, bandwidths) -> Curve:
    """Gaussian KDEs at every bandwidth (h in 1-D, a factor of the covariance in 2-D)."""
    bw = np.asarray(bandwidths, dtype=np.float64).reshape(-1)
    X_tr, X_te = split.X_train, split.X_test
    cv = cv_scores(X_tr, bw, split.folds) if split.folds else None
    if split.n_features == 2 or X_tr.shape[0] * split.X.shape[0] * bw.shape[0] <= EXACT_TERMS:
        curve = _fitted_curve(split, "kde", "bandwidth", bw, fit_kde, with_cv=False)
        return Curve.build("kde", "bandwidth", bw, curve.train, curve.test, cv, curve.extras)
    x_tr, x_te = X_tr[:, 0], X_te[:, 0]
    grid = sweep_grid(split.X[:, 0], bw)
    length = grid.fft_length()
    at_tr, at_te = grid.place(x_tr), grid.place(x_te)
    spectrum = rfft(at_tr.weights(), n=length)
    train, test, zero = [], [], []
    for h in bw:
        dens = binned_density(grid, spectrum, grid.kernel_spectrum(h, length), x_tr.shape[0], length)
        held = HeldOut.of(log_read(dens, at_te, lambda rows, h=h: fit_kde(x_tr, h).log_density(x_te[rows])))
        # on the training points, each point's own kernel is put back exactly (it dominates at small h)
        p_tr = at_tr.read(dens) + (1.0 / (h * np.sqrt(2 * np.pi)) - at_tr.own_kernel(h)) / x_tr.shape[0]
        train.append(float(np.log(p_tr).mean()))
        test.append(held.mean)
        zero.append(held.n_zero)
    return Curve.build("kde", "bandwidth", bw, train, test, cv, (("n_zero", zero),))


def _fitted_curve(split: Split, family, parameter, settings, fit, *, with_cv: bool = True) -> Curve:
    """Fit at every setting, score train, test and (``with_cv`` and folds) CV."""
    X_tr, X_te = split.X_train, split.X_test
    train, test, cv, zero = [], [], [], []
    for s in settings:
        est = fit(X_tr, s)
        train.append(_mean(est.log_density(X_tr)))
        held = HeldOut.of(est.log_density(X_te))
        test.append(held.mean)
        zero.append(held.n_zero)
        if with_cv and split.folds:
            parts = [HeldOut.of(fit(X_tr[a], s).log_density(X_tr[b])) for a, b in split.folds]
            cv.append(sum(p.total for p in parts) / sum(p.n_points for p in parts))
    shown = [np.nan if s is None else s for s in settings]
    return Curve.build(family, parameter, shown, train, test, cv if cv else None, (("n_zero", zero),))


def mixture_curve(split: Split, settings, fit: Callable, *, family: str = "gmm", parameter: str = "K",
                  extras: Callable | None = None) -> Iterator[Curve]:
    """Fit a mixture at every setting; yield the curve so far after each (the last one complete).

    ``fit(X, setting)`` returns an estimator with ``log_density``; ``extras(est)``
    a dict of per-setting numbers (BIC, AIC, components used).
    """
    settings = list(settings)
    X_tr, X_te = split.X_train, split.X_test
    train, test, cv, more = [], [], [], {}
    for i, s in enumerate(settings):
        est = fit(X_tr, s)
        train.append(_mean(est.log_density(X_tr)))
        test.append(_mean(est.log_density(X_te)))
        if split.folds:
            parts = [HeldOut.of(fit(X_tr[a], s).log_density(X_tr[b])) for a, b in split.folds]
            cv.append(sum(p.total for p in parts) / sum(p.n_points for p in parts))
        for name, value in (extras(est) if extras else {}).items():
            more.setdefault(name, []).append(value)
        yield Curve.build(family, parameter, settings[: i + 1], train, test, cv if split.folds else None,
                          tuple(more.items()), complete=i == len(settings) - 1)


def gmm_curve(split: Split, ks, *, seed: int | None = 0, tol: float = 1e-4) -> Iterator[Curve]:
    """K-component mixtures for every K in ``ks`` (with BIC and AIC on the training points)."""
    return mixture_curve(split, [int(k) for k in ks], lambda X, k: fit_gmm(X, k, seed=seed, tol=tol),
                         extras=lambda m: {"bic": m.bic(), "aic": m.aic()})


def last(curves: Iterator[Curve]) -> Curve:
    """The final (complete) curve of a generator."""
    out = None
    for out in curves:
        pass
    return out
