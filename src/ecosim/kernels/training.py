"""Skill shortfalls, the value of training courses and the workers' decision to start one.

``v_ic = Σ_s a_s · min(g_cs, max(0, r_is − x_is)) / Σ_s a_s · r_is`` (0 when ``r_i`` requires
nothing): the part of the required skill mass of the profile a worker aims at that completing
course ``c`` would add. One fused pass, no (N, C, S) temporaries.

The workers' monthly decision (:func:`worker_decisions`) is one parallel pass over the workers:
perception noise, course values, the best course and the start draw for every decider, with the
noise and the draw taken from counter-based hashes of (key, purpose, month, row) inside the
kernel (the generator of :mod:`ecosim.kernels.random`), so that no array over all deciders is
built and the result does not depend on the number of threads.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from ecosim.kernels._arrays import read_only
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


@numba.njit(cache=True, inline="always")
def _shortfall_of(skills, i, requirements, o, weights):
    """Shortfall of worker row ``i`` against profile ``o``: the one loop both kernels share."""
    need = 0.0
    gap = 0.0
    for s in range(skills.shape[1]):
        r = requirements[o, s]
        need += weights[s] * r
        d = r - skills[i, s]
        if d > 0.0:
            gap += weights[s] * d
    return gap / need if need > 0.0 else 0.0


@numba.njit(cache=True, parallel=True)
def _shortfall_rows(skills, rows, occupation, requirements, weights, out):
    for k in numba.prange(rows.shape[0]):
        out[k] = _shortfall_of(skills, rows[k], requirements, occupation[k], weights)


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
            read_only(np.ascontiguousarray(rows, dtype=np.int64)),
            np.ascontiguousarray(occupation, dtype=np.int64),
            np.ascontiguousarray(requirements, dtype=np.float64),
            np.ascontiguousarray(weights, dtype=np.float64),
            out,
        )
    return out


# ------------------------------------------------------------------ the workers' decision

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_SH27 = np.uint64(27)
_SH30 = np.uint64(30)
_SH31 = np.uint64(31)
_SH11 = np.uint64(11)
_TO_UNIT = 2.0**-53
_MAX_EXPONENT = 700.0  # as ecosim.courses.start_probability: exp overflows above 709
_ZERO = np.uint64(0)
_ONE = np.uint64(1)


def _as_u64(values: tuple[int, ...]) -> tuple[np.uint64, ...]:
    """Draw coordinates (key, purpose, month, ...) as the kernels take them: modulo 2**64."""
    return tuple(np.uint64(x & (2**64 - 1)) for x in values)


@numba.njit(cache=True, inline="always")
def _mix(z):
    """SplitMix64's finaliser, as :mod:`ecosim.kernels.random` chains it."""
    z = z + _GOLDEN
    z = (z ^ (z >> _SH30)) * _MIX1
    z = (z ^ (z >> _SH27)) * _MIX2
    return z ^ (z >> _SH31)


@numba.njit(cache=True, inline="always")
def _unit(h):
    return np.float64(h >> _SH11) * _TO_UNIT


@numba.njit(cache=True, inline="always")
def _perception_noise(h, z):
    """Standard normals ``z[s]`` of one worker, in pairs by Marsaglia's polar method.

    Pair ``k`` (skills ``2k`` and ``2k + 1``) tries, for ``t = 0, 1, ...``, the point ``(a, b) =
    (2 u_j - 1, 2 u_{j+1} - 1)`` with ``j = 2 (t P + k)`` (``P`` pairs; ``u_j`` the worker's
    counter-based uniforms ``u(key, purpose, month, row, j)`` of :mod:`ecosim.kernels.random`)
    until ``0 < q = a² + b² < 1``, and gives ``a m`` and ``b m``, ``m = sqrt(-2 ln q / q)``:
    exact normals, independent, without trigonometry (a log and a root per pair, about 1.27
    tries).
    """
    n = z.shape[0]
    pairs = (n + 1) // 2
    for k in range(pairs):
        t = 0
        while True:
            j = np.uint64(2 * (t * pairs + k))
            a = 2.0 * _unit(_mix(h ^ j)) - 1.0
            b = 2.0 * _unit(_mix(h ^ (j + _ONE))) - 1.0
            q = a * a + b * b
            if 0.0 < q < 1.0:
                break
            t += 1
        m = np.sqrt(-2.0 * np.log(q) / q)
        z[2 * k] = a * m
        if 2 * k + 1 < n:
            z[2 * k + 1] = b * m


