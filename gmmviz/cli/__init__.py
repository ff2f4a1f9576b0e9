"""The ``gmmviz`` command: the window, the desktop launcher and headless ``fit``.

::

    gmmviz [FILE]                  open the window (optionally with a file)
    gmmviz --version
    gmmviz --install-desktop       add gmmviz to the desktop's application menu
    gmmviz --uninstall-desktop
    gmmviz fit DATA --k K [...]    fit a Gaussian mixture by EM, print the result
    gmmviz render SOURCE -o OUT    draw a half-step (PNG, SVG) or the run (GIF), headless
    gmmviz classify DATA [...]     fit a generative classifier to labelled points, score it
    gmmviz graph FACTORISATION|MODEL.json [...]  a DAG's factorisation, independencies (why), inference
    gmmviz density DATA [...]      fit histograms, kernels and mixtures, score them on held-out points

Exit status: 0 success, 1 bad data (or any other failure), 2 usage error,
130 interrupted.  Every failure prints exactly one line on stderr,
``<prog>: error: <message>``, and no traceback (set ``GMMVIZ_DEBUG=1`` to
get one for an unexpected internal error).

Imports are lazy: ``--version`` loads no numpy, ``fit`` loads the core
(numpy only) and never Qt or scikit-learn.  :mod:`gmmviz` itself is always
imported first, so its single-threaded BLAS setting precedes numpy.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

import gmmviz
from gmmviz.cli.args import (
    EXIT_DATA,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    DataError,
    Parser,
    ParserExit,
    UsageError,
)

COMMANDS = ("fit", "render", "classify", "graph", "density")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (never raises SystemExit)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] == "fit":
            from gmmviz.cli.fit import fit_command

            return fit_command(args[1:])
        if args and args[0] == "classify":
            from gmmviz.cli.classify import classify_command

            return classify_command(args[1:])
        if args and args[0] == "graph":  # Qt only for -o, past argument checks
            from gmmviz.cli.graph import graph_command

            return graph_command(args[1:])
        if args and args[0] == "density":
            from gmmviz.cli.density import density_command

            return density_command(args[1:])
        if args and args[0] == "render":  # Qt is imported only past argument checks; --lab picks the lab
            from gmmviz.cli.render import render_main

            return render_main(args[1:])
        return _top(args)
    except UsageError as exc:
        return _fail(exc.prog, str(exc), EXIT_USAGE)
    except DataError as exc:
        return _fail(exc.prog, str(exc), EXIT_DATA)
    except ParserExit as exc:
        return exc.status
    except KeyboardInterrupt:
        return _fail("gmmviz", "interrupted", EXIT_INTERRUPTED)
    except BrokenPipeError:  # e.g. `gmmviz fit ... | head`: the reader left, stay quiet
        _silence_stdout()
        return EXIT_DATA
    except Exception as exc:  # a bug: still one line, unless debugging
        if os.environ.get("GMMVIZ_DEBUG"):
            raise
        return _fail(
            "gmmviz",
            f"internal error: {type(exc).__name__}: {exc} (please report it; "
            "run with GMMVIZ_DEBUG=1 for the traceback)",
            EXIT_DATA,
        )


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _fail(prog: str, message: str, status: int) -> int:
    one_line = " ".join(str(message).split())
    print(f"{prog}: error: {one_line}", file=sys.stderr)
    return status


# --------------------------------------------------------------------------
# gmmviz [FILE] | --version | --install-desktop | --uninstall-desktop
# --------------------------------------------------------------------------


def _top_parser() -> Parser:
    p = Parser(
        prog="gmmviz",
        description="A lecture on generative modelling, live: the EM studio and its labs.",
        epilog="commands:\n  fit    fit a mixture to a CSV file without the window "
        "(see 'gmmviz fit --help')\n  render draw the canvas at a half-step as PNG, SVG or GIF, "
        "without a display (see 'gmmviz render --help')\n  classify fit a classifier to labelled points and score it "
        "(see 'gmmviz classify --help')\n  graph  a DAG's factorisation, d-separation with "
        "every path explained, exact inference (see 'gmmviz graph --help')\n  density  fit density estimates "
        "and score them on held-out points (see 'gmmviz density --help')",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", nargs="?", metavar="FILE", help="a CSV or session file to open in the window")
    p.add_argument("--version", action="store_true", help="print the version and exit")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--install-desktop", action="store_true", help="add gmmviz to the application menu")
    group.add_argument("--uninstall-desktop", action="store_true", help="remove it from the application menu")
    return p


def _top(argv: list[str]) -> int:
    args = _top_parser().parse_args(argv)
    if args.version:
        print(f"gmmviz {gmmviz.__version__}")
        return EXIT_OK
    if args.install_desktop or args.uninstall_desktop:
        if args.file is not None:
            raise UsageError("gmmviz", f"--install-desktop and --uninstall-desktop take no FILE, got {args.file!r}")
        return _desktop(install=args.install_desktop)
    if args.file is None:
        return _launch([])
    if not os.path.exists(args.file):
        if os.sep in args.file or "." in args.file:
            raise DataError("gmmviz", f"no such file: {args.file!r}")
        raise UsageError("gmmviz", f"{args.file!r} is neither a command ({', '.join(COMMANDS)}) nor a file")
    return _launch([args.file])


def _launch(files: list[str]) -> int:
    try:
        from gmmviz.app import run_app
    except ImportError as exc:
        raise DataError(
            "gmmviz", f"cannot start the window: {exc} (is gmmviz installed with PySide6 and pyqtgraph?)"
        ) from None
    status = run_app(files=files)
    return int(status or 0)


def _desktop(*, install: bool) -> int:
    option = "--install-desktop" if install else "--uninstall-desktop"
    try:
        desktop = importlib.import_module("gmmviz.cli.desktop")
        paths = desktop.install_desktop() if install else desktop.uninstall_desktop()
    except ImportError as exc:
        raise DataError(f"gmmviz {option}", f"not available: {exc}") from None
    except (OSError, ValueError) as exc:
        raise DataError(f"gmmviz {option}", str(exc)) from None
    for path in paths:
        print(path)
    return EXIT_OK


# --------------------------------------------------------------------------
# gmmviz fit
# --------------------------------------------------------------------------




