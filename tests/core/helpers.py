"""Seeded datasets, oracles and malformed-file corpora shared by the tests.

Imported as ``from .helpers import ...`` in tests/core and as
``from core.helpers import ...`` in tests/qt (pytest puts ``tests/`` on
``sys.path``: it is the first folder above the test packages without an
``__init__.py``).
"""

from __future__ import annotations

import codecs
import functools
import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np

from gmmviz.core.mixture import GaussianParams


def blobs(n: int, k: int, seed: int, *, spread: float = 10.0, scale: float = 0.8) -> np.ndarray:
    """n points from k random anisotropic Gaussian blobs."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-spread, spread, (k, 2))
    z = rng.integers(0, k, n)
    A = rng.normal(size=(k, 2, 2)) * scale
    return centres[z] + np.einsum("nij,nj->ni", A[z], rng.normal(size=(n, 2)))


def random_params(k: int, covariance_type: str, seed: int, X: np.ndarray) -> GaussianParams:
    """Plausible parameters for X: means at random points, covariances of X's size."""
    rng = np.random.default_rng(seed)
    means = X[rng.choice(X.shape[0], k, replace=False)] + rng.normal(scale=0.1, size=(k, 2))
    w = rng.uniform(0.5, 1.5, k)
    var = X.var(axis=0).mean()
    if covariance_type == "full":
        A = rng.normal(size=(k, 2, 2))
        cov = np.einsum("kij,klj->kil", A, A) * var / 4 + np.eye(2) * var / 10
    elif covariance_type == "diag":
        cov = rng.uniform(0.1, 1.0, (k, 2)) * var
    elif covariance_type == "spherical":
        cov = rng.uniform(0.1, 1.0, k) * var
    else:
        A = rng.normal(size=(2, 2))
        cov = A @ A.T * var / 4 + np.eye(2) * var / 10
    return GaussianParams(w / w.sum(), means, cov, covariance_type)


def precisions(params: GaussianParams) -> np.ndarray:
    """scikit-learn's ``precisions_init`` for our parameters."""
    c = params.covariances
    if params.covariance_type in ("diag", "spherical"):
        return 1.0 / c
    return np.linalg.inv(c)


# -- malformed files ------------------------------------------------------------------------

GOOD_ROWS = b"".join(b"%d.5,%d\n" % (i, -i) for i in range(20_000))  # several chunks

# (id, content, line the message must name (None: no line), fragment of the message)
CSV_MALFORMED = [
    ("empty", b"", 1, "empty"),
    ("only-blank-lines", b"\n  \n\t\n", 1, "blank"),
    ("header-only", b"x,y\n", 1, "no data rows"),
    ("header-then-blank", b"\n\nx,y\n\n\n", 3, "no data rows"),
    ("ragged-more", b"x,y\n1,2\n3,4,5\n", 3, "3 fields"),
    ("ragged-fewer", b"1,2,3\n4,5\n", 2, "2 fields"),
    ("trailing-comma", b"x,y\n1,2,\n", 2, "3 fields"),
    ("ragged-after-blank-lines", b"x,y\n\n1,2\n\n3\n", 5, "1 field"),
    ("text-in-y", b"x,y\n1,2\n3,abc\n", 3, "'abc'"),
    ("text-in-x", b"1,2\nhello,2\n", 2, "'hello'"),
    ("long-text-truncated", b"x,y\n1," + b"z" * 300 + b"\n", 2, "zzz..."),
    ("empty-number", b"x,y\n1,\n", 2, "empty"),
    ("blank-number", b"x,y\n1,2\n  ,3\n", 3, "empty"),
    ("nan", b"x,y\n1,2\nnan,3\n", 3, "NaN"),
    ("NaN-header-less", b"1,2\n3,NaN\n", 2, "NaN"),
    ("inf", b"1,2\n3,inf\n", 2, "infinite"),
    ("minus-Infinity", b"1,2\n-Infinity,3\n", 2, "infinite"),
    ("overflow", b"1,2\n3,1e999\n", 2, "too large"),
    ("nan-first-line", b"nan,1\n2,3\n", 1, "NaN"),
    ("semicolon-header", b"x;y\n1,5;2,5\n", 1, "';' as separator"),
    ("semicolon-data", b"1,5;2,5\n3,1;4,2\n", 1, "';' as separator"),
    ("semicolon-integers", b"1;2\n3;4\n", 1, "';' as separator"),
    ("semicolon-later-line", b"x,y\n1,2\n3,4;5\n", 3, "';'"),
    ("quoted-decimal-comma", b'x,y\n1,2\n"1,5","2,5"\n', 3, "decimal mark"),
    ("utf8-bom", codecs.BOM_UTF8 + b"x,y\n1,2\n", 1, "without BOM"),
    ("utf16", "x,y\n1,2\n".encode("utf-16"), 1, "UTF-16"),
    ("latin1", b"x,y,label\n1,2,a\n3,4,caf\xe9\n", 3, "not valid UTF-8"),
    ("nul-byte", b"x,y\n1,2\n3,\x004\n", 3, "NUL"),
    ("too-many-columns", b",".join([b"1"] * 1001) + b"\n", 1, "1001"),
    ("one-column", b"1\n2\n", 1, "at least 2"),
    ("tab-separated", b"x\ty\n1\t2\n", 1, "tab"),
    ("empty-label", b"x,y,label\n1,2,a\n3,4,\n", 3, "empty label"),
    ("blank-label", b"x,y,label\n1,2,a\n3,4,  \n", 3, "empty label"),
    ("empty-quoted-label", b'x,y,label\n1,2,a\n3,4,""\n', 3, "empty label"),
    ("unterminated-quote", b'x,y,label\n1,2,"a\n3,4,b"\n', 2, "quot"),
    ("text-after-quote", b'x,y,label\n1,2,"a"b\n', 2, "quot"),
    ("half-numeric-header", b"1,abc\n2,3\n", 1, "'abc'"),
    ("crlf-error-line", b"x,y\r\n1,2\r\n3,x\r\n", 3, "'x'"),
    ("cr-only-error-line", b"x,y\r1,2\r3,x\r", 3, "'x'"),
    ("bad-row-in-later-chunk", b"x,y\n" + GOOD_ROWS + b"3,oops\n" + GOOD_ROWS, 20_002, "'oops'"),
    ("nan-in-later-chunk", b"x,y\n" + GOOD_ROWS * 2 + b"nan,1\n", 40_002, "NaN"),
    ("ragged-in-later-chunk", b"x,y\n" + GOOD_ROWS + b"1,2,3\n", 20_002, "3 fields"),
    ("empty-label-later-chunk", b"x,y,c\n" + GOOD_ROWS.replace(b"\n", b",a\n") + b"1,2,\n", 20_002, "empty label"),
    ("latin1-later-line", b"x,y\n" + GOOD_ROWS + b"1,\xff\n", 20_002, "UTF-8"),
]