@numba.njit(cache=True, parallel=True)
def _worker_decisions(
    status, course, age, education, occupation, employer, displaced, wage, last_wage,
    voucher_used, skills, aim_rows, aim_occ, outlook, weights, gains_t, cost, available_from,
    month, members, programmes, member_effect, member_lead, band_min, band_max, band_rate, edu_mult,
    unemployed_factor, retrain_open, retrain_max, retrain_boost, voucher_open, voucher_amount,
    elig_status, elig_min_age, elig_max_age, elig_edu, sd, key, draw_month, noise_purpose,
    starts_purpose, return_weight, cost_weight, out_row, out_best, out_value, out_p, counts,
):  # fmt: skip
    noise_base = _mix(_mix(_mix(key) ^ noise_purpose) ^ draw_month)
    starts_base = _mix(_mix(_mix(key) ^ starts_purpose) ^ draw_month)
    n, n_skills = skills.shape
    n_courses = cost.shape[0]
    n_chunks = counts.shape[0]
    # Per skill, the courses that teach it; per course, the most value it can add (every
    # gain counted in full), summed in the order the values are.
    taught = np.zeros((n_skills, n_courses), np.int64)
    n_taught = np.zeros(n_skills, np.int64)
    most = np.zeros(n_courses)
    for s in range(n_skills):
        for c in range(n_courses):
            most[c] += weights[s] * gains_t[s][c]
            if gains_t[s][c] > 0.0:
                taught[s, n_taught[s]] = c
                n_taught[s] += 1
    for chunk in numba.prange(n_chunks):
        z = np.empty(n_skills)
        values = np.empty(n_courses)
        net = np.empty(n_courses)
        lo, hi = chunk * n // n_chunks, (chunk + 1) * n // n_chunks
        found = lo
        for i in range(lo, hi):
            st = status[i]
            if (st != 1 and st != 2) or course[i] >= 0:  # employed or unemployed, no course
                continue
            unemployed = st == 2
            target = occupation[i]
            if unemployed:
                target = aim_occ[np.searchsorted(aim_rows, i)]
            retrain = retrain_open and unemployed and displaced[i]
            vouchers = (
                voucher_open
                and not retrain
                and elig_status[st]
                and age[i] >= elig_min_age
                and age[i] < elig_max_age
                and elig_edu[education[i]]
            )
            effect, lead = 1.0, 0
            e = employer[i]
            if e >= 0:
                for k in range(members.shape[0]):
                    if members[k, e]:
                        effect = max(effect, member_effect[k])
                        lead = max(lead, member_lead[k])
            if unemployed:  # side entry: job seekers train in the community's programmes
                for k in range(programmes.shape[0]):
                    if programmes[k, target]:
                        effect = max(effect, member_effect[k])
                        lead = max(lead, member_lead[k])
            need = 0.0
            for s in range(n_skills):
                need += weights[s] * outlook[target, s]
            w = max(last_wage[i] if unemployed else wage[i], 1.0)
            base = 0.0
            for b in range(band_rate.shape[0]):  # the last band containing the age
                if age[i] >= band_min[b] and age[i] < band_max[b]:
                    base = band_rate[b]
            base = base * edu_mult[education[i]]
            base = base * (unemployed_factor if unemployed else 1.0)
            base = base * (retrain_boost if retrain else 1.0)
            # The best score any course could have, each counting its gains in full: an upper
            # bound of the start probability. A worker whose draw is above it cannot start,
            # and their perception and values are not needed (exactly the same starters).
            bound = -np.inf
            for c in range(n_courses):
                support = 0.0
                if retrain:
                    support = min(cost[c], retrain_max)
                elif vouchers:
                    support = max(min(cost[c], voucher_amount - voucher_used[i]), 0.0)
                net[c] = cost[c] - support
                if available_from[c] <= month + lead:
                    v = (most[c] / need if need > 0.0 else 0.0) * effect
                    bound = max(bound, return_weight * v - cost_weight * net[c] / w)
            u = _unit(_mix(_mix(starts_base ^ np.uint64(i)) ^ _ZERO))
            if not np.isfinite(bound):  # no course is available
                continue
            if u >= min(base * np.exp(min(bound, _MAX_EXPONENT)), 1.0) * (1.0 + 1e-9):
                continue
            # The value of every course against the perceived profile (the true one's mass).
            _perception_noise(_mix(noise_base ^ np.uint64(i)), z)
            values[:] = 0.0
            for s in range(n_skills):
                d = (outlook[target, s] + sd * z[s]) - skills[i, s]
                if d > 0.0:
                    a = weights[s]
                    g = gains_t[s]
                    for t in range(n_taught[s]):  # a course that does not teach s adds 0
                        c = taught[s, t]
                        values[c] += a * (g[c] if g[c] < d else d)
            top, best, best_value, best_net = -np.inf, 0, 0.0, 0.0
            for c in range(n_courses):
                v = (values[c] / need if need > 0.0 else 0.0) * effect
                if available_from[c] <= month + lead:
                    score = return_weight * v - cost_weight * net[c] / w
                    if score > top:  # the first of equal maxima
                        top, best, best_value, best_net = score, c, v, net[c]
            exponent = min(return_weight * best_value - cost_weight * (best_net / w),
                           _MAX_EXPONENT)  # fmt: skip
            p = min(base * np.exp(exponent), 1.0)
            if u < p:
                out_row[found] = i
                out_best[found] = best
                out_value[found] = best_value
                out_p[found] = p
                found += 1
        counts[chunk] = found - lo


