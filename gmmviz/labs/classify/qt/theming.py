"""The classification lab's part of a theme: the map's background, the boundary, outlines, labels."""

from __future__ import annotations

from gmmviz.qt.themes import Theme, legible, outline_color_map, style_label, style_plot


def style_page(page, th: Theme) -> None:
    """Recolour what the page draws in its own colours for ``th``, and redraw the map on the new background."""
    canvas = page.canvas
    style_plot(canvas.plot, th)
    style_label(canvas.hover, th, "3px 6px")
    canvas.set_legend_color(th.plot_fg)
    outlines = outline_color_map(th)
    canvas.set_outline_color(outlines)
    canvas.ellipses_layer.color_map = outlines or (lambda c: c)
    canvas.lines_layer.set_colors(boundary=th.plot_fg, truth=legible(th.truth, th.plot_bg, 3.0), halo=th.plot_bg)
    canvas.contours_layer.set_background(th.plot_bg)
    canvas.marks_layer.test_color = th.plot_fg
    canvas.marks_layer.refresh()
    page.banner.restyle()
    if page.background != th.plot_bg:
        page.background = th.plot_bg
        page.schedule()
