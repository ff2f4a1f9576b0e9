"""The studio's VB run with held-out points: VB on the rest, the held-out ln p against scipy."""

import numpy as np
import pytest
from scipy.special import logsumexp
from scipy.stats import multivariate_normal

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.em.core.algorithms.held_out import held_out_split, held_out_vb_steps
from gmmviz.labs.em.core.algorithms.run import algorithm_steps
from gmmviz.labs.em.core.algorithms.types import (
    STUDIO_HOLD_OUT,
    AlgorithmSettings,
    VBConfig,
)
from gmmviz.labs.em.core.algorithms.vb import vb_steps
from gmmviz.labs.em.core.run_history import RunHistory, Step
from gmmviz.labs.em.core.types import FitConfig


def data(seed=5, n=300):
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0], [6, 1], [2, 7]])
    return centres[rng.integers(0, 3, n)] + rng.normal(size=(n, 2))


def oracle_ll(X, params) -> float:
    comp = [np.log(w) + multivariate_normal(m, c).logpdf(X)
            for w, m, c in zip(params.weights, params.means, params.full_covariances())]
    return float(logsumexp(np.column_stack(comp), axis=1).sum())


def test_the_split_is_seeded_disjoint_and_complete():
    keep, out = held_out_split(300, 0.2, 3, 7)
    assert out.size == 60 and keep.size == 240
    assert np.array_equal(np.sort(np.r_[keep, out]), np.arange(300))
    again = held_out_split(300, 0.2, 3, 7)
    assert np.array_equal(again[1], out) and not np.array_equal(held_out_split(300, 0.2, 3, 8)[1], out)
    assert held_out_split(300, 0.0, 3, 7) is None
    assert held_out_split(4, 0.2, 3, 7) is not None  # one held out, three (K) fitted
    assert held_out_split(3, 0.2, 3, 7) is None  # none to hold out
    assert held_out_split(10, 0.5, 6, 7) is None  # five held out would leave fewer than K


def test_vb_fits_the_rest_and_every_snapshot_has_the_held_out_ln_p():
    X = data()
    config = VBConfig(base=FitConfig(n_components=4, max_iter=30, random_state=2), hold_out=0.2)
    keep, out = held_out_split(X.shape[0], 0.2, 4, 2)
    held = list(held_out_vb_steps(X, config))
    plain = list(vb_steps(X[keep], config))
    assert len(held) == len(plain)
    for h, p in zip(held, plain):
        np.testing.assert_allclose(h.elbo, p.elbo, rtol=1e-12)  # VB on the fitted points only
        assert h.n_points == keep.size and h.held_out_points == out.size
        np.testing.assert_allclose(h.held_out_log_likelihood, oracle_ll(X[out], h.params), rtol=1e-9)
        np.testing.assert_allclose(h.held_out_scaled, h.held_out_log_likelihood * keep.size / out.size)
    e = next(s for s in held if s.phase == "E")
    assert e.resp.shape == (X.shape[0], 4) and not e.resp.flags.writeable
    np.testing.assert_allclose(e.resp.sum(axis=1), 1.0)
    np.testing.assert_array_equal(e.resp[keep], next(s for s in plain if s.phase == "E").resp)
    history = RunHistory(1, X, config.base)
    for s in held:
        history.append(Step(s, None))
    curve = history.curves()["held_out"]
    np.testing.assert_allclose(curve, [s.held_out_scaled for s in held])
    assert np.all(np.isfinite(curve))


def test_the_studio_holds_out_and_fit_does_not():
    config = AlgorithmSettings(algorithm="vb").to_config(FitConfig(n_components=3))
    assert config.hold_out == STUDIO_HOLD_OUT > 0
    X = data()
    snap = next(algorithm_steps(X, config))
    assert snap.held_out_points == round(STUDIO_HOLD_OUT * X.shape[0])
    assert next(algorithm_steps(X, config.replace(hold_out=0.0))).held_out_points == 0
    with pytest.raises(GmmvizError, match="hold_out"):
        next(held_out_vb_steps(X, config.replace(hold_out=1.0)))
