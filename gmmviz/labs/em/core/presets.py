"""Seeded synthetic datasets, and sampling from a mixture the lecturer defines.

Everything is numpy only and deterministic for a seed.  Gaussian presets
are drawn with the lecture's generative process (:func:`sample_mixture`:
z_t ~ Mult(pi), then x_t | z_t = i ~ N(mu_i, Sigma_i)) and carry their
generating mixture as ``truth``; moons and circles are not mixtures and
carry none.

A mixture typed as a table has one row per component,
``(weight, mu_x, mu_y, sigma_x, sigma_y, rho)`` with
``Sigma = [[sx^2, rho sx sy], [rho sx sy, sy^2]]``; see
:func:`mixture_from_rows` and :func:`rows_from_mixture`.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Callable

import numpy as np

from gmmviz.core.data import ClassInfo, Dataset
from gmmviz.core.datasets import LoadedData
from gmmviz.core.errors import GmmvizError
from gmmviz.core.mixture import GaussianParams, sample
from gmmviz.core.palette import class_color
from gmmviz.core.validation import check_params

MAX_POINTS = 1_000_000
ROW_FIELDS = ("weight", "μx", "μy", "σx", "σy", "ρ")


# --------------------------------------------------------------------------
# A mixture as a table, and sampling from it
# --------------------------------------------------------------------------


def covariance_from_sigmas(sx: float, sy: float, rho: float) -> np.ndarray:
    """The 2x2 covariance [[sx^2, rho sx sy], [rho sx sy, sy^2]]."""
    c = rho * sx * sy
    return np.array([[sx * sx, c], [c, sy * sy]])


def covariance_from_axes(angle: float, sd_a: float, sd_b: float) -> np.ndarray:
    """The 2x2 covariance with standard deviation ``sd_a`` along the direction
    ``angle`` (radians from the x axis) and ``sd_b`` across it."""
    u = np.array([np.cos(angle), np.sin(angle)])
    v = np.array([-u[1], u[0]])
    return sd_a**2 * np.outer(u, u) + sd_b**2 * np.outer(v, v)


def sigmas_from_covariance(cov: np.ndarray) -> tuple[float, float, float]:
    """(sigma_x, sigma_y, rho) of a 2x2 covariance of shape (2, 2)."""
    sx, sy = float(np.sqrt(cov[0, 0])), float(np.sqrt(cov[1, 1]))
    return sx, sy, float(cov[0, 1] / (sx * sy))


def rows_from_mixture(params: GaussianParams) -> np.ndarray:
    """Table rows (weight, mu_x, mu_y, sigma_x, sigma_y, rho), shape (n_components, 6)."""
    full = params.full_covariances()
    sx, sy = np.sqrt(full[:, 0, 0]), np.sqrt(full[:, 1, 1])
    rho = full[:, 0, 1] / (sx * sy)
    return np.column_stack([params.weights, params.means, sx, sy, rho])


def mixture_from_rows(rows) -> GaussianParams:
    """A validated mixture (full covariances) from table rows.

    Parameters
    ----------
    rows : array-like of shape (n_components, 6)
        ``(weight, mu_x, mu_y, sigma_x, sigma_y, rho)`` per component.
        Weights need only be >= 0 with a positive sum: they are normalised.

    Returns
    -------
    GaussianParams

    Raises
    ------
    GmmvizError
        Naming the component (from 1) and the bad value: a weight < 0 or all
        zero, sigma <= 0, |rho| >= 1, or anything not finite.
    """
    r = np.asarray(rows, dtype=np.float64)
    if r.ndim != 2 or r.shape[1] != 6 or r.shape[0] == 0:
        raise GmmvizError(f"a mixture needs rows of {', '.join(ROW_FIELDS)}; got shape {r.shape}")
    problem = row_problem(r)
    if problem is not None:
        raise GmmvizError(problem[2])
    covs = np.stack([covariance_from_sigmas(*row[3:]) for row in r])
    return check_params(r[:, 0] / r[:, 0].sum(), r[:, 1:3], covs, "full")


def row_problem(rows: np.ndarray) -> tuple[int, int, str] | None:
    """The first bad entry of mixture table rows, or None.

    Parameters
    ----------
    rows : ndarray of shape (n_components, 6)

    Returns
    -------
    (row, column, message) or None
        0-based row and column of the bad cell (column -1 when the weights
        as a whole are at fault); the message counts components from 1.
    """
    for i, row in enumerate(rows):
        for j, (name, value) in enumerate(zip(ROW_FIELDS, row)):
            if not np.isfinite(value):
                return i, j, f"Component {i + 1}: {name} must be a finite number, got {value}"
        w, _, _, sx, sy, rho = row
        if w < 0:
            return i, 0, f"Component {i + 1}: the weight must be ≥ 0, got {w:g}"
        for j, name, sd in ((3, "σx", sx), (4, "σy", sy)):
            if sd <= 0:
                return i, j, f"Component {i + 1}: {name} must be > 0 (a standard deviation), got {sd:g}"
        if not abs(rho) < 1:
            return i, 5, (f"Component {i + 1}: the correlation ρ must lie strictly between −1 and 1, got "
                          f"{rho:g} (ρ = ±1 would be a flat ellipse, not a positive definite covariance)")
    if not rows[:, 0].sum() > 0:
        return 0, -1, "The weights are all zero: give at least one component a positive weight"
    return None


def check_sample_size(n_points, seed) -> tuple[int, int]:
    """Validate a number of points (1..MAX_POINTS) and a seed (>= 0)."""
    for name, value, lo, hi in (("N", n_points, 1, MAX_POINTS), ("seed", seed, 0, 2**32 - 1)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not lo <= value <= hi:
            raise GmmvizError(f"{name} must be an integer from {lo:,} to {hi:,}, got {value!r}")
    return int(n_points), int(seed)


def sample_mixture(params: GaussianParams, n_points: int, seed: int, *, title: str = "Sample of a mixture",
                   class_name: str = "Component") -> LoadedData:
    """Ancestral sampling with each point labelled by its true component.

    Parameters
    ----------
    params : GaussianParams
        The "true" mixture (any covariance type).
    n_points : int
    seed : int
    title : str
    class_name : str
        Classes are named ``f"{class_name} {i}"`` for i = 1..n_components.

    Returns
    -------
    LoadedData
        ``dataset.X`` of shape (n_points, 2); ``dataset.labels[t] = z_t``;
        one class per component (in the class palette), even if empty;
        ``truth`` is ``params`` with full covariances.
    """
    n_points, seed = check_sample_size(n_points, seed)
    X, z = sample(params, n_points, random_state=seed)
    classes = tuple(ClassInfo(f"{class_name} {i + 1}", class_color(i)) for i in range(params.n_components))
    truth = GaussianParams(params.weights, params.means, params.full_covariances(), "full")
    return LoadedData(Dataset(X, z, classes), truth, title)


# --------------------------------------------------------------------------
# Presets
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Preset:
    """A named synthetic dataset with default size and seed."""

    key: str
    title: str
    description: str
    n_points: int
    seed: int
    build: Callable[[int, int], LoadedData]


BLOBS = mixture_from_rows([[1, -4.0, -2.0, 1.0, 1.0, 0.0], [1, 4.0, -1.0, 1.0, 1.0, 0.0], [1, 0.0, 4.5, 1.0, 1.0, 0.0]])
# Three long thin parallel clusters, side by side across their short axis.
_ANGLE = np.deg2rad(30.0)
_STEP = 2.3 * np.array([-np.sin(_ANGLE), np.cos(_ANGLE)])


def _elongated(centre, long_sd: float, short_sd: float, angle: float) -> np.ndarray:
    return np.array([1.0, *centre, *sigmas_from_covariance(covariance_from_axes(angle, long_sd, short_sd))])


ANISOTROPIC = mixture_from_rows([_elongated(t * _STEP, 3.0, 0.45, _ANGLE) for t in (-1, 0, 1)])
UNEVEN = mixture_from_rows([[0.75, -3.0, 0.0, 1.8, 1.6, 0.2], [0.2, 3.5, 2.5, 0.8, 0.8, 0.0],
                            [0.05, 3.0, -3.0, 0.4, 0.4, 0.0]])
OVERLAPPING = mixture_from_rows([[0.4, -1.5, 0.0, 1.4, 1.1, 0.3], [0.35, 1.5, 0.2, 1.2, 1.4, -0.3],
                                 [0.25, 0.0, 2.4, 1.3, 1.0, 0.0]])


def _gaussian_preset(params: GaussianParams, title: str):
    def build(n_points: int, seed: int) -> LoadedData:
        return sample_mixture(params, n_points, seed, title=title, class_name="Cluster")
    return build


def moons(n_points: int, seed: int, *, noise: float = 0.12, scale: float = 4.0) -> LoadedData:
    """Two interleaving half circles (not a Gaussian mixture), classes = moon.

    Returns
    -------
    LoadedData
        X of shape (n_points, 2), centred; ``truth`` None.
    """
    n_points, seed = check_sample_size(n_points, seed)
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n_points) % 2)
    t = rng.uniform(0.0, np.pi, n_points)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)])
    X = np.where(labels[:, None] == 0, upper, lower) + noise * rng.standard_normal((n_points, 2))
    X = scale * (X - [0.5, 0.25])
    classes = (ClassInfo("Upper moon", class_color(0)), ClassInfo("Lower moon", class_color(1)))
    return LoadedData(Dataset(X, labels, classes), None, "Two moons")


def circles(n_points: int, seed: int, *, noise: float = 0.05, factor: float = 0.45,
            scale: float = 5.0) -> LoadedData:
    """Two concentric noisy circles (not a Gaussian mixture), classes = ring.

    Returns
    -------
    LoadedData
        X of shape (n_points, 2), centred at 0; ``truth`` None.
    """
    n_points, seed = check_sample_size(n_points, seed)
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n_points) % 2)
    t = rng.uniform(0.0, 2.0 * np.pi, n_points)
    radius = np.where(labels == 0, 1.0, factor)
    X = radius[:, None] * np.column_stack([np.cos(t), np.sin(t)])
    X = scale * (X + noise * rng.standard_normal((n_points, 2)))
    classes = (ClassInfo("Outer ring", class_color(0)), ClassInfo("Inner ring", class_color(1)))
    return LoadedData(Dataset(X, labels, classes), None, "Two circles")


PRESETS: tuple[Preset, ...] = (
    Preset("blobs", "Blobs", "Three round, well-separated clusters of equal size.", 300, 1,
           _gaussian_preset(BLOBS, "Blobs")),
    Preset("anisotropic", "Anisotropic Blobs", "Three long, thin, parallel clusters side by side.", 450, 2,
           _gaussian_preset(ANISOTROPIC, "Anisotropic blobs")),
    Preset("moons", "Two Moons", "Two interleaving half circles: not Gaussian at all.", 400, 3, moons),
    Preset("circles", "Two Circles", "A ring around a disc: not Gaussian, and not separable by ellipses.",
           400, 4, circles),
    Preset("uneven", "Uneven Sizes", "One big broad cluster, one medium, one tiny and tight (75 / 20 / 5 %).",
           400, 5, _gaussian_preset(UNEVEN, "Uneven sizes")),
    Preset("overlapping", "Overlapping Clusters", "Three clusters that overlap a lot.", 500, 6,
           _gaussian_preset(OVERLAPPING, "Overlapping clusters")),
)


def preset(key: str) -> Preset:
    """The preset named ``key`` (see :data:`PRESETS`)."""
    for p in PRESETS:
        if p.key == key:
            return p
    raise GmmvizError(f"unknown preset {key!r}; expected one of {', '.join(p.key for p in PRESETS)}")


def make_preset(key: str, n_points: int | None = None, seed: int | None = None) -> LoadedData:
    """Build a preset with its default size and seed unless given.

    Returns
    -------
    LoadedData
        ``dataset.X`` of shape (n_points, 2), classes = the generating cluster.
    """
    p = preset(key)  # every builder checks the size and the seed
    return p.build(p.n_points if n_points is None else n_points, p.seed if seed is None else seed)
