"""The density lab's lecture scenes: settings that set up one lesson, with its note.

``tests/labs/density/core/test_scenes.py`` checks that each lesson really
happens on its data (the bin origin moves a mode, the small bandwidth is poor
on test, the infinite mixture uses about as many components as the data
have bumps, ...).
"""

from __future__ import annotations

from dataclasses import dataclass

from gmmviz.core.errors import GmmvizError
from gmmviz.labs.density.core.settings import DensitySettings


@dataclass(frozen=True)
class Scene:
    key: str
    title: str
    note: str
    settings: DensitySettings


SCENES = (
    Scene("exercise", "The exercise: GMM vs histogram",
          "1,000 points from a bimodal distribution, a quarter held out. Move the bins slider "
          "from 2 to 100 and K from 1 to 10 and watch the leaderboard and the curves below: the training score "
          "(dashed) keeps rising with complexity, the held-out score (solid) peaks and falls, and with many bins "
          "it becomes −∞, because a held-out point lands in an empty bin. The measure is the held-out "
          "log-likelihood per point; the true density (dashed) scores best of all.",
          DensitySettings(distribution="bimodal", n=1000, seed=1, bins=2, k=1)),
    Scene("estimators", "Histograms, kernels and mixtures",
          "Four estimates of one sample's density: a histogram (steps), equal-mass bins of about √n points "
          "each, a Gaussian kernel estimate and a Gaussian mixture, with the true density dashed. The first two "
          "and the kernel are non-parametric (their complexity grows with n), the mixture is parametric.",
          DensitySettings(distribution="mixture", n=2000, seed=3, bins=25, k=3)),
    Scene("origin", "Bin origin: the same bins, other modes",
          "A histogram of 12 bins on a small bimodal sample. Drag the origin slider: the grid shifts by a "
          "fraction of a bin width, the number and width of the bins stay, and yet bumps appear, merge and "
          "move. A histogram depends on where its bins start, not only on how many there are; a kernel "
          "estimate does not.",
          DensitySettings(distribution="bimodal", n=150, seed=4, bins=12, origin=0.0)),
    Scene("sqrt-n", "√n equal-mass bins against fixed bins on skewed data",
          "A log-normal sample: long right tail, steep left side. Fixed-width bins are as wide at the peak as in "
          "the sparse tail, where they are left empty: a held-out point that lands there scores −∞. Equal-mass bins "
          "of about √n points each are narrow where the data are dense and wide in the tail, and no bin inside the "
          "data is empty. Compare the two histograms' held-out scores, and their distance to the truth (last "
          "column): a well-chosen fixed width can still be closer on ISE.",
          DensitySettings(distribution="lognormal", n=2000, seed=5, bins=30)),
    Scene("bandwidth-small", "KDE bandwidth too small",
          "The smallest bandwidth of the sweep: the estimate is a comb of spikes, one per training point. It "
          "never gives −∞ (a Gaussian kernel is positive everywhere), but held-out points between the spikes "
          "get a tiny density: its training score is the best of all, its test score poor. Move the bandwidth "
          "slider right and watch the test curve peak.",
          DensitySettings(distribution="bimodal", n=500, seed=6, bandwidth_index=0)),
    Scene("bandwidth-large", "KDE bandwidth too large",
          "The largest bandwidth of the sweep: the two modes melt into one broad bump. The estimate is smooth "
          "and robust but biased; training and test scores are both poor and close together (underfitting).",
          DensitySettings(distribution="bimodal", n=500, seed=6, bandwidth_index=49)),
    Scene("dp", "The infinite mixture chooses its K",
          "A Dirichlet-process mixture (truncated at 20 components) on a three-component sample. Its "
          "concentration α says how readily it opens a new component; the plot on the right shows how many "
          "components it actually uses (weight ≥ 1 %) as α goes from 0.001 to 1000: a handful over a wide range "
          "of α, far fewer than the 20 it may use.",
          DensitySettings(distribution="mixture", n=1500, seed=7, k=3, concentration_index=3)),
)


def scene(key: str) -> Scene:
    for s in SCENES:
        if s.key == key:
            return s
    raise GmmvizError(f"no density scene {key!r}; the scenes are {', '.join(s.key for s in SCENES)}")
