"""Discrete Bayesian networks: tables, exact inference, ancestral sampling, the CI check.

Each node v has a finite list of states and a conditional probability table
P(v | parents(v)) of shape (|pa₁|, …, |pa_k|, |v|), parents in sorted order
(:meth:`DAG.parents`); every row (last axis) sums to 1.  The joint is the
product of the tables; P(query | evidence) is computed by variable
elimination (:func:`posterior`) or, as the check, by enumerating the joint
(:func:`posterior_by_enumeration`).  :func:`sample` is ancestral sampling,
the slide's ``x = f(); y = g(x); z = h(y)``: each node drawn from its row
given the parents drawn before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np

from gmmviz.core.data import frozen_array
from gmmviz.labs.graphs.core.dag import DAG, GraphError, natural_key

ROW_TOLERANCE = 1e-9
#: The largest table of one node, and of all nodes together (entries): a node with 16 binary parents
#: would need 2^17; a dense graph's tables grow as 2^n and must be refused before they are allocated
#: (and all of them, as a session's part, stay a few MB of JSON, written in a fraction of a second).
MAX_TABLE_CELLS, MAX_MODEL_CELLS = 2**16, 2**18
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def check_table(name: str, table, shape: tuple[int, ...]) -> np.ndarray:
    """``table`` as a read-only float64 array of ``shape`` whose rows are distributions."""
    try:
        t = np.array(table, dtype=np.float64)
    except (TypeError, ValueError):
        raise GraphError(f"the table of {name} is not an array of numbers") from None
    if t.shape != shape:
        raise GraphError(f"the table of {name} has shape {t.shape}; expected {shape} "
                         "(one axis per parent, sorted, then the node's own states)")
    if not np.isfinite(t).all() or (t < 0).any():
        raise GraphError(f"the table of {name} has a negative or non-finite entry")
    sums = t.sum(axis=-1)
    if np.abs(sums - 1).max(initial=0) > ROW_TOLERANCE:
        bad = np.unravel_index(np.argmax(np.abs(sums - 1)), sums.shape)
        raise GraphError(f"a row of the table of {name} sums to {sums[bad]:.6g} (parents' states {tuple(map(int, bad))}); "
                         "every row must sum to 1")
    return frozen_array(t)


def check_table_sizes(shapes: dict, dag: DAG) -> None:
    """Refuse tables too large to hold (a GraphError naming the node), before any is allocated."""
    total = 0
    for n, shape in shapes.items():
        cells = 1
        for d in shape:
            cells *= d  # Python ints: 2^40 does not overflow
        total += cells
        if cells > MAX_TABLE_CELLS:
            parents = dag.parents(n)
            shown = ", ".join(parents[:3]) + (", …" if len(parents) > 3 else "")
            raise GraphError(f"{n} has {len(parents)} parents: its table P({n} | {shown}) would have {cells:,} "
                             f"entries, at most {MAX_TABLE_CELLS:,} are kept (give it fewer parents or states)")
    if total > MAX_MODEL_CELLS:
        raise GraphError(f"the tables would have {total:,} entries together; at most {MAX_MODEL_CELLS:,} "
                         "(fewer parents or states)")


@dataclass(frozen=True, eq=False)
class DiscreteModel:
    """A DAG with states and a table for every node.

    Attributes
    ----------
    dag : DAG
    states : mapping of str to tuple of str
    tables : mapping of str to ndarray
        Read-only; see the module docstring for the shape.
    """

    dag: DAG
    states: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    tables: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self):
        states = {}
        for n in self.dag.names:
            s = tuple(str(v) for v in self.states.get(n, ("0", "1")))
            if len(s) < 1 or len(set(s)) != len(s):
                raise GraphError(f"node {n} needs distinct states, got {list(s)}")
            states[n] = s
        object.__setattr__(self, "states", MappingProxyType(states))
        shapes = {n: tuple(len(states[p]) for p in self.dag.parents(n)) + (len(states[n]),) for n in self.dag.names}
        check_table_sizes(shapes, self.dag)
        tables = {}
        for n in self.dag.names:
            shape = shapes[n]
            if n in self.tables:
                tables[n] = check_table(n, self.tables[n], shape)
            else:
                tables[n] = frozen_array(np.full(shape, 1.0 / shape[-1]))
        object.__setattr__(self, "tables", MappingProxyType(tables))

    @classmethod
    def random(cls, dag: DAG, rng: np.random.Generator, *, n_states=2, concentration: float = 1.0):
        """Tables drawn from a Dirichlet(``concentration``) per row (generic for ``concentration`` ~ 1)."""
        states = {n: tuple(str(i) for i in range(n_states if isinstance(n_states, int) else n_states[n]))
                  for n in dag.names}
        tables = {}
        for n in dag.names:
            shape = tuple(len(states[p]) for p in dag.parents(n)) + (len(states[n]),)
            tables[n] = rng.dirichlet(np.full(shape[-1], concentration), size=shape[:-1])
        return cls(dag, states, tables)

    def with_table(self, name: str, table) -> DiscreteModel:
        return replace(self, tables={**self.tables, name: table})

    def state_index(self, name: str, state) -> int:
        states = self.states.get(name)
        if states is None:
            raise GraphError(f"no node {name!r}; the nodes are {', '.join(self.dag.names)}")
        if str(state) in states:
            return states.index(str(state))
        raise GraphError(f"{name} has no state {state!r}; its states are {', '.join(states)}")

    def evidence_indices(self, evidence) -> dict[str, int]:
        """``{name: state or index}`` → ``{name: index}`` (a state name first, then an integer index)."""
        out = {}
        for n, s in dict(evidence).items():
            if isinstance(s, (int, np.integer)) and not isinstance(s, bool) and str(s) not in self.states.get(n, ()):
                if not 0 <= s < len(self.states[n]):
                    raise GraphError(f"{n} has no state number {s}")
                out[n] = int(s)
            else:
                out[n] = self.state_index(n, s)
        return out

    def factors(self) -> list[tuple[tuple[str, ...], np.ndarray]]:
        """One factor (variables, array) per table."""
        return [(self.dag.parents(n) + (n,), self.tables[n]) for n in self.dag.names]


def _product(factors, keep: tuple[str, ...]) -> np.ndarray:
    """Σ over everything but ``keep`` of the product of ``factors`` (one einsum)."""
    letters = {}
    for vars_, _ in factors:
        for v in vars_:
            letters.setdefault(v, _LETTERS[len(letters)])
    for v in keep:
        letters.setdefault(v, _LETTERS[len(letters)])
    spec = ",".join("".join(letters[v] for v in vars_) for vars_, _ in factors)
    out = "".join(letters[v] for v in keep)
    if not factors:
        return np.ones(())
    return np.einsum(f"{spec}->{out}", *[a for _, a in factors])


def _restrict(factors, evidence: dict[str, int]):
    out = []
    for vars_, a in factors:
        index = tuple(evidence.get(v, slice(None)) for v in vars_)
        out.append((tuple(v for v in vars_ if v not in evidence), a[index]))
    return out


def posterior(model: DiscreteModel, query, evidence=None) -> np.ndarray:
    """P(query | evidence) by variable elimination (greedy smallest-factor order).

    Parameters
    ----------
    query : str or sequence of str
    evidence : dict of str to state (name or index), optional

    Returns
    -------
    ndarray, shape (|q₁|, …)
        Sums to 1.

    Raises
    ------
    GraphError
        If the evidence has probability 0, or a query node is in the evidence.
    """
    query, ev = _query(model, query, evidence)
    factors = _restrict(model.factors(), ev)
    sizes = {n: len(model.states[n]) for n in model.dag.names}
    hidden = [n for n in model.dag.names if n not in ev and n not in query]
    while hidden:
        v = min(hidden, key=lambda h, fs=factors: (_cost(h, fs, sizes), natural_key(h)))
        hidden.remove(v)
        touching = [f for f in factors if v in f[0]]
        rest = [f for f in factors if v not in f[0]]
        scope = tuple(sorted({u for vs, _ in touching for u in vs if u != v}, key=natural_key))
        factors = rest + [(scope, _product(touching, scope))] if touching else rest
    joint = _product(factors, query)
    return _normalise(joint, ev)


def _cost(v: str, factors, sizes) -> int:
    """The size of the factor that eliminating ``v`` makes."""
    scope = set().union(*[set(vs) for vs, _ in factors if v in vs])
    return int(np.prod([sizes[u] for u in scope])) if scope else 0


def _query(model: DiscreteModel, query, evidence):
    query = (query,) if isinstance(query, str) else tuple(query)
    for q in query:
        if q not in model.states:
            raise GraphError(f"no node {q!r} to query; the nodes are {', '.join(model.dag.names)}")
    if len(set(query)) != len(query):
        raise GraphError(f"a query names a node twice: {', '.join(query)}")
    ev = model.evidence_indices(evidence or {})
    clash = [q for q in query if q in ev]
    if clash:
        raise GraphError(f"{clash[0]} is both queried and given as evidence")
    return query, ev


def _normalise(joint: np.ndarray, ev) -> np.ndarray:
    total = joint.sum()
    if not total > 0:
        given = ", ".join(f"{k}={v}" for k, v in ev.items())
        raise GraphError(f"the evidence {given} has probability 0 under these tables")
    return joint / total


def joint_table(model: DiscreteModel) -> np.ndarray:
    """The full joint P(x₁, …, xₙ), axes in ``model.dag.names`` order (small graphs only)."""
    return _product(model.factors(), model.dag.names)


def posterior_by_enumeration(model: DiscreteModel, query, evidence=None) -> np.ndarray:
    """P(query | evidence) by summing the full joint (the check of :func:`posterior`)."""
    query, ev = _query(model, query, evidence)
    names = model.dag.names
    joint = joint_table(model)
    index = tuple(ev.get(n, slice(None)) for n in names)
    joint = joint[index]
    left = [n for n in names if n not in ev]
    summed = joint.sum(axis=tuple(i for i, n in enumerate(left) if n not in query))
    kept = [n for n in left if n in query]
    return _normalise(np.transpose(summed, [kept.index(q) for q in query]), ev)


def sample(model: DiscreteModel, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Ancestral sampling: ``n`` draws, parents before children; state indices per node."""
    out: dict[str, np.ndarray] = {}
    for v in model.dag.topological_order():
        pa = model.dag.parents(v)
        rows = model.tables[v][tuple(out[p] for p in pa)] if pa else np.broadcast_to(model.tables[v], (n,) +
                                                                                      model.tables[v].shape)
        cdf = np.cumsum(rows, axis=-1)
        u = rng.random(n)[:, None]
        out[v] = np.minimum((u > cdf).sum(axis=-1), cdf.shape[-1] - 1)
    return out


