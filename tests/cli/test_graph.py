"""``gmmviz graph``: the JSON answer against networkx, the text, inference, and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import networkx as nx
import pytest

from gmmviz.cli import main
from tests.cli.test_cli import assert_one_line_error

PROG = "gmmviz graph"

XOR = {"nodes": [{"name": "S"}, {"name": "A"}, "C"], "edges": [["S", "C"], ["A", "C"]],
       "tables": {"S": [0.7, 0.3], "A": [0.9, 0.1], "C": [[[1, 0], [0, 1]], [[0, 1], [1, 0]]]}}


def graph_json(capsys, *args) -> dict:
    status = main(["graph", *map(str, args), "--json"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert err == ""
    return json.loads(out)


def fails(capsys, *args, status=1) -> str:
    code = main(["graph", *map(str, args)])
    out, err = capsys.readouterr()
    assert code == status, (out, err)
    assert out == ""
    assert_one_line_error(err, PROG)
    return err


def test_json_has_nodes_edges_factorisation_and_explained_paths(capsys):
    r = graph_json(capsys, "P(a,b,c,d) = P(a) P(b|a) P(c|b) P(d|b)", "--independent", "c", "d", "--given", "b")
    assert [n["name"] for n in r["nodes"]] == ["a", "b", "c", "d"]
    assert r["edges"] == [["a", "b"], ["b", "c"], ["b", "d"]]
    assert r["factorisation"] == "P(a)P(b|a)P(c|b)P(d|b)"
    assert r["independent"] is True
    (path,) = r["paths"]
    assert path["nodes"] == ["c", "b", "d"] and path["open"] is False
    (step,) = path["interior"]
    assert step == {"node": "b", "kind": "fork", "blocks": True, "why": "fork node b is given", "via": None}


def test_answers_agree_with_networkx_on_a_model_file(capsys, tmp_path):
    path = tmp_path / "xor.json"
    path.write_text(json.dumps(XOR))
    g = nx.DiGraph([("S", "C"), ("A", "C")])
    for given, want in (([], True), (["C"], False)):
        args = ["--independent", "S", "A"] + (["--given", ",".join(given)] if given else [])
        r = graph_json(capsys, path, *args)
        assert r["independent"] is want is nx.is_d_separator(g, {"S"}, {"A"}, set(given))
        assert all(p["open"] is not r["independent"] for p in r["paths"])


def test_query_with_evidence_explains_away(capsys, tmp_path):
    path = tmp_path / "xor.json"
    path.write_text(json.dumps(XOR))
    r = graph_json(capsys, path, "--query", "A", "--evidence", "C=1,S=1")
    assert r["posterior"]["p"] == {"0": 1.0, "1": 0.0}
    r = graph_json(capsys, "example:simpson", "--query", "a", "--evidence", "z=female")
    assert r["posterior"]["p"]["admitted"] == pytest.approx(557 / 1835)


def test_text_output_says_why(capsys):
    assert main(["graph", "example:explaining-away", "--independent", "S", "A", "--given", "C"]) == 0
    out = capsys.readouterr().out
    assert "S ⊥̸ A | C: not independent" in out and "open     S → C ← A" in out and "explaining away" in out
    assert main(["graph", "P(x1)P(x2|x1)P(x3|x2)", "--implied"]) == 0
    assert "  x1 ⊥ x3 | x2" in capsys.readouterr().out


def test_a_parse_error_is_one_line_with_its_column(capsys):
    err = fails(capsys, "P(a)P(b|c)")
    assert "c appears (column 9)" in err
    assert "never closed (column 6)" in fails(capsys, "P(a)P(b|a")
    assert "cycle" in fails(capsys, "P(a|b)P(b|a)")


def test_bad_files_and_options(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"nodes": ["a"], "tables": {"a": [0.5, 0.6]}}')
    assert "sums to" in fails(capsys, bad)
    assert "no such file" in fails(capsys, tmp_path / "missing.json")
    assert "directory" in fails(capsys, tmp_path)
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert "named pipe" in fails(capsys, fifo)  # refused without blocking
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe{")
    assert "UTF-8" in fails(capsys, tmp_path / "bin.json")
    assert "not a node" in fails(capsys, "P(a)P(b)", "--independent", "a", "q")
    assert "overlap" in fails(capsys, "P(a)P(b)P(c)", "--independent", "a", "b", "--given", "a")
    assert "no state" in fails(capsys, "example:chain", "--query", "x1", "--evidence", "x2=7")
    assert "no example" in fails(capsys, "example:nope")
    assert "only with --independent" in fails(capsys, "P(a)", "--given", "a", status=2)
    assert "only with --query" in fails(capsys, "P(a)", "--evidence", "a=1", status=2)
    assert "no tables" in fails(capsys, "P(a)", "--query", "a", status=2)
    assert ".svg, .png or .json" in fails(capsys, "P(a)", "-o", "x.gif", status=2)
    assert "V=state" in fails(capsys, "example:chain", "--query", "x1", "--evidence", "x2", status=2)


def test_graph_loads_no_qt_without_output():
    code = """
