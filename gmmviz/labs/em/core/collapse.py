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
    message = collapse_message(bad, kinds[bad], locations, lam_min[bad] * std.scale**2, std.scale**2)
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


def collapse_message(indices, kinds, locations, variances, data_variance: float = 1.0) -> str:
    """A plain-words explanation with the remedies, for the UI and the CLI.

    Only what was found is said: the singularity and "increase reg_covar"
    for a component on a point or a line (where a reg_covar of a millionth
    of the data's variance keeps every variance 1e4 times above the
    threshold), other remedies for an emptied or a numerically invalid one.
    """
    parts = []
    for i, kind, (x, y), var in zip(indices, kinds, locations, variances):
        where = f" near ({x:.4g}, {y:.4g})" if np.isfinite(x) and np.isfinite(y) else ""
        detail = f"; smallest variance {max(float(var), 0.0):.2g}" if kind in ("point", "line") else ""
        parts.append(f"Component {int(i) + 1} {_WHAT[kind]}{where}{detail}.")
    kinds = set(kinds)
    if kinds & {"point", "line"}:
        tail = (
            " The likelihood can grow without bound there (the singularity of maximum-likelihood"
            " mixtures), so EM stopped at the last finite state. To fix it: increase reg_covar"
            f" (e.g. to {1e-6 * data_variance:.2g}, a millionth of the points' variance), use fewer"
            " components, add more points, or re-initialise."
        )
    elif "empty" in kinds:
        tail = (
            " EM stopped at the last finite state. To fix it: use fewer components or re-initialise"
            " (a larger reg_covar does not refill a component)."
        )
    else:
        tail = (
            " EM stopped at the last finite state. The numbers left float64's range: check the"
            " data's scale and reg_covar, or re-initialise."
        )
    return " ".join(parts) + tail


def nonfinite_collapse(means: np.ndarray, full: np.ndarray, std) -> Collapse:
    """Blame the narrowest component when the likelihood overflowed (a point only if it is narrow)."""
    with np.errstate(invalid="ignore", over="ignore"):
        lam_min, _ = eigvals2(full)
    finite = np.isfinite(lam_min)
    i = int(np.argmin(np.where(finite, lam_min, np.inf))) if finite.any() else 0
    kind = "point" if finite[i] and lam_min[i] < COLLAPSE_VARIANCE else "non-finite"
    with np.errstate(invalid="ignore", over="ignore"):
        m = means[i] * std.scale + std.shift
    loc = (float(m[0]), float(m[1]))
    variance = float(lam_min[i]) * std.scale**2
    message = collapse_message([i], [kind], [loc], [variance], std.scale**2)
    return Collapse((i,), (kind,), (loc,), message)


def given_start_degenerate(collapse: Collapse) -> Collapse:
    """The same finding for initial parameters that were given: nothing collapsed, the start is degenerate."""
    message = (
        "The given initial parameters cannot start EM: "
        + collapse.message.replace(" collapsed onto", " is already concentrated on")
        .replace(" lost all its points (its weight fell to zero)", " has no points (weight zero)")
        .replace(" became numerically invalid", " is numerically invalid")
        + " Or give that component a larger covariance."
    )
    return Collapse(collapse.components, collapse.kinds, collapse.locations, message)
