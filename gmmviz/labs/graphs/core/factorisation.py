"""The factorisation of a DAG, both ways: graph → ``P(a)P(b|a)…`` and text → graph.

The canonical text has one factor per node in the canonical topological
order (:meth:`DAG.topological_order`), each node's parents sorted:
``P(a)P(b|a)P(c|b)P(d|b)``.  The parser accepts the slide's notations:
an optional left side ``P(a,b,c,d) =``, ``ℙ`` or ``p`` for ``P``, spaces,
``·`` or ``*`` between factors.  Every error names what is wrong and the
character where it is (:attr:`GraphError.position`, 0-based; the message
says the 1-based column).
"""

from __future__ import annotations

from dataclasses import dataclass

from gmmviz.labs.graphs.core.dag import DAG, GraphError, find_cycle, natural_key

_P = ("P", "p", "ℙ", "Pr")
_NAME_EXTRA = "_'₀₁₂₃₄₅₆₇₈₉"


def to_text(dag: DAG, *, lhs: bool = False) -> str:
    """The canonical factorisation, e.g. ``P(a)P(b|a)P(c|b)``; ``lhs`` prefixes ``P(a,b,c) = ``."""
    order = dag.topological_order()
    factors = "".join(_factor(n, dag.parents(n)) for n in order)
    if not lhs:
        return factors
    return f"P({','.join(order)}) = {factors}"


def _factor(name: str, parents) -> str:
    return f"P({name}|{','.join(parents)})" if parents else f"P({name})"


@dataclass(frozen=True)
class Factor:
    """One parsed factor ``P(child | parents)`` and where it is in the text."""

    child: str
    parents: tuple[str, ...]
    start: int
    positions: tuple[int, ...]  # of child then each parent


class _Reader:
    def __init__(self, text: str):
        self.text, self.i = text, 0

    def error(self, message: str, at: int | None = None):
        at = self.i if at is None else at
        return GraphError(f"{message} (column {at + 1})", at)

    def spaces(self):
        while self.i < len(self.text) and self.text[self.i].isspace():
            self.i += 1

    def peek(self) -> str:
        return self.text[self.i] if self.i < len(self.text) else ""

    def name(self, what: str) -> tuple[str, int]:
        self.spaces()
        start = self.i
        if not (self.peek().isalpha()):
            found = repr(self.peek()) if self.peek() else "the end"
            raise self.error(f"expected {what}, found {found}")
        while self.i < len(self.text) and (self.text[self.i].isalnum() or self.text[self.i] in _NAME_EXTRA):
            self.i += 1
        return self.text[start:self.i], start

    def probability(self) -> int:
        """Read ``P(`` (any accepted spelling); return where the ``(`` is."""
        self.spaces()
        start = self.i
        for p in sorted(_P, key=len, reverse=True):
            if self.text.startswith(p, self.i):
                self.i += len(p)
                break
        else:
            found = repr(self.peek()) if self.peek() else "the end"
            raise self.error(f"expected a factor P(…), found {found}")
        self.spaces()
        if self.peek() != "(":
            raise self.error(f"expected '(' after {self.text[start:self.i].strip()}")
        self.i += 1
        return self.i - 1

    def names_until(self, stops: str, what: str, opened: int) -> list[tuple[str, int]]:
        out = [self.name(what)]
        while True:
            self.spaces()
            c = self.peek()
            if c == ",":
                self.i += 1
                out.append(self.name(what))
            elif c and c in stops:
                return out
            elif not c:
                raise self.error("unbalanced bracket: this '(' is never closed", opened)
            elif c == "(":
                raise self.error("unexpected '(' inside P(…)")
            else:
                raise self.error(f"expected ',' or {' or '.join(repr(s) for s in stops)}, found {c!r}")


