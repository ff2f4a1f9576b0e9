"""A fitted generative classifier and Bayes' rule in log space.

Every model of the lab is the same object: for each class y a Gaussian
mixture p(x | y) = sum_k w_yk N(x | mu_yk, Sigma_yk) (one component for
Naive Bayes, LDA and QDA) and a log prior ln P(y).  The posterior is

    ln P(y | x) = ln p(x | y) + ln P(y) - ln sum_y' p(x | y') P(y'),

every sum a logsumexp, so a point a million units from every class still
gets finite probabilities that sum to 1.

Densities go through Cholesky factors of the precisions (scikit-learn's
``precisions_cholesky_``): ln N(x | mu, Sigma) = -d/2 ln 2 pi - |(x - mu) P|^2 / 2
+ ln det P, with P P^T = Sigma^-1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gmmviz.core.covariance import covariance_shape
from gmmviz.core.data import frozen_array
from gmmviz.core.errors import GmmvizError
from gmmviz.core.gaussian import logsumexp_rows

LOG_2PI = math.log(2.0 * math.pi)
COVARIANCE_TYPES = ("full", "diag", "spherical", "tied")


def to_full(covariances: np.ndarray, covariance_type: str, n_components: int, n_features: int) -> np.ndarray:
    """Covariances of any type as full matrices, shape (n_components, d, d)."""
    c = np.asarray(covariances, dtype=np.float64)
    eye = np.eye(n_features)
    if covariance_type == "full":
        return c.reshape(n_components, n_features, n_features).copy()
    if covariance_type == "diag":
        return c[:, :, None] * eye
    if covariance_type == "spherical":
        return c[:, None, None] * eye
    if covariance_type == "tied":
        return np.repeat(c[None], n_components, axis=0)
    raise GmmvizError(f"unknown covariance_type {covariance_type!r}; expected one of {', '.join(COVARIANCE_TYPES)}")


def precisions_cholesky(full: np.ndarray, what: str = "a class") -> np.ndarray:
    """Upper-triangular P_k with P_k P_k^T = Sigma_k^-1, shape (n_components, d, d).

    Raises
    ------
    GmmvizError
        If a covariance is not positive definite (naming ``what``).
    """
    lam = np.linalg.eigvalsh(full)  # ascending, per component
    # Below about d ulps of the largest eigenvalue, a matrix is singular to double precision.
    tiny = 10 * full.shape[-1] * np.finfo(np.float64).eps
    if not np.isfinite(lam).all() or (lam[..., 0] <= tiny * lam[..., -1]).any():
        raise GmmvizError(
            f"the covariance of {what} is singular (its points lie on a point or a line): "
            "set reg_covar > 0 (e.g. 1e-6) or add points"
        )
    chol = np.linalg.cholesky(full)
    eye = np.broadcast_to(np.eye(full.shape[-1]), full.shape)
    inv_lower = np.linalg.solve(chol, eye)  # L^-1, lower triangular
    prec = np.swapaxes(inv_lower, -1, -2)
    if not np.isfinite(prec).all():
        raise GmmvizError(f"the covariance of {what} is numerically singular: increase reg_covar")
    return prec


@dataclass(frozen=True, eq=False)
class ClassDensity:
    """p(x | y) of one class: a Gaussian mixture in scikit-learn's shapes.

    Attributes
    ----------
    weights : ndarray of shape (n_components,)
    means : ndarray of shape (n_components, n_features)
    covariances : ndarray
        (K, d, d) ``full``, (K, d) ``diag``, (K,) ``spherical``, (d, d) ``tied``.
    covariance_type : str
    precisions_cholesky : ndarray of shape (n_components, d, d)
        Derived; upper triangular.
    """

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    covariance_type: str
    precisions_cholesky: np.ndarray

    @classmethod
    def build(cls, weights, means, covariances, covariance_type: str, *, what: str = "a class") -> ClassDensity:
        """Validate shapes, compute the precision factors, freeze the arrays."""
        means = frozen_array(means)
        if means.ndim != 2:
            raise GmmvizError(f"means of {what} must have shape (n_components, n_features), got {means.shape}")
        k, d = means.shape
        weights = frozen_array(weights).reshape(-1)
        covs = frozen_array(covariances)
        if covariance_type not in COVARIANCE_TYPES:
            raise GmmvizError(f"unknown covariance_type {covariance_type!r}; expected one of {', '.join(COVARIANCE_TYPES)}")
        expected = covariance_shape(covariance_type, k, d)
        if weights.shape != (k,) or covs.shape != expected:
            raise GmmvizError(
                f"inconsistent parameters for {what}: weights {weights.shape}, means {means.shape}, "
                f"covariances {covs.shape} (expected {expected} for {covariance_type!r})"
            )
        prec = frozen_array(precisions_cholesky(to_full(covs, covariance_type, k, d), what))
        return cls(weights, means, covs, covariance_type, prec)

    @property
    def n_components(self) -> int:
        return int(self.weights.shape[0])

    @property
    def n_features(self) -> int:
        return int(self.means.shape[1])

    def full_covariances(self) -> np.ndarray:
        """Every component's covariance, shape (n_components, d, d)."""
        return to_full(self.covariances, self.covariance_type, self.n_components, self.n_features)

    def component_log_prob(self, X: np.ndarray) -> np.ndarray:
        """ln w_k + ln N(x_t | mu_k, Sigma_k), shape (n_points, n_components)."""
        n, d = X.shape
        out = np.empty((n, self.n_components))
        log_det = np.log(np.diagonal(self.precisions_cholesky, axis1=1, axis2=2)).sum(axis=1)
        with np.errstate(divide="ignore"):
            log_w = np.log(self.weights)
        # every component's whitened points in one product: columns k d ... k d + d - 1 are X P_k - mu_k P_k
        P = self.precisions_cholesky.transpose(1, 0, 2).reshape(d, -1)
        Y = X @ P
        Y -= np.einsum("kd,kde->ke", self.means, self.precisions_cholesky).reshape(-1)
        Y *= Y
        Y = Y.reshape(n, -1, d)
        out[:] = Y[:, :, 0]
        for j in range(1, d):  # the squares summed over features (a short axis: slice by slice)
            out += Y[:, :, j]
        out *= -0.5
        out += (log_w + log_det - 0.5 * d * LOG_2PI)[None, :]
        return out

    def log_prob(self, X: np.ndarray) -> np.ndarray:
        """ln p(x_t | y), shape (n_points,)."""
        return logsumexp(self.component_log_prob(X), axis=1)

    def to_dict(self) -> dict:
        """Plain lists in scikit-learn's shapes, for JSON."""
        return {"covariance_type": self.covariance_type, "weights": self.weights.tolist(),
                "means": self.means.tolist(), "covariances": self.covariances.tolist()}


