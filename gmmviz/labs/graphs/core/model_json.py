"""MODEL.json: a graph with its kinds, plates, states and tables (docs/graph-model.md).

::

    {"nodes": [{"name": "S", "kind": "observed", "states": ["0", "1"]}, ...],
     "edges": [["S", "C"], ["A", "C"]],
     "plates": [{"name": "t", "index": "t", "size": "T", "nodes": ["z", "x"]}],
     "tables": {"S": [0.7, 0.3], "C": [[[1, 0], [0, 1]], [[0, 1], [1, 0]]]}}

A node may be just its name (``"S"``).  A table's axes are the node's parents
in sorted order, then its own states; a node without a table gets a uniform one.
"""

from __future__ import annotations

import json
import math

from gmmviz.core.errors import FileFormatError
from gmmviz.labs.graphs.core.dag import DAG, KINDS, GraphError, Node, Plate
from gmmviz.labs.graphs.core.discrete import DiscreteModel

MAX_BYTES = 4 * 2**20
MAX_NODES = 200


def _strict_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def model_from_json(text: str) -> DiscreteModel:
    """Parse a MODEL.json text.

    Raises
    ------
    FileFormatError
        Naming the field that is wrong (also for a cycle or a bad table).
    """
    from gmmviz.core.io.jsonload import check_depth

    check_depth(text.encode("utf-8"))  # before the parser recurses into it
    try:
        data = json.loads(text, parse_constant=_strict_constant)
    except (json.JSONDecodeError, ValueError) as exc:
        raise FileFormatError(f"not valid JSON: {exc}") from None
    return model_from_data(data)


def model_from_data(data) -> DiscreteModel:
    """The model a parsed MODEL.json object describes (see :func:`model_from_json`)."""
    if not isinstance(data, dict):
        raise FileFormatError("a model is a JSON object with 'nodes' and 'edges'")
    unknown = set(data) - {"nodes", "edges", "plates", "tables", "comment"}
    if unknown:
        raise FileFormatError(f"unknown field {min(unknown)!r}; expected nodes, edges, plates, tables")
    raw_nodes = data.get("nodes")
    if not isinstance(raw_nodes, list) or not raw_nodes:
        raise FileFormatError("'nodes' must be a non-empty list")
    if len(raw_nodes) > MAX_NODES:
        raise FileFormatError(f"'nodes' has {len(raw_nodes)} nodes; at most {MAX_NODES}")
    plate_of, plates = {}, []
    for i, p in enumerate(data.get("plates", [])):
        if not isinstance(p, dict) or not isinstance(p.get("name"), str) or not isinstance(p.get("nodes", []), list):
            raise FileFormatError(f"plates[{i}] must be an object with a 'name' and a list of 'nodes'")
        plates.append(Plate(p["name"], str(p.get("index", "t")), str(p.get("size", "T"))))
        for n in p.get("nodes", []):
            plate_of[str(n)] = p["name"]
    nodes, states = [], {}
    for i, n in enumerate(raw_nodes):
        if isinstance(n, str):
            n = {"name": n}
        if not isinstance(n, dict) or not isinstance(n.get("name"), str):
            raise FileFormatError(f"nodes[{i}] must be a name or an object with a 'name'")
        kind = n.get("kind", "observed")
        if kind not in KINDS:
            raise FileFormatError(f"nodes[{i}] ({n['name']}): kind {kind!r}; expected one of {', '.join(KINDS)}")
        if "states" in n:
            s = n["states"]
            if not isinstance(s, list) or not s or not all(isinstance(v, (str, int)) for v in s):
                raise FileFormatError(f"nodes[{i}] ({n['name']}): 'states' must be a non-empty list of names")
            states[n["name"]] = tuple(str(v) for v in s)
        nodes.append(Node(n["name"].strip(), kind, plate_of.get(n["name"])))
    edges = data.get("edges", [])
    if not isinstance(edges, list) or not all(isinstance(e, list) and len(e) == 2 and all(isinstance(v, str)
                                                                                         for v in e) for e in edges):
        raise FileFormatError("'edges' must be a list of [parent, child] pairs of names")
    tables = data.get("tables", {})
    if not isinstance(tables, dict):
        raise FileFormatError("'tables' must be an object {node: nested list}")
    try:
        from gmmviz.labs.graphs.core.dag import check_name

        for node in nodes:
            check_name(node.name)
        dag = DAG(tuple(nodes), frozenset(tuple(e) for e in edges), tuple(plates))
        for name in tables:
            if name not in dag:
                raise GraphError(f"'tables' has {name!r}, which is not a node")
        return DiscreteModel(dag, states, tables)
    except GraphError as exc:
        raise FileFormatError(str(exc)) from None


def model_to_json(model: DiscreteModel, *, tables: bool = True) -> str:
    """The MODEL.json text of ``model`` (round-trips through :func:`model_from_json`)."""
    return json.dumps(model_to_data(model, tables=tables), indent=1, ensure_ascii=False)


def model_to_data(model: DiscreteModel, *, tables: bool = True) -> dict:
    """The MODEL.json object of ``model`` (plain JSON values)."""
    dag = model.dag
    out = {"nodes": [{"name": n.name, "kind": n.kind, "states": list(model.states[n.name])} for n in dag.nodes],
           "edges": sorted([list(e) for e in dag.edges])}
    if dag.plates:
        out["plates"] = [{"name": p.name, "index": p.index, "size": p.size,
                          "nodes": [n.name for n in dag.nodes if n.plate == p.name]} for p in dag.plates]
    if tables:
        out["tables"] = {n: _finite(model.tables[n].tolist()) for n in dag.names}
    return out


def _finite(values):
    if isinstance(values, list):
        return [_finite(v) for v in values]
    return values if math.isfinite(values) else 0.0


def read_model(path) -> DiscreteModel:
    """Read a MODEL.json file (a regular file of at most :data:`MAX_BYTES`)."""
    from gmmviz.core.io.reading import read_limited

    data = read_limited(path, MAX_BYTES, "a MODEL.json file", lambda size: FileFormatError(
        f"{path}: {size:,} bytes; a MODEL.json file is at most {MAX_BYTES:,} bytes"))
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileFormatError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        return model_from_json(text)
    except FileFormatError as exc:
        raise FileFormatError(f"{path}: {exc}") from None
