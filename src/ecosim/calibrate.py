"""Calibration by the simulated method of moments.

A calibration file names a base scenario, target moments with their sources, the free
parameters with bounds, the seeds and the search::

    name: nl_2023
    base: ../scenarios/rijnmond.yaml       # relative to this file
    set: {resolution: 69}                  # fixed overrides while calibrating
    window: [37, 120]                      # months whose means are the model's moments
    targets:
      unemployment_rate: {value: 0.045, se: 0.005, source: "CBS 2023"}
      job_to_job_quarterly: {column: job_to_job_rate, factor: 3, value: 0.047, se: 0.005}
    parameters:                            # dotted scenario paths, as in a sweep
      behaviour.separation_rate: {range: [0.005, 0.012]}
    design: {kind: lhs, samples: 16, seed: 1}
    seeds: 3                               # runs per candidate, common random numbers
    refine: {method: nelder-mead, max_evaluations: 30}
    out: ../results/calibration/nl_2023

**Moments.** A target's model moment is ``factor x`` the mean of an indicator (``column``,
default the target's name) over ``window``, averaged over the seeds. The distance of a
candidate is the mean of ``((model - target) / se) ** 2`` over the targets: the weighting
matrix is diagonal with the inverse squared standard errors (or tolerances) of the targets
(McFadden 1989; Gourieroux, Monfort & Renault 1993).

**Search.** First a space-filling design (``lhs``/``sobol``) runs through the sweep engine —
any backend, Dask included, resumable — and the best point starts a Nelder–Mead search
(:func:`scipy.optimize.minimize`) in the unit cube of the bounds. Every candidate runs the same
seeds (common random numbers), so the objective is a deterministic function of the parameters
and differences between candidates are not seed noise. Each refinement candidate is a one-point
sweep in its own folder, so an interrupted calibration resumes without recomputing.

**Output** (``OUT``)::

    design/                 the design stage's sweep folder
    refine/<key>/           one sweep folder per refinement candidate
    trace.csv               every candidate: stage, parameter values, distance
    moments.csv             the best candidate: target, model mean and sd over seeds, z
    calibration.json        best values, distance, runs and wall time
    calibration.png         distance trace and moments against targets
    calibrated.yaml         a scenario that ``extends:`` the base with the fitted values
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import Field, ValidationError

from ecosim.config import (
    LineMap,
    Problem,
    ScenarioError,
    Source,
    StrictModel,
    read_yaml,
    validation_problems,
)
from ecosim.indicators import INDICATORS
from ecosim.sweep import load_results, run_sweep
from ecosim.sweep.loading import Sweep, sweep_from_dict
from ecosim.sweep.schema import Design, Parameter


class Target(StrictModel):
    """One target moment: ``factor x mean(column)`` over the window should equal ``value``."""

    value: float = Field(allow_inf_nan=False)
    se: float = Field(gt=0.0, allow_inf_nan=False, description="Standard error or tolerance.")
    column: str | None = Field(None, description="Indicator; default: the target's name.")
    factor: float = Field(1.0, gt=0.0, allow_inf_nan=False)
    source: str = Field("", max_length=1000)


class Refine(StrictModel):
    """Local refinement from the design's best point."""

    method: Literal["nelder-mead", "none"] = "nelder-mead"
    max_evaluations: int = Field(30, ge=1, le=10_000)


class CalibrationSpec(StrictModel):
    """A calibration file (see the module documentation)."""

    name: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.\-]+$")
    description: str = Field("", max_length=5000)
    base: str = Field(min_length=1, description="Base scenario, relative to this file.")
    set: dict[str, Any] = Field(default_factory=dict)
    window: tuple[int, int] | None = None
    targets: dict[str, Target] = Field(min_length=1)
    parameters: dict[str, Parameter] = Field(min_length=1)
    design: Design = Field(default_factory=lambda: Design(kind="lhs", samples=16))
    seeds: int = Field(3, ge=1, le=1000)
    seed: int | None = Field(None, ge=0, le=2**62)
    refine: Refine = Field(default_factory=Refine)
    out: str | None = None


@dataclass
class Calibration:
    """A validated calibration: its specification, design sweep and where it came from."""

    spec: CalibrationSpec
    source: str
    base_dir: Path
    sweep: Sweep
    default_out: Path

    @property
    def base_path(self) -> Path:
        """The base scenario file."""
        return self.base_dir / self.spec.base

    def column(self, name: str) -> str:
        """The indicator a target averages."""
        return self.spec.targets[name].column or name


