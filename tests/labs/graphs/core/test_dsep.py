"""d-separation against networkx.is_d_separator, and the explanations against the answer."""

import networkx as nx
import numpy as np
import pytest

from gmmviz.labs.graphs.core.dag import DAG, GraphError
from gmmviz.labs.graphs.core.dsep import explain, implied_independencies, is_independent
from gmmviz.labs.graphs.core.factorisation import parse

from .helpers import random_dag, random_sets


@pytest.mark.slow
def test_agrees_with_networkx_on_thousands_of_random_dags():
    rng = np.random.default_rng(20261202)
    checked = dependent = 0
    for trial in range(3000):
        n = int(rng.integers(3, 13))
        dag = random_dag(rng, n, float(rng.uniform(0.1, 0.45)))
        g = dag.to_networkx()
        x, y, z = random_sets(rng, list(dag.names))
        want = nx.is_d_separator(g, set(x), set(y), set(z))
        assert is_independent(dag, x, y, z) is want, (trial, sorted(dag.edges), x, y, z)
        e = explain(dag, x, y, z, max_paths=5000)
        assert e.independent is want
        if not e.truncated:
            # "independent" exactly when every listed path is blocked
            assert want == all(not p.open for p in e.paths), (trial, sorted(dag.edges), x, y, z)
            checked += 1
        dependent += not want
    assert checked > 2950 and 300 < dependent < 2700  # both answers are exercised


def test_each_listed_path_is_a_real_path_with_correct_triples():
    rng = np.random.default_rng(7)
    for _ in range(300):
        dag = random_dag(rng, int(rng.integers(3, 9)), 0.4)
        x, y, z = random_sets(rng, list(dag.names))
        e = explain(dag, x, y, z)
        for p in e.paths:
            assert p.nodes[0] in x and p.nodes[-1] in y and len(set(p.nodes)) == len(p.nodes)
            for a, b, arrow in zip(p.nodes, p.nodes[1:], p.arrows):
                assert ((a, b) in dag.edges) if arrow == "→" else ((b, a) in dag.edges)
            for i, step in enumerate(p.steps, start=1):
                collider = p.arrows[i - 1] == "→" and p.arrows[i] == "←"
                assert (step.kind == "collider") is collider
                opened = step.node in z or bool(dag.descendants(step.node) & set(z))
                assert step.blocks is ((step.node in z) if not collider else not opened)


def test_the_three_triples_by_name():
    chain, fork, collider = parse("P(a)P(b|a)P(c|b)"), parse("P(b)P(a|b)P(c|b)"), parse("P(a)P(c)P(b|a,c)")
    (p,) = explain(chain, "a", "c", ["b"]).paths
    assert p.steps[0].kind == "chain" and p.steps[0].blocks and "given" in p.steps[0].reason
    (p,) = explain(fork, "a", "c").paths
    assert p.steps[0].kind == "fork" and not p.steps[0].blocks and p.open
    (p,) = explain(collider, "a", "c").paths
    assert p.steps[0].kind == "collider" and p.steps[0].blocks and "descendant" in p.steps[0].reason


def test_a_collider_is_opened_by_a_given_descendant_and_says_which():
    dag = parse("P(a)P(c)P(b|a,c)P(d|b)")
    e = explain(dag, "a", "c", ["d"])
    assert not e.independent
    (step,) = e.paths[0].steps
    assert step.kind == "collider" and not step.blocks and step.via == "d" and "descendant d" in step.reason


def test_overlapping_or_unknown_sets_are_refused():
    dag = parse("P(a)P(b|a)")
    with pytest.raises(GraphError, match="overlap"):
        explain(dag, "a", "b", ["a"])
    with pytest.raises(GraphError, match="not a node"):
        is_independent(dag, "a", "q")


def test_many_paths_are_truncated_but_the_answer_stays_exact():
    # a ladder of 2×10 nodes has far more than 50 paths between its ends
    names = [f"u{i}" for i in range(10)] + [f"v{i}" for i in range(10)]
    edges = [(f"u{i}", f"u{i + 1}") for i in range(9)] + [(f"v{i}", f"v{i + 1}") for i in range(9)]
    edges += [(f"u{i}", f"v{i}") for i in range(10)]
    dag = DAG.from_edges(names, edges)
    e = explain(dag, "u0", "v9", [], max_paths=50)
    assert e.truncated and len(e.paths) == 50
    assert e.independent is nx.is_d_separator(dag.to_networkx(), {"u0"}, {"v9"}, set())


def test_implied_independencies_of_the_chain_and_the_collider():
    assert [i.text() for i in implied_independencies(parse("P(a)P(b|a)P(c|b)"))] == ["a ⊥ c | b"]
    assert [i.text() for i in implied_independencies(parse("P(a)P(c)P(b|a,c)"))] == ["a ⊥ c"]


def test_implied_independencies_are_minimal_and_true():
    rng = np.random.default_rng(3)
    for _ in range(40):
        dag = random_dag(rng, int(rng.integers(3, 7)), 0.4)
        g = dag.to_networkx()
        found = implied_independencies(dag)
        for ind in found:
            assert nx.is_d_separator(g, {ind.x}, {ind.y}, set(ind.z))
            for drop in ind.z:
                assert not nx.is_d_separator(g, {ind.x}, {ind.y}, set(ind.z) - {drop})
        # every separable non-adjacent pair is listed at least once
        pairs = {(i.x, i.y) for i in found}
        names = sorted(dag.names)
        for a in names:
            for b in names:
                if a < b and (a, b) not in dag.edges and (b, a) not in dag.edges:
                    others = set(names) - {a, b}
                    separable = nx.is_d_separator(g, {a}, {b}, dag.ancestors({a, b}) - {a, b})
                    assert separable == ((a, b) in pairs or (b, a) in pairs), (a, b, others)


def test_a_truncated_dependent_answer_still_shows_an_open_path():
    rng = np.random.default_rng(12)
    shown = 0
    for _ in range(300):
        dag = random_dag(rng, 14, 0.5)
        x, y, z = random_sets(rng, list(dag.names), max_x=1, max_y=1, max_z=3)
        e = explain(dag, x, y, z, max_paths=5)
        if e.truncated and not e.independent:
            opened = [p for p in e.paths if p.open]
            assert opened, (sorted(dag.edges), x, y, z)
            for p in opened:  # a real path, open by the rules
                assert len(set(p.nodes)) == len(p.nodes) and p.nodes[0] in x and p.nodes[-1] in y
                assert not any(s.blocks for s in p.steps)
            shown += 1
    assert shown > 50
