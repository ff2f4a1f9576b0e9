"""Render the application icon to PNGs and refresh the packaged desktop files.

Run from anywhere (re-runnable; it overwrites its outputs)::

    QT_QPA_PLATFORM=offscreen python packaging/make_icons.py

What it does
------------
1. Renders ``resources/icons/gmmviz.svg`` with Qt's :class:`QSvgRenderer`
   into ``resources/icons/gmmviz-<size>.png`` for every size in
   :data:`SIZES`, and saves them with Pillow (``optimize=True``) to keep
   them small.
2. Copies the freedesktop files from ``packaging/`` (the source of truth)
   into ``resources/desktop/`` so that they ship inside the
   ``gmmviz.resources`` package and ``gmmviz --install-desktop`` can find
   them from a wheel or a frozen bundle.  ``tests/test_desktop.py`` fails
   if the two copies drift apart.

``--check`` renders nothing and exits 1 if a copy in ``resources/desktop``
differs from ``packaging/`` or a PNG is missing.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "gmmviz.svg"
ICON_DIR = ROOT / "resources" / "icons"
DESKTOP_SRC = ROOT / "packaging"
DESKTOP_DST = ROOT / "resources" / "desktop"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
DESKTOP_FILES = ("org.gmmviz.GmmViz.desktop", "org.gmmviz.GmmViz.metainfo.xml")


def png_path(size: int) -> Path:
    """Where the ``size`` x ``size`` rendering of the icon lives."""
    return ICON_DIR / f"gmmviz-{size}.png"


def render_png(svg: Path, size: int) -> bytes:
    """Render ``svg`` to a ``size`` x ``size`` RGBA PNG.

    Parameters
    ----------
    svg : Path
        The SVG source.
    size : int
        Edge length in pixels.

    Returns
    -------
    bytes
        The optimised PNG file contents.
    """
    from PIL import Image
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"Qt could not parse {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    # Re-encode with Pillow: same pixels, smaller file, no Qt text chunks.
    with Image.open(io.BytesIO(bytes(data))) as pil:
        out = io.BytesIO()
        pil.convert("RGBA").save(out, format="PNG", optimize=True)
    return out.getvalue()


def render_all() -> list[Path]:
    """Render every size in :data:`SIZES`; return the written paths."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    written = []
    for size in SIZES:
        path = png_path(size)
        path.write_bytes(render_png(SVG, size))
        written.append(path)
    return written


def copy_desktop_files() -> list[Path]:
    """Copy the ``packaging/`` desktop files into ``resources/desktop/``."""
    DESKTOP_DST.mkdir(parents=True, exist_ok=True)
    written = []
    for name in DESKTOP_FILES:
        dst = DESKTOP_DST / name
        shutil.copyfile(DESKTOP_SRC / name, dst)
        written.append(dst)
    return written


def check() -> list[str]:
    """Problems that a fresh run of this script would fix (empty if none)."""
    problems = []
    for name in DESKTOP_FILES:
        src, dst = DESKTOP_SRC / name, DESKTOP_DST / name
        if not dst.exists() or dst.read_bytes() != src.read_bytes():
            problems.append(f"{dst.relative_to(ROOT)} differs from {src.relative_to(ROOT)}")
    for size in SIZES:
        if not png_path(size).exists():
            problems.append(f"{png_path(size).relative_to(ROOT)} is missing")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale outputs")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    paths = render_all() + copy_desktop_files()
    total = sum(p.stat().st_size for p in paths if p.suffix == ".png")
    for path in paths:
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size} bytes")
    print(f"PNG total: {total} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