@dataclass
class CalibrationResult:
    """What :func:`calibrate` found.

    Attributes:
        best: Fitted value of every free parameter (dotted path).
        distance: Its distance (mean squared standardised deviation).
        moments: Per target: ``target``, ``se``, ``model`` (mean over seeds), ``model_sd``,
            ``z`` and ``source``.
        trace: Every candidate in the order evaluated: ``stage``, the values, ``distance``.
        runs: Model runs done or reused; ``wall_time_s``: the calibration's wall time.
        out: The output folder.
    """

    best: dict[str, float | int]
    distance: float
    moments: pd.DataFrame
    trace: pd.DataFrame
    runs: int
    wall_time_s: float
    out: Path
    meta: dict[str, Any] = field(default_factory=dict)


def load_calibration(path: str | Path) -> Calibration:
    """Read and validate a calibration file.

    Raises:
        ScenarioError: listing every problem as ``FILE:LINE: dotted.path: message``.
    """
    path = Path(path)
    data, lines = read_yaml(path)
    return calibration_from_dict(data, source=str(path), lines=lines, base_dir=path.parent)


def calibration_from_dict(
    data: Mapping[str, Any],
    *,
    source: str = "<dict>",
    lines: LineMap | None = None,
    base_dir: str | Path = ".",
) -> Calibration:
    """Validate calibration data in memory (paths relative to ``base_dir``)."""
    lines = lines or LineMap(None)
    try:
        spec = CalibrationSpec.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(exc, Source(source, lines, {}))) from None
    problems = [
        Problem(
            source,
            lines.line(("parameters", name)),
            f"parameters.{name}",
            "a free parameter needs bounds: give range: [low, high]",
        )
        for name, param in spec.parameters.items()
        if param.range is None
    ]
    for name, target in spec.targets.items():
        column = target.column or name
        if column not in INDICATORS:
            key = ("targets", name, "column") if target.column else ("targets", name)
            problems.append(
                Problem(
                    source,
                    lines.line(key),
                    ".".join(map(str, key)),
                    f"unknown indicator {column!r}; allowed: {', '.join(INDICATORS)}",
                )
            )
    if problems:
        raise ScenarioError(problems)
    base_dir = Path(base_dir)
    sweep = sweep_from_dict(
        _sweep_data(spec, spec.parameters, spec.design.model_dump(), "design"),
        source=source,
        lines=lines,
        base_dir=base_dir,
    )
    out = base_dir / spec.out if spec.out else Path("results") / "calibration" / spec.name
    return Calibration(spec, source, base_dir, sweep, out)


def _sweep_data(
    spec: CalibrationSpec, parameters: Mapping[str, Any], design: Mapping[str, Any], stage: str
) -> dict[str, Any]:
    """The sweep that runs a stage: the targets' columns as means over the window."""
    summaries = [
        {"column": t.column or name, "stat": "mean", "name": name}
        for name, t in spec.targets.items()
    ]
    outputs: dict[str, Any] = {"summaries": summaries}
    if spec.window is not None:
        outputs["window"] = list(spec.window)
    data: dict[str, Any] = {
        "name": f"{spec.name}-{stage}",
        "base": spec.base,
        "set": dict(spec.set),
        "parameters": {
            k: (v.model_dump(exclude_none=True) if isinstance(v, Parameter) else v)
            for k, v in parameters.items()
        },
        "design": dict(design),
        "replications": spec.seeds,
        "seeds": "common",
        "outputs": outputs,
    }
    if spec.seed is not None:
        data["seed"] = spec.seed
    return data


def distance(moments: Mapping[str, float], spec: CalibrationSpec) -> float:
    """Mean squared standardised deviation of the model's moments from the targets."""
    z = [(t.factor * moments[name] - t.value) / t.se for name, t in spec.targets.items()]
    return float(np.mean(np.square(z)))


