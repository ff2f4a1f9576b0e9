"""A directed acyclic graph as an immutable value, and its edits.

Every edit returns a new :class:`DAG` and never changes the old one, so the
Qt side can wrap an edit in an undoable command (the old value is its
inverse).  Acyclicity is enforced on every edit: an edge that would close a
cycle raises :class:`GraphError` naming the cycle (``a → b → c → a``).
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

from gmmviz.core.errors import GmmvizError

#: The kinds of node (latent and parameter nodes are drawn dashed, observed ones shaded when given).
KINDS = ("observed", "latent", "parameter")

_NAME = re.compile(r"^[^\W\d][\w₀₁₂₃₄₅₆₇₈₉']*$")


class GraphError(GmmvizError):
    """A graph that cannot be: a cycle, an unknown node, a bad name.

    Attributes
    ----------
    position : int or None
        The 0-based index of the offending character in a parsed text, when there is one.
    """

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


@lru_cache(maxsize=65536)
def natural_key(name: str) -> tuple:
    """Sort key that puts x2 before x10 (digits compared as numbers, subscripts as digits)."""
    plain = name.translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789"))
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", plain) if p) + (name,)


def check_name(name: str) -> str:
    """``name`` stripped, if it is a variable name (a letter, then letters, digits, _, ')."""
    text = str(name).strip()
    if not _NAME.match(text):
        raise GraphError(f"{name!r} is not a variable name (start with a letter; letters, digits and _ only)")
    return text


@dataclass(frozen=True)
class Node:
    """One random variable of the graph.

    Attributes
    ----------
    name : str
    kind : str
        One of :data:`KINDS`.
    plate : str or None
        The plate (a repetition t = 1…T) it belongs to.
    """

    name: str
    kind: str = "observed"
    plate: str | None = None


@dataclass(frozen=True)
class Plate:
    """A plate: its nodes are repeated ``index`` = 1 … ``size``.

    Attributes
    ----------
    name : str
    index : str
        The index letter ("t").
    size : str
        What it runs to ("T").
    """

    name: str
    index: str = "t"
    size: str = "T"


@dataclass(frozen=True)
class DAG:
    """Named nodes and directed edges (parent, child), always acyclic.

    Build one with :meth:`from_edges` or by edits; the constructor checks it too.

    Attributes
    ----------
    nodes : tuple of Node
        In the order they were added (the drawing's order, not the factorisation's).
    edges : frozenset of (str, str)
        (parent, child) pairs.
    plates : tuple of Plate
    """

    nodes: tuple[Node, ...] = ()
    edges: frozenset = field(default_factory=frozenset)
    plates: tuple[Plate, ...] = ()

    def __post_init__(self):
        names = [n.name for n in self.nodes]
        if len(set(names)) != len(names):
            twice = sorted({n for n in names if names.count(n) > 1}, key=natural_key)
            raise GraphError(f"node {twice[0]!r} appears twice")
        known = set(names)
        for node in self.nodes:
            if node.kind not in KINDS:
                raise GraphError(f"node {node.name!r} has kind {node.kind!r}; expected one of {', '.join(KINDS)}")
            if node.plate is not None and node.plate not in {p.name for p in self.plates}:
                raise GraphError(f"node {node.name!r} is on plate {node.plate!r}, which the graph does not have")
        for a, b in self.edges:
            for end in (a, b):
                if end not in known:
                    raise GraphError(f"edge {a} → {b} names {end!r}, which is not a node")
            if a == b:
                raise GraphError(f"edge {a} → {a} is a cycle of one node")
        cycle = find_cycle(names, self.edges)
        if cycle:
            raise GraphError(f"the graph has a cycle {' → '.join(cycle)}")

    # -- construction -------------------------------------------------------------
    @classmethod
    def from_edges(cls, names, edges=(), *, kinds: dict | None = None, plates=(), plate_of: dict | None = None):
        """A DAG of ``names`` (in order) with ``edges`` [(parent, child), ...]."""
        kinds, plate_of = kinds or {}, plate_of or {}
        nodes = tuple(Node(check_name(n), kinds.get(n, "observed"), plate_of.get(n)) for n in names)
        return cls(nodes, frozenset((a, b) for a, b in edges), tuple(plates))

    # -- reading ----------------------------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n.name for n in self.nodes)

    def node(self, name: str) -> Node:
        for n in self.nodes:
            if n.name == name:
                return n
        raise GraphError(f"no node {name!r}; the nodes are {', '.join(self.names) or 'none'}")

    def __contains__(self, name) -> bool:
        return any(n.name == name for n in self.nodes)

    @cached_property
    def _adjacent(self) -> tuple[dict, dict]:
        """(parents, children) of every node, sorted, computed once per value (it never changes)."""
        ups: dict = {n: [] for n in self.names}
        downs: dict = {n: [] for n in self.names}
        for a, b in self.edges:
            ups[b].append(a)
            downs[a].append(b)
        return ({n: tuple(sorted(v, key=natural_key)) for n, v in ups.items()},
                {n: tuple(sorted(v, key=natural_key)) for n, v in downs.items()})

    def parents(self, name: str) -> tuple[str, ...]:
        """The parents of ``name``, sorted (:func:`natural_key`)."""
        return self._adjacent[0].get(name, ())

    def children(self, name: str) -> tuple[str, ...]:
        return self._adjacent[1].get(name, ())

    def descendants(self, name: str) -> frozenset:
        """Every node reachable from ``name`` along the edges (not ``name`` itself)."""
        out, stack = set(), [name]
        while stack:
            for c in self.children(stack.pop()):
                if c not in out:
                    out.add(c)
                    stack.append(c)
        return frozenset(out)

    def ancestors(self, names) -> frozenset:
        """Every node with a directed path into one of ``names`` (those included)."""
        out, stack = set(names), list(names)
        while stack:
            for p in self.parents(stack.pop()):
                if p not in out:
                    out.add(p)
                    stack.append(p)
        return frozenset(out)

    def topological_order(self) -> tuple[str, ...]:
        """The canonical order: Kahn's algorithm taking the smallest ready name each time."""
        indegree = {n: 0 for n in self.names}
        for _, b in self.edges:
            indegree[b] += 1
        ready = [(natural_key(n), n) for n, d in indegree.items() if d == 0]
        heapq.heapify(ready)
        order = []
        while ready:
            n = heapq.heappop(ready)[1]
            order.append(n)
            for c in self.children(n):
                indegree[c] -= 1
                if indegree[c] == 0:
                    heapq.heappush(ready, (natural_key(c), c))
        return tuple(order)

    def same_graph(self, other: DAG) -> bool:
        """Same node names and same edges (order, kinds and plates aside)."""
        return set(self.names) == set(other.names) and self.edges == other.edges

    # -- edits (each returns a new DAG) ------------------------------------------------
    def with_node(self, name: str, kind: str = "observed", plate: str | None = None) -> DAG:
        name = check_name(name)
        if name in self:
            raise GraphError(f"there is a node {name!r} already")
        return replace(self, nodes=self.nodes + (Node(name, kind, plate),))

    def without_node(self, name: str) -> DAG:
        self.node(name)
        return replace(self, nodes=tuple(n for n in self.nodes if n.name != name),
                       edges=frozenset(e for e in self.edges if name not in e))

    def with_edge(self, parent: str, child: str) -> DAG:
        self.node(parent), self.node(child)
        if parent == child:
            raise GraphError(f"an edge {parent} → {parent} would be a cycle")
        if (parent, child) in self.edges:
            raise GraphError(f"there is an edge {parent} → {child} already")
        path = directed_path(self, child, parent)
        if path:
            raise GraphError(f"an edge {parent} → {child} would close the cycle {' → '.join(path + [child])}")
        return replace(self, edges=self.edges | {(parent, child)})

    def without_edge(self, parent: str, child: str) -> DAG:
        if (parent, child) not in self.edges:
            raise GraphError(f"there is no edge {parent} → {child}")
        return replace(self, edges=self.edges - {(parent, child)})

    def renamed(self, old: str, new: str) -> DAG:
        node, new = self.node(old), check_name(new)
        if new != old and new in self:
            raise GraphError(f"there is a node {new!r} already")
        swap = {old: new}
        return replace(self, nodes=tuple(replace(n, name=new) if n is node else n for n in self.nodes),
                       edges=frozenset((swap.get(a, a), swap.get(b, b)) for a, b in self.edges))

    def with_kind(self, name: str, kind: str) -> DAG:
        node = self.node(name)
        return replace(self, nodes=tuple(replace(n, kind=kind) if n is node else n for n in self.nodes))

    def with_plate_of(self, name: str, plate: Plate | None) -> DAG:
        """Node ``name`` on ``plate`` (a plate the graph has, by name, or a new one), or off its plate
        (None); a plate left without nodes is removed."""
        node = self.node(name)
        plates = list(self.plates)
        if plate is not None:
            for text, what in ((plate.name, "name"), (plate.index, "index"), (plate.size, "size")):
                if not text.strip() or len(text) > 20:
                    raise GraphError(f"a plate's {what} is 1 to 20 characters, got {text!r}")
            if plate.name not in {p.name for p in plates}:
                plates.append(plate)
        nodes = tuple(replace(n, plate=None if plate is None else plate.name) if n is node else n for n in self.nodes)
        used = {n.plate for n in nodes}
        return replace(self, nodes=nodes, plates=tuple(p for p in plates if p.name in used))

    def with_plate_range(self, plate: str, index: str, size: str) -> DAG:
        """Plate ``plate`` repeated ``index`` = 1 … ``size``."""
        if plate not in {p.name for p in self.plates}:
            raise GraphError(f"the graph has no plate {plate!r}")
        for text, what in ((index, "index"), (size, "size")):
            if not text.strip() or len(text) > 20:
                raise GraphError(f"a plate's {what} is 1 to 20 characters, got {text!r}")
        return replace(self, plates=tuple(replace(p, index=index.strip(), size=size.strip()) if p.name == plate else p
                                          for p in self.plates))

    def to_networkx(self):
        """The graph as a ``networkx.DiGraph`` (networkx is imported here, lazily)."""
        import networkx as nx

        g = nx.DiGraph()
        g.add_nodes_from(self.names)
        g.add_edges_from(self.edges)
        return g


def parse_plate_range(text: str) -> tuple[str, str]:
    """``"t = 1…T"``, ``"t=1..T"``, ``"i = 1 ... d"`` or ``"t T"`` → ``("t", "T")``."""
    import re

    m = re.fullmatch(r"\s*([^\s=]{1,20})\s*(?:=\s*1\s*(?:…|\.\.\.?)\s*|\s+)([^\s=…]{1,20})\s*", text)
    if not m:
        raise GraphError(f"write the range as 't = 1…T' (an index and what it runs to), got {text!r}")
    return m.group(1), m.group(2)


def directed_path(dag: DAG, start: str, goal: str) -> list[str] | None:
    """A directed path start → … → goal as a list of names, or None."""
    previous, stack = {start: None}, [start]
    while stack:
        n = stack.pop()
        if n == goal:
            path = [n]
            while previous[path[-1]] is not None:
                path.append(previous[path[-1]])
            return path[::-1]
        for c in dag.children(n):
            if c not in previous:
                previous[c] = n
                stack.append(c)
    return None


def find_cycle(names, edges) -> list[str] | None:
    """A directed cycle [a, b, …, a] among ``edges``, or None (depth-first, colours)."""
    children: dict[str, list[str]] = {n: [] for n in names}
    for a, b in sorted(edges, key=lambda e: (natural_key(e[0]), natural_key(e[1]))):
        children.setdefault(a, []).append(b)
        children.setdefault(b, [])
    colour = dict.fromkeys(children, 0)
    for root in sorted(children, key=natural_key):
        if colour[root]:
            continue
        stack, path = [(root, iter(children[root]))], [root]
        colour[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                colour[node] = 2
                stack.pop()
                path.pop()
            elif colour[nxt] == 1:
                return path[path.index(nxt):] + [nxt]
            elif colour[nxt] == 0:
                colour[nxt] = 1
                stack.append((nxt, iter(children[nxt])))
                path.append(nxt)
    return None
