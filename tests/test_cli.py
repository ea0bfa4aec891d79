"""The command line: exit codes, messages without tracebacks, files written atomically."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ecosim import RegionModel, plots
from ecosim import results as results_module
from ecosim.cli import app
from ecosim.results import Results

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
runner = CliRunner()


def run_cli(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_validate_ok() -> None:
    result = run_cli("validate", TINY)
    assert result.exit_code == 0, result.output
    assert "ok" in result.stdout and "4 occupations" in result.stdout


def test_validate_reports_problems_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(TINY.read_text().replace("months: 12", "months: 0").replace("seed: 7", "sed: 7"))
    result = run_cli("validate", bad)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith(f"{bad}:") and ": months: " in line for line in lines)
    assert any(": sed: unknown field" in line for line in lines)
    assert lines[-1] == "2 problems found."
    assert "Traceback" not in result.output


def test_real_process_exit_code_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("skills: [a\n")
    proc = subprocess.run(
        [sys.executable, "-m", "ecosim", "validate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "YAML syntax error" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_run_writes_results(tmp_path: Path) -> None:
    out = tmp_path / "res"
    result = run_cli(
        "run",
        TINY,
        "--out",
        out,
        "--months",
        "4",
        "--seed",
        "3",
        "--set",
        "behaviour.separation_rate=0.02",
    )
    assert result.exit_code == 0, result.output
    assert "unemployment rate" in result.stdout and str(out) in result.stdout
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert len(ts) == 5 and "hires" in ts.columns
    prov = json.loads((out / "provenance.json").read_text())
    assert prov["seed"] == 3 and prov["months"] == 4
    assert prov["scenario"]["behaviour"]["separation_rate"] == 0.02
    assert prov["versions"]["mesa"].startswith("3.")
    assert prov["wall_time_s"] > 0
    assert (out / "figures" / "overview.png").stat().st_size > 10_000
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left


def test_the_old_agent_count_fields_are_refused_at_their_lines_with_what_to_write(
    tmp_path: Path,
) -> None:
    old = tmp_path / "old.yaml"
    text = TINY.read_text().replace("resolution: 10", "scale: 10")
    old.write_text(text.replace("persons: 6000", "size: 600"))
    result = run_cli("validate", old)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    scale_line = text.splitlines().index("scale: 10") + 1
    assert lines[0] == (
        f"{old}:{scale_line}: scale: renamed; write resolution: 10 (persons per agent), and give "
        "employers.count at 1:1 (the old counts x scale)"
    )
    assert lines[1].startswith(f"{old}:") and ": workforce.size: renamed; write " in lines[1]
    assert "workforce.persons: 6000 (the labour force in persons" in lines[1]
    assert lines[-1] == "2 problems found."
    flag = run_cli("validate", TINY, "--set", "workforce.size=300")
    assert flag.exit_code == 2
    assert flag.stderr.startswith("--set workforce.size=300: workforce.size: renamed; write ")


def test_resolution_option_changes_only_the_sample_and_is_in_the_provenance(
    tmp_path: Path,
) -> None:
    checked = run_cli("validate", TINY, "--resolution", "5")
    assert checked.exit_code == 0, checked.output
    assert "6,000 persons at 1:5 = 1,200 worker agents" in checked.stdout
    out = tmp_path / "res"
    result = run_cli("run", TINY, "--out", out, "--months", "2", "--resolution", "5")
    assert result.exit_code == 0, result.output
    prov = json.loads((out / "provenance.json").read_text())
    assert prov["resolution"] == 5.0 and prov["scenario"]["resolution"] == 5.0
    assert prov["worker_agents"] == 1_200 and prov["employer_agents"] == 120 // 5 + 80 // 5
    assert prov["scenario"]["workforce"]["persons"] == 6_000


def test_a_world_too_large_for_the_memory_is_refused_before_it_is_built(
    tmp_path: Path, monkeypatch
) -> None:
    from ecosim import world

    monkeypatch.setattr(world, "_available_memory", lambda: 2**30)
    out = tmp_path / "res"
    result = run_cli("run", TINY, "--out", out, "--set", "workforce.persons=50000000")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: a world of 5,000,000 worker agents")
    assert "only 1.0 GiB is available; raise the resolution" in result.stderr
    assert not out.exists()


def test_run_with_bad_override_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "res"
    result = run_cli("run", TINY, "--out", out, "--set", "matching.rounds=0")
    assert result.exit_code == 2
    assert "matching.rounds" in result.stderr
    assert not out.exists()


def test_failed_save_keeps_earlier_results(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "res"
    assert run_cli("run", TINY, "--out", out, "--months", "2").exit_code == 0
    before = pd.read_parquet(out / "timeseries.parquet")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(plots, "save_figures", broken)
    result = run_cli("run", TINY, "--out", out, "--months", "3", "--force")
    assert result.exit_code != 0
    after = Results.load(out)
    pd.testing.assert_frame_equal(before, after.timeseries)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]


def test_failed_first_save_leaves_no_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(plots, "save_figures", lambda *a, **k: 1 / 0)
    out = tmp_path / "res"
    assert run_cli("run", TINY, "--out", out, "--months", "1").exit_code != 0
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(FileNotFoundError):
        Results.load(out)


def test_run_refuses_to_overwrite_unrelated_folder(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    result = run_cli("run", TINY, "--out", out, "--months", "1")
    assert result.exit_code == 1
    assert "not an ecosim results folder" in result.stderr
    assert (out / "thesis.tex").read_text() == "precious"


def test_plot_regenerates_figures(tmp_path: Path) -> None:
    out = tmp_path / "res"
    assert run_cli("run", TINY, "--out", out, "--months", "2").exit_code == 0
    (out / "figures" / "overview.png").unlink()
    (out / "report.html").unlink()
    result = run_cli("plot", out)
    assert result.exit_code == 0, result.output
    assert (out / "figures" / "overview.png").exists()
    embedded = (out / "report.html").read_text().count("data:image/png;base64,")
    assert embedded == len(list((out / "figures").glob("*.png")))  # the report is redrawn too
    assert run_cli("plot", tmp_path / "nothing").exit_code == 2


# Output folders are checked before the simulation; failures and Ctrl-C are one clear line.


@pytest.fixture
def no_simulation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if a model is built: the command should have stopped before."""

    def refuse(*args, **kwargs):
        raise AssertionError("the simulation started")

    monkeypatch.setattr(RegionModel, "__init__", refuse)