def calibrate(
    calibration: str | Path | Calibration,
    out: str | Path | None = None,
    *,
    backend: str = "processes",
    workers: int | None = None,
    scheduler: str = "",
    progress: bool = True,
) -> CalibrationResult:
    """Fit the free parameters to the target moments (see the module documentation).

    Args:
        calibration: A calibration file or a loaded :class:`Calibration`.
        out: Output folder (default: the file's ``out`` or ``results/calibration/<name>``);
            running again into it reuses every stored run.
        backend: The sweep backend of both stages (``serial``, ``processes``, ``dask``).
        workers: Worker processes (default: the CPU count).
        scheduler: Address of an existing Dask scheduler.
        progress: Show progress bars and one line per refinement candidate.

    Returns:
        The :class:`CalibrationResult`; its files are in ``out``.
    """
    from scipy.optimize import minimize

    start = time.perf_counter()
    cal = calibration if isinstance(calibration, Calibration) else load_calibration(calibration)
    spec = cal.spec
    out = Path(os.path.normpath(out if out is not None else cal.default_out))
    out.mkdir(parents=True, exist_ok=True)
    run = dict(backend=backend, workers=workers, scheduler=scheduler, progress=progress)
    names = list(spec.parameters)
    params = [spec.parameters[n] for n in names]

    design_out = out / "design"
    run_sweep(cal.sweep, design_out, **run)
    results = load_results(design_out)
    runs = len(results)
    trace: list[dict[str, Any]] = []
    points: list[pd.DataFrame] = []
    for _, group in results.groupby("point", sort=True):
        moments = {n: float(group[n].mean()) for n in spec.targets}
        values = {n: float(group[n].iloc[0]) for n in names}
        trace.append({"stage": "design", **values, "distance": distance(moments, spec)})
        points.append(group)
    if not trace:
        raise RuntimeError(f"no design run succeeded; see the failures in {design_out}")
    first = int(np.argmin([t["distance"] for t in trace]))
    best_values = {n: _typed(p, trace[first][n]) for n, p in zip(names, params, strict=True)}
    best_runs = points[first]

    if spec.refine.method == "nelder-mead":
        # The design's best point is the first vertex: its runs are reused, not repeated.
        cache = {_key(best_values): (trace[first]["distance"], best_runs)}

        def objective(u: np.ndarray) -> float:
            nonlocal runs
            u = np.clip(u, 0.0, 1.0)
            values = {
                n: p.from_unit(np.array([x]))[0] for n, p, x in zip(names, params, u, strict=True)
            }
            key = _key(values)
            if key not in cache:
                data = _sweep_data(
                    spec, {n: {"values": [v]} for n, v in values.items()}, {"kind": "grid"},
                    f"refine-{key}",
                )  # fmt: skip
                sweep = sweep_from_dict(data, source=cal.source, base_dir=cal.base_dir)
                folder = out / "refine" / key
                run_sweep(sweep, folder, **{**run, "progress": False})
                frame = load_results(folder)
                moments = {n: float(frame[n].mean()) for n in spec.targets}
                cache[key] = (distance(moments, spec), frame)
                trace.append({"stage": "refine", **values, "distance": cache[key][0]})
                if progress:
                    shown = ", ".join(f"{n}={v:.4g}" for n, v in values.items())
                    print(f"refine {len(cache)}: {shown} -> distance {cache[key][0]:.4g}")
                runs += len(frame)
            return cache[key][0]

        u0 = np.array([_to_unit(p, best_values[n]) for n, p in zip(names, params, strict=True)])
        simplex = np.vstack([u0] + [_step(u0, i) for i in range(len(names))])
        minimize(
            objective,
            u0,
            method="Nelder-Mead",
            options={
                "maxfev": spec.refine.max_evaluations,
                "initial_simplex": simplex,
                "xatol": 1e-3,
                "fatol": 1e-3,
            },
        )
        frame = pd.DataFrame(trace)
        best_i = int(frame["distance"].idxmin())
        if frame.loc[best_i, "stage"] == "refine":
            best_values = {
                n: _typed(p, frame.loc[best_i, n]) for n, p in zip(names, params, strict=True)
            }
            best_runs = cache[_key(best_values)][1]

    trace_frame = pd.DataFrame(trace)
    trace_frame.insert(0, "evaluation", range(len(trace_frame)))
    moments = _moment_table(best_runs, spec)
    result = CalibrationResult(
        best=best_values,
        distance=float(trace_frame["distance"].min()),
        moments=moments,
        trace=trace_frame,
        runs=runs,
        wall_time_s=time.perf_counter() - start,
        out=out,
    )
    _write(result, cal)
    return result


