"""The lecture's example models, each a graph (and tables where the point needs numbers).

Every :class:`Example` carries a note for the lab's banner and the question
to ask first.  The Simpson's-paradox tables come from the UC Berkeley 1973
admission counts bundled in ``resources/data/ucb_admissions.csv``
(provenance in ``ucb_admissions.md``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from gmmviz.core.resources import read_text
from gmmviz.labs.graphs.core.dag import DAG, Plate
from gmmviz.labs.graphs.core.discrete import DiscreteModel
from gmmviz.labs.graphs.core.joint import JointTable


@dataclass(frozen=True, eq=False)
class Example:
    """One lecture example.

    Attributes
    ----------
    key, title : str
    model : DiscreteModel
        The graph and its tables (uniform tables where only the graph matters).
    note : str
        What it shows (plain text, may hold ⊥ and subscripts).
    ask : (tuple, tuple, tuple)
        The X, Y, Z of the first question.
    evidence : dict
        Evidence set when the example opens.
    has_tables : bool
        Whether the tables mean something (else only the graph does).
    """

    key: str
    title: str
    model: DiscreteModel
    note: str
    ask: tuple = ((), (), ())
    evidence: tuple = ()
    has_tables: bool = True

    @property
    def dag(self) -> DAG:
        return self.model.dag


# -- the Berkeley counts ----------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Admissions:
    """The Berkeley counts as an array ``counts[gender, dept, admit]``."""

    genders: tuple[str, ...]
    depts: tuple[str, ...]
    admits: tuple[str, ...]
    counts: np.ndarray

    def rates(self) -> np.ndarray:
        """Admission rate per (gender, dept)."""
        return self.counts[:, :, 0] / self.counts.sum(axis=2)

    def pooled(self) -> np.ndarray:
        """Admission rate per gender over all departments."""
        c = self.counts.sum(axis=1)
        return c[:, 0] / c.sum(axis=1)


@lru_cache(maxsize=1)
def berkeley() -> Admissions:
    """UC Berkeley 1973: genders (Male, Female), departments A–F, (Admitted, Rejected)."""
    rows = list(csv.DictReader(io.StringIO(read_text("data", "ucb_admissions.csv"))))
    genders, depts, admits = ("Male", "Female"), tuple("ABCDEF"), ("Admitted", "Rejected")
    counts = np.zeros((2, 6, 2))
    for r in rows:
        counts[genders.index(r["gender"]), depts.index(r["dept"]), admits.index(r["admit"])] = float(r["freq"])
    counts.setflags(write=False)
    return Admissions(genders, depts, admits, counts)


def simpson_text() -> str:
    """The per-school and pooled rates, men vs women, from the same counts."""
    b = berkeley()
    r, pooled = b.rates(), b.pooled()
    lines = ["school   men   women"]
    for j, d in enumerate(b.depts):
        lines.append(f"  {d}      {100 * r[0, j]:3.0f} %  {100 * r[1, j]:3.0f} %")
    lines.append(f"pooled   {100 * pooled[0]:4.1f} % {100 * pooled[1]:4.1f} %")
    return "\n".join(lines)


def _simpson() -> DiscreteModel:
    c = berkeley().counts  # [z, s, a]
    pz = c.sum(axis=(1, 2))
    ps_z = c.sum(axis=2)
    dag = DAG.from_edges(["z", "s", "a"], [("z", "s"), ("s", "a"), ("z", "a")])
    # a's parents sorted: (s, z): table[s, z, a]
    pa_sz = np.transpose(c / c.sum(axis=2, keepdims=True), (1, 0, 2))
    return DiscreteModel(dag, {"z": ("male", "female"), "s": tuple("ABCDEF"), "a": ("admitted", "rejected")},
                         {"z": pz / pz.sum(), "s": ps_z / ps_z.sum(axis=1, keepdims=True), "a": pa_sz})


def berkeley_joint() -> JointTable:
    """ℙ(gender, admission) pooled over the departments (the two-variable table)."""
    c = berkeley().counts.sum(axis=1)
    return JointTable.from_counts(("g", "a"), (("male", "female"), ("admitted", "rejected")), c)


def berkeley_joint3() -> JointTable:
    """ℙ(gender, admission, school) from the counts (the three-variable table: a slice per school)."""
    c = np.transpose(berkeley().counts, (0, 2, 1))  # [g, a, s]
    return JointTable.from_counts(("g", "a", "s"), (("male", "female"), ("admitted", "rejected"), tuple("ABCDEF")), c)


#: The joint tables the Joint tab offers besides the graph's: (key, title, factory).
JOINT_PRESETS = (("berkeley", "Berkeley 1973: gender × admission (pooled)", berkeley_joint),
                 ("berkeley3", "Berkeley 1973: gender × admission × school", berkeley_joint3))


def _variables() -> DiscreteModel:
    """g → a from the pooled Berkeley counts: P(g) and P(a | g)."""
    c = berkeley().counts.sum(axis=1)  # [g, a]
    dag = DAG.from_edges(["g", "a"], [("g", "a")])
    return DiscreteModel(dag, {"g": ("male", "female"), "a": ("admitted", "rejected")},
                         {"g": c.sum(axis=1) / c.sum(), "a": c / c.sum(axis=1, keepdims=True)})


def _graph(names, edges, *, kinds=None, plates=(), plate_of=None) -> DiscreteModel:
    return DiscreteModel(DAG.from_edges(names, edges, kinds=kinds, plates=plates, plate_of=plate_of))


def _examples() -> tuple[Example, ...]:
    xor = np.array([[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]])  # table[A, S, C]: C = A xor S
    eaway = DiscreteModel(DAG.from_edges(["S", "A", "C"], [("S", "C"), ("A", "C")]), {},
                          {"S": [0.7, 0.3], "A": [0.9, 0.1], "C": xor})
    chain = DiscreteModel(DAG.from_edges(["x1", "x2", "x3"], [("x1", "x2"), ("x2", "x3")]), {},
                          {"x1": [0.5, 0.5], "x2": [[0.9, 0.1], [0.2, 0.8]], "x3": [[0.8, 0.2], [0.1, 0.9]]})
    jam = DiscreteModel(DAG.from_edges(["T", "John", "Jane"], [("T", "John"), ("T", "Jane")]),
                        {"T": ("clear", "jam"), "John": ("on time", "late"), "Jane": ("on time", "late")},
                        {"T": [0.8, 0.2], "John": [[0.9, 0.1], [0.3, 0.7]], "Jane": [[0.85, 0.15], [0.25, 0.75]]})
    seven_dag = DAG.from_edges([f"x{i}" for i in range(1, 8)],
                               [("x1", "x3"), ("x2", "x3"), ("x2", "x4"), ("x3", "x5"), ("x4", "x5"),
                                ("x4", "x6"), ("x4", "x7"), ("x5", "x7")])
    # generic (seeded Dirichlet) tables: the numeric check then shows what the graph does not imply, too
    seven = DiscreteModel.random(seven_dag, np.random.default_rng(7))
    gmm_plate = Plate("t", "t", "T")
    nb_plate = Plate("i", "i", "d")
    return (
        Example("variables", "Random variables: gender and admission", _variables(),
                "Two random variables g (gender) and a (admission) with their joint ℙ(g, a) from the Berkeley "
                "1973 counts, pooled over schools: marginals, conditionals and Bayes' theorem, in the measure "
                "notation P({a=admitted} ∩ {g=female}) and the random-variable notation ℙ(a=admitted, g=female) "
                "(the Joint tab; edit the counts there). On the Tables tab, click a bar to condition on a state.", (("g",), ("a",), ())),
        Example("chain", "The chain x₁ → x₂ → x₃", chain,
                "x₃ depends on x₁ only through x₂: once x₂ is given, x₁ tells nothing more (x₃ ⊥ x₁ | x₂). "
                "Ask x₁, x₃ without and with x₂ given; set evidence and compare the marginals.",
                (("x1",), ("x3",), ("x2",))),
        Example("explaining-away", "Explaining away: S → C ← A", eaway,
                "Smoking S and asbestos A are independent causes of C, here C = S xor A (a deterministic "
                "table). A ⊥ S, but not given C: if we know C = 1 and S = 1, then A = 0 with certainty. "
                "C explains away.", (("S",), ("A",), ("C",)), (("C", "1"), ("S", "1"))),
        Example("traffic", "A common cause: the traffic jam", jam,
                "A traffic jam T makes both John and Jane late: their arrivals are dependent, but independent "
                "given T (the proof is under the note).",
                (("John",), ("Jane",), ("T",))),
        Example("simpson", "Simpson's paradox: Berkeley 1973", _simpson(),
                "Gender z, school s, admission a (UC Berkeley 1973 counts, R datasets::UCBAdmissions). "
                "Per school, women are admitted about as often or more often; pooled, men are admitted "
                "far more often (44.5 % vs 30.4 %), because z → s: women applied more to the schools "
                "that admit few. The slide's 'Average' row (50 vs 27) is not the pooled rate of these "
                "counts; the rates shown are the ones the counts give.\n" + simpson_text(),
                (("z",), ("a",), ("s",))),
        Example("seven-node", "A more complex example (seven nodes)", seven,
                "x₇ ⊥ x₁, x₂ | x₃, x₄ and x₇ ⊥ x₃ | x₄, x₅: every path is blocked by a given chain or fork "
                "node. (A seven-node graph with the lecture's two independencies; its tables are random.)",
                (("x7",), ("x1", "x2"), ("x3", "x4"))),
        Example("generative", "Generative classification: y → x", _graph(["y", "x"], [("y", "x")]),
                "P(x, y) = P(y) P(x | y): model each class's density and the prior, classify by Bayes' rule.",
                has_tables=False),
        Example("discriminative", "Discriminative classification: x → y", _graph(["x", "y"], [("x", "y")]),
                "P(x, y) = P(x) P(y | x): only P(y | x) is modelled; x is given.", has_tables=False),
        Example("unsupervised", "Unsupervised: P(x) with a latent z",
                _graph(["z", "x"], [("z", "x")], kinds={"z": "latent"}),
                "No labels: P(x) = Σ_z P(z) P(x | z), z latent (dashed).", has_tables=False),
        Example("parameters", "Parameters as latent nodes",
                _graph(["θ", "x", "μ", "σ", "y"], [("θ", "x"), ("μ", "y"), ("σ", "y")],
                       kinds={"θ": "parameter", "μ": "parameter", "σ": "parameter"}),
                "A Bernoulli θ → x and a Gaussian μ, σ → y: the parameters are nodes too (dashed), "
                "P(x | θ) = θˣ(1 − θ)¹⁻ˣ and P(y | μ, σ) = N(y | μ, σ²).", has_tables=False),
        Example("naive-bayes", "Naive Bayes", _graph(["y", "x"], [("y", "x")], plates=(nb_plate,),
                                                     plate_of={"x": "i"}),
                "P(y, x₁…x_d) = P(y) Π_i P(x_i | y): the features are independent given the class.",
                has_tables=False),
        Example("gmm", "The Gaussian mixture with a plate over t",
                _graph(["π", "z", "x", "μ", "Σ"], [("π", "z"), ("z", "x"), ("μ", "x"), ("Σ", "x")],
                       kinds={"π": "parameter", "z": "latent", "μ": "parameter", "Σ": "parameter"},
                       plates=(gmm_plate,), plate_of={"z": "t", "x": "t"}),
                "For t = 1…T: z_t ~ Mult(π) (latent, dashed), x_t | z_t = k ~ N(μ_k, Σ_k) (observed). "
                "P(x, z | π, μ, Σ) = Π_t P(z_t | π) P(x_t | z_t, μ, Σ).", has_tables=False),
    )


@lru_cache(maxsize=1)
def examples() -> dict[str, Example]:
    """Every example by key, in the lecture's order."""
    return {e.key: e for e in _examples()}


def example(key: str) -> Example:
    found = examples().get(key)
    if found is None:
        from gmmviz.labs.graphs.core.dag import GraphError

        raise GraphError(f"no example {key!r}; the examples are {', '.join(examples())}")
    return found