@numba.njit(cache=True)
def _compact(counts, n, row, best, value, p):
    """Move each chunk's starters (at the chunk's start) to the front, in row order."""
    n_chunks = counts.shape[0]
    end = 0
    for chunk in range(n_chunks):
        lo = chunk * n // n_chunks
        for j in range(lo, lo + counts[chunk]):
            row[end], best[end], value[end], p[end] = row[j], best[j], value[j], p[j]
            end += 1
    return end


class TrainingRule(NamedTuple):
    """The workers' decision rule, as arrays and numbers (built from the scenario each month).

    Attributes:
        band_min, band_max, band_rate: (B,) the propensity's age bands ``[min, max)`` and
            their monthly base rates (a later band overrides an earlier one).
        edu_mult: (L,) multiplier of the base rate per education level.
        unemployed_factor: Multiplier of the base rate for the unemployed.
        return_weight, cost_weight: ``b_r`` and ``b_c``.
        retrain_open: Whether targeted retraining is open (for displaced unemployed workers).
        retrain_max: Retraining's maximum grant per person.
        retrain_boost: Multiplier of the base rate of those eligible for retraining.
        voucher_open: Whether vouchers are open.
        voucher_amount: Voucher euros per person per calendar year.
        elig_status: (5,) whether each status code may use a voucher.
        elig_min_age, elig_max_age: Vouchers' ages ``[min, max)``.
        elig_edu: (L,) whether each education level may use a voucher.
    """

    band_min: np.ndarray
    band_max: np.ndarray
    band_rate: np.ndarray
    edu_mult: np.ndarray
    unemployed_factor: float
    return_weight: float
    cost_weight: float
    retrain_open: bool
    retrain_max: float
    retrain_boost: float
    voucher_open: bool
    voucher_amount: float
    elig_status: np.ndarray
    elig_min_age: float
    elig_max_age: float
    elig_edu: np.ndarray


