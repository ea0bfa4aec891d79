"""Runs on a worker: the model's own values bit for bit, warm-up, Mesa's batch_run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

import _sweep_runners as runners
import pandas as pd
import pytest
import yaml
from sweep_files import ROOT, SEP, TINY, spec

from ecosim.config import load_scenario, scenario_from_dict
from ecosim.sweep import (
    default_runner,
    load_results,
    load_timeseries,
    run_outputs,
    run_sweep,
    summarise,
    sweep_from_dict,
    warm_up,
)


def test_run_outputs_gives_the_model_s_own_values_bit_for_bit() -> None:
    scenario = load_scenario(TINY, {"months": 14, SEP: 0.02})
    full = default_runner(scenario, 3)  # RegionModel(scenario, seed=3).run()
    # Columns of both dtypes (persons are integers at an integer scale), out of order, repeated.
    columns = ["hires", "unemployment_rate", "labour_force", "mean_wage", "hires"]
    kept = run_outputs(scenario, 3, columns)
    assert kept.columns.tolist() == ["hires", "unemployment_rate", "labour_force", "mean_wage"]
    pd.testing.assert_frame_equal(kept, full[kept.columns.tolist()], check_exact=True)
    everything = run_outputs(scenario, 3, list(full.columns))
    pd.testing.assert_frame_equal(everything, full, check_exact=True)
    # No columns still gives the months (a sweep may keep nothing but its run records).
    assert run_outputs(scenario, 3, []).index.tolist() == list(range(15))


def test_default_sweep_runs_match_region_model_runs(tmp_path: Path) -> None:
    """Sweep results are those of RegionModel(scenario, seed).run() for the kept outputs."""
    sw = sweep_from_dict(
        spec(
            parameters={SEP: {"values": [0.005, 0.02]}},
            replications=2,
            outputs={
                "window": 3,
                "summaries": [
                    "unemployment_rate",
                    {"column": "hires", "stat": "sum", "window": [1, 4]},
                    {"column": "mean_skill_shortfall_of_hires", "stat": "max"},
                ],
                "timeseries": ["vacancy_rate", "hires"],
            },
        )
    )
    out = tmp_path / "out"
    summary = run_sweep(sw, out, backend="processes", workers=2, chunk_size=3, progress=False)
    assert (summary.done, summary.failed) == (4, 0)
    results, series = load_results(out), load_timeseries(out)
    for row in results.to_dict("records"):
        scenario = scenario_from_dict(sw.base_data, {SEP: row[SEP]})
        frame = default_runner(scenario, row["seed"])
        expected = summarise(frame, sw.summaries, sw.spec.outputs.window)
        assert {k: row[k] for k in expected} == expected  # exact equality
        kept = series[series["run_id"] == row["run_id"]]
        for column in ("vacancy_rate", "hires"):
            assert kept[column].tolist() == frame[column].tolist()
        assert kept["hires"].dtype == frame["hires"].dtype


def test_warm_up_ignores_errors() -> None:
    assert warm_up({"not": "a scenario"}) >= 0.0


def test_mesa_batch_run_accepts_a_scenario_path_and_dotted_overrides() -> None:
    import mesa

    import ecosim

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # iterations=, as users write it
        warnings.filterwarnings(
            "ignore", "mesa.batch_run gave no seed", UserWarning
        )  # the next test checks it
        rows = mesa.batch_run(
            ecosim.RegionModel,
            parameters={"scenario": str(TINY), SEP: [0.01, 0.02]},
            iterations=1,
            max_steps=3,
            number_processes=1,
            data_collection_period=-1,
            display_progress=False,
        )
    assert len(rows) == 2
    assert sorted(r[SEP] for r in rows) == [0.01, 0.02]
    assert all(r["Step"] == 3 and 0.0 <= r["unemployment_rate"] <= 1.0 for r in rows)
    # A fixed ``record`` (one name as a string) collects just that indicator, same values.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", "mesa.batch_run gave no seed", UserWarning)
        lean = mesa.batch_run(
            ecosim.RegionModel,
            parameters={"scenario": str(TINY), SEP: [0.01, 0.02], "record": "unemployment_rate"},
            iterations=1,
            max_steps=3,
            number_processes=1,
            data_collection_period=-1,
            display_progress=False,
        )
    assert all("mean_wage" not in r for r in lean)
    by_rate = {r[SEP]: r["unemployment_rate"] for r in rows}
    assert {r[SEP]: r["unemployment_rate"] for r in lean} == by_rate


def test_mesa_batch_run_replicates_differ_by_the_seeds_given_as_rng() -> None:
    """Mesa 3.5's batch_run takes the replicates' seeds as ``rng`` (its ``iterations=N`` is
    ``rng=[None] * N``, which the model warns about); agent reporters follow a sample."""
    import mesa

    import ecosim

    rows = mesa.batch_run(
        ecosim.RegionModel,
        parameters={
            "scenario": str(TINY),
            "record": "unemployment_rate",
            "agent_reporters": [{"status": "status"}],
            "agent_sample": 4,
        },
        rng=[1, 2, 3],
        max_steps=3,
        number_processes=1,
        data_collection_period=-1,
        display_progress=False,
    )
    assert len(rows) == 3 * 4  # one row per replicate and sampled worker
    assert {r["seed"] for r in rows} == {1, 2, 3}
    by_seed = {r["seed"]: r["unemployment_rate"] for r in rows}
    assert len(set(by_seed.values())) == 3, "replicates with different seeds must differ"
    solo = ecosim.RegionModel(TINY, seed=2, record="unemployment_rate").run(3)
    assert by_seed[2] == solo["unemployment_rate"].iloc[-1]
    assert {str(r["status"]) for r in rows} <= {"employed", "unemployed", "inactive", "retired"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mesa.batch_run(
            ecosim.RegionModel,
            parameters={"scenario": str(TINY), "record": "unemployment_rate"},
            iterations=2,
            max_steps=1,
            number_processes=1,
            display_progress=False,
        )
    assert any("rng=[0, 1, 2]" in str(w.message) for w in caught)


def test_workers_exit_when_the_sweep_process_is_killed(tmp_path: Path) -> None:
    """kill -9 of a sweep leaves no worker (nor the resource tracker holding its semaphores)."""
    psutil = pytest.importorskip("psutil")
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(spec(parameters={SEP: {"values": [0.005, 0.01]}})))
    env = os.environ | {runners.MARKER_DIR_ENV: str(tmp_path), "PYTHONPATH": str(ROOT / "tests")}
    command = [sys.executable, "-m", "ecosim", "sweep", str(path), "--out", str(tmp_path / "out")]
    command += ["--workers", "2", "--runner", "_sweep_runners:sleeping_runner", "--no-progress"]
    sweep = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300  # a bound on waiting for the start, not a measurement
        while len(list(tmp_path.glob("started-*"))) < 2 and time.monotonic() < deadline:
            assert sweep.poll() is None, "the sweep ended before its workers started"
            time.sleep(0.2)
        children = psutil.Process(sweep.pid).children(recursive=True)
        busy = {int(p.name.removeprefix("started-")) for p in tmp_path.glob("started-*")}
        assert busy <= {c.pid for c in children} and len(busy) == 2
    finally:
        sweep.kill()
        sweep.wait()
    gone, alive = psutil.wait_procs(children, timeout=120)
    for process in alive:  # do not leave them behind if the test fails
        process.kill()
    assert alive == []
    assert len(gone) >= 3  # both workers and the resource tracker
