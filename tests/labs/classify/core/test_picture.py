"""The map's colours (Qt-free)."""

from __future__ import annotations

import numpy as np


def test_the_certain_tint_is_the_maps_colour_where_a_class_is_certain():
    from gmmviz.labs.classify.core.picture import certain_tint, posterior_image

    colors = ("#E69F00", "#56B4E9", "#009E73")
    for background in ("#ffffff", "#1e1f24"):
        P = np.zeros((3, 1, 3))
        P[0, 0, 0] = P[1, 0, 1] = P[2, 0, 2] = 1.0  # each pixel certain of one class
        image = posterior_image(P, colors, background)
        for c, color in enumerate(colors):
            r, g, b = image[0, c, :3]
            assert certain_tint(color, background) == f"#{r:02x}{g:02x}{b:02x}"