def test_run_into_a_file_is_refused_before_the_simulation(tmp_path: Path, no_simulation) -> None:
    out = tmp_path / "res"
    out.write_text("not a folder")
    result = run_cli("run", TINY, "--out", out)
    assert result.exit_code == 1
    assert result.stderr == f"error: {out} is a file, not a results folder; choose another --out\n"


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
def test_run_on_an_unwritable_place_is_refused_before_the_simulation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_simulation, code: int
) -> None:
    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(results_module.tempfile, "mkdtemp", refuse)
    result = run_cli("run", TINY, "--out", tmp_path / "res")
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"error: cannot write to {tmp_path}: {os.strerror(code)}; choose another --out\n"
    )


def test_disk_full_is_one_line_exit_1_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pd.DataFrame.to_parquet
    calls = []

    def full(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full)
    out = tmp_path / "deep" / "res"
    result = run_cli("run", TINY, "--out", out, "--months", "1")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: cannot save the results to {out}: [Errno 28] No space left on device; "
        f"{out} was not created\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_during_the_run_says_nothing_was_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "res"
    assert run_cli("run", TINY, "--out", out, "--months", "1").exit_code == 0
    real = RegionModel.step

    def interrupted(self):
        if self.month == 2:
            raise KeyboardInterrupt
        real(self)

    monkeypatch.setattr(RegionModel, "step", interrupted)
    result = run_cli("run", TINY, "--out", out, "--force")
    assert result.exit_code == 130
    assert result.stderr == (
        f"interrupted in month 2 of 12: nothing was saved; {out} keeps its earlier results\n"
    )
    assert len(Results.load(out).timeseries) == 2


