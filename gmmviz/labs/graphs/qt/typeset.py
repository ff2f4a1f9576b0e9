"""The factorisation as typeset rich text: P(x₁, x₂) = P(x₁) P(x₂ | x₁), variables in italics."""

from __future__ import annotations

import html

from gmmviz.labs.graphs.qt.items import display_name


def _var(name: str) -> str:
    return f"<i>{html.escape(display_name(name))}</i>"


def factorisation_html(dag) -> str:
    """``P(a, b) = P(a) P(b | a)`` of ``dag`` in its canonical order, as HTML."""
    order = dag.topological_order()
    if not order:
        return "<i>an empty graph: double click to add a node</i>"
    factors = []
    for n in order:
        ps = dag.parents(n)
        given = f" | {', '.join(_var(p) for p in ps)}" if ps else ""
        factors.append(f"P({_var(n)}{given})")
    return f"P({', '.join(_var(n) for n in order)}) = {' '.join(factors)}"
