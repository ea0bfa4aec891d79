"""Sweeps: designs and ids, validation errors, backends, resume, failures and dead workers."""

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
from typer.testing import CliRunner

from ecosim.cli import app
from ecosim.config import Scenario, ScenarioError, load_scenario, scenario_from_dict
from ecosim.sweep import (
    WORKER_ENV,
    Backend,
    build_design,
    chunk_sizes,
    default_runner,
    load_failures,
    load_results,
    load_sweep,
    load_timeseries,
    run_outputs,
    run_sweep,
    stored_runs,
    summarise,
    sweep_from_dict,
    warm_up,
)

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
SEP = "behaviour.separation_rate"
THR = "matching.acceptance_threshold"
OTJ = "behaviour.on_the_job_search_share"


def spec(**changes: Any) -> dict[str, Any]:
    """A small grid sweep on the tiny scenario, with changes."""
    data: dict[str, Any] = {
        "name": "t",
        "base": str(TINY),
        "set": {"months": 4},
        "parameters": {SEP: {"values": [0.005, 0.01, 0.015, 0.02]}, THR: {"values": [0.6, 0.7]}},
        "replications": 1,
        "outputs": {"window": 2, "summaries": ["unemployment_rate", "vacancy_rate"]},
    }
    data.update(changes)
    return data


@pytest.fixture(autouse=True)
def _fresh_runners():
    runners.reset()
    yield
    runners.reset()


# --------------------------------------------------------------------------- designs and ids


def test_designs_have_the_expected_number_of_runs_and_stable_ids() -> None:
    grid = sweep_from_dict(
        spec(
            parameters={
                SEP: {"values": [0.005, 0.01, 0.02]},
                THR: {"range": [0.6, 0.9], "levels": 4},
            },
            replications=2,
        )
    )
    assert len(grid.design) == 3 * 4 * 2
    assert grid.design["run_id"].is_unique
    assert sorted(grid.design[THR].unique()) == pytest.approx([0.6, 0.7, 0.8, 0.9])
    three = {SEP: {"range": [0.004, 0.03]}, THR: {"range": [0.6, 0.9]}, OTJ: {"range": [0, 0.2]}}
    sizes = {
        ("lhs", False): 10,
        ("sobol", False): 8 * (3 + 2),
        ("sobol", True): 8 * (2 * 3 + 2),
        ("morris", False): 5 * (3 + 1),
    }
    for (kind, second), expected in sizes.items():
        samples = 10 if kind == "lhs" else 8 if kind == "sobol" else 5
        design = {"kind": kind, "samples": samples}
        if second:
            design["second_order"] = True
        sw = sweep_from_dict(spec(parameters=three, design=design))
        assert len(sw.design) == expected, kind
        again = build_design(sw.spec, sw.base.seed)
        assert again["run_id"].tolist() == sw.design["run_id"].tolist()
    # Ids depend on parameter values and seed only, not on the order parameters are listed in.
    reordered = spec(parameters=dict(reversed(list(spec()["parameters"].items()))))
    ids = set(sweep_from_dict(spec()).design["run_id"])
    assert set(sweep_from_dict(reordered).design["run_id"]) == ids


def test_seeds_common_and_independent() -> None:
    common = sweep_from_dict(spec(replications=3, seed=100)).design
    assert set(common["seed"]) == {100, 101, 102}
    indep = sweep_from_dict(spec(replications=3, seed=100, seeds="independent")).design
    assert indep["seed"].is_unique
    assert (indep["seed"] >= 0).all()
    assert sweep_from_dict(spec(replications=2)).design["seed"].tolist()[:2] == [7, 8]


# --------------------------------------------------------------------------- bad sweep files


BAD = f"""\
name: bad
base: {TINY}
set:
  behaviour.separation_rate: 0.5
parameters:
  behaviour.separation_rate:
    values: [0.01, 1.5]
  behaviour.separaton_rate:
    values: [0.01]
  matching.acceptance_threshold:
    range: [0.5, 1.2]
replication: 2
outputs:
  summaries:
    - unemployment_rat
"""


