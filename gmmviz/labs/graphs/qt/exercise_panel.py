"""The Exercises tab: "What is the model for this graph?" and "Draw the graph for this model".

Signals
-------
start_requested(str, int)
    (mode, exercise index): put the exercise on the canvas.
check_requested(str)
    The typed factorisation ("model" mode) or "" ("draw" mode: the canvas is the answer).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gmmviz.labs.graphs.core.exercises import LECTURE_EXERCISES

MODE_TITLES = (("model", "What is the model for this graph?"), ("draw", "Draw the graph for this model"))


class ExercisePanel(QWidget):
    start_requested = Signal(str, int)
    check_requested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.index = -1
        layout = QVBoxLayout(self)
        self.mode = QComboBox()
        for key, title in MODE_TITLES:
            self.mode.addItem(title, key)
        layout.addWidget(self.mode)
        row = QHBoxLayout()
        self.number = QSpinBox()
        self.number.setRange(1, 99)
        self.number.setToolTip(f"1–{len(LECTURE_EXERCISES)}: the lecture's exercises; then random graphs (seeded)")
        self.start = QPushButton("Start")
        self.next = QPushButton("Next")
        row.addWidget(QLabel("Exercise"))
        row.addWidget(self.number)
        row.addWidget(self.start)
        row.addWidget(self.next)
        layout.addLayout(row)
        self.prompt = QLabel("Choose a kind of exercise and press Start.")
        self.prompt.setWordWrap(True)
        self.prompt.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.prompt)
        self.answer = QLineEdit()
        self.answer.setPlaceholderText("P(a)P(b|a)…")
        layout.addWidget(self.answer)
        self.check = QPushButton("Check")
        layout.addWidget(self.check)
        self.feedback = QLabel()
        self.feedback.setWordWrap(True)
        self.feedback.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.feedback)
        self.score = QLabel("Score: 0 / 0")
        layout.addWidget(self.score)
        layout.addStretch(1)
        self.start.clicked.connect(lambda: self._start(self.number.value() - 1))
        self.next.clicked.connect(lambda: self._start(self.index + 1))
        self.check.clicked.connect(lambda: self.check_requested.emit(self.answer.text()))
        self.answer.returnPressed.connect(self.check.click)
        self.mode.currentIndexChanged.connect(self._on_mode)
        self._on_mode()

    @property
    def current_mode(self) -> str:
        return self.mode.currentData()

    def _on_mode(self) -> None:
        self.answer.setVisible(self.current_mode == "model")

    def _start(self, index: int) -> None:
        self.index = max(0, index)
        self.number.setValue(self.index + 1)
        self.answer.clear()
        self.feedback.clear()
        self.start_requested.emit(self.current_mode, self.index)

    def show_prompt(self, text: str) -> None:
        self.prompt.setText(html.escape(text))

    def show_feedback(self, correct: bool, messages, score_text: str) -> None:
        if correct:
            self.feedback.setText("<b>Right.</b>")
        else:
            self.feedback.setText("<b>Not yet:</b><br>" + "<br>".join(html.escape(m) for m in messages))
        self.score.setText(f"Score: {score_text}")