def parse_factors(text: str) -> tuple[list[Factor], list[tuple[str, int]] | None]:
    """The factors of ``text`` and the left side's variables (None without ``P(…) =``)."""
    r = _Reader(text)
    r.spaces()
    if not r.peek():
        raise r.error("empty factorisation: write e.g. P(a)P(b|a)")
    lhs = None
    if "=" in text:
        opened = r.probability()
        lhs = r.names_until(")", "a variable", opened)
        r.i += 1
        r.spaces()
        if r.peek() != "=":
            raise r.error("expected '=' after the joint P(…)")
        r.i += 1
    factors = []
    while True:
        r.spaces()
        if not r.peek():
            break
        if r.peek() in "·*⋅":
            if not factors:
                raise r.error(f"{r.peek()!r} before the first factor")
            r.i += 1
            r.spaces()
        if r.peek() == ")":
            raise r.error("unbalanced bracket: ')' without '('")
        start = r.i
        opened = r.probability()
        names = r.names_until(")|", "a variable", opened)
        parents = []
        if r.peek() == "|":
            r.i += 1
            parents = r.names_until(")", "a conditioning variable", opened)
        r.i += 1  # the ')'
        if len(names) > 1:
            raise r.error(f"a factor of a DAG has one variable left of '|', this one has {len(names)}", names[1][1])
        child, at = names[0]
        seen = {}
        for p, pos in parents:
            if p == child:
                raise r.error(f"{child} is conditioned on itself in P({child}|…)", pos)
            if p in seen:
                raise r.error(f"{p} is conditioned on twice in the factor of {child}", pos)
            seen[p] = pos
        factors.append(Factor(child, tuple(p for p, _ in parents), start, (at,) + tuple(pos for _, pos in parents)))
    if not factors:
        raise r.error("no factor after '=': write e.g. P(a)P(b|a)")
    return factors, lhs


def parse(text: str) -> DAG:
    """The DAG a factorisation text describes.

    Raises
    ------
    GraphError
        With ``position`` at the offending character: an unbalanced bracket, a
        variable conditioned on twice, a variable with two factors, a variable
        that appears without a factor of its own, a cycle, a left side that does
        not list exactly the factors' variables.
    """
    factors, lhs = parse_factors(text)
    owner: dict[str, Factor] = {}
    for f in factors:
        if f.child in owner:
            raise GraphError(f"{f.child} has two factors, P({f.child}|…) appears twice (column {f.start + 1})", f.start)
        owner[f.child] = f
    for f in factors:
        for p, pos in zip(f.parents, f.positions[1:]):
            if p not in owner:
                raise GraphError(f"{p} appears (column {pos + 1}) but has no factor of its own: add P({p}) "
                                 f"or P({p}|…)", pos)
    if lhs is not None:
        names = [n for n, _ in lhs]
        for n, pos in lhs:
            if names.count(n) > 1:
                raise GraphError(f"{n} appears twice in the joint P(…) (column {pos + 1})", pos)
            if n not in owner:
                raise GraphError(f"{n} is in the joint (column {pos + 1}) but has no factor: add P({n}|…)", pos)
        for f in factors:
            if f.child not in names:
                raise GraphError(f"P({f.child}|…) (column {f.start + 1}) is a factor of a variable the joint "
                                 "P(…) does not list", f.start)
    edges = {(p, f.child) for f in factors for p in f.parents}
    order = [n for n, _ in lhs] if lhs is not None else [f.child for f in factors]
    cycle = find_cycle(order, edges)
    if cycle:
        # point at the factor that closes the cycle: the conditioning of its last edge
        a, b = cycle[-2], cycle[-1]
        pos = owner[b].positions[1 + owner[b].parents.index(a)]
        raise GraphError(f"the factors make a cycle {' → '.join(cycle)} (column {pos + 1}): a DAG has none", pos)
    return DAG.from_edges(order, sorted(edges, key=lambda e: (natural_key(e[1]), natural_key(e[0]))))


def caret(text: str, position: int) -> str:
    """Two lines: ``text`` and a ``^`` under ``position`` (for a text field's tooltip)."""
    return f"{text}\n{' ' * position}^"
