"""The fused pass's two paths: the expanded form where it is provably accurate, the centred one elsewhere.

Components whose rounding bound (:func:`expanded_error_bound`) is within
FAST_TOL are evaluated as one product with the quadratic features; the
others (nearly singular, or narrow and far from the frame's origin) through
their Cholesky whitening.  Either way the pass must agree with the other
path and with an exact rational oracle to 1e-12.
"""

import numpy as np
import pytest
from core.helpers import exact_log_density

from gmmviz.labs.em.core import expanded
from gmmviz.labs.em.core.expanded import FAST_TOL, Routing, expanded_error_bound
from gmmviz.labs.em.core.fused import Workspace, fused_pass
from gmmviz.labs.em.core.whitening import components


def blob_mixture(n=600, seed=0):
    """Three round-ish clusters near the centre, and parameters fitted to them (standardised)."""
    rng = np.random.default_rng(seed)
    centres = np.array([[-1.0, 0.0], [1.0, 0.5], [0.0, -1.0]])
    z = rng.integers(0, 3, n)
    X = centres[z] + rng.normal(size=(n, 2)) * [0.5, 0.35]
    ws = Workspace.build(X, sort=False)
    mu = ws.std.transform(centres)
    cov = np.array([[[0.04, 0.01], [0.01, 0.03]], [[0.05, -0.02], [-0.02, 0.04]], [[0.03, 0.0], [0.0, 0.06]]])
    return ws, np.array([0.3, 0.3, 0.4]), mu, cov


def accurate_only(monkeypatch):
    monkeypatch.setattr(expanded, "FAST_TOL", -1.0)  # no bound is negative: nothing is fast


def assert_passes_agree(a, b, rtol):
    assert a.log_likelihood == pytest.approx(b.log_likelihood, rel=rtol)
    assert a.entropy == pytest.approx(b.entropy, rel=rtol)
    np.testing.assert_allclose(a.stats, b.stats, rtol=rtol, atol=rtol * np.abs(b.stats).max())
    np.testing.assert_allclose(a.resp, b.resp, rtol=0, atol=rtol)


def test_well_conditioned_components_take_the_fast_path_and_agree_with_the_accurate_one(monkeypatch):
    ws, w, mu, cov = blob_mixture()
    comp = components(w, mu, cov)
    assert Routing(comp, ws.abs_max).fast.all()
    fast = fused_pass(ws, comp, want_resp=True)
    accurate_only(monkeypatch)
    assert not Routing(comp, ws.abs_max).fast.any()
    slow = fused_pass(ws, comp, want_resp=True)
    assert_passes_agree(fast, slow, 1e-12)
    assert fast.log_likelihood != slow.log_likelihood or fast.stats.tobytes() != slow.stats.tobytes()  # two paths


def test_the_fast_path_matches_the_exact_oracle():
    ws, w, mu, cov = blob_mixture(n=300)
    comp = components(w, mu, cov)
    assert Routing(comp, ws.abs_max).fast.all()
    exact = np.array([[exact_log_density(x, y, w[k], mu[k], cov[k]) for k in range(3)] for x, y in ws.Xs])
    result = fused_pass(ws, comp, want_resp=True)
    assert result.log_likelihood == pytest.approx(np.logaddexp.reduce(exact, axis=1).sum(), rel=1e-12)


@pytest.mark.parametrize("cond", [1e2, 1e4, 1e6])
def test_the_rounding_bound_holds_over_the_data_box(cond):
    """coef . phi against the exact log-density: never off by more than the bound, corners included."""
    rng = np.random.default_rng(int(np.log10(cond)))
    X = rng.uniform(-3, 3, (150, 2))
    ws = Workspace.build(X, sort=False)
    lam = np.array([1.0, 1.0 / cond]) * 0.01
    R = np.array([[0.8, -0.6], [0.6, 0.8]])
    cov = np.array([R @ np.diag(lam) @ R.T, np.diag(lam[::-1])])
    mu = ws.Xs[:2] * 0.5
    w = np.array([0.5, 0.5])
    comp = components(w, mu, cov)
    box = np.array([[sx, sy] for sx in (-1, 1) for sy in (-1, 1)]) * ws.abs_max
    pts = np.vstack([ws.Xs, box])
    Q = np.vstack([pts[:, 0] ** 2, pts[:, 0] * pts[:, 1], pts[:, 1] ** 2, pts[:, 0], pts[:, 1], np.ones(len(pts))])
    bound = expanded_error_bound(comp.W, comp.const, ws.abs_max)
    assert max(bound) > 1e-14  # not vacuous
    # The bound is against the exact value of the same whitening rows and
    # constant: evaluate that in 64-bit-mantissa extended precision.
    W, k0 = comp.W.astype(np.longdouble), comp.const.astype(np.longdouble)
    P = np.vstack([pts.T, np.ones(len(pts))]).astype(np.longdouble)
    for k in range(2):
        y = W[k] @ P
        reference = k0[k] - 0.5 * (y[0] * y[0] + y[1] * y[1])
        error = np.abs((comp.coef[k] @ Q).astype(np.longdouble) - reference)
        assert np.all(error <= bound[k]), (k, float(error.max()), bound[k])
        assert float(error.max()) > 1e-3 * bound[k]  # and not absurdly loose


