"""Hit tests and spraying in screen pixels, for the canvas tools.

Pure numpy (no Qt): the tools call these with the positions on screen and
the size of one screen pixel in data units, so a fake canvas in a test
gets exactly the arithmetic of the real one.  The view is axis-aligned
and linear, so a data offset ``(dx, dy)`` is ``(dx / sx, dy / sy)`` pixels
for ``pixel_size = (sx, sy)``.
"""

from __future__ import annotations

import numpy as np

from gmmviz.qt.canvas.raster import points_in_polygon


def to_pixels(xy: np.ndarray, origin, pixel_size) -> np.ndarray:
    """Offsets of points from ``origin`` in screen pixels.

    Parameters
    ----------
    xy : ndarray of shape (n, 2)
        Data coordinates.
    origin : array-like of shape (2,)
        Data coordinates of the reference point.
    pixel_size : (float, float)
        Data units per screen pixel along x and y.

    Returns
    -------
    ndarray of shape (n, 2)
    """
    return (np.asarray(xy, np.float64).reshape(-1, 2) - np.asarray(origin, np.float64)) / np.asarray(pixel_size)


def within_radius(xy: np.ndarray, centre, radius_px: float, pixel_size) -> np.ndarray:
    """Sorted indices of the points at most ``radius_px`` screen pixels from ``centre``."""
    d = to_pixels(xy, centre, pixel_size)
    return np.flatnonzero(np.einsum("ij,ij->i", d, d) <= radius_px * radius_px)


def near_segment(xy: np.ndarray, a, b, radius_px: float, pixel_size) -> np.ndarray:
    """Sorted indices of the points within ``radius_px`` pixels of the segment a-b.

    The region swept by a disc of that radius moved from ``a`` to ``b`` (a
    capsule): what an eraser dragged between two mouse events covers.
    """
    p = to_pixels(xy, a, pixel_size)
    seg = to_pixels(np.asarray(b, np.float64), a, pixel_size)[0]
    length2 = float(seg @ seg)
    t = np.clip(p @ seg / length2, 0.0, 1.0) if length2 > 0 else np.zeros(p.shape[0])
    d = p - t[:, None] * seg
    return np.flatnonzero(np.einsum("ij,ij->i", d, d) <= radius_px * radius_px)


def in_rect(xy: np.ndarray, a, b) -> np.ndarray:
    """Sorted indices of the points inside the axis-aligned rectangle with corners a, b."""
    xy = np.asarray(xy, np.float64).reshape(-1, 2)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    return np.flatnonzero(np.all((xy >= lo) & (xy <= hi), axis=1))


def in_polygon(xy: np.ndarray, poly: np.ndarray) -> np.ndarray:
    """Sorted indices of the points inside a polygon (m, 2), m >= 3 (even-odd rule)."""
    xy = np.asarray(xy, np.float64).reshape(-1, 2)
    poly = np.asarray(poly, np.float64).reshape(-1, 2)
    if poly.shape[0] < 3 or xy.shape[0] == 0:
        return np.zeros(0, np.intp)
    return np.flatnonzero(points_in_polygon(xy[:, 0], xy[:, 1], poly))


def spray(rng: np.random.Generator, a, b, n: int, radius_px: float, pixel_size) -> np.ndarray:
    """``n`` points spread uniformly over discs of ``radius_px`` centred along a-b.

    Parameters
    ----------
    rng : numpy.random.Generator
        The brush's seeded generator (so strokes are reproducible).
    a, b : array-like of shape (2,)
        Start and end of the stroke segment in data coordinates (a == b: one dab).
    n : int
        Number of points.
    radius_px : float
        Disc radius in screen pixels.
    pixel_size : (float, float)
        Data units per screen pixel.

    Returns
    -------
    ndarray of shape (n, 2)
        Data coordinates, each within ``radius_px`` pixels of the segment.
    """
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    t = rng.random(n)
    rho = radius_px * np.sqrt(rng.random(n))
    theta = 2.0 * np.pi * rng.random(n)
    offset = np.column_stack([rho * np.cos(theta), rho * np.sin(theta)]) * np.asarray(pixel_size)
    return a + t[:, None] * (b - a) + offset


def combine(current: np.ndarray, hits: np.ndarray, *, add: bool = False, subtract: bool = False) -> np.ndarray:
    """A new selection from the old one and the points just picked.

    ``add`` (Shift) keeps the old selection and adds ``hits``; ``subtract``
    (Ctrl) removes ``hits`` from it; otherwise ``hits`` replace it.
    """
    if add:
        return np.union1d(current, hits).astype(np.intp)
    if subtract:
        return np.setdiff1d(current, hits).astype(np.intp)
    return np.unique(np.asarray(hits, np.intp))
