"""What a session holds, and the rules it must keep (Qt-free).

:mod:`gmmviz.labs.em.core.session.files` writes and reads these objects; both directions
call :func:`check_session`, so a file this version writes is a file it
reads.  Every refusal is a :class:`~gmmviz.core.errors.FileFormatError`
whose message starts with the path of the field, e.g. ``classes[2].color``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from gmmviz.core.data import Dataset
from gmmviz.core.errors import FileFormatError, GmmvizError
from gmmviz.core.geometry import MAX_COORDINATE
from gmmviz.core.mixture import COVARIANCE_TYPES, GaussianParams
from gmmviz.core.session.envelope import (  # noqa: F401 (re-exported)
    SESSION_FORMAT,
    SESSION_SUFFIX,
    SESSION_VERSION,
    lab_part_text,
)
from gmmviz.core.validation import check_params
from gmmviz.labs.em.core.algorithms.types import (
    ALGORITHMS,
    SAMPLERS,
    WEIGHT_PRIORS,
    AlgorithmSettings,
)
from gmmviz.labs.em.core.types import PHASES, EMSnapshot, ModelSettings

#: Limits: anything beyond is not a lecture scene.
MAX_POINTS = 20_000_000
MAX_CLASSES = 1000
MAX_COMPONENTS = 20  # the model panel's range
MAX_ITER = 100_000
MAX_SEED = 2**31 - 1
MAX_NAME = 10_000  # class names: generous, a save must not fail on a long name
MAX_MESSAGE = 4000

INIT_CHOICES = ("random", "kmeans++", "random-resp", "manual")
FINISH_REASONS = ("converged", "max_iter", "collapse", "failed")
COLLAPSE_KINDS = ("point", "line", "empty", "non-finite")
COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
#: A lab's key in the session's ``labs`` object (the registry's keys: "density", "graphs", ...).
LAB_KEY = re.compile(r"[a-z][a-z0-9_-]{0,39}")
MAX_LABS = 64
#: The largest part one lab may keep, as canonical JSON text (characters).
MAX_LAB_PART = 16 << 20
MAX_SAMPLES = 10_000  # the Algorithm panel's range for m


@dataclass(frozen=True, eq=False)
class RunRecord:
    """A finished EM run: its snapshots (without responsibilities) and why it ended."""

    snapshots: tuple[EMSnapshot, ...]
    finish_reason: str


@dataclass(frozen=True, eq=False)
class Session:
    """Everything a lecturer prepared in one window.

    Attributes
    ----------
    dataset : Dataset
    settings : ModelSettings
    params : GaussianParams or None
        The parameters on screen (with a history: its snapshot at ``cursor``).
    manual_params : GaussianParams or None
        The start of a "manual" initialisation (dragged means), if any.
    cursor : int
        The half-step on screen, -1 for none.
    history : RunRecord or None
        The run, if it is saved (else it is recomputed from the settings).
    view : ((x0, x1), (y0, y1)) or None
        The visible range of the canvas, data units.
    algorithm : AlgorithmSettings
        What fits the mixture (EM by default) and its own settings (format version 2).
    labs : tuple of (str, str)
        The other labs' parts, ``(lab key, canonical JSON text of one object)``, sorted by key
        (format version 2); text, so that what crosses to the writer thread is immutable.
        Each lab reads its own part (:meth:`gmmviz.qt.lab.Lab.apply_session_part`).
    """

    dataset: Dataset
    settings: ModelSettings = field(default_factory=ModelSettings)
    params: GaussianParams | None = None
    manual_params: GaussianParams | None = None
    cursor: int = -1
    history: RunRecord | None = None
    view: tuple[tuple[float, float], tuple[float, float]] | None = None
    algorithm: AlgorithmSettings = field(default_factory=AlgorithmSettings)
    labs: tuple[tuple[str, str], ...] = ()

    @property
    def version(self) -> int:
        """The format version this session needs: 1 unless it uses what version 2 added (another
        algorithm, other labs' parts), so a file of an EM-only scene still opens in an older gmmviz."""
        return 2 if self.algorithm != AlgorithmSettings() or self.labs else 1


def _fail(path: str, problem: str):
    raise FileFormatError(f"{path}: {problem}")


def _is_int(value, lo: int, hi: int) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool) and lo <= value <= hi


def _is_number(value, lo: float = 0.0) -> bool:
    return isinstance(value, (int, float, np.floating)) and not isinstance(value, bool) \
        and math.isfinite(value) and value >= lo


