"""The EM lab's defaults, in one place: the window's model panel, ``gmmviz fit`` and
``gmmviz render`` all start from these (plain values: importing this loads no numpy)."""

#: Random data points with the data's covariance: the textbook start, and one where
#: EM visibly works (k-means++ often lands on the answer at once).
EM_DEFAULTS = {
    "n_components": 3,
    "covariance_type": "full",
    "init": "random",
    "seed": 0,
    "reg_covar": 1e-6,
    "max_iter": 200,
    "tol": 1e-4,
}
