"""Parameter sweeps: specification, experiment designs, execution backends, storage and resume.

A sweep is a YAML file validated like a scenario (problems are reported as
``FILE:LINE: dotted.path: message (got VALUE)``)::

    name: separation_grid
    base: ../scenarios/rijnmond.yaml        # relative to this file
    set: {months: 60}                       # fixed overrides of the base scenario
    parameters:                             # dotted scenario paths
      behaviour.separation_rate: {values: [0.005, 0.01, 0.02]}
      matching.acceptance_threshold: {range: [0.6, 0.9], levels: 4}
      behaviour.on_the_job_search_share:
        distribution: {dist: truncnorm, mean: 0.05, sd: 0.02, low: 0, high: 0.2}
    design: {kind: grid}                    # grid | lhs | sobol | morris
    replications: 3
    seed: 100                               # default: the base scenario's seed
    outputs:
      window: 12                            # last 12 months; or [first, last] (inclusive)
      summaries:
        - unemployment_rate                 # mean over the window
        - {column: long_term_unemployed_share, stat: last}
      timeseries: [unemployment_rate]       # false (default), true (all) or columns
    out: ../results/sweeps/separation_grid  # default: results/sweeps/<name>

**Runs.** A design row (a *point*) times ``replications`` gives the runs. Run ``r`` of a point
gets the seed ``seed + r`` (``seeds: common``, the default: every point sees the same random
streams, which sharpens comparisons and sensitivity indices), or a seed derived with
``numpy.random.SeedSequence`` from the seed, the point's parameter values and ``r``
(``seeds: independent``). A run's id is a hash of its parameter values and seed, so it does not
depend on the design order, the backend or the chunking, and results are identical on every
backend.

**Execution.** One engine submits *chunks* of runs to a :class:`concurrent.futures.Executor`
whose workers live for the whole sweep. Backends: ``serial`` (in this process), ``processes``
(a local spawn pool, default) and ``dask`` (a new ``LocalCluster``, or an existing scheduler
such as one started by ``dask-jobqueue`` on SLURM). Each run uses one numba thread: parallelism
comes from the workers. ``processes`` workers are started when the sweep starts and warm up
(import the model, load its numba kernels: :func:`warm_up`) while the output folder is
prepared. Chunks are large at first and shrink to single runs toward the end
(:func:`chunk_sizes`), so that the workers finish together. Each run validates the base
scenario's data with its overrides applied (the file is read once) and, with the default
runner, computes and records only the indicators the sweep keeps (:func:`run_outputs`:
``RegionModel(..., record=columns)``, no breakdown tables), with values identical to
``RegionModel(...).run()``'s.

**Storage** (``OUT``)::

    sweep.yaml                 resolved sweep specification
    scenario.yaml              resolved base scenario (with ``set`` applied)
    design.parquet             every run: run_id, point, replicate, seed, parameter values
    runs/chunk-<hash>.parquet  one row per run: status, summaries, error and traceback
    timeseries/chunk-<hash>.parquet   optional monthly outputs (run_id, month, columns)
    manifest.json              fingerprint, counts of the last invocation, versions

Chunk files are written atomically (temporary file, then ``os.replace``) as chunks complete;
a run counts as stored once its ``runs`` file exists. Running the same sweep into the same
``OUT`` skips stored runs, so an interrupted sweep resumes and ends with the same dataset as an
uninterrupted one. A run that raises is stored as ``failed`` with its traceback. When a worker
process dies, the runs of its chunk (and, for ``processes``, of every chunk the broken pool
stopped with it) are re-run one by one, alone; a run whose worker dies while running it alone
is retried once more, then stored as ``failed``. Failed runs are retried on the next
invocation unless ``retry_failed=False``.
"""

from __future__ import annotations

import hashlib
import importlib
import itertools
import json
import math
import os
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import Field, ValidationError, model_validator

from ecosim.config import (
    DIST_PARAMETERS,
    REJECT_RENAMED,
    LineMap,
    Problem,
    Scenario,
    ScenarioError,
    Source,
    StrictModel,
    SweepDist,
    dotted_path,
    read_yaml,
    scenario_from_dict,
    validation_problems,
)

if TYPE_CHECKING:
    from scipy.stats import rv_continuous

Runner = Callable[[Scenario, int], pd.DataFrame]
"""Runs one scenario with a seed and returns its monthly time series (indexed by month)."""

