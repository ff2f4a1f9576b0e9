"""The information theory under EM's bound, the minorise-maximise slice and the k^T sum."""

import numpy as np
import pytest
from scipy.stats import entropy as scipy_entropy

from gmmviz.core.errors import GmmvizError
from gmmviz.core.gaussian import predict_proba
from gmmviz.core.mixture import GaussianParams
from gmmviz.labs.em.core.steps import em_steps
from gmmviz.labs.em.core.types import FitConfig
from gmmviz.labs.theory.core.brute_force import (
    assignment_count,
    brute_force_log_likelihood,
    factorised_log_likelihood,
)
from gmmviz.labs.theory.core.information import (
    cross_entropy,
    decompose_bound,
    entropy,
    kl_divergence,
)
from gmmviz.labs.theory.core.mm_slice import mm_slice


def blobs(seed=0, n=60):
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.normal(size=(n, 2)) * 0.7 + c for c in ([0, 0], [3, 0], [0, 3])])


def test_kl_is_nonnegative_on_random_distributions_and_zero_exactly_at_p_equals_q():
    rng = np.random.default_rng(0)
    for n in (2, 3, 7, 20):
        for _ in range(200):
            p, q = rng.dirichlet(np.full(n, 0.5)), rng.dirichlet(np.full(n, 0.5))
            kl = kl_divergence(p, q)
            assert kl >= 0.0
            assert kl == pytest.approx(scipy_entropy(p, q), rel=1e-10, abs=1e-14)
            assert kl_divergence(p, p) == 0.0
            assert cross_entropy(p, q) == pytest.approx(entropy(p) + kl)  # Gibbs: H(P, Q) >= H(P)
    assert kl_divergence([0.5, 0.5, 0.0], [0.5, 0.0, 0.5]) == np.inf
    assert entropy([1.0, 0.0]) == 0.0 and entropy([0.25] * 4) == pytest.approx(np.log(4))
    with pytest.raises(GmmvizError):
        kl_divergence([0.5, 0.6], [0.5, 0.5])


def test_the_studios_kl_gap_equals_kl_between_responsibilities_and_posterior():
    X = blobs()
    snaps = list(em_steps(X, FitConfig(n_components=3, init="random", max_iter=8, tol=0.0, random_state=2)))
    checked = 0
    for e, m in zip(snaps[1::2], snaps[2::2]):
        # After M: r is still theta_old's; the gap ln p(theta_new) - (Q + H) is KL(r || P(z | x, theta_new)).
        independent = sum(scipy_entropy(r, post) for r, post in zip(e.resp, predict_proba(X, m.params)))
        assert m.gap == pytest.approx(independent, rel=1e-6, abs=1e-9)
        d = decompose_bound(X, m.params, e.resp)
        assert d.log_likelihood == pytest.approx(m.log_likelihood, rel=1e-10)
        assert d.q + d.entropy + d.kl == pytest.approx(d.log_likelihood, rel=1e-10)
        assert d.kl == pytest.approx(independent, rel=1e-8, abs=1e-10)
        assert e.gap == pytest.approx(0.0, abs=1e-8)
        checked += 1
    assert checked == 8


@pytest.mark.parametrize("ctype", ["full", "diag", "spherical", "tied"])
def test_mm_slice_bound_below_f_touching_at_0_and_maximal_at_1(ctype):
    X = blobs()
    snaps = list(em_steps(X, FitConfig(n_components=3, covariance_type=ctype, init="random", reg_covar=0.0,
                                       max_iter=3, tol=0.0, random_state=1)))
    old, new = snaps[3].params, snaps[4].params  # iteration 2: E at theta_old, M gives theta_new
    alphas = np.linspace(-0.5, 1.5, 200)
    sl = mm_slice(X, old, new, alphas)
    assert np.all(sl.bound <= sl.f + 1e-9 * np.abs(sl.f))
    at0 = mm_slice(X, old, new, [0.0])
    assert at0.bound[0] == pytest.approx(at0.f[0], abs=1e-10 * abs(at0.f[0]))
    assert abs(sl.argmax_bound - 1.0) <= alphas[1] - alphas[0]
    assert sl.f[np.argmin(np.abs(alphas - 1.0))] > at0.f[0]  # the M-step raised ln p


@pytest.mark.parametrize("k,T", [(1, 4), (2, 1), (2, 5), (3, 4), (3, 8), (2, 8)])
def test_brute_force_sum_over_k_to_the_T_equals_the_factorised_likelihood(k, T):
    rng = np.random.default_rng(k * 10 + T)
    X = rng.normal(size=(T, 2)) * 2
    A = rng.normal(size=(k, 2, 2))
    params = GaussianParams(rng.dirichlet(np.ones(k)), rng.normal(size=(k, 2)), A @ A.transpose(0, 2, 1) + np.eye(2) * 0.3)
    assert brute_force_log_likelihood(X, params) == pytest.approx(factorised_log_likelihood(X, params), rel=1e-12)
    assert assignment_count(k, T) == k**T


def test_brute_force_refuses_more_than_it_can_sum():
    params = GaussianParams(np.full(3, 1 / 3), np.zeros((3, 2)), np.repeat(np.eye(2)[None], 3, axis=0))
    with pytest.raises(GmmvizError, match=r"3\^9"):
        brute_force_log_likelihood(np.zeros((9, 2)), params)


def test_mm_surface_bound_below_f_with_its_maximum_at_the_m_step():
    from gmmviz.labs.theory.core.mm_slice import mm_surface

    X = blobs()
    snaps = list(em_steps(X, FitConfig(n_components=3, init="random", reg_covar=0.0, max_iter=2, tol=0.0,
                                       random_state=1)))
    old, new = snaps[1].params, snaps[2].params
    cx, cy = new.means[0]
    xs, ys = np.linspace(cx - 1, cx + 1, 21), np.linspace(cy - 1, cy + 1, 21)
    surf = mm_surface(X, old, new, ((0, 0), (0, 1)), xs, ys)
    assert np.all(surf.bound <= surf.f + 1e-9 * np.abs(surf.f))
    r, c = np.unravel_index(np.argmax(surf.bound), surf.bound.shape)
    assert abs(xs[c] - cx) <= xs[1] - xs[0] and abs(ys[r] - cy) <= ys[1] - ys[0]
    with pytest.raises(GmmvizError):
        mm_surface(X, old, new, ((0, 0), (0, 0)), xs, ys)
