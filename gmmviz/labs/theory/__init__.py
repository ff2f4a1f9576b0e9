"""The theory lab: why EM works (the minorise-maximise picture, entropy, KL, Gibbs' inequality) and the
algorithms beside it.  :mod:`~gmmviz.labs.theory.core` is its Qt-free maths; the algorithms themselves live in
:mod:`gmmviz.labs.em.core.algorithms` (they run in the EM studio too)."""
