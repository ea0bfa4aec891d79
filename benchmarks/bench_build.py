"""Benchmark of building a RegionModel: time, peak memory and where the time goes.

Each size is built in a fresh process (so its peak RSS is its own), after a small warm-up build
that loads the numba caches. The build is ``RegionModel(scenario, burn_in=0)``: the world, the
agents, the month-0 indicators; the burn-in's months are months (``bench_model.py``). Reported
per size:

a. build time (wall and CPU), and the wall time divided by the time of one read pass over all
   worker state arrays (every column's used rows and the skills, summed) measured in the same
   process: "passes over memory", the issue's unit (target at 1M: <= 150 passes);
b. peak RSS of the process (target at 1M: <= 1 GB) and its growth over the warm-up's;
c. the ``Worker`` objects alive after the build (lazy agents: 0), and then the time and memory
   of materialising every worker agent by iterating ``model.agents_by_type[Worker]`` (what an
   eager build pays up front), as a ratio to the build;
d. with ``--profile``, the functions with the largest own time in a profiled build (cProfile),
   as shares of its total.

The world is sized through the resolution, as in ``bench_model.py`` (``size_overrides``).

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/bench_build.py                 # 100k and 1M
    PYTHONPATH=src .venv/bin/python benchmarks/bench_build.py --quick         # 10k and 100k
    PYTHONPATH=src .venv/bin/python benchmarks/bench_build.py --profile --sizes 1000000

Nothing is written to disk.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import pstats
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_model import loadavg

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SCENARIO = ROOT / "scenarios" / "rijnmond.yaml"
TARGET_PASSES = 150.0
TARGET_RSS_MB = 1024.0


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def read_pass_seconds(model: Any, repeats: int = 7) -> tuple[float, int]:
    """Best time of one read of every worker array (used rows), and the bytes read."""
    w = model.workers
    arrays = [w.view(name) for name in w.columns] + [w.view("skills")]
    nbytes = sum(a.nbytes for a in arrays)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for a in arrays:
            a.sum()
        best = min(best, time.perf_counter() - t0)
    return best, nbytes


def _count_workers() -> int:
    from ecosim.agents import Worker

    return sum(isinstance(o, Worker) for o in gc.get_objects())


def child(scenario: Path, size: int, profile: bool, top: int) -> dict[str, Any]:
    """Build one model in this process and measure it (see the module docstring)."""
    from bench_model import size_overrides

    from ecosim import RegionModel
    from ecosim.agents import Worker

    RegionModel(scenario, burn_in=0, **size_overrides(scenario, 2_000))  # numba caches
    gc.collect()
    rss_before = _peak_rss_mb()
    overrides = size_overrides(scenario, size)
    profiler = cProfile.Profile() if profile else None
    t0, c0 = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    model = RegionModel(scenario, burn_in=0, **overrides)
    if profiler is not None:
        profiler.disable()
    t_build, c_build = time.perf_counter() - t0, time.process_time() - c0
    rss_peak = _peak_rss_mb()
    t_pass, nbytes = read_pass_seconds(model)
    out: dict[str, Any] = {
        "size": size,
        "workers": int(np.count_nonzero(model.workers.present())),
        "employers": int(model.employers.n),
        "build_s": t_build,
        "build_cpu_s": c_build,
        "pass_s": t_pass,
        "pass_mb": nbytes / 1e6,
        "rss_before_mb": rss_before,
        "rss_peak_mb": rss_peak,
        "worker_objects": _count_workers(),
    }
    t0 = time.perf_counter()
    every = list(model.agents_by_type[Worker])
    out["materialise_s"] = time.perf_counter() - t0
    out["rss_materialised_mb"] = _peak_rss_mb()
    del every
    if profiler is not None:
        stats = pstats.Stats(profiler)
        total = sum(v[2] for v in stats.stats.values())  # own times add up to the total
        rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]
        out["profile"] = [
            {
                "function": f"{Path(f).name}:{line}({name})",
                "calls": v[1],
                "own_s": v[2],
                "own_share": v[2] / total,
                "cum_share": v[3] / total,
            }
            for (f, line, name), v in rows
        ]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO)
    parser.add_argument("--sizes", type=int, nargs="+", default=None)
    parser.add_argument("--quick", action="store_true", help="10k and 100k")
    parser.add_argument("--profile", action="store_true", help="cProfile each build")
    parser.add_argument("--top", type=int, default=12, help="profile rows to print")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.scenario, args.child, args.profile, args.top)))
        return 0
    sizes = args.sizes or ([10_000, 100_000] if args.quick else [100_000, 1_000_000])
    results = []
    for size in sizes:
        cmd = [sys.executable, __file__, "--child", str(size), "--scenario", str(args.scenario)]
        cmd += ["--profile", "--top", str(args.top)] if args.profile else []
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"scenario: {args.scenario} (burn_in=0), load average {loadavg()}")
    header = (
        f"{'size':>10} {'workers':>10} {'build s':>8} {'cpu s':>6} {'pass ms':>8} {'pass MB':>8} "
        f"{'passes':>7} {'/target':>7} {'peak MB':>8} {'/1 GB':>6} {'+MB':>6} {'Worker objs':>11} "
        f"{'all agents s':>12} {'/build':>6} {'+MB':>6}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        passes = r["build_s"] / r["pass_s"]
        print(
            f"{r['size']:>10,} {r['workers']:>10,} {r['build_s']:>8.2f} {r['build_cpu_s']:>6.2f} "
            f"{1e3 * r['pass_s']:>8.2f} {r['pass_mb']:>8.0f} {passes:>7.0f} "
            f"{passes / TARGET_PASSES:>7.2f} {r['rss_peak_mb']:>8.0f} "
            f"{r['rss_peak_mb'] / TARGET_RSS_MB:>6.2f} "
            f"{r['rss_peak_mb'] - r['rss_before_mb']:>6.0f} {r['worker_objects']:>11,} "
            f"{r['materialise_s']:>12.2f} {r['materialise_s'] / r['build_s']:>6.2f} "
            f"{r['rss_materialised_mb'] - r['rss_peak_mb']:>6.0f}"
        )
    print(
        "cpu s = the build's CPU time (steadier than wall time on a loaded machine); "
        "passes = build / one read pass over all worker arrays (same process; target "
        f"<= {TARGET_PASSES:.0f} at 1M); peak MB / 1 GB target; +MB over the warm-up; all agents "
        "= materialising every worker agent after the build, and the memory it adds"
    )
    for r in results:
        for row in r.get("profile", []):
            if row is r["profile"][0]:
                print(f"\ncProfile of the build at {r['size']:,} (own time, share of total)")
                print(f"{'function':<60} {'calls':>9} {'own s':>7} {'own %':>6} {'cum %':>6}")
            print(
                f"{row['function'][:60]:<60} {row['calls']:>9,} {row['own_s']:>7.2f} "
                f"{100 * row['own_share']:>6.1f} {100 * row['cum_share']:>6.1f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
