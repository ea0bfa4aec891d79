"""Benchmark of sweep throughput: ``ecosim.sweep`` against ``mesa.batch_run``.

A sweep of a small scenario: ``tests/data/tiny.yaml`` (600 worker agents, 20 employers, 3
municipalities) over 120 months, four separation rates x 16 seeds = 64 runs (``--quick``: 16
runs of 24 months). The same runs are executed by:

a. ``ecosim.sweep.run_sweep`` with the ``processes`` backend on 1 and 2 workers, keeping the
   mean unemployment rate of the last 12 months of each run (written to Parquet);
b. ``mesa.batch_run(ecosim.RegionModel, ...)`` with ``number_processes`` 1 and 2, as Mesa users
   write it (the scenario path and a dotted override as parameters, ``rng`` a list of seeds,
   ``data_collection_period=-1``: the last month's indicators, returned in memory);
c. for transparency, ``mesa.batch_run`` again with numba limited to one thread per process
   (``NUMBA_NUM_THREADS=1``), as the sweep's workers are.

Each figure is the wall time of a fresh interpreter from before the first import to the last
result: imports, starting worker processes and loading the numba kernels in them included, which
is what a user waits for. Before every timed line an untimed interpreter runs the model for a
month, so that the numba cache is current and neither side compiles (the kernels' source may
change between lines on a shared development machine). Runs per minute and the ratios sweep /
batch_run at the same number of workers and sweep(2) / sweep(1) are printed; with ``--repeat N``
each line is the best of N. Targets: >= 2x batch_run; near-linear speed-up from 1 to 2 workers.

What the two sides do differently (both run the same simulation; results agree):

- **Scenario.** batch_run builds each model from the YAML path, so every run reads, parses and
  validates the file (about 15 ms); the sweep validates the base scenario once and each run
  validates the base data with its overrides applied (under 1 ms).
- **Recording.** A ``RegionModel`` records, every month, the breakdown tables (by sector,
  occupation and region, skill gaps, inclusiveness, durations) and deep copies of all indicators
  in Mesa's ``DataCollector``; batch_run keeps the model as it is. The sweep's runs compute and
  record only the indicators the sweep keeps (``RegionModel(..., record=[...])``, through
  ``ecosim.sweep.run_outputs``), about a fifth of a small run's time.
- **Threads.** numba's parallel kernels may use every core, so batch_run's processes can compete
  for the cores; the sweep's workers use one thread each (line c shows batch_run so). Kernel
  calls on small arrays run on one thread anyway (``ecosim.kernels._threads``), so at this size
  the two differ little.
- **Workers.** The sweep starts its workers when the sweep starts and each warms up (imports the
  model, loads its kernels) while the parent prepares the output folder; it sends runs in chunks
  that shrink toward the end. batch_run's pool starts after its parent has imported Mesa and
  ecosim and sends runs one by one; with one process it runs in the parent (no worker start-up).
- **Output.** The sweep writes Parquet files (runs, design, manifest) as chunks complete;
  batch_run returns a list of dicts.

Finally, the steady-state cost of one run is measured in one process (after warming up) for
both ways of running it: this ratio bounds what the sweep can gain on long sweeps, since the
start-up costs are paid once per process on both sides.

Usage::

    .venv/bin/python benchmarks/bench_sweep.py              # 64 runs of 120 months
    .venv/bin/python benchmarks/bench_sweep.py --quick      # 16 runs of 24 months
    .venv/bin/python benchmarks/bench_sweep.py --repeat 3   # best of three per line

Results are written to a temporary folder and removed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "tests" / "data" / "tiny.yaml"
RATES = [0.005, 0.01, 0.015, 0.02]
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


WARM_CODE = f"""
from ecosim.model import RegionModel

RegionModel({str(SCENARIO)!r}, months=1).run()
"""

STEADY_CODE = """
import json
import statistics
import sys
import time

import numba

from ecosim.config import load_scenario, scenario_from_dict
from ecosim.model import RegionModel
from ecosim.sweep import run_outputs

