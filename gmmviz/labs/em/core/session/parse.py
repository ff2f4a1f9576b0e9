"""Reading a session document: JSON values to :class:`~gmmviz.labs.em.core.session.model.Session`.

Qt-free.  Every field's type and shape is checked here, with its path in
the message; the rules between fields (labels name a class, positive
definite covariances, ...) are :func:`~gmmviz.labs.em.core.session.model.check_session`'s.
"""

from __future__ import annotations

import math

import numpy as np

from gmmviz.core.data import ClassInfo, Dataset
from gmmviz.core.io.jsonfields import (
    fail,
    get_array,
    get_bool,
    get_flat,
    get_int,
    get_list,
    get_number,
    get_object,
    get_str,
    join,
    kind,
)
from gmmviz.core.io.jsonload import NonFinite, NumberRun
from gmmviz.core.mixture import COVARIANCE_TYPES, GaussianParams, covariance_shape
from gmmviz.core.session.envelope import WHAT, load_document  # noqa: F401 (re-exported)
from gmmviz.labs.em.core.algorithms.types import (
    ALGORITHMS,
    SAMPLERS,
    WEIGHT_PRIORS,
    AlgorithmSettings,
)
from gmmviz.labs.em.core.session.model import (
    COLLAPSE_KINDS,
    COLOR,
    FINISH_REASONS,
    INIT_CHOICES,
    LAB_KEY,
    MAX_CLASSES,
    MAX_COMPONENTS,
    MAX_ITER,
    MAX_LAB_PART,
    MAX_LABS,
    MAX_MESSAGE,
    MAX_NAME,
    MAX_POINTS,
    MAX_SAMPLES,
    MAX_SEED,
    RunRecord,
    Session,
    lab_part_text,
)
from gmmviz.labs.em.core.types import PHASES, Collapse, EMSnapshot, ModelSettings

TOP_FIELDS = ("format", "version", "data", "classes", "model", "params", "manual_params", "cursor", "view", "history")
#: Version 2 adds the Algorithm choice (after ``model``) and the other labs' parts (before ``history``).
TOP_FIELDS_V2 = ("format", "version", "data", "classes", "model", "algorithm", "params", "manual_params", "cursor",
                 "view", "labs", "history")
ALGORITHM_FIELDS = ("algorithm", "step_size", "line_search", "samples", "sampler", "weight_prior", "concentration")
MODEL_FIELDS = ("n_components", "covariance_type", "init", "seed", "reg_covar", "max_iter", "tol")
PARAMS_FIELDS = ("covariance_type", "weights", "means", "covariances")
SNAPSHOT_FIELDS = ("iteration", "phase", "log_likelihood", "q", "entropy", "converged", "params", "collapse")
COLLAPSE_FIELDS = ("components", "kinds", "locations", "message")


def session_from_document(doc: dict) -> Session:
    """Build a :class:`Session` from the checked top-level object (types and shapes only)."""
    v2 = doc["version"] >= 2
    get_object(doc, "", TOP_FIELDS_V2 if v2 else TOP_FIELDS)
    settings = _settings(doc["model"])
    dataset = _dataset(doc["data"], doc["classes"])
    history = None if doc["history"] is None else _history(doc["history"], dataset.n_points, settings.max_iter)
    view = None if doc["view"] is None else _view(doc["view"])
    return Session(
        dataset=dataset,
        settings=settings,
        params=_optional_params(doc["params"], "params"),
        manual_params=_optional_params(doc["manual_params"], "manual_params"),
        cursor=get_int(doc["cursor"], "cursor", -1, 2 * MAX_ITER + 1),
        history=history,
        view=view,
        algorithm=_algorithm(doc["algorithm"]) if v2 else AlgorithmSettings(),
        labs=_labs(doc["labs"]) if v2 else (),
    )


