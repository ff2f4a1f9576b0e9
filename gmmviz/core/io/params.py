"""Initial parameters of a mixture as JSON (the output of ``gmmviz fit --json`` qualifies)."""

from __future__ import annotations

import math
import os

import numpy as np

from gmmviz.core.errors import FileFormatError, GmmvizError
from gmmviz.core.io.jsonfields import NumberRun, join, kind, load_strict
from gmmviz.core.io.reading import read_limited
from gmmviz.core.mixture import GaussianParams
from gmmviz.core.validation import check_covariance_type, check_means, check_params

#: A parameters file larger than this is not a parameters file.
MAX_PARAMS_BYTES = 16 << 20


def read_params_json(path, *, covariance_type: str, n_components: int | None = None) -> GaussianParams | np.ndarray:
    """Read initial parameters, or initial means, from a JSON file.

    The file holds one object with ``weights``, ``means`` and
    ``covariances`` in scikit-learn's shapes for ``covariance_type`` (the
    output of ``gmmviz fit --json`` qualifies), or with ``means`` alone.
    Other keys are ignored, except that a ``covariance_type`` key must
    agree with ``covariance_type``.  The JSON is read by the strict layer
    sessions use (:func:`~gmmviz.core.io.jsonfields.load_strict`): duplicate
    keys, NaN, integers of thousands of digits and deep nesting are refused,
    and so are strings, true/false and null where numbers are meant.

    Parameters
    ----------
    path : str or os.PathLike
    covariance_type : {"full", "diag", "spherical", "tied"}
    n_components : int, optional
        The number of components the file must describe.

    Returns
    -------
    GaussianParams
        When the file gives weights, means and covariances.
    ndarray of shape (n_components, 2)
        When it gives means alone.

    Raises
    ------
    FileFormatError
        Malformed JSON (with its line and column) or invalid parameters.
    GmmvizError
        The file cannot be read.
    """
    check_covariance_type(covariance_type)
    obj = _load_json_object(path)
    given = [key for key in ("weights", "means", "covariances") if key in obj]
    if "means" not in obj or len(given) == 2:
        raise FileFormatError(
            f"{_name(path)}: has {', '.join(given) or 'none of weights, means, covariances'}; "
            "give weights, means and covariances, or means alone"
        )
    declared = obj.get("covariance_type", covariance_type)
    if declared != covariance_type:
        raise FileFormatError(
            f"{_name(path)}: the parameters are for covariance type {declared!r} "
            f"but the fit uses {covariance_type!r} (choose the matching covariance type)"
        )
    for key in given:
        _numbers(obj[key], key, path)
    try:
        if len(given) == 1:
            return check_means(obj["means"], n_components)
        return check_params(
            obj["weights"], obj["means"], obj["covariances"], covariance_type, n_components=n_components
        )
    except GmmvizError as exc:
        raise FileFormatError(f"{_name(path)}: {exc}") from None


def _name(path) -> str:
    return os.path.basename(os.fspath(path)) or os.fspath(path)


def _numbers(value, where: str, path, depth: int = 0) -> None:
    """Refuse anything but (nested lists of) JSON numbers: no strings, true/false, null or NaN."""
    if type(value) is list and depth < 3:
        for i, item in enumerate(value):
            _numbers(item, join(where, i), path, depth + 1)
    elif type(value) not in (int, float):
        raise FileFormatError(f"{_name(path)}: {where}: expected {'a number' if type(value) is not list else 'fewer nested lists'}, got {kind(value)}")
    elif not math.isfinite(float(value) if type(value) is float or abs(value) < 10**308 else math.inf):
        raise FileFormatError(f"{_name(path)}: {where}: the number is too large")


def _load_json_object(path) -> dict:
    data = read_limited(path, MAX_PARAMS_BYTES, "a JSON file", lambda size: FileFormatError(
        f"{_name(path)}: larger than {MAX_PARAMS_BYTES >> 20} MB, not a parameters file"))
    try:
        obj = load_strict(data, "a parameters file")
    except FileFormatError as exc:
        raise FileFormatError(f"{_name(path)}: {exc}") from None
    if isinstance(obj, dict):
        obj = {k: v.tolist() if isinstance(v, NumberRun) else v for k, v in obj.items()}
    else:
        raise FileFormatError(
            f"{_name(path)}: expected a JSON object with weights, means, covariances; got {kind(obj)}"
        )
    declared = obj.get("covariance_type")
    if declared is not None and type(declared) is not str:
        raise FileFormatError(f"{_name(path)}: covariance_type: expected a string, got {kind(declared)}")
    return obj
