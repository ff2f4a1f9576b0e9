"""The ``gmmviz`` command: the window, the desktop launcher and headless ``fit``.

::

    gmmviz [FILE]                  open the window (optionally with a file)
    gmmviz --version
    gmmviz --install-desktop       add gmmviz to the desktop's application menu
    gmmviz --uninstall-desktop
    gmmviz fit DATA --k K [...]    fit a Gaussian mixture by EM, print the result
    gmmviz render SOURCE -o OUT    draw a half-step (PNG, SVG) or the run (GIF), headless

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
import math
import os
import sys

import gmmviz

COMMANDS = ("fit", "render")
INIT_METHODS = ("kmeans++", "random", "random-resp")
EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """A bad command line; exit status 2."""

    def __init__(self, prog: str, message: str):
        super().__init__(message)
        self.prog = prog


class DataError(Exception):
    """Bad data or a failed operation; exit status 1."""

    def __init__(self, prog: str, message: str):
        super().__init__(message)
        self.prog = prog


class _ParserExit(Exception):
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and calling sys.exit."""

    def __init__(self, **kwargs):
        super().__init__(allow_abbrev=False, **kwargs)

    def error(self, message):
        raise UsageError(self.prog, f"{message} (see '{self.prog} --help')")

    def exit(self, status=0, message=None):
        if message:
            self._print_message(message, sys.stderr)
        raise _ParserExit(status)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (never raises SystemExit)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] == "fit":
            return _fit(args[1:])
        if args and args[0] == "render":  # Qt is imported only past argument checks
            from gmmviz.render import render_main

            return render_main(args[1:])
        return _top(args)
    except UsageError as exc:
        return _fail(exc.prog, str(exc), EXIT_USAGE)
    except DataError as exc:
        return _fail(exc.prog, str(exc), EXIT_DATA)
    except _ParserExit as exc:
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


