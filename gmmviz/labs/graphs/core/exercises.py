"""The two kinds of exercise, and checking a student's answer with feedback.

"What is the model for this graph?" shows a DAG and checks the factorisation
typed; "Draw the graph for this model" shows a factorisation and checks the
graph drawn.  Both draw from random DAGs (3–6 nodes, seeded) and from eight
fixed exercises built on the lecture's models (the slides' own eight were not
available when this was written: these are the lecture's graphs).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmmviz.labs.graphs.core.dag import DAG, GraphError, natural_key
from gmmviz.labs.graphs.core.factorisation import parse, to_text

MODES = ("model", "draw")

#: Eight fixed exercises: (title, factorisation), from the lecture's models.
LECTURE_EXERCISES: tuple[tuple[str, str], ...] = (
    ("The chain", "P(x1)P(x2|x1)P(x3|x2)"),
    ("Explaining away", "P(S)P(A)P(C|A,S)"),
    ("A common cause", "P(T)P(John|T)P(Jane|T)"),
    ("School admissions", "P(z)P(s|z)P(a|s,z)"),
    ("Seven nodes", "P(x1)P(x2)P(x3|x1,x2)P(x4|x2)P(x5|x3,x4)P(x6|x4)P(x7|x4,x5)"),
    ("Naive Bayes with three features", "P(y)P(x1|y)P(x2|y)P(x3|y)"),
    ("A mixture with its parameters", "P(π)P(z|π)P(μ)P(Σ)P(x|z,μ,Σ)"),
    ("Two causes, two effects", "P(a)P(b)P(c|a,b)P(d|c)P(e|b,c)"),
)


def random_dag(seed: int, *, n_min: int = 3, n_max: int = 6, p_edge: float = 0.45) -> DAG:
    """A random connected-looking DAG of ``n_min``…``n_max`` nodes named a, b, c, … (seeded)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(n_min, n_max + 1))
    names = [chr(ord("a") + i) for i in range(n)]
    order = list(rng.permutation(n))
    edges = set()
    for j in range(1, n):
        child = names[order[j]]
        earlier = [names[order[i]] for i in range(j)]
        chosen = [p for p in earlier if rng.random() < p_edge]
        if not chosen:  # every node after the first has a parent: one connected picture
            chosen = [earlier[int(rng.integers(len(earlier)))]]
        edges.update((p, child) for p in chosen)
    return DAG.from_edges(names, sorted(edges))


@dataclass(frozen=True)
class Exercise:
    """One exercise: the model to find, what the student is shown, and how it is answered."""

    title: str
    mode: str  # "model" (type the factorisation) or "draw" (draw the graph)
    answer: DAG

    @property
    def prompt(self) -> str:
        if self.mode == "model":
            return f"{self.title}: what is the model for this graph? Type its factorisation."
        return f"{self.title}: draw the graph for {to_text(self.answer)}"


def exercise(index: int, mode: str, seed: int = 0) -> Exercise:
    """Exercise ``index``: the eight lecture ones first, then random DAGs seeded by ``seed + index``."""
    if mode not in MODES:
        raise GraphError(f"unknown exercise mode {mode!r}; expected one of {', '.join(MODES)}")
    if index < len(LECTURE_EXERCISES):
        title, text = LECTURE_EXERCISES[index]
        return Exercise(title, mode, parse(text))
    return Exercise(f"Random graph {index - len(LECTURE_EXERCISES) + 1}", mode, random_dag(seed + index))


@dataclass(frozen=True)
class Feedback:
    """The verdict on an answer: right or not, and what is wrong, one line each."""

    correct: bool
    messages: tuple[str, ...]


def compare(expected: DAG, given: DAG) -> Feedback:
    """What separates the graph ``given`` from ``expected``: missing or extra nodes, parents, edges."""
    msgs = []
    want, got = set(expected.names), set(given.names)
    for n in sorted(want - got, key=natural_key):
        msgs.append(f"variable {n} is missing")
    for n in sorted(got - want, key=natural_key):
        msgs.append(f"variable {n} is not in the model")
    for n in sorted(want & got, key=natural_key):
        wp, gp = set(expected.parents(n)), set(given.parents(n))
        for p in sorted(wp - gp, key=natural_key):
            if (n, p) in given.edges:
                continue  # reported as the wrong way round, from p's side
            msgs.append(f"missing parent: {n} depends on {p} (edge {p} → {n})")
        for p in sorted(gp - wp, key=natural_key):
            if (n, p) in expected.edges:
                msgs.append(f"edge {p} → {n} points the wrong way: it is {n} → {p}")
            else:
                msgs.append(f"extra edge {p} → {n}: {n} does not depend on {p} directly")
    return Feedback(not msgs, tuple(dict.fromkeys(msgs)))


def check_text(expected: DAG, text: str) -> Feedback:
    """Check a typed factorisation against ``expected`` (a parse error is the feedback)."""
    try:
        given = parse(text)
    except GraphError as exc:
        return Feedback(False, (str(exc),))
    return compare(expected, given)


@dataclass(frozen=True)
class Score:
    right: int = 0
    tried: int = 0

    def record(self, correct: bool) -> Score:
        return Score(self.right + int(correct), self.tried + 1)

    def text(self) -> str:
        return f"{self.right} / {self.tried}"
