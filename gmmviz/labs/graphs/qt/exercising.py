"""The Exercises tab's flow: put an exercise on the canvas, check the answer, keep the score."""

from __future__ import annotations

from dataclasses import replace

from gmmviz.labs.graphs.core.dag import DAG
from gmmviz.labs.graphs.core.discrete import DiscreteModel
from gmmviz.labs.graphs.core.exercises import Score, check_text, compare, exercise
from gmmviz.labs.graphs.core.factorisation import to_text


class Exercising:
    """Owns the current exercise and the score; the page's store holds what is drawn."""

    def __init__(self, page):
        self.page = page
        self.current = None
        self.score = Score()
        panel = page.exercise_panel
        panel.start_requested.connect(self.start)
        panel.check_requested.connect(self.check)

    def start(self, mode: str, index: int, seed: int = 0) -> None:
        self.current = exercise(index, mode, seed)
        page = self.page
        if mode == "model":
            page.load(DiscreteModel(self.current.answer), text=f"Exercise {index + 1}")
            page.exercise_panel.show_prompt(self.current.prompt)
        else:
            # the variables are there, in one row (no hint of the answer): the student draws the edges
            answer = self.current.answer
            page.load(DiscreteModel(DAG(tuple(replace(n, plate=None) for n in answer.nodes))),
                      text=f"Exercise {index + 1}")
            page.exercise_panel.show_prompt(f"{self.current.title}: draw the graph for "
                                            f"{to_text(self.current.answer, lhs=True)}")
        # the factorisation under the graph would give the "model" answer away, and the field that
        # redraws the graph would replace the exercise's
        self._show_factorisation(mode != "model")

    def check(self, text: str) -> None:
        if self.current is None:
            return
        if self.current.mode == "model":
            feedback = check_text(self.current.answer, text)
        else:
            feedback = compare(self.current.answer, self.page.doc.dag)
        self.score = self.score.record(feedback.correct)
        self.page.exercise_panel.show_feedback(feedback.correct, feedback.messages, self.score.text())
        if feedback.correct:
            self._show_factorisation(True)

    def stop(self) -> None:
        self.current = None
        self._show_factorisation(True)

    def _show_factorisation(self, on: bool) -> None:
        for widget in (self.page.formula, self.page.typed, self.page.draw_button):
            widget.setVisible(on)
