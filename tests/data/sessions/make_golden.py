"""Write the golden session files of tests/data/sessions/v1 and v2 (run once, then frozen).

These files are what gmmviz's session format version 1 looks like on disk;
tests/core/test_session.py checks that every later gmmviz still reads them
and finds the same content.  Do not regenerate them to make a test pass:
a change here means old lecture files would no longer open.

    python tests/data/sessions/make_golden.py   # only when adding a new golden file
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from gmmviz.labs.em.core.steps import run_em
from gmmviz.labs.em.core.algorithms.types import AlgorithmSettings
from gmmviz.labs.em.core.session.files import RunRecord, Session, write_session
from gmmviz.core.data import ClassInfo, Dataset
from gmmviz.labs.em.core.types import Collapse, FitConfig, ModelSettings
from gmmviz.core.mixture import GaussianParams

HERE = Path(__file__).resolve().parent / "v1"
HERE_V2 = Path(__file__).resolve().parent / "v2"


def two_blobs(n: int = 12) -> Dataset:
    rng = np.random.default_rng(2024)
    X = np.vstack([rng.normal([-2.0, 0.0], 0.6, (n, 2)), rng.normal([2.0, 1.0], 0.8, (n, 2))])
    labels = np.repeat([0, 1], n)
    return Dataset(X, labels, (ClassInfo("setosa", "#E69F00"), ClassInfo("Ünïcode \"quoted\", name", "#56B4E9")))


def main() -> None:
    HERE.mkdir(exist_ok=True)
    tiny = Dataset([[0.1, -0.0], [1e-300, 1e300], [-2.5, 3.0]], [0, 1, 1],
                   (ClassInfo("a", "#000000"), ClassInfo("b", "#ffffff")))
    write_session(HERE / "minimal.gmmviz", Session(tiny))
    write_session(HERE / "empty.gmmviz", Session(Dataset(np.empty((0, 2)), np.empty(0, dtype=int), (
        ClassInfo("Class 1", "#E69F00"), ClassInfo("Class 2", "#56B4E9"), ClassInfo("Class 3", "#009E73")))))

    ds = two_blobs()
    settings = ModelSettings(n_components=2, covariance_type="full", init="kmeans++", seed=7,
                               reg_covar=1e-6, max_iter=50, tol=1e-4)
    cfg = FitConfig(n_components=2, covariance_type="full", init="kmeans++", reg_covar=1e-6, max_iter=50,
                    tol=1e-4, random_state=7)
    snaps = tuple(run_em(ds.X, cfg))
    cursor = 3
    write_session(HERE / "with_history.gmmviz", Session(
        ds, settings, params=snaps[cursor].params, cursor=cursor,
        history=RunRecord(snaps, "converged"), view=((-4.5, 4.25), (-2.0, 3.5))))

    manual = GaussianParams([0.5, 0.5], [[-1.0, 0.0], [1.0, 0.5]], [[1.0, 2.0], [0.5, 0.25]], "diag")
    settings = ModelSettings(n_components=2, covariance_type="diag", init="manual", seed=0,
                               reg_covar=0.001, max_iter=200, tol=0.0001)
    snaps = tuple(run_em(ds.X, FitConfig(n_components=2, covariance_type="diag", init="given",
                                         init_params=manual, reg_covar=0.001, max_iter=200, tol=0.0001)))
    write_session(HERE / "diag_manual.gmmviz", Session(ds, settings, params=snaps[4].params,
                                                        manual_params=manual, cursor=4))

    tied = GaussianParams([0.25, 0.75], [[0.0, 0.0], [3.0, 1.0]], [[2.0, 0.5], [0.5, 1.0]], "tied")
    collapse = Collapse((1,), ("point",), ((3.0, 1.0),), "Component 2 collapsed onto a single point.")
    init = run_em(ds.X, FitConfig(n_components=2, covariance_type="tied", init="given", init_params=tied,
                                  max_iter=1))
    history = RunRecord((init[0], replace(init[1], collapse=collapse)), "collapse")
    write_session(HERE / "tied_collapse.gmmviz", Session(
        ds, ModelSettings(n_components=2, covariance_type="tied", init="manual", max_iter=1),
        params=history.snapshots[1].params, manual_params=tied, cursor=1, history=history))


def main_v2() -> None:
    """Version 2: another algorithm (its run is not saved), and other labs' parts."""
    HERE_V2.mkdir(exist_ok=True)
    ds = two_blobs()
    settings = ModelSettings(n_components=3, covariance_type="full", init="kmeans++", seed=5)
    vb = AlgorithmSettings(algorithm="vb", weight_prior="dirichlet-process", concentration=0.01)
    write_session(HERE_V2 / "algorithm_vb.gmmviz", Session(ds, settings, cursor=7, algorithm=vb))
    parts = (("density", '{"bins":[2,5,100],"estimator":"kde","note":"Ünïcode \\"quoted\\"","pseudo_count":0.5}'),
             ("graphs", '{"edges":[["a","b"]],"nodes":[{"kind":"observed","name":"a"},'
                        '{"kind":"latent","name":"b"}],"plates":[]}'))
    ga = AlgorithmSettings(algorithm="ga", step_size=0.05, line_search=True)
    write_session(HERE_V2 / "lab_parts.gmmviz", Session(ds, settings, algorithm=ga, labs=parts))
    write_session(HERE_V2 / "parts_only.gmmviz", Session(ds, labs=(("theory", "{}"),)))


if __name__ == "__main__":
    main()
    main_v2()
