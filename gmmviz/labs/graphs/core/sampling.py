"""Ancestral sampling as a run (Qt-free): draws in chunks, the frequencies filling in as they come.

:func:`sampling_job` is a run-controller job: it yields a :class:`SamplingProgress`
after every chunk of draws, so the lab shows the empirical frequencies converging on the
exact ones (computed once, by variable elimination) and a large request never blocks the
window.  The draws are those of :func:`~gmmviz.labs.graphs.core.discrete.sample` on one
seeded generator, chunk after chunk.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmmviz.labs.graphs.core import discrete as D
from gmmviz.labs.graphs.core.dag import GraphError

#: Draws per chunk: small enough that each chunk of a 30-node graph takes a few tens of ms.
CHUNK = 20_000


@dataclass(frozen=True, eq=False)
class SamplingProgress:
    """What the draws so far say.

    Attributes
    ----------
    drawn, total : int
        Draws made so far, and asked for.
    kept : int
        Draws that match the evidence.
    frequencies : tuple of (str, tuple of float)
        Every node's state frequencies among the kept draws (all zero while none is kept).
    exact : tuple of (str, tuple of float)
        P(node | evidence) for every node not observed (empty if the evidence is impossible).
    program : tuple of str
        The sampling program, one line per node (``x = draw P(x)``, ...).
    """

    drawn: int
    total: int
    kept: int
    frequencies: tuple
    exact: tuple
    program: tuple

    @property
    def done(self) -> bool:
        return self.drawn >= self.total


def exact_marginals(model, evidence: dict) -> tuple:
    """P(v | evidence) for every unobserved node, or () when the evidence has probability 0."""
    ev = model.evidence_indices(evidence)
    try:
        return tuple((v, tuple(D.posterior(model, v, ev).tolist())) for v in model.dag.names if v not in ev)
    except GraphError:
        return ()


def sampling_job(model, evidence: dict, n: int, seed: int, *, chunk: int = CHUNK):
    """A job ``job(token)`` drawing ``n`` ancestral samples of ``model`` and counting those that
    match ``evidence`` (``{node: state}``), reporting a :class:`SamplingProgress` per chunk."""
    if n < 1:
        raise GraphError(f"draw at least one sample, not {n}")
    ev = model.evidence_indices(evidence)
    names = model.dag.names
    program = tuple(D.sampling_program(model.dag))

    def job(token):
        exact = exact_marginals(model, ev)
        rng = np.random.default_rng(seed)
        counts = {v: np.zeros(len(model.states[v])) for v in names}
        drawn = kept = 0
        while drawn < n:
            m = min(chunk, n - drawn)
            draws = D.sample(model, m, rng)
            keep = np.ones(m, dtype=bool)
            for k, i in ev.items():
                keep &= draws[k] == i
            for v in names:
                counts[v] += np.bincount(draws[v][keep], minlength=counts[v].size)
            drawn += m
            kept += int(keep.sum())
            freq = tuple((v, tuple((counts[v] / kept).tolist()) if kept else tuple(counts[v].tolist()))
                         for v in names)
            yield SamplingProgress(drawn, n, kept, freq, exact, program)

    return job


__all__ = ["CHUNK", "SamplingProgress", "exact_marginals", "sampling_job"]
