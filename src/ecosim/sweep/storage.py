"""A sweep's folder: what is written there, atomically, and how it is read back.

The layout is described in :mod:`ecosim.sweep`. Files are written to a temporary name and then
moved into place (``os.replace``), so a folder never holds a partial file under its final name;
a run counts as stored once its chunk's ``runs`` file exists (:func:`stored_runs`). The
``manifest.json`` fingerprint ties a folder to one sweep (:func:`check_folder`). Results are
read back with :func:`load_results`, :func:`load_failures` and :func:`load_timeseries`.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ecosim._stale import stale
from ecosim.sweep.errors import SweepError
from ecosim.sweep.loading import Sweep

RUN_COLUMNS: tuple[str, ...] = ("run_id", "status", "error", "traceback", "wall_time_s")
"""The columns of a stored run record besides its summaries."""


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    _atomic(path, lambda tmp: tmp.write_bytes(data))


def _atomic_parquet(frame: pd.DataFrame, path: Path) -> None:
    _atomic(path, lambda tmp: frame.to_parquet(tmp, index=False))


def _atomic(path: Path, write: Callable[[Path], Any]) -> None:
    """``write`` a temporary sibling of ``path``, then move it into place; on failure (a full
    disk) remove the temporary, so the folder holds no partial file under any name."""
    tmp = path.with_name(f"{_tmp_prefix(path.name)}{os.getpid()}")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _tmp_prefix(name: str) -> str:
    return f".{name}.tmp-"


def _remove_stale(out: Path) -> None:
    """Remove temporary files left in the folder by sweep processes that were killed."""
    for folder in (out, out / "runs", out / "timeseries"):
        for path in folder.glob(".*.tmp-*"):
            name = path.name[1:].rpartition(".tmp-")[0]
            if stale(path, _tmp_prefix(name)):
                path.unlink(missing_ok=True)


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


def check_folder(out: Path, fingerprint: str) -> dict[str, Any]:
    """The folder's manifest (a new one for a new folder), checked before anything runs.

    Raises:
        SweepError: ``out`` is a file, holds another sweep or other files, or cannot be
            written (see :func:`ecosim.results.check_output_folder`).
    """
    if out.exists() and not out.is_dir():
        raise SweepError(f"{out} is a file, not a sweep folder; choose another output folder")
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
    _check_writable(out)
    return {"created": time.strftime("%Y-%m-%dT%H:%M:%S")}


def _check_writable(out: Path) -> None:
    from ecosim.results import check_output_folder

    try:
        check_output_folder(out)
    except OSError as exc:
        raise SweepError(f"{exc}; choose another output folder") from None


def prepare_folder(out: Path, sweep: Sweep) -> None:
    """Write the sweep's specification, base scenario and design (the folder is checked).

    Temporary files of sweep processes that were killed while writing are removed first.
    """
    for sub in ("runs", "timeseries"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    _remove_stale(out)
    spec = sweep.spec.model_dump(mode="json", exclude={"out"})
    spec["base"] = str(Path(sweep.source).parent / sweep.spec.base)
    _atomic_write_bytes(out / "sweep.yaml", yaml.safe_dump(spec, sort_keys=False).encode())
    scenario_text = yaml.safe_dump(sweep.base_data, sort_keys=False)
    _atomic_write_bytes(out / "scenario.yaml", scenario_text.encode())
    _atomic_parquet(sweep.design, out / "design.parquet")


def write_manifest(out: Path, manifest: dict[str, Any]) -> None:
    """Write a sweep folder's ``manifest.json`` (atomically)."""
    text = json.dumps(manifest, indent=2, sort_keys=True)
    _atomic_write_bytes(out / "manifest.json", text.encode())


def write_chunk(
    out: Path,
    chunk_id: str,
    records: list[dict[str, Any]],
    ts: pd.DataFrame | None,
    summaries: Sequence[str],
) -> None:
    """Store a completed chunk: its run records and, if any, its time series.

    The ``runs`` file is written last: a run counts as stored once it exists, so a chunk
    whose writing was cut short is run again, time series included.

    Args:
        out: The sweep folder.
        chunk_id: Names the files, ``chunk-<chunk_id>.parquet``.
        records: One record per run: ``run_id``, ``status``, the summaries (for runs that
            succeeded), ``error``, ``traceback`` and ``wall_time_s``.
        ts: The chunk's monthly outputs (``run_id``, ``month``, columns), or ``None``.
        summaries: The summary labels, in the order of the stored columns.
    """
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
