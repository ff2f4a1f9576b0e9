"""The posterior map as a picture: colours, the decision boundary, iso-probability contours, the probe.

* :func:`posterior_image`: each pixel the class colours blended by P(y | x),
  its strength (saturation) by the certainty max_y P(y | x): a pixel where
  the classes are equally likely fades to the plot's background, so the
  boundary region reads as pale and the confident regions as coloured;
* :func:`boundary_lines`: where the most probable class changes (for each
  class c the zero line of P(c | x) - max_{c' != c} P(c' | x));
* :func:`probability_contours`: P(y | x) = 0.6 ... 0.9 of every class, each
  class's inside its own decision region (a level above 1/2 is reached only
  where the class is the most probable one), so with many classes the lines
  of two classes never cross: drawn in the class colours, with labels
  (:func:`contour_labels`), they read as each class's certainty rising
  towards its core, where all 0.1 ... 0.9 of every class were a tangle;
  with two classes they are the same lines as 0.1 ... 0.9 of one class;
* :func:`probe`: every term of Bayes' rule at one point, for the hover table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gmmviz.core import geometry
from gmmviz.core.palette import hex_to_rgb
from gmmviz.labs.classify.core.grid import PosteriorMap
from gmmviz.labs.classify.core.model import ClassModel, evaluate

#: Strength of a pixel's colour (its mix with the background) at the least and the most certain.
STRENGTH = (0.06, 0.55)
CONTOUR_LEVELS = (0.6, 0.7, 0.8, 0.9)
#: Labels of the contours stay this fraction of the view's width apart.
LABEL_SPACING = 0.045


def posterior_image(posterior: np.ndarray, colors, background: str = "#ffffff") -> np.ndarray:
    """RGBA (height, width, 4) uint8 of a posterior (n_classes, height, width), read-only.

    The colour is sum_y P(y | x) colour_y, mixed with ``background`` by a
    strength rising linearly from ``STRENGTH[0]`` at certainty 1 / n_classes
    to ``STRENGTH[1]`` at certainty 1.
    """
    C = posterior.shape[0]
    table = np.array([hex_to_rgb(c) for c in colors], dtype=np.float32).reshape(C, 3)
    bg = np.array(hex_to_rgb(background), dtype=np.float32)
    P = posterior.astype(np.float32, copy=False)
    blend = np.tensordot(P, table, axes=(0, 0))  # (H, W, 3)
    certainty = P.max(axis=0)
    lo = 1.0 / C
    s = np.clip((certainty - lo) / max(1.0 - lo, 1e-12), 0.0, 1.0)
    strength = (STRENGTH[0] + (STRENGTH[1] - STRENGTH[0]) * s)[..., None]
    rgb = bg + (blend - bg) * strength
    out = np.empty(rgb.shape[:2] + (4,), np.uint8)
    np.clip(rgb + 0.5, 0, 255, out=rgb)
    out[..., :3] = rgb
    out[..., 3] = 255
    out.setflags(write=False)
    return out


def certain_tint(color: str, background: str = "#ffffff") -> str:
    """``"#rrggbb"`` of the map where ``color``'s class is certain (:func:`posterior_image` at P(y|x) = 1)."""
    c, bg = (np.array(hex_to_rgb(v), dtype=np.float32) for v in (color, background))
    r, g, b = np.clip(bg + (c - bg) * np.float32(STRENGTH[1]) + 0.5, 0, 255).astype(int)
    return f"#{r:02x}{g:02x}{b:02x}"


