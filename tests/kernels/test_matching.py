"""Tests of ecosim.kernels.matching against plain-Python reference implementations."""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections import defaultdict

import numba
import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from ecosim import skills as skill_fit
from ecosim.kernels import _threads
from ecosim.kernels import matching as mk
from ecosim.kernels.matching import (
    MatchParams,
    Seekers,
    Vacancies,
    acceptable_matrix,
    employer_score_matrix,
    match,
    worker_utility_matrix,
)

MODES = ("search", "stable", "optimal")
M64 = (1 << 64) - 1


# ----------------------------------------------------------------------------------------------
# Instances
# ----------------------------------------------------------------------------------------------


def make_market(
    n: int,
    m: int,
    seed: int,
    *,
    n_skills: int = 3,
    n_mun: int = 3,
    n_occ: int = 3,
    max_count: int = 3,
    quantise: int | None = None,
    equal_wages: bool = False,
    zero_distance: bool = False,
    on_the_job: float = 0.3,
    per_vacancy: bool = False,
    **params,
):
    """Random small market; ``quantise`` rounds skills to multiples of 1/q (creates ties).

    ``per_vacancy`` gives every vacancy its own threshold (see :func:`random_thresholds`); the
    rest of the market is the same as without it.
    """
    rng = np.random.default_rng(seed)
    skills = rng.random((n, n_skills))
    req = rng.random((m, n_skills))
    if quantise:
        skills = np.round(skills * quantise) / quantise
        req = np.round(req * quantise) / quantise
    cur = np.full(n, -np.inf)
    oj = rng.random(n) < on_the_job
    cur[oj] = rng.normal(0.6, 0.3, oj.sum())
    res = np.full(n, 1000.0) if equal_wages else rng.uniform(800, 1200, n)
    wage = np.full(m, 1000.0) if equal_wages else rng.uniform(900, 1300, m)
    seekers = Seekers(skills, rng.integers(0, n_mun, n), res, cur, rng.integers(-1, n_occ, n))
    vacancies = Vacancies(
        req, rng.integers(0, n_mun, m), wage, rng.integers(0, max_count + 1, m),
        rng.integers(0, n_occ, m),
    )  # fmt: skip
    xy = rng.random((n_mun, 2)) * 30
    dist = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(-1))
    if zero_distance:
        dist[:] = 0.0
    weights = rng.uniform(0.2, 1.0, n_skills)
    if quantise:
        weights[:] = 1.0
    kw = dict(acceptance_threshold=0.6, sample_size=6, applications=2, rounds=3)
    kw.update(params)
    if per_vacancy:
        vacancies = random_thresholds(seekers, vacancies, weights, seed)
    return seekers, vacancies, MatchParams(weights, dist, **kw)


def random_thresholds(sk, va, weights, seed):
    """``va`` with a random threshold per vacancy: a uniform draw in [0, 1] for half of them,
    for the other half exactly the fit of a random seeker (so that ``fit == threshold_v`` occurs
    and ``>=`` is tested at its boundary)."""
    rng = np.random.default_rng([seed, 1])
    n, m = len(sk.reservation_wage), len(va.wage)
    thr = rng.random(m)
    if n and m:
        fits = skill_fit.fit(sk.skills[:, None, :], va.requirements[None, :, :], weights)
        exact = rng.random(m) < 0.5
        thr[exact] = fits[rng.integers(0, n, m), np.arange(m)][exact]
    return dataclasses.replace(va, threshold=thr)


# ----------------------------------------------------------------------------------------------
# Plain-Python reference implementation
# ----------------------------------------------------------------------------------------------