def empirical(samples: dict[str, np.ndarray], model: DiscreteModel, query: str, evidence=None) -> tuple:
    """Frequencies of ``query``'s states among the samples that match ``evidence``, and their count."""
    ev = model.evidence_indices(evidence or {})
    keep = np.ones(len(next(iter(samples.values()))), dtype=bool)
    for k, v in ev.items():
        keep &= samples[k] == v
    m = int(keep.sum())
    counts = np.bincount(samples[query][keep], minlength=len(model.states[query])).astype(np.float64)
    return (counts / m if m else counts), m


@dataclass(frozen=True, eq=False)
class CICheck:
    """P(x, y | z) against P(x | z) P(y | z) for every state of z.

    Attributes
    ----------
    max_gap : float
        max |P(x,y|z) − P(x|z)P(y|z)| over all states.
    joint, product : ndarray, shape (|z-states|…, |x|, |y|)
    """

    max_gap: float
    joint: np.ndarray
    product: np.ndarray


def ci_check(model: DiscreteModel, x, y, z=()) -> CICheck:
    """The numeric test of x ⊥ y | z: from the tables (exact), every configuration of z with P(z) > 0."""
    x = (x,) if isinstance(x, str) else tuple(x)
    y = (y,) if isinstance(y, str) else tuple(y)
    z = (z,) if isinstance(z, str) else tuple(z)
    full = posterior(model, x + y + z)
    nx_, ny_ = len(x), len(y)
    full = np.moveaxis(full, list(range(nx_ + ny_)), list(range(len(z), len(z) + nx_ + ny_)))
    pz = full.reshape(full.shape[:len(z)] + (-1,)).sum(axis=-1)
    ok = pz > 1e-300
    cond = np.where(ok[(...,) + (None,) * (nx_ + ny_)], full / np.where(ok, pz, 1)[(...,) + (None,) * (nx_ + ny_)], 0)
    flat = cond.reshape(cond.shape[:len(z)] + (int(np.prod(cond.shape[len(z):len(z) + nx_])), -1))
    product = flat.sum(axis=-1, keepdims=True) * flat.sum(axis=-2, keepdims=True)
    gap = float(np.abs(flat - product).max(initial=0.0))
    return CICheck(gap, flat, product)


