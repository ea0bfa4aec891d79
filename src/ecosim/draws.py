"""The month's random decisions, drawn by who decides, what and when.

Every random decision of the monthly phases — a worker quitting, dropping out of a course,
starting one, searching on the job, a cell's stochastically rounded openings — takes its number
from :class:`Draws`: a counter-based generator (:mod:`ecosim.kernels.random`) keyed by the
stream, the decision (:class:`Purpose`), the month and the drawer's identity (a worker's row, an
employer-occupation cell). A policy variant run with the same seed as its base then gives every
agent it does not affect the same numbers as in the base run: comparisons over common random
numbers are paired agent by agent, not only seed by seed, which makes differences between
interventions far less noisy than with sequential streams, where one extra draw shifts all
the later ones.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from ecosim.kernels import random as counter


class Purpose(IntEnum):
    """What a draw decides (each decision its own numbers)."""

    QUIT = 1
    LAYOFF_ORDER = 2
    REPLACE = 3
    GROW = 4
    SPONTANEOUS = 5
    RETIRE_EARLY = 6
    MOVE = 7
    ENTRANTS = 8
    ENTRANT_EDUCATION = 9
    ENTRANT_AGE = 10
    ENTRANT_EXPERIENCED = 11
    ENTRANT_OCCUPATION = 12
    ENTRANT_HOME = 13
    ENTRANT_SKILLS = 14
    PROGRAMME = 15
    PROSPECTS = 16
    CURRICULUM_SIGNAL = 17
    DROPOUT = 18
    EMPLOYER_CONSIDERS = 19
    EMPLOYER_BUYS = 20
    EMPLOYER_ORDER = 21
    EMPLOYER_FULL_COST = 22
    PERCEPTION = 23
    WORKER_STARTS = 24
    WORKER_ORDER = 25
    WORKER_FULL_COST = 26
    SEARCH_ON_THE_JOB = 27
    SEARCH_IN_COURSE = 28
    MATCHING_SEED = 29
    LAYOFFS = 30
    RETRAINING_PROSPECTS = 31
    OPEN = 32
    CELL_THRESHOLD = 33


class Draws:
    """Counter-based draws of one named stream (its ``key`` comes from the scenario seed)."""

    def __init__(self, key: int):
        self.key = int(key)

    def uniform(self, month: int, purpose: Purpose, ids: np.ndarray) -> np.ndarray:
        """One uniform in [0, 1) per id."""
        return counter.uniform(self.key, int(purpose), month, ids)[:, 0]

    def normal(self, month: int, purpose: Purpose, ids: np.ndarray, columns: int) -> np.ndarray:
        """``columns`` standard normals per id, shaped ``(len(ids), columns)``."""
        return counter.normal(self.key, int(purpose), month, ids, columns)

    def order(self, month: int, purpose: Purpose, ids: np.ndarray) -> np.ndarray:
        """A random order of ``ids`` (indices into it): ids sorted by their draws."""
        return np.argsort(self.uniform(month, purpose, ids), kind="stable")

    def choice(self, month: int, purpose: Purpose, ids: np.ndarray, p: np.ndarray) -> np.ndarray:
        """For each id, an index drawn with probabilities ``p`` (inverse CDF of its uniform)."""
        cdf = np.cumsum(p)
        cdf /= cdf[-1]
        return np.minimum(
            np.searchsorted(cdf, self.uniform(month, purpose, ids), side="right"), p.size - 1
        )

    def round(self, month: int, purpose: Purpose, x: np.ndarray) -> np.ndarray:
        """Stochastic rounding of ``x`` (each element its own draw, keyed by its flat index).

        Down to ``floor(x)`` or up, up with probability ``x - floor(x)``: expectations kept;
        an integer stays as it is. One parallel pass over ``x``
        (:func:`ecosim.kernels.random.stochastic_round`), as an employer-by-occupation grid
        is rounded several times a month.
        """
        return counter.stochastic_round(self.key, int(purpose), month, x)

    def seed(self, month: int, purpose: Purpose) -> int:
        """One 63-bit integer (e.g. the matching kernel's seed for the month)."""
        return int(self.uniform(month, purpose, np.zeros(1, dtype=np.int64))[0] * 2**63)
