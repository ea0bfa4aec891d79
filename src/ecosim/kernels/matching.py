"""Monthly talent–task matching kernel.

Pure functions on NumPy arrays (numba-compiled hot loops) that match job seekers to vacancies.
Nothing from the model is imported (only :mod:`ecosim.kernels._threads`, which runs small calls on
one thread), so the kernels can be tested and benchmarked in isolation.

Notation: worker (seeker) ``w``, vacancy ``v``, skill ``s``, ``x_ws`` = ``Seekers.skills``,
``r_vs`` = ``Vacancies.requirements``, ``a_s`` = ``MatchParams.skill_weights``.

Scores
------
Skill shortfall (only *missing* skill counts), in ``[0, 1]``: the share of the vacancy's
required skill mass ``need_v = Σ_s a_s · r_vs`` that the worker lacks (0 when ``need_v = 0``)::

    short(w, v) = (Σ_s a_s · max(0, r_vs − x_ws)) / need_v

Employer's score (the *fit*); the employer of vacancy ``v`` accepts iff
``fit(w, v) >= threshold_v``, its own hiring standard ``Vacancies.threshold[v]``
(``MatchParams.acceptance_threshold`` for every vacancy when ``Vacancies.threshold`` is None)::

    fit(w, v) = 1 − short(w, v)

Worker's utility; the worker accepts iff ``wage_v >= reservation_wage_w`` and
``U(w, v) > current_quality_w`` (``-inf`` for the unemployed)::

    U(w, v) = wage_weight · ln(wage_v / reservation_wage_w)
              − commute_cost · distance[mun_w, mun_v]
              + fit_weight · fit(w, v)

The logarithm is evaluated as ``ln(wage_v) − ln(reservation_wage_w)`` with both logs taken by
``numpy.log`` on the input arrays; the sums in ``short`` and ``need_v`` run over ``s = 0 .. S−1``
in order, and the division comes last. A pair is *acceptable* iff both sides accept.

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
h = mix(h ^ b)`` (uint64 arithmetic; ``seed`` is taken modulo 2**64). Streams:
``key_W(seed, w, v) = hash(seed, 2, w, v)``, ``key_E(seed, v, w) = hash(seed, 1, v, w)``, and draw
``d`` of seeker ``w`` in search round ``r`` uses ``h = hash(seed, 1024 + r, w, d)``, split into
``c = h mod 2**32`` (category) and ``h >> 32`` (index). No global random state is used, so
results do not depend on the number of numba threads or on the order of work.

Sampling (``search`` and ``stable``)
------------------------------------
In round ``r`` the *open* vacancies are those with openings left (``count > 0`` in round 0).
Draw ``d`` of seeker ``w``: if ``c < floor(own_occupation_share · 2**32)`` and there are open
vacancies of the seeker's occupation, pick among them; else if
``c < floor((own_occupation_share + local_share) · 2**32)`` and there are open vacancies in the
seeker's municipality, pick among them; otherwise pick among all open vacancies. Within the
chosen group (listed in increasing vacancy index) the pick is ``group[((h >> 32) · size) >> 32]``,
i.e. uniform over vacancy *rows* (not weighted by remaining openings). Duplicate draws are
dropped.

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
    unfilled opening to 0 (seekers still ε-optimal are kept from one phase to the next, and both
    directions use k-best caches of candidate values). At the end ε-complementary slackness
    holds with ``ε = max(1e-10 / (n + 1), 64 · 2**-52)``, so the total fit is within
    ``n·ε <= 3e-10`` (absolute) of the optimum, far below the 1e-9 relative agreement with
    ``scipy.optimize.linear_sum_assignment``; when fits are multiples of ``1/q`` with
    ``q < 3e9`` (quantised scores) the assignment is exactly optimal. Limited to 20,000
    seekers, 20,000 openings (``sum(min(count, n))``) and 6e7 acceptable pairs.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np
from llvmlite import ir
from numba import prange, types
from numba.core import cgutils
from numba.extending import intrinsic

from ecosim.kernels._threads import threads_for

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
# Columns of a packed vacancy row after its S requirements (see _pack_vacancies).
_COL_WAGE = 0
_COL_LN_WAGE = 1

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_SH27 = np.uint64(27)
_SH30 = np.uint64(30)
_SH31 = np.uint64(31)
_SH32 = np.uint64(32)
_LOW32 = np.uint64(0xFFFFFFFF)
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
        threshold: float64 (m,) in [0, 1], the lowest fit the vacancy's employer accepts
            (``threshold_v``); None means ``MatchParams.acceptance_threshold`` for every row.
    """

    requirements: np.ndarray
    municipality: np.ndarray
    wage: np.ndarray
    count: np.ndarray
    occupation: np.ndarray
    threshold: np.ndarray | None = None


