"""The theory lab's own computations, timed against an EM iteration measured in the same run.

0. The algorithms beside EM (``bench_algorithms.py``, run first unless ``--views-only``): one gradient-ascent
   iteration against one EM iteration at N = 1e5, k = 10 (target <= 1.5), one VB iteration against
   scikit-learn's ``BayesianGaussianMixture`` per iteration (target <= 0.2).
1. The minorise-maximise slice (``mm_slice``: 201 values of alpha, one fused pass each for ln p, O(k) for the
   bound) at N = 1e3 .. 1e5, and its ratio to one EM iteration on the same points.
2. The 2-parameter slice (``mm_surface`` on the view's 41 x 41 grid, one pass per grid point).
3. The score-function estimator as the view draws it (m = 100 samples, 200 repeats at the fitted mixture):
   time, and its spread against the exact gradient, for the prior sampler (the slide's) and the posterior
   one, as the number of points T grows: the prior sampler's spread explodes and its effective sample
   size falls to 1, the posterior's stays small.

Times are the best of several repeats (median in brackets); one BLAS thread.

Run:  python bench/bench_theory.py [--quick] [--views-only]
"""

from __future__ import annotations  # noqa: I001  (gmmviz first: it pins BLAS threads before numpy)

import argparse
import warnings

import gmmviz  # noqa: F401
import numpy as np
from bench_algorithms import algorithms_report, blobs, fmt, per_iteration
from threadpoolctl import threadpool_limits
from timing import timed

from gmmviz.labs.em.core.algorithms.gradient import Layout
from gmmviz.labs.em.core.algorithms.score import score_estimates
from gmmviz.labs.em.core.fused import Workspace
from gmmviz.labs.em.core.presets import preset
from gmmviz.labs.em.core.steps import em_steps, run_em
from gmmviz.labs.em.core.types import FitConfig
from gmmviz.labs.theory.core.mm_slice import mm_slice, mm_surface
from gmmviz.labs.theory.core.surface_view import grid_around

GRID = 41  # the surface view's grid


def em_step(X: np.ndarray, k: int, seed: int = 0):
    """(theta_k, theta_k+1, seconds per EM iteration) of a short EM run on ``X``: the step the views draw."""
    ws = Workspace.build(X)
    config = FitConfig(n_components=k, max_iter=5, tol=0.0, reg_covar=0.0, random_state=seed, init="random")
    snaps = run_em(X, config, workspace=ws)
    ms = [s for s in snaps if s.phase in ("init", "M")]
    it = per_iteration(lambda: em_steps(X, config, keep_resp=False, workspace=ws), 3)
    return ms[1].params, ms[2].params, ws, it


def slice_report(sizes, k_values, repeats: int) -> None:
    print("\nThe minorise-maximise slice (201 alphas), against one EM iteration on the same points")
    for n in sizes:
        for k in k_values:
            X = blobs(n, k)
            old, new, ws, em = em_step(X, k)
            t = timed(lambda: mm_slice(X, old, new, workspace=ws), repeats)
            s = mm_slice(X, old, new, workspace=ws)
            print(f"  N = {n:>7,}, k = {k:>2}: {fmt(t)}   {t[0] / 201 * 1e3:6.3f} ms per alpha;  EM iteration "
                  f"{em[0] * 1e3:6.2f} ms, ratio {t[0] / em[0]:6.1f}   (bound's maximum at alpha = {s.argmax_bound:.2f})")


def surface_report(sizes, k: int, repeats: int) -> None:
    print(f"\nThe 2-parameter slice ({GRID} x {GRID} grid, mu1,x / mu1,y), against one EM iteration")
    coords = ((0, 0), (0, 1))
    for n in sizes:
        X = blobs(n, k)
        old, new, ws, em = em_step(X, k)
        xs, ys = grid_around(np.array([[old.means[0, 0], old.means[0, 1]], [new.means[0, 0], new.means[0, 1]]]),
                             X, n=GRID)
        t = timed(lambda: mm_surface(X, old, new, coords, xs, ys, workspace=ws), repeats)
        print(f"  N = {n:>7,}, k = {k:>2}: {fmt(t)}   {t[0] / GRID**2 * 1e3:6.3f} ms per grid point;  "
              f"EM iteration {em[0] * 1e3:6.2f} ms, ratio {t[0] / em[0]:7.1f}")


def score_report(T_values, k: int, samples: int, repeats: int, timing_repeats: int) -> None:
    print(f"\nThe score-function estimator (k = {k}, m = {samples}, {repeats} estimates at EM's fit to the Blobs "
          "preset, the lab's scene; the likelihood of its first T points)")
    print("  sampler    T   time                 |spread| / |exact|   |mean - exact| / |exact|   median ESS   "
          "negligible z")
    p = preset("blobs")
    X = p.build(p.n_points, p.seed).dataset.X
    ws = Workspace.build(X)
    fit = run_em(X, FitConfig(n_components=k, max_iter=50, random_state=0), workspace=ws)[-1]
    params = ws.std.params_to_std(fit.params)
    layout = Layout(k, "full")
    theta = layout.pack(params.weights, params.means, params.full_covariances())
    for sampler in ("prior", "posterior"):
        for T in T_values:
            Xs = ws.Xs[:T]
            t = timed(lambda: score_estimates(Xs, layout, theta, samples=samples, sampler=sampler,
                                              repeats=repeats, rng=0), timing_repeats)
            with np.errstate(invalid="ignore", over="ignore"):
                est = score_estimates(Xs, layout, theta, samples=samples, sampler=sampler, repeats=repeats, rng=0)
                norm = np.linalg.norm(est.exact)
                spread = np.linalg.norm(est.spread) / norm
                error = np.linalg.norm(est.mean - est.exact) / norm
            print(f"  {sampler:<9} {T:>3}   {fmt(t)}   {spread:18.3g}   {error:24.3g}   "
                  f"{np.median(est.ess):10.3g}   {100 * est.negligible:10.1f} %")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer sizes and repeats")
    parser.add_argument("--views-only", action="store_true", help="skip bench_algorithms' GA/VB ratios")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    repeats = 2 if args.quick else 3
    with threadpool_limits(1):
        if not args.views_only:
            algorithms_report(100_000, 10, *((8, 2) if args.quick else (20, 4)))
        slice_report((1_000, 10_000) if args.quick else (1_000, 10_000, 100_000), (3, 10), repeats)
        surface_report((1_000, 10_000) if args.quick else (1_000, 10_000, 100_000), 3, 1 if args.quick else 2)
        score_report((2, 5, 10, 20, 50), 3, 100, 200, repeats)


if __name__ == "__main__":
    main()
