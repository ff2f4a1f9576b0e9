"""The classification lab: generative classifiers P(x|y) P(y) -> P(y|x).

* :mod:`~gmmviz.labs.classify.core`: the Qt-free and scikit-learn-free maths
  (class densities, Bayes' rule, the posterior map, the train/test split,
  comparing a student's estimator with the reference, loading it);
* :mod:`~gmmviz.labs.classify.estimators`: the public scikit-learn estimators
  (``NaiveBayes``, ``LDA``, ``QDA``, ``GMMClassifier``) built on that core;
  they subclass scikit-learn's base classes, so they live outside ``core/``
  (whose modules never import scikit-learn, see ``tests/test_architecture.py``).
"""
