"""Data at scales float64 cannot square, and JSON nested beyond reason, are one clear line from
every lab's command (not RuntimeWarnings, NaN in the output, or a RecursionError)."""

from __future__ import annotations

import numpy as np
import pytest

from gmmviz.cli import main
from gmmviz.core.errors import GmmvizError
from gmmviz.core.gaussian import Standardizer
from gmmviz.core.validation import centre_and_spread, check_spread
from tests.cli.test_cli import assert_one_line_error

HUGE = "x,y,label\n1e308,1e308,a\n-1e308,2,b\n3,4,a\n5,6,b\n"
TINY = "x,y,label\n" + "".join(f"{i * 1e-150!r},{-i * 1e-150!r},{'ab'[i % 2]}\n" for i in range(8))


@pytest.mark.parametrize("content", [HUGE, TINY], ids=["huge", "tiny"])
@pytest.mark.parametrize("command, prog", [
    (["fit", "{path}", "--k", "2"], "gmmviz fit"),
    (["classify", "{path}"], "gmmviz classify"),
    (["density", "{path}", "--columns", "x,y"], "gmmviz density"),
    (["density", "{path}", "--column", "x"], "gmmviz density"),
], ids=["fit", "classify", "density-2d", "density-1d"])
def test_points_whose_variance_float64_cannot_hold_are_one_line(tmp_path, capsys, recwarn, content, command, prog):
    path = tmp_path / "scale.csv"
    path.write_text(content)
    status = main([part.replace("{path}", str(path)) for part in command])
    out, err = capsys.readouterr()
    assert status == 1 and out == ""
    assert_one_line_error(err, prog)
    assert "spread" in err and "rescale the data" in err
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_a_model_json_nested_beyond_reason_is_one_line(tmp_path, capsys):
    path = tmp_path / "deep.json"
    path.write_text('{"nodes": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert main(["graph", str(path)]) == 1
    out, err = capsys.readouterr()
    assert_one_line_error(err, "gmmviz graph")
    assert "nested" in err and "RecursionError" not in err


def test_the_spread_is_the_rms_distance_per_coordinate_at_any_magnitude():
    rng = np.random.default_rng(3)
    for scale in (1e-120, 1.0, 1e120):
        X = rng.normal(size=(500, 3)) * scale + 7 * scale
        centre, spread, _ = centre_and_spread(X)
        oracle = np.sqrt(np.mean((X - X.mean(axis=0)) ** 2))  # no overflow at these scales
        assert np.allclose(centre, X.mean(axis=0), rtol=1e-12) and spread == pytest.approx(oracle, rel=1e-12)
        assert check_spread(X) == pytest.approx(oracle, rel=1e-12)
    X2 = rng.normal(size=(50, 2))
    std = Standardizer.fit(X2)  # the EM frame is the same computation
    assert std.spread == pytest.approx(centre_and_spread(X2)[1], rel=1e-15)
    assert check_spread(np.full((4, 2), 3.0)) == 0.0  # identical points pass: collapse says so later
    with pytest.raises(GmmvizError, match="spread"):
        check_spread(np.array([[1e300, 0.0], [-1e300, 0.0]]))


def test_the_estimators_refuse_such_training_data_as_a_value_error():
    from gmmviz import GMMClassifier, NaiveBayes

    X = np.array([[1e300, 1e300], [-1e300, 2.0], [3.0, 4.0], [5.0, 6.0]])
    for est in (NaiveBayes(), GMMClassifier(n_components=1)):
        with pytest.raises(ValueError, match="spread"):
            est.fit(X, [0, 1, 0, 1])
