"""Joint tables of two or three discrete variables: marginals, conditionals, Bayes' theorem.

The lecture writes the same numbers in two notations, which the lab shows side
by side: as measures of events, P(A ∩ B), P(A | B) = P(A ∩ B) / P(B), and as a
distribution of random variables, ℙ(x, y), ℙ(x | y) = ℙ(x, y) / ℙ(y).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmmviz.core.data import frozen_array
from gmmviz.labs.graphs.core.dag import GraphError


@dataclass(frozen=True, eq=False)
class JointTable:
    """P(v₁, …, v_k) for k = 2 or 3 variables.

    Attributes
    ----------
    names : tuple of str
    states : tuple of tuple of str
    p : ndarray, shape (|v₁|, …, |v_k|)
        Non-negative, sums to 1 (read-only).
    """

    names: tuple[str, ...]
    states: tuple[tuple[str, ...], ...]
    p: np.ndarray
    total: float = 0.0  # the counts' sum when built from counts (0: given as probabilities)

    @classmethod
    def from_counts(cls, names, states, counts, *, keep_total: bool = True) -> JointTable:
        """A joint table proportional to ``counts`` (any non-negative numbers, not all 0); their sum is
        kept as ``total`` (so the table can be shown and edited as counts) unless ``keep_total`` is False."""
        c = np.asarray(counts, dtype=np.float64)
        names, states = tuple(names), tuple(tuple(str(s) for s in ss) for ss in states)
        if not 2 <= len(names) <= 3 or c.ndim != len(names):
            raise GraphError(f"a joint table has 2 or 3 variables, one axis each; got {len(names)} names "
                             f"and {c.ndim} axes")
        if c.shape != tuple(len(s) for s in states):
            raise GraphError(f"the table has shape {c.shape}, the states give {tuple(len(s) for s in states)}")
        if not np.isfinite(c).all() or (c < 0).any() or not c.sum() > 0:
            raise GraphError("a joint table needs finite, non-negative entries, not all 0")
        return cls(names, states, frozen_array(c / c.sum()), float(c.sum()) if keep_total else 0.0)

    def with_entry(self, index: tuple[int, ...], value: float) -> JointTable:
        """The table with cell ``index`` set to weight ``value`` (>= 0) before renormalising the whole
        table: typing a count, or a probability, keeps the table a distribution."""
        if not (value >= 0 and np.isfinite(value)):
            raise GraphError(f"a joint table entry must be a finite number >= 0, got {value!r}")
        counts = np.array(self.p) * (self.total if self.total else 1.0)
        counts[index] = value
        return JointTable.from_counts(self.names, self.states, counts, keep_total=True)

    @classmethod
    def of_model(cls, model, names) -> JointTable:
        """ℙ(names…) of a discrete model (2 or 3 of its nodes), by variable elimination."""
        from gmmviz.labs.graphs.core.discrete import posterior

        names = tuple(names)
        if not 2 <= len(names) <= 3 or len(set(names)) != len(names):
            raise GraphError(f"a joint table has 2 or 3 different variables, got {', '.join(names) or 'none'}")
        return cls.from_counts(names, tuple(model.states[n] for n in names), posterior(model, list(names)),
                               keep_total=False)

    def axis(self, name: str) -> int:
        if name not in self.names:
            raise GraphError(f"no variable {name!r}; the table has {', '.join(self.names)}")
        return self.names.index(name)

    def marginal(self, *names: str) -> np.ndarray:
        """ℙ(names…), axes in the order given."""
        axes = [self.axis(n) for n in names]
        other = tuple(i for i in range(len(self.names)) if i not in axes)
        m = self.p.sum(axis=other)
        kept = sorted(axes)
        return np.transpose(m, [kept.index(a) for a in axes])

    def conditional(self, target: str, *given: str) -> np.ndarray:
        """ℙ(target | given…), shape (|given₁|, …, |target|); rows of a zero-probability condition are NaN."""
        joint = self.marginal(*given, target)
        norm = joint.sum(axis=-1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(norm > 0, joint / np.where(norm > 0, norm, 1), np.nan)

    def bayes(self, a: str, b: str) -> tuple[np.ndarray, np.ndarray]:
        """ℙ(a | b) directly and by Bayes, ℙ(b | a) ℙ(a) / ℙ(b); shapes (|b|, |a|) (equal where defined)."""
        direct = self.conditional(a, b)
        pb_a = self.conditional(b, a)  # (|a|, |b|)
        pa, pb = self.marginal(a), self.marginal(b)
        with np.errstate(invalid="ignore", divide="ignore"):
            via = (pb_a * pa[:, None]).T / pb[:, None]
        return direct, via

    def notations(self, a: str, sa: str, b: str, sb: str) -> list[tuple[str, str, float]]:
        """The same numbers as events and as random variables: (event text, variable text, value)."""
        i, j = self.axis(a), self.axis(b)
        ia, ib = self.states[i].index(sa), self.states[j].index(sb)
        ea, eb = f"{{{a}={sa}}}", f"{{{b}={sb}}}"  # the events, as sets
        xa, xb = f"{a}={sa}", f"{b}={sb}"
        pab = float(self.marginal(a, b)[ia, ib])
        pb = float(self.marginal(b)[ib])
        pa = float(self.marginal(a)[ia])
        cond = pab / pb if pb > 0 else float("nan")
        return [
            (f"P({ea} ∩ {eb})", f"ℙ({xa}, {xb})", pab),
            (f"P({ea})", f"ℙ({xa})", pa),
            (f"P({eb})", f"ℙ({xb})", pb),
            (f"P({ea} | {eb}) = P({ea} ∩ {eb}) / P({eb})", f"ℙ({xa} | {xb}) = ℙ({xa}, {xb}) / ℙ({xb})", cond),
            (f"P({eb} | {ea}) P({ea}) / P({eb})", f"ℙ({xb} | {xa}) ℙ({xa}) / ℙ({xb})",
             (pab / pa) * pa / pb if pa > 0 and pb > 0 else float("nan")),
        ]
