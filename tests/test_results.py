"""Results: collecting a run, exact save/load round trip, atomic writes, agent snapshots."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from ecosim import RegionModel, metrics
from ecosim import results as results_module
from ecosim.cli import app
from ecosim.results import Results, check_output_folder

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
RECORDED = {
    "by_sector",
    "by_occupation",
    "by_region",
    "skill_gaps",
    "inclusiveness",
    "unemployment_duration",
    "channels",
    "closures",
}
DERIVED = {"mismatch", "beveridge_curve", "matching_function", "time_to_fill"}
BOOKED = {"instruments"}  # from the government's ledger


@pytest.fixture(scope="module")
def results() -> Results:
    model = RegionModel(TINY)
    recorder = metrics.AgentSnapshotRecorder([0, 2])
    recorder.record(model.snapshot())
    model.recorders.append(recorder)
    model.run(months=3)
    return Results.from_model(model, wall_time=1.5)


def assert_results_equal(a: Results, b: Results) -> None:
    pd.testing.assert_frame_equal(a.timeseries, b.timeseries, check_exact=True)
    assert list(a.tables) == list(b.tables)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_exact=True)
    if a.agents is None:
        assert b.agents is None
    else:
        pd.testing.assert_frame_equal(a.agents, b.agents, check_exact=True)
    assert a.provenance == b.provenance


def test_from_model_collects_recorded_and_derived_tables(results: Results) -> None:
    assert set(results.tables) == RECORDED | DERIVED | BOOKED
    assert results.timeseries.index.name == "month" and len(results.timeseries) == 4
    for name in RECORDED - {"unemployment_duration", "closures"}:
        assert sorted(results.tables[name]["month"].unique()) == [0, 1, 2, 3], name
    assert results.provenance["wall_time_s"] == 1.5
    assert results.provenance["sstv_alpha"] == 0.5


def test_agent_snapshots_at_chosen_months(results: Results) -> None:
    agents = results.agents
    assert agents is not None
    assert sorted(agents["month"].unique()) == [0, 2]
    assert {"worker", "status", "age", "education", "occupation", "skill_tech"} <= set(agents)
    assert "retired" not in set(agents["status"])
    assert not agents.duplicated(["month", "worker"]).any()


def test_save_load_round_trip_is_exact(results: Results, tmp_path: Path) -> None:
    path = results.save(tmp_path / "res", figures=False)
    assert {p.name for p in (path / "tables").iterdir()} == {
        f"{n}.parquet" for n in RECORDED | DERIVED | BOOKED
    }
    assert (path / "agents.parquet").is_file()
    loaded = Results.load(path)
    assert_results_equal(results, loaded)
    assert isinstance(loaded.tables["by_sector"]["sector"].dtype, pd.CategoricalDtype)
    # agent snapshots are columnar Parquet with dictionary-encoded labels
    schema = pq.read_schema(path / "agents.parquet")
    assert str(schema.field("occupation").type).startswith("dictionary")
    readme = (path / "README.md").read_text()
    assert "tables/skill_gaps.parquet" in readme and "agents.parquet" in readme


def test_round_trip_keeps_categories_of_empty_tables(tmp_path: Path) -> None:
    empty = metrics.DurationRecorder().tables()["unemployment_duration"]
    ts = pd.DataFrame({"x": [1.0, 2.0]}, index=pd.RangeIndex(2, name="month"))
    original = Results(ts, {"seed": 1}, {"unemployment_duration": empty})
    loaded = Results.load(original.save(tmp_path / "r", figures=False))
    assert_results_equal(original, loaded)
    assert list(loaded.tables["unemployment_duration"]["duration"].cat.categories)[-1] == "24+"


def test_failure_mid_save_leaves_nothing_that_loads(
    results: Results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    real = pd.DataFrame.to_parquet

    def fail_on_fourth(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise OSError("disk full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", fail_on_fourth)
    with pytest.raises(OSError, match="disk full"):
        results.save(tmp_path / "res", figures=False)
    assert calls["n"] == 4  # it failed midway, after some tables were written
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(FileNotFoundError):
        Results.load(tmp_path / "res")


def test_failure_mid_save_keeps_an_earlier_folder(
    results: Results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = results.save(tmp_path / "res", figures=False)
    changed = Results(results.timeseries * 2, results.provenance, results.tables)
    real = pd.DataFrame.to_parquet
    calls = {"n": 0}

    def fail_on_third(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", fail_on_third)
    with pytest.raises(OSError):
        changed.save(path, figures=False)
    monkeypatch.undo()
    assert_results_equal(results, Results.load(path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]


def test_bad_table_name_is_refused(results: Results, tmp_path: Path) -> None:
    bad = Results(results.timeseries, results.provenance, {"../escape": results.tables["mismatch"]})
    with pytest.raises(ValueError, match="plain file names"):
        bad.save(tmp_path / "res", figures=False)
    assert not (tmp_path / "res").exists()


def test_run_without_recorders_still_saves(tmp_path: Path) -> None:
    model = RegionModel(TINY)
    model.recorders = []
    model.run(months=2)
    res = Results.from_model(model)
    assert set(res.tables) == DERIVED | BOOKED and res.agents is None
    assert res.tables["mismatch"].empty
    loaded = Results.load(res.save(tmp_path / "bare"))
    assert_results_equal(res, loaded)
    assert (tmp_path / "bare" / "figures" / "overview.png").is_file()


def test_cli_snapshot_months(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "res"
    args = ["run", str(TINY), "--out", str(out), "--months", "2", "--snapshot-months", "0,2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "agents.parquet" in result.stdout and "figures" in result.stdout
    agents = pd.read_parquet(out / "agents.parquet")
    assert sorted(agents["month"].unique()) == [0, 2]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["agents"] is True and "skill_gaps" in manifest["tables"]
    assert len(manifest["figures"]) >= 7
    bad = runner.invoke(
        app, ["run", str(TINY), "--out", str(tmp_path / "x"), "--snapshot-months", "a"]
    )
    assert bad.exit_code == 2 and "--snapshot-months" in bad.stderr
    assert not (tmp_path / "x").exists()


def test_loaded_tables_match_recomputed_derived_tables(results: Results) -> None:
    recorded = {k: v for k, v in results.tables.items() if k in RECORDED}
    again = metrics.derived_tables(results.timeseries, recorded)
    for name, table in again.items():
        pd.testing.assert_frame_equal(table, results.tables[name])
    assert np.isfinite(results.tables["beveridge_curve"]["u"]).all()


# Replacing a folder never leaves it missing; what a killed save leaves is cleaned up.


def _dead_pid() -> int:
    """The id of a process that has exited."""
    proc = subprocess.Popen([sys.executable, "-c", ""])
    proc.wait()
    return proc.pid


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a")
    (b / "y").write_text("b")
    if not results_module._exchange(a, b):
        pytest.skip("this system has no atomic exchange; the two-rename path is tested below")
    assert [p.name for p in a.iterdir()] == ["y"] and [p.name for p in b.iterdir()] == ["x"]


def test_without_exchange_a_failed_second_rename_puts_the_old_folder_back(
    results: Results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = results.save(tmp_path / "res", figures=False)
    monkeypatch.setattr(results_module, "_exchange", lambda a, b: False)
    real = os.replace
    calls = []

    def crash_on_second(src, dst):
        calls.append((Path(src).name, Path(dst).name))
        if len(calls) == 2:
            raise KeyboardInterrupt  # between the two renames
        return real(src, dst)

    monkeypatch.setattr(results_module.os, "replace", crash_on_second)
    changed = Results(results.timeseries * 2, results.provenance, results.tables)
    with pytest.raises(KeyboardInterrupt):
        changed.save(path, figures=False)
    monkeypatch.undo()
    assert len(calls) == 3 and calls[2][1] == "res"  # moved aside, refused, moved back
    assert_results_equal(results, Results.load(path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]


def test_a_result_left_aside_by_a_killed_save_is_put_back_by_the_next(
    results: Results, tmp_path: Path
) -> None:
    path = results.save(tmp_path / "res", figures=False)
    dead = _dead_pid()
    aside = tmp_path / f".old-res-{dead}-abcdefgh"
    aside.mkdir()
    path.rename(aside / "results")  # killed between the renames: res is missing
    (tmp_path / f".tmp-res-{dead}-ijklmnop").mkdir()  # and its new folder is a temporary

    def fail(tmp: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError):
        results_module.write_atomically(path, fail)
    assert_results_equal(results, Results.load(path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]


def test_stale_temporaries_of_dead_processes_are_removed_and_live_ones_kept(
    results: Results, tmp_path: Path
) -> None:
    stale = tmp_path / f".tmp-res-{_dead_pid()}-abcdefgh"
    live = tmp_path / f".tmp-res-{os.getpid()}-ijklmnop"  # a save in progress
    other = tmp_path / f".tmp-res-2-{_dead_pid()}-qrstuvwx"  # another folder's (res-2)
    for folder in (stale, live, other):
        folder.mkdir()
    results.save(tmp_path / "res", figures=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["res", live.name, other.name])


def test_check_output_folder_refuses_files_and_unwritable_places(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "file"
    file.write_text("x")
    with pytest.raises(FileExistsError, match="is a file, not a results folder"):
        check_output_folder(file)
    with pytest.raises(FileExistsError, match=r"is a file, so .* cannot be created"):
        check_output_folder(file / "a" / "res")
    assert check_output_folder(tmp_path / "new" / "res") == tmp_path / "new" / "res"
    assert list(tmp_path.iterdir()) == [file]  # nothing created
    for code, words in (
        (errno.EROFS, "Read-only file system"),
        (errno.EACCES, "Permission denied"),
    ):

        def refuse(*args, code=code, words=words, **kwargs):
            raise OSError(code, words)

        monkeypatch.setattr(results_module.tempfile, "mkdtemp", refuse)
        with pytest.raises(OSError, match=f"cannot write to {tmp_path}: {words}"):
            check_output_folder(tmp_path / "res")


def test_provenance_has_the_drawn_values_and_the_events(tmp_path: Path) -> None:
    """What rijnmond_combined.yaml and the README promise: the values drawn for uncertain
    parameters and the event log, as JSON numbers, equal to the model's own."""
    model = RegionModel(ROOT / "tests" / "data" / "tiny_transitions.yaml")
    model.run(months=5)
    path = Results.from_model(model).save(tmp_path / "res", figures=False)
    saved = json.loads((path / "provenance.json").read_text())
    assert saved["drawn"] == model.transitions.drawn
    assert set(saved["drawn"]) == {
        "transitions.shift.demand.1.path.start",
        "transitions.shift.demand.1.path.duration",
        "transitions.shift.events.1.month",
    }
    assert [e["kind"] for e in saved["events"]] == ["closure", "opening"]
    assert saved["events"] == model.event_log
    assert all(isinstance(e["employer"], int) for e in saved["events"])


def test_save_with_csv_and_xlsx_keeps_parquet_and_writes_the_copies(
    results: Results, tmp_path: Path
) -> None:
    path = results.save(tmp_path / "res", figures=False, formats=["csv", "xlsx"])
    loaded = Results.load(path)  # Parquet stays the form ecosim reads back
    assert_results_equal(results, loaded)
    by_sector = pd.read_csv(path / "tables" / "by_sector.csv")
    assert by_sector["employment"].tolist() == results.tables["by_sector"]["employment"].tolist()
    sheets = pd.ExcelFile(path / "tables.xlsx").sheet_names
    assert sheets[:2] == ["guide", "timeseries"] and "instruments" in sheets
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["table_formats"] == ["parquet", "csv", "xlsx"]
    assert "tables.xlsx" in manifest["exports"] and "timeseries.csv" in manifest["exports"]
    with pytest.raises(ValueError, match="unknown table format"):
        results.save(tmp_path / "other", figures=False, formats=["json"])
    assert not (tmp_path / "other").exists()
