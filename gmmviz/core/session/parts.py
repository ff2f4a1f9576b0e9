"""A lab's part of a session as a flat schema of typed fields (Qt-free).

A lab whose part is a handful of settings declares them once::

    FIELDS = (Integer("k", 3, 1, 12), Boolean("line_search", False), Choice("sampler", "prior", ("prior", "posterior")))

:func:`read_part` checks a whole part (as opened: maybe from an older or a newer
gmmviz) against them and returns every field's value, the default for a missing
one; unknown keys are ignored.  A wrong field is refused with a
:class:`~gmmviz.core.errors.FileFormatError` whose message starts with its path
(``labs.theory.k: ...``), before anything is changed.  :func:`defaults` is the
part of a fresh lab.  The values are checked by the strict JSON layer every
session field goes through (:mod:`gmmviz.core.io.jsonfields`), so a lab's part
is refused in the same words as the rest of the file.

The fields are flat on purpose: a nested group would have to ignore keys it
does not know (a newer gmmviz), and so would accept any object for itself.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Callable

from gmmviz.core.errors import FileFormatError, GmmvizError
from gmmviz.core.io.jsonfields import (
    fail,
    get_bool,
    get_int,
    get_list,
    get_number,
    get_str,
    join,
    kind,
)

#: The longest string a settings field may hold.
MAX_TEXT = 200


@dataclass(frozen=True)
class Field:
    """One key of a part: its name, its default and how a JSON value is checked."""

    name: str
    default: Any

    def read(self, value, path: str):
        """The value ``value`` (as parsed from JSON) stands for; a FileFormatError naming ``path`` if none."""
        raise NotImplementedError

    def write(self, value):
        """``value`` as plain JSON (lists for tuples)."""
        return value


@dataclass(frozen=True)
class Integer(Field):
    lo: int = -(2**63)
    hi: int = 2**63 - 1

    def read(self, value, path: str):
        return get_int(value, path, self.lo, self.hi)


@dataclass(frozen=True)
class Number(Field):
    lo: float = -math.inf
    hi: float = math.inf

    def read(self, value, path: str):
        number = get_number(value, path, lo=self.lo)
        if number > self.hi:
            fail(path, f"{number!r} is above {self.hi!r}")
        return number


@dataclass(frozen=True)
class Boolean(Field):
    def read(self, value, path: str):
        return get_bool(value, path)


@dataclass(frozen=True)
class Text(Field):
    """A string (of at most :data:`MAX_TEXT` characters)."""

    def read(self, value, path: str):
        return get_str(value, path, MAX_TEXT)


@dataclass(frozen=True)
class Choice(Field):
    options: tuple = ()

    def read(self, value, path: str):
        return get_str(value, path, MAX_TEXT, choices=self.options)


@dataclass(frozen=True)
class Items(Field):
    """A list of ``min_len`` to ``max_len`` values, each read by ``item``; a tuple in Python."""

    item: Field = None
    min_len: int = 0
    max_len: int = 1000

    def read(self, value, path: str):
        items = get_list(value, path, self.max_len)
        if len(items) < self.min_len:
            fail(path, f"{len(items)} entries (at least {self.min_len})")
        return tuple(self.item.read(v, join(path, i)) for i, v in enumerate(items))

    def write(self, value):
        return [self.item.write(v) for v in value]


def Integers(name: str, default: tuple, lo: int, hi: int, min_len: int = 0, max_len: int = 1000) -> Items:  # noqa: N802
    """A list of integers in [lo, hi]."""
    return Items(name, tuple(default), Integer("", 0, lo, hi), min_len, max_len)


@dataclass(frozen=True)
class Custom(Field):
    """A field checked by the lab's own Qt-free function (``check(value) -> value``, raising
    ValueError, TypeError or a GmmvizError naming what is wrong); ``dump`` writes it."""

    check: Callable[[Any], Any] = field(default=lambda v: v, compare=False)
    dump: Callable[[Any], Any] = field(default=lambda v: v, compare=False)

    def read(self, value, path: str):
        try:
            return self.check(value)
        except (ValueError, TypeError, GmmvizError) as exc:
            fail(path, str(exc))

    def write(self, value):
        return self.dump(value)


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
        fail(f"labs.{key}", f"expected an object, got {kind(part)}")
    return {f.name: f.read(part[f.name], f"labs.{key}.{f.name}") if f.name in part else f.default
            for f in fields}


def write_part(values: dict, fields) -> dict:
    """The part (plain JSON) of ``values`` (a dict with every field's value)."""
    return {f.name: f.write(values[f.name]) for f in fields}


# -- frozen settings dataclasses ----------------------------------------------------------
def settings_fields(cls) -> tuple[Field, ...]:
    """The typed fields of a frozen settings dataclass ``cls``, one per attribute, of the type of its
    default (bool, int, float, str or a tuple of one of those)."""
    proto = cls()
    return tuple(_field_like(f.name, getattr(proto, f.name)) for f in dataclasses.fields(cls))


def _field_like(name: str, default) -> Field:
    if isinstance(default, bool):
        return Boolean(name, default)
    if isinstance(default, int):
        return Integer(name, default)
    if isinstance(default, float):
        return Number(name, default)
    if isinstance(default, str):
        return Text(name, default)
    if isinstance(default, tuple):
        return Items(name, default, _field_like("", default[0] if default else 0.0))
    raise TypeError(f"no JSON form for {type(default).__name__}")  # pragma: no cover (a lab's bug)


def read_settings(key: str, part, cls):
    """The ``cls`` instance that lab ``key``'s part describes: each field checked for its type, then
    by ``cls``'s own ``__post_init__`` on a default instance with just that field changed (so the
    message names the field, not a neighbour), then all together (``labs.<key>: why``)."""
    values = read_part(key, part, settings_fields(cls))
    proto = cls()
    for name, value in values.items():
        try:
            dataclasses.replace(proto, **{name: value})
        except GmmvizError as exc:
            fail(f"labs.{key}.{name}", str(exc))
    try:
        return cls(**values)
    except GmmvizError as exc:
        raise FileFormatError(f"labs.{key}: {exc}") from None


def settings_part(settings) -> dict:
    """The part (plain JSON) of a settings dataclass instance."""
    return write_part({f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)},
                      settings_fields(type(settings)))


__all__ = ["Boolean", "Choice", "Custom", "Field", "Integer", "Integers", "Items", "Number", "Text", "defaults",
           "read_part", "read_settings", "settings_fields", "settings_part", "write_part"]
