"""CSV point files and parameter files: gmmviz.core.io (Qt-free)."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gmmviz.core.errors import FileFormatError, GmmvizError
from gmmviz.core.io import points as gio
from gmmviz.core.io.params import read_params_json
from gmmviz.core.io.points import CsvTable, ImportCancelled, read_csv, write_csv
from gmmviz.core.mixture import GaussianParams
from gmmviz.core.resources import resource

from .helpers import CSV_MALFORMED as MALFORMED


def _names_line(message: str, line: int) -> bool:
    return re.search(rf"\bline {line}\b", message) is not None


@pytest.mark.parametrize("content, line, fragment", [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_malformed_file_is_refused_whole_with_its_line(content, line, fragment):
    with pytest.raises(FileFormatError) as info:
        read_csv(content)
    message = str(info.value)
    assert _names_line(message, line), message
    assert fragment in message, message
    assert "\n" not in message and len(message) < 400


def test_malformed_corpus_is_large_enough():
    assert len(MALFORMED) >= 20


def test_malformed_file_from_disk_names_the_same_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"x,y\n1,2\n\n4,five\n")
    with pytest.raises(FileFormatError, match=r"line 4\b.*'five'"):
        read_csv(path)


def test_line_numbers_count_crlf_lines_once():
    with pytest.raises(FileFormatError, match=r"line 5\b"):
        read_csv(b"x,y\r\n1,2\r\n\r\n3,4\r\n5,?\r\n")


# --------------------------------------------------------------------------
# Refusals that need bigger inputs or a file on disk
# --------------------------------------------------------------------------


def test_ten_megabyte_single_line_is_refused_fast():
    content = b"1," * 5_000_000 + b"1\n"
    start = time.perf_counter()
    with pytest.raises(FileFormatError, match=r"line 1\b.*at most 1000 columns"):
        read_csv(content)
    assert time.perf_counter() - start < 1.0


def test_ten_megabyte_ragged_line_later_is_refused_fast():
    content = b"x,y\n1,2\n" + b"1," * 5_000_000 + b"1\n"
    start = time.perf_counter()
    with pytest.raises(FileFormatError, match=r"line 3 has 5000001 fields"):
        read_csv(content)
    assert time.perf_counter() - start < 1.0


def test_file_over_one_gigabyte_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as f:  # sparse: costs no disk space
        f.write(b"x,y\n1,2\n")
        f.truncate(gio.MAX_FILE_BYTES + 1)
    start = time.perf_counter()
    with pytest.raises(FileFormatError, match="at most 1 GiB"):
        read_csv(path)
    assert time.perf_counter() - start < 0.5


def test_missing_file_and_directory_are_clear_errors(tmp_path):
    with pytest.raises(GmmvizError, match="no such file"):
        read_csv(tmp_path / "nope.csv")
    with pytest.raises(GmmvizError, match="is a directory"):
        read_csv(tmp_path)


def test_too_many_distinct_labels_is_refused():
    rows = b"".join(b"%d,%d,%d.25\n" % (i, i, i) for i in range(gio.MAX_CLASSES + 1))
    with pytest.raises(FileFormatError, match="does not look like class labels"):
        read_csv(b"x,y,z\n" + rows)
    # ...but the same file loads without labels when only x and y are chosen
    assert read_csv(b"x,y,z\n" + rows, columns=("x", "y")).labels is None


# --------------------------------------------------------------------------
# Valid files
# --------------------------------------------------------------------------


def test_header_with_x_y_and_label():
    t = read_csv(b"x,y,label\n1.5,-2,a\n3e2,.5,b\n")
    np.testing.assert_array_equal(t.X, [[1.5, -2.0], [300.0, 0.5]])
    assert t.labels.tolist() == [0, 1]
    assert t.label_names == ("a", "b")
    assert t.columns == ("x", "y", "label")
    assert t.header == ("x", "y", "label")
    assert t.n_rows == 2


def test_result_is_frozen_and_read_only():
    t = read_csv(b"x,y,label\n1,2,a\n")
    assert isinstance(t, CsvTable)
    assert t.X.dtype == np.float64 and t.X.shape == (1, 2) and not t.X.flags.writeable
    assert t.labels.dtype == np.int64 and not t.labels.flags.writeable
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.X = None
    with pytest.raises(ValueError):
        t.X[0, 0] = 5.0


def test_no_header_two_columns():
    t = read_csv(b"1,2\n3,4\n")
    np.testing.assert_array_equal(t.X, [[1, 2], [3, 4]])
    assert t.header is None and t.labels is None and t.label_names == ()
    assert t.columns == ("column 1", "column 2")


def test_no_header_third_column_is_the_label():
    t = read_csv(b"1,2,7\n3,4,5\n5,6,7\n")
    assert t.columns == ("column 1", "column 2", "column 3")
    assert t.label_names == ("5", "7") and t.labels.tolist() == [1, 0, 1]


def test_crlf_and_cr_line_ends():
    for content in (b"x,y\r\n1,2\r\n3,4\r\n", b"x,y\r1,2\r3,4\r"):
        np.testing.assert_array_equal(read_csv(content).X, [[1, 2], [3, 4]])


def test_blank_lines_anywhere_are_ignored():
    t = read_csv(b"\n\n x , y \n\n1,2\n   \n3,4\n\n\n")
    np.testing.assert_array_equal(t.X, [[1, 2], [3, 4]])
    assert t.header == ("x", "y")


def test_no_trailing_newline_and_whitespace_around_numbers():
    np.testing.assert_array_equal(read_csv(b"x,y\n 1 ,\t2\n3,4").X, [[1, 2], [3, 4]])


def test_quoted_fields_follow_the_csv_module():
    t = read_csv(b'a,b,species\n"1.5",2,"setosa"\n3,4,"virginica, big"\n5,6,"say ""hi"""\n7,8,setosa\n')
    np.testing.assert_array_equal(t.X, [[1.5, 2], [3, 4], [5, 6], [7, 8]])
    assert t.label_names == ("setosa", "virginica, big", 'say "hi"')
    assert t.labels.tolist() == [0, 1, 2, 0]


