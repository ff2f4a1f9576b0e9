"""Time one animation frame of the point cloud: recolour + paint.

A frame is ``set_fill`` with a new fill array (blends of five component
colours under drifting responsibilities, as EM produces them) followed by
a full paint of the item into a 1280 x 800 QImage, through the same view
transform and clip a PlotWidget of that size uses.  A pan is a paint after
the view range moved (the cached raster plan must be rebuilt).  For
comparison, pyqtgraph's ScatterPlotItem recoloured with ``setBrush(list)``
(brushes built per point, as it needs) and painted, at small N only.

Run:  QT_QPA_PLATFORM=offscreen python bench/bench_points.py [--sizes 1e3,1e4,1e5,1e6]

Target (issue): recolour + paint well under 15 ms at N = 1e5 and >= 15 fps
(< 66 ms) at N = 1e6.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from PySide6 import QtCore, QtGui, QtWidgets  # noqa: E402

from gmmviz.qt.canvas.points import PointCloudItem  # noqa: E402

PALETTE = np.array([[31, 119, 180], [255, 127, 14], [44, 160, 44],
                    [214, 39, 40], [148, 103, 189]], np.float64)


def scene(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Five blobs in a 20 x 12 box; class outlines; eight fill frames."""
    rng = np.random.default_rng(seed)
    z = rng.integers(0, 5, n)
    centres = rng.uniform([2, 2], [18, 10], (5, 2))
    xy = centres[z] + rng.normal(size=(n, 2)) * rng.uniform(0.5, 2.0, (5, 1))[z]
    outline = PALETTE[z].astype(np.uint8)
    logits = rng.normal(size=(n, 5))
    fills = []
    for _ in range(8):
        logits += rng.normal(size=(n, 5)) * 0.3
        resp = np.exp(logits - logits.max(axis=1, keepdims=True))
        resp /= resp.sum(axis=1, keepdims=True)
        fills.append(np.rint(resp @ PALETTE).astype(np.uint8))
    return xy, outline, fills


class Canvas:
    """A 1280 x 800 PlotWidget whose item is painted straight into a QImage."""

    def __init__(self, item: QtWidgets.QGraphicsItem):
        self.widget = pg.PlotWidget()
        self.widget.resize(1280, 800)
        self.widget.show()
        self.widget.addItem(item)
        item.setVisible(False)  # painted only by us, never by the widget
        self.item = item
        self.image = QtGui.QImage(1280, 800, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        self.set_range(0.0)

    def set_range(self, shift: float) -> None:
        self.widget.setRange(xRange=(shift, 20 + shift), yRange=(0, 12), padding=0)
        QtWidgets.QApplication.processEvents()
        self.widget.getViewBox().updateMatrix()

    def paint(self) -> None:
        self.image.fill(0xFFFFFFFF)
        p = QtGui.QPainter(self.image)
        vb = self.widget.getViewBox()
        view_rect = self.widget.mapFromScene(vb.sceneBoundingRect()).boundingRect()
        p.setClipRect(view_rect)
        p.setTransform(self.item.deviceTransform_())
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        self.item.paint(p, QtWidgets.QStyleOptionGraphicsItem(), None)
        p.end()


def best_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1e3 * float(np.median(times))


def bench_item(n: int, repeats: int) -> dict:
    xy, outline, fills = scene(n)
    item = PointCloudItem()
    canvas = Canvas(item)
    item.set_data(xy, outline, fills[0])
    canvas.paint()
    frame = iter(range(10**9))

    def recolour():
        item.set_fill(fills[next(frame) % len(fills)])
        canvas.paint()

    for _ in range(len(fills)):  # warm the stamp atlas
        recolour()
    pans = []
    for shift in np.linspace(0, 1, max(3, repeats // 3)):
        canvas.set_range(shift)  # untimed: the view's own layout work
        pans.append(best_ms(canvas.paint, 1))

    p = QtGui.QPainter(canvas.image)
    path = item.path_for(p)
    p.end()
    out = {"path": path, "frame": best_ms(recolour, repeats), "pan": float(np.median(pans))}
    canvas.widget.close()
    return out


def bench_scatter(n: int, repeats: int) -> float:
    xy, outline, fills = scene(n)
    pens = [pg.mkPen(*c, width=2) for c in outline]
    brushes = [pg.mkBrush(*c) for c in fills[0]]
    item = pg.ScatterPlotItem(xy[:, 0], xy[:, 1], size=12, pen=pens, brush=brushes)  # 6 px radius
    canvas = Canvas(item)
    frame = iter(range(10**9))

    def recolour():
        item.setBrush([pg.mkBrush(*c) for c in fills[next(frame) % len(fills)]])
        canvas.paint()

    recolour()
    ms = best_ms(recolour, repeats)
    canvas.widget.close()
    return ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e3,1e4,1e5,1e6")
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    print(f"{'N':>9} {'path':>7} {'frame ms':>9} {'fps':>6} {'pan ms':>8} "
          f"{'scatter ms':>11} {'speed-up':>9}")
    for n in sizes:
        r = bench_item(n, args.repeats)
        scatter = bench_scatter(n, max(3, args.repeats // 3)) if n <= 10_000 else float("nan")
        ratio = f"{scatter / r['frame']:8.0f}x" if scatter == scatter else f"{'-':>9}"
        print(f"{n:>9} {r['path']:>7} {r['frame']:9.1f} {1e3 / r['frame']:6.0f} "
              f"{r['pan']:8.1f} {scatter:11.1f} {ratio}")
    del app


if __name__ == "__main__":
    QtCore.QLoggingCategory.setFilterRules("qt.qpa.*=false")
    main()
