"""The graph document of the lab: the model, where each node is drawn, and the evidence.

An immutable value; every edit method returns a new document.  The lab pushes
edits on its :class:`~gmmviz.qt.store.DocumentStore` as :class:`Replace`
commands (the command's inverse is the document it replaced), so every edit
(a node added, a table changed, a node dragged, evidence set) is one undo step.

Tables follow the graph: when a node gains a parent its rows are copied along
the new axis, when it loses one they are averaged over it, and renaming keeps
every table's axes on the right parents (parents are kept sorted).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from gmmviz.labs.graphs.core.dag import DAG, GraphError, natural_key
from gmmviz.labs.graphs.core.discrete import DiscreteModel
from gmmviz.labs.graphs.core.joint import JointTable
from gmmviz.labs.graphs.core.layout import layered_positions


@dataclass(frozen=True, eq=False)
class GraphDocument:
    """What the graphs lab edits.

    Attributes
    ----------
    model : DiscreteModel
    positions : tuple of (str, (float, float))
        Scene position of every node.
    evidence : tuple of (str, int)
        Observed nodes and the index of their state.
    joint : JointTable or None
        The joint table of two variables the Joint tab edits (counts or probabilities).
    ask : (tuple of str, tuple of str, tuple of str)
        The Ask tab's question X ⊥ Y | Z: three disjoint sets of nodes, each in natural order
        (names that are not nodes are dropped, so removing a node removes it from the question).
    """

    model: DiscreteModel
    positions: tuple = ()
    evidence: tuple = ()
    joint: JointTable | None = None
    ask: tuple = ((), (), ())

    def __post_init__(self):
        names, seen, sets = set(self.model.dag.names), set(), []
        for group in self.ask:
            kept = [n for n in dict.fromkeys(group) if n in names and n not in seen]
            seen.update(kept)
            sets.append(tuple(sorted(kept, key=natural_key)))
        object.__setattr__(self, "ask", tuple(sets))

    @classmethod
    def of(cls, model: DiscreteModel, evidence=(), ask=((), (), ())) -> GraphDocument:
        pos = layered_positions(model.dag)
        ev = tuple(model.evidence_indices(dict(evidence)).items())
        return cls(model, tuple((n, pos[n]) for n in model.dag.names), ev, ask=ask)

    @property
    def dag(self) -> DAG:
        return self.model.dag

    def position(self, name: str) -> tuple[float, float]:
        return dict(self.positions)[name]

    # -- edits --------------------------------------------------------------------------
    def with_dag(self, dag: DAG, *, layout: bool = False) -> GraphDocument:
        """The document on a new graph: tables kept where a node's parents are kept (reordered),
        adapted where they changed, positions kept (new nodes, or all with ``layout``, laid out)."""
        old = self.model
        states = {n: old.states.get(n, ("0", "1")) for n in dag.names}
        tables = {}
        for n in dag.names:
            if n in old.dag and old.states[n] == states[n]:
                tables[n] = _adapt(old.tables[n], old.dag.parents(n), dag.parents(n), states)
        model = DiscreteModel(dag, states, tables)
        pos = dict(self.positions)
        fresh = layered_positions(dag)
        if layout or any(n not in pos for n in dag.names):
            keep = {} if layout else {n: pos[n] for n in dag.names if n in pos}
            pos = {n: keep.get(n, fresh[n]) for n in dag.names}
        ev = tuple((n, s) for n, s in self.evidence if n in dag)
        return GraphDocument(model, tuple((n, pos[n]) for n in dag.names), ev, self.joint, self.ask)

    def with_node(self, name: str, at: tuple[float, float], kind: str = "observed") -> GraphDocument:
        doc = self.with_dag(self.dag.with_node(name, kind))
        return replace(doc, positions=tuple((n, at if n == name else p) for n, p in doc.positions))

    def without_node(self, name: str) -> GraphDocument:
        return self.with_dag(self.dag.without_node(name))

    def with_edge(self, parent: str, child: str) -> GraphDocument:
        return self.with_dag(self.dag.with_edge(parent, child))

    def without_edge(self, parent: str, child: str) -> GraphDocument:
        return self.with_dag(self.dag.without_edge(parent, child))

    def with_kind(self, name: str, kind: str) -> GraphDocument:
        return self.with_dag(self.dag.with_kind(name, kind))

    def renamed(self, old: str, new: str) -> GraphDocument:
        dag = self.dag.renamed(old, new)
        swap = lambda n: new if n == old else n
        m = self.model
        states = {swap(n): s for n, s in m.states.items()}
        tables = {}
        for n in m.dag.names:
            before = tuple(swap(p) for p in m.dag.parents(n))
            tables[swap(n)] = _adapt(m.tables[n], before, dag.parents(swap(n)), states)
        return GraphDocument(DiscreteModel(dag, states, tables),
                             tuple((swap(n), p) for n, p in self.positions),
                             tuple((swap(n), s) for n, s in self.evidence), self.joint,
                             tuple(tuple(swap(n) for n in group) for group in self.ask))

    def moved(self, name: str, at: tuple[float, float]) -> GraphDocument:
        self.dag.node(name)
        return replace(self, positions=tuple((n, (float(at[0]), float(at[1])) if n == name else p)
                                             for n, p in self.positions))

    def with_table(self, name: str, table) -> GraphDocument:
        return replace(self, model=self.model.with_table(name, table))

    def with_evidence(self, name: str, state: int | None) -> GraphDocument:
        """Observe ``name`` in state index ``state`` (None: not observed)."""
        self.dag.node(name)
        ev = [(n, s) for n, s in self.evidence if n != name]
        if state is not None:
            if not 0 <= state < len(self.model.states[name]):
                raise GraphError(f"{name} has no state number {state}")
            ev.append((name, int(state)))
        return replace(self, evidence=tuple(ev))

    def with_ask(self, x=(), y=(), z=()) -> GraphDocument:
        """The question X ⊥ Y | Z (a node in two sets stays in the first)."""
        for name in (*x, *y, *z):
            self.dag.node(name)  # a GraphError naming a node that is not there
        return replace(self, ask=(tuple(x), tuple(y), tuple(z)))

    def with_pick(self, which: str, name: str) -> GraphDocument:
        """A click on ``name`` while picking ``which`` ("X", "Y" or "Z"): it joins that set and leaves
        the others, or leaves the set it is in."""
        i = "XYZ".index(which)
        sets = [[n for n in group if n != name] for group in self.ask]
        if name not in self.ask[i]:
            sets[i].append(name)
        return self.with_ask(*sets)

    def with_joint(self, joint: JointTable) -> GraphDocument:
        return replace(self, joint=joint)

    def laid_out(self) -> GraphDocument:
        return self.with_dag(self.dag, layout=True)


def _adapt(table: np.ndarray, before: tuple, after: tuple, states: dict) -> np.ndarray:
    """Carry a table from parents ``before`` to parents ``after`` (copy along new, average over lost)."""
    t = np.asarray(table)
    lost = [i for i, p in enumerate(before) if p not in after]
    if lost:
        t = t.mean(axis=tuple(lost))
    kept = [p for p in before if p in after]
    for p in after:
        if p not in kept:
            t = np.repeat(t[None], len(states[p]), axis=0)
            kept.insert(0, p)
    perm = [kept.index(p) for p in after] + [len(after)]
    return np.transpose(t, perm)


@dataclass(frozen=True, eq=False)
class Replace:
    """The one command of the graph document: put ``document`` in place; the inverse puts the old one back."""

    document: GraphDocument

    def apply(self, current: GraphDocument) -> tuple[GraphDocument, Replace]:
        return self.document, Replace(current)
