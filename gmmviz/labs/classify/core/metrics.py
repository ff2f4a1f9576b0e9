"""How well a fitted classifier does on labelled points: accuracy, log-loss, confusion matrix."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmmviz.labs.classify.core.model import ClassModel, evaluate


@dataclass(frozen=True, eq=False)
class Scores:
    """Scores on a set of labelled points.

    Attributes
    ----------
    accuracy : float
        Fraction predicted right.
    log_loss : float
        -mean ln P(y_true | x), nats (inf if a true class has prior 0).
    confusion : ndarray of int, shape (n_classes, n_classes)
        Rows the true class, columns the predicted one.
    predicted : ndarray of int, shape (n_points,)
        Index of the predicted class of every point.
    """

    accuracy: float
    log_loss: float
    confusion: np.ndarray
    predicted: np.ndarray


def classification_scores(model: ClassModel, X, y_idx) -> Scores:
    """Accuracy, log-loss and the confusion matrix of ``model`` on ``X`` (n, d) with classes ``y_idx`` (n,)."""
    y_idx = np.asarray(y_idx).reshape(-1)
    log_post = evaluate(model, X).log_posterior
    predicted = np.argmax(log_post, axis=1)
    confusion = np.zeros((model.n_classes, model.n_classes), dtype=np.int64)
    np.add.at(confusion, (y_idx, predicted), 1)
    truth = log_post[np.arange(y_idx.shape[0]), y_idx]
    loss = float(-np.mean(truth)) if y_idx.size else float("nan")
    accuracy = float(np.mean(predicted == y_idx)) if y_idx.size else float("nan")
    for arr in (confusion, predicted):
        arr.setflags(write=False)
    return Scores(accuracy, loss, confusion, predicted)