BACKENDS: tuple[str, ...] = ("serial", "processes", "dask")
STATS: tuple[str, ...] = ("mean", "median", "min", "max", "sum", "std", "first", "last")
DEFAULT_SUMMARIES: tuple[str, ...] = (
    "unemployment_rate",
    "vacancy_rate",
    "long_term_unemployed_share",
    "mean_skill_shortfall_of_hires",
)
WORKER_ENV: dict[str, str] = {
    "NUMBA_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
"""Environment of sweep workers: one thread per run, parallelism across workers."""

RUN_COLUMNS: tuple[str, ...] = ("run_id", "status", "error", "traceback", "wall_time_s")


class SweepError(RuntimeError):
    """A sweep cannot run (for reasons other than an invalid sweep file)."""


# --------------------------------------------------------------------------- schema


class Distribution(StrictModel):
    """A continuous distribution of a parameter (sampled through its inverse CDF).

    Written like a scenario's uncertain number (:mod:`ecosim.config.distributions`): ``dist``
    names the kind, which takes the parameters of ``DIST_PARAMETERS[dist]``. ``uniform`` and
    ``loguniform`` use ``low`` and ``high``; ``normal`` uses ``mean`` and ``sd``; ``truncnorm``
    is a normal truncated to [``low``, ``high``]; ``triangular`` uses ``low``, ``mode`` and
    ``high``.
    """

    dist: SweepDist
    low: float | None = None
    high: float | None = None
    mean: float | None = None
    sd: float | None = Field(None, gt=0.0)
    mode: float | None = None

    @model_validator(mode="after")
    def _fields(self) -> Distribution:
        need = DIST_PARAMETERS[self.dist]
        given = {k for k, v in self if k != "dist" and v is not None}
        if missing := [k for k in need if k not in given]:
            raise ValueError(f"{self.dist} needs {', '.join(need)}; missing {', '.join(missing)}")
        if extra := sorted(given - set(need)):
            raise ValueError(f"{self.dist} takes {', '.join(need)}, not {', '.join(extra)}")
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError("low must be less than high")
        if self.dist == "loguniform" and (self.low or 0.0) <= 0.0:
            raise ValueError("loguniform needs low > 0")
        if self.dist == "triangular" and not (self.low <= self.mode <= self.high):  # type: ignore[operator]
            raise ValueError("mode must lie between low and high")
        return self

    def frozen(self) -> rv_continuous:
        """The matching frozen ``scipy.stats`` distribution."""
        from scipy import stats

        lo, hi, mu, sd = self.low, self.high, self.mean, self.sd
        match self.dist:
            case "uniform":
                return stats.uniform(lo, hi - lo)  # type: ignore[operator]
            case "loguniform":
                return stats.loguniform(lo, hi)
            case "normal":
                return stats.norm(mu, sd)
            case "truncnorm":
                a, b = (lo - mu) / sd, (hi - mu) / sd  # type: ignore[operator]
                return stats.truncnorm(a, b, loc=mu, scale=sd)
            case _:
                return stats.triang((self.mode - lo) / (hi - lo), loc=lo, scale=hi - lo)  # type: ignore[operator]


class Parameter(StrictModel):
    """One varied scenario value: exactly one of ``values``, ``range`` or ``distribution``.

    ``values`` lists the values (numbers, strings, ...); sampling designs pick among them with
    equal probability. ``range: [low, high]`` is uniform. ``levels`` is the number of grid
    levels for a range or a distribution (equally spaced, or at quantiles). ``integer`` rounds
    sampled values to integers.
    """

    values: list[Any] | None = Field(None, min_length=1)
    range: tuple[float, float] | None = None
    distribution: Annotated[Distribution | None, REJECT_RENAMED] = None
    levels: int | None = Field(None, ge=2, le=10_000)
    integer: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> Parameter:
        kinds = [k for k in ("values", "range", "distribution") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("give exactly one of values, range or distribution")
        if self.range is not None and not self.range[0] < self.range[1]:
            raise ValueError("range must be [low, high] with low < high")
        if self.values is not None and self.levels is not None:
            raise ValueError("levels applies to a range or a distribution, not to values")
        return self

    def probes(self) -> list[tuple[tuple[Any, ...], Any]]:
        """Values to validate against the scenario schema, with where they are written."""
        if self.values is not None:
            return [(("values", i), v) for i, v in enumerate(self.values)]
        if self.range is not None:
            return [(("range", i), self._cast(v)) for i, v in enumerate(self.range)]
        dist = self.distribution.frozen()  # type: ignore[union-attr]
        return [(("distribution",), self._cast(float(dist.ppf(q)))) for q in (0.001, 0.999)]

    def grid(self) -> list[Any]:
        """The grid levels of this parameter."""
        if self.values is not None:
            return list(self.values)
        if self.levels is None:
            raise ValueError("a grid needs levels for a range or a distribution")
        if self.range is not None:
            return [self._cast(float(v)) for v in np.linspace(*self.range, self.levels)]
        u = (np.arange(self.levels) + 0.5) / self.levels
        return [self._cast(float(v)) for v in self.distribution.frozen().ppf(u)]  # type: ignore[union-attr]

    def from_unit(self, u: np.ndarray) -> list[Any]:
        """Map unit-interval samples to parameter values (inverse CDF)."""
        if self.values is not None:
            k = len(self.values)
            return [self.values[min(int(x * k), k - 1)] for x in u]
        if self.range is not None:
            lo, hi = self.range
            return [self._cast(float(lo + x * (hi - lo))) for x in u]
        eps = 1e-12
        dist = self.distribution.frozen()  # type: ignore[union-attr]
        return [self._cast(float(v)) for v in dist.ppf(np.clip(u, eps, 1.0 - eps))]

    def _cast(self, value: float) -> Any:
        return round(value) if self.integer else value


class Design(StrictModel):
    """How the parameter space is sampled.

    ``grid``: every combination of the parameters' levels. ``lhs``: ``samples`` points of a
    Latin hypercube. ``sobol``: Saltelli's scheme for Sobol indices (SALib), ``samples`` base
    points (a power of 2) giving ``samples * (D + 2)`` points, or ``samples * (2D + 2)`` with
    ``second_order``. ``morris``: ``samples`` trajectories of ``D + 1`` points on ``levels``
    levels (SALib). ``seed`` seeds the sampling (not the runs).
    """

    kind: Literal["grid", "lhs", "sobol", "morris"] = "grid"
    samples: int | None = Field(None, ge=1, le=10_000_000)
    seed: int = Field(0, ge=0, le=2**32 - 1)
    second_order: bool = False
    levels: int = Field(4, ge=2, le=100)

    @model_validator(mode="after")
    def _samples(self) -> Design:
        if self.kind != "grid" and self.samples is None:
            raise ValueError(f"a {self.kind} design needs samples")
        if self.kind == "grid" and self.samples is not None:
            raise ValueError("a grid design takes no samples; the levels define it")
        if self.kind == "sobol" and self.samples & (self.samples - 1):  # type: ignore[operator]
            raise ValueError("sobol samples must be a power of 2 (Saltelli's scheme)")
        return self


class Summary(StrictModel):
    """A scalar output: a statistic of a time-series column over a window of months."""

    column: str
    stat: Literal["mean", "median", "min", "max", "sum", "std", "first", "last"] = "mean"
    window: int | tuple[int, int] | None = None
    name: str | None = Field(None, pattern=r"^[A-Za-z0-9_.\-]+$")

    @property
    def label(self) -> str:
        """Column name of this summary in the results."""
        return self.name or f"{self.column}_{self.stat}"


Window = int | tuple[int, int]


class Outputs(StrictModel):
    """What is kept of each run.

    ``window`` is the default window of the summaries: an integer ``N`` means the last ``N``
    months, ``[first, last]`` the months ``first`` to ``last`` inclusive (month 0 is the initial
    state). ``timeseries`` keeps monthly values: ``false``, ``true`` (all columns) or a list.
    """

    window: Annotated[int, Field(ge=1)] | tuple[int, int] = 12
    summaries: list[Summary | str] = Field(default_factory=lambda: list(DEFAULT_SUMMARIES))
    timeseries: bool | list[str] = False

    def resolved(self) -> list[Summary]:
        """The summaries, strings expanded to means over the default window."""
        return [Summary(column=s) if isinstance(s, str) else s for s in self.summaries]

    def timeseries_columns(self, known: Sequence[str]) -> list[str]:
        """Columns kept as monthly time series."""
        if self.timeseries is True:
            return list(known)
        return list(self.timeseries or [])


class SweepSpec(StrictModel):
    """A sweep file (see the module documentation)."""

    name: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.\-]+$")
    description: str = Field("", max_length=5000)
    base: str = Field(min_length=1, description="Base scenario, relative to the sweep file.")
    set: dict[str, Any] = Field(default_factory=dict)
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    design: Design = Field(default_factory=Design)
    replications: int = Field(1, ge=1, le=100_000)
    seed: int | None = Field(None, ge=0, le=2**63 - 1 - 100_000)
    seeds: Literal["common", "independent"] = "common"
    outputs: Outputs = Field(default_factory=Outputs)
    chunk_size: int | None = Field(None, ge=1, le=10_000)
    out: str | None = None


# --------------------------------------------------------------------------- loading


@dataclass
class Sweep:
    """A validated sweep: its specification, base scenario and design.

    Attributes:
        spec: The validated specification.
        source: The sweep file (or ``<dict>``).
        base: The base scenario, with ``set`` applied.
        base_data: ``base`` as plain data; each run applies its overrides to it.
        design: One row per run: ``run_id``, ``point``, ``replicate``, ``seed`` and the
            parameter values (columns named by dotted path), plus unit-interval coordinates
            ``_u.<path>`` for sampling designs.
        default_out: Where results go when no output folder is given.
    """

    spec: SweepSpec
    source: str
    base: Scenario
    base_data: dict[str, Any]
    design: pd.DataFrame
    default_out: Path

    @property
    def parameter_names(self) -> list[str]:
        """The varied dotted paths, in file order."""
        return list(self.spec.parameters)

    @property
    def summaries(self) -> list[Summary]:
        """The scalar outputs kept of each run."""
        return self.spec.outputs.resolved()


def load_sweep(path: str | Path) -> Sweep:
    """Load and validate a sweep file; build its design.

    Raises:
        ScenarioError: listing every problem, as ``FILE:LINE: dotted.path: message``.
    """
    path = Path(path)
    try:
        data, lines = read_yaml(path)
    except ScenarioError as exc:
        raise ScenarioError([_sweep_wording(p) for p in exc.problems]) from None
    return sweep_from_dict(data, source=str(path), lines=lines, base_dir=path.parent)


def sweep_from_dict(
    data: Mapping[str, Any],
    *,
    source: str = "<dict>",
    lines: LineMap | None = None,
    base_dir: str | Path = ".",
) -> Sweep:
    """Validate sweep data in memory (see :func:`load_sweep`); paths relative to ``base_dir``."""
    lines = lines or LineMap(None)
    src = Source(source, lines, {})
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(exc, src)) from None
    base_dir = Path(base_dir)
    base_path = _resolve(base_dir, spec.base)
    base_raw, base_lines = read_yaml(base_path)
    base = _validate_base(base_raw, base_lines, base_path, spec, source, lines)
    base_data = base.model_dump(mode="json")
    problems = _check_design(spec, source, lines)
    problems += _check_parameters(spec, base_data, source, lines)
    problems += _check_outputs(spec, base, source, lines)
    if problems:
        raise ScenarioError(problems)
    try:
        design = build_design(spec, base.seed)
    except ValueError as exc:
        raise ScenarioError(
            [Problem(source, lines.line(("design",)), "design", str(exc))]
        ) from None
    out = _resolve(base_dir, spec.out) if spec.out else Path("results") / "sweeps" / spec.name
    return Sweep(spec, source, base, base_data, design, out)


