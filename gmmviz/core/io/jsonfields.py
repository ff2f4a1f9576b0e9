"""Strict JSON documents: typed fields named by path (loading: :mod:`gmmviz.core.io.jsonload`).

Qt-free, numpy and the standard library only.  The one strict JSON layer of
gmmviz: sessions (:mod:`gmmviz.labs.em.core.session`) and ``--init``
parameters (:mod:`gmmviz.core.io.params`) are read through it.

:func:`load_strict` (re-exported) turns bytes into plain Python values or
raises one :class:`~gmmviz.core.errors.FileFormatError`: not UTF-8, nested
too deeply, not JSON (with line and column), duplicate keys, integers of
thousands of digits, lists longer than a limit.  ``NaN`` and ``Infinity``
literals become :class:`NonFinite` markers, so that the field readers refuse
them naming the field; long lists of numbers arrive as :class:`NumberRun`
arrays, which :func:`get_flat` takes as they are.

The readers (:func:`get_object`, :func:`get_int`, :func:`get_number`,
:func:`get_str`, :func:`get_array`, :func:`get_flat`) check one value and
raise a FileFormatError whose message starts with its path, e.g.
``classes[2].color``.
"""

from __future__ import annotations

import math
import re

import numpy as np

from gmmviz.core.errors import FileFormatError
from gmmviz.core.io.jsonload import (
    MAX_DEPTH,
    NonFinite,
    NumberRun,
    check_depth,
    load_strict,
    shorten,
)

__all__ = ["MAX_DEPTH", "NonFinite", "NumberRun", "check_depth", "fail", "get_array", "get_bool", "get_flat",
           "get_int", "get_list", "get_number", "get_object", "get_str", "join", "kind", "load_strict", "shorten"]

# --------------------------------------------------------------------------
# Typed fields
# --------------------------------------------------------------------------


def kind(value) -> str:
    """The JSON name of a parsed value's type, for messages."""
    if isinstance(value, NonFinite):
        return f"the literal {value.literal}"
    if isinstance(value, NumberRun):
        return "a list"
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
    if isinstance(value, NumberRun):
        value = _run_list(value, path, max_len).tolist()
    if type(value) is not list:
        fail(path, f"expected a list, got {kind(value)}")
    if len(value) > max_len:
        fail(path, f"{len(value)} entries (at most {max_len})")
    return value


def get_flat(value, path: str, max_len: int, *, integer: bool = False) -> np.ndarray:
    """A long list of finite numbers (or integers) as a float64 (int64) array."""
    if isinstance(value, NumberRun):
        return _run_array(_run_list(value, path, max_len), path, integer)
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


def _run_list(run: NumberRun, path: str, max_len: int) -> NumberRun:
    if len(run) > max_len:
        fail(path, f"{len(run)} entries (at most {max_len})")
    return run


def _run_array(run: NumberRun, path: str, integer: bool) -> np.ndarray:
    values = run.values
    if integer:
        if run.first_non_int >= 0:
            fail(f"{path}[{run.first_non_int}]", "expected an integer, got a number")
        big = np.flatnonzero(np.abs(values) > 2.0**62)
        if big.size:
            fail(f"{path}[{big[0]}]", "the integer is out of range")
        return values.astype(np.int64)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        fail(f"{path}[{bad[0]}]", "the number is too large")
    return values


def _as_float(value) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf


def get_array(value, path: str, shape: tuple[int, ...]) -> np.ndarray:
    """A small nested list of finite numbers of exactly ``shape``, as float64."""
    if not shape:
        return np.float64(get_number(value, path))
    if isinstance(value, NumberRun):
        value = value.tolist()
    if type(value) is not list:
        fail(path, f"expected a list, got {kind(value)}")
    items = value
    if len(items) != shape[0]:
        fail(path, f"expected {shape[0]} entries, got {len(items)}")
    return np.array([get_array(v, f"{path}[{i}]", shape[1:]) for i, v in enumerate(items)],
                    dtype=np.float64).reshape(shape)
