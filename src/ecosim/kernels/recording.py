"""The compiled passes behind the monthly recorders: shortfalls and sums by group, per worker.

Each pass reads a month-end snapshot's arrays once, without (N, S) temporaries, and writes
sums into arrays the wrapper allocates. Status codes are passed in (``employed``,
``unemployed``), so nothing here imports the model.

The passes are parallel over a fixed number of row ranges (:data:`_N_CHUNKS`, whatever the
number of threads): each range adds its rows, in row order, into its own slice of per-range
partial sums, and the partial sums are then added range after range (the per-employer sums of
:func:`worker_sums` add the employed in row order after the parallel loop). The results are
therefore the same to the bit on one thread or many and in every process, but their
floating-point sums differ in the last bits from plain row-order sums. Counts are sums of ones,
exact in any order. The kernels release the GIL (``nogil``), so a sweep's threads can record
concurrently; small calls run on one thread (:func:`ecosim.kernels._threads.threads_for`).
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from ecosim.kernels._arrays import read_only
from ecosim.kernels._threads import threads_for
from ecosim.skills import required_mass

_N_CHUNKS = 64
"""Row ranges of a pass: fixed, so that the order of the floating-point sums, and so their
bits, depend on the number of rows alone and never on the number of threads."""


@numba.njit(cache=True, nogil=True, parallel=True)
def _count_by_chunk(status, code, starts):
    """``starts[c]``: rows with ``status == code`` before range ``c``; the last: all of them."""
    n = status.size
    n_chunks = starts.size - 1
    starts[0] = 0
    for c in numba.prange(n_chunks):
        count = 0
        for i in range(c * n // n_chunks, (c + 1) * n // n_chunks):
            count += status[i] == code
        starts[c + 1] = count
    for c in range(n_chunks):
        starts[c + 1] += starts[c]


def _chunk_starts(status: np.ndarray, code: int) -> np.ndarray:
    """(``_N_CHUNKS`` + 1,) rows of status ``code`` before each row range, then in all."""
    starts = np.empty(_N_CHUNKS + 1, np.int64)
    with threads_for(status.size):
        _count_by_chunk(read_only(status), code, starts)
    return starts


class WorkerSums(NamedTuple):
    """Result of :func:`worker_sums`: the employed's shortfalls and per-skill and group sums.

    Attributes:
        rows: Rows of the employed, in row order.
        shortfall: Each employed worker's shortfall against their occupation's profile.
        deficit_sum: Per skill, ``Σ_i max(0, r_o(i)s − x_is)`` over the employed.
        held_employed_sum: Per skill, ``Σ_i x_is`` over the employed.
        held_unemployed_sum: Per skill, ``Σ_i x_is`` over the unemployed.
        n_unemployed: Number of unemployed.
        shortfall_by_employer: Sum of the employed's shortfalls per employer.
        employed_by_employer: Employed per employer.
        shortfall_by_occupation: Sum of the employed's shortfalls per occupation.
        employed_by_occupation: Employed per occupation.
        employed_by_residence: Employed per region of residence.
    """

    rows: np.ndarray
    shortfall: np.ndarray
    deficit_sum: np.ndarray
    held_employed_sum: np.ndarray
    held_unemployed_sum: np.ndarray
    n_unemployed: int
    shortfall_by_employer: np.ndarray
    employed_by_employer: np.ndarray
    shortfall_by_occupation: np.ndarray
    employed_by_occupation: np.ndarray
    employed_by_residence: np.ndarray


@numba.njit(cache=True, nogil=True, parallel=True)
def _worker_sums(
    status, occupation, employer, region, skills, requirements, weights, need, employed,
    unemployed, starts, rows, short, deficit_sum, held_e, held_u, short_emp, count_emp, short_occ,
    count_occ, resident, part_deficit, part_held_e, part_held_u, part_short_occ, part_count_occ,
    part_resident, part_n_u,
):  # fmt: skip
    n, n_skills = skills.shape
    n_chunks = starts.size - 1
    for c in numba.prange(n_chunks):
        c_deficit, c_held_e, c_held_u = part_deficit[c], part_held_e[c], part_held_u[c]
        c_short_occ, c_count_occ, c_resident = (
            part_short_occ[c],
            part_count_occ[c],
            part_resident[c],
        )
        k = starts[c]
        n_u = 0
        for i in range(c * n // n_chunks, (c + 1) * n // n_chunks):
            st = status[i]
            if st == employed:
                o = occupation[i]
                total = 0.0
                for j in range(n_skills):
                    x = skills[i, j]
                    c_held_e[j] += x
                    d = requirements[o, j] - x
                    if d > 0.0:
                        c_deficit[j] += d
                        total += weights[j] * d
                rows[k] = i
                value = total / need[o] if need[o] > 0 else 0.0
                short[k] = value
                c_short_occ[o] += value
                c_count_occ[o] += 1.0
                c_resident[region[i]] += 1.0
                k += 1
            elif st == unemployed:
                n_u += 1
                for j in range(n_skills):
                    c_held_u[j] += skills[i, j]
        part_n_u[c] = n_u
    n_unemployed = 0
    for c in range(n_chunks):  # loops, not array expressions: those would run in parallel
        n_unemployed += part_n_u[c]
        for j in range(n_skills):
            deficit_sum[j] += part_deficit[c, j]
            held_e[j] += part_held_e[c, j]
            held_u[j] += part_held_u[c, j]
        for o in range(short_occ.size):
            short_occ[o] += part_short_occ[c, o]
            count_occ[o] += part_count_occ[c, o]
        for r in range(resident.size):
            resident[r] += part_resident[c, r]
    # Per employer, one add per employed worker in row order on this thread (1.3 ms for
    # 600,000 employed): per-range partial sums, ranges x employers (64 x 44,000 at a million
    # workers, 45 MB for both sums) to clear and add, took 10 to 19 ms.
    for m in range(rows.size):
        e = employer[rows[m]]
        short_emp[e] += short[m]
        count_emp[e] += 1.0
    return n_unemployed


def worker_sums(
    status: np.ndarray,
    occupation: np.ndarray,
    employer: np.ndarray,
    region: np.ndarray,
    skills: np.ndarray,
    requirements: np.ndarray,
    weights: np.ndarray,
    n_employers: int,
    n_regions: int,
    employed: int,
    unemployed: int,
) -> WorkerSums:
    """The employed's skill shortfalls and the per-skill and per-group sums, in one pass.

    For an employed worker ``i`` in occupation ``o`` with skills ``x`` and profile ``r = R[o]``,
    ``shortfall_i = Σ_s a_s·max(0, r_s − x_is) / need_o`` (0 where ``need_o`` is 0), the
    definition of :mod:`ecosim.skills` (both sums over ``s`` in order, ``need_o`` from
    :func:`ecosim.skills.required_mass`), so the tables' shortfalls are the model's to the bit.
    The per-skill, per-occupation and per-region sums add the rows of each of
    :data:`_N_CHUNKS` ranges in order, then the ranges in order; the per-employer sums add the
    employed in row order.

    Args:
        status: (N,) status code per worker.
        occupation: (N,) occupation per worker (of the job, for the employed).
        employer: (N,) employer per worker (valid for the employed).
        region: (N,) region of residence per worker, in ``[0, n_regions)``.
        skills: (N, S) skills ``x``.
        requirements: (O, S) requirement profiles ``R``.
        weights: (S,) skill weights ``a``.
        n_employers: Number of employers.
        n_regions: Number of regions.
        employed: Status code of the employed.
        unemployed: Status code of the unemployed.
    """
    requirements = np.ascontiguousarray(requirements, dtype=np.float64)
    weights = np.ascontiguousarray(weights, dtype=np.float64)
    skills = np.ascontiguousarray(skills)
    n_skills, n_occupations = skills.shape[1], requirements.shape[0]
    starts = _chunk_starts(status, employed)
    rows = np.empty(int(starts[-1]), np.int64)
    shortfall = np.zeros(rows.size)
    deficit_sum, held_employed, held_unemployed = (np.zeros(n_skills) for _ in range(3))
    shortfall_by_employer, employed_by_employer = np.zeros(n_employers), np.zeros(n_employers)
    shortfall_by_occupation = np.zeros(n_occupations)
    employed_by_occupation = np.zeros(n_occupations)
    employed_by_residence = np.zeros(n_regions)
    with threads_for(skills.size):
        n_unemployed = _worker_sums(
            read_only(status),
            occupation,
            employer,
            region,
            skills,
            requirements,
            weights,
            required_mass(requirements, weights),
            employed,
            unemployed,
            starts,
            rows,
            shortfall,
            deficit_sum,
            held_employed,
            held_unemployed,
            shortfall_by_employer,
            employed_by_employer,
            shortfall_by_occupation,
            employed_by_occupation,
            employed_by_residence,
            *(np.zeros((_N_CHUNKS, n_skills)) for _ in range(3)),
            np.zeros((_N_CHUNKS, n_occupations)),
            np.zeros((_N_CHUNKS, n_occupations)),
            np.zeros((_N_CHUNKS, n_regions)),
            np.zeros(_N_CHUNKS, np.int64),
        )
    return WorkerSums(
        rows,
        shortfall,
        deficit_sum,
        held_employed,
        held_unemployed,
        int(n_unemployed),
        shortfall_by_employer,
        employed_by_employer,
        shortfall_by_occupation,
        employed_by_occupation,
        employed_by_residence,
    )


@numba.njit(cache=True, nogil=True, parallel=True)
def _cell_sums(
    headcount, target, openings, hires, sector, region, by_sec, by_occ, by_reg, part_sec,
    part_occ, part_reg,
):  # fmt: skip
    n_emp, n_occ = headcount.shape
    n_chunks = part_sec.shape[0]
    for c in numba.prange(n_chunks):
        for e in range(c * n_emp // n_chunks, (c + 1) * n_emp // n_chunks):
            s, r = sector[e], region[e]
            for o in range(n_occ):
                values = (
                    float(headcount[e, o]),
                    float(target[e, o]),
                    float(openings[e, o]),
                    float(hires[e, o]),
                )
                for v in range(4):
                    part_sec[c, v, s] += values[v]
                    part_occ[c, v, o] += values[v]
                    part_reg[c, v, r] += values[v]
    for c in range(n_chunks):  # loops, not array expressions: those would run in parallel
        for v in range(4):
            for s in range(by_sec.shape[1]):
                by_sec[v, s] += part_sec[c, v, s]
            for o in range(n_occ):
                by_occ[v, o] += part_occ[c, v, o]
            for r in range(by_reg.shape[1]):
                by_reg[v, r] += part_reg[c, v, r]


def cell_sums(
    headcount: np.ndarray,
    target: np.ndarray,
    openings: np.ndarray,
    hires: np.ndarray,
    sector: np.ndarray,
    region: np.ndarray,
    n_sectors: int,
    n_regions: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Headcount, target, openings and hires of the employer x occupation cells, by group.

    ``by_sector[c, g] = Σ_{e: sector_e = g} Σ_o V^c_eo`` for the four values ``V^c`` in that
    order; ``by_occupation[c, o] = Σ_e V^c_eo``; ``by_region`` like ``by_sector`` with the
    employers' regions. Sums run over employers, then occupations, in order, within each of
    :data:`_N_CHUNKS` ranges of employers, then over the ranges in order.

    Args:
        headcount: (E, O) employed per cell.
        target: (E, O) target employment per cell.
        openings: (E, O) open vacancies per cell.
        hires: (E, O) hires this month per cell.
        sector: (E,) sector per employer, in ``[0, n_sectors)``.
        region: (E,) region per employer, in ``[0, n_regions)``.
        n_sectors: Number of sectors.
        n_regions: Number of regions.

    Returns:
        ``(by_sector, by_occupation, by_region)``, shaped (4, groups).
    """
    shapes = ((4, n_sectors), (4, headcount.shape[1]), (4, n_regions))
    by_sec, by_occ, by_reg = (np.zeros(shape) for shape in shapes)
    with threads_for(headcount.size):  # two threads: slower at 36,000 cells, faster at 119,000
        _cell_sums(
            headcount,
            target,
            openings,
            hires,
            sector,
            region,
            by_sec,
            by_occ,
            by_reg,
            *(np.zeros((_N_CHUNKS, *shape)) for shape in shapes),
        )
    return by_sec, by_occ, by_reg


