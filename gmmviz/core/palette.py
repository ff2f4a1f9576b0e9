"""Colours as data: class and component palettes, and responsibility blends.

The two palettes are distinct from each other, so a point can show its
class (outline) and its cluster (fill) at once and a viewer tells which is
which:

* classes: Okabe & Ito (2008), the nine colours of "Color Universal Design"
  (colour-blind safe);
* components: ten colours chosen so that each differs from every chromatic
  class colour by a CIE76 colour difference of at least 20 and from every
  other component by at least 25, on every theme after the theme's contrast
  adjustment (Paul Tol's "muted" scheme, used before, put its green, teal
  and cyan within 4-18 of the classes' bluish green, sky blue and yellow).
"""

from __future__ import annotations

import numpy as np

CLASS_COLORS = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
    "#999999",  # grey
)

COMPONENT_COLORS = (
    "#A50026",  # crimson
    "#332288",  # indigo
    "#DDCC77",  # sand
    "#66A61E",  # leaf green
    "#6677FF",  # periwinkle
    "#8C510A",  # brown
    "#225555",  # dark teal
    "#C51B7D",  # magenta
    "#FFAA88",  # peach
    "#DDDDDD",  # pale grey
)

# The fill of a point no responsibility has been computed for yet.
NEUTRAL_FILL = "#FFFFFF"


def class_color(index: int) -> str:
    return CLASS_COLORS[index % len(CLASS_COLORS)]


def component_color(index: int) -> str:
    return COMPONENT_COLORS[index % len(COMPONENT_COLORS)]


def to_lab(color: str) -> np.ndarray:
    """CIE L*a*b* (D65) of an sRGB ``"#rrggbb"``."""
    rgb = np.array(hex_to_rgb(color), float) / 255.0
    rgb = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750],
                    [0.0193339, 0.1191920, 0.9503041]]) @ rgb
    f = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(f > 216 / 24389, np.cbrt(f), (24389 / 27 * f + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str) -> float:
    """CIE76 colour difference of two colours (about 2.3 is just noticeable)."""
    return float(np.linalg.norm(to_lab(a) - to_lab(b)))


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    """``"#rrggbb"`` to an (r, g, b) tuple of ints 0..255."""
    c = color.lstrip("#")
    if len(c) != 6:
        raise ValueError(f"expected a colour like '#1f77b4', got {color!r}")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def rgb_table(colors) -> np.ndarray:
    """(n, 3) float32 array of the colours' RGB in 0..255."""
    return np.array([hex_to_rgb(c) for c in colors], dtype=np.float32).reshape(-1, 3)


def blend(resp: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Responsibility-weighted colours, (n_points, 3) uint8.

    Parameters
    ----------
    resp : ndarray of shape (n_points, k)
        Responsibilities; float rows summing to 1, or uint8 rows summing
        to about 255 (the compact form kept in the run history).
    table : ndarray of shape (k, 3)
        RGB 0..255 of each component.
    """
    r = resp.astype(np.float32, copy=False)
    if resp.dtype == np.uint8:
        r = r * np.float32(1.0 / 255.0)
    out = r @ table
    np.clip(out + 0.5, 0, 255, out=out)
    return out.astype(np.uint8)


def hard(resp: np.ndarray, table: np.ndarray) -> np.ndarray:
    """The colour of each point's most responsible component, (n_points, 3) uint8."""
    return table[np.argmax(resp, axis=1)].astype(np.uint8)


def quantize_resp(resp: np.ndarray) -> np.ndarray:
    """Responsibilities as uint8 (0..255) for compact storage, (n, k)."""
    out = np.empty(resp.shape, dtype=np.uint8)
    np.rint(np.multiply(resp, 255.0), out=out, casting="unsafe")
    return out
