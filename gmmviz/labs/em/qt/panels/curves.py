"""The log-likelihood and the EM lower bound per half-step, with their gap.

x is the half-step index (0 = initialisation, then E1, M1, E2, ...).
ln p(X|θ) is a solid line, Q + H a dashed one; after every E-step they
touch (the bound is tight), after every M-step the bound lies below the new
ln p.  The shaded gap is KL(r || posterior) = ln p - (Q + H) >= 0.  For
variational Bayes the dashed line is the ELBO, and a dotted green line is
the held-out ln p (the points the studio's VB run holds out, scaled to the
fitted points' count so that it reads against their ln p).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QWidget,
)

from gmmviz.labs.em.core.types import EMSnapshot
from gmmviz.qt.canvas.sprites import zoomed_scale
from gmmviz.qt.style import cache_axes

#: The x-axis title, longest first: the longest that fits under the plot is shown
#: (four Ctrl+= on a small screen leave room for the short one only).
X_TITLES = ("half-step (0 = init; E, M, E, M, …)", "half-step (E, M, …)", "half-step")

LL_COLOR = "#0072B2"  # ln p(X|θ), and the M-step (which raises it)
BOUND_COLOR = "#D55E00"  # Q + H, and the E-step (which makes it touch ln p)
HELD_OUT_COLOR = "#009E73"  # variational Bayes' held-out ln p
CURSOR_COLOR = "#777777"
INIT_COLOR = "#555555"


def fmt(value: float) -> str:
    """A value with four decimals and a typographic minus ("—" when undefined); a value
    that rounds to zero is "0.0000", never "−0.0000"."""
    if value is None or not np.isfinite(value):
        return "—"
    text = f"{value:,.4f}"
    return "0.0000" if text.lstrip("-").strip("0.,") == "" else text.replace("-", "−")


def step_text(snap: EMSnapshot) -> str:
    """"initialisation" or "12 · M-step": the words the status bar and the export captions use too."""
    return "initialisation" if snap.phase == "init" else f"{snap.iteration} · {snap.phase}-step"


def value_rows(snap: EMSnapshot, ll_color: str = LL_COLOR, bound_color: str = BOUND_COLOR, *,
               kl: str = "KL gap") -> list[tuple[str, str]]:
    """(label, value) rich-text pairs of ``snap``: ln p, Q, H, Q + H and the KL gap (for VB: ln p at the
    point estimates, the ELBO, H[q(z)] and their difference; gradient ascent adds |grad| and the step).

    ``ll_color`` and ``bound_color`` colour the ln p and Q + H labels (the
    curves' colours, or a theme's legible versions of them); ``kl`` is the
    gap's label.  The curves panel and the formula strip both show these.
    """
    algorithm = getattr(snap, "algorithm", "em")
    if algorithm == "vb":
        return [
            (f"<span style='color:{ll_color}'>ln p(X|θ̂)</span>", fmt(snap.log_likelihood)),
            (f"<span style='color:{bound_color}'>ELBO</span>", fmt(snap.lower_bound)),
            ("H[q(z)]", fmt(snap.entropy)),
            ("ln p − ELBO", fmt(snap.gap)),
            *held_out_rows(snap),
        ]
    rows = [
        (f"<span style='color:{ll_color}'>ln p(X|θ)</span>", fmt(snap.log_likelihood)),
        ("Q(θ|θ<sub>old</sub>)", fmt(snap.q)),
        ("H = −Σ r ln r", fmt(snap.entropy)),
        (f"<span style='color:{bound_color}'>Q + H</span>", fmt(snap.lower_bound)),
        (kl, fmt(snap.gap)),
    ]
    if algorithm in ("ga", "ga-score"):
        rows += [("|∇ ln p| / N", fmt(snap.grad_norm)), ("step", fmt(snap.step_size))]
    return rows


def held_out_rows(snap) -> list[tuple[str, str]]:
    """VB's held-out ln p: summed over the held-out points, and per point (none without held-out points)."""
    m = getattr(snap, "held_out_points", 0)
    if m <= 0:
        return []
    return [(f"<span style='color:{HELD_OUT_COLOR}'>held-out ln p</span> ({m:,} pts)",
             fmt(snap.held_out_log_likelihood)),
            ("held-out ln p / point", fmt(snap.held_out_log_likelihood / m))]


