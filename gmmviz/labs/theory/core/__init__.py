"""The theory lab's maths (Qt-free).

* :mod:`~gmmviz.labs.theory.core.information`: entropy, cross-entropy, KL divergence, Gibbs' inequality, and
  the identity ln p(X | theta) = Q + H + KL(r || P(z | X, theta)) the EM bound rests on;
* :mod:`~gmmviz.labs.theory.core.mm_slice`: ln p and EM's bound along the line through two parameter sets;
* :mod:`~gmmviz.labs.theory.core.brute_force`: the likelihood as the sum over all k^T assignment vectors;
* :mod:`~gmmviz.labs.theory.core.race`: EM against gradient ascent from the same start, per iteration and per second.
"""
