"""Point files as CSV: a strict reader and an exact, atomic writer.

Qt-free: numpy and the standard library only.  Header detection, the choice
of columns and the per-field messages live in :mod:`gmmviz.core.io.csv_layout`.

The reader is a contract: a file is either read whole or refused whole with
one :class:`~gmmviz.core.errors.FileFormatError` whose message names the
line (1-based, as an editor shows it) and says what is wrong and what to do.

Accepted format
---------------
* UTF-8 without a byte-order mark; ``,`` separates fields, ``.`` is the
  decimal mark; LF, CRLF (and old-Mac CR) line ends.
* An optional header: the first non-blank line is a header when the fields
  in its x and y columns are both not numbers.
* Blank (empty or whitespace-only) lines are ignored anywhere; they still
  count for line numbers.
* Double-quoted fields follow the :mod:`csv` module (``"a ""b"", c"``), but a
  quoted field must end on the line it starts on.
* Label values are stripped of surrounding whitespace.  If all are integer
  literals (``[+-]?[0-9]+``), the classes are the sorted distinct integers
  (``label_names`` their decimal strings, so ``01`` and ``1`` are one class);
  otherwise they are the distinct strings in order of first appearance.

How it is fast
--------------
The lines are parsed in chunks; each chunk first goes through a fast path
(:func:`numpy.loadtxt`, C code) after a cheap field-count check.  Only when
that fails (a bad field, a blank line, NaN, ...) is the chunk re-read by an
exact per-line scan, which either accepts it or raises the precise message.
"""

from __future__ import annotations

import codecs
import csv
import os
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from gmmviz.core.errors import FileFormatError, GmmvizError
from gmmviz.core.io.atomic import atomic_write_text, read_limited
from gmmviz.core.io.csv_layout import (
    LABEL_COLUMN_NAMES,
    MAX_CLASSES,
    MAX_COLUMNS,
    LabelCodes,
    Layout,
    check_first_line,
    make_layout,
    parse_number,
    raise_ragged,
    split_line,
)
from gmmviz.core.validation import check_points

__all__ = [
    "LABEL_COLUMN_NAMES",
    "MAX_CLASSES",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "CsvTable",
    "ImportCancelled",
    "read_csv",
    "write_csv",
]

#: Files larger than this are refused before reading (1 GiB).
MAX_FILE_BYTES = 1 << 30

_MIN_CHUNK, _MAX_CHUNK = 4096, 65536

ProgressCallback = Callable[[float], "bool | None"]


class ImportCancelled(Exception):
    """The ``progress`` callback returned False: the import was abandoned.

    Deliberately not a :class:`GmmvizError`: nothing was wrong with the file.
    """


