"""EM run types: options, settings, collapse reports and half-step snapshots.

Frozen dataclasses with read-only arrays: safe to hand across threads and to keep in a run history.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from gmmviz.core.data import frozen_array
from gmmviz.core.errors import GmmvizError
from gmmviz.core.mixture import GaussianParams
from gmmviz.labs.em.core.defaults import EM_DEFAULTS

INIT_METHODS = ("kmeans++", "random", "random-resp", "given")


PHASES = ("init", "E", "M")


InitMethod = Literal["kmeans++", "random", "random-resp", "given"]


Phase = Literal["init", "E", "M"]


@dataclass(frozen=True, eq=False)
class FitConfig:
    """Every option of one EM run (scikit-learn's names and defaults).

    ``init="given"`` starts from ``init_params`` (all parameters) or from
    ``init_means`` alone (uniform weights, the data's covariance).
    """

    n_components: int = 3
    covariance_type: str = "full"
    init: str = "kmeans++"
    reg_covar: float = 1e-6
    max_iter: int = 100
    tol: float = 1e-3
    random_state: int | np.random.Generator | None = 0
    init_params: GaussianParams | None = None
    init_means: np.ndarray | None = None

    def __post_init__(self):
        if self.init_means is not None:
            means = frozen_array(self.init_means, name="init_means")
            if means.ndim != 2 or means.shape[1] != 2:
                raise GmmvizError(f"init_means must have shape (n_components, 2), got {means.shape}")
            object.__setattr__(self, "init_means", means)

    def replace(self, **changes) -> "FitConfig":
        return replace(self, **changes)


@dataclass(frozen=True)
class ModelSettings:
    """What the lecturer chose in the model panel (and what a session stores).

    ``init`` is ``"random"``, ``"kmeans++"``, ``"random-resp"`` or
    ``"manual"`` (the means dragged on the canvas).
    """

    n_components: int = EM_DEFAULTS["n_components"]
    covariance_type: str = EM_DEFAULTS["covariance_type"]
    init: str = EM_DEFAULTS["init"]
    seed: int = EM_DEFAULTS["seed"]
    reg_covar: float = EM_DEFAULTS["reg_covar"]
    max_iter: int = EM_DEFAULTS["max_iter"]
    tol: float = EM_DEFAULTS["tol"]

    def to_config(self, manual_params: GaussianParams | None = None) -> FitConfig:
        """The run these settings ask for; ``manual`` starts from ``manual_params``
        (a ``given`` initialisation)."""
        manual = self.init == "manual"
        return FitConfig(n_components=self.n_components, covariance_type=self.covariance_type,
                         init="given" if manual else self.init, reg_covar=self.reg_covar,
                         max_iter=self.max_iter, tol=self.tol, random_state=self.seed,
                         init_params=manual_params if manual else None)

    @classmethod
    def from_config(cls, config: FitConfig) -> "ModelSettings":
        """The settings of a run (``given`` -> ``manual``), e.g. a lecture scene's."""
        return cls(n_components=config.n_components, covariance_type=config.covariance_type,
                   init="manual" if config.init == "given" else config.init,
                   seed=config.random_state or 0, reg_covar=config.reg_covar,
                   max_iter=config.max_iter, tol=config.tol)


@dataclass(frozen=True)
class Collapse:
    """A degenerate component that stopped a run, with a plain-words reason.

    Attributes
    ----------
    components : tuple of int
        Indices of the components that degenerated.
    kinds : tuple of str
        For each: ``"point"``, ``"line"``, ``"empty"`` or ``"non-finite"``.
    locations : tuple of (float, float)
        Where each one collapsed (its mean, data units), to mark it.
    message : str
        What happened and how to fix it.
    """

    components: tuple[int, ...]
    kinds: tuple[str, ...]
    locations: tuple[tuple[float, float], ...]
    message: str


@dataclass(frozen=True, eq=False)
class EMSnapshot:
    """The state after one EM half-step (or after the initialisation).

    Attributes
    ----------
    iteration : int
        0 for ``init``; the EM iteration (1, 2, ...) for ``E`` and ``M``.
    phase : {"init", "E", "M"}
    params : GaussianParams
        After ``E``: the parameters the responsibilities were computed from;
        after ``M``: the new parameters.
    log_likelihood : float
        ln p(X | params), nats, summed over points, in the data's units.
    q : float
        Q(params | theta_old), the expected complete-data log-likelihood
        under the current responsibilities (NaN for ``init``).
    entropy : float
        H = -sum r ln r >= 0 of the current responsibilities (NaN for ``init``).
    resp : ndarray of shape (n_points, n_components) or None
        Responsibilities (``E`` snapshots, when requested), read-only.
    converged : bool
        True on the ``M`` snapshot where the change per point fell below ``tol``.
    collapse : Collapse or None
        Set on the final snapshot of a run stopped by a degenerate component.
    n_points : int
    """

    iteration: int
    phase: str
    params: GaussianParams
    log_likelihood: float
    q: float = float("nan")
    entropy: float = float("nan")
    resp: np.ndarray | None = field(default=None, repr=False)
    converged: bool = False
    collapse: Collapse | None = None
    n_points: int = 0

    @property
    def lower_bound(self) -> float:
        """Q + H, the EM lower bound on ln p(X | params)."""
        return self.q + self.entropy

    @property
    def gap(self) -> float:
        """ln p - (Q + H) >= 0: the KL divergence between r and the posterior."""
        return self.log_likelihood - self.lower_bound

    @property
    def is_final(self) -> bool:
        return self.converged or self.collapse is not None
