"""Sensitivity analysis and scenario discovery on a sweep's results.

* :func:`sensitivity` computes Sobol indices (first-order ``S1`` and total ``ST``, with
  bootstrap confidence intervals) of a ``sobol`` sweep, or Morris elementary-effect statistics
  (``mu_star``, ``sigma``) of a ``morris`` sweep, with SALib, for one scalar output. Replicates
  of a design point are averaged first (with the default common seeds, every point sees the same
  random streams, so the indices describe the parameters rather than the noise).
* :func:`plot_indices` draws them.
* :func:`prim_peel` is a small PRIM (patient rule induction) peeling: the sequence of boxes in
  parameter space that concentrate the runs of interest (e.g. "long-term unemployment above
  X"), with their coverage and density, for scenario discovery without extra dependencies.
  The EMA workbench's PRIM does more (pasting, statistics); see :mod:`ecosim.ema`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import yaml

from ecosim.sweep import SweepSpec, load_design, load_results

if TYPE_CHECKING:
    from matplotlib.figure import Figure

METHODS: tuple[str, ...] = ("sobol", "morris")


class AnalysisError(ValueError):
    """The sweep cannot be analysed as asked (wrong design, missing runs, unknown output)."""


@dataclass
class Sensitivity:
    """Sensitivity indices of one output.

    Attributes:
        method: ``sobol`` or ``morris``.
        output: The summary column analysed.
        table: One row per parameter. Sobol: ``S1``, ``S1_conf``, ``ST``, ``ST_conf``. Morris:
            ``mu``, ``mu_star``, ``sigma``, ``mu_star_conf`` (per unit of the parameter's range
            in probability space).
        points: Design points used.
        replications: Runs averaged per point.
        second_order: Sobol second-order indices (``S2`` with ``S2_conf``), when computed.
    """

    method: str
    output: str
    table: pd.DataFrame
    points: int
    replications: int
    second_order: pd.DataFrame | None = None

    def __str__(self) -> str:
        head = (
            f"{self.method} indices of {self.output} ({self.points} points x "
            f"{self.replications} replication{'s' if self.replications != 1 else ''})"
        )
        return head + "\n" + self.table.to_string(float_format=lambda x: f"{x:.4f}")


def read_spec(out: str | Path) -> SweepSpec:
    """The resolved specification stored in a sweep folder."""
    path = Path(out) / "sweep.yaml"
    if not path.is_file():
        raise FileNotFoundError(f"{out} is not a sweep folder (no sweep.yaml)")
    return SweepSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def point_means(out: str | Path, output: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Per design point: unit-space coordinates and the output averaged over replicates.

    Raises:
        AnalysisError: The output is unknown, or a design point has no successful run.
    """
    results = load_results(out)
    summaries = [s.label for s in read_spec(out).outputs.resolved()]
    if output not in summaries:
        known = ", ".join(summaries)
        raise AnalysisError(f"no output {output!r} in {out}; outputs are: {known}")
    design = load_design(out)
    points = design.drop_duplicates("point").set_index("point").sort_index()
    means = results.groupby("point")[output].mean().reindex(points.index)
    missing = int(means.isna().sum())
    if missing:
        raise AnalysisError(
            f"{missing} of {len(points)} design points have no successful run with a value of "
            f"{output}; resume the sweep (failed runs are retried) or use another output"
        )
    unit = points[[c for c in points.columns if c.startswith("_u.")]]
    unit.columns = [c.removeprefix("_u.") for c in unit.columns]
    return unit, means.to_numpy(dtype=np.float64)


def default_output(out: str | Path) -> str:
    """The first summary of a sweep folder."""
    return read_spec(out).outputs.resolved()[0].label


