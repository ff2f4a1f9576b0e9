"""One entry point for every algorithm: the generator of snapshots, and a drained run (``gmmviz fit``)."""

from __future__ import annotations

import math
import numbers
from typing import Iterator

from gmmviz.core.errors import GmmvizError
from gmmviz.core.validation import check_int, check_points
from gmmviz.labs.em.core.algorithms.types import ALGORITHMS, GradientConfig, VBConfig
from gmmviz.labs.em.core.fused import Workspace
from gmmviz.labs.em.core.steps import _drain, em_steps
from gmmviz.labs.em.core.types import FitConfig


def make_config(algorithm: str, base: FitConfig, **options):
    """The run configuration of ``algorithm`` from EM's options and the algorithm's own.

    ``ga``: ``step_size``, ``line_search``, ``optimizer``; ``ga-score`` also ``samples``, ``sampler``;
    ``vb``: ``weight_prior``, ``concentration``.  Options that are None keep their defaults.
    """
    if algorithm not in ALGORITHMS:
        raise GmmvizError(f"unknown algorithm {algorithm!r}; expected one of {', '.join(ALGORITHMS)}")
    options = {k: v for k, v in options.items() if v is not None}
    if algorithm == "em":
        return base
    if algorithm == "vb":
        return VBConfig(base=base, **options)
    return GradientConfig(base=base, score=algorithm == "ga-score", **options)


def algorithm_of(config) -> str:
    if isinstance(config, VBConfig):
        return "vb"
    if isinstance(config, GradientConfig):
        return "ga-score" if config.score else "ga"
    return "em"


def base_of(config) -> FitConfig:
    return config if isinstance(config, FitConfig) else config.base


def algorithm_steps(X, config, *, keep_resp: bool = True, workspace: Workspace | None = None) -> Iterator:
    """The snapshot generator of the algorithm ``config`` asks for (FitConfig: EM)."""
    if isinstance(config, VBConfig) and config.hold_out > 0:
        from gmmviz.labs.em.core.algorithms.held_out import held_out_vb_steps

        return held_out_vb_steps(X, config, keep_resp=keep_resp)
    if isinstance(config, VBConfig):
        from gmmviz.labs.em.core.algorithms.vb import vb_steps

        return vb_steps(X, config, keep_resp=keep_resp, workspace=workspace)
    if isinstance(config, GradientConfig):
        from gmmviz.labs.em.core.algorithms.ascent import ga_steps

        return ga_steps(X, config, keep_resp=keep_resp, workspace=workspace)
    return em_steps(X, config, keep_resp=keep_resp, workspace=workspace)


def run_algorithm(X, config, *, n_init: int = 1, workspace: Workspace | None = None, keep=None) -> list:
    """Drain :func:`algorithm_steps` ``n_init`` times (seeds random_state, +1, ...) and return the run
    whose final objective (ln p; the ELBO for VB) is highest; ``keep`` as in
    :func:`~gmmviz.labs.em.core.steps.run_em`."""
    X = check_points(X)
    n_init = check_int(n_init, "n_init", 1)
    ws = workspace if workspace is not None else Workspace.build(X)
    base = base_of(config)
    given = base.init == "given" or getattr(config, "init_resp", None) is not None
    best, best_score = None, -math.inf
    for i in range(1 if given else n_init):
        rs = base.random_state
        seed = rs + i if isinstance(rs, numbers.Integral) else rs
        run_config = config.replace(random_state=seed) if isinstance(config, FitConfig) else \
            config.replace(base=base.replace(random_state=seed))
        run = _drain(algorithm_steps(X, run_config, keep_resp=False, workspace=ws), keep)
        last = run[-1]
        score = last.lower_bound if isinstance(config, VBConfig) else last.log_likelihood
        score = score if math.isfinite(score) and last.collapse is None else -math.inf
        if best is None or score > best_score:
            best, best_score = run, score
    return best
