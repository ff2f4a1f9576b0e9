"""Variational Bayes with a held-out part of the points: the studio's VB curve of held-out ln p.

The EM studio has no train/test split of its own, so a VB run there holds out a seeded fraction of the
points (``VBConfig.hold_out``, seeded by the run's ``random_state``): VB fits the rest, and every snapshot
carries ln p(held-out points | the posterior's point estimates) beside the ELBO.  The responsibilities of
an ``E`` snapshot cover every point, in the data's order: q(z) for the fitted points, and for the held-out
ones their posterior under the point estimates (they have no q(z)), so the canvas colours them all.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterator

import numpy as np

from gmmviz.core.errors import GmmvizError
from gmmviz.core.gaussian import logsumexp_rows, weighted_log_prob
from gmmviz.core.validation import check_points
from gmmviz.labs.em.core.algorithms.types import VBConfig, VBSnapshot
from gmmviz.labs.em.core.algorithms.vb import vb_steps


def held_out_split(n_points: int, fraction: float, n_components: int, seed) -> tuple[np.ndarray, np.ndarray] | None:
    """(fitted, held-out) sorted indices: round(fraction * n) points held out, chosen by ``seed``.

    None when the fraction is 0 or there are too few points to hold any out and still fit
    ``n_components`` components (at least max(K, 2) fitted points, at least one held out).
    """
    n_out = int(round(fraction * n_points))
    if fraction <= 0 or n_out < 1 or n_points - n_out < max(n_components, 2):
        return None
    rng = np.random.default_rng(seed if isinstance(seed, (int, np.integer)) else 0)
    out = np.sort(rng.choice(n_points, size=n_out, replace=False))
    keep = np.setdiff1d(np.arange(n_points), out, assume_unique=True)
    return keep, out


def held_out_vb_steps(X, config: VBConfig, *, keep_resp: bool = True) -> Iterator[VBSnapshot]:
    """:func:`~gmmviz.labs.em.core.algorithms.vb.vb_steps` on the fitted points, each snapshot with
    ``held_out_log_likelihood`` (nats, summed over the held-out points) and ``held_out_points``.

    Without a split (see :func:`held_out_split`) this is ``vb_steps`` on every point.
    """
    X = check_points(X)
    if not 0.0 <= config.hold_out < 1.0:
        raise GmmvizError(f"hold_out must be a fraction from 0 to below 1, got {config.hold_out!r}")
    split = held_out_split(X.shape[0], config.hold_out, config.base.n_components, config.base.random_state)
    if split is None:
        yield from vb_steps(X, config, keep_resp=keep_resp)
        return
    keep, out = split
    X_fit, X_out = X[keep], X[out]
    for snap in vb_steps(X_fit, config, keep_resp=keep_resp):
        logp = weighted_log_prob(X_out, snap.params)
        lse = logsumexp_rows(logp)
        resp = snap.resp
        if resp is not None:
            full = np.empty((X.shape[0], resp.shape[1]))
            full[keep] = resp
            full[out] = np.exp(logp - lse[:, None])
            full.setflags(write=False)
            resp = full
        yield replace(snap, resp=resp, held_out_log_likelihood=float(lse.sum()), held_out_points=int(out.size))
