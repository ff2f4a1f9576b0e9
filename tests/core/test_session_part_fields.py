"""The typed fields of a lab's session part: defaults for missing keys, unknown keys ignored,
a wrong value refused with its path, and settings dataclasses checked field by field."""

from __future__ import annotations

import math

import pytest

from gmmviz.core.errors import FileFormatError
from gmmviz.core.session.parts import (
    Boolean,
    Choice,
    Integer,
    Integers,
    Number,
    read_part,
    read_settings,
    settings_part,
    write_part,
)

FIELDS = (Integer("k", 3, 1, 12), Number("step", 0.1, 0.0, 10.0), Boolean("on", False),
          Choice("sampler", "prior", ("prior", "posterior")), Integers("masses", (1, 2), 0, 100, 2, 2))


def test_missing_keys_take_defaults_and_unknown_keys_are_ignored():
    values = read_part("lab", {"k": 5, "from_a_newer_gmmviz": [1, 2]}, FIELDS)
    assert values == {"k": 5, "step": 0.1, "on": False, "sampler": "prior", "masses": (1, 2)}
    assert write_part(values, FIELDS)["masses"] == [1, 2]


@pytest.mark.parametrize("name, value, why", [
    ("k", True, "expected an integer, got true/false"), ("k", 13, r"13 is out of range \(1 to 12\)"),
    ("k", 2.0, "expected an integer, got a number"), ("step", math.nan, "the number is too large"),
    ("step", "1", "expected a number, got a string"), ("step", 11, "11.0 is above 10.0"),
    ("on", 1, "expected true or false"), ("sampler", "Prior", "'Prior' is not one of prior, posterior"),
    ("masses", [1], r"1 entries \(at least 2\)"), ("masses", [1, 2, 3], r"3 entries \(at most 2\)"),
])
def test_a_wrong_value_is_refused_with_its_path(name, value, why):
    with pytest.raises(FileFormatError, match=rf"^labs\.lab\.{name}: {why}"):
        read_part("lab", {name: value}, FIELDS)


def test_a_wrong_item_of_a_list_is_named_by_its_index():
    with pytest.raises(FileFormatError, match=r"^labs\.lab\.masses\[1\]: 101 is out of range \(0 to 100\)"):
        read_part("lab", {"masses": [1, 101]}, FIELDS)


def test_a_part_that_is_not_an_object_is_refused():
    with pytest.raises(FileFormatError, match=r"^labs\.lab: expected an object, got a list"):
        read_part("lab", [], FIELDS)


def test_a_settings_dataclass_is_checked_field_by_field_by_its_own_rules():
    from gmmviz.labs.density.core.settings import DensitySettings

    s = DensitySettings(bins=37, origin=0.5, distribution="uniform")
    part = settings_part(s)
    assert read_settings("density", part, DensitySettings) == s
    for name, value, why in (("bins", 0, "bins must be from 1"), ("origin", 1.0, r"origin .*\[0, 1\)"),
                             ("distribution", "nope", "distribution must be one of"), ("n", 1.5, "expected an integer, got a number")):
        with pytest.raises(FileFormatError, match=rf"^labs\.density\.{name}: {why}"):
            read_settings("density", {**part, name: value}, DensitySettings)


def test_classify_settings_refuse_what_the_classifier_cannot_use():
    from gmmviz.labs.classify.core.frame import ClassifySettings, check_priors

    part = settings_part(ClassifySettings(model="gmm", n_components=(3, 1)))
    assert part["n_components"] == [3, 1]
    assert read_settings("classify", part, ClassifySettings).n_components == (3, 1)
    with pytest.raises(FileFormatError, match=r"^labs\.classify\.n_components: "):
        read_settings("classify", {**part, "n_components": [0]}, ClassifySettings)
    with pytest.raises(FileFormatError, match=r"^labs\.classify\.model: "):
        read_settings("classify", {**part, "model": "svm"}, ClassifySettings)
    assert check_priors([0.25, 0.75]) == (0.25, 0.75)
    for bad in ([1.0], [0.5, 0.6], [0.0, 1.0], "0.5"):
        with pytest.raises(ValueError):
            check_priors(bad)
