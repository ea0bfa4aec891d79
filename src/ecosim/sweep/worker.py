"""The worker side of a sweep: what is sent to a worker, how it runs, what it sends back.

A worker receives a :class:`ChunkTask` (the base scenario's data and a few :class:`RunTask`),
runs each run with one numba thread (:func:`configure_worker`) and returns a
:class:`ChunkResult`: a record per run (status, summaries, error and traceback) and, when the
sweep keeps them, the monthly outputs. Everything here is importable by spawned worker
processes, which unpickle these classes and call :func:`run_chunk` and :func:`init_worker`.
"""

from __future__ import annotations

import importlib
import math
import os
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd

from ecosim.config import Scenario, scenario_from_dict
from ecosim.sweep.errors import SweepError
from ecosim.sweep.schema import Summary, Window, window_bounds

Runner = Callable[[Scenario, int], pd.DataFrame]
"""Runs one scenario with a seed and returns its monthly time series (indexed by month)."""

WORKER_ENV: dict[str, str] = {
    "NUMBA_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
"""Environment of sweep workers: one thread per run, parallelism across workers."""


@dataclass(frozen=True)
class RunTask:
    """One run: its id, scenario overrides and seed."""

    run_id: str
    overrides: dict[str, Any]
    seed: int


@dataclass(frozen=True)
class ChunkTask:
    """A chunk of runs sent to one worker."""

    chunk_id: str
    base_data: dict[str, Any]
    runs: tuple[RunTask, ...]
    summaries: tuple[Summary, ...]
    window: Window
    timeseries: tuple[str, ...]
    runner: Runner | None = None


@dataclass
class ChunkResult:
    """What a worker sends back: one record per run and the optional time series."""

    chunk_id: str
    records: list[dict[str, Any]]
    timeseries: pd.DataFrame | None = None
    pid: int = field(default_factory=os.getpid)


def configure_worker() -> None:
    """Make this process (or thread) a sweep worker: one numba/BLAS thread per run.

    Before numba is imported, this sets :data:`WORKER_ENV`; afterwards it limits numba's
    threads for the calling thread (``numba.set_num_threads`` is per thread).
    """
    import sys

    if "numba" in sys.modules:
        import numba

        numba.set_num_threads(1)
    else:
        os.environ.update(WORKER_ENV)


def init_worker(warmup: Mapping[str, Any] | None = None) -> None:
    """Initialise a sweep worker process: one thread per run; optionally warm it up.

    The worker also exits as soon as the process that started it dies (:func:`exit_with_parent`).

    Args:
        warmup: Scenario data (the sweep's base scenario) to warm the worker with: see
            :func:`warm_up`. ``None`` for runners other than the default.
    """
    exit_with_parent()
    configure_worker()
    if warmup is not None:
        warm_up(warmup)


def exit_with_parent() -> None:
    """Make this spawned process exit when its parent process dies, whatever it is doing.

    A pool's workers otherwise outlive a parent that was killed (``kill -9``): each holds the
    write end of the pool's task queue, so none ever reads end-of-file, and they keep the
    resource tracker (and the pool's semaphores) alive with them. A daemon thread waits on
    multiprocessing's parent sentinel, a pipe that reaches end-of-file when the parent is gone,
    and ends the process. Does nothing in a process not started by ``multiprocessing``.
    """
    import multiprocessing
    import threading

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def warm_up(base_data: Mapping[str, Any]) -> float:
    """Import the model and load its compiled numba kernels by running one month of a scenario.

    A worker's first run otherwise pays this (importing Mesa, numba and SciPy, then loading
    every kernel's cached machine code on its first call: about two seconds); warming up when
    the worker starts overlaps it with the parent's set-up and keeps it out of the runs' wall
    times. The model is built from ``base_data`` itself, so the same kernels (and kernel
    variants) are loaded as by the runs. Errors are ignored: the runs will report them.

    Returns:
        Seconds spent.
    """
    start = time.perf_counter()
    try:
        scenario = scenario_from_dict(base_data, {"months": 1})
        run_outputs(scenario, scenario.seed, ["unemployment_rate"])
    except Exception:  # an optimisation only: the runs report real problems
        pass
    return time.perf_counter() - start


def default_runner(scenario: Scenario, seed: int) -> pd.DataFrame:
    """Run :class:`ecosim.RegionModel` for the scenario's months; return its time series."""
    from ecosim.model import RegionModel

    return RegionModel(scenario, seed=seed).run()


def run_outputs(scenario: Scenario, seed: int, columns: Sequence[str]) -> pd.DataFrame:
    """Run :class:`ecosim.RegionModel` keeping only the indicator ``columns``: the sweeps' runner.

    The values are those of :func:`default_runner` (``RegionModel(scenario, seed).run()``)
    for these columns, bit for bit: the simulation is the same. What is skipped is what a sweep
    does not keep (``RegionModel(..., record=columns)``): the breakdown tables (by sector,
    occupation and region, skill gaps, inclusiveness, durations, recomputed from the whole
    population every month) and the indicators not asked for.

    Returns:
        The monthly values of ``columns`` (in that order), indexed by ``month`` (0 to months).
    """
    from ecosim.model import RegionModel

    return RegionModel(scenario, seed=seed, record=list(columns)).run()


def summarise(
    frame: pd.DataFrame, summaries: Sequence[Summary], window: Window
) -> dict[str, float]:
    """Scalar summaries of a run's time series (NaN values are skipped)."""
    months = int(frame.index.max())
    out: dict[str, float] = {}
    for s in summaries:
        first, last = window_bounds(s.window if s.window is not None else window, months)
        values = frame[s.column].loc[first:last]
        match s.stat:
            case "first":
                out[s.label] = float(values.iloc[0]) if len(values) else math.nan
            case "last":
                out[s.label] = float(values.iloc[-1]) if len(values) else math.nan
            case _:
                out[s.label] = float(getattr(values, s.stat)())
    return out


def output_columns(task: ChunkTask) -> list[str]:
    """The indicator columns a chunk's runs must record: summarised or kept monthly."""
    return list(dict.fromkeys([*(s.column for s in task.summaries), *task.timeseries]))


def run_chunk(task: ChunkTask) -> ChunkResult:
    """Run every run of a chunk; a run that raises is recorded with its error and traceback.

    Without a runner, runs go through :func:`run_outputs`, recording only the columns the sweep
    keeps; a runner given to the sweep is called as it is.
    """
    configure_worker()
    runner = task.runner or partial(run_outputs, columns=output_columns(task))
    records: list[dict[str, Any]] = []
    frames: list[pd.DataFrame] = []
    for run in task.runs:
        start = time.perf_counter()
        record: dict[str, Any] = {"run_id": run.run_id, "status": "ok"}
        try:
            scenario = scenario_from_dict(task.base_data, run.overrides or None)
            frame = runner(scenario, run.seed)
            record |= summarise(frame, task.summaries, task.window)
            if task.timeseries:
                ts = frame.loc[:, list(task.timeseries)].reset_index()
                ts.insert(0, "run_id", run.run_id)
                frames.append(ts)
            record |= {"error": None, "traceback": None}
        except Exception as exc:
            record = {
                "run_id": run.run_id,
                "status": "failed",
                "error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(),
            }
        record["wall_time_s"] = time.perf_counter() - start
        records.append(record)
    ts_all = pd.concat(frames, ignore_index=True) if frames else None
    return ChunkResult(task.chunk_id, records, ts_all)


def resolve_runner(text: str) -> Runner:
    """Import a runner given as ``module:function``.

    Raises:
        SweepError: ``text`` is not ``module:function``, or names nothing callable.
    """
    module, _, name = text.partition(":")
    if not module or not name:
        raise SweepError(f"a runner is given as module:function, not {text!r}")
    try:
        runner = getattr(importlib.import_module(module), name)
    except ImportError as exc:
        raise SweepError(f"runner {text}: cannot import {module}: {exc}") from None
    except AttributeError:
        raise SweepError(f"runner {text}: module {module} has no {name}") from None
    if not callable(runner):
        raise SweepError(f"runner {text}: {name} is not a function")
    return runner
