"""A quick look at a CSV file's columns before importing it (Qt-free).

:func:`sniff_columns` reads only the head of the file and applies the same
header detection and default choice of x, y and label columns as
:func:`gmmviz.core.io.csv_read.read_csv`, so a column chooser can offer exactly
what the reader would pick.  It never decides whether the file is valid:
the full read does, with the line and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from gmmviz.core.errors import FileFormatError
from gmmviz.core.io.csv_layout import (
    LABEL_COLUMN_NAMES,
    check_first_line,
    is_number,
    make_layout,
    split_line,
)
from gmmviz.core.io.csv_read import decode_text, first_content_line
from gmmviz.core.io.reading import read_head

#: How much of the file is looked at.
HEAD_BYTES = 1 << 16
#: Header names of columns that number the rows rather than measure anything.
INDEX_NAMES = ("id", "index", "idx", "row", "#", "")


@dataclass(frozen=True)
class ColumnGuess:
    """The columns of a CSV file and the reader's default choice (0-based).

    Attributes
    ----------
    names : tuple of str
        A display name per column (the header's, or ``"column 3"``).
    has_header : bool
    x, y : int
    label : int or None
    preview : tuple of tuple of str
        The first few data rows, as text.
    """

    names: tuple[str, ...]
    has_header: bool
    x: int
    y: int
    label: int | None
    preview: tuple[tuple[str, ...], ...]

    @property
    def n_columns(self) -> int:
        return len(self.names)


def sniff_columns(source, *, preview_rows: int = 5) -> ColumnGuess:
    """Guess the layout of a CSV file from its first lines.

    Parameters
    ----------
    source : str, os.PathLike or bytes
        A path, or the file's content.
    preview_rows : int
        How many data rows to return for a preview.

    Returns
    -------
    ColumnGuess

    Raises
    ------
    FileFormatError
        The first line already shows that the file cannot be read.
    GmmvizError
        The file cannot be opened.
    """
    text = decode_text(_head(source))  # refused here as read_csv refuses the whole file
    first_no, first_line = first_content_line(text)
    check_first_line(first_line, first_no)
    layout = make_layout(split_line(first_line, first_no), first_no, None, True)
    skip = first_no - 1 + (layout.header is not None)  # the lines before the first data row
    rows = []
    for number, line in enumerate(text.split("\n")[skip:], start=skip + 1):
        if len(rows) >= preview_rows:
            break
        if line.strip():
            try:
                rows.append(tuple(f.strip() for f in split_line(line, number)))
            except FileFormatError:
                rows.append((line.strip(),))
    return ColumnGuess(layout.names, layout.header is not None, layout.x, layout.y, layout.label, tuple(rows))


def _head(source) -> bytes:
    """The first :data:`HEAD_BYTES` of the file, without a line (or a
    character) the cut may have left unfinished at the end."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        head = bytes(source[:HEAD_BYTES])
    else:
        head = read_head(source, HEAD_BYTES, "a CSV file")
    if len(head) < HEAD_BYTES:
        return head  # the whole file
    end = max(head.rfind(b"\n"), head.rfind(b"\r"))
    if end >= 0:
        return head[: end + 1]
    try:  # one long line: keep it, but not half a character
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.end == len(head) and exc.reason == "unexpected end of data":
            return head[: exc.start]
    return head


def suggest_columns(guess: ColumnGuess) -> tuple[int, int, int | None]:
    """Default x, y and label (0-based) for a column chooser.

    The reader's defaults, except that, in a file with a header, an index
    column (``id``, ``index``, ...) is not taken for x or y when two other
    numeric columns exist, and a column of text becomes the label when the
    reader found none.
    """
    n = guess.n_columns
    numeric = [bool(guess.preview) and all(len(r) > i and is_number(r[i]) for r in guess.preview) for i in range(n)]
    x, y, label = guess.x, guess.y, guess.label
    lower = [name.lower() for name in guess.names]
    if guess.has_header and not ("x" in lower and "y" in lower):
        plain = [i for i in range(n) if numeric[i] and lower[i] not in INDEX_NAMES + LABEL_COLUMN_NAMES]
        if len(plain) >= 2 and any(lower[i] in INDEX_NAMES for i in (x, y)):
            x, y = plain[:2]
    if label is None:
        text = [i for i in range(n) if guess.preview and not numeric[i] and i not in (x, y)]
        label = text[0] if text else None
    if label in (x, y):
        label = None
    return x, y, label
