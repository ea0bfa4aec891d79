"""The run's named random streams, all derived from the scenario seed.

Each stream is a child of ``numpy.random.SeedSequence(seed)`` (``spawn``), so one seed makes one
run, identical across processes, and the streams are statistically independent. Building the
world and drawing the transitions' uncertain values use sequential generators
(``numpy.random.Generator``). The monthly phases use counter-based draws (:class:`ecosim.draws.
Draws`), keyed by the child's state: a decision's number depends on who decides, what and when,
so common random numbers pair two runs agent by agent. The spawn order below is part of the
results: a new stream must be appended, never inserted.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ecosim.draws import Draws


@dataclass(frozen=True)
class Streams:
    """The random streams of a run, in spawn order.

    Attributes:
        init: Building the world (employers, workers, their places, skills, wages, learning
            communities' members).
        step: Labour demand (separations, layoffs, vacancy openings) and on-the-job search.
        match: The seed of the matching kernel's counter-based generator, once a month.
        entry: Entrants into the labour force.
        transitions: Drawing the transitions' uncertain values (once, before the run).
        learning: Courses (dropout, training decisions) and whether workers in a course search.
        curricula: Curricula's demand signals and students' perceived prospects.
        supply: Flows into and out of the labour force (exits, returns, early retirement).
    """

    init: np.random.Generator
    step: Draws
    match: Draws
    entry: Draws
    transitions: np.random.Generator
    learning: Draws
    curricula: Draws
    supply: Draws

    @classmethod
    def from_seed(cls, seed: int) -> Streams:
        """Spawn the streams of a run from its seed."""
        children = np.random.SeedSequence(seed).spawn(len(fields(cls)))
        made = []
        for f, child in zip(fields(cls), children, strict=True):
            if f.type == "np.random.Generator":
                made.append(np.random.default_rng(child))
            else:
                made.append(Draws(int(child.generate_state(1, np.uint64)[0])))
        return cls(*made)
