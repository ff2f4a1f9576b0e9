"""The race: EM against gradient ascent from the same start."""

import itertools

import numpy as np

from gmmviz.labs.em.core.algorithms.types import GradientConfig
from gmmviz.labs.em.core.types import FitConfig
from gmmviz.labs.theory.core.race import iterations_to_reach, race


def test_em_and_gradient_ascent_start_together_and_em_needs_no_step_size():
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(size=(150, 2)) * 0.6 + c for c in ([0, 0], [4, 0], [0, 4])])
    base = FitConfig(n_components=3, init="random", reg_covar=0.0, tol=0.0, max_iter=60, random_state=2)
    ticks = itertools.count()
    em, crawl, ls, wild = race(X, [base, GradientConfig(base=base, step_size=1e-3),
                                   GradientConfig(base=base, step_size=0.1, line_search=True),
                                   GradientConfig(base=base, step_size=1e3)], clock=lambda: float(next(ticks)))
    np.testing.assert_allclose([crawl.log_likelihood[0], ls.log_likelihood[0]], em.log_likelihood[0], rtol=1e-12)  # same start
    assert em.algorithm == "em" and crawl.algorithm == "ga"
    assert np.all(np.diff(em.seconds) > 0)
    assert np.all(np.diff(em.log_likelihood) >= -1e-12 * abs(em.log_likelihood[-1]))  # rounding at the optimum
    best = em.log_likelihood[-1]
    assert iterations_to_reach(em, best, rel=1e-4) < iterations_to_reach(ls, best, rel=1e-4)
    assert crawl.log_likelihood[-1] < best - 1.0  # a too-small step crawls
    assert np.all(np.diff(ls.log_likelihood) >= 0)
    assert wild.stopped and "step" in wild.stopped  # a too-large step diverges
    assert not em.log_likelihood.flags.writeable
