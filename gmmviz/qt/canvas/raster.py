"""Numpy rasteriser behind :class:`gmmviz.qt.canvas.points.PointCloudItem`.

Nothing here imports Qt: every function maps arrays to arrays, so each can
be tested (and timed) without a display.  Device coordinates are pixels of
the paint device, ``x`` to the right and ``y`` down; a marker whose centre
falls in pixel ``(i, j)`` is drawn centred on that pixel's centre (an error
of at most half a pixel, the same for every drawing path).

Colours are packed as ``uint32`` premultiplied ARGB (``QImage``'s
``Format_ARGB32_Premultiplied``; bytes B, G, R, A in memory on the
little-endian machines Qt supports).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Row chunk for the direct splat, sized so temporaries stay in cache.
_SPLAT_CHUNK = 2048
#: Relative cost (per element) of a scatter against a contiguous max pass,
#: measured by ``bench/bench_points.py`` on the development machine.
_SCATTER_COST = 2.5
#: Samples per pixel along each axis; coverage comes in 1 / _LEVELS steps.
_SUPERSAMPLE = 8
_LEVELS = _SUPERSAMPLE * _SUPERSAMPLE
_LEVEL_BITS = 6
#: Bits per channel in :func:`pack_lanes`, and the most colours a lane sums.
_LANE = 21
_LANE_MAX = ((1 << _LANE) - 1) // 255


@dataclass(frozen=True, eq=False)
class Stamp:
    """Antialiased coverage of a round marker on the pixel grid.

    Attributes
    ----------
    half : int
        The stamp spans offsets ``-half .. half`` in x and y.
    layers : ndarray, shape (n_layers, S, S), float32
        Coverage in [0, 1] of each colour layer (``S = 2 * half + 1``);
        the layers never overlap, so their sum is at most 1.
    """

    half: int
    layers: np.ndarray

    @property
    def size(self) -> int:
        """Side ``S`` of the stamp in pixels."""
        return 2 * self.half + 1

    @property
    def support(self) -> np.ndarray:
        """Boolean (S, S) mask of the pixels any layer touches."""
        return self.layers.sum(axis=0) > 0

    @property
    def counts(self) -> np.ndarray:
        """Coverage as integer sample counts out of ``_LEVELS``, uint16."""
        return np.rint(self.layers * _LEVELS).astype(np.uint16)


def annulus_stamp(radii: list[float]) -> Stamp:
    """Coverage of concentric bands ``radii[i] <= r < radii[i + 1]``.

    Parameters
    ----------
    radii : list of float
        Increasing radii in device pixels; ``len(radii) - 1`` layers.

    Returns
    -------
    Stamp
    """
    half = int(np.ceil(radii[-1] + 0.5))
    ss = _SUPERSAMPLE
    sub = (np.arange(ss) + 0.5) / ss - 0.5
    grid = np.arange(-half, half + 1)
    fine = (grid[:, None] + sub[None, :]).ravel()
    d = np.hypot(fine[:, None], fine[None, :])
    n = 2 * half + 1
    layers = np.empty((len(radii) - 1, n, n), np.float32)
    for i, (r0, r1) in enumerate(zip(radii[:-1], radii[1:])):
        inside = ((d >= r0) & (d < r1)).reshape(n, ss, n, ss)
        layers[i] = inside.mean(axis=(1, 3))
    used = np.flatnonzero(layers.sum(axis=(0, 1)) > 0)
    trim = int(min(used[0], n - 1 - used[-1])) if used.size else half
    return Stamp(half - trim, layers[:, trim:n - trim, trim:n - trim].copy())


def marker_stamp(radius: float, outline: float) -> Stamp:
    """An outline ring (layer 0) around a filled disk (layer 1).

    The ring is a pen of width ``outline`` centred on the circle of
    ``radius``, as ``QPainter.drawEllipse`` would draw it.
    """
    r_in = max(radius - outline / 2.0, 0.0)
    bands = annulus_stamp([0.0, r_in, radius + outline / 2.0])
    return Stamp(bands.half, bands.layers[::-1].copy())


def stamp_images(stamp: Stamp, colours: np.ndarray) -> np.ndarray:
    """Premultiplied ARGB images of a stamp, one per colour set.

    Parameters
    ----------
    stamp : Stamp
    colours : ndarray, shape (M, n_layers, 3), uint8
        RGB of each layer for each of the M images.

    Returns
    -------
    ndarray, shape (M, S, S), uint32
    """
    cov = stamp.layers.astype(np.float32)
    rgb = np.einsum("lyx,mlc->myxc", cov, colours.astype(np.float32))
    alpha = np.broadcast_to(cov.sum(axis=0) * 255.0, rgb.shape[:3])
    bgra = np.empty(rgb.shape[:3] + (4,), np.uint8)
    bgra[..., 0] = np.rint(rgb[..., 2])
    bgra[..., 1] = np.rint(rgb[..., 1])
    bgra[..., 2] = np.rint(rgb[..., 0])
    bgra[..., 3] = np.rint(alpha)
    return bgra.view(np.uint32)[..., 0]


def pack_bgra(rgb: np.ndarray) -> np.ndarray:
    """Opaque ``uint32`` ARGB from (N, 3) uint8 RGB."""
    out = np.full((rgb.shape[0], 4), 255, np.uint8)
    out[:, 0] = rgb[:, 2]  # column by column: 5x faster than rgb[:, ::-1]
    out[:, 1] = rgb[:, 1]
    out[:, 2] = rgb[:, 0]
    return out.view(np.uint32)[:, 0]


def pack_lanes(rgb: np.ndarray) -> np.ndarray:
    """``uint64`` with R, G, B in 21-bit lanes: sums of 8224 colours fit."""
    x = rgb[:, 0].astype(np.uint64)
    x <<= _LANE
    x |= rgb[:, 1]
    x <<= _LANE
    x |= rgb[:, 2]
    return x


def to_device(xy: np.ndarray, m: tuple) -> tuple[np.ndarray, np.ndarray]:
    """Map (N, 2) item coordinates through ``(m11, m12, m21, m22, dx, dy)``."""
    x, y = xy[:, 0], xy[:, 1]
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


def colour_keys(outline: np.ndarray, fill: np.ndarray, bits: int) -> np.ndarray:
    """int64 keys of (outline, fill quantised to ``bits`` per channel).

    Keys of different ``bits`` never collide (``bits`` is part of the key).
    """
    top = (1 << bits) - 1
    q = (fill.astype(np.int64) * top + 127) // 255  # rounded: black and white exact
    o = outline.astype(np.int64)
    key = (bits << 24) | (o[:, 0] << 16) | (o[:, 1] << 8) | o[:, 2]
    return (key << (3 * bits)) | (q[:, 0] << 2 * bits) | (q[:, 1] << bits) | q[:, 2]


def key_colours(keys: np.ndarray, bits: int) -> np.ndarray:
    """Inverse of :func:`colour_keys`: (M, 2, 3) uint8 (outline, fill)."""
    mask = (1 << bits) - 1
    out = np.empty((keys.shape[0], 2, 3), np.uint8)
    for c in range(3):
        q = (keys >> ((2 - c) * bits)) & mask
        out[:, 1, c] = (q * 255 + mask // 2) // mask  # error <= 255 / (2 * mask)
        out[:, 0, c] = (keys >> (3 * bits + 8 * (2 - c))) & 0xFF
    return out


class SlotTable:
    """Least-recently-used map from int64 keys to ``capacity`` atlas cells."""

    def __init__(self, capacity: int):
        self.capacity = int(capacity)
        self.keys = np.full(self.capacity, -1, np.int64)
        self.last_used = np.full(self.capacity, -1, np.int64)
        self.tick = 0

    def assign(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """Cells for sorted unique ``keys``, evicting the least recently used.

        Returns
        -------
        (cells, new) or None
            ``cells`` (M,) for every key and the boolean mask ``new`` of the
            keys whose cell must be (re)drawn; None if M > capacity.
        """
        if keys.shape[0] > self.capacity:
            return None
        self.tick += 1
        order = np.argsort(self.keys, kind="stable")
        pos = np.searchsorted(self.keys[order], keys).clip(0, self.capacity - 1)
        cells = order[pos]
        new = self.keys[cells] != keys
        self.last_used[cells[~new]] = self.tick
        n_new = int(new.sum())
        if n_new:
            free = np.argpartition(self.last_used, n_new - 1)[:n_new]
            cells[new] = free
            self.keys[free] = keys[new]
            self.last_used[free] = self.tick
        return cells, new


def disk_owners(base: np.ndarray, shape: tuple[int, int],
                supports: list[np.ndarray]) -> list[np.ndarray]:
    """Topmost marker covering each pixel of a padded buffer, per footprint.

    Parameters
    ----------
    base : ndarray, shape (M,), intp
        Flat pixel index of each marker centre, in painter's order; every
        stamp must lie inside ``shape``.
    shape : (int, int)
        Buffer height and width.
    supports : list of ndarray, shape (S, S), bool
        Footprints (convex, symmetric, centred) to compute owners for.

    Returns
    -------
    list of ndarray, shape (height, width), int32
        Index into ``base`` of the last marker whose footprint covers the
        pixel, -1 if none; one image per footprint.
    """
    widths = [_row_half_widths(s) for s in supports]
    area = sum(int((2 * hw + 1).clip(0).sum()) for hw in widths)
    passes = sum(int((hw >= 0).sum()) for hw in widths) + np.log2(2 * widths[0].max() + 1) + 6
    if base.shape[0] * area * _SCATTER_COST <= shape[0] * shape[1] * passes:
        return [_owners_by_splat(base, shape, s) for s in supports]
    ranks = np.full(shape, -1, np.int32)
    ranks.ravel()[base] = np.arange(base.shape[0], dtype=np.int32)
    table = _RunningMax(ranks)
    return [_owners_by_filter(table, hw) for hw in widths]


def _row_half_widths(support: np.ndarray) -> np.ndarray:
    """Half width of a (convex, symmetric) footprint in each row, -1 if empty."""
    cols = np.abs(np.arange(support.shape[1]) - support.shape[1] // 2)
    return np.where(support.any(axis=1), np.where(support, cols, -1).max(axis=1), -1)


def _owners_by_splat(base, shape, support):
    """Point-major scatter: the later marker wins each pixel."""
    out = np.full(shape[0] * shape[1], -1, np.int32)
    half = support.shape[0] // 2
    dy, dx = np.nonzero(support)
    offs = ((dy - half) * shape[1] + (dx - half)).astype(np.intp)
    ranks = np.arange(base.shape[0], dtype=np.int32)
    for s in range(0, base.shape[0], _SPLAT_CHUNK):
        idx = base[s:s + _SPLAT_CHUNK, None] + offs[None, :]
        out[idx.ravel()] = np.repeat(ranks[s:s + _SPLAT_CHUNK], offs.shape[0])
    return out.reshape(shape)


def _owners_by_filter(table: _RunningMax, half_widths: np.ndarray) -> np.ndarray:
    """Max filter of the rank image over a footprint, row by row.

    A pixel's owner is the largest rank among markers whose footprint covers
    it, which is what the point-major splat computes, at a cost that does
    not depend on the number of markers.
    """
    h, w = table.shape
    half = (half_widths.shape[0] - 1) // 2
    out = np.full(table.shape, -1, np.int32)
    for row, hw in enumerate(half_widths):
        if hw < 0:
            continue
        dy = row - half
        src = table.window(int(2 * hw + 1))  # src[:, x] = max(ranks[:, x .. x + 2 hw])
        y0, y1 = max(0, -dy), min(h, h - dy)
        dst = out[y0:y1, hw:w - hw]
        np.maximum(dst, src[y0 + dy:y1 + dy, :w - 2 * hw], out=dst)
    return out


class _RunningMax:
    """Sliding-window maxima along rows, from a sparse table of powers of two."""

    def __init__(self, a: np.ndarray):
        self.shape = a.shape
        self.levels = [a]  # levels[k][:, x] = max(a[:, x : x + 2**k])
        self.windows: dict[int, np.ndarray] = {}

    def window(self, width: int) -> np.ndarray:
        """``out[:, x] = max(a[:, x : x + width])`` for x <= w - width."""
        if width not in self.windows:
            k = width.bit_length() - 1
            while len(self.levels) <= k:
                prev, span = self.levels[-1], 1 << (len(self.levels) - 1)
                self.levels.append(np.maximum(prev[:, :-span], prev[:, span:]))
            n = self.shape[1] - width + 1
            lv, rest = self.levels[k], width - (1 << k)
            self.windows[width] = np.maximum(lv[:, :n], lv[:, rest:rest + n])
        return self.windows[width]


def points_in_polygon(x: np.ndarray, y: np.ndarray, poly: np.ndarray) -> np.ndarray:
    """Even-odd test of points against a closed polygon.

    Parameters
    ----------
    x, y : ndarray, shape (N,)
        Point coordinates.
    poly : ndarray, shape (M, 2)
        Polygon vertices (closed implicitly), M >= 3.

    Returns
    -------
    ndarray, shape (N,), bool
    """
    inside = np.zeros(x.shape[0], bool)
    lo, hi = poly.min(axis=0), poly.max(axis=0)
    cand = np.flatnonzero((x >= lo[0]) & (x <= hi[0]) & (y >= lo[1]) & (y <= hi[1]))
    px, py = x[cand], y[cand]
    hit = np.zeros(cand.shape[0], bool)
    for (x1, y1), (x2, y2) in zip(poly, np.roll(poly, -1, axis=0)):
        if y1 == y2:
            continue  # a horizontal edge never crosses a horizontal ray
        crosses = (y1 > py) != (y2 > py)
        x_at = x1 + (py - y1) * ((x2 - x1) / (y2 - y1))
        hit ^= crosses & (px < x_at)
    inside[cand] = hit
    return inside


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