def held_out_legend(snap) -> str:
    """The held-out curve's legend entry: what it is, what share was held out, and its scale."""
    m = getattr(snap, "held_out_points", 0)
    if m <= 0:
        return ""
    n = snap.n_points
    return (f"<br><span style='color:{HELD_OUT_COLOR}'>┈┈</span> held-out ln p × {n / m:.3g}"
            f"<br>&nbsp;&nbsp;({100 * m / (n + m):.0f} % of the points, seeded, not fitted)")


def gap_label(snap: EMSnapshot | None) -> str:
    """What the shading is: the KL gap, or for VB ln p at the point estimates minus the ELBO (no KL)."""
    return "ln p − ELBO" if getattr(snap, "algorithm", "em") == "vb" else "KL gap"


def objective_label(snap: EMSnapshot | None) -> str:
    """What the dashed curve is: Q + H, or the ELBO for variational Bayes."""
    return "ELBO" if getattr(snap, "algorithm", "em") == "vb" else "Q + H"


#: Half-steps on screen when the zoom follows the cursor.
RECENT = 8
#: The narrowest y-range (nats): ticks need no more than a few decimals.
MIN_SPAN = 1e-3


class CurvesPanel(QWidget):
    """Long-lived curve items, updated with ``setData`` only.

    Two settings (the EM lab's View menu): :attr:`follow` zooms on the
    :data:`RECENT` half-steps up to the cursor, so the bound touching ln p after
    an E-step and falling below it after an M-step stays visible late in a run;
    :attr:`whole_run` draws the steps after the cursor too (off: the curve grows
    as the class watches, no spoilers).
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.follow = True
        self.whole_run = False
        self._data: dict[str, np.ndarray] | None = None
        self._cursor = -1
        self._scale = 1.0
        self._cursor_color, self._init_color = CURSOR_COLOR, INIT_COLOR
        self._text_colors = (LL_COLOR, BOUND_COLOR)  # ln p and Q + H as text (legend, values)
        self._snap: EMSnapshot | None = None
        self._build_ui()

    def _build_ui(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plot = pg.PlotWidget()
        self.plot.setMinimumHeight(140)
        item = self.plot.getPlotItem()
        cache_axes(item)
        item.setLabel("bottom", X_TITLES[0])
        item.vb.sigResized.connect(self._fit_x_title)
        item.setLabel("left", "nats")
        item.showGrid(x=True, y=True, alpha=0.2)
        item.setMenuEnabled(False)
        self.ll_curve = pg.PlotCurveItem()
        self.bound_curve = pg.PlotCurveItem()
        self.held_out_curve = pg.PlotCurveItem()
        # The KL gap: one polygon between ln p and the bound (ln p >= Q + H,
        # so they never cross). pyqtgraph's FillBetweenItem handles crossing
        # curves with path operations: 14 ms per curve update at 400 steps.
        self.gap = QGraphicsPathItem()
        self.gap.setPen(QPen(Qt.PenStyle.NoPen))
        self.gap.setBrush(pg.mkBrush(0, 114, 178, 45))
        self.e_dots = pg.ScatterPlotItem(symbol="o")
        self.m_dots = pg.ScatterPlotItem(symbol="s")
        self.init_dot = pg.ScatterPlotItem(symbol="t")
        self.cursor_line = pg.InfiniteLine(angle=90, movable=False)
        item.addItem(self.gap, ignoreBounds=True)  # the curves set the range
        for it in (self.ll_curve, self.bound_curve, self.held_out_curve, self.e_dots, self.m_dots, self.init_dot,
                   self.cursor_line):
            item.addItem(it)
        self.numbers = QLabel()
        self.numbers.setTextFormat(Qt.TextFormat.RichText)
        self.numbers.setMinimumWidth(190)
        self.numbers.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.numbers.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.numbers)
        self.set_scale(1.0)
        self.show_values(None)

    def set_scale(self, factor: float) -> None:
        """Thicker lines and bigger markers (presentation mode)."""
        self._scale = factor
        w = 2.0 * factor
        self.ll_curve.setPen(pg.mkPen(LL_COLOR, width=w))
        self.bound_curve.setPen(pg.mkPen(BOUND_COLOR, width=w, style=Qt.PenStyle.DashLine))
        self.held_out_curve.setPen(pg.mkPen(HELD_OUT_COLOR, width=w, style=Qt.PenStyle.DotLine))
        size = 7 * factor
        self.e_dots.setSize(size)
        self.e_dots.setPen(pg.mkPen(BOUND_COLOR, width=1.5 * factor))
        self.e_dots.setBrush(pg.mkBrush("w"))
        self.m_dots.setSize(size)
        self.m_dots.setPen(pg.mkPen(LL_COLOR, width=1.5 * factor))
        self.m_dots.setBrush(pg.mkBrush(LL_COLOR))
        self.init_dot.setSize(size * 1.3)
        self.init_dot.setBrush(pg.mkBrush(self._init_color))
        self.cursor_line.setPen(pg.mkPen(self._cursor_color, width=1.5 * factor, style=Qt.PenStyle.DotLine))

    def _fit_x_title(self, *_args) -> None:
        axis = self.plot.getPlotItem().getAxis("bottom")
        room = self.plot.getPlotItem().vb.width()
        font = QFont(axis.label.font())  # the title's size is in its style (scale_plots sets it)
        size = str(axis.labelStyle.get("font-size", ""))
        if size.endswith("pt"):
            font.setPointSizeF(float(size[:-2]))
        elif size.endswith("px"):
            font.setPixelSize(round(float(size[:-2])))
        metrics = QFontMetricsF(font)
        title = next((t for t in X_TITLES if metrics.horizontalAdvance(t) <= room), X_TITLES[-1])
        if axis.labelText != title:
            axis.setLabel(title)

    def drawn_at(self, zoom: float):
        """Lines and markers ``zoom`` times wider for the moment of an export
        drawn that much larger (Qt's cosmetic pens ignore the painter's scale)."""
        return zoomed_scale(self.set_scale, self._scale, zoom)

    def set_colors(self, *, cursor: str | None = None, init: str | None = None,
                   ll_text: str | None = None, bound_text: str | None = None) -> None:
        """Theme colours (None: the default): the cursor line, the initial-value
        marker, and ln p and Q + H where they are text (the legend, the values).

        They are kept: :meth:`set_scale` and :meth:`show_values` draw with them.
        """
        self._cursor_color, self._init_color = cursor or CURSOR_COLOR, init or INIT_COLOR
        self._text_colors = (ll_text or LL_COLOR, bound_text or BOUND_COLOR)
        self.set_scale(self._scale)
        self.show_values(self._snap)

    def set_curves(self, curves: dict[str, np.ndarray] | None) -> None:
        """All half-steps computed so far (``RunHistory.curves()``), or None."""
        self._data = None if curves is None or curves["ll"].size == 0 else curves
        self._redraw()

    def set_cursor(self, index: int) -> None:
        """The half-step on screen: the cursor line, and what is drawn and zoomed on."""
        self._cursor = index
        self.cursor_line.setValue(index)
        self._redraw()

    def set_view(self, *, follow: bool | None = None, whole_run: bool | None = None) -> None:
        """Change :attr:`follow` or :attr:`whole_run` and redraw."""
        self.follow = self.follow if follow is None else bool(follow)
        self.whole_run = self.whole_run if whole_run is None else bool(whole_run)
        self._redraw()

    def _redraw(self) -> None:
        item = self.plot.getPlotItem()
        if self._data is None:
            for it in (self.ll_curve, self.bound_curve, self.held_out_curve, self.e_dots, self.m_dots, self.init_dot):
                it.setData([], [])
            self.gap.setPath(QPainterPath())
            item.setRange(xRange=(0, 10), yRange=(-1, 1))
            return
        n = self._data["ll"].size
        end = n if self.whole_run or self._cursor < 0 else min(n, self._cursor + 1)
        ll, bound, phase = (self._data[k][:end] for k in ("ll", "bound", "phase"))
        x = np.arange(ll.size, dtype=float)
        ok = np.isfinite(ll)
        self.init_dot.setData(x[:1][ok[:1]], ll[:1][ok[:1]])
        tail = slice(1, None)  # the bound starts at the first E-step
        good = ok[tail] & np.isfinite(bound[tail])
        xs, top, bottom = x[tail][good], ll[tail][good], bound[tail][good]
        self.ll_curve.setData(xs, top)
        self.bound_curve.setData(xs, bottom)
        self.gap.setPath(_band(xs, top, bottom))
        held = self._data.get("held_out", np.full(n, np.nan))[:end]
        shown = np.isfinite(held)
        self.held_out_curve.setData(x[shown], held[shown])
        e, m = (phase == 1) & ok, (phase == 2) & ok
        self.e_dots.setData(x[e], ll[e])
        self.m_dots.setData(x[m], bound[m])
        self._zoom(x, ll, bound, n, held)

    def _zoom(self, x: np.ndarray, ll: np.ndarray, bound: np.ndarray, n: int, held: np.ndarray) -> None:
        """The whole run, or the recent half-steps up to the cursor; never narrower than MIN_SPAN."""
        last = len(x) - 1 if self._cursor < 0 else min(self._cursor, len(x) - 1)
        first = max(0, last - RECENT) if self.follow and last > RECENT else 0
        window = slice(first, last + 1)
        values = np.r_[ll[window], bound[window], held[window]]
        values = values[np.isfinite(values)]
        x_hi = max(last + 1, RECENT) if self.follow else max(n - 1, 1)
        if values.size == 0:
            self.plot.getPlotItem().setRange(xRange=(first, x_hi))
            return
        lo, hi = float(values.min()), float(values.max())
        if hi - lo < MIN_SPAN:
            mid = 0.5 * (lo + hi)
            lo, hi = mid - MIN_SPAN / 2, mid + MIN_SPAN / 2
        pad = 0.08 * (hi - lo)
        self.plot.getPlotItem().setRange(xRange=(first - 0.5, x_hi + 0.5), yRange=(lo - pad, hi + pad), padding=0)

    def show_values(self, snap: EMSnapshot | None) -> None:
        """ln p, Q, H, Q + H and the KL gap of the half-step on screen."""
        self._snap = snap
        ll, bound = self._text_colors
        legend = (f"<span style='color:{ll}'>━━</span> ln p(X|θ)&nbsp; "
                  f"<span style='color:{bound}'>╍╍</span> {objective_label(snap)}<br>"
                  f"<span style='color:{bound}'>○</span> E-step&nbsp; "
                  f"<span style='color:{ll}'>■</span> M-step&nbsp; "
                  f"<span style='background:rgba(0,114,178,0.18)'>&nbsp;&nbsp;&nbsp;</span> {gap_label(snap)}"
                  f"{held_out_legend(snap)}")
        if snap is None:
            self.numbers.setText(f"{legend}<p><i>No run yet</i></p>")
            return
        rows = [("iteration", step_text(snap)), *value_rows(snap, ll, bound)]
        body = "".join(f"<tr><td>{k}&nbsp;</td><td align='right'><b>{v}</b></td></tr>" for k, v in rows)
        self.numbers.setText(f"{legend}<table cellspacing='2'>{body}</table>")


def _band(x: np.ndarray, top: np.ndarray, bottom: np.ndarray) -> QPainterPath:
    """The closed region between two curves over the same ``x``."""
    path = QPainterPath()
    if x.size >= 2:
        path = pg.arrayToQPath(np.r_[x, x[::-1]], np.r_[top, bottom[::-1]])
        path.closeSubpath()
    return path