def check_session(session: Session) -> Session:
    """Check every rule of a session.

    Raises
    ------
    FileFormatError
        Naming the first field that breaks a rule.
    """
    check_dataset(session.dataset)
    check_settings(session.settings)
    s = session.settings
    if session.params is not None:
        check_params_values(session.params, "params", s)
    if session.manual_params is not None:
        check_params_values(session.manual_params, "manual_params", None)
    n_steps = 2 * s.max_iter + 2
    if session.history is not None:
        check_history(session.history, s)
        n_steps = len(session.history.snapshots)
    if not _is_int(session.cursor, -1, n_steps - 1):
        _fail("cursor", f"{session.cursor!r} is out of range (-1 to {n_steps - 1})")
    if session.history is not None and session.cursor >= 0:
        shown = session.history.snapshots[session.cursor].params
        if session.params is None or not same_params(shown, session.params):
            _fail("params", f"not the parameters of history.snapshots[{session.cursor}], the one on screen")
    if session.view is not None:
        check_view(session.view)
    check_algorithm(session.algorithm)
    if session.history is not None and session.algorithm.algorithm != "em":
        _fail("history", f"a saved run is EM's; a run of {session.algorithm.algorithm!r} is recomputed "
              "from the settings when the session is opened")
    check_lab_parts(session.labs)
    return session


def check_algorithm(a: AlgorithmSettings) -> None:
    """The Algorithm choice within what the studio's Algorithm panel offers."""
    rules = (
        ("algorithm", a.algorithm in ALGORITHMS, f"one of {', '.join(ALGORITHMS)}"),
        ("step_size", _is_number(a.step_size) and 0 < a.step_size <= 1e6, "a number in (0, 1e6]"),
        ("line_search", isinstance(a.line_search, bool), "true or false"),
        ("samples", _is_int(a.samples, 1, MAX_SAMPLES), f"an integer from 1 to {MAX_SAMPLES}"),
        ("sampler", a.sampler in SAMPLERS, f"one of {', '.join(SAMPLERS)}"),
        ("weight_prior", a.weight_prior in WEIGHT_PRIORS, f"one of {', '.join(WEIGHT_PRIORS)}"),
        ("concentration", a.concentration is None or (_is_number(a.concentration) and 0 < a.concentration <= 1e12),
         "null (1/K) or a number in (0, 1e12]"),
    )
    for name, ok, expected in rules:
        if not ok:
            _fail(f"algorithm.{name}", f"{getattr(a, name)!r:.40} is not {expected}")


def check_lab_parts(parts) -> None:
    """Each part a lab key and the JSON text of one object, keys sorted and unique."""
    if len(parts) > MAX_LABS:
        _fail("labs", f"{len(parts)} parts (at most {MAX_LABS})")
    keys = [key for key, _ in parts]
    if keys != sorted(set(keys)):
        _fail("labs", "lab keys must be unique and sorted")
    for key, text in parts:
        if not isinstance(key, str) or not LAB_KEY.fullmatch(key):
            _fail("labs", f"{key!r:.40} is not a lab's key (lower-case letters, digits, - and _)")
        if not isinstance(text, str) or len(text) > MAX_LAB_PART or not text.startswith("{"):
            _fail(f"labs.{key}", f"a lab's part is one JSON object of at most {MAX_LAB_PART >> 20} Mi characters")


def check_dataset(ds: Dataset) -> None:
    """Points finite, labels naming a class, classes well formed."""
    n, k = ds.n_points, len(ds.classes)
    if n > MAX_POINTS:
        _fail("data.x", f"{n} points (at most {MAX_POINTS})")
    if k > MAX_CLASSES:
        _fail("classes", f"{k} classes (at most {MAX_CLASSES})")
    bad = ~np.isfinite(ds.X)
    if bad.any():
        row, col = (int(v) for v in np.argwhere(bad)[0])
        _fail(f"data.{'xy'[col]}[{row}]", "not a finite number")
    if n and (ds.labels.min() < 0 or ds.labels.max() >= k):
        row = int(np.flatnonzero((ds.labels < 0) | (ds.labels >= k))[0])
        _fail(f"data.labels[{row}]", f"{int(ds.labels[row])} is not a class (there are {k}: 0 to {k - 1})")
    for i, c in enumerate(ds.classes):
        if not isinstance(c.name, str) or len(c.name) > MAX_NAME:
            _fail(f"classes[{i}].name", f"a name is text of at most {MAX_NAME} characters")
        if not isinstance(c.color, str) or not COLOR.fullmatch(c.color):
            _fail(f"classes[{i}].color", f"{c.color!r:.40} is not a colour like '#1f77b4'")


