"""The classification lab's own document: the model settings and the chosen priors (Qt-free).

Every change the user makes to the model (the chooser, K per class, the
covariance type, ``reg_covar``, the split, a prior slider, *Reset priors*) is
a :class:`SetDocument` command on a store of a :class:`ClassifyDocument`
whose undo stack is the shared points' one, so one Ctrl+Z walks point edits
and model changes in the order they were made.  The command replaces the
whole (immutable) document; its inverse puts the old one back, exactly.

The priors belong to the classes that had points when they were chosen
(``prior_classes``): while other classes have points the training
frequencies are used, and the chosen priors come back with their classes
(an undo of the edit that emptied a class brings its prior back too).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.classify.core.frame import ClassifySettings, check_priors

#: The least prior a slider can give a class (so a class never vanishes from Bayes' rule).
MIN_PRIOR = 0.001


@dataclass(frozen=True)
class ClassifyDocument:
    """What the classification lab's user set.

    Attributes
    ----------
    settings : ClassifySettings
    priors : tuple of float or None
        P(y) of ``prior_classes``, in their order; None for the training frequencies.
    prior_classes : tuple of int
        The document classes (indices) ``priors`` are for.
    """

    settings: ClassifySettings = field(default_factory=ClassifySettings)
    priors: tuple | None = None
    prior_classes: tuple = ()

    def __post_init__(self):
        if self.priors is not None:
            priors = check_priors([float(p) for p in self.priors])
            classes = tuple(int(c) for c in self.prior_classes)
            if len(classes) != len(priors):
                raise GmmvizError(f"{len(priors)} priors for {len(classes)} classes")
            object.__setattr__(self, "priors", priors)
            object.__setattr__(self, "prior_classes", classes)
        else:
            object.__setattr__(self, "prior_classes", ())

    def priors_for(self, present) -> tuple | None:
        """The chosen P(y) if they are for exactly the classes ``present``, else None."""
        if self.priors is None or self.prior_classes != tuple(int(c) for c in present):
            return None
        return self.priors

    def with_settings(self, **changes) -> ClassifyDocument:
        """The settings changed (checked by :class:`ClassifySettings`; GmmvizError names a bad one)."""
        return replace(self, settings=replace(self.settings, **changes))

    def with_priors(self, priors, present) -> ClassifyDocument:
        """P(y) of the classes ``present`` set to ``priors`` (None: the training frequencies)."""
        if priors is None:
            return replace(self, priors=None, prior_classes=())
        return replace(self, priors=tuple(float(p) for p in priors), prior_classes=tuple(int(c) for c in present))


@dataclass(frozen=True)
class SetDocument:
    """Replace the lab's document; the inverse puts the old one back."""

    document: ClassifyDocument

    def apply(self, document: ClassifyDocument) -> tuple[ClassifyDocument, SetDocument]:
        return self.document, SetDocument(document)


def moved_prior(current, j: int, p: float, min_prior: float = MIN_PRIOR) -> tuple:
    """Priors ``current`` (summing to 1) with entry ``j`` set to ``p`` (clipped so every class keeps at
    least ``min_prior``) and the others sharing 1 - p in their current proportions."""
    current = np.asarray(current, dtype=np.float64)
    n = current.size
    p = float(np.clip(p, min_prior, 1.0 - min_prior * (n - 1)))
    rest = np.delete(current, j)
    rest = rest / rest.sum() if rest.sum() > 0 else np.full(rest.size, 1.0 / rest.size)
    rest = np.maximum(rest * (1.0 - p), min_prior)
    rest *= (1.0 - p) / rest.sum()
    return tuple(float(v) for v in np.insert(rest, j, p))
