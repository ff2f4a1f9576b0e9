"""``"module:Class"`` or ``"path/file.py:Class"`` to the class it names.

The target is the user's own code: it is imported only when they ask (the
lab's *Compare with my classifier...*, ``gmmviz classify --compare``).  Every
way it can fail gives one :class:`EstimatorLoadError` naming what was wrong.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys

from gmmviz.core.errors import GmmvizError

REQUIRED_METHODS = ("fit", "predict", "predict_proba")


class EstimatorLoadError(GmmvizError):
    """The estimator named by the user cannot be loaded; the message says why."""


def split_spec(spec: str) -> tuple[str, str]:
    """``"where:Name"`` -> (where, Name); raises for anything else."""
    if not isinstance(spec, str) or ":" not in spec:
        raise EstimatorLoadError(
            f"expected module:Class or path/file.py:Class, got {spec!r}"
        )
    where, _, name = spec.rpartition(":")
    if not where.strip() or not name.strip():
        raise EstimatorLoadError(f"expected module:Class or path/file.py:Class, got {spec!r}")
    return where.strip(), name.strip()


def _is_path(where: str) -> bool:
    return where.endswith(".py") or "/" in where or os.sep in where


def _import_file(path: str):
    if not os.path.isfile(path):
        raise EstimatorLoadError(f"no such file: {path!r}")
    stem = os.path.splitext(os.path.basename(path))[0]
    name = f"gmmviz_user_{stem}_{abs(hash(os.path.abspath(path)))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise EstimatorLoadError(f"cannot import {path!r} as Python code")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickle look their module up here
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _import(where: str, reload: bool):
    if _is_path(where):
        return _import_file(where)
    added = os.getcwd() not in sys.path
    if added:  # a student's solution next to their data, run through the installed command
        sys.path.insert(0, os.getcwd())
    try:
        if reload and where in sys.modules:
            return importlib.reload(sys.modules[where])
        return importlib.import_module(where)
    except ModuleNotFoundError as exc:
        if exc.name and where.startswith(exc.name):
            raise EstimatorLoadError(
                f"no module named {where!r} (not in the current folder nor on the Python path; "
                "or give a file: path/to/file.py:Class)"
            ) from None
        raise
    finally:
        if added:
            sys.path.remove(os.getcwd())


def load_estimator(spec: str, *, reload: bool = False):
    """The estimator class (or factory) that ``spec`` names.

    Parameters
    ----------
    spec : str
        ``"package.module:Class"`` (importable, also from the current folder)
        or ``"path/to/file.py:Class"``; ``Class`` may be dotted (``Outer.Inner``).
    reload : bool
        Import an already imported module again (the student edited it since);
        a file is always read afresh.

    Returns
    -------
    The object named, which has ``fit``, ``predict`` and ``predict_proba``.

    Raises
    ------
    EstimatorLoadError
        For a malformed spec, a missing module or file, an error while
        importing it (with the exception and the line of a syntax error), a
        missing name, or a class without one of the estimator methods.
    """
    where, name = split_spec(spec)
    try:
        module = _import(where, reload)
    except EstimatorLoadError:
        raise
    except SyntaxError as exc:
        raise EstimatorLoadError(f"{exc.filename or where}, line {exc.lineno}: syntax error: {exc.msg}") from None
    except BaseException as exc:  # the user's module ran and failed (even sys.exit)
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise EstimatorLoadError(f"importing {where!r} raised {type(exc).__name__}: {exc}") from None
    target = module
    for part in name.split("."):
        if not hasattr(target, part):
            public = sorted(n for n, v in vars(module).items() if isinstance(v, type) and not n.startswith("_"))
            hint = f" (it defines: {', '.join(public)})" if public else ""
            raise EstimatorLoadError(f"{where!r} has no {name!r}{hint}")
        target = getattr(target, part)
    missing = [m for m in REQUIRED_METHODS if not callable(getattr(target, m, None))]
    if missing:
        raise EstimatorLoadError(
            f"{name} lacks {', '.join(missing)}: a classifier needs fit(X, y), predict(X) and predict_proba(X)"
        )
    return target
