"""Benchmark: what recording the indicator tables costs, relative to the run.

On the rijnmond scenario (or ``--scenario``) at 100k worker agents (the resolution set as in
``bench_model.py``), after ``--warmup`` months:

a. month steps alternate between the model with its default recorders (breakdowns, skill gaps,
   inclusiveness, unemployment duration) and the same model with ``model.recorders = []``;
   the Mesa DataCollector (model-level indicators) is on in both. Alternating on one model
   makes both arms see the same state and the same machine load (shared cores are noisy);
   the mean step times and their ratio are printed (target overhead < 10%);
b. the recorders' own ``record`` calls are timed directly (wrapped), which is the less noisy
   figure of their share of the step time, per recorder;
c. the end-of-run costs, paid once: derived tables (``Results.from_model``), writing the
   Parquet tables and rendering the figures.

With ``--kernels`` it times instead the recording kernels alone (``worker_sums``,
``group_sums``, ``cell_sums``) on one month-end snapshot, on one thread and on all of numba's,
alternating (e.g. ``--kernels --size 1000000``: about 1 GB and half a minute to build).

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/bench_recording.py            # 100k, 24 months
    PYTHONPATH=src .venv/bin/python benchmarks/bench_recording.py --quick    # 20k, 8 months
    PYTHONPATH=src .venv/bin/python benchmarks/bench_recording.py --kernels  # kernels alone

Nothing is kept on disk (figures and tables go to a temporary folder).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numba
import numpy as np

from ecosim import RegionModel
from ecosim.kernels.recording import cell_sums, group_sums, worker_sums
from ecosim.metrics import default_recorders
from ecosim.metrics.formulas import DEFAULT_AGE_EDGES
from ecosim.plots import save_figures
from ecosim.results import Results
from ecosim.state import Status

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_model import DEFAULT_SCENARIO, size_overrides

TARGET_OVERHEAD = 0.10


def timed_recorders(recorders: list[Any], seconds: dict[str, float]) -> list[Any]:
    """Wrap each recorder's ``record`` on the instance to accumulate its wall time."""
    for rec in recorders:
        name = type(rec).__name__
        inner = rec.record

        def record(snapshot: Any, _inner: Any = inner, _name: str = name) -> None:
            t0 = time.perf_counter()
            _inner(snapshot)
            seconds[_name] += time.perf_counter() - t0

        rec.record = record
    return recorders