def sensitivity(
    out: str | Path,
    output: str | None = None,
    method: str | None = None,
    *,
    num_resamples: int = 100,
    conf_level: float = 0.95,
    seed: int = 0,
) -> Sensitivity:
    """Sobol or Morris indices of one output of a sweep (SALib).

    Args:
        out: A sweep folder of a ``sobol`` or ``morris`` design.
        output: A summary column (default: the sweep's first summary).
        method: ``sobol`` or ``morris``; default: the design's kind.
        num_resamples: Bootstrap resamples for the confidence intervals.
        conf_level: Confidence level of the intervals.
        seed: Seed of the bootstrap.

    Raises:
        AnalysisError: The design does not support the method, or runs are missing.
    """
    spec = read_spec(out)
    kind = spec.design.kind
    if method is None and kind not in METHODS:
        raise AnalysisError(
            f"this sweep used a {kind} design, which gives no sensitivity indices; Sobol indices "
            "need a sobol design and Morris elementary effects a morris design (design.kind in "
            "the sweep file)"
        )
    method = method or kind
    if method not in METHODS:
        raise AnalysisError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if method != kind:
        raise AnalysisError(
            f"{method} indices need a {method} design; this sweep used a {kind} design "
            f"(set design.kind: {method} in the sweep file)"
        )
    output = output or default_output(out)
    unit, y = point_means(out, output)
    names = list(spec.parameters)
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    reps = spec.replications
    if np.ptp(y) == 0.0:
        raise AnalysisError(f"{output} does not vary across the design; no indices to compute")
    if method == "sobol":
        from SALib.analyze import sobol

        res = sobol.analyze(
            problem,
            y,
            calc_second_order=spec.design.second_order,
            num_resamples=num_resamples,
            conf_level=conf_level,
            seed=seed,
        )
        table = pd.DataFrame(
            {k: res[k] for k in ("S1", "S1_conf", "ST", "ST_conf")},
            index=pd.Index(names, name="parameter"),
        )
        second = None
        if spec.design.second_order:
            rows = [
                {"a": a, "b": b, "S2": res["S2"][i, j], "S2_conf": res["S2_conf"][i, j]}
                for i, a in enumerate(names)
                for j, b in enumerate(names)
                if j > i
            ]
            second = pd.DataFrame(rows)
        return Sensitivity(method, output, table, len(y), reps, second)
    from SALib.analyze import morris

    res = morris.analyze(
        problem,
        unit[names].to_numpy(dtype=np.float64),
        y,
        num_resamples=num_resamples,
        conf_level=conf_level,
        num_levels=spec.design.levels,
        seed=seed,
    )
    table = pd.DataFrame(
        {
            k: np.asarray(res[k], dtype=np.float64)
            for k in ("mu", "mu_star", "sigma", "mu_star_conf")
        },
        index=pd.Index(names, name="parameter"),
    )
    return Sensitivity(method, output, table, len(y), reps)


def plot_indices(result: Sensitivity, ax: Any = None) -> Figure:
    """Bar chart of the indices with their confidence intervals."""
    import matplotlib.pyplot as plt

    table = result.table
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.5, 0.6 + 0.45 * len(table) + 1.2))
    else:
        fig = ax.figure
    pos = np.arange(len(table))
    if result.method == "sobol":
        h = 0.38
        ax.barh(pos - h / 2, table["S1"], h, xerr=table["S1_conf"], label="first order (S1)")
        ax.barh(pos + h / 2, table["ST"], h, xerr=table["ST_conf"], label="total (ST)")
        ax.set_xlabel("Sobol index")
        ax.axvline(0.0, color="0.5", lw=0.8)
        ax.legend(loc="lower right", frameon=False)
    else:
        ax.barh(pos, table["mu_star"], 0.6, xerr=table["mu_star_conf"], label="mu*")
        ax.plot(table["sigma"], pos, "o", color="k", label="sigma")
        ax.set_xlabel("Morris elementary effect")
        ax.legend(loc="lower right", frameon=False)
    ax.set_yticks(pos, table.index)
    ax.invert_yaxis()
    ax.set_title(f"{result.method.capitalize()} sensitivity of {result.output}", fontsize=10)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- scenario discovery


