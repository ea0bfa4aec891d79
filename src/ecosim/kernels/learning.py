"""Learning by doing and skill depreciation, applied in place to the skill matrix.

For worker ``i`` with job requirements ``r`` (the occupation's current profile; a zero vector
for workers without a job) and skills ``x``, each month and for each skill ``s``::

    x_s <- x_s + lbd   * max(0, r_s - x_s)     (learning by doing: closes part of the gap)
    x_s <- x_s - delta * max(0, x_s - r_s)     (depreciation of skill beyond what is used)

so skills move toward the job's profile from both sides and stay in [0, 1].
"""

from __future__ import annotations

import numba
import numpy as np

from ecosim.kernels._threads import threads_for


@numba.njit(cache=True, parallel=True)
def _learn_and_forget(skills, rows, occupation, requirements, lbd, delta):
    n_skills = skills.shape[1]
    for k in numba.prange(rows.shape[0]):
        i = rows[k]
        occ = occupation[k]
        for s in range(n_skills):
            x = skills[i, s]
            r = requirements[occ, s] if occ >= 0 else 0.0
            if r > x:
                x += lbd * (r - x)
            else:
                x -= delta * (x - r)
            skills[i, s] = x


def learn_and_forget(
    skills: np.ndarray,
    rows: np.ndarray,
    occupation: np.ndarray,
    requirements: np.ndarray,
    learning_rate: float,
    depreciation_rate: float,
) -> None:
    """Update ``skills[rows]`` in place for one month.

    Args:
        skills: (N, S) skill matrix, modified in place.
        rows: Rows to update.
        occupation: Occupation of the job held by each row in ``rows``, -1 for no job.
        requirements: (O, S) current requirement profiles.
        learning_rate: Monthly share of the missing skill learnt at work.
        depreciation_rate: Monthly share of unused skill lost.
    """
    with threads_for(len(rows) * skills.shape[1]):
        _learn_and_forget(
            skills,
            np.ascontiguousarray(rows, dtype=np.int64),
            np.ascontiguousarray(occupation, dtype=np.int64),
            np.ascontiguousarray(requirements, dtype=np.float64),
            float(learning_rate),
            float(depreciation_rate),
        )
