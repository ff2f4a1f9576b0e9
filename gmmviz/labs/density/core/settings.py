"""The density lab's settings as an immutable document, edited by commands with exact inverses.

The lab keeps one :class:`DensitySettings` in a ``DocumentStore``: every
slider move, spin box or scene is a :class:`SetSettings` command, so it can
be undone (a slider drag is one gesture, one undo step).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from gmmviz.core.errors import GmmvizError

MODES = ("1d", "2d")
#: What the lower plot shows: the scores against complexity, or the distances to the truth against n.
CURVE_VIEWS = ("scores", "learning")
ESTIMATORS_2D = ("hist", "vhist", "kde", "gmm", "dpgmm")
#: The slider ranges.
MAX_BINS, MAX_K, N_BANDWIDTHS = 200, 10, 50
#: Dirichlet-process concentrations the lab tries (the slider's stops).
CONCENTRATIONS = (1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0, 1e3)
#: Sizes offered by the generate panel.
MIN_N, MAX_N = 20, 100_000


@dataclass(frozen=True)
class DensitySettings:
    """Everything the lab's view depends on besides the shared points.

    Attributes
    ----------
    mode : {"1d", "2d"}
        1-D: the generated sample; 2-D: the shared painted points.
    distribution, n, seed : str, int, int
        The 1-D sample (and the seed of every split and fit).
    test_size : float
    bins : int
        Fixed histogram bins (per axis in 2-D).
    origin : float
        Bin origin, a fraction of a bin width in [0, 1).
    bandwidth_index : int
        Index into the 50 bandwidths of the sweep (Scott's / 25 to 3 x Scott's).
    k : int
    concentration_index : int
        Index into :data:`CONCENTRATIONS`.
    pseudo_count : float
    estimator_2d : str
        Which estimate the 2-D heatmap shows.
    curves_view : {"scores", "learning"}
        The lower plot: score against complexity, or the learning curve (ISE to the truth against n).
    strip : bool
        A jittered strip of the points under the 1-D densities (seeded by ``seed``).
    """

    mode: str = "1d"
    distribution: str = "bimodal"
    n: int = 1000
    seed: int = 0
    test_size: float = 0.25
    bins: int = 20
    origin: float = 0.0
    bandwidth_index: int = 25
    k: int = 2
    concentration_index: int = 3
    pseudo_count: float = 0.0
    estimator_2d: str = "kde"
    curves_view: str = "scores"
    strip: bool = False

    def __post_init__(self):
        from gmmviz.labs.density.core.truth import DISTRIBUTIONS

        checks = (
            ("mode", self.mode in MODES, f"must be one of {', '.join(MODES)}"),
            ("distribution", self.distribution in DISTRIBUTIONS, f"must be one of {', '.join(DISTRIBUTIONS)}"),
            ("n", MIN_N <= self.n <= MAX_N, f"must be from {MIN_N} to {MAX_N:,}"),
            ("seed", 0 <= self.seed < 2**31, "must be from 0 to 2^31 - 1"),
            ("bins", 1 <= self.bins <= MAX_BINS, f"must be from 1 to {MAX_BINS}"),
            ("origin", 0.0 <= self.origin < 1.0, "(the bin origin) must be in [0, 1)"),
            ("bandwidth_index", 0 <= self.bandwidth_index < N_BANDWIDTHS, f"must be below {N_BANDWIDTHS}"),
            ("k", 1 <= self.k <= MAX_K, f"must be from 1 to {MAX_K}"),
            ("concentration_index", 0 <= self.concentration_index < len(CONCENTRATIONS),
             f"must be below {len(CONCENTRATIONS)}"),
            ("pseudo_count", 0.0 <= self.pseudo_count < float("inf"), "must be a number >= 0"),
            ("test_size", 0.05 <= self.test_size <= 0.9, "must be from 0.05 to 0.9"),
            ("estimator_2d", self.estimator_2d in ESTIMATORS_2D, f"must be one of {', '.join(ESTIMATORS_2D)}"),
            ("curves_view", self.curves_view in CURVE_VIEWS, f"must be one of {', '.join(CURVE_VIEWS)}"),
            ("strip", isinstance(self.strip, bool), "must be true or false"),
        )
        for name, ok, message in checks:
            if not ok:
                raise GmmvizError(f"{name} {message}, got {getattr(self, name)!r}")

    @property
    def concentration(self) -> float:
        return CONCENTRATIONS[self.concentration_index]

    def data_key(self) -> tuple:
        """What the points and their split depend on (a change makes new data and a new sweep)."""
        return (self.mode, self.distribution, self.n, self.seed, self.test_size)

    def histogram_key(self) -> tuple:
        """What the histogram curves depend on besides the data (a change re-runs the whole sweep)."""
        return (self.origin, self.pseudo_count)


@dataclass(frozen=True)
class SetSettings:
    """Set some fields; the inverse sets them back."""

    values: tuple  # ((field, value), ...)

    @classmethod
    def of(cls, **values) -> SetSettings:
        names = {f.name for f in fields(DensitySettings)}
        bad = set(values) - names
        if bad:
            raise GmmvizError(f"no setting {min(bad)!r}")
        return cls(tuple(sorted(values.items())))

    def apply(self, document: DensitySettings) -> tuple[DensitySettings, SetSettings]:
        old = tuple((name, getattr(document, name)) for name, _ in self.values)
        return replace(document, **dict(self.values)), SetSettings(old)
