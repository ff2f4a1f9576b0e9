"""Colours as data: class and component palettes, and responsibility blends.

Both palettes are colour-blind safe and distinct from each other, so a
point can show its class (outline) and its cluster (fill) at once:

* classes: Okabe & Ito (2008), the nine colours of "Color Universal Design";
* components: Paul Tol's "muted" scheme (2021), plus pale grey.
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
    "#CC6677",  # rose
    "#332288",  # indigo
    "#DDCC77",  # sand
    "#117733",  # green
    "#88CCEE",  # cyan
    "#882255",  # wine
    "#44AA99",  # teal
    "#999933",  # olive
    "#AA4499",  # purple
    "#DDDDDD",  # pale grey
)

# The fill of a point no responsibility has been computed for yet.
NEUTRAL_FILL = "#FFFFFF"


def class_color(index: int) -> str:
    return CLASS_COLORS[index % len(CLASS_COLORS)]


def component_color(index: int) -> str:
    return COMPONENT_COLORS[index % len(COMPONENT_COLORS)]


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
