"""Benchmark of ecosim's RegionModel against an idiomatic per-agent Mesa implementation.

Measures, on the rijnmond scenario (or ``--scenario``):

a. months per second of ``ecosim.RegionModel`` at 10k and 100k worker agents, after a warm-up
   (construction and the first step, which includes numba compilation or cache loading, are
   reported separately);
b. months per second of the idiomatic Mesa reference (``mesa_reference.py``) at 10k workers;
c. the ratio of (a) to (b) at the same size, measured in the same run (target >= 50x);
d. the wall time of a full 100k-worker, 120-month run after compilation (target <= 20 s);
e. where the fast model's step time goes: every phase function ``RegionModel.step`` calls
   (``ecosim.phases.*``), the helpers and kernels each calls, and the model's own steps are
   timed by wrapping them (module attributes and instance attributes), without editing code.

A size is reached by the ``resolution`` (persons per agent) alone: the region keeps its size in
persons and its employers are sampled at the same rate (at least one per sector).

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/bench_model.py           # full (several minutes)
    PYTHONPATH=src .venv/bin/python benchmarks/bench_model.py --quick   # small sizes, < 1 min

Nothing is written to disk.
"""

from __future__ import annotations

import argparse
import contextlib
import dis
import gc
import inspect
import os
import statistics
import sys
import time
import types
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numba
import numpy as np

from ecosim import RegionModel, load_scenario
from ecosim.metrics import indicators

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mesa_reference import MesaReferenceModel

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SCENARIO = ROOT / "scenarios" / "rijnmond.yaml"
TARGET_RATIO = 50.0
TARGET_LONG_SECONDS = 20.0


# --------------------------------------------------------------------------------- scenario


def size_overrides(scenario_path: Path, size: int) -> dict[str, Any]:
    """The resolution that gives the scenario's region ``size`` worker agents (and employers
    sampled at the same rate)."""
    return {"resolution": load_scenario(scenario_path).workforce.persons / size}


CORE_STEP = {"learning.enabled": False}
"""The reference implements the core step only (no learning ecosystem): compare like with like."""


def build(
    scenario_path: Path, size: int, extra: dict[str, Any] | None = None
) -> tuple[RegionModel, float]:
    t0 = time.perf_counter()
    model = RegionModel(scenario_path, **size_overrides(scenario_path, size), **(extra or {}))
    return model, time.perf_counter() - t0


def n_workers(model: RegionModel) -> int:
    return int(np.count_nonzero(model.workers.present()))


# --------------------------------------------------------------------------------- timing


def time_steps(model: Any, months: int) -> list[float]:
    """Wall time of each of ``months`` steps (garbage collection left on, as users run it)."""
    times = []
    for _ in range(months):
        t0 = time.perf_counter()
        model.step()
        times.append(time.perf_counter() - t0)
    return times


class PhaseTimer:
    """Accumulates wall time per label for wrapped callables."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def wrap(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - t0
                self.calls[label] += 1

        return timed


def _code_names(code: types.CodeType) -> list[str]:
    """Global and attribute names a code object (and its nested code) uses, first use first."""
    names = list(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names += _code_names(const)
    return list(dict.fromkeys(names))


def _step_calls(fn: Any = None) -> list[tuple[Any, str]]:
    """What ``RegionModel.step`` calls, in order: ``(phase module, function)`` for the phases
    (``labour_demand.separate``) and ``(RegionModel, method)`` for its own ``_`` methods; the
    month's composition (``_month``) is replaced by what it calls.

    Read from the loaded byte code, not the source file (which others may be editing).
    """
    calls: list[tuple[Any, str]] = []
    module = None
    for ins in dis.get_instructions(fn or RegionModel.step):
        if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME"):
            module = getattr(sys.modules[RegionModel.__module__], ins.argval, None)
            module = module if inspect.ismodule(module) else None
        elif ins.opname == "LOAD_ATTR" and module is not None:
            if inspect.isfunction(getattr(module, ins.argval, None)):
                calls.append((module, ins.argval))
            module = None
        elif ins.opname in ("LOAD_ATTR", "LOAD_METHOD") and str(ins.argval).startswith("_"):
            method = getattr(RegionModel, ins.argval, None)
            if ins.argval == "_month" and inspect.isfunction(method):
                calls += _step_calls(method)
            elif inspect.isfunction(method):
                calls.append((RegionModel, ins.argval))
    return list(dict.fromkeys(calls))


def _nested(module: Any, name: str) -> list[str]:
    """Functions of ``module``'s namespace that ``module.name`` calls (helpers and kernels)."""
    fn = getattr(module, name)
    if not inspect.isfunction(fn) or module is RegionModel:
        return []
    return [
        n
        for n in _code_names(fn.__code__)
        if n != name and inspect.isfunction(getattr(module, n, None))
    ]


