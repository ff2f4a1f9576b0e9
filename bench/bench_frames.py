"""Frame, start-up and responsiveness numbers for the EM studio (offscreen).

Prints (start-up is bench_startup.py's: it launches the real command, which
this script's own window would not measure):
* one animation frame (a half-step's snapshot applied: recolour + ellipses
  + curves + paint of the whole window) at N = 1e5, k = 10, and the frame
  rate of playback at N = 1e6;
* the longest stall of the GUI event loop while the worker runs EM on 1e5
  points and playback runs at full speed (a 5 ms heartbeat timer).

Targets (issue 3): frame <= 33 ms at 1e5 x 10; >= 15 fps at 1e6; no stall
over 50 ms.

Run:  python bench/bench_frames.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import gmmviz  # noqa: E402, F401  (one BLAS thread before numpy loads)
import numpy as np  # noqa: E402

def blobs(n: int, k: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-10, 10, (k, 2))
    z = rng.integers(0, k, n)
    return centres[z] + rng.normal(scale=0.9, size=(n, 2))


def make_window(n: int, k: int):
    from gmmviz.app import make_app
    from gmmviz.core.commands import default_classes
    from gmmviz.core.data import Dataset
    from gmmviz.qt.main_window import MainWindow

    app = make_app()
    X = blobs(n, k)
    w = MainWindow(Dataset(X, np.zeros(n, dtype=int), default_classes(1)))
    w.files.ask_user = False  # closing must not wait for "save changes?"
    w.resize(1280, 800)
    w.show()
    s = w.lab("em").studio.settings()
    from dataclasses import replace

    w.lab("em").studio.model_panel.set_settings(replace(s, n_components=k, max_iter=40, tol=0.0))
    w.lab("em").studio.start_run()
    w.lab("em").studio.fit.compute_all()  # the whole run, for frames to step through
    while not (w.lab("em").studio.fit.history is not None and w.lab("em").studio.fit.history.finished):
        app.processEvents()
        time.sleep(0.005)
    for _ in range(5):
        app.processEvents()
    return app, w


def frame_times(n: int, k: int, frames: int) -> list[float]:
    """Apply successive snapshots and let Qt paint everything that changed."""
    app, w = make_window(n, k)
    pb = w.lab("em").studio.playback
    app.processEvents()
    times = []
    for i in range(1, min(frames, pb.count() - 1) + 1):
        t0 = time.perf_counter()
        pb.seek(i)
        app.processEvents()  # the paint events of every widget that changed
        times.append(time.perf_counter() - t0)
    w.close()
    return times


def heartbeat(n: int, k: int, seconds: float, play: bool) -> float:
    """Longest gap between 5 ms timer ticks while EM runs (and playback plays)."""
    from PySide6.QtCore import QTimer

    app, w = make_window(n, k)
    gaps, last = [], [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(5)
    w.lab("em").studio.playback.set_speed(30)
    s = w.lab("em").studio.settings()
    from dataclasses import replace

    w.lab("em").studio.model_panel.set_settings(replace(s, max_iter=400))  # a run longer than the measurement
    w.lab("em").studio.start_run()
    w.lab("em").studio.fit.compute_all()
    if play:
        w.lab("em").studio.playback.play()
    t_end = time.perf_counter() + seconds
    last[0] = time.perf_counter()
    while time.perf_counter() < t_end:
        app.processEvents()
    timer.stop()
    w.close()
    return max(gaps[3:]) if len(gaps) > 3 else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    from gmmviz.app import pin_blas_threads

    pin_blas_threads()
    t = frame_times(100_000, 10, 20 if args.quick else 40)
    print(f"frame at N=1e5, k=10: median {1e3 * statistics.median(t):.1f} ms, max {1e3 * max(t):.1f} ms  "
          f"(target 33 ms)")
    t = frame_times(1_000_000, 10, 10 if args.quick else 20)
    fps = 1.0 / statistics.median(t)
    print(f"frame at N=1e6, k=10: median {1e3 * statistics.median(t):.1f} ms = {fps:.1f} fps  (target 15 fps)")
    gap = heartbeat(100_000, 10, 4.0 if args.quick else 8.0, play=False)
    print(f"longest event-loop stall while the worker runs EM on 1e5 points: {1e3 * gap:.1f} ms  (target 50 ms)")
    gap = heartbeat(100_000, 10, 4.0 if args.quick else 8.0, play=True)
    print(f"  ... and while playback also animates at 30 half-steps/s: {1e3 * gap:.1f} ms")


if __name__ == "__main__":
    main()
