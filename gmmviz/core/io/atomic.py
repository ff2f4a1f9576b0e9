"""File helpers: atomic writes (a reader sees the old file or the complete new
one).  Reading is :mod:`gmmviz.core.io.reading`'s.

Qt-free, standard library only.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import time

from gmmviz.core.errors import GmmvizError


@contextlib.contextmanager
def replacing(path, *, suffix: str = ""):
    """Write ``path`` through a temporary file that atomically replaces it.

    Yields the temporary file's name: a fresh, unpredictable name in the same
    folder, created exclusively (``O_EXCL``: a file or symlink already there is
    never followed or reused), ending in ``suffix`` so that writers that go by
    the extension (ffmpeg) see the right one.  On a clean exit it replaces
    ``path`` (keeping an existing file's permissions); on any failure it is
    removed and ``path`` keeps its old content.

    Raises
    ------
    GmmvizError
        ``path`` is a folder, or the temporary file cannot be made.
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        raise GmmvizError(f"{path!r} is a folder: give a file name")
    folder, base = os.path.split(os.path.abspath(path))
    tmp = os.path.join(folder, f".{base}.{secrets.token_hex(8)}.tmp{suffix}")
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise GmmvizError(f"cannot write {path!r}: {exc.strerror or exc}") from None
    try:
        yield tmp
        if os.path.exists(path):
            os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(folder)


def atomic_write_text(path, blocks) -> None:
    """Write text blocks to ``path`` atomically (:func:`replacing`), flushed and fsynced
    before the rename: ``path`` holds either its old content or the complete new one."""
    path = os.fspath(path)
    try:
        with replacing(path) as tmp:
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                for block in blocks:
                    f.write(block)
                f.flush()
                os.fsync(f.fileno())
    except OSError as exc:
        raise GmmvizError(f"cannot write {path!r}: {exc.strerror or exc}") from None
    folder, base = os.path.split(os.path.abspath(path))
    _remove_stale_temporaries(folder, base)


STALE_SECONDS = 600


def _remove_stale_temporaries(folder: str, base: str) -> None:
    """Delete ``.<base>.*.tmp`` left by a save that was killed (older than
    ten minutes, so a save running in another process is never touched)."""
    now = time.time()
    prefix = f".{base}."
    try:
        names = [n for n in os.listdir(folder) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return
    for name in names:
        leftover = os.path.join(folder, name)
        try:
            if now - os.stat(leftover).st_mtime > STALE_SECONDS:
                os.unlink(leftover)
        except OSError:
            pass


def _fsync_dir(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
