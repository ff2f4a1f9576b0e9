"""``gmmviz density``: which density estimate fits best, measured by held-out log-likelihood.

Fits fixed and equal-mass histograms, Gaussian kernel density estimates and
Gaussian mixtures (and the infinite mixture) to a column of a CSV file (1-D),
two columns (2-D) or a built-in distribution (``--generate``), on a seeded
train/test split; reports every setting's mean log-likelihood per point on
the training and the test points (and cross-validated with ``--folds``) and
the best setting of each estimator.  Loads numpy and scipy only (the infinite
mixture is the lab's numpy fit, with scikit-learn's updates).
"""

from __future__ import annotations

import argparse
import math

from gmmviz.cli.args import (
    EXIT_OK,
    MAX_SEED,
    DataError,
    Parser,
    columns_arg,
    float_in,
    int_at_least,
    nonneg_float,
    seed_arg,
)

PROG = "gmmviz density"
ESTIMATORS = ("hist", "vhist", "kde", "gmm", "dpgmm")
DEFAULT_ESTIMATORS = ("hist", "vhist", "kde", "gmm")
GENERATORS = ("bimodal", "mixture", "lognormal", "gamma", "uniform", "student-t", "spike")
BIN_RULES = ("auto", "fd", "doane", "scott", "stone", "rice", "sturges", "sqrt")
MAX_LIST, MAX_BINS_ARG, MAX_K_ARG, MAX_N = 500, 10_000, 50, 1_000_000


def _items(text: str, what: str) -> list[str]:
    parts = [p.strip() for p in text.split(",")]
    if not text.strip() or not all(parts):
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
    return parts


def int_list(maximum: int, what: str):
    """An argparse type: ``1,2,5`` or ranges ``2-100`` of integers from 1 to ``maximum``."""
    full = f"{what} (integers from 1 to {maximum:,}, e.g. 1,5,10 or 2-100)"

    def parse(text: str) -> list[int]:
        out = []
        for part in _items(text, full):
            a, dash, b = part.partition("-")
            lo = int_at_least(a, 1, full, maximum)
            hi = int_at_least(b, lo, full, maximum) if dash else lo
            out.extend(range(lo, hi + 1))
            if len(out) > MAX_LIST:
                raise argparse.ArgumentTypeError(f"at most {MAX_LIST} settings, got {text!r}")
        return sorted(set(out))

    return parse


def bins_arg(text: str) -> list:
    """Bin counts and numpy's rule names: ``10,20,fd``."""
    numbers = int_list(MAX_BINS_ARG, "bins")
    out = []
    for part in _items(text, "bins"):
        out.extend([part] if part in BIN_RULES else numbers(part))
    if len(out) > MAX_LIST:
        raise argparse.ArgumentTypeError(f"at most {MAX_LIST} settings, got {text!r}")
    return out


def bandwidth_arg(text: str):
    """``cv``, ``scott``, ``silverman`` or a list of positive numbers (rules may be listed with numbers)."""
    if text.strip() == "cv":
        return "cv"
    positive = float_in(1e-300, 1e300, "cv, scott, silverman or a list of bandwidths > 0")
    out = [p if p in ("scott", "silverman") else positive(p)
           for p in _items(text, "cv, scott, silverman or a list of bandwidths > 0")]
    if len(out) > MAX_LIST:
        raise argparse.ArgumentTypeError(f"at most {MAX_LIST} bandwidths, got {text!r}")
    return out


def estimators_arg(text: str) -> tuple[str, ...]:
    parts = _items(text, f"a list from {','.join(ESTIMATORS)}")
    bad = [p for p in parts if p not in ESTIMATORS]
    if bad:
        raise argparse.ArgumentTypeError(f"unknown estimator {bad[0]!r}; expected some of {', '.join(ESTIMATORS)}")
    return tuple(dict.fromkeys(parts))


def concentration_arg(text: str) -> list[float]:
    positive = float_in(1e-12, 1e12, "concentrations from 1e-12 to 1e12")
    return sorted({positive(p) for p in _items(text, "a list of concentrations > 0")})