@dataclass(frozen=True)
class MatchParams:
    """Parameters of the scores and of the search process (see the module docstring).

    Attributes:
        skill_weights: float64 (S,) >= 0, not all zero.
        distance: float64 (K, K), km between municipalities.
        commute_cost: utility per km.
        wage_weight: weight of the log wage ratio in the worker's utility.
        fit_weight: weight of the fit in the worker's utility.
        acceptance_threshold: the employer accepts a worker iff fit >= this; the hiring
            standard of every vacancy when ``Vacancies.threshold`` is None (ignored otherwise).
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


@intrinsic
def _prefetch(typingctx, arr, flat_index):
    """Hint the CPU to load the cache line holding element ``flat_index`` of a C-contiguous array.

    Compiles to ``llvm.prefetch`` (read, high locality); it has no effect on results.
    """
    sig = types.void(arr, flat_index)

    def codegen(context, builder, signature, args):
        ary = context.make_array(signature.args[0])(context, builder, args[0])
        ptr = builder.bitcast(builder.gep(ary.data, [args[1]]), ir.IntType(8).as_pointer())
        i32 = ir.IntType(32)
        fnty = ir.FunctionType(ir.VoidType(), [ptr.type, i32, i32, i32])
        fn = cgutils.get_or_insert_function(builder.module, fnty, "llvm.prefetch.p0")
        builder.call(fn, [ptr, i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return sig, codegen


# ----------------------------------------------------------------------------------------------
# Pair scores
# ----------------------------------------------------------------------------------------------


@numba.njit(cache=True)
def _required_mass(req, weights):
    """need_v = Σ_s a_s·r_vs, summed over s in order (the shortfall's denominator)."""
    need = np.zeros(req.shape[0])
    for v in range(req.shape[0]):
        acc = 0.0
        for s in range(req.shape[1]):
            acc += weights[s] * req[v, s]
        need[v] = acc
    return need


@numba.njit(cache=True, inline="always")
def _fit_of_mass(missing, need):
    """fit = 1 − missing / need_v (1 when need_v = 0): the last step of every fit."""
    return 1.0 - missing / need if need > 0.0 else 1.0


@numba.njit(cache=True, inline="always")
def _pair_fit(skills, w, req, v, weights, need):
    """fit(w, v) = 1 − Σ_s a_s·max(0, r_vs − x_ws) / need_v (1 when need_v = 0)."""
    acc = 0.0
    for s in range(skills.shape[1]):
        d = req[v, s] - skills[w, s]
        acc += weights[s] * (d if d > 0.0 else 0.0)
    return _fit_of_mass(acc, need[v])


@numba.njit(cache=True, inline="always")
def _pair_utility(fit, ln_wage_v, ln_res_w, dist, wage_weight, commute_cost, fit_weight):
    """U = wage_weight·(ln wage − ln res) − commute_cost·dist + fit_weight·fit."""
    return wage_weight * (ln_wage_v - ln_res_w) - commute_cost * dist + fit_weight * fit


@numba.njit(cache=True)
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
    need,
    dist,
    commute_cost,
    wage_weight,
    fit_weight,
    threshold,
    out_fit,
    out_util,
    out_acc,
):
    """Dense fit, utility and acceptability matrices (n, m); ``threshold`` is per vacancy."""
    n = skills.shape[0]
    m = req.shape[0]
    for w in range(n):
        for v in range(m):
            f = _pair_fit(skills, w, req, v, weights, need)
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
            out_acc[w, v] = f >= threshold[v] and wage[v] >= res[w] and u > cur[w]


# ----------------------------------------------------------------------------------------------
# Sampling (shared by search and stable)
# ----------------------------------------------------------------------------------------------


@numba.njit(cache=True)
def _build_groups(remaining, v_occ, v_mun, n_occ, n_mun):
    """Lists of open vacancies in one array ``lists`` of length ``3 · n_open`` (counting sort,
    O(m)): all open vacancies, then grouped by occupation (group ``o`` at
    ``lists[occ_ptr[o] : occ_ptr[o + 1]]``), then by municipality (``mun_ptr``).

    One array lets a draw pick its group by arithmetic instead of by branching.
    """
    m = remaining.shape[0]
    n_open = 0
    for v in range(m):
        if remaining[v] > 0:
            n_open += 1
    lists = np.empty(3 * n_open, np.int64)
    occ_ptr = np.zeros(n_occ + 1, np.int64)
    mun_ptr = np.zeros(n_mun + 1, np.int64)
    k = 0
    for v in range(m):
        if remaining[v] > 0:
            lists[k] = v
            k += 1
            occ_ptr[v_occ[v] + 1] += 1
            mun_ptr[v_mun[v] + 1] += 1
    occ_ptr[0] = n_open
    for o in range(n_occ):
        occ_ptr[o + 1] += occ_ptr[o]
    mun_ptr[0] = 2 * n_open
    for c in range(n_mun):
        mun_ptr[c + 1] += mun_ptr[c]
    occ_fill = occ_ptr[:-1].copy()
    mun_fill = mun_ptr[:-1].copy()
    for k in range(n_open):
        v = lists[k]
        lists[occ_fill[v_occ[v]]] = v
        occ_fill[v_occ[v]] += 1
        lists[mun_fill[v_mun[v]]] = v
        mun_fill[v_mun[v]] += 1
    return lists, occ_ptr, mun_ptr