def mix64(z: int) -> int:
    z = (z + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def hash4(seed: int, stream: int, a: int, b: int) -> int:
    h = mix64(seed & M64)
    h = mix64(h ^ stream)
    h = mix64(h ^ a)
    return mix64(h ^ b)


def ref_threshold(va, pa, v):
    """threshold_v: the vacancy's own threshold, or the global one if there are none."""
    if va.threshold is None:
        return pa.acceptance_threshold
    return float(va.threshold[v])


def ref_scores(sk, va, pa):
    """fit, U and acceptability as nested lists, evaluated exactly as documented."""
    n, m = len(sk.reservation_wage), len(va.wage)
    a = [float(x) for x in pa.skill_weights]
    ln_res = np.log(np.asarray(sk.reservation_wage, dtype=np.float64))
    ln_wage = np.log(np.asarray(va.wage, dtype=np.float64))
    # The fit is ecosim.skills' one definition; the kernels inline it and must agree exactly.
    fits = skill_fit.fit(
        np.asarray(sk.skills)[:, None, :], np.asarray(va.requirements)[None, :, :], a
    ).tolist()
    fit = [[0.0] * m for _ in range(n)]
    util = [[0.0] * m for _ in range(n)]
    acc = [[False] * m for _ in range(n)]
    for w in range(n):
        for v in range(m):
            f = fits[w][v]
            d = float(pa.distance[sk.municipality[w], va.municipality[v]])
            u = (
                pa.wage_weight * (float(ln_wage[v]) - float(ln_res[w]))
                - pa.commute_cost * d
                + pa.fit_weight * f
            )
            fit[w][v] = f
            util[w][v] = u
            acc[w][v] = (
                f >= ref_threshold(va, pa, v)
                and va.wage[v] >= sk.reservation_wage[w]
                and u > sk.current_quality[w]
            )
    return fit, util, acc


def ref_draws(sk, va, pa, seed, rnd, w, remaining):
    """The ``sample_size`` draws of seeker ``w`` in round ``rnd`` (with duplicates)."""
    open_all = [v for v in range(len(remaining)) if remaining[v] > 0]
    by_occ = [v for v in open_all if va.occupation[v] == sk.occupation[w]]
    by_mun = [v for v in open_all if va.municipality[v] == sk.municipality[w]]
    t_occ = min(int(pa.own_occupation_share * 2.0**32), 1 << 32)
    t_loc = min(int((pa.own_occupation_share + pa.local_share) * 2.0**32), 1 << 32)
    out = []
    for d in range(pa.sample_size):
        h = hash4(seed, 1024 + rnd, w, d)
        low, high = h & 0xFFFFFFFF, h >> 32
        group = open_all
        if low < t_occ:
            if sk.occupation[w] >= 0 and by_occ:
                group = by_occ
        elif low < t_loc and by_mun:
            group = by_mun
        out.append(group[(high * len(group)) >> 32])
    return out


def worker_key(seed, w, util):
    return lambda v: (util[w][v], hash4(seed, 2, w, v))


def employer_key(seed, v, fit):
    return lambda w: (fit[w][v], hash4(seed, 1, v, w))


def ref_candidates(sk, va, pa, seed, rnd, w, remaining, fit, util, acc):
    cands = []
    for v in ref_draws(sk, va, pa, seed, rnd, w, remaining):
        if acc[w][v] and v not in cands:
            cands.append(v)
    return sorted(cands, key=worker_key(seed, w, util), reverse=True)


def ref_search(sk, va, pa, seed):
    fit, util, acc = ref_scores(sk, va, pa)
    n = len(sk.reservation_wage)
    remaining = [int(c) for c in va.count]
    vac = [-1] * n
    for rnd in range(pa.rounds):
        if not any(r > 0 for r in remaining):
            break
        apps = {}
        for w in range(n):
            if vac[w] < 0:
                cands = ref_candidates(sk, va, pa, seed, rnd, w, remaining, fit, util, acc)
                apps[w] = cands[: pa.applications]
        applicants = defaultdict(list)
        for w, vs in apps.items():
            for v in vs:
                applicants[v].append(w)
        offers = set()
        for v, ws in applicants.items():
            ws = sorted(ws, key=employer_key(seed, v, fit), reverse=True)
            offers.update((w, v) for w in ws[: remaining[v]])
        for w, vs in apps.items():
            for v in vs:
                if (w, v) in offers:
                    vac[w] = v
                    remaining[v] -= 1
                    break
    return vac


def ref_lists(sk, va, pa, seed):
    fit, util, acc = ref_scores(sk, va, pa)
    remaining = [int(c) for c in va.count]
    if not any(r > 0 for r in remaining):
        return [[] for _ in sk.reservation_wage], fit, util
    lists = [
        ref_candidates(sk, va, pa, seed, 0, w, remaining, fit, util, acc)
        for w in range(len(sk.reservation_wage))
    ]
    return lists, fit, util


def ref_stable(sk, va, pa, seed):
    """Textbook many-to-one worker-proposing deferred acceptance on the truncated lists."""
    lists, fit, _ = ref_lists(sk, va, pa, seed)
    n = len(lists)
    nxt = [0] * n
    held = defaultdict(list)
    free = list(range(n))
    while free:
        w = free.pop()
        if nxt[w] >= len(lists[w]):
            continue
        v = lists[w][nxt[w]]
        nxt[w] += 1
        held[v].append(w)
        if len(held[v]) > va.count[v]:
            worst = min(held[v], key=employer_key(seed, v, fit))
            held[v].remove(worst)
            free.append(worst)
    vac = [-1] * n
    for v, ws in held.items():
        for w in ws:
            vac[w] = v
    return vac


def ref_optimal_value(sk, va, pa):
    """Brute-force maximum total fit over acceptable pairs (tiny instances only)."""
    fit, _, acc = ref_scores(sk, va, pa)
    n = len(fit)
    best = 0.0

    def rec(w, remaining, total):
        nonlocal best
        if w == n:
            best = max(best, total)
            return
        rec(w + 1, remaining, total)
        for v in range(len(remaining)):
            if acc[w][v] and remaining[v] > 0:
                remaining[v] -= 1
                rec(w + 1, remaining, total + fit[w][v])
                remaining[v] += 1

    rec(0, [int(c) for c in va.count], 0.0)
    return best


def scipy_optimal_value(sk, va, pa):
    fit, _, acc = (np.array(a) for a in ref_scores(sk, va, pa))
    n = fit.shape[0]
    cols = np.repeat(np.arange(fit.shape[1]), np.minimum(va.count, n))
    if cols.size == 0:
        return 0.0
    cost = np.where(acc[:, cols], -fit[:, cols], 0.0)
    r, c = linear_sum_assignment(cost)
    return float(-cost[r, c].sum())


def check_valid(res, sk, va, pa):
    """Counts respected, only acceptable pairs, fits equal to the dense fits, nan if unmatched."""
    n = len(sk.reservation_wage)
    vac, fitw = res.vacancy_of_seeker, res.fit_of_seeker
    assert vac.shape == (n,) and vac.dtype == np.int64
    assert fitw.shape == (n,) and fitw.dtype == np.float64
    matched = vac >= 0
    assert np.all(np.bincount(vac[matched], minlength=len(va.count)) <= va.count)
    acc = acceptable_matrix(sk, va, pa)
    fit = employer_score_matrix(sk, va, pa)
    rows = np.nonzero(matched)[0]
    assert acc[rows, vac[rows]].all()
    assert np.array_equal(fitw[rows], fit[rows, vac[rows]])
    assert np.isnan(fitw[~matched]).all()


# ----------------------------------------------------------------------------------------------
# Tests
# ----------------------------------------------------------------------------------------------


def test_hash_matches_python_reimplementation():
    for seed, stream, a, b in [(0, 0, 0, 0), (1, 2, 3, 4), (2**64 - 1, 1024, 10**6, 7)]:
        got = int(mk._hash4(np.uint64(seed), np.int64(stream), np.int64(a), np.int64(b)))
        assert got == hash4(seed, stream, a, b)


def test_dense_helpers_hand_computed_2x2():
    sk = Seekers(
        skills=np.array([[0.5, 0.2], [1.0, 1.0]]),
        municipality=np.array([0, 1]),
        reservation_wage=np.array([1000.0, 1200.0]),
        current_quality=np.array([-np.inf, 0.5]),
        occupation=np.array([0, -1]),
    )
    va = Vacancies(
        requirements=np.array([[0.6, 0.2], [0.0, 0.6]]),
        municipality=np.array([1, 0]),
        wage=np.array([1000.0, 1500.0]),
        count=np.array([1, 1]),
        occupation=np.array([0, 0]),
    )
    pa = MatchParams(
        skill_weights=np.array([1.0, 3.0]),
        distance=np.array([[0.0, 10.0], [10.0, 0.0]]),
        commute_cost=0.01,
        acceptance_threshold=0.75,
    )
    # need_0 = 1*0.6 + 3*0.2 = 1.2 and need_1 = 3*0.6 = 1.8 (required skill mass);
    # short(0,0) = 1*0.1/1.2, short(0,1) = 3*0.4/1.8, seeker 1 has every skill.
    expected_fit = np.array([[1 - 0.1 / 1.2, 1 - 1.2 / 1.8], [1.0, 1.0]])
    expected_u = np.array(
        [
            [math.log(1.0) - 0.1 + 1 - 0.1 / 1.2, math.log(1.5) - 0.0 + 1 - 1.2 / 1.8],
            [math.log(1000 / 1200) - 0.0 + 1.0, math.log(1500 / 1200) - 0.1 + 1.0],
        ]
    )
    np.testing.assert_allclose(employer_score_matrix(sk, va, pa), expected_fit, rtol=1e-12)
    np.testing.assert_allclose(worker_utility_matrix(sk, va, pa), expected_u, rtol=1e-12)
    # (0,1): fit below threshold; (1,0): wage below reservation wage.
    expected_acc = np.array([[True, False], [False, True]])
    assert np.array_equal(acceptable_matrix(sk, va, pa), expected_acc)


@pytest.mark.parametrize("per_vacancy", [False, True])
@pytest.mark.parametrize("seed", range(6))
def test_dense_helpers_match_reference(seed, per_vacancy):
    sk, va, pa = make_market(7, 5, seed, quantise=4 if seed % 2 else None, per_vacancy=per_vacancy)
    fit, util, acc = ref_scores(sk, va, pa)
    assert np.array_equal(employer_score_matrix(sk, va, pa), np.array(fit))
    assert np.array_equal(worker_utility_matrix(sk, va, pa), np.array(util))
    assert np.array_equal(acceptable_matrix(sk, va, pa), np.array(acc))


SEARCH_CASES = [
    dict(),
    dict(quantise=2, equal_wages=True, zero_distance=True),  # many ties on both sides
    dict(sample_size=15, applications=3, rounds=4, max_count=1),  # many duplicate draws
    dict(own_occupation_share=0.0, local_share=0.0, rounds=1),
    dict(own_occupation_share=1.0, local_share=0.0, applications=1),
    dict(own_occupation_share=0.2, local_share=0.8, max_count=5),
]


@pytest.mark.parametrize("per_vacancy", [False, True])
@pytest.mark.parametrize("case", range(len(SEARCH_CASES)))
@pytest.mark.parametrize("seed", range(4))
def test_search_matches_reference(case, seed, per_vacancy):
    n, m = [(12, 6), (25, 9), (9, 14), (30, 4)][seed]
    sk, va, pa = make_market(n, m, 100 * case + seed, per_vacancy=per_vacancy, **SEARCH_CASES[case])
    res = match("search", sk, va, pa, seed=seed * 7919)
    assert res.vacancy_of_seeker.tolist() == ref_search(sk, va, pa, seed * 7919)
    check_valid(res, sk, va, pa)


@pytest.mark.parametrize("per_vacancy", [False, True])
@pytest.mark.parametrize("seed", range(8))
def test_stable_matches_reference(seed, per_vacancy):
    kw = dict(quantise=2, equal_wages=True, zero_distance=True) if seed % 2 else {}
    sk, va, pa = make_market(20, 7, seed, sample_size=5, per_vacancy=per_vacancy, **kw)
    res = match("stable", sk, va, pa, seed=seed)
    assert res.vacancy_of_seeker.tolist() == ref_stable(sk, va, pa, seed)
    check_valid(res, sk, va, pa)


def blocking_pairs(vac, lists, fit, util, count, seed):
    """Listed pairs (w, v) that block the matching ``vac``."""
    rank = [{v: i for i, v in enumerate(lst)} for lst in lists]
    admitted = defaultdict(list)
    for w, v in enumerate(vac):
        if v >= 0:
            admitted[v].append(w)
    out = []
    for w, lst in enumerate(lists):
        for v in lst:
            if vac[w] >= 0 and rank[w][v] >= rank[w][vac[w]]:
                continue  # w does not prefer v to its match
            if len(admitted[v]) < count[v]:
                out.append((w, v))
                continue
            key = employer_key(seed, v, fit)
            if key(w) > min(key(x) for x in admitted[v]):
                out.append((w, v))
    return out


@pytest.mark.parametrize("per_vacancy", [False, True])
@pytest.mark.parametrize("seed", range(10))
def test_stable_has_no_blocking_pair(seed, per_vacancy):
    sk, va, pa = make_market(
        60, 15, seed, sample_size=6, quantise=4 if seed % 2 else None, per_vacancy=per_vacancy
    )
    res = match("stable", sk, va, pa, seed=seed)
    lists, fit, util = ref_lists(sk, va, pa, seed)
    assert blocking_pairs(res.vacancy_of_seeker.tolist(), lists, fit, util, va.count, seed) == []


def all_matchings(lists, count):
    """Every many-to-one matching using listed pairs only (tiny instances)."""

    def rec(w, remaining):
        if w == len(lists):
            yield []
            return
        for rest in rec(w + 1, remaining):
            yield [-1, *rest]
        for v in lists[w]:
            if remaining[v] > 0:
                remaining[v] -= 1
                for rest in rec(w + 1, remaining):
                    yield [v, *rest]
                remaining[v] += 1

    yield from rec(0, [int(c) for c in count])


@pytest.mark.parametrize("per_vacancy", [False, True])
@pytest.mark.parametrize("seed", range(12))
def test_stable_is_worker_optimal_by_enumeration(seed, per_vacancy):
    sk, va, pa = make_market(
        6, 3, seed, sample_size=3, max_count=2, quantise=2 if seed % 3 == 0 else None,
        per_vacancy=per_vacancy,
    )  # fmt: skip
    res = match("stable", sk, va, pa, seed=seed).vacancy_of_seeker.tolist()
    lists, fit, util = ref_lists(sk, va, pa, seed)
    stable = [
        mt
        for mt in all_matchings(lists, va.count)
        if not blocking_pairs(mt, lists, fit, util, va.count, seed)
    ]
    assert res in stable
    rank = [{v: i for i, v in enumerate(lst)} for lst in lists]

    def worker_rank(w, v):
        return rank[w][v] if v >= 0 else len(lists[w])

    for other in stable:
        assert all(worker_rank(w, res[w]) <= worker_rank(w, other[w]) for w in range(len(res)))


@pytest.mark.parametrize("seed", range(5))
def test_stable_independent_of_proposal_order(seed):
    sk, va, pa = make_market(80, 20, seed, sample_size=6, quantise=2 if seed % 2 else None)
    prepared = mk._prepare(sk, va, pa)
    seed_u = np.uint64(seed)
    cand_v, cand_f, cand_len, length = mk._stable_candidates(prepared, pa, seed_u)
    results = []
    rng = np.random.default_rng(seed)
    for order in [
        np.arange(80),
        np.arange(80)[::-1].copy(),
        *(rng.permutation(80) for _ in range(3)),
    ]:
        out_vac = np.full(80, -1, np.int64)
        out_fit = np.full(80, np.nan)
        mk._deferred_acceptance_kernel(
            cand_v, cand_f, cand_len, length, prepared.count, order.astype(np.int64), seed_u,
            out_vac, out_fit,
        )  # fmt: skip
        results.append(out_vac)
    for other in results[1:]:
        assert np.array_equal(results[0], other)
    assert np.array_equal(results[0], match("stable", sk, va, pa, seed=seed).vacancy_of_seeker)


@pytest.mark.parametrize("per_vacancy", [False, True])
@pytest.mark.parametrize("seed", range(25))
def test_optimal_matches_brute_force(seed, per_vacancy):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 6)), int(rng.integers(1, 4))
    sk, va, pa = make_market(
        n, m, seed, max_count=2, quantise=[None, 2, 4][seed % 3], per_vacancy=per_vacancy
    )
    res = match("optimal", sk, va, pa, seed=0)
    check_valid(res, sk, va, pa)
    assert np.nansum(res.fit_of_seeker) == pytest.approx(ref_optimal_value(sk, va, pa), 1e-12)


