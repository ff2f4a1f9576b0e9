"""Between a window and a :class:`~gmmviz.labs.em.core.session.files.Session`: what is
captured when saving, and how a loaded session is put on screen.

Capturing never fails for a state the window can be in: the optional parts
(history, parameters on screen, manual start, view) that would break a rule
of the format are left out rather than refusing to save the work.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.em.core.session.files import RunRecord, Session, check_session
from gmmviz.labs.em.core.session.model import FINISH_REASONS

log = logging.getLogger(__name__)

# Optional parts dropped, in this order, until the session keeps every rule.
_OPTIONAL = (
    {"history": None},
    {"params": None, "cursor": -1},
    {"manual_params": None},
    {"view": None},
)


def capture_session(studio, *, with_history: bool) -> Session:
    """The studio's state as a :class:`Session` that :func:`check_session` accepts.

    Raises
    ------
    GmmvizError
        Only if the data or the settings themselves cannot be saved.
    """
    settings, algorithm = studio.settings(), studio.model_panel.algorithm.settings()
    frame, run = studio.frame, studio.fit.history
    params = frame.snapshot.params if frame is not None else None
    cursor = frame.index if frame is not None else -1
    history = None
    if (with_history and algorithm.algorithm == "em"  # another algorithm's run is recomputed when opened
            and run is not None and run.finished and run.finish_reason in FINISH_REASONS
            and frame is not None and frame.run_id == run.run_id):
        history = RunRecord(tuple(run.snapshots), run.finish_reason)
    (x0, x1), (y0, y1) = studio.canvas.view.viewRange()
    view = ((float(x0), float(x1)), (float(y0), float(y1)))
    session = Session(studio.dataset, settings, params, studio.manual_params, cursor, history, view, algorithm)
    for drop in (None,) + _OPTIONAL:
        if drop is not None:
            session = replace(session, **drop)
        try:
            return check_session(session)
        except GmmvizError as exc:
            error = exc
            log.info("session capture: leaving out %s (%s)", drop, exc)
    raise error


def apply_session(studio, session: Session) -> int | None:
    """Put ``session`` on screen: data (a fresh undo history), settings, the
    algorithm, the run and the view (the other labs' parts are the shell's).

    Returns
    -------
    int or None
        Without a saved history the run is recomputed: the half-step to
        show once it is there (None with a saved history, shown at once).
    """
    studio.playback.pause()
    studio.store.reset(session.dataset)
    studio.model_panel.set_settings(session.settings)
    studio.model_panel.algorithm.set_settings(session.algorithm)
    studio.set_initial_params(session.manual_params)
    pending = None
    if session.history is not None:
        studio.show_run(session.history.snapshots, session.history.finish_reason, session.cursor)
    else:
        studio.start_run()
        pending = session.cursor if session.cursor > 0 else None
    apply_view(studio, session.view)
    return pending


def apply_view(studio, view) -> None:
    """Fit the canvas to the data (which also chooses whether the aspect is
    locked for them), then show ``view``, a saved ``((x0, x1), (y0, y1))``
    range, if it is not None."""
    studio.canvas.fit_view()
    if view is not None:
        (x0, x1), (y0, y1) = view
        studio.canvas.show_range((x0, x1), (y0, y1))
