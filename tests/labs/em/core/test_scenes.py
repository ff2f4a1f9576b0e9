"""Lecture scenes: each builds, and each lesson really happens (no Qt).

The runs go through :func:`gmmviz.core.em_steps` / :func:`run_em`, the
code path the window plays, with each scene's own FitConfig.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from gmmviz.labs.em.core import FitConfig, em_steps, run_em
from gmmviz.core.errors import GmmvizError
from gmmviz.labs.em.core.scenes import COLLAPSE_POINT, SCENES, build_scene
from gmmviz.labs.em.core.types import ModelSettings
from gmmviz.labs.em.core.validation import check_config

KEYS = [s.key for s in SCENES]


def final(scene, **changes):
    config = scene.config.replace(**changes) if changes else scene.config
    return list(em_steps(scene.data.dataset.X, config, keep_resp=False))


@pytest.mark.parametrize("key", KEYS)
def test_every_scene_builds_the_same_way_every_time(key):
    a, b = build_scene(key), build_scene(key)
    ds = a.data.dataset
    assert a.key == key and a.title
    assert ds.n_points >= 100 and np.isfinite(ds.X).all()
    assert np.array_equal(ds.X, b.data.dataset.X) and np.array_equal(ds.labels, b.data.dataset.labels)
    assert ds.labels.max() < len(ds.classes)
    check_config(a.config, ds.n_points)
    if a.config.init == "given":
        assert a.config.init_params.n_components == a.config.n_components
    assert a.config.random_state is not None, "scenes are seeded"


@pytest.mark.parametrize("key", KEYS)
def test_every_note_is_one_readable_paragraph(key):
    note = build_scene(key).note
    assert len(note) > 250 and "\n" not in note.strip()
    assert note.rstrip().endswith(".")
    assert len(re.findall(r"[.:!?](\s|$)", note)) >= 3, "a few sentences, not a fragment"


def test_unknown_scene_is_refused():
    with pytest.raises(GmmvizError, match="unknown scene 'nope'.*collapse"):
        build_scene("nope")


def test_collapse_scene_collapses_onto_the_lone_point():
    scene = build_scene("collapse")
    assert scene.config.reg_covar == 0.0
    snaps = final(scene)
    last = snaps[-1]
    assert last.collapse is not None, "component 3 must collapse with reg_covar = 0"
    assert "point" in last.collapse.kinds
    i = last.collapse.kinds.index("point")
    assert last.collapse.components[i] == 2
    np.testing.assert_allclose(last.collapse.locations[i], COLLAPSE_POINT, atol=1e-6)
    assert last.iteration >= 3, "it shrinks visibly over a few steps first"
    lls = [s.log_likelihood for s in snaps if s.phase == "M"]
    assert all(b > a for a, b in zip(lls, lls[1:])), "ln p climbs while it collapses"


def test_collapse_scene_survives_with_a_small_reg_covar_as_its_note_says():
    snaps = final(build_scene("collapse"), reg_covar=1e-3)
    assert snaps[-1].collapse is None and snaps[-1].converged


def test_local_optimum_scene_ends_clearly_below_the_best_restart():
    scene = build_scene("local-optimum")
    X = scene.data.dataset.X
    stuck = run_em(X, scene.config)[-1]
    assert stuck.converged and stuck.collapse is None, "a genuine local optimum, not a failure"
    best = run_em(X, scene.config.replace(init="kmeans++", init_params=None), n_init=10)[-1]
    assert best.collapse is None
    assert stuck.log_likelihood < best.log_likelihood - 0.2 * X.shape[0]
    # the wrong answer of the lesson: two means in the top cluster
    assert np.sum(stuck.params.means[:, 1] > 2.5) == 2


def test_k_too_large_scene_has_more_components_than_true_clusters():
    scene = build_scene("too-many")
    truth = scene.data.truth
    assert scene.config.n_components > truth.n_components == len(scene.data.dataset.classes)
    big = final(scene)[-1]
    assert big.converged and big.collapse is None
    right = final(scene, n_components=truth.n_components)[-1]
    assert big.log_likelihood > right.log_likelihood, "the note says more components fit better"


def test_anisotropic_scene_starts_spherical_and_full_fits_far_better():
    scene = build_scene("anisotropic")
    assert scene.config.covariance_type == "spherical"
    lam = np.linalg.eigvalsh(scene.data.truth.full_covariances())
    assert (lam[:, 1] > 20 * lam[:, 0]).all()
    ll = {ct: final(scene, covariance_type=ct)[-1].log_likelihood for ct in ("spherical", "diag", "full")}
    n = scene.data.dataset.n_points
    assert ll["full"] > ll["spherical"] + 0.1 * n and ll["full"] > ll["diag"] + 0.1 * n


def test_overlapping_scene_has_two_overlapping_classes_and_converges():
    scene = build_scene("overlapping")
    truth, ds = scene.data.truth, scene.data.dataset
    assert truth.n_components == 2 == len(ds.classes) == scene.config.n_components
    gap = np.linalg.norm(truth.means[0] - truth.means[1])
    widest = np.sqrt(np.linalg.eigvalsh(truth.full_covariances()).max())
    assert gap < 2.5 * widest, "the clouds overlap"
    last = final(scene)[-1]
    assert last.converged and last.collapse is None
    assert last.iteration >= 10, "ambiguous responsibilities make EM slow"


def test_scene_configs_are_fit_configs():
    assert all(isinstance(build_scene(k).config, FitConfig) for k in KEYS)


FIELDS = ("n_components", "covariance_type", "init", "reg_covar", "max_iter", "tol", "random_state", "init_means")


@pytest.mark.parametrize("key", [s.key for s in SCENES])
def test_a_scenes_run_and_the_model_panels_settings_convert_both_ways(key):
    config = build_scene(key).config
    settings = ModelSettings.from_config(config)
    assert settings.init == ("manual" if config.init == "given" else config.init)
    back = settings.to_config(config.init_params)
    assert {f: getattr(back, f) for f in FIELDS} == {f: getattr(config, f) for f in FIELDS}
    assert back.init_params is config.init_params
    plain = ModelSettings(init="kmeans++", seed=3).to_config(config.init_params)
    assert (plain.init, plain.random_state, plain.init_params) == ("kmeans++", 3, None)  # only manual uses them