def _frozen_pair(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    for a in (x, y):
        a.setflags(write=False)
    return x, y


def join_lines(lines) -> tuple[np.ndarray, np.ndarray]:
    """NaN-separated polylines (x, y) (:func:`~gmmviz.core.geometry.isolines`'), as one, read-only."""
    lines = [ln for ln in lines if ln[0].size]
    if not lines:
        return _frozen_pair(np.empty(0), np.empty(0))
    return _frozen_pair(np.concatenate([ln[0] for ln in lines]), np.concatenate([ln[1] for ln in lines]))


def boundary_lines(pmap: PosteriorMap) -> tuple[np.ndarray, np.ndarray]:
    """The decision boundary on the map's grid, one NaN-separated polyline (x, y)."""
    P = pmap.posterior
    if P.shape[0] == 2:  # one margin serves both classes
        return join_lines(geometry.isolines(P[0] - P[1], pmap.xs, pmap.ys, [0.0]))
    lines = []
    for c in range(P.shape[0]):
        others = np.delete(P, c, axis=0).max(axis=0)
        lines += geometry.isolines(P[c] - others, pmap.xs, pmap.ys, [0.0])
    return join_lines(lines)


def probability_contours(pmap: PosteriorMap, levels=CONTOUR_LEVELS) -> tuple:
    """P(y | x) = each level (all above 1/2) of every class.

    Returns
    -------
    tuple of tuple of (x, y)
        ``contours[c][i]``: class c's line at ``levels[i]``, NaN-separated segments
        (each inside the region where c is the most probable class).
    """
    levels = [float(v) for v in levels]
    if min(levels, default=1.0) <= 0.5:
        raise ValueError(f"contour levels must be above 1/2 (one class's region each), got {levels}")
    P = pmap.posterior
    return tuple(tuple(_frozen_pair(*line) for line in geometry.isolines(P[c], pmap.xs, pmap.ys, levels))
                 for c in range(P.shape[0]))


def contour_labels(contours: tuple, view, levels=CONTOUR_LEVELS, gap: float | None = None) -> tuple:
    """Where to write each contour's level: ((class, level, x, y), ...).

    A class's outermost and innermost lines (0.6 and 0.9: the ones between
    are evenly spaced) get one label each, on the line, where it is farthest
    from the class's other lines (where its band is widest, so the label
    covers least), inside ``view`` (x0, x1, y0, y1) and at least ``gap`` (data
    units; default :data:`LABEL_SPACING` times the view's width) from every
    label placed before and half that from the view's edge; a line with no
    such point is left unlabelled.
    """
    x0, x1, y0, y1 = (float(v) for v in view)
    gap = LABEL_SPACING * (x1 - x0) if gap is None else float(gap)
    placed: list[tuple] = []
    order = sorted({len(levels) - 1, 0})[::-1]
    for c, lines in enumerate(contours):
        pts = [_sample(_inside(line, (x0 + gap / 2, x1 - gap / 2, y0 + gap / 2, y1 - gap / 2)), 150)
               for line in lines]
        for i in order:
            cand = pts[i]
            if placed and cand.shape[0]:
                done = np.array([(x, y) for _, _, x, y in placed])
                cand = cand[((cand[:, None, :] - done[None]) ** 2).sum(axis=2).min(axis=1) >= gap ** 2]
            if not cand.shape[0]:
                continue
            others = [pts[j] for j in range(len(pts)) if j != i and pts[j].shape[0]]
            if others:
                rest = _sample(np.vstack(others), 600)
                best = int(np.argmax(((cand[:, None, :] - rest[None]) ** 2).sum(axis=2).min(axis=1)))
            else:
                best = cand.shape[0] // 2
            placed.append((c, float(levels[i]), float(cand[best, 0]), float(cand[best, 1])))
    return tuple(placed)


def _sample(pts: np.ndarray, most: int) -> np.ndarray:
    return pts[:: max(1, -(-pts.shape[0] // most))]


def _inside(line, view) -> np.ndarray:
    x0, x1, y0, y1 = view
    pts = np.column_stack(line)
    pts = pts[np.isfinite(pts).all(axis=1)]
    keep = (pts[:, 0] > x0) & (pts[:, 0] < x1) & (pts[:, 1] > y0) & (pts[:, 1] < y1)
    return pts[keep]


@dataclass(frozen=True, eq=False)
class Probe:
    """Bayes' rule at one point, per class (arrays of shape (n_classes,)).

    Attributes
    ----------
    x, y : float
    log_likelihood : ln p(x | y)
    prior : P(y)
    log_joint : ln p(x | y) P(y)
    posterior : P(y | x)
    """

    x: float
    y: float
    log_likelihood: np.ndarray
    prior: np.ndarray
    log_joint: np.ndarray
    posterior: np.ndarray


def probe(model: ClassModel, x: float, y: float) -> Probe:
    """Every term of Bayes' rule for ``model`` at (x, y)."""
    ev = evaluate(model, np.array([[x, y]], dtype=np.float64))
    return Probe(float(x), float(y), ev.log_likelihood[0], np.exp(ev.log_prior), ev.log_joint[0], ev.posterior[0])


def format_exp(log_value: float, digits: int = 3) -> str:
    """exp(``log_value``) in scientific notation, also far below the smallest double (1e-400)."""
    if not math.isfinite(log_value):
        return "0" if log_value < 0 else "∞"
    if -700 < log_value < 700:
        return f"{math.exp(log_value):.{digits}g}"
    exponent = log_value / math.log(10.0)
    e = math.floor(exponent)
    mantissa = 10.0 ** (exponent - e)
    if round(mantissa, digits - 1) >= 10.0:
        mantissa, e = mantissa / 10.0, e + 1
    return f"{mantissa:.{digits - 1}f}e{e:+d}"
