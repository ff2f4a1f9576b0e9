"""The fast fused E+M pass over the data.

One pass evaluates, for every point t and component k, the log of
pi_k N(x_t | mu_k, Sigma_k) and in the same sweep accumulates everything
EM needs: the log-likelihood, the entropy of the responsibilities and the
M-step's sufficient statistics.  Three ideas make it fast and accurate:

* **Two paths, chosen per component.**  The expanded form
  ln pi_k N(x | k) = coef_k . phi(x), phi = (x^2, xy, y^2, x, y, 1), gives
  the log-densities of a block for all components as one matrix product
  (k x 6 times 6 x B) and the M-step statistics (moments about the
  origin) as another.  It adds terms of size |L_k^-1 (x, y, 1)|^2 that
  cancel, so it is used only for components where a rounding bound over
  the data's box proves every log-density within 1e-12 nats (see
  :mod:`~gmmviz.labs.em.core.expanded`).  The others (nearly singular
  covariances, narrow components far from the origin) are evaluated
  centred: with Sigma_k = L_k L_k^T (Cholesky), y = L_k^-1 (x - mu_k) is
  linear in (x, y, 1), one small product ``W @ (x, y, 1)``, and
  ln pi_k N(x | k) = const_k - |y|^2 / 2, which loses only sqrt(condition
  number) digits (about 1e-12 relative up to condition numbers of 1e12).
  Their M-step statistics are sums in each component's whitened frame
  (about its old mean), one matrix-vector product per component, mapped
  back with L_k: no moment about the origin is subtracted.
* **Cache blocking.**  Points are processed in blocks whose (k, B) working
  arrays stay in the CPU cache; nothing of size k x N is ever written
  unless responsibilities are asked for.
* **Spatial pruning.**  For large N the points are sorted along a Z-order
  curve once per dataset, so a block covers a small region.  A component
  whose responsibility is below e^-40 (far under double precision relative
  to the largest one) for every point of a block gets no exp() there;
  leaving those terms out changes no sum by more than one rounding error.

Everything is float64; the results match a direct evaluation in extended
precision (and scikit-learn) to rounding error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gmmviz.core.gaussian import Standardizer
from gmmviz.labs.em.core.expanded import Plan, Routing, whitened_sums
from gmmviz.labs.em.core.pruning import PRUNE_LOG_RATIO, active_components
from gmmviz.labs.em.core.whitening import Components, components, whitened_to_stats

# Differences below this give exp() == 0 to double precision anyway.
EXP_FLOOR = -80.0
# Log-densities relative to a block's upper bound are raised to this (so
# exp() takes no slow path and no product of responsibilities and offsets
# is subnormal, which is ~100x slower); a point whose sum falls below
# exp(SHIFT_FLOOR + 60) is redone against its own largest term, so a raised
# term is always >= 60 nats below that largest term and changes no sum.
SHIFT_FLOOR = -300.0
SHIFT_REDO = math.exp(SHIFT_FLOOR + 60.0)
# Points per bounding box kept for pruning; blocks are whole granules.
GRANULE = 1024
SORT_MIN_POINTS = 32768
# Aim for (k, B) working arrays of about this many doubles (L2-resident).
BLOCK_ELEMENTS = 65536
# Up to this many components, row-by-row numpy calls beat axis-0 reductions
# (measured on the 2-core bench machine).
FEW_ROWS = 4
# Below this many points, one log() each is cheaper than grouping products.
SUM_LOG_DIRECT = 4096
# Products of 16 values of at least this cannot underflow (1e-288 > 1e-308).
SUM_LOG_GROUP_FLOOR = 1e-18
# Below this many terms, selecting which to exponentiate costs more than it saves.
SMALL_BLOCK = 6000


# Scratch arrays start at different offsets within a page (see Scratch).
PAGE = 4096
PAGE_STAGGER = 576  # nine cache lines

# Columns of the quadratic features (x^2, xy, y^2, x, y, 1) and of the stats.
XX, XY, YY, X1, Y1, ONE = range(6)


@dataclass(frozen=True, eq=False)
class Workspace:
    """A dataset prepared for fast EM passes (immutable after creation).

    Attributes
    ----------
    std : Standardizer
        The frame every pass works in.
    Xs : ndarray of shape (n_points, 2)
        Standardised points, original order.
    Q : ndarray of shape (6, n_points)
        Quadratic features (x^2, xy, y^2, x, y, 1) of the standardised
        points, in pass order (for the expanded form's fast path).
    P : ndarray of shape (3, n_points)
        Linear features (x, y, 1): the last three rows of ``Q``.
    abs_max : ndarray of shape (2,)
        Largest |x| and |y| of the standardised points.
    order : ndarray of shape (n_points,) or None
        Original index of the point at each pass position (None: identity).
    box_lo, box_hi : ndarray of shape (n_granules, 2)
        Bounding box of every run of ``GRANULE`` points in pass order.
    """

    std: Standardizer
    Xs: np.ndarray
    Q: np.ndarray
    P: np.ndarray
    abs_max: np.ndarray
    order: np.ndarray | None
    box_lo: np.ndarray
    box_hi: np.ndarray

    @property
    def n_points(self) -> int:
        return int(self.Xs.shape[0])

    @classmethod
    def build(cls, X: np.ndarray, *, sort: bool | None = None) -> "Workspace":
        """Standardise ``X`` (n_points, 2) and order it spatially if it is large."""
        std = Standardizer.fit(X)
        Xs = std.transform(X)
        n = Xs.shape[0]
        if sort is None:
            sort = n >= SORT_MIN_POINTS
        order = _zorder(Xs) if sort else None
        Xp = Xs if order is None else Xs[order]
        Q = quadratic_features(Xp)
        abs_max = np.abs(Xs).max(axis=0) if n else np.zeros(2)
        pad = (-n) % GRANULE
        box_lo = np.pad(Xp, ((0, pad), (0, 0)), mode="edge").reshape(-1, GRANULE, 2).min(axis=1)
        box_hi = np.pad(Xp, ((0, pad), (0, 0)), mode="edge").reshape(-1, GRANULE, 2).max(axis=1)
        for arr in (Xs, Q, abs_max, box_lo, box_hi) + (() if order is None else (order,)):
            arr.setflags(write=False)
        return cls(std=std, Xs=Xs, Q=Q, P=Q[X1:], abs_max=abs_max, order=order, box_lo=box_lo, box_hi=box_hi)

    def block_size(self, n_components: int) -> int:
        """Points per block for ``n_components``: a multiple of GRANULE."""
        granules = max(1, BLOCK_ELEMENTS // (n_components * GRANULE))
        return GRANULE * granules

    def block_boxes(self, block: int) -> tuple[np.ndarray, np.ndarray]:
        """Bounding boxes of blocks of ``block`` points, each (n_blocks, 2)."""
        g = block // GRANULE
        nb = -(-self.box_lo.shape[0] // g)
        pad = nb * g - self.box_lo.shape[0]
        lo = np.pad(self.box_lo, ((0, pad), (0, 0)), mode="edge").reshape(nb, g, 2).min(axis=1)
        hi = np.pad(self.box_hi, ((0, pad), (0, 0)), mode="edge").reshape(nb, g, 2).max(axis=1)
        return lo, hi


def quadratic_features(Xs: np.ndarray) -> np.ndarray:
    """phi(x) = (x^2, xy, y^2, x, y, 1) for every point, shape (6, n_points)."""
    x, y = Xs[:, 0], Xs[:, 1]
    P = np.empty((6, Xs.shape[0]))
    np.multiply(x, x, out=P[XX])
    np.multiply(x, y, out=P[XY])
    np.multiply(y, y, out=P[YY])
    P[X1], P[Y1], P[ONE] = x, y, 1.0
    return P


_SPREAD = np.zeros(256, dtype=np.uint16)
for _bit in range(8):
    _SPREAD |= ((np.arange(256, dtype=np.uint16) >> _bit) & 1) << (2 * _bit)


def _zorder(Xs: np.ndarray) -> np.ndarray:
    """Indices sorting points along a Z-order curve on a 256 x 256 grid."""
    q = np.clip((Xs + 4.0) * (256 / 8.0), 0, 255).astype(np.uint8)
    key = _SPREAD[q[:, 0]] | (_SPREAD[q[:, 1]] << 1)
    return np.argsort(key, kind="stable")


def coefficients(weights: np.ndarray, means: np.ndarray, full_cov: np.ndarray) -> np.ndarray:
    """Rows c_k with c_k . phi(x) = ln pi_k + ln N(x | mu_k, Sigma_k), shape (k, 6).

    The expanded quadratic form (NaN rows for a covariance that is not
    positive definite): what the pruning bounds use.  It loses about
    cond * eps, so the pass itself evaluates :class:`Components` instead.
    """
    return components(weights, means, full_cov).coef


@dataclass(frozen=True, eq=False)
class PassResult:
    """What one fused pass found, in the standardised frame.

    Attributes
    ----------
    log_likelihood : float
        sum_t ln sum_k pi_k N(x_t | k).
    entropy : float
        -sum r ln r >= 0.
    stats : ndarray of shape (k, 6)
        Per component the scatter sum_t r_tk (x_t - m_k)(x_t - m_k)^T about
        its weighted mean (xx, xy, yy), sum_t r_tk x_t (x, y) and sum_t r_tk
        (see :func:`~gmmviz.labs.em.core.whitening.whitened_to_stats`).
    resp : ndarray of shape (n_points, k) or None
        Responsibilities in the original point order (if requested).
    """

    log_likelihood: float
    entropy: float
    stats: np.ndarray
    resp: np.ndarray | None


def fused_pass(
    ws: Workspace, comp: Components, *, want_resp: bool = False, scratch: "Scratch | None" = None
) -> PassResult:
    """One sweep: log-likelihood, entropy, M-step statistics (and resp).

    Parameters
    ----------
    ws : Workspace
    comp : Components
        From :func:`~gmmviz.labs.em.core.whitening.components`; must be valid.
    want_resp : bool
        Also return the (n_points, k) responsibilities.
    scratch : Scratch, optional
        Working arrays to reuse (one per thread), sized for k and the block.

    Returns
    -------
    PassResult
    """
    k = comp.n_components
    B = ws.block_size(k)
    raw = np.zeros((k, 6))  # per component what its path sums (see expanded.whitened_sums)
    resp_kn = np.zeros((k, ws.n_points)) if want_resp else None
    active, tops = active_components(ws, comp.coef, B)
    bufs = scratch if scratch is not None and scratch.fits(k, B) else Scratch(k, B)
    route = Routing(comp, ws.abs_max)
    # Every log-density is at most the largest constant: the shift for blocks
    # without a tighter bound, until a point somewhere needed its own.
    peak = float(comp.const.max())
    ll = 0.0
    ent = 0.0
    for j, start in enumerate(range(0, ws.n_points, B)):
        Q = ws.Q[:, start : start + B]
        plan = route.plan(active[j])
        shift = tops[j] if tops[j] is not None or bufs.underflowed else peak
        block_ll, block_ent, block_raw, R = _block(plan, Q, shift, bufs)
        if plan.order is None:
            raw += block_raw
        else:
            raw[plan.order] += block_raw
        ll += block_ll
        ent += block_ent
        if resp_kn is not None:
            _write_resp(resp_kn, ws, start, Q.shape[1], R, plan.order)
    resp = None
    if resp_kn is not None:
        resp = resp_kn.T
        resp.setflags(write=False)
    return PassResult(ll, max(ent, 0.0), whitened_to_stats(whitened_sums(raw, route.fast, comp.W), comp), resp)


def _write_resp(resp_kn: np.ndarray, ws: Workspace, start: int, n: int, R: np.ndarray, rows) -> None:
    """Store one block's responsibilities (ka, n) at the points' original places."""
    idx = slice(start, start + n) if ws.order is None else ws.order[start : start + n]
    if rows is not None:
        full = np.zeros((resp_kn.shape[0], n))
        full[rows] = R
        R = full
    resp_kn[:, idx] = R


class Scratch:
    """Scratch arrays for one pass, reused block after block (cache-resident).

    :meth:`get` hands out C-contiguous (rows, n) views, so that flat
    indexing of a view writes through to it.

    The arrays are carved from one buffer so that each starts at a
    different offset within a 4 KiB page.  Separately allocated, large
    arrays all start at the same page offset (the allocator maps them), and
    then an operation that reads one and writes another at the same offset
    stalls on the CPU's 4K-aliasing check: copying a row of E into s took
    28 us instead of 2.3 us for 10,000 points.
    """

    # (name, dtype, rows per component: 0 for one row of the block)
    _ARRAYS = (("F", np.float64, 5), ("D", np.float64, 1), ("E", np.float64, 1),
               ("mask", np.bool_, 1), ("other", np.bool_, 1), ("s", np.float64, 0), ("inv", np.float64, 0),
               ("m", np.float64, 0))

    def __init__(self, k: int, B: int):
        self.k, self.B = k, B
        # Set once a block had to be redone against each point's own maximum
        # (a point far from every component): later passes start that way.
        self.underflowed = False
        spans, end = [], 0
        for i, (_, dtype, per_row) in enumerate(self._ARRAYS):
            nbytes = (k * B * per_row if per_row else B) * np.dtype(dtype).itemsize
            start = -(-end // PAGE) * PAGE + ((i + 1) * PAGE_STAGGER) % PAGE
            spans.append((start, nbytes))
            end = start + nbytes
        raw = np.empty(end + PAGE, dtype=np.uint8)
        base = -raw.ctypes.data % PAGE
        self._flat = {
            name: raw[base + start : base + start + nbytes].view(dtype)
            for (name, dtype, _), (start, nbytes) in zip(self._ARRAYS, spans)
        }

    def fits(self, k: int, B: int) -> bool:
        return k <= self.k and B <= self.B

    def get(self, name: str, rows: int, n: int) -> np.ndarray:
        """A contiguous (rows, n) view of scratch array ``name`` (rows=0: (n,))."""
        flat = self._flat[name]
        return flat[:n] if rows == 0 else flat[: rows * n].reshape(rows, n)


def _block(plan: Plan, Q: np.ndarray, shift: float | None, bufs: Scratch):
    """Log-likelihood, entropy, whitened sums and responsibilities of one block.

    The plan's first ``nf`` components are evaluated in the expanded form
    (one product with the quadratic features), the rest centred through
    their whitening rows.  The exponentials are taken relative to
    ``shift``, an upper bound of every log-density in the block, or, when
    ``shift`` is None, relative to each point's own largest term.  If some
    point's terms all underflow relative to the shift, the block is redone
    per point.

    Parameters
    ----------
    plan : Plan
    Q : ndarray of shape (6, n)
        (x^2, xy, y^2, x, y, 1) of the block's points.

    Returns
    -------
    (log_likelihood, entropy, sums (ka, 6), resp (ka, n)), in the plan's order (the
    sums as :func:`~gmmviz.labs.em.core.expanded.whitened_sums` takes them).
    """
    nf, na, n = plan.nf, plan.const_acc.shape[0], Q.shape[1]
    ka = nf + na
    D, E = bufs.get("D", ka, n), bufs.get("E", ka, n)
    if nf:
        coef = plan.coef
        if shift is not None:
            coef = coef.copy()
            coef[:, ONE] -= shift
        np.matmul(coef, Q, out=D[:nf])
    F = None
    if na:
        # Per accurate component the rows (v1^2, v2^2, v1 v2, v1, v2), v = L^-1 (x - mu) / sqrt(2)
        F = bufs.get("F", 5 * na, n).reshape(na, 5, n)
        np.matmul(plan.W_acc, Q[X1:], out=F[:, 3:])
        np.multiply(F[:, 3:], F[:, 3:], out=F[:, :2])
        np.multiply(F[:, 3], F[:, 4], out=F[:, 2])
        Da = D[nf:]
        np.add(F[:, 0], F[:, 1], out=Da)
        const = plan.const_acc if shift is None else plan.const_acc - shift
        np.subtract(const[:, None], Da, out=Da)  # ln pi_k N(x_t | k) - shift
    if shift is None:
        m = _column_reduce(np.maximum, D, bufs.get("m", 0, n))
        np.subtract(D, m, out=D)
        offset = float(m.sum())
        _exp_relevant(D, E, bufs)
    else:
        np.maximum(D, SHIFT_FLOOR, out=D)
        offset = n * shift
        np.exp(D, out=E)
    s = _column_reduce(np.add, E, bufs.get("s", 0, n))
    s_min = 1.0  # relative to its own largest term, every point has s >= 1
    if shift is not None:
        s_min = float(s.min())
        if s_min < SHIFT_REDO:
            bufs.underflowed = True
            return _block(plan, Q, None, bufs)
    inv_s = np.reciprocal(s, out=bufs.get("inv", 0, n))
    sum_log_s = _sum_log(s, s_min)
    R = np.multiply(E, inv_s, out=E)
    # H = sum_t ln s_t - sum_tk r_tk D_tk (D relative to the same offset).
    ent = sum_log_s - float(np.vdot(R, D))
    raw = np.empty((ka, 6))
    if nf:
        np.matmul(R[:nf], Q.T, out=raw[:nf])  # moments about the origin
    if na:
        # sum r (v1^2, v2^2, v1 v2, v1, v2): one matrix-vector product per component; sum r
        np.matmul(F, R[nf:, :, None], out=raw[nf:, :5, None])
        np.add.reduce(R[nf:], axis=1, out=raw[nf:, 5])
    return offset + sum_log_s, ent, raw, R


def _exp_relevant(D: np.ndarray, E: np.ndarray, bufs: "Scratch") -> None:
    """E = exp(D) for D <= 0 whose column maxima are 0, skipping what it can.

    Terms under e^-40 relative to a point's largest (which is exactly 1)
    vanish in every sum to double precision.  When most terms are either
    that small or the largest itself, only the rest are gathered and
    exponentiated, which is several times faster than exp() of all.
    """
    ka, n = D.shape
    mask, other = bufs.get("mask", ka, n), bufs.get("other", ka, n)
    if D.size > SMALL_BLOCK:
        np.greater(D, PRUNE_LOG_RATIO, out=mask)
    if D.size <= SMALL_BLOCK or np.count_nonzero(mask) - n > 0.35 * D.size:
        np.maximum(D, EXP_FLOOR, out=D)  # exp() of underflowing values takes a slow path
        np.exp(D, out=E)
        return
    np.equal(D, 0.0, out=other)
    np.copyto(E, other)
    np.logical_xor(mask, other, out=mask)  # relevant and not the maximum
    idx = np.flatnonzero(mask)
    E.reshape(-1)[idx] = np.exp(D.reshape(-1)[idx])


def _column_reduce(ufunc, A: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``ufunc.reduce(A, axis=0)``; row by row when there are few rows (faster)."""
    if A.shape[0] > FEW_ROWS:
        return ufunc.reduce(A, axis=0, out=out)
    np.copyto(out, A[0])
    for row in A[1:]:
        ufunc(out, row, out=out)
    return out


def _sum_log(s: np.ndarray, s_min: float) -> float:
    """sum(log(s)) for 0 < s <= k, where s_min <= min(s).

    When products of 16 values can neither underflow nor lose precision to
    subnormals (every s >= 1e-18, so a product >= 1e-288), it takes one log
    per product, which is several times cheaper than one log per value.
    """
    n = s.shape[0]
    if n < SUM_LOG_DIRECT or s_min < SUM_LOG_GROUP_FLOOR:
        return float(np.log(s).sum())
    head = n - n % 16
    total = float(np.log(s[:head].reshape(16, -1).prod(axis=0)).sum()) if head else 0.0
    return total + float(np.log(s[head:]).sum())