@numba.njit(cache=True, inline="always")
def _group_range(ptr, g, n_open):
    """``(start, size)`` of group ``g`` in ``lists``; all open vacancies if it is empty/invalid."""
    if g >= 0 and g < ptr.shape[0] - 1:
        size = ptr[g + 1] - ptr[g]
        if size > 0:
            return ptr[g], size
    return 0, n_open


@numba.njit(cache=True)
def _draw_seeker(
    w, h_round, sample_size, s_occ, s_mun, t_occ, t_loc, lists, occ_ptr, mun_ptr, vrows, buf, off
):
    """Write seeker ``w``'s draws to ``buf[off : off + sample_size]``; prefetch their rows.

    Draw ``d`` (see *Sampling*): ``h = mix(h_w ^ d)``; its low 32 bits pick the group (own
    occupation if ``< t_occ``, own municipality if ``< t_loc``, else all; an empty group falls
    back to all), its high 32 bits the row within the group.
    """
    h_w = _mix64(h_round ^ np.uint64(w))
    width = vrows.shape[1]
    n_open = lists.shape[0] // 3
    occ_lo, occ_size = _group_range(occ_ptr, s_occ[w], n_open)
    mun_lo, mun_size = _group_range(mun_ptr, s_mun[w], n_open)
    for d in range(sample_size):
        h = _mix64(h_w ^ np.uint64(d))
        low = h & _LOW32
        in_occ = low < t_occ
        in_mun = low < t_loc
        lo = occ_lo if in_occ else (mun_lo if in_mun else 0)
        size = occ_size if in_occ else (mun_size if in_mun else n_open)
        v = lists[lo + np.int64(((h >> _SH32) * np.uint64(size)) >> _SH32)]
        buf[off + d] = v
        for s in range(0, width, 8):
            _prefetch(vrows, v * width + s)


@numba.njit(cache=True)
def _fits_of(skills, w, weights, vrows, buf, off, k, fits):
    """``fits[i] = fit(w, buf[off + i])`` for ``i < k``, bit-identical to :func:`_pair_fit`.

    Four pairs are summed side by side (independent chains the CPU overlaps), each still over
    ``s = 0 .. S−1`` in order.
    """
    n_skills = skills.shape[1]
    i = 0
    while i + 4 <= k:
        v0 = buf[off + i]
        v1 = buf[off + i + 1]
        v2 = buf[off + i + 2]
        v3 = buf[off + i + 3]
        a0 = 0.0
        a1 = 0.0
        a2 = 0.0
        a3 = 0.0
        n0 = 0.0
        n1 = 0.0
        n2 = 0.0
        n3 = 0.0
        for s in range(n_skills):
            x = skills[w, s]
            a = weights[s]
            r0 = vrows[v0, s]
            r1 = vrows[v1, s]
            r2 = vrows[v2, s]
            r3 = vrows[v3, s]
            d0 = r0 - x
            d1 = r1 - x
            d2 = r2 - x
            d3 = r3 - x
            a0 += a * (d0 if d0 > 0.0 else 0.0)
            a1 += a * (d1 if d1 > 0.0 else 0.0)
            a2 += a * (d2 if d2 > 0.0 else 0.0)
            a3 += a * (d3 if d3 > 0.0 else 0.0)
            n0 += a * r0
            n1 += a * r1
            n2 += a * r2
            n3 += a * r3
        fits[i] = _fit_of_mass(a0, n0)
        fits[i + 1] = _fit_of_mass(a1, n1)
        fits[i + 2] = _fit_of_mass(a2, n2)
        fits[i + 3] = _fit_of_mass(a3, n3)
        i += 4
    while i < k:
        v = buf[off + i]
        acc = 0.0
        need = 0.0
        for s in range(n_skills):
            r = vrows[v, s]
            d = r - skills[w, s]
            acc += weights[s] * (d if d > 0.0 else 0.0)
            need += weights[s] * r
        fits[i] = _fit_of_mass(acc, need)
        i += 1


@numba.njit(cache=True, inline="always")
def _prefers_fast(u_a, v_a, u_b, v_b, seed, w):
    """:func:`_worker_prefers` with the common case (different utilities) inline."""
    return u_a > u_b or (u_a == u_b and _worker_prefers(u_a, v_a, u_b, v_b, seed, w))


