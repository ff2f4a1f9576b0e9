"""The EM step a studio cursor stands on, and what its picture needs (Qt-free).

A run's snapshots go init, E1, M1, E2, M2, ...  (``E`` carries the parameters its responsibilities came
from, ``M`` the new ones).  The minorise-maximise picture at a cursor is the line from theta_k (whose
responsibilities r define the bound) to theta_k+1 (the M-step); the cursor sits at alpha = 0 on an ``init`` or
``E`` snapshot (the bound touches ln p there) and at alpha = 1 on an ``M`` snapshot (the bound's maximum).
When theta_k+1 is not computed yet (the cursor is at the run's end), it is EM's update of theta_k
with ``reg_covar = 0`` (Q's exact maximiser), :func:`em_update`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmmviz.core.errors import GmmvizError
from gmmviz.core.gaussian import predict_proba
from gmmviz.core.mixture import GaussianParams
from gmmviz.core.validation import check_mixture, check_points
from gmmviz.labs.em.core.steps import m_step
from gmmviz.labs.theory.core.information import BoundDecomposition, decompose_bound


@dataclass(frozen=True, eq=False)
class StepEnds:
    """The EM step through a cursor.

    Attributes
    ----------
    iteration : int
        The EM iteration k + 1 whose M-step goes from ``theta_old`` to ``theta_new`` (1 for the init).
    theta_old : GaussianParams
        theta_k: the parameters the bound's responsibilities come from.
    theta_new : GaussianParams or None
        theta_k+1 as the run computed it, or None when the run has no such snapshot yet.
    at : float
        Where the cursor is on the line: 0.0 (init / E) or 1.0 (M).
    """

    iteration: int
    theta_old: GaussianParams
    theta_new: GaussianParams | None
    at: float


def step_ends(snapshots, index: int) -> StepEnds:
    """The step through snapshot ``index`` of ``snapshots`` (objects with ``phase``, ``iteration``, ``params``).

    Raises
    ------
    GmmvizError
        ``index`` is outside the run.
    """
    if not 0 <= index < len(snapshots):
        raise GmmvizError(f"no half-step {index} in a run of {len(snapshots)}")
    snap = snapshots[index]
    if getattr(snap, "algorithm", "em") != "em":  # gradient ascent, VB: the EM step from the parameters shown
        return StepEnds(max(snap.iteration, 1), snap.params, None, 0.0)
    if snap.phase == "M":
        j = index - 1
        while j >= 0 and snapshots[j].phase == "M":
            j -= 1
        old = snapshots[j].params if j >= 0 else snap.params
        return StepEnds(snap.iteration, old, snap.params, 1.0)
    new = None
    for later in snapshots[index + 1:]:
        if later.phase == "M":
            new = later.params
            break
    return StepEnds(max(snap.iteration, 1), snap.params, new, 0.0)


def em_update(X, params: GaussianParams) -> GaussianParams:
    """EM's M-step from the responsibilities at ``params``, ``reg_covar = 0`` (the maximiser of Q(. | params)).

    Parameters
    ----------
    X : array-like of shape (n_points, 2)
    params : GaussianParams
    """
    X, params = check_points(X), check_mixture(params)
    return m_step(X, predict_proba(X, params), params.covariance_type, reg_covar=0.0)


def bound_at(X, theta_resp: GaussianParams, theta: GaussianParams) -> BoundDecomposition:
    """ln p(X | theta) = Q + H + KL for the responsibilities r = P(z | X, theta_resp), computed directly.

    On an ``E`` snapshot ``theta_resp = theta`` and KL = 0; on an ``M`` snapshot theta_resp is the E-step's
    parameters and KL(r || P(z | X, theta)) is the snapshot's gap ln p - (Q + H).
    """
    X = check_points(X)
    r = predict_proba(X, check_mixture(theta_resp, name="theta_resp"))
    r = np.clip(r, 0.0, None)
    return decompose_bound(X, theta, r / r.sum(axis=1, keepdims=True))
