"""The report of ``gmmviz density``: every estimator at every setting, scored, with the best marked.

Qt-free; scikit-learn is loaded only when the infinite mixture is asked for.
"""

from __future__ import annotations

import math

import numpy as np

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.density.core.distance import ise
from gmmviz.labs.density.core.dp_mixture import fit_dp_mixture
from gmmviz.labs.density.core.histogram import fit_histogram, fixed_edges, rule_edges
from gmmviz.labs.density.core.kde import fit_kde, rule_bandwidth
from gmmviz.labs.density.core.kde_cv import bandwidth_grid
from gmmviz.labs.density.core.mixture import fit_gmm
from gmmviz.labs.density.core.scores import kfold
from gmmviz.labs.density.core.sweep import (
    FAMILY_TITLES,
    Split,
    gmm_curve,
    hist_curve,
    kde_curve,
    last,
    mixture_curve,
    vhist_curve,
)
from gmmviz.labs.density.core.variable import equal_mass_histogram, kd_histogram

DEFAULT_BINS = list(range(2, 101))
DEFAULT_K = list(range(1, 11))
CV_BANDWIDTHS = 50
#: The infinite mixture's truncation (the lab's).
DP_COMPONENTS = 20


def density_report(X: np.ndarray, opts, *, columns, truth=None) -> dict:
    """Fit and score every estimator of ``opts.estimators``; the ``--json`` object.

    ``opts`` has the command's options as attributes (``bins``, ``origin``,
    ``bandwidth``, ``k``, ``concentration``, ``pseudo_count``, ``test_size``,
    ``folds``, ``seed``, ``estimators``).
    """
    split = Split.make(X, test_size=opts.test_size, seed=opts.seed, folds=opts.folds)
    if split.X_train.shape[0] < 2:
        raise GmmvizError(f"only {split.X_train.shape[0]} training point(s); give more points or a smaller --test-size")
    found = {}
    for family in opts.estimators:
        found[family] = _FAMILY[family](split, opts)
    result = {
        "data": getattr(opts, "data", None), "generate": getattr(opts, "generate", None), "columns": list(columns),
        "dimension": split.n_features, "n_points": int(X.shape[0]), "n_train": int(split.train.size),
        "n_test": int(split.test.size), "seed": opts.seed, "test_size": opts.test_size, "folds": opts.folds,
        "window": split.window.tolist(), "pseudo_count": opts.pseudo_count,
        "best_by": "cv" if opts.folds else ("test" if split.test.size else None),
        "estimators": found,
    }
    if truth is not None:
        result["truth"] = {"distribution": truth.key, "title": truth.title,
                           "test_loglik": float(np.mean(truth.log_pdf(split.X_test[:, 0]))) if split.test.size
                           else math.nan}
        for family, entry in found.items():
            if entry["best"] is not None:
                entry["best"]["ise"] = ise(_refit(family, split, opts, entry["best"]), truth)
    return result


def _entries(curve, name: str, extras=()) -> list[dict]:
    out = []
    for i, s in enumerate(curve.settings):
        e = {name: float(s) if name in ("bandwidth", "concentration") else int(s),
             "train_loglik": float(curve.train[i]), "test_loglik": float(curve.test[i])}
        if curve.cv is not None:
            e["cv_loglik"] = float(curve.cv[i])
        for key in extras:
            values = curve.extra(key)
            if values is not None:
                e[key] = int(values[i]) if key in ("n_zero", "n_used") else float(values[i])
        out.append(e)
    return out


def _family(curve, name: str, entries: list[dict], split: Split, **more) -> dict:
    best = None
    if split.folds or split.test.size:
        best = dict(entries[curve.best])
        best.pop("edges", None)
        best.pop("counts", None)
    return {"title": FAMILY_TITLES[curve.family], "parameter": name, **more, "settings": entries, "best": best}


