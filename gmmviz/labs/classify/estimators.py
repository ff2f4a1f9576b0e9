"""Generative classifiers as scikit-learn estimators: ``NaiveBayes``, ``LDA``, ``QDA``, ``GMMClassifier``.

Each models the complete data: a density p(x | y) per class and the prior
P(y), and predicts by Bayes' rule, P(y | x) = p(x | y) P(y) / p(x), in log
space (logsumexp), so even a point far from every class gets finite
probabilities that sum to 1.  All take any number of features and any
labels (strings, integers), and follow scikit-learn's API (``fit``,
``predict``, ``predict_proba``, ``predict_log_proba``, ``score``;
``clone``, pipelines, grid search, ``check_estimator``).

``reg_covar`` (default 1e-6, >= 0) is added to every variance, in the data's
squared units, as in scikit-learn's ``GaussianMixture``: it keeps a class of
one point, or of identical points, a proper density with finite
probabilities.  Make it larger for data on a small scale (it is absolute).

``priors`` (default: the class frequencies N_y / N) may be given as an array
in ``classes_`` order or a dict {label: P(y)} naming every class.

The maths is in :mod:`gmmviz.labs.classify.core` (no scikit-learn); this
module only adds scikit-learn's base classes and input validation, which is
why it lives outside ``core/``.  The fitted :class:`~gmmviz.labs.classify.core.model.ClassModel`
is ``model_`` (what :func:`~gmmviz.labs.classify.core.grid.posterior_map` draws).
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from gmmviz.labs.classify.core.fitting import fit_gaussian_classes, fit_mixture_classes
from gmmviz.labs.classify.core.model import class_log_likelihood, evaluate

__all__ = ["LDA", "QDA", "ComponentsClampedWarning", "GMMClassifier", "NaiveBayes"]


class ComponentsClampedWarning(UserWarning):
    """A class had fewer distinct points than components asked for (or EM stopped at a collapse)."""


class _GenerativeClassifier(ClassifierMixin, BaseEstimator):
    """Bayes' rule over a fitted ``model_`` (subclasses implement ``_fit_model``)."""

    def fit(self, X, y):
        """Fit p(x | y) per class and P(y) to ``X`` (n_samples, n_features), labels ``y``; returns self."""
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        classes, y_idx = np.unique(y, return_inverse=True)
        if classes.shape[0] < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least two classes, y has one class only ({classes[0]!r})"
            )
        self.classes_ = classes
        self.class_count_ = np.bincount(y_idx, minlength=classes.shape[0]).astype(np.float64)
        self.model_ = self._fit_model(X, y_idx.reshape(-1), tuple(classes.tolist()))
        self.class_prior_ = self.model_.priors
        self.messages_ = self.model_.messages
        for message in self.messages_:
            warnings.warn(message, ComponentsClampedWarning, stacklevel=2)
        return self

    def _validated(self, X) -> np.ndarray:
        check_is_fitted(self)
        return validate_data(self, X, dtype=np.float64, reset=False)

    def evaluate(self, X):
        """Every term of Bayes' rule at ``X``: an :class:`~gmmviz.labs.classify.core.model.Evaluation`
        (ln p(x | y), ln P(y), ln p(x), ln P(y | x), P(y | x))."""
        X = self._validated(X)
        return evaluate(self.model_, X)

    def predict_joint_log_proba(self, X) -> np.ndarray:
        """ln p(x, y) = ln p(x | y) + ln P(y), shape (n_samples, n_classes)."""
        return self.evaluate(X).log_joint

    def class_log_likelihood(self, X) -> np.ndarray:
        """ln p(x | y) for every class, shape (n_samples, n_classes)."""
        X = self._validated(X)
        return class_log_likelihood(self.model_, X)

    def predict_log_proba(self, X) -> np.ndarray:
        """ln P(y | x), shape (n_samples, n_classes), columns in ``classes_`` order."""
        return self.evaluate(X).log_posterior

    def predict_proba(self, X) -> np.ndarray:
        """P(y | x), shape (n_samples, n_classes); every row is finite and sums to 1."""
        return self.evaluate(X).posterior

    def predict(self, X) -> np.ndarray:
        """The most probable class of every sample, shape (n_samples,)."""
        log_post = self.evaluate(X).log_posterior
        return self.classes_[np.argmax(log_post, axis=1)]

    def _priors(self):
        """``priors`` with dict keys matched to the labels' Python values."""
        if isinstance(self.priors, dict):
            return {(k.item() if hasattr(k, "item") else k): v for k, v in self.priors.items()}
        return self.priors


