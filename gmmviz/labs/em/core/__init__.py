"""The EM lab's maths (Qt-free): EM as a generator of half-step snapshots.

* :mod:`~gmmviz.labs.em.core.types`: run options, settings, snapshots;
* :mod:`~gmmviz.labs.em.core.steps`: the E-step, the M-step and the loop;
* :mod:`~gmmviz.labs.em.core.fused`: the fused, cache-blocked E+M pass;
* :mod:`~gmmviz.labs.em.core.estimator`: a scikit-learn-like ``GaussianMixture``;
* :mod:`~gmmviz.labs.em.core.run_history`: the kept snapshots of one run;
* presets, lecture scenes and the session format.
"""

from gmmviz.labs.em.core.estimator import GaussianMixture
from gmmviz.labs.em.core.steps import e_step, em_steps, m_step, run_em
from gmmviz.labs.em.core.types import (
    INIT_METHODS,
    Collapse,
    EMSnapshot,
    FitConfig,
    ModelSettings,
)

__all__ = [
    "INIT_METHODS",
    "Collapse",
    "EMSnapshot",
    "FitConfig",
    "GaussianMixture",
    "ModelSettings",
    "e_step",
    "em_steps",
    "m_step",
    "run_em",
]
