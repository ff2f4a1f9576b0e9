"""The lecture's examples make their points: Berkeley's counts, xor's explaining away, the rest."""

import hashlib

import numpy as np
import pytest

from gmmviz.core.resources import read_bytes
from gmmviz.labs.graphs.core.discrete import ci_check, posterior
from gmmviz.labs.graphs.core.dsep import explain, is_independent
from gmmviz.labs.graphs.core.examples import (
    berkeley,
    berkeley_joint,
    example,
    examples,
    simpson_text,
)
from gmmviz.labs.graphs.core.factorisation import to_text

SLIDE = {"A": (62, 82), "B": (63, 68), "C": (37, 34), "D": (33, 35), "E": (28, 24), "F": (6, 7)}


def test_the_bundled_counts_are_the_documented_file():
    digest = hashlib.sha256(read_bytes("data", "ucb_admissions.csv")).hexdigest()
    assert digest == "c83045aba73985e5b211c71f085f51dd4f1e8a307351147bd37fc3e82748bd10"
    b = berkeley()
    assert b.counts.sum() == 4526 and b.counts[0].sum() == 2691 and b.counts[1].sum() == 1835


def test_berkeley_reproduces_the_slides_per_school_percentages():
    b = berkeley()
    rates = b.rates()
    for j, dept in enumerate(b.depts):
        assert (round(100 * rates[0, j]), round(100 * rates[1, j])) == SLIDE[dept]


def test_pooled_over_schools_the_order_reverses():
    b = berkeley()
    men, women = b.pooled()
    assert round(100 * men, 1) == 44.5 and round(100 * women, 1) == 30.4
    assert men > women + 0.1
    # in four of six schools women do at least as well; the pooled gap comes from z → s
    assert (b.rates()[1] >= b.rates()[0]).sum() == 4
    assert "pooled   44.5 % 30.4 %" in simpson_text()


def test_the_simpson_model_gives_the_same_rates_by_inference():
    m = example("simpson").model
    b = berkeley()
    for j, d in enumerate(b.depts):
        for g, gender in enumerate(("male", "female")):
            p = posterior(m, "a", {"s": d, "z": gender})[0]
            assert p == pytest.approx(b.rates()[g, j], abs=1e-12)
    assert posterior(m, "a", {"z": "male"})[0] == pytest.approx(b.pooled()[0], abs=1e-12)
    assert posterior(m, "a", {"z": "female"})[0] == pytest.approx(b.pooled()[1], abs=1e-12)
    assert to_text(m.dag) == "P(z)P(s|z)P(a|s,z)"


def test_xor_explains_away():
    m = example("explaining-away").model
    assert posterior(m, "A", {"C": 1, "S": 1}).tolist() == [1.0, 0.0]  # A = 0 with certainty
    assert is_independent(m.dag, "A", "S") and not is_independent(m.dag, "A", "S", ["C"])
    assert ci_check(m, "A", "S").max_gap < 1e-15
    assert ci_check(m, "A", "S", "C").max_gap > 0.05


def test_the_common_cause_and_the_chain():
    jam = example("traffic").model
    assert ci_check(jam, "John", "Jane").max_gap > 0.01
    assert ci_check(jam, "John", "Jane", "T").max_gap < 1e-15
    chain = example("chain").model
    assert ci_check(chain, "x1", "x3", "x2").max_gap < 1e-15 and ci_check(chain, "x1", "x3").max_gap > 0.01


def test_the_seven_node_claims():
    dag = example("seven-node").dag
    assert explain(dag, "x7", ["x1", "x2"], ["x3", "x4"]).independent
    assert explain(dag, "x7", "x3", ["x4", "x5"]).independent
    assert not explain(dag, "x7", "x1", []).independent
    m = example("seven-node").model  # generic tables: the claims hold to 1e-15, a non-claim does not
    assert ci_check(m, "x7", ["x1", "x2"], ["x3", "x4"]).max_gap < 1e-15
    assert ci_check(m, "x7", "x3", ["x4", "x5"]).max_gap < 1e-15
    assert ci_check(m, "x7", "x1", []).max_gap > 1e-4


def test_every_example_asks_a_question_it_can_answer_and_has_a_note():
    for e in examples().values():
        assert e.note and e.title
        if e.ask[0]:
            explain(e.dag, *e.ask)
    gmm = example("gmm").dag
    assert gmm.node("z").kind == "latent" and gmm.node("x").plate == "t" and gmm.node("μ").kind == "parameter"


def test_the_joint_table_both_ways_and_bayes():
    j = berkeley_joint()
    direct, via = j.bayes("a", "g")
    np.testing.assert_allclose(direct, via, atol=1e-15)
    rows = j.notations("a", "admitted", "g", "female")
    assert rows[0][0] == "P({a=admitted} ∩ {g=female})" and rows[0][1] == "ℙ(a=admitted, g=female)"
    assert rows[3][2] == pytest.approx(557 / 1835) and rows[4][2] == pytest.approx(rows[3][2])
    np.testing.assert_allclose(j.marginal("g"), [2691 / 4526, 1835 / 4526])
    np.testing.assert_allclose(j.conditional("a", "g")[1], [557 / 1835, 1278 / 1835])