@dataclass(frozen=True, eq=False)
class ClassModel:
    """A fitted generative classifier: one density and one log prior per class.

    Attributes
    ----------
    classes : tuple
        The class labels, in column order.
    densities : tuple of ClassDensity
    log_priors : ndarray of shape (n_classes,)
        ln P(y); -inf for a class given prior 0.
    kind : str
        ``"nb"``, ``"nb-diag"``, ``"lda"``, ``"qda"`` or ``"gmm"`` (for reports).
    messages : tuple of str
        What the fit had to adjust (components clamped, EM stopped at a collapse).
    """

    classes: tuple
    densities: tuple
    log_priors: np.ndarray
    kind: str = ""
    messages: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "log_priors", frozen_array(self.log_priors).reshape(-1))
        object.__setattr__(self, "densities", tuple(self.densities))
        object.__setattr__(self, "classes", tuple(self.classes))

    @property
    def n_classes(self) -> int:
        return len(self.densities)

    @property
    def n_features(self) -> int:
        return self.densities[0].n_features

    @property
    def priors(self) -> np.ndarray:
        return np.exp(self.log_priors)

    def with_priors(self, priors) -> ClassModel:
        """The same densities under other priors (the lab's prior sliders)."""
        p = resolve_priors(priors, self.classes, np.ones(self.n_classes))
        with np.errstate(divide="ignore"):
            return ClassModel(self.classes, self.densities, np.log(p), self.kind, self.messages)


