"""What the 2-parameter slice draws besides the surfaces: the coordinates, the grid, the levels, EM's path.

The surfaces themselves are :func:`~gmmviz.labs.theory.core.mm_slice.mm_surface`; this module chooses
where to look (a grid around EM's path and the step's end) and which contours to draw (the same levels
for ln p and for the bound, so the bound's contours lie inside ln p's: it is below everywhere).
"""

from __future__ import annotations

import numpy as np

from gmmviz.core.errors import GmmvizError

#: Contour levels below the surface's maximum, nats.
LEVEL_DROPS = (0.25, 1.0, 3.0, 8.0, 20.0, 50.0, 120.0, 300.0)
AXES = "xy"


def coordinate_pairs(n_components: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Every pair of two different mean coordinates ((component, axis), (component, axis)), own pairs first."""
    coords = [(c, a) for c in range(n_components) for a in (0, 1)]
    pairs = [(u, v) for i, u in enumerate(coords) for v in coords[i + 1:]]
    return sorted(pairs, key=lambda p: (p[0][0] != p[1][0], p))


def coordinate_label(coord: tuple[int, int]) -> str:
    """``(1, 0)`` -> ``"μ2,x"``."""
    return f"μ{coord[0] + 1},{AXES[coord[1]]}"


def path_coordinates(snapshots, coords) -> np.ndarray:
    """EM's path in the two coordinates: the means after the init and after every M-step, shape (n, 2)."""
    (ci, ai), (cj, aj) = coords
    rows = [(s.params.means[ci, ai], s.params.means[cj, aj]) for s in snapshots
            if s.phase in ("init", "M") and s.params.n_components > max(ci, cj)]
    return np.array(rows, dtype=np.float64).reshape(-1, 2)


def grid_around(points, X, n: int = 41, margin: float = 0.35, axes: tuple[int, int] = (0, 1)
                ) -> tuple[np.ndarray, np.ndarray]:
    """``n`` values per axis spanning ``points`` (the path and the step's end), each widened by ``margin``
    of the data's spread along its own data axis (``axes``: which of x, y each coordinate is), so a
    one-point path still gets a window and data of unlike scales (eruptions in minutes, waiting times in
    tens of minutes) get a grid fine enough along both; each shape (n,)."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    X = np.asarray(X, dtype=np.float64)
    if pts.shape[0] == 0 or not np.isfinite(pts).all():
        raise GmmvizError("no finite path to draw the 2-parameter slice around")
    spread = np.ptp(X, axis=0)[list(axes)] if X.shape[0] > 1 else np.ones(2)
    pad = margin * np.where(spread > 0, spread, 1.0)
    lo, hi = pts.min(axis=0) - pad, pts.max(axis=0) + pad
    return np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n)


def contour_levels(f: np.ndarray) -> np.ndarray:
    """Levels max(f) - d for d in :data:`LEVEL_DROPS` above the surface's minimum, increasing."""
    finite = f[np.isfinite(f)]
    if finite.size == 0:
        return np.zeros(0)
    top, bottom = float(finite.max()), float(finite.min())
    levels = [top - d for d in LEVEL_DROPS if top - d > bottom]
    return np.array(sorted(levels))
