"""The EM lab's fit controller: one run of EM at a time, on the shell's run controller.

Flow (STYLE "play to frame"): :meth:`FitController.start_run` captures the
data and a frozen :class:`FitConfig` (or another algorithm's config), and submits
a job that drains :func:`~gmmviz.labs.em.core.steps.em_steps` (or the algorithm's
generator, :func:`~gmmviz.labs.em.core.algorithms.run.algorithm_steps`) to a
:class:`~gmmviz.qt.runs.RunController`.  The job yields one immutable
:class:`Step` per half-step; the run controller drops those of runs that
are no longer current, and this controller appends the rest to the
:class:`RunHistory` and re-emits them for widgets and tests.

The GUI tells a running job how far ahead to compute (and whether to rest
between half-steps while the window animates) through a
:class:`~gmmviz.qt.runs.Pacer`, a thread-safe object, never by writing
attributes of the worker.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from gmmviz.core.palette import quantize_resp
from gmmviz.labs.em.core.run_history import RunHistory, Step
from gmmviz.labs.em.core.algorithms.run import algorithm_steps, base_of
from gmmviz.labs.em.core.steps import em_steps
from gmmviz.labs.em.core.types import FitConfig
from gmmviz.qt.runs import Pacer, RunController

#: Rest after each half-step while the window animates a big run (s).
ANIMATION_REST_S = 0.008


def ahead_for(n_points: int, n_components: int) -> int:
    """How many half-steps the worker may run ahead of the screen.

    Small problems are computed to the end at once (the whole curve is
    there immediately); big ones stay a window ahead of playback.
    """
    return Pacer.UNBOUNDED if n_points * n_components <= 200_000 else 64


def em_job(X: np.ndarray, config, pacer: Pacer):
    """The job of one run (EM's FitConfig, or another algorithm's config): a :class:`Step`
    per half-step, paced by ``pacer``."""

    def job(token):
        steps = em_steps if isinstance(config, FitConfig) else algorithm_steps
        for index, snap in enumerate(steps(X, config, keep_resp=True)):
            if not pacer.wait_for(index, token):
                return
            resp = None if snap.resp is None else quantize_resp(snap.resp)
            yield Step(replace(snap, resp=None), resp)
            pacer.rest(token)

    return job


class FitController(QObject):
    """Owns the run controller of EM and the history of the current run.

    Signals
    -------
    run_started(int)
        A new run id; the history is empty until its first step arrives.
    step_appended(int, int)
        Run id and the index of the half-step just added to :attr:`history`.
    run_finished(int, str)
        Run id and why it ended: ``converged``, ``max_iter`` or ``collapse``.
    run_failed(int, str)
        Run id and a readable message (bad input, or an internal error).
    """

    run_started = Signal(int)
    step_appended = Signal(int, int)
    run_finished = Signal(int, str)
    run_failed = Signal(int, str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.runner = RunController("The EM computation", "gmmviz-em-worker", self)
        self._pacer = Pacer()
        self._ahead = Pacer.UNBOUNDED
        self.history: RunHistory | None = None
        self.runner.yielded.connect(self._on_step)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)

    @property
    def run_id(self) -> int:
        return self.runner.run_id

    @property
    def running(self) -> bool:
        return self.history is not None and not self.history.finished

    def start_run(self, X: np.ndarray, config) -> int:
        """Cancel any run in progress and start a new one (``config``: a FitConfig for EM,
        or a GradientConfig / VBConfig); returns its id."""
        X = np.array(X, dtype=np.float64, copy=True)
        X.setflags(write=False)
        self._ahead = ahead_for(X.shape[0], base_of(config).n_components)
        self._pacer = Pacer(self._ahead)
        run_id = self.runner.submit(em_job(X, config, self._pacer))
        self.history = RunHistory(run_id, X, config)
        self.run_started.emit(run_id)
        return run_id

    def cancel(self) -> None:
        """Stop the current run and forget its history."""
        self.runner.cancel()
        self.history = None

    def follow(self, index: int) -> None:
        """The cursor is at ``index``: compute up to a window beyond it."""
        if self._ahead < Pacer.UNBOUNDED:
            self._pacer.raise_horizon(index + self._ahead)

    def set_animating(self, animating: bool) -> None:
        """While the window animates a big run, the worker leaves it room."""
        self._pacer.set_pause(ANIMATION_REST_S if animating and self._ahead < Pacer.UNBOUNDED else 0.0)

    def compute_all(self) -> None:
        """Lift the horizon (e.g. run to convergence)."""
        self._pacer.set_horizon(Pacer.UNBOUNDED)

    def shutdown(self) -> None:
        """Stop the worker thread and wait for it (call before the window closes)."""
        self.runner.shutdown()

    def is_alive(self) -> bool:
        return self.runner.is_alive()

    @Slot(int, object)
    def _on_step(self, run_id: int, step: Step) -> None:
        if self.history is None or run_id != self.history.run_id:
            return  # a stale run: never reaches the screen
        index = self.history.append(step)
        self.step_appended.emit(run_id, index)

    @Slot(int)
    def _on_finished(self, run_id: int) -> None:
        h = self.history
        if h is None or run_id != h.run_id:
            return
        last = h.snapshots[-1] if len(h) else None
        reason = "max_iter"
        if last is not None and last.converged:
            reason = "converged"
        elif last is not None and last.collapse is not None:
            reason = "collapse"
        h.finish(reason)
        self.run_finished.emit(run_id, reason)

    @Slot(int, str)
    def _on_failed(self, run_id: int, message: str) -> None:
        if self.history is not None and run_id == self.history.run_id:
            self.history.finish("failed")
            self.run_failed.emit(run_id, message)
