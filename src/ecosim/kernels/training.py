"""Skill shortfalls, the value of training courses and the best course, for many workers at once.

``v_ic = Σ_s a_s · min(g_cs, max(0, r_is − x_is)) / Σ_s a_s · r_is`` (0 when ``r_i`` requires
nothing): the part of the required skill mass of the profile a worker aims at that completing
course ``c`` would add. One fused pass, no (N, C, S) temporaries.
"""

from __future__ import annotations

import numba
import numpy as np

from ecosim.kernels._threads import threads_for

_N_CHUNKS = 256  # rows are split into this many ranges, each with its own scratch arrays


@numba.njit(cache=True, parallel=True)
def _course_values(skills, targets, gains_t, weights, need_given, out):
    n, n_skills = skills.shape
    n_courses = gains_t.shape[1]
    n_chunks = min(n, _N_CHUNKS)
    for chunk in numba.prange(n_chunks):
        acc = np.empty(n_courses)
        for i in range(chunk * n // n_chunks, (chunk + 1) * n // n_chunks):
            acc[:] = 0.0
            need = 0.0
            for s in range(n_skills):
                need += weights[s] * targets[i, s]
                d = targets[i, s] - skills[i, s]
                if d > 0.0:  # only missing skills can be gained
                    a = weights[s]
                    g = gains_t[s]
                    for c in range(n_courses):  # one accumulator per course: vectorises
                        acc[c] += a * (g[c] if g[c] < d else d)
            if need_given.shape[0] > 0:
                need = need_given[i]
            for c in range(n_courses):
                out[i, c] = acc[c] / need if need > 0.0 else 0.0


def course_values(
    skills: np.ndarray,
    targets: np.ndarray,
    gains: np.ndarray,
    weights: np.ndarray,
    need: np.ndarray | None = None,
) -> np.ndarray:
    """Expected shortfall reduction of every course for every worker, shaped (N, C).

    Args:
        skills: (N, S) skills ``x``.
        targets: (N, S) requirement profiles ``r`` aimed at (as perceived: values outside
            [0, 1] are allowed).
        gains: (C, S) course gains ``g``.
        weights: (S,) skill weights ``a``.
        need: (N,) the denominators ``Σ_s a_s r_is`` to use (e.g. of the true profiles when
            ``targets`` are perceived ones); default: computed from ``targets``.
    """
    skills = np.ascontiguousarray(skills, dtype=np.float64)
    out = np.empty((skills.shape[0], gains.shape[0]))
    need = np.zeros(0) if need is None else np.ascontiguousarray(need, dtype=np.float64)
    with threads_for(skills.size):
        _course_values(
            skills,
            np.ascontiguousarray(targets, dtype=np.float64),
            np.ascontiguousarray(np.asarray(gains, dtype=np.float64).T),
            np.ascontiguousarray(weights, dtype=np.float64),
            need,
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


@numba.njit(cache=True, parallel=True)
def _best_courses(
    values, cost, support, wage, available_from, horizon, return_weight, cost_weight, best,
    best_score, best_net,
):  # fmt: skip
    n, n_courses = values.shape
    for i in numba.prange(n):
        b = 0
        top = -np.inf
        for c in range(n_courses):
            if available_from[c] <= horizon[i]:
                net = cost[c] - support[i, c]
                score = return_weight * values[i, c] - cost_weight * net / wage[i]
                if score > top:  # the first of equal maxima, as numpy.argmax
                    b, top = c, score
        best[i] = b
        best_score[i] = top
        best_net[i] = cost[b] - support[i, b]


def best_courses(
    values: np.ndarray,
    cost: np.ndarray,
    support: np.ndarray,
    wage: np.ndarray,
    available_from: np.ndarray,
    horizon: np.ndarray,
    return_weight: float,
    cost_weight: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each worker's best course by ``b_r * v - b_c * (cost - support) / wage``.

    Only courses with ``available_from <= horizon`` (per worker: this month plus any lead) are
    considered; ties go to the first course, and a worker with no available course gets course
    0 with score ``-inf``. The arithmetic is numpy's on the (N, C) arrays, element by element,
    without building them.

    Args:
        values: (N, C) course values ``v``.
        cost: (C,) course costs.
        support: (N, C) funding each worker would receive per course.
        wage: (N,) monthly wages ``w`` (positive).
        available_from: (C,) first month each course is offered.
        horizon: (N,) the last month whose courses each worker can take.
        return_weight: ``b_r``.
        cost_weight: ``b_c``.

    Returns:
        ``(best, score, net)``: the course, its score and its net cost per worker.
    """
    n = values.shape[0]
    best = np.empty(n, np.int64)
    best_score = np.empty(n)
    best_net = np.empty(n)
    with threads_for(values.size):
        _best_courses(
            np.ascontiguousarray(values, dtype=np.float64),
            np.ascontiguousarray(cost, dtype=np.float64),
            np.ascontiguousarray(support, dtype=np.float64),
            np.ascontiguousarray(wage, dtype=np.float64),
            np.ascontiguousarray(available_from, dtype=np.int64),
            np.ascontiguousarray(horizon, dtype=np.int64),
            float(return_weight),
            float(cost_weight),
            best,
            best_score,
            best_net,
        )
    return best, best_score, best_net
