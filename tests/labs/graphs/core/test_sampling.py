"""Ancestral sampling as a run: chunked draws count exactly what one direct count of the same draws
gives, the frequencies converge on variable elimination's marginals, impossible evidence is said."""

from __future__ import annotations

import numpy as np
import pytest

from gmmviz.labs.graphs.core import discrete as D
from gmmviz.labs.graphs.core.examples import example
from gmmviz.labs.graphs.core.sampling import sampling_job


class Token:
    cancelled = False


def run(job):
    return list(job(Token()))


def test_chunks_count_exactly_the_same_draws_as_one_direct_count():
    m = example("traffic").model
    items = run(sampling_job(m, {"John": "late"}, 50_000, seed=3, chunk=7_000))
    assert [p.drawn for p in items] == [7_000 * i for i in range(1, 8)] + [50_000]
    rng = np.random.default_rng(3)  # the same generator, drawn in the same chunks
    chunks = [D.sample(m, k, rng) for k in [7_000] * 7 + [1_000]]
    draws = {v: np.concatenate([c[v] for c in chunks]) for v in m.dag.names}
    last = items[-1]
    for v, freq in last.frequencies:
        direct, kept = D.empirical(draws, m, v, {"John": "late"})
        assert kept == last.kept
        np.testing.assert_array_equal(freq, direct)


def test_frequencies_converge_on_the_exact_marginals():
    m = example("explaining-away").model
    last = run(sampling_job(m, {"C": "1"}, 200_000, seed=0))[-1]
    exact = dict(last.exact)
    assert set(exact) == {"S", "A"}  # the observed node has no marginal to compare
    np.testing.assert_allclose(exact["A"], D.posterior(m, "A", {"C": "1"}), rtol=1e-12)
    freq = dict(last.frequencies)
    assert freq["A"] == pytest.approx(exact["A"], abs=4 / np.sqrt(last.kept))
    assert freq["C"] == (0.0, 1.0)  # every kept draw has C = 1


def test_impossible_evidence_keeps_nothing_and_has_no_exact_marginals():
    m = example("explaining-away").model  # C = S xor A: C = 0 with S = 1, A = 0 is impossible
    last = run(sampling_job(m, {"C": "0", "S": "1", "A": "0"}, 5_000, seed=0))[-1]
    assert last.kept == 0 and last.exact == ()
    assert all(sum(f) == 0 for _, f in last.frequencies)


def test_a_cancelled_run_stops_between_chunks():
    from gmmviz.labs.graphs.core.dag import GraphError

    m = example("chain").model
    job = sampling_job(m, {}, 100_000, seed=0, chunk=10_000)
    gen = job(Token())
    first = next(gen)
    assert first.drawn == 10_000 and not first.done
    gen.close()
    with pytest.raises(GraphError):
        sampling_job(m, {}, 0, seed=0)