def _resolve(base_dir: Path, path: str) -> Path:
    p = Path(path).expanduser()
    return p if p.is_absolute() else base_dir / p


def _sweep_wording(problem: Problem) -> Problem:
    message = problem.message.replace("mapping of scenario fields", "mapping of sweep fields")
    return Problem(problem.source, problem.line, problem.path, message)


def _validate_base(
    raw: dict[str, Any],
    base_lines: LineMap,
    base_path: Path,
    spec: SweepSpec,
    source: str,
    lines: LineMap,
) -> Scenario:
    """The base scenario with ``set`` applied; ``set`` problems point into the sweep file."""
    try:
        return scenario_from_dict(raw, spec.set or None, source=str(base_path), lines=base_lines)
    except ScenarioError as exc:
        problems = []
        for p in exc.problems:
            if not p.source.startswith("--set "):
                problems.append(p)
                continue
            key = p.source.removeprefix("--set ").partition("=")[0]
            message = p.message if p.path == key else f"{p.path}: {p.message}"
            problems.append(
                Problem(source, lines.line(("set", key)), f"set.{key}", message, p.value, True)
            )
        raise ScenarioError(problems) from None


def _check_design(spec: SweepSpec, source: str, lines: LineMap) -> list[Problem]:
    """The design must suit the parameters."""
    kind = spec.design.kind
    if kind in ("sobol", "morris") and not spec.parameters:
        msg = f"a {kind} design needs at least one parameter"
        return [Problem(source, lines.line(("design", "kind")), "design.kind", msg, kind, True)]
    if kind != "grid":
        return []
    return [
        Problem(
            source,
            lines.line(("parameters", key)),
            f"parameters.{key}",
            "a grid needs levels for a range or a distribution (or give values)",
        )
        for key, p in spec.parameters.items()
        if p.values is None and p.levels is None
    ]


def _check_parameters(
    spec: SweepSpec, base_data: dict[str, Any], source: str, lines: LineMap
) -> list[Problem]:
    """Each parameter's values (range ends, distribution quantiles) must fit the scenario."""
    problems: list[Problem] = []
    for key, param in spec.parameters.items():
        if key == "seed":
            msg = "vary seeds with replications and seed, not as a parameter"
            problems.append(
                Problem(source, lines.line(("parameters", key)), "parameters.seed", msg)
            )
            continue
        seen: set[str] = set()
        for where, value in param.probes():
            try:
                scenario_from_dict(base_data, {key: value})
            except ScenarioError as exc:
                for p in exc.problems:
                    unknown = p.message == "unknown field" or p.message.startswith("no item")
                    if unknown:
                        loc: tuple[Any, ...] = ("parameters", key)
                        message = f"not a scenario value: {p.path}: {p.message}"
                    else:
                        loc = ("parameters", key, *where)
                        message = p.message if p.path == key else f"{p.path}: {p.message}"
                        if where == ("distribution",):
                            message += " (at the 0.1% or 99.9% quantile; bound it: truncnorm)"
                    if message in seen:
                        continue
                    seen.add(message)
                    line = lines.line(loc)
                    problems.append(
                        Problem(source, line, dotted_path(loc), message, value, not unknown)
                    )
    return problems


