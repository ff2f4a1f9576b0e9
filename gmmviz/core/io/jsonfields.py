"""Strict JSON documents: loading with limits, and typed fields named by path.

Qt-free, numpy and the standard library only.  Helpers of
:mod:`gmmviz.labs.em.core.session.files`, usable for any versioned JSON file.

:func:`load_strict` turns bytes into plain Python values or raises one
:class:`~gmmviz.core.errors.FileFormatError`: not UTF-8, nested too deeply,
not JSON (with line and column), duplicate keys, integers of thousands of
digits.  ``NaN`` and ``Infinity`` literals become :class:`NonFinite`
markers, so that the field readers refuse them naming the field.

The readers (:func:`get_object`, :func:`get_int`, :func:`get_number`,
:func:`get_str`, :func:`get_array`, :func:`get_flat`) check one value and
raise a FileFormatError whose message starts with its path, e.g.
``classes[2].color``.
"""

from __future__ import annotations

import json
import math
import re

import numpy as np

from gmmviz.core.errors import FileFormatError

#: No legitimate document nests deeper than this.
MAX_DEPTH = 32

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")
_LONG_INT = re.compile(r"[0-9]{4000,}")


class NonFinite:
    """What a ``NaN``, ``Infinity`` or ``-Infinity`` literal parses to."""

    def __init__(self, literal: str):
        self.literal = literal

    def __repr__(self) -> str:
        return self.literal


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


def load_strict(data: bytes, what: str):
    """Parse ``data`` as one JSON document, refusing anything dubious.

    Parameters
    ----------
    data : bytes
        The file's content (UTF-8, an optional byte-order mark is ignored).
    what : str
        What the file should be ("a gmmviz session"), for the messages.

    Returns
    -------
    object
        dicts, lists, str, int, float, bool, None and :class:`NonFinite`.

    Raises
    ------
    FileFormatError
    """
    text = _decode(data, what)
    check_depth(data)
    try:
        return json.loads(text, parse_constant=NonFinite, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()):
            raise FileFormatError(
                f"line {exc.lineno}: the file ends in the middle of the JSON (it is cut short); "
                f"it is not {what}, or it was not saved completely"
            ) from None
        raise FileFormatError(
            f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}); it is not {what}"
        ) from None
    except RecursionError:
        raise FileFormatError(f"the JSON is nested too deeply; it is not {what}") from None
    except ValueError as exc:
        if isinstance(exc, FileFormatError):
            raise
        found = _LONG_INT.search(text)
        line = text.count("\n", 0, found.start()) + 1 if found else 1
        raise FileFormatError(f"line {line}: a number has thousands of digits; it is not {what}") from None


def _decode(data: bytes, what: str) -> str:
    if not data.strip():
        raise FileFormatError(f"the file is empty; it is not {what}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileFormatError(
            f"line {line}: byte 0x{data[exc.start]:02x} is not UTF-8 text; "
            f"this is a binary file, not {what}"
        ) from None


def check_depth(data: bytes, limit: int = MAX_DEPTH) -> None:
    """Refuse JSON nested deeper than ``limit`` before parsing it."""
    brackets = _NOT_BRACKET.sub(b"", _STRING.sub(b"", data))
    if not brackets:
        return
    codes = np.frombuffer(brackets, dtype=np.uint8)
    steps = np.where((codes == ord("[")) | (codes == ord("{")), 1, -1).astype(np.int32)
    depth = int(np.cumsum(steps).max())
    if depth > limit:
        raise FileFormatError(f"the JSON is nested {depth} levels deep (at most {limit} make sense)")


def _unique_keys(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise FileFormatError(f"the field {shorten(key)} appears twice in one object")
        obj[key] = value
    return obj


def shorten(text: str, limit: int = 40) -> str:
    """``repr`` of ``text``, cut to ``limit`` characters."""
    return repr(text if len(text) <= limit else text[:limit] + "...")


# --------------------------------------------------------------------------
# Typed fields
# --------------------------------------------------------------------------


def kind(value) -> str:
    """The JSON name of a parsed value's type, for messages."""
    if isinstance(value, NonFinite):
        return f"the literal {value.literal}"
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false",
            type(None): "null", int: "an integer", float: "a number"}.get(type(value), type(value).__name__)


