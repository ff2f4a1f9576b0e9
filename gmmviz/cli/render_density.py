"""``gmmviz render --lab density``: the density lab's figures without a window or a display.

::

    gmmviz render --lab density -o OUT.png|OUT.svg [--scene KEY] [--distribution D] [--n N] [--seed S]
                  [--curves scores|learning] [--strip]
                  [--bins B] [--origin F] [--bandwidth-index I] [--k K] [--pseudo-count C]
                  [--points CSV] [--size WxH] [--theme standard|light|dark] [--target canvas|curves|both]
    gmmviz render --lab density -o OUT.gif --sweep bins|origin|bandwidth-index|k=FIRST:LAST[:STEP] [--fps F] [...]

The real lab is built offscreen, its sweep runs in the same worker the
window uses (waited for), and the plot (``canvas``), the score curves
(``curves``) or both are exported with the window's own export code.
``--points CSV`` draws the 2-D mode on the points of a CSV file.  Exit
status: 0 done, 1 bad data, 2 bad options.
"""

from __future__ import annotations

import time
from pathlib import Path

from gmmviz.cli.args import (
    DataError,
    Parser,
    UsageError,
    float_in,
    int_at_least,
    nonneg_float,
    seed_arg,
)

PROG = "gmmviz render --lab density"
SWEEP_TIMEOUT_S = 600.0


def _parser() -> Parser:
    from gmmviz.cli.headless import size_arg as _size
    from gmmviz.labs.density.core.scenes import SCENES
    from gmmviz.labs.density.core.truth import DISTRIBUTIONS

    p = Parser(prog=PROG, description="Draw the density lab (a scene, or chosen settings) as PNG or SVG, "
               "without a window.", epilog="Exit status: 0 done, 1 bad data, 2 bad options.")
    p.add_argument("--lab", choices=("density",), required=True)
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output file: .png or .svg")
    p.add_argument("--scene", choices=[s.key for s in SCENES], help="start from a lecture scene")
    p.add_argument("--distribution", choices=list(DISTRIBUTIONS), help="the 1-D sample's distribution")
    p.add_argument("--n", type=lambda t: int_at_least(t, 20, "an integer from 20 to 100,000", 100_000), metavar="N")
    p.add_argument("--seed", type=seed_arg, metavar="S")
    p.add_argument("--bins", type=lambda t: int_at_least(t, 1, "an integer from 1 to 200", 200), metavar="B")
    p.add_argument("--origin", type=float_in(0.0, 0.99, "a fraction from 0 to 0.99"), metavar="F")
    p.add_argument("--bandwidth-index", type=lambda t: int_at_least(t, 0, "an integer from 0 to 49", 49),
                   metavar="I", help="which of the 50 bandwidths (0: Scott's / 25 ... 49: 3 x Scott's)")
    p.add_argument("--k", type=lambda t: int_at_least(t, 1, "an integer from 1 to 10", 10), metavar="K")
    p.add_argument("--pseudo-count", type=nonneg_float, metavar="C")
    p.add_argument("--points", metavar="CSV", help="2-D mode on the points of this CSV file")
    p.add_argument("--curves", choices=("scores", "learning"),
                   help="the lower plot: scores against complexity (default) or the learning curve (ISE against n)")
    p.add_argument("--strip", action="store_true", help="a jittered strip of the points under the 1-D densities")
    p.add_argument("--size", type=_size, default=(1280, 720), metavar="WxH", help="image size (default 1280x720)")
    p.add_argument("--theme", choices=("standard", "light", "dark"), default="light")
    p.add_argument("--target", choices=("canvas", "curves", "both"), default="both")
    p.add_argument("--sweep", type=_sweep_arg, metavar="SLIDER=FIRST:LAST[:STEP]",
                   help="a GIF of a slider moving: bins, origin (in hundredths of a bin), bandwidth-index or k")
    p.add_argument("--fps", type=float_in(0.5, 30.0, "frames per second from 0.5 to 30"), default=4.0, metavar="F")
    return p


#: The sliders a GIF may sweep: (settings field, lowest, highest, value from the slider's integer).
SWEEPS = {"bins": ("bins", 1, 200, int), "origin": ("origin", 0, 99, lambda v: v / 100.0),
          "bandwidth-index": ("bandwidth_index", 0, 49, int), "k": ("k", 1, 10, int)}


def _sweep_arg(text: str):
    import argparse

    what = f"SLIDER=FIRST:LAST[:STEP] with SLIDER one of {', '.join(SWEEPS)} (e.g. bins=2:100:2)"
    name, eq, rest = text.partition("=")
    parts = rest.split(":")
    if not eq or name not in SWEEPS or len(parts) not in (2, 3) or not all(p.strip().isdigit() for p in parts):
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
    field, lo, hi, convert = SWEEPS[name]
    first, last = int(parts[0]), int(parts[1])
    step = int(parts[2]) if len(parts) == 3 else 1
    if not (lo <= first <= hi and lo <= last <= hi and step >= 1):
        raise argparse.ArgumentTypeError(f"{name} runs from {lo} to {hi} (step >= 1), got {text!r}")
    values = range(first, last + 1, step) if last >= first else range(first, last - 1, -step)
    return field, [convert(v) for v in values]


