"""The DAG value and the graph document: edits return new values, cycles are named, tables follow."""

import numpy as np
import pytest

from gmmviz.labs.graphs.core.dag import DAG, GraphError
from gmmviz.labs.graphs.core.discrete import DiscreteModel, posterior
from gmmviz.labs.graphs.core.document import GraphDocument, Replace
from gmmviz.labs.graphs.core.exercises import (
    LECTURE_EXERCISES,
    Score,
    check_text,
    compare,
    exercise,
    random_dag,
)
from gmmviz.labs.graphs.core.factorisation import parse
from gmmviz.labs.graphs.core.layout import layered_positions
from gmmviz.labs.graphs.core.model_json import model_from_json, model_to_json


def test_an_edge_closing_a_cycle_is_refused_with_the_cycle():
    dag = parse("P(a)P(b|a)P(c|b)")
    with pytest.raises(GraphError, match="a → b → c → a"):
        dag.with_edge("c", "a")
    with pytest.raises(GraphError, match="cycle a → b → a"):
        DAG.from_edges("ab", [("a", "b"), ("b", "a")])


def test_edits_return_new_values():
    dag = parse("P(a)P(b|a)")
    bigger = dag.with_node("c").with_edge("b", "c")
    assert dag.names == ("a", "b") and bigger.parents("c") == ("b",)
    assert bigger.renamed("b", "q").parents("c") == ("q",)
    assert bigger.without_node("b").edges == frozenset()
    assert bigger.with_kind("c", "latent").node("c").kind == "latent"
    with pytest.raises(GraphError, match="already"):
        bigger.with_node("a")
    with pytest.raises(GraphError, match="not a variable name"):
        dag.with_node("1x")


def test_document_tables_follow_renames_and_parent_changes():
    rng = np.random.default_rng(0)
    model = DiscreteModel.random(parse("P(a)P(b)P(c|a,b)"), rng, n_states={"a": 2, "b": 3, "c": 2})
    doc = GraphDocument.of(model)
    before = posterior(doc.model, "c", {"a": 1, "b": 2})
    renamed = doc.renamed("a", "z")  # parents of c were (a, b), now (b, z): axes swap
    assert renamed.dag.parents("c") == ("b", "z")
    np.testing.assert_allclose(posterior(renamed.model, "c", {"z": 1, "b": 2}), before, atol=1e-15)
    more = doc.with_node("d", (0.0, 0.0)).with_edge("d", "c")
    np.testing.assert_allclose(posterior(more.model, "c", {"a": 1, "b": 2, "d": 1}), before, atol=1e-15)
    assert doc.with_evidence("a", 1).evidence == (("a", 1),)
    moved = doc.moved("a", (5, 6))
    assert moved.position("a") == (5.0, 6.0) and doc.position("a") != (5.0, 6.0)


def test_replace_is_its_own_undo():
    a = GraphDocument.of(DiscreteModel(parse("P(a)")))
    b = a.with_node("b", (1, 1))
    new, inverse = Replace(b).apply(a)
    assert new is b and inverse.apply(new)[0] is a


def test_layout_puts_parents_above_children():
    dag = parse("P(a)P(b|a)P(c|a,b)P(d|c)")
    pos = layered_positions(dag)
    for p, c in dag.edges:
        assert pos[p][1] < pos[c][1]


def test_model_json_round_trip_and_errors():
    rng = np.random.default_rng(1)
    model = DiscreteModel.random(parse("P(a)P(b|a)P(c|a,b)"), rng, n_states=3)
    back = model_from_json(model_to_json(model))
    assert back.dag.same_graph(model.dag)
    for n in model.dag.names:
        np.testing.assert_allclose(back.tables[n], model.tables[n])
    from gmmviz.core.errors import FileFormatError

    for text, fragment in [("[]", "JSON object"), ('{"nodes": []}', "non-empty"), ("{", "not valid JSON"),
                           ('{"nodes": ["a", "b"], "edges": [["a", "b"], ["b", "a"]]}', "cycle"),
                           ('{"nodes": ["a"], "tables": {"a": [0.2, 0.2]}}', "sums to"),
                           ('{"nodes": ["a"], "tables": {"q": [1]}}', "not a node"),
                           ('{"nodes": ["a"], "bogus": 1}', "unknown field"),
                           ('{"nodes": ["a"], "tables": {"a": [NaN, 1]}}', "not a number")]:
        with pytest.raises(FileFormatError, match=fragment):
            model_from_json(text)


def test_exercises_give_feedback_and_keep_score():
    assert len(LECTURE_EXERCISES) == 8
    want = parse("P(a)P(b|a)P(c|b)")
    assert check_text(want, "P(a) P(b|a) P(c|b)").correct
    fb = check_text(want, "P(a)P(b)P(c|a,b)")
    assert not fb.correct and any("missing parent" in m for m in fb.messages)
    assert any("extra edge a → c" in m for m in fb.messages)
    assert any("column" in m for m in check_text(want, "P(a)P(b|a").messages)
    assert compare(want, parse("P(b)P(a|b)P(c|b)")).messages == ("edge b → a points the wrong way: it is a → b",)
    for seed in range(50):
        d = random_dag(seed)
        assert 3 <= len(d.names) <= 6 and d.same_graph(random_dag(seed))
    assert exercise(9, "draw", 4).answer.same_graph(random_dag(13))
    assert Score().record(True).record(False).text() == "1 / 2"


def test_the_question_follows_the_graph_and_picks_move_a_node_between_sets():
    doc = GraphDocument.of(DiscreteModel(parse("P(x1)P(x2|x1)P(x10|x2)P(y|x1)")), ask=(["x10", "x2"], ["y"], []))
    assert doc.ask == (("x2", "x10"), ("y",), ())  # natural order
    doc = doc.with_pick("Z", "x2")  # into Z, out of X
    assert doc.ask == (("x10",), ("y",), ("x2",))
    assert doc.with_pick("Z", "x2").ask == (("x10",), ("y",), ())  # again: out of Z
    assert doc.renamed("x2", "m").ask == (("x10",), ("y",), ("m",))
    assert doc.without_node("y").ask == (("x10",), (), ("x2",))
    assert doc.with_ask(["x1"], ["x1", "y"], []).ask == (("x1",), ("y",), ())  # disjoint: the first set wins
    with pytest.raises(GraphError):
        doc.with_ask(["nobody"])


def test_plates_join_leave_and_change_range_and_survive_model_json():
    from gmmviz.labs.graphs.core.dag import Plate, parse_plate_range

    dag = parse("P(y)P(x|y)")
    on = dag.with_plate_of("x", Plate("i", "i", "d"))
    assert on.node("x").plate == "i" and on.plates == (Plate("i", "i", "d"),)
    ranged = on.with_plate_range("i", "j", "D")
    back = model_from_json(model_to_json(DiscreteModel(ranged)))
    assert back.dag.plates == (Plate("i", "j", "D"),) and back.dag.node("x").plate == "i"
    assert ranged.with_plate_of("x", None).plates == ()  # empty plates are dropped
    with pytest.raises(GraphError, match="no plate"):
        on.with_plate_range("q", "t", "T")
    with pytest.raises(GraphError, match="1 to 20 characters"):
        dag.with_plate_of("x", Plate("i", " ", "d"))
    assert parse_plate_range("n=1..N") == ("n", "N")
    with pytest.raises(GraphError, match="t = 1…T"):
        parse_plate_range("from one to T")