def join(path: str, key) -> str:
    """``path.key`` or ``path[i]``; a bare key at the top level."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def fail(path: str, problem: str):
    """Raise a FileFormatError about the field at ``path``."""
    raise FileFormatError(f"{path}: {problem}" if path else problem)


def get_object(value, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    """``value`` as an object with exactly the ``required`` keys (and maybe ``optional`` ones)."""
    if type(value) is not dict:
        fail(path or "the file", f"expected an object, got {kind(value)}")
    unknown = [k for k in value if k not in required and k not in optional]
    if unknown:
        where = join(path, unknown[0]) if len(unknown[0]) <= 40 else (path or "the file")
        fail(where, f"unknown field {shorten(unknown[0])} (expected {', '.join(required + optional)})")
    for key in required:
        if key not in value:
            fail(join(path, key), "missing field")
    return value


def get_int(value, path: str, lo: int, hi: int) -> int:
    """An integer in ``lo..hi`` (booleans and floats refused)."""
    if type(value) is not int:
        fail(path, f"expected an integer, got {kind(value)}")
    if not lo <= value <= hi:
        fail(path, f"{value if abs(value) < 10**12 else 'a huge number'} is out of range ({lo} to {hi})")
    return value


def get_number(value, path: str, *, lo: float = -math.inf, nullable: bool = False) -> float:
    """A finite number >= ``lo`` (null gives NaN when ``nullable``)."""
    if value is None and nullable:
        return math.nan
    if type(value) not in (int, float):
        fail(path, f"expected a number{' or null' if nullable else ''}, got {kind(value)}")
    try:
        number = float(value)
    except OverflowError:
        fail(path, "the number is too large")
    if not math.isfinite(number):
        fail(path, "the number is too large")
    if number < lo:
        fail(path, f"{number!r} is below {lo!r}")
    return number


def get_bool(value, path: str) -> bool:
    if type(value) is not bool:
        fail(path, f"expected true or false, got {kind(value)}")
    return value


def get_str(value, path: str, max_len: int, choices: tuple[str, ...] | None = None,
            pattern: re.Pattern | None = None, like: str = "") -> str:
    """A string of at most ``max_len`` characters, valid UTF-8, maybe one of
    ``choices`` or matching ``pattern`` (described by the example ``like``)."""
    if type(value) is not str:
        fail(path, f"expected a string, got {kind(value)}")
    if len(value) > max_len:
        fail(path, f"a string of {len(value)} characters (at most {max_len})")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        fail(path, "the string holds an invalid character (a lone surrogate)")
    if choices is not None and value not in choices:
        fail(path, f"{shorten(value)} is not one of {', '.join(choices)}")
    if pattern is not None and not pattern.fullmatch(value):
        fail(path, f"{shorten(value)} is not of the form {like or pattern.pattern}")
    return value


def get_list(value, path: str, max_len: int) -> list:
    if type(value) is not list:
        fail(path, f"expected a list, got {kind(value)}")
    if len(value) > max_len:
        fail(path, f"{len(value)} entries (at most {max_len})")
    return value


def get_flat(value, path: str, max_len: int, *, integer: bool = False) -> np.ndarray:
    """A long list of finite numbers (or integers) as a float64 (int64) array."""
    items = get_list(value, path, max_len)
    allowed = (int,) if integer else (int, float)
    if not set(map(type, items)) <= set(allowed):
        i = next(i for i, v in enumerate(items) if type(v) not in allowed)
        fail(f"{path}[{i}]", f"expected {'an integer' if integer else 'a number'}, got {kind(items[i])}")
    if integer:
        if items and (min(items) < -(2**62) or max(items) > 2**62):
            i = next(i for i, v in enumerate(items) if abs(v) > 2**62)
            fail(f"{path}[{i}]", "the integer is out of range")
        return np.array(items, dtype=np.int64).reshape(-1)
    try:
        arr = np.array(items, dtype=np.float64).reshape(-1)
    except OverflowError:
        arr = None
    if arr is None or not np.isfinite(arr).all():
        i = next(i for i, v in enumerate(items) if not math.isfinite(_as_float(v)))
        fail(f"{path}[{i}]", "the number is too large")
    return arr


def _as_float(value) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf


def get_array(value, path: str, shape: tuple[int, ...]) -> np.ndarray:
    """A small nested list of finite numbers of exactly ``shape``, as float64."""
    if not shape:
        return np.float64(get_number(value, path))
    if type(value) is not list:
        fail(path, f"expected a list, got {kind(value)}")
    items = value
    if len(items) != shape[0]:
        fail(path, f"expected {shape[0]} entries, got {len(items)}")
    return np.array([get_array(v, f"{path}[{i}]", shape[1:]) for i, v in enumerate(items)],
                    dtype=np.float64).reshape(shape)
