"""Parameter sweeps: specification, experiment designs, execution backends, storage and resume.

A sweep is a YAML file validated like a scenario (problems are reported as
``FILE:LINE: dotted.path: message (got VALUE)``)::

    name: separation_grid
    base: ../scenarios/rijnmond.yaml        # relative to this file
    set: {months: 60}                       # fixed overrides of the base scenario
    parameters:                             # dotted scenario paths
      behaviour.separation_rate: {values: [0.005, 0.01, 0.02]}
      matching.acceptance_threshold: {range: [0.6, 0.9], levels: 4}
      behaviour.on_the_job_search_share:
        distribution: {dist: truncnorm, mean: 0.05, sd: 0.02, low: 0, high: 0.2}
    design: {kind: grid}                    # grid | lhs | sobol | morris
    replications: 3
    seed: 100                               # default: the base scenario's seed
    outputs:
      window: 12                            # last 12 months; or [first, last] (inclusive)
      summaries:
        - unemployment_rate                 # mean over the window
        - {column: long_term_unemployed_share, stat: last}
      timeseries: [unemployment_rate]       # false (default), true (all) or columns
    out: ../results/sweeps/separation_grid  # default: results/sweeps/<name>

**Runs.** A design row (a *point*) times ``replications`` gives the runs. Run ``r`` of a point
gets the seed ``seed + r`` (``seeds: common``, the default: every point sees the same random
streams, which sharpens comparisons and sensitivity indices), or a seed derived with
``numpy.random.SeedSequence`` from the seed, the point's parameter values and ``r``
(``seeds: independent``). A run's id is a hash of its parameter values and seed, so it does not
depend on the design order, the backend or the chunking, and results are identical on every
backend.

**Execution.** One engine submits *chunks* of runs to a :class:`concurrent.futures.Executor`
whose workers live for the whole sweep. Backends: ``serial`` (in this process), ``processes``
(a local spawn pool, default) and ``dask`` (a new ``LocalCluster``, or an existing scheduler
such as one started by ``dask-jobqueue`` on SLURM). Each run uses one numba thread: parallelism
comes from the workers. ``processes`` workers are started when the sweep starts and warm up
(import the model, load its numba kernels: :func:`warm_up`) while the output folder is
prepared. Chunks are large at first and shrink to single runs toward the end
(:func:`chunk_sizes`), so that the workers finish together. Each run validates the base
scenario's data with its overrides applied (the file is read once) and, with the default
runner, computes and records only the indicators the sweep keeps (:func:`run_outputs`:
``RegionModel(..., record=columns)``, no breakdown tables), with values identical to
``RegionModel(...).run()``'s.

**Storage** (``OUT``)::

    sweep.yaml                 resolved sweep specification
    scenario.yaml              resolved base scenario (with ``set`` applied)
    design.parquet             every run: run_id, point, replicate, seed, parameter values
    runs/chunk-<hash>.parquet  one row per run: status, summaries, error and traceback
    timeseries/chunk-<hash>.parquet   optional monthly outputs (run_id, month, columns)
    manifest.json              fingerprint, counts of the last invocation, versions

Chunk files are written atomically (temporary file, then ``os.replace``) as chunks complete;
a run counts as stored once its ``runs`` file exists. Running the same sweep into the same
``OUT`` skips stored runs, so an interrupted sweep resumes and ends with the same dataset as an
uninterrupted one. A run that raises is stored as ``failed`` with its traceback. When a worker
process dies, the runs of its chunk (and, for ``processes``, of every chunk the broken pool
stopped with it) are re-run one by one, alone; a run whose worker dies while running it alone
is retried once more, then stored as ``failed``. Failed runs are retried on the next
invocation unless ``retry_failed=False``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import os
import time
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ecosim.sweep.backends import BACKENDS, Backend
from ecosim.sweep.designs import build_design, plain_value, run_id, unit_design
from ecosim.sweep.errors import SweepError
from ecosim.sweep.loading import Sweep, load_sweep, sweep_from_dict
from ecosim.sweep.schema import (
    DEFAULT_SUMMARIES,
    STATS,
    Design,
    Distribution,
    Outputs,
    Parameter,
    Summary,
    SweepSpec,
    Window,
    window_bounds,
)
from ecosim.sweep.worker import (
    WORKER_ENV,
    ChunkResult,
    ChunkTask,
    Runner,
    RunTask,
    configure_worker,
    default_runner,
    init_worker,
    output_columns,
    resolve_runner,
    run_chunk,
    run_outputs,
    summarise,
    warm_up,
)

__all__ = [
    "BACKENDS",
    "DEFAULT_SUMMARIES",
    "RUN_COLUMNS",
    "STATS",
    "WORKER_ENV",
    "Backend",
    "ChunkResult",
    "ChunkTask",
    "Design",
    "Distribution",
    "Outputs",
    "Parameter",
    "RunTask",
    "Runner",
    "Summary",
    "Sweep",
    "SweepError",
    "SweepSpec",
    "SweepSummary",
    "Window",
    "build_design",
    "chunk_sizes",
    "configure_worker",
    "default_runner",
    "init_worker",
    "load_design",
    "load_failures",
    "load_results",
    "load_sweep",
    "load_timeseries",
    "output_columns",
    "plain_value",
    "resolve_runner",
    "run_chunk",
    "run_id",
    "run_outputs",
    "run_sweep",
    "stored_runs",
    "summarise",
    "sweep_from_dict",
    "unit_design",
    "warm_up",
    "window_bounds",
]

RUN_COLUMNS: tuple[str, ...] = ("run_id", "status", "error", "traceback", "wall_time_s")


# --------------------------------------------------------------------------- storage


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _atomic_parquet(frame: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def _chunk_id(run_ids: Sequence[str]) -> str:
    return hashlib.sha256(",".join(sorted(run_ids)).encode()).hexdigest()[:16]


def _chunk_files(out: Path, kind: str) -> list[Path]:
    folder = out / kind
    return sorted(folder.glob("chunk-*.parquet")) if folder.is_dir() else []


def _read_records(out: Path) -> pd.DataFrame:
    """Every stored run record; for runs stored twice, a success wins over a failure."""
    files = _chunk_files(out, "runs")
    if not files:
        return pd.DataFrame(columns=list(RUN_COLUMNS))
    frames = [pd.read_parquet(f).assign(_file=f.name) for f in files]
    records = pd.concat(frames, ignore_index=True)
    records["_ok"] = records["status"] == "ok"
    records = records.sort_values(["run_id", "_ok", "_file"], kind="stable")
    return records.drop_duplicates("run_id", keep="last").drop(columns=["_ok", "_file"])


def stored_runs(out: str | Path) -> dict[str, str]:
    """Run ids already stored in a sweep folder, with their status (``ok`` or ``failed``)."""
    records = _read_records(Path(out))
    return dict(zip(records["run_id"], records["status"], strict=True))


def load_design(out: str | Path) -> pd.DataFrame:
    """The design of a sweep folder (one row per run, unit coordinates included)."""
    path = Path(out) / "design.parquet"
    if not path.is_file():
        raise FileNotFoundError(f"{out} is not a sweep folder (no design.parquet)")
    return pd.read_parquet(path)


def load_results(out: str | Path, *, failed: bool = False, timings: bool = False) -> pd.DataFrame:
    """A sweep's results as one DataFrame, in design order.

    Args:
        out: The sweep folder.
        failed: Include failed runs (with ``error`` and ``traceback``; summaries are NaN).
        timings: Include ``wall_time_s`` (which differs from one execution to the next).

    Returns:
        One row per stored run: ``run_id``, ``point``, ``replicate``, ``seed``, the parameter
        values, ``status`` and the summaries. Runs not yet computed are absent.
    """
    design = load_design(out)
    design = design[[c for c in design.columns if not c.startswith("_u.")]]
    records = _read_records(Path(out))
    frame = design.merge(records, on="run_id", how="inner", validate="many_to_one")
    frame = frame.sort_values(["point", "replicate"], kind="stable").reset_index(drop=True)
    if not failed:
        frame = frame[frame["status"] == "ok"].drop(columns=["error", "traceback"])
        frame = frame.reset_index(drop=True)
    if not timings:
        frame = frame.drop(columns=["wall_time_s"])
    return frame


def load_failures(out: str | Path) -> pd.DataFrame:
    """The failed runs of a sweep folder with their parameters, error and traceback."""
    frame = load_results(out, failed=True)
    return frame[frame["status"] == "failed"].reset_index(drop=True)


def load_timeseries(out: str | Path, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The monthly outputs kept by a sweep (``outputs.timeseries``), long format.

    Returns:
        Columns ``run_id``, ``point``, ``replicate``, ``month`` and the kept columns, in design
        order; only runs whose chunk was stored completely.
    """
    out = Path(out)
    stored = {f.name for f in _chunk_files(out, "runs")}
    files = [f for f in _chunk_files(out, "timeseries") if f.name in stored]
    if not files:
        raise FileNotFoundError(f"{out} holds no time series (outputs.timeseries is off?)")
    frame = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    frame = frame.drop_duplicates(["run_id", "month"], keep="last")
    if columns is not None:
        frame = frame[["run_id", "month", *columns]]
    design = load_design(out)[["run_id", "point", "replicate"]]
    frame = design.merge(frame, on="run_id", how="inner")
    return frame.sort_values(["point", "replicate", "month"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- the engine


@dataclass
class SweepSummary:
    """What a sweep invocation did.

    Attributes:
        out: The sweep folder.
        total: Runs in the design (distinct run ids).
        done: Runs computed successfully by this invocation.
        failed: Runs that failed in this invocation.
        skipped: Runs already stored before this invocation (not recomputed).
        wall_time: Seconds spent.
        interrupted: Whether the invocation was interrupted (Ctrl-C) before the end.
    """

    name: str
    out: Path
    total: int
    done: int = 0
    failed: int = 0
    skipped: int = 0
    wall_time: float = 0.0
    interrupted: bool = False

    @property
    def remaining(self) -> int:
        """Runs neither stored before nor computed now."""
        return self.total - self.done - self.failed - self.skipped

    def __str__(self) -> str:
        state = "interrupted" if self.interrupted else "finished"
        text = (
            f"sweep {self.name} {state}: {self.total} runs — {self.done} done, "
            f"{self.failed} failed, {self.skipped} skipped (already stored)"
        )
        if self.remaining:
            text += f", {self.remaining} not run"
        rate = self.done / self.wall_time * 60 if self.wall_time > 0 else 0.0
        return text + f"; {self.wall_time:.1f} s ({rate:.0f} runs/min); results in {self.out}"


@dataclass
class _Chunk:
    """Runs sent to a worker together.

    ``deaths`` counts worker deaths known to be caused by this (single-run) chunk; ``alone``
    makes it run with nothing else in flight, so that a death is attributable to it.
    """

    runs: list[RunTask]
    deaths: int = 0
    alone: bool = False

    @property
    def chunk_id(self) -> str:
        return _chunk_id([r.run_id for r in self.runs])


def _fingerprint(sweep: Sweep, runner: Runner | None) -> str:
    outputs = sweep.spec.outputs.model_dump(mode="json")
    name = "default" if runner is None else f"{runner.__module__}.{runner.__qualname__}"
    text = json.dumps({"base": sweep.base_data, "outputs": outputs, "runner": name}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _check_folder(out: Path, fingerprint: str) -> dict[str, Any]:
    """The folder's manifest (a new one for a new folder); refuses a folder of another sweep."""
    manifest_path = out / "manifest.json"
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("fingerprint") != fingerprint:
            raise SweepError(
                f"{out} holds results of a different sweep (its base scenario, outputs or runner "
                "differ); choose another output folder or remove this one"
            )
        return manifest
    if out.exists() and any(out.iterdir()):
        raise SweepError(f"{out} exists and is not a sweep folder; choose another output folder")
    return {"created": time.strftime("%Y-%m-%dT%H:%M:%S")}


def _prepare_folder(out: Path, sweep: Sweep) -> None:
    """Write the sweep's specification, base scenario and design (the folder is checked)."""
    for sub in ("runs", "timeseries"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    spec = sweep.spec.model_dump(mode="json", exclude={"out"})
    spec["base"] = str(Path(sweep.source).parent / sweep.spec.base)
    _atomic_write_bytes(out / "sweep.yaml", yaml.safe_dump(spec, sort_keys=False).encode())
    scenario_text = yaml.safe_dump(sweep.base_data, sort_keys=False)
    _atomic_write_bytes(out / "scenario.yaml", scenario_text.encode())
    _atomic_parquet(sweep.design, out / "design.parquet")


def _write_manifest(out: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, indent=2, sort_keys=True)
    _atomic_write_bytes(out / "manifest.json", text.encode())


def _failure_records(runs: Sequence[RunTask], error: str, trace: str) -> list[dict[str, Any]]:
    return [
        {
            "run_id": r.run_id,
            "status": "failed",
            "error": error,
            "traceback": trace,
            "wall_time_s": math.nan,
        }
        for r in runs
    ]


def _write_chunk(
    out: Path,
    chunk_id: str,
    records: list[dict[str, Any]],
    ts: pd.DataFrame | None,
    summaries: Sequence[str],
) -> None:
    frame = pd.DataFrame.from_records(records)
    for col in (*RUN_COLUMNS, *summaries):
        if col not in frame:
            frame[col] = math.nan if col not in ("error", "traceback") else None
    frame = frame[[*RUN_COLUMNS[:2], *summaries, *RUN_COLUMNS[2:]]]
    frame[list(summaries)] = frame[list(summaries)].astype("float64")
    frame["wall_time_s"] = frame["wall_time_s"].astype("float64")
    frame[["error", "traceback"]] = frame[["error", "traceback"]].astype("object")
    name = f"chunk-{chunk_id}.parquet"
    if ts is not None:
        _atomic_parquet(ts, out / "timeseries" / name)
    _atomic_parquet(frame, out / "runs" / name)


def run_sweep(
    sweep: str | Path | Sweep,
    out: str | Path | None = None,
    *,
    backend: str | Backend = "processes",
    workers: int | None = None,
    scheduler: str = "",
    chunk_size: int | None = None,
    retry_failed: bool = True,
    progress: bool = True,
    runner: Runner | None = None,
) -> SweepSummary:
    """Run (or resume) a sweep; results are stored in ``out`` chunk by chunk.

    Args:
        sweep: A sweep file or a loaded :class:`Sweep`.
        out: Sweep folder; default: the file's ``out`` or ``results/sweeps/<name>``. Running
            again into the same folder skips the runs stored there.
        backend: ``serial``, ``processes`` (default) or ``dask``, or a :class:`Backend`.
        workers: Worker processes (default: the CPU count).
        scheduler: Address of an existing Dask scheduler (implies ``dask``).
        chunk_size: Runs per chunk (default: the file's ``chunk_size``, else chunks of at most
            16 runs shrinking toward the end of the sweep, see :func:`chunk_sizes`).
        retry_failed: Run again the runs stored as failed.
        progress: Show a progress bar with the completed runs and the time left.
        runner: What runs one scenario (default: :func:`run_outputs`, which gives
            :func:`default_runner`'s values for the kept columns); must be importable by the
            workers (a module-level function).

    Returns:
        Counts of done, failed and skipped runs.

    Raises:
        ScenarioError: The sweep file is invalid.
        SweepError: ``out`` holds a different sweep, or the backend is unknown.
        KeyboardInterrupt: After storing every chunk completed so far.
    """
    start = time.perf_counter()
    if not isinstance(sweep, Sweep):
        sweep = load_sweep(sweep)
    out = Path(out) if out is not None else sweep.default_out
    if scheduler and isinstance(backend, str):
        backend = "dask"
    engine = backend if isinstance(backend, Backend) else Backend(backend, workers, scheduler)
    fingerprint = _fingerprint(sweep, runner)
    manifest = _check_folder(out, fingerprint)

    unique = sweep.design.drop_duplicates("run_id")
    stored = stored_runs(out)
    keep = {"ok"} if retry_failed else {"ok", "failed"}
    pending_rows = unique[~unique["run_id"].map(lambda r: stored.get(r) in keep)]
    names = sweep.parameter_names
    tasks = [
        RunTask(row["run_id"], {k: plain_value(row[k]) for k in names}, int(row["seed"]))
        for row in pending_rows.to_dict("records")
    ]
    summary = SweepSummary(
        sweep.spec.name, out, total=len(unique), skipped=len(unique) - len(tasks)
    )
    labels = [s.label for s in sweep.summaries]
    try:
        if tasks and engine.kind != "serial":
            # Workers import the model and load its kernels while the folder is prepared.
            engine.start(warmup=sweep.base_data if runner is None else None)
        _prepare_folder(out, sweep)
        manifest |= {
            "name": sweep.spec.name,
            "fingerprint": fingerprint,
            "runs": len(unique),
            "ecosim_version": _version(),
            "backend": engine.kind,
        }
        _write_manifest(out, manifest)
        if tasks:
            size = chunk_size or sweep.spec.chunk_size
            if size:
                sizes = [size] * math.ceil(len(tasks) / size)
            else:
                sizes = chunk_sizes(len(tasks), engine.workers)
            bounds = list(itertools.accumulate(sizes, initial=0))
            chunks = [_Chunk(tasks[a:b]) for a, b in itertools.pairwise(bounds)]
            _execute(engine, chunks, sweep, out, summary, labels, runner, progress)
    except KeyboardInterrupt:
        summary.interrupted = True
        raise
    finally:
        engine.close()
        summary.wall_time = time.perf_counter() - start
        if manifest.get("fingerprint") == fingerprint:  # the folder was prepared
            manifest["updated"] = time.strftime("%Y-%m-%dT%H:%M:%S")
            manifest["last"] = {
                "done": summary.done,
                "failed": summary.failed,
                "skipped": summary.skipped,
                "interrupted": summary.interrupted,
                "wall_time_s": round(summary.wall_time, 3),
            }
            _write_manifest(out, manifest)
    return summary


def chunk_sizes(runs: int, workers: int, largest: int = 16) -> list[int]:
    """Chunk sizes for ``runs`` runs on ``workers`` workers: large first, small at the end.

    Each chunk takes about 1/(2 x workers) of the runs still to assign (guided
    self-scheduling), at most ``largest`` and at least one. Early chunks amortise the
    per-chunk costs (sending the base scenario, writing a file); the last ones are single runs,
    so no worker idles long while another finishes a big chunk.
    """
    sizes: list[int] = []
    left = runs
    while left > 0:
        size = max(1, min(largest, math.ceil(left / (2 * workers))))
        sizes.append(size)
        left -= size
    return sizes


def _version() -> str:
    import ecosim

    return ecosim.__version__


def _execute(
    engine: Backend,
    chunks: list[_Chunk],
    sweep: Sweep,
    out: Path,
    summary: SweepSummary,
    labels: list[str],
    runner: Runner | None,
    progress: bool,
) -> None:
    """Submit chunks with a bounded window; store results as they come; retry dead chunks."""
    from tqdm.auto import tqdm

    ts_columns = tuple(sweep.spec.outputs.timeseries_columns(_indicators()))
    queue: deque[_Chunk] = deque(chunks)
    in_flight: dict[Future, _Chunk] = {}
    total = sum(len(c.runs) for c in chunks)
    bar = tqdm(total=total, unit="run", desc=sweep.spec.name, disable=not progress, smoothing=0.1)

    def task(chunk: _Chunk) -> ChunkTask:
        return ChunkTask(
            chunk.chunk_id,
            sweep.base_data,
            tuple(chunk.runs),
            tuple(sweep.summaries),
            sweep.spec.outputs.window,
            ts_columns,
            runner,
        )

    def store(chunk_id: str, records: list[dict[str, Any]], ts: pd.DataFrame | None) -> None:
        _write_chunk(out, chunk_id, records, ts, labels)
        n_failed = sum(r["status"] != "ok" for r in records)
        summary.failed += n_failed
        summary.done += len(records) - n_failed
        bar.update(len(records))
        if summary.failed:
            bar.set_postfix(failed=summary.failed)

    try:
        while queue or in_flight:
            _submit(engine, queue, in_flight, task)
            done, _ = wait(list(in_flight), return_when=FIRST_COMPLETED)
            dead: list[tuple[_Chunk, BaseException]] = []
            for future in done:
                chunk = in_flight.pop(future)
                exc = future.exception()
                if exc is None:
                    result = future.result()
                    store(result.chunk_id, result.records, result.timeseries)
                elif engine.is_worker_death(exc):
                    dead.append((chunk, exc))
                else:
                    trace = "".join(traceback.format_exception(exc))
                    error = f"chunk failed: {type(exc).__name__}: {exc}"
                    store(chunk.chunk_id, _failure_records(chunk.runs, error, trace), None)
            if dead and engine.kind == "processes":
                # A dead process breaks the pool: every task still pending fails with it.
                for future in list(in_flight):
                    chunk = in_flight.pop(future)
                    try:
                        result = future.result()
                    except Exception as exc:
                        dead.append((chunk, exc))
                    else:
                        store(result.chunk_id, result.records, result.timeseries)
                engine.reset()
            _retry_or_fail(dead, queue, store)
    finally:
        for future in in_flight:
            future.cancel()
        bar.close()


def _retry_or_fail(
    dead: list[tuple[_Chunk, BaseException]],
    queue: deque[_Chunk],
    store: Callable[[str, list[dict[str, Any]], pd.DataFrame | None], None],
) -> None:
    """Requeue the runs of chunks whose worker died, each alone; fail a run's second death.

    A death is the run's own only when its chunk held that run alone and no other chunk's
    task failed with it (a ``processes`` pool stops every pending task when one worker dies; a
    dead Dask worker fails the tasks it held). Runs stopped with another's death are re-run
    without a mark against them.
    """
    certain = len(dead) == 1
    for chunk, exc in dead:
        deaths = chunk.deaths + (certain and len(chunk.runs) == 1)
        if deaths >= 2:
            error = f"worker process died twice running this run ({exc!r})"
            store(chunk.chunk_id, _failure_records(chunk.runs, error, ""), None)
        else:
            queue.extendleft(_Chunk([r], deaths, alone=True) for r in reversed(chunk.runs))


def _submit(
    engine: Backend,
    queue: deque[_Chunk],
    in_flight: dict[Future, _Chunk],
    task: Callable[[_Chunk], ChunkTask],
) -> None:
    """Fill the window; a chunk marked ``alone`` (a retry after a worker died) runs alone."""
    while queue and len(in_flight) < engine.window:
        isolate = queue[0].alone or any(c.alone for c in in_flight.values())
        if isolate and in_flight:
            return
        chunk = queue.popleft()
        in_flight[engine.executor().submit(run_chunk, task(chunk))] = chunk
        if isolate:
            return


def _indicators() -> list[str]:
    from ecosim.indicators import INDICATORS

    return list(INDICATORS)