@dataclass(frozen=True, eq=False)
class CsvTable:
    """The points of a CSV file.

    Attributes
    ----------
    X : ndarray of shape (n_rows, 2), float64, read-only
    labels : ndarray of shape (n_rows,), int64, read-only, or None
        Index into ``label_names`` for each row; None without a label column.
    label_names : tuple of str
        Class names; ``label_names[labels[i]]`` is row i's class.
    columns : tuple of str
        Names of the chosen x, y (and label) columns; ``"column 3"`` when
        the file has no header.
    header : tuple of str or None
        Every header field (stripped), or None without a header line.
    """

    X: np.ndarray
    labels: np.ndarray | None
    label_names: tuple[str, ...]
    columns: tuple[str, ...]
    header: tuple[str, ...] | None

    @property
    def n_rows(self) -> int:
        return int(self.X.shape[0])


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def read_csv(
    source,
    *,
    columns: Sequence[str | int] | None = None,
    progress: ProgressCallback | None = None,
    read_labels: bool = True,
) -> CsvTable:
    """Read 2-D points (and optional class labels) from a CSV file.

    Parameters
    ----------
    source : str, os.PathLike or bytes
        A path, or the file's content.
    columns : sequence of 2 or 3 str or int, optional
        The x, y (and label) columns, by header name or by 1-based number.
        Two entries mean "no labels".  Default: columns named x and y
        (case-insensitive), else the first two (skipping any named like a
        label column); the label column is one named label, class or
        y_true, else the remaining one of exactly three (without a header:
        column 3, if present).
    progress : callable, optional
        ``progress(fraction)`` is called after each chunk of lines (at least
        every 5 % of a large file); returning False cancels.
    read_labels : bool
        False ignores the default label column (``columns`` still rules).

    Returns
    -------
    CsvTable

    Raises
    ------
    FileFormatError
        The file is refused whole; the message names the line and the problem.
    GmmvizError
        The file cannot be read (missing, a directory, no permission) or
        ``columns`` is malformed.
    ImportCancelled
        ``progress`` returned False.
    """
    text = decode_text(_load_bytes(source))
    quoted = '"' in text
    first_no, first_line = first_content_line(text)
    check_first_line(first_line, first_no)
    layout = make_layout(split_line(first_line, first_no), first_no, columns, read_labels)
    lines = text.split("\n")
    del text
    while lines and not lines[-1].strip():
        lines.pop()
    start = first_no if layout.header is not None else first_no - 1
    if start >= len(lines):
        raise FileFormatError(
            f"line {first_no}: the file has a header line but no data rows; add rows of numbers below it"
        )
    return _read_rows(lines, start, layout, progress, quoted)


def _load_bytes(source) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if len(data) > MAX_FILE_BYTES:
            raise _too_large(len(data))
        return data
    if not isinstance(source, (str, os.PathLike)):
        raise GmmvizError(f"source must be a path or bytes, got {type(source).__name__}")
    return read_limited(source, MAX_FILE_BYTES, "a CSV file", _too_large)


def _too_large(size: int) -> FileFormatError:
    return FileFormatError(
        f"the file is {size / 2**30:.2f} GiB; gmmviz reads CSV files of at most "
        f"{MAX_FILE_BYTES / 2**30:.0f} GiB: keep a sample of the rows"
    )


