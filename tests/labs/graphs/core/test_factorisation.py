"""Factorisation text ↔ graph: round trips on random DAGs, the notations, the malformed corpus."""

import numpy as np
import pytest

from gmmviz.labs.graphs.core.dag import DAG, GraphError
from gmmviz.labs.graphs.core.factorisation import parse, to_text

from .helpers import random_dag


def test_canonical_text_sorts_parents_and_orders_topologically():
    dag = DAG.from_edges(["d", "c", "b", "a"], [("b", "d"), ("b", "c"), ("a", "b")])
    assert to_text(dag) == "P(a)P(b|a)P(c|b)P(d|b)"
    assert to_text(dag, lhs=True) == "P(a,b,c,d) = P(a)P(b|a)P(c|b)P(d|b)"
    assert to_text(DAG.from_edges(["x10", "x2", "x1"], [("x2", "x10"), ("x1", "x10")])) == "P(x1)P(x2)P(x10|x1,x2)"


@pytest.mark.parametrize("text", [
    "P(a,b,c,d) = P(a)P(b|a)P(c|b)P(d|b)",
    "ℙ(a, b, c, d) = ℙ(a) ℙ(b | a) ℙ(c | b) ℙ(d | b)",
    "p(a)p(b|a)p(c|b)p(d|b)",
    "  P(d|b) · P(c|b) * P(b|a) P(a)  ",
    "Pr(a)Pr(b|a)Pr(c|b)Pr(d|b)",
])
def test_the_slides_notations(text):
    assert to_text(parse(text)) == "P(a)P(b|a)P(c|b)P(d|b)"


def test_round_trips_on_random_dags():
    rng = np.random.default_rng(11)
    for _ in range(500):
        dag = random_dag(rng, int(rng.integers(1, 10)), float(rng.uniform(0, 0.7)))
        text = to_text(dag)
        back = parse(text)
        assert back.same_graph(dag)  # graph → text → graph
        assert to_text(back) == text  # text → graph → text is canonical
        # any order of the factors, spaced, with the joint on the left, reads the same
        factors = text.replace(")P(", ")\n P(").split("\n")
        shuffled = " · ".join(factors[i].strip() for i in rng.permutation(len(factors)))
        assert to_text(parse(f"ℙ({', '.join(dag.names)}) = {shuffled}")) == text


CORPUS = [
    # (text, a piece of the message, the column the message names)
    ("P(a)P(b|a,a)", "conditioned on twice", 11),
    ("P(a|b)P(b|a)", "cycle", None),
    ("P(a)P(b|a)P(c|b)P(a|c)", "two factors", 17),
    ("P(a|c)P(b|a)P(c|b)", "cycle a → b → c → a", None),
    ("P(a)P(b|a", "never closed", 6),
    ("P(a))", "')' without '('", 5),
    ("P(a)(P(b|a)", "expected a factor", 5),
    ("P(a)P(b|c)", "c appears", 9),
    ("P(a,b,c) = P(a)P(b|a)", "c is in the joint", 7),
    ("P(a,b) = P(a)P(b|a)P(c|b)", "does not list", 20),
    ("", "empty", 1),
    ("P(a) =", "no factor", None),
    ("P(a|a)", "conditioned on itself", 5),
    ("P(a,b|c)P(c)", "one variable left of '|'", 5),
    ("Q(a)", "expected a factor", 1),
    ("P(a|)", "expected a conditioning variable", 5),
    ("P(1a)", "expected a variable", 3),
    ("P(a b)", "expected ','", 5),
    ("P(a,a) = P(a)", "twice in the joint", None),
    ("P a", "expected '('", None),
]


@pytest.mark.parametrize(("text", "fragment", "column"), CORPUS)
def test_every_malformed_text_gets_its_message(text, fragment, column):
    with pytest.raises(GraphError) as info:
        parse(text)
    message = str(info.value)
    assert fragment in message
    assert info.value.position is not None and f"(column {info.value.position + 1})" in message
    if column is not None:
        assert info.value.position + 1 == column, message


def test_cycle_errors_point_inside_the_closing_factor():
    text = "P(a|c)P(b|a)P(c|b)"
    with pytest.raises(GraphError) as info:
        parse(text)
    assert text[info.value.position] in "abc"