def _hist(split: Split, opts) -> dict:
    requested = opts.bins or DEFAULT_BINS
    counts, rules = [], {}
    for b in requested:
        if isinstance(b, str):
            if split.n_features != 1:
                raise GmmvizError(f"bin rules ({b!r}) are for 1-D data; give numbers of bins in 2-D")
            n_bins = len(rule_edges(split.X_train, b, split.window[0])) - 1
            rules.setdefault(n_bins, b)
            b = n_bins
        counts.append(int(b))
    bins = sorted(set(counts))
    curve = hist_curve(split, bins, origin=opts.origin, pseudo_count=opts.pseudo_count)
    entries = _entries(curve, "bins", ("n_zero",))
    for e in entries:
        e["rule"] = rules.get(e["bins"])
        h = _hist_at(split, e["bins"], opts)
        e["edges"] = [edges.tolist() for edges in h.edges] if split.n_features == 2 else h.edges[0].tolist()
        e["counts"] = h.counts.tolist()
    return _family(curve, "bins", entries, split, origin=opts.origin)


def _hist_at(split, bins, opts):
    edges = tuple(fixed_edges(lo, hi, int(bins), opts.origin) for lo, hi in split.window)
    return fit_histogram(split.X_train, edges, pseudo_count=opts.pseudo_count)


def _vhist(split: Split, opts) -> dict:
    curve = vhist_curve(split, pseudo_count=opts.pseudo_count)
    entries = _entries(curve, "points_per_bin", ("n_zero",))
    h = _vhist_at(split, opts)
    entries[0]["n_bins"] = int(h.n_bins)
    if split.n_features == 1:
        entries[0]["edges"] = h.edges[0].tolist()
    else:
        entries[0]["cells"] = [[lo.tolist(), hi.tolist()] for lo, hi in zip(h.lower, h.upper)]
    entries[0]["counts"] = h.counts.tolist()
    return _family(curve, "points_per_bin", entries, split)


def _vhist_at(split, opts):
    if split.n_features == 1:
        return equal_mass_histogram(split.X_train, split.window[0], pseudo_count=opts.pseudo_count)
    return kd_histogram(split.X_train, split.window, pseudo_count=opts.pseudo_count)


def _kde(split: Split, opts) -> dict:
    choice, cv_split = opts.bandwidth, split
    if choice == "cv":
        bws = bandwidth_grid(split.X_train, CV_BANDWIDTHS)
        if not split.folds:
            cv_split = Split(split.X, split.train, split.test, split.window,
                             kfold(split.train.size, min(5, split.train.size), split.seed), split.seed)
    else:
        bws = sorted({rule_bandwidth(split.X_train, b) if isinstance(b, str) else float(b) for b in choice})
    curve = kde_curve(cv_split, bws)
    entries = _entries(curve, "bandwidth", ("n_zero",))
    rules = {rule_bandwidth(split.X_train, r): r for r in ("scott", "silverman")}
    for e in entries:
        e["rule"] = rules.get(e["bandwidth"])
    out = _family(curve, "bandwidth", entries, cv_split,
                  selection="cv" if choice == "cv" else "given",
                  scale="h, data units" if split.n_features == 1 else "factor of the data's covariance")
    # the sweep's 1-D scores are binned (within ~1e-3 nats per point); the best setting's also exactly
    if out["best"] is not None and split.test.size:
        out["best"]["test_loglik_exact"] = _exact_mean(fit_kde(split.X_train, out["best"]["bandwidth"]), split.X_test)
    return out


def _exact_mean(est, X) -> float:
    lp = est.log_density(X)
    return -math.inf if np.isneginf(lp).any() else float(lp.mean())


def _gmm(split: Split, opts) -> dict:
    ks = [k for k in (opts.k or DEFAULT_K) if k <= split.train.size]
    if not ks:
        raise GmmvizError(f"every K of --k exceeds the {split.train.size} training points")
    curve = last(gmm_curve(split, ks, seed=opts.seed))
    entries = _entries(curve, "k", ("bic", "aic"))
    out = _family(curve, "K", entries, split)
    out["best_bic"] = int(curve.settings[int(np.argmin(curve.extra("bic")))])
    return out


