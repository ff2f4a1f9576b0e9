"""What the headless drawing commands share (``gmmviz render`` and ``gmmviz render --lab classify``):
their size and scale options, the checks of the input and output paths, and a quiet offscreen Qt."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from gmmviz.cli.args import DataError, UsageError, float_in

factor_arg = float_in(0.5, 4.0, "a number from 0.5 to 4")


def size_arg(text: str) -> tuple[int, int]:
    """``WIDTHxHEIGHT`` in pixels, each 16..8192."""
    m = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not m or not (16 <= int(m[1]) <= 8192 and 16 <= int(m[2]) <= 8192):
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT in pixels (16..8192), e.g. 1920x1080, got {text!r}")
    return int(m[1]), int(m[2])


def check_output(source: Path, out: Path, prog: str) -> None:
    """The input exists and is a file; OUT is a file name in an existing folder, not the input."""
    if not source.exists():
        raise DataError(prog, f"no such file: {str(source)!r}")
    if source.is_dir():
        raise DataError(prog, f"{str(source)!r} is a folder, not a CSV or session file")
    out_dir = out.resolve().parent
    if not out_dir.is_dir():
        raise DataError(prog, f"cannot write {str(out)!r}: no folder {str(out_dir)!r}")
    if out.is_dir():
        raise UsageError(prog, f"OUT {str(out)!r} is a folder: give a file name")
    if out.exists() and os.path.samefile(out, source):
        raise UsageError(prog, f"OUT {str(out)!r} is the SOURCE file itself: choose another output name")


def use_offscreen_platform() -> None:
    """Qt's offscreen platform, unless the caller chose one (call before Qt is imported)."""
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def quiet_qt() -> None:
    """Keep stderr for real problems: drop the offscreen platform's harmless notices."""
    from PySide6.QtCore import qInstallMessageHandler

    harmless = ("propagateSizeHints",)

    def handler(mode, context, message) -> None:
        if not any(h in message for h in harmless):
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def quiet_logs() -> None:
    """A failed worker is reported as one line (its ``failed`` message): keep the
    traceback it logs for ``GMMVIZ_DEBUG=1``."""
    import logging

    if not os.environ.get("GMMVIZ_DEBUG"):
        root = logging.getLogger("gmmviz")
        root.addHandler(logging.NullHandler())
        root.propagate = False