def time_kernels(model: RegionModel, months: int, repeats: int = 15) -> None:
    """Median time of each recording kernel on the snapshot after ``months`` months, on one
    thread and on all of numba's, alternating so that both see the same machine load."""
    for _ in range(months):
        model.step()
    snap = model.snapshot()
    employed, unemployed = int(Status.EMPLOYED), int(Status.UNEMPLOYED)
    n_regions = len(snap.region_names)
    edges = np.asarray(DEFAULT_AGE_EDGES, dtype=np.float64)

    def incumbents() -> Any:
        return worker_sums(
            snap.status, snap.occupation, snap.employer, snap.region, snap.skills,
            snap.requirements, snap.skill_weights, snap.headcount.shape[0], n_regions, employed,
            unemployed,
        )  # fmt: skip

    inc = incumbents()
    kernels = {  # group_sums: this month's statuses stand in for last month's, at the same cost
        "worker_sums": incumbents,
        "group_sums": lambda: group_sums(
            snap.status, snap.status, snap.education, snap.age, edges, snap.region,
            snap.unemployment_months, inc.shortfall, 12, len(snap.education_names), n_regions,
            employed, unemployed,
        ),
        "cell_sums": lambda: cell_sums(
            snap.headcount, snap.target, snap.openings, snap.hires_by_cell, snap.employer_sector,
            snap.employer_region, len(snap.sector_names), n_regions,
        ),
    }  # fmt: skip
    threads = sorted({1, numba.get_num_threads()})
    seconds: dict[tuple[str, int], list[float]] = defaultdict(list)
    for kernel in kernels.values():
        kernel()
    before = numba.get_num_threads()
    try:
        for _ in range(repeats):
            for n in threads:
                numba.set_num_threads(n)
                for name, kernel in kernels.items():
                    t0 = time.perf_counter()
                    kernel()
                    seconds[name, n].append(time.perf_counter() - t0)
    finally:
        numba.set_num_threads(before)
    print(f"\nrecording kernels on month {snap.month}'s snapshot ({snap.status.size:,} rows, "
          f"{snap.headcount.size:,} employer x occupation cells), median of {repeats}")  # fmt: skip
    for name in kernels:
        cells = [
            f"{n} thread(s) {1e3 * statistics.median(seconds[name, n]):7.2f} ms" for n in threads
        ]
        print(f"  {name:12s} " + "   ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO)
    parser.add_argument("--size", type=int, default=100_000, help="worker agents")
    parser.add_argument("--months", type=int, default=24, help="timed months per arm")
    parser.add_argument("--warmup", type=int, default=3, help="untimed months first")
    parser.add_argument("--quick", action="store_true", help="20k workers, 8 months per arm")
    parser.add_argument("--kernels", action="store_true", help="time the kernels alone")
    args = parser.parse_args()
    if args.quick:
        args.size, args.months = 20_000, 8

    t0 = time.perf_counter()
    model = RegionModel(args.scenario, **size_overrides(args.scenario, args.size))
    print(f"built {args.size:,} worker agents in {time.perf_counter() - t0:.1f} s")
    if args.kernels:
        model.recorders = []
        time_kernels(model, args.warmup)
        return
    record_seconds: dict[str, float] = defaultdict(float)
    recorders = timed_recorders(default_recorders(), record_seconds)
    model.recorders = recorders
    for _ in range(args.warmup):
        model.step()
    record_seconds.clear()

    with_rec: list[float] = []
    without: list[float] = []
    for month in range(2 * args.months):
        on = month % 2 == 0
        model.recorders = recorders if on else []
        t0 = time.perf_counter()
        model.step()
        (with_rec if on else without).append(time.perf_counter() - t0)
    model.recorders = recorders

    mean_on, mean_off = statistics.fmean(with_rec), statistics.fmean(without)
    med_on, med_off = statistics.median(with_rec), statistics.median(without)
    direct = sum(record_seconds.values())
    print(f"\nstep time over {args.months} months per arm (DataCollector on in both)")
    print(f"  with default recorders  mean {1e3 * mean_on:8.1f} ms   median {1e3 * med_on:8.1f} ms")
    print(
        f"  without recorders       mean {1e3 * mean_off:8.1f} ms   median {1e3 * med_off:8.1f} ms"
    )
    ratio = mean_on / mean_off
    print(f"  ratio with/without (mean) {ratio:.3f}  -> overhead {ratio - 1:+.1%}")
    print(f"  ratio with/without (median) {med_on / med_off:.3f}")
    share = direct / sum(with_rec)
    verdict = "meets" if share < TARGET_OVERHEAD else "MISSES"
    print(
        f"\nrecorders' own time (timed directly): {1e3 * direct / args.months:.1f} ms per month "
        f"= {share:.1%} of the step time ({verdict} the < {TARGET_OVERHEAD:.0%} target)"
    )
    for name, seconds in sorted(record_seconds.items(), key=lambda kv: -kv[1]):
        print(f"  {name:24s} {1e3 * seconds / args.months:7.2f} ms per month")

    t0 = time.perf_counter()
    results = Results.from_model(model)
    t_derive = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        results.save(Path(tmp) / "res", figures=False)
        t_save = time.perf_counter() - t0
        t0 = time.perf_counter()
        n_figures = len(save_figures(results, Path(tmp) / "figures"))
        t_figures = time.perf_counter() - t0
    months_run = model.month
    print(f"\nend of run ({months_run} months recorded), paid once")
    print(f"  derived tables (Results.from_model)  {t_derive:6.2f} s")
    print(f"  write Parquet tables + provenance    {t_save:6.2f} s")
    print(f"  render {n_figures} figures                   {t_figures:6.2f} s")
    rows = sum(len(t) for t in results.tables.values())
    print(f"  {len(results.tables)} tables, {rows:,} rows in all")


if __name__ == "__main__":
    main()