SESSION_DATA = Path(__file__).resolve().parents[1] / "data" / "sessions"


@functools.cache
def session_corpus() -> ModuleType:
    """tests/data/sessions/corpus.py (not a package), loaded once by path.

    Its ``cases()`` are (id, content, fragment) triples of malformed sessions.
    """
    spec = importlib.util.spec_from_file_location("session_corpus", SESSION_DATA / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- numbers at the edge of floating point (issue 11, items 5-9) -------------------------------------

# (id, scale, offset, extra `gmmviz fit` options, expected): two blobs of unit spread
# times ``scale`` plus ``offset``; expected None means "fits" (exit 0, every number
# finite), else a fragment of the one-line refusal (exit 1).
OUT_OF_RANGE = "outside the range 1e-140 to 1e+140"
ABSURD_REG = "absurdly large"
EXTREME_SCALES = [
    ("near-1e308", 1e307, 0.0, (), OUT_OF_RANGE),  # issue: every mean null, five RuntimeWarnings
    ("above-1.3e154", 2e154, 0.0, (), OUT_OF_RANGE),  # issue: internal error OverflowError
    ("1e200", 1e200, 0.0, (), OUT_OF_RANGE),
    ("largest-that-fits", 1e139, 0.0, (), None),
    ("1e100-offset-1e120", 1e100, 1e120, (), None),
    ("1e-165", 1e-165, 0.0, (), OUT_OF_RANGE),  # issue: "collapses"
    ("1e-300", 1e-300, 0.0, (), OUT_OF_RANGE),
    ("subnormal", 1e-310, 0.0, (), OUT_OF_RANGE),
    ("1e-60-default-reg", 1e-60, 0.0, (), ABSURD_REG),  # reg_covar 1e-6 is 1e113 variances
    ("1e-60-no-reg", 1e-60, 0.0, ("--reg-covar", "0"), None),
    ("1e-139-no-reg", 1e-139, 0.0, ("--reg-covar", "0"), None),
    ("offset-1e15", 1.0, 1e15, (), None),
    ("identical-at-1e300", 0.0, 1e300, (), None),  # rounds to one point: a width of reg_covar
    ("identical-at-minus-1e308", 0.0, -1e308, (), None),
    ("reg-1e155", 1.0, 0.0, ("--reg-covar", "1e155"), ABSURD_REG),  # issue: "smallest variance inf"
    ("reg-1e300", 1.0, 0.0, ("--reg-covar", "1e300"), ABSURD_REG),
    ("reg-1e308", 1.0, 0.0, ("--reg-covar", "1e308"), ABSURD_REG),
    ("reg-1e99-flat-but-finite", 1.0, 0.0, ("--reg-covar", "1e99"), None),
]


def two_blobs(scale: float, offset: float, n: int = 60, seed: int = 0) -> np.ndarray:
    """n points in two unit blobs 4 apart, times ``scale``, plus ``offset``."""
    rng = np.random.default_rng(seed)
    X = np.r_[rng.normal(size=(n // 2, 2)), rng.normal(size=(n - n // 2, 2)) + 4.0]
    return X * scale + offset


# Covariances that are positive definite in float64 but of extreme size: accepted
# (issue: 1e-300 I was refused as "not symmetric positive definite").
EXTREME_COVARIANCES = [1e-300, 1e-200, 1e-30, 1e30, 1e200, 1e300]


def exact_log_density(x, y, w, mu, cov) -> float:
    """ln w N((x, y) | mu, cov) of the very float64 inputs, by exact rational arithmetic."""
    import math
    from fractions import Fraction

    a, b, c = (Fraction(float(v)) for v in (cov[0][0], cov[0][1], cov[1][1]))
    dx, dy = Fraction(float(x)) - Fraction(float(mu[0])), Fraction(float(y)) - Fraction(float(mu[1]))
    det = a * c - b * b
    maha = (c * dx * dx - 2 * b * dx * dy + a * dy * dy) / det
    log_det = math.log(det.numerator) - math.log(det.denominator)
    return math.log(w) - math.log(2 * math.pi) - 0.5 * log_det - 0.5 * float(maha)
