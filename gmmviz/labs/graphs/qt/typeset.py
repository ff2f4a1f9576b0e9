"""The factorisation as typeset rich text: P(x₁, x₂) = P(x₁) P(x₂ | x₁), variables in italics.

Nodes on a plate get the plate's index as a subscript and their factors are
gathered under one product, as on the slides: P(π) Π<sub>t=1</sub><sup>T</sup>
P(z<sub>t</sub> | π) P(x<sub>t</sub> | z<sub>t</sub>, μ, Σ).
"""

from __future__ import annotations

import html

from gmmviz.labs.graphs.qt.items import display_name


def _var(dag, name: str, *, indexed: bool = True) -> str:
    text = f"<i>{html.escape(display_name(name))}</i>"
    plate = dag.node(name).plate
    if indexed and plate is not None:
        index = next(p.index for p in dag.plates if p.name == plate)
        text += f"<sub><i>{html.escape(index)}</i></sub>"
    return text


def _factor(dag, n: str) -> str:
    ps = dag.parents(n)
    given = f" | {', '.join(_var(dag, p) for p in ps)}" if ps else ""
    return f"P({_var(dag, n)}{given})"


def factorisation_html(dag) -> str:
    """``P(a, b) = P(a) P(b | a)`` of ``dag`` in its canonical order, as HTML (plates as products)."""
    order = dag.topological_order()
    if not order:
        return "<i>an empty graph: double click to add a node</i>"
    lhs = f"P({', '.join(_var(dag, n, indexed=False) for n in order)})"
    outside = [_factor(dag, n) for n in order if dag.node(n).plate is None]
    products = []
    for plate in dag.plates:
        inside = [_factor(dag, n) for n in order if dag.node(n).plate == plate.name]
        if inside:
            i, size = html.escape(plate.index), html.escape(plate.size)
            products.append(f"Π<sub><i>{i}</i>=1</sub><sup><i>{size}</i></sup> {' '.join(inside)}")
    return f"{lhs} = {' '.join(outside + products)}"
