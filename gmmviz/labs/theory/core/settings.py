"""The theory lab's settings, as its part of a session (Qt-free).

Every control of the lab's views is a field here, with its range and its
default: the Qt views take both from these fields (so a saved part and the
widgets can never disagree about what is valid), and :func:`read` checks a
part as opened before anything is changed.
"""

from __future__ import annotations

from gmmviz.core.errors import FileFormatError
from gmmviz.core.session.parts import (
    Boolean,
    Choice,
    Integer,
    Integers,
    defaults,
    read_part,
)
from gmmviz.labs.theory.core.ancestral import MAX_SAMPLES
from gmmviz.labs.theory.core.surface_view import coordinate_pairs

#: The views, in tab order (their titles are the Qt lab's).
VIEW_KEYS = ("race", "mm-slice", "info", "score", "surface", "graph")
#: The race's step slider: log10(step) from -3 to 1 in tenths.
STEP_LOG_RANGE = (-30, 10)
#: Outcomes of the entropy and KL view's P and Q, and the largest mass of one.
N_OUTCOMES, MAX_MASS = 5, 100
MAX_SEED = 2**31 - 1
SURFACE_MAX_K = 8


def _em_run(prefix: str, k_max: int, iteration: int):
    """'Follow the EM studio's cursor', and the EM run of its own: K, seed, the iteration drawn."""
    return (Boolean(f"{prefix}_follow", True), Integer(f"{prefix}_k", 3, 1, k_max),
            Integer(f"{prefix}_seed", 0, 0, MAX_SEED), Integer(f"{prefix}_iteration", iteration, 1, 500))


FIELDS = (
    Choice("view", "race", VIEW_KEYS),
    Integer("race_k", 3, 1, 12), Integer("race_seed", 0, 0, MAX_SEED), Integer("race_iterations", 150, 1, 5000),
    Integer("race_step", -10, *STEP_LOG_RANGE), Boolean("race_line_search", False), Boolean("race_score", False),
    Integer("race_samples", 10, 1, 1000),
    *_em_run("slice", 12, 1),
    *_em_run("surface", SURFACE_MAX_K, 2),
    Integer("surface_coords", 0, 0, len(coordinate_pairs(SURFACE_MAX_K)) - 1),
    Integer("score_k", 3, 1, 6), Integer("score_T", 5, 1, 2000), Integer("score_m", 100, 1, 10_000),
    Choice("score_sampler", "prior", ("prior", "posterior")), Integer("score_repeats", 200, 2, 5000),
    Integer("graph_k", 3, 1, 8), Integer("graph_samples", 200, 1, MAX_SAMPLES), Integer("graph_seed", 0, 0, MAX_SEED),
    Integers("info_p", (40, 25, 15, 12, 8), 0, MAX_MASS, N_OUTCOMES, N_OUTCOMES),
    Integers("info_q", (20, 20, 20, 20, 20), 0, MAX_MASS, N_OUTCOMES, N_OUTCOMES),
)
FIELD = {f.name: f for f in FIELDS}


def read(key: str, part) -> dict:
    """Every setting a part gives (defaults for the missing), checked whole.

    Raises
    ------
    FileFormatError
        ``labs.<key>.<field>: why``.
    """
    values = read_part(key, part, FIELDS)
    pairs = len(coordinate_pairs(values["surface_k"]))
    if values["surface_coords"] >= pairs:
        raise FileFormatError(f"labs.{key}.surface_coords: K = {values['surface_k']} has {pairs} coordinate "
                              f"pairs, so expected 0 to {pairs - 1}, got {values['surface_coords']}")
    return values


__all__ = ["FIELD", "FIELDS", "STEP_LOG_RANGE", "VIEW_KEYS", "defaults", "read"]
