"""``gmmviz render``: figures and animations without a window or a display.

::

    gmmviz render SOURCE -o OUT.png|OUT.svg|OUT.gif [--k K] [--covariance T] [--seed S]
                  [--iteration N [--phase E|M] | --phase E|M | --until-converged]
                  [--size WxH] [--theme standard|light|dark] [--target canvas|curves|both]
    gmmviz render --lab density -o OUT.png|OUT.svg [...]    (:mod:`gmmviz.cli.render_density`)
    gmmviz render --lab classify DATA -o OUT.png|OUT.svg [...]   (:mod:`gmmviz.cli.render_classify`)
    gmmviz render --lab theory --view race|mm-slice|surface|info|score [DATA] -o OUT.png|OUT.svg
                                                      (:mod:`gmmviz.cli.render_theory`)

SOURCE is a CSV of points or a ``.gmmviz`` session.  The real studio
widgets are built offscreen (Qt's ``offscreen`` platform, chosen before Qt
loads unless ``QT_QPA_PLATFORM`` is set), EM runs in the same worker the
window uses, the playback is moved to the chosen half-step and the image is
exported with the window's own export code; a GIF holds every half-step
from the initialisation up to that one.  Exit status and error lines are
those of ``gmmviz fit`` (0 done, 1 bad data, 2 bad options).
"""

from __future__ import annotations

import time
from pathlib import Path

from gmmviz.cli.args import (
    INIT_METHODS,
    DataError,
    Parser,
    UsageError,
    float_in,
    k_arg,
    max_iter_arg,
    positive_max_iter_arg,
    seed_arg,
)
from gmmviz.cli.headless import check_output, use_offscreen_platform
from gmmviz.cli.headless import factor_arg as _factor
from gmmviz.cli.headless import quiet_logs as _quiet_logs
from gmmviz.cli.headless import quiet_qt as _quiet_qt
from gmmviz.cli.headless import size_arg as _size
from gmmviz.labs.em.core.defaults import EM_DEFAULTS as D

PROG = "gmmviz render"
FORMATS = (".png", ".svg", ".gif")
DEFAULT_SIZES = {".png": (1280, 720), ".svg": (1280, 720), ".gif": (960, 540)}
RUN_TIMEOUT_S = 600.0
#: Points x components x iterations a render may run: its kept history (one byte a
#: responsibility, two half-steps an iteration) stays under about 2 GB, its time within minutes
#: (the defaults on a million points fit).
RENDER_BUDGET = 1_000_000_000
CANVAS_HEIGHT, CURVES_HEIGHT = 600, 220
_fps = float_in(0.1, 60.0, "frames per second from 0.1 to 60")



def render_parser() -> Parser:
    p = Parser(
        prog=PROG,
        description="Draw the EM canvas (and curves) for a data set at a chosen half-step, without a window: "
                    "PNG, SVG, or an animated GIF of the run up to that half-step.",
        epilog="Which half-step: --iteration N is the state after iteration N's M-step (0: the "
               "initialisation); add --phase E for its E-step. --phase alone means iteration 1. Default "
               "(--until-converged): the last half-step of the run, or, for a session, the one it was "
               "saved at. Exit status: 0 done, 1 bad data, 2 bad options.",
    )
    p.add_argument("source", metavar="SOURCE", help="CSV of points, or a .gmmviz session")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output file: .png, .svg or .gif")
    p.add_argument("--k", type=k_arg, metavar="K", help=f"number of components (default {D['n_components']}, or the session's)")
    p.add_argument("--covariance", choices=("full", "diag", "spherical", "tied"), help=f"covariance type (default {D['covariance_type']}, or the session's)")
    p.add_argument("--init", choices=INIT_METHODS, help=f"initialisation (default {D['init']}: random data points, or the session's)")
    p.add_argument("--seed", type=seed_arg, metavar="S", help=f"random seed (default {D['seed']})")
    p.add_argument("--max-iter", type=positive_max_iter_arg, metavar="N", help=f"maximum EM iterations (default {D['max_iter']}, or the session's)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--iteration", type=max_iter_arg, metavar="N", help="show the state after iteration N")
    which.add_argument("--until-converged", action="store_true", help="show the last half-step (default)")
    p.add_argument("--phase", choices=("E", "M"), help="the E- or M-step of the iteration")
    p.add_argument("--target", choices=("canvas", "curves", "both"), default="canvas",
                   help="what to draw: the canvas, the curves, or both side by side (default canvas)")
    p.add_argument("--size", type=_size, metavar="WxH", help="image size in pixels (default 1280x720; GIF 960x540)")
    p.add_argument("--theme", choices=("standard", "light", "dark"), default="standard", help="colours (default standard)")
    p.add_argument("--scale", type=_factor, default=1.0, metavar="F",
                   help="lecture scale: markers, lines and text times F (default 1)")
    p.add_argument("--fps", type=_fps, default=4.0, metavar="F", help="GIF: half-steps per second (default 4)")
    p.add_argument("--no-caption", action="store_true", help="GIF: no 'Iteration n · E-step' caption")
    p.add_argument("--lab", choices=LABS, default="em",
                   help="which lab draws: em (default), classify for a posterior map of labelled points, density, "
                        "theory (see 'gmmviz render --lab classify|density|theory --help')")
    return p


