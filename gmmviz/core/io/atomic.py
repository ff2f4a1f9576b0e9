"""File helpers: atomic writes (a reader sees the old file or the complete new
one) and size-capped reads with one readable error per failure.

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


def read_limited(path, limit: int, what: str, too_large) -> bytes:
    """The bytes of ``path``, refusing files over ``limit`` bytes.

    Parameters
    ----------
    path : str or PathLike
    limit : int
        Largest size accepted, checked before and while reading.
    what : str
        What the file should be ("a CSV file"), for the messages.
    too_large : callable
        ``too_large(size) -> Exception`` raised for an oversized file.

    Raises
    ------
    GmmvizError
        Missing file, a directory, or an OS error, named plainly.
    """
    p = os.fspath(path)
    with _reading(p, what):
        size = os.stat(p).st_size
        if size > limit:
            raise too_large(size)
        with open(p, "rb") as f:
            data = f.read(limit + 1)
    if len(data) > limit:
        raise too_large(len(data))
    return data


def read_head(path, n: int, what: str) -> bytes:
    """The first ``n`` bytes of ``path`` (errors as in :func:`read_limited`)."""
    p = os.fspath(path)
    with _reading(p, what), open(p, "rb") as f:
        return f.read(n)


@contextlib.contextmanager
def _reading(p: str, what: str):
    """Turn the OS errors of reading ``p`` into one readable GmmvizError."""
    try:
        yield
    except FileNotFoundError:
        raise GmmvizError(f"no such file: {p!r}") from None
    except IsADirectoryError:
        raise GmmvizError(f"{p!r} is a directory, not {what}") from None
    except OSError as exc:
        raise GmmvizError(f"cannot read {p!r}: {exc.strerror or exc}") from None
