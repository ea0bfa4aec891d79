"""The engine: chunk sizes, failed runs, dead workers retried once, the sweep command."""

from __future__ import annotations

import warnings
from pathlib import Path

import _sweep_runners as runners
import pytest
import yaml
from sweep_files import SEP, spec
from typer.testing import CliRunner

from ecosim.cli import app
from ecosim.sweep import chunk_sizes, load_failures, load_results, run_sweep, sweep_from_dict


def test_chunks_shrink_toward_the_end_of_a_sweep() -> None:
    for runs, workers in [(1, 1), (7, 2), (64, 2), (1000, 2), (500, 8), (3, 16)]:
        sizes = chunk_sizes(runs, workers)
        assert sum(sizes) == runs
        assert sizes == sorted(sizes, reverse=True)
        assert max(sizes) <= 16 and min(sizes) == 1
    assert chunk_sizes(64, 2)[:3] == [16, 12, 9]
    assert chunk_sizes(64, 2)[-4:] == [1, 1, 1, 1]  # one run per worker and then some
    assert chunk_sizes(64, 2, largest=4)[0] == 4


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


@pytest.mark.parametrize("option", ["--chunk-size", "--workers"])
def test_cli_refuses_counts_below_one(tmp_path: Path, option: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(spec(out="results")))
    result = CliRunner().invoke(app, ["sweep", str(path), option, "-1", "--backend", "serial"])
    assert result.exit_code == 2
    assert f"Invalid value for '{option}'" in result.stderr
    assert not (tmp_path / "results").exists()


def test_run_sweep_refuses_a_chunk_size_below_one(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"chunk_size must be 1 or more \(got 0\)"):
        run_sweep(sweep_from_dict(spec()), tmp_path / "out", backend="serial", chunk_size=0)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("runner", "message"),
    [
        ("nosuchmodule:fn", "runner nosuchmodule:fn: cannot import nosuchmodule: No module named"),
        (
            "_sweep_runners:nosuch",
            "runner _sweep_runners:nosuch: module _sweep_runners has no nosuch",
        ),
        (
            "_sweep_runners:MARKER_DIR_ENV",
            "runner _sweep_runners:MARKER_DIR_ENV: MARKER_DIR_ENV is not a",
        ),
    ],
)
def test_cli_reports_a_runner_that_cannot_be_used(
    tmp_path: Path, runner: str, message: str
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(spec(out="results")))
    result = CliRunner().invoke(
        app, ["sweep", str(path), "--runner", runner, "--backend", "serial"]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {message}")
    assert "Traceback" not in result.output


def test_a_backend_given_by_the_caller_stays_up_for_the_next_sweep(tmp_path: Path) -> None:
    from ecosim.sweep import Backend

    engine = Backend("serial")
    try:
        for name in ("a", "b"):
            sweep = sweep_from_dict(spec(name=name))
            run_sweep(
                sweep, tmp_path / name, backend=engine, progress=False, runner=runners.linear_runner
            )
            assert engine._executor is not None, "the sweep closed the caller's backend"
    finally:
        engine.close()
    assert engine._executor is None
    assert len(load_results(tmp_path / "b")) == 8
