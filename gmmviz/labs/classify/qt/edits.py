"""The classification lab's model edits: every change of the settings or the priors one undoable command.

A mixin of :class:`~gmmviz.labs.classify.qt.page.ClassifyPage`: it pushes
:class:`~gmmviz.labs.classify.core.document.SetDocument` commands on the
page's ``model_store`` (whose undo stack is the shared points'), so the
panels, the Classify menu and the tests all edit the same way.  It uses the
page's ``model_store``, ``document``, ``dataset``, ``frame``, ``banner``,
``settings_panel``, ``settings()``, ``present()``, ``chosen_priors()`` and
``_refresh_classes()``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.classify.core.document import (
    ClassifyDocument,
    SetDocument,
    moved_prior,
)
from gmmviz.labs.classify.core.frame import MODEL_CHOICES, ClassifySettings, Frame


class ModelEdits:
    """The page's edits of its :class:`ClassifyDocument` (see the module docstring)."""

    def edit(self, document: ClassifyDocument, text: str, gesture: int | None = None) -> None:
        """Make ``document`` the lab's document as one undo step named ``text`` (nothing if it is the same)."""
        if document != self.document:
            self.model_store.push(SetDocument(document), text, gesture=gesture)

    def reset_document(self, document: ClassifyDocument) -> None:
        """Show ``document`` with no undo step (a session opened, a rendering set up)."""
        self.model_store.reset(document)

    def set_settings(self, s: ClassifySettings, text: str = "Model settings") -> None:
        self.edit(replace(self.document, settings=s), text)

    def with_settings(self, **changes) -> None:
        """Change some settings as one undo step; a value the settings refuse is shown on the banner."""
        try:
            document = self.document.with_settings(**changes)
        except GmmvizError as exc:
            self.banner.show_message(str(exc), "warning")
            self.settings_panel.show_settings(self.settings())
            return
        self.edit(document, _edit_text(changes))

    def set_k(self, doc_index: int, k: int) -> None:
        """K of class ``doc_index``'s mixture."""
        s = self.settings()
        ks = [s.k_for(i) for i in range(max(len(self.dataset.classes), doc_index + 1))]
        ks[doc_index] = int(k)
        name = self._class_name(doc_index)
        try:
            document = self.document.with_settings(n_components=tuple(ks))
        except GmmvizError as exc:
            self.banner.show_message(str(exc), "warning")
            self._refresh_classes()
            return
        self.edit(document, f"K of {name} = {k}")

    def set_prior(self, doc_index: int, p: float, gesture: int | None = None) -> None:
        """P(y) of class ``doc_index`` to ``p``, the others sharing 1 - p in their proportions."""
        present = self.present()
        where = np.flatnonzero(present == doc_index)
        if where.size == 0 or present.size < 2:
            return
        shown = self._shown_priors(present, self.frame)
        new = moved_prior(shown, int(where[0]), p)
        self.edit(self.document.with_priors(new, present), f"Prior of {self._class_name(doc_index)}", gesture)

    def reset_priors(self) -> None:
        """P(y) from the training frequencies again."""
        if self.chosen_priors() is not None:
            self.edit(self.document.with_priors(None, ()), "Reset priors")

    def _class_name(self, doc_index: int) -> str:
        classes = self.dataset.classes
        return classes[doc_index].name if doc_index < len(classes) else f"class {doc_index + 1}"

    def _shown_priors(self, present: np.ndarray, frame: Frame | None) -> np.ndarray:
        """The P(y) in use: the chosen ones, else the training frequencies (from the frame's fitted
        model when it is of these classes, else the class counts)."""
        chosen = self.document.priors_for(present)
        if chosen is not None:
            return np.asarray(chosen)
        if frame is not None and np.array_equal(frame.present, present):
            return frame.fitted.priors
        counts = self.dataset.counts()[present].astype(float) if present.size else np.zeros(0)
        return counts / counts.sum() if counts.size else counts


def _edit_text(changes: dict) -> str:
    """The undo step's name for a settings change ("Model: LDA (shared covariance)", "Set seed")."""
    if set(changes) == {"model"}:
        return "Model: " + {key: text for key, text, _ in MODEL_CHOICES}.get(changes["model"], str(changes["model"]))
    return "Set " + ", ".join(name.replace("_", " ") for name in changes)
