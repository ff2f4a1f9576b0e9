"""Variational Bayes for a Gaussian mixture as a generator of half-step snapshots (EM's protocol).

``init`` is q(pi, mu, Lambda) from the initial responsibilities; then ``E`` updates q(z) and ``M`` updates
q(pi, mu, Lambda), each followed by the full ELBO (:mod:`~gmmviz.labs.em.core.algorithms.vb_elbo`).  The
updates are scikit-learn ``BayesianGaussianMixture``'s (Dirichlet or stick-breaking Dirichlet-process weights,
Normal-Wishart means and precisions), so a run stepped one iteration at a time matches it.

The q(z) update is a mixture evaluation in disguise:

    ln rho_tk = E[ln pi_k] + (E ln |Lambda_k| - D / beta_k) / 2 - D ln(2 pi) / 2 - nu_k (x - m_k)^T W_k (x - m_k) / 2
              = ln N(x_t | m_k, C_k / nu_k) + delta_k,

so the EM lab's fused pass (:func:`~gmmviz.labs.em.core.fused.fused_pass`) evaluates it, with the constant
delta_k folded into each component's log-weight, and returns in the same sweep the normaliser, the entropy of
q(z) and the statistics the q(pi, mu, Lambda) update needs: one pass per iteration, nothing of size k x N.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace

import numpy as np

from gmmviz.core.covariance import det2, from_full
from gmmviz.core.errors import GmmvizError
from gmmviz.core.mixture import GaussianParams
from gmmviz.core.validation import check_points
from gmmviz.labs.em.core import fused as kernel
from gmmviz.labs.em.core.algorithms.types import WEIGHT_PRIORS, VBConfig, VBSnapshot
from gmmviz.labs.em.core.algorithms.vb_elbo import D, Posterior, Prior, elbo_terms
from gmmviz.labs.em.core.fused import Workspace
from gmmviz.labs.em.core.steps import e_step, kmeans_plusplus, nearest_centre
from gmmviz.labs.em.core.validation import check_config, check_resp, check_scale
from gmmviz.labs.em.core.whitening import (
    ONE,
    X1,
    XX,
    XY,
    Y1,
    YY,
    components,
    stats_from_resp,
)

SK_EPS = 10 * np.finfo(np.float64).eps  # scikit-learn's nk = sum r + 10 eps


def make_prior(ws: Workspace, config: VBConfig) -> Prior:
    """The prior in the standardised frame (scikit-learn's defaults for what ``config`` leaves None)."""
    k, ctype = config.base.n_components, config.base.covariance_type
    if config.weight_prior not in WEIGHT_PRIORS:
        raise GmmvizError(f"weight prior must be one of {', '.join(WEIGHT_PRIORS)}, got {config.weight_prior!r}")
    s, shift = ws.std.scale, ws.std.shift
    Xs = ws.Xs
    conc = 1.0 / k if config.concentration is None else _positive(config.concentration, "concentration")
    beta0 = 1.0 if config.mean_precision_prior is None else _positive(config.mean_precision_prior, "mean precision prior")
    m0 = Xs.mean(axis=0) if config.mean_prior is None else (_prior_array(config.mean_prior, "mean prior", ((2,),)) - shift) / s
    nu0 = float(D) if config.degrees_of_freedom_prior is None else float(config.degrees_of_freedom_prior)
    if not nu0 > D - 1:
        raise GmmvizError(f"degrees_of_freedom_prior must be > {D - 1}, got {nu0:g}")
    if config.covariance_prior is None:
        cov = np.atleast_2d(np.cov(Xs.T))
        var = np.var(Xs, axis=0, ddof=1)
        C0 = {"full": cov, "tied": cov, "diag": np.diag(var), "spherical": var.mean() * np.eye(2)}[ctype]
    else:
        shapes = {"full": ((2, 2),), "tied": ((2, 2),), "diag": ((2,),), "spherical": ((),)}[ctype]
        c = _prior_array(config.covariance_prior, "covariance prior", shapes) / (s * s)
        C0 = c if c.shape == (2, 2) else np.diag(c) if c.shape == (2,) else float(c) * np.eye(2)
    if not (np.isfinite(C0).all() and C0[0, 0] > 0 and np.linalg.det(C0) > 0):
        raise GmmvizError("the covariance prior (by default the points' covariance) must be positive definite: are all the points on a line or at one place?")
    return Prior(config.weight_prior, conc, m0, beta0, nu0, np.array(C0, dtype=float))


def _prior_array(value, name: str, shapes) -> np.ndarray:
    """A finite float array of one of ``shapes``, else a GmmvizError naming the expected shape."""
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise GmmvizError(f"the {name} must be numbers, got {value!r}") from None
    if a.shape not in shapes or not np.isfinite(a).all():
        raise GmmvizError(f"the {name} must be finite with shape {' or '.join(map(str, shapes))}, got shape {a.shape}")
    return a


def _positive(value, name: str) -> float:
    v = float(value)
    if not (math.isfinite(v) and v > 0):
        raise GmmvizError(f"{name} must be a finite number > 0, got {value!r}")
    return v


def moments(stats: np.ndarray, ctype: str, reg: float):
    """scikit-learn's (nk, xk, sk) from fused statistics: sk as (k, 2, 2) matrices of the type, with reg."""
    nk = stats[:, ONE] + SK_EPS
    xk = stats[:, X1 : Y1 + 1] / nk[:, None]
    S = np.empty((stats.shape[0], 2, 2))
    S[:, 0, 0], S[:, 1, 1] = stats[:, XX], stats[:, YY]
    S[:, 0, 1] = S[:, 1, 0] = stats[:, XY]
    S /= nk[:, None, None]
    if ctype == "tied":
        S = np.broadcast_to((S * nk[:, None, None]).sum(axis=0) / nk.sum(), S.shape).copy()
    elif ctype == "diag":
        S[:, 0, 1] = S[:, 1, 0] = 0.0
    elif ctype == "spherical":
        v = 0.5 * (S[:, 0, 0] + S[:, 1, 1])
        S[:] = 0.0
        S[:, 0, 0] = S[:, 1, 1] = v
    S[:, 0, 0] += reg
    S[:, 1, 1] += reg
    return nk, xk, S


def update_posterior(prior: Prior, ctype: str, nk, xk, sk) -> Posterior:
    """q(pi, mu, Lambda) from the statistics of q(z) (scikit-learn's M-step)."""
    k = nk.shape[0]
    if prior.weight_prior == "dirichlet-process":
        conc = np.stack([1.0 + nk, prior.concentration + np.concatenate([np.cumsum(nk[::-1])[-2::-1], [0.0]])])
    else:
        conc = prior.concentration + nk
    b0 = prior.mean_precision
    beta = b0 + nk
    means = (b0 * prior.mean_prior + nk[:, None] * xk) / beta[:, None]
    diff = xk - prior.mean_prior
    outer = diff[:, :, None] * diff[:, None, :]
    if ctype == "tied":
        nu = np.full(k, prior.dof + nk.sum() / k)
        C = prior.covariance + sk[0] * nk.sum() / k + b0 / k * np.einsum("k,kij->ij", nk / beta, outer)
        C = np.broadcast_to(C, (k, 2, 2)).copy()
    else:
        nu = prior.dof + nk
        if ctype != "full":
            outer = outer * np.eye(2)  # diagonal terms only
            if ctype == "spherical":
                outer = np.eye(2) * (0.5 * np.trace(outer, axis1=1, axis2=2))[:, None, None]
        C = prior.covariance + nk[:, None, None] * (sk + (b0 / beta)[:, None, None] * outer)
    return Posterior(conc, beta, means, nu, C)


def q_z_components(prior: Prior, q: Posterior):
    """The fused pass's :class:`~gmmviz.labs.em.core.whitening.Components` whose log-densities are ln rho_tk."""
    comp = components(np.ones(q.beta.shape[0]), q.means, q.covariances)
    delta = (q.expected_log_weights(prior.weight_prior) - 0.5 * D * np.log(q.dof)
             + 0.5 * (q.expected_log_det() + np.log(det2(q.scale_inv)) - D / q.beta))
    # E ln |Lambda| + ln |C| = sum psi + D ln 2 (ln |C / nu| is in the Gaussian already).
    coef = comp.coef.copy()
    coef[:, ONE] += delta
    return replace(comp, const=comp.const + delta, coef=coef, valid=comp.valid and bool(np.isfinite(delta).all()))



def initial_resp(ws: Workspace, config: VBConfig) -> np.ndarray:
    """The starting responsibilities: given; uniformly random (``random-resp``); the posterior under given
    parameters; or hard labels, each point to its nearest centre (k-means++ centres, k random points, or
    given means)."""
    k, base = config.base.n_components, config.base
    if config.init_resp is not None:
        return check_resp(config.init_resp, ws.n_points)
    rng = np.random.default_rng(base.random_state)
    if base.init == "random-resp":
        r = rng.uniform(size=(ws.n_points, k))
        return r / r.sum(axis=1, keepdims=True)
    if base.init == "given" and base.init_params is not None:  # the posterior under the given mixture
        return e_step(ws.std.shift + ws.Xs * ws.std.scale, base.init_params).resp
    if base.init == "given":
        centres = ws.std.transform(base.init_means)
    elif base.init == "kmeans++":
        centres = ws.Xs[kmeans_plusplus(ws.Xs, k, rng)]
    else:  # "random": k distinct data points
        centres = ws.Xs[rng.choice(ws.n_points, size=k, replace=False)]
    return np.eye(k)[nearest_centre(ws.Xs, centres)]


class _VB:
    def __init__(self, ws: Workspace, config: VBConfig, keep_resp: bool, point_likelihood: bool):
        self.ws, self.config, self.keep_resp, self.point_ll = ws, config, keep_resp, point_likelihood
        self.ctype = config.base.covariance_type
        self.reg = config.base.reg_covar / ws.std.scale**2
        self.prior = make_prior(ws, config)
        self.n = ws.n_points
        self.offset = self.n * ws.std.log_jacobian
        self.scratch = kernel.Scratch(config.base.n_components, ws.block_size(config.base.n_components))

    def params(self, q: Posterior) -> GaussianParams:
        std = self.ws.std
        w = q.weights(self.prior.weight_prior)
        return GaussianParams.adopt(w, q.means * std.scale + std.shift,
                                    from_full(q.covariances, self.ctype) * std.scale**2, self.ctype)

    def log_likelihood(self, q: Posterior) -> float:
        """ln p(X | the posterior's point estimates), data units (NaN when not tracked)."""
        if not self.point_ll:
            return math.nan
        comp = components(q.weights(self.prior.weight_prior), q.means, q.covariances)
        if not comp.valid:
            return math.nan
        return kernel.fused_pass(self.ws, comp, scratch=self.scratch).log_likelihood - self.offset

    def snapshot(self, it, phase, q, stats, entropy, ll, **extra) -> VBSnapshot:
        nk, xk, sk = moments(stats, self.ctype, self.reg)
        terms = elbo_terms(self.prior, q, nk, xk, sk, entropy, self.ctype == "tied")
        terms["E[ln p(X|Z,mu,Lambda)]"] -= self.offset  # to the data's units
        # Pruned: the component's share of the points, N_k / N (the data's part of its expected weight;
        # a stick-breaking prior keeps every expected weight near 1 / N or more), below the threshold.
        share = stats[:, ONE] / max(self.n, 1)
        return VBSnapshot(it, phase, self.params(q), ll, entropy=entropy, n_points=self.n, elbo=float(sum(terms.values())),
                          elbo_terms=terms, pruned=tuple(bool(x) for x in share < self.config.prune_threshold), **extra)


def vb_steps(X, config: VBConfig, *, keep_resp: bool = True, workspace: Workspace | None = None,
             point_likelihood: bool = True) -> Iterator[VBSnapshot]:
    """Coordinate-ascent variational Bayes, yielding ``init``, then ``E`` (q(z)), ``M`` (q(pi, mu, Lambda)), ...

    Parameters
    ----------
    X : array-like of shape (n_points, 2)
    config : VBConfig
    keep_resp : bool
        Attach q(z) to ``E`` snapshots.
    point_likelihood : bool
        Also evaluate ln p(X | point estimates) after every ``M`` (one more pass per iteration).

    Yields
    ------
    VBSnapshot
        Ends at the ``M`` snapshot whose ELBO changed by less than ``tol`` per point, or after ``max_iter``.
    """
    X = check_points(X)
    check_config(config.base, X.shape[0])
    ws = workspace if workspace is not None else Workspace.build(X)
    check_scale(ws.std, config.base.reg_covar)
    run = _VB(ws, config, keep_resp, point_likelihood)
    resp = initial_resp(ws, config)
    stats = stats_from_resp(ws.Xs, resp)
    with np.errstate(divide="ignore", invalid="ignore"):
        ent = float(-np.sum(np.where(resp > 0, resp * np.log(resp), 0.0)))
    q = update_posterior(run.prior, run.ctype, *moments(stats, run.ctype, run.reg))
    prev = run.snapshot(0, "init", q, stats, ent, run.log_likelihood(q))
    yield prev
    for it in range(1, config.base.max_iter + 1):
        comp = q_z_components(run.prior, q)
        if not comp.valid:
            raise GmmvizError("variational Bayes left float64's range: check the data's scale and the prior")
        result = kernel.fused_pass(ws, comp, want_resp=keep_resp, scratch=run.scratch)
        yield run.snapshot(it, "E", q, result.stats, result.entropy, prev.log_likelihood, resp=result.resp)
        q = update_posterior(run.prior, run.ctype, *moments(result.stats, run.ctype, run.reg))
        snap = run.snapshot(it, "M", q, result.stats, result.entropy, run.log_likelihood(q))
        converged = abs(snap.elbo - prev.elbo) < config.base.tol * run.n
        yield replace(snap, converged=converged)
        if converged:
            return
        prev = snap

