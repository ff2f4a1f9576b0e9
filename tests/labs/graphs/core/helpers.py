"""Seeded random DAGs and sets for the graphs lab's tests."""

from __future__ import annotations

import numpy as np

from gmmviz.labs.graphs.core.dag import DAG


def random_dag(rng: np.random.Generator, n: int, p: float) -> DAG:
    """n nodes x1…xn in a random order, each possible forward edge with probability p."""
    names = [f"x{i}" for i in range(1, n + 1)]
    order = rng.permutation(n)
    edges = [(names[order[i]], names[order[j]]) for i in range(n) for j in range(i + 1, n) if rng.random() < p]
    shuffled = [names[i] for i in rng.permutation(n)]
    return DAG.from_edges(shuffled, edges)


def random_sets(rng: np.random.Generator, names, *, max_x: int = 2, max_y: int = 2, max_z: int = 4):
    """Disjoint, non-empty X and Y and a possibly empty Z drawn from ``names``."""
    perm = list(rng.permutation(names))
    nx_ = int(rng.integers(1, max_x + 1))
    ny_ = int(rng.integers(1, max_y + 1))
    x, y = perm[:nx_], perm[nx_:nx_ + ny_]
    rest = perm[nx_ + ny_:]
    nz = int(rng.integers(0, min(max_z, len(rest)) + 1))
    return x, y, rest[:nz]
