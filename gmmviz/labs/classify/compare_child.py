"""The lab's *Compare with my classifier…* in a process of its own.

The user's code may raise, return nonsense, or never return: it runs in a
child process (a fresh interpreter, no Qt, no threads of the window), which
the lab kills when it passes its timeout or is cancelled.  The child is
``python -c "...serve()"`` reading the pickled job on stdin and writing the
pickled answer on stdout (what the user's code prints goes to stderr), so
nothing of the parent's main script runs again; in a frozen bundle, where
there is no ``python -c``, it is ``multiprocessing``'s spawn (:func:`main`).
The child loads the estimator
(:func:`~gmmviz.labs.classify.core.loader.load_estimator`), fits it and the
reference on the same training points
(:func:`~gmmviz.labs.classify.core.compare.compare`) and sends back one
message through its pipe: ``("ok", CompareAnswer)`` or ``("error", text)``.

It lives outside ``core/`` because the reference estimator subclasses
scikit-learn's base classes (see :mod:`gmmviz.labs.classify`).
"""

from __future__ import annotations

import contextlib
import sys
import warnings
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CompareJob:
    """What the child is given (picklable, plain arrays)."""

    spec: str
    model: str
    options: dict
    X_train: np.ndarray
    y_train: np.ndarray
    X_points: np.ndarray
    X_grid: np.ndarray


@dataclass(frozen=True, eq=False)
class CompareAnswer:
    """The comparison at the document's points, and the user's P(y | x) on the grid.

    Attributes
    ----------
    name : str
        The estimator's class name.
    agreement : float
        Fraction of the points where both predict the same class.
    differing : ndarray of int
        Indices (into ``X_points``) where they differ.
    max_proba_difference : float
        max |P_user - P_reference| at the points.
    grid_proba : ndarray of shape (n_grid, n_classes)
        The user's P(y | x) on the grid, columns in the reference's class order.
    notes : tuple of str
    """

    name: str
    agreement: float
    differing: np.ndarray
    max_proba_difference: float
    grid_proba: np.ndarray
    notes: tuple = ()


def answer(job: CompareJob) -> CompareAnswer:
    """Load, fit and compare (in whatever process calls it); raises GmmvizError naming the fault."""
    from gmmviz.labs.classify.core.compare import compare
    from gmmviz.labs.classify.core.loader import load_estimator
    from gmmviz.labs.classify.estimators import ComponentsClampedWarning, make_estimator

    with contextlib.redirect_stdout(sys.stderr), warnings.catch_warnings():
        warnings.simplefilter("ignore", ComponentsClampedWarning)
        user = load_estimator(job.spec, reload=True)
        reference = make_estimator(job.model, **job.options)
        n = job.X_points.shape[0]
        found = compare(reference, user, job.X_train, job.y_train, np.vstack([job.X_points, job.X_grid]))
    differing = found.differing[found.differing < n]
    diff = np.abs(found.user_proba[:n] - found.reference_proba[:n])
    return CompareAnswer(
        name=getattr(user, "__name__", type(user).__name__), agreement=1.0 - differing.size / max(n, 1),
        differing=differing, max_proba_difference=float(diff.max()) if n else 0.0,
        grid_proba=found.user_proba[n:], notes=found.notes)


def main(conn, job: CompareJob) -> None:
    """The child's entry point: one message on ``conn``, then exit."""
    from gmmviz.core.errors import GmmvizError

    try:
        result = ("ok", answer(job))
    except GmmvizError as exc:
        result = ("error", str(exc))
    except BaseException as exc:
        result = ("error", f"the comparison failed: {type(exc).__name__}: {exc}")
    try:
        conn.send(result)
    finally:
        conn.close()


#: What the parent runs: ``[sys.executable, "-c", SERVE]``.
SERVE = "from gmmviz.labs.classify.compare_child import serve; serve()"


def serve() -> None:
    """The ``python -c`` child: a pickled CompareJob on stdin, a pickled (status, payload) on stdout."""
    import os
    import pickle

    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever the user's code prints (even from C) goes to stderr
    job = pickle.load(sys.stdin.buffer)

    class _Pipe:
        def send(self, obj):
            pickle.dump(obj, out)
            out.flush()

        def close(self):
            out.close()

    main(_Pipe(), job)
