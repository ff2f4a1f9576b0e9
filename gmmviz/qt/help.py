"""The shortcut cheat sheet (an overlay on the window) and the About text.

The cheat sheet is generated from the window's ``action_specs`` (the
shell's :data:`gmmviz.qt.actions.ACTIONS` and every lab's), the tables the
actions themselves come from, so it lists every shortcut that works.  It is drawn on top of the
window in large type (readable from the back of a lecture hall) and
closes on Esc, F1, ? or a click.
"""

from __future__ import annotations

import html
import re
from itertools import groupby

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

import gmmviz
from gmmviz.qt.actions import MENUS, shortcut_rows

MAX_POINT_SIZE, MIN_POINT_SIZE = 22, 7
CLOSE_KEYS = (Qt.Key.Key_Escape, Qt.Key.Key_F1, Qt.Key.Key_Question)
COMMAND_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier


def menu_groups(specs=None) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(menu, [(action text, shortcuts), ...]), ...] in menu order, shortcuts only,
    for ``specs`` (default: the shell's actions; a window passes its labs' too)."""
    rows = sorted(shortcut_rows(specs), key=lambda r: MENUS.index(r[0]) if r[0] in MENUS else len(MENUS))
    return [(menu, [(text, keys) for _, text, keys in group]) for menu, group in groupby(rows, key=lambda r: r[0])]


def merge_numbered(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Runs like ("Class 1", "1") … ("Class 9", "9") become one row ("Class 1–9", "1–9")."""
    out: list[tuple[str, str]] = []
    run: list[tuple[str, int]] = []

    def flush() -> None:
        if len(run) >= 3:
            (prefix, first), (_, last) = run[0], run[-1]
            out.append((f"{prefix}{first}–{last}", f"{first}–{last}"))
        else:
            out.extend((f"{p}{n}", str(n)) for p, n in run)
        run.clear()

    for text, keys in rows:
        m = re.fullmatch(r"(.*\D)(\d+)", text)
        numbered = m is not None and keys == m[2]
        if numbered and run and run[-1][0] == m[1] and int(m[2]) == run[-1][1] + 1:
            run.append((m[1], int(m[2])))
            continue
        flush()
        if numbered:
            run.append((m[1], int(m[2])))
        else:
            out.append((text, keys))
    flush()
    return out


def _keycaps(keys: str, bg: str, fg: str) -> str:
    caps = [f"<span style='background-color:{bg}; color:{fg}'>&nbsp;{html.escape(k.strip())}&nbsp;</span>"
            for k in keys.split(",")]
    return " ".join(caps)


def menu_html(menu: str, rows: list[tuple[str, str]], *, cap_bg: str = "#e8e8e8", cap_fg: str = "#000000",
              accent: str = "#0050a0", merge: bool = True) -> str:
    """One menu's shortcuts as a rich-text table (``merge``: numbered runs on one row)."""
    rows = merge_numbered(rows) if merge else rows
    body = "".join(f"<tr><td style='padding-right:14px'>{html.escape(text)}</td>"
                   f"<td><b>{_keycaps(keys, cap_bg, cap_fg)}</b></td></tr>" for text, keys in rows)
    return (f"<div style='color:{accent}; font-size:large'><b>{html.escape(menu)}</b></div>"
            f"<table cellspacing='0' cellpadding='2'>{body}</table>")


def cheat_sheet_html(specs=None) -> str:
    """Every action of ``specs`` with a shortcut, from the same table the actions come from."""
    return "".join(menu_html(menu, rows, merge=False) for menu, rows in menu_groups(specs))


