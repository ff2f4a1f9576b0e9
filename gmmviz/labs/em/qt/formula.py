"""The formula strip: what the half-step on screen just computed, with its numbers.

For the frame shown it states the update in the lecture's notation (Qt rich
text: sub- and superscripts, Greek; no browser engine) and the current
values of ln p(X|θ), Q, H, Q + H and the KL gap, with the change in ln p
since the previous half-step.  Text only: nothing here computes EM.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from gmmviz.labs.em.core.types import EMSnapshot
from gmmviz.labs.em.qt.panels.curves import BOUND_COLOR, LL_COLOR, value_rows


def _s(base: str, sub: str) -> str:
    return f"{base}<sub>{sub}</sub>"


R_TK, X_T, N_K = _s("r", "tk"), _s("x", "t"), _s("N", "k")
PI_K, MU_K, SIGMA_K = _s("π", "k"), _s("μ", "k"), _s("Σ", "k")
SUM_T, SUM_J, SUM_K = _s("Σ", "t"), _s("Σ", "j"), _s("Σ", "k")
NORMAL = "<i>N</i>"

E_FORMULA = (f"{R_TK} = {PI_K} {NORMAL}({X_T} | {MU_K}, {SIGMA_K}) / "
             f"{SUM_J} {_s('π', 'j')} {NORMAL}({X_T} | {_s('μ', 'j')}, {_s('Σ', 'j')})")
_DEV = f"({X_T} − {MU_K})"
COVARIANCE_FORMULAS = {
    "full": f"{SIGMA_K} = {SUM_T} {R_TK} {_DEV}{_DEV}<sup>T</sup> / {N_K}",
    "diag": f"σ<sup>2</sup><sub>kd</sub> = {SUM_T} {R_TK} ({_s('x', 'td')} − {_s('μ', 'kd')})<sup>2</sup> / {N_K}",
    "spherical": f"σ<sup>2</sup><sub>k</sub> = {SUM_T} {R_TK} ‖{X_T} − {MU_K}‖<sup>2</sup> / (2 {N_K})",
    "tied": f"Σ = {SUM_K} {SUM_T} {R_TK} {_DEV}{_DEV}<sup>T</sup> / N",
}


def m_formula(covariance_type: str) -> str:
    """The M-step updates (rich text) for one covariance type."""
    return (f"{N_K} = {SUM_T} {R_TK},&nbsp;&nbsp; {PI_K} = {N_K} / N,&nbsp;&nbsp; "
            f"{MU_K} = {SUM_T} {R_TK} {X_T} / {N_K},&nbsp;&nbsp; {COVARIANCE_FORMULAS[covariance_type]}")


def _delta(value: float) -> str:
    if value is None or not math.isfinite(value):
        return ""
    return f" ({'+' if value >= 0 else '−'}{abs(value):,.4f})"


def formula_html(snap: EMSnapshot | None, previous: EMSnapshot | None = None, *,
                 e_color: str = BOUND_COLOR, m_color: str = LL_COLOR) -> tuple[str, str]:
    """The strip's two lines for the half-step ``snap``.

    Parameters
    ----------
    snap : EMSnapshot or None
        The half-step on screen (None: no run yet).
    previous : EMSnapshot or None
        The half-step before it, for the change in ln p.
    e_color, m_color : str
        The E- and M-step colours (the curves panel's Q + H and ln p colours).

    Returns
    -------
    formula, values : str
        Rich text: the update just computed, and the current values with a
        one-line reading of them.
    """
    if snap is None:
        return ("<b>EM</b>: add points, then press <b>E</b>, <b>M</b> or <b>Space</b>.", "")
    k = snap.params.n_components
    if snap.phase == "init":
        head = f"<b>Initialisation</b>: θ<sup>(0)</sup> = ({PI_K}, {MU_K}, {SIGMA_K}), k = 1…{k}"
        note = "next, the E-step: how responsible is each component for each point?"
    elif snap.phase == "E":
        head = f"<b style='color:{e_color}'>E-step {snap.iteration}</b>: {E_FORMULA}"
        note = "θ fixed: the bound Q + H touches ln p (KL = 0)"
    else:
        head = f"<b style='color:{m_color}'>M-step {snap.iteration}</b>: {m_formula(snap.params.covariance_type)}"
        note = "r fixed: Q is maximised, ln p rises, the gap KL ≥ 0 opens"
    formula = f"<span style='font-size:large'>{head}</span>"
    return formula, _values_html(snap, previous, e_color, m_color) + f"&nbsp;&nbsp; <i>({note})</i>"


def _values_html(snap: EMSnapshot, previous: EMSnapshot | None, e_color: str, m_color: str) -> str:
    change = None if previous is None else snap.log_likelihood - previous.log_likelihood
    rows = value_rows(snap, m_color, e_color, kl="KL = ln p − (Q + H)")
    parts = [f"{label} = <b>{value}</b>" for label, value in rows[:1 if snap.phase == "init" else None]]
    parts[0] += _delta(change)
    return " &nbsp;·&nbsp; ".join(parts)


class FormulaStrip(QFrame):
    """A strip above the canvas showing :func:`formula_html` for each frame.

    Feed it with :meth:`show_snapshot` (the presentation controller connects
    ``EMStudio.frame_shown``).  It has no signals.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("formulaStrip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._accents = (BOUND_COLOR, LL_COLOR)
        self._shown: tuple[EMSnapshot | None, EMSnapshot | None] = (None, None)
        self.formula = QLabel()
        self.values = QLabel()
        for label in (self.formula, self.values):
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.setSpacing(2)
        layout.addWidget(self.formula)
        layout.addWidget(self.values)
        self.show_snapshot(None)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._fit_height()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        self._fit_height()  # a new font (presentation scale) wraps differently

    def _fit_height(self) -> None:
        """Docks ignore height-for-width: take exactly the height the wrapped text needs."""
        layout = self.layout()
        if layout is not None:
            frame = 2 * self.frameWidth()
            height = layout.heightForWidth(max(self.width() - frame, 200)) + frame
            if height > 0 and height != self.height():
                self.setFixedHeight(height)

    def set_accents(self, e_color: str, m_color: str) -> None:
        """Colours of the E- and M-step names (readable on the current theme)."""
        self._accents = (e_color, m_color)
        self.show_snapshot(*self._shown)

    def show_snapshot(self, snap: EMSnapshot | None, previous: EMSnapshot | None = None) -> None:
        """Describe half-step ``snap`` (``previous`` gives the change in ln p)."""
        self._shown = (snap, previous)
        formula, values = formula_html(snap, previous, e_color=self._accents[0], m_color=self._accents[1])
        self.formula.setText(formula)
        self.values.setText(values)
        self.values.setVisible(bool(values))
        self._fit_height()

    def text(self) -> str:
        """Both texts as shown (rich text), for tests and accessibility."""
        return self.formula.text() + "\n" + self.values.text()