def test_string_labels_in_order_of_first_appearance_and_stripped():
    t = read_csv(b"x,y,class\n0,0,dog\n1,1,cat\n2,2, dog \n3,3,ant\n")
    assert t.label_names == ("dog", "cat", "ant")
    assert t.labels.tolist() == [0, 1, 0, 2]


def test_integer_labels_are_sorted_numerically():
    t = read_csv(b"x,y,label\n0,0,10\n1,1,2\n2,2,-1\n3,3,02\n4,4,+10\n")
    assert t.label_names == ("-1", "2", "10")
    assert t.labels.tolist() == [2, 1, 0, 1, 2]


def test_mixed_labels_are_strings():
    t = read_csv(b"x,y,label\n0,0,2\n1,1,b\n2,2,1.0\n")
    assert t.label_names == ("2", "b", "1.0")


def test_x_and_y_found_by_name_case_insensitively():
    t = read_csv(b"id,Y,note,X\n1,10,a,100\n2,20,b,200\n")
    np.testing.assert_array_equal(t.X, [[100, 10], [200, 20]])
    assert t.columns == ("X", "Y") and t.labels is None  # 4 columns, none named label


def test_label_column_found_by_name():
    t = read_csv(b"y_true,a,b,extra\n3,1,2,9\n1,3,4,9\n")
    assert t.columns == ("a", "b", "y_true")
    assert t.label_names == ("1", "3") and t.labels.tolist() == [1, 0]


def test_exactly_three_columns_the_remaining_one_is_the_label():
    t = read_csv(b"kind,x,y\na,1,2\nb,3,4\n")
    assert t.columns == ("x", "y", "kind") and t.label_names == ("a", "b")


def test_columns_by_name_and_by_number():
    content = b"a,b,c,d\n1,2,x,4\n5,6,y,8\n"
    t = read_csv(content, columns=("d", "a"))
    np.testing.assert_array_equal(t.X, [[4, 1], [8, 5]])
    assert t.labels is None and t.columns == ("d", "a")
    t = read_csv(content, columns=(2, 4, "C"))
    np.testing.assert_array_equal(t.X, [[2, 4], [6, 8]])
    assert t.label_names == ("x", "y") and t.columns == ("b", "d", "c")
    t = read_csv(b"1,2,3\n4,5,6\n", columns=(3, 1))
    np.testing.assert_array_equal(t.X, [[3, 1], [6, 4]])


def test_text_in_unused_columns_is_fine():
    t = read_csv(b"name,x,y,comment\nfoo,1,2,hello world\nbar,3,4,\n", columns=("x", "y"))
    np.testing.assert_array_equal(t.X, [[1, 2], [3, 4]])