class NaiveBayes(_GenerativeClassifier):
    """Gaussian Naive Bayes: the features are independent given the class.

    With ``covariance_type="spherical"`` (the default, as on the slide),
    x | y = i ~ N(mu_i, sigma_i^2 I): mu_i the class mean and sigma_i^2 the
    class's pooled per-coordinate maximum-likelihood variance (the mean over
    coordinates of (1/N_i) sum (x_tj - mu_ij)^2).  With ``"diag"``, one
    variance per class and coordinate (scikit-learn's ``GaussianNB``; its
    ``var_smoothing=v`` is ``reg_covar = v * X.var(axis=0).max()`` here).

    Parameters
    ----------
    covariance_type : {"spherical", "diag"}
    priors : array-like of shape (n_classes,), dict or None
    reg_covar : float, default 1e-6
        Added to every variance, data units.

    Attributes
    ----------
    classes_, class_count_, class_prior_ : ndarray
    means_ : ndarray of shape (n_classes, n_features)
    variances_ : ndarray of shape (n_classes,) spherical, (n_classes, n_features) diag
    model_ : ClassModel
    """

    def __init__(self, covariance_type: str = "spherical", *, priors=None, reg_covar: float = 1e-6):
        self.covariance_type = covariance_type
        self.priors = priors
        self.reg_covar = reg_covar

    def _fit_model(self, X, y_idx, classes):
        kinds = {"spherical": "nb", "diag": "nb-diag"}
        if self.covariance_type not in kinds:
            raise ValueError(f"covariance_type must be 'spherical' or 'diag', got {self.covariance_type!r}")
        model = fit_gaussian_classes(X, y_idx, classes, kinds[self.covariance_type],
                                     reg_covar=self.reg_covar, priors=self._priors())
        self.means_ = np.array([d.means[0] for d in model.densities])
        self.variances_ = np.array([d.covariances[0] for d in model.densities])
        return model


class QDA(_GenerativeClassifier):
    """One full Gaussian per class (quadratic discriminant analysis), maximum likelihood.

    Covariances use the divisor N_i (scikit-learn's ``QuadraticDiscriminantAnalysis``
    uses N_i - 1) plus ``reg_covar`` on the diagonal.

    Attributes
    ----------
    means_ : ndarray of shape (n_classes, n_features)
    covariances_ : ndarray of shape (n_classes, n_features, n_features)
    """

    def __init__(self, *, priors=None, reg_covar: float = 1e-6):
        self.priors = priors
        self.reg_covar = reg_covar

    def _fit_model(self, X, y_idx, classes):
        model = fit_gaussian_classes(X, y_idx, classes, "qda", reg_covar=self.reg_covar, priors=self._priors())
        self.means_ = np.array([d.means[0] for d in model.densities])
        self.covariances_ = np.array([d.covariances[0] for d in model.densities])
        return model


class LDA(_GenerativeClassifier):
    """One Gaussian per class with one shared covariance (linear discriminant analysis).

    The shared covariance is the pooled within-class scatter sum_i N_i Sigma_i / N
    (maximum likelihood) plus ``reg_covar`` on the diagonal; with the default
    priors it equals scikit-learn's ``LinearDiscriminantAnalysis(solver="lsqr")``.

    Attributes
    ----------
    means_ : ndarray of shape (n_classes, n_features)
    covariance_ : ndarray of shape (n_features, n_features)
    """

    def __init__(self, *, priors=None, reg_covar: float = 1e-6):
        self.priors = priors
        self.reg_covar = reg_covar

    def _fit_model(self, X, y_idx, classes):
        model = fit_gaussian_classes(X, y_idx, classes, "lda", reg_covar=self.reg_covar, priors=self._priors())
        self.means_ = np.array([d.means[0] for d in model.densities])
        self.covariance_ = np.array(model.densities[0].covariances)
        return model


