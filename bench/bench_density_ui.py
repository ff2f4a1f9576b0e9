"""The density lab in a real (offscreen) window: the sweep never blocks it, a slider move redraws fast.

1. The lab's full sweep (bins 1..200, equal-mass sizes, 50 bandwidths, K = 1..10, the infinite
   mixture at 7 concentrations) on n = 10,000 runs on the run controller: the time until it
   finishes, and the longest the window's event loop went without running a 10 ms timer
   meanwhile (the window's responsiveness; each curve's redraw as it arrives included).
2. A slider move at n = 1e5 (target <= 30 ms): the view computed, the items updated and the
   page repainted, for the bins, bandwidth, K and origin sliders (the origin also restarts the
   histograms' curves in the background).

Run:  QT_QPA_PLATFORM=offscreen python bench/bench_density_ui.py
"""

from __future__ import annotations  # noqa: I001  (gmmviz first: it pins BLAS threads before numpy)

import os
import time

import gmmviz  # noqa: F401
import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("GMMVIZ_TEST", "1")  # no questions, private settings


def wait(app, lab, limit: float = 300.0) -> float:
    """Process events until the sweep is done; returns the longest gap between 10 ms timer ticks (s)."""
    from PySide6.QtCore import QTimer

    ticks = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    start = time.perf_counter()
    while lab.runs.busy and time.perf_counter() - start < limit:
        app.processEvents()
        time.sleep(0.002)
    timer.stop()
    return float(np.diff(ticks).max()) if len(ticks) > 1 else 0.0


def main() -> None:
    from gmmviz.app import make_app
    from gmmviz.qt.main_window import MainWindow

    app = make_app()
    w = MainWindow()
    w.resize(1500, 950)
    w.show()
    lab = w.show_lab("density")
    wait(app, lab)
    print("1. the lab's sweep on n = 10,000 (in the worker)")
    t0 = time.perf_counter()
    lab.edit(n=10_000)
    gap = wait(app, lab)
    print(f"  sweep until finished {time.perf_counter() - t0:8.2f} s; longest event-loop gap {1000 * gap:6.1f} ms")
    lab.edit(n=100_000)
    wait(app, lab)
    print("2. a slider move at n = 1e5 (view + setData + repaint; target <= 30 ms)")
    c = lab.controls
    for name, slider, values in (("bins", c.bins, (30, 31, 57, 120, 80)), ("bandwidth", c.bandwidth, (10, 20, 30, 40)),
                                 ("K", c.k, (3, 4, 5, 2)), ("origin", c.origin, (10, 30, 50, 70))):
        times = []
        for v in values:
            t = time.perf_counter()
            slider.setValue(v)
            lab.page().repaint()
            times.append(time.perf_counter() - t)
        print(f"  {name:<10} best {1000 * min(times):6.1f} ms, median {1000 * float(np.median(times)):6.1f} ms")
    wait(app, lab)
    w.close()


if __name__ == "__main__":
    main()