def test_ctrl_c_while_saving_says_what_the_folder_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(plots, "save_figures", interrupted)
    out = tmp_path / "res"
    result = run_cli("run", TINY, "--out", out, "--months", "1")
    assert result.exit_code == 130
    assert result.stderr == f"interrupted while saving; {out} was not created\n"
    assert list(tmp_path.iterdir()) == []


def test_a_bad_override_is_blamed_on_the_option(tmp_path: Path) -> None:
    result = run_cli("run", TINY, "--out", tmp_path / "res", "--set", "foo.bar=1")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "--set foo.bar=1: foo: unknown field"


def test_compare_set_without_equals_is_a_clean_error(tmp_path: Path) -> None:
    result = run_cli("compare", TINY, TINY, "--set", "months", "--out", tmp_path / "cmp")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "--set months: expected KEY=VALUE"
    assert "Traceback" not in result.output


def test_compare_into_a_file_is_refused_before_the_runs(tmp_path: Path, no_simulation) -> None:
    out = tmp_path / "cmp"
    out.write_text("x")
    result = run_cli("compare", TINY, TINY, "--seeds", "1", "--out", out)
    assert result.exit_code == 1
    assert result.stderr == f"error: {out} is a file, not a results folder; choose another --out\n"


def test_validate_dev_zero_stops_at_once() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ecosim", "validate", "/dev/zero"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,  # a guard against the old behaviour (reading forever), not a measurement
    )
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[0] == (
        "/dev/zero: not a regular file (a device, pipe or socket); give a YAML file"
    )


def test_version() -> None:
    from ecosim import __version__

    result = run_cli("--version")
    assert result.exit_code == 0 and result.stdout == f"ecosim {__version__}\n"


def test_run_refuses_to_replace_results_without_force(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "res"
    assert run_cli("run", TINY, "-o", out, "-m", "1").exit_code == 0
    before = (out / "provenance.json").read_text()

    def refuse(*args, **kwargs):
        raise AssertionError("the simulation started")

    monkeypatch.setattr(RegionModel, "__init__", refuse)
    result = run_cli("run", TINY, "-o", out, "-m", "2")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {out} already holds results; add --force to replace them, or choose another "
        "--out\n"
    )
    assert (out / "provenance.json").read_text() == before


def test_run_writes_the_report_and_the_formats_asked_for(tmp_path: Path) -> None:
    out = tmp_path / "res"
    result = run_cli("run", TINY, "-o", out, "-m", "2", "-f", "xlsx", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert (out / "report.html").stat().st_size > 10_000 and "report.html" in result.stdout
    assert (out / "tables.xlsx").is_file() and (out / "tables" / "by_sector.csv").is_file()
    bad = run_cli("run", TINY, "-o", tmp_path / "x", "--format", "json")
    assert bad.exit_code == 2 and "json" in bad.output and not (tmp_path / "x").exists()


def test_choices_are_checked_before_anything_runs(tmp_path: Path) -> None:
    for args in (
        ["compare", TINY, TINY, "--backend", "cluster"],
        ["sweep", TINY, "-b", "threads"],
        ["calibrate", TINY, "--backend", "gpu"],
    ):
        result = run_cli(*args)
        words = " ".join(result.output.replace("│", " ").split())
        assert result.exit_code == 2, args
        assert "is not one of 'serial', 'processes', 'dask'" in words, args


def test_short_flags_mean_the_same_option_in_every_command() -> None:
    import typer.main

    meaning: dict[str, set[str]] = {}
    group = typer.main.get_command(app)
    for command in group.commands.values():
        for param in command.params:
            longs = [o for o in param.opts if o.startswith("--")]
            for short in (o for o in param.opts if len(o) == 2):
                meaning.setdefault(short, set()).update(longs)
    assert all(len(longs) == 1 for longs in meaning.values()), meaning
    assert meaning["-o"] == {"--out"} and meaning["-s"] == {"--set"}
    assert {"-m", "-b", "-w", "-f", "-n"} <= set(meaning)
