"""A student's classifier against the reference: fit both, check the user's outputs, compare.

:func:`compare` loads nothing (see :mod:`~gmmviz.labs.classify.core.loader`):
it takes two estimators (instances, or classes built with no arguments),
fits both on the same training data and predicts the same points.  Whatever
the user's code does wrong (raises, returns the wrong shape, NaN, rows that
do not sum to 1, labels that are not classes) becomes one
:class:`EstimatorOutputError` whose message names it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmmviz.core.errors import GmmvizError

ROW_SUM_TOL = 1e-6


class EstimatorOutputError(GmmvizError):
    """The user's estimator raised or returned something malformed; the message says what."""


@dataclass(frozen=True, eq=False)
class CompareResult:
    """The user's predictions beside the reference's, at the evaluation points.

    Attributes
    ----------
    agreement : float
        Fraction of points where both predict the same class, in [0, 1].
    differing : ndarray of int
        Indices (into ``X_eval``) where they differ.
    classes : tuple
        The classes (the reference's column order).
    reference_pred, user_pred : ndarray of shape (n_eval,)
    reference_proba, user_proba : ndarray of shape (n_eval, n_classes)
        Columns in ``classes`` order.
    max_proba_difference : float
        max |P_user - P_reference| over points and classes.
    notes : tuple of str
        Oddities that are not errors (predict disagreeing with argmax of predict_proba).
    """

    agreement: float
    differing: np.ndarray
    classes: tuple
    reference_pred: np.ndarray
    user_pred: np.ndarray
    reference_proba: np.ndarray
    user_proba: np.ndarray
    max_proba_difference: float
    notes: tuple = ()


def _name(est) -> str:
    return est.__name__ if isinstance(est, type) else type(est).__name__


def _call(est, method: str, *args):
    """``est.method(*args)``; any exception becomes an EstimatorOutputError naming it."""
    try:
        return getattr(est, method)(*args)
    except (Exception, SystemExit) as exc:
        where = ""
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        if tb is not None:
            where = f" (at {tb.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}, line {tb.tb_lineno})"
        raise EstimatorOutputError(f"{_name(est)}.{method} raised {type(exc).__name__}: {exc}{where}") from None


def instantiate(est):
    """An estimator instance: ``est`` itself, or ``est()`` for a class."""
    if not isinstance(est, type):
        return est
    try:
        return est()
    except Exception as exc:
        raise EstimatorOutputError(
            f"could not create {est.__name__}() with no arguments: {type(exc).__name__}: {exc} "
            "(give every parameter of __init__ a default)"
        ) from None