SIZES = [(1, 1), (1, 5), (5, 1), (40, 10), (10, 40), (60, 60), (120, 30), (30, 120)]


@pytest.mark.parametrize("per_vacancy", [False, True])
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("quantise", [None, 2, 8])
def test_optimal_matches_scipy(size, quantise, per_vacancy):
    n, m = size
    for rep in range(4):
        sk, va, pa = make_market(
            n, m, 1000 * rep + n + m, n_skills=4, quantise=quantise, max_count=rep % 3 + 1,
            acceptance_threshold=[0.0, 0.5, 0.7, 0.9][rep], per_vacancy=per_vacancy,
        )  # fmt: skip
        res = match("optimal", sk, va, pa, seed=rep)
        check_valid(res, sk, va, pa)
        expected = scipy_optimal_value(sk, va, pa)
        assert np.nansum(res.fit_of_seeker) == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_search_urn_ball_expectation():
    u, v, reps = 200, 100, 300
    sk = Seekers(
        np.full((u, 2), 0.5), np.zeros(u, np.int64), np.full(u, 1000.0), np.full(u, -np.inf),
        np.zeros(u, np.int64),
    )  # fmt: skip
    va = Vacancies(
        np.full((v, 2), 0.5), np.zeros(v, np.int64), np.full(v, 1000.0), np.ones(v, np.int64),
        np.zeros(v, np.int64),
    )  # fmt: skip
    pa = MatchParams(
        np.ones(2), np.zeros((1, 1)), sample_size=1, applications=1, rounds=1,
        own_occupation_share=0.0, local_share=0.0,
    )  # fmt: skip
    matches = np.array(
        [(match("search", sk, va, pa, seed=s).vacancy_of_seeker >= 0).sum() for s in range(reps)]
    )
    expected = v * (1 - (1 - 1 / v) ** u)
    se = matches.std(ddof=1) / math.sqrt(reps)
    assert abs(matches.mean() - expected) < 4 * se