def _algorithm(value) -> AlgorithmSettings:
    a = get_object(value, "algorithm", ALGORITHM_FIELDS)
    p = "algorithm."
    conc = a["concentration"]
    return AlgorithmSettings(
        algorithm=get_str(a["algorithm"], p + "algorithm", 20, ALGORITHMS),
        step_size=get_number(a["step_size"], p + "step_size", lo=0.0),
        line_search=get_bool(a["line_search"], p + "line_search"),
        samples=get_int(a["samples"], p + "samples", 1, MAX_SAMPLES),
        sampler=get_str(a["sampler"], p + "sampler", 20, SAMPLERS),
        weight_prior=get_str(a["weight_prior"], p + "weight_prior", 30, WEIGHT_PRIORS),
        concentration=None if conc is None else get_number(conc, p + "concentration", lo=0.0),
    )


def _labs(value) -> tuple[tuple[str, str], ...]:
    """The other labs' parts as canonical JSON text (each lab checks its own part's fields when it is
    put on screen); here only that each is an object of plain JSON values, of bounded size."""
    if type(value) is not dict:
        fail("labs", f"expected an object (a part per lab), got {kind(value)}")
    if len(value) > MAX_LABS:
        fail("labs", f"{len(value)} parts (at most {MAX_LABS})")
    parts = []
    for key in sorted(value):
        if not LAB_KEY.fullmatch(key):
            fail("labs", f"{key[:40]!r} is not a lab's key (lower-case letters, digits, - and _)")
        path = f"labs.{key}"
        if type(value[key]) is not dict:
            fail(path, f"expected an object, got {kind(value[key])}")
        text = lab_part_text(_plain(value[key], path))
        if len(text) > MAX_LAB_PART:
            fail(path, f"the part is larger than {MAX_LAB_PART >> 20} Mi characters")
        parts.append((key, text))
    return tuple(parts)


def _plain(value, path: str):
    """``value`` with long number lists made lists again; NaN and infinities refused."""
    if isinstance(value, NumberRun):
        bad = np.flatnonzero(~np.isfinite(value.values))
        if bad.size:
            fail(f"{path}[{bad[0]}]", "not a finite number")
        return value.tolist()
    if isinstance(value, NonFinite):
        fail(path, f"{value.literal} is not a finite number")
    if type(value) is float and not math.isfinite(value):
        fail(path, "not a finite number")
    if type(value) is dict:
        return {k: _plain(v, join(path, k)) for k, v in value.items()}
    if type(value) is list:
        return [_plain(v, f"{path}[{i}]") for i, v in enumerate(value)]
    return value


def _settings(value) -> ModelSettings:
    m = get_object(value, "model", MODEL_FIELDS)
    return ModelSettings(
        n_components=get_int(m["n_components"], "model.n_components", 1, MAX_COMPONENTS),
        covariance_type=get_str(m["covariance_type"], "model.covariance_type", 20, COVARIANCE_TYPES),
        init=get_str(m["init"], "model.init", 20, INIT_CHOICES),
        seed=get_int(m["seed"], "model.seed", 0, MAX_SEED),
        reg_covar=get_number(m["reg_covar"], "model.reg_covar", lo=0.0),
        max_iter=get_int(m["max_iter"], "model.max_iter", 1, MAX_ITER),
        tol=get_number(m["tol"], "model.tol", lo=0.0),
    )


def _dataset(data, classes) -> Dataset:
    d = get_object(data, "data", ("x", "y", "labels"))
    x = get_flat(d["x"], "data.x", MAX_POINTS)
    y = get_flat(d["y"], "data.y", MAX_POINTS)
    labels = get_flat(d["labels"], "data.labels", MAX_POINTS, integer=True)
    if y.shape != x.shape or labels.shape != x.shape:
        fail("data", f"x, y and labels must be as long as each other; they have "
             f"{x.shape[0]}, {y.shape[0]} and {labels.shape[0]} entries")
    infos = []
    for i, c in enumerate(get_list(classes, "classes", MAX_CLASSES)):
        path = f"classes[{i}]"
        c = get_object(c, path, ("name", "color"))
        infos.append(ClassInfo(get_str(c["name"], f"{path}.name", MAX_NAME),
                               get_str(c["color"], f"{path}.color", 7, pattern=COLOR, like="'#1f77b4'")))
    return Dataset(np.column_stack([x, y]), labels, tuple(infos))


