"""Immutable value types shared by the core, the worker thread and the UI.

Everything here is a frozen dataclass holding read-only numpy arrays, so an
object can be handed from the worker thread to the GUI thread (or kept in
the run history) without copies and without locks.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

COVARIANCE_TYPES = ("full", "diag", "spherical", "tied")
INIT_METHODS = ("kmeans++", "random", "random-resp", "given")
PHASES = ("init", "E", "M")

CovarianceType = Literal["full", "diag", "spherical", "tied"]
InitMethod = Literal["kmeans++", "random", "random-resp", "given"]
Phase = Literal["init", "E", "M"]


def frozen_array(values, dtype=np.float64) -> np.ndarray:
    """Return a read-only copy of ``values`` as a contiguous array of ``dtype``."""
    arr = np.array(values, dtype=dtype, copy=True, order="C")
    arr.setflags(write=False)
    return arr


def covariance_shape(covariance_type: str, n_components: int, n_features: int = 2) -> tuple:
    """Shape of ``covariances`` for a covariance type (scikit-learn's convention)."""
    return {
        "full": (n_components, n_features, n_features),
        "diag": (n_components, n_features),
        "spherical": (n_components,),
        "tied": (n_features, n_features),
    }[covariance_type]


@dataclass(frozen=True)
class ClassInfo:
    """A class of points: a display name and a colour (``"#rrggbb"``)."""

    name: str
    color: str


@dataclass(frozen=True, eq=False)
class Dataset:
    """Points on the canvas and the class of each.

    Attributes
    ----------
    X : ndarray of shape (n_points, 2)
        Coordinates in the data's own units (read-only).
    labels : ndarray of shape (n_points,), int
        Index into ``classes`` for every point (read-only).
    classes : tuple of ClassInfo
        The classes, in order; a class may have no points.
    """

    X: np.ndarray
    labels: np.ndarray
    classes: tuple[ClassInfo, ...] = ()

    def __post_init__(self):
        X = frozen_array(self.X).reshape(-1, 2)
        labels = frozen_array(self.labels, dtype=np.int64).reshape(-1)
        if labels.shape[0] != X.shape[0]:
            raise ValueError(f"{X.shape[0]} points but {labels.shape[0]} labels")
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "classes", tuple(self.classes))

    @property
    def n_points(self) -> int:
        return int(self.X.shape[0])

    def counts(self) -> np.ndarray:
        """Number of points of each class, shape (n_classes,)."""
        return np.bincount(self.labels, minlength=len(self.classes))[: len(self.classes)]

    def same_as(self, other: "Dataset") -> bool:
        """True when both hold identical points, labels and classes."""
        return (
            self.classes == other.classes
            and np.array_equal(self.X, other.X)
            and np.array_equal(self.labels, other.labels)
        )


@dataclass(frozen=True, eq=False)
class GaussianParams:
    """Parameters of a 2-D Gaussian mixture, in the data's own units.

    Attributes
    ----------
    weights : ndarray of shape (n_components,)
        Mixing weights pi_k, summing to 1.
    means : ndarray of shape (n_components, 2)
    covariances : ndarray
        Shape (n_components, 2, 2) for ``full``, (n_components, 2) for
        ``diag``, (n_components,) for ``spherical``, (2, 2) for ``tied``.
    covariance_type : {"full", "diag", "spherical", "tied"}
    """

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    covariance_type: str = "full"

    def __post_init__(self):
        weights = frozen_array(self.weights).reshape(-1)
        means = frozen_array(self.means).reshape(-1, 2)
        covs = frozen_array(self.covariances)
        if self.covariance_type not in COVARIANCE_TYPES:
            raise ValueError(f"unknown covariance_type {self.covariance_type!r}")
        expected = covariance_shape(self.covariance_type, weights.shape[0])
        if means.shape[0] != weights.shape[0] or covs.shape != expected:
            raise ValueError(
                f"inconsistent shapes: weights {weights.shape}, means {means.shape}, "
                f"covariances {covs.shape} (expected {expected})"
            )
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "means", means)
        object.__setattr__(self, "covariances", covs)

    @classmethod
    def adopt(cls, weights: np.ndarray, means: np.ndarray, covariances: np.ndarray,
              covariance_type: str) -> "GaussianParams":
        """Wrap float64 arrays of the right shapes that the caller has just made
        and hands over (the EM loop's own results): they are made read-only
        in place, without the copies and checks of the constructor."""
        self = object.__new__(cls)
        for name, arr in (("weights", weights), ("means", means), ("covariances", covariances)):
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        object.__setattr__(self, "covariance_type", covariance_type)
        return self

    @property
    def n_components(self) -> int:
        return int(self.weights.shape[0])

    def full_covariances(self) -> np.ndarray:
        """Every component's covariance as a (n_components, 2, 2) array."""
        from gmmviz.core.gaussian import to_full

        return to_full(self.covariances, self.covariance_type, self.n_components)

    def with_means(self, means) -> "GaussianParams":
        """A copy with other means (e.g. a lecturer dragged a handle)."""
        return replace(self, means=means)

    def to_dict(self) -> dict:
        """Plain lists in scikit-learn's shapes, for JSON."""
        return {
            "covariance_type": self.covariance_type,
            "weights": self.weights.tolist(),
            "means": self.means.tolist(),
            "covariances": self.covariances.tolist(),
        }


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
    random_state: int | None = 0
    init_params: GaussianParams | None = None
    init_means: np.ndarray | None = None

    def __post_init__(self):
        if self.init_means is not None:
            object.__setattr__(self, "init_means", frozen_array(self.init_means).reshape(-1, 2))

    def replace(self, **changes) -> "FitConfig":
        return replace(self, **changes)


@dataclass(frozen=True)
class ModelSettings:
    """What the lecturer chose in the model panel (and what a session stores).

    ``init`` is ``"random"``, ``"kmeans++"``, ``"random-resp"`` or
    ``"manual"`` (the means dragged on the canvas).
    """

    n_components: int = 3
    covariance_type: str = "full"
    # Random data points with the data's covariance: the textbook start, and
    # one where EM visibly works (k-means++ often lands on the answer).
    init: str = "random"
    seed: int = 0
    reg_covar: float = 1e-6
    max_iter: int = 200
    tol: float = 1e-4

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