import sys
from gmmviz.cli import main
assert main(["graph", "example:seven-node", "--independent", "x7", "x1", "--json"]) == 0
heavy = ("PySide6", "shiboken6", "pyqtgraph", "sklearn")
print(sorted(m for m in sys.modules if m.split(".")[0] in heavy or m.startswith("gmmviz.qt")))
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "[]"


def test_output_draws_the_graph_with_its_paths(capsys, tmp_path):
    svg, png = tmp_path / "g.svg", tmp_path / "g.png"
    r = graph_json(capsys, "example:seven-node", "--independent", "x7", "x1", "--given", "x3,x4", "-o", svg)
    assert r["output"] == str(svg) and "<svg" in svg.read_text()
    assert main(["graph", "P(a)P(b|a)P(c|b)", "-o", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    capsys.readouterr()
    err = fails(capsys, "P(a)", "-o", tmp_path / "missing" / "g.png")
    assert "cannot write" in err or "could not write" in err


def test_a_long_chain_is_fast_and_exact(capsys):
    n = 2000
    text = "P(x1)" + "".join(f"P(x{i}|x{i - 1})" for i in range(2, n + 1))
    r = graph_json(capsys, text, "--independent", "x1", f"x{n}", "--given", "x1000")
    assert r["factorisation"] == text and r["independent"] is True
    (path,) = r["paths"]
    assert len(path["nodes"]) == n and [s["node"] for s in path["interior"] if s["blocks"]] == ["x1000"]


def test_o_json_writes_a_model_file_that_reads_back_as_the_same_model(capsys, tmp_path):
    out = tmp_path / "model.json"
    shown = graph_json(capsys, "example:explaining-away", "-o", str(out))
    written = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(map(tuple, written["edges"])) == [("A", "C"), ("S", "C")] and "tables" in written
    again = graph_json(capsys, str(out), "--query", "A", "--evidence", "C=1,S=1")
    assert again["factorisation"] == shown["factorisation"]
    assert again["posterior"]["p"]["0"] == pytest.approx(1.0, abs=1e-12)  # the xor table came along
    plain = tmp_path / "plain.json"
    graph_json(capsys, "P(a,b) = P(a)P(b|a)", "-o", str(plain))
    assert "tables" not in json.loads(plain.read_text(encoding="utf-8"))  # a factorisation has none to keep


def dense(n: int) -> str:
    """Every node a child of all before it: its last table would have 2^n entries."""
    return "".join(f"P(x{i}|{','.join(f'x{j}' for j in range(i))})" if i else "P(x0)" for i in range(n))


def test_a_dense_factorisation_is_answered_without_building_its_tables(capsys):
    # 2^40 table entries were allocated for uniform tables nobody asked for: 24 GB and a kill
    r = graph_json(capsys, dense(40), "--independent", "x0", "x39", "--given", "x20")
    oracle = nx.DiGraph([(f"x{j}", f"x{i}") for i in range(40) for j in range(i)])
    assert r["independent"] is nx.is_d_separator(oracle, {"x0"}, {"x39"}, {"x20"}) is False
    assert r["truncated"] and len(r["paths"]) == 500  # listed up to the cap, and said so
    assert r["paths"][0]["nodes"] == ["x0", "x39"] and r["paths"][0]["open"]


def test_a_model_whose_tables_cannot_be_held_is_refused_naming_the_node(capsys, tmp_path):
    from gmmviz.labs.graphs.core.discrete import MAX_TABLE_CELLS

    err = fails(capsys, dense(40), "-o", str(tmp_path / "g.png"))
    first = MAX_TABLE_CELLS.bit_length() - 1  # the first node whose 2^(parents + 1) entries are too many
    assert f"x{first} has {first} parents" in err and f"at most {MAX_TABLE_CELLS:,}" in err
    model = tmp_path / "dense.json"
    model.write_text(json.dumps({"nodes": [f"x{i}" for i in range(30)],
                                 "edges": [[f"x{j}", f"x{i}"] for i in range(30) for j in range(i)]}))
    assert "parents" in fails(capsys, model, "--independent", "x0", "x1")
