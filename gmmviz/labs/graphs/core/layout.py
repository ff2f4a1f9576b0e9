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
    """``{name: (x, y)}`` in scene units, y growing downwards, centred on x = 0.

    An edge that skips layers gets a placeholder in every layer it crosses (Sugiyama's dummy
    nodes), so the ordering leaves it a gap and its straight line does not run through a node."""
    rows = layers(dag)
    if not rows:
        return {}
    depth = {n: r for r, row in enumerate(rows) for n in row}
    up: dict = {n: list(dag.parents(n)) for n in dag.names}
    down: dict = {n: list(dag.children(n)) for n in dag.names}
    for a, b in sorted(dag.edges):
        prev = a
        for r in range(depth[a] + 1, depth[b]):
            d = ("·", a, b, r)  # a placeholder, never a name
            rows[r].append(d)
            up[d], down[d] = [prev], []
            down[prev] = [*down[prev], d]
            prev = d
        if prev != a:
            up[b] = [p for p in up[b] if p != a] + [prev]
            down[a] = [c for c in down[a] if c != b]
    order = {}
    for row in rows:
        row.sort(key=lambda n: natural_key(n) if isinstance(n, str) else natural_key(n[1]) + (n[3],))
        order.update({n: i for i, n in enumerate(row)})
    for _ in range(sweeps):
        for sequence, near in ((range(1, len(rows)), up), (range(len(rows) - 2, -1, -1), down)):
            for r in sequence:
                key = {}
                for n in rows[r]:
                    pos = [order[m] for m in near[n]]
                    key[n] = sum(pos) / len(pos) if pos else order[n]
                rows[r].sort(key=lambda n, key=key: (key[n], order[n]))
                order.update({n: i for i, n in enumerate(rows[r])})
    out = {}
    for r, row in enumerate(rows):
        for i, n in enumerate(row):
            if isinstance(n, str):
                out[n] = ((i - (len(row) - 1) / 2) * dx, r * dy)
    return out