_MISSING = object()


@contextlib.contextmanager
def instrumented(model: RegionModel, timer: PhaseTimer) -> Iterator[list[tuple[str, int]]]:
    """Wrap the step's phases and the functions they call (module attributes), and the
    model's own steps and recorders (instance attributes).

    Yields the rows to report as ``(label, depth)``; nested rows are included in their parent.
    """
    rows: list[tuple[str, int]] = []
    patched: dict[tuple[Any, str], Any] = {}
    saved_instance_attrs: list[tuple[Any, str, Any]] = []

    def patch(owner: Any, name: str, label: str) -> None:
        if (owner, name) not in patched:
            patched[owner, name] = getattr(owner, name)
            setattr(owner, name, timer.wrap(label, patched[owner, name]))

    try:
        for owner, name in _step_calls():
            if owner is RegionModel:
                saved_instance_attrs.append((model, name, _MISSING))
                setattr(model, name, timer.wrap(name, getattr(model, name)))
                rows.append((name, 0))
                continue
            label = f"{owner.__name__.rsplit('.', 1)[-1]}.{name}"
            inner_names = _nested(owner, name)
            patch(owner, name, label)
            rows.append((label, 0))
            for inner in inner_names:
                patch(owner, inner, f"{label}: {inner}")
                rows.append((f"{label}: {inner}", 1))
        # Indicator collection inside _record: the indicators, Mesa's DataCollector, recorders.
        patch(indicators, "compute", "indicators.compute")
        extras = [(model.datacollector, "collect", "datacollector.collect")]
        extras += [
            (r, "record", f"{type(r).__name__}.record") for r in getattr(model, "recorders", ())
        ]
        for obj, attr, label in extras:
            saved_instance_attrs.append((obj, attr, obj.__dict__.get(attr, _MISSING)))
            setattr(obj, attr, timer.wrap(label, getattr(obj, attr)))
        at = rows.index(("_record", 0)) + 1 if ("_record", 0) in rows else len(rows)
        record_rows = [("indicators.compute", 1)] + [(label, 1) for _, _, label in extras]
        rows[at:at] = record_rows
        yield rows
    finally:
        for obj, attr, value in reversed(saved_instance_attrs):
            if value is _MISSING:
                delattr(obj, attr)
            else:
                setattr(obj, attr, value)
        for (owner, name), fn in patched.items():
            setattr(owner, name, fn)


def phase_breakdown(model: RegionModel, months: int) -> tuple[list[tuple[str, int]], PhaseTimer]:
    timer = PhaseTimer()
    with instrumented(model, timer) as rows:
        timer.seconds["(step total)"] = sum(time_steps(model, months))
    timer.calls["(step total)"] = months
    return rows, timer


# --------------------------------------------------------------------------------- report


def fmt_rate(months_per_second: float) -> str:
    return f"{months_per_second:10.2f}"


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print(f"\n{title}")
    print(
        "  ".join(
            h.ljust(w) if i == 0 else h.rjust(w)
            for i, (h, w) in enumerate(zip(header, widths, strict=True))
        )
    )
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )


def _rate(times: list[float]) -> float:
    return len(times) / sum(times)


