"""The algorithms beside EM, on EM's snapshot protocol (Qt-free).

* :mod:`~gmmviz.labs.em.core.algorithms.gradient`: the unconstrained parametrisation and the exact gradient
  from the fused pass's statistics;
* :mod:`~gmmviz.labs.em.core.algorithms.ascent`: gradient ascent (fixed step, line search, momentum, Adam);
* :mod:`~gmmviz.labs.em.core.algorithms.score`: the score-function Monte-Carlo gradient (prior and posterior
  samplers);
* :mod:`~gmmviz.labs.em.core.algorithms.vb` and :mod:`~gmmviz.labs.em.core.algorithms.vb_elbo`: variational
  Bayes (Dirichlet and Dirichlet-process weights, Normal-Wishart) and its full ELBO;
* :mod:`~gmmviz.labs.em.core.algorithms.run`: one entry point for every algorithm (``gmmviz fit``, the studio).
"""
