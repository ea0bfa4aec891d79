"""The sweep folder: an interrupted sweep resumes to the same results; another sweep is refused."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import _sweep_runners as runners
import pandas as pd
import pytest
import yaml
from sweep_files import spec
from typer.testing import CliRunner

from ecosim.cli import app
from ecosim.sweep import load_results, run_sweep, stored_runs, sweep_from_dict


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


def test_another_sweep_in_the_same_folder_is_refused(tmp_path: Path) -> None:
    from ecosim.sweep import SweepError

    out = tmp_path / "out"
    run_sweep(
        sweep_from_dict(spec()), out, backend="serial", progress=False, runner=runners.linear_runner
    )
    changed = sweep_from_dict(spec(set={"months": 5}))
    with pytest.raises(SweepError, match="different sweep"):
        run_sweep(changed, out, backend="serial", progress=False, runner=runners.linear_runner)


def test_an_output_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("x")
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(spec()))
    result = CliRunner().invoke(app, ["sweep", str(path), "--out", str(out), "--backend", "serial"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {out} is a file, not a sweep folder; choose another output folder\n"
    )


def test_disk_full_is_the_error_reported_and_leaves_no_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sw = sweep_from_dict(spec())
    out = tmp_path / "out"
    real_parquet, real_bytes = pd.DataFrame.to_parquet, Path.write_bytes

    def full_for_chunks(self, path, *args, **kwargs):
        if "chunk-" in str(path):
            Path(path).write_text("partial")  # cut short midway
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_parquet(self, path, *args, **kwargs)

    def full_for_manifest(self, data):
        if self.name.startswith(".manifest.json") and len(stored_runs(out)) == 0 and calls:
            raise OSError(errno.ENOSPC, "still full")
        calls.append(self.name)
        return real_bytes(self, data)

    calls: list[str] = []
    monkeypatch.setattr(pd.DataFrame, "to_parquet", full_for_chunks)
    monkeypatch.setattr(Path, "write_bytes", full_for_manifest)
    with pytest.raises(OSError) as info:
        run_sweep(sw, out, backend="serial", progress=False, runner=runners.linear_runner)
    assert info.value.errno == errno.ENOSPC  # the chunk's error, not the manifest's
    assert info.value.__notes__ == ["and the manifest could not be updated: [Errno 28] still full"]
    assert [p for p in out.rglob("*") if ".tmp-" in p.name] == []


def test_cli_disk_full_is_one_line_and_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self, path, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(spec()))
    monkeypatch.setattr(pd.DataFrame, "to_parquet", full)
    out = tmp_path / "out"
    args = ["sweep", str(path), "--out", str(out), "--backend", "serial"]
    result = CliRunner().invoke(app, [*args, "--runner", "_sweep_runners:linear_runner"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: cannot store results in {out}: [Errno 28] No space left on device; the "
        "chunks stored before are kept: run the same command again to resume\n"
    )


def test_temporary_files_of_killed_sweeps_are_removed_on_the_next_run(tmp_path: Path) -> None:
    sw = sweep_from_dict(spec())
    out = tmp_path / "out"
    run_sweep(sw, out, backend="serial", progress=False, runner=runners.linear_runner)
    proc = subprocess.Popen([sys.executable, "-c", ""])
    proc.wait()  # a process that is gone
    stale = [
        out / f".manifest.json.tmp-{proc.pid}",
        out / "runs" / f".chunk-ab.parquet.tmp-{proc.pid}",
    ]
    live = out / "runs" / f".chunk-cd.parquet.tmp-{os.getpid()}"  # a write in progress
    for file in (*stale, live):
        file.write_bytes(b"partial")
    run_sweep(sw, out, backend="serial", progress=False, runner=runners.linear_runner)
    assert [p for p in out.rglob(".*")] == [live]