class Deciders(NamedTuple):
    """The worker columns the decision reads (the used part: ``n`` rows)."""

    status: np.ndarray
    course: np.ndarray
    age: np.ndarray
    education: np.ndarray
    occupation: np.ndarray
    employer: np.ndarray
    displaced: np.ndarray
    wage: np.ndarray
    last_wage: np.ndarray
    voucher_used: np.ndarray
    skills: np.ndarray


def worker_decisions(
    workers: Deciders,
    aim_rows: np.ndarray,
    aim_occupation: np.ndarray,
    outlook: np.ndarray,
    weights: np.ndarray,
    gains: np.ndarray,
    cost: np.ndarray,
    available_from: np.ndarray,
    catalogue_month: int,
    members: np.ndarray,
    programmes: np.ndarray,
    member_effect: np.ndarray,
    member_lead: np.ndarray,
    rule: TrainingRule,
    sd: float,
    draws: tuple[int, int, int, int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Which workers start a course this month, in one parallel pass over the workers.

    Every employed or unemployed worker not in a course (the deciders) values each course
    available to them against the profile they aim at as they perceive it, ``outlook[o] + sd *
    z`` with ``z`` standard normals drawn per skill from (key, purpose, month, row, skill)
    (:func:`_perception_noise`), over the true profile's required mass (as
    :func:`course_values` with ``need``); picks the course with the best ``b_r v - b_c k / w``
    (``k`` the cost after retraining or voucher support, ``w`` the wage, the last wage when
    unemployed, at least 1; ties to the first, as :func:`numpy.argmax`), and starts it with
    :func:`ecosim.courses.start_probability` against a uniform ``u(key, starts purpose, month,
    row)`` (:mod:`ecosim.kernels.random`, so ``Draws.uniform`` gives the same number). Nothing
    over all deciders is stored: only the starters' rows come out, in row order. The result
    does not depend on the number of threads (rows are split into fixed chunks).

    Most deciders do not start, and their draw says so before their perception is needed: the
    start probability is at most the one of the best score any course could have counting its
    gains in full (``Σ_s a_s g_cs``, an upper bound of the value in floating point too, as the
    sums are of smaller terms in the same order), so a worker whose draw is at or above that
    bound (with a margin of 1e-9 for rounding) is passed over without noise or values — the
    same starters, in a third of the time at 1M workers. A course adds value only for the skills it
    teaches, so only those are visited.

    Args:
        workers: The worker columns read.
        aim_rows: Sorted rows of the unemployed deciders; ``aim_occupation`` their aimed
            occupations (the employed aim at their own).
        outlook: (O, S) the profiles aimed at.
        weights: (S,) skill weights.
        gains: (C, S) course gains.
        cost: (C,) course costs; ``available_from`` (C,) their first month.
        catalogue_month: The month whose catalogue is offered (plus a member's lead).
        members: (K, E) membership of employers in each active learning community;
            ``member_effect`` (K,) its gain multiplier ``1 + effectiveness``, ``member_lead``
            (K,) its lead in months. A member's employees have the community's effect and lead.
        programmes: (K, O) the occupations whose courses each community opens to job seekers
            (its programmes if it takes side entrants, else none): an unemployed worker aiming
            at one has the community's effect and lead too.
        rule: The decision rule.
        sd: The perception noise's standard deviation.
        draws: ``(key, month, perception purpose, starts purpose)`` of the counter-based draws.

    Returns:
        ``(rows, best, value, p)`` of the starters: their rows, the course chosen, its
        perceived value (times the community effect) and the probability they started with.
    """
    n = workers.skills.shape[0]
    key, month, noise_purpose, starts_purpose = _as_u64(draws)
    counts = np.zeros(min(n, _N_CHUNKS), dtype=np.int64)
    row, best = np.empty(n, np.int64), np.empty(n, np.int64)
    value, p = np.empty(n), np.empty(n)
    r = rule
    with threads_for(workers.skills.size):
        _worker_decisions(
            *workers._replace(status=read_only(workers.status)),
            np.ascontiguousarray(aim_rows, dtype=np.int64),
            np.ascontiguousarray(aim_occupation, dtype=np.int64),
            np.ascontiguousarray(outlook, dtype=np.float64),
            np.ascontiguousarray(weights, dtype=np.float64),
            np.ascontiguousarray(np.asarray(gains, dtype=np.float64).T),
            np.ascontiguousarray(cost, dtype=np.float64),
            np.ascontiguousarray(available_from, dtype=np.int64),
            int(catalogue_month),
            np.ascontiguousarray(members, dtype=np.bool_),
            np.ascontiguousarray(programmes, dtype=np.bool_),
            np.ascontiguousarray(member_effect, dtype=np.float64),
            np.ascontiguousarray(member_lead, dtype=np.int64),
            r.band_min, r.band_max, r.band_rate, r.edu_mult, float(r.unemployed_factor),
            bool(r.retrain_open), float(r.retrain_max), float(r.retrain_boost),
            bool(r.voucher_open), float(r.voucher_amount), r.elig_status,
            float(r.elig_min_age), float(r.elig_max_age), r.elig_edu, float(sd),
            key, month, noise_purpose, starts_purpose, float(r.return_weight), float(r.cost_weight),
            row, best, value, p, counts,
        )  # fmt: skip
    end = _compact(counts, n, row, best, value, p)
    return row[:end], best[:end], value[:end], p[:end]


# ------------------------------------------------------------------ the aimed occupation

_TWO_PI = 2.0 * np.pi


@numba.njit(cache=True, parallel=True)
def _aimed_occupations(
    skills, rows, own, education, occ_education, requirements, weights, tightness, sd, reach,
    switch_ratio, key, purpose, month, out,
):  # fmt: skip
    base = _mix(_mix(_mix(key) ^ purpose) ^ month)
    n_occ = requirements.shape[0]
    for k in numba.prange(rows.shape[0]):
        i = rows[k]
        h = _mix(base ^ np.uint64(i))
        best = 0
        best_score = -np.inf
        mine = 0.0
        for o in range(n_occ):
            u1 = 1.0 - _unit(_mix(h ^ np.uint64(2 * o)))
            u2 = _unit(_mix(h ^ np.uint64(2 * o + 1)))
            z = np.sqrt(-2.0 * np.log(u1)) * np.cos(_TWO_PI * u2)
            perceived = tightness[o] * np.exp(sd * z)
            if o == own[k]:
                mine = perceived
            score = -np.inf
            if occ_education[o] <= education[i]:
                if 1.0 - _shortfall_of(skills, i, requirements, o, weights) >= reach:
                    score = perceived
            if o == 0 or score > best_score:
                best = o
                best_score = score
        better = best_score >= switch_ratio * mine and best_score > mine
        out[k] = best if better else own[k]


def aimed_occupations(
    skills: np.ndarray,
    rows: np.ndarray,
    own: np.ndarray,
    education: np.ndarray,
    occupation_education: np.ndarray,
    requirements: np.ndarray,
    weights: np.ndarray,
    tightness: np.ndarray,
    sd: float,
    reach: float,
    switch_ratio: float,
    draws: tuple[int, int, int],
) -> np.ndarray:
    """The occupation each of ``rows`` aims at (:func:`ecosim.phases.training.aimed_occupation`).

    For row ``i`` and occupation ``o``: perceived prospects ``tightness[o] · exp(sd · z_io)``,
    ``z_io`` the standard normal of column ``o`` of :func:`ecosim.kernels.random.normal` for
    id ``i`` and ``draws = (key, purpose, month)`` (Box–Muller, the same numbers); within
    reach if ``occupation_education[o] <= education[i]`` and the fit ``1 − shortfall`` is at
    least ``reach``. The best within reach (the first on ties) is taken if it beats the own
    occupation's perceived prospects and is at least ``switch_ratio`` times them, else
    ``own``. One pass over the rows, without (rows, occupations) temporaries.
    """
    key, purpose, month = _as_u64(draws)
    out = np.empty(len(rows), dtype=np.int64)
    with threads_for(len(rows) * requirements.size):
        _aimed_occupations(
            skills,
            np.ascontiguousarray(rows, dtype=np.int64),
            np.ascontiguousarray(own, dtype=np.int64),
            education,
            np.ascontiguousarray(occupation_education, dtype=np.int64),
            np.ascontiguousarray(requirements, dtype=np.float64),
            np.ascontiguousarray(weights, dtype=np.float64),
            np.ascontiguousarray(tightness, dtype=np.float64),
            float(sd),
            float(reach),
            float(switch_ratio),
            key,
            purpose,
            month,
            out,
        )
    return out


# ------------------------------------------------------------------ courses in progress


@numba.njit(cache=True, parallel=True)
def _progress_courses(
    rows, course, months_left, course_occupation, course_sponsor, course_effect, status,
    occupation, retrained, skills, gains, dropout_hazard, unemployed, worker_sponsor, key,
    purpose, month, counts,
):  # fmt: skip
    base = _mix(_mix(_mix(key) ^ purpose) ^ month)
    n = rows.shape[0]
    n_chunks = counts.shape[0]
    for c in numba.prange(n_chunks):
        completed = 0
        dropped = 0
        for k in range(c * n // n_chunks, (c + 1) * n // n_chunks):
            i = rows[k]
            taken = course[i]
            months_left[i] -= 1
            drop = _unit(_mix(_mix(base ^ np.uint64(i)) ^ np.uint64(0))) < dropout_hazard[taken]
            done = months_left[i] <= 0 and not drop
            if done:
                effect = course_effect[i]
                for s in range(skills.shape[1]):
                    skills[i, s] = min(skills[i, s] + effect * gains[taken, s], 1.0)
                if course_occupation[i] >= 0 and status[i] == unemployed:
                    occupation[i] = course_occupation[i]
                    retrained[i] = True
                completed += 1
            elif drop:
                dropped += 1
            if done or drop:
                course_occupation[i] = -1
                course[i] = -1
                months_left[i] = 0
                course_sponsor[i] = worker_sponsor
                course_effect[i] = 1.0
        counts[c, 0] = completed
        counts[c, 1] = dropped


class Participants(NamedTuple):
    """The worker columns :func:`progress_courses` reads and updates in place (used rows)."""

    course: np.ndarray
    course_months_left: np.ndarray
    course_occupation: np.ndarray
    course_sponsor: np.ndarray
    course_effect: np.ndarray
    status: np.ndarray
    occupation: np.ndarray
    retrained: np.ndarray
    skills: np.ndarray


def progress_courses(
    workers: Participants,
    rows: np.ndarray,
    gains: np.ndarray,
    dropout_hazard: np.ndarray,
    unemployed: int,
    worker_sponsor: int,
    draws: tuple[int, int, int],
) -> tuple[int, int]:
    """Courses of ``rows`` (workers in a course) advance a month, in one parallel pass.

    Row ``i`` drops out iff ``u(key, purpose, month, i, 0) < dropout_hazard[course]`` (the
    numbers of :func:`ecosim.kernels.random.uniform`); otherwise, if this was its last month, it
    completes: ``skills = min(1, skills + effect · gains[course])`` and, if unemployed and trained
    for another occupation, it now seeks work there (``retrained``). Either way the course
    columns are reset. Returns the numbers completed and dropped out.
    """
    key, purpose, month = _as_u64(draws)
    counts = np.zeros((max(min(len(rows), _N_CHUNKS), 1), 2), dtype=np.int64)
    with threads_for(len(rows) * workers.skills.shape[1]):
        _progress_courses(
            np.ascontiguousarray(rows, dtype=np.int64),
            *workers._replace(status=read_only(workers.status)),
            np.ascontiguousarray(gains, dtype=np.float64),
            np.ascontiguousarray(dropout_hazard, dtype=np.float64),
            int(unemployed),
            int(worker_sponsor),
            key,
            purpose,
            month,
            counts,
        )
    completed, dropped = counts.sum(axis=0)
    return int(completed), int(dropped)
