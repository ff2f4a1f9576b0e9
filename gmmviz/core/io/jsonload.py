"""The one strict JSON loader of gmmviz (sessions, ``--init`` parameters), in bounded memory.

Qt-free, numpy and the standard library only.

:func:`load_strict` turns bytes into plain Python values or raises one
:class:`~gmmviz.core.errors.FileFormatError`: not UTF-8, nested too deeply,
not JSON (with line and column), duplicate keys, integers of thousands of
digits, more entries in one list than ``max_items``, or more small values
than its size can hold.  ``NaN`` and ``Infinity`` literals become
:class:`NonFinite` markers, so that the field readers refuse them naming the field.

Memory: a long list of numbers that is the value of an object's field (a
session's ``data.x``) is never turned into Python floats (32 bytes each):
its entries are counted first (a list longer than ``max_items`` is refused
before it is parsed), then parsed piece by piece into one float64 array, a
:class:`NumberRun`.  The rest of the document (its skeleton) is parsed by
:mod:`json` as usual.
"""

from __future__ import annotations

import json
import re
import secrets

import numpy as np

from gmmviz.core.errors import FileFormatError

#: No legitimate document nests deeper than this.
MAX_DEPTH = 32
#: Lists of numbers at least this long (in bytes) are parsed as a :class:`NumberRun`.
RUN_BYTES = 4096
#: Bytes of a run parsed at a time.
PIECE_BYTES = 4 << 20
#: Memory allowed for the Python objects of the skeleton beyond 3 bytes a byte of file.
SKELETON_SLACK = 256 << 20

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_STRING_OR_RUN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"(?:(\s*:\s*\[)([\s0-9eE.+,-]{%d,})\])?' % RUN_BYTES,
                            re.DOTALL)
_BLANK = re.compile(rb"[ \t\r\n]*")
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")
_LONG_INT = re.compile(r"[0-9]{4000,}")


class NonFinite:
    """What a ``NaN``, ``Infinity`` or ``-Infinity`` literal parses to."""

    def __init__(self, literal: str):
        self.literal = literal

    def __repr__(self) -> str:
        return self.literal


class NumberRun:
    """A long JSON list of numbers, parsed into one array.

    Attributes
    ----------
    values : ndarray of shape (n,), float64
        The entries (a number beyond float64's range is inf).
    first_non_int : int
        Index of the first entry written as a non-integer (``1.0``, ``1e3``), -1 if none.
    """

    __slots__ = ("first_non_int", "values")

    def __init__(self, values: np.ndarray, first_non_int: int):
        self.values, self.first_non_int = values, first_non_int

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def tolist(self) -> list:
        """Python numbers (integers when every entry was written as one)."""
        if self.first_non_int < 0 and np.all(np.abs(self.values) < 2.0**53):
            return self.values.astype(np.int64).tolist()
        return self.values.tolist()


def load_strict(data, what: str, *, max_items: int | None = None):
    """Parse ``data`` as one JSON document, refusing anything dubious.

    Parameters
    ----------
    data : bytes or bytearray
        The file's content (UTF-8, an optional byte-order mark is ignored).
    what : str
        What the file should be ("a gmmviz session"), for the messages.
    max_items : int, optional
        Longest list of numbers accepted (checked before the list is parsed).

    Returns
    -------
    object
        dicts, lists, str, int, float, bool, None, :class:`NonFinite` and
        (for a long list of numbers that is a field's value) :class:`NumberRun`.

    Raises
    ------
    FileFormatError
    """
    if _BLANK.fullmatch(data):
        raise FileFormatError(f"the file is empty; it is not {what}")
    skeleton, runs = _cut_runs(data, what, max_items)
    check_depth(skeleton)
    _check_density(skeleton, len(data), what)
    text = _decode(skeleton, what)
    del skeleton

    def unique_keys(pairs):
        obj = {}
        for key, value in pairs:
            if key in obj:
                raise FileFormatError(f"the field {shorten(key)} appears twice in one object")
            if runs and type(value) is str and value in runs:
                value = runs.pop(value)
            obj[key] = value
        return obj

    return _loads(text, what, unique_keys)


def _loads(text: str, what: str, hook, offset_line: int = 0):
    try:
        return json.loads(text, parse_constant=NonFinite, object_pairs_hook=hook)
    except json.JSONDecodeError as exc:
        line = exc.lineno + offset_line
        column = f", column {exc.colno}" if not offset_line else ""
        if exc.pos >= len(text.rstrip()) and not offset_line:
            raise FileFormatError(
                f"line {line}{column}: the file ends in the middle of the JSON (it is cut short); "
                f"it is not {what}, or it was not saved completely"
            ) from None
        raise FileFormatError(f"line {line}{column}: not valid JSON ({exc.msg}); it is not {what}") from None
    except RecursionError:
        raise FileFormatError(f"the JSON is nested too deeply; it is not {what}") from None
    except ValueError as exc:
        if isinstance(exc, FileFormatError):
            raise
        found = _LONG_INT.search(text)
        line = text.count("\n", 0, found.start()) + 1 + offset_line if found else 1 + offset_line
        raise FileFormatError(f"line {line}: a number has thousands of digits; it is not {what}") from None


