"""The ``Lab`` seam: what the window knows of a lab, and what a lab gets from the window.

A lab (the EM studio, later classification, density estimation, graphical
models, theory) is a :class:`Lab` subclass named in the registry
(:data:`gmmviz.labs.LABS`) by ``"module:Class"``.  The window imports it
only when its tab is first shown, builds its actions from :attr:`Lab.ACTIONS`
(lab actions are enabled, and their menus shown, only while the lab is
current, so one-key shortcuts never collide across labs), and otherwise
talks to it through the methods below and nothing else.

The defaults make a lab that draws nothing special: a lab overrides what
it has (a timeline, export targets, a session part, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QMainWindow, QToolBar, QWidget

from gmmviz.labs import LabSpec
from gmmviz.qt.actions import ActionSpec

if TYPE_CHECKING:  # pragma: no cover
    from gmmviz.qt.store import DocumentStore


@dataclass(frozen=True, eq=False)
class LabContext:
    """The window's services, handed to a lab when it is created.

    Attributes
    ----------
    window : QMainWindow
        Parent for dialogs and docks.
    actions : dict of str to QAction
        The lab's own actions (from its :attr:`Lab.ACTIONS`) and the shell's.
    points : DocumentStore
        The points document every point-based lab shares (paint once, see it
        in every lab), with its undo stack.
    show_message : callable
        ``show_message(text, ms)`` on the status bar.
    new_document : callable
        ``new_document(title)``: what is on screen now is a new, unnamed,
        unmodified document called ``title`` (a lecture scene was loaded).
    known_truth : callable
        ``known_truth(dataset)``: the mixture a lab sampled ``dataset`` from
        (its points labelled by component), or None (see :meth:`Lab.known_truth`).
    """

    window: QMainWindow
    actions: dict
    points: "DocumentStore"
    show_message: Callable[[str, int], None]
    new_document: Callable[[str], None]
    known_truth: Callable[[object], object] = lambda dataset: None


class Lab(QObject):
    """One lab of the window.

    Signals
    -------
    status_changed(str)
        The line the status bar shows for this lab.
    state_changed()
        The lab's settings changed: the window compares :meth:`state_token`
        with the saved one to tell whether there are unsaved changes.
    modified()
        The lab's part of the document changed in a way that cannot be
        compared (a dragged mean): there are unsaved changes.
    points_editor_changed()
        What :meth:`points_editor` returns changed (the density lab entering or
        leaving its 2-D mode): the window's tools follow it while the lab is current.
    show_requested(str)
        The lab's document changed from outside its tab (an Undo or Redo of one of
        its steps on the shared points' history, pressed in another tab), with what
        happened: the window brings the lab's tab forward so the change is seen.
    """

    status_changed = Signal(str)
    state_changed = Signal()
    modified = Signal()
    points_editor_changed = Signal()
    show_requested = Signal(str)

    #: The lab's actions; the window creates them, scoped to this lab.
    ACTIONS: tuple[ActionSpec, ...] = ()
    #: The menus the lab's actions fill, in menu-bar order (e.g. ("Data", "EM")).
    MENUS: tuple[str, ...] = ()

    def __init__(self, spec: LabSpec, ctx: LabContext):
        super().__init__(ctx.window)
        self.spec = spec
        self.ctx = ctx

    def follow_undo(self, store) -> None:
        """Ask to be shown when a step of ``store`` (on a shared undo history) is undone or redone."""
        store.revisited.connect(
            lambda text, undone: self.show_requested.emit(f"{'Undid' if undone else 'Redid'} “{text}”"))

    # -- the page -------------------------------------------------------------
    def page(self) -> QWidget:
        """The lab's widget (a tab of the window), built once."""
        raise NotImplementedError

    def toolbars(self) -> list[QToolBar]:
        """Toolbars shown while the lab is current (in presentation mode too)."""
        return []

    def status(self) -> str:
        """The status line now (see ``status_changed``)."""
        return ""

    def activate(self, active: bool) -> None:
        """The lab became (True) or stopped being (False) the current one."""

    # -- what the shell's features reach through the lab ---------------------------
    def points_editor(self):
        """The object the canvas tools edit (``canvas``, ``classes``, ``dataset``), or None."""
        return None

    def known_truth(self, dataset):
        """The mixture this lab sampled ``dataset`` from (a GaussianParams, each point
        labelled by its component), if it made it; None otherwise."""
        return None

    def undo_stack(self):
        """The QUndoStack that Edit → Undo / Redo (Ctrl+Z) act on while this lab is current, or
        None for the shared points document's (a lab with a document of its own returns its store's)."""
        return None

    def export_source(self):
        """What Ctrl+E / Ctrl+Shift+E export (an object with ``canvas`` and ``curves``
        widgets, and for animations a ``playback`` and ``fit.history``), or None."""
        return None

    def export_stem(self) -> str:
        """The part of a suggested export file name after the data's name ("K3_iter5")."""
        return ""

    def open_entry(self, key: str) -> None:
        """Open the lecture-outline entry ``key`` of this lab (a prepared scene)."""

    # -- presentation, theme, scale, settings ----------------------------------------
    def presentation_panels(self) -> dict[str, QWidget]:
        """Panels presentation mode hides (and restores), by a stable name."""
        return {}

    def layout_panels(self) -> dict[str, QWidget]:
        """Every panel :meth:`presentation_panels` may ever name (leaving presentation mode
        restores them all, whatever the lecturer chose meanwhile)."""
        return self.presentation_panels()

    def save_layout(self) -> dict:
        """Splitter states and the like, for presentation mode and QSettings."""
        return {}

    def restore_layout(self, layout: dict) -> None:
        """Put back what :meth:`save_layout` returned (unknown keys are ignored)."""

    def set_presenting(self, presenting: bool) -> None:
        """Presentation mode entered or left: give the class the space it needs."""

    def apply_theme(self, theme) -> None:
        """Recolour what carries its own colours (a :class:`gmmviz.qt.themes.Theme`)."""

    def apply_scale(self, factor: float) -> None:
        """Markers, line widths and text that do not follow the window font."""

    def save_settings(self, settings: QSettings) -> None:
        """Persist the lab's preferences under its own key prefix."""

    def restore_settings(self, settings: QSettings) -> None:
        """Apply what :meth:`save_settings` stored."""

    # -- sessions (the lab named by ``gmmviz.labs.SESSION_LAB``) ---------------------
    def read_session(self, path: str, progress):
        """Read a session file (any thread); raises a GmmvizError naming the problem."""
        raise NotImplementedError

    def write_session(self, path: str, session) -> None:
        """Write a captured session atomically (any thread)."""
        raise NotImplementedError

    def capture_session(self, *, with_history: bool):
        """The document as an immutable session (a frozen dataclass with a ``labs`` field,
        which the shell fills with the other labs' parts)."""
        raise NotImplementedError

    def apply_session(self, session) -> None:
        """Put a session on screen (the shell then gives ``session.labs`` to the other labs)."""
        raise NotImplementedError

    def state_token(self):
        """A value that compares equal while the lab's saved settings are unchanged."""
        return None

    # -- every other lab's own part of a session (format version 2's ``labs``) ---------
    def session_part(self) -> dict | None:
        """This lab's part of a saved session: a JSON-able dict (str keys; dicts, lists, str,
        int, finite floats, bool, None), or None when the lab keeps nothing of its own.

        Called on the GUI thread when saving and to tell whether there are unsaved changes
        (the window compares it with the part as saved): it must be cheap and must not compute.
        The shared points are not part of it (the session lab's part holds them)."""
        return None

    def apply_session_part(self, part: dict) -> None:
        """Put back what :meth:`session_part` returned, maybe by an older or newer gmmviz:
        unknown keys are ignored, missing keys take their defaults (so ``{}`` is the lab's
        default state: File → New, or a session saved before the lab existed).

        The lab checks the whole part in its Qt-free core first and changes nothing if it is
        invalid, raising :class:`~gmmviz.core.errors.FileFormatError` whose message starts
        with the field's path (the shell shows it and opens the rest). A restored part is a
        fresh document: the lab's own undo history is cleared."""

    def new_points(self, loaded) -> None:
        """Points from a file (a :class:`~gmmviz.core.datasets.LoadedData`, with the
        header's axis names) or File → New (None) replaced the shared document."""

    def show_banner(self, text: str, kind: str) -> None:
        """A message the lecturer must see (``kind``: "info", "warning", "error")."""
        self.ctx.show_message(text, 10000)

    def shutdown(self) -> None:
        """The window closes: stop timers and join threads."""


def lab_factory(spec: LabSpec) -> Callable[[LabSpec, LabContext], Lab]:
    """Import the lab class a registry row names (``"module:Class"``)."""
    import importlib

    module, _, name = spec.factory.partition(":")
    return getattr(importlib.import_module(module), name)


__all__ = ["Lab", "LabContext", "lab_factory"]