def marginals(model: DiscreteModel, evidence=None) -> dict[str, np.ndarray]:
    """P(v | evidence) for every node v (an observed node: 1 on its state)."""
    ev = model.evidence_indices(evidence or {})
    out = {}
    for v in model.dag.names:
        if v in ev:
            p = np.zeros(len(model.states[v]))
            p[ev[v]] = 1.0
            out[v] = p
        else:
            out[v] = posterior(model, v, ev)
    return out


def renormalised_row(row, j: int, value: float) -> np.ndarray:
    """``row`` with entry ``j`` set to ``value`` (clipped to [0, 1]) and the others rescaled so the
    row sums to 1 (shared equally when they were all 0): how the table editor keeps rows proper."""
    r = np.array(row, dtype=np.float64)
    v = float(np.clip(value, 0.0, 1.0)) if np.isfinite(value) else r[j]
    others = np.delete(r, j)
    rest = 1.0 - v
    if others.size == 0:
        return np.ones(1)
    others = others / others.sum() * rest if others.sum() > 0 else np.full(others.size, rest / others.size)
    return np.insert(others, j, v)


def all_uniform(model: DiscreteModel) -> bool:
    """Whether every table is uniform (then every variable is independent of every other)."""
    return all(np.allclose(t, 1.0 / t.shape[-1], rtol=0, atol=1e-12) for t in model.tables.values())


