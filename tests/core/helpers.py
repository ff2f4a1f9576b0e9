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
