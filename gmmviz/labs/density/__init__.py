"""The density-estimation lab: histograms, variable bins, kernels and mixtures, scored by held-out likelihood.

* :mod:`~gmmviz.labs.density.core`: the Qt-free, scikit-learn-free maths
  (fixed and equal-mass histograms, Gaussian kernel density estimates with
  their bandwidth rules and cross-validation, Gaussian mixtures through the
  classification core's d-dimensional EM, scores, sweeps, the 1-D test
  distributions with their true densities), and
  the infinite (Dirichlet-process) mixture by variational Bayes in numpy
  (:mod:`~gmmviz.labs.density.core.dp_mixture`: scikit-learn's
  ``BayesianGaussianMixture`` updates, checked against it, on every point),
  which the lab and ``gmmviz density`` share.
"""
