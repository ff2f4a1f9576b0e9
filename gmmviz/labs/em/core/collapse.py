"""Degenerate components: when a run must stop, and the message that says why and what to do.

A covariance whose smallest eigenvalue falls below :data:`COLLAPSE_VARIANCE` (in units of the
data's own variance) has collapsed onto a point or a line; a component holding less than
:data:`EMPTY_COMPONENT` points' worth of responsibility has emptied.
"""

from __future__ import annotations

import math

import numpy as np

from gmmviz.core.covariance import eigvals2
from gmmviz.labs.em.core.types import Collapse


# A covariance whose smallest eigenvalue falls below this, in units of the
# data's own variance, has collapsed onto a point or a line.
COLLAPSE_VARIANCE = 1e-10


# A component holding less than this many points' worth of responsibility
# has emptied.
EMPTY_COMPONENT = 1e-4


def find_collapse(means: np.ndarray, full: np.ndarray, nk: np.ndarray | None, std) -> Collapse | None:
    """A :class:`Collapse` if any component is degenerate, else None.

    Parameters
    ----------
    means : ndarray of shape (n_components, 2)
    full : ndarray of shape (n_components, 2, 2)
        Covariances in the standardised frame (the data's variance is about
        1 there, so thresholds are relative to the data's own spread).
    nk : ndarray of shape (n_components,) or None
        Points' worth of responsibility per component, if known.
    std : Standardizer
        To report locations and variances in the data's units.
    """
    if _plainly_healthy(means, full, nk):
        return None
    if np.isfinite(full).all() and np.isfinite(means).all():
        lam_min, lam_max = eigvals2(full)
        finite = np.ones(means.shape[0], dtype=bool)
    else:
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            lam_min, lam_max = eigvals2(full)
        finite = np.isfinite(full).all(axis=(1, 2)) & np.isfinite(means).all(axis=1) & np.isfinite(lam_min)
    small = ~(lam_min >= COLLAPSE_VARIANCE)
    empty = np.zeros_like(finite) if nk is None else nk < EMPTY_COMPONENT
    if finite.all() and not small.any() and not empty.any():
        return None
    kinds = np.where(~finite, "non-finite", np.where(empty, "empty", np.where(
        lam_max < 1e3 * COLLAPSE_VARIANCE, "point", "line")))
    bad = np.flatnonzero(~finite | small | empty)
    data_means = means * std.scale + std.shift
    # Rounding residue (like -3e-16 for a point at 0) reads as noise in a message.
    data_means = np.where(np.abs(data_means) < 1e-12 * (std.scale + np.abs(std.shift)), 0.0, data_means)
    locations = tuple((float(data_means[i, 0]), float(data_means[i, 1])) for i in bad)
    message = collapse_message(bad, kinds[bad], locations, lam_min[bad] * std.scale**2)
    return Collapse(tuple(int(i) for i in bad), tuple(str(x) for x in kinds[bad]), locations, message)


def _plainly_healthy(means: np.ndarray, full: np.ndarray, nk: np.ndarray | None) -> bool:
    """A cheap sufficient test that no component is degenerate (the usual case).

    lambda_max <= trace, so det / trace <= lambda_min.  Scalar Python,
    because k is small and this runs twice per EM iteration; NaN fails
    every comparison and so falls through to the exact test.
    """
    if nk is not None and not all(n >= EMPTY_COMPONENT for n in nk.tolist()):
        return False
    for (mx, my), ((a, b), (_, c)) in zip(means.tolist(), full.tolist()):
        trace = a + c
        if not (
            math.isfinite(mx) and math.isfinite(my) and math.isfinite(trace) and trace > 0.0
            and a * c - b * b >= COLLAPSE_VARIANCE * trace
        ):
            return False
    return True


_WHAT = {
    "point": "collapsed onto a single point",
    "line": "collapsed onto a line (its covariance became singular)",
    "empty": "lost all its points (its weight fell to zero)",
    "non-finite": "became numerically invalid (NaN or infinite values)",
}


def collapse_message(indices, kinds, locations, variances) -> str:
    """A plain-words explanation with the remedies, for the UI and the CLI."""
    parts = []
    for i, kind, (x, y), var in zip(indices, kinds, locations, variances):
        where = f" near ({x:.4g}, {y:.4g})" if np.isfinite(x) and np.isfinite(y) else ""
        detail = f"; smallest variance {max(float(var), 0.0):.2g}" if kind in ("point", "line") else ""
        parts.append(f"Component {int(i) + 1} {_WHAT[kind]}{where}{detail}.")
    return (
        " ".join(parts)
        + " The likelihood can grow without bound there (the singularity of maximum-likelihood"
        " mixtures), so EM stopped at the last finite state. To fix it: increase reg_covar"
        " (e.g. to 1e-3), use fewer components, add more points, or re-initialise."
    )


def nonfinite_collapse(means: np.ndarray, full: np.ndarray, std) -> Collapse:
    """Blame the narrowest component when the likelihood overflowed."""
    lam_min, _ = eigvals2(full)
    i = int(np.nanargmin(np.where(np.isfinite(lam_min), lam_min, -np.inf)))
    m = means[i] * std.scale + std.shift
    loc = (float(m[0]), float(m[1]))
    return Collapse((i,), ("point",), (loc,), collapse_message([i], ["point"], [loc], [lam_min[i] * std.scale**2]))
