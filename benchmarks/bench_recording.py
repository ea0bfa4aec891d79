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

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/bench_recording.py            # 100k, 24 months
    PYTHONPATH=src .venv/bin/python benchmarks/bench_recording.py --quick    # 20k, 8 months

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

from ecosim import RegionModel
from ecosim.metrics import default_recorders
from ecosim.plots import save_figures
from ecosim.results import Results

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO)
    parser.add_argument("--size", type=int, default=100_000, help="worker agents")
    parser.add_argument("--months", type=int, default=24, help="timed months per arm")
    parser.add_argument("--warmup", type=int, default=3, help="untimed months first")
    parser.add_argument("--quick", action="store_true", help="20k workers, 8 months per arm")
    args = parser.parse_args()
    if args.quick:
        args.size, args.months = 20_000, 8

    t0 = time.perf_counter()
    model = RegionModel(args.scenario, **size_overrides(args.scenario, args.size))
    print(f"built {args.size:,} worker agents in {time.perf_counter() - t0:.1f} s")
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
