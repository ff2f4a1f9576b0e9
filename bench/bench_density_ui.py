"""The density lab in a real (offscreen) window: the sweep never blocks it, a slider move redraws fast.

1. The lab's full sweep (bins 1..200, equal-mass sizes, 50 bandwidths with 5-fold CV, K = 1..10,
   the infinite mixture at 7 concentrations on all the training points) on n = 10,000 runs on the
   run controller: the time until the issue's families (bins, bandwidths, K) are done and until
   the whole sweep is, and the longest the window's event loop went between two ticks of a 5 ms
   timer meanwhile (the window's responsiveness, each curve's redraw as it arrives included; the
   target is a gap of at most ~30 ms), with the three longest gaps and what arrived before each.
2. A slider move at n = 1e5 (target <= 30 ms): the view computed, the items updated and the
   page repainted, for the bins, bandwidth, K and origin sliders (the origin also restarts the
   histograms' curves in the background).

Run:  QT_QPA_PLATFORM=offscreen python bench/bench_density_ui.py
"""

from __future__ import annotations  # noqa: I001  (gmmviz first: it pins BLAS threads before numpy)

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's gmmviz, not an installed one
import numpy as np  # noqa: E402

import gmmviz  # noqa: E402,F401

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("GMMVIZ_TEST", "1")  # no questions, private settings


class Ticks:
    """A 5 ms QTimer's ticks and the lab's arriving results, with their times."""

    def __init__(self, lab):
        from PySide6.QtCore import QTimer

        self.ticks, self.cpu, self.items = [], [], []
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        lab.runs.yielded.connect(lambda _run, item: self.items.append((time.perf_counter(), item.curve.family)))

    def _tick(self) -> None:
        self.ticks.append(time.perf_counter())
        self.cpu.append(time.thread_time())  # the window's thread's own CPU time

    def busiest(self) -> float:
        """The most CPU time the window's thread spent between two ticks (s): the gap without the
        time it waited for a core (the machine is shared)."""
        return float(np.diff(self.cpu).max()) if len(self.cpu) > 1 else 0.0

    def gaps(self) -> list:
        """(gap s, time it ended, what arrived last before it), longest first."""
        t = np.asarray(self.ticks)
        if t.size < 2:
            return [(0.0, 0.0, "")]
        d = np.diff(t)
        out = []
        for i in np.argsort(d)[::-1][:3]:
            before = [f for at, f in self.items if at <= t[i + 1]]
            out.append((float(d[i]), float(t[i + 1]), before[-1] if before else "(start)"))
        return out


def wait(app, lab, limit: float = 300.0, ticks: Ticks | None = None) -> None:
    """Let the event loop run (as a window's would: it blocks waiting for events) until the sweep is done."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    lab.runs.finished.connect(loop.quit)
    lab.runs.cancelled.connect(loop.quit)
    lab.runs.failed.connect(loop.quit)
    QTimer.singleShot(int(limit * 1000), loop.quit)
    if ticks is not None:
        ticks.timer.start()
    if lab.runs.busy:
        loop.exec()
    if ticks is not None:
        ticks.timer.stop()


def sweep_cpu(settings) -> None:
    """The same sweep run here, in this thread, timed by its CPU time (what a free core would take)."""
    from gmmviz.labs.density.core.dp_mixture import Continuation
    from gmmviz.labs.density.core.job import lab_data, sweep_items
    from gmmviz.labs.density.qt.lab import DP_MAX_ITER

    data = lab_data(settings)
    start = last = time.thread_time()
    spent: dict = {}
    for item in sweep_items(data, settings, dp_fit=Continuation(max_iter=DP_MAX_ITER)):
        now = time.thread_time()
        spent[item.curve.family] = spent.get(item.curve.family, 0.0) + now - last
        last = now
    issue = sum(v for f, v in spent.items() if f != "dpgmm")
    print(f"  the sweep's CPU time (seed {settings.seed}): bins, bandwidths, K {issue:5.2f} s, the infinite mixture "
          f"{spent.get('dpgmm', 0.0):5.2f} s, all {last - start:5.2f} s ("
          + ", ".join(f"{f} {v:.2f}" for f, v in spent.items()) + ")")


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
    for seed in (0, 1, 2):
        ticks = Ticks(lab)
        ticks.timer.start()
        t0 = time.perf_counter()
        lab.edit(n=10_000, seed=seed)
        wait(app, lab, ticks=ticks)
        done = time.perf_counter() - t0
        issue = max(at for at, f in ticks.items if f in ("hist", "vhist", "kde", "gmm")) - t0
        dp = lab.fits.get(("dpgmm", lab.settings.concentration))
        print(f"  seed {seed}: bins, bandwidths, K done {issue:5.2f} s (target <= 1 s); with the infinite mixture "
              f"{done:5.2f} s (fitted to {dp.n_points if dp else 0:,} of {lab.data.split.train.size:,} points)")
        print("    longest event-loop gaps (5 ms timer; target <= 30 ms): " + ", ".join(
            f"{1000 * g:5.1f} ms at {at - t0:4.2f} s after {f}" for g, at, f in ticks.gaps()))
        print(f"    the window thread's most CPU between two ticks: {1000 * ticks.busiest():5.1f} ms; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    sweep_cpu(lab.settings)
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