@pytest.mark.parametrize("per_vacancy", [False, True])
@pytest.mark.parametrize("mode", MODES)
def test_valid_and_deterministic_across_threads(mode, per_vacancy, monkeypatch):
    # Every call parallel, however small (by default small calls run on one thread).
    monkeypatch.setattr(_threads, "PARALLEL_MIN_WORK", 0)
    sk, va, pa = make_market(
        700, 150, 3, n_skills=5, n_mun=6, n_occ=8, max_count=4, sample_size=10,
        per_vacancy=per_vacancy,
    )  # fmt: skip
    before = numba.get_num_threads()
    results = []
    try:
        for threads in (1, min(2, numba.config.NUMBA_NUM_THREADS)):
            numba.set_num_threads(threads)
            results.append(match(mode, sk, va, pa, seed=42))
    finally:
        numba.set_num_threads(before)
    check_valid(results[0], sk, va, pa)
    assert np.array_equal(results[0].vacancy_of_seeker, results[1].vacancy_of_seeker)
    assert np.array_equal(results[0].fit_of_seeker, results[1].fit_of_seeker, equal_nan=True)
    again = match(mode, sk, va, pa, seed=42)
    assert np.array_equal(again.vacancy_of_seeker, results[0].vacancy_of_seeker)
    if mode != "optimal":
        other = match(mode, sk, va, pa, seed=43)
        assert not np.array_equal(other.vacancy_of_seeker, results[0].vacancy_of_seeker)


