"""The density-estimation lab: histograms, variable bins, kernels and mixtures, scored by held-out likelihood.

* :mod:`~gmmviz.labs.density.core`: the Qt-free, scikit-learn-free maths
  (fixed and equal-mass histograms, Gaussian kernel density estimates with
  their bandwidth rules and cross-validation, Gaussian mixtures through the
  classification core's d-dimensional EM, scores, sweeps, the 1-D test
  distributions with their true densities);
* :mod:`~gmmviz.labs.density.dpgmm`: the infinite (Dirichlet-process)
  mixture through scikit-learn's ``BayesianGaussianMixture`` (the command
  line's, imported inside the function: ``core/`` modules never import
  scikit-learn, see ``tests/test_architecture.py``); the lab runs the numpy
  fit of :mod:`~gmmviz.labs.density.core.dp_mixture` (the same updates) on
  every point.
"""
