"""The graphs lab's part of a session (Qt-free): the graph document and the Ask tab's question.

::

    {"model": {MODEL.json}, "positions": {"a": [0.0, 0.0], ...}, "evidence": {"C": "1"},
     "joint": {"names": ["g", "a"], "states": [[...], [...]], "p": [[...], [...]], "total": 4526.0},
     "ask_x": ["a"], "ask_y": ["c"], "ask_z": ["b"]}

The model is the MODEL.json object (docs/graph-model.md) with its tables; a
node without a position is laid out; evidence names states.  Every field is
checked, and the names in the other fields against the model's nodes, before
anything is shown.
"""

from __future__ import annotations

import math

import numpy as np

from gmmviz.core.data import frozen_array
from gmmviz.core.errors import FileFormatError
from gmmviz.core.session.parts import Custom, read_part, write_part
from gmmviz.labs.graphs.core.dag import GraphError
from gmmviz.labs.graphs.core.discrete import DiscreteModel
from gmmviz.labs.graphs.core.document import GraphDocument
from gmmviz.labs.graphs.core.joint import JointTable
from gmmviz.labs.graphs.core.layout import layered_positions
from gmmviz.labs.graphs.core.model_json import MAX_NODES, model_from_data, model_to_data

#: The graph a fresh lab shows (the chain), with the pooled Berkeley table on the Joint tab.
FIRST_FACTORISATION = "P(a)P(b|a)P(c|b)"


def first_document() -> GraphDocument:
    """What a fresh graphs lab shows (``{}`` as a session part)."""
    from gmmviz.labs.graphs.core.examples import berkeley_joint
    from gmmviz.labs.graphs.core.factorisation import parse

    return GraphDocument.of(DiscreteModel(parse(FIRST_FACTORISATION))).with_joint(berkeley_joint())


def _model(value) -> DiscreteModel:
    return model_from_data(value)


def _positions(value) -> dict:
    if type(value) is not dict or len(value) > MAX_NODES:
        raise ValueError(f"expected an object {{node: [x, y]}} of at most {MAX_NODES} nodes")
    out = {}
    for name, xy in value.items():
        if (type(xy) is not list or len(xy) != 2
                or not all(type(v) in (int, float) and math.isfinite(v) and abs(v) < 1e9 for v in xy)):
            raise ValueError(f"{name!r}: expected [x, y], two finite numbers")
        out[name] = (float(xy[0]), float(xy[1]))
    return out


def _evidence(value) -> dict:
    if type(value) is not dict or not all(type(s) is str for s in value.values()):
        raise ValueError("expected an object {node: state name}")
    return dict(value)


def _names(value) -> tuple:
    if type(value) is not list or not all(type(n) is str for n in value) or len(value) > MAX_NODES:
        raise ValueError("expected a list of node names")
    return tuple(value)


def _joint(value) -> JointTable | None:
    if value is None:
        return None
    if type(value) is not dict or set(value) - {"names", "states", "p", "total"} or not {"names", "states", "p"} <= set(value):
        raise ValueError("expected null or an object with names, states, p and total")
    names, states, total = value["names"], value["states"], value.get("total", 0.0)
    if type(names) is not list or not all(type(n) is str for n in names):
        raise ValueError("names: expected a list of 2 or 3 variable names")
    if type(states) is not list or not all(type(s) is list and all(type(v) is str for v in s) for s in states):
        raise ValueError("states: expected a list of lists of state names")
    if type(total) not in (int, float) or not (math.isfinite(total) and total >= 0):
        raise ValueError("total: expected a number >= 0")
    try:
        p = np.array(value["p"], dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("p: expected a nested list of numbers, one axis per variable") from None
    try:
        checked = JointTable.from_counts(names, states, p, keep_total=False)  # shape, finite, >= 0, not all 0
    except GraphError as exc:
        raise ValueError(str(exc)) from None
    if abs(p.sum() - 1.0) > 1e-9:
        raise ValueError(f"p: the probabilities sum to {p.sum():.6g}, not 1")
    return JointTable(checked.names, checked.states, frozen_array(p), float(total))


FIELDS = (
    Custom("model", None, check=_model),
    Custom("positions", {}, check=_positions),
    Custom("evidence", {}, check=_evidence),
    Custom("joint", None, check=_joint),
    Custom("ask_x", (), check=_names, dump=list),
    Custom("ask_y", (), check=_names, dump=list),
    Custom("ask_z", (), check=_names, dump=list),
)


def part_of(doc: GraphDocument) -> dict:
    """The part of a document (with the Ask tab's question)."""
    j = doc.joint
    values = {
        "model": model_to_data(doc.model),
        "positions": {name: [float(x), float(y)] for name, (x, y) in doc.positions},
        "evidence": {name: doc.model.states[name][i] for name, i in doc.evidence},
        "joint": None if j is None else {"names": list(j.names), "states": [list(s) for s in j.states],
                                         "p": np.asarray(j.p).tolist(), "total": float(j.total)},
        "ask_x": doc.ask[0], "ask_y": doc.ask[1], "ask_z": doc.ask[2],
    }
    return write_part(values, FIELDS)


def read(key: str, part) -> GraphDocument:
    """The document (with its question) a part describes; ``{}`` is :func:`first_document`.

    Raises
    ------
    FileFormatError
        ``labs.<key>.<field>: why`` (a name that is not a node, a state the node does not have, ...).
    """
    values = read_part(key, part, FIELDS)
    first = first_document()
    model = values["model"] or first.model
    names = set(model.dag.names)

    def fail(name, message):
        raise FileFormatError(f"labs.{key}.{name}: {message}")

    for name in ("positions", "evidence", "ask_x", "ask_y", "ask_z"):
        unknown = sorted(set(values[name]) - names)
        if unknown:
            fail(name, f"{unknown[0]!r} is not a node of the model")
    try:
        evidence = tuple(model.evidence_indices(values["evidence"]).items())
    except GraphError as exc:
        fail("evidence", str(exc))
    asked = [values[f"ask_{w}"] for w in "xyz"]
    if len(set().union(*asked)) != sum(len(a) for a in asked):
        fail("ask_z", "X, Y and Z must not share a node")
    if values["model"] is None and not values["positions"]:
        positions = dict(first.positions)
    else:
        laid = layered_positions(model.dag)
        positions = {n: values["positions"].get(n, laid[n]) for n in model.dag.names}
    joint = values["joint"] if "joint" in part else first.joint
    return GraphDocument(model, tuple((n, positions[n]) for n in model.dag.names), evidence, joint, tuple(asked))


__all__ = ["FIELDS", "first_document", "part_of", "read"]
