"""Malformed session files: each is refused whole, with a message naming the field.

Shared by tests/core/test_session.py (the reader) and tests/qt/test_files.py
(opening in the window changes nothing).  Load it by path::

    spec = importlib.util.spec_from_file_location("session_corpus", path)

Every case is built from the golden ``v1/with_history.gmmviz`` (a valid
session with a run history), mutated one way, so a refusal can only come
from that mutation.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE_PATH = HERE / "v1" / "with_history.gmmviz"


def base_bytes() -> bytes:
    return BASE_PATH.read_bytes()


def base_doc() -> dict:
    return json.loads(base_bytes())


def _dump(doc) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _edit(path: str, value=None, *, delete: bool = False):
    """A document with the field at ``path`` ("a.b[2].c") replaced or deleted."""
    doc = base_doc()
    keys = []
    for part in path.replace("]", "").replace("[", ".").split("."):
        keys.append(int(part) if part.isdigit() else part)
    target = doc
    for key in keys[:-1]:
        target = target[key]
    if delete:
        del target[keys[-1]]
    else:
        target[keys[-1]] = copy.deepcopy(value)
    return doc


def edit(path: str, value=None, *, delete: bool = False) -> bytes:
    return _dump(_edit(path, value, delete=delete))


def _raw(doc_text_replace: tuple[str, str]) -> bytes:
    old, new = doc_text_replace
    text = _dump(base_doc()).decode("utf-8")
    assert old in text, old
    return text.replace(old, new, 1).encode("utf-8")


def _deep(n: int) -> bytes:
    return b"[" * n + b"]" * n


def _deep_field(n: int) -> bytes:
    return _raw(('"view": {', '"view": ' + "[" * n + "1" + "]" * n + ', "_": {'))


def _too_many_snapshots() -> bytes:
    doc = base_doc()
    doc["model"]["max_iter"] = 2  # a run of 2 iterations has at most 6 half-steps
    return _dump(doc)


def _params_not_on_screen() -> bytes:
    doc = base_doc()
    doc["params"] = doc["history"]["snapshots"][0]["params"]
    return _dump(doc)


def _bad_covariance(path: str) -> bytes:
    return edit(path, [[[1.0, 2.0], [2.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]])


def cases() -> list[tuple[str, bytes, str]]:
    """(id, content, a fragment the message must contain: the field path or the reason)."""
    text = base_bytes()
    return [
        ("truncated-half", text[: len(text) // 2], "cut short"),
        ("truncated-one-byte", text[:-3], "cut short"),
        ("empty", b"", "empty"),
        ("not-json", b"x,y,label\n1,2,a\n", "not valid JSON"),
        ("binary-garbage", bytes(range(256)) * 8, "not UTF-8"),
        ("utf16", text.decode("utf-8").encode("utf-16"), "not UTF-8"),
        ("json-array", b"[1, 2, 3]", "not a gmmviz session"),
        ("other-format", edit("format", "something-else"), "not a gmmviz session"),
        ("future-version", edit("version", 99), "newer gmmviz"),
        ("version-as-string", edit("version", "1"), "version"),
        ("version-zero", edit("version", 0), "version"),
        ("missing-data", edit("data", delete=True), "data: missing field"),
        ("missing-colour", edit("classes[0].color", delete=True), "classes[0].color"),
        ("missing-snapshot-field", edit("history.snapshots[2].q", delete=True), "history.snapshots[2].q"),
        ("unknown-top-field", edit("notes", "hello"), "unknown field 'notes'"),
        ("unknown-model-field", edit("model.speed", 3), "model.speed"),
        ("duplicate-key", _raw(('"cursor": 3', '"cursor": 3, "cursor": 4')), "appears twice"),
        ("k-as-string", edit("model.n_components", "2"), "model.n_components"),
        ("seed-as-bool", edit("model.seed", True), "model.seed"),
        ("negative-reg-covar", edit("model.reg_covar", -1.0), "model.reg_covar"),
        ("unknown-init", edit("model.init", "magic"), "model.init"),
        ("absurd-k", edit("model.n_components", 10**9), "model.n_components"),
        ("absurd-max-iter", edit("model.max_iter", 10**12), "model.max_iter"),
        ("float-label", edit("data.labels[1]", 0.5), "data.labels[1]"),
        ("label-out-of-range", edit("data.labels[2]", 7), "data.labels[2]"),
        ("negative-label", edit("data.labels[0]", -1), "data.labels[0]"),
        ("x-as-string", edit("data.x[4]", "1.5"), "data.x[4]"),
        ("lengths-differ", edit("data.y", [0.0]), "data"),
        ("labels-not-a-list", edit("data.labels", {"0": 1}), "data.labels"),
        ("bad-colour", edit("classes[1].color", "red"), "classes[1].color"),
        ("huge-string", edit("classes[0].name", "n" * 1_000_000), "classes[0].name"),
        ("lone-surrogate", _raw(('"setosa"', '"\\ud800"')), "classes[0].name"),
        ("nan-literal", _raw(('"x": [', '"x": [NaN, ')), "data.x[0]"),
        ("infinity-literal", _raw(('"view": {"x": [-4.5, 4.25]', '"view": {"x": [-4.5, Infinity]')), "view.x[1]"),
        ("overflowing-number", _raw(('"y": [', '"y": [1e999, ')), "data.y[0]"),
        ("huge-integer", _raw(('"cursor": 3', '"cursor": ' + "9" * 5000)), "digits"),
        ("deep-nesting", _deep(100_000), "nested"),
        ("deep-nesting-in-field", _deep_field(200), "nested"),
        ("non-pd-covariance", _bad_covariance("params.covariances"), "params"),
        ("non-pd-in-history", _bad_covariance("history.snapshots[2].params.covariances"),
         "history.snapshots[2].params"),
        ("weights-not-summing-to-1", edit("params.weights", [0.5, 0.6]), "sum to 1"),
        ("negative-weight", edit("params.weights", [1.5, -0.5]), "params"),
        ("means-wrong-shape", edit("params.means", [[0.0, 1.0, 2.0], [1.0, 2.0, 3.0]]), "params.means[0]: expected 2"),
        ("covariances-wrong-shape", edit("params.covariances", [1.0, 1.0]), "params.covariances[0]"),
        ("params-type-mismatch", edit("params.covariance_type", "spherical"), "params.covariances[0]"),
        ("params-not-the-cursor", _params_not_on_screen(), "params"),
        ("cursor-out-of-range", edit("cursor", 500), "cursor"),
        ("bad-phase", edit("history.snapshots[1].phase", "X"), "history.snapshots[1].phase"),
        ("too-many-snapshots", _too_many_snapshots(), "history"),
        ("unknown-finish-reason", edit("history.finish_reason", "bored"), "history.finish_reason"),
        ("bad-collapse-kind", edit("history.snapshots[1].collapse", {
            "components": [0], "kinds": ["sideways"], "locations": [[0.0, 0.0]], "message": "x"}),
         "history.snapshots[1].collapse.kinds[0]"),
        ("empty-view-range", edit("view.y", [1.0, 1.0]), "view.y"),
        ("view-wrong-length", edit("view.x", [1.0]), "view.x"),
    ]
