"""Spatial pruning for the fused pass: which components can matter on a block of points.

For large data the points are sorted along a Z-order curve, so a block
covers a small region.  A component whose responsibility is below e^-40
(far under double precision relative to the largest one) for every point
of a block gets no exp() there.  The bounds come from the log-densities
as concave quadratics in (x, y) over each block's bounding box; they only
decide what to skip (with a 40-nat margin), so their lower accuracy for
nearly singular covariances does not matter.
"""

from __future__ import annotations

import numpy as np

# Columns of the quadratic features (x^2, xy, y^2, x, y, 1).
XX, XY, YY, X1, Y1, ONE = range(6)

# exp(-40) = 4e-18: below half an ulp of the largest term (which is 1).
PRUNE_LOG_RATIO = -40.0


def active_components(ws, coef: np.ndarray, block: int) -> tuple[list, list]:
    """For each block, the components that can matter there, and a bound.

    Returns ``rows`` (per block: component indices, or None for all) and
    ``tops`` (per block: an upper bound of every log-density on it).

    Component k is left out of a block when even its largest log-density on
    the block's bounding box is more than 40 nats below the smallest value
    that the best single component is sure to reach on that box (its value
    at the worst corner).  Both bounds are exact for the box, so nothing
    that could exceed e^-40 relative to a point's largest term is skipped.
    """
    n_blocks = -(-ws.n_points // block)
    if ws.order is None or coef.shape[0] <= 2:
        return [None] * n_blocks, [None] * n_blocks
    lo, hi = (b[:, None, :] for b in ws.block_boxes(block))  # (n_blocks, 1, 2)
    top = _box_max(coef, lo, hi)  # (n_blocks, k)
    corners = [
        _quad(coef, cx[..., 0], cy[..., 1])
        for cx in (lo, hi)
        for cy in (lo, hi)
    ]
    floor = np.max(np.min(corners, axis=0), axis=1)  # (n_blocks,)
    keep = top - floor[:, None] > PRUNE_LOG_RATIO
    rows = [None if row.all() else np.flatnonzero(row) for row in keep]
    return rows, top.max(axis=1).tolist()


def _quad(coef: np.ndarray, x, y):
    """coef_k . phi(x, y), broadcasting x and y against the component axis."""
    return (
        coef[:, XX] * x * x + coef[:, XY] * x * y + coef[:, YY] * y * y
        + coef[:, X1] * x + coef[:, Y1] * y + coef[:, ONE]
    )


def _box_max(coef: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Exact maximum of each concave quadratic coef_k . phi over each box."""
    a, b, c = -2.0 * coef[:, XX], -coef[:, XY], -2.0 * coef[:, YY]  # precision
    det = a * c - b * b
    mx = (c * coef[:, X1] - b * coef[:, Y1]) / det
    my = (a * coef[:, Y1] - b * coef[:, X1]) / det
    xl, yl, xh, yh = lo[..., 0], lo[..., 1], hi[..., 0], hi[..., 1]
    inside = (mx >= xl) & (mx <= xh) & (my >= yl) & (my <= yh)
    best = np.where(inside, _quad(coef, mx, my), -np.inf)
    for x0 in (xl, xh):  # vertical edges: maximise over y
        y = np.clip((coef[:, XY] * x0 + coef[:, Y1]) / c, yl, yh)
        best = np.maximum(best, _quad(coef, x0, y))
    for y0 in (yl, yh):  # horizontal edges: maximise over x
        x = np.clip((coef[:, XY] * y0 + coef[:, X1]) / a, xl, xh)
        best = np.maximum(best, _quad(coef, x, y0))
    return best
