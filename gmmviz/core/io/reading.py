"""Reading files safely: only regular files, size-capped, in chunks, one readable error per failure.

Qt-free, standard library only.  Every file gmmviz reads (CSV points, sessions,
``--init`` parameters, the column sniffer, the session detector; in the CLI and
in the window's open dialog and drag-and-drop) is opened through
:func:`open_regular`: a FIFO, a device (``/dev/zero``), a socket or a folder is
refused before anything is read from it, so nothing blocks in ``open()`` or
reads a gigabyte from a device.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterator
from typing import BinaryIO

from gmmviz.core.errors import GmmvizError

#: Bytes read at a time.
CHUNK_BYTES = 4 << 20

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def special_kind(mode: int) -> str | None:
    """What a non-regular file is ("a named pipe (FIFO)", ...), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _refuse(p: str, kind: str, what: str) -> GmmvizError:
    return GmmvizError(f"{p!r} is {kind}, not {what}: gmmviz reads only ordinary files")


def check_regular(path, what: str) -> int:
    """The size of ``path`` if it is a regular file (symlinks followed), else a GmmvizError.

    Never opens the file, so it cannot block.
    """
    p = os.fspath(path)
    with _reading(p, what):
        st = os.stat(p)
    kind = special_kind(st.st_mode)
    if kind is not None:
        raise _refuse(p, kind, what)
    return st.st_size


@contextlib.contextmanager
def open_regular(path, what: str) -> Iterator[BinaryIO]:
    """Open ``path`` for binary reading, only if it is a regular file.

    The file is checked before it is opened and again on the open descriptor
    (opened non-blocking, so a FIFO swapped in between cannot block either).

    Raises
    ------
    GmmvizError
        Missing, a folder, a FIFO, a device, a socket, or an OS error, named plainly.
    """
    p = os.fspath(path)
    check_regular(p, what)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    with _reading(p, what):
        fd = os.open(p, flags)
    try:
        kind = special_kind(os.fstat(fd).st_mode)
        if kind is not None:
            raise _refuse(p, kind, what)
        os.set_blocking(fd, True)
        f = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with f, _reading(p, what):
        yield f


def read_chunks(path, limit: int, what: str, too_large: Callable[[int], Exception], *,
                chunk: int | None = None, progress: Callable[[float], None] | None = None) -> Iterator[bytes]:
    """The bytes of a regular file, in chunks, refusing files over ``limit`` bytes.

    The size is checked before reading and again while reading (a file that
    grows is refused once it passes the limit).  ``progress(fraction)`` is
    called after each chunk; by default a chunk is a 25th of the file
    (64 KB to :data:`CHUNK_BYTES`).
    """
    p = os.fspath(path)
    with open_regular(p, what) as f:
        size = os.fstat(f.fileno()).st_size
        if size > limit:
            raise too_large(size)
        chunk = chunk or chunk_for(size)
        done = 0
        while True:
            block = f.read(chunk)
            if not block:
                return
            done += len(block)
            if done > limit:
                raise too_large(done)
            if progress is not None:
                progress(min(1.0, done / size) if size else 1.0)
            yield block


def chunk_for(size: int) -> int:
    """A 25th of ``size``, from 64 KB to :data:`CHUNK_BYTES`: progress at least every 5 % (lines cut across chunks)."""
    return max(1 << 16, min(CHUNK_BYTES, -(-size // 25)))


def read_limited(path, limit: int, what: str, too_large: Callable[[int], Exception], *,
                 progress: Callable[[float], None] | None = None) -> bytearray:
    """The bytes of ``path`` (a regular file), refusing files over ``limit`` bytes.

    Read into one buffer of the file's size (no second copy), in chunks.

    Parameters
    ----------
    path : str or PathLike
    limit : int
        Largest size accepted, checked before and while reading.
    what : str
        What the file should be ("a CSV file"), for the messages.
    too_large : callable
        ``too_large(size) -> Exception`` raised for an oversized file.
    progress : callable, optional
        ``progress(fraction)`` after each chunk read.

    Raises
    ------
    GmmvizError
        Missing file, a directory, a FIFO, a device, a socket, or an OS error, named plainly.
    """
    with open_regular(path, what) as f:
        size = os.fstat(f.fileno()).st_size
        if size > limit:
            raise too_large(size)
        buf = bytearray(size)
        view, done = memoryview(buf), 0
        while done < size:
            got = f.readinto(view[done : done + CHUNK_BYTES])
            if not got:  # the file shrank while it was read
                break
            done += got
            if progress is not None:
                progress(done / size)
        view.release()
        del buf[done:]
        if f.read(1):  # it grew while it was read
            raise too_large(size + 1)
    return buf


def read_head(path, n: int, what: str) -> bytes:
    """The first ``n`` bytes of ``path`` (a regular file; errors as in :func:`read_limited`)."""
    with open_regular(path, what) as f:
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
