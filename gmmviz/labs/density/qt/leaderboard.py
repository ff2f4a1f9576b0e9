"""The leaderboard: every estimator at its current and at its best setting, by held-out mean ln p.

A score of -inf (a held-out point where the estimate is zero) is shown as
"−∞", with the number of such points; a score not computed yet as "…".  On a
generated sample the last column is each estimate's integrated squared error
to the true density.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
)

HEADERS = ("estimator", "setting", "train", "test", "best setting", "best test", "ISE to truth")
TOP_COLOR = "#2e7d32"
#: The columns of words (estimator, setting, best setting): on a narrow table they wrap, never the numbers.
TEXT_COLUMNS = (0, 1, 4)


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
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)  # a cell wraps; "bins…" hid the very setting
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # (see fit_columns)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.rows = ()

    def show_rows(self, rows) -> None:
        self.rows = tuple(rows)
        self.setRowCount(len(self.rows))
        changed = False
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
                    changed = True
                if j in (0, 1) and item.toolTip() != r.note:
                    item.setToolTip(r.note)
                bold = j == 3 and top is not None and r.test == top and r.family != "truth"
                if item.font().bold() != bold:
                    font = item.font()
                    font.setBold(bold)
                    item.setFont(font)
                    item.setForeground(QBrush(QColor(TOP_COLOR)) if bold else QBrush())
                    changed = True
        if changed:
            self.fit_columns()

    def fit_columns(self) -> None:
        """Every column as wide as its text; on a table too narrow for that (a projector's large text),
        the columns of words give up what is missing, in proportion, down to their longest word, and
        wrap: no number and no setting is cut off.  Wider than needed, the setting column takes the rest."""
        header = self.horizontalHeader()
        want = [max(self.sizeHintForColumn(j), header.sectionSizeHint(j)) for j in range(self.columnCount())]
        missing = sum(want) - self.viewport().width()
        if missing <= 0:
            want[1] -= missing
        else:
            give = {j: max(want[j] - self._longest_word(j), 0) for j in TEXT_COLUMNS}
            total = sum(give.values())
            for j in TEXT_COLUMNS if total else ():
                want[j] -= int(math.ceil(min(missing, total) * give[j] / total))
        for j, width in enumerate(want):
            if header.sectionSize(j) != width:
                header.resizeSection(j, width)

    def _longest_word(self, column: int) -> int:
        """The widest word of ``column`` (its header's too), with a cell's padding (what the delegate's
        width adds to the widest cell's text)."""
        texts = [item.text() for i in range(self.rowCount()) if (item := self.item(i, column))]
        metrics = self.fontMetrics()
        padding = self.sizeHintForColumn(column) - max((metrics.horizontalAdvance(t) for t in texts), default=0)
        words = {w for t in texts for w in t.split()} | set(HEADERS[column].split())
        return max((metrics.horizontalAdvance(w) for w in words), default=0) + max(padding, 0)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.fit_columns()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.fit_columns()

    def cell_text(self, family: str, column: str) -> str:
        """The text of ``column`` (a header) in ``family``'s row (for tests and the status line)."""
        i = next(i for i, r in enumerate(self.rows) if r.family == family)
        return self.item(i, HEADERS.index(column)).text()

    def cell_tip(self, family: str, column: str) -> str:
        """The tooltip of ``column`` in ``family``'s row."""
        i = next(i for i, r in enumerate(self.rows) if r.family == family)
        return self.item(i, HEADERS.index(column)).toolTip()
