"""Benchmark of the region at full size: the month in passes over memory, threads, Mesa, cold start.

Measures, for ``rijnmond.yaml`` and ``rijnmond_combined.yaml`` at 1:1 (one agent per person,
about 690,000 workers) and at 1,000,000 agents, each in a fresh process (so its peak RSS is its
own):

a. build time, ms per month at 2 numba threads (median after warm-up steps) and at 1 (wall and
   CPU time, after the run), the time of a whole run (build plus every month of the scenario,
   120, at the default threads) and the peak RSS;
b. "passes over memory": the month's cost divided by the time of one read pass over every
   worker state array (all columns and the skills, the used rows), timed in the same process,
   and the build in such passes;
c. the ratio of months per second against the idiomatic per-agent Mesa reference
   (``mesa_reference.py``) at 10k and 100k agents, core step (learning off) and full step,
   measured in the same run;
d. the cold start: the first month of a small model in a fresh process with an empty numba
   cache (``NUMBA_CACHE_DIR`` a new directory), against the same with the cache warm;
e. where the month of the combined scenario at 1M goes, in passes: every phase and the helpers
   and kernels it calls (``bench_model.phase_breakdown``), each in ms a month and divided by the
   read pass timed in the same process, so a phase's share of the 8-pass budget is measured,
   not guessed.

Targets (issue 17): 1M x 120 months of the combined scenario <= 30 s including build; a month
<= 8 passes; 2 threads >= 1.6x one; build <= 150 passes; peak RSS <= 1 GB at 1M; core >= 100x
and full >= 50x the Mesa reference at 100k; cold start <= 15 s. Every figure is printed with
its target; nothing is asserted and nothing is written to disk.

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/bench_scale.py           # full (~15+ minutes)
    PYTHONPATH=src .venv/bin/python benchmarks/bench_scale.py --quick   # small, a few minutes
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numba
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_model import CORE_STEP, loadavg, phase_breakdown, size_overrides, time_steps
from mesa_reference import MesaReferenceModel

from ecosim import RegionModel
from ecosim.world import memory_estimate

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ("rijnmond.yaml", "rijnmond_combined.yaml")
FULL_SIZE = "1:1"
TARGETS = {
    "total_s": 30.0,  # 1M x 120 months of the combined scenario, build included
    "passes_month": 8.0,
    "threads": 1.6,
    "passes_build": 150.0,
    "rss_gb": 1.0,
    "core": 100.0,
    "full": 50.0,
    "cold_s": 15.0,
}


def world_overrides(scenario: Path, size: str | int) -> dict[str, Any]:
    """Overrides that build ``scenario`` at ``size``: ``"1:1"`` (one agent per person) or agents.

    The region stays as the scenario describes it; only the resolution changes (``"1:1"`` is
    ``resolution: 1``; a number of agents is ``persons / agents`` persons per agent).
    """
    if size == FULL_SIZE:
        return {"resolution": 1.0}
    return size_overrides(scenario, int(size))


@numba.njit(cache=True, parallel=True)
def _read(words):
    acc = np.uint64(0)
    for i in numba.prange(words.shape[0]):
        acc += words[i]  # wraps: only the reading matters
    return acc


def read_pass_seconds(model: RegionModel, repeats: int = 5) -> tuple[float, int]:
    """Best time of one read of every worker array (used rows), and the bytes read."""
    w = model.workers
    arrays = [w.view(name) for name in w.columns] + [w.view("skills")]
    words = []
    for a in arrays:
        raw = np.ascontiguousarray(a).view(np.uint8).ravel()
        raw = raw[: raw.size - raw.size % 8]  # the tail of a few bytes is left unread
        words.append(raw.view(np.uint64))
    nbytes = sum(x.nbytes for x in words)
    for x in words:
        _read(x)  # compile, and fault the pages in
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        for x in words:
            _read(x)
        best = min(best, time.perf_counter() - t0)
    return best, nbytes


# --------------------------------------------------------------------------------- children


def child_scale(scenario: str, size: str, months: int, bench_months: int) -> dict[str, Any]:
    """One scenario at one size in this (fresh) process: build, months, passes, RSS."""
    path = ROOT / "scenarios" / scenario
    threads = numba.get_num_threads()
    t0 = time.perf_counter()
    model = RegionModel(path, **world_overrides(path, size))
    build = time.perf_counter() - t0
    n = int(np.count_nonzero(model.workers.present()))
    t0 = time.perf_counter()
    for _ in range(3):  # warm-up (numba cache loads, first-touch of pages)
        model.step()
    timed = time_steps(model, bench_months)
    time_steps(model, max(months - 3 - bench_months, 0))
    run = time.perf_counter() - t0
    per_threads = {threads: timed}
    cpu = []
    if threads > 1:  # after the run, so the run is at the default threads throughout
        numba.set_num_threads(1)
        for _ in range(bench_months):
            c0 = time.process_time()
            per_threads[1] = [*per_threads.get(1, []), time_steps(model, 1)[0]]
            cpu.append(time.process_time() - c0)
        numba.set_num_threads(threads)
    read, nbytes = read_pass_seconds(model)
    month = statistics.median(per_threads[threads])
    return {
        "scenario": scenario,
        "size": size,
        "workers": n,
        "employers": int(model.employers.n),
        "build_s": build,
        "ms_month": {str(t): 1e3 * statistics.median(v) for t, v in per_threads.items()},
        "total_s": build + run,
        "months": max(months, 3 + bench_months),
        "cpu_ms_month_1t": 1e3 * statistics.median(cpu) if cpu else float("nan"),
        "rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
        "estimate_gb": memory_estimate(model.config) / 2**30,
        "pass_ms": 1e3 * read,
        "state_mb": nbytes / 2**20,
        "passes_month": month / read,
        "passes_build": build / read,
        "threads": threads,
    }


def child_phases(scenario: str, size: str, bench_months: int) -> dict[str, Any]:
    """Where a month goes at ``size``: each phase row's ms a month and its passes."""
    path = ROOT / "scenarios" / scenario
    model = RegionModel(path, **world_overrides(path, size))
    for _ in range(3):  # warm-up, as in child_scale
        model.step()
    read, _ = read_pass_seconds(model)
    rows, timer = phase_breakdown(model, bench_months)
    months = timer.calls["(step total)"]
    out = []
    for label, depth in [*rows, ("(step total)", 0)]:
        ms = 1e3 * timer.seconds.get(label, 0.0) / months
        out.append({"label": label, "depth": depth, "ms": ms, "passes": ms / (1e3 * read)})
    return {"pass_ms": 1e3 * read, "rows": out}


