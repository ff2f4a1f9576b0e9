"""Options and snapshots of the algorithms beside EM (gradient ascent, the score-function gradient, VB).

Their snapshots are :class:`~gmmviz.labs.em.core.types.EMSnapshot` subclasses: the same half-step protocol
(``init``, then ``E``, ``M``, ...; ``log_likelihood``, ``q``, ``entropy``, ``resp``, ``converged``,
``collapse``), so the run history, the studio, the run controller, ``gmmviz fit`` and exports treat every
algorithm alike, plus the algorithm's own numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from gmmviz.labs.em.core.types import EMSnapshot, FitConfig

ALGORITHMS = ("em", "ga", "ga-score", "vb")
OPTIMIZERS = ("plain", "momentum", "adam")
SAMPLERS = ("posterior", "prior")
WEIGHT_PRIORS = ("dirichlet", "dirichlet-process")

#: The share of the points the EM studio's VB run holds out (seeded by the model's seed) for its held-out ln p.
STUDIO_HOLD_OUT = 0.2

# What each algorithm's curve is (the studio's and fit's label).
OBJECTIVE_LABEL = {"em": "ln p", "ga": "ln p", "ga-score": "ln p", "vb": "ELBO"}


@dataclass(frozen=True, eq=False)
class GradientConfig:
    """A gradient-ascent run: the EM options (start, K, type, reg_covar, max_iter, tol) and the step.

    Attributes
    ----------
    base : FitConfig
        Initialisation and model, as for EM (the same start for the same seed).
    step_size : float
        The fixed step along the gradient of ln p per point (ln p / N, in the standardised frame
        where the data's spread is 1), or the first trial of the line search.
    line_search : bool
        Backtracking (Armijo) line search: halve the step until ln p rises by at least
        ``1e-4 * step * |g|^2``; a success at the first trial makes the next first trial 1.25 times longer.
    optimizer : {"plain", "momentum", "adam"}
        Fixed-step variants for contrast (the line search uses the plain direction).
    samples : int
        ``ga-score`` only: m, the sampled assignment vectors per gradient estimate.
    sampler : {"posterior", "prior"}
        ``ga-score`` only: z ~ P(z | x, theta) or z ~ P(z | theta) weighted by P(x | z, theta).
    score : bool
        Step along the score-function estimate instead of the exact gradient.
    """

    base: FitConfig = field(default_factory=FitConfig)
    step_size: float = 0.1
    line_search: bool = False
    optimizer: str = "plain"
    momentum: float = 0.9
    samples: int = 10
    sampler: str = "posterior"
    score: bool = False

    def replace(self, **changes) -> GradientConfig:
        return replace(self, **changes)


@dataclass(frozen=True, eq=False)
class VBConfig:
    """A variational Bayesian run (scikit-learn ``BayesianGaussianMixture``'s model and defaults).

    Attributes
    ----------
    base : FitConfig
        K, covariance type, reg_covar, max_iter, tol, seed and the start (``kmeans++`` labels,
        ``random-resp``, or ``init_resp``).
    weight_prior : {"dirichlet", "dirichlet-process"}
    concentration : float or None
        The Dirichlet's (or the stick-breaking Beta(1, gamma)'s) concentration; None: 1 / K.
    mean_precision_prior, mean_prior, degrees_of_freedom_prior, covariance_prior
        The Normal-Wishart prior (data units); None: 1, the data's mean, 2, the data's covariance
        (ddof 1; per axis for ``diag``, their mean for ``spherical``).
    init_resp : ndarray of shape (n_points, K) or None
        Initial responsibilities (the first M-step starts from them).
    prune_threshold : float
        Components whose share of the points N_k / N (the data's part of the expected weight)
        falls below this are reported as pruned.
    hold_out : float
        Fraction of the points held out (chosen by ``base.random_state``) and not fitted: every snapshot
        has their ln p (:mod:`~gmmviz.labs.em.core.algorithms.held_out`; the studio's VB curve).  0: none.
    """

    base: FitConfig = field(default_factory=FitConfig)
    weight_prior: str = "dirichlet"
    concentration: float | None = None
    mean_precision_prior: float | None = None
    mean_prior: np.ndarray | None = None
    degrees_of_freedom_prior: float | None = None
    covariance_prior: np.ndarray | float | None = None
    init_resp: np.ndarray | None = None
    prune_threshold: float = 1e-3
    hold_out: float = 0.0

    def replace(self, **changes) -> VBConfig:
        return replace(self, **changes)


@dataclass(frozen=True, eq=False)
class GradientSnapshot(EMSnapshot):
    """An EM-protocol snapshot of gradient ascent.

    ``E``: theta_i with its responsibilities (what its gradient is made of); ``M``: theta_{i+1}
    after the step, its ``q`` being Q(theta_{i+1} | theta_i).

    Attributes (besides EMSnapshot's)
    ---------------------------------
    grad_norm : float
        |d ln p / d theta| / N at this snapshot's parameters (per point, standardised frame).
    step_size : float
        The step taken to reach an ``M`` snapshot (NaN otherwise).
    n_evaluations : int
        ln p evaluations (fused passes) the step needed (line-search trials).
    estimate_norm : float
        ``ga-score``: |the score-function estimate| / N the step followed.
    ess : float
        ``ga-score``, prior sampler: effective sample size of the weights P(x | z, theta) (1 to m).
    """

    grad_norm: float = math.nan
    step_size: float = math.nan
    n_evaluations: int = 0
    estimate_norm: float = math.nan
    ess: float = math.nan
    algorithm: str = "ga"


@dataclass(frozen=True, eq=False)
class VBSnapshot(EMSnapshot):
    """An EM-protocol snapshot of variational Bayes: ``E`` is the q(z) update, ``M`` the q(pi, mu, Lambda) one.

    ``params`` are the posterior's point estimates (scikit-learn's ``weights_``, ``means_``,
    ``covariances_``); ``log_likelihood`` is ln p(X | those), in nats, beside the ELBO.

    Attributes (besides EMSnapshot's)
    ---------------------------------
    elbo : float
        The full evidence lower bound (every term, data units), after this half-step.
    elbo_terms : dict
        Its terms by name (they sum to ``elbo``).
    pruned : tuple of bool
        Per component: its share of the points N_k / N is below the run's threshold.
    held_out_log_likelihood : float
        With ``VBConfig.hold_out``: ln p(held-out points | point estimates), summed, nats (NaN otherwise).
    held_out_points : int
        How many points were held out (0: none; ``n_points`` counts the fitted ones).
    """

    elbo: float = math.nan
    elbo_terms: dict = field(default_factory=dict, repr=False)
    pruned: tuple = ()
    held_out_log_likelihood: float = math.nan
    held_out_points: int = 0
    algorithm: str = "vb"

    @property
    def lower_bound(self) -> float:
        """What VB maximises: the ELBO."""
        return self.elbo

    @property
    def gap(self) -> float:
        """ln p(X | point estimates) - ELBO (not a KL divergence here: a different objective)."""
        return self.log_likelihood - self.elbo

    @property
    def held_out_scaled(self) -> float:
        """The held-out ln p times fitted / held-out points: on the scale of the fitted points' ln p
        (their mean per point times as many points); NaN without held-out points."""
        if self.held_out_points <= 0:
            return math.nan
        return self.held_out_log_likelihood * self.n_points / self.held_out_points


@dataclass(frozen=True)
class AlgorithmSettings:
    """What the studio's Algorithm choice holds: the algorithm and its own settings.

    ``concentration`` None is 1 / K.  :meth:`to_config` wraps the model panel's EM options.
    """

    algorithm: str = "em"
    step_size: float = 0.1
    line_search: bool = False
    samples: int = 10
    sampler: str = "posterior"
    weight_prior: str = "dirichlet"
    concentration: float | None = None

    def to_config(self, base: FitConfig):
        """The run these settings ask for (``base`` itself for EM)."""
        if self.algorithm == "vb":
            return VBConfig(base=base, weight_prior=self.weight_prior, concentration=self.concentration,
                            hold_out=STUDIO_HOLD_OUT)
        if self.algorithm in ("ga", "ga-score"):
            return GradientConfig(base=base, step_size=self.step_size, line_search=self.line_search,
                                  samples=self.samples, sampler=self.sampler, score=self.algorithm == "ga-score")
        return base
