"""The classification core stays light: no Qt, no scikit-learn; ``import gmmviz`` loads neither numpy nor the classifiers."""

from __future__ import annotations

from tests.test_architecture import QT_MODULES, loaded_after

CORE = ("model", "fitting", "em_nd", "grid", "split", "compare", "loader")


def test_the_classification_core_loads_no_qt_and_no_sklearn():
    mods = loaded_after("; ".join(f"import gmmviz.labs.classify.core.{m}" for m in CORE))
    assert not {m for m in mods if m.split(".")[0] in QT_MODULES + ("sklearn",) or m.startswith("gmmviz.qt")}


def test_the_classify_command_loads_sklearn_only_to_compare():
    mods = loaded_after("import gmmviz.cli.classify, gmmviz.labs.classify.core.fitting")
    assert "sklearn" not in {m.split(".")[0] for m in mods}


def test_import_gmmviz_is_light_and_the_classifiers_load_on_first_use():
    assert "numpy" not in loaded_after("import gmmviz")
    mods = loaded_after("from gmmviz import GMMClassifier, NaiveBayes, LDA, QDA, compare, load_estimator")
    assert "gmmviz.labs.classify.estimators" in mods and "PySide6" not in mods
