"""Benchmark of the matching kernel (ecosim.kernels.matching).

Run from the repository root::

    PYTHONPATH=src .venv/bin/python benchmarks/bench_matching.py [--quick]

Every figure is printed next to its target and, where one is measured in the same run, the
ratio to its baseline (plain-Python reference, scipy, a memory-bound floor, or for a per-vacancy
threshold array the same search without one). ``--quick`` runs small sizes only.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numba
import numpy as np
from scipy.optimize import linear_sum_assignment

from ecosim.kernels import matching as mk
from ecosim.kernels.matching import (
    MatchParams,
    Seekers,
    Vacancies,
    acceptable_matrix,
    employer_score_matrix,
    match,
)

N_SKILLS = 14
M64 = (1 << 64) - 1


def make_market(n: int, m: int, seed: int = 0, n_mun: int = 50, n_occ: int = 40):
    """Structured synthetic market: Beta skills, log-normal wages, planar municipalities."""
    rng = np.random.default_rng(seed)
    cur = np.full(n, -np.inf)
    on_job = rng.random(n) < 0.2
    cur[on_job] = rng.normal(0.5, 0.3, on_job.sum())
    seekers = Seekers(
        skills=rng.beta(2.0, 2.0, (n, N_SKILLS)),
        municipality=rng.integers(0, n_mun, n),
        reservation_wage=rng.lognormal(7.5, 0.2, n),
        current_quality=cur,
        occupation=rng.integers(-1, n_occ, n),
    )
    vacancies = Vacancies(
        requirements=rng.beta(2.0, 2.0, (m, N_SKILLS)),
        municipality=rng.integers(0, n_mun, m),
        wage=rng.lognormal(7.6, 0.2, m),
        count=rng.integers(1, 4, m),
        occupation=rng.integers(0, n_occ, m),
    )
    xy = rng.random((n_mun, 2)) * 60.0
    dist = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(-1))
    return seekers, vacancies, MatchParams(np.ones(N_SKILLS), dist)


def best_of(fn, repeats: int) -> float:
    """Minimum wall time of ``repeats`` calls (after one warm-up call), in seconds."""
    return best_of_each([fn], repeats)[0]


def best_of_each(fns, repeats: int) -> list[float]:
    """Minimum wall time of each function over ``repeats`` rounds that call them in turn.

    Alternating the calls exposes every function to the same load on a shared machine, so the
    ratios between them are steadier than those of separate runs.
    """
    for fn in fns:
        fn()
    times = [[] for _ in fns]
    for _ in range(repeats):
        for fn, out in zip(fns, times, strict=True):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
    return [min(t) for t in times]


def with_thresholds(va: Vacancies, seed: int = 0) -> Vacancies:
    """``va`` with hiring standards per vacancy, uniform in [0.3, 0.7] (mean: the default 0.5)."""
    rng = np.random.default_rng(seed)
    return dataclasses.replace(va, threshold=rng.uniform(0.3, 0.7, va.wage.shape[0]))


def line(name: str, value: str, target: str = "", ratio: str = "") -> None:
    print(f"{name:<46} {value:>14}  {target:<18} {ratio}")


# ----------------------------------------------------------------------------------------------
# Plain-Python reference of search (sparse: scores only the drawn pairs)
# ----------------------------------------------------------------------------------------------


def _mix(z: int) -> int:
    z = (z + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def _hash4(seed: int, stream: int, a: int, b: int) -> int:
    return _mix(_mix(_mix(_mix(seed & M64) ^ stream) ^ a) ^ b)


def python_search(sk: Seekers, va: Vacancies, pa: MatchParams, seed: int) -> list[int]:
    """Straightforward pure-Python implementation of mode 'search' (same RNG and formulas)."""
    skills = sk.skills.tolist()
    req = va.requirements.tolist()
    res, cur = sk.reservation_wage.tolist(), sk.current_quality.tolist()
    wage = va.wage.tolist()
    ln_res, ln_wage = np.log(sk.reservation_wage).tolist(), np.log(va.wage).tolist()
    s_mun, v_mun = sk.municipality.tolist(), va.municipality.tolist()
    s_occ, v_occ = sk.occupation.tolist(), va.occupation.tolist()
    dist = pa.distance.tolist()
    a = pa.skill_weights.tolist()
    need = [sum(a[s] * r[s] for s in range(len(a))) for r in req]
    if va.threshold is None:
        threshold = [pa.acceptance_threshold] * len(req)
    else:
        threshold = va.threshold.tolist()
    t_occ = min(int(pa.own_occupation_share * 2.0**32), 1 << 32)
    t_loc = min(int((pa.own_occupation_share + pa.local_share) * 2.0**32), 1 << 32)
    n, m = len(res), len(wage)
    remaining = va.count.tolist()
    vac = [-1] * n
    for rnd in range(pa.rounds):
        open_all = [v for v in range(m) if remaining[v] > 0]
        if not open_all:
            break
        by_occ: dict[int, list[int]] = {}
        by_mun: dict[int, list[int]] = {}
        for v in open_all:
            by_occ.setdefault(v_occ[v], []).append(v)
            by_mun.setdefault(v_mun[v], []).append(v)
        apps: dict[int, list[tuple[int, float]]] = {}
        for w in range(n):
            if vac[w] >= 0:
                continue
            cands: dict[int, tuple[float, int, float]] = {}
            for d in range(pa.sample_size):
                h = _hash4(seed, 1024 + rnd, w, d)
                low, high = h & 0xFFFFFFFF, h >> 32
                group = open_all
                if low < t_occ:
                    if s_occ[w] >= 0 and s_occ[w] in by_occ:
                        group = by_occ[s_occ[w]]
                elif low < t_loc and s_mun[w] in by_mun:
                    group = by_mun[s_mun[w]]
                v = group[(high * len(group)) >> 32]
                if v in cands or wage[v] < res[w]:
                    continue
                short = 0.0
                for s in range(len(a)):
                    short += a[s] * max(req[v][s] - skills[w][s], 0.0)
                f = 1.0 - short / need[v] if need[v] > 0.0 else 1.0
                u = (
                    pa.wage_weight * (ln_wage[v] - ln_res[w])
                    - pa.commute_cost * dist[s_mun[w]][v_mun[v]]
                    + pa.fit_weight * f
                )
                if f >= threshold[v] and u > cur[w]:
                    cands[v] = (u, _hash4(seed, 2, w, v), f)
            best = sorted(cands, key=lambda v, c=cands: c[v][:2], reverse=True)
            apps[w] = [(v, cands[v][2]) for v in best[: pa.applications]]
        applicants: dict[int, list[tuple[float, int, int]]] = {}
        for w, lst in apps.items():
            for v, f in lst:
                applicants.setdefault(v, []).append((f, _hash4(seed, 1, v, w), w))
        offers = set()
        for v, lst in applicants.items():
            lst.sort(reverse=True)
            offers.update((w, v) for _, _, w in lst[: remaining[v]])
        for w, lst in apps.items():
            for v, _ in lst:
                if (w, v) in offers:
                    vac[w] = v
                    remaining[v] -= 1
                    break
    return vac


# ----------------------------------------------------------------------------------------------
# Memory-bound floor
# ----------------------------------------------------------------------------------------------


@numba.njit(parallel=True, cache=False)
def _gather_floor(req, idx):
    """Touch one cache line of a random requirements row per scored pair."""
    n = idx.shape[0]
    total = 0.0
    for i in numba.prange(n):
        total += req[idx[i], 0]
    return total


def scored_pairs(sk, va, pa, seed) -> int:
    """Exact number of draws scored by 'search' (unmatched seekers × sample_size per round)."""
    total = 0
    for r in range(pa.rounds):
        unmatched = int((match("search", sk, va, dataclasses.replace(pa, rounds=r), seed)
                         .vacancy_of_seeker < 0).sum())  # fmt: skip
        total += unmatched * pa.sample_size
    return total


# ----------------------------------------------------------------------------------------------
# Sections
# ----------------------------------------------------------------------------------------------


def bench_search(n: int, m: int, target_ms: float, repeats: int) -> None:
    sk, va, pa = make_market(n, m)
    va_thr = with_thresholds(va)
    t, t_thr = best_of_each(
        [lambda: match("search", sk, va, pa, 1), lambda: match("search", sk, va_thr, pa, 1)],
        repeats,
    )
    res = match("search", sk, va, pa, 1)
    pairs = scored_pairs(sk, va, pa, 1)
    idx = np.random.default_rng(0).integers(0, m, pairs)
    req = np.ascontiguousarray(va.requirements)
    floor = best_of(lambda: _gather_floor(req, idx), repeats)
    # the packed vacancy row (S requirements, wage, log wage; whole cache lines) plus the
    # group-list entry
    bytes_per_pair = -(-(N_SKILLS + 2) // 8) * 64 + 8
    matched = int((res.vacancy_of_seeker >= 0).sum())
    line(
        f"search {n:,} x {m:,} (ms/call)", f"{t * 1e3:.1f}", f"target <= {target_ms:g}",
        f"ratio to target {t * 1e3 / target_ms:.2f}",
    )  # fmt: skip
    line(
        "  scored pairs / matched", f"{pairs:,}", f"{matched:,} matched",
        f"{t / pairs * 1e9:.1f} ns per scored pair",
    )  # fmt: skip
    line(
        "  floor: 1 random memory access per pair (ms)", f"{floor * 1e3:.1f}",
        f"~{bytes_per_pair} B touched/pair", f"search / floor = {t / floor:.1f}x",
    )  # fmt: skip
    matched_thr = int((match("search", sk, va_thr, pa, 1).vacancy_of_seeker >= 0).sum())
    line(
        "  with Vacancies.threshold, U[0.3, 0.7] (ms)", f"{t_thr * 1e3:.1f}",
        f"{matched_thr:,} matched", f"threshold array / None = {t_thr / t:.3f}",
    )  # fmt: skip


def bench_search_vs_python(n: int, m: int) -> None:
    sk, va, pa = make_market(n, m, seed=3)
    t = best_of(lambda: match("search", sk, va, pa, 5), 3)
    t0 = time.perf_counter()
    ref = python_search(sk, va, pa, 5)
    t_py = time.perf_counter() - t0
    same = ref == match("search", sk, va, pa, 5).vacancy_of_seeker.tolist()
    va_thr = with_thresholds(va)
    same_thr = (
        python_search(sk, va_thr, pa, 5)
        == match("search", sk, va_thr, pa, 5).vacancy_of_seeker.tolist()
    )
    line(
        f"search vs plain Python at {n:,} x {m:,}", f"{t * 1e3:.1f} ms",
        f"python {t_py:.2f} s",
        f"speed-up {t_py / t:.0f}x (target >= 100x), identical={same} "
        f"(with thresholds {same_thr})",
    )  # fmt: skip


def bench_stable(n: int, m: int) -> None:
    sk, va, pa = make_market(n, m, seed=1)
    pa = dataclasses.replace(pa, sample_size=10)
    t = best_of(lambda: match("stable", sk, va, pa, 2), 2)
    prepared = mk._prepare(sk, va, pa)
    t0 = time.perf_counter()
    cand = mk._stable_candidates(prepared, pa, np.uint64(2))
    t_cand = time.perf_counter() - t0
    res = match("stable", sk, va, pa, 2)
    line(
        f"stable {n:,} seekers x 10 candidates (s)", f"{t:.2f}", "target <= 3",
        f"ratio to target {t / 3:.2f}; candidate lists {t_cand:.2f} s, "
        f"mean list {cand[2].mean():.1f}, matched {(res.vacancy_of_seeker >= 0).mean():.1%}",
    )  # fmt: skip


def bench_optimal(size: int) -> None:
    sk, va, pa = make_market(size, size, seed=7)
    va = dataclasses.replace(va, count=np.ones(size, np.int64))
    t = best_of(lambda: match("optimal", sk, va, pa, 0), 1)
    res = match("optimal", sk, va, pa, 0)
    fit = employer_score_matrix(sk, va, pa)
    cost = np.where(acceptable_matrix(sk, va, pa), -fit, 0.0)
    t0 = time.perf_counter()
    r, c = linear_sum_assignment(cost)
    t_sp = time.perf_counter() - t0
    ours, theirs = float(np.nansum(res.fit_of_seeker)), float(-cost[r, c].sum())
    line(
        f"optimal {size:,} x {size:,} (s)", f"{t:.3f}", f"scipy {t_sp:.2f} s",
        f"speed-up {t_sp / t:.1f}x (target >= 10x); objective {ours:.9f} vs {theirs:.9f} "
        f"(rel diff {abs(ours - theirs) / max(1.0, abs(theirs)):.1e})",
    )  # fmt: skip


_COMPILE_SNIPPET = """
import time
t0 = time.perf_counter()
import numpy as np
from ecosim.kernels.matching import MatchParams, Seekers, Vacancies, match
rng = np.random.default_rng(0)
n, m = 50, 20
sk = Seekers(rng.random((n, 3)), rng.integers(0, 2, n), np.full(n, 1.0), np.full(n, -np.inf),
             rng.integers(0, 2, n))