def _typed(param: Parameter, value: Any) -> float | int:
    """A parameter's value as the scenario takes it (an integer parameter as an int)."""
    return round(float(value)) if param.integer else float(value)


def _key(values: Mapping[str, Any]) -> str:
    text = json.dumps({k: float(v) for k, v in values.items()}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _to_unit(param: Parameter, value: float) -> float:
    lo, hi = param.range  # type: ignore[misc]  (free parameters have ranges)
    return float(np.clip((value - lo) / (hi - lo), 0.0, 1.0))


def _step(u0: np.ndarray, i: int, size: float = 0.15) -> np.ndarray:
    """A simplex vertex: ``u0`` moved by ``size`` along axis ``i``, inward from a bound."""
    u = u0.copy()
    u[i] = u[i] + size if u[i] + size <= 1.0 else u[i] - size
    return u


def _moment_table(runs: pd.DataFrame, spec: CalibrationSpec) -> pd.DataFrame:
    rows = []
    for name, t in spec.targets.items():
        values = t.factor * runs[name].to_numpy(dtype=float)
        model = float(values.mean())
        rows.append(
            {
                "moment": name,
                "column": t.column or name,
                "target": t.value,
                "se": t.se,
                "model": model,
                "model_sd": float(values.std(ddof=1)) if values.size > 1 else float("nan"),
                "z": (model - t.value) / t.se,
                "source": t.source,
            }
        )
    return pd.DataFrame(rows)


def _nested(values: Mapping[str, float]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for dotted, value in values.items():
        node = tree
        *parents, leaf = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return tree


def _write(result: CalibrationResult, cal: Calibration) -> None:
    """The output files, each written whole (temporary file, then rename)."""
    out, spec = result.out, cal.spec
    result.trace.to_csv(out / "trace.csv.tmp", index=False)
    os.replace(out / "trace.csv.tmp", out / "trace.csv")
    result.moments.to_csv(out / "moments.csv.tmp", index=False)
    os.replace(out / "moments.csv.tmp", out / "moments.csv")
    summary = {
        "name": spec.name,
        "source": cal.source,
        "best": result.best,
        "distance": result.distance,
        "runs": result.runs,
        "wall_time_s": round(result.wall_time_s, 1),
        "date": time.strftime("%Y-%m-%d"),
    }
    (out / "calibration.json.tmp").write_text(json.dumps(summary, indent=2))
    os.replace(out / "calibration.json.tmp", out / "calibration.json")
    base = os.path.relpath(cal.base_path.resolve(), out.resolve())
    header = (
        f"# Calibrated by `ecosim calibrate {cal.source}` on {summary['date']}:\n"
        f"# distance {result.distance:.4g} (mean squared z over {len(spec.targets)} targets), "
        f"{result.runs} runs, {result.wall_time_s / 60:.1f} min.\n"
    )
    body = {"name": f"{spec.name}_calibrated", "extends": base, **_nested(result.best)}
    (out / "calibrated.yaml.tmp").write_text(header + yaml.safe_dump(body, sort_keys=False))
    os.replace(out / "calibrated.yaml.tmp", out / "calibrated.yaml")
    figure(result).savefig(out / "calibration.png", dpi=110, bbox_inches="tight")


def figure(result: CalibrationResult):
    """Distance of every candidate, and the best candidate's moments against the targets."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4))
    for stage, group in result.trace.groupby("stage"):
        a.plot(group["evaluation"], group["distance"], "o", ms=4, label=stage)
    a.plot(result.trace["evaluation"], result.trace["distance"].cummin(), "k-", lw=1,
           label="best so far")  # fmt: skip
    a.set_yscale("log")
    a.set_xlabel("candidate")
    a.set_ylabel("distance (mean squared z)")
    a.legend()
    m = result.moments
    y = np.arange(len(m))
    b.errorbar(m["target"] * 0, y, xerr=2.0, fmt="none", ecolor="0.7", label="target ± 2 se")
    b.errorbar(m["z"], y, xerr=m["model_sd"] / m["se"], fmt="o", label="model (± sd over seeds)")
    b.set_yticks(y, m["moment"])
    b.axvline(0.0, color="k", lw=0.8)
    b.set_xlabel("(model - target) / se")
    b.legend(loc="lower right")
    fig.tight_layout()
    plt.close(fig)
    return fig