@pytest.mark.parametrize("per_vacancy", [False, True])
@pytest.mark.parametrize("mode", MODES)
def test_empty_inputs(mode, per_vacancy):
    sk, va, pa = make_market(5, 3, 0, per_vacancy=per_vacancy)
    arrays = {f.name: getattr(va, f.name) for f in dataclasses.fields(va)}
    no_vac = dataclasses.replace(va, **{name: a[:0] for name, a in arrays.items() if a is not None})
    res = match(mode, sk, no_vac, pa, seed=0)
    assert (res.vacancy_of_seeker == -1).all() and np.isnan(res.fit_of_seeker).all()
    closed = dataclasses.replace(va, count=np.zeros(3, np.int64))
    assert (match(mode, sk, closed, pa, seed=0).vacancy_of_seeker == -1).all()


def test_bad_input_raises():
    sk, va, pa = make_market(5, 3, 0)
    with pytest.raises(ValueError, match="search, stable, optimal"):
        match("greedy", sk, va, pa, seed=0)
    bad = [
        (dataclasses.replace(sk, skills=sk.skills[:, :2]), va, pa),
        (dataclasses.replace(sk, municipality=sk.municipality[:4]), va, pa),
        (dataclasses.replace(sk, municipality=sk.municipality + 10), va, pa),
        (sk, dataclasses.replace(va, wage=va.wage[:2]), pa),
        (sk, dataclasses.replace(va, count=-np.ones(3, np.int64)), pa),
        (sk, va, dataclasses.replace(pa, skill_weights=np.ones(2))),
        (sk, va, dataclasses.replace(pa, skill_weights=np.zeros(3))),
        (sk, va, dataclasses.replace(pa, distance=np.zeros((3, 2)))),
        (sk, va, dataclasses.replace(pa, own_occupation_share=0.8, local_share=0.5)),
        (sk, va, dataclasses.replace(pa, sample_size=0)),
    ]
    for args in bad:
        for mode in MODES:
            with pytest.raises(ValueError):
                match(mode, *args, seed=0)
    with pytest.raises(ValueError):
        employer_score_matrix(*bad[0])
    with pytest.raises(ValueError):
        match("search", sk, va, pa, seed=1.5)


