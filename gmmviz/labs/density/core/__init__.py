"""Qt-free density estimators and their scores (numpy and scipy only).

Every fitted estimator is a frozen dataclass with ``log_density(X)``
(X of shape (m, d), or (m,) in 1-D; -inf where the estimate is zero) and
``n_features``.  Modules: :mod:`.histogram` (fixed bins), :mod:`.variable`
(equal-mass bins), :mod:`.kde` and :mod:`.kde_cv` (kernels, bandwidth rules,
cross-validation, binned FFT evaluation), :mod:`.mixture` (Gaussian mixtures), :mod:`.dp_mixture` (the infinite mixture by variational Bayes),
:mod:`.scores` (splits and held-out scores), :mod:`.sweep` (complexity sweeps),
:mod:`.truth` and :mod:`.distance` (test distributions, distance to the truth,
learning curves), :mod:`.column` (one CSV column as 1-D data); the lab's own
:mod:`.settings`, :mod:`.scenes`, :mod:`.job` (its background sweep) and
:mod:`.view` (what it draws).
"""
