"""The rows of a CSV file, parsed as the file streams in (Qt-free: numpy and the standard library).

:class:`RowReader` is fed line-aligned pieces of decoded text (a few MB each)
and keeps only the parsed numbers: memory grows with the points, about 16
bytes a point (24 with labels), never with the file's text.  The limit on
points is checked after every chunk of lines, so a file that is too big is
refused as soon as that is known.

Each chunk of lines first goes through a fast path (:func:`numpy.loadtxt`,
C code) after a cheap field-count check.  Only when that fails (a bad field,
a blank line, NaN, ...) is the chunk re-read by an exact per-line scan,
which either accepts it or raises the precise message.
"""

from __future__ import annotations

import csv

import numpy as np

from gmmviz.core.errors import FileFormatError
from gmmviz.core.io.csv_layout import (
    LabelCodes,
    Layout,
    check_first_line,
    make_layout,
    parse_number,
    raise_ragged,
    split_line,
)

#: Lines parsed at a time.
CHUNK_LINES = 65536
#: Points read from one file at most (as many as a session holds).
MAX_POINTS = 20_000_000


class Growing:
    """An array that grows by doubling, trimmed in place at the end (no second copy)."""

    def __init__(self, width: int | None, dtype):
        self.shape_tail = () if width is None else (width,)
        self.data = np.empty((4096, *self.shape_tail), dtype=dtype)
        self.n = 0

    def extend(self, block: np.ndarray) -> None:
        need = self.n + block.shape[0]
        if need > self.data.shape[0]:
            self.data.resize((max(need, 2 * self.data.shape[0]), *self.shape_tail), refcheck=False)
        self.data[self.n : need] = block
        self.n = need

    def finish(self) -> np.ndarray:
        self.data.resize((self.n, *self.shape_tail), refcheck=False)
        return self.data


class RowReader:
    """Parse the rows of a CSV file piece by piece.

    Parameters
    ----------
    columns, read_labels
        As for :func:`gmmviz.core.io.csv_read.read_csv`.
    max_points : int
        More points than this are refused (while reading).
    """

    def __init__(self, columns, read_labels: bool, max_points: int = MAX_POINTS):
        self.columns, self.read_labels, self.max_points = columns, read_labels, max_points
        self.layout: Layout | None = None
        self.first_no = 0
        self.labels: LabelCodes | None = None
        self.X = Growing(2, np.float64)
        self.codes = Growing(None, np.int64)

    def feed(self, text: str, first_number: int) -> None:
        """Parse ``text`` (whole lines, ``\\n`` line ends) whose first line is number ``first_number``."""
        lines = text.split("\n")
        if text.endswith("\n"):
            lines.pop()
        while lines and not lines[-1].strip():
            lines.pop()
        start = 0
        if self.layout is None:
            start = next((i for i, s in enumerate(lines) if s.strip()), len(lines))
            if start == len(lines):
                return
            self._start(lines[start], first_number + start)
            start += 1 if self.layout.header is not None else 0
        quoted = '"' in text
        for a in range(start, len(lines), CHUNK_LINES):
            self._chunk(lines[a : a + CHUNK_LINES], first_number + a, quoted)

    def _start(self, line: str, number: int) -> None:
        check_first_line(line, number)
        self.layout = make_layout(split_line(line, number), number, self.columns, self.read_labels)
        self.first_no = number
        self.labels = LabelCodes() if self.layout.label is not None else None

    def _chunk(self, chunk: list[str], first_number: int, quoted: bool) -> None:
        layout, labels = self.layout, self.labels
        result = fast_chunk(chunk, layout, quoted and any('"' in s for s in chunk), labels)
        if result is None:
            X, raw = exact_chunk(chunk, first_number, layout)
            result = (X, labels.add(raw)[0] if labels is not None else None)
        if self.X.n + result[0].shape[0] > self.max_points:
            raise FileFormatError(
                f"line {first_number + len(chunk) - 1}: the file has more than {self.max_points:,} points, "
                "more than gmmviz reads: keep a sample of the rows"
            )
        self.X.extend(result[0])
        if result[1] is not None:
            self.codes.extend(np.asarray(result[1], dtype=np.int64))

    def finish(self):
        """(layout, X, label codes or None, label names) once the whole file is fed."""
        if self.layout is None:
            raise FileFormatError("line 1: the file holds only blank lines; it needs rows of x,y numbers")
        if self.X.n == 0:
            raise FileFormatError(
                f"line {self.first_no}: the file has a header line but no data rows; add rows of numbers below it"
            )
        X = self.X.finish()
        X.setflags(write=False)
        codes, names = None, ()
        if self.labels is not None:
            codes, names = self.labels.finish(self.codes.finish(), self.layout.describe(self.layout.label))
            codes.setflags(write=False)
        return self.layout, X, codes, names


def fast_chunk(chunk: list[str], layout: Layout, quoted: bool, labels: LabelCodes | None):
    """(X, label codes) for a clean chunk, or None to fall back to the exact scan."""
    k = layout.n_fields
    rows = None
    if quoted:
        try:
            rows = list(csv.reader(chunk, strict=True))
        except csv.Error:
            return None
        if len(rows) != len(chunk) or any(len(r) != k for r in rows):
            return None
    elif [s.count(",") for s in chunk].count(k - 1) != len(chunk):
        return None
    options = {"delimiter": ",", "comments": None, "quotechar": '"' if quoted else None}
    try:
        X = np.loadtxt(chunk, usecols=(layout.x, layout.y), ndmin=2, dtype=np.float64, **options)
        if X.shape != (len(chunk), 2) or not np.isfinite(X).all():
            return None
        if labels is None:
            return X, None
        if rows is not None:
            raw = [r[layout.label] for r in rows]
        else:
            raw = np.loadtxt(chunk, usecols=(layout.label,), ndmin=1, dtype=str, **options)
    except ValueError:
        return None
    codes, ok = labels.add(raw)
    return (X, codes) if ok else None


def exact_chunk(chunk: list[str], first_number: int, layout: Layout) -> tuple[np.ndarray, list[str]]:
    """Parse line by line; raise the precise FileFormatError at the first fault."""
    k, values, raw = layout.n_fields, [], []
    for number, line in enumerate(chunk, start=first_number):
        if not line.strip():
            continue
        n = line.count(",") + 1 if '"' not in line else None
        fields = split_line(line, number) if n in (None, k) else None
        if fields is None or len(fields) != k:
            raise_ragged(number, n if fields is None else len(fields), layout)
        values.append(parse_number(fields[layout.x], number, layout.describe(layout.x)))
        values.append(parse_number(fields[layout.y], number, layout.describe(layout.y)))
        if layout.label is not None:
            label = fields[layout.label].strip()
            if not label:
                raise FileFormatError(
                    f"line {number}: empty label in {layout.describe(layout.label)}; "
                    "give every row a class, or choose only the x and y columns"
                )
            raw.append(label)
    return np.array(values, dtype=np.float64).reshape(-1, 2), raw
