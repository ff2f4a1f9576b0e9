"""What the density lab draws, computed from its data, settings and the sweep's results (Qt-free).

The Qt lab calls :func:`view_1d` or :func:`view_2d` after every slider move
(the window's thread: each is a few milliseconds at n = 1e5 in 1-D: the
histograms are exact, the kernel estimate is binned + FFT on the plot grid and
binned with exact tails for the scores) and draws what it returns; the
mixtures come fitted from the sweep (:mod:`.job`), never fitted here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gmmviz.core.data import frozen_array
from gmmviz.labs.density.core.distance import ise
from gmmviz.labs.density.core.dp_mixture import USED_WEIGHT
from gmmviz.labs.density.core.histogram import (
    HistogramDensity,
    fixed_edges,
    fixed_histogram,
    sorted_counts,
)
from gmmviz.labs.density.core.job import LabData, fit_scores, truth_density_grid
from gmmviz.labs.density.core.kde import binned_kde_1d, fit_kde
from gmmviz.labs.density.core.kde_cv import kde_log_density_1d
from gmmviz.labs.density.core.scores import HeldOut
from gmmviz.labs.density.core.settings import CONCENTRATIONS, DensitySettings
from gmmviz.labs.density.core.sweep import FAMILY_TITLES
from gmmviz.labs.density.core.variable import equal_mass_histogram, kd_histogram

PLOT_POINTS = 800
GRID_2D = 90


@dataclass(frozen=True)
class Row:
    """One line of the leaderboard: an estimator at its current and at its best setting.

    ``train`` and ``test`` are mean ln p per point (-inf allowed, nan: not computed yet); ``ise``
    the integrated squared error to the true density (1-D generated samples; nan otherwise);
    ``note`` what the short ``setting`` leaves out (the table's tooltip).
    """

    family: str
    title: str
    setting: str
    train: float
    test: float
    n_zero: int
    best: str
    best_test: float
    ise: float = math.nan
    note: str = ""


@dataclass(frozen=True, eq=False)
class View1D:
    """Arrays of the 1-D plot (read-only) and the leaderboard.

    ``hist`` and ``vhist`` are (edges, heights); ``curves`` maps family -> p on ``xs``
    (absent until a mixture has been fitted); ``zero_test`` marks the held-out points
    where the histogram's density is 0.
    """

    xs: np.ndarray
    hist: tuple
    vhist: tuple
    curves: tuple  # ((family, ys), ...)
    truth: np.ndarray | None
    train: np.ndarray
    test: np.ndarray
    zero_test: np.ndarray
    rows: tuple
    strip: tuple | None = None  # (train, test) jitter in [0, 1), when the strip is on


def strip_jitter(n_train: int, n_test: int, seed: int) -> tuple:
    """Seeded vertical jitter in [0, 1) for the strip of the training and the held-out points."""
    rng = np.random.default_rng([seed, 0x5717])
    return frozen_array(rng.random(n_train)), frozen_array(rng.random(n_test))


@dataclass(frozen=True, eq=False)
class View2D:
    """The 2-D heatmap of one estimate, its contour levels, the points and the leaderboard.

    ``density`` has shape (len(ys), len(xs)); ``levels`` are the densities above
    which 25 %, 50 % and 75 % of the training points lie.
    """

    family: str
    xs: np.ndarray
    ys: np.ndarray
    density: np.ndarray
    levels: tuple
    train: np.ndarray
    test: np.ndarray
    zero_test: np.ndarray
    rows: tuple


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def _best(curves: dict, family: str, d: int = 1) -> tuple[str, float]:
    curve = curves.get(family)
    if curve is None:
        return "…", math.nan
    label = {"hist": "bins", "vhist": "pts/bin", "kde": "h" if d == 1 else "f", "gmm": "K", "dpgmm": "α"}[family]
    value = curve.best_setting
    text = f"{label} = {int(value)}" if family in ("hist", "vhist", "gmm") else f"{label} = {_fmt(value)}"
    if family == "dpgmm" and curve.extra("n_used") is not None:
        text += f" ({int(curve.extra('n_used')[curve.best])} used)"
    suffix = (" by CV" if curve.cv is not None else "") + ("" if curve.complete else " so far")
    return text + suffix, float(curve.test[curve.best])


def _row(family, setting, est, split, curves, *, cache: dict | None = None, key=None, data=None,
         defer: bool = False, note: str = "") -> Row:
    """The row of ``est``; with ``cache`` and ``key``, its scores are computed once per data (``defer``:
    not now, "…" until they are)."""
    if est is None or (defer and cache is not None and key not in cache):
        train = test = error = math.nan
        zero = 0
    elif cache is not None and key in cache:
        train, test, zero, error = cache[key]
    else:
        train, test, zero, error = fit_scores(est, split)
        error = _ise(est, data)
        if cache is not None:
            cache[key] = (train, test, zero, error)
    best, best_test = _best(curves, family, split.n_features)
    return Row(family, FAMILY_TITLES[family], setting, train, test, zero, best, best_test, error, note)


def mixture_row_key(family: str, setting) -> tuple:
    """The leaderboard cache's key of the mixture fitted at ``setting`` (K, or a concentration): the worker
    scores the sweep's mixtures, and the lab files the scores under this key for the rows to find."""
    return (family, int(setting)) if family == "gmm" else (family, CONCENTRATIONS.index(setting))


def _ise(est, data) -> float:
    """ISE to the truth on :func:`~.distance.truth_grid` (the true density there computed once per data)."""
    if data is None or data.truth is None:
        return math.nan
    if isinstance(est, _BinnedKde):
        est = fit_kde(est.train, est.bandwidth)  # density_on evaluates it binned on the fine grid
    grid, p = _cached(data.cache, "truth-grid", lambda: truth_density_grid(data.truth))
    return ise(est, data.truth, grid, p)


@dataclass(frozen=True, eq=False)
class _BinnedKde:
    """A 1-D KDE scored by the binned evaluation (exact in the tails): fast enough for a slider."""

    train: np.ndarray
    bandwidth: float

    def log_density(self, X) -> np.ndarray:
        return kde_log_density_1d(self.train, self.bandwidth, np.asarray(X).reshape(-1))


def view_1d(data: LabData, s: DensitySettings, fits: dict, curves: dict, *, defer: bool = False) -> View1D:
    """The 1-D plot and leaderboard for settings ``s``.

    ``fits`` maps (family, setting) -> fitted mixture from the sweep; ``curves`` family -> Curve.
    ``defer``: the rows whose scores are not known yet (the equal-mass bins', the kernel's, the
    truth's: tens of ms at n = 1e5) are left as "…" (nan), for a window to fill in a moment later.
    """
    split = data.split
    lo, hi = split.window[0]
    pad = 0.08 * (hi - lo)
    cache = data.cache
    xs = _cached(cache, "xs", lambda: frozen_array(np.linspace(lo - pad, hi + pad, PLOT_POINTS)))
    hist, hist_row, zero = _cached(cache, ("hist-1d", s.bins, s.origin, s.pseudo_count, _best(curves, "hist")),
                                   lambda: _fixed_1d(data, s, curves))
    pc = s.pseudo_count
    if ("vhist", pc) not in cache:  # the equal-mass bins depend on the data and the pseudo-count only
        cache[("vhist", pc)] = equal_mass_histogram(split.X_train, split.window[0], pseudo_count=pc)
    vhist = cache[("vhist", pc)]
    h = float(data.bandwidths[s.bandwidth_index])
    kde = _BinnedKde(split.X_train[:, 0], h)
    gmm = fits.get(("gmm", s.k))
    dp = fits.get(("dpgmm", s.concentration))
    ys = [("kde", _cached(cache, ("kde-xs", h), lambda: frozen_array(binned_kde_1d(split.X_train[:, 0], h, xs))))]
    ys += [(f, _cached(cache, (f, "xs", m), lambda m=m: frozen_array(np.exp(m.log_density(xs)))))
           for f, m in (("gmm", gmm), ("dpgmm", dp)) if m is not None]
    rows = (
        hist_row,
        _row("vhist", f"pts/bin ≈ √n = {int(math.sqrt(split.train.size))}", vhist, split, curves, cache=cache,
             key=("vhist-row", pc), data=data, defer=defer),
        _row("kde", f"h = {_fmt(h)}", kde, split, curves, cache=cache, key=("kde", s.bandwidth_index),
             data=data, defer=defer),
        _row("gmm", f"K = {s.k}" + ("" if gmm is not None else " (fitting…)"), gmm, split, curves, cache=cache,
             key=mixture_row_key("gmm", s.k), data=data),
        _row("dpgmm", f"α = {_fmt(s.concentration)}" + (_dp_note(dp) if dp is not None else " (fitting…)"),
             dp, split, curves, cache=cache, key=mixture_row_key("dpgmm", s.concentration), data=data,
             note=_dp_tip(dp)),
    )
    truth = _cached(cache, "truth-xs", lambda: frozen_array(data.truth.pdf(xs))) if data.truth is not None else None
    if data.truth is not None and "truth-row" not in cache and not defer:
        cache["truth-row"] = _truth_row(data)
    truth_row = cache.get("truth-row") or Row("truth", "True density", data.truth.key if data.truth else "",
                                              math.nan, math.nan, 0, "", math.nan)
    steps = _cached(cache, ("steps", s.bins, s.origin, pc), lambda: (_steps(hist.edges[0], hist.densities()),
                                                                     _steps(vhist.edges[0], vhist.densities())))
    return View1D(xs, *steps, tuple(ys), truth,
                  data.x_train, data.x_test, frozen_array(zero, bool),
                  rows + ((truth_row,) if data.truth is not None else ()),
                  _cached(cache, ("strip", s.seed), lambda: strip_jitter(data.x_train.shape[0], data.x_test.shape[0],
                                                                         s.seed)) if s.strip else None)


def _dp_note(dp) -> str:
    """How many components the infinite mixture uses (the rest, and its points, are in :func:`_dp_tip`)."""
    return f" ({dp.n_used} used)"


def _dp_tip(dp) -> str:
    """The infinite mixture's row tooltip: what "used" means, and on how many training points it was fitted."""
    if dp is None:
        return ""
    k = dp.density.mixture.weights.shape[0]
    return (f"{dp.n_used} of its {k} components carry at least {USED_WEIGHT:.0%} of the weight; "
            f"fitted to all {dp.n_points:,} training points")


def _fixed_1d(data: LabData, s: DensitySettings, curves: dict):
    """The fixed histogram, its row and the held-out points of zero density, from the cached sorted points.

    The training score is sum_j c_j ln p_j / n (each bin once, not each point); the same number
    as the mean over the points, in another order of summation.
    """
    split, cache = data.split, data.cache
    if "sorted" not in cache:
        cache["sorted"] = np.sort(data.x_train)
    lo, hi = split.window[0]
    edges = frozen_array(fixed_edges(lo, hi, s.bins, s.origin))
    counts = frozen_array(sorted_counts(cache["sorted"], edges), np.int64)
    hist = HistogramDensity((edges,), counts, int(split.train.size), float(s.pseudo_count))
    with np.errstate(divide="ignore"):
        log_d = np.log(hist.densities())
    used = counts > 0
    train = float((counts[used] * log_d[used]).sum() / split.train.size)
    log_test = hist.log_density(data.x_test)
    held = HeldOut.of(log_test)
    best, best_test = _best(curves, "hist")
    row = Row("hist", FAMILY_TITLES["hist"], f"bins = {s.bins}", train, held.mean, held.n_zero, best, best_test,
              _ise(hist, data))
    return hist, row, log_test == -np.inf


def _cached(cache: dict, key, make):
    if key not in cache:
        cache[key] = make()
    return cache[key]


def _truth_row(data: LabData) -> Row:
    t = data.truth
    tr = float(np.mean(t.log_pdf(data.x_train)))
    te = float(np.mean(t.log_pdf(data.x_test)))
    return Row("truth", "True density", t.key, tr, te, 0, "", math.nan)


def _steps(edges: np.ndarray, heights: np.ndarray) -> tuple:
    return frozen_array(edges), frozen_array(heights)


def view_2d(data: LabData, s: DensitySettings, fits: dict, curves: dict, *, grid: int = GRID_2D) -> View2D:
    """The 2-D heatmap of ``s.estimator_2d`` and the leaderboard of the five families."""
    split = data.split
    window = split.window
    pad = 0.05 * (window[:, 1] - window[:, 0])
    xs = np.linspace(window[0, 0] - pad[0], window[0, 1] + pad[0], grid)
    ys = np.linspace(window[1, 0] - pad[1], window[1, 1] + pad[1], grid)
    f = float(data.bandwidths[s.bandwidth_index])
    estimators = {
        "hist": fixed_histogram(split.X_train, s.bins, window, origin=s.origin, pseudo_count=s.pseudo_count),
        "vhist": _cached(data.cache, ("vhist", s.pseudo_count),
                         lambda: kd_histogram(split.X_train, window, pseudo_count=s.pseudo_count)),
        "kde": fit_kde(split.X_train, f),
        "gmm": fits.get(("gmm", s.k)),
        "dpgmm": fits.get(("dpgmm", s.concentration)),
    }
    dp = estimators["dpgmm"]
    settings = {"hist": f"{s.bins} × {s.bins} bins", "vhist": f"k-d cells ≈ √n = {int(math.sqrt(split.train.size))}",
                "kde": f"f = {_fmt(f)}", "gmm": f"K = {s.k}" + ("" if estimators["gmm"] is not None else " (fitting…)"),
                "dpgmm": f"α = {_fmt(s.concentration)}" + (_dp_note(dp) if dp is not None else " (fitting…)")}
    keys = {"hist": None, "vhist": ("vhist-row", s.pseudo_count), "kde": ("kde", s.bandwidth_index),
            "gmm": mixture_row_key("gmm", s.k), "dpgmm": mixture_row_key("dpgmm", s.concentration)}
    notes = {"dpgmm": _dp_tip(dp)}
    rows = tuple(_row(fam, settings[fam], est, split, curves, cache=data.cache if keys[fam] else None, key=keys[fam],
                      note=notes.get(fam, ""))
                 for fam, est in estimators.items())
    family = s.estimator_2d if estimators[s.estimator_2d] is not None else "kde"
    shown = estimators[family]
    setting = {"hist": (s.bins, s.origin), "vhist": (), "kde": (s.bandwidth_index,), "gmm": (s.k,),
               "dpgmm": (s.concentration_index,)}[family]

    def image():  # once per estimator and setting: a 2-D kernel estimate on the grid is exact, n x grid^2 terms
        G = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
        at_train = np.exp(shown.log_density(split.X_train))
        return (np.exp(shown.log_density(G)).reshape(grid, grid),
                tuple(float(v) for v in np.quantile(at_train, [0.75, 0.5, 0.25])),
                shown.log_density(split.X_test) == -np.inf)

    density, levels, zero = _cached(data.cache, ("image", family, s.pseudo_count, grid, *setting), image)
    return View2D(family, frozen_array(xs), frozen_array(ys), frozen_array(density), levels,
                  data.x_train, data.x_test, frozen_array(zero, bool), rows)
