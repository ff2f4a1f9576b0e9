"""``gmmviz classify``: a generative classifier on a labelled CSV, its scores, and a check of your own.

Fits on a seeded, stratified training split, reports accuracy and log-loss
on both parts and the confusion matrix, and with ``--compare module:Class``
fits the user's estimator on the same training points and reports where its
predictions differ from the reference.  Loads numpy only, and scikit-learn
only for ``--compare`` (the reference estimator's base classes).
"""

from __future__ import annotations

import argparse
import math

from gmmviz.cli.args import (
    EXIT_OK,
    DataError,
    Parser,
    UsageError,
    float_in,
    nonneg_float,
    nonneg_int,
)
from gmmviz.cli.fit import _json_safe

PROG = "gmmviz classify"
MODELS = ("nb", "nb-diag", "lda", "qda", "gmm")
MODEL_NAMES = {"nb": "Naive Bayes (isotropic: one variance per class)",
               "nb-diag": "Naive Bayes (diagonal: one variance per class and feature)",
               "lda": "LDA (one Gaussian per class, shared covariance)",
               "qda": "QDA (one full Gaussian per class)", "gmm": "GMM classifier (a mixture per class)"}
DEFAULT_K = 2


def _pairs(text: str, value, what: str) -> dict:
    """``CLASS=V,...`` -> {CLASS: value(V)}."""
    out = {}
    for part in text.split(","):
        name, eq, v = part.strip().partition("=")
        if not eq or not name.strip() or not v.strip():
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        if name.strip() in out:
            raise argparse.ArgumentTypeError(f"class {name.strip()!r} given twice in {text!r}")
        try:
            out[name.strip()] = value(v.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
    return out


def k_arg(text: str):
    """``K`` or ``CLASS=K,...`` (each K an integer >= 1)."""
    what = "K or CLASS=K,... (integers >= 1)"
    if "=" not in text:
        k = int(text) if text.strip().isdigit() else 0
        if k < 1:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        return k
    ks = _pairs(text, int, what)
    if min(ks.values()) < 1:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
    return ks


def priors_arg(text: str) -> dict:
    probability = float_in(0.0, 1.0, "")

    def value(v):
        try:
            return probability(v)
        except argparse.ArgumentTypeError:
            raise ValueError(v) from None

    return _pairs(text, value, "CLASS=P,... (each P in [0, 1])")


def _parser() -> Parser:
    p = Parser(
        prog=PROG,
        description="Fit a generative classifier (P(x|y) and P(y), then Bayes' rule) to the labelled points of a "
        "CSV file; report accuracy, log-loss and the confusion matrix on a seeded train/test split.",
        epilog="DATA: comma-separated with a label column (named label, class or y_true, or the third column). "
        "Exit status: 0 done, 1 bad data (or a --compare estimator that fails), 2 bad options.",
    )
    p.add_argument("data", metavar="DATA", help="CSV file of labelled points")
    add_model_options(p)
    p.add_argument("--compare", default=None, metavar="module:Class",
                   help="also fit your own estimator (module:Class or path/file.py:Class) and compare")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    return p


def add_model_options(p) -> None:
    """The model options of ``gmmviz classify``, shared with ``gmmviz render --lab classify``."""
    p.add_argument("--model", choices=MODELS, default="gmm", help="the classifier (default: gmm)")
    p.add_argument("--k", type=k_arg, default=None, metavar="K|CLASS=K,...",
                   help=f"gmm: components per class, one K for all or per class (default: {DEFAULT_K})")
    p.add_argument("--covariance", choices=("full", "diag", "spherical", "tied"), default=None,
                   help="gmm: covariance type of each class's mixture (default: full)")
    p.add_argument("--test-size", type=float_in(0.0, 0.99, "a fraction from 0 to 0.99"), default=0.25,
                   metavar="F", help="fraction of every class held out for testing (default: 0.25)")
    p.add_argument("--seed", type=nonneg_int, default=0, metavar="S",
                   help="seeds the split and the mixtures' initialisation (default: 0)")
    p.add_argument("--priors", type=priors_arg, default=None, metavar="CLASS=P,...",
                   help="class priors P(y) for every class, summing to 1 (default: the class frequencies)")
    p.add_argument("--reg-covar", type=nonneg_float, default=1e-6, metavar="R",
                   help="added to every variance, data units (default: 1e-06)")


def check_model_options(parser, args) -> None:
    """--k and --covariance go with --model gmm only (a usage error otherwise)."""
    if args.model != "gmm":
        for option, value in (("--k", args.k), ("--covariance", args.covariance)):
            if value is not None:
                parser.error(f"argument {option}: applies to --model gmm only, not {args.model}")


def classify_command(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    check_model_options(parser, args)
    if args.compare is not None and (":" not in args.compare or args.compare.startswith(":")
                                     or args.compare.endswith(":")):
        parser.error(f"argument --compare: expected module:Class or path/file.py:Class, got {args.compare!r}")
    from gmmviz.core.errors import GmmvizError

    try:
        result = run_classify(args)
    except GmmvizError as exc:
        raise DataError(PROG, str(exc)) from None
    if args.json:
        import json

        print(json.dumps(_json_safe(result), allow_nan=False))
    else:
        print(format_summary(result))
    return EXIT_OK


def _read(path: str):
    import numpy as np

    from gmmviz.core.errors import FileFormatError, GmmvizError
    from gmmviz.core.io.points import read_csv

    try:
        table = read_csv(path)
    except FileFormatError as exc:
        raise FileFormatError(f"{path}: {exc}") from None
    if table.labels is None:
        raise GmmvizError(f"{path}: no label column (name one label, class or y_true, or give a third column)")
    names = np.array(table.label_names, dtype=object)
    return table.X, names[table.labels], table.columns


def _resolve(args, classes) -> tuple:
    """The --k and --priors options against the data's classes (a usage error if they do not fit)."""
    from gmmviz.core.errors import GmmvizError
    from gmmviz.labs.classify.core.fitting import components_per_class
    from gmmviz.labs.classify.core.model import resolve_priors

    k = DEFAULT_K if args.k is None else args.k
    try:
        components_per_class(k, classes)
        if args.priors is not None:
            resolve_priors(args.priors, classes, [1] * len(classes))
    except GmmvizError as exc:
        option = "--priors" if str(exc).startswith("priors") else "--k"
        message = str(exc).removeprefix("n_components: ").removeprefix("priors: ")
        raise UsageError(PROG, f"argument {option}: {message}") from None
    return k


def run_classify(args) -> dict:
    """Fit, score and (with ``args.compare``) compare; the ``--json`` object."""
    from gmmviz.core.errors import GmmvizError
    from gmmviz.labs.classify.core.fitting import encode_labels, fit_classifier
    from gmmviz.labs.classify.core.metrics import classification_scores
    from gmmviz.labs.classify.core.split import stratified_split

    from gmmviz.core.validation import check_spread

    X, y, columns = _read(args.data)
    check_spread(X)  # all of them: a test point 1e300 away would overflow every class's density
    classes, y_idx, counts = encode_labels(y)
    if len(classes) < 2:
        raise GmmvizError(f"{args.data}: only one class ({classes[0]!r}); a classifier needs at least two")
    k = _resolve(args, classes)
    train, test = stratified_split(y_idx, args.test_size, args.seed)
    options = {"priors": args.priors, "reg_covar": args.reg_covar, "n_components": k,
               "covariance_type": args.covariance or "full", "random_state": args.seed}
    model = fit_classifier(args.model, X[train], y_idx[train], classes, **options)

    def scores(idx):
        if idx.size == 0:
            return None, None, None
        found = classification_scores(model, X[idx], y_idx[idx])
        return found.accuracy, found.log_loss, found.confusion.tolist()

    train_acc, train_loss, train_conf = scores(train)
    test_acc, test_loss, test_conf = scores(test)
    result = {
        "data": args.data, "model": args.model, "classes": list(classes), "columns": list(columns[:2]),
        "n_points": int(X.shape[0]), "n_train": int(train.size), "n_test": int(test.size),
        "counts": counts.tolist(), "priors": model.priors.tolist(),
        "train_accuracy": train_acc, "train_log_loss": train_loss,
        "test_accuracy": test_acc, "test_log_loss": test_loss,
        "confusion": test_conf if test_conf is not None else train_conf,
        "confusion_on": "test" if test_conf is not None else "train",
        "parameters": {str(c): d.to_dict() for c, d in zip(classes, model.densities)},
        "messages": list(model.messages),
        "seed": args.seed, "test_size": args.test_size,
    }
    if args.compare is not None:
        result["compare"] = _compare(args, options, X, y, train)
    return result


def _compare(args, options: dict, X, y, train) -> dict:
    import contextlib
    import sys
    import warnings

    from gmmviz.labs.classify.core.compare import compare
    from gmmviz.labs.classify.core.loader import load_estimator
    from gmmviz.labs.classify.estimators import ComponentsClampedWarning, make_estimator

    # The user's code may print: keep stdout for the report (it would break --json).
    with contextlib.redirect_stdout(sys.stderr), warnings.catch_warnings():
        warnings.simplefilter("ignore", ComponentsClampedWarning)  # in "messages" already
        user = load_estimator(args.compare)
        reference = make_estimator(args.model, **options)
        found = compare(reference, user, X[train], y[train], X)
    return {"estimator": args.compare, "agreement": found.agreement, "differing": found.differing.tolist(),
            "max_proba_difference": found.max_proba_difference, "notes": list(found.notes)}


def _num(value, fmt: str = ".4f") -> str:
    return "n/a" if value is None or not math.isfinite(value) else format(value, fmt)


def format_summary(r: dict) -> str:
    """A short human-readable report of a :func:`run_classify` dict."""
    classes = [str(c) for c in r["classes"]]
    model = MODEL_NAMES[r["model"]]
    if r["model"] == "gmm":
        ks = [len(p["weights"]) for p in r["parameters"].values()]
        model += f", K = {ks[0] if len(set(ks)) == 1 else ks}, {next(iter(r['parameters'].values()))['covariance_type']}"
    w = max(5, *(len(c) for c in classes))
    lines = [
        f"{r['data']}: {r['n_points']} points, {len(classes)} classes; {model}",
        f"split (seed {r['seed']}): {r['n_train']} training, {r['n_test']} test points",
        "",
        f"{'class':<{w}}  {'points':>6}  {'prior':>7}",
        *(f"{c:<{w}}  {n:>6}  {p:>7.4f}" for c, n, p in zip(classes, r["counts"], r["priors"])),
        "",
        f"train accuracy {_num(r['train_accuracy'])}   log-loss {_num(r['train_log_loss'])}",
        f"test accuracy  {_num(r['test_accuracy'])}   log-loss {_num(r['test_log_loss'])}",
        "",
        f"confusion ({r['confusion_on']}; rows true, columns predicted):",
        " " * (w + 2) + "  ".join(f"{c:>{w}}" for c in classes),
        *(f"{c:<{w}}  " + "  ".join(f"{v:>{w}}" for v in row) for c, row in zip(classes, r["confusion"])),
    ]
    lines += [f"note: {m}" for m in r["messages"]]
    if "compare" in r:
        c = r["compare"]
        diff = c["differing"]
        shown = ", ".join(map(str, diff[:10])) + (", ..." if len(diff) > 10 else "")
        lines += ["", f"compare with {c['estimator']}: agreement {100 * c['agreement']:.1f} % "
                  + (f"({len(diff)} of {r['n_points']} points differ: rows {shown}; 0-based data rows)" if diff
                     else f"(all {r['n_points']} points)"),
                  f"largest difference in P(y|x): {c['max_proba_difference']:.3g}"]
        lines += [f"note: {n}" for n in c["notes"]]
    return "\n".join(lines)