class CheatSheetOverlay(QWidget):
    """F1 / ?: every shortcut, drawn over the window; Esc, F1, ? or a click close it.

    It has no signals; :func:`toggle_cheat_sheet` creates one per window.
    """

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("cheatSheetOverlay")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.card = QFrame(self)
        self.card.setObjectName("cheatCard")
        self.body = QLabel()
        self.body.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self.card)
        layout.setContentsMargins(28, 18, 28, 22)
        layout.addWidget(self.body)
        self._colors = ("#e4e4e4", "#000000", "#0050a0")
        self._fitted: dict = {}  # (room, theme) -> (points, columns)
        window.installEventFilter(self)
        self.hide()

    # -- content ------------------------------------------------------------
    def open(self) -> None:
        """(Re)build from the action table, fit to the window, show and take the keyboard."""
        self.setGeometry(self.parentWidget().rect())
        self._style()
        self._fit()
        self.raise_()
        self.show()
        self.setFocus(Qt.FocusReason.PopupFocusReason)

    def _style(self) -> None:
        pal = self.parentWidget().palette()
        window, text = pal.color(QPalette.ColorRole.Window), pal.color(QPalette.ColorRole.WindowText)
        dark = window.lightnessF() < 0.5
        self._colors = ("#3a3d42", "#ffffff", "#7cc0ff") if dark else ("#e4e4e4", "#000000", "#0050a0")
        self.card.setStyleSheet(f"QFrame#cheatCard {{ background: {window.name()}; border: 2px solid {self._colors[2]};"
                                f" border-radius: 14px; }} QLabel {{ color: {text.name()}; }}")

    def sheet_html(self, columns: int) -> str:
        """The whole sheet as rich text: a title and the menus in ``columns`` columns."""
        cap_bg, cap_fg, accent = self._colors
        groups = menu_groups(getattr(self.parentWidget(), "action_specs", None))
        heights = [len(merge_numbered(rows)) + 2 for _, rows in groups]
        target, cols, filled = sum(heights) / columns, [[]], 0
        for (menu, rows), h in zip(groups, heights):
            if cols[-1] and filled + h / 2 > target and len(cols) < columns:
                cols.append([])
                filled = 0
            cols[-1].append(menu_html(menu, rows, cap_bg=cap_bg, cap_fg=cap_fg, accent=accent) + "<br>")
            filled += h
        cells = "".join(f"<td valign='top' style='padding-right:32px'>{''.join(c)}</td>" for c in cols)
        title = (f"<span style='font-size:x-large'><b>Keyboard shortcuts</b></span>&nbsp;&nbsp;&nbsp;"
                 f"<span style='color:{accent}'>Esc, F1 or a click closes this</span>")
        return f"{title}<table cellspacing='0'><tr>{cells}</tr></table>"

    def _fit(self) -> None:
        """The largest type (with the best column count) that fits in the window.

        Text grows about linearly with its point size, so one layout per
        column count predicts the size; one or two more confirm it.  The
        answer is kept per window size (reopening is instant).
        """
        room = self.rect().adjusted(16, 16, -16, -16).size()
        key = (room.width(), room.height(), self.parentWidget().palette().color(QPalette.ColorRole.Window).name())
        if key not in self._fitted:
            self._fitted[key] = self._search(room)
        points, columns = self._fitted[key]
        self._fits(points, columns, room)
        self._place(self.card.sizeHint().boundedTo(room))

    def _search(self, room) -> tuple[int, int]:
        probe, guesses = 10, []
        for columns in (3, 4, 2):
            self._fits(probe, columns, room)
            hint = self.card.sizeHint()
            ratio = min(room.width() / max(hint.width(), 1), room.height() / max(hint.height(), 1))
            guesses.append((min(MAX_POINT_SIZE, int(probe * ratio)), columns))
        for points, columns in sorted(guesses, reverse=True):
            while points >= MIN_POINT_SIZE and not self._fits(points, columns, room):
                points -= 1
            if points >= MIN_POINT_SIZE:
                return points, columns
        return MIN_POINT_SIZE, 3

    def _fits(self, points: int, columns: int, room) -> bool:
        font = self.font()
        font.setPointSize(points)
        self.body.setFont(font)  # on the label itself: style sheets defer inherited fonts
        self.body.setText(self.sheet_html(columns))
        self.card.layout().invalidate()
        hint = self.card.sizeHint()
        return hint.width() <= room.width() and hint.height() <= room.height()

    def _place(self, size) -> None:
        rect = QRect(0, 0, size.width(), size.height())
        rect.moveCenter(self.rect().center())
        self.card.setGeometry(rect)

    # -- events -------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 150))

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and not event.modifiers() & COMMAND_MODIFIERS:
            event.accept()  # plain keys (E, M, Space…) do nothing behind the sheet; Ctrl+Q still quits
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if event.key() in CLOSE_KEYS:
            self.close_sheet()
        event.accept()

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self.close_sheet()
        event.accept()

    def close_sheet(self) -> None:
        self.hide()
        self.parentWidget().setFocus()

    def eventFilter(self, obj: QObject, event) -> bool:  # noqa: N802 (Qt API)
        if obj is self.parentWidget() and event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(obj.rect())
            self._fit()
        return False


def toggle_cheat_sheet(window: QWidget) -> CheatSheetOverlay:
    """Show the window's cheat sheet, or hide it if it is up."""
    overlay = window.findChild(CheatSheetOverlay, "cheatSheetOverlay")
    if overlay is None:
        overlay = CheatSheetOverlay(window)
    if overlay.isVisible():
        overlay.close_sheet()
    else:
        overlay.open()
    return overlay


def about_html(lab_lines) -> str:
    """Help → About: the version, one line per lab that is there, licences and data."""
    items = "".join(f"<li>{line}</li>" for line in lab_lines if line)
    return f"""
<h2>gmmviz {gmmviz.__version__}</h2>
<p>A lecture on generative modelling, live, in front of a class.</p>
<p><b>What the labs teach</b></p>
<ul>{items}</ul>
<p><b>Licence</b>: MIT. Built with PySide6 (Qt for Python, LGPLv3), pyqtgraph, NumPy, SciPy,
scikit-learn and Pillow.</p>
<p><b>Data</b>: Old Faithful, R datasets::faithful (Härdle 1991; Azzalini &amp; Bowman 1990).
Iris: R. A. Fisher (1936), "The use of multiple measurements in taxonomic problems",
<i>Annals of Eugenics</i> 7(2). Wine: M. Forina et al., PARVUS, Institute of Pharmaceutical
and Food Analysis and Technologies, Genoa. Iris and Wine come from the UCI Machine Learning
Repository (Dua &amp; Graff), as shipped with scikit-learn. UC Berkeley 1973 graduate admissions:
R datasets::UCBAdmissions (Bickel, Hammel &amp; O'Connell 1975, <i>Science</i> 187).</p>
<p><b>Colours</b>: Okabe &amp; Ito (classes, colour-blind safe); the components' colours are chosen to differ
from every class colour (CIE76 ΔE ≥ 20) and to keep a 3:1 contrast on every theme.</p>
"""