def test_bad_sweep_files_get_the_same_clear_errors_as_scenarios(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    with pytest.raises(ScenarioError) as info:
        load_sweep(bad)
    assert [str(p) for p in info.value.problems] == [
        f"{bad}:12: replication: unknown field (got 2)"
    ]
    bad.write_text(BAD.replace("replication: 2\n", ""))
    with pytest.raises(ScenarioError) as info:
        load_sweep(bad)
    lines = [str(p) for p in info.value.problems]
    assert lines == [
        f"{bad}:4: set.behaviour.separation_rate: Input should be less than or equal to 0.2 "
        "(got 0.5)"
    ]
    bad.write_text(
        BAD.replace("replication: 2\n", "").replace("behaviour.separation_rate: 0.5", "seed: 3")
    )
    with pytest.raises(ScenarioError) as info:
        load_sweep(bad)
    lines = [str(p) for p in info.value.problems]
    assert (
        f"{bad}:7: parameters.behaviour.separation_rate.values.1: "
        "Input should be less than or equal to 0.2 (got 1.5)"
    ) in lines
    assert any(
        line.startswith(f"{bad}:8: parameters.behaviour.separaton_rate: not a scenario value")
        for line in lines
    )
    assert (
        f"{bad}:11: parameters.matching.acceptance_threshold.range.1: "
        "Input should be less than or equal to 1 (got 1.2)"
    ) in lines
    assert any(
        line.startswith(f"{bad}:14: outputs.summaries.0: unknown output column")
        and line.endswith("(got 'unemployment_rat')")
        for line in lines
    )
    assert (
        f"{bad}:10: parameters.matching.acceptance_threshold: a grid needs levels for a range or "
        "a distribution (or give values)"
    ) in lines
    assert len(lines) == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: x\nbase: nowhere.yaml\n", "nowhere.yaml: file not found"),
        ("- 1\n", ":1: top level must be a mapping of sweep fields, not a list"),
        ("name: x\nbase: [\n", "YAML syntax error"),
        (
            f"name: x\nbase: {TINY}\nparameters:\n  seed: {{values: [1]}}\n"
            "design: {kind: sobol, samples: 6}\n",
            ":5: design: Value error, sobol samples must be a power of 2",
        ),
        (
            f"name: x\nbase: {TINY}\nparameters:\n  matching.mode: {{values: [search]}}\n"
            "  behaviour.layoff_rate: {range: [0.1, 0.2], values: [1]}\n",
            ":5: parameters.behaviour.layoff_rate: Value error, give exactly one of values, "
            "range or distribution",
        ),
        (
            f"name: x\nbase: {TINY}\nparameters:\n"
            "  behaviour.layoff_rate: {distribution: {dist: normal, mean: 0.2}, levels: 3}\n",
            ":4: parameters.behaviour.layoff_rate.distribution: Value error, "
            "normal needs mean, sd; missing sd",
        ),
    ],
)
def test_bad_sweep_file_cases(tmp_path: Path, text: str, expected: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(ScenarioError) as info:
        load_sweep(bad)
    assert expected in str(info.value)


def test_cli_reports_bad_sweep_files_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    result = CliRunner().invoke(app, ["sweep", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:12: replication: unknown field" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("path", sorted((ROOT / "sweeps").glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_sweep_files_validate(path: Path) -> None:
    assert len(load_sweep(path).design) > 0


OLD_NAMES = f"""\
name: old
base: {TINY}
parameters:
  behaviour.on_the_job_search_share:
    distribution: {{kind: truncnorm, mean: 0.05, std: 0.03, low: 0.0, high: 0.2}}
  behaviour.layoff_rate:
    distribution:
      dist: normal
      mean: 0.2
      std: 0.01
design: {{kind: lhs, samples: 4}}
"""


def test_old_distribution_names_in_a_sweep_name_the_new_spelling(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(OLD_NAMES)
    otj = "parameters.behaviour.on_the_job_search_share.distribution"
    expected = [
        f"{old}:5: {otj}.kind: renamed; write dist: truncnorm",
        f"{old}:5: {otj}.std: renamed; write sd: 0.03",
        f"{old}:10: parameters.behaviour.layoff_rate.distribution.std: renamed; write sd: 0.01",
    ]
    with pytest.raises(ScenarioError) as info:
        load_sweep(old)
    assert [str(p) for p in info.value.problems] == expected
    result = CliRunner().invoke(app, ["sweep", str(old)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [*expected, "3 problems found."]
    assert "Traceback" not in result.output
    old.write_text(OLD_NAMES.replace("kind: truncnorm", "dist: truncnorm").replace("std:", "sd:"))
    design = load_sweep(old).design
    assert len(design) == 4
    assert design[OTJ].between(0.0, 0.2).all()


# --------------------------------------------------------------------------- execution


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
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run_sweep(
            sweep_from_dict(spec(outputs={"summaries": [{"column": "hires", "stat": "max"}]})),
            threads,
            backend=Backend("dask", scheduler=address),
            chunk_size=3,
            progress=False,
            runner=threads_runner,
        )
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


def test_chunks_shrink_toward_the_end_of_a_sweep() -> None:
    for runs, workers in [(1, 1), (7, 2), (64, 2), (1000, 2), (500, 8), (3, 16)]:
        sizes = chunk_sizes(runs, workers)
        assert sum(sizes) == runs
        assert sizes == sorted(sizes, reverse=True)
        assert max(sizes) <= 16 and min(sizes) == 1
    assert chunk_sizes(64, 2)[:3] == [16, 12, 9]
    assert chunk_sizes(64, 2)[-4:] == [1, 1, 1, 1]  # one run per worker and then some
    assert chunk_sizes(64, 2, largest=4)[0] == 4


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


def test_warm_up_ignores_errors() -> None:
    assert warm_up({"not": "a scenario"}) >= 0.0


def test_interrupted_sweep_resumes_to_the_same_results(tmp_path: Path) -> None:
    sw = sweep_from_dict(spec(replications=2))
    full = tmp_path / "full"
    run_sweep(sw, full, backend="serial", progress=False, runner=runners.interrupting_runner)
    assert len(runners.CALLS) == 16
    runners.reset()

    out = tmp_path / "resumed"
    runners.INTERRUPT_AT = 7
    with pytest.raises(KeyboardInterrupt):
        run_sweep(
            sw,
            out,
            backend="serial",
            chunk_size=3,
            progress=False,
            runner=runners.interrupting_runner,
        )
    first = list(runners.CALLS)
    assert len(first) == 6 and len(stored_runs(out)) == 6  # two whole chunks of three
    # A write cut short by a kill leaves only a hidden temporary file, which is ignored.
    (out / "runs" / ".chunk-deadbeef.parquet.tmp-1").write_bytes(b"partial")
    runners.reset()
    summary = run_sweep(
        sw, out, backend="serial", progress=False, runner=runners.interrupting_runner
    )
    assert (summary.done, summary.failed, summary.skipped) == (10, 0, 6)
    computed = first + runners.CALLS
    assert len(computed) == 16 and len(set(computed)) == 16  # no run computed twice
    pd.testing.assert_frame_equal(load_results(out), load_results(full))


def test_a_run_that_raises_is_recorded_and_the_rest_complete(tmp_path: Path) -> None:
    sw = sweep_from_dict(spec(replications=2))
    out = tmp_path / "out"
    summary = run_sweep(
        sw, out, backend="serial", chunk_size=5, progress=False, runner=runners.failing_runner
    )
    assert (summary.done, summary.failed, summary.skipped) == (12, 4, 0)
    assert "4 failed" in str(summary)
    failures = load_failures(out)
    assert len(failures) == 4 and (failures[SEP] == 0.02).all()
    assert failures["error"].str.startswith("ValueError: boom").all()
    assert failures["traceback"].str.contains("failing_runner").all()
    ok = load_results(out)
    assert len(ok) == 12 and (ok["status"] == "ok").all()
    again = run_sweep(
        sw, out, backend="serial", progress=False, runner=runners.failing_runner, retry_failed=False
    )
    assert (again.done, again.failed, again.skipped) == (0, 0, 16)
    retried = run_sweep(sw, out, backend="serial", progress=False, runner=runners.failing_runner)
    assert (retried.done, retried.failed, retried.skipped) == (0, 4, 12)
    assert len(load_results(out)) == 12


@pytest.mark.parametrize("backend", ["processes", "dask"])
def test_a_dead_worker_has_its_chunk_retried_once(
    tmp_path: Path, monkeypatch, backend: str
) -> None:
    monkeypatch.setenv(runners.MARKER_DIR_ENV, str(tmp_path))
    sw = sweep_from_dict(spec(parameters={SEP: {"values": [0.005, 0.01, 0.02, 0.015]}}))
    out = tmp_path / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dask's port chatter and its dead-worker reports
        summary = run_sweep(
            sw,
            out,
            backend=backend,
            workers=2,
            chunk_size=2,
            progress=False,
            runner=runners.dying_runner,
        )
    assert (tmp_path / "died-once").exists()
    assert (summary.done, summary.failed, summary.skipped) == (3, 1, 0)
    failures = load_failures(out)
    assert failures[SEP].tolist() == [0.02]
    assert "worker process died twice" in failures["error"].iloc[0]
    assert sorted(load_results(out)[SEP]) == [0.005, 0.01, 0.015]


def test_another_sweep_in_the_same_folder_is_refused(tmp_path: Path) -> None:
    from ecosim.sweep import SweepError

    out = tmp_path / "out"
    run_sweep(
        sweep_from_dict(spec()), out, backend="serial", progress=False, runner=runners.linear_runner
    )
    changed = sweep_from_dict(spec(set={"months": 5}))
    with pytest.raises(SweepError, match="different sweep"):
        run_sweep(changed, out, backend="serial", progress=False, runner=runners.linear_runner)


def test_cli_sweep_runs_and_resumes(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(spec(out="results")))
    args = ["sweep", str(path), "--backend", "serial", "--runner", "_sweep_runners:linear_runner"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "8 runs — 8 done, 0 failed, 0 skipped" in first.stdout
    assert (tmp_path / "results" / "design.parquet").is_file()
    second = CliRunner().invoke(app, args)
    assert "0 done, 0 failed, 8 skipped" in second.stdout


def test_mesa_batch_run_accepts_a_scenario_path_and_dotted_overrides() -> None:
    import mesa

    import ecosim

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # iterations=, as users write it
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