def test_unknown_column_lists_the_available_ones():
    with pytest.raises(FileFormatError, match=r"no column named 'z'.*'a', 'b', 'c'"):
        read_csv(b"a,b,c\n1,2,3\n", columns=("a", "z"))
    with pytest.raises(FileFormatError, match=r"no column 5.*3 columns"):
        read_csv(b"a,b,c\n1,2,3\n", columns=(1, 5))
    with pytest.raises(FileFormatError, match="no header"):
        read_csv(b"1,2,3\n", columns=("a", "b"))


def test_malformed_columns_argument():
    for bad in ("ab", ("a",), ("a", "b", "c", "d"), (1, 1.5), (0, 1), (True, 2)):
        with pytest.raises(GmmvizError):
            read_csv(b"a,b,c\n1,2,3\n", columns=bad)
    with pytest.raises(GmmvizError, match="different"):
        read_csv(b"a,b,c\n1,2,3\n", columns=("a", "a"))


def test_read_labels_false_ignores_the_default_label_column():
    t = read_csv(b"x,y,label\n1,2,\n", read_labels=False)  # the empty label is not even looked at
    assert t.labels is None and t.columns == ("x", "y")


def test_sources_path_str_and_bytes_agree(tmp_path):
    content = resource("data", "faithful.csv").read_bytes()
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    a, b, c = read_csv(path), read_csv(str(path)), read_csv(content)
    assert a.n_rows == 272 and a.columns == ("eruptions", "waiting") and a.labels is None
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.X, c.X)
    np.testing.assert_array_equal(a.X, np.loadtxt(path, delimiter=",", skiprows=1))