def render_main(argv: list[str]) -> int:
    """Entry point of ``gmmviz render`` (errors are raised as the CLI's UsageError/DataError)."""
    lab, rest = _lab_option(argv)
    if lab == "classify":
        from gmmviz.cli.render_classify import render_classify_main

        return render_classify_main(rest)
    if lab == "density":
        from gmmviz.cli.render_density import (
            render_lab_main,  # its parser reads --lab density itself
        )

        return render_lab_main(argv)
    if lab == "theory":
        from gmmviz.cli.render_theory import render_theory_main

        return render_theory_main(rest)
    args = render_parser().parse_args(rest)
    suffix = Path(args.output).suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(PROG, f"OUT must end in .png, .svg or .gif, got {args.output!r}")
    source = Path(args.source)
    check_output(source, Path(args.output), PROG)
    dataset, session, axes = load_source(source)
    use_offscreen_platform()
    return _render(args, dataset, session, suffix, axes)


LABS = ("em", "classify", "density", "theory")


def _lab_option(argv: list[str]) -> tuple[str, list[str]]:
    """``--lab NAME`` (or ``--lab=NAME``) taken out of ``argv``: which lab draws (default em)."""
    rest, lab, it = [], "em", iter(argv)
    for arg in it:
        if arg == "--lab" or arg.startswith("--lab="):
            lab = arg.partition("=")[2] if "=" in arg else next(it, "")
            if lab not in LABS:
                raise UsageError(PROG, f"argument --lab: invalid choice {lab!r} (choose from {', '.join(LABS)})")
        else:
            rest.append(arg)
    return lab, rest


def load_source(path: Path):
    """(Dataset, Session or None, axis names) from a CSV or a session file; DataError if unreadable."""
    from gmmviz.core.errors import GmmvizError
    from gmmviz.core.io.points import read_points
    from gmmviz.labs.em.core.session.files import is_session_path, read_session

    try:
        if is_session_path(path):  # as the window decides: by the name, else by the content
            session = read_session(path)
            return session.dataset, session, ("", "")
        loaded = read_points(path)
        return loaded.dataset, None, loaded.axes
    except GmmvizError as exc:
        raise DataError(PROG, f"{path.name}: {exc}") from None


def _settings(args, session):
    from dataclasses import replace

    from gmmviz.labs.em.core.types import ModelSettings

    base = session.settings if session is not None else ModelSettings()
    changes = {"n_components": args.k, "covariance_type": args.covariance, "init": args.init,
               "seed": args.seed, "max_iter": args.max_iter}
    return replace(base, **{k: v for k, v in changes.items() if v is not None})


def _render(args, dataset, session, suffix: str, axes=("", "")) -> int:
    from gmmviz.app import make_app, pin_blas_threads

    pin_blas_threads()
    _quiet_qt()
    _quiet_logs()
    make_app([PROG])
    from gmmviz.labs.em.qt.studio import EMStudio

    studio = EMStudio(dataset)
    studio.canvas.set_axis_names(*axes)  # the CSV header's column names, as the window shows them
    try:
        size = args.size or DEFAULT_SIZES[suffix]
        _prepare(studio, args, session, size)
        history = _run(studio, args, session)
        index = choose_index(history.snapshots, iteration=args.iteration, phase=args.phase,
                             default=_session_cursor(session, args, len(history)))
        studio.playback.seek(index)
        _write(studio, args, suffix, size, index)
        snap = history.snapshots[index]
        step = "initialisation" if snap.phase == "init" else f"iteration {snap.iteration}, {snap.phase}-step"
        algorithm = getattr(snap, "algorithm", "em")
        print(f"{args.output}: {size[0]} × {size[1]} px, {step}" + ("" if algorithm == "em" else f" ({algorithm})"))
        return 0
    finally:
        studio.shutdown()
        studio.close()
        studio.deleteLater()


