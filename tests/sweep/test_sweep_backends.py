"""Backends: identical results on each, existing Dask schedulers, warm one-thread workers."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import _sweep_runners as runners
import pandas as pd
import pytest
import yaml
from sweep_files import SEP, spec
from typer.testing import CliRunner

from ecosim.cli import app
from ecosim.config import Scenario
from ecosim.sweep import (
    WORKER_ENV,
    Backend,
    load_failures,
    load_results,
    load_timeseries,
    run_sweep,
    sweep_from_dict,
)


def backend_spec(**changes: Any) -> dict[str, Any]:
    """The sweep run on every backend: 4 runs of the real model, summaries and time series."""
    return spec(
        parameters={SEP: {"values": [0.005, 0.02]}},
        replications=2,
        outputs={"window": 3, "timeseries": ["unemployment_rate", "hires"]},
        **changes,
    )


def test_backends_give_identical_results(tmp_path: Path) -> None:
    sw = sweep_from_dict(backend_spec())
    results, series = {}, {}
    for backend in ("serial", "processes", "dask"):
        out = tmp_path / backend
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dask's port and shutdown chatter
            summary = run_sweep(sw, out, backend=backend, workers=2, progress=False)
        assert (summary.done, summary.failed, summary.skipped) == (4, 0, 0), load_failures(out)[
            "traceback"
        ].tolist()
        results[backend] = load_results(out)
        series[backend] = load_timeseries(out)
    assert len(results["serial"]) == 4
    assert results["serial"]["unemployment_rate_mean"].notna().all()
    assert len(series["serial"]) == 4 * 5
    for backend in ("processes", "dask"):
        pd.testing.assert_frame_equal(results[backend], results["serial"])
        pd.testing.assert_frame_equal(series[backend], series["serial"])


def threads_runner(scenario: Scenario, seed: int) -> pd.DataFrame:
    """linear_runner, with ``hires`` = the numba threads this run may use (in its worker)."""
    import numba

    frame = runners.linear_runner(scenario, seed)
    frame["hires"] = float(numba.get_num_threads())
    return frame


@pytest.fixture(scope="module")
def external_cluster() -> Iterator[tuple[Any, Any]]:
    """A Dask cluster the sweeps did not start, as on a cluster (dask-jobqueue, dask-scheduler).

    Its workers are not given WORKER_ENV and default to two numba threads, like workers on a
    multi-core node whose job script does not export it.
    """
    from distributed import Client, LocalCluster

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dask's port chatter
        cluster = LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            env={"NUMBA_NUM_THREADS": "2"},
        )
        client = Client(cluster)
    try:
        yield cluster, client
    finally:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            client.close()
            cluster.close()


@pytest.fixture(scope="module")
def serial_reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Results and time series of the backend sweep on the serial backend."""
    out = tmp_path_factory.mktemp("serial") / "out"
    summary = run_sweep(sweep_from_dict(backend_spec()), out, backend="serial", progress=False)
    assert (summary.done, summary.failed) == (4, 0)
    return load_results(out), load_timeseries(out)


def test_an_existing_scheduler_runs_the_sweep_and_is_left_running(
    tmp_path: Path, external_cluster: tuple[Any, Any], serial_reference: Any
) -> None:
    import operator

    import distributed

    cluster, client = external_cluster
    address = cluster.scheduler_address
    out = tmp_path / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        summary = run_sweep(sweep_from_dict(backend_spec()), out, scheduler=address, progress=False)
    assert (summary.done, summary.failed, summary.skipped) == (4, 0, 0), load_failures(out)[
        "traceback"
    ].tolist()
    assert json.loads((out / "manifest.json").read_text())["backend"] == "dask"
    results, series = serial_reference
    pd.testing.assert_frame_equal(load_results(out), results)
    pd.testing.assert_frame_equal(load_timeseries(out), series)

    # The sweep closed its own client only: the cluster, its workers and the caller's client
    # (still the default one) go on working.
    assert cluster.status.name == "running"
    assert len(client.scheduler_info()["workers"]) == 2
    assert client.submit(operator.add, 1, 2).result() == 3
    assert distributed.default_client() is client

    # Each run gets one numba thread on workers that would otherwise use two (configure_worker
    # in run_chunk), although the sweep cannot give an external cluster WORKER_ENV.
    threads = tmp_path / "threads"
    engine = Backend("dask", scheduler=address)  # the caller's: left running, closed here
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            run_sweep(
                sweep_from_dict(spec(outputs={"summaries": [{"column": "hires", "stat": "max"}]})),
                threads,
                backend=engine,
                chunk_size=3,
                progress=False,
                runner=threads_runner,
            )
            assert engine._executor is not None and engine._client is not None
        finally:
            engine.close()
    used = load_results(threads)
    assert len(used) == 8 and (used["hires_max"] == 1.0).all()
    assert len(client.scheduler_info()["workers"]) == 2


def test_cli_sweep_on_an_existing_scheduler(
    tmp_path: Path, external_cluster: tuple[Any, Any], serial_reference: Any
) -> None:
    cluster, client = external_cluster
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(backend_spec(out="results")))
    args = ["sweep", str(path), "--backend", "dask", "--scheduler", cluster.scheduler_address]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "4 runs — 4 done, 0 failed, 0 skipped" in result.stdout
    results, series = serial_reference
    pd.testing.assert_frame_equal(load_results(tmp_path / "results"), results)
    pd.testing.assert_frame_equal(load_timeseries(tmp_path / "results"), series)
    assert client.submit(sum, [1, 2, 3]).result() == 6  # the cluster is still up
    # --scheduler alone implies the dask backend; a resumed sweep has nothing left to run.
    again = CliRunner().invoke(app, ["sweep", str(path), "--scheduler", cluster.scheduler_address])
    assert again.exit_code == 0, again.output
    assert "0 done, 0 failed, 4 skipped" in again.stdout


def test_processes_workers_start_warm_with_one_thread(tmp_path: Path) -> None:
    import os

    before = {k: os.environ.get(k) for k in WORKER_ENV}
    base = sweep_from_dict(spec()).base_data
    warm = Backend("processes", 2)
    cold = Backend("processes", 1)
    try:
        warm.start(warmup=base)
        cold.start()
        assert {k: os.environ.get(k) for k in WORKER_ENV} == before  # the parent's is restored
        states = [warm.executor().submit(runners.worker_state).result() for _ in range(4)]
        cold_state = cold.executor().submit(runners.worker_state).result()
    finally:
        warm.close()
        cold.close()
    assert all(s["model_loaded"] and s["numba_threads"] == 1 for s in states)
    assert all(s["env"] == {"NUMBA_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"} for s in states)
    assert not cold_state["model_loaded"]  # no warm-up without base data (custom runners)
    assert cold_state["env"]["OPENBLAS_NUM_THREADS"] == "1"
