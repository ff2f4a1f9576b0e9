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

How it reads
------------
The file streams in line-aligned pieces of a few MB (:mod:`gmmviz.core.io.csv_rows`
parses them, a fast C path first): memory is about the points' (16 bytes a point,
24 with labels) plus a constant, never the file's text, and a file with more than
:data:`MAX_POINTS` points is refused as soon as it passes the limit.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from gmmviz.core.errors import FileFormatError, GmmvizError
from gmmviz.core.io.atomic import atomic_write_text
from gmmviz.core.io.csv_layout import LABEL_COLUMN_NAMES, MAX_CLASSES, MAX_COLUMNS
from gmmviz.core.io.csv_rows import MAX_POINTS, RowReader
from gmmviz.core.io.reading import chunk_for, read_chunks
from gmmviz.core.validation import check_points

__all__ = [
    "LABEL_COLUMN_NAMES",
    "MAX_CLASSES",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_POINTS",
    "CsvTable",
    "ImportCancelled",
    "read_csv",
    "write_csv",
]

#: Files larger than this are refused before reading (1 GiB).
MAX_FILE_BYTES = 1 << 30

_MAX_CHUNK = 65536

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
    reader = RowReader(columns, read_labels)
    for text, number, fraction in _pieces(source):
        reader.feed(text, number)
        if progress is not None:
            answer = progress(fraction)
            if answer is not None and not answer:
                raise ImportCancelled("the import was cancelled")
    layout, X, label_arr, label_names = reader.finish()
    chosen = (layout.x, layout.y) + ((layout.label,) if layout.label is not None else ())
    return CsvTable(X, label_arr, label_names, tuple(layout.names[i] for i in chosen), layout.header)


#: Longest line accepted (far more than MAX_COLUMNS fields of any sensible width).
MAX_LINE_BYTES = 16 << 20


def _blocks(source):
    """(bytes block, fraction of the file read) of a path or of bytes."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = memoryview(source).cast("B")
        if len(data) > MAX_FILE_BYTES:
            raise _too_large(len(data))
        step = chunk_for(len(data))
        for a in range(0, len(data), step):
            yield bytes(data[a : a + step]), min(1.0, (a + step) / len(data))
        return
    if not isinstance(source, (str, os.PathLike)):
        raise GmmvizError(f"source must be a path or bytes, got {type(source).__name__}")
    seen = [0.0]
    for block in read_chunks(source, MAX_FILE_BYTES, "a CSV file", _too_large,
                             progress=lambda f: seen.__setitem__(0, f)):
        yield block, seen[0]


def _pieces(source):
    """(text, number of its first line, fraction read): the file decoded in line-aligned pieces.

    Each piece ends at a line end (a CR at the end of a block waits for a
    possible LF), is checked like the whole file was (:func:`decode_text`)
    and has ``\n`` line ends.
    """
    carry, number, first = bytearray(), 1, True
    for block, fraction in _blocks(source):
        carry += block
        end = len(carry) - 1 if carry.endswith(b"\r") else len(carry)
        cut = max(carry.rfind(b"\n", 0, end), carry.rfind(b"\r", 0, end))
        if cut < 0:
            if len(carry) > MAX_LINE_BYTES:
                raise FileFormatError(f"line {number} is longer than {MAX_LINE_BYTES >> 20} MB: this is not a CSV file of points")
            continue
        text = decode_text(bytes(carry[: cut + 1]), first=first, first_line=number)
        del carry[: cut + 1]
        first = False
        yield text, number, fraction
        number += text.count("\n")
    if carry or first:
        text = decode_text(bytes(carry), first=first, first_line=number)
        yield text, number, 1.0


def _too_large(size: int) -> FileFormatError:
    return FileFormatError(
        f"the file is {size / 2**30:.2f} GiB; gmmviz reads CSV files of at most "
        f"{MAX_FILE_BYTES / 2**30:.0f} GiB: keep a sample of the rows"
    )


def decode_text(data: bytes, *, first: bool = True, first_line: int = 1) -> str:
    """UTF-8 text with '\\n' line ends, or a FileFormatError.

    ``data`` is the whole file, or a piece of it that starts a line: ``first``
    says whether it starts the file, ``first_line`` is its first line's number.
    """
    if not data:
        if not first:
            return ""
        raise FileFormatError("line 1: the file is empty; it needs rows of x,y numbers")
    if first and data.startswith(codecs.BOM_UTF8):
        raise FileFormatError(
            "line 1 starts with a UTF-8 byte-order mark (BOM); save the file as "
            "'UTF-8' without BOM (in Excel: 'CSV (comma delimited)', not 'CSV UTF-8')"
        )
    if first and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileFormatError("line 1: the file is UTF-16 (or UTF-32) text; save it as UTF-8")
    nul = data.find(b"\0")
    if nul >= 0:
        line = _line_at(data, nul, first_line)
        raise FileFormatError(
            f"line {line} contains a NUL byte: this is a binary "
            "file or UTF-16 text, not a UTF-8 CSV file; save it as UTF-8 text"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_at(data, exc.start, first_line)
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileFormatError(
            f"line {line} is not valid UTF-8 (byte 0x{data[exc.start]:02x} at byte {col} "
            "of the line); save the file as UTF-8 (it may be Latin-1 or Windows-1252)"
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _line_at(data: bytes, pos: int, first_line: int) -> int:
    """The number of the line that holds byte ``pos`` (LF, CRLF and CR line ends)."""
    return first_line + data.count(b"\n", 0, pos) + data.count(b"\r", 0, pos) - data.count(b"\r\n", 0, pos)


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



