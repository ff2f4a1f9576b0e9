"""Edit commands: applying then applying the inverse restores the data exactly."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gmmviz.core.commands import (
    AddPoints,
    InsertPoints,
    MovePoints,
    RelabelPoints,
    RemoveClass,
    RemovePoints,
    ReplaceDataset,
    SetClasses,
    clear_all,
    default_classes,
    with_new_class,
)
from gmmviz.core.errors import GmmvizError
from gmmviz.core.data import ClassInfo, Dataset


def dataset(n=12, seed=0, n_classes=3):
    rng = np.random.default_rng(seed)
    return Dataset(rng.normal(size=(n, 2)), rng.integers(0, n_classes, n), default_classes(n_classes))


def commands_for(ds: Dataset, rng: np.random.Generator):
    n = ds.n_points
    some = rng.choice(n, size=max(1, n // 3), replace=False) if n else np.array([], dtype=int)
    yield AddPoints(rng.normal(size=(3, 2)), [0, 1, 2])
    if n:
        yield RemovePoints(some)
        yield MovePoints(some, rng.normal(size=(some.size, 2)))
        yield RelabelPoints(some, 2)
    yield SetClasses(ds.classes + (ClassInfo("extra", "#123456"),))
    yield RemoveClass(1)
    yield clear_all(ds)
    yield with_new_class(ds)
    yield ReplaceDataset(dataset(5, 9))


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10000), n=st.integers(0, 30))
def test_every_command_is_undone_exactly(seed, n):
    ds = dataset(n, seed)
    rng = np.random.default_rng(seed)
    for cmd in commands_for(ds, rng):
        new, inverse = cmd.apply(ds)
        back, redo = inverse.apply(new)
        assert back.same_as(ds), type(cmd).__name__
        again, _ = redo.apply(back)
        assert again.same_as(new), type(cmd).__name__


def test_remove_then_insert_restores_order():
    ds = dataset(8)
    new, inv = RemovePoints([6, 1, 3]).apply(ds)
    assert new.n_points == 5
    assert isinstance(inv, InsertPoints)
    back, _ = inv.apply(new)
    np.testing.assert_array_equal(back.X, ds.X)
    np.testing.assert_array_equal(back.labels, ds.labels)


def test_remove_class_drops_its_points_and_renumbers():
    ds = Dataset(np.arange(8.0).reshape(4, 2), [0, 1, 2, 1], default_classes(3))
    new, _ = RemoveClass(1).apply(ds)
    assert [c.name for c in new.classes] == ["Class 1", "Class 3"]
    np.testing.assert_array_equal(new.labels, [0, 1])
    np.testing.assert_array_equal(new.X, [[0, 1], [4, 5]])


def test_bad_labels_and_coordinates_are_refused():
    ds = dataset(4)
    with pytest.raises(GmmvizError, match="class index 7"):
        AddPoints([[0, 0]], [7]).apply(ds)
    with pytest.raises(GmmvizError, match="NaN"):
        MovePoints([0], [[np.nan, 1]]).apply(ds)
    with pytest.raises(GmmvizError, match="class index"):
        SetClasses(ds.classes[:1]).apply(ds)
    assert ds.X.flags.writeable is False


def test_one_dimensional_points_are_a_dataset_too_and_edit_with_exact_inverses():
    from gmmviz.core.commands import AddPoints, MovePoints, RemovePoints, default_classes
    from gmmviz.core.data import Dataset

    ds = Dataset(np.array([[0.5], [1.5], [-2.0]]), [0, 1, 0], default_classes(2))
    assert ds.n_features == 1 and ds.X.shape == (3, 1)
    for command in (AddPoints([[3.0], [4.0]], [1, 1]), RemovePoints([0, 2]), MovePoints([1], [[9.0]])):
        new, inverse = command.apply(ds)
        assert new.n_features == 1
        back, _ = inverse.apply(new)
        assert back.same_as(ds)


def test_points_of_another_dimension_are_refused_with_a_message():
    from gmmviz.core.commands import AddPoints, default_classes
    from gmmviz.core.data import Dataset

    ds = Dataset(np.array([[0.5], [1.5]]), [0, 0], default_classes(1))
    with pytest.raises(GmmvizError, match="dimension 2 cannot join 1-D data"):
        AddPoints([[1.0, 2.0]], [0]).apply(ds)
    with pytest.raises(ValueError, match=r"shape \(n, 1\) or \(n, 2\)"):
        Dataset(np.zeros((2, 3)), [0, 0], default_classes(1))


def test_the_em_core_refuses_one_dimensional_points_in_one_line():
    from gmmviz.labs.em.core import FitConfig, em_steps

    with pytest.raises(GmmvizError, match="2"):
        next(em_steps(np.zeros((5, 1)) + np.arange(5)[:, None], FitConfig(n_components=1)))
