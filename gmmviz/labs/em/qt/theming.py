"""The EM studio's part of a theme: ellipse, truth, handle, outline and curve colours."""

from __future__ import annotations

from gmmviz.labs.em.qt.panels.curves import BOUND_COLOR, CURSOR_COLOR, INIT_COLOR, LL_COLOR
from gmmviz.qt.themes import Theme, component_colors, legible, outline_color_map, style_label, text_color


def style_studio(studio, th: Theme) -> None:
    """Recolour the studio's canvas layers, curves and weights for ``th``."""
    style_canvas(studio.canvas, th)
    style_curves(studio.curves, th)
    studio.weights.restyle()


def style_canvas(canvas, th: Theme) -> None:
    """The canvas pieces that carry their own colours."""
    style_label(canvas.hover, th, "3px 6px")
    canvas.set_legend_color(th.plot_fg)
    canvas.set_outline_color(outline_color_map(th))
    canvas.ellipses.set_colors(components=component_colors(th), halo=th.plot_bg)
    canvas.truth.set_colors(truth=th.truth, halo=th.plot_bg)
    canvas.truth_layer.refresh_legend()
    canvas.restyle_handles()
    canvas.fill_layer.refill()  # the fills follow their ellipses' colours


def curve_text_colors(th: Theme) -> tuple[str, str]:
    """The curves' ln p and Q + H colours made readable as text on ``th``'s window
    (the curves panel's legend and values, the formula strip's M- and E-step)."""
    return text_color(LL_COLOR, th), text_color(BOUND_COLOR, th)


def style_curves(curves, th: Theme) -> None:
    """Cursor line, initial-value marker and text colours of the curves panel
    (it keeps them: a later ``set_scale`` does not undo them)."""
    ll_text, bound_text = curve_text_colors(th)
    curves.set_colors(cursor=legible(CURSOR_COLOR, th.plot_bg, 3.0), init=legible(INIT_COLOR, th.plot_bg, 3.0),
                      ll_text=ll_text, bound_text=bound_text)