def test_fast_and_exact_paths_agree():
    """A blank line sends a chunk through the exact scan: same numbers either way."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(9000, 2)) * 1e3
    body = "".join(f"{a!r},{b!r},{'ab'[i % 2]}\n" for i, (a, b) in enumerate(X.tolist()))
    fast = read_csv(("x,y,l\n" + body).encode())
    slow = read_csv(("x,y,l\n\n" + body.replace("\n", "\n\n")).encode())
    np.testing.assert_array_equal(fast.X, X)
    np.testing.assert_array_equal(slow.X, X)
    np.testing.assert_array_equal(fast.labels, slow.labels)
    assert fast.label_names == slow.label_names == ("a", "b")


# --------------------------------------------------------------------------
# Progress and cancellation
# --------------------------------------------------------------------------


def _rows(n: int) -> bytes:
    return b"x,y,label\n" + b"".join(b"%d,%d.5,%d\n" % (i, i, i % 3) for i in range(n))


def test_progress_is_reported_at_least_every_five_percent():
    fractions = []
    t = read_csv(_rows(100_000), progress=lambda f: fractions.append(f) or True)
    assert t.n_rows == 100_000
    assert fractions[-1] == 1.0
    assert all(b > a for a, b in zip(fractions, fractions[1:]))
    assert max(np.diff([0.0] + fractions)) <= 0.05 + 1e-9


def test_progress_returning_none_continues():
    assert read_csv(_rows(10), progress=lambda f: None).n_rows == 10


def test_cancellation_raises_import_cancelled():
    calls = []

    def progress(fraction):
        calls.append(fraction)
        return len(calls) < 3

    with pytest.raises(ImportCancelled) as info:
        read_csv(_rows(100_000), progress=progress)
    assert not isinstance(info.value, GmmvizError)
    assert len(calls) == 3 and calls[-1] < 1.0


# --------------------------------------------------------------------------
# Writing and the round trip
# --------------------------------------------------------------------------


def _bits(X):
    return np.ascontiguousarray(X, dtype=np.float64).view(np.uint64)


def test_write_then_read_is_exact(tmp_path):
    X = np.array([[0.1, -0.0], [1e-320, 1.7976931348623157e308], [-2.5e-8, 123456789.123456789]])
    path = tmp_path / "out.csv"
    write_csv(path, X, [1, 0, 1], ("setosa", 'a "quoted", name'))
    assert path.read_text(encoding="utf-8").splitlines()[0] == "x,y,label"
    t = read_csv(path)
    np.testing.assert_array_equal(_bits(t.X), _bits(X))
    assert [t.label_names[i] for i in t.labels] == ['a "quoted", name', "setosa", 'a "quoted", name']


def test_write_without_labels(tmp_path):
    path = tmp_path / "out.csv"
    write_csv(path, [[1.0, 2.0], [3.0, 4.5]])
    assert path.read_text(encoding="utf-8") == "x,y\n1.0,2.0\n3.0,4.5\n"


def test_write_refuses_bad_input(tmp_path):
    path = tmp_path / "out.csv"
    with pytest.raises(GmmvizError):
        write_csv(path, [[np.nan, 1.0]])
    with pytest.raises(GmmvizError, match="class name"):
        write_csv(path, [[1.0, 1.0]], [0], [" padded"])
    with pytest.raises(GmmvizError, match="class name"):
        write_csv(path, [[1.0, 1.0]], [0], ["two\nlines"])
    with pytest.raises(GmmvizError, match="labels must lie"):
        write_csv(path, [[1.0, 1.0]], [2], ["a", "b"])
    assert not path.exists()


def test_write_is_atomic_when_it_fails(tmp_path, monkeypatch):
    path = tmp_path / "out.csv"
    path.write_text("old content\n")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(GmmvizError, match="No space left"):
        write_csv(path, [[1.0, 2.0]])
    assert path.read_text() == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_write_replaces_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("old\n")
    os.chmod(path, 0o640)
    write_csv(path, [[1.0, 2.0]])
    assert read_csv(path).X.tolist() == [[1.0, 2.0]]
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def _canonical(name: str) -> bool:
    """Names the reader returns unchanged (integers come back canonical)."""
    s = name.strip()
    if s != name or not s or any(c in s for c in "\r\n\0"):
        return False
    return not re.fullmatch(r"[+-]?[0-9]+", s) or str(int(s)) == s


finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
class_names = st.lists(st.text(min_size=1, max_size=12).filter(_canonical), min_size=1, max_size=5, unique=True)


@st.composite
def point_sets(draw):
    n = draw(st.integers(1, 40))
    X = np.array(draw(st.lists(st.tuples(finite, finite), min_size=n, max_size=n)), dtype=np.float64)
    if not draw(st.booleans()):
        return X, None, None
    names = draw(class_names)
    labels = np.array(draw(st.lists(st.integers(0, len(names) - 1), min_size=n, max_size=n)))
    return X, labels, names


@settings(max_examples=200, deadline=None)
@given(point_sets())
def test_round_trip_property(tmp_path_factory, data):
    X, labels, names = data
    path = tmp_path_factory.getbasetemp() / "roundtrip.csv"
    write_csv(path, X, labels, names)
    t = read_csv(path)
    np.testing.assert_array_equal(_bits(t.X), _bits(X))
    if labels is None:
        assert t.labels is None
    else:
        assert [t.label_names[i] for i in t.labels] == [names[i] for i in labels]


@pytest.mark.slow
def test_million_rows_load_quickly_and_exactly(tmp_path):
    rng = np.random.default_rng(7)
    X = rng.normal(size=(1_000_000, 2)) * [1.0, 250.0] + [0.0, 1e4]
    labels = rng.integers(0, 3, size=1_000_000)
    path = tmp_path / "big.csv"
    write_csv(path, X, labels, ["a", "b", "c"])
    start = time.perf_counter()
    t = read_csv(path)
    elapsed = time.perf_counter() - start
    np.testing.assert_array_equal(_bits(t.X), _bits(X))
    assert [t.label_names[i] for i in t.labels[:1000]] == [["a", "b", "c"][i] for i in labels[:1000]]
    np.testing.assert_array_equal(np.array(t.label_names)[t.labels], np.array(["a", "b", "c"])[labels])
    assert elapsed < 6.0, f"1e6 rows took {elapsed:.2f} s"


# --------------------------------------------------------------------------
# Initial parameters as JSON
# --------------------------------------------------------------------------


def _json_file(tmp_path, obj, name="params.json"):
    path = tmp_path / name
    path.write_text(obj if isinstance(obj, str) else json.dumps(obj), encoding="utf-8")
    return path


PARAMS = {
    "weights": [0.4, 0.6],
    "means": [[0.0, 1.0], [2.0, 3.0]],
    "covariances": [[[1.0, 0.2], [0.2, 2.0]], [[0.5, 0.0], [0.0, 0.5]]],
}


def test_params_json_full(tmp_path):
    p = read_params_json(_json_file(tmp_path, PARAMS), covariance_type="full", n_components=2)
    assert isinstance(p, GaussianParams)
    np.testing.assert_array_equal(p.means, PARAMS["means"])
    np.testing.assert_array_equal(p.covariances, PARAMS["covariances"])


@pytest.mark.parametrize(
    "ctype, covariances",
    [("diag", [[1.0, 2.0], [0.5, 0.5]]), ("spherical", [1.0, 0.5]), ("tied", [[1.0, 0.1], [0.1, 1.0]])],
)
def test_params_json_other_covariance_types(tmp_path, ctype, covariances):
    obj = dict(PARAMS, covariances=covariances)
    p = read_params_json(_json_file(tmp_path, obj), covariance_type=ctype)
    assert p.covariance_type == ctype and p.covariances.shape == np.shape(covariances)


def test_params_json_means_only(tmp_path):
    m = read_params_json(_json_file(tmp_path, {"means": [[1, 2], [3, 4], [5, 6]]}), covariance_type="full")
    assert isinstance(m, np.ndarray) and m.shape == (3, 2)


@pytest.mark.parametrize(
    "content, fragment",
    [
        ('{"means": [[1, 2], [3, 4]', "line 1, column 26"),
        ('{\n  "means": [[1, 2],\n   [3, 4]],\n}', "line 4, column 1"),
        ("[1, 2]", "JSON object"),
        (json.dumps({"weights": [1.0], "means": [[0, 0]]}), "give weights, means and covariances"),
        (json.dumps(dict(PARAMS, weights=[0.5, 0.6])), "sum to 1"),
        (json.dumps(dict(PARAMS, covariances=[[[1, 2], [2, 1]], [[1, 0], [0, 1]]])), "positive definite"),
        (json.dumps(dict(PARAMS, covariances=[1.0, 2.0])), "must have shape"),
        (json.dumps({"means": [[1, 2, 3]]}), "shape"),
        (json.dumps({"means": [[1, 2], [3, 4], [5, 6]]}), "n_components=2"),
        (json.dumps(dict(PARAMS, covariance_type="diag")), "'diag'"),
    ],
)
def test_params_json_refusals(tmp_path, content, fragment):
    with pytest.raises(FileFormatError) as info:
        read_params_json(_json_file(tmp_path, content), covariance_type="full", n_components=2)
    assert fragment in str(info.value)
    assert "params.json" in str(info.value)


def test_params_json_missing_file(tmp_path):
    with pytest.raises(GmmvizError, match="no such file"):
        read_params_json(tmp_path / "nope.json", covariance_type="full")


def test_a_save_removes_temporaries_left_by_an_old_killed_save(tmp_path):
    import os
    import time

    from gmmviz.core.io.atomic import STALE_SECONDS, atomic_write_text

    target = tmp_path / "scene.gmmviz"
    old = tmp_path / ".scene.gmmviz.dead1234.tmp"
    fresh = tmp_path / ".scene.gmmviz.busy5678.tmp"  # maybe another process saving right now
    other = tmp_path / ".notes.txt.dead1234.tmp"
    for f in (old, fresh, other):
        f.write_text("partial")
    past = time.time() - STALE_SECONDS - 5
    os.utime(old, (past, past))
    os.utime(other, (past, past))
    atomic_write_text(target, ["complete"])
    assert target.read_text() == "complete"
    assert not old.exists()
    assert fresh.exists() and other.exists()


def test_too_many_points_are_refused_while_streaming(monkeypatch):
    import gmmviz.core.io.csv_read as cr
    import gmmviz.core.io.csv_rows as rows

    monkeypatch.setattr(rows, "CHUNK_LINES", 1000)
    seen = []
    monkeypatch.setattr(cr, "RowReader", lambda columns, labels: rows.RowReader(columns, labels, max_points=5000))
    text = b"x,y\n" + b"1,2\n" * 200_000

    def progress(fraction):
        seen.append(fraction)

    with pytest.raises(FileFormatError, match="more than 5,000 points"):
        read_csv(text, progress=progress)
    assert max(seen, default=0.0) < 0.2  # refused early, not after the whole file


@pytest.mark.parametrize("ends", ["\n", "\r\n", "\r"])
def test_pieces_cut_at_line_ends_keep_rows_and_line_numbers(ends, monkeypatch):
    import gmmviz.core.io.csv_read as cr

    monkeypatch.setattr(cr, "chunk_for", lambda size: 7)  # cuts inside lines and between CR and LF
    rows = [f"{i}.5,{-i}" for i in range(300)]
    data = ("x,y" + ends + ends.join(rows) + ends).encode()
    t = read_csv(data)
    assert t.n_rows == 300 and t.X[299].tolist() == [299.5, -299.0]
    bad = ("x,y" + ends + ends.join(rows[:150] + ["1,oops"] + rows[150:])).encode()
    with pytest.raises(FileFormatError, match="line 152"):
        read_csv(bad)
