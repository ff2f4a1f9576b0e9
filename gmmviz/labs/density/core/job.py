"""The lab's data and its background sweep (Qt-free): what the run controller runs.

:func:`lab_data` builds the points the lab scores (a generated 1-D sample, or
the shared painted points in 2-D) with their seeded split and the 50
bandwidths of the sweep.  :func:`sweep_items` is the job's generator: it
yields the complexity curves one family at a time, and each mixture as it is
fitted (the K slider then shows a fit without fitting in the window's
thread); every item is immutable.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from gmmviz.core.data import frozen_array
from gmmviz.core.errors import GmmvizError
from gmmviz.labs.density.core.distance import ise, truth_grid
from gmmviz.labs.density.core.kde_cv import bandwidth_grid
from gmmviz.labs.density.core.mixture import fit_gmm
from gmmviz.labs.density.core.scores import HeldOut, kfold
from gmmviz.labs.density.core.settings import (
    CONCENTRATIONS,
    MAX_K,
    N_BANDWIDTHS,
    DensitySettings,
)
from gmmviz.labs.density.core.sweep import (
    Curve,
    Split,
    hist_curve,
    kde_curve,
    mixture_curve,
    vhist_curve,
)
from gmmviz.labs.density.core.truth import Distribution, distribution

#: Fewest painted points the 2-D mode scores.
MIN_POINTS_2D = 8
#: Bins per axis the 2-D sweep tries (b x b cells).
MAX_BINS_2D = 40
#: Folds of the bandwidth's cross-validation.
CV_FOLDS = 5


@dataclass(frozen=True, eq=False)
class LabData:
    """The points of the view with their split.

    Attributes
    ----------
    split : Split
    truth : Distribution or None
        The true density (1-D generated samples).
    bandwidths : ndarray of shape (50,)
        The bandwidth slider's stops (h in 1-D, a factor in 2-D).
    key : tuple
        The settings it was made from (:meth:`DensitySettings.data_key`), or the points' identity in 2-D.
    x_train, x_test : ndarray
        The training and held-out points, (n,) in 1-D and (n, 2) in 2-D, made once (the plots
        redraw their rugs only when these arrays change).
    cache : dict
        Scores of estimators that do not change with the sliders (filled by :mod:`.view`,
        in the window's thread only).
    """

    split: Split
    truth: Distribution | None
    bandwidths: np.ndarray
    key: tuple
    x_train: np.ndarray = None
    x_test: np.ndarray = None
    cache: dict = field(default_factory=dict)


def lab_data(settings: DensitySettings, points: np.ndarray | None = None) -> LabData:
    """The lab's points: a sample of ``settings.distribution`` (1-D) or ``points`` (2-D)."""
    if settings.mode == "1d":
        truth = distribution(settings.distribution)
        X = truth.sample(settings.n, settings.seed)[:, None]
    else:
        truth = None
        X = np.zeros((0, 2)) if points is None else np.asarray(points, dtype=np.float64)
        if X.shape[0] < MIN_POINTS_2D:
            raise GmmvizError(f"the 2-D mode scores the painted points: paint at least {MIN_POINTS_2D} "
                              f"(there are {X.shape[0]}), or load a CSV")
    split = Split.make(X, test_size=settings.test_size, seed=settings.seed)
    squeeze = (lambda A: A[:, 0]) if settings.mode == "1d" else (lambda A: A)
    return LabData(split, truth, frozen_array(bandwidth_grid(split.X_train, N_BANDWIDTHS)), settings.data_key(),
                   frozen_array(squeeze(split.X_train)), frozen_array(squeeze(split.X_test)))


def bins_tried(split: Split) -> list[int]:
    return list(range(1, (200 if split.n_features == 1 else MAX_BINS_2D) + 1))


def points_per_bin_tried(n: int) -> list:
    """Equal-mass sizes around sqrt(n): sqrt(n) / 8 ... 8 sqrt(n) (at least 1, at most n), and None for the
    sqrt(n) rule itself (groups of floor or ceil sqrt n), in increasing order."""
    root = math.isqrt(n)
    sizes = {max(1, min(n, round(math.sqrt(n) * f))) for f in (1 / 8, 1 / 4, 1 / 2, 2, 4, 8)} - {root}
    return sorted([*sizes, None], key=lambda m: root if m is None else m)


@dataclass(frozen=True, eq=False)
class SweepItem:
    """One result of the sweep: a curve (complete or growing) and, for mixtures, the fit just made.

    Attributes
    ----------
    curve : Curve
    setting : float or None
        The setting of ``fit`` (K, or a concentration).
    fit : object or None
        A fitted estimator (``MixtureDensity`` or ``DirichletMixture``).
    """

    curve: Curve
    setting: float | None = None
    fit: object | None = None
    scores: tuple | None = None


def fit_scores(est, split: Split, truth: Distribution | None = None, grid: tuple | None = None) -> tuple:
    """(train, test, held-out points of zero density, ISE to ``truth``) of a fitted estimator.

    ``grid`` is (nodes, true density there) of :func:`~.distance.truth_grid` (made if not given).
    """
    train = HeldOut.of(est.log_density(split.X_train)).mean
    held = HeldOut.of(est.log_density(split.X_test))
    if truth is None:
        return train, held.mean, held.n_zero, math.nan
    nodes, p = truth_density_grid(truth) if grid is None else grid
    return train, held.mean, held.n_zero, ise(est, truth, nodes, p)


def truth_density_grid(truth: Distribution) -> tuple:
    nodes = truth_grid(truth)
    return nodes, truth.pdf(nodes)


def sweep_items(data: LabData, settings: DensitySettings, *, dp_fit: Callable | None = None,
                cancelled: Callable[[], bool] = lambda: False,
                families=("hist", "vhist", "kde", "gmm", "dpgmm")) -> Iterator[SweepItem]:
    """The curves of ``families``, cheap ones first; mixtures one K (and one concentration) at a time.

    ``dp_fit(X, concentration, seed)`` fits the infinite mixture on all the training points (the lab
    passes a fresh :class:`~.dp_mixture.Continuation`; None leaves it out).
    """
    split, pc = data.split, settings.pseudo_count
    if "hist" in families:
        yield SweepItem(hist_curve(split, bins_tried(split), origin=settings.origin, pseudo_count=pc))
    if "vhist" in families:
        yield SweepItem(vhist_curve(split, points_per_bin_tried(split.train.size), pseudo_count=pc))
    if "kde" in families:
        # the bandwidth chosen by 5-fold cross-validation on the training points (the test points stay unseen)
        folds = kfold(split.train.size, min(CV_FOLDS, split.train.size), split.seed)
        with_cv = Split(split.X, split.train, split.test, split.window, folds, split.seed)
        yield SweepItem(kde_curve(with_cv, data.bandwidths))
    if "gmm" not in families:
        return
    yield from _mixtures(data, list(range(1, min(MAX_K, split.train.size) + 1)), "gmm", "K",
                         lambda X, k: fit_gmm(X, int(k), seed=settings.seed, tol=1e-4),
                         lambda m: {"bic": m.bic()}, cancelled)
    if dp_fit is not None and "dpgmm" in families:
        # from the largest concentration down (a :class:`~.dp_mixture.Continuation` starts each from the last)
        yield from _mixtures(data, sorted(CONCENTRATIONS, reverse=True), "dpgmm", "concentration",
                             lambda X, alpha: dp_fit(X, alpha, settings.seed), lambda m: {"n_used": m.n_used},
                             cancelled)


def _mixtures(data, settings, family, parameter, fit, extras, cancelled) -> Iterator[SweepItem]:
    split, truth, last = data.split, data.truth, {}
    grid = None if truth is None else truth_density_grid(truth)

    def remember(X, s):
        est = fit(X, s)
        last["fit"] = est
        return est

    for curve in mixture_curve(split, settings, remember, family=family, parameter=parameter, extras=extras):
        # the leaderboard's numbers of this fit, here in the worker (the window only looks them up)
        yield SweepItem(curve, float(curve.settings[-1]), last["fit"], fit_scores(last["fit"], split, truth, grid))
        if cancelled():
            return