def _labels(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def check_predictions(name: str, pred, n: int, classes: tuple) -> np.ndarray:
    """The user's predict output as labels of shape (n,), or an error naming the fault."""
    try:
        arr = np.asarray(pred)
    except Exception as exc:
        raise EstimatorOutputError(f"{name}.predict returned something that is not an array: {exc}") from None
    if arr.shape != (n,):
        raise EstimatorOutputError(f"{name}.predict returned shape {arr.shape}, expected ({n},): one label per point")
    labels = _labels(arr.tolist())
    known = set(classes)
    try:
        unknown = sorted({x for x in labels.tolist() if x not in known}, key=str)
    except TypeError:
        unknown = ["(unhashable values)"]
    if unknown:
        raise EstimatorOutputError(
            f"{name}.predict returned label(s) {unknown[:5]!r} that are not classes of the training data "
            f"{list(classes)!r} (return classes_[argmax of predict_proba], not the column index)"
        )
    return labels


def check_proba(name: str, proba, n: int, n_classes: int) -> np.ndarray:
    """The user's predict_proba output as float64 (n, n_classes), or an error naming the fault."""
    try:
        P = np.asarray(proba, dtype=np.float64)
    except Exception:
        raise EstimatorOutputError(f"{name}.predict_proba returned non-numbers ({type(proba).__name__})") from None
    if P.shape != (n, n_classes):
        raise EstimatorOutputError(
            f"{name}.predict_proba returned shape {P.shape}, expected ({n}, {n_classes}): "
            "one row per point, one column per class"
        )
    bad = ~np.isfinite(P).all(axis=1)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise EstimatorOutputError(
            f"{name}.predict_proba returned NaN or infinite values in {int(bad.sum())} row(s) (first: row {row}, "
            f"{P[row].tolist()}); compute Bayes' rule in log space with logsumexp"
        )
    if (P < -ROW_SUM_TOL).any() or (P > 1 + ROW_SUM_TOL).any():
        row = int(np.flatnonzero(((P < -ROW_SUM_TOL) | (P > 1 + ROW_SUM_TOL)).any(axis=1))[0])
        raise EstimatorOutputError(
            f"{name}.predict_proba returned values outside [0, 1] (row {row}: {P[row].tolist()})"
        )
    sums = P.sum(axis=1)
    off = np.abs(sums - 1.0) > ROW_SUM_TOL
    if off.any():
        row = int(np.flatnonzero(off)[0])
        raise EstimatorOutputError(
            f"{name}.predict_proba rows do not sum to 1 ({int(off.sum())} of {n}; row {row} sums to {sums[row]:.6g}): "
            "P(y | x) = p(x | y) P(y) / p(x) must be normalised over the classes"
        )
    return P


def _column_order(name: str, user, classes: tuple) -> np.ndarray:
    """Permutation taking the user's predict_proba columns to ``classes`` order."""
    theirs = getattr(user, "classes_", None)
    if theirs is None:
        return np.arange(len(classes))  # scikit-learn's convention: sorted labels
    theirs = list(np.asarray(theirs).tolist())
    if sorted(map(str, theirs)) != sorted(map(str, classes)) or len(theirs) != len(classes):
        raise EstimatorOutputError(f"{name}.classes_ is {theirs!r}, but the training classes are {list(classes)!r}")
    position = {str(c): i for i, c in enumerate(theirs)}
    return np.array([position[str(c)] for c in classes])


def compare(reference, user_estimator, X_train, y_train, X_eval) -> CompareResult:
    """Fit both estimators on (X_train, y_train) and compare them on ``X_eval``.

    Parameters
    ----------
    reference : estimator or class
        Ours (its errors are not the user's and propagate as they are).
    user_estimator : estimator or class
        Anything with ``fit(X, y)``, ``predict(X)``, ``predict_proba(X)``
        (scikit-learn's conventions; ``classes_`` gives the column order,
        else the sorted labels).  A class is built with no arguments.
    X_train : array-like of shape (n_train, n_features)
    y_train : array-like of shape (n_train,)
    X_eval : array-like of shape (n_eval, n_features)

    Returns
    -------
    CompareResult

    Raises
    ------
    EstimatorOutputError
        When the user's estimator raises, or returns a malformed prediction.
    """
    X_train, X_eval = np.asarray(X_train, dtype=np.float64), np.asarray(X_eval, dtype=np.float64)
    ref = instantiate(reference)
    ref.fit(X_train, y_train)
    classes = tuple(np.asarray(ref.classes_).tolist())
    ref_pred = _labels(np.asarray(ref.predict(X_eval)).tolist())
    ref_proba = np.asarray(ref.predict_proba(X_eval), dtype=np.float64)

    user = instantiate(user_estimator)
    name = _name(user)
    _call(user, "fit", X_train.copy(), np.asarray(y_train).copy())
    n = X_eval.shape[0]
    user_pred = check_predictions(name, _call(user, "predict", X_eval.copy()), n, classes)
    user_proba = check_proba(name, _call(user, "predict_proba", X_eval.copy()), n, len(classes))
    user_proba = user_proba[:, _column_order(name, user, classes)]

    same = ref_pred == user_pred
    notes = []
    argmax = _labels([classes[i] for i in np.argmax(user_proba, axis=1)])
    inconsistent = int(np.count_nonzero(argmax != user_pred))
    if inconsistent:
        notes.append(f"{name}.predict differs from the argmax of its predict_proba at {inconsistent} point(s)")
    return CompareResult(
        agreement=float(np.mean(same)) if n else 1.0,
        differing=np.flatnonzero(~same),
        classes=classes,
        reference_pred=ref_pred,
        user_pred=user_pred,
        reference_proba=ref_proba,
        user_proba=user_proba,
        max_proba_difference=float(np.max(np.abs(user_proba - ref_proba))) if n else 0.0,
        notes=tuple(notes),
    )