def _check_outputs(spec: SweepSpec, base: Scenario, source: str, lines: LineMap) -> list[Problem]:
    from ecosim.indicators import INDICATORS

    known = list(INDICATORS)
    problems: list[Problem] = []
    labels: set[str] = set()

    def window_problem(window: Window, loc: tuple[Any, ...]) -> None:
        first, last = _window(window, base.months)
        if not 0 <= first <= last <= base.months:
            msg = f"window must lie within months 0..{base.months} of the base scenario"
            problems.append(Problem(source, lines.line(loc), dotted_path(loc), msg, window, True))

    window_problem(spec.outputs.window, ("outputs", "window"))
    for i, summary in enumerate(spec.outputs.resolved()):
        loc: tuple[Any, ...] = ("outputs", "summaries", i)
        if summary.column not in known:
            msg = f"unknown output column; columns are: {', '.join(known)}"
            col_loc = loc if isinstance(spec.outputs.summaries[i], str) else (*loc, "column")
            problems.append(
                Problem(
                    source, lines.line(col_loc), dotted_path(col_loc), msg, summary.column, True
                )
            )
        if summary.window is not None:
            window_problem(summary.window, (*loc, "window"))
        if summary.label in labels:
            msg = "duplicate summary name; give a name"
            problems.append(
                Problem(source, lines.line(loc), dotted_path(loc), msg, summary.label, True)
            )
        labels.add(summary.label)
    if isinstance(spec.outputs.timeseries, list):
        for i, col in enumerate(spec.outputs.timeseries):
            if col not in known:
                loc = ("outputs", "timeseries", i)
                msg = f"unknown output column; columns are: {', '.join(known)}"
                problems.append(Problem(source, lines.line(loc), dotted_path(loc), msg, col, True))
    return problems


def _window(window: Window, months: int) -> tuple[int, int]:
    if isinstance(window, int):
        return max(months - window + 1, 0), months
    return int(window[0]), int(window[1])


# --------------------------------------------------------------------------- designs


def unit_design(spec: SweepSpec) -> np.ndarray:
    """The design's points in the unit hypercube (points x parameters); not for grids."""
    d = len(spec.parameters)
    design = spec.design
    problem = {"num_vars": d, "names": list(spec.parameters), "bounds": [[0.0, 1.0]] * d}
    match design.kind:
        case "lhs":
            from scipy.stats import qmc

            if d == 0:
                return np.zeros((design.samples or 0, 0))
            return qmc.LatinHypercube(d=d, seed=design.seed).random(design.samples)
        case "sobol":
            from SALib.sample import sobol

            return sobol.sample(
                problem, design.samples, calc_second_order=design.second_order, seed=design.seed
            )
        case "morris":
            from SALib.sample import morris

            return morris.sample(
                problem, design.samples, num_levels=design.levels, seed=design.seed
            )
    raise ValueError(f"no unit design for {design.kind}")


