"""``gmmviz render --lab theory``: the theory lab's figures without a window.

::

    gmmviz render --lab theory --view mm-slice|race|info [SOURCE] -o OUT.png [--k K] [--seed S]
                  [--iteration N] [--step-size S] [--max-iter N] [--size WxH] [--theme standard|light|dark]

SOURCE is a CSV of points (default: the Blobs preset).  The lab's own views are built offscreen, their
computation runs in their own run controllers, and the view is grabbed as a PNG: ``mm-slice`` the slice
through EM iteration N, ``race`` EM against gradient ascent with the given step, ``info`` two distributions
and their entropies and KL divergences.  Exit status as ``gmmviz render``.
"""

from __future__ import annotations

import time
from pathlib import Path

from gmmviz.cli.args import DataError, Parser, UsageError, k_arg, positive_max_iter_arg, seed_arg

PROG = "gmmviz render --lab theory"
VIEWS = ("mm-slice", "race", "info")
TIMEOUT_S = 300.0


def theory_parser() -> Parser:
    from gmmviz.cli.headless import size_arg as _size

    p = Parser(prog=PROG, description="Draw a figure of the theory lab (PNG), without a window.")
    p.add_argument("source", metavar="SOURCE", nargs="?", help="CSV of points (default: the Blobs preset)")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output file (.png)")
    p.add_argument("--view", choices=VIEWS, required=True, help="which figure")
    p.add_argument("--k", type=k_arg, default=3, metavar="K", help="components (default 3)")
    p.add_argument("--seed", type=seed_arg, default=0, metavar="S", help="random start (default 0)")
    p.add_argument("--iteration", type=positive_max_iter_arg, default=1, metavar="N",
                   help="mm-slice: the EM iteration the slice goes through (default 1)")
    p.add_argument("--max-iter", type=positive_max_iter_arg, default=150, metavar="N",
                   help="race: iterations of each contestant (default 150)")
    p.add_argument("--step-size", type=float, default=0.1, metavar="S",
                   help="race: gradient ascent's step, 0.001 to 10 (default 0.1)")
    p.add_argument("--size", type=_size, default=(1280, 720), metavar="WxH", help="image size (default 1280x720)")
    p.add_argument("--theme", choices=("standard", "light", "dark"), default="standard", help="colours")
    return p


def render_theory_main(argv: list[str]) -> int:
    args = theory_parser().parse_args(argv)
    out = Path(args.output)
    if out.suffix.lower() != ".png":
        raise UsageError(PROG, f"OUT must end in .png, got {args.output!r}")
    if not 0.001 <= args.step_size <= 10:
        raise UsageError(PROG, f"--step-size must be from 0.001 to 10, got {args.step_size}")
    if not out.resolve().parent.is_dir() or out.is_dir():
        raise DataError(PROG, f"cannot write {args.output!r}: give a file name in an existing folder")
    dataset = _points(args)
    from gmmviz.cli.headless import quiet_logs as _quiet_logs
    from gmmviz.cli.headless import quiet_qt as _quiet_qt
    from gmmviz.cli.headless import use_offscreen_platform

    use_offscreen_platform()
    from gmmviz.app import make_app, pin_blas_threads

    pin_blas_threads()
    _quiet_qt()
    _quiet_logs()
    make_app([PROG])
    view = _view(args, dataset)
    try:
        from gmmviz.labs.theory.qt.theming import restyle
        from gmmviz.qt.themes import apply_theme

        view.resize(*args.size)
        view.show()
        apply_theme(args.theme, view, [lambda theme: restyle(view, theme)])
        _wait(view, args)
        if not view.grab().save(str(out)):
            raise DataError(PROG, f"cannot write {args.output!r}")
        print(f"{args.output}: {args.size[0]} × {args.size[1]} px, {args.view}")
        return 0
    finally:
        shutdown = getattr(view, "shutdown", None) or view.gap_runner.shutdown
        shutdown()
        view.close()
        view.deleteLater()


def _points(args):
    from gmmviz.core.errors import GmmvizError

    try:
        if args.source is None:
            from gmmviz.labs.em.core.presets import preset

            p = preset("blobs")
            return p.build(p.n_points, p.seed).dataset
        from gmmviz.core.io.points import read_points

        source = Path(args.source)
        if not source.is_file():
            raise DataError(PROG, f"no such file: {args.source!r}")
        return read_points(source).dataset
    except GmmvizError as exc:
        raise DataError(PROG, f"{args.source}: {exc}") from None


def _view(args, dataset):
    X = dataset.X
    if args.view == "info":
        from gmmviz.labs.theory.qt.info import InfoView

        return InfoView()
    if X.shape[0] < max(args.k, 2):
        raise DataError(PROG, f"{args.view} needs at least K = {args.k} points; there are {X.shape[0]}")
    if args.view == "mm-slice":
        from gmmviz.labs.theory.qt.slice_view import SliceView

        view = SliceView()
        view.follow.setChecked(False)
        view.k.setValue(args.k)
        view.seed.setValue(args.seed)
        view.iteration.setValue(args.iteration)
        view.set_points(X)
        return view
    import math

    from gmmviz.labs.theory.qt.race_view import RaceView

    view = RaceView()
    view.k.setValue(args.k)
    view.seed.setValue(args.seed)
    view.max_iter.setValue(args.max_iter)
    view.step.setValue(round(10 * math.log10(args.step_size)))
    view.set_dataset(dataset)
    view.start()
    return view


def _wait(view, args) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + TIMEOUT_S
    errors = []
    runner = getattr(view, "runner", None)
    if runner is not None:
        runner.failed.connect(lambda run_id, message: errors.append(message))

    def done() -> bool:
        if args.view == "mm-slice":
            return view.result is not None
        if args.view == "race":
            return not view.running
        return True

    while not done() and not errors:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if time.monotonic() > deadline:
            raise DataError(PROG, f"the {args.view} did not finish within {TIMEOUT_S:.0f} s")
    if errors:
        raise DataError(PROG, errors[-1])
    for _ in range(5):
        QCoreApplication.processEvents()