def _set_threads(n: int) -> None:
    numba.set_num_threads(n)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and few months")
    parser.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO)
    parser.add_argument("--skip-long", action="store_true", help="skip the long run (d)")
    parser.add_argument(
        "--threads", type=int, default=None, help="numba threads (default: numba's default)"
    )
    parser.add_argument(
        "--omp-wait-policy",
        choices=["active", "passive"],
        default=None,
        help="set OMP_WAIT_POLICY before numba's OpenMP pool starts (default: leave as is); "
        "passive keeps parallel kernels fast when other processes share the cores",
    )
    args = parser.parse_args(argv)
    if args.omp_wait_policy:
        os.environ["OMP_WAIT_POLICY"] = args.omp_wait_policy.upper()

    if args.quick:
        sizes, bench_months, ref_size, ref_months = [2_000, 10_000], 6, 2_000, 2
        long_size, long_months, breakdown_months = 10_000, 24, 6
    else:
        sizes, bench_months, ref_size, ref_months = [10_000, 100_000], 12, 10_000, 4
        long_size, long_months, breakdown_months = 100_000, 120, 12
    warmup = 2
    threads = args.threads or numba.get_num_threads()
    # Parallel numba kernels are sensitive to other load on a small shared machine, so every
    # fast-model figure is also measured single-threaded.
    settings = [threads, 1] if threads > 1 else [threads]
    _set_threads(threads)

    print(f"scenario: {args.scenario}")
    print(
        f"python {sys.version.split()[0]}, numpy {np.__version__}, numba {numba.__version__} "
        f"(threads: {' and '.join(map(str, settings))}), mesa {__import__('mesa').__version__}"
    )

    # (a) fast model: construction, first step, warm steady state
    fast_times: dict[tuple[int, int], list[float]] = {}
    rows_a = []
    breakdowns: dict[tuple[int, int], tuple[list[tuple[str, int]], PhaseTimer]] = {}
    for size in sizes:
        _set_threads(threads)
        model, t_build = build(args.scenario, size)
        n = n_workers(model)
        t_first = time_steps(model, 1)[0]
        time_steps(model, warmup)
        for t in settings:
            _set_threads(t)
            time_steps(model, 1)
            gc.collect()
            times = fast_times[size, t] = time_steps(model, bench_months)
            rows_a.append(
                [
                    f"{size:,}",
                    f"{n:,}",
                    f"{model.employers.n:,}",
                    f"{t_build:.2f}" if t == threads else "",
                    f"{t_first:.2f}" if t == threads else "",
                    f"{t}",
                    f"{1e3 * statistics.median(times):.1f}",
                    f"{1e3 * min(times):.1f}",
                    fmt_rate(_rate(times)),
                ]
            )
        for t in settings:  # (e) the same model, continued with its phases wrapped
            _set_threads(t)
            breakdowns[size, t] = phase_breakdown(model, breakdown_months)
        del model
        gc.collect()
    _set_threads(threads)
    print(
        f"numba threading layer {numba.threading_layer()}, OMP_WAIT_POLICY="
        f"{os.environ.get('OMP_WAIT_POLICY', '(unset)')}, load average {loadavg()}"
    )
    print_table(
        f"(a) RegionModel, {bench_months} months after {warmup}+1 warm-up steps "
        "(1st step: numba compilation or cache load at the first size)",
        ["worker agents", "workers", "employers", "build s", "1st step s", "threads",
         "median ms/step", "best ms/step", "months/s"],
        rows_a,
    )  # fmt: skip

    # (b) the idiomatic Mesa reference, from the identical initial state
    fast, _ = build(args.scenario, ref_size)
    t0 = time.perf_counter()
    ref = MesaReferenceModel.from_region_model(fast)
    t_ref_build = time.perf_counter() - t0
    del fast
    ref_times = time_steps(ref, ref_months)
    ref_u = ref.datacollector.get_model_vars_dataframe()["unemployment_rate"].iloc[-1]
    del ref
    gc.collect()
    for t in settings:
        if (ref_size, t) not in fast_times:
            _set_threads(t)
            model, _ = build(args.scenario, ref_size)
            time_steps(model, warmup + 1)
            fast_times[ref_size, t] = time_steps(model, bench_months)
    core_times: dict[int, list[float]] = {}
    for t in settings:
        _set_threads(t)
        model, _ = build(args.scenario, ref_size, CORE_STEP)
        time_steps(model, warmup + 1)
        core_times[t] = time_steps(model, bench_months)
        del model
    _set_threads(threads)
    rows_b = [
        [
            "Mesa reference (per agent)",
            "1",
            f"{ref_months}",
            f"{1e3 * statistics.median(ref_times):.1f}",
            f"{1e3 * min(ref_times):.1f}",
            fmt_rate(_rate(ref_times)),
            "1.0x",
        ]
    ]
    for label, by_threads in (
        ("RegionModel (vectorised)", {t: fast_times[ref_size, t] for t in settings}),
        ("RegionModel, core step (learning off)", core_times),
    ):
        for t, times in by_threads.items():
            rows_b.append(
                [
                    label,
                    f"{t}",
                    f"{bench_months}",
                    f"{1e3 * statistics.median(times):.1f}",
                    f"{1e3 * min(times):.1f}",
                    fmt_rate(_rate(times)),
                    f"{_rate(times) / _rate(ref_times):.1f}x",
                ]
            )
    print_table(
        f"(b, c) Mesa reference vs RegionModel at {ref_size:,} workers (same run)",
        ["model", "threads", "months", "median ms/step", "best ms/step", "months/s", "speed-up"],
        rows_b,
    )
    print(
        f"reference: build {t_ref_build:.2f} s (from the RegionModel's arrays), unemployment "
        f"after {ref_months} months {100 * ref_u:.2f}%"
    )
    for t in settings:
        times = core_times[t]
        ratio = _rate(times) / _rate(ref_times)
        best = min(ref_times) / min(times)
        print(
            f"speed-up RegionModel core step ({t} thread{'s' if t > 1 else ''}) / reference: "
            f"{ratio:.1f}x "
            f"(best step vs best step {best:.1f}x; target >= {TARGET_RATIO:.0f}x: "
            f"{'met' if ratio >= TARGET_RATIO else 'NOT met'})"
        )

    # (d) a long run after compilation
    if not args.skip_long:
        print()
        for t in settings:
            _set_threads(t)
            model, t_build = build(args.scenario, long_size)
            t0 = time.perf_counter()
            model.run(long_months)
            wall = time.perf_counter() - t0
            u = model.indicators["unemployment_rate"]
            target = long_size == 100_000 and long_months == 120
            verdict = "met" if wall <= TARGET_LONG_SECONDS else "NOT met"
            print(
                f"(d) {long_size:,} workers x {long_months} months, {t} thread(s): {wall:.2f} s "
                f"({long_months / wall:.2f} months/s; construction {t_build:.2f} s extra; final "
                f"unemployment {100 * u:.2f}%)"
                + (f" -- target <= {TARGET_LONG_SECONDS:.0f} s: {verdict}" if target else "")
            )
            del model
            gc.collect()
        _set_threads(threads)

    # (e) per-phase breakdown
    for size in sizes:
        rows = breakdowns[size, threads][0]
        header = ["phase", "calls"]
        table = [[("    " * depth) + label, ""] for label, depth in rows]
        table += [["(outside phases)", ""], ["(step total)", ""]]
        for t in settings:
            header += [f"ms/month {t}T", f"% {t}T"]
            timer = breakdowns[size, t][1]
            total = timer.seconds["(step total)"]
            months = timer.calls["(step total)"]
            accounted = sum(timer.seconds.get(label, 0.0) for label, d in rows if d == 0)
            values = [timer.seconds.get(label, 0.0) for label, _ in rows]
            values += [total - accounted, total]
            for line, sec in zip(table, values, strict=True):
                line += [f"{1e3 * sec / months:.2f}", f"{100 * sec / total:.1f}"]
        timer = breakdowns[size, threads][1]
        for line, (label, _) in zip(table, rows, strict=False):
            line[1] = f"{timer.calls.get(label, 0)}"
        table[-1][1] = f"{timer.calls['(step total)']}"
        print_table(
            f"(e) RegionModel step breakdown at {size:,} workers, {breakdown_months} months per "
            "thread setting (indented rows are included in the row above them)",
            header,
            table,
        )
    print(f"\nload average at the end: {loadavg()}")
    return 0


def loadavg() -> str:
    """The 1, 5 and 15-minute load averages, as the benchmarks print them ("n/a" if unknown)."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


if __name__ == "__main__":
    raise SystemExit(main())
