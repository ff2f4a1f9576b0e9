"""The leaderboard: every estimator at its current and at its best setting, by held-out mean ln p.

A score of -inf (a held-out point where the estimate is zero) is shown as
"−∞", with the number of such points; a score not computed yet as "…".  On a
generated sample the last column is each estimate's integrated squared error
to the true density.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
)

HEADERS = ("estimator", "setting", "train", "test", "best setting", "best test", "ISE to truth")
TOP_COLOR = "#2e7d32"


def score_text(value: float) -> str:
    """A mean log-likelihood for the table: "−∞", "…" (not yet), or four decimals with a real minus."""
    if value is None or math.isnan(value):
        return "…"
    if value == -math.inf:
        return "−∞"
    return f"{value:.4f}".replace("-", "−")


class Leaderboard(QTableWidget):
    """Rows of :class:`~gmmviz.labs.density.core.view.Row`, the best current test score in bold green."""

    def __init__(self, parent=None):
        super().__init__(0, len(HEADERS), parent)
        self.setObjectName("leaderboard")
        self.setHorizontalHeaderLabels(HEADERS)
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.rows = ()

    def show_rows(self, rows) -> None:
        self.rows = tuple(rows)
        self.setRowCount(len(self.rows))
        scored = [r.test for r in self.rows if r.family != "truth" and not math.isnan(r.test)]
        top = max(scored) if scored else None
        for i, r in enumerate(self.rows):
            test = score_text(r.test) + (f"  ({r.n_zero} pts p = 0)" if r.n_zero else "")
            best_test = "" if r.family == "truth" else score_text(r.best_test)
            ise = "" if math.isnan(r.ise) else f"{r.ise:.3g}"
            cells = (r.title, r.setting, score_text(r.train), test, r.best, best_test, ise)
            for j, text in enumerate(cells):
                item = self.item(i, j)
                if item is None:
                    item = QTableWidgetItem()
                    if j >= 2:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.setItem(i, j, item)
                if item.text() != text:  # only what changed (a sweep's results arrive one by one)
                    item.setText(text)
                bold = j == 3 and top is not None and r.test == top and r.family != "truth"
                if item.font().bold() != bold:
                    font = item.font()
                    font.setBold(bold)
                    item.setFont(font)
                    item.setForeground(QBrush(QColor(TOP_COLOR)) if bold else QBrush())

    def cell_text(self, family: str, column: str) -> str:
        """The text of ``column`` (a header) in ``family``'s row (for tests and the status line)."""
        i = next(i for i, r in enumerate(self.rows) if r.family == family)
        return self.item(i, HEADERS.index(column)).text()