def _parser() -> Parser:
    p = Parser(
        prog=PROG,
        description="Fit histograms, equal-mass histograms, kernel density estimates and Gaussian mixtures to "
        "1-D or 2-D data; score each setting by its mean log-likelihood per point on held-out points.",
        epilog="DATA: a CSV file; one column is 1-D data (--column, default the column named x or the first), "
        "--columns A,B 2-D.  Scores are mean ln p per point (higher is better); a held-out point in an empty bin "
        "has p = 0, so the score is -inf: --json writes it as -Infinity (as Python's json and JavaScript's "
        "JSON5 read it; strict JSON readers need it allowed) and 'null' where there is no score at all (no test "
        "points).  --pseudo-count C adds C to every bin's count.  Exit status: 0 done, 1 bad data, 2 bad options.",
    )
    p.add_argument("data", nargs="?", metavar="DATA", help="CSV file (or use --generate)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--column", default=None, metavar="NAME", help="the column of 1-D data (name or number)")
    where.add_argument("--columns", type=columns_arg, default=None, metavar="A,B", help="two columns: 2-D data")
    p.add_argument("--generate", choices=GENERATORS, default=None, help="sample a built-in 1-D distribution")
    p.add_argument("--n", type=lambda t: int_at_least(t, 2, f"an integer from 2 to {MAX_N:,}", MAX_N),
                   default=1000, metavar="N", help="points to generate (default: 1000)")
    p.add_argument("--estimators", type=estimators_arg, default=DEFAULT_ESTIMATORS, metavar="LIST",
                   help=f"some of {','.join(ESTIMATORS)} (default: {','.join(DEFAULT_ESTIMATORS)})")
    p.add_argument("--bins", type=bins_arg, default=None, metavar="LIST",
                   help="hist: numbers of bins (per axis) and numpy rules, e.g. 2-100 or 10,fd (default: 2-100)")
    p.add_argument("--origin", type=float_in(0.0, 0.999999, "a fraction in [0, 1)"), default=0.0, metavar="F",
                   help="hist: shift of the bin grid, a fraction of a bin width (default: 0)")
    p.add_argument("--bandwidth", type=bandwidth_arg, default="cv", metavar="LIST|scott|silverman|cv",
                   help="kde: bandwidths (1-D: h in data units; 2-D: a factor of the data's covariance), a rule, or "
                   "cv: 50 bandwidths from Scott's/25 to 3x Scott's (default: cv)")
    p.add_argument("--k", type=int_list(MAX_K_ARG, "K"), default=None, metavar="LIST",
                   help="gmm: numbers of components (default: 1-10)")
    p.add_argument("--concentration", type=concentration_arg, default=[0.01, 1.0, 100.0], metavar="LIST",
                   help="dpgmm: Dirichlet-process concentrations (default: 0.01,1,100), up to 20 components")
    p.add_argument("--pseudo-count", type=nonneg_float, default=0.0, metavar="C",
                   help="hist, vhist: added to every bin's count (default: 0)")
    p.add_argument("--test-size", type=float_in(0.0, 0.9, "a fraction from 0 to 0.9"), default=0.25, metavar="F",
                   help="fraction of the points held out (default: 0.25)")
    p.add_argument("--folds", type=lambda t: int_at_least(t, 2, "an integer from 2 to 50", 50), default=None,
                   metavar="N", help="also k-fold cross-validate on the training points (kde cv: 5 if not given)")
    p.add_argument("--seed", type=seed_arg, default=0, metavar="S",
                   help=f"seeds the split, the folds, the mixtures and --generate (0 to {MAX_SEED:,}; default: 0)")
    p.add_argument("--learning-curve", action="store_true",
                   help="with --generate: the distance (ISE) of each estimator at its rule-of-thumb setting to the "
                   "true density for n = 50 ... 50,000 points")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    return p


def density_command(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if (args.data is None) == (args.generate is None):
        parser.error("give DATA or --generate DIST (one of them)")
    if args.generate is not None and (args.column is not None or args.columns is not None):
        parser.error("--column and --columns apply to DATA, not to --generate")
    if args.learning_curve and args.generate is None:
        parser.error("--learning-curve needs --generate (the true density must be known)")
    from gmmviz.core.errors import GmmvizError, OptionError
    from gmmviz.labs.density.report import density_report

    try:
        X, columns, truth = _load(args)
        result = density_report(X, args, columns=columns, truth=truth)
        if args.learning_curve:
            from gmmviz.labs.density.report import learning_report

            result["learning_curve"] = learning_report(truth, args.seed)
    except OptionError as exc:
        parser.error(str(exc))
    except GmmvizError as exc:
        raise DataError(PROG, str(exc)) from None
    if args.json:
        import json

        print(json.dumps(_json_ready(result), allow_nan=True))
    else:
        from gmmviz.labs.density.report import format_summary

        print(format_summary(result))
    return EXIT_OK


def _load(args):
    from gmmviz.core.errors import FileFormatError

    if args.generate is not None:
        from gmmviz.labs.density.core.truth import distribution

        truth = distribution(args.generate)
        return truth.sample(args.n, args.seed)[:, None], [args.generate], truth
    try:
        if args.columns is not None:
            from gmmviz.core.io.csv_read import read_csv

            table = read_csv(args.data, columns=args.columns, read_labels=False)
            return table.X, list(table.columns[:2]), None
        from gmmviz.labs.density.core.column import read_column

        x, name = read_column(args.data, args.column)
        return x[:, None], [name], None
    except FileFormatError as exc:
        if type(exc).__name__ == "OptionError":
            raise
        raise FileFormatError(f"{args.data}: {exc}") from None


def _json_ready(value):
    """NaN -> null (no score); +-inf stay (json writes them as Infinity / -Infinity)."""
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    if hasattr(value, "item"):
        return _json_ready(value.item())
    return value