def render_lab_main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    out = Path(args.output)
    wanted = (".gif",) if args.sweep else (".png", ".svg")
    if out.suffix.lower() not in wanted:
        raise UsageError(PROG, f"OUT must end in {' or '.join(wanted)}{' with --sweep' if args.sweep else ''} "
                               f"(a GIF needs --sweep), got {args.output!r}")
    if not out.resolve().parent.is_dir():
        raise DataError(PROG, f"cannot write {args.output!r}: no such folder")
    if out.is_dir():
        raise UsageError(PROG, f"OUT {args.output!r} is a folder: give a file name")
    dataset = _points(args.points) if args.points else None
    from gmmviz.cli.headless import quiet_logs as _quiet_logs
    from gmmviz.cli.headless import quiet_qt as _quiet_qt
    from gmmviz.cli.headless import use_offscreen_platform

    use_offscreen_platform()
    from gmmviz.app import make_app, pin_blas_threads

    pin_blas_threads()
    _quiet_qt()
    _quiet_logs()
    make_app([PROG])
    lab, window = _build(dataset)
    try:
        _configure(lab, args, dataset is not None)
        _wait(lab)
        if lab.data is None:
            raise DataError(PROG, lab.banner.text() or "nothing to draw")
        if args.sweep:
            _export_sweep(lab, window, args)
        else:
            _export(lab, window, args)
    finally:
        lab.shutdown()
        window.close()
        window.deleteLater()
    print(f"{args.output}: {args.size[0]} × {args.size[1]} px, {lab.status()}")
    return 0


def _points(path: str):
    from gmmviz.core.errors import GmmvizError
    from gmmviz.core.io.points import read_dataset

    try:
        return read_dataset(path)
    except GmmvizError as exc:
        raise DataError(PROG, f"{path}: {exc}") from None


def _build(dataset):
    import numpy as np
    from PySide6.QtWidgets import QMainWindow

    from gmmviz.core.commands import default_classes
    from gmmviz.core.data import Dataset
    from gmmviz.labs import lab_spec
    from gmmviz.labs.density.qt.lab import DensityLab
    from gmmviz.qt.lab import LabContext
    from gmmviz.qt.store import DocumentStore

    if dataset is None:
        dataset = Dataset(np.zeros((0, 2)), np.zeros(0, dtype=np.int64), default_classes(1))
    window = QMainWindow()
    ctx = LabContext(window, {}, DocumentStore(dataset, window), lambda text, ms: None, lambda title: None)
    lab = DensityLab(lab_spec("density"), ctx)
    window.setCentralWidget(lab.page())
    return lab, window


def _configure(lab, args, two_d: bool) -> None:
    from gmmviz.labs.density.core.scenes import scene

    if args.scene:
        lab.open_entry(args.scene)
    values = {"distribution": args.distribution, "n": args.n, "seed": args.seed, "bins": args.bins,
              "origin": args.origin, "bandwidth_index": args.bandwidth_index, "k": args.k,
              "pseudo_count": args.pseudo_count, "mode": "2d" if two_d else None, "curves_view": args.curves,
              "strip": True if args.strip else None}
    values = {k: v for k, v in values.items() if v is not None}
    if values:
        lab.edit(**values)
    if args.scene:
        lab.banner.show_note(scene(args.scene).title, scene(args.scene).note)


def _wait(lab) -> None:
    from PySide6.QtWidgets import QApplication

    start = time.monotonic()
    while lab.runs.busy or lab.learning.runs.busy:
        QApplication.processEvents()
        if time.monotonic() - start > SWEEP_TIMEOUT_S:
            raise DataError(PROG, f"the sweep did not finish in {SWEEP_TIMEOUT_S:.0f} s; use fewer points")
        time.sleep(0.01)
    QApplication.processEvents()


def _export_setup(lab, window, args) -> None:
    from PySide6.QtWidgets import QApplication

    from gmmviz.qt.themes import apply_theme

    window.resize(*args.size)
    window.show()  # offscreen: lays the page out at the image's size
    apply_theme(args.theme, window, [lab.apply_theme])
    lab.redraw()
    QApplication.processEvents()


def _export(lab, window, args) -> None:
    from PySide6.QtCore import QSize

    from gmmviz.qt.export.images import export_target

    _export_setup(lab, window, args)
    try:
        export_target(lab.export_source(), args.target, args.output, size=QSize(*args.size))
    except OSError as exc:
        raise DataError(PROG, f"cannot write {args.output!r}: {exc.strerror or exc}") from None


def _export_sweep(lab, window, args) -> None:
    """One frame per slider value, each after its sweep has settled, streamed into a GIF."""
    from PySide6.QtCore import QSize

    from gmmviz.qt.export.encoders import ExportError, check_budget, encode_gif
    from gmmviz.qt.export.images import image_to_array, plan_export, render_plan

    field, values = args.sweep
    try:
        check_budget(args.size, len(values))
    except ExportError as exc:
        raise UsageError(PROG, str(exc)) from None
    _export_setup(lab, window, args)

    def frames():
        for value in values:
            lab.edit(**{field: value})
            _wait(lab)
            image = render_plan(plan_export(lab.export_source(), args.target, size=QSize(*args.size)))
            yield image_to_array(image)[:, :, :3].copy()

    try:
        encode_gif(args.output, frames(), args.fps)
    except OSError as exc:
        raise DataError(PROG, f"cannot write {args.output!r}: {exc.strerror or exc}") from None