@pytest.mark.parametrize(
    ("threshold", "message"),
    [
        (np.full(2, 0.5), r"vacancies.threshold has length 2, expected 3"),
        (np.full((3, 1), 0.5), r"vacancies.threshold must be 1-D"),
        (np.array([0.5, np.nan, 0.5]), r"vacancies.threshold must be finite .* nan at row 1"),
        (np.array([0.5, 0.5, np.inf]), r"vacancies.threshold must be finite .* inf at row 2"),
        (np.array([-0.1, 0.5, 0.5]), r"lie in \[0, 1\], got -0.1 at row 0"),
        (np.array([0.5, 1.5, 0.5]), r"lie in \[0, 1\], got 1.5 at row 1"),
        (["low", "mid", "high"], r"vacancies.threshold cannot be converted to float64"),
    ],
)
def test_bad_threshold_raises(threshold, message):
    sk, va, pa = make_market(5, 3, 0)
    bad = dataclasses.replace(va, threshold=threshold)
    for mode in MODES:
        with pytest.raises(ValueError, match=message):
            match(mode, sk, bad, pa, seed=0)
    for helper in (acceptable_matrix, employer_score_matrix, worker_utility_matrix):
        with pytest.raises(ValueError, match=message):
            helper(sk, bad, pa)
    edges = dataclasses.replace(va, threshold=[0.0, 1.0, 0.5])  # the bounds are allowed
    assert acceptable_matrix(sk, edges, pa).shape == (5, 3)


