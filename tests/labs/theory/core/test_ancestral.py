"""Ancestral sampling theta -> z_t -> x_t against numpy, seeded, and the animation's order."""

import numpy as np
import pytest

from gmmviz.core.commands import AddPoints, default_classes
from gmmviz.core.data import Dataset
from gmmviz.core.errors import GmmvizError
from gmmviz.core.mixture import GaussianParams
from gmmviz.labs.theory.core.ancestral import (
    MAX_SAMPLES,
    ancestral_sample,
    keep_command,
)

PARAMS = GaussianParams(np.array([0.5, 0.3, 0.2]), np.array([[0.0, 0.0], [5.0, 1.0], [-2.0, 6.0]]),
                        np.array([[[1.0, 0.4], [0.4, 0.8]], [[0.3, -0.1], [-0.1, 2.0]], [[1.5, 0.0], [0.0, 0.2]]]),
                        "full")


def numpy_oracle(params, n, seed):
    """z ~ Categorical(pi), then x = mu_z + L_z e with L_z = cholesky(Sigma_z), from the same generator."""
    rng = np.random.default_rng(seed)
    z = rng.choice(params.n_components, size=n, p=params.weights)
    e = rng.standard_normal((n, 2))
    L = np.linalg.cholesky(params.full_covariances())
    return z, params.means[z] + np.einsum("nij,nj->ni", L[z], e)


@pytest.mark.parametrize("seed", [0, 1, 12345])
def test_the_draws_equal_numpys_from_the_same_seed(seed):
    s = ancestral_sample(PARAMS, 500, seed)
    z, X = numpy_oracle(PARAMS, 500, seed)
    np.testing.assert_array_equal(s.z, z)
    np.testing.assert_allclose(s.X, X, rtol=1e-12, atol=1e-12)
    assert not s.X.flags.writeable and not s.z.flags.writeable and s.seed == seed
    again = ancestral_sample(PARAMS, 500, seed)
    np.testing.assert_array_equal(again.X, s.X)


def test_the_sample_has_the_mixtures_weights_means_and_covariances():
    s = ancestral_sample(PARAMS, MAX_SAMPLES, 7)
    n = s.n_samples
    share = s.counts() / n
    se = np.sqrt(PARAMS.weights * (1 - PARAMS.weights) / n)
    assert np.all(np.abs(share - PARAMS.weights) < 4 * se)
    for k in range(3):
        pts = s.X[s.z == k]
        cov = PARAMS.full_covariances()[k]
        assert np.all(np.abs(pts.mean(axis=0) - PARAMS.means[k]) < 4 * np.sqrt(np.diag(cov) / len(pts)))
        np.testing.assert_allclose(np.cov(pts.T), cov, atol=6 * np.abs(cov).max() / np.sqrt(len(pts)))


def test_the_hidden_node_is_revealed_before_the_observed_one():
    s = ancestral_sample(PARAMS, 3, 0)
    assert s.n_steps == 6
    assert [s.revealed(i) for i in range(8)] == [(0, 0), (1, 0), (1, 1), (2, 1), (2, 2), (3, 2), (3, 3), (3, 3)]
    assert s.counts(2).sum() == 2


def test_keeping_is_one_add_points_edit_with_its_inverse():
    s = ancestral_sample(PARAMS, 10, 3)
    base = Dataset(np.array([[9.0, 9.0]]), np.array([0]), default_classes(1))
    cmd = keep_command(s, 4)
    assert isinstance(cmd, AddPoints)
    new, inverse = cmd.apply(base)
    np.testing.assert_array_equal(new.X[1:], s.X[:4])
    assert inverse.apply(new)[0].n_points == 1
    with pytest.raises(GmmvizError, match="nothing to keep"):
        keep_command(s, 0)


@pytest.mark.parametrize("n", [0, MAX_SAMPLES + 1, 2.5, True])
def test_a_bad_sample_size_is_refused(n):
    with pytest.raises(GmmvizError, match="n_samples"):
        ancestral_sample(PARAMS, n, 0)


def test_the_views_state_job_uses_the_studios_mixture_or_fits_its_own():
    from gmmviz.core import palette
    from gmmviz.core.gaussian import predict_proba
    from gmmviz.labs.theory.core.ancestral import state_job

    class Token:
        cancelled = False

    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(c, 0.5, size=(50, 2)) for c in ((-3, 0), (3, 0))])
    (own,) = list(state_job(X, None, 2, seed=0)(Token()))
    assert own.source == "own" and own.params.n_components == 2 and not own.resp_u8.flags.writeable
    np.testing.assert_array_equal(own.resp_u8, palette.quantize_resp(predict_proba(X, own.params)))
    assert sorted(np.round(own.params.means[:, 0])) == [-3.0, 3.0]  # the two clusters found
    (studio,) = list(state_job(X, own.params, 5, seed=1, studio_label="on screen")(Token()))
    assert studio.params is own.params and studio.source == "studio" and studio.label == "on screen"
