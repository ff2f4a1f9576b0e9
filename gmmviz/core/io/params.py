"""Initial parameters of a mixture as JSON (the output of ``gmmviz fit --json`` qualifies)."""

from __future__ import annotations

import json
import os

import numpy as np

from gmmviz.core.errors import FileFormatError, GmmvizError
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
    agree with ``covariance_type``.

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


def _load_json_object(path) -> dict:
    data = read_limited(path, MAX_PARAMS_BYTES, "a JSON file", lambda size: FileFormatError(
        f"{_name(path)}: larger than {MAX_PARAMS_BYTES >> 20} MB, not a parameters file"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileFormatError(f"{_name(path)}: line {line} is not valid UTF-8; save the file as UTF-8") from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileFormatError(
            f"{_name(path)}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise FileFormatError(f"{_name(path)}: JSON nested too deeply") from None
    if not isinstance(obj, dict):
        raise FileFormatError(
            f"{_name(path)}: expected a JSON object with weights, means, covariances; "
            f"got a JSON {type(obj).__name__}"
        )
    return obj
