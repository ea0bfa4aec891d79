"""Learning by doing and skill depreciation, applied in place to the skill matrix.

For a worker ``i`` in a job with requirements ``r`` (the occupation's current profile) and skills
``x``, each month and for each skill ``s``::

    x_s <- x_s + lbd_i * max(0, r_s - x_s)     (learning by doing: closes part of the gap)
    x_s <- x_s - delta * max(0, x_s - r_s)     (depreciation of skill beyond what is used)

so skills move toward the job's profile from both sides and stay in [0, 1]. A worker without a
job (unemployed, out of the labour force) uses no skill; what they know depreciates slowly,
toward a floor ``phi * r_s`` of the profile of their occupation (the last or the one aimed at)
rather than to zero::

    x_s <- x_s - idle * max(0, x_s - phi * r_s)

Skills that the occupation does not need (``r_s = 0``) depreciate toward 0 at the same rate.
"""

from __future__ import annotations

import numba
import numpy as np

from ecosim.kernels._threads import threads_for


@numba.njit(cache=True, parallel=True)
def _learn_and_forget(skills, rows, occupation, working, requirements, lbd, delta, idle, phi):
    n_skills = skills.shape[1]
    for k in numba.prange(rows.shape[0]):
        i = rows[k]
        occ = occupation[k]
        for s in range(n_skills):
            x = skills[i, s]
            r = requirements[occ, s] if occ >= 0 else 0.0
            if working[k]:
                if r > x:
                    x += lbd[k] * (r - x)
                else:
                    x -= delta * (x - r)
            else:
                floor = phi * r
                if x > floor:
                    x -= idle * (x - floor)
            skills[i, s] = x


def learn_and_forget(
    skills: np.ndarray,
    rows: np.ndarray,
    occupation: np.ndarray,
    working: np.ndarray,
    requirements: np.ndarray,
    learning_rate: float | np.ndarray,
    depreciation_rate: float,
    idle_rate: float,
    idle_floor: float,
) -> None:
    """Update ``skills[rows]`` in place for one month (see the module docstring).

    Args:
        skills: (N, S) skill matrix, modified in place.
        rows: Rows to update.
        occupation: For each row in ``rows``: the occupation of the job held, or for a worker
            without a job the last or aimed-at occupation; -1 for none.
        working: For each row in ``rows``: whether the worker holds a job.
        requirements: (O, S) current requirement profiles.
        learning_rate: ``lbd``, monthly share of the missing skill learnt at work: one value,
            or one per row (e.g. higher while a new hire is trained on the job).
        depreciation_rate: ``delta``, monthly share of skill beyond the job's needs lost.
        idle_rate: ``idle``, monthly share lost without a job, of skill above the floor.
        idle_floor: ``phi``, the share of the occupation's required level kept without a job.
    """
    with threads_for(len(rows) * skills.shape[1]):
        _learn_and_forget(
            skills,
            np.ascontiguousarray(rows, dtype=np.int64),
            np.ascontiguousarray(occupation, dtype=np.int64),
            np.ascontiguousarray(working, dtype=np.bool_),
            np.ascontiguousarray(requirements, dtype=np.float64),
            np.ascontiguousarray(np.broadcast_to(learning_rate, (len(rows),)), dtype=np.float64),
            float(depreciation_rate),
            float(idle_rate),
            float(idle_floor),
        )
