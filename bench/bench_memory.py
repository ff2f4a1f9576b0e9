"""Peak memory of reading a CSV file and a session, per MB of input (issue 11, item 12).

Generates the files in a temporary folder, then reads each one in a fresh
child process and takes that child's peak RSS (``resource.getrusage``'s
``ru_maxrss`` of the child, after the imports, minus its RSS before the read).
Prints the ratio peak / file size; the goal is at most 3 (plus a constant).

Run:  python bench/bench_memory.py [--csv-mb 150] [--session-mb 400] [--zeros-mb 1000]

* csv: rows ``x,y,label`` of repr floats (about 40 bytes a row);
* session: a canonical session written by gmmviz itself (x, y, labels);
* zeros: a 1 GB "session" of ``0, 0, 0, ...`` in data.x, refused by the point
  limit as soon as the list is counted (time and memory up to the refusal).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

CHILD = r"""
import resource, sys, time
kind, path = sys.argv[1], sys.argv[2]
from gmmviz.core.errors import GmmvizError
from gmmviz.core.io.points import read_points
from gmmviz.labs.em.core.session.files import read_session
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
try:
    n = (read_points(path).dataset if kind == "csv" else read_session(path).dataset).n_points
    outcome = f"{n} points"
except GmmvizError as exc:
    outcome = "refused: " + str(exc)[:90]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(before, peak, time.perf_counter() - t, outcome, sep="\t")
"""


def write_csv(path: str, mb: float) -> None:
    rng = np.random.default_rng(0)
    with open(path, "w") as f:
        f.write("x,y,label\n")
        while f.tell() < mb * 2**20:
            X = rng.normal(size=(200_000, 2)).tolist()
            lab = rng.integers(0, 3, 200_000).tolist()
            f.write("".join(f"{a!r},{b!r},{c}\n" for (a, b), c in zip(X, lab)))


def write_session(path: str, mb: float) -> None:
    from gmmviz.core.commands import default_classes
    from gmmviz.core.data import Dataset
    from gmmviz.labs.em.core.session.files import write_session as write
    from gmmviz.labs.em.core.session.model import Session
    from gmmviz.labs.em.core.types import ModelSettings

    n = int(mb * 2**20 / 44)  # repr floats, about 44 bytes a point with its label
    rng = np.random.default_rng(1)
    ds = Dataset(rng.normal(size=(n, 2)), np.zeros(n, dtype=np.int64), default_classes(1))
    write(path, Session(dataset=ds, settings=ModelSettings(), params=None, manual_params=None, cursor=-1,
                        history=None, view=None))


def write_zeros(path: str, mb: float) -> None:
    with open(path, "wb") as f:
        f.write(b'{"format": "gmmviz-session", "version": 1, "data": {"x": [0')
        block = b", 0" * (1 << 20)
        while f.tell() < mb * 2**20:
            f.write(block)
        f.write(b'], "y": [], "labels": []}}\n')


def measure(kind: str, path: str) -> None:
    size = os.path.getsize(path)
    out = subprocess.run([sys.executable, "-c", CHILD, kind, path], capture_output=True, text=True, check=True)
    before, peak, seconds, outcome = out.stdout.strip().split("\t")
    before_mb, peak_mb, size_mb = int(before) / 1024, int(peak) / 1024, size / 2**20
    print(f"{kind:8} {size_mb:8.0f} MB  peak RSS {peak_mb:7.0f} MB (reading added {peak_mb - before_mb:6.0f} MB)"
          f"  {(peak_mb - before_mb) / size_mb:5.2f} x file  {float(seconds):6.1f} s  {outcome}")


WRITERS = {"csv": write_csv, "session": write_session, "zeros": write_zeros}


def main() -> None:
    if sys.argv[1:2] == ["--write"]:
        WRITERS[sys.argv[2]](sys.argv[3], float(sys.argv[4]))
        return
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--csv-mb", type=float, default=150)
    p.add_argument("--session-mb", type=float, default=400)
    p.add_argument("--zeros-mb", type=float, default=1000)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for kind, mb in (("csv", args.csv_mb), ("session", args.session_mb), ("zeros", args.zeros_mb)):
            path = os.path.join(folder, f"{kind}.{'csv' if kind == 'csv' else 'gmmviz'}")
            t = time.perf_counter()  # written by a child: ru_maxrss survives fork and exec on Linux
            subprocess.run([sys.executable, __file__, "--write", kind, path, str(mb)], check=True)
            print(f"(wrote {kind} in {time.perf_counter() - t:.0f} s)", file=sys.stderr)
            measure("csv" if kind == "csv" else "session", path)
            os.unlink(path)


if __name__ == "__main__":
    main()
