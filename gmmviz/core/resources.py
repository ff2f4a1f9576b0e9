"""The one place that finds bundled files (datasets, icons, scenes).

Uses :mod:`importlib.resources`, so it works from a source checkout, an
installed wheel and a PyInstaller bundle alike.  Nothing is ever downloaded.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable


def resource(*parts: str) -> Traversable:
    """A bundled file, e.g. ``resource("data", "faithful.csv")``."""
    node = resources.files("gmmviz.resources")
    for part in parts:
        node = node.joinpath(part)
    return node


def read_text(*parts: str) -> str:
    return resource(*parts).read_text(encoding="utf-8")


def read_bytes(*parts: str) -> bytes:
    return resource(*parts).read_bytes()
