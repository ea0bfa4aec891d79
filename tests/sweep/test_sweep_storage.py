"""The sweep folder: an interrupted sweep resumes to the same results; another sweep is refused."""

from __future__ import annotations

from pathlib import Path

import _sweep_runners as runners
import pandas as pd
import pytest
from sweep_files import spec

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