def decode_text(data: bytes) -> str:
    """UTF-8 text with '\\n' line ends, or a FileFormatError."""
    if not data:
        raise FileFormatError("line 1: the file is empty; it needs rows of x,y numbers")
    if data.startswith(codecs.BOM_UTF8):
        raise FileFormatError(
            "line 1 starts with a UTF-8 byte-order mark (BOM); save the file as "
            "'UTF-8' without BOM (in Excel: 'CSV (comma delimited)', not 'CSV UTF-8')"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileFormatError("line 1: the file is UTF-16 (or UTF-32) text; save it as UTF-8")
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise FileFormatError(
            f"line {line} contains a NUL byte: this is a binary "
            "file or UTF-16 text, not a UTF-8 CSV file; save it as UTF-8 text"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileFormatError(
            f"line {line} is not valid UTF-8 (byte 0x{data[exc.start]:02x} at byte {col} "
            "of the line); save the file as UTF-8 (it may be Latin-1 or Windows-1252)"
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def first_content_line(text: str) -> tuple[int, str]:
    """(1-based number, text) of the first non-blank line, without splitting all."""
    pos, number = 0, 1
    while pos <= len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end]
        if line.strip():
            return number, line
        pos, number = end + 1, number + 1
    raise FileFormatError("line 1: the file holds only blank lines; it needs rows of x,y numbers")


# --------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------


def _chunk_size(n: int) -> int:
    return max(_MIN_CHUNK, min(_MAX_CHUNK, -(-n // 20)))


def _read_rows(lines: list[str], start: int, layout: Layout, progress, quoted: bool) -> CsvTable:
    total = len(lines) - start
    step = _chunk_size(total)
    labels = LabelCodes() if layout.label is not None else None
    xs, codes = [], []
    for a in range(start, len(lines), step):
        chunk = lines[a : a + step]
        result = _fast_chunk(chunk, layout, quoted and any('"' in s for s in chunk), labels)
        if result is None:
            X, raw = _exact_chunk(chunk, a + 1, layout)
            result = (X, labels.add(raw)[0] if labels is not None else None)
        xs.append(result[0])
        codes.append(result[1])
        if progress is not None:
            answer = progress(min(1.0, (a + len(chunk) - start) / total))
            if answer is not None and not answer:
                raise ImportCancelled("the import was cancelled")
    X = np.concatenate(xs)
    X.setflags(write=False)
    label_arr, label_names = None, ()
    if labels is not None:
        label_arr, label_names = labels.finish(np.concatenate(codes), layout.describe(layout.label))
        label_arr.setflags(write=False)
    chosen = (layout.x, layout.y) + ((layout.label,) if layout.label is not None else ())
    return CsvTable(X, label_arr, label_names, tuple(layout.names[i] for i in chosen), layout.header)


def _fast_chunk(chunk: list[str], layout: Layout, quoted: bool, labels: LabelCodes | None):
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
    options = dict(delimiter=",", comments=None, quotechar='"' if quoted else None)
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


def _exact_chunk(chunk: list[str], first_number: int, layout: Layout) -> tuple[np.ndarray, list[str]]:
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


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def write_csv(path, X, labels=None, label_names=None) -> None:
    """Write points as ``x,y[,label]`` with a header, atomically and exactly.

    Floats are written with ``repr`` (the shortest text that reads back to
    the same double), so :func:`read_csv` returns bit-identical ``X`` and,
    for every row, the same class name.  (Integer class names come back in
    canonical form and sorted, e.g. ``"07"`` as ``"7"``.)

    Parameters
    ----------
    path : str or os.PathLike
    X : array-like of shape (n_points, 2), finite
    labels : array-like of shape (n_points,), int, optional
        Index into ``label_names`` (default names: ``"0"``, ``"1"``, ...).
    label_names : sequence of str, optional
        Non-empty, without surrounding whitespace or line breaks.

    Raises
    ------
    GmmvizError
        Invalid points or labels, or the file cannot be written (an existing
        file is then left untouched).
    """
    X = check_points(X)
    names = _label_texts(X.shape[0], labels, label_names)
    header = "x,y,label\n" if names is not None else "x,y\n"
    xs, ys = X[:, 0].tolist(), X[:, 1].tolist()
    lab = np.asarray(labels).tolist() if names is not None else None

    def blocks():
        yield header
        for a in range(0, len(xs), _MAX_CHUNK):
            b = a + _MAX_CHUNK
            if lab is None:
                yield "".join(f"{x!r},{y!r}\n" for x, y in zip(xs[a:b], ys[a:b]))
            else:
                yield "".join(f"{x!r},{y!r},{names[c]}\n" for x, y, c in zip(xs[a:b], ys[a:b], lab[a:b]))

    atomic_write_text(path, blocks())


def _label_texts(n: int, labels, label_names) -> list[str] | None:
    if labels is None:
        if label_names is not None:
            raise GmmvizError("label_names given without labels")
        return None
    lab = np.asarray(labels)
    if lab.shape != (n,) or not np.issubdtype(lab.dtype, np.integer):
        raise GmmvizError(f"labels must be {n} integers, got shape {lab.shape} of {lab.dtype}")
    if label_names is None:
        label_names = [str(i) for i in range(int(lab.max()) + 1 if n else 0)]
    label_names = list(label_names)
    if n and (lab.min() < 0 or lab.max() >= len(label_names)):
        raise GmmvizError(f"labels must lie in 0..{len(label_names) - 1}, got {lab.min()}..{lab.max()}")
    out = []
    for name in label_names:
        if not isinstance(name, str) or not name.strip() or name != name.strip() or any(c in name for c in "\r\n\0"):
            raise GmmvizError(
                f"class name {name!r} cannot be written to CSV: use a non-empty name "
                "without surrounding spaces or line breaks"
            )
        out.append('"' + name.replace('"', '""') + '"' if ("," in name or '"' in name) else name)
    return out



