"""A lab's part of a session as a flat schema of typed fields (Qt-free).

A lab whose part is a handful of settings declares them once::

    FIELDS = (Integer("k", 3, 1, 12), Boolean("line_search", False), Choice("sampler", "prior", ("prior", "posterior")))

:func:`read_part` checks a whole part (as opened: maybe from an older or a newer
gmmviz) against them and returns every field's value, the default for a missing
one; unknown keys are ignored.  A wrong field is refused with a
:class:`~gmmviz.core.errors.FileFormatError` whose message starts with its path
(``labs.theory.k: ...``), before anything is changed.  :func:`defaults` is the
part of a fresh lab.

The fields are flat on purpose: a nested group would have to ignore keys it
does not know (a newer gmmviz), and so would accept any object for itself.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Callable

from gmmviz.core.errors import FileFormatError, GmmvizError


def _kind(value) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", int: "an integer", float: "a number", str: "a string", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)


@dataclass(frozen=True)
class Field:
    """One key of a part: its name, its default and how a JSON value is checked."""

    name: str
    default: Any

    def read(self, value):
        """The value ``value`` (as parsed from JSON) stands for; ValueError says why not."""
        raise NotImplementedError

    def write(self, value):
        """``value`` as plain JSON (lists for tuples)."""
        return value


@dataclass(frozen=True)
class Integer(Field):
    lo: int = -(2**63)
    hi: int = 2**63 - 1

    def read(self, value):
        bounded = (self.lo, self.hi) != (-(2**63), 2**63 - 1)
        expected = f"expected an integer from {self.lo} to {self.hi}" if bounded else "expected an integer"
        if type(value) is not int:
            raise ValueError(f"{expected}, got {_kind(value)}")
        if not self.lo <= value <= self.hi:
            raise ValueError(f"{expected}, got {value}")
        return value


@dataclass(frozen=True)
class Number(Field):
    lo: float = -math.inf
    hi: float = math.inf

    def read(self, value):
        if type(value) not in (int, float) or not math.isfinite(value):
            bounded = math.isfinite(self.lo) or math.isfinite(self.hi)
            expected = f"expected a number from {self.lo:g} to {self.hi:g}" if bounded else "expected a finite number"
            raise ValueError(f"{expected}, got {_kind(value)}")
        if not self.lo <= value <= self.hi:
            raise ValueError(f"expected a number from {self.lo:g} to {self.hi:g}, got {value:g}")
        return float(value)


@dataclass(frozen=True)
class Boolean(Field):
    def read(self, value):
        if type(value) is not bool:
            raise ValueError(f"expected true or false, got {_kind(value)}")
        return value


@dataclass(frozen=True)
class Choice(Field):
    options: tuple = ()

    def read(self, value):
        if type(value) is not str or value not in self.options:
            shown = value if type(value) is str else _kind(value)
            raise ValueError(f"expected one of {', '.join(self.options)}, got {shown!r}")
        return value


@dataclass(frozen=True)
class Integers(Field):
    """A list of integers in [lo, hi], of a length in [min_len, max_len]; a tuple in Python."""

    lo: int = 0
    hi: int = 2**31 - 1
    min_len: int = 0
    max_len: int = 1000

    def read(self, value):
        if type(value) is not list or not self.min_len <= len(value) <= self.max_len:
            raise ValueError(f"expected a list of {self.min_len} to {self.max_len} integers, got {_kind(value)}")
        item = Integer(self.name, 0, self.lo, self.hi)
        for i, v in enumerate(value):
            try:
                item.read(v)
            except ValueError as exc:
                raise ValueError(f"item {i}: {exc}") from None
        return tuple(value)

    def write(self, value):
        return [int(v) for v in value]


@dataclass(frozen=True)
class Custom(Field):
    """A field checked by the lab's own Qt-free function (``check(value) -> value``, raising
    ValueError, TypeError or a GmmvizError naming what is wrong); ``dump`` writes it."""

    check: Callable[[Any], Any] = field(default=lambda v: v, compare=False)
    dump: Callable[[Any], Any] = field(default=lambda v: v, compare=False)

    def read(self, value):
        return self.check(value)

    def write(self, value):
        return self.dump(value)


def settings_fields(cls) -> tuple[Field, ...]:
    """The fields of a frozen settings dataclass ``cls`` whose every attribute has a default of
    type bool, int, float, str or a tuple of those, and whose ``__post_init__`` refuses a bad value
    with a GmmvizError: each field is checked for its type, then by ``cls`` itself on a default
    instance with just that field changed (so the message names the field, not a neighbour)."""
    proto = cls()
    return tuple(Custom(f.name, getattr(proto, f.name), check=_DataclassCheck(cls, f.name), dump=_plain)
                 for f in dataclasses.fields(cls))


@dataclass(frozen=True)
class _DataclassCheck:
    cls: type
    name: str

    def __call__(self, value):
        proto = self.cls()
        value = _like(getattr(proto, self.name), value)
        dataclasses.replace(proto, **{self.name: value})  # the class's own checks
        return value


def _like(default, value):
    """``value`` (JSON) as the type of ``default``, or ValueError."""
    if isinstance(default, bool):
        return Boolean("", default).read(value)
    if isinstance(default, int):
        return Integer("", default).read(value)
    if isinstance(default, float):
        return Number("", default).read(value)
    if isinstance(default, str):
        if type(value) is not str:
            raise ValueError(f"expected a string, got {_kind(value)}")
        return value
    if isinstance(default, tuple):
        if type(value) is not list:
            raise ValueError(f"expected a list, got {_kind(value)}")
        item = default[0] if default else 0.0
        return tuple(_like(item, v) for v in value)
    raise TypeError(f"no JSON form for {type(default).__name__}")  # pragma: no cover (a lab's bug)


def _plain(value):
    return [_plain(v) for v in value] if isinstance(value, tuple) else value


def read_settings(key: str, part, cls):
    """The ``cls`` instance that lab ``key``'s part describes (see :func:`settings_fields`); a
    combination of fields ``cls`` refuses is refused as ``labs.<key>: why``."""
    values = read_part(key, part, settings_fields(cls))
    try:
        return cls(**values)
    except GmmvizError as exc:
        raise FileFormatError(f"labs.{key}: {exc}") from None


def settings_part(settings) -> dict:
    """The part (plain JSON) of a settings dataclass instance."""
    return write_part({f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)},
                      settings_fields(type(settings)))


def defaults(fields) -> dict:
    """Every field's default value."""
    return {f.name: f.default for f in fields}


def read_part(key: str, part, fields) -> dict:
    """Every field's value in ``part`` (lab ``key``'s part as opened), defaults for the missing.

    Raises
    ------
    FileFormatError
        ``labs.<key>.<field>: why`` for the first wrong field (or ``labs.<key>: ...`` when the part
        is not an object); nothing is returned, so the caller changes nothing.
    """
    if type(part) is not dict:
        raise FileFormatError(f"labs.{key}: expected an object, got {_kind(part)}")
    out = {}
    for f in fields:
        if f.name not in part:
            out[f.name] = f.default
            continue
        try:
            out[f.name] = f.read(part[f.name])
        except (ValueError, TypeError, GmmvizError) as exc:
            raise FileFormatError(f"labs.{key}.{f.name}: {exc}") from None
    return out


def write_part(values: dict, fields) -> dict:
    """The part (plain JSON) of ``values`` (a dict with every field's value)."""
    return {f.name: f.write(values[f.name]) for f in fields}


__all__ = ["Boolean", "Choice", "Custom", "Field", "Integer", "Integers", "Number", "defaults", "read_part",
           "read_settings", "settings_fields", "settings_part", "write_part"]
