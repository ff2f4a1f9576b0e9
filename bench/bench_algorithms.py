"""The algorithms beside EM, timed side by side in one process (N = 1e5 points, k = 10, full covariances).

1. Gradient ascent: time per iteration with a fixed step (one fused pass, like EM) and with the line search
   (one pass per trial), against an EM iteration on the same data from the same start (target ratio <= 1.5).
2. Variational Bayes: time per iteration (q(z) then q(pi, mu, Lambda)), with and without the extra pass
   that evaluates ln p at the point estimates, against scikit-learn's ``BayesianGaussianMixture``
   stepped one iteration at a time (``warm_start=True, max_iter=1``, one ``fit`` call per iteration, as the
   parity tests step it) and in its own loop (``max_iter`` iterations, ``tol=0``, per iteration,
   initialisation excluded) (target ratio <= 0.2).

Every figure is the best of several repeats (median in brackets); one BLAS thread.

Run:  python bench/bench_algorithms.py [--quick]
"""

from __future__ import annotations  # noqa: I001  (gmmviz first: it pins BLAS threads before numpy)

import argparse
import time
import warnings

import gmmviz  # noqa: F401
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import BayesianGaussianMixture
from threadpoolctl import threadpool_limits

from gmmviz.labs.em.core.algorithms.ascent import ga_steps
from gmmviz.labs.em.core.algorithms.types import GradientConfig, VBConfig
from gmmviz.labs.em.core.algorithms.vb import vb_steps
from gmmviz.labs.em.core.fused import Workspace
from gmmviz.labs.em.core.steps import em_steps
from gmmviz.labs.em.core.types import FitConfig


def blobs(n: int, k: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-10, 10, (k, 2))
    A = rng.normal(size=(k, 2, 2)) * 0.6
    z = rng.integers(0, k, n)
    return centres[z] + np.einsum("nij,nj->ni", A[z], rng.normal(size=(n, 2)))


def per_iteration(make, repeats: int) -> tuple[float, float]:
    """(best, median) seconds per iteration of draining ``make()`` (initialisation subtracted)."""
    times = []
    for _ in range(repeats + 1):
        gen = make()
        last = next(gen)  # the initialisation, not timed
        t1 = time.perf_counter()
        for last in gen:
            pass
        t2 = time.perf_counter()
        times.append((t2 - t1) / max(last.iteration, 1))
    times = times[1:]  # the first is a warm-up
    return min(times), float(np.median(times))


def sklearn_stepped(X, k: int, iters: int, repeats: int) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        est = BayesianGaussianMixture(n_components=k, warm_start=True, max_iter=1, random_state=0)
        est.fit(X)  # the initialisation and a first iteration
        t0 = time.perf_counter()
        for _ in range(iters):
            est.fit(X)
        times.append((time.perf_counter() - t0) / iters)
    return min(times), float(np.median(times))


def sklearn_loop(X, k: int, iters: int, repeats: int) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        BayesianGaussianMixture(n_components=k, max_iter=1, tol=0.0, random_state=0).fit(X)
        t1 = time.perf_counter()
        BayesianGaussianMixture(n_components=k, max_iter=iters + 1, tol=0.0, random_state=0).fit(X)
        t2 = time.perf_counter()
        times.append(((t2 - t1) - (t1 - t0)) / iters)
    return min(times), float(np.median(times))


def fmt(t: tuple[float, float]) -> str:
    return f"{t[0] * 1e3:7.2f} ms ({t[1] * 1e3:.2f})"


def algorithms_report(n: int, k: int, iters: int, repeats: int) -> None:
    """Print GA and VB per iteration against EM and scikit-learn's BayesianGaussianMixture (one run)."""
    X = blobs(n, k)
    ws = Workspace.build(X)
    base = FitConfig(n_components=k, max_iter=iters, tol=0.0, random_state=0)
    warnings.simplefilter("ignore", ConvergenceWarning)
    with threadpool_limits(1):
        print(f"N = {n:,}, k = {k}, full covariances, {iters} iterations, best of {repeats} (median)")
        em = per_iteration(lambda: em_steps(X, base, keep_resp=False, workspace=ws), repeats)
        ga = per_iteration(lambda: ga_steps(X, GradientConfig(base=base, step_size=0.1), keep_resp=False,
                                            workspace=ws), repeats)
        ls = per_iteration(lambda: ga_steps(X, GradientConfig(base=base, step_size=0.1, line_search=True),
                                            keep_resp=False, workspace=ws), repeats)
        print(f"EM iteration                     {fmt(em)}")
        print(f"GA iteration, fixed step         {fmt(ga)}   ratio to EM {ga[0] / em[0]:.2f} (target <= 1.5)")
        print(f"GA iteration, line search        {fmt(ls)}   ratio to EM {ls[0] / em[0]:.2f} (one pass per trial)")
        vb = per_iteration(lambda: vb_steps(X, VBConfig(base=base), keep_resp=False, workspace=ws), repeats)
        vb0 = per_iteration(lambda: vb_steps(X, VBConfig(base=base), keep_resp=False, workspace=ws,
                                             point_likelihood=False), repeats)
        sk_step = sklearn_stepped(X, k, iters, repeats)
        sk_loop = sklearn_loop(X, k, iters, max(1, repeats // 2))
        print(f"sklearn BGM, stepped (1 fit/it)  {fmt(sk_step)}")
        print(f"sklearn BGM, its own loop        {fmt(sk_loop)}")
        print(f"VB iteration (+ ln p of means)   {fmt(vb)}   ratio {vb[0] / sk_step[0]:.3f} stepped, "
              f"{vb[0] / sk_loop[0]:.3f} loop (target <= 0.2)")
        print(f"VB iteration (ELBO only)         {fmt(vb0)}   ratio {vb0[0] / sk_step[0]:.3f} stepped, "
              f"{vb0[0] / sk_loop[0]:.3f} loop")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer iterations and repeats")
    args = parser.parse_args()
    algorithms_report(100_000, 10, *((8, 2) if args.quick else (20, 4)))


if __name__ == "__main__":
    main()