class GMMClassifier(_GenerativeClassifier):
    """One Gaussian mixture per class, fitted by EM, and Bayes' rule with the class priors.

    Parameters
    ----------
    n_components : int or dict {label: int}, default 2
        K per class (may differ per class).  A class with fewer distinct
        points gets that many components, with a ``ComponentsClampedWarning``
        and a line in ``messages_``.
    covariance_type : {"full", "diag", "spherical", "tied"}, default "full"
        Of each class's mixture (``tied``: shared within a class).
    priors : array-like of shape (n_classes,), dict or None
        None: the class frequencies.
    reg_covar : float, default 1e-6
    tol : float, default 1e-3
        EM stops when ln p per point changes by less.
    max_iter : int, default 100
    n_init : int, default 1
    init : {"kmeans++", "random", "random-resp"}, default "kmeans++"
    init_params : dict {label: dict(weights, means, covariances)}, optional
        Start every class's EM from these (deterministic).
    random_state : int or None, default 0
        Seeds the initialisation (the same for every class); deterministic by default.

    Attributes
    ----------
    weights_, means_, covariances_ : list of ndarray, one per class
        scikit-learn's ``GaussianMixture`` shapes.
    n_components_ : ndarray of int
        K used per class (after clamping).
    n_iter_ : int
        The most EM iterations any class needed.
    converged_ : ndarray of bool
    messages_ : tuple of str
    """

    def __init__(self, n_components=2, *, covariance_type: str = "full", priors=None, reg_covar: float = 1e-6,
                 tol: float = 1e-3, max_iter: int = 100, n_init: int = 1, init: str = "kmeans++",
                 init_params=None, random_state=0):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.priors = priors
        self.reg_covar = reg_covar
        self.tol = tol
        self.max_iter = max_iter
        self.n_init = n_init
        self.init = init
        self.init_params = init_params
        self.random_state = random_state

    def _fit_model(self, X, y_idx, classes):
        seed = self.random_state
        if not (seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed >= 0)):
            raise ValueError(f"random_state must be an integer >= 0 or None, got {seed!r}")
        for name, value, low in (("max_iter", self.max_iter, 0), ("n_init", self.n_init, 1)):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
                raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
        n_components = self.n_components
        if isinstance(n_components, dict):
            n_components = {(k.item() if hasattr(k, "item") else k): v for k, v in n_components.items()}
        model, info = fit_mixture_classes(
            X, y_idx, classes, n_components=n_components, covariance_type=self.covariance_type,
            reg_covar=self.reg_covar, tol=self.tol, max_iter=int(self.max_iter), n_init=int(self.n_init),
            init=self.init, init_params=self.init_params, random_state=None if seed is None else int(seed),
            priors=self._priors(),
        )
        self.weights_ = [np.array(d.weights) for d in model.densities]
        self.means_ = [np.array(d.means) for d in model.densities]
        self.covariances_ = [np.array(d.covariances) for d in model.densities]
        self.n_components_ = np.array(info.n_components)
        self.n_iter_ = max(1, max(info.n_iter))
        self.converged_ = np.array(info.converged)
        return model


def make_estimator(kind: str, *, priors=None, reg_covar: float = 1e-6, n_components=2,
                   covariance_type: str = "full", random_state=0):
    """The estimator for a model name of the lab (``nb``, ``nb-diag``, ``lda``, ``qda``, ``gmm``)."""
    common = {"priors": priors, "reg_covar": reg_covar}
    if kind == "gmm":
        return GMMClassifier(n_components, covariance_type=covariance_type, random_state=random_state, **common)
    makers = {"nb": lambda: NaiveBayes("spherical", **common), "nb-diag": lambda: NaiveBayes("diag", **common),
              "lda": lambda: LDA(**common), "qda": lambda: QDA(**common)}
    if kind not in makers:
        raise ValueError(f"unknown model {kind!r}; expected one of nb, nb-diag, lda, qda, gmm")
    return makers[kind]()
