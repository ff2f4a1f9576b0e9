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
