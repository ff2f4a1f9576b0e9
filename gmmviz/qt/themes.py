"""Colour themes for the window and its plots: standard, high-contrast light, dark.

A theme is data (:class:`Theme`); :func:`apply_theme` pushes it into the
application palette (every Qt widget), the pyqtgraph plots (background,
axes, grid), and the canvas pieces that carry their own colours (the
truth-ellipse grey, the hover and legend labels, ellipse colours that
would vanish on a dark background: each lab's ``apply_theme``).  Headless
rendering applies the same function to its offscreen page, so a ``--theme
dark`` figure is what the dark window shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from gmmviz.core import palette

THEME_NAMES = ("standard", "light", "dark")
THEME_LABELS = {"standard": "Standard", "light": "High-contrast light", "dark": "Dark"}

_LABEL_CSS = ("QLabel#{name} {{ background: {bg}; color: {fg}; border: 1px solid {border};"
              " border-radius: 4px; padding: {pad}; }}")


@dataclass(frozen=True)
class Theme:
    """The colours of one theme (``#rrggbb`` strings, ``rgba()`` for CSS).

    Attributes
    ----------
    name : {"standard", "light", "dark"}
    window, text, base, button, highlight, muted : str
        Qt palette roles (``muted``: disabled text and placeholders).
    plot_bg, plot_fg : str
        pyqtgraph background and axis/tick colour.
    grid_alpha : float
        Opacity of the grid lines, 0..1.
    truth : str
        Colour of the dashed "true mixture" ellipses.
    label_bg, label_fg, label_border : str
        The hover read-out and the ellipse legend on the canvas.
    min_contrast : float
        Component colours are lightened until their contrast with ``plot_bg``
        reaches this ratio (WCAG definition); 0 leaves them as they are.
    """

    name: str
    window: str
    text: str
    base: str
    button: str
    highlight: str
    muted: str
    plot_bg: str
    plot_fg: str
    grid_alpha: float
    truth: str
    label_bg: str
    label_fg: str
    label_border: str
    min_contrast: float = 0.0

    @property
    def dark(self) -> bool:
        return luminance(self.window) < 0.2


THEMES = {
    "standard": Theme("standard", "#efefef", "#1a1a1a", "#ffffff", "#e6e6e6", "#308cc6", "#808080",
                      "#ffffff", "#222222", 0.15, "#505050", "rgba(255,255,255,215)", "#222222", "#bbbbbb"),
    "light": Theme("light", "#ffffff", "#000000", "#ffffff", "#f0f0f0", "#0050a0", "#505050",
                   "#ffffff", "#000000", 0.28, "#303030", "rgba(255,255,255,235)", "#000000", "#000000",
                   min_contrast=3.0),
    "dark": Theme("dark", "#1e1f22", "#f2f2f2", "#141517", "#2b2d31", "#4aa3ff", "#9a9a9a",
                  "#111214", "#e8e8e8", 0.30, "#c8c8c8", "rgba(20,21,24,225)", "#f2f2f2", "#8a8a8a",
                  min_contrast=3.2),
}


def theme(name: str) -> Theme:
    """The theme called ``name`` (one of :data:`THEME_NAMES`)."""
    if name not in THEMES:
        raise ValueError(f"theme must be one of {', '.join(THEME_NAMES)}, got {name!r}")
    return THEMES[name]


# -- colour arithmetic --------------------------------------------------------
def luminance(color: str) -> float:
    """WCAG relative luminance of a colour, 0 (black) .. 1 (white)."""
    c = QColor(color)

    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, 1 .. 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def legible(color: str, background: str, min_ratio: float, toward: str | None = None) -> str:
    """``color`` mixed with ``toward`` (default white, or black on light backgrounds) until its
    contrast with ``background`` reaches ``min_ratio`` (unchanged if it does)."""
    if min_ratio <= 0 or contrast(color, background) >= min_ratio:
        return QColor(color).name()
    c = QColor(color)
    if toward is not None:
        target = QColor(toward)
    else:
        target = QColor("#ffffff") if luminance(background) < 0.5 else QColor("#000000")
    for step in range(1, 21):
        t = step / 20
        mixed = QColor.fromRgbF(c.redF() + t * (target.redF() - c.redF()),
                                c.greenF() + t * (target.greenF() - c.greenF()),
                                c.blueF() + t * (target.blueF() - c.blueF()))
        if contrast(mixed.name(), background) >= min_ratio:
            return mixed.name()
    return target.name()


def outline_color_map(th: Theme):
    """Colour -> that colour legible on ``th``'s plots (None: colours stay as they are).

    The canvas maps class outlines through it; :func:`component_colors` the ellipses.
    """
    if th.min_contrast <= 0:
        return None
    return lambda color: legible(color, th.plot_bg, th.min_contrast)


#: Every component colour stands out from the plot by at least this much (WCAG's
#: contrast for graphics), on every theme: the small components the lessons are about
#: must not fade into the background.
COMPONENT_CONTRAST = 3.0


def component_colors(th: Theme) -> tuple[str, ...]:
    """Ellipse (and handle, and weight bar) colours per component for ``th``: the palette's,
    each darkened or lightened just enough for :data:`COMPONENT_CONTRAST` on the plot."""
    ratio = max(COMPONENT_CONTRAST, th.min_contrast)
    return tuple(legible(c, th.plot_bg, ratio) for c in palette.COMPONENT_COLORS)


def text_color(color: str, th: Theme) -> str:
    """An accent colour made readable as text on the theme's window colour."""
    return legible(color, th.window, 4.5)


# -- applying -----------------------------------------------------------------
_ORIGINAL: list[QPalette] = []  # the application's palette before any theme (the desktop's)


def make_palette(th: Theme) -> QPalette:
    """A complete QPalette for ``th`` (the standard theme: the desktop's own)."""
    if not _ORIGINAL:
        _ORIGINAL.append(QPalette(QApplication.palette()))
    if th.name == "standard":
        return QPalette(_ORIGINAL[0])
    pal = QPalette()
    roles = QPalette.ColorRole
    for role, color in ((roles.Window, th.window), (roles.WindowText, th.text), (roles.Base, th.base),
                        (roles.AlternateBase, th.button), (roles.Text, th.text), (roles.Button, th.button),
                        (roles.ButtonText, th.text), (roles.ToolTipBase, th.base), (roles.ToolTipText, th.text),
                        (roles.Highlight, th.highlight), (roles.HighlightedText, "#ffffff"),
                        (roles.BrightText, "#ff5555"), (roles.Link, th.highlight),
                        (roles.PlaceholderText, th.muted), (roles.Light, th.button), (roles.Midlight, th.button),
                        (roles.Mid, th.muted), (roles.Dark, th.muted), (roles.Shadow, "#000000")):
        pal.setColor(role, QColor(color))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        pal.setColor(disabled, role, QColor(th.muted))
    return pal


def apply_theme(name: str, root: QWidget, restyle=()) -> Theme:
    """Apply theme ``name`` to the application, to every plot under ``root``, and
    to what carries its own colours (each of ``restyle`` is called with the theme:
    the labs' :meth:`~gmmviz.qt.lab.Lab.apply_theme`).

    Parameters
    ----------
    name : {"standard", "light", "dark"}
    root : QWidget
        The main window, or a lab page rendered offscreen.
    restyle : iterable of callables ``f(theme)``

    Returns
    -------
    Theme
    """
    th = theme(name)
    app = QApplication.instance()
    app.setPalette(make_palette(th))
    pg.setConfigOptions(background=th.plot_bg, foreground=th.plot_fg)
    for plot in root.findChildren(pg.PlotWidget):
        style_plot(plot, th)
    for fn in restyle:
        fn(th)
    return th


def style_label(label, th: Theme, pad: str = "3px 6px") -> None:
    """A floating label over a plot (hover read-out, legend) in the theme's colours."""
    label.setStyleSheet(_LABEL_CSS.format(name=label.objectName(), bg=th.label_bg, fg=th.label_fg,
                                          border=th.label_border, pad=pad))


def style_plot(plot: pg.PlotWidget, th: Theme) -> None:
    """Background, axes and grid of one pyqtgraph plot."""
    plot.setBackground(th.plot_bg)
    item = plot.getPlotItem()
    for name in ("left", "bottom", "right", "top"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(th.plot_fg))
        axis.setTextPen(pg.mkPen(th.plot_fg))
    item.showGrid(x=True, y=True, alpha=th.grid_alpha)


def light_icon(icon, size: int = 64):
    """``icon`` with its dark, grey parts turned light (for dark toolbars); colours are kept.

    Qt's standard icons are drawn dark on transparent and vanish on a dark
    theme; the coloured ones (the green tick, the blue arrows) stay readable.
    """
    import numpy as np
    from PySide6.QtGui import QIcon, QImage, QPixmap

    from gmmviz.qt.export.images import image_to_array

    out = QIcon()
    for mode in (QIcon.Mode.Normal, QIcon.Mode.Disabled):
        rgba = image_to_array(icon.pixmap(size, size, mode).toImage()).astype(np.int16)
        rgb = rgba[..., :3]
        grey = ((rgb.max(axis=2) - rgb.min(axis=2)) < 40) & (rgb.max(axis=2) < 150)  # dark ink only
        rgb[grey] = 255 - rgb[grey] if mode == QIcon.Mode.Normal else 170 - rgb[grey] // 3
        data = np.ascontiguousarray(np.clip(rgba, 0, 255).astype(np.uint8))
        h, w = data.shape[:2]  # an icon may come smaller than asked for
        image = QImage(data.data, w, h, 4 * w, QImage.Format.Format_RGBA8888).copy()
        out.addPixmap(QPixmap.fromImage(image), mode)
    return out


def scaled_font(base: QFont, factor: float) -> QFont:
    """``base`` enlarged by ``factor`` (point or pixel sized)."""
    font = QFont(base)
    if base.pointSizeF() > 0:
        font.setPointSizeF(base.pointSizeF() * factor)
    else:
        font.setPixelSize(max(1, round(base.pixelSize() * factor)))
    return font


def scale_plots(root: QWidget, font: QFont) -> None:
    """Tick, axis-label and legend text of every pyqtgraph plot under ``root`` in ``font``
    (a legend keeps pyqtgraph's fixed 9 pt otherwise: small beside its own ticks on a projector)."""
    size = font_size(font)
    for plot in root.findChildren(pg.PlotWidget):
        item = plot.getPlotItem()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setTickFont(font)
            style = {**axis.labelStyle, "font-size": size}
            if axis.labelText:
                axis.setLabel(axis.labelText, units=axis.labelUnits or None, **style)
            else:  # a name given later (a file's column names) keeps this size: setLabel(text) keeps the style
                axis.labelStyle = style
        legend = getattr(item, "legend", None)
        if legend is not None:
            legend.setLabelTextSize(size)  # the rows added later too
            for _, label in legend.items:
                label.setText(label.text)  # (setLabelTextSize keeps the drawn text)
            legend.updateSize()


def font_size(font: QFont) -> str:
    """``font``'s size as pyqtgraph's HTML labels take it ("10.0pt", or "13px")."""
    return f"{font.pointSizeF():.1f}pt" if font.pointSizeF() > 0 else f"{font.pixelSize()}px"


#: Marks a widget whose font :func:`apply_scale` set (it had none of its own).
SCALED_HERE = "gmmvizScaledFont"


def apply_scale(root: QWidget, factor: float, base: QFont | None = None, rescale=()) -> QFont:
    """Scale the text under ``root`` by ``factor`` (each of ``rescale``, the labs'
    :meth:`~gmmviz.qt.lab.Lab.apply_scale`, scales its markers and line widths).

    The font is ``base`` (default: ``root``'s current font) times ``factor``;
    theme colours stay.

    Returns
    -------
    QFont
        The font now set on ``root``.
    """
    font = scaled_font(root.font() if base is None else base, factor)
    root.setFont(font)
    # A widget with a style sheet (a hint, a banner) and what it holds no longer inherit
    # the window's font: hand them the scaled one, unless they chose a font themselves.
    styled = [w for w in root.findChildren(QWidget) if w.styleSheet()]
    for widget in {id(x): x for w in styled for x in (w, *w.findChildren(QWidget))}.values():
        own = widget.testAttribute(Qt.WidgetAttribute.WA_SetFont) and not widget.property(SCALED_HERE)
        if not own:
            widget.setFont(font)
            widget.setProperty(SCALED_HERE, True)  # its font is the window's, scaled: again next time
    scale_plots(root, font)
    for fn in rescale:  # after the plots' text: a lab may place things by its size
        fn(factor)
    return font
