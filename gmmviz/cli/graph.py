"""``gmmviz graph``: a DAG's factorisation, its independencies and why, and exact inference.

::

    gmmviz graph FACTORISATION|MODEL.json|example:KEY
                 [--independent X[,X…] Y[,Y…] [--given Z[,Z…]]]
                 [--query V --evidence V=s,…] [--implied] [--json] [-o graph.svg|png]

The graph is a factorisation such as ``"P(a)P(b|a)P(c|b)"`` (the slide's
notations are accepted), a MODEL.json file (docs/graph-model.md: nodes, edges,
tables) or one of the lecture's examples (``example:explaining-away``).
Loads the graphs lab's core (numpy) only; ``-o`` builds the lab's canvas
offscreen, importing Qt only after every argument has been checked.
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass
from pathlib import Path

from gmmviz.cli.args import EXIT_OK, DataError, Parser, UsageError
from gmmviz.cli.fit import _json_safe

PROG = "gmmviz graph"
FORMATS = (".png", ".svg", ".json")


def _names(text: str) -> tuple[str, ...]:
    names = tuple(p.strip() for p in text.split(","))
    if not all(names):
        raise argparse.ArgumentTypeError(f"expected names separated by commas, got {text!r}")
    return names


def _evidence(text: str) -> dict[str, str]:
    out = {}
    for part in text.split(","):
        name, eq, state = (s.strip() for s in part.partition("="))
        if not eq or not name or not state:
            raise argparse.ArgumentTypeError(f"expected V=state,… got {text!r}")
        if name in out:
            raise argparse.ArgumentTypeError(f"{name} is given twice in {text!r}")
        out[name] = state
    return out


def _parser() -> Parser:
    p = Parser(
        prog=PROG,
        description="Read a directed graphical model: its factorisation P(x1..xn) = Π P(xi | parents), "
        "whether X ⊥ Y | Z by d-separation with every path explained, and P(V | evidence) by exact inference.",
        epilog="SOURCE: a factorisation like 'P(a)P(b|a)P(c|b)', a MODEL.json file (see docs/graph-model.md) or "
        "example:KEY (chain, explaining-away, traffic, simpson, seven-node, ...). "
        "Exit status: 0 done, 1 bad graph or file, 2 bad options.",
    )
    p.add_argument("source", metavar="FACTORISATION|MODEL.json", help="the graph")
    p.add_argument("--independent", nargs=2, type=_names, metavar=("X", "Y"),
                   help="ask whether X ⊥ Y (each a comma-separated list of nodes)")
    p.add_argument("--given", type=_names, default=None, metavar="Z", help="the conditioning set Z, comma-separated")
    p.add_argument("--query", default=None, metavar="V", help="compute P(V | evidence) (needs a MODEL.json's tables)")
    p.add_argument("--evidence", type=_evidence, default=None, metavar="V=s,...", help="observed states")
    p.add_argument("--implied", action="store_true", help="list every pairwise independence with minimal sets")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    p.add_argument("-o", "--output", default=None, metavar="OUT", help="draw the graph to OUT (.svg or .png), or write it as a MODEL.json (.json) to edit")
    return p


def graph_command(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.given is not None and args.independent is None:
        parser.error("argument --given: only with --independent X Y")
    if args.evidence is not None and args.query is None:
        parser.error("argument --evidence: only with --query V")
    if args.output is not None and Path(args.output).suffix.lower() not in FORMATS:
        parser.error(f"argument -o/--output: expected a .svg, .png or .json file, got {args.output!r}")
    from gmmviz.core.errors import GmmvizError

    try:
        model, has_tables = load_source(args.source)
        if args.query is not None and not has_tables:
            raise UsageError(PROG, "argument --query: a factorisation has no tables; give a MODEL.json "
                                   "with 'tables' or an example:KEY")
        result = run_graph(model, args)
        if args.output is not None:
            if Path(args.output).suffix.lower() == ".json":
                _write_model(model, args.output, has_tables)
            else:
                _draw(model, args.output, result)
            result["output"] = args.output
    except GmmvizError as exc:
        raise DataError(PROG, str(exc)) from None
    print(json.dumps(_json_safe(result), ensure_ascii=False, allow_nan=False) if args.json else format_text(result))
    return EXIT_OK


def load_source(source: str):
    """The model and whether its tables mean something (a factorisation's are uniform)."""
    from gmmviz.labs.graphs.core.examples import example
    from gmmviz.labs.graphs.core.factorisation import parse
    from gmmviz.labs.graphs.core.model_json import read_model

    if source.startswith("example:"):
        e = example(source.removeprefix("example:"))
        return e.model, e.has_tables
    looks_like_text = "(" in source
    if not looks_like_text and (source.endswith(".json") or os.sep in source or os.path.exists(source)):
        return read_model(source), True
    from gmmviz.labs.graphs.core.dag import GraphError

    try:
        return Structure(parse(source)), False
    except GraphError as exc:
        raise GraphError(f"in {source!r}: {exc}") from None


@dataclass(frozen=True)
class Structure:
    """A factorisation's graph, without tables: what it says (nodes, d-separation) needs none, and a
    dense graph's uniform tables (2^n entries) would not fit in memory.  Binary states, as a model
    made from it would have."""

    dag: object

    @property
    def states(self) -> dict:
        return {n: ("0", "1") for n in self.dag.names}

    def model(self):
        """The model with uniform tables (a GraphError if they are too large)."""
        from gmmviz.labs.graphs.core.discrete import DiscreteModel

        return DiscreteModel(self.dag)


def run_graph(model, args) -> dict:
    """The ``--json`` object."""
    from gmmviz.labs.graphs.core.factorisation import to_text

    dag = model.dag
    result = {
        "nodes": [{"name": n.name, "kind": n.kind, "plate": n.plate, "parents": list(dag.parents(n.name)),
                   "states": list(model.states[n.name])} for n in dag.nodes],
        "edges": [[a, b] for a, b in sorted(dag.edges)],
        "factorisation": to_text(dag),
        "joint": to_text(dag, lhs=True),
    }
    if args.independent is not None:
        result.update(independence(dag, *args.independent, args.given or ()))
    if args.query is not None:
        result["posterior"] = query(model, args.query, args.evidence or {})
    if args.implied:
        from gmmviz.labs.graphs.core.dsep import implied_independencies

        result["implied"] = [{"x": i.x, "y": i.y, "given": list(i.z), "text": i.text()}
                             for i in implied_independencies(dag)]
    return result


def independence(dag, x, y, z) -> dict:
    from gmmviz.labs.graphs.core.dsep import explain

    e = explain(dag, x, y, z)
    return {
        "x": list(e.x), "y": list(e.y), "given": list(e.z), "independent": e.independent,
        "statement": e.statement(), "truncated": e.truncated,
        "paths": [{"nodes": list(p.nodes), "text": p.text(), "open": p.open,
                   "interior": [{"node": s.node, "kind": s.kind, "blocks": s.blocks, "why": s.reason,
                                 "via": s.via} for s in p.steps]} for p in e.paths],
    }


def query(model, v: str, evidence: dict) -> dict:
    from gmmviz.labs.graphs.core.discrete import posterior

    p = posterior(model, v, evidence)
    return {"query": v, "evidence": evidence, "p": dict(zip(model.states[v], p.tolist()))}


def format_text(r: dict) -> str:
    nodes = [n["name"] if n["kind"] == "observed" else f"{n['name']} ({n['kind']})" for n in r["nodes"]]
    lines = [f"nodes: {', '.join(nodes)}", f"factorisation: {r['joint']}"]
    if "independent" in r:
        lines.append(f"{r['statement']}: {'independent' if r['independent'] else 'not independent'}"
                     f" ({len(r['paths'])} path{'s' * (len(r['paths']) != 1)}"
                     f"{', more not listed' if r['truncated'] else ''})")
        for p in r["paths"]:
            if p["open"]:
                why = "; ".join(s["why"] for s in p["interior"] if s["kind"] == "collider") or "no node blocks it"
                lines.append(f"  open     {p['text']}  ({why})")
            else:
                why = "; ".join(s["why"] for s in p["interior"] if s["blocks"])
                lines.append(f"  blocked  {p['text']}  ({why})")
    if "posterior" in r:
        q = r["posterior"]
        given = ", ".join(f"{k}={v}" for k, v in q["evidence"].items())
        lines.append(f"P({q['query']}{' | ' + given if given else ''}): "
                     + ", ".join(f"{s}: {p:.6g}" for s, p in q["p"].items()))
    if "implied" in r:
        lines.append("implied independencies:" if r["implied"] else "implied independencies: none")
        lines.extend(f"  {i['text']}" for i in r["implied"])
    if "output" in r:
        lines.append(f"wrote {r['output']}")
    return "\n".join(lines)


def _write_model(model, output: str, has_tables: bool) -> None:
    """The model as MODEL.json (with its tables unless they are a factorisation's uniform ones), atomically."""
    from gmmviz.core.io.atomic import atomic_write_text
    from gmmviz.labs.graphs.core.model_json import model_to_json

    atomic_write_text(output, [model_to_json(model, tables=has_tables) + "\n"])


def _draw(model, output: str, result: dict) -> None:
    from gmmviz.cli.render import use_offscreen_platform

    use_offscreen_platform()
    from gmmviz.core.errors import GmmvizError
    from gmmviz.labs.graphs.qt.export import write_graph_image

    try:
        ask = (result["x"], result["y"], result["given"]) if "paths" in result else None
        write_graph_image(model.model() if isinstance(model, Structure) else model, output, ask=ask)
    except (OSError, ValueError) as exc:
        raise GmmvizError(f"cannot write {output!r}: {getattr(exc, 'strerror', None) or exc}") from None
