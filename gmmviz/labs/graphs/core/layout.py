"""The layered layout: parents above children, each layer ordered to cross few edges.

A node's layer is the length of the longest path into it; within a layer the
nodes are ordered by the mean position of their parents (the barycentre
heuristic, a few sweeps down and up), then spread evenly and centred.
"""

from __future__ import annotations

from gmmviz.labs.graphs.core.dag import DAG, natural_key


def layers(dag: DAG) -> list[list[str]]:
    """The nodes by layer (roots first)."""
    depth = {}
    for n in dag.topological_order():
        ps = dag.parents(n)
        depth[n] = 1 + max(depth[p] for p in ps) if ps else 0
    out = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for n in dag.names:
        out[depth[n]].append(n)
    return out


def layered_positions(dag: DAG, *, dx: float = 110.0, dy: float = 100.0, sweeps: int = 4) -> dict:
    """``{name: (x, y)}`` in scene units, y growing downwards, centred on x = 0."""
    rows = layers(dag)
    if not rows:
        return {}
    order = {n: i for row in rows for i, n in enumerate(sorted(row, key=natural_key))}
    rows = [sorted(row, key=lambda n: order[n]) for row in rows]

    def sweep(rows, neighbours):
        for r in range(1, len(rows)):
            for n in rows[r]:
                near = [order[m] for m in neighbours(n) if m in order_rows[r - 1]]
                key[n] = sum(near) / len(near) if near else order[n]
            rows[r].sort(key=lambda n: (key[n], order[n]))
            for i, n in enumerate(rows[r]):
                order[n] = i
        return rows

    key = {}
    for _ in range(sweeps):
        order_rows = [set(r) for r in rows]
        rows = sweep(rows, dag.parents)
        rows.reverse()
        order_rows = [set(r) for r in rows]
        rows = sweep(rows, dag.children)
        rows.reverse()
    out = {}
    for r, row in enumerate(rows):
        for i, n in enumerate(row):
            out[n] = ((i - (len(row) - 1) / 2) * dx, r * dy)
    return out
