"""Plane geometry for drawing a mixture: sigma ellipses, isolines, grids.

Everything returns plain numpy arrays ready for one pyqtgraph curve drawn
with ``connect='finite'``: several outlines (or segments) go into one pair
of ``(x, y)`` arrays, separated by NaN.

* :func:`ellipse_outlines` draws the r-sigma ellipses
  ``(x - mu)^T Sigma^-1 (x - mu) = r^2`` of all components at once, from the
  closed-form eigen-decomposition of each 2 x 2 covariance.
* :func:`isolines` is a vectorised marching squares (no Python loop over
  cells) with linear interpolation along cell edges.
* :data:`SIGMA_MASS` is the probability inside the r-sigma ellipse of a 2-D
  Gaussian: the squared Mahalanobis radius is chi-square with 2 degrees of
  freedom, so P(d^2 <= r^2) = 1 - exp(-r^2 / 2).
"""

from __future__ import annotations

import numpy as np

#: Probability mass of a 2-D Gaussian inside its r-sigma ellipse, r = 1, 2, 3.
SIGMA_MASS = {r: float(-np.expm1(-0.5 * r * r)) for r in (1, 2, 3)}

_SPLIT = 134217729.0  # 2**27 + 1, Veltkamp's splitter for float64


#: The narrowest view a canvas shows, relative to the largest coordinate it
#: must place (data or view edge): below ~1e-9, float64 cannot place a
#: pixel and device coordinates overflow what Qt can paint.
MIN_RELATIVE_SPAN = 1e-9
#: Absolute bounds: the smallest span (a normal float64 far above the
#: subnormals) and the largest coordinate a view edge may have.
MIN_SPAN, MAX_COORDINATE = 1e-290, 1e300


def drawable_range(lo: float, hi: float, magnitude: float = 0.0) -> tuple[float, float] | None:
    """``(lo, hi)`` widened or clipped to a range a canvas can draw, or None
    when it has no finite meaning.

    ``magnitude`` is the largest absolute coordinate drawn on this axis (the
    data's): the span is at least :data:`MIN_RELATIVE_SPAN` times it, so no
    point lands at a device coordinate beyond ~1e12 pixels, and at least
    :data:`MIN_SPAN`; the edges stay within +-:data:`MAX_COORDINATE`.  Every
    step is overflow-free (the centre is lo/2 + hi/2).
    """
    lo, hi = float(lo), float(hi)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return None
    lo, hi = sorted((min(max(lo, -MAX_COORDINATE), MAX_COORDINATE), min(max(hi, -MAX_COORDINATE), MAX_COORDINATE)))
    m = min(max(abs(lo), abs(hi), abs(float(magnitude)) if np.isfinite(magnitude) else 0.0), MAX_COORDINATE)
    least = max(MIN_SPAN, MIN_RELATIVE_SPAN * m)
    if hi - lo < least:
        centre = 0.5 * lo + 0.5 * hi
        centre = min(max(centre, -MAX_COORDINATE + least), MAX_COORDINATE - least)
        lo, hi = centre - 0.5 * least, centre + 0.5 * least
    return lo, hi


def mass_label(r: float) -> str:
    """The mass inside the r-sigma ellipse as a label, e.g. ``"39.3 %"``."""
    return f"{100.0 * -np.expm1(-0.5 * float(r) ** 2):.1f} %"


