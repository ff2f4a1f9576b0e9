"""Tables and inference: d-separation holds numerically, VE equals enumeration, sampling converges."""

import numpy as np
import pytest

from gmmviz.labs.graphs.core.dag import GraphError
from gmmviz.labs.graphs.core.discrete import (
    DiscreteModel,
    ci_check,
    empirical,
    joint_table,
    posterior,
    posterior_by_enumeration,
    sample,
)
from gmmviz.labs.graphs.core.dsep import is_independent
from gmmviz.labs.graphs.core.factorisation import parse

from .helpers import random_dag, random_sets


def test_variable_elimination_equals_enumeration_of_the_joint():
    rng = np.random.default_rng(5)
    for _ in range(200):
        dag = random_dag(rng, int(rng.integers(2, 8)), 0.45)
        states = {n: int(rng.integers(2, 4)) for n in dag.names}
        model = DiscreteModel.random(dag, rng, n_states=states)
        names = list(dag.names)
        q, e, _ = random_sets(rng, names, max_x=2, max_y=3, max_z=0)
        evidence = {n: int(rng.integers(states[n])) for n in e}
        np.testing.assert_allclose(posterior(model, q, evidence), posterior_by_enumeration(model, q, evidence),
                                   rtol=0, atol=1e-12)
    assert joint_table(model).sum() == pytest.approx(1.0)


@pytest.mark.slow
def test_independence_claimed_by_d_separation_holds_numerically_and_dependence_generically():
    rng = np.random.default_rng(17)
    independent = dependent = 0
    for _ in range(400):
        dag = random_dag(rng, int(rng.integers(3, 8)), 0.4)
        model = DiscreteModel.random(dag, rng, n_states=int(rng.integers(2, 4)))
        x, y, z = random_sets(rng, list(dag.names), max_x=1, max_y=1, max_z=3)
        gap = ci_check(model, x, y, z).max_gap
        if is_independent(dag, x, y, z):
            assert gap < 1e-12, (sorted(dag.edges), x, y, z, gap)
            independent += 1
        else:
            assert gap > 1e-6, (sorted(dag.edges), x, y, z, gap)  # Dirichlet(1) tables are generic
            dependent += 1
    assert independent > 50 and dependent > 50


def test_ancestral_sampling_converges_to_the_exact_marginals():
    rng = np.random.default_rng(2)
    model = DiscreteModel.random(parse("P(a)P(b|a)P(c|a,b)P(d|c)"), rng, n_states=3)
    draws = sample(model, 200_000, rng)
    for v in model.dag.names:
        freq, m = empirical(draws, model, v)
        assert m == 200_000
        np.testing.assert_allclose(freq, posterior(model, v), atol=5e-3)
    freq, m = empirical(draws, model, "a", {"d": 1})
    np.testing.assert_allclose(freq, posterior(model, "a", {"d": 1}), atol=1e-2)


def test_tables_are_checked():
    dag = parse("P(a)P(b|a)")
    with pytest.raises(GraphError, match="sums to"):
        DiscreteModel(dag, {}, {"a": [0.5, 0.6]})
    with pytest.raises(GraphError, match="shape"):
        DiscreteModel(dag, {}, {"b": [0.5, 0.5]})
    with pytest.raises(GraphError, match="negative"):
        DiscreteModel(dag, {}, {"a": [1.5, -0.5]})
    with pytest.raises(GraphError, match="probability 0"):
        posterior(DiscreteModel(dag, {}, {"a": [1.0, 0.0], "b": [[1.0, 0.0], [0.5, 0.5]]}), "a", {"b": 1})
    with pytest.raises(GraphError, match="both queried"):
        posterior(DiscreteModel(dag), "a", {"a": 0})
    m = DiscreteModel(dag, {"a": ("no", "yes")})
    assert m.state_index("a", "yes") == 1
    with pytest.raises(GraphError, match="no state"):
        m.state_index("a", "maybe")
    assert m.tables["b"].flags.writeable is False


def test_the_ci_check_on_samples_agrees_with_the_tables():
    from gmmviz.labs.graphs.core.discrete import sampled_ci_gap
    from gmmviz.labs.graphs.core.examples import example

    rng = np.random.default_rng(8)
    m = example("explaining-away").model
    draws = sample(m, 100_000, rng)
    gap, n = sampled_ci_gap(draws, m, "A", "S")
    assert n == 100_000 and gap < 0.01  # A ⊥ S: sampling noise only
    gap, n = sampled_ci_gap(draws, m, "A", "S", ["C"])
    assert gap == pytest.approx(ci_check(m, "A", "S", "C").max_gap, abs=0.02) and gap > 0.05
    jam = example("traffic").model
    draws = sample(jam, 100_000, rng)
    assert sampled_ci_gap(draws, jam, "John", "Jane", "T")[0] < 0.02
    assert sampled_ci_gap(draws, jam, ["John"], ["Jane"])[0] > 0.02
    assert sampled_ci_gap(draws, jam, "John", "Jane", "T", min_count=10**9) == (pytest.approx(float("nan"), nan_ok=True), 0)


def test_the_sampling_program_reads_like_the_slide():
    from gmmviz.labs.graphs.core.discrete import sampling_program

    assert sampling_program(parse("P(x)P(y|x)P(z|y)")) == ["x = draw P(x)", "y = draw P(y | x)", "z = draw P(z | y)"]
