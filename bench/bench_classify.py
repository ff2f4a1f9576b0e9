"""The classification lab's speed, measured side by side with scikit-learn in one process.

1. The posterior map: ln p(x|y), ln P(y), ln p(x) and P(y|x) on a 400 x 400 grid,
   5 classes x 3 full components (target <= 15 ms), against the same numbers from
   scikit-learn (``GaussianMixture.score_samples`` per class on the grid points,
   plus the log priors and a logsumexp).
2. Refit after a point edit on 10,000 points (5 classes x 3 components), cold
   (k-means++ start) and warm (EM started from the previous fit, as the lab can),
   plus the posterior map: the computing part of the <= 50 ms refit-and-redraw
   target (the drawing is the Qt lab's, not measured here).
3. ``GMMClassifier.fit`` on 1e5 points, 3 classes x 3 components, against the same
   per-class fits with scikit-learn's ``GaussianMixture``: same initial parameters,
   tol = 0, the same number of iterations (target ratio <= 0.2).

Every figure is the best of several repeats (median in brackets); one BLAS thread.

Run:  python bench/bench_classify.py [--quick]
"""

from __future__ import annotations  # noqa: I001  (gmmviz first: it pins BLAS threads before numpy)

import argparse
import warnings

import gmmviz  # noqa: F401
import numpy as np
from scipy.special import logsumexp
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_limits

from gmmviz import GMMClassifier, posterior_map
from timing import timed  # noqa: E402 (bench/ is on sys.path when a script runs)


def classes_of_blobs(n: int, n_classes: int, k: int, seed: int):
    """n points in n_classes classes, each a mixture of k anisotropic blobs in a 20 x 20 box."""
    rng = np.random.default_rng(seed)
    X, y = [], []
    for c in range(n_classes):
        m = n // n_classes
        centres = rng.uniform(-10, 10, (k, 2))
        A = rng.normal(size=(k, 2, 2)) * 0.6
        z = rng.integers(0, k, m)
        X.append(centres[z] + np.einsum("nij,nj->ni", A[z], rng.normal(size=(m, 2))))
        y += [c] * m
    return np.vstack(X), np.array(y)


def ms(t: tuple[float, float]) -> str:
    return f"{t[0] * 1e3:8.2f} ms ({t[1] * 1e3:.2f})"


def starts(X, y, k: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    out = {}
    for c in np.unique(y):
        Xc = X[y == c]
        out[int(c)] = {"weights": np.full(k, 1 / k), "means": Xc[rng.choice(len(Xc), k, replace=False)],
                       "covariances": np.repeat(np.cov(Xc.T)[None] / k, k, axis=0)}
    return out


def bench_map(repeats: int) -> None:
    X, y = classes_of_blobs(10_000, 5, 3, seed=1)
    est = GMMClassifier(3).fit(X, y)
    xs = np.linspace(-14, 14, 400)
    ys = np.linspace(-12, 12, 400)
    gx, gy = np.meshgrid(xs, ys)
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    gms = []
    for c in range(5):  # scikit-learn mixtures holding exactly our parameters
        gm = GaussianMixture(3)
        gm.weights_, gm.means_, gm.covariances_ = est.weights_[c], est.means_[c], est.covariances_[c]
        gm.precisions_cholesky_ = np.array(est.model_.densities[c].precisions_cholesky)
        gms.append(gm)
    log_prior = np.log(est.class_prior_)

    def sklearn_map():
        ll = np.stack([gm.score_samples(grid) for gm in gms], axis=1) + log_prior
        return np.exp(ll - logsumexp(ll, axis=1, keepdims=True))

    ours = timed(lambda: posterior_map(est, xs, ys), repeats)
    theirs = timed(sklearn_map, max(3, repeats // 3))
    err = np.abs(posterior_map(est, xs, ys).posterior - sklearn_map().T.reshape(5, 400, 400)).max()
    print("1. posterior map, 400 x 400 grid, 5 classes x 3 full components")
    print(f"   gmmviz posterior_map     {ms(ours)}   target <= 15 ms: {'ok' if ours[0] <= 0.015 else 'MISSED'}")
    print(f"   scikit-learn (same maths) {ms(theirs)}")
    print(f"   ratio {ours[0] / theirs[0]:.3f}; largest difference in P(y|x) {err:.1e}")


def bench_refit(repeats: int) -> None:
    X, y = classes_of_blobs(10_000, 5, 3, seed=2)
    xs, ys = np.linspace(-14, 14, 400), np.linspace(-12, 12, 400)
    before = GMMClassifier(3).fit(X, y)
    X2 = np.vstack([X, [[0.5, 0.5]]])
    y2 = np.r_[y, 0]  # one point painted
    warm_start = {c: {"weights": w, "means": m, "covariances": s}
                  for c, w, m, s in zip(before.classes_.tolist(), before.weights_, before.means_, before.covariances_)}
    cold = timed(lambda: posterior_map(GMMClassifier(3).fit(X2, y2), xs, ys), repeats)
    warm = timed(lambda: posterior_map(GMMClassifier(init_params=warm_start).fit(X2, y2), xs, ys), repeats)
    print("2. refit after a point edit + posterior map, 10,000 points, 5 classes x 3 components")
    print(f"   cold (k-means++ start)       {ms(cold)}")
    print(f"   warm (from the previous fit) {ms(warm)}   target <= 50 ms with the redraw: "
          f"{'ok' if warm[0] <= 0.050 else 'MISSED'} (drawing not included)")


def bench_fit(repeats: int, iterations: tuple[int, ...]) -> None:
    X, y = classes_of_blobs(100_000, 3, 3, seed=3)
    init = starts(X, y, 3, seed=4)

    def sklearn_fit(m):
        for c, s in init.items():
            GaussianMixture(3, weights_init=s["weights"], means_init=s["means"],
                            precisions_init=np.linalg.inv(s["covariances"]), tol=0.0, max_iter=m).fit(X[y == c])

    print("3. GMMClassifier.fit, 1e5 points, 3 classes x 3 full components, same start, tol = 0")
    for m in iterations:
        ours = timed(lambda m=m: GMMClassifier(3, init_params=init, tol=0.0, max_iter=m).fit(X, y), repeats)
        theirs = timed(lambda m=m: sklearn_fit(m), max(2, repeats // 2))
        ratio = ours[0] / theirs[0]
        print(f"   {m:>3} iterations: gmmviz {ms(ours)}   scikit-learn {ms(theirs)}   ratio {ratio:.3f}"
              f"   target <= 0.2: {'ok' if ratio <= 0.2 else 'MISSED'}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = timed(lambda: GMMClassifier(3, random_state=0).fit(X, y), max(2, repeats // 2))
        theirs = timed(lambda: [GaussianMixture(3, random_state=0).fit(X[y == c]) for c in range(3)], 2)
    print(f"   defaults (each its own k-means start, tol 1e-3): gmmviz {ms(ours)}   scikit-learn {ms(theirs)}"
          f"   ratio {ours[0] / theirs[0]:.3f} (iterations differ)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeats = 5 if args.quick else 15
    warnings.simplefilter("ignore", ConvergenceWarning)  # scikit-learn with tol = 0 says so every fit
    with threadpool_limits(1):
        bench_map(repeats)
        bench_refit(max(3, repeats // 3))
        bench_fit(max(3, repeats // 5), (20, 100))


if __name__ == "__main__":
    main()