@dataclass(frozen=True, eq=False)
class Evaluation:
    """Bayes' rule at a set of points, every term of it.

    Attributes
    ----------
    log_likelihood : ndarray of shape (n_points, n_classes)
        ln p(x | y).
    log_prior : ndarray of shape (n_classes,)
        ln P(y).
    log_evidence : ndarray of shape (n_points,)
        ln p(x) = ln sum_y p(x | y) P(y).
    log_posterior : ndarray of shape (n_points, n_classes)
        ln P(y | x).
    posterior : ndarray of shape (n_points, n_classes)
        P(y | x); rows sum to 1.
    """

    log_likelihood: np.ndarray
    log_prior: np.ndarray
    log_evidence: np.ndarray
    log_posterior: np.ndarray
    posterior: np.ndarray

    @property
    def log_joint(self) -> np.ndarray:
        """ln p(x | y) + ln P(y), shape (n_points, n_classes)."""
        return self.log_likelihood + self.log_prior[None, :]


PRIOR_SUM_TOL = 1e-6


def per_class(mapping: dict, classes, what: str) -> list:
    """The values of ``mapping`` {label: value} in ``classes`` order; it must name every class, no other."""
    classes = list(classes)
    unknown = [k for k in mapping if k not in classes]
    if unknown:
        raise GmmvizError(f"{what}: unknown class(es) {unknown!r}; the classes are {classes!r}")
    missing = [c for c in classes if c not in mapping]
    if missing:
        raise GmmvizError(f"{what}: no value for class(es) {missing!r}; give one for every class")
    return [mapping[c] for c in classes]


def resolve_priors(priors, classes, counts) -> np.ndarray:
    """Class priors P(y) as an array aligned with ``classes``.

    Parameters
    ----------
    priors : None, mapping {label: p} or array-like of shape (n_classes,)
        None: the empirical frequencies ``counts / counts.sum()``.  A mapping
        must name every class; values must be finite, >= 0 and sum to 1
        (within 1e-6).
    classes : sequence of labels
    counts : array-like of shape (n_classes,)

    Returns
    -------
    ndarray of shape (n_classes,)
    """
    classes = list(classes)
    if priors is None:
        counts = np.asarray(counts, dtype=np.float64)
        return counts / counts.sum()
    if isinstance(priors, dict):
        priors = per_class(priors, classes, "priors")
    try:
        p = np.asarray(priors, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise GmmvizError(f"priors must be numbers, got {priors!r:.80}") from None
    if p.shape != (len(classes),):
        raise GmmvizError(f"priors must have one value per class ({len(classes)}), got {p.shape[0]}")
    if not np.isfinite(p).all() or (p < 0).any():
        raise GmmvizError(f"priors must be finite and >= 0, got {p.tolist()}")
    if abs(p.sum() - 1.0) > PRIOR_SUM_TOL:
        raise GmmvizError(f"priors must sum to 1, they sum to {p.sum():.6g}")
    return p / p.sum()


def logsumexp(a: np.ndarray, axis: int) -> np.ndarray:
    """ln sum exp(a) along ``axis``, stable for any magnitude (-inf entries allowed)."""
    if a.ndim == 2 and axis in (1, -1):
        return logsumexp_rows(a)  # short rows reduced column by column
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(a - m), axis=axis))


def check_features(model: ClassModel, X) -> np.ndarray:
    """``X`` as finite float64 of shape (n_points, model.n_features)."""
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise GmmvizError(f"X must be numbers: {exc}") from None
    if X.ndim != 2 or X.shape[1] != model.n_features:
        raise GmmvizError(f"X must have shape (n_points, {model.n_features}), got {X.shape}")
    if not np.isfinite(X).all():
        raise GmmvizError("X has NaN or infinite values")
    return X


def class_log_likelihood(model: ClassModel, X: np.ndarray) -> np.ndarray:
    """ln p(x_t | y) for every point and class, shape (n_points, n_classes)."""
    X = check_features(model, X)
    return np.stack([d.log_prob(X) for d in model.densities], axis=1).reshape(X.shape[0], -1)


def posterior_from_joint(log_joint: np.ndarray, axis: int = -1):
    """(ln p(x), ln P(y | x), P(y | x)) from ln p(x, y) along ``axis``."""
    log_evidence = logsumexp(log_joint, axis=axis)
    log_post = log_joint - np.expand_dims(log_evidence, axis)
    return log_evidence, log_post, np.exp(log_post)


def evaluate(model: ClassModel, X) -> Evaluation:
    """Every term of Bayes' rule at the points ``X`` of shape (n_points, n_features)."""
    ll = class_log_likelihood(model, X)
    log_evidence, log_post, post = posterior_from_joint(ll + model.log_priors[None, :])
    return Evaluation(ll, model.log_priors, log_evidence, log_post, post)
