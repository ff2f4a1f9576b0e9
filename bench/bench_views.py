"""Time the geometry behind the ellipse and density views.

* ``isolines`` (vectorised marching squares) against pyqtgraph's
  ``functions.isocurve`` on the same 200 x 200 grid of a mixture's ln p and
  the same 5 levels;
* ``ellipse_outlines`` for k = 10 components x 3 sigma levels against a
  per-component loop over ``numpy.linalg.eigh``;
* optionally (``--views``) one frame of ``EllipsesView.set_params`` and
  ``DensityView.set_params`` on an offscreen PlotWidget.

Each figure is the best of several repeats (milliseconds).

Run:  python bench/bench_views.py [--n 200] [--repeat 20] [--views]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from gmmviz.core import geometry
from gmmviz.core.gaussian import score_samples
from gmmviz.core.mixture import GaussianParams


def best_ms(fn, repeat: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1e3 * min(times)


def mixture(k: int, seed: int = 0) -> GaussianParams:
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(k, 2, 2))
    covs = A @ A.transpose(0, 2, 1) + 0.3 * np.eye(2)
    w = rng.uniform(0.5, 2.0, k)
    return GaussianParams(w / w.sum(), rng.uniform(-6, 6, (k, 2)), covs)


def bench_isolines(n: int, repeat: int) -> None:
    params = mixture(5)
    xs, ys, XY = geometry.grid((-10, 10), (-10, 10), n, n)
    Z = score_samples(XY, params).reshape(n, n)
    levels = Z.max() - np.array([1.0, 2.0, 4.0, 8.0, 12.0])
    ours = best_ms(lambda: geometry.isolines(Z, xs, ys, levels), repeat)
    n_seg = sum(x.size // 3 for x, _ in geometry.isolines(Z, xs, ys, levels))
    import pyqtgraph as pg

    # pyqtgraph indexes data[x, y]; it returns vertices in index units.
    theirs = best_ms(lambda: [pg.functions.isocurve(Z.T, lv) for lv in levels], max(repeat // 4, 3))
    print(f"isolines {n}x{n}, 5 levels ({n_seg} segments): gmmviz {ours:.2f} ms, "
          f"pyqtgraph isocurve {theirs:.1f} ms, ratio {ours / theirs:.3f} ({theirs / ours:.0f}x faster)")


def loop_outlines(means, covs, r, n):
    out = []
    t = np.linspace(0, 2 * np.pi, n)
    for mu, cov in zip(means, covs):
        w, v = np.linalg.eigh(cov)
        pts = mu + r * (np.stack([np.cos(t), np.sin(t)], 1) * np.sqrt(w)) @ v.T
        out.append(pts)
    return out


def bench_ellipses(repeat: int) -> None:
    params = mixture(10)
    full = params.full_covariances()
    ours = best_ms(lambda: [geometry.ellipse_outlines(params.means, full, r) for r in (1, 2, 3)], repeat)
    loop = best_ms(lambda: [loop_outlines(params.means, full, r, 96) for r in (1, 2, 3)], repeat)
    print(f"ellipse_outlines k=10 x 3 levels x 96 vertices: gmmviz {ours:.3f} ms, "
          f"per-component eigh loop {loop:.3f} ms, ratio {ours / loop:.2f}")


def bench_views(repeat: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from gmmviz.labs.em.qt.layers.density import DensityView
    from gmmviz.labs.em.qt.layers.ellipses import EllipsesView

    app = QApplication.instance() or QApplication([])
    w = pg.PlotWidget()
    w.resize(800, 800)
    w.show()
    w.setRange(xRange=(-10, 10), yRange=(-10, 10), padding=0)
    app.processEvents()
    frames = [mixture(10, seed) for seed in range(8)]
    ellipses, density = EllipsesView(w.getPlotItem()), DensityView(w.getPlotItem())
    ellipses.set_levels(True, True, True)
    density.set_visible(True, True)
    it = iter(range(10**9))
    e_ms = best_ms(lambda: ellipses.set_params(frames[next(it) % 8]), repeat)
    d_ms = best_ms(lambda: density.set_params(frames[next(it) % 8]), repeat)
    r_ms = best_ms(lambda: (w.viewport().repaint(), app.processEvents()), repeat)
    print(f"views, k=10: EllipsesView.set_params {e_ms:.2f} ms, DensityView.set_params (160x160, "
          f"heatmap + contours) {d_ms:.2f} ms, repaint 800x800 {r_ms:.1f} ms")
    w.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="grid samples per axis")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--views", action="store_true", help="also time the Qt views (offscreen)")
    args = parser.parse_args()
    bench_isolines(args.n, args.repeat)
    bench_ellipses(args.repeat)
    if args.views:
        bench_views(args.repeat)


if __name__ == "__main__":
    main()