@pytest.mark.parametrize("mode", MODES)
def test_threshold_equal_to_global_is_the_same_as_none(mode):
    # Quantised scores: some fits equal the threshold 0.6 exactly.
    sk, va, pa = make_market(80, 20, 11, quantise=4, sample_size=8)
    same = dataclasses.replace(va, threshold=np.full(20, pa.acceptance_threshold))
    fit = employer_score_matrix(sk, va, pa)
    assert (fit == pa.acceptance_threshold).any()
    assert np.array_equal(acceptable_matrix(sk, same, pa), acceptable_matrix(sk, va, pa))
    expected = match(mode, sk, va, pa, seed=5)
    got = match(mode, sk, same, pa, seed=5)
    assert (expected.vacancy_of_seeker >= 0).any()
    assert np.array_equal(got.vacancy_of_seeker, expected.vacancy_of_seeker)
    assert np.array_equal(got.fit_of_seeker, expected.fit_of_seeker, equal_nan=True)


@pytest.mark.parametrize("fraction", [0.0, 0.5])
@pytest.mark.parametrize("seed", range(3))
def test_lowering_one_threshold_only_adds_pairs_for_that_vacancy(seed, fraction):
    sk, va, pa = make_market(60, 12, 21 + seed, per_vacancy=True, sample_size=8)
    v0 = int(np.argmax(va.threshold))
    lowered = va.threshold.copy()
    lowered[v0] *= fraction
    va_low = dataclasses.replace(va, threshold=lowered)
    before, after = acceptable_matrix(sk, va, pa), acceptable_matrix(sk, va_low, pa)
    others = np.arange(12) != v0
    assert np.array_equal(after[:, others], before[:, others])
    assert not (before[:, v0] & ~after[:, v0]).any()
    assert (after[:, v0] & ~before[:, v0]).any()
    # Stable candidate lists (the same draws): v0 can be added, nothing else changes.
    lists = []
    for vac in (va, va_low):
        prepared = mk._prepare(sk, vac, pa)
        cand_v, _, cand_len, length = mk._stable_candidates(prepared, pa, np.uint64(seed))
        lists.append([set(cand_v[w * length : w * length + cand_len[w]]) for w in range(60)])
    assert all(b <= a and a - b <= {v0} for b, a in zip(*lists, strict=True))
    assert any(v0 in a - b for b, a in zip(*lists, strict=True))
    # Optimal: more acceptable pairs cannot lower the maximum total fit.
    total = [np.nansum(match("optimal", sk, vac, pa, seed=0).fit_of_seeker) for vac in (va, va_low)]
    assert total[1] >= total[0] - 1e-9


def test_optimal_rejects_large_problems():
    sk, va, pa = make_market(3, 2, 0)
    big = dataclasses.replace(va, count=np.array([20_001, 0]))
    big_sk = Seekers(
        *(np.repeat(getattr(sk, f.name), 7000, axis=0) for f in dataclasses.fields(sk))
    )
    with pytest.raises(ValueError, match="optimal"):
        match("optimal", big_sk, big, pa, seed=0)


def test_all_permutations_tiny_optimal():
    """Exhaustive check on one 3x3 instance with every assignment enumerated."""
    sk, va, pa = make_market(3, 3, 5, max_count=1, acceptance_threshold=0.0, on_the_job=0.0)
    va = dataclasses.replace(va, count=np.ones(3, np.int64))
    fit, _, acc = ref_scores(sk, va, pa)
    best = max(
        sum(fit[w][v] for w, v in enumerate(p) if acc[w][v])
        for p in itertools.permutations(range(3))
    )
    res = match("optimal", sk, va, pa, seed=0)
    assert np.nansum(res.fit_of_seeker) == pytest.approx(best, rel=1e-12)