# -- ellipses -----------------------------------------------------------------
def _two_product(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``a * b`` as ``p + e`` exactly (Dekker's product, no FMA needed)."""
    p = a * b
    ca, cb = _SPLIT * a, _SPLIT * b
    ah, bh = ca - (ca - a), cb - (cb - b)
    al, bl = a - ah, b - bh
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _det_sym2(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """``a c - b^2`` without cancellation, so nearly singular matrices keep
    the relative precision of their small eigenvalue."""
    with np.errstate(over="ignore", invalid="ignore"):
        ac, ac_err = _two_product(a, c)
        bb, bb_err = _two_product(b, b)
        det = (ac - bb) + (ac_err - bb_err)
    return np.where(np.isfinite(det), det, a * c - b * b)


def principal_axes(full_covs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Closed-form eigen-decomposition of symmetric 2 x 2 matrices.

    Parameters
    ----------
    full_covs : ndarray of shape (k, 2, 2)

    Returns
    -------
    lam_max, lam_min : ndarray of shape (k,)
        Eigenvalues, ``lam_max >= lam_min``; ``lam_min`` is ``det / lam_max``
        with an exactly rounded determinant, and negative round-off is
        clipped to 0 (a singular matrix gives a line segment).
    theta : ndarray of shape (k,)
        Angle (radians, from the x axis) of the eigenvector of ``lam_max``.
    """
    full = np.asarray(full_covs, dtype=np.float64).reshape(-1, 2, 2)
    a, c = full[:, 0, 0], full[:, 1, 1]
    b = 0.5 * (full[:, 0, 1] + full[:, 1, 0])
    lam_max = 0.5 * (a + c) + np.hypot(0.5 * (a - c), b)
    with np.errstate(divide="ignore", invalid="ignore"):
        lam_min = np.where(lam_max > 0, _det_sym2(a, b, c) / lam_max, 0.0)
    return lam_max, np.maximum(lam_min, 0.0), 0.5 * np.arctan2(2.0 * b, a - c)


def ellipse_outlines(means: np.ndarray, full_covs: np.ndarray, n_sigma: float,
                     n_vertices: int = 96) -> tuple[np.ndarray, np.ndarray]:
    """The n-sigma ellipses of k Gaussians, as one NaN-separated polyline.

    Parameters
    ----------
    means : ndarray of shape (k, 2)
    full_covs : ndarray of shape (k, 2, 2)
        Symmetric positive semi-definite; a non-finite matrix gives an
        outline of NaN (drawn as nothing).
    n_sigma : float
        Mahalanobis radius r: the points satisfy
        ``(x - mu)^T Sigma^-1 (x - mu) = r^2``.
    n_vertices : int, default 96
        Vertices per outline; the last repeats the first, so each outline
        is closed.

    Returns
    -------
    x, y : ndarray of shape (k * (n_vertices + 1) - 1,)
        Outline of component 0, NaN, outline of component 1, NaN, ...; no
        trailing NaN.  Outline ``i`` is ``x[i * (n_vertices + 1):][:n_vertices]``.
        Empty arrays when k = 0.
    """
    means = np.asarray(means, dtype=np.float64).reshape(-1, 2)
    k = means.shape[0]
    if k == 0:
        return np.empty(0), np.empty(0)
    if n_vertices < 3:
        raise ValueError(f"n_vertices must be at least 3, got {n_vertices}")
    lam_max, lam_min, theta = principal_axes(full_covs)
    t = np.linspace(0.0, 2.0 * np.pi, n_vertices)
    t[-1] = 0.0  # close exactly
    u = (n_sigma * np.sqrt(lam_max))[:, None] * np.cos(t)
    v = (n_sigma * np.sqrt(lam_min))[:, None] * np.sin(t)
    ct, st = np.cos(theta)[:, None], np.sin(theta)[:, None]
    out = np.full((2, k, n_vertices + 1), np.nan)
    out[0, :, :-1] = means[:, 0, None] + (u * ct - v * st)
    out[1, :, :-1] = means[:, 1, None] + (u * st + v * ct)
    return out[0].reshape(-1)[:-1], out[1].reshape(-1)[:-1]


def ellipse_outline(mean: np.ndarray, cov: np.ndarray, n_sigma: float,
                    n_vertices: int = 96) -> tuple[np.ndarray, np.ndarray]:
    """One closed n-sigma ellipse; see :func:`ellipse_outlines`.

    Parameters
    ----------
    mean : ndarray of shape (2,)
    cov : ndarray of shape (2, 2)
    n_sigma : float
    n_vertices : int, default 96

    Returns
    -------
    x, y : ndarray of shape (n_vertices,)
    """
    return ellipse_outlines(np.reshape(mean, (1, 2)), np.reshape(cov, (1, 2, 2)), n_sigma, n_vertices)


# -- grids and isolines -------------------------------------------------------
def grid(x_range: tuple[float, float], y_range: tuple[float, float], nx: int,
         ny: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A regular grid of sample points, endpoints included.

    Parameters
    ----------
    x_range, y_range : (float, float)
    nx, ny : int
        Number of samples along x and along y.

    Returns
    -------
    xs : ndarray of shape (nx,)
    ys : ndarray of shape (ny,)
    XY : ndarray of shape (nx * ny, 2)
        Row ``iy * nx + ix`` is ``(xs[ix], ys[iy])``, so values computed on
        ``XY`` reshape to ``(ny, nx)`` images indexed ``[iy, ix]``.
    """
    xs = np.linspace(float(x_range[0]), float(x_range[1]), int(nx))
    ys = np.linspace(float(y_range[0]), float(y_range[1]), int(ny))
    XY = np.empty((ys.size * xs.size, 2))
    XY[:, 0] = np.tile(xs, ys.size)
    XY[:, 1] = np.repeat(ys, xs.size)
    return xs, ys, XY


# Cell corners, counter-clockwise from (x0, y0): offsets (dy, dx) and case bits.
_CORNERS = np.array([(0, 0), (0, 1), (1, 1), (1, 0)])
# Edges as (from corner, to corner); a shared edge has the same direction in
# both cells it borders, so both compute bit-identical crossing points.
_EDGES = np.array([(0, 1), (1, 2), (3, 2), (0, 3)])  # bottom, right, top, left
_SADDLE_5_HIGH, _SADDLE_10_HIGH = 16, 17


def _segment_table() -> np.ndarray:
    """(18, 2, 2) edge pairs per case, -1 for none.

    Bit i of a case is set when corner i lies above the level.  Cases 16
    and 17 are the saddles 5 and 10 with the cell centre above the level,
    where the two high corners join through the middle of the cell.
    """
    pairs = {1: [(3, 0)], 2: [(0, 1)], 3: [(3, 1)], 4: [(1, 2)], 5: [(3, 0), (1, 2)],
             6: [(0, 2)], 7: [(3, 2)], 8: [(2, 3)], 9: [(0, 2)], 10: [(0, 1), (2, 3)],
             11: [(1, 2)], 12: [(3, 1)], 13: [(0, 1)], 14: [(3, 0)],
             _SADDLE_5_HIGH: [(0, 1), (2, 3)], _SADDLE_10_HIGH: [(3, 0), (1, 2)]}
    table = np.full((18, 2, 2), -1, dtype=np.int64)
    for case, segs in pairs.items():
        table[case, : len(segs)] = segs
    return table


_TABLE = _segment_table()


def _cell_cases(above: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Case index 0..15 of every cell, 0 where a corner is not finite."""
    case = above[:-1, :-1].astype(np.uint8)
    case |= above[:-1, 1:].astype(np.uint8) << 1
    case |= above[1:, 1:].astype(np.uint8) << 2
    case |= above[1:, :-1].astype(np.uint8) << 3
    case[~valid] = 0
    return case


def _edge_points(Z, xs, ys, iy, ix, edge, level):
    """Linear crossing of ``level`` on given edges of given cells, (n,) each."""
    p, q = _EDGES[edge, 0], _EDGES[edge, 1]
    py, px = iy + _CORNERS[p, 0], ix + _CORNERS[p, 1]
    qy, qx = iy + _CORNERS[q, 0], ix + _CORNERS[q, 1]
    zp, zq = Z[py, px], Z[qy, qx]
    t = (level - zp) / (zq - zp)
    return xs[px] + t * (xs[qx] - xs[px]), ys[py] + t * (ys[qy] - ys[py])


def _level_segments(Z, xs, ys, valid, level) -> tuple[np.ndarray, np.ndarray]:
    """Segments of one isoline as ``[xa, xb, nan, ...]`` arrays."""
    case = _cell_cases(Z > level, valid)
    iy, ix = np.nonzero((case != 0) & (case != 15))
    c = case[iy, ix].astype(np.int64)
    saddle = (c == 5) | (c == 10)
    if saddle.any():
        sy, sx = iy[saddle], ix[saddle]
        centre = 0.25 * (Z[sy, sx] + Z[sy, sx + 1] + Z[sy + 1, sx] + Z[sy + 1, sx + 1])
        c[saddle] = np.where(centre > level, np.where(c[saddle] == 5, _SADDLE_5_HIGH, _SADDLE_10_HIGH),
                             c[saddle])
    segs = _TABLE[c]  # (n, 2, 2)
    second = segs[:, 1, 0] >= 0
    cy, cx = np.concatenate([iy, iy[second]]), np.concatenate([ix, ix[second]])
    ends = np.concatenate([segs[:, 0], segs[second, 1]])  # (m, 2)
    xa, ya = _edge_points(Z, xs, ys, cy, cx, ends[:, 0], level)
    xb, yb = _edge_points(Z, xs, ys, cy, cx, ends[:, 1], level)
    x = np.stack([xa, xb, np.full_like(xa, np.nan)], axis=1).reshape(-1)
    y = np.stack([ya, yb, np.full_like(ya, np.nan)], axis=1).reshape(-1)
    return x, y


def isolines(Z: np.ndarray, xs: np.ndarray, ys: np.ndarray, levels) -> list[tuple[np.ndarray, np.ndarray]]:
    """Isolines of a sampled function by vectorised marching squares.

    A corner counts as inside when ``Z > level``.  Crossings are linearly
    interpolated along cell edges; the ambiguous (saddle) cells are
    resolved by the average of their four corners, so the result does not
    depend on the orientation of the grid.  Cells with a NaN or infinite
    corner are skipped.

    Parameters
    ----------
    Z : ndarray of shape (ny, nx)
        Values at ``(xs[ix], ys[iy])`` as ``Z[iy, ix]``.
    xs : ndarray of shape (nx,)
        Increasing x coordinates (need not be evenly spaced).
    ys : ndarray of shape (ny,)
        Increasing y coordinates.
    levels : sequence of float

    Returns
    -------
    lines : list of (x, y)
        One pair per level, each of shape (3 * n_segments,): the two end
        points of every segment followed by NaN, for one curve drawn with
        ``connect='finite'``.  A segment is interior to one cell; segments
        of adjacent cells share bit-identical end points.
    """
    Z = np.asarray(Z, dtype=np.float64)
    xs = np.asarray(xs, dtype=np.float64).reshape(-1)
    ys = np.asarray(ys, dtype=np.float64).reshape(-1)
    if Z.shape != (ys.size, xs.size):
        raise ValueError(f"Z has shape {Z.shape}, expected (len(ys), len(xs)) = {(ys.size, xs.size)}")
    if Z.shape[0] < 2 or Z.shape[1] < 2:
        return [(np.empty(0), np.empty(0)) for _ in levels]
    finite = np.isfinite(Z)
    valid = finite[:-1, :-1] & finite[:-1, 1:] & finite[1:, 1:] & finite[1:, :-1]
    return [_level_segments(Z, xs, ys, valid, float(level)) for level in levels]
