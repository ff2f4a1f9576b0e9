"""Numpy painting of point markers into an image: the disk and bin plans behind
:class:`gmmviz.qt.canvas.points.PointCloudItem` (Qt-free, like :mod:`gmmviz.qt.canvas.raster`,
whose stamps and pixel owners they use).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmmviz.qt.canvas.raster import _LANE, _LANE_MAX, _LEVEL_BITS, _LEVELS, Stamp, disk_owners


@dataclass(frozen=True, eq=False)
class DiskLayer:
    """Markers seen at some pixels of a region, and how much of each.

    Attributes
    ----------
    point : ndarray, shape (M,), intp
        Index of the point seen at each pixel.
    static : ndarray, shape (M,), uint64
        Its outline's contribution: premultiplied B, G, R, A times ``_LEVELS``
        in the 16-bit lanes of :func:`spread_lanes`.
    n_fill : ndarray, shape (M,), uint64
        Its fill coverage, in samples out of ``_LEVELS``.
    alpha : ndarray, shape (M,), uint64
        Its total coverage, in samples out of ``_LEVELS``.
    """

    point: np.ndarray
    static: np.ndarray
    n_fill: np.ndarray
    alpha: np.ndarray


@dataclass(frozen=True, eq=False)
class DiskPlan:
    """Which markers make each pixel of a region, for fast recolouring.

    The colour of a pixel is that of the topmost marker touching it; where
    that marker only partly covers the pixel (its antialiased edge), it is
    composited over the topmost marker covering the pixel fully, if any.
    That is exact unless two edges cross, and keeps overlapping markers
    free of seams.  Pixels are sorted by what a recolour must do.

    Attributes
    ----------
    base : ndarray, shape (H, W), uint32
        Premultiplied ARGB of the pixels no fill reaches (outlines), else 0;
        the region sits at ``pad`` pixels from the top left.
    pad : int
        Margin around the region.
    solid_pix, solid_point : ndarray, shape (S,), intp
        Flat pixels wholly inside a fill, and the point whose fill it is.
    mixed_pix : ndarray, shape (M,), intp
        Flat pixels that blend a fill with something else.
    top : DiskLayer
        The topmost marker at each of ``mixed_pix``.
    under_at : ndarray, shape (U,), intp
        Positions in ``mixed_pix`` where the top marker's edge lies over another.
    under : DiskLayer
        That other marker at each of ``under_at``.
    """

    base: np.ndarray
    pad: int
    solid_pix: np.ndarray
    solid_point: np.ndarray
    mixed_pix: np.ndarray
    top: DiskLayer
    under_at: np.ndarray
    under: DiskLayer


def plan_disks(X: np.ndarray, Y: np.ndarray, region: tuple[int, int, int, int],
               stamp: Stamp, outline_bgra: np.ndarray) -> DiskPlan:
    """Rasterise markers at device positions into a recolouring plan.

    Parameters
    ----------
    X, Y : ndarray, shape (N,), float
        Device coordinates of the marker centres, in painter's order.
    region : (x0, y0, width, height)
        Device pixels to cover.
    stamp : Stamp
        Marker stamp (layer 0 outline, layer 1 fill).
    outline_bgra : ndarray, shape (N,), uint32
        Outline colours (:func:`pack_bgra`).

    Returns
    -------
    DiskPlan
    """
    x0, y0, w, h = region
    half, pad = stamp.half, 2 * stamp.half
    hp, wp = h + 2 * pad, w + 2 * pad
    lo_x, lo_y = x0 - pad + half, y0 - pad + half
    ids = np.flatnonzero((X >= lo_x) & (X < lo_x + w + 2 * half)
                         & (Y >= lo_y) & (Y < lo_y + h + 2 * half))
    base = ((np.floor(Y[ids]) - (y0 - pad)) * wp + (np.floor(X[ids]) - (x0 - pad))).astype(np.intp)
    full = stamp.counts.sum(axis=0) == _LEVELS
    owners, below = disk_owners(base, (hp, wp), [stamp.support, full])
    owners[:pad], owners[hp - pad:], owners[:, :pad], owners[:, wp - pad:] = -1, -1, -1, -1
    pix = np.flatnonzero(owners.ravel() >= 0)
    # stamp index of each flat offset (pixel - centre) within the stamp
    dy, dx = np.mgrid[-half:half + 1, -half:half + 1]
    lut = np.zeros(2 * half * (wp + 1) + 1, np.intp)
    lut[(dy * wp + dx + half * (wp + 1)).ravel()] = np.arange(stamp.size ** 2)
    rank = owners.ravel()[pix]
    k = lut[pix - base[rank] + half * (wp + 1)]
    edge = np.flatnonzero(stamp.counts.sum(axis=0).ravel()[k] < _LEVELS)
    low = below.ravel()[pix[edge]]
    under_at, low = edge[low >= 0], low[low >= 0]
    k_low = lut[pix[under_at] - base[low] + half * (wp + 1)]
    layer = _Layers(ids, stamp.counts.reshape(2, -1), outline_bgra)
    return _sort_pixels((hp, wp), pad, pix, layer, (rank, k), (under_at, low, k_low))


class _Layers:
    """Builds :class:`DiskLayer` s from marker ranks and stamp indices."""

    def __init__(self, ids, counts, outline_bgra):
        self.ids, self.counts, self.outline = ids, counts.astype(np.uint64), outline_bgra

    def n_fill(self, k):
        return self.counts[1][k]

    def __call__(self, rank, k) -> DiskLayer:
        point = self.ids[rank]
        n_ring, n_fill = self.counts[0][k], self.counts[1][k]
        static = spread_lanes(self.outline[point]) * n_ring
        return DiskLayer(point, static, n_fill, n_ring + n_fill)


def _sort_pixels(shape, pad, pix, layer: _Layers, top, under) -> DiskPlan:
    """Bake what no fill reaches; split the rest into solid and mixed pixels."""
    (rank, k), (under_at, low, k_low) = top, under
    n_fill = layer.n_fill(k)
    uses_fill = n_fill > 0
    uses_fill[under_at] |= layer.n_fill(k_low) > 0
    solid = np.flatnonzero(n_fill == _LEVELS)
    where = np.full(pix.shape[0], -1, np.intp)
    groups = []
    for group in (np.flatnonzero(~uses_fill), np.flatnonzero(uses_fill & (n_fill < _LEVELS))):
        where[:] = -1
        where[group] = np.arange(group.shape[0])
        keep = where[under_at] >= 0
        groups.append((pix[group], layer(rank[group], k[group]),
                       where[under_at[keep]], layer(low[keep], k_low[keep])))
    fixed, mixed = groups
    base = np.zeros(shape[0] * shape[1], np.uint32)
    base[fixed[0]] = _blend(*fixed[1:], spread_lanes(layer.outline))  # no fill involved
    return DiskPlan(base.reshape(shape), pad, pix[solid], layer.ids[rank[solid]], *mixed)


_BYTE_LANES = np.uint64(0x00FF00FF00FF00FF)


def spread_lanes(bgra: np.ndarray) -> np.ndarray:
    """``uint32`` ARGB to ``uint64`` with one byte in each 16-bit lane.

    Lanes let one integer multiply scale all four channels at once: a lane
    holds up to 65535, and ``255 * _LEVELS`` fits.
    """
    x = bgra.astype(np.uint64)
    x |= x << np.uint64(16)
    x &= np.uint64(0x0000FFFF0000FFFF)
    x |= x << np.uint64(8)
    x &= _BYTE_LANES
    return x


def _squeeze_lanes(x: np.ndarray) -> np.ndarray:
    """Inverse of :func:`spread_lanes` (lanes must hold bytes)."""
    x |= x >> np.uint64(8)
    x &= np.uint64(0x0000FFFF0000FFFF)
    x |= x >> np.uint64(16)
    return x.astype(np.uint32)


def _blend(top: DiskLayer, under_at, under: DiskLayer, fill16) -> np.ndarray:
    """(M,) uint32 premultiplied ARGB of a top layer over an under layer.

    ``fill16`` holds the fills through :func:`spread_lanes`.
    """
    shift = np.uint64(_LEVEL_BITS)
    rgba = fill16[top.point]
    rgba *= top.n_fill
    rgba += top.static
    if under_at.shape[0]:
        low = fill16[under.point]
        low *= under.n_fill
        low += under.static
        low >>= shift
        low &= _BYTE_LANES
        low *= _LEVELS - top.alpha[under_at]  # lanes stay <= 255 * _LEVELS
        rgba[under_at] += low
    rgba >>= shift
    rgba &= _BYTE_LANES
    return _squeeze_lanes(rgba)


def paint_disks(plan: DiskPlan, fill_bgra: np.ndarray) -> np.ndarray:
    """Premultiplied ARGB image (height, width) uint32 of a plan's markers."""
    out = plan.base.copy()
    flat = out.reshape(-1)
    flat[plan.solid_pix] = fill_bgra[plan.solid_point]
    flat[plan.mixed_pix] = _blend(plan.top, plan.under_at, plan.under, spread_lanes(fill_bgra))
    return out