def build_design(spec: SweepSpec, scenario_seed: int = 0) -> pd.DataFrame:
    """All runs of a sweep: one row per (point, replicate) with its stable id and seed.

    Args:
        spec: The sweep specification.
        scenario_seed: The base scenario's seed, used when the sweep gives none.
    """
    names = list(spec.parameters)
    params = list(spec.parameters.values())
    unit: np.ndarray | None = None
    if spec.design.kind == "grid":
        points = [dict(zip(names, combo, strict=True)) for combo in _product(params)]
    else:
        unit = unit_design(spec)
        columns = [p.from_unit(unit[:, j]) for j, p in enumerate(params)]
        points = [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
        if not names:
            points = [{} for _ in range(len(unit))]
    base_seed = spec.seed if spec.seed is not None else scenario_seed
    rows = []
    for point, values in enumerate(points):
        values = {k: _plain(v) for k, v in values.items()}
        key = _canonical(values)
        for rep in range(spec.replications):
            seed = _run_seed(base_seed, key, rep, spec.seeds)
            rows.append(
                {"run_id": run_id(values, seed), "point": point, "replicate": rep, "seed": seed}
                | values
            )
    design = pd.DataFrame(rows, columns=["run_id", "point", "replicate", "seed", *names])
    if unit is not None:
        u = np.repeat(unit, spec.replications, axis=0)
        for j, name in enumerate(names):
            design[f"_u.{name}"] = u[:, j]
    return design


def _product(params: list[Parameter]) -> list[tuple[Any, ...]]:
    return list(itertools.product(*(p.grid() for p in params)))


def _plain(value: Any) -> Any:
    """NumPy scalars to Python scalars (for hashing and storage)."""
    return value.item() if isinstance(value, np.generic) else value


def _canonical(values: Mapping[str, Any]) -> str:
    return json.dumps(values, sort_keys=True, separators=(",", ":"), default=str)


def _run_seed(base_seed: int, key: str, replicate: int, mode: str) -> int:
    if mode == "common":
        return base_seed + replicate
    digest = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16)
    seq = np.random.SeedSequence(base_seed, spawn_key=(digest, replicate))
    return int(seq.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def run_id(values: Mapping[str, Any], seed: int) -> str:
    """Stable id of a run: a hash of its parameter values and seed."""
    text = _canonical({"parameters": dict(values), "seed": int(seed)})
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --------------------------------------------------------------------------- worker side


@dataclass(frozen=True)
class RunTask:
    """One run: its id, scenario overrides and seed."""

    run_id: str
    overrides: dict[str, Any]
    seed: int


@dataclass(frozen=True)
class ChunkTask:
    """A chunk of runs sent to one worker."""

    chunk_id: str
    base_data: dict[str, Any]
    runs: tuple[RunTask, ...]
    summaries: tuple[Summary, ...]
    window: Window
    timeseries: tuple[str, ...]
    runner: Runner | None = None


@dataclass
class ChunkResult:
    """What a worker sends back: one record per run and the optional time series."""

    chunk_id: str
    records: list[dict[str, Any]]
    timeseries: pd.DataFrame | None = None
    pid: int = field(default_factory=os.getpid)


def configure_worker() -> None:
    """Make this process (or thread) a sweep worker: one numba/BLAS thread per run.

    Before numba is imported, this sets :data:`WORKER_ENV`; afterwards it limits numba's
    threads for the calling thread (``numba.set_num_threads`` is per thread).
    """
    import sys

    if "numba" in sys.modules:
        import numba

        numba.set_num_threads(1)
    else:
        os.environ.update(WORKER_ENV)


def init_worker(warmup: Mapping[str, Any] | None = None) -> None:
    """Initialise a sweep worker process: one thread per run; optionally warm it up.

    Args:
        warmup: Scenario data (the sweep's base scenario) to warm the worker with: see
            :func:`warm_up`. ``None`` for runners other than the default.
    """
    configure_worker()
    if warmup is not None:
        warm_up(warmup)


def warm_up(base_data: Mapping[str, Any]) -> float:
    """Import the model and load its compiled numba kernels by running one month of a scenario.

    A worker's first run otherwise pays this (importing Mesa, numba and SciPy, then loading
    every kernel's cached machine code on its first call: about two seconds); warming up when
    the worker starts overlaps it with the parent's set-up and keeps it out of the runs' wall
    times. The model is built from ``base_data`` itself, so the same kernels (and kernel
    variants) are loaded as by the runs. Errors are ignored: the runs will report them.

    Returns:
        Seconds spent.
    """
    start = time.perf_counter()
    try:
        scenario = scenario_from_dict(base_data, {"months": 1})
        run_outputs(scenario, scenario.seed, ["unemployment_rate"])
    except Exception:  # an optimisation only: the runs report real problems
        pass
    return time.perf_counter() - start


@contextmanager
def _worker_environment() -> Iterator[None]:
    """Set :data:`WORKER_ENV` in this process while it spawns workers (they inherit it)."""
    saved = {k: os.environ.get(k) for k in WORKER_ENV}
    os.environ.update(WORKER_ENV)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def default_runner(scenario: Scenario, seed: int) -> pd.DataFrame:
    """Run :class:`ecosim.RegionModel` for the scenario's months; return its time series."""
    from ecosim.model import RegionModel

    return RegionModel(scenario, seed=seed).run()


def run_outputs(scenario: Scenario, seed: int, columns: Sequence[str]) -> pd.DataFrame:
    """Run :class:`ecosim.RegionModel` keeping only the indicator ``columns``: the sweeps' runner.

    The values are those of :func:`default_runner` (``RegionModel(scenario, seed).run()``)
    for these columns, bit for bit: the simulation is the same. What is skipped is what a sweep
    does not keep (``RegionModel(..., record=columns)``): the breakdown tables (by sector,
    occupation and region, skill gaps, inclusiveness, durations, recomputed from the whole
    population every month) and the indicators not asked for.

    Returns:
        The monthly values of ``columns`` (in that order), indexed by ``month`` (0 to months).
    """
    from ecosim.model import RegionModel

    return RegionModel(scenario, seed=seed, record=list(columns)).run()


def summarise(
    frame: pd.DataFrame, summaries: Sequence[Summary], window: Window
) -> dict[str, float]:
    """Scalar summaries of a run's time series (NaN values are skipped)."""
    months = int(frame.index.max())
    out: dict[str, float] = {}
    for s in summaries:
        first, last = _window(s.window if s.window is not None else window, months)
        values = frame[s.column].loc[first:last]
        match s.stat:
            case "first":
                out[s.label] = float(values.iloc[0]) if len(values) else math.nan
            case "last":
                out[s.label] = float(values.iloc[-1]) if len(values) else math.nan
            case _:
                out[s.label] = float(getattr(values, s.stat)())
    return out


def output_columns(task: ChunkTask) -> list[str]:
    """The indicator columns a chunk's runs must record: summarised or kept monthly."""
    return list(dict.fromkeys([*(s.column for s in task.summaries), *task.timeseries]))


def run_chunk(task: ChunkTask) -> ChunkResult:
    """Run every run of a chunk; a run that raises is recorded with its error and traceback.

    Without a runner, runs go through :func:`run_outputs`, recording only the columns the sweep
    keeps; a runner given to the sweep is called as it is.
    """
    configure_worker()
    runner = task.runner or partial(run_outputs, columns=output_columns(task))
    records: list[dict[str, Any]] = []
    frames: list[pd.DataFrame] = []
    for run in task.runs:
        start = time.perf_counter()
        record: dict[str, Any] = {"run_id": run.run_id, "status": "ok"}
        try:
            scenario = scenario_from_dict(task.base_data, run.overrides or None)
            frame = runner(scenario, run.seed)
            record |= summarise(frame, task.summaries, task.window)
            if task.timeseries:
                ts = frame.loc[:, list(task.timeseries)].reset_index()
                ts.insert(0, "run_id", run.run_id)
                frames.append(ts)
            record |= {"error": None, "traceback": None}
        except Exception as exc:
            record = {
                "run_id": run.run_id,
                "status": "failed",
                "error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(),
            }
        record["wall_time_s"] = time.perf_counter() - start
        records.append(record)
    ts_all = pd.concat(frames, ignore_index=True) if frames else None
    return ChunkResult(task.chunk_id, records, ts_all)


# --------------------------------------------------------------------------- backends


class _InlineExecutor(Executor):
    """Runs each call at submission, in this process (the ``serial`` backend)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


class Backend:
    """Where chunks run: an executor, how many workers, and what a dead worker looks like.

    Args:
        kind: ``serial``, ``processes`` or ``dask``.
        workers: Worker processes (``processes``, ``dask`` LocalCluster); default: CPU count.
        scheduler: Address of an existing Dask scheduler (``tcp://host:8786``).
    """

    def __init__(self, kind: str = "processes", workers: int | None = None, scheduler: str = ""):
        if kind not in BACKENDS:
            raise SweepError(f"unknown backend {kind!r}; choose one of {', '.join(BACKENDS)}")
        if scheduler and kind != "dask":
            raise SweepError("--scheduler needs the dask backend")
        self.kind = kind
        self.workers = 1 if kind == "serial" else max(1, workers or os.cpu_count() or 1)
        self.scheduler = scheduler
        self.warmup: Mapping[str, Any] | None = None
        self._executor: Executor | None = None
        self._client: Any = None
        self._cluster: Any = None
        self._numba_threads: int | None = None

    def start(self, warmup: Mapping[str, Any] | None = None) -> None:
        """Start the workers now, so that they start up while the caller prepares the runs.

        Args:
            warmup: Scenario data each ``processes`` worker warms up with when it starts
                (:func:`warm_up`), also after a replacement of the pool; ``None``: no warm-up.
        """
        self.warmup = warmup
        self.executor()

    @property
    def window(self) -> int:
        """How many chunks may be in flight at once."""
        return 1 if self.kind == "serial" else 2 * self.workers

    def executor(self) -> Executor:
        """The executor, created on first use."""
        if self._executor is None:
            self._executor = self._start()
        return self._executor

    def _start(self) -> Executor:
        if self.kind == "serial":
            import numba

            self._numba_threads = numba.get_num_threads()
            numba.set_num_threads(1)
            return _InlineExecutor()
        if self.kind == "processes":
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # Spawned workers inherit WORKER_ENV, so NumPy's BLAS and numba start with one
            # thread. The pool spawns a worker per submission while none is idle: submitting
            # one trivial call per worker starts all of them at once, each warming up.
            with _worker_environment():
                pool = ProcessPoolExecutor(
                    self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=init_worker,
                    initargs=(self.warmup,),
                )
                for _ in range(self.workers):
                    pool.submit(os.getpid)
            return pool
        import dask
        from distributed import Client, LocalCluster

        if self.scheduler:
            self._client = Client(self.scheduler)
            info = self._client.scheduler_info()
            threads = sum(w.get("nthreads", 1) for w in info.get("workers", {}).values())
            self.workers = max(threads, 1)
        else:
            with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
                self._cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    env=dict(WORKER_ENV),
                )
            self._client = Client(self._cluster)
        return self._client.get_executor(pure=False)

    def is_worker_death(self, exc: BaseException) -> bool:
        """Whether an exception means the worker process running the chunk died."""
        if self.kind == "processes":
            from concurrent.futures.process import BrokenProcessPool

            return isinstance(exc, BrokenProcessPool)
        if self.kind == "dask":
            from distributed import KilledWorker

            return isinstance(exc, KilledWorker)
        return False

    def reset(self) -> None:
        """Replace a broken executor (after a worker process died)."""
        if self.kind == "processes" and self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def close(self) -> None:
        """Stop workers and clusters this backend started."""
        if self._executor is not None:
            if self.kind == "dask":
                self._executor.shutdown(wait=False)
            else:
                self._executor.shutdown(wait=self.kind != "processes", cancel_futures=True)
            self._executor = None
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
        if self._numba_threads is not None:
            import numba

            numba.set_num_threads(self._numba_threads)
            self._numba_threads = None


# --------------------------------------------------------------------------- storage


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _atomic_parquet(frame: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def _chunk_id(run_ids: Sequence[str]) -> str:
    return hashlib.sha256(",".join(sorted(run_ids)).encode()).hexdigest()[:16]


def _chunk_files(out: Path, kind: str) -> list[Path]:
    folder = out / kind
    return sorted(folder.glob("chunk-*.parquet")) if folder.is_dir() else []


def _read_records(out: Path) -> pd.DataFrame:
    """Every stored run record; for runs stored twice, a success wins over a failure."""
    files = _chunk_files(out, "runs")
    if not files:
        return pd.DataFrame(columns=list(RUN_COLUMNS))
    frames = [pd.read_parquet(f).assign(_file=f.name) for f in files]
    records = pd.concat(frames, ignore_index=True)
    records["_ok"] = records["status"] == "ok"
    records = records.sort_values(["run_id", "_ok", "_file"], kind="stable")
    return records.drop_duplicates("run_id", keep="last").drop(columns=["_ok", "_file"])


def stored_runs(out: str | Path) -> dict[str, str]:
    """Run ids already stored in a sweep folder, with their status (``ok`` or ``failed``)."""
    records = _read_records(Path(out))
    return dict(zip(records["run_id"], records["status"], strict=True))


def load_design(out: str | Path) -> pd.DataFrame:
    """The design of a sweep folder (one row per run, unit coordinates included)."""
    path = Path(out) / "design.parquet"
    if not path.is_file():
        raise FileNotFoundError(f"{out} is not a sweep folder (no design.parquet)")
    return pd.read_parquet(path)


def load_results(out: str | Path, *, failed: bool = False, timings: bool = False) -> pd.DataFrame:
    """A sweep's results as one DataFrame, in design order.

    Args:
        out: The sweep folder.
        failed: Include failed runs (with ``error`` and ``traceback``; summaries are NaN).
        timings: Include ``wall_time_s`` (which differs from one execution to the next).

    Returns:
        One row per stored run: ``run_id``, ``point``, ``replicate``, ``seed``, the parameter
        values, ``status`` and the summaries. Runs not yet computed are absent.
    """
    design = load_design(out)
    design = design[[c for c in design.columns if not c.startswith("_u.")]]
    records = _read_records(Path(out))
    frame = design.merge(records, on="run_id", how="inner", validate="many_to_one")
    frame = frame.sort_values(["point", "replicate"], kind="stable").reset_index(drop=True)
    if not failed:
        frame = frame[frame["status"] == "ok"].drop(columns=["error", "traceback"])
        frame = frame.reset_index(drop=True)
    if not timings:
        frame = frame.drop(columns=["wall_time_s"])
    return frame


def load_failures(out: str | Path) -> pd.DataFrame:
    """The failed runs of a sweep folder with their parameters, error and traceback."""
    frame = load_results(out, failed=True)
    return frame[frame["status"] == "failed"].reset_index(drop=True)


def load_timeseries(out: str | Path, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The monthly outputs kept by a sweep (``outputs.timeseries``), long format.

    Returns:
        Columns ``run_id``, ``point``, ``replicate``, ``month`` and the kept columns, in design
        order; only runs whose chunk was stored completely.
    """
    out = Path(out)
    stored = {f.name for f in _chunk_files(out, "runs")}
    files = [f for f in _chunk_files(out, "timeseries") if f.name in stored]
    if not files:
        raise FileNotFoundError(f"{out} holds no time series (outputs.timeseries is off?)")
    frame = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    frame = frame.drop_duplicates(["run_id", "month"], keep="last")
    if columns is not None:
        frame = frame[["run_id", "month", *columns]]
    design = load_design(out)[["run_id", "point", "replicate"]]
    frame = design.merge(frame, on="run_id", how="inner")
    return frame.sort_values(["point", "replicate", "month"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- the engine


@dataclass
class SweepSummary:
    """What a sweep invocation did.

    Attributes:
        out: The sweep folder.
        total: Runs in the design (distinct run ids).
        done: Runs computed successfully by this invocation.
        failed: Runs that failed in this invocation.
        skipped: Runs already stored before this invocation (not recomputed).
        wall_time: Seconds spent.
        interrupted: Whether the invocation was interrupted (Ctrl-C) before the end.
    """

    name: str
    out: Path
    total: int
    done: int = 0
    failed: int = 0
    skipped: int = 0
    wall_time: float = 0.0
    interrupted: bool = False

    @property
    def remaining(self) -> int:
        """Runs neither stored before nor computed now."""
        return self.total - self.done - self.failed - self.skipped

    def __str__(self) -> str:
        state = "interrupted" if self.interrupted else "finished"
        text = (
            f"sweep {self.name} {state}: {self.total} runs — {self.done} done, "
            f"{self.failed} failed, {self.skipped} skipped (already stored)"
        )
        if self.remaining:
            text += f", {self.remaining} not run"
        rate = self.done / self.wall_time * 60 if self.wall_time > 0 else 0.0
        return text + f"; {self.wall_time:.1f} s ({rate:.0f} runs/min); results in {self.out}"


@dataclass
class _Chunk:
    """Runs sent to a worker together.

    ``deaths`` counts worker deaths known to be caused by this (single-run) chunk; ``alone``
    makes it run with nothing else in flight, so that a death is attributable to it.
    """

    runs: list[RunTask]
    deaths: int = 0
    alone: bool = False

    @property
    def chunk_id(self) -> str:
        return _chunk_id([r.run_id for r in self.runs])


def _fingerprint(sweep: Sweep, runner: Runner | None) -> str:
    outputs = sweep.spec.outputs.model_dump(mode="json")
    name = "default" if runner is None else f"{runner.__module__}.{runner.__qualname__}"
    text = json.dumps({"base": sweep.base_data, "outputs": outputs, "runner": name}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _check_folder(out: Path, fingerprint: str) -> dict[str, Any]:
    """The folder's manifest (a new one for a new folder); refuses a folder of another sweep."""
    manifest_path = out / "manifest.json"
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("fingerprint") != fingerprint:
            raise SweepError(
                f"{out} holds results of a different sweep (its base scenario, outputs or runner "
                "differ); choose another output folder or remove this one"
            )
        return manifest
    if out.exists() and any(out.iterdir()):
        raise SweepError(f"{out} exists and is not a sweep folder; choose another output folder")
    return {"created": time.strftime("%Y-%m-%dT%H:%M:%S")}


def _prepare_folder(out: Path, sweep: Sweep) -> None:
    """Write the sweep's specification, base scenario and design (the folder is checked)."""
    for sub in ("runs", "timeseries"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    spec = sweep.spec.model_dump(mode="json", exclude={"out"})
    spec["base"] = str(Path(sweep.source).parent / sweep.spec.base)
    _atomic_write_bytes(out / "sweep.yaml", yaml.safe_dump(spec, sort_keys=False).encode())
    scenario_text = yaml.safe_dump(sweep.base_data, sort_keys=False)
    _atomic_write_bytes(out / "scenario.yaml", scenario_text.encode())
    _atomic_parquet(sweep.design, out / "design.parquet")


def _write_manifest(out: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, indent=2, sort_keys=True)
    _atomic_write_bytes(out / "manifest.json", text.encode())


def _failure_records(runs: Sequence[RunTask], error: str, trace: str) -> list[dict[str, Any]]:
    return [
        {
            "run_id": r.run_id,
            "status": "failed",
            "error": error,
            "traceback": trace,
            "wall_time_s": math.nan,
        }
        for r in runs
    ]


def _write_chunk(
    out: Path,
    chunk_id: str,
    records: list[dict[str, Any]],
    ts: pd.DataFrame | None,
    summaries: Sequence[str],
) -> None:
    frame = pd.DataFrame.from_records(records)
    for col in (*RUN_COLUMNS, *summaries):
        if col not in frame:
            frame[col] = math.nan if col not in ("error", "traceback") else None
    frame = frame[[*RUN_COLUMNS[:2], *summaries, *RUN_COLUMNS[2:]]]
    frame[list(summaries)] = frame[list(summaries)].astype("float64")
    frame["wall_time_s"] = frame["wall_time_s"].astype("float64")
    frame[["error", "traceback"]] = frame[["error", "traceback"]].astype("object")
    name = f"chunk-{chunk_id}.parquet"
    if ts is not None:
        _atomic_parquet(ts, out / "timeseries" / name)
    _atomic_parquet(frame, out / "runs" / name)


def run_sweep(
    sweep: str | Path | Sweep,
    out: str | Path | None = None,
    *,
    backend: str | Backend = "processes",
    workers: int | None = None,
    scheduler: str = "",
    chunk_size: int | None = None,
    retry_failed: bool = True,
    progress: bool = True,
    runner: Runner | None = None,
) -> SweepSummary:
    """Run (or resume) a sweep; results are stored in ``out`` chunk by chunk.

    Args:
        sweep: A sweep file or a loaded :class:`Sweep`.
        out: Sweep folder; default: the file's ``out`` or ``results/sweeps/<name>``. Running
            again into the same folder skips the runs stored there.
        backend: ``serial``, ``processes`` (default) or ``dask``, or a :class:`Backend`.
        workers: Worker processes (default: the CPU count).
        scheduler: Address of an existing Dask scheduler (implies ``dask``).
        chunk_size: Runs per chunk (default: the file's ``chunk_size``, else chunks of at most
            16 runs shrinking toward the end of the sweep, see :func:`chunk_sizes`).
        retry_failed: Run again the runs stored as failed.
        progress: Show a progress bar with the completed runs and the time left.
        runner: What runs one scenario (default: :func:`run_outputs`, which gives
            :func:`default_runner`'s values for the kept columns); must be importable by the
            workers (a module-level function).

    Returns:
        Counts of done, failed and skipped runs.

    Raises:
        ScenarioError: The sweep file is invalid.
        SweepError: ``out`` holds a different sweep, or the backend is unknown.
        KeyboardInterrupt: After storing every chunk completed so far.
    """
    start = time.perf_counter()
    if not isinstance(sweep, Sweep):
        sweep = load_sweep(sweep)
    out = Path(out) if out is not None else sweep.default_out
    if scheduler and isinstance(backend, str):
        backend = "dask"
    engine = backend if isinstance(backend, Backend) else Backend(backend, workers, scheduler)
    fingerprint = _fingerprint(sweep, runner)
    manifest = _check_folder(out, fingerprint)

    unique = sweep.design.drop_duplicates("run_id")
    stored = stored_runs(out)
    keep = {"ok"} if retry_failed else {"ok", "failed"}
    pending_rows = unique[~unique["run_id"].map(lambda r: stored.get(r) in keep)]
    names = sweep.parameter_names
    tasks = [
        RunTask(row["run_id"], {k: _plain(row[k]) for k in names}, int(row["seed"]))
        for row in pending_rows.to_dict("records")
    ]
    summary = SweepSummary(
        sweep.spec.name, out, total=len(unique), skipped=len(unique) - len(tasks)
    )
    labels = [s.label for s in sweep.summaries]
    try:
        if tasks and engine.kind != "serial":
            # Workers import the model and load its kernels while the folder is prepared.
            engine.start(warmup=sweep.base_data if runner is None else None)
        _prepare_folder(out, sweep)
        manifest |= {
            "name": sweep.spec.name,
            "fingerprint": fingerprint,
            "runs": len(unique),
            "ecosim_version": _version(),
            "backend": engine.kind,
        }
        _write_manifest(out, manifest)
        if tasks:
            size = chunk_size or sweep.spec.chunk_size
            if size:
                sizes = [size] * math.ceil(len(tasks) / size)
            else:
                sizes = chunk_sizes(len(tasks), engine.workers)
            bounds = list(itertools.accumulate(sizes, initial=0))
            chunks = [_Chunk(tasks[a:b]) for a, b in itertools.pairwise(bounds)]
            _execute(engine, chunks, sweep, out, summary, labels, runner, progress)
    except KeyboardInterrupt:
        summary.interrupted = True
        raise
    finally:
        engine.close()
        summary.wall_time = time.perf_counter() - start
        if manifest.get("fingerprint") == fingerprint:  # the folder was prepared
            manifest["updated"] = time.strftime("%Y-%m-%dT%H:%M:%S")
            manifest["last"] = {
                "done": summary.done,
                "failed": summary.failed,
                "skipped": summary.skipped,
                "interrupted": summary.interrupted,
                "wall_time_s": round(summary.wall_time, 3),
            }
            _write_manifest(out, manifest)
    return summary


def chunk_sizes(runs: int, workers: int, largest: int = 16) -> list[int]:
    """Chunk sizes for ``runs`` runs on ``workers`` workers: large first, small at the end.

    Each chunk takes about 1/(2 x workers) of the runs still to assign (guided
    self-scheduling), at most ``largest`` and at least one. Early chunks amortise the
    per-chunk costs (sending the base scenario, writing a file); the last ones are single runs,
    so no worker idles long while another finishes a big chunk.
    """
    sizes: list[int] = []
    left = runs
    while left > 0:
        size = max(1, min(largest, math.ceil(left / (2 * workers))))
        sizes.append(size)
        left -= size
    return sizes


def _version() -> str:
    import ecosim

    return ecosim.__version__


def _execute(
    engine: Backend,
    chunks: list[_Chunk],
    sweep: Sweep,
    out: Path,
    summary: SweepSummary,
    labels: list[str],
    runner: Runner | None,
    progress: bool,
) -> None:
    """Submit chunks with a bounded window; store results as they come; retry dead chunks."""
    from tqdm.auto import tqdm

    ts_columns = tuple(sweep.spec.outputs.timeseries_columns(_indicators()))
    queue: deque[_Chunk] = deque(chunks)
    in_flight: dict[Future, _Chunk] = {}
    total = sum(len(c.runs) for c in chunks)
    bar = tqdm(total=total, unit="run", desc=sweep.spec.name, disable=not progress, smoothing=0.1)

    def task(chunk: _Chunk) -> ChunkTask:
        return ChunkTask(
            chunk.chunk_id,
            sweep.base_data,
            tuple(chunk.runs),
            tuple(sweep.summaries),
            sweep.spec.outputs.window,
            ts_columns,
            runner,
        )

    def store(chunk_id: str, records: list[dict[str, Any]], ts: pd.DataFrame | None) -> None:
        _write_chunk(out, chunk_id, records, ts, labels)
        n_failed = sum(r["status"] != "ok" for r in records)
        summary.failed += n_failed
        summary.done += len(records) - n_failed
        bar.update(len(records))
        if summary.failed:
            bar.set_postfix(failed=summary.failed)

    try:
        while queue or in_flight:
            _submit(engine, queue, in_flight, task)
            done, _ = wait(list(in_flight), return_when=FIRST_COMPLETED)
            dead: list[tuple[_Chunk, BaseException]] = []
            for future in done:
                chunk = in_flight.pop(future)
                exc = future.exception()
                if exc is None:
                    result = future.result()
                    store(result.chunk_id, result.records, result.timeseries)
                elif engine.is_worker_death(exc):
                    dead.append((chunk, exc))
                else:
                    trace = "".join(traceback.format_exception(exc))
                    error = f"chunk failed: {type(exc).__name__}: {exc}"
                    store(chunk.chunk_id, _failure_records(chunk.runs, error, trace), None)
            if dead and engine.kind == "processes":
                # A dead process breaks the pool: every task still pending fails with it.
                for future in list(in_flight):
                    chunk = in_flight.pop(future)
                    try:
                        result = future.result()
                    except Exception as exc:
                        dead.append((chunk, exc))
                    else:
                        store(result.chunk_id, result.records, result.timeseries)
                engine.reset()
            _retry_or_fail(dead, queue, store)
    finally:
        for future in in_flight:
            future.cancel()
        bar.close()


def _retry_or_fail(
    dead: list[tuple[_Chunk, BaseException]],
    queue: deque[_Chunk],
    store: Callable[[str, list[dict[str, Any]], pd.DataFrame | None], None],
) -> None:
    """Requeue the runs of chunks whose worker died, each alone; fail a run's second death.

    A death is the run's own only when its chunk held that run alone and no other chunk's
    task failed with it (a ``processes`` pool stops every pending task when one worker dies; a
    dead Dask worker fails the tasks it held). Runs stopped with another's death are re-run
    without a mark against them.
    """
    certain = len(dead) == 1
    for chunk, exc in dead:
        deaths = chunk.deaths + (certain and len(chunk.runs) == 1)
        if deaths >= 2:
            error = f"worker process died twice running this run ({exc!r})"
            store(chunk.chunk_id, _failure_records(chunk.runs, error, ""), None)
        else:
            queue.extendleft(_Chunk([r], deaths, alone=True) for r in reversed(chunk.runs))


def _submit(
    engine: Backend,
    queue: deque[_Chunk],
    in_flight: dict[Future, _Chunk],
    task: Callable[[_Chunk], ChunkTask],
) -> None:
    """Fill the window; a chunk marked ``alone`` (a retry after a worker died) runs alone."""
    while queue and len(in_flight) < engine.window:
        isolate = queue[0].alone or any(c.alone for c in in_flight.values())
        if isolate and in_flight:
            return
        chunk = queue.popleft()
        in_flight[engine.executor().submit(run_chunk, task(chunk))] = chunk
        if isolate:
            return


def _indicators() -> list[str]:
    from ecosim.indicators import INDICATORS

    return list(INDICATORS)


def resolve_runner(text: str) -> Runner:
    """Import a runner given as ``module:function``."""
    module, _, name = text.partition(":")
    if not module or not name:
        raise SweepError(f"a runner is given as module:function, not {text!r}")
    return getattr(importlib.import_module(module), name)
