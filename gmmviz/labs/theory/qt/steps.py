"""Where the slice views' EM step comes from: the studio's cursor, or an EM run of the view's own.

Both end as (X, snapshots, index), handed to :func:`~gmmviz.labs.theory.core.studio_step.step_ends` in the
worker; this module only gathers them (no formula).
"""

from __future__ import annotations

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.em.core.steps import em_steps
from gmmviz.labs.em.core.types import FitConfig
from gmmviz.labs.theory.core.studio_step import StepEnds, em_update, step_ends


def own_run(X, config: FitConfig, iteration: int, token) -> tuple[list, int] | None:
    """EM on ``X`` up to iteration ``iteration`` (or its end): its snapshots and the index of that E-step."""
    snaps, index = [], None
    for snap in em_steps(X, config, keep_resp=False):
        if token.cancelled:
            return None
        snaps.append(snap)
        if snap.phase == "E" and snap.iteration <= iteration:
            index = len(snaps) - 1
        if snap.phase == "M" and snap.iteration >= iteration:
            break
    if index is None:
        raise GmmvizError("EM made no step on these points (too few, or a collapse at once): add points")
    return snaps, index


def resolve(X, snapshots, index: int) -> tuple[StepEnds, object]:
    """The step's ends and theta_k+1 (the run's, else EM's exact update of theta_k)."""
    ends = step_ends(snapshots, index)
    new = ends.theta_new if ends.theta_new is not None else em_update(X, ends.theta_old)
    return ends, new


def the_step(X, snapshots, index: int, config: FitConfig | None, iteration: int, token):
    """In a worker: the studio's step (``snapshots`` given) or iteration ``iteration`` of an own run
    with ``config``, as (snapshots, index, ends, theta_k+1, source); None if cancelled."""
    source = "studio"
    if snapshots is None:
        got = own_run(X, config, iteration, token)
        if got is None:
            return None
        (snapshots, index), source = got, "own"
    ends, new = resolve(X, snapshots, index)
    return snapshots, index, ends, new, source
