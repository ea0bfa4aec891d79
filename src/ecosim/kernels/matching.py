"""Monthly talent–task matching kernel.

Pure functions on NumPy arrays (numba-compiled hot loops) that match job seekers to vacancies.
Nothing from the rest of :mod:`ecosim` is imported, so the kernels can be tested and benchmarked
in isolation.

Notation: worker (seeker) ``w``, vacancy ``v``, skill ``s``, ``x_ws`` = ``Seekers.skills``,
``r_vs`` = ``Vacancies.requirements``, ``a_s`` = ``MatchParams.skill_weights``.

Scores
------
Skill shortfall (only *missing* skill counts), in ``[0, 1]``::

    short(w, v) = (Σ_s a_s · max(0, r_vs − x_ws)) / Σ_s a_s

Employer's score (the *fit*); the employer accepts iff ``fit(w, v) >= acceptance_threshold``::

    fit(w, v) = 1 − short(w, v)

Worker's utility; the worker accepts iff ``wage_v >= reservation_wage_w`` and
``U(w, v) > current_quality_w`` (``-inf`` for the unemployed)::

    U(w, v) = wage_weight · ln(wage_v / reservation_wage_w)
              − commute_cost · distance[mun_w, mun_v]
              + fit_weight · fit(w, v)

The logarithm is evaluated as ``ln(wage_v) − ln(reservation_wage_w)`` with both logs taken by
``numpy.log`` on the input arrays; the sum in ``short`` runs over ``s = 0 .. S−1`` in order and is
divided by ``Σ_s a_s`` last. A pair is *acceptable* iff both sides accept.

Preference orders (strict, so every result is deterministic and tie-breaking is unbiased)
-----------------------------------------------------------------------------------------
* Worker ``w`` prefers ``v`` to ``v'`` iff ``U(w, v) > U(w, v')``, or the utilities are equal and
  ``key_W(seed, w, v) > key_W(seed, w, v')``.
* Vacancy ``v`` prefers ``w`` to ``w'`` iff ``fit(w, v) > fit(w', v)``, or the fits are equal and
  ``key_E(seed, v, w) > key_E(seed, v, w')``.

The keys are 64-bit counter-based hashes (see *Randomness*), i.e. i.i.d. uniform tie-breakers.

Randomness
----------
All randomness comes from a stateless counter-based generator: ``hash(seed, stream, a, b)``
chains four SplitMix64 finalisers, ``h = mix(seed); h = mix(h ^ stream); h = mix(h ^ a);
h = mix(h ^ b)``, and a uniform in ``[0, 1)`` is ``(h >> 11) · 2⁻⁵³``. Streams:
``key_W(seed, w, v) = hash(seed, 2, w, v)``, ``key_E(seed, v, w) = hash(seed, 1, v, w)``, and draw
``d`` of seeker ``w`` in search round ``r`` uses ``u_cat = uniform(seed, 1024 + r, w, 2d)`` and
``u_idx = uniform(seed, 1024 + r, w, 2d + 1)``. No global random state is used, so results do not
depend on the number of numba threads or the order of work.

Sampling (``search`` and ``stable``)
------------------------------------
In round ``r`` the *open* vacancies are those with openings left (``count > 0`` in round 0).
Draw ``d`` of seeker ``w``: if ``u_cat < own_occupation_share`` and there are open vacancies of the
seeker's occupation, pick uniformly among them; else if
``u_cat < own_occupation_share + local_share`` and there are open vacancies in the seeker's
municipality, pick uniformly among them; otherwise pick uniformly among all open vacancies.
"Uniformly" means uniform over vacancy *rows* (not weighted by remaining openings); the index is
``floor(u_idx · size)`` into the group listed in increasing vacancy index. Duplicates are dropped.

Modes
-----
``search`` (frictional, used every simulated month)
    For each of ``rounds`` rounds, every still-unmatched seeker draws ``sample_size`` open
    vacancies, keeps the acceptable ones and applies to its ``applications`` most preferred; each
    vacancy offers to its most preferred applicants up to its remaining openings; each seeker
    accepts its most preferred offer (rejected offers are lost). Filled openings are removed
    before the next round. Cost O(rounds · n · sample_size · S + m); no dense n × m matrix.
``stable``
    Each seeker's candidate list is the acceptable vacancies among the round-0 draws of
    ``search``, ordered by the worker's preference. Many-to-one worker-proposing deferred
    acceptance on these lists gives the worker-optimal stable matching of the listed pairs
    (independent of the proposal order).
``optimal``
    Maximum total fit over acceptable pairs, respecting ``count`` (unmatched allowed), by an
    ε-scaling forward auction (Bertsekas) on the acceptable pairs with each seeker's private
    outside option of value 0 and identical openings of a vacancy kept as sorted price copies,
    followed after each scaling phase by reverse-auction steps that drive the price of every
    unfilled opening to 0. At the end ε-complementary slackness holds with
    ``ε = 1e-10 / (n + 1)``, so the total fit is within ``n·ε < 1e-10`` (absolute) of the
    optimum; when fits are multiples of ``1/q`` with ``q < 1e10`` (quantised scores) the
    assignment is exactly optimal. Limited to 20,000 seekers and 20,000 openings.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np
from numba import prange

__all__ = [
    "MatchParams",
    "MatchResult",
    "Seekers",
    "Vacancies",
    "acceptable_matrix",
    "employer_score_matrix",
    "match",
    "worker_utility_matrix",
]

MODES = ("search", "stable", "optimal")
OPTIMAL_MAX_SIDE = 20_000
OPTIMAL_MAX_PAIRS = 60_000_000

_STREAM_EMPLOYER = 1
_STREAM_WORKER = 2
_STREAM_DRAW = 1024
_N_CHUNKS = 256
_K_BEST = 8

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_SH11 = np.uint64(11)
_SH27 = np.uint64(27)
_SH30 = np.uint64(30)
_SH31 = np.uint64(31)
_INV_2_53 = 1.0 / 9007199254740992.0
_MASK64 = (1 << 64) - 1


@dataclass(frozen=True)
class Seekers:
    """Job seekers (unemployed and on-the-job).

    Attributes:
        skills: float64 (n, S), values in [0, 1].
        municipality: int64 (n,), row index into ``MatchParams.distance``.
        reservation_wage: float64 (n,), > 0, monthly euros.
        current_quality: float64 (n,), utility of the current job; ``-inf`` for the unemployed.
        occupation: int64 (n,), own/preferred occupation, negative if none (biases sampling only).
    """

    skills: np.ndarray
    municipality: np.ndarray
    reservation_wage: np.ndarray
    current_quality: np.ndarray
    occupation: np.ndarray


@dataclass(frozen=True)
class Vacancies:
    """Vacancy rows; each row has ``count`` identical openings (many-to-one).

    Attributes:
        requirements: float64 (m, S) in [0, 1].
        municipality: int64 (m,), row index into ``MatchParams.distance``.
        wage: float64 (m,), > 0.
        count: int64 (m,) >= 0, number of identical openings.
        occupation: int64 (m,) >= 0.
    """

    requirements: np.ndarray
    municipality: np.ndarray
    wage: np.ndarray
    count: np.ndarray
    occupation: np.ndarray


@dataclass(frozen=True)
class MatchParams:
    """Parameters of the scores and of the search process (see the module docstring).

    Attributes:
        skill_weights: float64 (S,) >= 0, not all zero.
        distance: float64 (K, K), km between municipalities.
        commute_cost: utility per km.
        wage_weight: weight of the log wage ratio in the worker's utility.
        fit_weight: weight of the fit in the worker's utility.
        acceptance_threshold: the employer accepts a worker iff fit >= this.
        sample_size: vacancies each seeker draws per round (search) / candidate list length
            (stable).
        applications: applications per seeker per round (search).
        rounds: search rounds.
        own_occupation_share: probability that a draw is taken among the seeker's occupation.
        local_share: probability that a draw is taken among the seeker's municipality.
    """

    skill_weights: np.ndarray
    distance: np.ndarray
    commute_cost: float = 0.01
    wage_weight: float = 1.0
    fit_weight: float = 1.0
    acceptance_threshold: float = 0.5
    sample_size: int = 20
    applications: int = 3
    rounds: int = 3
    own_occupation_share: float = 0.5
    local_share: float = 0.3


@dataclass(frozen=True)
class MatchResult:
    """Outcome of :func:`match`.

    Attributes:
        vacancy_of_seeker: int64 (n,), matched vacancy row, -1 if unmatched.
        fit_of_seeker: float64 (n,), fit of the matched pair, nan if unmatched.
    """

    vacancy_of_seeker: np.ndarray
    fit_of_seeker: np.ndarray


# ----------------------------------------------------------------------------------------------
# Counter-based random numbers and preference orders
# ----------------------------------------------------------------------------------------------


@numba.njit(cache=True)
def _mix64(z):
    """SplitMix64 finaliser of ``z + golden`` (uint64 arithmetic modulo 2**64)."""
    z = z + _GOLDEN
    z = (z ^ (z >> _SH30)) * _MIX1
    z = (z ^ (z >> _SH27)) * _MIX2
    return z ^ (z >> _SH31)


@numba.njit(cache=True)
def _hash4(seed, stream, a, b):
    """64-bit hash of the counter ``(seed, stream, a, b)``; callable from Python too."""
    h = _mix64(np.uint64(seed))
    h = _mix64(h ^ np.uint64(stream))
    h = _mix64(h ^ np.uint64(a))
    return _mix64(h ^ np.uint64(b))


@numba.njit(cache=True)
def _uniform(seed, stream, a, b):
    """Uniform float in [0, 1) from the top 53 bits of ``_hash4``."""
    return np.float64(_hash4(seed, stream, a, b) >> _SH11) * _INV_2_53


@numba.njit(cache=True)
def _worker_prefers(u_a, v_a, u_b, v_b, seed, w):
    """True iff worker ``w`` strictly prefers vacancy ``v_a`` (utility u_a) to ``v_b``."""
    if u_a != u_b:
        return u_a > u_b
    return _hash4(seed, _STREAM_WORKER, w, v_a) > _hash4(seed, _STREAM_WORKER, w, v_b)


@numba.njit(cache=True)
def _employer_prefers(f_a, w_a, f_b, w_b, seed, v):
    """True iff vacancy ``v`` strictly prefers worker ``w_a`` (fit f_a) to ``w_b``."""
    if f_a != f_b:
        return f_a > f_b
    return _hash4(seed, _STREAM_EMPLOYER, v, w_a) > _hash4(seed, _STREAM_EMPLOYER, v, w_b)


# ----------------------------------------------------------------------------------------------
# Pair scores
# ----------------------------------------------------------------------------------------------


@numba.njit(cache=True)
def _pair_fit(skills, w, req, v, weights, wsum):
    """fit(w, v) = 1 − Σ_s a_s·max(0, r_vs − x_ws) / Σ_s a_s."""
    acc = 0.0
    for s in range(skills.shape[1]):
        acc += weights[s] * max(req[v, s] - skills[w, s], 0.0)
    return 1.0 - acc / wsum


@numba.njit(cache=True)
def _pair_utility(fit, ln_wage_v, ln_res_w, dist, wage_weight, commute_cost, fit_weight):
    """U = wage_weight·(ln wage − ln res) − commute_cost·dist + fit_weight·fit."""
    return wage_weight * (ln_wage_v - ln_res_w) - commute_cost * dist + fit_weight * fit


@numba.njit(cache=True, parallel=True)
def _dense_kernel(
    skills,
    s_mun,
    res,
    ln_res,
    cur,
    req,
    v_mun,
    wage,
    ln_wage,
    weights,
    wsum,
    dist,
    commute_cost,
    wage_weight,
    fit_weight,
    threshold,
    out_fit,
    out_util,
    out_acc,
):
    """Dense fit, utility and acceptability matrices (n, m)."""
    n = skills.shape[0]
    m = req.shape[0]
    for w in prange(n):
        for v in range(m):
            f = _pair_fit(skills, w, req, v, weights, wsum)
            u = _pair_utility(
                f,
                ln_wage[v],
                ln_res[w],
                dist[s_mun[w], v_mun[v]],
                wage_weight,
                commute_cost,
                fit_weight,
            )
            out_fit[w, v] = f
            out_util[w, v] = u
            out_acc[w, v] = f >= threshold and wage[v] >= res[w] and u > cur[w]


# ----------------------------------------------------------------------------------------------
# Sampling (shared by search and stable)
# ----------------------------------------------------------------------------------------------


@numba.njit(cache=True)
def _build_groups(remaining, v_occ, v_mun, n_occ, n_mun):
    """CSR lists of open vacancies: all, by occupation, by municipality (counting sort, O(m))."""
    m = remaining.shape[0]
    n_open = 0
    for v in range(m):
        if remaining[v] > 0:
            n_open += 1
    open_list = np.empty(n_open, np.int64)
    occ_ptr = np.zeros(n_occ + 1, np.int64)
    mun_ptr = np.zeros(n_mun + 1, np.int64)
    k = 0
    for v in range(m):
        if remaining[v] > 0:
            open_list[k] = v
            k += 1
            occ_ptr[v_occ[v] + 1] += 1
            mun_ptr[v_mun[v] + 1] += 1
    for o in range(n_occ):
        occ_ptr[o + 1] += occ_ptr[o]
    for c in range(n_mun):
        mun_ptr[c + 1] += mun_ptr[c]
    occ_list = np.empty(n_open, np.int64)
    mun_list = np.empty(n_open, np.int64)
    occ_fill = occ_ptr[:-1].copy()
    mun_fill = mun_ptr[:-1].copy()
    for k in range(n_open):
        v = open_list[k]
        occ_list[occ_fill[v_occ[v]]] = v
        occ_fill[v_occ[v]] += 1
        mun_list[mun_fill[v_mun[v]]] = v
        mun_fill[v_mun[v]] += 1
    return open_list, occ_ptr, occ_list, mun_ptr, mun_list


@numba.njit(cache=True)
def _draw_vacancy(
    seed, rnd, w, d, occ_w, mun_w, p_occ, p_loc, open_list, occ_ptr, occ_list, mun_ptr, mun_list
):
    """Draw ``d`` of seeker ``w`` in round ``rnd`` (see *Sampling* in the module docstring)."""
    stream = _STREAM_DRAW + rnd
    u_cat = _uniform(seed, stream, w, 2 * d)
    u_idx = _uniform(seed, stream, w, 2 * d + 1)
    lo = 0
    size = open_list.shape[0]
    group = open_list
    if u_cat < p_occ:
        if occ_w >= 0 and occ_w < occ_ptr.shape[0] - 1:
            sz = occ_ptr[occ_w + 1] - occ_ptr[occ_w]
            if sz > 0:
                group = occ_list
                lo = occ_ptr[occ_w]
                size = sz
    elif u_cat < p_occ + p_loc:
        sz = mun_ptr[mun_w + 1] - mun_ptr[mun_w]
        if sz > 0:
            group = mun_list
            lo = mun_ptr[mun_w]
            size = sz
    j = np.int64(u_idx * size)
    if j >= size:
        j = size - 1
    return group[lo + j]


@numba.njit(cache=True)
def _select_candidates(
    w,
    rnd,
    seed,
    limit,
    sample_size,
    skills,
    s_mun,
    res,
    ln_res,
    cur,
    s_occ,
    req,
    v_mun,
    wage,
    ln_wage,
    weights,
    wsum,
    dist,
    commute_cost,
    wage_weight,
    fit_weight,
    threshold,
    p_occ,
    p_loc,
    open_list,
    occ_ptr,
    occ_list,
    mun_ptr,
    mun_list,
    out_v,
    out_u,
    out_f,
    base,
):
    """Draw, dedupe and score; keep the ``limit`` most preferred acceptable vacancies.

    Writes them, best first, to ``out_*[base : base + k]`` and returns ``k``.
    """
    k = 0
    occ_w = s_occ[w]
    mun_w = s_mun[w]
    res_w = res[w]
    for d in range(sample_size):
        v = _draw_vacancy(
            seed,
            rnd,
            w,
            d,
            occ_w,
            mun_w,
            p_occ,
            p_loc,
            open_list,
            occ_ptr,
            occ_list,
            mun_ptr,
            mun_list,
        )
        if wage[v] < res_w:
            continue
        f = _pair_fit(skills, w, req, v, weights, wsum)
        if f < threshold:
            continue
        u = _pair_utility(
            f,
            ln_wage[v],
            ln_res[w],
            dist[mun_w, v_mun[v]],
            wage_weight,
            commute_cost,
            fit_weight,
        )
        if not u > cur[w]:
            continue
        dup = False
        for j in range(k):
            if out_v[base + j] == v:
                dup = True
                break
        if dup:
            continue
        if k < limit:
            pos = k
            k += 1
        elif _worker_prefers(u, v, out_u[base + k - 1], out_v[base + k - 1], seed, w):
            pos = k - 1
        else:
            continue
        while pos > 0 and _worker_prefers(
            u, v, out_u[base + pos - 1], out_v[base + pos - 1], seed, w
        ):
            out_v[base + pos] = out_v[base + pos - 1]
            out_u[base + pos] = out_u[base + pos - 1]
            out_f[base + pos] = out_f[base + pos - 1]
            pos -= 1
        out_v[base + pos] = v
        out_u[base + pos] = u
        out_f[base + pos] = f
    return k


# ----------------------------------------------------------------------------------------------
# Employer-side heaps (root = least preferred admitted worker)
# ----------------------------------------------------------------------------------------------


@numba.njit(cache=True)
def _heap_sift_down(hw, hf, hp, base, size, i, seed, v):
    """Restore the heap below position ``i`` (worst worker at the root)."""
    while True:
        c = 2 * i + 1
        if c >= size:
            return
        r = c + 1
        if r < size and _employer_prefers(
            hf[base + c], hw[base + c], hf[base + r], hw[base + r], seed, v
        ):
            c = r
        if _employer_prefers(hf[base + i], hw[base + i], hf[base + c], hw[base + c], seed, v):
            hw[base + i], hw[base + c] = hw[base + c], hw[base + i]
            hf[base + i], hf[base + c] = hf[base + c], hf[base + i]
            hp[base + i], hp[base + c] = hp[base + c], hp[base + i]
            i = c
        else:
            return


@numba.njit(cache=True)
def _heap_push(hw, hf, hp, base, size, w, f, p, seed, v):
    """Insert (w, f, payload p) into a heap of current ``size``."""
    i = size
    hw[base + i] = w
    hf[base + i] = f
    hp[base + i] = p
    while i > 0:
        q = (i - 1) // 2
        if _employer_prefers(hf[base + q], hw[base + q], hf[base + i], hw[base + i], seed, v):
            hw[base + i], hw[base + q] = hw[base + q], hw[base + i]
            hf[base + i], hf[base + q] = hf[base + q], hf[base + i]
            hp[base + i], hp[base + q] = hp[base + q], hp[base + i]
            i = q
        else:
            return


# ----------------------------------------------------------------------------------------------
# Search
# ----------------------------------------------------------------------------------------------


@numba.njit(cache=True, parallel=True)
def _search_kernel(
    skills,
    s_mun,
    res,
    ln_res,
    cur,
    s_occ,
    req,
    v_mun,
    wage,
    ln_wage,
    count,
    v_occ,
    weights,
    wsum,
    dist,
    commute_cost,
    wage_weight,
    fit_weight,
    threshold,
    sample_size,
    applications,
    rounds,
    p_occ,
    p_loc,
    n_occ,
    seed,
    out_vac,
    out_fit,
):
    """Frictional multi-round search; writes ``out_vac`` (-1 unmatched) and ``out_fit``."""
    n = skills.shape[0]
    m = req.shape[0]
    n_mun = dist.shape[0]
    A = applications
    remaining = count.copy()
    app_v = np.full(n * A, -1, np.int64)
    app_u = np.empty(n * A, np.float64)
    app_f = np.empty(n * A, np.float64)
    n_app = np.zeros(n, np.int64)
    offered = np.zeros(n * A, np.bool_)
    n_chunks = min(n, _N_CHUNKS)
    for rnd in range(rounds):
        open_list, occ_ptr, occ_list, mun_ptr, mun_list = _build_groups(
            remaining, v_occ, v_mun, n_occ, n_mun
        )
        if open_list.shape[0] == 0:
            break
        # 1. Seekers draw, score and apply (independent per seeker).
        for c in prange(n_chunks):
            for w in range(c * n // n_chunks, (c + 1) * n // n_chunks):
                if out_vac[w] >= 0:
                    n_app[w] = 0
                    continue
                n_app[w] = _select_candidates(
                    w,
                    rnd,
                    seed,
                    A,
                    sample_size,
                    skills,
                    s_mun,
                    res,
                    ln_res,
                    cur,
                    s_occ,
                    req,
                    v_mun,
                    wage,
                    ln_wage,
                    weights,
                    wsum,
                    dist,
                    commute_cost,
                    wage_weight,
                    fit_weight,
                    threshold,
                    p_occ,
                    p_loc,
                    open_list,
                    occ_ptr,
                    occ_list,
                    mun_ptr,
                    mun_list,
                    app_v,
                    app_u,
                    app_f,
                    w * A,
                )
        # 2. Group applications by vacancy (counting sort, in seeker order).
        ptr = np.zeros(m + 1, np.int64)
        for w in range(n):
            for j in range(n_app[w]):
                ptr[app_v[w * A + j] + 1] += 1
        max_apps = 0
        for v in range(m):
            max_apps = max(max_apps, ptr[v + 1])
            ptr[v + 1] += ptr[v]
        slots = np.empty(ptr[m], np.int64)
        fill = ptr[:-1].copy()
        for w in range(n):
            for j in range(n_app[w]):
                v = app_v[w * A + j]
                slots[fill[v]] = w * A + j
                fill[v] += 1
        # 3. Each vacancy offers to its most preferred applicants, up to its remaining openings.
        m_chunks = min(m, _N_CHUNKS)
        for c in prange(m_chunks):
            hw = np.empty(max_apps, np.int64)
            hf = np.empty(max_apps, np.float64)
            hp = np.empty(max_apps, np.int64)
            for v in range(c * m // m_chunks, (c + 1) * m // m_chunks):
                k_v = ptr[v + 1] - ptr[v]
                cap = remaining[v]
                if k_v <= cap:
                    for t in range(ptr[v], ptr[v + 1]):
                        offered[slots[t]] = True
                    continue
                size = 0
                for t in range(ptr[v], ptr[v + 1]):
                    sl = slots[t]
                    w = sl // A
                    f = app_f[sl]
                    if size < cap:
                        _heap_push(hw, hf, hp, 0, size, w, f, sl, seed, v)
                        size += 1
                    elif _employer_prefers(f, w, hf[0], hw[0], seed, v):
                        hw[0] = w
                        hf[0] = f
                        hp[0] = sl
                        _heap_sift_down(hw, hf, hp, 0, size, 0, seed, v)
                for t in range(size):
                    offered[hp[t]] = True
        # 4. Each seeker accepts its most preferred offer (applications are sorted best first).
        for c in prange(n_chunks):
            for w in range(c * n // n_chunks, (c + 1) * n // n_chunks):
                for j in range(n_app[w]):
                    sl = w * A + j
                    if offered[sl]:
                        if out_vac[w] < 0:
                            out_vac[w] = app_v[sl]
                            out_fit[w] = app_f[sl]
                        offered[sl] = False
        # 5. Remove filled openings.
        for w in range(n):
            if n_app[w] > 0 and out_vac[w] >= 0:
                remaining[out_vac[w]] -= 1


# ----------------------------------------------------------------------------------------------
# Stable
# ----------------------------------------------------------------------------------------------


@numba.njit(cache=True, parallel=True)
def _candidates_kernel(
    skills,
    s_mun,
    res,
    ln_res,
    cur,
    s_occ,
    req,
    v_mun,
    wage,
    ln_wage,
    count,
    v_occ,
    weights,
    wsum,
    dist,
    commute_cost,
    wage_weight,
    fit_weight,
    threshold,
    sample_size,
    p_occ,
    p_loc,
    n_occ,
    seed,
    cand_v,
    cand_f,
    cand_len,
):
    """Truncated preference lists: acceptable round-0 draws, best first (n × sample_size)."""
    n = skills.shape[0]
    L = sample_size
    open_list, occ_ptr, occ_list, mun_ptr, mun_list = _build_groups(
        count, v_occ, v_mun, n_occ, dist.shape[0]
    )
    if open_list.shape[0] == 0:
        cand_len[:] = 0
        return
    n_chunks = min(n, _N_CHUNKS)
    for c in prange(n_chunks):
        buf_v = np.empty(L, np.int64)
        buf_u = np.empty(L, np.float64)
        buf_f = np.empty(L, np.float64)
        for w in range(c * n // n_chunks, (c + 1) * n // n_chunks):
            k = _select_candidates(
                w,
                0,
                seed,
                L,
                sample_size,
                skills,
                s_mun,
                res,
                ln_res,
                cur,
                s_occ,
                req,
                v_mun,
                wage,
                ln_wage,
                weights,
                wsum,
                dist,
                commute_cost,
                wage_weight,
                fit_weight,
                threshold,
                p_occ,
                p_loc,
                open_list,
                occ_ptr,
                occ_list,
                mun_ptr,
                mun_list,
                buf_v,
                buf_u,
                buf_f,
                0,
            )
            for j in range(k):
                cand_v[w * L + j] = buf_v[j]
                cand_f[w * L + j] = buf_f[j]
            cand_len[w] = k


@numba.njit(cache=True)
def _deferred_acceptance_kernel(cand_v, cand_f, cand_len, L, count, order, seed, out_vac, out_fit):
    """Many-to-one worker-proposing deferred acceptance on truncated lists.

    Seekers are put on a stack in ``order`` (``order[0]`` proposes first); the result does not
    depend on ``order``. Each vacancy keeps its admitted workers in a heap whose root is the
    least preferred one, so a proposal costs O(log count).
    """
    n = cand_len.shape[0]
    m = count.shape[0]
    indeg = np.zeros(m, np.int64)
    for w in range(n):
        for j in range(cand_len[w]):
            indeg[cand_v[w * L + j]] += 1
    cap = np.minimum(count, indeg)
    off = np.zeros(m + 1, np.int64)
    for v in range(m):
        off[v + 1] = off[v] + cap[v]
    hw = np.empty(off[m], np.int64)
    hf = np.empty(off[m], np.float64)
    hp = np.empty(off[m], np.int64)
    size = np.zeros(m, np.int64)
    nxt = np.zeros(n, np.int64)
    stack = np.empty(n, np.int64)
    top = 0
    for i in range(n - 1, -1, -1):
        stack[top] = order[i]
        top += 1
    while top > 0:
        w = stack[top - 1]
        j = nxt[w]
        if j >= cand_len[w]:
            top -= 1
            continue
        nxt[w] = j + 1
        v = cand_v[w * L + j]
        f = cand_f[w * L + j]
        b = off[v]
        if size[v] < cap[v]:
            _heap_push(hw, hf, hp, b, size[v], w, f, w, seed, v)
            size[v] += 1
            out_vac[w] = v
            top -= 1
        elif _employer_prefers(f, w, hf[b], hw[b], seed, v):
            r = hw[b]
            hw[b] = w
            hf[b] = f
            hp[b] = w
            _heap_sift_down(hw, hf, hp, b, size[v], 0, seed, v)
            out_vac[w] = v
            out_vac[r] = -1
            stack[top - 1] = r
    for w in range(n):
        if out_vac[w] >= 0:
            out_fit[w] = cand_f[w * L + nxt[w] - 1]


# ----------------------------------------------------------------------------------------------
# Optimal
# ----------------------------------------------------------------------------------------------


@numba.njit(cache=True, parallel=True)
def _acceptable_rows_kernel(
    skills,
    s_mun,
    res,
    ln_res,
    cur,
    req,
    v_mun,
    wage,
    ln_wage,
    count,
    weights,
    wsum,
    dist,
    commute_cost,
    wage_weight,
    fit_weight,
    threshold,
    max_pairs,
):
    """CSR (per seeker) of acceptable pairs with count > 0: ``(ptr, vacancy, fit)``.

    Seekers are processed in blocks: a parallel pass scores a block into a dense buffer, a serial
    pass appends its acceptable pairs. Stops early, returning ``ptr[-1] > max_pairs`` and empty
    pair arrays, if there are too many pairs.
    """
    n = skills.shape[0]
    m = req.shape[0]
    block = max(1, min(n, (1 << 22) // max(m, 1)))
    buf = np.empty((block, m), np.float64)
    ptr = np.zeros(n + 1, np.int64)
    size = min(n * m, 1 << 20)
    idx = np.empty(size, np.int32)
    val = np.empty(size, np.float64)
    for w0 in range(0, n, block):
        w1 = min(n, w0 + block)
        for w in prange(w0, w1):
            row = w - w0
            for v in range(m):
                f = np.nan
                if count[v] > 0 and wage[v] >= res[w]:
                    f = _pair_fit(skills, w, req, v, weights, wsum)
                    u = _pair_utility(
                        f,
                        ln_wage[v],
                        ln_res[w],
                        dist[s_mun[w], v_mun[v]],
                        wage_weight,
                        commute_cost,
                        fit_weight,
                    )
                    if not (f >= threshold and u > cur[w]):
                        f = np.nan
                buf[row, v] = f
        k = ptr[w0]
        for w in range(w0, w1):
            row = w - w0
            for v in range(m):
                f = buf[row, v]
                if f == f:
                    if k == size:
                        if k >= max_pairs:
                            ptr[w + 1 :] = max_pairs + 1
                            return ptr, np.empty(0, np.int32), np.empty(0, np.float64)
                        size = min(2 * size, n * m)
                        idx2 = np.empty(size, np.int32)
                        val2 = np.empty(size, np.float64)
                        idx2[:k] = idx[:k]
                        val2[:k] = val[:k]
                        idx = idx2
                        val = val2
                    idx[k] = v
                    val[k] = f
                    k += 1
            ptr[w + 1] = k
    return ptr, idx[: ptr[n]].copy(), val[: ptr[n]].copy()


@numba.njit(cache=True)
def _place_copy(price, owner, lo, hi, pos, new_price, new_owner):
    """Give the copy at ``pos`` a new price/owner and keep ``price[lo:hi]`` sorted ascending."""
    p = pos
    while p + 1 < hi and price[p + 1] < new_price:
        price[p] = price[p + 1]
        owner[p] = owner[p + 1]
        p += 1
    while p > lo and price[p - 1] > new_price:
        price[p] = price[p - 1]
        owner[p] = owner[p - 1]
        p -= 1
    price[p] = new_price
    owner[p] = new_owner


@numba.njit(cache=True)
def _auction_kernel(ptr, idx, val, cap, eps_final, theta, out_vac, out_fit):
    """ε-scaling forward/reverse auction for max Σ fit with capacities and outside options.

    Persons are seekers (outside option of value 0, private, never priced); objects are the
    ``cap[v]`` openings of each vacancy, whose prices are kept sorted ascending in the segment
    ``off[v] : off[v + 1]``. Each phase restarts the forward auction from the current prices;
    then reverse steps lower the price of every unfilled opening to 0 (or let it attract a seeker),
    preserving ε-complementary slackness. The result is within ``n·eps_final`` of the optimum.
    """
    n = ptr.shape[0] - 1
    m = cap.shape[0]
    nnz = idx.shape[0]
    if nnz == 0:
        return
    off = np.zeros(m + 1, np.int64)
    for v in range(m):
        off[v + 1] = off[v] + cap[v]
    price = np.zeros(off[m], np.float64)
    owner = np.full(off[m], -1, np.int64)
    vmin = np.zeros(m, np.float64)
    # Column (per-vacancy) view of the pairs, for the reverse steps.
    cptr = np.zeros(m + 1, np.int64)
    for k in range(nnz):
        cptr[idx[k] + 1] += 1
    for v in range(m):
        cptr[v + 1] += cptr[v]
    crow = np.empty(nnz, np.int64)
    cval = np.empty(nnz, np.float64)
    cfill = cptr[:-1].copy()
    for w in range(n):
        for k in range(ptr[w], ptr[w + 1]):
            v = idx[k]
            crow[cfill[v]] = w
            cval[cfill[v]] = val[k]
            cfill[v] += 1
    amax = 0.0
    for k in range(nnz):
        amax = max(amax, val[k])
    eps = max(amax / theta, eps_final)
    assigned = np.full(n, -1, np.int64)  # vacancy, -1 outside, -2 unassigned
    profit = np.zeros(n, np.float64)
    queue = np.empty(n, np.int64)
    c_len = np.full(n, -1, np.int64)  # k-best cache per seeker, -1 = invalid
    c_vac = np.empty(n * _K_BEST, np.int64)
    c_val = np.empty(n * _K_BEST, np.float64)
    tau = np.empty(n, np.float64)
    top_x = np.empty(_K_BEST + 1, np.float64)
    top_v = np.empty(_K_BEST + 1, np.int64)
    top_a = np.empty(_K_BEST + 1, np.float64)
    work = np.empty(m, np.int64)
    in_work = np.zeros(m, np.bool_)
    while True:
        # Forward auction (Gauss–Seidel, FIFO queue of unassigned seekers).
        owner[:] = -1
        c_len[:] = -1
        for w in range(n):
            queue[w] = w
            assigned[w] = -2
        head = 0
        q_len = n
        while q_len > 0:
            w = queue[head]
            head = head + 1 if head + 1 < n else 0
            q_len -= 1
            best1 = -np.inf
            best2 = -np.inf
            bv = -1
            ba = 0.0
            exact = False
            if c_len[w] >= 0:
                # Values only fall within a phase, so uncached vacancies are still <= tau[w].
                cb = w * _K_BEST
                for t in range(c_len[w]):
                    v = c_vac[cb + t]
                    x = c_val[cb + t] - vmin[v]
                    if x > best1:
                        best2 = best1
                        best1 = x
                        bv = v
                        ba = c_val[cb + t]
                    elif x > best2:
                        best2 = x
                if best1 >= tau[w]:
                    best2 = max(best2, tau[w])
                    exact = True
            if not exact:
                n_top = 0
                thr = -np.inf
                for k in range(ptr[w], ptr[w + 1]):
                    v = idx[k]
                    x = val[k] - vmin[v]
                    if n_top < _K_BEST + 1 or x > thr:
                        t = n_top if n_top < _K_BEST + 1 else _K_BEST
                        while t > 0 and top_x[t - 1] < x:
                            if t < _K_BEST + 1:
                                top_x[t] = top_x[t - 1]
                                top_v[t] = top_v[t - 1]
                                top_a[t] = top_a[t - 1]
                            t -= 1
                        if t < _K_BEST + 1:
                            top_x[t] = x
                            top_v[t] = v
                            top_a[t] = val[k]
                        if n_top < _K_BEST + 1:
                            n_top += 1
                        if n_top == _K_BEST + 1:
                            thr = top_x[_K_BEST]
                c_len[w] = min(n_top, _K_BEST)
                tau[w] = thr
                cb = w * _K_BEST
                for t in range(c_len[w]):
                    c_vac[cb + t] = top_v[t]
                    c_val[cb + t] = top_a[t]
                if n_top > 0:
                    best1 = top_x[0]
                    bv = top_v[0]
                    ba = top_a[0]
                if n_top > 1:
                    best2 = top_x[1]
            if best1 <= 0.0:
                assigned[w] = -1
                profit[w] = 0.0
                continue
            pos = off[bv]
            if cap[bv] >= 2:
                best2 = max(best2, ba - price[pos + 1])
            best2 = max(best2, 0.0)
            new_price = price[pos] + (best1 - best2) + eps
            prev = owner[pos]
            _place_copy(price, owner, off[bv], off[bv + 1], pos, new_price, w)
            vmin[bv] = price[off[bv]]
            assigned[w] = bv
            profit[w] = ba - new_price
            if prev >= 0:
                assigned[prev] = -2
                tail = head + q_len
                if tail >= n:
                    tail -= n
                queue[tail] = prev
                q_len += 1
        # Reverse steps: every unfilled opening must end with price 0.
        n_work = 0
        for v in range(m):
            for p in range(off[v], off[v + 1]):
                if owner[p] < 0 and price[p] > 0.0:
                    work[n_work] = v
                    n_work += 1
                    in_work[v] = True
                    break
        while n_work > 0:
            n_work -= 1
            v = work[n_work]
            in_work[v] = False
            pos = -1
            for p in range(off[v], off[v + 1]):
                if owner[p] < 0 and price[p] > 0.0:
                    pos = p
            if pos < 0:
                continue
            b1 = -np.inf
            b2 = -np.inf
            bw = -1
            ba = 0.0
            for k in range(cptr[v], cptr[v + 1]):
                w = crow[k]
                x = cval[k] - profit[w]
                if x > b1:
                    b2 = b1
                    b1 = x
                    bw = w
                    ba = cval[k]
                elif x > b2:
                    b2 = x
            if b1 <= eps:
                _place_copy(price, owner, off[v], off[v + 1], pos, 0.0, -1)
            else:
                new_price = max(0.0, b2 - eps)
                old = assigned[bw]
                if old >= 0:
                    for p in range(off[old], off[old + 1]):
                        if owner[p] == bw:
                            owner[p] = -1
                            break
                    if old != v and not in_work[old]:
                        work[n_work] = old
                        n_work += 1
                        in_work[old] = True
                _place_copy(price, owner, off[v], off[v + 1], pos, new_price, bw)
                assigned[bw] = v
                profit[bw] = ba - new_price
            vmin[v] = price[off[v]]
            if not in_work[v]:
                work[n_work] = v
                n_work += 1
                in_work[v] = True
        if eps <= eps_final:
            break
        eps = max(eps / theta, eps_final)
    for w in range(n):
        v = assigned[w]
        if v >= 0:
            out_vac[w] = v
            for k in range(ptr[w], ptr[w + 1]):
                if idx[k] == v:
                    out_fit[w] = val[k]
                    break


# ----------------------------------------------------------------------------------------------
# Python API
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Prepared:
    """Validated, contiguous inputs shared by all modes."""

    skills: np.ndarray
    s_mun: np.ndarray
    res: np.ndarray
    ln_res: np.ndarray
    cur: np.ndarray
    s_occ: np.ndarray
    req: np.ndarray
    v_mun: np.ndarray
    wage: np.ndarray
    ln_wage: np.ndarray
    count: np.ndarray
    v_occ: np.ndarray
    weights: np.ndarray
    wsum: float
    dist: np.ndarray
    commute_cost: float
    wage_weight: float
    fit_weight: float
    threshold: float
    n_occ: int

    def score_args(self) -> tuple[Any, ...]:
        """Arguments of the dense kernel up to (and including) the threshold."""
        return (
            self.skills, self.s_mun, self.res, self.ln_res, self.cur, self.req, self.v_mun,
            self.wage, self.ln_wage, self.weights, self.wsum, self.dist, self.commute_cost,
            self.wage_weight, self.fit_weight, self.threshold,
        )  # fmt: skip


def _as(x: Any, dtype: type, name: str, ndim: int) -> np.ndarray:
    try:
        a = np.ascontiguousarray(x, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} cannot be converted to {np.dtype(dtype)}: {exc}") from exc
    if a.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {a.shape}")
    return a


def _check_len(name: str, a: np.ndarray, n: int, what: str) -> None:
    if a.shape[0] != n:
        raise ValueError(f"{name} has length {a.shape[0]}, expected {n} ({what})")


def _check_index(name: str, a: np.ndarray, k: int) -> None:
    if a.size and (a.min() < 0 or a.max() >= k):
        raise ValueError(f"{name} must lie in [0, {k}), got range [{a.min()}, {a.max()}]")


def _prepare(seekers: Seekers, vacancies: Vacancies, params: MatchParams) -> _Prepared:
    """Coerce dtypes and validate shapes (O(n + m) cheap checks, no skill-range scan)."""
    skills = _as(seekers.skills, np.float64, "seekers.skills", 2)
    n, n_skills = skills.shape
    s_mun = _as(seekers.municipality, np.int64, "seekers.municipality", 1)
    res = _as(seekers.reservation_wage, np.float64, "seekers.reservation_wage", 1)
    cur = _as(seekers.current_quality, np.float64, "seekers.current_quality", 1)
    s_occ = _as(seekers.occupation, np.int64, "seekers.occupation", 1)
    for name, a in (
        ("seekers.municipality", s_mun),
        ("seekers.reservation_wage", res),
        ("seekers.current_quality", cur),
        ("seekers.occupation", s_occ),
    ):
        _check_len(name, a, n, "number of rows of seekers.skills")
    req = _as(vacancies.requirements, np.float64, "vacancies.requirements", 2)
    m = req.shape[0]
    if req.shape[1] != n_skills:
        raise ValueError(
            f"vacancies.requirements has {req.shape[1]} skills, seekers.skills has {n_skills}"
        )
    v_mun = _as(vacancies.municipality, np.int64, "vacancies.municipality", 1)
    wage = _as(vacancies.wage, np.float64, "vacancies.wage", 1)
    count = _as(vacancies.count, np.int64, "vacancies.count", 1)
    v_occ = _as(vacancies.occupation, np.int64, "vacancies.occupation", 1)
    for name, a in (
        ("vacancies.municipality", v_mun),
        ("vacancies.wage", wage),
        ("vacancies.count", count),
        ("vacancies.occupation", v_occ),
    ):
        _check_len(name, a, m, "number of rows of vacancies.requirements")
    weights = _as(params.skill_weights, np.float64, "params.skill_weights", 1)
    _check_len("params.skill_weights", weights, n_skills, "number of skills")
    if (weights < 0).any() or not weights.sum() > 0:
        raise ValueError("params.skill_weights must be >= 0 and not all zero")
    dist = _as(params.distance, np.float64, "params.distance", 2)
    n_mun = dist.shape[0]
    if dist.shape[1] != n_mun:
        raise ValueError(f"params.distance must be square, got shape {dist.shape}")
    _check_index("seekers.municipality", s_mun, n_mun)
    _check_index("vacancies.municipality", v_mun, n_mun)
    if v_occ.size and v_occ.min() < 0:
        raise ValueError("vacancies.occupation must be >= 0")
    if count.size and count.min() < 0:
        raise ValueError("vacancies.count must be >= 0")
    if res.size and not res.min() > 0:
        raise ValueError("seekers.reservation_wage must be > 0")
    if wage.size and not wage.min() > 0:
        raise ValueError("vacancies.wage must be > 0")
    if params.sample_size < 1 or params.applications < 1 or params.rounds < 0:
        raise ValueError("need sample_size >= 1, applications >= 1 and rounds >= 0")
    p_occ, p_loc = float(params.own_occupation_share), float(params.local_share)
    if not (0.0 <= p_occ <= 1.0 and 0.0 <= p_loc <= 1.0 and p_occ + p_loc <= 1.0 + 1e-12):
        raise ValueError("own_occupation_share and local_share must be in [0, 1] with sum <= 1")
    return _Prepared(
        skills=skills,
        s_mun=s_mun,
        res=res,
        ln_res=np.log(res),
        cur=cur,
        s_occ=s_occ,
        req=req,
        v_mun=v_mun,
        wage=wage,
        ln_wage=np.log(wage),
        count=count,
        v_occ=v_occ,
        weights=weights,
        wsum=float(weights.sum()),
        dist=dist,
        commute_cost=float(params.commute_cost),
        wage_weight=float(params.wage_weight),
        fit_weight=float(params.fit_weight),
        threshold=float(params.acceptance_threshold),
        n_occ=int(v_occ.max()) + 1 if m else 1,
    )


def _seed_u64(seed: int) -> np.uint64:
    try:
        return np.uint64(operator.index(seed) & _MASK64)
    except TypeError as exc:
        raise ValueError(f"seed must be an integer, got {seed!r}") from exc


def _dense(seekers: Seekers, vacancies: Vacancies, params: MatchParams):
    p = _prepare(seekers, vacancies, params)
    n, m = p.skills.shape[0], p.req.shape[0]
    fit = np.empty((n, m), np.float64)
    util = np.empty((n, m), np.float64)
    acc = np.empty((n, m), np.bool_)
    if n and m:
        _dense_kernel(*p.score_args(), fit, util, acc)
    return fit, util, acc


def employer_score_matrix(
    seekers: Seekers, vacancies: Vacancies, params: MatchParams
) -> np.ndarray:
    """Dense employer scores ``fit(w, v)`` (n, m); for small problems and tests only.

    Args:
        seekers: The seekers.
        vacancies: The vacancies.
        params: Score parameters.

    Returns:
        float64 array (n, m) with ``fit(w, v) = 1 − short(w, v)``.
    """
    return _dense(seekers, vacancies, params)[0]


def worker_utility_matrix(
    seekers: Seekers, vacancies: Vacancies, params: MatchParams
) -> np.ndarray:
    """Dense worker utilities ``U(w, v)`` (n, m); for small problems and tests only.

    Args:
        seekers: The seekers.
        vacancies: The vacancies.
        params: Score parameters.

    Returns:
        float64 array (n, m) with ``U(w, v)`` as in the module docstring.
    """
    return _dense(seekers, vacancies, params)[1]


def acceptable_matrix(seekers: Seekers, vacancies: Vacancies, params: MatchParams) -> np.ndarray:
    """Dense acceptability (both sides accept); for small problems and tests only.

    Args:
        seekers: The seekers.
        vacancies: The vacancies.
        params: Score parameters.

    Returns:
        bool array (n, m): ``fit >= threshold``, ``wage >= reservation wage`` and
        ``U > current_quality``. Vacancy counts are not taken into account.
    """
    return _dense(seekers, vacancies, params)[2]


def _stable_candidates(p: _Prepared, params: MatchParams, seed: np.uint64):
    n = p.skills.shape[0]
    L = int(params.sample_size)
    cand_v = np.empty(n * L, np.int64)
    cand_f = np.empty(n * L, np.float64)
    cand_len = np.zeros(n, np.int64)
    _candidates_kernel(
        p.skills, p.s_mun, p.res, p.ln_res, p.cur, p.s_occ, p.req, p.v_mun, p.wage, p.ln_wage,
        p.count, p.v_occ, p.weights, p.wsum, p.dist, p.commute_cost, p.wage_weight,
        p.fit_weight, p.threshold, L, float(params.own_occupation_share),
        float(params.local_share), p.n_occ, seed, cand_v, cand_f, cand_len,
    )  # fmt: skip
    return cand_v, cand_f, cand_len, L


def match(
    mode: str, seekers: Seekers, vacancies: Vacancies, params: MatchParams, seed: int
) -> MatchResult:
    """Match seekers to vacancies.

    Args:
        mode: ``"search"`` (frictional, monthly), ``"stable"`` (deferred acceptance on truncated
            candidate lists) or ``"optimal"`` (maximum total fit; at most 20,000 seekers and
            20,000 openings).
        seekers: The seekers; arrays are coerced to the documented dtypes.
        vacancies: The vacancies; arrays are coerced to the documented dtypes.
        params: Score and search parameters.
        seed: Integer seed of the counter-based generator (taken modulo 2**64).

    Returns:
        The matched vacancy (-1 if none) and the fit of the pair (nan if none) per seeker.

    Raises:
        ValueError: On an unknown mode, inconsistent shapes, out-of-range indices, bad parameters
            or a problem too large for ``"optimal"``.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; allowed modes are {', '.join(MODES)}")
    p = _prepare(seekers, vacancies, params)
    seed_u = _seed_u64(seed)
    n, m = p.skills.shape[0], p.req.shape[0]
    out_vac = np.full(n, -1, np.int64)
    out_fit = np.full(n, np.nan, np.float64)
    if n == 0 or m == 0:
        return MatchResult(out_vac, out_fit)
    if mode == "search":
        _search_kernel(
            p.skills, p.s_mun, p.res, p.ln_res, p.cur, p.s_occ, p.req, p.v_mun, p.wage,
            p.ln_wage, p.count, p.v_occ, p.weights, p.wsum, p.dist, p.commute_cost,
            p.wage_weight, p.fit_weight, p.threshold, int(params.sample_size),
            int(params.applications), int(params.rounds), float(params.own_occupation_share),
            float(params.local_share), p.n_occ, seed_u, out_vac, out_fit,
        )  # fmt: skip
    elif mode == "stable":
        cand_v, cand_f, cand_len, L = _stable_candidates(p, params, seed_u)
        order = np.arange(n, dtype=np.int64)
        _deferred_acceptance_kernel(
            cand_v, cand_f, cand_len, L, p.count, order, seed_u, out_vac, out_fit
        )
    else:
        openings = int(np.minimum(p.count, n).sum())
        if n > OPTIMAL_MAX_SIDE or openings > OPTIMAL_MAX_SIDE:
            raise ValueError(
                f"mode 'optimal' supports at most {OPTIMAL_MAX_SIDE} seekers and openings, got "
                f"{n} seekers and {openings} openings; use 'stable' or 'search'"
            )
        ptr, idx, val = _acceptable_rows_kernel(
            *p.score_args()[:9], p.count, *p.score_args()[9:], OPTIMAL_MAX_PAIRS
        )
        if ptr[-1] > OPTIMAL_MAX_PAIRS:
            raise ValueError(
                f"mode 'optimal': {ptr[-1]} acceptable pairs exceed the limit {OPTIMAL_MAX_PAIRS}"
            )
        cap = np.minimum(p.count, n)
        eps_final = max(1e-10 / (n + 1), 64 * np.finfo(np.float64).eps)
        _auction_kernel(ptr, idx, val, cap, eps_final, 8.0, out_vac, out_fit)
    return MatchResult(out_vac, out_fit)
