"""Results of a run: tables, provenance, and saving/loading them atomically.

A results folder holds ``timeseries.parquet``, ``provenance.json`` and ``figures/``. It is built
in a temporary sibling folder and renamed into place only when complete, so a failed run never
leaves a half-written folder that looks complete, and never destroys an earlier result.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from ecosim.model import RegionModel

MARKER = "provenance.json"
DEPENDENCIES = ("mesa", "numpy", "numba", "scipy", "pandas", "pyarrow", "pydantic", "matplotlib")


@dataclass
class Results:
    """A finished run: its model-level time series and provenance.

    Attributes:
        timeseries: Model-level indicators, indexed by month.
        provenance: Resolved scenario, seed, versions, git commit, wall time.
    """

    timeseries: pd.DataFrame
    provenance: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_model(cls, model: RegionModel, wall_time: float | None = None) -> Results:
        """Collect the results of a model that has been run."""
        return cls(model.timeseries(), provenance(model, wall_time))

    def save(self, directory: str | Path, figures: bool = True) -> Path:
        """Write the folder atomically (tables, provenance, figures) and return its path."""

        def write(tmp: Path) -> None:
            self.timeseries.to_parquet(tmp / "timeseries.parquet")
            if figures:
                from ecosim.plots import save_figures

                save_figures(self, tmp / "figures")
            (tmp / MARKER).write_text(json.dumps(self.provenance, indent=2, default=str))

        return write_atomically(directory, write)

    @classmethod
    def load(cls, directory: str | Path) -> Results:
        """Read a results folder written by :meth:`save`."""
        directory = Path(directory)
        if not (directory / MARKER).is_file():
            raise FileNotFoundError(f"{directory} is not an ecosim results folder (no {MARKER})")
        provenance_data = json.loads((directory / MARKER).read_text())
        return cls(pd.read_parquet(directory / "timeseries.parquet"), provenance_data)

    def summary(self) -> str:
        """A few lines on the run for the terminal."""
        ts = self.timeseries
        last = ts.iloc[-1]
        tail = ts.iloc[max(1, len(ts) - 12) :]
        lines = [
            f"scenario {self.provenance.get('scenario_name', '?')}, seed "
            f"{self.provenance.get('seed', '?')}, {len(ts) - 1} months",
            f"  unemployment rate  start {ts['unemployment_rate'].iloc[0]:6.2%}   "
            f"end {last['unemployment_rate']:6.2%}   last-12-month mean "
            f"{tail['unemployment_rate'].mean():6.2%}",
            f"  vacancy rate       start {ts['vacancy_rate'].iloc[0]:6.2%}   "
            f"end {last['vacancy_rate']:6.2%}",
            f"  long-term unemployed share at end {last['long_term_unemployed_share']:6.1%}",
            f"  monthly hires (mean) {tail['hires'].mean():,.0f} persons, job-to-job "
            f"{tail['job_to_job'].mean():,.0f}",
            f"  skill shortfall of hires {tail['mean_skill_shortfall_of_hires'].mean():.3f}, "
            f"of incumbents {last['mean_skill_shortfall_of_incumbents']:.3f}",
        ]
        if "wall_time_s" in self.provenance:
            lines.append(f"  wall time {self.provenance['wall_time_s']:.1f} s")
        return "\n".join(lines)


def write_atomically(directory: str | Path, write: Callable[[Path], None]) -> Path:
    """Build a folder with ``write(tmp)`` in a temporary sibling, then rename it into place.

    An existing folder at ``directory`` is replaced only after the new one is complete; it must
    be an ecosim results folder (or empty), so unrelated data is never overwritten.
    """
    directory = Path(directory).resolve()
    directory.parent.mkdir(parents=True, exist_ok=True)
    if directory.exists() and any(directory.iterdir()) and not (directory / MARKER).exists():
        raise FileExistsError(f"{directory} exists and is not an ecosim results folder")
    with _temporary_sibling(directory, ".tmp-") as tmp:
        write(tmp)
        if directory.exists():
            with _temporary_sibling(directory, ".old-") as old:
                os.replace(directory, old / "results")
                os.replace(tmp, directory)
        else:
            os.replace(tmp, directory)
    return directory


@contextmanager
def _temporary_sibling(directory: Path, prefix: str) -> Iterator[Path]:
    tmp = Path(tempfile.mkdtemp(prefix=prefix + directory.name + "-", dir=directory.parent))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def provenance(model: RegionModel, wall_time: float | None = None) -> dict[str, Any]:
    """Everything needed to reproduce a run: scenario, seed, versions, commit, timing."""
    from ecosim import __version__

    versions = {"ecosim": __version__, "python": platform.python_version()}
    for name in DEPENDENCIES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    info: dict[str, Any] = {
        "scenario_name": model.config.name,
        "seed": model.config.seed,
        "months": model.month,
        "scale": model.config.scale,
        "scenario": model.config.model_dump(mode="json"),
        "versions": versions,
        "git_commit": _git_commit(),
        "platform": platform.platform(),
        "command": sys.argv,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    if wall_time is not None:
        info["wall_time_s"] = round(wall_time, 3)
    return info


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(__file__).parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None
