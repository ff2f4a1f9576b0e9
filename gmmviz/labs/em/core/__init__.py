"""The EM lab's maths (Qt-free): EM as a generator of half-step snapshots.

* :mod:`~gmmviz.labs.em.core.types`: run options, settings, snapshots;
* :mod:`~gmmviz.labs.em.core.steps`: the E-step, the M-step and the loop;
* :mod:`~gmmviz.labs.em.core.fused`: the fused, cache-blocked E+M pass;
* :mod:`~gmmviz.labs.em.core.whitening`: its per-component Cholesky whitening and statistics;
* :mod:`~gmmviz.labs.em.core.expanded`: its fast path, for components a rounding bound proves accurate;
* :mod:`~gmmviz.labs.em.core.pruning`: which components a block of points can skip;
* :mod:`~gmmviz.labs.em.core.estimator`: a scikit-learn-like ``GaussianMixture``;
* :mod:`~gmmviz.labs.em.core.run_history`: the kept snapshots of one run;
* presets, lecture scenes and the session format.
"""

import importlib

# Lazy re-exports (PEP 562): ``gmmviz.labs.em.core.defaults`` and the session
# envelope can be imported without loading numpy.
_EXPORTS = {
    "GaussianMixture": "estimator",
    "e_step": "steps", "em_steps": "steps", "m_step": "steps", "run_em": "steps",
    "INIT_METHODS": "types", "Collapse": "types", "EMSnapshot": "types", "FitConfig": "types",
    "ModelSettings": "types",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"gmmviz.labs.em.core.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
