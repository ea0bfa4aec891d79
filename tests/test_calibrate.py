"""Calibration by simulated moments: the reduced file of the tests end to end, its outputs,
resuming, and located errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from ecosim import RegionModel, load_scenario
from ecosim.calibrate import calibrate, calibration_from_dict, distance, load_calibration
from ecosim.cli import app
from ecosim.config import ScenarioError
from ecosim.sweep import stored_runs

DATA = Path(__file__).resolve().parent / "data"
TINY = DATA / "calibration_tiny.yaml"


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    out = tmp_path_factory.mktemp("calibration")
    return calibrate(TINY, out, backend="serial", progress=False)


def test_the_best_candidate_is_the_smallest_distance_of_the_trace(result) -> None:
    trace = result.trace
    assert set(trace["stage"]) == {"design", "refine"}
    assert (trace["stage"] == "design").sum() == 4
    assert result.distance == trace["distance"].min()
    best = trace.loc[trace["distance"].idxmin()]
    for name, value in result.best.items():
        assert best[name] == pytest.approx(value)
        low, high = load_calibration(TINY).spec.parameters[name].range
        assert low <= value <= high


def test_moments_are_recomputed_exactly_from_plain_runs(result) -> None:
    """The moment table is factor x the window mean of the indicator, averaged over seeds."""
    cal = load_calibration(TINY)
    spec = cal.spec
    overrides = {**spec.set, **result.best}
    scenario = load_scenario(DATA / "tiny.yaml", overrides)
    first, last = spec.window
    per_seed = []
    for i in range(spec.seeds):
        ts = RegionModel(scenario, seed=scenario.seed + i).run()
        window = ts.loc[first:last]
        per_seed.append(
            {n: t.factor * window[t.column or n].mean() for n, t in spec.targets.items()}
        )
    expected = pd.DataFrame(per_seed).mean()
    table = result.moments.set_index("moment")
    for name in spec.targets:
        assert table.loc[name, "model"] == pytest.approx(expected[name], rel=1e-12)
        target = spec.targets[name]
        assert table.loc[name, "z"] == pytest.approx((expected[name] - target.value) / target.se)
    assert result.distance == pytest.approx(
        distance({n: expected[n] / spec.targets[n].factor for n in spec.targets}, spec)
    )


def test_output_files_and_a_calibrated_scenario_that_extends_the_base(result) -> None:
    out = result.out
    for name in ("trace.csv", "moments.csv", "calibration.json", "calibration.png"):
        assert (out / name).is_file(), name
    summary = json.loads((out / "calibration.json").read_text())
    assert summary["best"] == pytest.approx(result.best)
    scenario = load_scenario(out / "calibrated.yaml")
    assert scenario.behaviour.separation_rate == pytest.approx(
        result.best["behaviour.separation_rate"]
    )
    assert scenario.behaviour.on_the_job_search_share == pytest.approx(
        result.best["behaviour.on_the_job_search_share"]
    )
    assert scenario.workforce.persons == load_scenario(DATA / "tiny.yaml").workforce.persons
    assert not list(out.rglob("*.tmp"))


def test_running_again_reuses_every_stored_run(result, tmp_path) -> None:
    out = tmp_path / "again"
    shutil.copytree(result.out, out)
    folders = [out / "design", *(out / "refine").iterdir()]
    runs = {p: stored_runs(p) for p in folders}
    files = {f: f.stat().st_mtime_ns for p in folders for f in (p / "runs").iterdir()}
    again = calibrate(TINY, out, backend="serial", progress=False)
    assert {p: stored_runs(p) for p in folders} == runs
    assert {f: f.stat().st_mtime_ns for f in files} == files  # nothing was run again
    assert sorted((out / "refine").iterdir()) == sorted(folders[1:])
    assert again.best == result.best
    assert np.array_equal(again.trace["distance"], result.trace["distance"])


def test_bad_calibrations_are_located_and_exit_2(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    shutil.copy(DATA / "tiny.yaml", tmp_path / "tiny.yaml")
    bad.write_text(
        "name: bad\n"
        "base: tiny.yaml\n"
        "targets:\n"
        "  nosuch: {value: 1, se: 0.1}\n"
        "  unemployment_rate: {value: 0.05, se: 0}\n"
        "parameters:\n"
        "  behaviour.separation_rate: {values: [0.01]}\n"
        "  behaviour.no_such_field: {range: [0, 1]}\n"
    )
    result = CliRunner().invoke(app, ["calibrate", str(bad)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert f"{bad}:5: targets.unemployment_rate.se" in result.output
    bad.write_text(bad.read_text().replace("se: 0}", "se: 0.01}"))
    result = CliRunner().invoke(app, ["calibrate", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:4: targets.nosuch: unknown indicator 'nosuch'" in result.output
    assert f"{bad}:7: parameters.behaviour.separation_rate: a free parameter needs bounds" in (
        result.output
    )


def test_unknown_parameter_paths_are_refused_like_a_sweeps() -> None:
    data = {
        "name": "x",
        "base": "tiny.yaml",
        "targets": {"unemployment_rate": {"value": 0.05, "se": 0.01}},
        "parameters": {"behaviour.no_such_field": {"range": [0.0, 1.0]}},
    }
    with pytest.raises(ScenarioError, match="no_such_field"):
        calibration_from_dict(data, base_dir=DATA)


def test_the_dutch_calibration_file_is_valid() -> None:
    cal = load_calibration(Path(__file__).resolve().parents[1] / "calibration" / "nl_2023.yaml")
    assert all(t.source for t in cal.spec.targets.values())
    assert len(cal.sweep.design) == cal.spec.design.samples * cal.spec.seeds
