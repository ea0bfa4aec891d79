"""Benchmark of sweep throughput: ``ecosim.sweep`` against ``mesa.batch_run``.

The same runs (a grid of separation rates x seeds on a small scenario) are executed by:

a. ``ecosim.sweep.run_sweep`` with the ``processes`` backend on 1 and 2 workers;
b. ``mesa.batch_run(ecosim.RegionModel, ...)`` with ``number_processes`` 1 and 2, as Mesa users
   write it (scenario path and dotted overrides as parameters);
c. for transparency, ``mesa.batch_run`` again with numba limited to one thread per process,
   which is one of the two things the sweep engine does differently (the other is reusing the
   parsed base scenario and sending runs in chunks to long-lived workers).

Each figure is the wall time of a fresh interpreter from before ``import ecosim`` to the last
result, including starting worker processes and loading the numba kernels in them: what a user
waits for. Runs per minute and the
ratios sweep / batch_run at the same number of workers and sweep(2) / sweep(1) are printed.
Targets: >= 2x batch_run; near-linear speed-up from 1 to 2 workers.

Usage::

    .venv/bin/python benchmarks/bench_sweep.py            # 48 runs of 24 months
    .venv/bin/python benchmarks/bench_sweep.py --quick    # 16 runs of 12 months

Results are written to a temporary folder and removed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "tests" / "data" / "tiny.yaml"
TARGET_RATIO = 2.0


def sweep_spec(rates: list[float], seeds: int, months: int) -> dict:
    """The benchmark sweep: a grid of separation rates, ``seeds`` seeds each."""
    return {
        "name": "bench",
        "base": str(SCENARIO),
        "set": {"months": months},
        "parameters": {"behaviour.separation_rate": {"values": rates}},
        "replications": seeds,
        "seed": 0,
        "outputs": {"window": 12, "summaries": ["unemployment_rate"]},
    }


def time_sweep(rates: list[float], seeds: int, months: int, workers: int) -> float:
    """Seconds for run_sweep (processes backend) in a fresh interpreter, imports included."""
    out = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    spec = sweep_spec(rates, seeds, months)
    code = f"""
import time

if __name__ == "__main__":
    start = time.perf_counter()
    from ecosim.sweep import run_sweep, sweep_from_dict

    summary = run_sweep(
        sweep_from_dict({spec!r}), {str(out / "sweep")!r}, backend="processes",
        workers={workers}, progress=False,
    )
    assert summary.done == {len(rates) * seeds}, summary
    print(time.perf_counter() - start)
"""
    try:
        return _time_script(code, {})
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _time_script(code: str, env_extra: dict[str, str]) -> float:
    """Run a script in a fresh interpreter; it prints its own wall time last."""
    script = Path(tempfile.mkdtemp(prefix="bench-script-")) / "bench.py"
    script.write_text(code)
    try:
        done = subprocess.run(
            [sys.executable, str(script)],
            env={**os.environ, **env_extra},
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        shutil.rmtree(script.parent, ignore_errors=True)
    return float(done.stdout.strip().splitlines()[-1])


def time_batch_run(
    rates: list[float], seeds: int, months: int, processes: int, one_thread: bool
) -> float:
    """Seconds for mesa.batch_run in a fresh interpreter, imports included."""
    code = f"""
import time

if __name__ == "__main__":
    start = time.perf_counter()
    import warnings

    import mesa

    import ecosim

    warnings.simplefilter("ignore")
    rows = mesa.batch_run(
        ecosim.RegionModel,
        parameters={{"scenario": {str(SCENARIO)!r}, "behaviour.separation_rate": {rates!r}}},
        rng=list(range({seeds})),
        max_steps={months},
        number_processes={processes},
        data_collection_period=-1,
        display_progress=False,
    )
    assert len(rows) == {len(rates) * seeds}
    print(time.perf_counter() - start)
"""
    return _time_script(code, {"NUMBA_NUM_THREADS": "1"} if one_thread else {})


def main() -> None:
    """Measure and print runs per minute and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="16 runs of 12 months")
    parser.add_argument("--seeds", type=int, default=None, help="seeds per separation rate")
    parser.add_argument("--months", type=int, default=None)
    args = parser.parse_args()
    rates = [0.005, 0.01, 0.015, 0.02]
    seeds = args.seeds or (4 if args.quick else 12)
    months = args.months or (12 if args.quick else 24)
    n = len(rates) * seeds
    print(f"{n} runs of {SCENARIO.name} ({months} months); wall time incl. worker start-up")
    print(f"machine: {os.cpu_count()} logical CPUs, load {os.getloadavg()[0]:.2f}")

    rows: list[tuple[str, float]] = []
    for label, fn in (
        ("ecosim sweep, 1 worker", lambda: time_sweep(rates, seeds, months, 1)),
        ("ecosim sweep, 2 workers", lambda: time_sweep(rates, seeds, months, 2)),
        ("mesa.batch_run, 1 process", lambda: time_batch_run(rates, seeds, months, 1, False)),
        ("mesa.batch_run, 2 processes", lambda: time_batch_run(rates, seeds, months, 2, False)),
        (
            "mesa.batch_run, 1 process, 1 numba thread",
            lambda: time_batch_run(rates, seeds, months, 1, True),
        ),
        (
            "mesa.batch_run, 2 processes, 1 numba thread",
            lambda: time_batch_run(rates, seeds, months, 2, True),
        ),
    ):
        seconds = fn()
        rows.append((label, seconds))
        print(f"  {label:<44} {seconds:7.1f} s  {n / seconds * 60:7.0f} runs/min", flush=True)
    t = dict(rows)
    s1, s2 = t["ecosim sweep, 1 worker"], t["ecosim sweep, 2 workers"]
    b1, b2 = t["mesa.batch_run, 1 process"], t["mesa.batch_run, 2 processes"]
    b1t = t["mesa.batch_run, 1 process, 1 numba thread"]
    b2t = t["mesa.batch_run, 2 processes, 1 numba thread"]
    print("ratios (throughput):")
    ok1, ok2 = b1 / s1 >= TARGET_RATIO, b2 / s2 >= TARGET_RATIO
    print(f"  sweep / batch_run at 1 worker:  {b1 / s1:5.2f}x  (target >= 2x: {_ok(ok1)})")
    print(f"  sweep / batch_run at 2 workers: {b2 / s2:5.2f}x  (target >= 2x: {_ok(ok2)})")
    print(
        f"  sweep / batch_run with 1 numba thread: 1 worker {b1t / s1:5.2f}x, 2 workers "
        f"{b2t / s2:5.2f}x"
    )
    print(f"  sweep speed-up 1 -> 2 workers:  {s1 / s2:5.2f}x  (linear: 2x)")


def _ok(flag: bool) -> str:
    return "met" if flag else "NOT met"


if __name__ == "__main__":
    main()
