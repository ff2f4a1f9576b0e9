"""How a CSV point file is laid out: header, chosen columns, and its fields.

Helpers of :mod:`gmmviz.core.io.csv_read` (Qt-free: numpy and the standard
library only): the header detection, the choice of the x, y and label
columns, the exact parsing of one field or line with the message that
refuses it, and the mapping of label values to classes.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from gmmviz.core.errors import FileFormatError, OptionError

#: Rows with more fields than this are refused (checked on the first line first).
MAX_COLUMNS = 1000
#: A label column with more distinct values than this is not a class label.
MAX_CLASSES = 1000
#: Header names (case-insensitive) that mark the label column.
LABEL_COLUMN_NAMES = ("label", "class", "y_true")

QUOTE_CHARS = 40
INTEGER = re.compile(r"[+-]?[0-9]{1,100}")
NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
NONFINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
DECIMAL_COMMA = re.compile(r"[+-]?[0-9]*,[0-9]+(?:[eE][+-]?[0-9]+)?")
SEMICOLON_HINT = (
    "the file seems to use ';' as separator and ',' as decimal mark; "
    "save it with '.' decimals and ',' separators"
)


# --------------------------------------------------------------------------
# Lines and fields
# --------------------------------------------------------------------------


def check_first_line(line: str, number: int) -> None:
    """Refuse absurd widths and ';'-separated files before splitting the file."""
    n = line.count(",") + 1
    if n > MAX_COLUMNS:
        raise FileFormatError(
            f"line {number} has {n} comma-separated fields; gmmviz reads at most "
            f"{MAX_COLUMNS} columns: keep only the x, y and label columns"
        )
    parts = [p.strip() for p in line.split(";")]
    if len(parts) >= 2 and all(is_number(p) or DECIMAL_COMMA.fullmatch(p) for p in parts):
        raise FileFormatError(f"line {number}: {SEMICOLON_HINT}")


def split_line(line: str, number: int) -> list[str]:
    """The fields of one line (csv-module quoting only when the line has quotes)."""
    if '"' not in line:
        return line.split(",")
    try:
        rows = list(csv.reader([line], strict=True))
    except csv.Error as exc:
        raise FileFormatError(
            f"line {number}: bad quoting ({exc}); a quoted field must be closed on the same "
            'line and a quote inside it doubled ("")'
        ) from None
    return rows[0] if rows else []


def quote_field(field: str) -> str:
    """A field for a message: stripped, truncated, quoted."""
    field = field.strip()
    return repr(field if len(field) <= QUOTE_CHARS else field[:QUOTE_CHARS] + "...")


def is_number(field: str) -> bool:
    s = field.strip()
    return bool(NUMBER.fullmatch(s) or NONFINITE.fullmatch(s))


def parse_number(field: str, number: int, where: str) -> float:
    """The float in ``field``, or a FileFormatError naming line ``number`` and column ``where``."""
    s = field.strip()
    if NUMBER.fullmatch(s):
        value = float(s)
        if math.isinf(value):
            raise FileFormatError(f"line {number}: {where} value {quote_field(s)} is too large (beyond 1.8e308)")
        return value
    if NONFINITE.fullmatch(s):
        raise FileFormatError(
            f"line {number}: {where} is {quote_field(s)}; NaN and infinite values are not allowed: "
            "remove the row or fill in a number"
        )
    if not s:
        raise FileFormatError(f"line {number}: {where} is empty; every row needs a number there")
    if ";" in s:
        raise FileFormatError(f"line {number}: {where} is {quote_field(s)}: {SEMICOLON_HINT}")
    if DECIMAL_COMMA.fullmatch(s):
        raise FileFormatError(
            f"line {number}: {where} is {quote_field(s)}: ',' is used as decimal mark; "
            "save the file with '.' decimals"
        )
    raise FileFormatError(
        f"line {number}: {where} is {quote_field(s)}, not a number; fix or remove the row "
        "(numbers use '.' as decimal mark, e.g. 3.25)"
    )


def raise_ragged(number: int, n: int, layout: Layout):
    where = f"the header (line {layout.header_line})" if layout.header is not None else "the first row"
    raise FileFormatError(
        f"line {number} has {n} field{'s' if n != 1 else ''} but {where} has {layout.n_fields}; "
        "every row needs the same number of comma-separated fields"
    )


# --------------------------------------------------------------------------
# Choosing columns
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """The columns of a file: how many, the header, and the chosen x, y, label (0-based)."""

    n_fields: int
    header_line: int | None
    header: tuple[str, ...] | None
    names: tuple[str, ...]  # display name of every column
    x: int
    y: int
    label: int | None

    def describe(self, index: int) -> str:
        if self.header is None:
            return f"column {index + 1}"
        return f"column {index + 1} ({self.names[index]!r})"


def make_layout(fields: list[str], number: int, columns, read_labels: bool) -> Layout:
    """Header detection and the choice of columns, from the first non-blank line.

    Parameters
    ----------
    fields : list of str
        The fields of the first non-blank line.
    number : int
        Its 1-based line number.
    columns : sequence of 2 or 3 str or int, or None
        As for :func:`gmmviz.core.io.csv_read.read_csv`.
    read_labels : bool
        Whether the default choice includes a label column.
    """
    k = len(fields)
    if k < 2:
        line = fields[0] if fields else ""
        if ";" in line:
            raise FileFormatError(f"line {number}: {SEMICOLON_HINT}")
        if "\t" in line:
            raise FileFormatError(f"line {number}: the file seems tab-separated; save it with ',' separators")
        raise FileFormatError(
            f"line {number} has 1 field; gmmviz needs at least 2 comma-separated columns (x and y)"
        )
    wanted = _check_columns_arg(columns)
    stripped = tuple(f.strip() for f in fields)
    has_header = _is_header(stripped, number, wanted)
    header = stripped if has_header else None
    names = tuple(s if (has_header and s) else f"column {i + 1}" for i, s in enumerate(stripped))
    if wanted is not None:
        idx = [_column_index(c, header, names, k) for c in wanted]
    else:
        idx = _default_columns(header, k, read_labels)
    if len(set(idx)) != len(idx):
        raise OptionError(f"columns must be different, got {tuple(names[i] for i in idx)}")
    label = idx[2] if len(idx) == 3 else None
    return Layout(k, number if has_header else None, header, names, idx[0], idx[1], label)


def _is_header(stripped: tuple[str, ...], number: int, wanted) -> bool:
    """A first line is a header when its x and y fields are both not numbers."""
    k = len(stripped)
    if wanted is not None and any(isinstance(c, str) for c in wanted):
        if all(is_number(f) for f in stripped):
            raise OptionError(
                f"line {number} holds numbers, not column names: the file has no header, "
                f"so choose columns by number (1 to {k})"
            )
        return True
    if wanted is not None:
        xy = [c - 1 for c in wanted[:2] if c <= k]
    else:
        xy = _default_xy([s.lower() for s in stripped])
    numeric = [is_number(stripped[i]) for i in xy]
    if any(numeric) and not all(numeric):
        text = next(stripped[i] for i, ok in zip(xy, numeric) if not ok)
        raise FileFormatError(
            f"line {number}: {quote_field(text)} is not a number but the other of x and y is; "
            "if this line is a header, give every column a name that is not a number"
        )
    return not any(numeric)


def _check_columns_arg(columns):
    if columns is None:
        return None
    if isinstance(columns, (str, bytes)) or not isinstance(columns, Sequence) or len(columns) not in (2, 3):
        raise OptionError(f"columns must be 2 or 3 names or numbers (x, y[, label]), got {columns!r}")
    for c in columns:
        if isinstance(c, bool) or not isinstance(c, (str, int)):
            raise OptionError(f"a column is a header name or a 1-based number, got {c!r}")
        if isinstance(c, int) and c < 1:
            raise OptionError(f"column numbers start at 1, got {c}")
    return tuple(columns)


def _column_index(wanted, header, names, k: int) -> int:
    listing = ", ".join(repr(n) for n in names) if header is not None else f"1 to {k}"
    if isinstance(wanted, int):
        if wanted > k:
            raise OptionError(f"there is no column {wanted}: the file has {k} columns ({listing})")
        return wanted - 1
    for match in (lambda n: n == wanted, lambda n: n.lower() == wanted.strip().lower()):
        found = [i for i, n in enumerate(header) if match(n)]
        if len(found) > 1:
            raise OptionError(
                f"{len(found)} columns are named {wanted!r} "
                f"(columns {', '.join(str(i + 1) for i in found)}); choose one by number"
            )
        if found:
            return found[0]
    raise OptionError(f"there is no column named {wanted!r}; the columns are: {listing}")


def _default_xy(lower: list[str]) -> list[int]:
    """Columns named x and y, else the first two not named like a label column."""
    if "x" in lower and "y" in lower:
        return [lower.index("x"), lower.index("y")]
    plain = [i for i, n in enumerate(lower) if n not in LABEL_COLUMN_NAMES]
    return plain[:2] if len(plain) >= 2 else [0, 1]


def _default_columns(header, k: int, read_labels: bool) -> list[int]:
    if header is None:
        return [0, 1, 2] if (k >= 3 and read_labels) else [0, 1]
    lower = [h.lower() for h in header]
    xy = _default_xy(lower)
    if not read_labels:
        return xy
    named = [i for i, n in enumerate(lower) if n in LABEL_COLUMN_NAMES and i not in xy]
    if named:
        return xy + [named[0]]
    if k == 3:
        return xy + [next(i for i in range(3) if i not in xy)]
    return xy


# --------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------


class LabelCodes:
    """Factorises raw label strings across chunks (first-appearance codes)."""

    def __init__(self):
        self.codes: dict[str, int] = {}

    def add(self, raw) -> tuple[np.ndarray, bool]:
        """Codes for the strings ``raw`` and whether every new value is non-blank."""
        arr = np.asarray(raw, dtype=str)
        if arr.size == 0:
            return np.empty(0, dtype=np.int64), True
        uniq, first, inverse = np.unique(arr, return_index=True, return_inverse=True)
        d, ok = self.codes, True
        local = np.empty(uniq.shape[0], dtype=np.int64)
        for j in np.argsort(first, kind="stable").tolist():
            s = str(uniq[j])
            if s not in d:
                ok = ok and bool(s.strip())
                d[s] = len(d)
            local[j] = d[s]
        return local[inverse.reshape(-1)], ok

    def finish(self, codes: np.ndarray, describe: str) -> tuple[np.ndarray, tuple[str, ...]]:
        names = [s.strip() for s in self.codes]
        if names and all(INTEGER.fullmatch(n) for n in names):
            values = [int(n) for n in names]
            distinct = sorted(set(values))
            where = {v: i for i, v in enumerate(distinct)}
            remap = [where[v] for v in values]
            label_names = tuple(str(v) for v in distinct)
        else:
            order: dict[str, int] = {}
            remap = [order.setdefault(n, len(order)) for n in names]
            label_names = tuple(order)
        if len(label_names) > MAX_CLASSES:
            raise FileFormatError(
                f"the label column, {describe}, has {len(label_names)} different values (more than "
                f"{MAX_CLASSES}): it does not look like class labels; choose only the x and y columns"
            )
        return np.asarray(remap, dtype=np.int64)[codes], label_names