numba.set_num_threads(1)
path, months, seeds = sys.argv[1], int(sys.argv[2]), int(sys.argv[4])
rates = json.loads(sys.argv[3])
base = load_scenario(path, {"months": months}).model_dump(mode="json")
key = "behaviour.separation_rate"
batch, sweep = [], []
for seed in range(-1, seeds):  # seed -1: warm-up, not counted
    for rate in rates:
        t0 = time.perf_counter()
        RegionModel(path, rng=max(seed, 0), months=months, **{key: rate}).run()
        t1 = time.perf_counter()
        run_outputs(scenario_from_dict(base, {key: rate}), max(seed, 0), ["unemployment_rate"])
        t2 = time.perf_counter()
        if seed >= 0:
            batch.append(t1 - t0)
            sweep.append(t2 - t1)
print(statistics.mean(batch), statistics.mean(sweep))
"""


def warm_numba_cache() -> None:
    """Run the model for a month in a fresh interpreter: compiles stale cached kernels, untimed."""
    subprocess.run([sys.executable, "-c", WARM_CODE], check=True, capture_output=True)


def steady_state(rates: list[float], seeds: int, months: int) -> tuple[float, float]:
    """Mean seconds of one run after warm-up, batch_run's way and the sweep's way (1 thread)."""
    args = [str(SCENARIO), str(months), json.dumps(rates), str(seeds)]
    done = subprocess.run(
        [sys.executable, "-c", STEADY_CODE, *args], check=True, capture_output=True, text=True
    )
    batch, sweep = (float(x) for x in done.stdout.split())
    return batch, sweep


def _time_script(code: str, env_extra: dict[str, str]) -> float:
    """Run a script in a fresh interpreter; it prints its own wall time last."""
    warm_numba_cache()
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


def main() -> None:
    """Measure and print runs per minute and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="16 runs of 24 months")
    parser.add_argument("--seeds", type=int, default=None, help="seeds per separation rate")
    parser.add_argument("--months", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=1, help="best of N per line")
    args = parser.parse_args()
    seeds = args.seeds or (4 if args.quick else 16)
    months = args.months or (24 if args.quick else 120)
    n = len(RATES) * seeds
    print(
        f"{n} runs of {SCENARIO.name} ({months} months); wall time incl. imports and worker "
        f"start-up{f', best of {args.repeat}' if args.repeat > 1 else ''}"
    )
    print(f"machine: {os.cpu_count()} logical CPUs, load {os.getloadavg()[0]:.2f}")

    lines = {
        "ecosim sweep, 1 worker": lambda: time_sweep(RATES, seeds, months, 1),
        "ecosim sweep, 2 workers": lambda: time_sweep(RATES, seeds, months, 2),
        "mesa.batch_run, 1 process": lambda: time_batch_run(RATES, seeds, months, 1, False),
        "mesa.batch_run, 2 processes": lambda: time_batch_run(RATES, seeds, months, 2, False),
        "mesa.batch_run, 1 process, 1 numba thread": lambda: time_batch_run(
            RATES, seeds, months, 1, True
        ),
        "mesa.batch_run, 2 processes, 1 numba thread": lambda: time_batch_run(
            RATES, seeds, months, 2, True
        ),
    }
    t: dict[str, float] = {}
    for round_ in range(args.repeat):
        for label, fn in lines.items():
            seconds = fn()
            t[label] = min(seconds, t.get(label, seconds))
            if round_ == args.repeat - 1:
                best = t[label]
                print(f"  {label:<44} {best:7.1f} s  {n / best * 60:7.0f} runs/min", flush=True)
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
    batch, sweep = steady_state(RATES, max(1, min(seeds, 4)), months)
    print("steady state, one run after warm-up (1 process, 1 numba thread):")
    print(
        f"  batch_run's way {batch * 1000:6.0f} ms, the sweep's way {sweep * 1000:6.0f} ms: "
        f"{batch / sweep:4.2f}x (the ratio long sweeps tend to at equal workers)"
    )


def _ok(flag: bool) -> str:
    return "met" if flag else "NOT met"


if __name__ == "__main__":
    main()
