"""``gmmviz render --lab theory``: the theory lab's figures without a window.

::

    gmmviz render --lab theory --view race|mm-slice|surface|info|score [SOURCE] -o OUT.png|OUT.svg
                  [--k K] [--seed S] [--iteration N] [--max-iter N] [--step-size S] [--line-search]
                  [--coords I] [--points T] [--samples M] [--sampler prior|posterior] [--repeats R]
                  [--size WxH] [--theme standard|light|dark]

SOURCE is a CSV of points (default: the Blobs preset).  The lab's own views are built offscreen (Qt is
loaded only once the arguments are checked), their computation runs in their own run controllers, and the
view is written with the window's export code (:func:`gmmviz.qt.export.images.export_target`, PNG or true
vector SVG): ``race`` EM against gradient ascent with the given step, ``mm-slice`` the slice through EM
iteration N, ``surface`` the 2-parameter slice (coordinate pair I) through iteration N, ``info`` two
distributions with their entropies and KL divergences, ``score`` the score-function estimates of the
gradient on the first T points.  Options of another view are ignored.  Exit status as ``gmmviz render``.
"""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

from gmmviz.cli.args import (
    DataError,
    Parser,
    UsageError,
    float_in,
    int_at_least,
    seed_arg,
)
from gmmviz.labs.theory.core.settings import FIELD

PROG = "gmmviz render --lab theory"
VIEWS = ("race", "mm-slice", "surface", "info", "score")
FORMATS = (".png", ".svg")
TIMEOUT_S = 300.0
#: Each view's session-field prefix: its K (and the other controls) take that field's range.
K_FIELD = {"race": "race_k", "mm-slice": "slice_k", "surface": "surface_k", "score": "score_k"}


def _field(name: str, what: str = ""):
    """An argparse type: an integer in the range of the theory lab's session field ``name``."""
    f = FIELD[name]
    return lambda text: int_at_least(text, f.lo, what or f"an integer from {f.lo} to {f.hi:,}", f.hi)


def theory_parser() -> Parser:
    from gmmviz.cli.headless import size_arg as _size

    p = Parser(prog=PROG, description="Draw a figure of the theory lab (PNG or SVG), without a window.",
               epilog="Options of another view than --view are ignored. Exit status: 0 done, 1 bad data, "
                      "2 bad options.")
    p.add_argument("source", metavar="SOURCE", nargs="?", help="CSV of points (default: the Blobs preset)")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output file (.png or .svg)")
    p.add_argument("--view", choices=VIEWS, required=True, help="which figure")
    p.add_argument("--k", type=_field("race_k"), default=3, metavar="K",
                   help="components (default 3; at most 8 for surface, 6 for score)")
    p.add_argument("--seed", type=seed_arg, default=0, metavar="S", help="random start (default 0)")
    p.add_argument("--iteration", type=_field("slice_iteration"), default=None, metavar="N",
                   help="mm-slice, surface: the EM iteration drawn, 1 to 500 (default 1; surface 2)")
    p.add_argument("--max-iter", type=_field("race_iterations"), default=150, metavar="N",
                   help="race: iterations of each contestant, 1 to 5,000 (default 150)")
    p.add_argument("--step-size", type=float_in(0.001, 10.0, "a step from 0.001 to 10"), default=0.1, metavar="S",
                   help="race: gradient ascent's step, 0.001 to 10 (default 0.1)")
    p.add_argument("--line-search", action="store_true", help="race: gradient ascent with a line search")
    p.add_argument("--coords", type=_field("surface_coords"), default=0, metavar="I",
                   help="surface: which pair of mean coordinates (0: mu1,x / mu1,y; default 0)")
    p.add_argument("--points", type=_field("score_T"), default=5, metavar="T",
                   help="score: the likelihood of the first T points, 1 to 2,000 (default 5)")
    p.add_argument("--samples", type=_field("score_m"), default=100, metavar="M",
                   help="score: sampled assignment vectors per estimate, 1 to 10,000 (default 100)")
    p.add_argument("--sampler", choices=FIELD["score_sampler"].options, default="prior",
                   help="score: z from the prior (the slide's) or the posterior (default prior)")
    p.add_argument("--repeats", type=_field("score_repeats"), default=200, metavar="R",
                   help="score: independent estimates, for their spread, 2 to 5,000 (default 200)")
    p.add_argument("--size", type=_size, default=(1280, 720), metavar="WxH", help="image size (default 1280x720)")
    p.add_argument("--theme", choices=("standard", "light", "dark"), default="standard", help="colours")
    return p


