"""Skill shortfalls and the value of training courses, for many workers at once.

``v_ic = Σ_s a_s · min(g_cs, max(0, r_is − x_is)) / Σ_s a_s · r_is`` (0 when ``r_i`` requires
nothing): the part of the required skill mass of the profile a worker aims at that completing
course ``c`` would add. One fused pass, no (N, C, S) temporaries.
"""

from __future__ import annotations

import numba
import numpy as np

from ecosim.kernels._threads import threads_for


@numba.njit(cache=True, parallel=True)
def _course_values(skills, targets, gains, weights, out):
    n, n_skills = skills.shape
    n_courses = gains.shape[0]
    for i in numba.prange(n):
        need = 0.0
        k = 0
        idx = np.empty(n_skills, dtype=np.int64)
        gap = np.empty(n_skills)
        for s in range(n_skills):
            need += weights[s] * targets[i, s]
            d = targets[i, s] - skills[i, s]
            if d > 0.0:  # only missing skills can be gained
                idx[k] = s
                gap[k] = d
                k += 1
        for c in range(n_courses):
            acc = 0.0
            for j in range(k):
                s = idx[j]
                acc += weights[s] * (gains[c, s] if gains[c, s] < gap[j] else gap[j])
            out[i, c] = acc / need if need > 0.0 else 0.0


def course_values(
    skills: np.ndarray, targets: np.ndarray, gains: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """Expected shortfall reduction of every course for every worker, shaped (N, C).

    Args:
        skills: (N, S) skills ``x``.
        targets: (N, S) requirement profiles ``r`` aimed at.
        gains: (C, S) course gains ``g``.
        weights: (S,) skill weights ``a``.
    """
    skills = np.ascontiguousarray(skills, dtype=np.float64)
    out = np.empty((skills.shape[0], gains.shape[0]))
    with threads_for(skills.size):
        _course_values(
            skills,
            np.ascontiguousarray(targets, dtype=np.float64),
            np.ascontiguousarray(gains, dtype=np.float64),
            np.ascontiguousarray(weights, dtype=np.float64),
            out,
        )
    return out


@numba.njit(cache=True, parallel=True)
def _shortfall_rows(skills, rows, occupation, requirements, weights, out):
    n_skills = skills.shape[1]
    for k in numba.prange(rows.shape[0]):
        i = rows[k]
        o = occupation[k]
        need = 0.0
        gap = 0.0
        for s in range(n_skills):
            r = requirements[o, s]
            need += weights[s] * r
            d = r - skills[i, s]
            if d > 0.0:
                gap += weights[s] * d
        out[k] = gap / need if need > 0.0 else 0.0


def shortfall_rows(
    skills: np.ndarray,
    rows: np.ndarray,
    occupation: np.ndarray,
    requirements: np.ndarray,
    weights: np.ndarray,
) -> np.ndarray:
    """Skill shortfall of ``skills[rows]`` against the profiles of their occupations.

    ``Σ_s a_s · max(0, r_os − x_is) / Σ_s a_s · r_os`` (0 when the profile requires nothing),
    with ``o = occupation[k]`` for row ``rows[k]``; no (N, S) temporaries are built.
    """
    out = np.empty(len(rows))
    with threads_for(len(rows) * skills.shape[1]):
        _shortfall_rows(
            skills,
            np.ascontiguousarray(rows, dtype=np.int64),
            np.ascontiguousarray(occupation, dtype=np.int64),
            np.ascontiguousarray(requirements, dtype=np.float64),
            np.ascontiguousarray(weights, dtype=np.float64),
            out,
        )
    return out
