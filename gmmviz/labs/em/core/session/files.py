"""Session files (``.gmmviz``): a lecture scene as versioned, canonical JSON.

Qt-free: numpy and the standard library only; no pickle, no eval.

A session holds the points and their classes, the model settings, the
parameters on screen, the start of a "manual" initialisation, optionally
the run history (each half-step's parameters and bound terms, never the
responsibilities), the playback cursor and the view range.

Format, version 1 (fields always in this order; version 2 below)::

    {"format": "gmmviz-session", "version": 1,
     "data": {"x": [float, ...], "y": [float, ...], "labels": [int, ...]},
     "classes": [{"name": str, "color": "#rrggbb"}, ...],
     "model": {"n_components": int, "covariance_type": str, "init": str,
               "seed": int, "reg_covar": float, "max_iter": int, "tol": float},
     "params": null | PARAMS,          # on screen
     "manual_params": null | PARAMS,   # start of init "manual"
     "cursor": int,                    # half-step on screen, -1: none
     "view": null | {"x": [lo, hi], "y": [lo, hi]},
     "history": null | {"finish_reason": str, "snapshots": [SNAPSHOT, ...]}}

    PARAMS   = {"covariance_type": str, "weights": [k], "means": [k][2],
                "covariances": scikit-learn's shape for the type}
    SNAPSHOT = {"iteration": int, "phase": "init" | "E" | "M",
                "log_likelihood": float | null, "q": float | null,
                "entropy": float | null, "converged": bool,
                "params": PARAMS, "collapse": null | {"components": [int],
                "kinds": [str], "locations": [[x, y]], "message": str}}

Version 2 adds two fields, and is written only for a session that uses them (an
EM-only scene is still written as version 1, so it opens in an older gmmviz)::

     "model": ...,
     "algorithm": {"algorithm": "em" | "ga" | "ga-score" | "vb", "step_size": float,
                   "line_search": bool, "samples": int, "sampler": "posterior" | "prior",
                   "weight_prior": "dirichlet" | "dirichlet-process",
                   "concentration": null | float},
     "params": ..., "manual_params": ..., "cursor": ..., "view": ...,
     "labs": {LAB_KEY: {...}, ...},    # the other labs' own parts, keys sorted
     "history": ...                    # null unless the algorithm is EM

Each part under ``labs`` is one JSON object that its lab writes and reads
(:meth:`gmmviz.qt.lab.Lab.session_part`); this module checks only that it is
plain, finite JSON of bounded size.

Floats are written with ``repr`` (the shortest text that reads back to the
same double) in a fixed layout, so save, load and save again give
identical bytes.  ``null`` stands for a bound term that was not computed
(NaN in memory).  Reading is strict: a newer version is refused, every
field is checked (types, shapes, ranges, positive-definite covariances,
weights summing to 1) and the message names the field's path.
"""

from __future__ import annotations

import json
import math
from typing import Callable, Iterator

from gmmviz.core.errors import FileFormatError
from gmmviz.core.io.atomic import atomic_write_text
from gmmviz.core.io.csv_read import ImportCancelled
from gmmviz.core.io.reading import read_limited
from gmmviz.core.mixture import GaussianParams
from gmmviz.core.session.envelope import (
    MAX_SESSION_BYTES,
    is_session_path,
    load_document,
)
from gmmviz.labs.em.core.session.model import (
    MAX_POINTS,
    SESSION_FORMAT,
    SESSION_SUFFIX,
    SESSION_VERSION,
    RunRecord,
    Session,
    check_session,
)
from gmmviz.labs.em.core.session.parse import session_from_document
from gmmviz.labs.em.core.types import EMSnapshot

__all__ = [
    "MAX_POINTS",
    "MAX_SESSION_BYTES",
    "SESSION_FORMAT",
    "SESSION_SUFFIX",
    "SESSION_VERSION",
    "RunRecord",
    "Session",
    "check_session",
    "is_session_path",
    "read_session",
    "session_blocks",
    "session_from_bytes",
    "session_to_text",
    "write_session",
]


_CHUNK = 65536


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def _inline(value) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


def _long_list(values: list) -> Iterator[str]:
    """A long list of numbers as JSON, in blocks (a writer thread then shares the GIL)."""
    yield "["
    for a in range(0, len(values), _CHUNK):
        yield (", " if a else "") + _inline(values[a : a + _CHUNK])[1:-1]
    yield "]"