def _check(args) -> None:
    """What the parser cannot check alone (UsageError): the output's name and each view's own ranges."""
    out = Path(args.output)
    if out.suffix.lower() not in FORMATS:
        raise UsageError(PROG, f"OUT must end in .png or .svg, got {args.output!r}")
    if out.is_dir():
        raise UsageError(PROG, f"OUT {args.output!r} is a folder: give a file name")
    if not out.resolve().parent.is_dir():
        raise DataError(PROG, f"cannot write {args.output!r}: give a file name in an existing folder")
    field = K_FIELD.get(args.view)
    if field is not None and args.k > FIELD[field].hi:
        raise UsageError(PROG, f"--k for --view {args.view} must be from 1 to {FIELD[field].hi}, got {args.k}")
    if args.view == "surface":
        from gmmviz.labs.theory.core.surface_view import (
            coordinate_label,
            coordinate_pairs,
        )

        pairs = coordinate_pairs(args.k)
        if args.coords >= len(pairs):
            raise UsageError(PROG, f"--coords with K = {args.k} must be from 0 to {len(pairs) - 1}, got {args.coords}")
        args.pair = pairs[args.coords]
        args.pair_label = " / ".join(coordinate_label(c) for c in args.pair)


def render_theory_main(argv: list[str]) -> int:
    args = theory_parser().parse_args(argv)
    _check(args)
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
        from PySide6.QtCore import QSize

        from gmmviz.labs.theory.qt.theming import restyle
        from gmmviz.qt.export.images import export_target
        from gmmviz.qt.themes import apply_theme

        view.resize(*args.size)
        view.show()
        apply_theme(args.theme, view, [lambda theme: restyle(view, theme)])
        _wait(view, args)
        figure = SimpleNamespace(canvas=view, palette=view.palette)  # an export source of one widget
        try:
            export_target(figure, "canvas", args.output, size=QSize(*args.size))
        except OSError as exc:
            raise DataError(PROG, f"cannot write {args.output!r}: {exc.strerror or exc}") from None
        print(f"{args.output}: {args.size[0]} × {args.size[1]} px, {_describe(view, args)}")
        return 0
    finally:
        shutdown = getattr(view, "shutdown", None) or view.gap_runner.shutdown
        shutdown()
        view.close()
        view.deleteLater()


def _describe(view, args) -> str:
    if args.view in ("mm-slice", "surface") and view.result is not None:
        extra = f", {args.pair_label}" if args.view == "surface" else ""
        return f"{args.view} through EM iteration {view.result.iteration}{extra}"
    if args.view == "score":
        return f"score ({args.sampler} sampler, T = {view.result.n_points}, m = {args.samples})"
    return args.view


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
    if args.view == "race":
        return _race(args, dataset)
    if args.view == "score":
        from gmmviz.labs.theory.qt.score_view import ScoreView

        view = ScoreView()
        view.k.setValue(args.k)
        view.T.setValue(args.points)
        view.samples.setValue(args.samples)
        view.sampler.setCurrentIndex(view.sampler.findData(args.sampler))
        view.repeats.setValue(args.repeats)
    elif args.view == "mm-slice":
        from gmmviz.labs.theory.qt.slice_view import SliceView

        view = SliceView()
    else:
        from gmmviz.labs.theory.qt.surface_view import SurfaceView

        view = SurfaceView()
    if args.view in ("mm-slice", "surface"):
        view.follow.setChecked(False)
        view.k.setValue(args.k)
        view.seed.setValue(args.seed)
        if args.iteration is not None:
            view.iteration.setValue(args.iteration)
        if args.view == "surface":
            view.coords.setCurrentIndex(args.coords)  # the combo lists coordinate_pairs(K) in order
    view.set_points(X)
    return view


def _race(args, dataset):
    import math

    from gmmviz.labs.theory.qt.race_view import RaceView

    view = RaceView()
    view.k.setValue(args.k)
    view.seed.setValue(args.seed)
    view.max_iter.setValue(args.max_iter)
    view.step.setValue(round(10 * math.log10(args.step_size)))
    view.line_search.setChecked(args.line_search)
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
        if args.view in ("mm-slice", "surface", "score"):
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
