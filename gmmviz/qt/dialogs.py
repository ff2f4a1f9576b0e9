"""Small dialogs: the shortcut cheat sheet and About."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

import gmmviz
from gmmviz.qt.actions import shortcut_rows


def cheat_sheet_html() -> str:
    """Every action with a shortcut, from the same table the actions come from."""
    rows, menu = [], None
    for m, text, keys in shortcut_rows():
        if m != menu:
            rows.append(f"<tr><td colspan='2'><h3 style='margin:10px 0 2px 0'>{html.escape(m)}</h3></td></tr>")
            menu = m
        rows.append(f"<tr><td style='padding-right:24px'>{html.escape(text)}</td>"
                    f"<td><b>{html.escape(keys)}</b></td></tr>")
    return "<table>" + "".join(rows) + "</table>"


class CheatSheet(QDialog):
    """F1 / ?: all shortcuts, never stale."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("gmmviz — keyboard shortcuts")
        self.label = QLabel(cheat_sheet_html())
        self.label.setTextFormat(Qt.TextFormat.RichText)
        scroll = QScrollArea()
        scroll.setWidget(self.label)
        scroll.setWidgetResizable(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        self.resize(520, 640)


ABOUT = f"""
<h2>gmmviz {gmmviz.__version__}</h2>
<p>Watch Expectation-Maximisation fit a Gaussian mixture, live.</p>
<p>Lecture topics: the mixture model z<sub>t</sub> ~ Mult(θ), x<sub>t</sub> | z<sub>t</sub> = i ~ N(μ<sub>i</sub>, Σ<sub>i</sub>)
and ancestral sampling; EM with responsibilities r<sub>ti</sub> = P(z<sub>t</sub> = i | x<sub>t</sub>, θ) and the closed-form
M-step; the lower bound ln p(x|θ) ≥ Q(θ|θ<sup>(k)</sup>) + H with H = −Σ r ln r ≥ 0 (minorise–maximise).</p>
<p>Licence: MIT.<br>Data: Old Faithful, R datasets::faithful (Härdle 1991; Azzalini &amp; Bowman 1990).</p>
<p>Colours: Okabe &amp; Ito (classes) and Paul Tol's muted scheme (components), both colour-blind safe.</p>
"""