@numba.njit(cache=True, inline="always")
def _keep_best(w, v, u, f, seed, out_v, out_u, out_f, base, k, limit):
    """Insert acceptable ``v`` into ``w``'s list ``out_*[base : base + k]`` (best first, at most
    ``limit`` long; a repeated draw is ignored). Returns the new length."""
    if k == limit and not _prefers_fast(u, v, out_u[base + k - 1], out_v[base + k - 1], seed, w):
        return k
    for j in range(k):
        if out_v[base + j] == v:
            return k
    if k < limit:
        pos = k
        k += 1
    else:
        pos = k - 1
    while pos > 0 and _prefers_fast(u, v, out_u[base + pos - 1], out_v[base + pos - 1], seed, w):
        out_v[base + pos] = out_v[base + pos - 1]
        out_u[base + pos] = out_u[base + pos - 1]
        out_f[base + pos] = out_f[base + pos - 1]
        pos -= 1
    out_v[base + pos] = v
    out_u[base + pos] = u
    out_f[base + pos] = f
    return k


@numba.njit(cache=True, inline="always")
def _next_unmatched(i, hi, matched, n_app):
    """First seeker ``>= i`` (below ``hi``) still unmatched; skipped seekers get no list."""
    while i < hi and matched[i] >= 0:
        n_app[i] = 0
        i += 1
    return i


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
def _apply_kernel(
    vrows, v_mun, skills, s_mun, res, ln_res, cur, s_occ, weights, dist, commute_cost, wage_weight,
    fit_weight, threshold, sample_size, limit, rnd, t_occ, t_loc, seed, lists, occ_ptr, mun_ptr,
    matched, out_v, out_u, out_f, n_out,
):  # fmt: skip
    """Search step 1: every unmatched seeker draws, scores and keeps its ``limit`` best.

    Writes seeker ``w``'s acceptable vacancies, best first, to ``out_*[w·limit : ...]`` and their
    number to ``n_out[w]``. Each worker thread walks a range of seekers software-pipelined: the
    next seeker's vacancies are drawn and their packed rows prefetched before the current one is
    scored, so the cache misses overlap with work. Draws paying less than the reservation wage
    are dropped before their fit is computed; ``threshold[v]`` (a separate array of 8 bytes per
    vacancy, far smaller than the packed rows, so mostly in cache) is read only for the draws left.
    None of this changes the result.
    """
    n = skills.shape[0]
    n_skills = skills.shape[1]
    n_chunks = min(n, _N_CHUNKS)
    h_round = _mix64(_mix64(np.uint64(seed)) ^ np.uint64(_STREAM_DRAW + rnd))
    c_wage = n_skills + _COL_WAGE
    c_ln_wage = n_skills + _COL_LN_WAGE
    for c in prange(n_chunks):
        buf = np.empty(2 * sample_size, np.int64)
        fits = np.empty(sample_size, np.float64)
        hi = (c + 1) * n // n_chunks
        nxt = _next_unmatched(c * n // n_chunks, hi, matched, n_out)
        off = 0
        if nxt < hi:
            _draw_seeker(
                nxt, h_round, sample_size, s_occ, s_mun, t_occ, t_loc, lists, occ_ptr, mun_ptr,
                vrows, buf, off,
            )  # fmt: skip
        while nxt < hi:
            w = nxt
            nxt = _next_unmatched(w + 1, hi, matched, n_out)
            if nxt < hi:
                _prefetch(skills, nxt * n_skills)
                _prefetch(skills, nxt * n_skills + n_skills - 1)
                _draw_seeker(
                    nxt, h_round, sample_size, s_occ, s_mun, t_occ, t_loc, lists, occ_ptr,
                    mun_ptr, vrows, buf, sample_size - off,
                )  # fmt: skip
            res_w = res[w]
            kept = 0
            for d in range(sample_size):
                v = buf[off + d]
                buf[off + kept] = v
                kept += 1 if vrows[v, c_wage] >= res_w else 0
            _fits_of(skills, w, weights, vrows, buf, off, kept, fits)
            ln_res_w = ln_res[w]
            cur_w = cur[w]
            mun_w = s_mun[w]
            base = w * limit
            k = 0
            for i in range(kept):
                f = fits[i]
                v = buf[off + i]
                if f < threshold[v]:
                    continue
                u = _pair_utility(
                    f,
                    vrows[v, c_ln_wage],
                    ln_res_w,
                    dist[mun_w, v_mun[v]],
                    wage_weight,
                    commute_cost,
                    fit_weight,
                )
                if u > cur_w:
                    k = _keep_best(w, v, u, f, seed, out_v, out_u, out_f, base, k, limit)
            n_out[w] = k
            off = sample_size - off


@numba.njit(cache=True)
def _offer_kernel(ptr, slots, slot_f, remaining, applications, max_apps, seed, offered):
    """Search step 3: each vacancy offers to its best applicants, up to its remaining openings.

    ``slots[ptr[v]:ptr[v + 1]]`` are the application slots (``w * applications + j``) of ``v``
    and ``slot_f`` their fits.
    """
    m = remaining.shape[0]
    hw = np.empty(max_apps, np.int64)
    hf = np.empty(max_apps, np.float64)
    hp = np.empty(max_apps, np.int64)
    for v in range(m):
        cap = remaining[v]
        if ptr[v + 1] - ptr[v] <= cap:
            for t in range(ptr[v], ptr[v + 1]):
                offered[slots[t]] = True
            continue
        size = 0
        for t in range(ptr[v], ptr[v + 1]):
            sl = slots[t]
            w = sl // applications
            f = slot_f[t]
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


@numba.njit(cache=True)
def _accept_kernel(n_app, app_v, app_f, applications, offered, remaining, out_vac, out_fit):
    """Search steps 4–5: seekers accept their best offer, filled openings are removed.

    Applications are stored best first, so the first offered slot is the best offer.
    """
    for w in range(n_app.shape[0]):
        for j in range(n_app[w]):
            sl = w * applications + j
            if offered[sl]:
                if out_vac[w] < 0:
                    out_vac[w] = app_v[sl]
                    out_fit[w] = app_f[sl]
                    remaining[app_v[sl]] -= 1
                offered[sl] = False


@numba.njit(cache=True)
def _group_kernel(n_app, app_v, app_f, applications, ptr, slots, slot_f):
    """Search step 2: CSR of application slots by vacancy (counting sort, in seeker order).

    Fills ``ptr`` (m + 1), ``slots`` and their fits ``slot_f`` (so that the offer step reads
    each vacancy's applications contiguously); returns the largest number of applications of a
    vacancy.
    """
    m = ptr.shape[0] - 1
    ptr[:] = 0
    for w in range(n_app.shape[0]):
        for j in range(n_app[w]):
            ptr[app_v[w * applications + j] + 1] += 1
    max_apps = 0
    for v in range(m):
        max_apps = max(max_apps, ptr[v + 1])
        ptr[v + 1] += ptr[v]
    fill = ptr[:-1].copy()
    for w in range(n_app.shape[0]):
        for j in range(n_app[w]):
            v = app_v[w * applications + j]
            slots[fill[v]] = w * applications + j
            slot_f[fill[v]] = app_f[w * applications + j]
            fill[v] += 1
    return max_apps


# ----------------------------------------------------------------------------------------------
# Stable
# ----------------------------------------------------------------------------------------------


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
def _acceptable_block_kernel(
    skills,
    s_mun,
    res,
    ln_res,
    cur,
    req_t,
    v_mun,
    wage,
    ln_wage,
    count,
    weights,
    need,
    dist,
    commute_cost,
    wage_weight,
    fit_weight,
    threshold,
    w0,
    buf,
    deg,
):
    """Dense fits of seekers ``w0 .. w0 + len(buf)`` into ``buf``; nan where not acceptable.

    ``deg[row]`` receives the number of acceptable pairs of the row.

    ``req_t`` is the transposed requirement matrix (S, m) so that the inner loop over vacancies
    is contiguous and vectorises; per pair the arithmetic is exactly that of ``_pair_fit``.
    """
    m = req_t.shape[1]
    n_skills = req_t.shape[0]
    for row in prange(buf.shape[0]):
        w = w0 + row
        acc = buf[row]
        acc[:] = 0.0
        k = 0
        for s in range(n_skills):
            x = skills[w, s]
            a = weights[s]
            r = req_t[s]
            for v in range(m):
                d = r[v] - x
                acc[v] += a * (d if d > 0.0 else 0.0)
        for v in range(m):
            f = 1.0 - acc[v] / need[v] if need[v] > 0.0 else 1.0
            ok = count[v] > 0 and wage[v] >= res[w] and f >= threshold[v]
            if ok:
                u = _pair_utility(
                    f,
                    ln_wage[v],
                    ln_res[w],
                    dist[s_mun[w], v_mun[v]],
                    wage_weight,
                    commute_cost,
                    fit_weight,
                )
                ok = u > cur[w]
            acc[v] = f if ok else np.nan
            k += ok
        deg[row] = k


@numba.njit(cache=True)
def _compact_block_kernel(buf, start, idx, val):
    """Append the non-nan entries of each row of ``buf`` at ``start[row]`` (column order).

    ``idx``/``val`` need one spare slot after the last entry.
    """
    m = buf.shape[1]
    for row in range(buf.shape[0]):
        k = start[row]
        for v in range(m):
            # Branch-free: always write, advance only past acceptable (non-nan) entries; the
            # spare write lands on the next row's first slot or the final spare slot.
            f = buf[row, v]
            idx[k] = v
            val[k] = f
            k += f == f


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
def _best_two(r, ptr, idx, val, offset, c_len, c_idx, c_val, tau, top_x, top_i, top_a):
    """Best and second-best ``x = val[k] − offset[idx[k]]`` over ``k`` in row ``r`` of a CSR.

    Uses a k-best cache (``c_len[r] >= 0`` means valid): the ``_K_BEST`` best entries of the last
    full scan and ``tau[r]``, the best value left out. Valid while ``offset`` only increases, as
    then uncached values stay <= ``tau[r]``; if the best cached value is still >= ``tau[r]``, it is
    the exact best and ``max(second cached, tau)`` an upper bound of the second best (which keeps
    ε-complementary slackness). Otherwise the row is rescanned. Returns ``(best, second, index
    of best, val of best)``; ``-inf`` and index -1 for an empty row.
    """
    best1 = -np.inf
    best2 = -np.inf
    bi = -1
    ba = 0.0
    cb = r * _K_BEST
    if c_len[r] >= 0:
        for t in range(c_len[r]):
            i = c_idx[cb + t]
            x = c_val[cb + t] - offset[i]
            if x > best1:
                best2 = best1
                best1 = x
                bi = i
                ba = c_val[cb + t]
            elif x > best2:
                best2 = x
        if best1 >= tau[r]:
            return best1, max(best2, tau[r]), bi, ba
    n_top = 0
    thr = -np.inf
    for k in range(ptr[r], ptr[r + 1]):
        i = idx[k]
        x = val[k] - offset[i]
        if n_top < _K_BEST + 1 or x > thr:
            t = n_top if n_top < _K_BEST + 1 else _K_BEST
            while t > 0 and top_x[t - 1] < x:
                if t < _K_BEST + 1:
                    top_x[t] = top_x[t - 1]
                    top_i[t] = top_i[t - 1]
                    top_a[t] = top_a[t - 1]
                t -= 1
            if t < _K_BEST + 1:
                top_x[t] = x
                top_i[t] = i
                top_a[t] = val[k]
            if n_top < _K_BEST + 1:
                n_top += 1
            if n_top == _K_BEST + 1:
                thr = top_x[_K_BEST]
    c_len[r] = min(n_top, _K_BEST)
    tau[r] = thr
    for t in range(c_len[r]):
        c_idx[cb + t] = top_i[t]
        c_val[cb + t] = top_a[t]
    best1 = -np.inf
    best2 = -np.inf
    bi = -1
    ba = 0.0
    if n_top > 0:
        best1 = top_x[0]
        bi = top_i[0]
        ba = top_a[0]
    if n_top > 1:
        best2 = top_x[1]
    return best1, best2, bi, ba


@numba.njit(cache=True)
def _auction_kernel(ptr, idx, val, cap, eps_final, theta, out_vac, out_fit):
    """ε-scaling forward/reverse auction for max Σ fit with capacities and outside options.

    Persons are seekers (outside option of value 0, private, never priced); objects are the
    ``cap[v]`` openings of each vacancy, whose prices are kept sorted ascending in the segment
    ``off[v] : off[v + 1]``. Each phase keeps the seekers that satisfy ε-complementary slackness
    for the new ε and runs the forward auction for the others; then reverse steps lower the price
    of every unfilled opening to 0 (or let it attract a seeker), preserving ε-complementary
    slackness. The result is within ``n·eps_final`` of the optimum.
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
    r_len = np.full(m, -1, np.int64)  # k-best cache per vacancy for the reverse steps
    r_row = np.empty(m * _K_BEST, np.int64)
    r_val = np.empty(m * _K_BEST, np.float64)
    r_tau = np.empty(m, np.float64)
    work = np.empty(m, np.int64)
    in_work = np.zeros(m, np.bool_)
    assigned[:] = -2
    while True:
        # Warm start: keep the seekers that satisfy ε-complementary slackness for the new ε.
        c_len[:] = -1
        head = 0
        q_len = 0
        for w in range(n):
            v = assigned[w]
            if v != -2:
                best1, best2, bv, ba = _best_two(
                    w, ptr, idx, val, vmin, c_len, c_vac, c_val, tau, top_x, top_v, top_a
                )
                if profit[w] >= max(best1, 0.0) - eps:
                    continue
                if v >= 0:
                    for p in range(off[v], off[v + 1]):
                        if owner[p] == w:
                            owner[p] = -1
                            break
                assigned[w] = -2
            queue[q_len] = w
            q_len += 1
        # Forward auction (Gauss–Seidel, FIFO queue of unassigned seekers).
        while q_len > 0:
            w = queue[head]
            head = head + 1 if head + 1 < n else 0
            q_len -= 1
            best1, best2, bv, ba = _best_two(
                w, ptr, idx, val, vmin, c_len, c_vac, c_val, tau, top_x, top_v, top_a
            )
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
        # Reverse steps: every unfilled opening must end with price 0. Profits only rise here, so
        # the column values a − profit only fall and the k-best cache stays valid.
        r_len[:] = -1
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
            b1, b2, bw, ba = _best_two(
                v, cptr, crow, cval, profit, r_len, r_row, r_val, r_tau, top_x, top_v, top_a
            )
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
    need: np.ndarray
    dist: np.ndarray
    commute_cost: float
    wage_weight: float
    fit_weight: float
    threshold: np.ndarray
    n_occ: int

    def score_args(self) -> tuple[Any, ...]:
        """Arguments of the dense kernel up to (and including) the threshold."""
        return (
            self.skills, self.s_mun, self.res, self.ln_res, self.cur, self.req, self.v_mun,
            self.wage, self.ln_wage, self.weights, self.need, self.dist, self.commute_cost,
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


def _vacancy_thresholds(vacancies: Vacancies, params: MatchParams, m: int) -> np.ndarray:
    """``threshold_v`` for every row: ``Vacancies.threshold`` validated, or the global default."""
    if vacancies.threshold is None:
        return np.full(m, float(params.acceptance_threshold))
    thr = _as(vacancies.threshold, np.float64, "vacancies.threshold", 1)
    _check_len("vacancies.threshold", thr, m, "number of rows of vacancies.requirements")
    bad = ~((thr >= 0.0) & (thr <= 1.0))
    if bad.any():
        v = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"vacancies.threshold must be finite and lie in [0, 1], got {float(thr[v])} at row {v}"
        )
    return thr


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
        need=_required_mass(req, weights),
        dist=dist,
        commute_cost=float(params.commute_cost),
        wage_weight=float(params.wage_weight),
        fit_weight=float(params.fit_weight),
        threshold=_vacancy_thresholds(vacancies, params, m),
        n_occ=int(v_occ.max()) + 1 if m else 1,
    )


def _share_thresholds(params: MatchParams) -> tuple[np.uint64, np.uint64]:
    """Integer thresholds ``floor(share · 2**32)`` for the draw category (cumulative)."""
    t_occ = min(int(params.own_occupation_share * 2.0**32), 1 << 32)
    t_loc = min(int((params.own_occupation_share + params.local_share) * 2.0**32), 1 << 32)
    return np.uint64(t_occ), np.uint64(t_loc)


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
        bool array (n, m): ``fit >= threshold_v``, ``wage >= reservation wage`` and
        ``U > current_quality``. Vacancy counts are not taken into account.
    """
    return _dense(seekers, vacancies, params)[2]


def _groups(p: _Prepared, remaining: np.ndarray):
    return _build_groups(remaining, p.v_occ, p.v_mun, p.n_occ, p.dist.shape[0])


def _pack_vacancies(p: _Prepared) -> np.ndarray:
    """One row per vacancy with what scoring a draw reads: ``[r_v0 .. r_v(S−1), wage_v,
    ln wage_v]``, padded to whole 64-byte cache lines and 64-byte aligned.

    A drawn vacancy then costs ``ceil((S + 2) / 8)`` cache lines (two for S <= 14) instead of
    its requirement row plus a line in each of the wage arrays. The values are copies, so scores
    are unchanged; ``need_v`` is recomputed while scoring (the same sum in the same order), which
    is cheaper than a third cache line. ``threshold_v`` is not packed: a column would need a third
    line for S = 14, and it is only read for the draws that pass the wage prefilter.
    """
    m, n_skills = p.req.shape
    width = -(-(n_skills + 2) // 8) * 8
    raw = np.zeros(m * width + 8, np.float64)
    start = (-raw.ctypes.data % 64) // 8
    rows = raw[start : start + m * width].reshape(m, width)
    rows[:, :n_skills] = p.req
    rows[:, n_skills + _COL_WAGE] = p.wage
    rows[:, n_skills + _COL_LN_WAGE] = p.ln_wage
    return rows


def _apply(
    p: _Prepared,
    vrows: np.ndarray,
    params: MatchParams,
    seed: np.uint64,
    rnd: int,
    limit: int,
    groups: tuple,
    matched: np.ndarray,
    app_v: np.ndarray,
    app_u: np.ndarray,
    app_f: np.ndarray,
    n_app: np.ndarray,
) -> None:
    t_occ, t_loc = _share_thresholds(params)
    with threads_for(p.skills.size * int(params.sample_size)):
        _apply_kernel(
            vrows, p.v_mun, p.skills, p.s_mun, p.res, p.ln_res, p.cur, p.s_occ, p.weights, p.dist,
            p.commute_cost, p.wage_weight, p.fit_weight, p.threshold, int(params.sample_size),
            limit, rnd, t_occ, t_loc, seed, *groups, matched, app_v, app_u, app_f, n_app,
        )  # fmt: skip


def _search(
    p: _Prepared, params: MatchParams, seed: np.uint64, out_vac: np.ndarray, out_fit: np.ndarray
) -> None:
    """Mode 'search': the round loop (a few kernel calls per round) around the kernels."""
    n, m = p.skills.shape[0], p.req.shape[0]
    A = int(params.applications)
    remaining = p.count.copy()
    app_v = np.empty(n * A, np.int64)
    app_u = np.empty(n * A, np.float64)
    app_f = np.empty(n * A, np.float64)
    n_app = np.zeros(n, np.int64)
    offered = np.zeros(n * A, np.bool_)
    ptr = np.empty(m + 1, np.int64)
    slots = np.empty(n * A, np.int64)
    slot_f = np.empty(n * A, np.float64)
    vrows = _pack_vacancies(p)
    for rnd in range(int(params.rounds)):
        groups = _groups(p, remaining)
        if groups[0].shape[0] == 0:
            break
        _apply(p, vrows, params, seed, rnd, A, groups, out_vac, app_v, app_u, app_f, n_app)
        max_apps = _group_kernel(n_app, app_v, app_f, A, ptr, slots, slot_f)
        _offer_kernel(ptr, slots, slot_f, remaining, A, max_apps, seed, offered)
        _accept_kernel(n_app, app_v, app_f, A, offered, remaining, out_vac, out_fit)


def _stable_candidates(p: _Prepared, params: MatchParams, seed: np.uint64):
    """Truncated preference lists (n × sample_size, best first): acceptable round-0 draws."""
    n = p.skills.shape[0]
    L = int(params.sample_size)
    cand_v = np.empty(n * L, np.int64)
    cand_u = np.empty(n * L, np.float64)
    cand_f = np.empty(n * L, np.float64)
    cand_len = np.zeros(n, np.int64)
    groups = _groups(p, p.count)
    if groups[0].shape[0] > 0:
        unmatched = np.full(n, -1, np.int64)
        vrows = _pack_vacancies(p)
        _apply(p, vrows, params, seed, 0, L, groups, unmatched, cand_v, cand_u, cand_f, cand_len)
    return cand_v, cand_f, cand_len, L


def _acceptable_rows(p: _Prepared, max_pairs: int):
    """CSR (per seeker) of acceptable pairs with count > 0: ``(ptr, vacancy, fit)``.

    Seekers are scored in blocks by a parallel kernel into a dense buffer whose acceptable
    entries are then appended. Returns ``ptr[-1] > max_pairs`` and empty pair arrays if there are
    too many pairs.
    """
    n, m = p.skills.shape[0], p.req.shape[0]
    req_t = np.ascontiguousarray(p.req.T)
    block = max(1, min(n, (1 << 22) // max(m, 1)))
    buf_all = np.empty((block, m), np.float64)
    deg_all = np.empty(block, np.int64)
    ptr = np.zeros(n + 1, np.int64)
    # Untouched pages of np.empty are never committed, so the upper bound costs nothing.
    size = min(n * m, max_pairs) + 1
    idx = np.empty(size, np.int32)
    val = np.empty(size, np.float64)
    for w0 in range(0, n, block):
        w1 = min(n, w0 + block)
        buf, deg = buf_all[: w1 - w0], deg_all[: w1 - w0]
        with threads_for(buf.size * p.skills.shape[1]):
            _acceptable_block_kernel(
                p.skills, p.s_mun, p.res, p.ln_res, p.cur, req_t, p.v_mun, p.wage, p.ln_wage,
                p.count, p.weights, p.need, p.dist, p.commute_cost, p.wage_weight, p.fit_weight,
                p.threshold, w0, buf, deg,
            )  # fmt: skip
        np.cumsum(deg, out=ptr[w0 + 1 : w1 + 1])
        ptr[w0 + 1 : w1 + 1] += ptr[w0]
        if ptr[w1] > max_pairs:
            ptr[-1] = ptr[w1]
            return ptr, idx[:0], val[:0]
        _compact_block_kernel(buf, ptr[w0:w1], idx, val)
    return ptr, idx[: ptr[n]], val[: ptr[n]]


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
        _search(p, params, seed_u, out_vac, out_fit)
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
        ptr, idx, val = _acceptable_rows(p, OPTIMAL_MAX_PAIRS)
        if ptr[-1] > OPTIMAL_MAX_PAIRS:
            raise ValueError(
                f"mode 'optimal': {ptr[-1]} acceptable pairs exceed the limit {OPTIMAL_MAX_PAIRS}"
            )
        cap = np.minimum(p.count, n)
        eps_final = max(1e-10 / (n + 1), 64 * np.finfo(np.float64).eps)
        _auction_kernel(ptr, idx, val, cap, eps_final, 32.0, out_vac, out_fit)
    return MatchResult(out_vac, out_fit)