def row_labels(model: DiscreteModel, name: str) -> list[str]:
    """One label per row of ``name``'s table: its parents' states ("A=0, S=1"), in table order."""
    parents = model.dag.parents(name)
    if not parents:
        return ["P"]
    grids = np.indices([len(model.states[p]) for p in parents]).reshape(len(parents), -1).T
    return [", ".join(f"{p}={model.states[p][i]}" for p, i in zip(parents, row)) for row in grids]


def sampled_ci_gap(samples: dict[str, np.ndarray], model: DiscreteModel, x, y, z=(), *,
                   min_count: int = 50) -> tuple[float, int]:
    """The CI check on samples: max |P̂(x,y|z) − P̂(x|z) P̂(y|z)| over the configurations of z seen at least
    ``min_count`` times, and how many samples those configurations hold ((nan, 0) if none)."""
    def code(names):
        names = (names,) if isinstance(names, str) else tuple(names)
        if not names:
            return np.zeros(len(next(iter(samples.values()))), dtype=np.int64), 1
        dims = [len(model.states[n]) for n in names]
        return np.ravel_multi_index([samples[n] for n in names], dims), int(np.prod(dims))

    (cx, nx_), (cy, ny_), (cz, nz) = code(x), code(y), code(z)
    counts = np.zeros((nz, nx_, ny_))
    np.add.at(counts, (cz, cx, cy), 1.0)
    per_z = counts.sum(axis=(1, 2))
    keep = per_z >= min_count
    if not keep.any():
        return float("nan"), 0
    joint = counts[keep] / per_z[keep, None, None]
    product = joint.sum(axis=2, keepdims=True) * joint.sum(axis=1, keepdims=True)
    return float(np.abs(joint - product).max()), int(per_z[keep].sum())


def sampling_program(dag) -> list[str]:
    """Ancestral sampling as the slide writes it, one line per node in the canonical order:
    ``x = draw P(x)``, ``y = draw P(y | x)``, …"""
    lines = []
    for v in dag.topological_order():
        ps = dag.parents(v)
        lines.append(f"{v} = draw P({v} | {', '.join(ps)})" if ps else f"{v} = draw P({v})")
    return lines
