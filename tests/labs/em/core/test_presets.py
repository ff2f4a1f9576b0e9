"""Presets, sampling from a typed mixture, and the bundled real datasets (no Qt)."""

from __future__ import annotations

import socket
import subprocess
import sys

import numpy as np
import pytest
from sklearn.datasets import load_iris, load_wine

from gmmviz.core import datasets
from gmmviz.core.errors import GmmvizError
from gmmviz.labs.em.core.presets import (
    MAX_POINTS,
    PRESETS,
    check_sample_size,
    covariance_from_axes,
    make_preset,
    mixture_from_rows,
    row_problem,
    rows_from_mixture,
    sample_mixture,
    sigmas_from_covariance,
)

# What the generate dialog produces from its table: unnormalised weights,
# correlated and very unequal components.
ROWS = np.array([
    [2.0, -3.0, 1.0, 1.5, 0.7, 0.6],
    [1.0, 2.5, -1.0, 0.5, 2.0, -0.8],
    [0.5, 0.0, 4.0, 1.0, 1.0, 0.0],
    [0.1, 6.0, 6.0, 0.2, 0.3, 0.5],
])


# -- presets ---------------------------------------------------------------------------


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.key)
def test_preset_is_deterministic_sized_finite_and_labelled(preset):
    a, b = make_preset(preset.key), make_preset(preset.key)
    ds = a.dataset
    assert ds.n_points == preset.n_points
    assert np.array_equal(ds.X, b.dataset.X) and np.array_equal(ds.labels, b.dataset.labels)
    assert np.isfinite(ds.X).all()
    assert ds.labels.min() >= 0 and ds.labels.max() < len(ds.classes)
    assert (ds.counts() > 0).all(), "every class has points"
    assert len({c.name for c in ds.classes}) == len(ds.classes)
    assert a.title
    if a.truth is not None:
        assert a.truth.n_components == len(ds.classes)
        assert a.truth.covariance_type == "full"
    other = make_preset(preset.key, seed=preset.seed + 1)
    assert not np.array_equal(other.dataset.X, ds.X)
    custom = make_preset(preset.key, n_points=123, seed=7)
    assert custom.dataset.n_points == 123
    assert np.array_equal(custom.dataset.X, make_preset(preset.key, 123, 7).dataset.X)


def test_gaussian_presets_carry_their_truth_and_shapes_make_sense():
    assert make_preset("moons").truth is None and make_preset("circles").truth is None
    aniso = make_preset("anisotropic").truth.full_covariances()
    lam = np.linalg.eigvalsh(aniso)
    assert (lam[:, 1] / lam[:, 0] > 20).all(), "anisotropic clusters are long and thin"
    assert np.allclose(make_preset("uneven").truth.weights, [0.75, 0.2, 0.05])
    circles = make_preset("circles").dataset
    r = np.hypot(*circles.X.T)
    assert np.median(r[circles.labels == 1]) < 0.6 * np.median(r[circles.labels == 0])


def test_unknown_preset_and_bad_sizes_are_refused_with_the_value():
    with pytest.raises(GmmvizError, match="unknown preset 'blob'.*blobs"):
        make_preset("blob")
    for n in (0, -5, MAX_POINTS + 1, 2.5, True):
        with pytest.raises(GmmvizError, match="N must be an integer"):
            check_sample_size(n, 0)
    with pytest.raises(GmmvizError, match="seed must be an integer"):
        make_preset("blobs", seed=-1)


# -- a mixture from a table, and sampling it --------------------------------------------


def test_sampling_a_typed_mixture_reproduces_its_weights_means_and_covariances():
    """200k points through the dialog's path (table rows -> mixture -> sample_mixture):
    every statistic within 5 standard errors."""
    params = mixture_from_rows(ROWS)
    n = 200_000
    data = sample_mixture(params, n, 2024)
    ds = data.dataset
    assert ds.n_points == n and [c.name for c in ds.classes] == [f"Component {i}" for i in range(1, 5)]
    w = ROWS[:, 0] / ROWS[:, 0].sum()
    counts = ds.counts()
    np.testing.assert_array_less(np.abs(counts / n - w), 5 * np.sqrt(w * (1 - w) / n))
    full = params.full_covariances()
    for k in range(4):
        Xk = ds.X[ds.labels == k]
        nk, S = len(Xk), full[k]
        mean_se = np.sqrt(np.diag(S) / nk)
        np.testing.assert_array_less(np.abs(Xk.mean(axis=0) - params.means[k]), 5 * mean_se)
        cov = np.cov(Xk.T)
        # Var of a sample covariance entry: (S_ii S_jj + S_ij^2) / n for Gaussian data.
        cov_se = np.sqrt((np.outer(np.diag(S), np.diag(S)) + S**2) / nk)
        np.testing.assert_array_less(np.abs(cov - S), 5 * cov_se)
    np.testing.assert_allclose(data.truth.means, ROWS[:, 1:3])


def test_sample_mixture_is_deterministic_and_labels_are_the_components():
    params = mixture_from_rows(ROWS)
    a, b = sample_mixture(params, 500, 3), sample_mixture(params, 500, 3)
    assert np.array_equal(a.dataset.X, b.dataset.X) and np.array_equal(a.dataset.labels, b.dataset.labels)
    # the tiny far component: its points are all near (6, 6)
    far = a.dataset.X[a.dataset.labels == 3]
    assert len(far) and np.all(np.hypot(*(far - [6, 6]).T) < 2.0)
    assert len(sample_mixture(params, 1, 0).dataset.classes) == 4, "one class per component, even if empty"


