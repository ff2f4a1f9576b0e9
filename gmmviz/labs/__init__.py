"""The registry of labs and the lecture outline (Qt-free, imports nothing heavy).

The window knows labs only through this table: each row names its lab
class as ``"module:Class"`` (imported when its tab is first shown) and
its entries in the lecture outline.  A lab that has not landed yet has no
class; its outline entries are shown greyed out ("coming in a later
version").  Adding a lab: a row here, its ``core/`` and ``qt/`` folders,
and its entries (see ``docs/architecture.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

#: The outline of the lecture, in order: (section, topic).
OUTLINE_TOPICS: tuple[tuple[str, str], ...] = (
    ("Graphical models", "Random variables and probabilities"),
    ("Graphical models", "Graphical model"),
    ("Graphical models", "Exercises"),
    ("Classification", "Generative modelling"),
    ("Classification", "Density estimation"),
    ("Algorithms for latent-variable models", "Gradient algorithms"),
    ("Algorithms for latent-variable models", "Expectation maximisation"),
    ("Exercises", "Density estimation"),
    ("Exercises", "Classification"),
)


@dataclass(frozen=True)
class OutlineEntry:
    """One entry of the lecture outline: a lab opened on a prepared scene.

    Attributes
    ----------
    topic : (str, str)
        Its (section, topic) in :data:`OUTLINE_TOPICS`.
    title : str
    lab : str
        The key of the lab that opens it.
    key : str
        What the lab's ``open_entry`` is given.
    tip : str
        One line on what the entry shows.
    """

    topic: tuple[str, str]
    title: str
    lab: str
    key: str
    tip: str = ""


@dataclass(frozen=True)
class LabSpec:
    """A row of the registry.

    Attributes
    ----------
    key : str
    title : str
        The tab's title.
    factory : str or None
        ``"module:Class"`` of its :class:`gmmviz.qt.lab.Lab`; None until the lab lands.
    about : str
        Its line in Help → About (what it teaches).
    """

    key: str
    title: str
    factory: str | None
    about: str = ""

    @property
    def available(self) -> bool:
        return self.factory is not None


LABS: tuple[LabSpec, ...] = (
    LabSpec("em", "EM studio", "gmmviz.labs.em.qt.lab:EMLab",
            "The mixture model z ~ Mult(π), x | z = k ~ N(μ<sub>k</sub>, Σ<sub>k</sub>) and ancestral sampling; "
            "EM half-step by half-step (responsibilities r<sub>tk</sub>, the closed-form M-step for full, diagonal, "
            "spherical and tied covariances); the lower bound ln p ≥ Q + H, H = −Σ r ln r ≥ 0, tight after each "
            "E-step, its gap KL(r ‖ p(z|x, θ)); initialisation, local optima, collapse and regularisation."),
    LabSpec("classify", "Classification", "gmmviz.labs.classify.qt.lab:ClassifyLab",
            "Generative classification: model P(x|y) and P(y), then Bayes' rule P(y|x) = P(x|y) P(y) / P(x) in log "
            "space; Naive Bayes (isotropic, diagonal), LDA, QDA and a Gaussian mixture per class; the posterior map, "
            "the decision boundary and how the priors move it; train/test accuracy, log-loss and the confusion "
            "matrix; and a check of your own GMMClassifier against the reference."),
    LabSpec("density", "Density estimation", "gmmviz.labs.density.qt.lab:DensityLab",
            "Density estimation scored by held-out likelihood: fixed histograms (bins, bin origin) and equal-mass "
            "bins of about √n points, empty bins and ln 0 = −∞, pseudo-counts; Gaussian kernels with Scott's, "
            "Silverman's and cross-validated bandwidths; Gaussian mixtures with BIC/AIC and the infinite "
            "(Dirichlet-process) mixture; train vs held-out scores against complexity, in 1-D and 2-D."),
    LabSpec("graphs", "Graphical models", "gmmviz.labs.graphs.qt.lab:GraphsLab",
            "Directed graphical models: a DAG and its factorisation P(x<sub>1</sub>, …, x<sub>n</sub>) = Π P(x<sub>i</sub> | "
            "parents), conditional independence by d-separation with every path explained (chain, fork, collider), "
            "explaining away, a common cause, Simpson's paradox on the Berkeley 1973 admissions, exact inference "
            "and ancestral sampling in discrete models, and exercises in both directions."),
    LabSpec("theory", "Algorithms and theory", "gmmviz.labs.theory.qt.lab:TheoryLab",
            "EM against gradient ascent from the same start (ln p per iteration and per second, the step size "
            "live, the score-function gradient's noisy path); the minorise-maximise slice ln p ≥ Q + ℍ along one "
            "EM step, following the EM studio's cursor, and over two mean coordinates with EM's path; entropy, KL "
            "divergence and Gibbs' inequality, and ln p − (Q + ℍ) = KL(r ‖ P(z|x, θ)) read off the studio."),
)

#: The lab whose session format the File menu reads and writes.
SESSION_LAB = "em"

_EM = ("Algorithms for latent-variable models", "Expectation maximisation")
_LATER = "coming in a later version"

OUTLINE: tuple[OutlineEntry, ...] = (
    OutlineEntry(OUTLINE_TOPICS[0], "Random variables, joint and marginal probabilities", "graphs", "variables",
                 "ℙ(gender, admission) at Berkeley 1973: the two notations side by side, marginals and Bayes"),
    OutlineEntry(OUTLINE_TOPICS[0], "Explaining away: S → C ← A", "graphs", "explaining-away",
                 "C = S xor A: A ⊥ S, but given C = 1 and S = 1, A = 0 with certainty"),
    OutlineEntry(OUTLINE_TOPICS[0], "A common cause: the traffic jam", "graphs", "traffic",
                 "John's and Jane's arrivals: dependent, independent given the traffic T"),
    OutlineEntry(OUTLINE_TOPICS[0], "Simpson's paradox on school admissions", "graphs", "simpson",
                 "Berkeley 1973: per school and pooled rates from the same counts, z → s → a, z → a"),
    OutlineEntry(OUTLINE_TOPICS[1], "The chain x₁ → x₂ → x₃", "graphs", "chain", "x₃ ⊥ x₁ | x₂"),
    OutlineEntry(OUTLINE_TOPICS[1], "A DAG and its factorisation Π P(xᵢ | parents)", "graphs", "factorisation",
                 "The seven-node example: x₇ ⊥ x₁, x₂ | x₃, x₄ and x₇ ⊥ x₃ | x₄, x₅"),
    OutlineEntry(OUTLINE_TOPICS[1], "Conditional independence by d-separation", "graphs", "d-separation",
                 "Pick X, Y and Z by clicking; every path drawn open or blocked, with the rule"),
    OutlineEntry(OUTLINE_TOPICS[1], "Generative classification: y → x", "graphs", "generative", "P(y) P(x | y)"),
    OutlineEntry(OUTLINE_TOPICS[1], "Discriminative classification: x → y", "graphs", "discriminative",
                 "P(x) P(y | x)"),
    OutlineEntry(OUTLINE_TOPICS[1], "Unsupervised: P(x) with a latent z", "graphs", "unsupervised",
                 "z latent (dashed)"),
    OutlineEntry(OUTLINE_TOPICS[1], "Parameters as latent nodes", "graphs", "parameters", "θ → x; μ, σ → y"),
    OutlineEntry(OUTLINE_TOPICS[1], "Naive Bayes", "graphs", "naive-bayes", "y → xᵢ on a plate i = 1…d"),
    OutlineEntry(OUTLINE_TOPICS[1], "The Gaussian mixture with a plate over t", "graphs", "gmm",
                 "z_t latent, x_t observed, π, μ, Σ parameters"),
    OutlineEntry(OUTLINE_TOPICS[2], "What is the model for this graph? / Draw the graph for this model", "graphs",
                 "exercises", "The lecture's eight exercises, then random graphs; feedback and a score"),
    OutlineEntry(OUTLINE_TOPICS[3], "Naive Bayes and the GMM classifier", "classify", "generative",
                 "Two Gaussian classes: the posterior map, the boundary, and Bayes' rule read off under the cursor"),
    OutlineEntry(OUTLINE_TOPICS[3], "Correlated classes: Naive Bayes fails", "classify", "scene:anisotropic",
                 "Tilted classes cut across by Naive Bayes; LDA and QDA follow the dashed optimal boundary"),
    OutlineEntry(OUTLINE_TOPICS[3], "A class of two clusters: GMM beats QDA", "classify", "scene:two-components",
                 "One Gaussian per class cannot hold two clusters; a mixture per class can"),
    OutlineEntry(OUTLINE_TOPICS[3], "Unequal priors move the boundary", "classify", "scene:priors",
                 "Drag a prior slider: the same densities, another P(y), the boundary moves"),
    OutlineEntry(OUTLINE_TOPICS[4], "Histograms, kernels and mixtures", "density", "estimators",
                 "One sample's density four ways, the true density dashed, scored on held-out points"),
    OutlineEntry(OUTLINE_TOPICS[4], "Bin origin moves a histogram's modes", "density", "scene:origin",
                 "A lecture scene with a note"),
    OutlineEntry(OUTLINE_TOPICS[4], "√n equal-mass bins vs fixed bins on skewed data", "density", "scene:sqrt-n",
                 "A lecture scene with a note"),
    OutlineEntry(OUTLINE_TOPICS[4], "KDE bandwidth too small", "density", "scene:bandwidth-small",
                 "A lecture scene with a note"),
    OutlineEntry(OUTLINE_TOPICS[4], "KDE bandwidth too large", "density", "scene:bandwidth-large",
                 "A lecture scene with a note"),
    OutlineEntry(OUTLINE_TOPICS[4], "The infinite mixture chooses its K", "density", "scene:dp",
                 "A lecture scene with a note"),
    OutlineEntry(OUTLINE_TOPICS[5], "Gradient ascent on ln p", "theory", "gradient",
                 "EM and gradient ascent race from the same start: too large a step diverges, too small crawls"),
    OutlineEntry(OUTLINE_TOPICS[5], "The slide's Monte-Carlo gradient (score function)", "theory", "score",
                 "Sampling z from the prior: beyond a few points almost every z has negligible P(x|z, θ)"),
    OutlineEntry(_EM, "The mixture model", "em", "mixture",
                 "Points sampled from a known mixture of three Gaussians, the true mixture drawn dashed"),
    OutlineEntry(_EM, "EM half-steps", "em", "half-steps",
                 "Old Faithful with K = 2 from a random start: step E and M and read the formula strip"),
    OutlineEntry(_EM, "The lower bound ln p ≥ Q + H", "em", "bound",
                 "Overlapping clusters: after each E-step Q + H touches ln p, after each M-step it falls below"),
    OutlineEntry(_EM, "Why EM works: the minorise-maximise slice", "theory", "mm-slice",
                 "ln p and the bound Q + ℍ along one EM step: touching at 0, below everywhere, highest at 1"),
    OutlineEntry(_EM, "The bound over two parameters", "theory", "mm-surface",
                 "Contours of ln p and of Q + ℍ over two mean coordinates, and EM's path to the bound's maximum"),
    OutlineEntry(_EM, "Entropy, KL divergence and Gibbs' inequality", "theory", "info",
                 "Set P and Q with the sliders: D_KL(P‖Q) ≥ 0, zero exactly at P = Q"),
    OutlineEntry(_EM, "Bad start: a local optimum", "em", "scene:local-optimum", "A lecture scene with a note"),
    OutlineEntry(_EM, "Collapse onto a point (reg_covar = 0)", "em", "scene:collapse", "A lecture scene with a note"),
    OutlineEntry(_EM, "K too large (6 for 3 clusters)", "em", "scene:too-many", "A lecture scene with a note"),
    OutlineEntry(_EM, "Anisotropic clusters: full vs diag vs spherical", "em", "scene:anisotropic",
                 "A lecture scene with a note"),
    OutlineEntry(_EM, "Two overlapping classes", "em", "scene:overlapping", "A lecture scene with a note"),
    OutlineEntry(OUTLINE_TOPICS[7], "GMM vs histogram: which fits best, and how do you measure it?", "density",
                 "exercise", "A bimodal sample: bins 2…100, K 1…10, scored by held-out log-likelihood"),
    OutlineEntry(OUTLINE_TOPICS[8], "Write a GMMClassifier and check it", "classify", "exercise",
                 "Classify ▸ Compare with My Classifier… fits your class on these points and shows where it differs"),
    OutlineEntry(OUTLINE_TOPICS[8], "Iris, two features, with a train/test split", "classify", "scene:iris",
                 "Sepal length and width, 30 % held out: train and test accuracy of each model"),
)


def lab_spec(key: str) -> LabSpec:
    """The registry row of lab ``key``."""
    for spec in LABS:
        if spec.key == key:
            return spec
    raise KeyError(f"no lab {key!r}; the labs are {', '.join(s.key for s in LABS)}")