def _dpgmm(split: Split, opts) -> dict:
    def fit(X, alpha):
        return fit_dp_mixture(X, alpha, max_components=DP_COMPONENTS, seed=opts.seed)

    curve = last(mixture_curve(split, opts.concentration, fit, family="dpgmm", parameter="concentration",
                               extras=lambda m: {"n_used": m.n_used}))
    entries = _entries(curve, "concentration", ("n_used",))
    return _family(curve, "concentration", entries, split, max_components=DP_COMPONENTS)


_FAMILY = {"hist": _hist, "vhist": _vhist, "kde": _kde, "gmm": _gmm, "dpgmm": _dpgmm}


def _refit(family: str, split: Split, opts, best: dict):
    if family == "hist":
        return _hist_at(split, best["bins"], opts)
    if family == "vhist":
        return _vhist_at(split, opts)
    if family == "kde":
        return fit_kde(split.X_train, best["bandwidth"])
    if family == "gmm":
        return fit_gmm(split.X_train, best["k"], seed=opts.seed, tol=1e-4)
    return fit_dp_mixture(split.X_train, best["concentration"], max_components=DP_COMPONENTS, seed=opts.seed)


def learning_report(truth, seed) -> dict:
    """ISE against n for each family at its rule of thumb (:func:`~.core.distance.learning_curve`)."""
    from gmmviz.labs.density.core.distance import learning_curve

    curve = last(learning_curve(truth, seed=seed))
    return {"n": curve.ns.tolist(), "ise": {f: v.tolist() for f, v in curve.ise},
            "settings": {"hist": "numpy's auto bins", "vhist": "sqrt(n) points a bin", "kde": "Silverman's h",
                         "gmm": "K = 4"}}


def _num(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    return "-inf" if v == -math.inf else f"{v:.4f}"


def format_summary(r: dict) -> str:
    """A short human-readable report of :func:`density_report`."""
    source = r["data"] or f"generated {r['generate']}"
    lines = [f"{source}: {r['n_points']} points, {r['dimension']}-D ({', '.join(map(str, r['columns']))}); "
             f"split (seed {r['seed']}): {r['n_train']} training, {r['n_test']} test"
             + (f"; {r['folds']}-fold CV on the training points" if r["folds"] else ""),
             "mean log-likelihood per point (higher is better); -inf: a held-out point where the density is 0"]
    if "truth" in r:
        lines.append(f"true density ({r['truth']['title']}): test {_num(r['truth']['test_loglik'])}")
    lines.append("")
    lines.append(f"{'estimator':<22} {'best setting':<32} {'train':>9} {'test':>9} {'cv':>9}")
    for entry in r["estimators"].values():
        b = entry["best"]
        if b is None:
            lines.append(f"{entry['title']:<22} (no held-out points: nothing to choose by)")
            continue
        key = {"bins": "bins", "points_per_bin": "points_per_bin", "bandwidth": "bandwidth", "K": "k",
               "concentration": "concentration"}[entry["parameter"]]
        value = b[key]
        setting = f"{entry['parameter']} = {value:.4g}" if isinstance(value, float) else f"{entry['parameter']} = {value}"
        if "n_used" in b:
            setting += f" ({b['n_used']} used)"
        lines.append(f"{entry['title']:<22} {setting:<32} {_num(b['train_loglik']):>9} {_num(b['test_loglik']):>9} "
                     f"{_num(b.get('cv_loglik')):>9}" + (f"   ISE {b['ise']:.3g}" if "ise" in b else ""))
        if "best_bic" in entry:
            lines.append(f"{'':<22} (BIC prefers K = {entry['best_bic']})")
    if r["pseudo_count"]:
        lines.append(f"histograms smoothed with a pseudo-count of {r['pseudo_count']:g} a bin")
    if "learning_curve" in r:
        lc = r["learning_curve"]
        lines += ["", "distance to the true density (ISE) at the rules of thumb, by n:",
                  f"{'n':>7} " + " ".join(f"{f:>10}" for f in lc["ise"])]
        lines += [f"{n:>7} " + " ".join(f"{lc['ise'][f][i]:>10.3g}" for f in lc["ise"]) for i, n in enumerate(lc["n"])]
    return "\n".join(lines)