@pytest.mark.parametrize("cond", [1e8, 1e10, 1e12])
def test_ill_conditioned_components_take_the_accurate_path(cond):
    ws, w, mu, cov = blob_mixture()
    lam = np.array([0.05, 0.05 / cond])
    R = np.array([[0.6, 0.8], [-0.8, 0.6]])
    cov = cov.copy()
    cov[1] = R @ np.diag(lam) @ R.T
    comp = components(w, mu, cov)
    assert Routing(comp, ws.abs_max).fast.tolist() == [True, False, True]


def test_a_narrow_component_far_from_the_centre_takes_the_accurate_path_even_if_round():
    ws, w, mu, cov = blob_mixture()
    cov = cov.copy()
    cov[2] = np.eye(2) * 1e-6  # condition number 1, but 1000 widths from the origin
    mu = mu.copy()
    mu[2] = [1.0, -1.0]
    comp = components(w, mu, cov)
    bound = expanded_error_bound(comp.W, comp.const, ws.abs_max)
    assert bound[2] > 100 * FAST_TOL
    assert Routing(comp, ws.abs_max).fast.tolist() == [True, True, False]


@pytest.mark.parametrize("cond", [1e6, 1e12])
@pytest.mark.parametrize("sort", [False, True])
def test_a_mixed_pass_agrees_with_the_accurate_one_and_the_oracle(monkeypatch, cond, sort):
    ws0, w, mu, cov = blob_mixture(n=400, seed=3)
    X = ws0.std.shift + ws0.Xs * ws0.std.scale
    ws = Workspace.build(np.vstack([X] * (90 if sort else 1)), sort=sort)  # sorting needs many points
    lam = np.array([0.05, 0.05 / cond])
    cov = cov.copy()
    cov[0] = np.diag(lam)
    cov[0][0, 1] = cov[0][1, 0] = 0.0
    mu = ws.std.transform(X[:3])  # means on data points: the narrow component has points near it
    comp = components(w, mu, cov)
    assert Routing(comp, ws.abs_max).fast.tolist() == [False, True, True]
    mixed = fused_pass(ws, comp, want_resp=True)
    Xs = ws.Xs[:400]
    exact = np.array([[exact_log_density(x, y, w[k], mu[k], cov[k]) for k in range(3)] for x, y in Xs])
    per_point = np.logaddexp.reduce(exact, axis=1)
    assert mixed.log_likelihood == pytest.approx(ws.n_points // 400 * per_point.sum(), rel=1e-12)
    np.testing.assert_allclose(mixed.resp[:400], np.exp(exact - per_point[:, None]), atol=1e-12)
    accurate_only(monkeypatch)
    assert_passes_agree(mixed, fused_pass(ws, comp, want_resp=True), 1e-12)


def test_a_point_far_from_every_component_is_redone_against_its_own_maximum():
    """Unsorted blocks start from the largest constant as the shift; an outlier under it falls back."""
    from scipy.special import logsumexp

    from gmmviz.labs.em.core.fused import Scratch

    ws0, w, mu0, cov = blob_mixture(n=500, seed=5)
    X = ws0.std.shift + ws0.Xs * ws0.std.scale
    X = np.vstack([X, [[40.0, -35.0]]])  # hundreds of nats below every component's peak
    ws = Workspace.build(X, sort=False)
    mu = ws.std.transform(X[:3])
    comp = components(w, mu, cov * 0.3)
    bufs = Scratch(3, ws.block_size(3))
    first = fused_pass(ws, comp, want_resp=True, scratch=bufs)
    assert bufs.underflowed
    again = fused_pass(ws, comp, want_resp=True, scratch=bufs)  # now per point from the start
    Q = ws.Q
    direct = logsumexp(comp.coef @ Q, axis=0)
    for result in (first, again):
        assert result.log_likelihood == pytest.approx(direct.sum(), rel=1e-11)
        assert np.all(np.isfinite(result.stats)) and result.resp[-1].sum() == pytest.approx(1.0)
    assert_passes_agree(first, again, 1e-13)
    clean = Scratch(3, ws0.block_size(3))
    fused_pass(ws0, components(w, mu0, cov), scratch=clean)
    assert not clean.underflowed


def test_a_single_fast_component_among_accurate_ones_is_not_worth_the_fast_path():
    ws, w, mu, cov = blob_mixture()
    cov = cov.copy()
    cov[1] = cov[2] = np.diag([0.05, 0.05e-10])
    assert Routing(components(w, mu, cov), ws.abs_max).fast.tolist() == [False, False, False]
    assert Routing(components(np.ones(1), mu[:1], cov[:1] * 0 + np.eye(2) * 0.2), ws.abs_max).fast.tolist() == [True]
