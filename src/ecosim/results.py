"""Results of a run: tables, agent snapshots, provenance, and saving/loading them atomically.

A results folder holds::

    timeseries.parquet        model-level indicators, one row per month (index ``month``)
    tables/<name>.parquet     breakdown and derived tables (see ``README.md`` in the folder)
    agents.parquet            agent snapshots at chosen months (only if recorded)
    figures/*.png             the figures of ``ecosim.plots``
    report.html               summary, figures, spending, tables' guide, provenance (one file)
    *.csv, tables.xlsx        copies of the tables, when asked for (``ecosim.export``)
    manifest.json             what the folder holds
    README.md                 one line per table, for a reader who opens the folder
    provenance.json           resolved scenario, seed, drawn values, events, versions, commit

It is built in a temporary sibling folder and put into place only when complete
(``provenance.json``, written last, marks a complete folder), so a failed run never leaves a
half-written folder that looks complete, and never destroys an earlier result: an earlier folder
is swapped with the new one atomically where the system can (Linux), and otherwise moved aside
and put back if the new one cannot take its place. Temporary siblings name the process that made
them; those of a process that died (killed while saving) are removed by the next save, which
first puts back a result such a process had moved aside. :func:`check_output_folder` says before
a run whether its results could be written at all. Tables are
written with pyarrow and keep their dtypes (categoricals included) and index, so
:meth:`Results.load` returns frames equal to the saved ones.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import glob
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ecosim._stale import stale
from ecosim.export import check_formats, write_exports
from ecosim.metrics import TABLE_DESCRIPTIONS, derived_tables
from ecosim.report import run_report

if TYPE_CHECKING:
    from ecosim.model import RegionModel

MARKER = "provenance.json"
MANIFEST = "manifest.json"
REPORT = "report.html"
FORMAT_VERSION = 1
DEPENDENCIES = ("mesa", "numpy", "numba", "scipy", "pandas", "pyarrow", "pydantic", "matplotlib")
_TABLE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


@dataclass
class Results:
    """A finished run: model-level time series, tables, agent snapshots and provenance.

    Attributes:
        timeseries: Model-level indicators indexed by month (the model's Mesa
            ``datacollector`` model reporters).
        provenance: Resolved scenario, seed, versions, git commit, wall time.
        tables: Breakdown tables recorded during the run (``by_sector``, ``skill_gaps``,
            ``inclusiveness``, ...) and tables derived from them at the end (``mismatch``,
            ``beveridge_curve``, ``matching_function``, ``time_to_fill``); long format, one row
            per month and group. ``ecosim.metrics.TABLE_DESCRIPTIONS`` describes each.
        agents: Agent snapshots (one row per worker and chosen month) from an
            :class:`~ecosim.metrics.AgentSnapshotRecorder`, or ``None``.
    """

    timeseries: pd.DataFrame
    provenance: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    agents: pd.DataFrame | None = None

    @classmethod
    def from_model(
        cls, model: RegionModel, wall_time: float | None = None, alpha: float = 0.5
    ) -> Results:
        """Collect the results of a model that has been run.

        Args:
            model: The model, after running.
            wall_time: Seconds the run took, for the provenance.
            alpha: Vacancy elasticity of the SSTV mismatch index in the ``mismatch`` table.
        """
        timeseries = model.timeseries()
        tables = model.tables()
        agents = tables.pop("agents", None)
        tables.update(derived_tables(timeseries, tables, alpha=alpha))
        tables["instruments"] = model.government.table(model.month)
        info = provenance(model, wall_time)
        info["sstv_alpha"] = alpha
        return cls(timeseries, info, tables, agents)

    def save(
        self, directory: str | Path, figures: bool = True, formats: Sequence[str] = ("parquet",)
    ) -> Path:
        """Write the folder atomically (tables, agents, figures, report, provenance).

        Args:
            directory: The results folder; an earlier results folder there is replaced.
            figures: Draw the figures (and embed them in ``report.html``).
            formats: Table formats: Parquet is always written (it is what :meth:`load`
                reads); ``csv`` and ``xlsx`` add copies for readers without Python
                (:mod:`ecosim.export`).

        Returns:
            The folder's absolute path.

        Raises:
            FileExistsError: If ``directory`` exists and is not an ecosim results folder.
            ValueError: If a table name is not a plain file name, or a format is unknown.
        """
        bad = [name for name in self.tables if not _TABLE_NAME.match(name)]
        if bad:
            raise ValueError(f"table names must be plain file names; got {bad}")
        formats = check_formats(formats)

        def write(tmp: Path) -> None:
            self.timeseries.to_parquet(tmp / "timeseries.parquet")
            (tmp / "tables").mkdir()
            for name, table in self.tables.items():
                table.to_parquet(tmp / "tables" / f"{name}.parquet")
            if self.agents is not None:
                self.agents.to_parquet(tmp / "agents.parquet")
            written: list[Path] = []
            if figures:
                from ecosim.plots import save_figures

                written = save_figures(self, tmp / "figures")
            frames = {"timeseries": self.timeseries, **self.tables}
            if self.agents is not None:
                frames["agents"] = self.agents
            exports = write_exports(tmp, self._stems(), formats, self._descriptions())
            manifest = {
                "format": FORMAT_VERSION,
                "tables": list(self.tables),
                "agents": self.agents is not None,
                "figures": [p.name for p in written],
                "table_formats": list(formats),
                "exports": [p.relative_to(tmp).as_posix() for p in exports],
                "categories": {name: _categories(frame) for name, frame in frames.items()},
            }
            (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2))
            (tmp / "README.md").write_text(self.describe())
            pngs = {p.stem: p.read_bytes() for p in written}
            (tmp / REPORT).write_text(run_report(self, pngs, formats), encoding="utf-8")
            (tmp / MARKER).write_text(json.dumps(self.provenance, indent=2, default=str))

        return write_atomically(directory, write)

    def _stems(self) -> dict[str, pd.DataFrame]:
        """Every table by its path in the folder without the suffix (``tables/by_sector``)."""
        stems = {"timeseries": self.timeseries}
        stems |= {f"tables/{name}": frame for name, frame in self.tables.items()}
        if self.agents is not None:
            stems["agents"] = self.agents
        return stems

    def _descriptions(self) -> dict[str, str]:
        """What each table holds, by the stems of :meth:`_stems`."""
        out = {"timeseries": "model-level indicators, one row per month"}
        out |= {
            f"tables/{name}": TABLE_DESCRIPTIONS.get(name, "recorded table") for name in self.tables
        }
        out["agents"] = "one row per worker at the chosen months"
        return out

    @classmethod
    def load(cls, directory: str | Path) -> Results:
        """Read a results folder written by :meth:`save`.

        Raises:
            FileNotFoundError: If the folder is not a complete ecosim results folder.
        """
        directory = Path(directory)
        if not (directory / MARKER).is_file():
            raise FileNotFoundError(f"{directory} is not an ecosim results folder (no {MARKER})")
        provenance_data = json.loads((directory / MARKER).read_text())
        manifest_path = directory / MANIFEST
        if manifest_path.is_file():
            manifest = json.loads(manifest_path.read_text())
        else:
            names = sorted(p.stem for p in (directory / "tables").glob("*.parquet"))
            manifest = {"tables": names, "categories": {}}
        categories = manifest.get("categories", {})

        def read(name: str, path: Path) -> pd.DataFrame:
            frame = pd.read_parquet(path)
            for column, cats in categories.get(name, {}).items():
                frame[column] = frame[column].cat.set_categories(cats)
            return frame

        tables = {
            name: read(name, directory / "tables" / f"{name}.parquet")
            for name in manifest["tables"]
        }
        agents_path = directory / "agents.parquet"
        agents = read("agents", agents_path) if agents_path.is_file() else None
        timeseries = read("timeseries", directory / "timeseries.parquet")
        return cls(timeseries, provenance_data, tables, agents)

    def describe(self) -> str:
        """A README (Markdown) listing what a results folder of this run holds."""
        name = self.provenance.get("scenario_name", "?")
        lines = [
            f"# ecosim results: {name} (seed {self.provenance.get('seed', '?')})",
            "",
            "Counts are persons (agents x resolution); rates are shares in [0, 1]; one step is one "
            "month (month 0 is the initial state). Read the tables with "
            "`pandas.read_parquet` or `ecosim.results.Results.load(folder)`.",
            "",
            "- `timeseries.parquet`: model-level indicators per month: "
            + ", ".join(f"`{c}`" for c in self.timeseries.columns),
        ]
        for table in self.tables:
            what = TABLE_DESCRIPTIONS.get(table, "recorded table")
            lines.append(f"- `tables/{table}.parquet`: {what}")
        if self.agents is not None:
            months = sorted(int(m) for m in pd.unique(self.agents["month"]))
            lines.append(f"- `agents.parquet`: one row per worker at months {months}")
        lines += [
            "- `figures/`: overview dashboard, Beveridge curve, skill gaps, employment against "
            "target, mismatch indices, inclusiveness, unemployment duration",
            "- `report.html`: summary, figures, spending by instrument, this guide and the "
            "provenance in one self-contained page",
            "- `provenance.json`: resolved scenario, seed, the values drawn for uncertain "
            "parameters (`drawn`), the events that happened (`events`), versions, git commit, "
            "wall time",
            "",
        ]
        return "\n".join(lines)

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
        mismatch = self.tables.get("mismatch")
        if mismatch is not None and not mismatch.empty:
            occ = mismatch[mismatch["segmentation"] == "occupation"].tail(12)
            lines.append(
                f"  occupational mismatch (last-12-month mean) Jackman-Roper "
                f"{occ['jackman_roper'].mean():.3f}, SSTV {occ['sstv'].mean():.3f}"
            )
        ttf = self.tables.get("time_to_fill")
        if ttf is not None and not ttf.empty:
            overall = ttf[ttf["occupation"] == "all"]["time_to_fill_months_rolling"]
            lines.append(
                f"  time to fill (stock-flow V/H, 12 months) {overall.iloc[-1]:.2f} months"
            )
        if "wall_time_s" in self.provenance:
            lines.append(f"  wall time {self.provenance['wall_time_s']:.1f} s")
        return "\n".join(lines)


def _categories(frame: pd.DataFrame) -> dict[str, list[Any]]:
    """Categories of each categorical column (Parquet drops those of an empty column)."""
    return {
        str(column): frame[column].cat.categories.tolist()
        for column in frame.columns
        if isinstance(frame[column].dtype, pd.CategoricalDtype)
    }


def check_output_folder(directory: str | Path) -> Path:
    """Check that results can be written to ``directory``, before spending a run on them.

    Nothing is created: the folder must be absent, empty or an ecosim results folder, and the
    closest existing folder above it must take a new entry (a probe that is removed at once),
    which finds a read-only file system or missing permissions.

    Returns:
        The folder's absolute path.

    Raises:
        FileExistsError: ``directory`` (or a folder above it) is a file, or ``directory`` holds
            something other than ecosim results.
        OSError: Nothing can be written there.
    """
    directory = Path(directory).resolve()
    if directory.exists() and not directory.is_dir():
        raise FileExistsError(f"{directory} is a file, not a results folder")
    if directory.is_dir() and any(directory.iterdir()) and not (directory / MARKER).exists():
        raise FileExistsError(f"{directory} exists and is not an ecosim results folder")
    base = directory.parent
    while not base.exists():
        base = base.parent
    if not base.is_dir():
        raise FileExistsError(f"{base} is a file, so {directory} cannot be created")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".probe-", dir=base))
    except OSError as exc:
        raise OSError(f"cannot write to {base}: {exc.strerror or exc}") from None
    return directory


def write_atomically(directory: str | Path, write: Callable[[Path], None]) -> Path:
    """Build a folder with ``write(tmp)`` in a temporary sibling, then put it in place.

    An existing folder at ``directory`` is replaced only after the new one is complete, and
    ``directory`` is never missing meanwhile (see the module docstring); it must be an ecosim
    results folder (or empty), so unrelated data is never overwritten. When writing fails,
    nothing is left behind: no temporary sibling, no parent folder made for it.

    Raises:
        FileExistsError, OSError: See :func:`check_output_folder`; or writing failed.
    """
    directory = check_output_folder(directory)
    _clean_stale(directory)
    made = _make_parents(directory.parent)
    try:
        with _temporary_sibling(directory, ".tmp-") as tmp:
            write(tmp)
            if directory.exists():
                _replace(tmp, directory)
            else:
                os.replace(tmp, directory)
    except BaseException:
        for folder in made:
            folder.rmdir()
        raise
    return directory


def _replace(new: Path, directory: Path) -> None:
    """Put the complete folder ``new`` in the place of ``directory``; the old one is removed.

    With an atomic exchange ``new`` then holds the old folder (removed with the temporary
    sibling); without, the old folder is moved aside, and back if ``new`` cannot take its place.
    """
    if _exchange(new, directory):
        return
    with _temporary_sibling(directory, ".old-") as old:
        os.replace(directory, old / "results")
        try:
            os.replace(new, directory)
        except BaseException:
            os.replace(old / "results", directory)
            raise


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """glibc's ``renameat2`` (Linux), or ``None`` where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    function = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if function is not None:
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
        function.argtypes += [ctypes.c_uint]
    return function


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step; ``False`` where the system or file system cannot."""
    rename = _renameat2()
    if rename is None:
        return False
    if rename(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _make_parents(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; the ones created, deepest first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
    return missing


@contextmanager
def _temporary_sibling(directory: Path, prefix: str) -> Iterator[Path]:
    name = f"{prefix}{directory.name}-{os.getpid()}-"
    tmp = Path(tempfile.mkdtemp(prefix=name, dir=directory.parent))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _clean_stale(directory: Path) -> None:
    """Remove the temporary siblings of ``directory`` left by processes that died.

    A process killed between the two renames of a replacement without an atomic exchange left
    ``directory`` missing and its earlier result in ``.old-.../results``: that result is put
    back first.
    """
    if not directory.parent.is_dir():
        return
    for kind in (".old-", ".tmp-"):
        prefix = f"{kind}{directory.name}-"
        for path in directory.parent.glob(f"{glob.escape(prefix)}*"):
            if not stale(path, prefix):
                continue
            kept = path / "results"
            if kind == ".old-" and not directory.exists() and (kept / MARKER).is_file():
                os.replace(kept, directory)
            shutil.rmtree(path, ignore_errors=True)


def provenance(model: RegionModel, wall_time: float | None = None) -> dict[str, Any]:
    """Everything needed to reproduce and read a run: scenario, seed, the values drawn for its
    uncertain parameters, the events that happened, the month each instrument ran out,
    versions, commit, timing."""
    info: dict[str, Any] = {
        "scenario_name": model.config.name,
        "seed": model.config.seed,
        "months": model.month,
        "resolution": model.config.resolution,
        "worker_agents": model.config.worker_agents,
        "employer_agents": int(model.employers.n),
        "scenario": model.config.model_dump(mode="json"),
        "drawn": _plain(model.transitions.drawn),
        "events": _plain(model.event_log),
        "instruments_exhausted": dict(model.government.exhausted),
        **provenance_basics(),
    }
    if wall_time is not None:
        info["wall_time_s"] = round(wall_time, 3)
    return info


def provenance_basics() -> dict[str, Any]:
    """What every ecosim folder records of where it was made: versions, git commit, platform,
    command line and time (a run's and a comparison's provenance share them)."""
    from ecosim import __version__

    versions = {"ecosim": __version__, "python": platform.python_version()}
    for name in DEPENDENCIES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    return {
        "versions": versions,
        "git_commit": _git_commit(),
        "platform": platform.platform(),
        "command": sys.argv,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def _plain(value: Any) -> Any:
    """``value`` with NumPy scalars made Python numbers, so JSON keeps them numbers.

    An event's ``employer`` is an ``np.int64`` for openings; ``json.dumps(default=str)`` would
    write it as the string ``"20"`` beside closures' ``19``.
    """
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


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