@dataclass(frozen=True, eq=False)
class BinPlan:
    """Points grouped by the pixel cell they fall in.

    Attributes
    ----------
    shape : (int, int)
        Cells down and across.
    order : ndarray, shape (M,), intp
        Indices of the visible points, sorted by cell.
    starts : ndarray, shape (P,), intp
        Start of each occupied cell's run in ``order``.
    inverse : ndarray, shape (P,), float32
        One over the number of points in each occupied cell.
    cells : ndarray, shape (P,), intp
        Flat index of each occupied cell.
    """

    shape: tuple[int, int]
    order: np.ndarray
    starts: np.ndarray
    inverse: np.ndarray
    cells: np.ndarray


def plan_bins(X: np.ndarray, Y: np.ndarray, region: tuple[int, int, int, int],
              cell: int) -> BinPlan:
    """Group points by square cells of ``cell`` device pixels in a region."""
    x0, y0, w, h = region
    gw, gh = -(-w // cell), -(-h // cell)
    ids = np.flatnonzero((X >= x0) & (X < x0 + gw * cell) & (Y >= y0) & (Y < y0 + gh * cell))
    gx = ((X[ids] - x0) * (1.0 / cell)).astype(np.intp)  # >= 0: truncation is floor
    gy = ((Y[ids] - y0) * (1.0 / cell)).astype(np.intp)
    flat = (gy * gw + gx).astype(np.int32)  # int32 sorts faster
    sort = np.argsort(flat)
    flat = flat[sort]
    starts = np.flatnonzero(np.diff(flat, prepend=-1))
    inverse = 1.0 / np.diff(starts, append=flat.shape[0]).astype(np.float32)
    return BinPlan((gh, gw), ids[sort], starts, inverse, flat[starts])


def paint_bins(plan: BinPlan, fill: np.ndarray, lanes: np.ndarray) -> np.ndarray:
    """Opaque ARGB image (cells down, across) of each cell's mean fill.

    Parameters
    ----------
    plan : BinPlan
    fill : ndarray, shape (N, 3), uint8
        Fill colours (used only for cells holding more than 8224 points).
    lanes : ndarray, shape (N,), uint64
        The same colours through :func:`pack_lanes`.
    """
    out = np.zeros(plan.shape[0] * plan.shape[1], np.uint32)
    if not plan.starts.shape[0]:
        return out.reshape(plan.shape)
    sums = np.add.reduceat(lanes[plan.order], plan.starts)
    mean = np.full((sums.shape[0], 4), 255, np.uint8)
    mask = np.uint64((1 << _LANE) - 1)
    for c in range(3):  # B, G, R: lanes from the lowest
        lane = ((sums >> np.uint64(c * _LANE)) & mask).astype(np.float32)
        lane *= plan.inverse
        lane += 0.5
        mean[:, c] = lane
    ends = np.append(plan.starts[1:], plan.order.shape[0])
    for i in np.flatnonzero(ends - plan.starts > _LANE_MAX):  # at most N / 8224 cells
        run = plan.order[plan.starts[i]:ends[i]]
        mean[i, :3] = np.rint(fill[run][:, ::-1].mean(axis=0))
    out[plan.cells] = mean.view(np.uint32)[:, 0]
    return out.reshape(plan.shape)