def check_settings(s: ModelSettings) -> None:
    """Every model setting within the range the window offers."""
    rules = (
        ("n_components", _is_int(s.n_components, 1, MAX_COMPONENTS), f"an integer from 1 to {MAX_COMPONENTS}"),
        ("covariance_type", s.covariance_type in COVARIANCE_TYPES, f"one of {', '.join(COVARIANCE_TYPES)}"),
        ("init", s.init in INIT_CHOICES, f"one of {', '.join(INIT_CHOICES)}"),
        ("seed", _is_int(s.seed, 0, MAX_SEED), f"an integer from 0 to {MAX_SEED}"),
        ("reg_covar", _is_number(s.reg_covar), "a finite number >= 0"),
        ("max_iter", _is_int(s.max_iter, 1, MAX_ITER), f"an integer from 1 to {MAX_ITER}"),
        ("tol", _is_number(s.tol), "a finite number >= 0"),
    )
    for name, ok, expected in rules:
        if not ok:
            _fail(f"model.{name}", f"{getattr(s, name)!r:.40} is not {expected}")


def check_params_values(p: GaussianParams, path: str, settings: ModelSettings | None) -> None:
    """Positive-definite covariances, weights summing to 1, and (with
    ``settings``) the settings' number of components and covariance type."""
    if p.n_components > MAX_COMPONENTS:
        _fail(f"{path}.weights", f"{p.n_components} components (at most {MAX_COMPONENTS})")
    try:
        with np.errstate(all="ignore"):  # absurd magnitudes are refused, not warned about
            check_params(p.weights, p.means, p.covariances, p.covariance_type)
    except GmmvizError as exc:
        _fail(path, str(exc))
    if settings is not None and p.covariance_type != settings.covariance_type:
        _fail(f"{path}.covariance_type", f"{p.covariance_type!r} but model.covariance_type is "
              f"{settings.covariance_type!r}")
    if settings is not None and p.n_components != settings.n_components:
        _fail(f"{path}.weights", f"{p.n_components} components but model.n_components is {settings.n_components}")


def check_history(run: RunRecord, s: ModelSettings) -> None:
    """A finished run of the session's settings."""
    if run.finish_reason not in FINISH_REASONS:
        _fail("history.finish_reason", f"{run.finish_reason!r:.40} is not one of {', '.join(FINISH_REASONS)}")
    most = 2 * s.max_iter + 2
    if not 1 <= len(run.snapshots) <= most:
        _fail("history.snapshots", f"{len(run.snapshots)} snapshots (a run of max_iter={s.max_iter} "
              f"has 1 to {most})")
    for i, snap in enumerate(run.snapshots):
        path = f"history.snapshots[{i}]"
        if not _is_int(snap.iteration, 0, s.max_iter):
            _fail(f"{path}.iteration", f"{snap.iteration!r} is out of range (0 to {s.max_iter})")
        if snap.phase not in PHASES:
            _fail(f"{path}.phase", f"{snap.phase!r:.40} is not one of {', '.join(PHASES)}")
        for name in ("log_likelihood", "q", "entropy"):
            value = getattr(snap, name)
            if not isinstance(value, float) or math.isinf(value):
                _fail(f"{path}.{name}", "not a finite number or null")
        check_params_values(snap.params, f"{path}.params", s)
        if snap.collapse is not None:
            _check_collapse(snap.collapse, f"{path}.collapse", s.n_components)


def _check_collapse(c, path: str, n_components: int) -> None:
    n = len(c.components)
    if not 1 <= n <= n_components or len(c.kinds) != n or len(c.locations) != n:
        _fail(path, f"components, kinds and locations must all list the same 1 to {n_components} components")
    for i, (index, kind) in enumerate(zip(c.components, c.kinds)):
        if not _is_int(index, 0, n_components - 1):
            _fail(f"{path}.components[{i}]", f"{index!r} is not a component (0 to {n_components - 1})")
        if kind not in COLLAPSE_KINDS:
            _fail(f"{path}.kinds[{i}]", f"{kind!r:.40} is not one of {', '.join(COLLAPSE_KINDS)}")
    if not isinstance(c.message, str) or len(c.message) > MAX_MESSAGE:
        _fail(f"{path}.message", f"a message is text of at most {MAX_MESSAGE} characters")


def check_view(view) -> None:
    """Two non-empty ranges within +-MAX_COORDINATE (a range too narrow to
    draw is widened where it is drawn, by ``drawable_range``)."""
    for axis, (lo, hi) in zip("xy", view):
        if not (_is_number(lo, -MAX_COORDINATE) and _is_number(hi, -MAX_COORDINATE) and lo < hi
                and hi <= MAX_COORDINATE):
            _fail(f"view.{axis}", f"[{lo!r}, {hi!r}] is not a range lo < hi of numbers within ±{MAX_COORDINATE:g}")


def same_params(a: GaussianParams, b: GaussianParams) -> bool:
    """Identical parameters, bit for bit."""
    return (a.covariance_type == b.covariance_type and a.weights.shape == b.weights.shape
            and all(np.array_equal(x, y) for x, y in ((a.weights, b.weights), (a.means, b.means),
                                                      (a.covariances, b.covariances))))