def _top_parser() -> _Parser:
    p = _Parser(
        prog="gmmviz",
        description="Watch Expectation-Maximisation fit a Gaussian mixture, live.",
        epilog="commands:\n  fit    fit a mixture to a CSV file without the window "
        "(see 'gmmviz fit --help')\n  render draw the canvas at a half-step as PNG, SVG or GIF, "
        "without a display (see 'gmmviz render --help')",
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
        desktop = importlib.import_module("gmmviz.desktop")
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


def _positive_int(text: str) -> int:
    return _int_at_least(text, 1, "an integer >= 1")


def _nonneg_int(text: str) -> int:
    return _int_at_least(text, 0, "an integer >= 0")


def _int_at_least(text: str, minimum: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
    return value


def float_in(lo: float, hi: float, what: str):
    """An argparse type: a float in [lo, hi], else a message naming ``what``."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and lo <= value <= hi):
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        return value

    return parse


_nonneg_float = float_in(0.0, math.inf, "a finite number >= 0")


def _columns(text: str) -> tuple[str | int, str | int]:
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2 or not all(parts):
        raise argparse.ArgumentTypeError(f"expected two columns X,Y (names or 1-based numbers), got {text!r}")
    return tuple(int(p) if p.isdigit() else p for p in parts)


def _fit_parser() -> _Parser:
    p = _Parser(
        prog="gmmviz fit",
        description="Fit a Gaussian mixture to the points of a CSV file by EM and print the result.",
        epilog="DATA: comma-separated, '.' decimals, optional header; the x and y columns are those "
        "named x and y, else the first two. Exit status: 0 done (also when EM stopped at a "
        "collapsed component, which is reported), 1 bad data, 2 bad options.",
    )
    p.add_argument("data", metavar="DATA", help="CSV file of points")
    p.add_argument("--k", type=_positive_int, required=True, metavar="K", help="number of components")
    p.add_argument(
        "--covariance", choices=("full", "diag", "spherical", "tied"), default="full",
        help="covariance type (default: full)",
    )
    p.add_argument(
        "--init", default="kmeans++", metavar="{kmeans++,random,random-resp,PARAMS.json}",
        help="initialisation, or a JSON file with weights, means, covariances (or means alone)",
    )
    p.add_argument("--n-init", type=_positive_int, default=1, metavar="N", help="initialisations tried; the best wins (default: 1)")
    p.add_argument("--seed", type=_nonneg_int, default=0, metavar="S", help="random seed (default: 0)")
    p.add_argument("--max-iter", type=_nonneg_int, default=100, metavar="N", help="maximum EM iterations (default: 100)")
    p.add_argument("--tol", type=_nonneg_float, default=1e-3, metavar="T", help="stop when ln p per point changes less (default: 1e-3)")
    p.add_argument("--reg-covar", type=_nonneg_float, default=1e-6, metavar="R", help="added to covariance diagonals, data units (default: 1e-6)")
    p.add_argument("--columns", type=_columns, default=None, metavar="X,Y", help="the x and y columns, by header name or 1-based number")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    return p


def _fit(argv: list[str]) -> int:
    parser = _fit_parser()
    args = parser.parse_args(argv)
    init = args.init
    is_file = init not in INIT_METHODS and (init.lower().endswith(".json") or os.path.isfile(init))
    if init not in INIT_METHODS and not is_file:
        parser.error(f"argument --init: expected kmeans++, random, random-resp or a PARAMS.json file, got {init!r}")

    from gmmviz.core.errors import GmmvizError

    try:
        result, columns = _run_fit(args, init_file=init if is_file else None)
    except GmmvizError as exc:
        raise DataError("gmmviz fit", str(exc)) from None
    if args.json:
        import json

        print(json.dumps(result, allow_nan=False))
    else:
        print(format_summary(result, args.data, columns))
    return EXIT_OK


def _run_fit(args, *, init_file: str | None) -> tuple[dict, tuple[str, ...]]:
    from gmmviz.core.em import run_em
    from gmmviz.core.errors import FileFormatError
    from gmmviz.core.io import read_csv, read_params_json
    from gmmviz.core.types import FitConfig, GaussianParams

    try:
        table = read_csv(args.data, columns=args.columns, read_labels=False)
    except FileFormatError as exc:
        raise FileFormatError(f"{args.data}: {exc}") from None
    options = {"init": args.init}
    if init_file is not None:
        try:
            given = read_params_json(init_file, covariance_type=args.covariance, n_components=args.k)
        except FileFormatError as exc:
            raise FileFormatError(f"--init {exc}") from None
        key = "init_params" if isinstance(given, GaussianParams) else "init_means"
        options = {"init": "given", key: given}
    config = FitConfig(
        n_components=args.k, covariance_type=args.covariance, reg_covar=args.reg_covar,
        max_iter=args.max_iter, tol=args.tol, random_state=args.seed, **options,
    )
    history = run_em(table.X, config, n_init=args.n_init)
    return fit_result(history), table.columns


def fit_result(history) -> dict:
    """The ``fit --json`` object for the snapshots of one run.

    Parameters
    ----------
    history : list of EMSnapshot
        ``init``, then ``E``, ``M``, ... as yielded by :func:`~gmmviz.core.em.em_steps`.

    Returns
    -------
    dict
        JSON-ready (NaN and inf become None).  ``log_likelihood`` has one
        entry for the initial parameters and one per M-step; ``lower_bound``
        one per E- and M-step.  ``n_iter`` is the last iteration's number:
        when a component collapses, EM stops after that iteration's E-step,
        so the last iteration has no M entry.
    """
    from gmmviz.core.mixture import aic, bic

    last = history[-1]
    steps = [s for s in history if s.phase != "init"]
    if len(steps) >= 2 and last.collapse is not None and (steps[-2].iteration, steps[-2].phase) == (last.iteration, last.phase):
        steps.pop(-2)  # the collapse is reported on a copy of the E snapshot
    params = last.params
    ll = last.log_likelihood
    n = last.n_points
    k, ctype = params.n_components, params.covariance_type
    finite = math.isfinite(ll)
    result = {
        "n_components": k,
        "covariance_type": ctype,
        "converged": bool(last.converged),
        "n_iter": int(last.iteration),
        "log_likelihood": [s.log_likelihood for s in history if s.phase in ("init", "M")],
        "lower_bound": [{"iteration": s.iteration, "phase": s.phase, "value": s.lower_bound} for s in steps],
        "weights": params.weights.tolist(),
        "means": params.means.tolist(),
        "covariances": params.covariances.tolist(),
        "bic": bic(ll, n, k, ctype) if finite else None,
        "aic": aic(ll, k, ctype) if finite else None,
        "n_points": int(n),
        "collapse": last.collapse.message if last.collapse is not None else None,
    }
    return _json_safe(result)


def _json_safe(value):
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if hasattr(value, "item"):  # numpy scalar
        return _json_safe(value.item())
    return value


def format_summary(result: dict, data: str, columns=("x", "y")) -> str:
    """A short human-readable report of a :func:`fit_result` dict."""
    ll = result["log_likelihood"][-1] if result["log_likelihood"] else None
    cols = columns
    if result["converged"]:
        state = f"converged after {result['n_iter']} iterations"
    elif result["collapse"]:
        state = f"stopped at iteration {result['n_iter']}: a component collapsed"
    else:
        state = f"did not converge in {result['n_iter']} iterations (raise --max-iter or --tol)"
    lines = [
        f"{data}: {result['n_points']} points, {result['n_components']} components, "
        f"covariance {result['covariance_type']}",
        state,
        f"log-likelihood  {_num(ll)}",
        f"BIC  {_num(result['bic'])}    AIC  {_num(result['aic'])}",
        "",
        f"{'component':>9}  {'weight':>8}  {'mean ' + cols[0]:>14}  {'mean ' + cols[1]:>14}",
    ]
    for i, (w, (mx, my)) in enumerate(zip(result["weights"], result["means"]), start=1):
        lines.append(f"{i:>9}  {w:>8.4f}  {mx:>14.6g}  {my:>14.6g}")
    if result["collapse"]:
        lines += ["", result["collapse"]]
    return "\n".join(lines)


def _num(value) -> str:
    return "n/a" if value is None else f"{value:.6g}"
