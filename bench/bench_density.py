"""The density lab's speed, measured side by side with numpy/scipy/scikit-learn in one process.

1. The full complexity sweep on n = 10,000 1-D points (a bimodal sample, 25 % held
   out): fixed histograms with 1..200 bins (train, test and 5-fold CV), 50 KDE
   bandwidths with 5-fold CV (plus train and test), Gaussian mixtures K = 1..10
   (train, test, BIC).  Target <= 1 s.  Baselines: the same histograms with
   ``np.histogram`` per fold, ``GridSearchCV(KernelDensity)`` on the same folds
   (5 of the 50 bandwidths, scaled to 50: the whole grid takes minutes), and
   scikit-learn's ``GaussianMixture`` for K = 1..10 with the same tolerance.
2. KDE on a 1-D grid of 2,000 points for n = 1e5: binning + FFT against
   ``scipy.stats.gaussian_kde`` with the same bandwidth (target >= 10x), and the
   largest difference relative to the peak density (target < 1e-4).
3. What a slider move recomputes at n = 1e5 (target <= 30 ms with the drawing):
   a histogram at a new number of bins, the KDE curve at a new bandwidth on 1,000
   plot points, the mixture's curve.

Every figure is the best of several repeats (median in brackets); one BLAS thread.

Run:  python bench/bench_density.py [--quick]
"""

from __future__ import annotations  # noqa: I001  (gmmviz first: it pins BLAS threads before numpy)

import argparse
import warnings

import gmmviz  # noqa: F401
import numpy as np
from scipy import stats
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import KernelDensity
from threadpoolctl import threadpool_limits

from gmmviz.labs.density.core.histogram import fixed_edges, fixed_histogram
from gmmviz.labs.density.core.kde import binned_kde_1d, rule_bandwidth
from gmmviz.labs.density.core.kde_cv import bandwidth_grid
from gmmviz.labs.density.core.mixture import fit_gmm
from gmmviz.labs.density.core.sweep import Split, gmm_curve, hist_curve, kde_curve, last
from gmmviz.labs.density.core.truth import distribution
from timing import timed  # noqa: E402 (bench/ is on sys.path when a script runs)


def show(name: str, t: tuple[float, float], unit: float = 1.0, label: str = "s") -> None:
    print(f"  {name:<52} {t[0] / unit:9.3f} {label}  [{t[1] / unit:.3f}]")


def sweep_bench(repeats: int) -> None:
    x = distribution("bimodal").sample(10_000, 0)
    split = Split.make(x, test_size=0.25, seed=0, folds=5)
    bws = bandwidth_grid(split.X_train, 50)
    print("1. full sweep, n = 10,000 (7,500 training, 2,500 test, 5 folds)")
    t_hist = timed(lambda: hist_curve(split, range(1, 201)), repeats)
    t_kde = timed(lambda: kde_curve(split, bws), repeats)
    no_cv = Split(split.X, split.train, split.test, split.window, None, split.seed)
    t_gmm = timed(lambda: last(gmm_curve(no_cv, range(1, 11))), max(1, repeats // 2))
    total = t_hist[0] + t_kde[0] + t_gmm[0]
    show("histograms, bins 1..200 (train, test, 5-fold CV)", t_hist)
    show("KDE, 50 bandwidths (train, test, 5-fold CV)", t_kde)
    show("GMM, K = 1..10 (train, test, BIC)", t_gmm)
    print(f"  {'total (target <= 1 s)':<52} {total:9.3f} s")

    x_tr, x_te = split.X_train[:, 0], split.X_test[:, 0]

    def np_hist():
        for b in range(1, 201):
            edges = fixed_edges(*split.window[0], b)
            for a, t in [(np.arange(x_tr.size), None), *split.folds]:
                np.histogram(x_tr[a], edges)
            np.digitize(x_te, edges)

    t_np = timed(np_hist, repeats)
    folds = list(split.folds)
    few = bws[::10]
    t_sk = timed(lambda: GridSearchCV(KernelDensity(), {"bandwidth": few}, cv=folds).fit(x_tr[:, None]), 1)
    t_sk = (t_sk[0] * len(bws) / len(few), t_sk[1] * len(bws) / len(few))

    def sk_gmm():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            for k in range(1, 11):
                gm = GaussianMixture(k, tol=1e-4, random_state=0).fit(x_tr[:, None])
                gm.score_samples(x_te[:, None])
                gm.bic(x_tr[:, None])

    t_skg = timed(sk_gmm, max(1, repeats // 2))
    show("baseline: np.histogram per fold, bins 1..200", t_np)
    show("baseline: GridSearchCV(KernelDensity), 50 bw (x10 of 5)", t_sk)
    show("baseline: sklearn GaussianMixture K = 1..10", t_skg)
    print(f"  ratios (ours / baseline): histograms {t_hist[0] / t_np[0]:.3f}, KDE CV {t_kde[0] / t_sk[0]:.4f}, "
          f"GMM {t_gmm[0] / t_skg[0]:.2f}")


def fft_bench(repeats: int) -> None:
    rng = np.random.default_rng(1)
    x = np.r_[rng.normal(-2, 1, 60_000), rng.gamma(2.0, 1.0, 40_000)]
    h = rule_bandwidth(x, "scott")
    grid = np.linspace(x.min() - 3 * h, x.max() + 3 * h, 2000)
    oracle = stats.gaussian_kde(x, bw_method=h / x.std(ddof=1))
    t_ours = timed(lambda: binned_kde_1d(x, h, grid), repeats)
    t_scipy = timed(lambda: oracle(grid), 1)
    exact, fast = oracle(grid), binned_kde_1d(x, h, grid)
    err = float(np.abs(fast - exact).max() / exact.max())
    bulk = exact > 1e-3 * exact.max()
    pointwise = float((np.abs(fast - exact)[bulk] / exact[bulk]).max())
    print("2. KDE on a 2,000-point grid, n = 1e5")
    show("binned + FFT", t_ours, 1e-3, "ms")
    show("scipy.stats.gaussian_kde", t_scipy, 1e-3, "ms")
    print(f"  speed-up {t_scipy[0] / t_ours[0]:.0f}x (target >= 10x); max |difference| / peak {err:.2e} "
          f"(target < 1e-4); max relative where p > 1e-3 peak {pointwise:.2e}")


def slider_bench(repeats: int) -> None:
    x = distribution("mixture").sample(100_000, 2)
    window = [[x.min(), x.max()]]
    gmm = fit_gmm(x, 3)
    plot = np.linspace(x.min(), x.max(), 1000)
    h = rule_bandwidth(x, "silverman")
    print("3. a slider move at n = 1e5 (the computing part; target <= 30 ms with the drawing)")
    show("histogram at a new number of bins (fit + densities)",
         timed(lambda: fixed_histogram(x, 57, window).densities(), repeats), 1e-3, "ms")
    show("KDE curve at a new bandwidth, 1,000 plot points",
         timed(lambda: binned_kde_1d(x, 1.3 * h, plot), repeats), 1e-3, "ms")
    show("mixture curve, 1,000 plot points", timed(lambda: gmm.log_density(plot), repeats), 1e-3, "ms")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="fewer repeats")
    args = p.parse_args()
    repeats = 2 if args.quick else 5
    with threadpool_limits(1):
        sweep_bench(repeats)
        fft_bench(repeats)
        slider_bench(repeats)


if __name__ == "__main__":
    main()
