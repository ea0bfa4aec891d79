"""The sweep engine: :func:`run_sweep` runs (or resumes) a sweep chunk by chunk.

It skips the runs stored in the output folder, cuts the rest into chunks
(:func:`chunk_sizes`), keeps a bounded window of them in flight on a
:class:`~ecosim.sweep.backends.Backend`, stores each as it completes and re-runs, one by one
and alone, the runs of chunks whose worker process died (see :mod:`ecosim.sweep`).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import time
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ecosim.sweep.backends import Backend
from ecosim.sweep.designs import plain_value
from ecosim.sweep.loading import Sweep, load_sweep
from ecosim.sweep.storage import (
    check_folder,
    prepare_folder,
    stored_runs,
    write_chunk,
    write_manifest,
)
from ecosim.sweep.worker import ChunkTask, Runner, RunTask, run_chunk


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


def _chunk_id(run_ids: Sequence[str]) -> str:
    return hashlib.sha256(",".join(sorted(run_ids)).encode()).hexdigest()[:16]


def _fingerprint(sweep: Sweep, runner: Runner | None) -> str:
    outputs = sweep.spec.outputs.model_dump(mode="json")
    name = "default" if runner is None else f"{runner.__module__}.{runner.__qualname__}"
    text = json.dumps({"base": sweep.base_data, "outputs": outputs, "runner": name}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


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
        backend: ``serial``, ``processes`` (default) or ``dask``, or a :class:`Backend`. A
            backend named here is started and stopped by the sweep; a :class:`Backend` object
            is the caller's: started if need be and left running, so that several sweeps (the
            scenarios of ``ecosim compare``) share its warm workers; the caller closes it.
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
        SweepError: ``out`` is not usable (a file, another sweep's folder, not writable), or
            the backend is unknown.
        ValueError: ``chunk_size`` is less than 1.
        OSError: Storing results failed (a full disk); the chunks stored before are kept.
        KeyboardInterrupt: After storing every chunk completed so far.

    An error is never masked by a failure to update the manifest afterwards: that failure is
    added to the error as a note.
    """
    start = time.perf_counter()
    if chunk_size is not None and chunk_size < 1:
        raise ValueError(f"chunk_size must be 1 or more (got {chunk_size})")
    if not isinstance(sweep, Sweep):
        sweep = load_sweep(sweep)
    out = Path(out) if out is not None else sweep.default_out
    if scheduler and isinstance(backend, str):
        backend = "dask"
    owned = not isinstance(backend, Backend)
    engine = Backend(backend, workers, scheduler) if owned else backend
    fingerprint = _fingerprint(sweep, runner)
    manifest = check_folder(out, fingerprint)

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
        prepare_folder(out, sweep)
        manifest |= {
            "name": sweep.spec.name,
            "fingerprint": fingerprint,
            "runs": len(unique),
            "ecosim_version": _version(),
            "backend": engine.kind,
        }
        write_manifest(out, manifest)
        if tasks:
            size = chunk_size or sweep.spec.chunk_size
            if size:
                sizes = [size] * math.ceil(len(tasks) / size)
            else:
                sizes = chunk_sizes(len(tasks), engine.workers)
            bounds = list(itertools.accumulate(sizes, initial=0))
            chunks = [_Chunk(tasks[a:b]) for a, b in itertools.pairwise(bounds)]
            _execute(engine, chunks, sweep, out, summary, labels, runner, progress)
    except BaseException as exc:
        summary.interrupted = isinstance(exc, KeyboardInterrupt)
        _finish(engine, owned, out, manifest, fingerprint, summary, start, exc)
        raise
    _finish(engine, owned, out, manifest, fingerprint, summary, start, None)
    return summary


def _finish(
    engine: Backend,
    owned: bool,
    out: Path,
    manifest: dict[str, Any],
    fingerprint: str,
    summary: SweepSummary,
    start: float,
    error: BaseException | None,
) -> None:
    """Stop the workers (if the sweep started the backend) and record the invocation in the
    manifest (if the folder was prepared).

    With an ``error`` under way, failing to write the manifest (the same full disk, say) is
    added to it as a note instead of replacing it.
    """
    if owned:
        engine.close()
    summary.wall_time = time.perf_counter() - start
    if manifest.get("fingerprint") != fingerprint:  # the folder was not prepared
        return
    manifest["updated"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    manifest["last"] = {
        "done": summary.done,
        "failed": summary.failed,
        "skipped": summary.skipped,
        "interrupted": summary.interrupted,
        "wall_time_s": round(summary.wall_time, 3),
    }
    try:
        write_manifest(out, manifest)
    except OSError as exc:
        if error is None:
            raise
        error.add_note(f"and the manifest could not be updated: {exc}")


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
        write_chunk(out, chunk_id, records, ts, labels)
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
