"""The theory lab's prepared scenes: the data an outline entry opens on, and its note (Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass

from gmmviz.labs.em.core.presets import preset


@dataclass(frozen=True)
class TheoryScene:
    """An outline entry of the theory lab.

    Attributes
    ----------
    key : str
        The entry's key (``open_entry``).
    view : str
        The lab's view it opens: "race", "mm-slice", "surface", "info", "score", "graph".
    title, note : str
    preset : str or None
        The EM lab's preset its points come from (None: keep the points on the canvas).
    """

    key: str
    view: str
    title: str
    note: str
    preset: str | None = None

    def build(self):
        """The scene's points (a LoadedData), or None to keep the current ones."""
        if self.preset is None:
            return None
        p = preset(self.preset)
        return p.build(p.n_points, p.seed)


SCENES: tuple[TheoryScene, ...] = (
    TheoryScene("gradient", "race", "Gradient ascent on ln p",
                "EM and gradient ascent start from the same θ⁽⁰⁾ on the same points. Press Start, then move the "
                "step: too large and gradient ascent diverges (ln p falls or the run stops), too small and it "
                "crawls; EM needs no step size and never decreases ln p. Tick the score-function path to see "
                "the slide's Monte-Carlo gradient wander.", "blobs"),
    TheoryScene("score", "score", "The slide's Monte-Carlo gradient",
                "∇L is estimated from m assignment vectors z sampled from the prior P(z|θ), weighted by "
                "P(x|z, θ). On 5 points the estimate is unbiased; raise T and almost every sampled z has "
                "negligible weight: the estimate is useless. Sampling from the posterior P(z|x, θ) fixes it.",
                "blobs"),
    TheoryScene("mm-slice", "mm-slice", "Why EM works: the minorise-maximise slice",
                "Along the line from θ_k to θ_k+1, ln p (solid) and the bound Q(θ|θ_k) + ℍ_k (dashed): they "
                "touch at α = 0, the bound lies below everywhere, and its maximum is at α = 1, the M-step. The "
                "view follows the EM studio's cursor: step EM there and the picture walks.", "overlapping"),
    TheoryScene("mm-surface", "surface", "The bound over two parameters",
                "Contours of ln p (solid) and of the bound (dashed, same levels: inside, so below) over two "
                "mean coordinates; EM's path climbs to the bound's maximum ★ each step.", "overlapping"),
    TheoryScene("info", "info", "Entropy, KL divergence and Gibbs' inequality",
                "Set P and Q: D_KL(P‖Q) ≥ 0, zero exactly at P = Q. Below, the studio's ln p − (Q + ℍ) equals "
                "D_KL(r ‖ P(z|x, θ)): zero after an E-step, positive after an M-step. ℍ = −Σ r ln r ≥ 0 (the "
                "slide drops the minus sign)."),
    TheoryScene("graph", "graph", "The mixture as a graphical model",
                "θ → z_t → x_t ← μ, Σ inside a plate over t = 1..T; z_t is hidden (dashed). Click z_t or x_t "
                "to colour the canvas by the responsibilities or the data; Sample draws z_t, then x_t."),
)


def scene(key: str) -> TheoryScene:
    """The scene of outline entry ``key``."""
    for s in SCENES:
        if s.key == key:
            return s
    raise KeyError(f"the theory lab has no outline entry {key!r}; it has {', '.join(s.key for s in SCENES)}")
