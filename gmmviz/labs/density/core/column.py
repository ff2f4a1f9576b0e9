"""One column of a CSV file as 1-D data (a file of one column is fine, unlike 2-D point files).

The format is the point files' (:mod:`gmmviz.core.io.csv_read`): UTF-8 without
BOM, ``,`` separators, ``.`` decimals, an optional header (the first non-blank
line is a header when its field in the chosen column is not a number), blank
lines ignored; every value of the column must be a finite number, or the
file is refused with one message naming the line.  The file goes through the
same safe reader (regular files only, size-capped).
"""

from __future__ import annotations

import os

import numpy as np

from gmmviz.core.errors import FileFormatError, OptionError
from gmmviz.core.io.csv_layout import (
    check_first_line,
    is_number,
    parse_number,
    split_line,
)
from gmmviz.core.io.csv_read import MAX_FILE_BYTES, decode_text
from gmmviz.core.io.reading import read_limited
from gmmviz.labs.density.core.scores import MAX_POINTS


def _too_large(size: int) -> FileFormatError:
    return FileFormatError(f"the file is {size / 2**20:.0f} MB; at most {MAX_FILE_BYTES >> 30} GiB is read")


def read_column(path, column: str | int | None = None) -> tuple[np.ndarray, str]:
    """The values of one column, shape (n,), and the column's display name.

    Parameters
    ----------
    path : str or PathLike
    column : str, int or None
        A header name (case-insensitive when unique), a 1-based number, or
        None: the column named ``x``, else the first.

    Raises
    ------
    OptionError
        ``column`` names no column of the file.
    FileFormatError, GmmvizError
        The file is refused (the message names the line), or cannot be read.
    """
    text = decode_text(bytes(read_limited(path, MAX_FILE_BYTES, "a CSV file", _too_large)))
    lines = text.split("\n")
    numbered = [(i + 1, line) for i, line in enumerate(lines) if line.strip()]
    if not numbered:
        raise FileFormatError("line 1: the file holds no values; it needs one number a row")
    first_no, first = numbered[0]
    check_first_line(first, first_no)
    fields = [f.strip() for f in split_line(first, first_no)]
    index = _choose(fields, column, first_no)
    has_header = not is_number(fields[index]) if index < len(fields) else False
    name = fields[index] if has_header and fields[index] else f"column {index + 1}"
    rows = numbered[1:] if has_header else numbered
    if len(rows) > MAX_POINTS:
        raise FileFormatError(f"the file has {len(rows):,} rows; at most {MAX_POINTS:,} values are read")
    values = np.empty(len(rows))
    where = f"column {index + 1}" + (f" ({name!r})" if has_header else "")
    for k, (no, line) in enumerate(rows):
        parts = split_line(line, no)
        if index >= len(parts):
            raise FileFormatError(f"line {no} has {len(parts)} field(s); {where} is missing")
        values[k] = parse_number(parts[index], no, where)
    if not values.size:
        raise FileFormatError(f"{os.fspath(path)!r} has a header but no values")
    return values, name


def _choose(fields: list[str], column, number: int) -> int:
    k = len(fields)
    if column is None:
        lower = [f.lower() for f in fields]
        return lower.index("x") if "x" in lower else 0
    if isinstance(column, int) or (isinstance(column, str) and column.isdigit()):
        c = int(column)
        if not 1 <= c <= k:
            raise OptionError(f"there is no column {c}: the file has {k} column(s)")
        return c - 1
    if all(is_number(f) for f in fields):
        raise OptionError(f"line {number} holds numbers, not column names: choose the column by number (1 to {k})")
    for match in (lambda f: f == column, lambda f: f.lower() == column.strip().lower()):
        found = [i for i, f in enumerate(fields) if match(f)]
        if len(found) > 1:
            raise OptionError(f"{len(found)} columns are named {column!r}; choose one by number")
        if found:
            return found[0]
    raise OptionError(f"there is no column named {column!r}; the columns are: {', '.join(map(repr, fields))}")
