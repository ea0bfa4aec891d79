"""Experiment designs: the points of a sweep, its runs, their seeds and ids.

A design row (a *point*) times the replications gives the runs; :func:`build_design` lists them
with a stable :func:`run_id` and a seed each (``seeds: common`` or ``independent``). Sampling
designs (``lhs``, ``sobol``, ``morris``) draw points in the unit hypercube (:func:`unit_design`)
that the parameters map to values through their inverse CDFs.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ecosim.sweep.schema import Parameter, SweepSpec


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


def design_runs(spec: SweepSpec) -> tuple[int, str]:
    """How many runs a design has, without building it, and how that number comes about.

    Returns:
        The number of runs (points times replications) and its formula in words, e.g.
        ``"a grid of 3 x 10000 levels x 2 replications"``.
    """
    d = len(spec.parameters)
    reps = spec.replications
    samples = spec.design.samples or 0
    match spec.design.kind:
        case "grid":
            levels = [
                len(p.values) if p.values is not None else p.levels or 1
                for p in spec.parameters.values()
            ]
            points, how = math.prod(levels), f"a grid of {' x '.join(map(str, levels)) or 1} levels"
        case "sobol":
            per = 2 * d + 2 if spec.design.second_order else d + 2
            points, how = samples * per, f"sobol: {samples} samples x {per} points"
        case "morris":
            points, how = samples * (d + 1), f"morris: {samples} trajectories x {d + 1} points"
        case _:
            points, how = samples, f"lhs: {samples} samples"
    return points * reps, f"{how} x {reps} replication{'s' if reps != 1 else ''}"


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
        values = {k: plain_value(v) for k, v in values.items()}
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


def plain_value(value: Any) -> Any:
    """A NumPy scalar as a Python scalar (for hashing and storage); other values as they are."""
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
