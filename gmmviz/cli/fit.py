"""``gmmviz fit``: EM from the command line, a summary or one JSON object."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

from gmmviz.cli.args import (
    EXIT_OK,
    INIT_METHODS,
    MAX_ITERATIONS,
    MAX_N_INIT,
    DataError,
    Parser,
    UsageError,
    columns_arg,
    k_arg,
    max_iter_arg,
    n_init_arg,
    nonneg_float,
    positive_float,
    positive_int,
    seed_arg,
)
from gmmviz.labs.em.core.defaults import EM_DEFAULTS as D


def _fit_parser() -> Parser:
    p = Parser(
        prog="gmmviz fit",
        description="Fit a Gaussian mixture to the points of a CSV file by EM and print the result.",
        epilog="The defaults are the window's (and gmmviz render's). DATA: comma-separated, '.' decimals, optional header; the x and y columns are those "
        "named x and y, else the first two. Exit status: 0 done (also when EM stopped at a "
        "collapsed component, which is reported), 1 bad data, 2 bad options.",
    )
    p.add_argument("data", metavar="DATA", help="CSV file of points")
    p.add_argument("--k", type=k_arg, required=True, metavar="K", help="number of components")
    p.add_argument(
        "--covariance", choices=("full", "diag", "spherical", "tied"), default=D["covariance_type"],
        help=f"covariance type (default: {D['covariance_type']})",
    )
    p.add_argument(
        "--init", default=D["init"], metavar="{kmeans++,random,random-resp,PARAMS.json}",
        help=f"initialisation (default: {D['init']}, random data points with the data's covariance), "
        "or a JSON file with weights, means, covariances (or means alone)",
    )
    p.add_argument("--n-init", type=n_init_arg, default=1, metavar="N",
                   help=f"initialisations tried, up to {MAX_N_INIT}; the best wins (default: 1)")
    p.add_argument("--seed", type=seed_arg, default=D["seed"], metavar="S", help=f"random seed (default: {D['seed']})")
    p.add_argument("--max-iter", type=max_iter_arg, default=D["max_iter"], metavar="N",
                   help=f"maximum EM iterations, up to {MAX_ITERATIONS:,} (default: {D['max_iter']})")
    p.add_argument("--tol", type=nonneg_float, default=D["tol"], metavar="T",
                   help=f"stop when ln p per point changes less (default: {D['tol']:g})")
    p.add_argument("--reg-covar", type=nonneg_float, default=D["reg_covar"], metavar="R",
                   help=f"added to covariance diagonals, data units (default: {D['reg_covar']:g})")
    p.add_argument("--columns", type=columns_arg, default=None, metavar="X,Y", help="the x and y columns, by header name or 1-based number")
    _algorithm_arguments(p)
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    return p


ALGORITHMS = ("em", "ga", "ga-score", "vb")
# Which algorithms each of their own options applies to (the parser refuses the others).
ALGORITHM_OPTIONS = {
    "step_size": ("ga", "ga-score"), "line_search": ("ga", "ga-score"), "optimizer": ("ga", "ga-score"),
    "samples": ("ga-score",), "sampler": ("ga-score",), "prior": ("vb",), "concentration": ("vb",),
}


def _algorithm_arguments(p) -> None:
    p.add_argument("--algorithm", choices=ALGORITHMS, default="em",
                   help="em (default); ga: gradient ascent on ln p; ga-score: gradient ascent along the "
                   "score-function (Monte-Carlo) gradient; vb: variational Bayes (scikit-learn's BayesianGaussianMixture)")
    p.add_argument("--step-size", type=positive_float, default=None, metavar="S",
                   help="ga, ga-score: the step along the gradient of ln p per point, in units where the data's "
                   "spread is 1 (default: 0.1); with --line-search the first trial")
    p.add_argument("--line-search", action="store_true", help="ga, ga-score: backtracking line search (never lowers ln p)")
    p.add_argument("--optimizer", choices=("plain", "momentum", "adam"), default=None,
                   help="ga, ga-score: fixed-step variant (default: plain)")
    p.add_argument("--samples", type=positive_int, default=None, metavar="M",
                   help="ga-score: sampled assignment vectors per gradient estimate (default: 10)")
    p.add_argument("--sampler", choices=("posterior", "prior"), default=None,
                   help="ga-score: z ~ P(z|x,theta) (default) or z ~ P(z|theta) weighted by P(x|z,theta)")
    p.add_argument("--prior", choices=("dirichlet", "dirichlet-process"), default=None,
                   help="vb: the weights' prior (default: dirichlet)")
    p.add_argument("--concentration", type=positive_float, default=None, metavar="C",
                   help="vb: the weight prior's concentration (default: 1/K)")


def _check_algorithm_options(parser, args) -> None:
    for name, algorithms in ALGORITHM_OPTIONS.items():
        value = getattr(args, name)
        if value not in (None, False) and args.algorithm not in algorithms:
            flag = "--" + name.replace("_", "-")
            parser.error(f"argument {flag}: applies to --algorithm {' or '.join(algorithms)}, not {args.algorithm}")


def fit_command(argv: list[str]) -> int:
    parser = _fit_parser()
    args = parser.parse_args(argv)
    _check_algorithm_options(parser, args)
    init = args.init
    is_file = init not in INIT_METHODS and (init.lower().endswith(".json") or os.path.exists(init))
    if init not in INIT_METHODS and not is_file:
        parser.error(f"argument --init: expected kmeans++, random, random-resp or a PARAMS.json file, got {init!r}")

    from gmmviz.core.errors import GmmvizError, OptionError

    try:
        result, columns = _run_fit(args, init_file=init if is_file else None)
    except OptionError as exc:  # e.g. --columns names no column of the file: usage, exit 2
        raise UsageError("gmmviz fit", f"argument --columns: {exc}") from None
    except GmmvizError as exc:
        raise DataError("gmmviz fit", str(exc)) from None
    if args.json:
        import json

        print(json.dumps(result, allow_nan=False))
    else:
        print(format_summary(result, args.data, columns))
    return EXIT_OK


def _run_fit(args, *, init_file: str | None) -> tuple[dict, tuple[str, ...]]:
    from gmmviz.core.errors import FileFormatError, OptionError
    from gmmviz.core.io.params import read_params_json
    from gmmviz.core.io.points import read_csv
    from gmmviz.core.mixture import GaussianParams
    from gmmviz.labs.em.core.types import FitConfig

    try:
        table = read_csv(args.data, columns=args.columns, read_labels=False)
    except OptionError:
        raise
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
    if args.algorithm != "em":
        from gmmviz.labs.em.core.algorithms.run import make_config

        config = make_config(args.algorithm, config, step_size=args.step_size, line_search=args.line_search or None,
                             optimizer=args.optimizer, samples=args.samples, sampler=args.sampler,
                             weight_prior=args.prior, concentration=args.concentration)
    history = trajectory_run(table.X, config, n_init=args.n_init)
    return fit_result(history, config), table.columns


@dataclass(frozen=True, slots=True)  # slots: a long run keeps one per half-step
class Step:
    """What ``fit`` keeps of a half-step before the last: its place and its numbers
    (the gradient's norm and the step for gradient ascent, NaN otherwise)."""

    iteration: int
    phase: str
    log_likelihood: float
    lower_bound: float
    grad_norm: float = math.nan
    step_size: float = math.nan
    estimate_norm: float = math.nan
    ess: float = math.nan

    @classmethod
    def of(cls, snap) -> "Step":
        return cls(snap.iteration, snap.phase, snap.log_likelihood, snap.lower_bound,
                   *(getattr(snap, name, math.nan) for name in ("grad_norm", "step_size", "estimate_norm", "ess")))


def trajectory_run(X, config, *, n_init: int = 1) -> list:
    """:func:`~gmmviz.labs.em.core.steps.run_em` (or, for another algorithm's
    config, :func:`~gmmviz.labs.em.core.algorithms.run.run_algorithm`) keeping only
    the trajectory (a :class:`Step` per half-step) and the full last snapshot:
    memory stays a few numbers per half-step however long the run."""
    from gmmviz.labs.em.core.types import FitConfig

    if isinstance(config, FitConfig):
        from gmmviz.labs.em.core.steps import run_em

        return run_em(X, config, n_init=n_init, keep=Step.of)
    from gmmviz.labs.em.core.algorithms.run import run_algorithm

    return run_algorithm(X, config, n_init=n_init, keep=Step.of)


def fit_result(history, config=None) -> dict:
    """The ``fit --json`` object for the snapshots of one run.

    Parameters
    ----------
    history : list of EMSnapshot
        ``init``, then ``E``, ``M``, ... as yielded by :func:`~gmmviz.labs.em.core.steps.em_steps`.

    Returns
    -------
    dict
        JSON-ready (NaN and inf become None).  ``log_likelihood`` has one
        entry for the initial parameters and one per M-step; ``lower_bound``
        one per E- and M-step.  ``n_iter`` is the last iteration's number:
        when a component collapses, EM stops after that iteration's E-step,
        so the last iteration has no M entry.  For another algorithm than EM,
        ``algorithm`` and ``objective`` name it and what it maximises; gradient ascent adds
        ``gradient_norm`` (init and every M) and ``step_size`` (every M),
        the score-function run its ``samples``, ``sampler`` and per M the norm of
        the estimate it followed and its effective sample size ``ess``; VB adds its prior,
        ``elbo`` (init and every half-step; ``lower_bound`` is the ELBO too),
        the last ELBO's ``elbo_terms`` and the ``pruned`` components.
    """
    from gmmviz.core.mixture import aic, bic

    last = history[-1]
    steps = [s for s in history if s.phase != "init"]
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
    result.update(_algorithm_fields(history, config))
    return _json_safe(result)


def _algorithm_fields(history, config) -> dict:
    """The algorithm's own quantities for :func:`fit_result`."""
    from gmmviz.labs.em.core.algorithms.run import algorithm_of
    from gmmviz.labs.em.core.algorithms.types import OBJECTIVE_LABEL

    algorithm = algorithm_of(config)
    if algorithm == "em":
        return {}  # EM's JSON stays what it was
    out = {"algorithm": algorithm, "objective": OBJECTIVE_LABEL[algorithm]}
    ends = [s for s in history if s.phase in ("init", "M")]
    if algorithm in ("ga", "ga-score"):
        out["gradient_norm"] = [s.grad_norm for s in ends]
        out["step_size"] = [s.step_size for s in ends if s.phase == "M"]
        out["line_search"] = bool(config.line_search)
        if algorithm == "ga-score":
            steps = [s for s in ends if s.phase == "M"]
            out.update(samples=config.samples, sampler=config.sampler,
                       estimate_norm=[s.estimate_norm for s in steps], ess=[s.ess for s in steps])
    elif algorithm == "vb":
        last = history[-1]
        k = last.params.n_components
        out.update(weight_prior=config.weight_prior,
                   concentration=config.concentration if config.concentration is not None else 1.0 / k,
                   elbo=[s.lower_bound for s in history], elbo_terms=dict(last.elbo_terms),
                   pruned=[i for i, p in enumerate(last.pruned) if p])
    return out


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
