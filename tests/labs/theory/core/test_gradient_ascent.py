"""Gradient ascent: exact gradients against finite differences, monotone line search, EM's optimum."""

import numpy as np
import pytest

from gmmviz.core.errors import GmmvizError
from gmmviz.core.gaussian import log_likelihood
from gmmviz.labs.em.core.algorithms.ascent import ga_steps
from gmmviz.labs.em.core.algorithms.gradient import Layout, evaluate, exact_gradient
from gmmviz.labs.em.core.algorithms.types import GradientConfig
from gmmviz.labs.em.core.fused import Workspace
from gmmviz.labs.em.core.run_history import RunHistory, Step
from gmmviz.labs.em.core.steps import run_em
from gmmviz.labs.em.core.types import FitConfig

TYPES = ("full", "diag", "spherical", "tied")


def blobs(seed=1, n=100, spread=0.5):
    rng = np.random.default_rng(seed)
    centres = ([0, 0], [5, 0], [0, 5])
    return np.concatenate([rng.normal(size=(n, 2)) @ np.array([[1, 0.3], [0, 0.6]]) * spread + c for c in centres])


@pytest.mark.parametrize("ctype", TYPES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_exact_gradient_equals_central_differences(ctype, seed):
    rng = np.random.default_rng(seed)
    X = blobs(seed) * 3.0 + 40.0
    ws = Workspace.build(X)
    layout = Layout(3, ctype, reg=1e-3 * seed)
    theta = rng.normal(size=layout.size) * 0.6
    g = exact_gradient(layout, evaluate(ws, layout, theta))
    h = 1e-5
    fd = np.array([(evaluate(ws, layout, theta + h * e).log_likelihood
                    - evaluate(ws, layout, theta - h * e).log_likelihood) / (2 * h) for e in np.eye(layout.size)])
    assert np.max(np.abs(fd - g)) <= 1e-6 * np.max(np.abs(g))
    # and ln p itself is the plain evaluation's
    w, m, f = layout.unpack(theta)
    from gmmviz.core.covariance import from_full
    from gmmviz.core.mixture import GaussianParams
    p = ws.std.params_from_std(GaussianParams(w, m, from_full(f, ctype), ctype))
    ll = evaluate(ws, layout, theta).log_likelihood - X.shape[0] * ws.std.log_jacobian
    assert ll == pytest.approx(log_likelihood(X, p), rel=1e-10)


@pytest.mark.parametrize("ctype", TYPES)
def test_pack_unpack_round_trip(ctype):
    rng = np.random.default_rng(5)
    layout = Layout(4, ctype, reg=1e-4)
    theta = rng.normal(size=layout.size)
    theta[:4] -= theta[:4].mean()
    back = layout.pack(*layout.unpack(theta))
    np.testing.assert_allclose(back, theta, atol=1e-9)


@pytest.mark.slow
@pytest.mark.parametrize("ctype", TYPES)
def test_line_search_never_decreases_and_reaches_ems_optimum(ctype):
    X = blobs()
    base = FitConfig(n_components=3, covariance_type=ctype, init="random", reg_covar=0.0, tol=0.0,
                     max_iter=4000, random_state=3)
    snaps = list(ga_steps(X, GradientConfig(base=base, step_size=0.1, line_search=True), keep_resp=False))
    ll = np.array([s.log_likelihood for s in snaps if s.phase in ("init", "M")])
    assert len(ll) > 10  # a real run, not a start at the optimum
    assert np.all(np.diff(ll) >= 0.0)
    em = run_em(X, base.replace(tol=0.0, max_iter=3000))
    assert ll[-1] == pytest.approx(em[-1].log_likelihood, rel=1e-6)
    assert snaps[-1].grad_norm < 1e-2
    assert all(s.step_size > 0 for s in snaps if s.phase == "M" and not s.converged)


def test_fixed_step_iteration_costs_one_pass_and_snapshots_follow_ems_protocol():
    X = blobs()
    base = FitConfig(n_components=3, init="random", max_iter=5, tol=0.0, random_state=0)
    snaps = list(ga_steps(X, GradientConfig(base=base, step_size=1e-3)))
    assert [s.phase for s in snaps] == ["init"] + ["E", "M"] * 5
    assert all(s.n_evaluations == 1 for s in snaps if s.phase == "M")
    for e in snaps[1::2]:
        assert e.gap == pytest.approx(0.0, abs=1e-8)  # Q + H touches ln p at the E snapshot
        assert e.resp is not None and e.resp.shape == (X.shape[0], 3)
    for m in snaps[2::2]:
        assert m.gap >= -1e-9 and m.step_size == 1e-3
    history = RunHistory(1, X, base)
    for s in snaps:
        history.append(Step(s))
    assert history.frame(len(snaps) - 1).snapshot is snaps[-1]
    assert history.curves()["ll"].shape == (len(snaps),)


def test_a_too_large_step_diverges_with_a_message():
    X = blobs()
    base = FitConfig(n_components=3, init="random", max_iter=200, tol=0.0, random_state=0)
    snaps = list(ga_steps(X, GradientConfig(base=base, step_size=1e3), keep_resp=False))
    last = snaps[-1]
    assert last.collapse is not None and "step" in last.collapse.message
    assert len(snaps) < 400


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_momentum_and_adam_climb(optimizer):
    X = blobs()
    base = FitConfig(n_components=3, init="random", max_iter=150, tol=0.0, random_state=0)
    snaps = list(ga_steps(X, GradientConfig(base=base, step_size=0.02 if optimizer == "momentum" else 0.05,
                                            optimizer=optimizer), keep_resp=False))
    assert snaps[-1].collapse is None
    assert snaps[-1].log_likelihood > snaps[0].log_likelihood + 50


@pytest.mark.parametrize("bad", [dict(step_size=0.0), dict(step_size=float("nan")), dict(optimizer="sgd"),
                                 dict(line_search=True, optimizer="adam"), dict(samples=0), dict(sampler="x")])
def test_bad_options_are_refused(bad):
    with pytest.raises(GmmvizError):
        next(ga_steps(blobs(), GradientConfig(**bad)))