def prim_peel(
    x: pd.DataFrame,
    y: np.ndarray | pd.Series,
    *,
    alpha: float = 0.05,
    min_mass: float = 0.05,
) -> pd.DataFrame:
    """PRIM peeling: a sequence of shrinking boxes that concentrate the cases of interest.

    At each step the box loses the ``alpha`` share of its points at the low or the high end of
    one parameter, whichever raises the share of cases of interest (the *density*) most, until
    fewer than ``min_mass`` of all points remain.

    Args:
        x: Parameter values, one row per run (numeric columns only are peeled).
        y: Whether each run is a case of interest (e.g. ``ltu_share > 0.3``).
        alpha: Share of the box's points removed per step.
        min_mass: Smallest share of all points a box may hold.

    Returns:
        The peeling trajectory, one row per box (step 0 is the whole space): ``coverage``
        (share of all cases of interest inside), ``density`` (share of the box's points that
        are cases of interest), ``mass`` (share of all points inside), ``n`` and, per
        parameter, ``<name>.low`` and ``<name>.high``.
    """
    if not 0.0 < alpha < 0.5:
        raise ValueError("alpha must lie in (0, 0.5)")
    x = x.select_dtypes("number")
    values = x.to_numpy(dtype=np.float64)
    hit = np.asarray(y, dtype=bool)
    if hit.shape[0] != values.shape[0]:
        raise ValueError("x and y have different lengths")
    total_hits = max(int(hit.sum()), 1)
    n_all = len(hit)
    inside = np.ones(n_all, dtype=bool)
    low = values.min(axis=0)
    high = values.max(axis=0)
    rows = [_box_row(0, inside, hit, total_hits, n_all, x.columns, low, high)]
    step = 0
    while inside.sum() > min_mass * n_all:
        best: tuple[float, int, np.ndarray, int] | None = None
        for j in range(values.shape[1]):
            col = values[inside, j]
            for upper in (False, True):
                if upper:
                    keep = inside & (values[:, j] < np.quantile(col, 1.0 - alpha))
                else:
                    keep = inside & (values[:, j] > np.quantile(col, alpha))
                n_keep = int(keep.sum())
                if n_keep < min_mass * n_all or n_keep == 0:
                    continue
                density = float(hit[keep].mean())
                if best is None or (density, n_keep) > (best[0], best[1]):
                    best = (density, n_keep, keep, j)
        if best is None:
            break
        _, _, inside, j = best
        low[j] = values[inside, j].min()
        high[j] = values[inside, j].max()
        step += 1
        rows.append(_box_row(step, inside, hit, total_hits, n_all, x.columns, low, high))
    return pd.DataFrame(rows).set_index("step")


def _box_row(
    step: int,
    inside: np.ndarray,
    hit: np.ndarray,
    total_hits: int,
    n_all: int,
    names: pd.Index,
    low: np.ndarray,
    high: np.ndarray,
) -> dict[str, Any]:
    n = int(inside.sum())
    row: dict[str, Any] = {
        "step": step,
        "coverage": hit[inside].sum() / total_hits,
        "density": hit[inside].mean() if n else float("nan"),
        "mass": n / n_all,
        "n": n,
    }
    for name, lo, hi in zip(names, low, high, strict=True):
        row[f"{name}.low"] = float(lo)
        row[f"{name}.high"] = float(hi)
    return row


def choose_box(trajectory: pd.DataFrame, min_coverage: float = 0.5) -> pd.Series:
    """The densest box of a peeling trajectory that still covers ``min_coverage`` of the cases."""
    ok = trajectory[trajectory["coverage"] >= min_coverage]
    if ok.empty:
        ok = trajectory.iloc[:1]
    return ok.sort_values(["density", "coverage"], ascending=False, kind="stable").iloc[0]


def box_limits(box: pd.Series, full: pd.Series | None = None) -> pd.DataFrame:
    """The limits of a box as a table (``low``, ``high``); ``restricted`` compares to ``full``."""
    names = sorted({k.rsplit(".", 1)[0] for k in box.index if k.endswith((".low", ".high"))})
    table = pd.DataFrame(
        {"low": [box[f"{n}.low"] for n in names], "high": [box[f"{n}.high"] for n in names]},
        index=pd.Index(names, name="parameter"),
    )
    if full is not None:
        table["restricted"] = [
            box[f"{n}.low"] > full[f"{n}.low"] or box[f"{n}.high"] < full[f"{n}.high"]
            for n in names
        ]
    return table
