"""Densities, E- and M-steps against scipy/numpy oracles; closed forms; sampling."""

import numpy as np
import pytest
from scipy.special import logsumexp
from scipy.stats import multivariate_normal

from gmmviz.labs.em.core import FitConfig, e_step, em_steps, m_step
from gmmviz.core.mixture import GaussianParams, sample
from gmmviz.core.gaussian import component_log_prob, log_likelihood, score_samples
from gmmviz.core.covariance import precisions_cholesky, to_full
from gmmviz.labs.em.core.fused import Workspace, coefficients, fused_pass, quadratic_features
from gmmviz.labs.em.core.whitening import components

from core.helpers import blobs, random_params

TYPES = ["full", "diag", "spherical", "tied"]


def scipy_weighted_log_prob(X, params):
    full = params.full_covariances()
    return np.column_stack([
        np.log(w) + multivariate_normal(mean=m, cov=c).logpdf(X)
        for w, m, c in zip(params.weights, params.means, full)
    ])


@pytest.mark.parametrize("covariance_type", TYPES)
@pytest.mark.parametrize("offset", [0.0, 1e5])
def test_component_log_densities_match_scipy(covariance_type, offset):
    X = blobs(200, 3, 3) + offset
    p = random_params(3, covariance_type, 4, X)
    ours = component_log_prob(X, p.means, p.full_covariances())
    theirs = scipy_weighted_log_prob(X, p) - np.log(p.weights)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-9)


@pytest.mark.parametrize("covariance_type", TYPES)
def test_e_step_matches_scipy_posterior(covariance_type):
    X = blobs(300, 4, 5)
    p = random_params(4, covariance_type, 6, X)
    wlp = scipy_weighted_log_prob(X, p)
    expected_resp = np.exp(wlp - logsumexp(wlp, axis=1, keepdims=True))
    got = e_step(X, p)
    np.testing.assert_allclose(got.resp, expected_resp, atol=1e-12)
    assert got.log_likelihood == pytest.approx(logsumexp(wlp, axis=1).sum(), rel=1e-12)
    H = -np.sum(expected_resp * np.log(np.where(expected_resp > 0, expected_resp, 1.0)))
    assert got.entropy == pytest.approx(H, rel=1e-9, abs=1e-9)
    Q = np.sum(expected_resp * wlp)
    assert got.q == pytest.approx(Q, rel=1e-10)
    np.testing.assert_allclose(score_samples(X, p), logsumexp(wlp, axis=1), rtol=1e-12)


@pytest.mark.parametrize("covariance_type", TYPES)
def test_m_step_matches_weighted_covariances(covariance_type):
    rng = np.random.default_rng(0)
    X = blobs(150, 3, 9)
    resp = rng.dirichlet(np.ones(3), size=150)
    reg = 1e-3
    p = m_step(X, resp, covariance_type, reg)
    nk = resp.sum(axis=0)
    np.testing.assert_allclose(p.weights, nk / nk.sum(), rtol=1e-12)
    means = resp.T @ X / nk[:, None]
    np.testing.assert_allclose(p.means, means, rtol=1e-12)
    covs = np.stack([np.cov(X.T, aweights=resp[:, k], bias=True) for k in range(3)])
    if covariance_type == "full":
        expected = covs + reg * np.eye(2)
    elif covariance_type == "diag":
        expected = np.diagonal(covs, axis1=1, axis2=2) + reg
    elif covariance_type == "spherical":
        expected = np.diagonal(covs, axis1=1, axis2=2).mean(axis=1) + reg
    else:
        expected = np.tensordot(nk, covs, axes=1) / nk.sum() + reg * np.eye(2)
    np.testing.assert_allclose(p.covariances, expected, rtol=1e-10)


def test_single_gaussian_log_likelihood_is_the_closed_form():
    X = blobs(500, 1, 12) * 3 + 40
    snaps = list(em_steps(X, FitConfig(n_components=1, reg_covar=0.0, tol=0.0, max_iter=2)))
    final = snaps[-1]
    S = np.cov(X.T, bias=True)
    closed = -X.shape[0] * (np.log(2 * np.pi) + 0.5 * np.log(np.linalg.det(S)) + 1.0)
    assert final.log_likelihood == pytest.approx(closed, rel=1e-12)
    np.testing.assert_allclose(final.params.covariances[0], S, rtol=1e-10)
    np.testing.assert_allclose(final.params.means[0], X.mean(axis=0), rtol=1e-12)


def test_held_out_log_likelihood():
    X = blobs(400, 2, 13)
    p = random_params(2, "full", 14, X)
    test = blobs(100, 2, 15)
    expected = logsumexp(scipy_weighted_log_prob(test, p), axis=1).sum()
    assert log_likelihood(test, p) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("covariance_type", TYPES)
def test_precisions_cholesky_matches_inverse(covariance_type):
    X = blobs(100, 3, 16)
    p = random_params(3, covariance_type, 17, X)
    pc = precisions_cholesky(p.covariances, covariance_type)
    full = to_full(p.covariances, covariance_type, 3)
    if covariance_type in ("full", "tied"):
        U = pc.reshape(-1, 2, 2)
        prec = np.einsum("kij,klj->kil", U, U)
        np.testing.assert_allclose(prec, np.linalg.inv(full)[: U.shape[0]], rtol=1e-10)
    else:
        np.testing.assert_allclose(pc, 1 / np.sqrt(p.covariances), rtol=1e-14)