def test_rows_round_trip_and_weights_are_normalised():
    params = mixture_from_rows(ROWS)
    np.testing.assert_allclose(params.weights.sum(), 1.0)
    back = rows_from_mixture(params)
    np.testing.assert_allclose(back[:, 1:], ROWS[:, 1:], atol=1e-12)
    np.testing.assert_allclose(back[:, 0], ROWS[:, 0] / ROWS[:, 0].sum())
    cov = covariance_from_axes(np.deg2rad(30), 3.0, 0.5)
    lam, vec = np.linalg.eigh(cov)
    np.testing.assert_allclose(np.sqrt(lam), [0.5, 3.0])
    np.testing.assert_allclose(abs(vec[:, 1] @ [np.cos(np.deg2rad(30)), np.sin(np.deg2rad(30))]), 1.0)
    sx, sy, rho = sigmas_from_covariance(cov)
    np.testing.assert_allclose(mixture_from_rows([[1, 0, 0, sx, sy, rho]]).full_covariances()[0], cov)


@pytest.mark.parametrize(("row", "column", "message"), [
    ([-1, 0, 0, 1, 1, 0], 0, r"Component 2: the weight must be ≥ 0, got -1"),
    ([1, 0, 0, 0, 1, 0], 3, r"Component 2: σx must be > 0 .* got 0"),
    ([1, 0, 0, 1, -2, 0], 4, r"Component 2: σy must be > 0 .* got -2"),
    ([1, 0, 0, 1, 1, 1], 5, r"Component 2: the correlation ρ must lie strictly between −1 and 1, got 1"),
    ([1, 0, 0, 1, 1, -1.5], 5, r"Component 2: the correlation ρ .* got -1.5"),
    ([1, np.nan, 0, 1, 1, 0], 1, r"Component 2: μx must be a finite number"),
])
def test_invalid_rows_are_refused_naming_component_field_and_value(row, column, message):
    rows = np.array([[1, 0, 0, 1, 1, 0], row], dtype=float)
    assert row_problem(rows)[:2] == (1, column)
    with pytest.raises(GmmvizError, match=message):
        mixture_from_rows(rows)


def test_all_zero_weights_and_empty_tables_are_refused():
    with pytest.raises(GmmvizError, match="weights are all zero"):
        mixture_from_rows([[0, 0, 0, 1, 1, 0], [0, 1, 1, 1, 1, 0]])
    with pytest.raises(GmmvizError, match="a mixture needs rows"):
        mixture_from_rows(np.empty((0, 6)))


# -- real datasets ---------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a dataset loader tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_old_faithful_loads_offline(no_network):
    data = datasets.faithful()
    assert data.dataset.X.shape == (272, 2) and len(data.dataset.classes) == 1
    assert data.dataset.X[0].tolist() == [3.6, 79.0]
    assert data.truth is None and data.title == "Old Faithful"


def test_iris_loads_offline_and_matches_scikit_learn(no_network):
    ref = load_iris()
    data = datasets.iris()
    ds = data.dataset
    assert ds.X.shape == (150, 2) and ds.counts().tolist() == [50, 50, 50]
    np.testing.assert_array_equal(ds.X, ref.data[:, [2, 3]])
    np.testing.assert_array_equal(ds.labels, ref.target)
    assert [c.name for c in ds.classes] == ["Iris setosa", "Iris versicolor", "Iris virginica"]
    assert data.axes == ("petal length (cm)", "petal width (cm)")
    other = datasets.iris("sepal width", "sepal length").dataset
    np.testing.assert_array_equal(other.X, ref.data[:, [1, 0]])


def test_wine_loads_offline_and_matches_scikit_learn(no_network):
    ref = load_wine()
    ds = datasets.wine().dataset
    assert ds.X.shape == (178, 2) and ds.counts().tolist() == [59, 71, 48]
    cols = [ref.feature_names.index("flavanoids"), ref.feature_names.index("color_intensity")]
    np.testing.assert_array_equal(ds.X, ref.data[:, cols])
    np.testing.assert_array_equal(ds.labels, ref.target)
    assert len(datasets.WINE_FEATURES) == len(ref.feature_names) == 13
    np.testing.assert_array_equal(datasets.wine("alcohol", "proline").dataset.X, ref.data[:, [0, 12]])


def test_feature_choices_are_validated():
    with pytest.raises(GmmvizError, match="two different Iris features"):
        datasets.iris("petal width", "petal width")
    with pytest.raises(GmmvizError, match="Wine has no feature 'colour'.*alcohol"):
        datasets.wine("colour", "alcohol")


def test_loading_iris_and_wine_never_imports_scikit_learn():
    code = ("import sys, gmmviz.core.datasets as d, gmmviz.labs.em.core.presets, gmmviz.labs.em.core.scenes\n"
            "d.iris(); d.wine(); d.faithful()\n"
            "print(any(m.split('.')[0] == 'sklearn' for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("name", ["iris.csv", "wine_data.csv"])
def test_bundled_copies_are_scikit_learns_files_unchanged(name):
    """Provenance: our copies are byte for byte the files scikit-learn ships."""
    import os

    import sklearn

    from gmmviz.core.resources import read_bytes

    theirs = os.path.join(os.path.dirname(sklearn.__file__), "datasets", "data", name)
    with open(theirs, "rb") as fh:
        assert read_bytes("data", name) == fh.read()
