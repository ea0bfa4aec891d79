"""Benchmark of the kernels' thread policy (``ecosim.kernels._threads``).

numba's parallel regions cost tens of microseconds to start and join, so a parallel kernel on
a small array is slower than the same kernel on one thread. The Python wrappers therefore run
calls whose work (inner-loop operations, e.g. rows x skills) is below
``PARALLEL_MIN_WORK`` on one thread. This benchmark shows where the crossover lies on this
machine and what the policy gives:

a. for each parallel kernel (``shortfall_rows``, ``learn_and_forget``, ``course_values`` and one
   round of the search matching kernel) at several sizes: microseconds per call on one thread,
   on all threads (the policy bypassed), and with the policy; the ratios all/one and policy/best;
b. one run of ``tests/data/tiny.yaml`` (600 workers, 120 months) with and without the policy
   on all threads: the small-model case the policy is for.

Usage::

    .venv/bin/python benchmarks/bench_threads.py

Run with the default number of threads (all cores); the figures are best-of-N medians.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import numba
import numpy as np

from ecosim.kernels import _threads
from ecosim.kernels.learning import learn_and_forget
from ecosim.kernels.matching import MatchParams, Seekers, Vacancies, match
from ecosim.kernels.training import course_values, shortfall_rows

ROOT = Path(__file__).resolve().parents[1]
SIZES = [300, 1_000, 3_000, 10_000, 30_000, 100_000]
N_SKILLS, N_OCC, N_COURSES = 14, 40, 8


@contextmanager
def policy(mode: str):
    """``one``: 1 thread; ``all``: all threads, policy bypassed; ``policy``: as shipped."""
    threads = numba.config.NUMBA_NUM_THREADS
    saved = _threads.PARALLEL_MIN_WORK
    try:
        numba.set_num_threads(1 if mode == "one" else threads)
        _threads.PARALLEL_MIN_WORK = 0 if mode == "all" else saved
        yield
    finally:
        _threads.PARALLEL_MIN_WORK = saved
        numba.set_num_threads(threads)


def per_call(fn: Callable[[], object], budget: float = 0.15) -> float:
    """Median microseconds per call over repeated batches filling about ``budget`` seconds."""
    fn()
    start = time.perf_counter()
    fn()
    once = max(time.perf_counter() - start, 1e-7)
    calls = max(1, int(budget / 5 / once))
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        samples.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(samples)


def kernels(n: int, rng: np.random.Generator) -> dict[str, Callable[[], object]]:
    """One call of each parallel kernel on ``n`` workers (or seekers)."""
    skills = rng.random((n, N_SKILLS))
    rows = np.arange(n)
    occ = rng.integers(0, N_OCC, n)
    req = rng.random((N_OCC, N_SKILLS))
    weights = np.ones(N_SKILLS)
    gains = rng.random((N_COURSES, N_SKILLS)) * 0.3
    m = max(1, n // 5)
    seekers = Seekers(
        skills=skills,
        municipality=rng.integers(0, 5, n),
        reservation_wage=np.full(n, 2000.0),
        current_quality=np.full(n, -np.inf),
        occupation=occ,
    )
    v_occ = rng.integers(0, N_OCC, m)
    vacancies = Vacancies(
        requirements=req[v_occ],
        municipality=rng.integers(0, 5, m),
        wage=rng.uniform(2500.0, 4000.0, m),
        count=np.ones(m, np.int64),
        occupation=v_occ,
    )
    params = MatchParams(
        skill_weights=weights,
        distance=rng.random((5, 5)) * 30,
        acceptance_threshold=0.3,
        rounds=1,
    )
    return {
        "shortfall_rows": lambda: shortfall_rows(skills, rows, occ, req, weights),
        "learn_and_forget": lambda: learn_and_forget(
            skills, rows, occ, occ >= 0, req, 0.01, 0.005, 0.002, 0.8
        ),
        "course_values": lambda: course_values(skills, req[occ], gains, weights),
        "search (1 round)": lambda: match("search", seekers, vacancies, params, 7),
    }


def tiny_run() -> float:
    """Seconds for one run of tiny.yaml over 120 months (warm)."""
    from ecosim.model import RegionModel

    scenario = ROOT / "tests" / "data" / "tiny.yaml"
    RegionModel(scenario, months=12).run()
    times = []
    for seed in range(5):
        start = time.perf_counter()
        RegionModel(scenario, seed=seed, months=120).run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    rng = np.random.default_rng(0)
    threads = numba.config.NUMBA_NUM_THREADS
    print(f"threads: {threads}, PARALLEL_MIN_WORK = {_threads.PARALLEL_MIN_WORK:,}")
    print(f"\n{'kernel':<18}{'n':>8}{'one µs':>10}{'all µs':>10}{'policy µs':>11}", end="")
    print(f"{'all/one':>9}{'policy/best':>13}")
    for n in SIZES:
        for name, fn in kernels(n, rng).items():
            t = {}
            for mode in ("one", "all", "policy"):
                with policy(mode):
                    t[mode] = per_call(fn)
            best = min(t["one"], t["all"])
            print(
                f"{name:<18}{n:>8}{t['one']:>10.1f}{t['all']:>10.1f}{t['policy']:>11.1f}"
                f"{t['all'] / t['one']:>9.2f}{t['policy'] / best:>13.2f}"
            )
    print(f"(threading layer: {numba.threading_layer()})")
    print("\ntiny.yaml, 600 workers x 120 months, one run (median of 5):")
    with policy("all"):
        bypassed = tiny_run()
    with policy("policy"):
        shipped = tiny_run()
    with policy("one"):
        single = tiny_run()
    print(f"  all threads, policy bypassed: {bypassed * 1e3:7.1f} ms")
    print(f"  all threads, with the policy: {shipped * 1e3:7.1f} ms")
    print(f"  one thread:                   {single * 1e3:7.1f} ms")
    print(f"  ratio bypassed / policy: {bypassed / shipped:.2f}x")


if __name__ == "__main__":
    main()