def _nullable(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _params(params: GaussianParams | None) -> dict | None:
    return None if params is None else params.to_dict()


def _snapshot(snap: EMSnapshot) -> dict:
    collapse = None
    if snap.collapse is not None:
        c = snap.collapse
        collapse = {"components": [int(i) for i in c.components], "kinds": list(c.kinds),
                    "locations": [[_nullable(x), _nullable(y)] for x, y in c.locations], "message": c.message}
    return {"iteration": int(snap.iteration), "phase": snap.phase,
            "log_likelihood": _nullable(snap.log_likelihood), "q": _nullable(snap.q),
            "entropy": _nullable(snap.entropy), "converged": bool(snap.converged),
            "params": _params(snap.params), "collapse": collapse}


def session_blocks(session: Session) -> Iterator[str]:
    """The canonical text of ``session``, in blocks; the session is checked first.

    Raises
    ------
    FileFormatError
        The session breaks a rule that reading enforces (naming the field),
        or its text would be larger than a reader accepts.
    """
    check_session(session)
    size = 0
    for block in _blocks(session):
        size += len(block.encode("utf-8"))
        if size > MAX_SESSION_BYTES:
            raise FileFormatError(
                f"the session would be larger than {MAX_SESSION_BYTES / 2**30:.0f} GiB, more than gmmviz "
                "reads back: turn off saving the run history, or keep fewer points (export them as CSV)"
            )
        yield block


def _blocks(session: Session) -> Iterator[str]:
    ds, s, version = session.dataset, session.settings, session.version
    yield f'{{\n "format": {_inline(SESSION_FORMAT)},\n "version": {version},\n "data": {{\n  "x": '
    yield from _long_list(ds.X[:, 0].tolist())
    yield ',\n  "y": '
    yield from _long_list(ds.X[:, 1].tolist())
    yield ',\n  "labels": '
    yield from _long_list(ds.labels.tolist())
    classes = ",\n  ".join(_inline({"name": c.name, "color": c.color}) for c in ds.classes)
    yield '\n },\n "classes": [' + (f"\n  {classes}\n " if classes else "") + "],\n"
    model = {"n_components": int(s.n_components), "covariance_type": s.covariance_type, "init": s.init,
             "seed": int(s.seed), "reg_covar": float(s.reg_covar), "max_iter": int(s.max_iter),
             "tol": float(s.tol)}
    view = None if session.view is None else {"x": [float(v) for v in session.view[0]],
                                              "y": [float(v) for v in session.view[1]]}
    yield f' "model": {_inline(model)},\n'
    if version >= 2:
        yield f' "algorithm": {_inline(_algorithm(session.algorithm))},\n'
    yield (f' "params": {_inline(_params(session.params))},\n'
           f' "manual_params": {_inline(_params(session.manual_params))},\n'
           f' "cursor": {int(session.cursor)},\n "view": {_inline(view)},\n')
    if version >= 2:
        parts = ",\n  ".join(f"{_inline(key)}: {text}" for key, text in session.labs)
        yield ' "labs": {' + (f"\n  {parts}\n " if parts else "") + "},\n"
    yield ' "history": '
    if session.history is None:
        yield "null\n}\n"
        return
    yield f'{{\n  "finish_reason": {_inline(session.history.finish_reason)},\n  "snapshots": ['
    for i, snap in enumerate(session.history.snapshots):
        yield ("," if i else "") + "\n   " + _inline(_snapshot(snap))
    yield "\n  ]\n }\n}\n"


def _algorithm(a) -> dict:
    return {"algorithm": a.algorithm, "step_size": float(a.step_size), "line_search": bool(a.line_search),
            "samples": int(a.samples), "sampler": a.sampler, "weight_prior": a.weight_prior,
            "concentration": None if a.concentration is None else float(a.concentration)}


def session_to_text(session: Session) -> str:
    """The canonical text of ``session`` (see :func:`session_blocks`)."""
    return "".join(session_blocks(session))


def write_session(path, session: Session) -> None:
    """Write ``session`` to ``path`` atomically: a crash leaves the old file whole.

    Raises
    ------
    GmmvizError
        An invalid session (nothing is written), or the file cannot be
        written (an existing file is left untouched).
    """
    atomic_write_text(path, session_blocks(session))


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def read_session(source, *, progress: Callable[[float], "bool | None"] | None = None) -> Session:
    """Read a session file, or refuse it whole.

    Parameters
    ----------
    source : str, os.PathLike or bytes
        A path, or the file's content.
    progress : callable, optional
        ``progress(fraction)`` is called between the stages (read, parsed,
        checked); returning False cancels.

    Returns
    -------
    Session

    Raises
    ------
    FileFormatError
        The file is not a valid session; the message names the field.
    GmmvizError
        The file cannot be read (missing, a directory, no permission).
    ImportCancelled
        ``progress`` returned False.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = source if isinstance(source, (bytes, bytearray)) else bytes(source)
        if len(data) > MAX_SESSION_BYTES:
            raise _too_large(len(data))
    else:
        data = read_limited(source, MAX_SESSION_BYTES, "a gmmviz session", _too_large,
                            progress=lambda f: _report(progress, 0.4 * f))
    doc = load_document(data, max_items=MAX_POINTS)
    del data  # the text goes before the arrays are built
    return _from_document(doc, progress)


def _too_large(size: int) -> FileFormatError:
    return FileFormatError(
        f"the file is {size / 2**30:.2f} GiB; gmmviz reads sessions of at most "
        f"{MAX_SESSION_BYTES / 2**30:.0f} GiB"
    )


def _report(progress, fraction: float) -> None:
    if progress is not None:
        answer = progress(fraction)
        if answer is not None and not answer:
            raise ImportCancelled("the import was cancelled")


def session_from_bytes(data: bytes, *, progress=None) -> Session:
    """Parse and check the content of a session file (see :func:`read_session`)."""
    return _from_document(load_document(data, max_items=MAX_POINTS), progress)


def _from_document(doc: dict, progress) -> Session:
    _report(progress, 0.7)
    session = check_session(session_from_document(doc))
    _report(progress, 1.0)
    return session