GROUP_COLUMNS: tuple[str, ...] = (
    "employed",
    "unemployed",
    "long_term_unemployed",
    "spell_sum",
    "shortfall_sum",
    "previously_unemployed",
    "unemployed_to_employed",
    "previously_employed",
    "employed_to_unemployed",
)
"""The columns of :func:`group_sums`, in order."""


@numba.njit(cache=True, nogil=True, parallel=True)
def _group_sums(
    status, prev_status, education, age, age_edges, region, spells, shortfall, long_term,
    employed, unemployed, n_ed, n_age, starts, acc, part,
):  # fmt: skip
    n = status.size
    n_prev = prev_status.size
    n_chunks = starts.size - 1
    for c in numba.prange(n_chunks):
        sums = part[c]
        k = starts[c]
        for i in range(c * n // n_chunks, (c + 1) * n // n_chunks):
            st = status[i]
            active = st == employed or st == unemployed
            if not active and (i >= n_prev or (prev_status[i] != employed and
                                               prev_status[i] != unemployed)):  # fmt: skip
                continue  # out of the labour force now and a month ago (retired rows): nothing
            band = -1
            a = age[i]
            if a >= age_edges[0]:
                for b in range(n_age):
                    if a < age_edges[b + 1]:
                        band = b
                        break
            for d in range(3):
                if d == 0:
                    grp = np.int64(education[i])
                elif d == 1:
                    if band < 0:
                        continue
                    grp = np.int64(n_ed + band)
                else:
                    grp = np.int64(n_ed + n_age + region[i])
                if st == employed:
                    sums[grp, 0] += 1.0
                    sums[grp, 4] += shortfall[k]
                elif st == unemployed:
                    sums[grp, 1] += 1.0
                    sums[grp, 3] += spells[i]
                    if spells[i] >= long_term:
                        sums[grp, 2] += 1.0
                if i < n_prev:
                    p = prev_status[i]
                    if p == unemployed:
                        sums[grp, 5] += 1.0
                        if st == employed:
                            sums[grp, 6] += 1.0
                    elif p == employed:
                        sums[grp, 7] += 1.0
                        if st == unemployed:
                            sums[grp, 8] += 1.0
            if st == employed:
                k += 1
    for c in range(n_chunks):  # loops, not array expressions: those would run in parallel
        for g in range(acc.shape[0]):
            for col in range(acc.shape[1]):
                acc[g, col] += part[c, g, col]


def group_sums(
    status: np.ndarray,
    prev_status: np.ndarray,
    education: np.ndarray,
    age: np.ndarray,
    age_edges: np.ndarray,
    region: np.ndarray,
    spells: np.ndarray,
    shortfall: np.ndarray,
    long_term: int,
    n_education: int,
    n_regions: int,
    employed: int,
    unemployed: int,
) -> np.ndarray:
    """Stocks, spells, shortfalls and status flows per education level, age band and region.

    Every worker ``i`` counts in three groups: education ``g = education_i``, age band
    ``n_education + b`` (``b`` with ``age_edges[b] <= age_i < age_edges[b+1]``; none outside
    the edges) and region ``n_education + n_bands + region_i``. Per group, in the order of
    :data:`GROUP_COLUMNS`: the employed ``E_g``; the unemployed ``U_g``; of whom with
    ``spells_i >= long_term``; ``Σ spells_i`` over the unemployed; ``Σ shortfall`` over the
    employed; those unemployed at the previous month's end (``prev_status``, which covers the
    first ``len(prev_status)`` rows; later rows are new), of whom now employed; those employed
    then, of whom now unemployed. Sums run over workers in row order within each of
    :data:`_N_CHUNKS` ranges of rows, then over the ranges in order.

    Args:
        status: (N,) status code per worker.
        prev_status: (M,) status codes a month earlier, ``M <= N`` (empty at the first month).
        education: (N,) education level, in ``[0, n_education)``.
        age: (N,) age in years.
        age_edges: (B + 1,) increasing age band edges.
        region: (N,) region of residence, in ``[0, n_regions)``.
        spells: (N,) months of the ongoing unemployment spell.
        shortfall: The employed's shortfalls, in row order (``WorkerSums.shortfall``).
        long_term: Spell length (months, inclusive) that counts as long-term.
        n_education: Number of education levels.
        n_regions: Number of regions.
        employed: Status code of the employed.
        unemployed: Status code of the unemployed.

    Returns:
        (n_education + B + n_regions, 9) sums.
    """
    age_edges = np.ascontiguousarray(age_edges, dtype=np.float64)
    n_age = age_edges.size - 1
    acc = np.zeros((n_education + n_age + n_regions, len(GROUP_COLUMNS)))
    starts = _chunk_starts(status, employed)
    with threads_for(status.size * len(GROUP_COLUMNS)):
        _group_sums(
            read_only(status),
            read_only(prev_status),
            education,
            age,
            age_edges,
            region,
            spells,
            shortfall,
            long_term,
            employed,
            unemployed,
            n_education,
            n_age,
            starts,
            acc,
            np.zeros((_N_CHUNKS, *acc.shape)),
        )
    return acc


class LabourForceSums(NamedTuple):
    """Result of :func:`labour_force_sums`: the month-end stocks the indicators are made of.

    Attributes:
        employed: Number of employed.
        unemployed: Number of unemployed.
        inactive: Number out of the labour force.
        wage_sum: Sum of the employed's wages.
        in_course: Workers in the labour force (employed or unemployed) in a course.
        by_interval: Labour force per age interval ``k`` (``edges[k-1] <= age < edges[k]``;
            ``k = 0`` below the first edge, ``k = len(edges)`` from the last one).
        in_course_by_interval: Of whom in a course.
    """

    employed: int
    unemployed: int
    inactive: int
    wage_sum: float
    in_course: int
    by_interval: np.ndarray
    in_course_by_interval: np.ndarray


@numba.njit(cache=True, nogil=True, parallel=True)
def _labour_force_sums(
    status, age, course, wage, edges, employed, unemployed, inactive, counts, wages, part_counts,
    part_wage, part_by_interval, part_in_course,
):  # fmt: skip
    n = status.size
    n_edges = edges.size
    n_chunks = part_wage.size
    for c in numba.prange(n_chunks):
        n_e = 0
        n_u = 0
        n_i = 0
        n_c = 0
        total = 0.0
        for i in range(c * n // n_chunks, (c + 1) * n // n_chunks):
            st = status[i]
            if st == inactive:
                n_i += 1
                continue
            if st == employed:
                n_e += 1
                total += wage[i]
            elif st == unemployed:
                n_u += 1
            else:
                continue
            k = 0
            while k < n_edges and edges[k] <= age[i]:
                k += 1
            part_by_interval[c, k] += 1
            if course[i] >= 0:
                n_c += 1
                part_in_course[c, k] += 1
        part_counts[c, 0] = n_e
        part_counts[c, 1] = n_u
        part_counts[c, 2] = n_i
        part_counts[c, 3] = n_c
        part_wage[c] = total
    for c in range(n_chunks):  # loops, not array expressions: those would run in parallel
        for j in range(4):
            counts[j] += part_counts[c, j]
        wages[0] += part_wage[c]
        for k in range(n_edges + 1):
            counts[4 + k] += part_by_interval[c, k]
            counts[5 + n_edges + k] += part_in_course[c, k]


def labour_force_sums(
    status: np.ndarray,
    age: np.ndarray,
    course: np.ndarray,
    wage: np.ndarray,
    edges: np.ndarray,
    employed: int,
    unemployed: int,
    inactive: int,
) -> LabourForceSums:
    """The stocks by status, the employed's wage sum and course participation by age, one pass.

    Counts are exact; the wage sum adds the employed's wages in row order within each of
    :data:`_N_CHUNKS` ranges of rows, then the ranges in order (so the same bits on any number
    of threads). A worker of any other status (retired) counts nowhere.

    Args:
        status: (N,) status code per worker.
        age: (N,) age in years.
        course: (N,) course in progress (``-1``: none).
        wage: (N,) wage (read for the employed).
        edges: (K,) increasing age edges (see :attr:`LabourForceSums.by_interval`).
        employed: Status code of the employed.
        unemployed: Status code of the unemployed.
        inactive: Status code of those out of the labour force.
    """
    edges = np.ascontiguousarray(edges, dtype=np.float64)
    n_edges = edges.size
    counts = np.zeros(4 + 2 * (n_edges + 1), np.int64)
    wages = np.zeros(1)
    with threads_for(status.size):
        _labour_force_sums(
            read_only(status),
            age,
            course,
            wage,
            edges,
            employed,
            unemployed,
            inactive,
            counts,
            wages,
            np.zeros((_N_CHUNKS, 4), np.int64),
            np.zeros(_N_CHUNKS),
            np.zeros((_N_CHUNKS, n_edges + 1), np.int64),
            np.zeros((_N_CHUNKS, n_edges + 1), np.int64),
        )
    return LabourForceSums(
        employed=int(counts[0]),
        unemployed=int(counts[1]),
        inactive=int(counts[2]),
        wage_sum=float(wages[0]),
        in_course=int(counts[3]),
        by_interval=counts[4 : 5 + n_edges],
        in_course_by_interval=counts[5 + n_edges :],
    )
