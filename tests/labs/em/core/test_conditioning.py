"""The kernel's log-densities against an exact rational oracle, for nearly singular covariances.

The oracle evaluates ln pi N(x | mu, Sigma) of the very float64 inputs with
exact rational arithmetic (fractions), so its only error is the final
rounding.  The fused pass must agree to ~1e-12 relative for covariance
condition numbers up to 1e12 (issue 11, item 10); the expanded quadratic
form it used before lost about cond * eps (1e-2 nats at 1e12).
"""

from fractions import Fraction

import math

import numpy as np
import pytest

from gmmviz.labs.em.core.fused import Workspace, fused_pass
from gmmviz.core.covariance import det_accurate
from gmmviz.labs.em.core.whitening import components

from core.helpers import exact_log_density

def collinear(n, cond, seed, offset=5.0):
    rng = np.random.default_rng(seed)
    t = rng.normal(size=n) * 3
    return np.c_[t, 0.7 * t + rng.normal(size=n) * 3 / np.sqrt(cond)] + offset


def oracle_matrix(Xs, w, mu, cov):
    return np.array([[exact_log_density(x, y, w[k], mu[k], cov[k]) for k in range(len(w))] for x, y in Xs])


@pytest.mark.parametrize("cond", [1.0, 1e4, 1e8, 1e10, 1e12])
@pytest.mark.parametrize("sort", [False, True])
def test_log_likelihood_matches_exact_oracle_for_ill_conditioned_covariances(cond, sort):
    n, k = 400, 4
    X = collinear(n, cond, seed=int(np.log10(cond)))
    ws = Workspace.build(np.vstack([X] * (90 if sort else 1)), sort=sort)  # sorting needs many points
    Xs = ws.Xs[:n]
    rng = np.random.default_rng(7)
    mu = Xs[rng.choice(n, k, replace=False)]
    cov = np.repeat(np.cov(Xs.T)[None], k, axis=0)  # tied, as EM gives on such data
    assert np.linalg.cond(cov[0]) > 0.3 * cond
    w = np.full(k, 1 / k)
    exact = oracle_matrix(Xs, w, mu, cov)
    per_point = np.logaddexp.reduce(exact, axis=1)
    result = fused_pass(ws, components(w, mu, cov), want_resp=True)
    copies = ws.n_points // n
    # ~3e-11 nats per point at 1e12 (the rounding of the slope b / a times
    # sqrt(cond)), the same sign for copies of one point: 3e-12 relative.
    rel = 1e-12 if cond <= 1e10 else 5e-12
    assert result.log_likelihood == pytest.approx(copies * per_point.sum(), rel=rel)
    # responsibilities: softmax of the exact log-densities
    resp_exact = np.exp(exact - per_point[:, None])
    np.testing.assert_allclose(result.resp[:n], resp_exact, atol=1e-9 if cond > 1e9 else 1e-12)


@pytest.mark.parametrize("cond", [1e6, 1e12, 1e15])
def test_determinant_is_accurate_when_the_terms_cancel(cond):
    rng = np.random.default_rng(int(np.log10(cond)))
    for _ in range(50):
        a, c = rng.uniform(0.5, 2.0, 2)
        b = math.sqrt(a * c) * (1 - rng.uniform(0.5, 2.0) / cond)
        exact = Fraction(a) * Fraction(c) - Fraction(b) ** 2
        assert det_accurate(a, b, c) == pytest.approx(float(exact), rel=4e-16)


def test_determinant_is_accurate_without_cancellation_too():
    """The shortcut for b^2 <= a c / 2 (plain products): within 4 ulps of the exact value."""
    rng = np.random.default_rng(11)
    for _ in range(500):
        a, c = 10.0 ** rng.uniform(-100, 100, 2)
        b = math.sqrt(a * c) * rng.uniform(-0.7, 0.7)
        exact = Fraction(a) * Fraction(c) - Fraction(b) ** 2
        assert det_accurate(a, b, c) == pytest.approx(float(exact), rel=4.5e-16)
