"""The run's named random streams, all spawned from the scenario seed.

Every random number of a run comes from one of these ``numpy.random.Generator``\\ s, each a child
of ``numpy.random.SeedSequence(seed)``: one seed makes one run, identical across processes, and
the streams are statistically independent, so drawing more from one (say, a new learning rule)
leaves the others' draws unchanged. The spawn order below is part of the results: a new stream
must be appended, never inserted.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np


@dataclass(frozen=True)
class Streams:
    """The random streams of a run, in spawn order.

    Attributes:
        init: Building the world (employers, workers, their places, skills, wages).
        step: Labour demand (separations, layoffs, vacancy openings) and on-the-job search.
        match: The seed of the matching kernel's counter-based generator, once a month.
        entry: Graduates entering the labour force.
        transitions: Drawing the transitions' uncertain values (once, before the run).
        learning: Courses (dropout, training decisions), learning-community membership, and
            whether workers in a course search this month.
        curricula: Curricula's demand signals and students' perceived prospects.
        supply: Flows into and out of the labour force (exits, returns, early retirement).
    """

    init: np.random.Generator
    step: np.random.Generator
    match: np.random.Generator
    entry: np.random.Generator
    transitions: np.random.Generator
    learning: np.random.Generator
    curricula: np.random.Generator
    supply: np.random.Generator

    @classmethod
    def from_seed(cls, seed: int) -> Streams:
        """Spawn the streams of a run from its seed."""
        children = np.random.SeedSequence(seed).spawn(len(fields(cls)))
        return cls(*(np.random.default_rng(child) for child in children))