def _prepare(studio, args, session, size) -> None:
    """Settings, theme, scale and an offscreen window of about the canvas's on-screen size."""
    from gmmviz.labs.em.qt.document import apply_view
    from gmmviz.labs.em.qt.theming import style_studio
    from gmmviz.qt.themes import apply_scale, apply_theme

    studio.model_panel.set_settings(_settings(args, session))
    studio.canvas.set_levels(True, True, False)  # the window's default: 1σ and 2σ ellipses, and their note
    if session is not None and args.k is None:
        studio.set_initial_params(session.manual_params)
    if session is not None:  # a session renders with the algorithm it was saved with
        studio.model_panel.algorithm.set_settings(session.algorithm)
    # The canvas is laid out at about a laptop window's size (600 px high, the
    # image's aspect ratio), so text and markers keep their on-screen proportions.
    canvas_w = max(480, round(CANVAS_HEIGHT * size[0] / size[1]))
    studio.side.hide()
    studio.resize(canvas_w, CANVAS_HEIGHT + CURVES_HEIGHT + studio.vsplit.handleWidth())
    studio.show()
    studio.vsplit.setSizes([CANVAS_HEIGHT, CURVES_HEIGHT])
    apply_view(studio, None if session is None else session.view)
    apply_theme(args.theme, studio, [lambda th: style_studio(studio, th)])
    if args.scale != 1.0:
        apply_scale(studio, args.scale, rescale=[studio.canvas.set_scale, studio.curves.set_scale])


def _run(studio, args, session):
    """Start the run (EM, or a session's algorithm) with the studio's own worker and wait for all of it."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    if studio.config() is None:
        k = studio.settings().n_components
        raise DataError(PROG, f"{args.source}: EM needs at least K = {k} points; there are {studio.dataset.n_points}")
    check_budget(studio.dataset.n_points, studio.settings().n_components, studio.settings().max_iter)
    failures: list[str] = []
    studio.fit.run_failed.connect(lambda run_id, message: failures.append(message))
    studio.start_run()
    studio.fit.compute_all()
    deadline = time.monotonic() + RUN_TIMEOUT_S
    history = studio.fit.history
    while not history.finished:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if time.monotonic() > deadline:
            raise DataError(PROG, f"EM did not finish within {RUN_TIMEOUT_S:.0f} s (try a smaller --max-iter)")
    QCoreApplication.processEvents()
    if failures:
        raise DataError(PROG, failures[-1])
    if len(history) == 0:
        raise DataError(PROG, "EM produced no half-steps")
    return history


def check_budget(n_points: int, k: int, max_iter: int) -> None:
    """Refuse a run that could outgrow the render budget (UsageError: lower --max-iter or --k)."""
    work = n_points * k * max_iter
    if work > RENDER_BUDGET:
        fits = max(1, RENDER_BUDGET // max(1, n_points * k))
        raise UsageError(PROG, f"{n_points:,} points x K = {k} x up to {max_iter:,} iterations is more than a render "
                               f"runs (its history would take {work * 2 / 2**30:.1f} GiB): give --max-iter {fits:,} "
                               "or less, or a smaller --k")


def _session_cursor(session, args, count: int) -> int | None:
    if session is None or args.until_converged or args.k or args.covariance or args.init or args.seed is not None:
        return None
    return session.cursor if 0 <= session.cursor < count else None


def choose_index(snapshots, *, iteration: int | None, phase: str | None, default: int | None = None) -> int:
    """The half-step to show: iteration N's E or M snapshot, else ``default``, else the last.

    Raises
    ------
    DataError
        The run stopped before that iteration.
    """
    if iteration is None and phase is not None:
        iteration = 1
    if iteration is None:
        return default if default is not None else len(snapshots) - 1
    if iteration == 0:
        return 0
    wanted = phase or "M"
    for i, snap in enumerate(snapshots):
        if snap.iteration == iteration and snap.phase == wanted:
            return i
    last = snapshots[-1]
    reason = "converged" if last.converged else ("a component collapsed" if last.collapse else "max-iter reached")
    raise DataError(PROG, f"the run stopped at iteration {last.iteration} ({reason}); it has no "
                          f"{wanted}-step {iteration} (use a smaller --iteration or --until-converged)")


def _write(studio, args, suffix: str, size: tuple[int, int], index: int) -> None:
    from PySide6.QtCore import QSize

    from gmmviz.qt.export.animation import (
        AnimationSpec,
        ExportError,
        FrameRenderer,
        check_budget,
        write_animation,
    )
    from gmmviz.qt.export.images import export_target

    try:
        if suffix in (".png", ".svg"):
            export_target(studio, args.target, args.output, size=QSize(*size))
            return
        spec = AnimationSpec(Path(args.output), 0, index, args.fps, args.target, size, caption=not args.no_caption)
        try:
            spec.check()
            check_budget(size, index + 1)
        except ExportError as exc:
            raise UsageError(PROG, str(exc)) from None
        renderer = FrameRenderer(studio, spec)
        write_animation(spec, (renderer.render(i) for i in range(index + 1)))
    except OSError as exc:
        raise DataError(PROG, f"cannot write {args.output!r}: {exc.strerror or exc}") from None