def _decode(data, what: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileFormatError(
            f"line {line}: byte 0x{data[exc.start]:02x} is not UTF-8 text; "
            f"this is a binary file, not {what}"
        ) from None


# --------------------------------------------------------------------------
# Long lists of numbers
# --------------------------------------------------------------------------


def _cut_runs(data, what: str, max_items: int | None):
    """(skeleton, {placeholder: NumberRun}): long lists of numbers replaced by
    placeholder strings (followed by the list's line ends, so line numbers hold)."""
    parts, runs, prev = [], {}, 0
    secret = secrets.token_hex(8)
    for m in _STRING_OR_RUN.finditer(data):
        if m.start(2) < 0:  # a plain string (group() would copy a run)
            continue
        a, b = m.end(1), m.end(2)  # the list's entries: data[a:b]
        key = f"\x00run{len(runs)}.{secret}"
        runs[key] = _parse_run(data, a, b, what, max_items, bytes(data[m.start() : m.start(1)]))
        parts += [data[prev : a - 1], b'"\\u0000run%d.%s"' % (len(runs) - 1, secret.encode()),
                  b"\n" * data.count(b"\n", a, b)]
        prev = b + 1
    if not runs:
        return data, runs
    parts.append(data[prev:])
    return b"".join(parts), runs


def _line(data, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def _parse_run(data, a: int, b: int, what: str, max_items: int | None, key: bytes) -> NumberRun:
    n = data.count(b",", a, b) + 1
    if max_items is not None and n > max_items:
        name = key.decode("utf-8", "replace")[:40]
        raise FileFormatError(f"line {_line(data, a)}: the list {name} has {n:,} entries, more than "
                              f"{max_items:,}; it is not {what}")
    values = np.empty(n, dtype=np.float64)
    first_non_int, done, start = -1, 0, a
    while start <= b:
        end = data.find(b",", min(start + PIECE_BYTES, b), b) if start + PIECE_BYTES < b else -1
        end = b if end < 0 else end
        piece = bytes(data[start:end])
        if not piece.strip() or piece.rstrip().endswith(b","):
            raise FileFormatError(f"line {_line(data, end)}: not valid JSON (Expecting value); it is not {what}")
        text = "[" + piece.decode("ascii") + "]"
        try:
            items = json.loads(text)
        except ValueError:  # again, for the message with the line (counted only now)
            _loads(text, what, None, _line(data, start) - 1)
            raise
        if first_non_int < 0 and set(map(type, items)) != {int}:
            first_non_int = done + next(i for i, v in enumerate(items) if type(v) is not int)
        try:
            values[done : done + len(items)] = items
        except OverflowError:  # an integer beyond float64
            values[done : done + len(items)] = [_as_float(v) for v in items]
        done += len(items)
        start = end + 1
    return NumberRun(values, first_non_int)


def _as_float(value) -> float:
    try:
        return float(value)
    except OverflowError:
        return float("inf") if value > 0 else float("-inf")


# --------------------------------------------------------------------------
# Shape of the skeleton
# --------------------------------------------------------------------------


def check_depth(data, limit: int = MAX_DEPTH) -> None:
    """Refuse JSON nested deeper than ``limit`` before parsing it."""
    brackets = _NOT_BRACKET.sub(b"", _STRING.sub(b"", data))
    if not brackets:
        return
    codes = np.frombuffer(brackets, dtype=np.uint8)
    steps = np.where((codes == ord("[")) | (codes == ord("{")), 1, -1).astype(np.int32)
    depth = int(np.cumsum(steps).max())
    if depth > limit:
        raise FileFormatError(f"the JSON is nested {depth} levels deep (at most {limit} make sense)")


def _check_density(skeleton, size: int, what: str) -> None:
    """Refuse a document whose values as Python objects would take far more memory than the file
    (``[[], [], ...]`` is 21 bytes of objects per byte): about 64 bytes a container, 16 a value."""
    estimate = 64 * (skeleton.count(b"{") + skeleton.count(b"[")) + 16 * skeleton.count(b",")
    if estimate > 3 * size + SKELETON_SLACK:
        raise FileFormatError(f"the JSON holds too many small values for its size (about {estimate >> 20:,} MB "
                              f"of objects for a {size >> 20:,} MB file); it is not {what}")


def shorten(text: str, limit: int = 40) -> str:
    """``repr`` of ``text``, cut to ``limit`` characters."""
    return repr(text if len(text) <= limit else text[:limit] + "...")