def _optional_params(value, path: str) -> GaussianParams | None:
    return None if value is None else _params(value, path)


def _params(value, path: str) -> GaussianParams:
    p = get_object(value, path, PARAMS_FIELDS)
    ctype = get_str(p["covariance_type"], join(path, "covariance_type"), 20, COVARIANCE_TYPES)
    k = len(get_list(p["weights"], join(path, "weights"), MAX_COMPONENTS))
    if k == 0:
        fail(join(path, "weights"), "no components")
    weights = get_array(p["weights"], join(path, "weights"), (k,))
    means = get_array(p["means"], join(path, "means"), (k, 2))
    covariances = get_array(p["covariances"], join(path, "covariances"), covariance_shape(ctype, k))
    return GaussianParams(weights, means, covariances, ctype)


def _history(value, n_points: int, max_iter: int) -> RunRecord:
    h = get_object(value, "history", ("finish_reason", "snapshots"))
    reason = get_str(h["finish_reason"], "history.finish_reason", 20, FINISH_REASONS)
    items = get_list(h["snapshots"], "history.snapshots", 2 * max_iter + 2)
    return RunRecord(tuple(_snapshot(v, f"history.snapshots[{i}]", n_points) for i, v in enumerate(items)), reason)


def _snapshot(value, path: str, n_points: int) -> EMSnapshot:
    s = get_object(value, path, SNAPSHOT_FIELDS)
    collapse = None if s["collapse"] is None else _collapse(s["collapse"], f"{path}.collapse")
    return EMSnapshot(
        iteration=get_int(s["iteration"], f"{path}.iteration", 0, MAX_ITER),
        phase=get_str(s["phase"], f"{path}.phase", 10, PHASES),
        params=_params(s["params"], f"{path}.params"),
        log_likelihood=get_number(s["log_likelihood"], f"{path}.log_likelihood", nullable=True),
        q=get_number(s["q"], f"{path}.q", nullable=True),
        entropy=get_number(s["entropy"], f"{path}.entropy", nullable=True),
        converged=get_bool(s["converged"], f"{path}.converged"),
        collapse=collapse,
        n_points=n_points,
    )


def _collapse(value, path: str) -> Collapse:
    c = get_object(value, path, COLLAPSE_FIELDS)
    components = get_list(c["components"], f"{path}.components", MAX_COMPONENTS)
    kinds = get_list(c["kinds"], f"{path}.kinds", MAX_COMPONENTS)
    locations = get_list(c["locations"], f"{path}.locations", MAX_COMPONENTS)
    return Collapse(
        tuple(get_int(v, f"{path}.components[{i}]", 0, MAX_COMPONENTS - 1) for i, v in enumerate(components)),
        tuple(get_str(v, f"{path}.kinds[{i}]", 20, COLLAPSE_KINDS) for i, v in enumerate(kinds)),
        tuple(_location(v, f"{path}.locations[{i}]") for i, v in enumerate(locations)),
        get_str(c["message"], f"{path}.message", MAX_MESSAGE),
    )


def _location(value, path: str) -> tuple[float, float]:
    pair = get_list(value, path, 2)
    if len(pair) != 2:
        fail(path, f"expected [x, y], got {len(pair)} entries")
    return (get_number(pair[0], f"{path}[0]", nullable=True), get_number(pair[1], f"{path}[1]", nullable=True))


def _view(value) -> tuple[tuple[float, float], tuple[float, float]]:
    v = get_object(value, "view", ("x", "y"))
    out = []
    for axis in ("x", "y"):
        pair = get_list(v[axis], f"view.{axis}", 2)
        if len(pair) != 2:
            fail(f"view.{axis}", f"expected [lo, hi], got {len(pair)} entries")
        out.append((get_number(pair[0], f"view.{axis}[0]"), get_number(pair[1], f"view.{axis}[1]")))
    return out[0], out[1]