def test_pruned_blocked_pass_equals_dense_pass():
    """Sorting and pruning large data changes nothing beyond rounding."""
    X = blobs(70000, 8, 21)
    p = random_params(8, "full", 22, X)
    dense = Workspace.build(X, sort=False)
    pruned = Workspace.build(X, sort=True)
    assert pruned.order is not None
    results = []
    for ws in (dense, pruned):
        ps = ws.std.params_to_std(p)
        results.append(fused_pass(ws, components(ps.weights, ps.means, ps.full_covariances()), want_resp=True))
    a, b = results
    assert b.log_likelihood == pytest.approx(a.log_likelihood, rel=1e-13)
    assert b.entropy == pytest.approx(a.entropy, rel=1e-9)
    np.testing.assert_allclose(b.stats, a.stats, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(b.resp, a.resp, atol=1e-15)


def test_coefficients_are_log_densities_and_nan_for_a_singular_covariance():
    X = blobs(50, 3, 30)
    p = random_params(3, "full", 31, X)
    coef = coefficients(p.weights, p.means, p.full_covariances())
    np.testing.assert_allclose(coef @ quadratic_features(X), scipy_weighted_log_prob(X, p).T, rtol=1e-12)
    singular = p.full_covariances().copy()
    singular[1] = [[1.0, 1.0], [1.0, 1.0]]
    bad = coefficients(p.weights, p.means, singular)
    assert np.isnan(bad[1]).all() and np.isfinite(np.delete(bad, 1, axis=0)).all()


@pytest.mark.parametrize("sigma", [0.1, 0.05, 0.01])
def test_pass_stays_finite_for_narrow_components_over_spread_data(sigma):
    """Far points in a pruned block used to underflow a product of terms to
    0 (log-likelihood -inf, reported as a collapse); the sum must equal a
    direct logsumexp however far the points are from every component."""
    X = np.random.default_rng(3).uniform(-1, 1, (100_000, 2))
    ws = Workspace.build(X)
    assert ws.order is not None
    centres = ws.std.transform(np.array([[-0.5, -0.5], [0.5, 0.5], [0.5, -0.5]]))
    cov = np.repeat(np.eye(2)[None] * (sigma / ws.std.scale) ** 2, 3, axis=0)
    coef = coefficients(np.full(3, 1 / 3), centres, cov)
    result = fused_pass(ws, components(np.full(3, 1 / 3), centres, cov))
    direct = logsumexp(coef @ quadratic_features(ws.Xs), axis=0).sum()
    assert np.isfinite(result.log_likelihood)
    assert result.log_likelihood == pytest.approx(direct, rel=1e-12)


def test_ancestral_sampling_reproduces_the_mixture():
    true = GaussianParams(
        [0.2, 0.5, 0.3],
        [[0.0, 0.0], [5.0, 1.0], [-3.0, 4.0]],
        [[[1.0, 0.6], [0.6, 2.0]], [[0.5, -0.2], [-0.2, 0.3]], [[2.0, 0.0], [0.0, 0.1]]],
    )
    n = 200_000
    X, z = sample(true, n, random_state=1)
    counts = np.bincount(z, minlength=3)
    se_w = np.sqrt(true.weights * (1 - true.weights) / n)
    assert np.all(np.abs(counts / n - true.weights) < 5 * se_w)
    for k in range(3):
        Xk = X[z == k]
        cov = true.covariances[k]
        se_mean = np.sqrt(np.diag(cov) / len(Xk))
        assert np.all(np.abs(Xk.mean(axis=0) - true.means[k]) < 5 * se_mean)
        emp = np.cov(Xk.T)
        se_cov = np.sqrt((cov**2 + np.outer(np.diag(cov), np.diag(cov))) / len(Xk))
        assert np.all(np.abs(emp - cov) < 5 * se_cov)
    again, z2 = sample(true, 1000, random_state=1)
    np.testing.assert_array_equal(again, sample(true, 1000, random_state=1)[0])


@pytest.mark.parametrize("k", [1, 3, 7, 40])
def test_row_reductions_equal_numpy_and_scipy_with_inf_and_nan_rows(k):
    from gmmviz.core.gaussian import logsumexp_rows, normalise_rows, row_max, row_sum

    rng = np.random.default_rng(k)
    a = rng.normal(scale=300.0, size=(200, k)) + rng.normal(scale=1e4, size=(200, 1))
    a[3] = -np.inf  # a point beyond float64's reach
    a[5, 0] = np.nan
    a[7, -1] = np.inf
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(row_max(a), np.max(a, axis=1))
        b = rng.uniform(size=(200, k))
        np.testing.assert_allclose(row_sum(b), np.sum(b, axis=1), rtol=1e-13)
        want = logsumexp(a, axis=1)
    got = logsumexp_rows(a)
    np.testing.assert_allclose(got, want, rtol=1e-13)
    resp, lse = normalise_rows(a)
    np.testing.assert_array_equal(lse, got)
    finite = np.isfinite(a).all(axis=1)
    # exponents near 1e4 carry ~1e-12 of rounding, and so do their exponentials relatively
    np.testing.assert_allclose(resp[finite], np.exp(a[finite] - want[finite, None]), rtol=1e-10, atol=1e-300)
    np.testing.assert_allclose(resp[finite].sum(axis=1), 1.0, rtol=1e-13)
    assert lse[3] == -np.inf and np.isnan(lse[5]) and lse[7] == np.inf
