"""The session envelope every gmmviz session shares (Qt-free): its name, format and version.

A session file is one JSON object that starts with ``"format": "gmmviz-session"`` and a
version (2; a session that needs nothing of version 2 is still written as 1); what follows
is the session lab's (``gmmviz.labs.SESSION_LAB``: the EM studio's format,
:mod:`gmmviz.labs.em.core.session`), with the other labs' parts under ``labs``.  The shell recognises and refuses files
through this module alone.
"""

from __future__ import annotations

import json
import os

from gmmviz.core.errors import FileFormatError, GmmvizError
from gmmviz.core.io.jsonfields import fail, kind, load_strict
from gmmviz.core.io.reading import read_head

SESSION_FORMAT = "gmmviz-session"
SESSION_VERSION = 2
SESSION_SUFFIX = ".gmmviz"


#: Sessions larger than this are refused before reading (1 GiB).
MAX_SESSION_BYTES = 1 << 30


def is_session_path(path) -> bool:
    """A session by its name (``.gmmviz``), else by content (a JSON object);
    ``.csv``, ``.txt`` and ``.tsv`` files and unreadable paths are not."""
    name = os.fspath(path).lower()
    if name.endswith(SESSION_SUFFIX):
        return True
    if name.endswith((".csv", ".txt", ".tsv")):
        return False
    try:
        head = read_head(path, 256, "a gmmviz session")
    except GmmvizError:  # a FIFO, a device, missing: not opened; the reader names the problem
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


WHAT = "a gmmviz session"


def lab_part_text(part: dict) -> str:
    """A lab's part of a session (its ``labs`` entry) as canonical JSON text: keys sorted,
    compact, no NaN, so equal parts give equal text.

    Raises
    ------
    TypeError, ValueError
        ``part`` holds something JSON cannot write (an array, a NaN, a non-str key)."""
    if type(part) is not dict:
        raise TypeError(f"a lab's part is a dict, not {type(part).__name__}")
    return json.dumps(part, ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":"))


def load_document(data: bytes, *, max_items: int | None = None) -> dict:
    """The top-level object of a session file of a version this gmmviz reads
    (a list of numbers longer than ``max_items`` is refused before it is parsed)."""
    doc = load_strict(data, WHAT, max_items=max_items)
    if type(doc) is not dict or doc.get("format") != SESSION_FORMAT:
        raise FileFormatError(
            f'not a gmmviz session: the file does not start with "format": "{SESSION_FORMAT}" '
            "(open CSV point files as CSV)"
        )
    version = doc.get("version")
    if type(version) is not int:
        fail("version", f"expected the session format version (an integer), got {kind(version)}")
    if version > SESSION_VERSION:
        raise FileFormatError(
            f"version: this session was saved by a newer gmmviz (session format version {version}); "
            f"this gmmviz reads version {SESSION_VERSION} and older: update gmmviz to open it"
        )
    if version < 1:
        fail("version", f"{version} is not a session format version (1 to {SESSION_VERSION})")
    return doc
