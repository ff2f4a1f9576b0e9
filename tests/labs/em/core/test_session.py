"""Session files (.gmmviz): exact round trips, golden files, strict refusals (Qt-free)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gmmviz.core.io.csv_preview import sniff_columns, suggest_columns
from gmmviz.labs.em.core.steps import run_em
from gmmviz.core.errors import FileFormatError, GmmvizError
from gmmviz.core.io.points import ImportCancelled
from gmmviz.labs.em.core.session.files import (
    MAX_SESSION_BYTES,
    RunRecord,
    Session,
    read_session,
    session_from_bytes,
    session_to_text,
    write_session,
)
from gmmviz.labs.em.core.session.model import same_params
from gmmviz.core.data import ClassInfo, Dataset
from gmmviz.labs.em.core.types import Collapse, FitConfig, ModelSettings

from core.helpers import SESSION_DATA, session_corpus

GOLDEN = SESSION_DATA / "v1"
CORPUS = session_corpus()
MALFORMED = CORPUS.cases()


def make_session(n: int = 40, *, history: bool = True, seed: int = 3, ctype: str = "full") -> Session:
    """A session with awkward floats and names, and (optionally) a real run's history.

    The run is of the points without the two extreme ones (as if a lecturer
    had added them since): EM on 1.8e308 would only report a collapse.
    """
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(-2, 1, (n // 2, 2)), rng.normal(2, 0.5, (n - n // 2, 2))])
    X[0] = (-0.0, 5e-324)  # signed zero and the smallest subnormal survive
    X[1] = (1.7976931348623157e308, -1 / 3)
    classes = (ClassInfo("α class", "#E69F00"), ClassInfo('with "quotes", commas', "#56b4e9"),
               ClassInfo("", "#000000"))
    ds = Dataset(X, rng.integers(0, 3, n), classes)
    s = ModelSettings(n_components=2, covariance_type=ctype, init="kmeans++", seed=seed, reg_covar=1e-6,
                        max_iter=60, tol=1e-5)
    view = ((-5.0, 5.0), (-3.25, 1e-3))
    if not history:
        return Session(ds, s, view=view)
    cfg = FitConfig(n_components=2, covariance_type=ctype, init="kmeans++", max_iter=60, tol=1e-5,
                    random_state=seed)
    snaps = tuple(run_em(X[2:], cfg))
    cursor = len(snaps) // 2
    reason = "converged" if snaps[-1].converged else "max_iter"
    return Session(ds, s, params=snaps[cursor].params, cursor=cursor, history=RunRecord(snaps, reason), view=view)


# --------------------------------------------------------------------------
# Round trips
# --------------------------------------------------------------------------


@pytest.mark.parametrize("history", [False, True])
@pytest.mark.parametrize("ctype", ["full", "diag", "spherical", "tied"])
def test_save_load_save_is_byte_identical(tmp_path, history, ctype):
    session = make_session(history=history, ctype=ctype)
    path = tmp_path / "lecture.gmmviz"
    write_session(path, session)
    first = path.read_bytes()
    loaded = read_session(path)
    write_session(path, loaded)
    assert path.read_bytes() == first
    assert loaded.dataset.X.tobytes() == session.dataset.X.tobytes()  # bit for bit, -0.0 and subnormals too
    assert np.array_equal(loaded.dataset.labels, session.dataset.labels)
    assert loaded.dataset.classes == session.dataset.classes
    assert loaded.settings == session.settings and loaded.view == session.view
    if history:
        assert len(loaded.history.snapshots) == len(session.history.snapshots)
        for a, b in zip(loaded.history.snapshots, session.history.snapshots):
            assert same_params(a.params, b.params) and a.phase == b.phase and a.iteration == b.iteration
            assert np.array_equal([a.log_likelihood, a.q, a.entropy], [b.log_likelihood, b.q, b.entropy],
                                  equal_nan=True)
        assert same_params(loaded.params, session.params) and loaded.cursor == session.cursor


def test_text_is_canonical_json_with_fixed_field_order():
    text = session_to_text(make_session())
    doc = json.loads(text)
    assert list(doc) == ["format", "version", "data", "classes", "model", "params", "manual_params",
                         "cursor", "view", "history"]
    assert doc["format"] == "gmmviz-session" and doc["version"] == 1
    assert text.startswith('{\n "format": "gmmviz-session",\n "version": 1,\n')
    assert "NaN" not in text and "Infinity" not in text
    assert doc["history"]["snapshots"][0]["q"] is None  # the initialisation has no bound terms
    assert all("resp" not in snap for snap in doc["history"]["snapshots"])


def test_a_large_session_round_trips_quickly(tmp_path):
    import time

    rng = np.random.default_rng(0)
    n = 200_000
    ds = Dataset(rng.normal(size=(n, 2)) * 1e3, rng.integers(0, 3, n),
                 tuple(ClassInfo(f"c{i}", "#123456") for i in range(3)))
    path = tmp_path / "big.gmmviz"
    start = time.perf_counter()
    write_session(path, Session(ds))
    loaded = read_session(path)
    assert time.perf_counter() - start < 5.0
    assert loaded.dataset.X.tobytes() == ds.X.tobytes()


def test_an_invalid_session_is_never_written(tmp_path):
    path = tmp_path / "kept.gmmviz"
    write_session(path, make_session(history=False))
    before = path.read_bytes()
    bad = replace(make_session(history=False), cursor=10**6)
    with pytest.raises(FileFormatError, match="cursor"):
        write_session(path, bad)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["kept.gmmviz"]  # no temporary left behind


def test_a_session_too_large_to_read_back_is_never_written(tmp_path, monkeypatch):
    import gmmviz.labs.em.core.session.files as session_module

    path = tmp_path / "kept.gmmviz"
    write_session(path, make_session(history=False))
    before = path.read_bytes()
    monkeypatch.setattr(session_module, "MAX_SESSION_BYTES", len(before) - 1)
    with pytest.raises(FileFormatError, match="larger than"):
        write_session(path, make_session(history=False))
    assert path.read_bytes() == before and len(list(tmp_path.iterdir())) == 1


def test_progress_reports_and_cancels():
    data = session_to_text(make_session()).encode()
    seen = []
    read_session(data, progress=lambda f: seen.append(f))
    assert seen == sorted(seen) and seen[-1] == 1.0
    with pytest.raises(ImportCancelled):
        read_session(data, progress=lambda f: f < 0.5)


# --------------------------------------------------------------------------
# Golden files: what version 1 looks like; every later gmmviz must read them
# --------------------------------------------------------------------------


def test_every_golden_file_loads_and_saves_back_identically(tmp_path):
    files = sorted(GOLDEN.glob("*.gmmviz"))
    assert len(files) >= 5
    for path in files:
        session = read_session(path)
        out = tmp_path / path.name
        write_session(out, session)
        assert out.read_bytes() == path.read_bytes(), path.name  # the v1 writer is frozen


def test_golden_minimal_content():
    s = read_session(GOLDEN / "minimal.gmmviz")
    assert [v.hex() for v in s.dataset.X.ravel()] == [
        (0.1).hex(), (-0.0).hex(), (1e-300).hex(), (1e300).hex(), (-2.5).hex(), (3.0).hex()]
    assert s.dataset.labels.tolist() == [0, 1, 1]
    assert s.dataset.classes == (ClassInfo("a", "#000000"), ClassInfo("b", "#ffffff"))
    assert s.settings == ModelSettings()
    assert s.params is None and s.history is None and s.cursor == -1 and s.view is None


def test_golden_empty_content():
    s = read_session(GOLDEN / "empty.gmmviz")
    assert s.dataset.n_points == 0 and [c.name for c in s.dataset.classes] == ["Class 1", "Class 2", "Class 3"]


def test_golden_history_content():
    s = read_session(GOLDEN / "with_history.gmmviz")
    assert s.dataset.n_points == 24 and s.dataset.classes[1].name == 'Ünïcode "quoted", name'
    assert s.settings == ModelSettings(2, "full", "kmeans++", 7, 1e-6, 50, 1e-4)
    snaps = s.history.snapshots
    assert s.history.finish_reason == "converged" and snaps[-1].converged and len(snaps) == 31
    assert [x.phase for x in snaps[:4]] == ["init", "E", "M", "E"]
    assert np.isnan(snaps[0].q) and np.isfinite(snaps[1].q)
    assert s.cursor == 3 and same_params(s.params, snaps[3].params)
    assert s.view == ((-4.5, 4.25), (-2.0, 3.5))
    lls = [x.log_likelihood for x in snaps[1:] if x.phase == "M"]
    assert all(b >= a - 1e-9 for a, b in zip(lls, lls[1:]))  # a real EM run


def test_golden_manual_and_collapse_content():
    s = read_session(GOLDEN / "diag_manual.gmmviz")
    assert s.settings.init == "manual" and s.manual_params.covariance_type == "diag"
    assert s.manual_params.covariances.tolist() == [[1.0, 2.0], [0.5, 0.25]] and s.history is None
    t = read_session(GOLDEN / "tied_collapse.gmmviz")
    c = t.history.snapshots[-1].collapse
    assert t.history.finish_reason == "collapse"
    assert c == Collapse((1,), ("point",), ((3.0, 1.0),), "Component 2 collapsed onto a single point.")


# --------------------------------------------------------------------------
# Refusals
# --------------------------------------------------------------------------


def test_the_corpus_base_is_valid():
    read_session(CORPUS.base_bytes())
    assert len(MALFORMED) >= 20


@pytest.mark.parametrize("content, fragment", [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_malformed_session_is_refused_naming_the_field(content, fragment):
    with pytest.raises(FileFormatError) as info:
        session_from_bytes(content)
    message = str(info.value)
    assert fragment in message, message
    assert len(message) < 400 and "Traceback" not in message


def test_future_version_message_says_what_to_do():
    with pytest.raises(FileFormatError, match=r"newer gmmviz.*version 99.*update gmmviz"):
        session_from_bytes(CORPUS.edit("version", 99))


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.gmmviz"
    with open(path, "wb") as f:  # sparse: costs no disk space
        f.write(b"{")
        f.truncate(MAX_SESSION_BYTES + 1)
    with pytest.raises(FileFormatError, match="at most 1 GiB"):
        read_session(path)


def test_missing_file_and_directory_are_clear(tmp_path):
    with pytest.raises(GmmvizError, match="no such file"):
        read_session(tmp_path / "nope.gmmviz")
    with pytest.raises(GmmvizError, match="directory"):
        read_session(tmp_path)


# --------------------------------------------------------------------------
# Mutations: anything loads a valid session or is refused cleanly
# --------------------------------------------------------------------------

BASE_DOC = json.loads(session_to_text(make_session(n=12)))
BASE_TEXT = session_to_text(make_session(n=12)).encode()


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value[:4]):
            yield from _paths(v, prefix + (i,))


PATHS = [p for p in _paths(BASE_DOC) if p]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12)
    | st.sampled_from(["full", "diag", "E", "M", "init", "#00ff00", "converged", "manual"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8,
)


def _must_load_or_refuse(data: bytes) -> None:
    try:
        session = session_from_bytes(data)
    except (FileFormatError, GmmvizError):
        return
    again = session_to_text(session)  # whatever loads is a valid session: it saves and loads back
    assert session_to_text(session_from_bytes(again.encode())) == again


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_fields_load_or_are_refused(data):
    doc = json.loads(json.dumps(BASE_DOC))
    path = data.draw(st.sampled_from(PATHS))
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    action = data.draw(st.sampled_from(["delete", "replace", "retype"]))
    if action == "delete":
        del parent[path[-1]]
    elif action == "replace":
        parent[path[-1]] = data.draw(json_values)
    else:
        old = parent[path[-1]]
        parent[path[-1]] = str(old) if not isinstance(old, str) else [old]
    _must_load_or_refuse(json.dumps(doc, ensure_ascii=data.draw(st.booleans())).encode())


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=len(BASE_TEXT)), st.lists(
    st.tuples(st.integers(min_value=0, max_value=len(BASE_TEXT) - 1), st.integers(min_value=0, max_value=255)),
    max_size=4))
def test_truncated_or_flipped_bytes_load_or_are_refused(cut, flips):
    data = bytearray(BASE_TEXT)
    for pos, byte in flips:
        data[pos] = byte
    _must_load_or_refuse(bytes(data[:cut] if not flips or cut % 2 else data))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_load_or_are_refused(data):
    _must_load_or_refuse(data)


def test_field_paths_in_messages_look_like_paths():
    with pytest.raises(FileFormatError) as info:
        session_from_bytes(CORPUS.edit("classes[1].color", "red"))
    assert re.match(r"classes\[1\]\.color: ", str(info.value))
    assert os.sep not in str(info.value)


# --------------------------------------------------------------------------
# A first look at a CSV file's columns (for the import dialog)
# --------------------------------------------------------------------------


@pytest.mark.parametrize("content, reader, suggested", [
    (b"id,height,group,weight,note\n1,1.5,a,10.25,x\n", (0, 1, None), (1, 3, 2)),
    (b"a,b,c,d\n1,2,3,4\n", (0, 1, None), (0, 1, None)),
    (b"1,2,3,4,5\n6,7,8,9,0\n", (0, 1, 2), (0, 1, 2)),
    (b"x,foo,y,label,z\n1,2,3,a,4\n", (0, 2, 3), (0, 2, 3)),
    (b"\n\nn,m\r\n1,2\r\n", (0, 1, None), (0, 1, None)),
])
def test_sniff_columns_matches_the_reader_and_suggests_better_defaults(content, reader, suggested):
    from gmmviz.core.io.points import read_csv

    guess = sniff_columns(content)
    assert (guess.x, guess.y, guess.label) == reader
    assert suggest_columns(guess) == suggested
    table = read_csv(content)
    assert table.columns == tuple(guess.names[i] for i in reader if i is not None)


def test_sniff_columns_reads_only_the_head_and_previews_rows(tmp_path):
    path = tmp_path / "long.csv"
    path.write_bytes(b"p,q,r,s\n" + b"1,2,3,4\n" * 100_000 + b"oops\n")
    guess = sniff_columns(path, preview_rows=3)
    assert guess.names == ("p", "q", "r", "s") and guess.has_header
    assert guess.preview == (("1", "2", "3", "4"),) * 3
    with pytest.raises(FileFormatError, match="line 1"):
        sniff_columns(b"")
    with pytest.raises(GmmvizError, match="no such file"):
        sniff_columns(tmp_path / "missing.csv")



# --------------------------------------------------------------------------
# Long number lists stream into arrays (issue 11, item 12)
# --------------------------------------------------------------------------


def _long_session(n: int = 3000) -> bytes:
    from gmmviz.core.commands import default_classes
    from gmmviz.core.data import Dataset
    from gmmviz.labs.em.core.session.files import session_to_text
    from gmmviz.labs.em.core.session.model import Session
    from gmmviz.labs.em.core.types import ModelSettings

    rng = np.random.default_rng(3)
    ds = Dataset(rng.normal(size=(n, 2)) * 1e-3, rng.integers(0, 1, n), default_classes(1))
    return session_to_text(Session(dataset=ds, settings=ModelSettings(), params=None, manual_params=None,
                                   cursor=-1, history=None, view=None)).encode()


def test_long_lists_read_back_bit_identical_through_the_array_path(monkeypatch):
    import gmmviz.core.io.jsonload as jl
    from gmmviz.labs.em.core.session.files import session_from_bytes, session_to_text

    monkeypatch.setattr(jl, "PIECE_BYTES", 1000)  # many pieces
    data = _long_session()
    session = session_from_bytes(data)
    assert session_to_text(session).encode() == data


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda t: t.replace(b'"x": [', b'"x": [1.e5, ', 1), r"line 5.*not valid JSON"),
    (lambda t: t.replace(b'"x": [', b'"x": [NaN, ', 1), r"data\.x\[0\]: expected a number, got the literal NaN"),
    (lambda t: t.replace(b'"x": [', b'"x": [1e999, ', 1), r"data\.x\[0\]: the number is too large"),
    (lambda t: t.replace(b'"x": [', b'"x": [1' + b"0" * 5000 + b", ", 1), "thousands of digits"),
    (lambda t: t.replace(b'],\n  "y"', b', ],\n  "y"', 1), "not valid JSON"),
    (lambda t: t.replace(b'"labels": [0', b'"labels": [0.0', 1), r"data\.labels\[0\]: expected an integer"),
    (lambda t: t.replace(b'"x": [', b'"x": [0, ', 1), "as long as each other"),
    (lambda t: t.replace(b'"x": [', b'"x": [0, "a", ', 1), r"data\.x\[1\]: expected a number, got a string"),
])
def test_long_lists_are_as_strict_as_short_ones(edit, expected, monkeypatch):
    import gmmviz.core.io.jsonload as jl
    from gmmviz.labs.em.core.session.files import session_from_bytes

    monkeypatch.setattr(jl, "PIECE_BYTES", 1000)
    with pytest.raises(FileFormatError, match=expected):
        session_from_bytes(edit(_long_session()))


def test_a_list_longer_than_the_point_limit_is_refused_before_it_is_parsed(monkeypatch):
    from gmmviz.labs.em.core.session import files

    monkeypatch.setattr(files, "MAX_POINTS", 1000)
    with pytest.raises(FileFormatError, match=r'the list "x" has 3,000 entries, more than 1,000'):
        files.session_from_bytes(_long_session())


def test_many_tiny_containers_are_refused_for_their_memory(monkeypatch):
    import gmmviz.core.io.jsonload as jl

    monkeypatch.setattr(jl, "SKELETON_SLACK", 0)
    with pytest.raises(FileFormatError, match="too many small values"):
        jl.load_strict(b'{"a": [' + b"[], " * 10000 + b"[]]}", "a test")


# --------------------------------------------------------------------------
# Version 2: the Algorithm choice and the other labs' parts
# --------------------------------------------------------------------------

GOLDEN_V2 = SESSION_DATA / "v2"


def v2_session(**changes) -> Session:
    from gmmviz.labs.em.core.algorithms.types import AlgorithmSettings

    base = Session(make_session(history=False).dataset,
                   algorithm=AlgorithmSettings(algorithm="ga-score", step_size=0.25, samples=40, sampler="prior"),
                   labs=(("density", '{"bins":[1,2,3],"name":"ä"}'), ("graphs", "{}")))
    return replace(base, **changes)


def test_every_v2_golden_file_loads_and_saves_back_identically(tmp_path):
    files = sorted(GOLDEN_V2.glob("*.gmmviz"))
    assert len(files) >= 3
    for path in files:
        session = read_session(path)
        assert session.version == 2
        out = tmp_path / path.name
        write_session(out, session)
        assert out.read_bytes() == path.read_bytes(), path.name


def test_golden_v2_content():
    from gmmviz.labs.em.core.algorithms.types import AlgorithmSettings

    s = read_session(GOLDEN_V2 / "algorithm_vb.gmmviz")
    assert s.algorithm == AlgorithmSettings(algorithm="vb", weight_prior="dirichlet-process", concentration=0.01)
    assert s.labs == () and s.history is None and s.cursor == 7
    t = read_session(GOLDEN_V2 / "lab_parts.gmmviz")
    assert t.algorithm.algorithm == "ga" and t.algorithm.line_search and t.algorithm.step_size == 0.05
    assert [key for key, _ in t.labs] == ["density", "graphs"]
    assert json.loads(dict(t.labs)["density"]) == {"bins": [2, 5, 100], "estimator": "kde",
                                                    "note": 'Ünïcode "quoted"', "pseudo_count": 0.5}


def test_a_session_that_needs_nothing_of_version_2_is_written_as_version_1():
    from gmmviz.labs.em.core.algorithms.types import AlgorithmSettings

    plain = make_session(history=False)
    assert plain.version == 1 and json.loads(session_to_text(plain))["version"] == 1
    assert json.loads(session_to_text(replace(plain, algorithm=AlgorithmSettings("vb"))))["version"] == 2
    assert json.loads(session_to_text(replace(plain, labs=(("graphs", "{}"),))))["version"] == 2


def test_v2_text_has_its_fields_in_order_and_round_trips():
    session = v2_session()
    text = session_to_text(session)
    doc = json.loads(text)
    assert list(doc) == ["format", "version", "data", "classes", "model", "algorithm", "params", "manual_params",
                         "cursor", "view", "labs", "history"]
    back = read_session(text.encode())
    assert back.algorithm == session.algorithm and back.labs == session.labs
    assert session_to_text(back) == text


def test_a_long_number_list_in_a_part_round_trips_exactly():
    values = [0.1 * i for i in range(5000)] + [1e-300, -0.0]
    part = json.dumps({"grid": values, "counts": list(range(3000))}, sort_keys=True, separators=(",", ":"))
    text = session_to_text(v2_session(labs=(("density", part),)))
    back = read_session(text.encode())
    got = json.loads(dict(back.labs)["density"])
    assert [v.hex() for v in got["grid"]] == [float(v).hex() for v in values]
    assert got["counts"] == list(range(3000)) and all(type(v) is int for v in got["counts"])


V2_BAD = [
    ("algorithm-name", lambda d: d["algorithm"].update(algorithm="newton"), "algorithm.algorithm"),
    ("algorithm-samples", lambda d: d["algorithm"].update(samples=0), "algorithm.samples"),
    ("algorithm-missing", lambda d: d["algorithm"].pop("sampler"), "algorithm.sampler: missing field"),
    ("algorithm-conc", lambda d: d["algorithm"].update(concentration="big"), "algorithm.concentration"),
    ("labs-list", lambda d: d.update(labs=[1, 2]), "labs: expected an object"),
    ("labs-key", lambda d: d["labs"].update({"Density!": {}}), "is not a lab's key"),
    ("labs-part", lambda d: d["labs"].update(graphs=[1]), "labs.graphs: expected an object"),
    ("labs-nan", lambda d: d["labs"].update(graphs={"x": [1, float("nan")]}), "labs.graphs.x[1]"),
    ("v1-with-labs", lambda d: d.update(version=1), "unknown field"),
]


@pytest.mark.parametrize("mutate, fragment", [(m, f) for _, m, f in V2_BAD], ids=[i for i, _, _ in V2_BAD])
def test_malformed_v2_parts_are_refused_naming_the_field(mutate, fragment):
    doc = json.loads(session_to_text(v2_session()))
    mutate(doc)
    with pytest.raises(FileFormatError, match=re.escape(fragment)):
        read_session(json.dumps(doc).encode())


def test_another_algorithms_run_is_never_saved_as_ems():
    from gmmviz.labs.em.core.algorithms.types import AlgorithmSettings

    with pytest.raises(FileFormatError, match="history: a saved run is EM's"):
        session_to_text(replace(make_session(), algorithm=AlgorithmSettings("vb")))
