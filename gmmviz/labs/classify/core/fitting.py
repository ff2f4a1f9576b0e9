"""Fitting the lab's classifiers: one Gaussian (or one mixture) per class, and the priors.

* Naive Bayes as on the slide (``"nb"``): x | y = i ~ N(mu_i, sigma_i^2 I),
  mu_i the class mean, sigma_i^2 the mean over coordinates of the class's
  maximum-likelihood variances (one sigma per class);
* the diagonal Naive Bayes (``"nb-diag"``): one variance per class and
  coordinate (scikit-learn's ``GaussianNB``);
* QDA (``"qda"``): one full maximum-likelihood covariance per class (divisor N_i);
* LDA (``"lda"``): one shared covariance, the pooled within-class scatter
  sum_i N_i Sigma_i / N;
* the GMM classifier (``"gmm"``): a Gaussian mixture of K_i components per class,
  fitted by EM (2-D data through the EM lab's fused core, any other dimension
  through :mod:`~gmmviz.labs.classify.core.em_nd`).

``reg_covar`` (>= 0, in the data's squared units, like scikit-learn's
``GaussianMixture``) is added to every variance, so a class of one point, or
of identical points, still has a proper density.  scikit-learn's
``GaussianNB(var_smoothing=v)`` corresponds to ``reg_covar = v * X.var(axis=0).max()``.
"""

from __future__ import annotations

import hashlib
import numbers
from dataclasses import dataclass

import numpy as np

from gmmviz.core.errors import GmmvizError
from gmmviz.core.mixture import GaussianParams
from gmmviz.core.validation import check_nonneg_float, check_spread
from gmmviz.labs.classify.core.em_nd import fit_mixture_nd
from gmmviz.labs.classify.core.model import (
    COVARIANCE_TYPES,
    ClassDensity,
    ClassModel,
    per_class,
    resolve_priors,
)

GAUSSIAN_KINDS = {"nb": "spherical", "nb-diag": "diag", "qda": "full", "lda": "tied"}
INITS = ("kmeans++", "random", "random-resp")


def encode_labels(y) -> tuple[tuple, np.ndarray, np.ndarray]:
    """(classes, index of each point's class, points per class) for labels ``y``."""
    classes, y_idx = np.unique(np.asarray(y), return_inverse=True)
    counts = np.bincount(y_idx, minlength=classes.shape[0])
    return tuple(classes.tolist()), y_idx.reshape(-1), counts


