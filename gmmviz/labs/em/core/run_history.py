"""The snapshots of one EM run, kept so that scrubbing never recomputes.

No Qt here: the fit controller appends to a :class:`RunHistory` in the GUI
thread and the playback controller reads frames from it.

Memory: parameters and bound terms are tiny; responsibilities are kept as
uint8 (n_points x k bytes per E-step).  Past a budget the oldest are
dropped and recomputed from the parameters when shown again, so a long run
on 1e6 points stays well under a gigabyte.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmmviz.core.palette import quantize_resp
from gmmviz.labs.em.core.steps import e_step
from gmmviz.labs.em.core.types import EMSnapshot, FitConfig

RESP_BUDGET_BYTES = 768 * 2**20


@dataclass(frozen=True, eq=False)
class Step:
    """What the worker sends per half-step: the snapshot (without float
    responsibilities) and, for E-steps, the uint8 responsibilities."""

    snapshot: EMSnapshot
    resp_u8: np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class Frame:
    """Everything the views need to show half-step ``index`` of a run.

    Attributes
    ----------
    index : int
        Position in the run (0 = initialisation).
    snapshot : EMSnapshot
    resp_u8 : ndarray of shape (n_points, k), uint8, or None
        The responsibilities that colour the points: the E-step's own, or
        the latest E-step's for an M snapshot; None before the first E-step.
    run_id : int
    """

    index: int
    snapshot: EMSnapshot
    resp_u8: np.ndarray | None
    run_id: int


class RunHistory:
    """Snapshots of one run, in order, with the arrays the curves need."""

    def __init__(self, run_id: int, X: np.ndarray, config: FitConfig, *, budget: int = RESP_BUDGET_BYTES):
        self.run_id = run_id
        self.X = X
        self.config = config
        self.snapshots: list[EMSnapshot] = []
        self._resp: list[np.ndarray | None] = []
        self._resp_bytes = 0
        self._budget = budget
        self.finished = False
        self.finish_reason = ""

    def __len__(self) -> int:
        return len(self.snapshots)

    def append(self, step: Step) -> int:
        """Add a half-step; returns its index."""
        snap = step.snapshot
        self.snapshots.append(snap)
        self._resp.append(step.resp_u8)
        if step.resp_u8 is not None:
            self._resp_bytes += step.resp_u8.nbytes
            self._enforce_budget()
        return len(self.snapshots) - 1

    def _enforce_budget(self) -> None:
        i = 0
        while self._resp_bytes > self._budget and i < len(self._resp) - 1:
            if self._resp[i] is not None:
                self._resp_bytes -= self._resp[i].nbytes
                self._resp[i] = None
            i += 1

    def finish(self, reason: str) -> None:
        self.finished = True
        self.finish_reason = reason

    def frame(self, index: int) -> Frame:
        """The frame for half-step ``index`` (recomputing dropped responsibilities)."""
        snap = self.snapshots[index]
        j = index
        while j >= 0 and self.snapshots[j].phase != "E":
            j -= 1
        resp = None
        if j >= 0:
            resp = self._resp[j]
            if resp is None:
                resp = quantize_resp(e_step(self.X, self.snapshots[j].params).resp)
        return Frame(index, snap, resp, self.run_id)

    def phase(self, index: int) -> str:
        """"init", "E" or "M" (the playback's :class:`~gmmviz.qt.playback.Timeline`)."""
        return self.snapshots[index].phase

    def is_final(self, index: int) -> bool:
        return self.snapshots[index].is_final

    def curves(self) -> dict[str, np.ndarray]:
        """Per half-step arrays: ``ll``, ``bound`` (Q + H), ``q``, ``h``, ``phase`` codes, and ``held_out``
        (variational Bayes' held-out ln p scaled to the fitted points; NaN for the others)."""
        snaps = self.snapshots
        return {
            "ll": np.array([s.log_likelihood for s in snaps]),
            "bound": np.array([s.lower_bound for s in snaps]),
            "q": np.array([s.q for s in snaps]),
            "h": np.array([s.entropy for s in snaps]),
            "held_out": np.array([getattr(s, "held_out_scaled", np.nan) for s in snaps], dtype=np.float64),
            "phase": np.array(["init E M".split().index(s.phase) for s in snaps], dtype=np.int8),
        }

    @property
    def converged(self) -> bool:
        return bool(self.snapshots) and self.snapshots[-1].converged