def child_cold(months: int) -> dict[str, Any]:
    """Import, build a small model and run ``months`` months; the wall time from the start."""
    t0, c0 = time.perf_counter(), time.process_time()
    model = RegionModel(ROOT / "tests" / "data" / "tiny.yaml")
    model.run(months)
    return {"seconds": time.perf_counter() - t0, "cpu_s": time.process_time() - c0}


def spawn(kind: str, args: dict[str, Any], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a child measurement in a fresh interpreter; its JSON result."""
    cmd = [sys.executable, __file__, "--child", kind, json.dumps(args)]
    out = subprocess.run(
        cmd, capture_output=True, text=True, check=True, env={**os.environ, **(env or {})}
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------- Mesa


def mesa_ratios(size: int, ref_months: int, bench_months: int) -> dict[str, float]:
    """Months per second of the core and the full step over the Mesa reference, at ``size``."""
    path = ROOT / "scenarios" / "rijnmond.yaml"
    fast = RegionModel(path, **size_overrides(path, size))
    ref = MesaReferenceModel.from_region_model(fast)
    del fast
    ref_s = statistics.median(time_steps(ref, ref_months))
    del ref
    out = {"ref_ms": 1e3 * ref_s}
    for label, extra in (("core", CORE_STEP), ("full", {})):
        model = RegionModel(path, **size_overrides(path, size), **extra)
        time_steps(model, 2)
        s = statistics.median(time_steps(model, bench_months))
        out[f"{label}_ms"] = 1e3 * s
        out[label] = ref_s / s
    return out


# --------------------------------------------------------------------------------- main


def _verdict(value: float, target: float, at_most: bool) -> str:
    ok = value <= target if at_most else value >= target
    return f"{'met' if ok else 'NOT met'} ({'<=' if at_most else '>='} {target:g})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and few months")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, spec = args.child[0], json.loads(args.child[1])
        children = {"scale": child_scale, "phases": child_phases, "cold": child_cold}
        result = children[kind](**spec)
        print(json.dumps(result))
        return 0

    if args.quick:
        sizes, months, bench, mesa_sizes, ref_months = [30_000, 100_000], 12, 3, [2_000], 1
    else:
        sizes, months, bench, mesa_sizes, ref_months = (
            [FULL_SIZE, 1_000_000],
            120,
            6,
            [
                10_000,
                100_000,
            ],
            2,
        )
    print(
        f"python {sys.version.split()[0]}, numpy {np.__version__}, numba {numba.__version__} "
        f"({numba.get_num_threads()} threads), load average {loadavg()}"
    )

    # (a, b) scenarios at size, each in a fresh process
    print("\n(a, b) scenario, size: build, ms/month by threads, whole run, RSS, passes")
    rows = []
    for scenario in SCENARIOS:
        for size in sizes:
            spec = {"scenario": scenario, "size": size, "months": months, "bench_months": bench}
            r = spawn("scale", spec)
            rows.append(r)
            ms = r["ms_month"]
            speedup = ms["1"] / ms[str(r["threads"])] if str(r["threads"]) != "1" else 1.0
            print(
                f"  {scenario} {size} ({r['workers']:,} workers, {r['employers']:,} employers): "
                f"build {r['build_s']:.2f} s; month "
                + ", ".join(f"{v:.1f} ms at {t}T" for t, v in ms.items())
                + f" (CPU {r['cpu_ms_month_1t']:.1f} ms at 1T; 2T/1T speed-up {speedup:.2f}x: "
                f"{_verdict(speedup, TARGETS['threads'], False)}"
                f"); {r['months']} months + build {r['total_s']:.1f} s; peak RSS "
                f"{r['rss_gb']:.2f} GB (estimated before the build {r['estimate_gb']:.2f}); "
                f"one read pass {r['pass_ms']:.2f} ms over "
                f"{r['state_mb']:.0f} MB: month {r['passes_month']:.1f} passes "
                f"({_verdict(r['passes_month'], TARGETS['passes_month'], True)}), build "
                f"{r['passes_build']:.0f} passes "
                f"({_verdict(r['passes_build'], TARGETS['passes_build'], True)})"
            )
    target_row = [r for r in rows if r["scenario"] == SCENARIOS[1] and r["size"] == 1_000_000]
    for r in target_row:
        print(
            f"  target: 1M x 120 months of {SCENARIOS[1]} incl. build {r['total_s']:.1f} s "
            f"{_verdict(r['total_s'], TARGETS['total_s'], True)}; RSS {r['rss_gb']:.2f} GB "
            f"{_verdict(r['rss_gb'], TARGETS['rss_gb'], True)}"
        )

    # (c) Mesa reference
    print("\n(c) RegionModel over the per-agent Mesa reference (rijnmond.yaml, same run)")
    for size in mesa_sizes:
        m = mesa_ratios(size, ref_months, bench)
        core, full = (_verdict(m[k], TARGETS[k], False) for k in ("core", "full"))
        print(
            f"  {size:,} agents: reference {m['ref_ms']:.0f} ms/month; core step "
            f"{m['core_ms']:.1f} ms = {m['core']:.1f}x ({core} at 100k); full step "
            f"{m['full_ms']:.1f} ms = {m['full']:.1f}x ({full} at 100k)"
        )

    # (d) cold start
    with tempfile.TemporaryDirectory() as cache:
        cold = spawn("cold", {"months": 1}, {"NUMBA_CACHE_DIR": cache})
        warm = spawn("cold", {"months": 1}, {"NUMBA_CACHE_DIR": cache})
    print(
        f"\n(d) cold start (build + 1 month of tests/data/tiny.yaml, empty numba cache): "
        f"{cold['seconds']:.1f} s {_verdict(cold['seconds'], TARGETS['cold_s'], True)} "
        f"(CPU {cold['cpu_s']:.1f} s); with the cache warm {warm['seconds']:.1f} s"
    )
    # (e) the month in passes, phase by phase
    size = sizes[-1]
    ph = spawn("phases", {"scenario": SCENARIOS[1], "size": size, "bench_months": bench})
    print(
        f"\n(e) where a month of {SCENARIOS[1]} at {size} goes (one read pass "
        f"{ph['pass_ms']:.2f} ms; rows of 0.5 passes or more; indented rows are in the row above)"
    )
    for row in ph["rows"]:
        if row["passes"] >= 0.5 or row["label"] == "(step total)":
            indent = "    " * (1 + row["depth"])
            print(f"{indent}{row['label']:<{56 - 4 * row['depth']}} {row['ms']:8.1f} ms "
                  f"{row['passes']:6.1f} passes")  # fmt: skip
    print(f"\nload average at the end: {loadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