def _log(p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log(p)


def _check_data(X, y_idx, classes):
    X = np.asarray(X, dtype=np.float64)
    y_idx = np.asarray(y_idx)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[0] != y_idx.shape[0]:
        raise GmmvizError(f"X must have shape (n_points, n_features) with one label per point, got {X.shape} "
                          f"and {y_idx.shape[0]} labels")
    if not np.isfinite(X).all():
        raise GmmvizError("X has NaN or infinite values; remove or fix them")
    check_spread(X, what="the training points")
    counts = np.bincount(y_idx, minlength=len(classes))
    if len(classes) < 2:
        raise GmmvizError(f"only one class ({classes[0]!r}) in the training data: a classifier needs at least two")
    if (counts == 0).any():
        raise GmmvizError(f"class {classes[int(np.flatnonzero(counts == 0)[0])]!r} has no training points")
    return X, y_idx, counts


def gaussian_mle(Xc: np.ndarray, covariance_type: str) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-likelihood mean (d,) and covariance (d, d) of the points ``Xc`` (divisor n)."""
    mean = Xc.mean(axis=0)
    diff = Xc - mean
    return mean, diff.T @ diff / Xc.shape[0]


def fit_gaussian_classes(X, y_idx, classes, kind: str, *, reg_covar: float = 1e-6, priors=None) -> ClassModel:
    """Naive Bayes (``"nb"``, ``"nb-diag"``), QDA (``"qda"``) or LDA (``"lda"``).

    Parameters
    ----------
    X : array-like of shape (n_points, n_features)
    y_idx : array-like of int, shape (n_points,)
        Index into ``classes`` of each point's class; every class needs a point.
    classes : sequence of labels
    kind : {"nb", "nb-diag", "qda", "lda"}
    reg_covar : float
        Added to every variance, data units.
    priors : None, mapping or array-like
        See :func:`~gmmviz.labs.classify.core.model.resolve_priors`.

    Returns
    -------
    ClassModel
        One component per class; covariances in scikit-learn's shapes for
        ``spherical`` (1,), ``diag`` (1, d), ``full`` (1, d, d) and ``tied`` (d, d).
    """
    if kind not in GAUSSIAN_KINDS:
        raise GmmvizError(f"unknown model {kind!r}; expected one of {', '.join(GAUSSIAN_KINDS)}")
    reg = check_nonneg_float(reg_covar, "reg_covar")
    X, y_idx, counts = _check_data(X, y_idx, classes)
    p = resolve_priors(priors, classes, counts)
    d = X.shape[1]
    stats = [gaussian_mle(X[y_idx == i], "full") for i in range(len(classes))]
    ctype = GAUSSIAN_KINDS[kind]
    shared = sum(n * cov for n, (_, cov) in zip(counts, stats)) / counts.sum() + reg * np.eye(d)
    densities = []
    for name, (mean, cov) in zip(classes, stats):
        var = np.diag(cov) + reg
        covs = {"spherical": np.array([var.mean()]), "diag": var[None], "full": (cov + reg * np.eye(d))[None],
                "tied": shared}[ctype]
        densities.append(ClassDensity.build([1.0], mean[None], covs, ctype, what=f"class {name!r}"))
    return ClassModel(classes, densities, _log(p), kind)


@dataclass(frozen=True)
class MixtureInfo:
    """How the per-class EM runs went, per class (aligned with the classes)."""

    n_components: tuple[int, ...]
    n_iter: tuple[int, ...]
    converged: tuple[bool, ...]


def components_per_class(n_components, classes) -> list[int]:
    """K for every class from an int or a mapping {label: K} naming every class."""
    if isinstance(n_components, dict):
        ks = per_class(n_components, classes, "n_components")
    else:
        ks = [n_components] * len(classes)
    for k in ks:
        if isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 1:
            raise GmmvizError(f"n_components must be integers >= 1, got {k!r}")
    return [int(k) for k in ks]


def _distinct_points(Xc: np.ndarray, at_least: int) -> int:
    """Number of distinct rows of ``Xc`` (counting stops mattering past ``at_least``)."""
    if Xc.shape[0] <= at_least:
        return int(np.unique(Xc, axis=0).shape[0])
    head = np.unique(Xc[: 64 * at_least], axis=0).shape[0]  # a cheap sufficient test first
    return int(head if head >= at_least else np.unique(Xc, axis=0).shape[0])


def _as_density(start, ctype: str, what: str) -> ClassDensity:
    if isinstance(start, ClassDensity):
        return start
    if isinstance(start, GaussianParams):
        return ClassDensity.build(start.weights, start.means, start.covariances, start.covariance_type, what=what)
    if isinstance(start, dict):
        try:
            return ClassDensity.build(start["weights"], start["means"], start["covariances"], ctype, what=what)
        except KeyError as exc:
            raise GmmvizError(f"initial parameters of {what} lack {exc.args[0]!r}") from None
    raise GmmvizError(f"initial parameters of {what} must be a dict with weights, means, covariances, got {start!r:.60}")


def fit_mixture_classes(X, y_idx, classes, *, n_components=2, covariance_type: str = "full",
                        reg_covar: float = 1e-6, tol: float = 1e-3, max_iter: int = 100, n_init: int = 1,
                        init: str = "kmeans++", init_params=None, random_state=0,
                        priors=None, cache: dict | None = None) -> tuple[ClassModel, MixtureInfo]:
    """One Gaussian mixture of K_y components per class (the GMM classifier).

    Parameters
    ----------
    X, y_idx, classes, reg_covar, priors
        As for :func:`fit_gaussian_classes`.
    n_components : int or mapping {label: int}
        K per class; clamped to the number of distinct points of the class
        (the clamp is reported in ``ClassModel.messages``).
    covariance_type : {"full", "diag", "spherical", "tied"}
        Of each class's mixture (``tied``: shared by the components of a class).
    tol, max_iter, n_init, init, random_state
        The EM options (scikit-learn's meaning; ``init`` one of ``kmeans++``,
        ``random``, ``random-resp``); every class uses the same seed.
    init_params : mapping {label: dict or GaussianParams}, optional
        Start each class's EM from these weights, means and covariances
        (deterministic; ``init`` and ``n_init`` are then ignored).
    cache : dict, optional
        Fits of single classes by everything they depend on (the class's name
        and points, K and the EM options, an integer ``random_state``): a
        class found there is not fitted again (after a point edit, only the
        class the point went to is).  Afterwards it holds exactly this
        model's fits (a class edited away, or fitted from ``init_params``, leaves none).

    Returns
    -------
    (ClassModel, MixtureInfo)
    """
    if covariance_type not in COVARIANCE_TYPES:
        raise GmmvizError(f"unknown covariance_type {covariance_type!r}; expected one of {', '.join(COVARIANCE_TYPES)}")
    if init not in INITS:
        raise GmmvizError(f"unknown init {init!r}; expected one of {', '.join(INITS)}")
    reg, tol = check_nonneg_float(reg_covar, "reg_covar"), check_nonneg_float(tol, "tol")
    X, y_idx, counts = _check_data(X, y_idx, classes)
    p = resolve_priors(priors, classes, counts)
    ks = components_per_class(n_components, classes)
    starts = [None] * len(classes)
    if init_params is not None:
        starts = [_as_density(s, covariance_type, f"class {c!r}")
                  for c, s in zip(classes, [init_params.get(c) if isinstance(init_params, dict) else None
                                            for c in classes])]
    densities, messages, used, iters, converged = [], [], [], [], []
    options = dict(covariance_type=covariance_type, reg=reg, tol=tol, max_iter=max_iter, n_init=n_init, init=init,
                   random_state=random_state)
    kept = {}  # this model's fits, the cache's contents afterwards
    for i, (name, k, start) in enumerate(zip(classes, ks, starts)):
        Xc = X[y_idx == i]
        key = _class_key(name, Xc, k, options) if cache is not None and start is None else None
        fit = cache.get(key) if key is not None else None
        if fit is None:
            fit = _fit_class(Xc, k, start, f"class {name!r}", **options)
        if key is not None:
            kept[key] = fit
        density, k, n_it, conv, notes = fit
        densities.append(density)
        messages += notes
        used.append(k)
        iters.append(n_it)
        converged.append(conv)
    if cache is not None:
        cache.clear()
        cache.update(kept)
    model = ClassModel(classes, densities, _log(p), "gmm", tuple(messages))
    return model, MixtureInfo(tuple(used), tuple(iters), tuple(converged))


def _class_key(name, Xc: np.ndarray, k: int, options: dict):
    """What one class's fit depends on, or None (a random ``random_state``: nothing to reuse)."""
    rs = options["random_state"]
    if not isinstance(rs, numbers.Integral):
        return None
    digest = hashlib.blake2b(np.ascontiguousarray(Xc).tobytes(), digest_size=16).digest()
    return (name, Xc.shape, digest, k, *sorted(options.items()))


def _fit_class(Xc, k, start, what, *, covariance_type, reg, tol, max_iter, n_init, init, random_state) -> tuple:
    """One class's mixture: (density, K used, iterations, converged, messages)."""
    from gmmviz.labs.em.core.steps import run_em
    from gmmviz.labs.em.core.types import FitConfig

    messages = []
    if start is not None:
        k = start.n_components
    distinct = _distinct_points(Xc, k)
    if k > distinct:
        if start is not None:
            raise GmmvizError(f"{what} has {distinct} distinct point(s), fewer than its {k} initial components")
        messages.append(f"{what} has only {distinct} distinct point(s): it gets {distinct} component(s) instead of {k}")
        k = distinct
    d = Xc.shape[1]
    if k == 1 and start is None:
        mean, cov = gaussian_mle(Xc, "full")
        full = cov + reg * np.eye(d)
        covs = {"full": full[None], "tied": full, "diag": np.diag(full)[None],
                "spherical": np.array([np.trace(full) / d])}[covariance_type]
        density, n_it, conv = ClassDensity.build([1.0], mean[None], covs, covariance_type, what=what), 1, True
    elif d == 2:
        given = {"init": init} if start is None else {"init": "given", "init_params": GaussianParams(
            start.weights, start.means, start.covariances, start.covariance_type)}
        config = FitConfig(n_components=k, covariance_type=covariance_type, reg_covar=reg,
                           max_iter=max_iter, tol=tol, random_state=random_state, **given)
        last = run_em(Xc, config, n_init=n_init)[-1]
        prm = last.params
        density = ClassDensity.build(prm.weights, prm.means, prm.covariances, prm.covariance_type, what=what)
        n_it = int(last.iteration) - (1 if last.collapse is not None and last.phase == "E" else 0)
        conv = bool(last.converged)
        if last.collapse is not None:
            messages.append(f"{what}: {last.collapse.message}")
    else:
        fit = fit_mixture_nd(Xc, k, covariance_type, reg_covar=reg, tol=tol, max_iter=max_iter, init=init,
                             n_init=n_init, random_state=random_state, start=start, what=what)
        density, n_it, conv = fit.density, fit.n_iter, fit.converged
        if fit.message:
            messages.append(fit.message)
    return density, k, n_it, conv, tuple(messages)


#: The lab's models, by the names of the model chooser and ``gmmviz classify --model``.
MODELS = ("nb", "nb-diag", "lda", "qda", "gmm")


def fit_classifier(kind: str, X, y_idx, classes, *, priors=None, reg_covar: float = 1e-6, n_components=2,
                   covariance_type: str = "full", random_state=0, **em_options) -> ClassModel:
    """Fit the model ``kind`` (one of :data:`MODELS`); the mixture options apply to ``"gmm"`` only.

    ``em_options`` are :func:`fit_mixture_classes`' ``tol``, ``max_iter``, ``n_init``, ``init``.
    """
    if kind == "gmm":
        return fit_mixture_classes(X, y_idx, classes, n_components=n_components, covariance_type=covariance_type,
                                   reg_covar=reg_covar, random_state=random_state, priors=priors, **em_options)[0]
    if kind not in MODELS:
        raise GmmvizError(f"unknown model {kind!r}; expected one of {', '.join(MODELS)}")
    return fit_gaussian_classes(X, y_idx, classes, kind, reg_covar=reg_covar, priors=priors)


def model_from_params(classes, params, priors) -> ClassModel:
    """The Bayes-optimal classifier of a known generator (the lab's truth overlay).

    Parameters
    ----------
    classes : sequence of labels
    params : sequence of GaussianParams, ClassDensity or dict(weights, means, covariances, covariance_type)
        Each class's true mixture, aligned with ``classes``.
    priors : array-like or mapping
        The true class probabilities.

    Returns
    -------
    ClassModel
        ``kind="truth"``.
    """
    classes = tuple(classes)
    if len(params) != len(classes):
        raise GmmvizError(f"{len(params)} mixtures for {len(classes)} classes")
    densities = [_as_density(p, p.get("covariance_type", "full") if isinstance(p, dict) else "full",
                             f"class {c!r}") for c, p in zip(classes, params)]
    return ClassModel(classes, densities, _log(resolve_priors(priors, classes, np.ones(len(classes)))), "truth")
