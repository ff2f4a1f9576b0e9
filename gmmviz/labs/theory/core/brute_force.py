"""The likelihood of a mixture as the slide writes it: a sum over all k^T assignment vectors z.

    p(X | theta) = sum_z prod_t pi_{z_t} N(x_t | mu_{z_t}, Sigma_{z_t}) = prod_t sum_k pi_k N(x_t | k):

the sum has k^T terms, the product of sums T k; both are evaluated here (in log space) for tiny data.
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy.special import logsumexp

from gmmviz.core.errors import GmmvizError
from gmmviz.core.gaussian import log_likelihood, weighted_log_prob
from gmmviz.core.validation import check_mixture, check_points

MAX_TERMS = 3**8


def assignment_count(k: int, T: int) -> int:
    """k^T: how many assignment vectors z the sum visits."""
    return int(k) ** int(T)


def brute_force_log_likelihood(X, params) -> float:
    """ln sum over every z in {1..k}^T of prod_t pi_{z_t} N(x_t | z_t) (nats), for k^T <= 3^8."""
    X, params = check_points(X), check_mixture(params)
    T, k = X.shape[0], params.n_components
    if assignment_count(k, T) > MAX_TERMS:
        raise GmmvizError(f"k^T = {k}^{T} = {assignment_count(k, T):,} assignment vectors: too many to sum "
                          f"(at most {MAX_TERMS:,}; use T <= 8 points and k <= 3)")
    wlp = weighted_log_prob(X, params)  # (T, k)
    z = np.array(list(itertools.product(range(k), repeat=T)), dtype=np.intp).reshape(-1, T)
    return float(logsumexp(wlp[np.arange(T), z].sum(axis=1)))


def factorised_log_likelihood(X, params) -> float:
    """sum_t ln sum_k pi_k N(x_t | k): the same number with T k terms."""
    return log_likelihood(X, params)
