"""Matplotlib figures of a run.

Figures are built on :class:`matplotlib.figure.Figure` directly (no pyplot state), so they work
the same in scripts, on headless machines and in notebooks (a returned figure displays inline).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from matplotlib.figure import Figure

if TYPE_CHECKING:
    from ecosim.results import Results

DPI = 150


def overview(timeseries: pd.DataFrame, title: str = "") -> Figure:
    """Dashboard: rates, flows, long-term unemployment and skill shortfalls over time."""
    ts = timeseries.iloc[1:] if len(timeseries) > 1 else timeseries
    months = ts.index.to_numpy()
    fig = Figure(figsize=(11, 7.5), layout="constrained")
    axes = fig.subplots(2, 2, sharex=True)

    ax = axes[0, 0]
    ax.plot(months, 100 * ts["unemployment_rate"], label="unemployment rate U/(U+E)")
    ax.plot(months, 100 * ts["vacancy_rate"], label="vacancy rate V/(V+E)")
    ax.set_ylabel("%")
    ax.set_title("Unemployment and vacancy rates")

    ax = axes[0, 1]
    for col, label in (
        ("hires", "hires"),
        ("separations", "separations to unemployment"),
        ("job_to_job", "job-to-job moves"),
        ("retirements", "retirements"),
        ("entrants", "entrants from education"),
    ):
        ax.plot(months, ts[col], label=label)
    ax.set_ylabel("persons per month")
    ax.set_title("Flows")

    ax = axes[1, 0]
    ax.plot(months, 100 * ts["long_term_unemployed_share"], label="long-term (≥ 12 months)")
    ax.set_ylabel("% of unemployed")
    ax.set_title("Long-term unemployment share")
    twin = ax.twinx()
    twin.plot(
        months, ts["mean_unemployment_duration"], color="C3", ls="--", label="mean spell so far"
    )
    twin.set_ylabel("months")
    _merge_legends(ax, twin)

    ax = axes[1, 1]
    ax.plot(months, ts["mean_skill_shortfall_of_hires"], label="hires")
    ax.plot(months, ts["mean_skill_shortfall_of_incumbents"], label="incumbents")
    ax.set_ylabel("shortfall (share of required skill missing)")
    ax.set_title("Skill shortfall")

    for ax in axes.flat:
        ax.grid(alpha=0.3)
        if ax is not axes[1, 0]:
            ax.legend(fontsize="small")
    for ax in axes[1]:
        ax.set_xlabel("month")
    fig.suptitle(title or "ecosim run overview", fontsize="large")
    return fig


def _merge_legends(ax, twin) -> None:
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = twin.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize="small", loc="upper left")


def save_figures(results: Results, directory: str | Path) -> list[Path]:
    """Write every figure of a run as PNG into ``directory``; returns the files written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    name = results.provenance.get("scenario_name", "")
    seed = results.provenance.get("seed", "")
    title = f"{name} (seed {seed})" if name else ""
    written = []
    path = directory / "overview.png"
    overview(results.timeseries, title).savefig(path, dpi=DPI)
    written.append(path)
    return written
