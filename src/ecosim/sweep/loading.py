"""Loading a sweep: the file validated against its base scenario, and its design (:class:`Sweep`).

Problems are reported like a scenario's, through :mod:`ecosim.config`'s :class:`Problem`,
:class:`ScenarioError`, :class:`LineMap` and :class:`Source`: every problem at once, as
``FILE:LINE: dotted.path: message (got VALUE)``, ``set`` overrides and varied values located in
the sweep file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from ecosim.config import (
    LineMap,
    Problem,
    Scenario,
    ScenarioError,
    Source,
    dotted_path,
    read_scenario,
    read_yaml,
    scenario_from_dict,
    validation_problems,
)
from ecosim.sweep.designs import build_design, design_runs
from ecosim.sweep.schema import MAX_RUNS_LIMIT, Summary, SweepSpec, Window, window_bounds


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
    base_raw, base_lines = read_scenario(base_path)
    base = _validate_base(base_raw, base_lines, base_path, spec, source, lines)
    out = _resolve(base_dir, spec.out) if spec.out else Path("results") / "sweeps" / spec.name
    return _checked(spec, base, source, lines, out)


def sweep_from_scenario(
    scenario: Scenario, data: Mapping[str, Any], *, source: str = "<scenario>"
) -> Sweep:
    """A sweep over a scenario validated in memory: no base file is read.

    ``ecosim compare`` runs each of its scenarios (given as files, scenarios or mappings) this
    way, as a sweep of seeds, so that it runs on every backend of the engine. ``data`` is the
    sweep without ``base`` (``name``, ``replications``, ``outputs``, ...); ``set`` applies to
    the scenario as in a file.

    Raises:
        ScenarioError: The sweep data do not fit the scenario.
    """
    src = Source(source, LineMap(None), {})
    try:
        spec = SweepSpec.model_validate({"base": "<in memory>", **data})
    except ValidationError as exc:
        raise ScenarioError(validation_problems(exc, src)) from None
    base = scenario_from_dict(scenario.model_dump(mode="json"), spec.set or None)
    out = Path(spec.out) if spec.out else Path("results") / "sweeps" / spec.name
    return _checked(spec, base, source, LineMap(None), out)


def _checked(spec: SweepSpec, base: Scenario, source: str, lines: LineMap, out: Path) -> Sweep:
    """The sweep of a validated spec and base scenario, once its design and outputs fit."""
    base_data = base.model_dump(mode="json")
    problems = _check_design(spec, source, lines)
    if not problems:
        problems = _check_size(spec, source, lines)
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


def _check_size(spec: SweepSpec, source: str, lines: LineMap) -> list[Problem]:
    """The design must have at most ``max_runs`` runs: counted before it is built in memory."""
    runs, how = design_runs(spec)
    if runs <= spec.max_runs:
        return []
    msg = (
        f"{how} is {runs:,} runs, more than max_runs ({spec.max_runs:,}); make the design "
        f"smaller or raise max_runs in the sweep file (at most {MAX_RUNS_LIMIT:,})"
    )
    return [Problem(source, lines.line(("design",)), "design", msg)]


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
        first, last = window_bounds(window, base.months)
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