va = Vacancies(rng.random((m, 3)), rng.integers(0, 2, m), np.full(m, 1.0), np.ones(m, np.int64),
               rng.integers(0, 2, m))
pa = MatchParams(np.ones(3), np.zeros((2, 2)))
for mode in ("search", "stable", "optimal"):
    match(mode, sk, va, pa, 0)
print(time.perf_counter() - t0)
"""


def bench_compile() -> None:
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[1] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    with tempfile.TemporaryDirectory() as cache:
        env["NUMBA_CACHE_DIR"] = cache
        times = []
        for _ in range(2):
            out = subprocess.run(
                [sys.executable, "-c", _COMPILE_SNIPPET], env=env, capture_output=True,
                text=True, check=True,
            )  # fmt: skip
            times.append(float(out.stdout.strip().splitlines()[-1]))
    line("cold start: import + 3 modes, empty cache (s)", f"{times[0]:.2f}", "target <= 15",
         f"ratio to target {times[0] / 15:.2f}")  # fmt: skip
    line("warm start: import + 3 modes, warm cache (s)", f"{times[1]:.2f}", "target <= 1",
         f"ratio to target {times[1] / 1:.2f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    args = parser.parse_args()
    print(f"numba {numba.__version__}, threads {numba.get_num_threads()}, "
          f"layer {numba.config.THREADING_LAYER}, cpus {os.cpu_count()}")  # fmt: skip
    print(f"load average at start {os.getloadavg()[0]:.2f} (best of several warm calls; "
          "the machine may be shared, so figures are noisy)")  # fmt: skip
    bench_compile()
    if args.quick:
        bench_search(20_000, 4_000, target_ms=20.0, repeats=3)
        bench_search_vs_python(2_000, 400)
        bench_stable(100_000, 20_000)
        bench_optimal(1_000)
        return
    bench_search(100_000, 20_000, target_ms=100.0, repeats=20)
    bench_search(1_000_000, 200_000, target_ms=1500.0, repeats=3)
    bench_search_vs_python(10_000, 2_000)
    bench_stable(1_000_000, 200_000)
    bench_optimal(5_000)
    print(f"load average at end {os.getloadavg()[0]:.2f}")
    print(f"(peak search memory is O(n·applications); {math.ceil(1e6 * 3 * 33 / 2**20)} MiB "
          "of application buffers at 1M seekers)")  # fmt: skip


if __name__ == "__main__":
    main()
