"""Matplotlib figures of a run.

Figures are built on :class:`matplotlib.figure.Figure` directly (no pyplot state), so they work
the same in scripts, on headless machines and in notebooks. Each is an :class:`InlineFigure`,
which Jupyter shows when a cell returns one, even where pyplot (whose inline backend would
show it) was never imported.

Each function takes the tables of a :class:`~ecosim.results.Results` (time series or one of its
long-format tables) and returns a figure; :func:`save_figures` writes them all.

Month 0 is the state at the end of the burn-in (the scenario's ``burn_in`` months, simulated
but never recorded, so never shown); the figures of :func:`figures` say so in their titles
(:func:`burn_in_note`). Time-series panels start at month 1, the first simulated month.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.colors import CenteredNorm
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ecosim.results import Results

DPI = 150


class InlineFigure(Figure):
    """A :class:`~matplotlib.figure.Figure` that Jupyter displays as a PNG.

    A bare ``Figure`` shows only ``<Figure size 1200x1000 with 7 Axes>`` in a notebook unless
    pyplot's inline backend has registered itself; ``_repr_png_`` is IPython's own hook.
    """

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=100)
        return buffer.getvalue()


CAPTIONS: dict[str, str] = {
    "overview": "Unemployment and vacancy rates, flows (persons per month), transition rates, "
    "long-term unemployment, time to fill a vacancy and the skill shortfall of hires and "
    "incumbents.",
    "beveridge_curve": "Vacancy rate against unemployment rate, one dot per month (colour: "
    "month); the dark line is the trailing 12-month mean, its arrows point forward in time.",
    "skill_gaps": "Mean required minus mean held skill level per skill and month: red is a "
    "skill in short supply, blue in surplus. Top: vacancies against the unemployed; bottom: "
    "filled jobs against their incumbents.",
    "employment_by_sector": "Employment relative to employers' target per sector, in % (0 is "
    "at target), on one scale for all panels.",
    "employment_by_occupation": "Employment relative to employers' target for the largest "
    "occupations, in % (0 is at target), on one scale; the title says which are shown.",
    "mismatch": "Jackman-Roper and Sahin-Song-Topa-Violante mismatch between the unemployed "
    "and the vacancies across occupations, sectors and regions (0: none).",
    "inclusiveness": "Unemployment rate, long-term share and job-finding rate by education, "
    "age band and region of residence.",
    "unemployment_duration": "Shares of the unemployed by the completed months of their "
    "ongoing spell.",
}
"""What each figure of :func:`figures` shows, by file stem (the report's captions)."""
TOP_OCCUPATIONS = 12
_THOUSANDS = FuncFormatter(lambda x, _pos: f"{x:,.0f}")


def _label(name: str) -> str:
    """A scenario name as a readable label (``care_health`` -> ``care health``)."""
    return str(name).replace("_", " ")


def _after_start(frame: pd.DataFrame, month: pd.Series | pd.Index) -> pd.DataFrame:
    """Rows after month 0 (all rows if the run has no later month)."""
    keep = np.asarray(month) > 0
    return frame[keep] if keep.any() else frame


def _finish(fig: Figure, title: str, default: str) -> Figure:
    fig.suptitle(title or default, fontsize="large")
    return fig


def overview(
    timeseries: pd.DataFrame, title: str = "", tables: dict[str, pd.DataFrame] | None = None
) -> Figure:
    """Dashboard: rates, flows, transition rates, long-term unemployment, time to fill, skills.

    Args:
        timeseries: Model-level time series indexed by month.
        title: Figure title (default: "ecosim run overview").
        tables: The run's tables; the ``time_to_fill`` table adds the stock-flow time to fill,
            otherwise that panel shows the tightness V/U.
    """
    ts = _after_start(timeseries, timeseries.index)
    months = ts.index.to_numpy()
    fig = InlineFigure(figsize=(12, 10), layout="constrained")
    axes = fig.subplots(3, 2, sharex=True)

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
    ax.yaxis.set_major_formatter(_THOUSANDS)
    ax.set_title("Flows")

    ax = axes[1, 0]
    ax.plot(months, 100 * ts["job_finding_rate"], label="job-finding rate (U→E)")
    ax.plot(months, 100 * ts["separation_rate"], label="separation rate (E→U)")
    ax.set_ylabel("% per month")
    ax.set_title("Transition rates")

    ax = axes[1, 1]
    ax.plot(months, 100 * ts["long_term_unemployed_share"], label="long-term (≥ 12 months)")
    ax.set_ylabel("% of unemployed")
    ax.set_title("Long-term unemployment share")
    twin = ax.twinx()
    twin.plot(
        months, ts["mean_unemployment_duration"], color="C3", ls="--", label="mean spell so far"
    )
    twin.set_ylabel("months")
    _merge_legends(ax, twin)

    ax = axes[2, 0]
    ttf = (tables or {}).get("time_to_fill")
    if ttf is not None and not ttf.empty:
        overall = ttf[ttf["occupation"] == "all"].set_index("month")
        overall = _after_start(overall, overall.index)
        ax.plot(overall.index, overall["time_to_fill_months"], alpha=0.5, label="monthly V/H")
        ax.plot(
            overall.index,
            overall["time_to_fill_months_rolling"],
            color="C0",
            label="trailing 12 months ΣV/ΣH",
        )
        ax.set_ylabel("months")
        ax.set_title("Time to fill a vacancy (stock-flow estimate)")
    else:
        ax.plot(months, ts["vacancies"] / ts["unemployed"], label="tightness V/U")
        ax.set_ylabel("vacancies per unemployed")
        ax.set_title("Labour-market tightness")

    ax = axes[2, 1]
    ax.plot(months, 100 * ts["mean_skill_shortfall_of_hires"], label="hires")
    ax.plot(months, 100 * ts["mean_skill_shortfall_of_incumbents"], label="incumbents")
    ax.set_ylabel("% of required skill missing")
    ax.set_title("Skill shortfall")

    for ax in axes.flat:
        ax.grid(alpha=0.3)
        if ax is not axes[1, 1]:
            ax.legend(fontsize="small")
    for ax in axes[-1]:
        ax.set_xlabel("month")
    return _finish(fig, title, "ecosim run overview")


def _merge_legends(ax: Axes, twin: Axes) -> None:
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = twin.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize="small", loc="upper left")


def beveridge_curve(beveridge: pd.DataFrame, title: str = "", window: int = 12) -> Figure:
    """Beveridge curve: vacancy rate against unemployment rate, with the direction of time.

    Monthly points are coloured by month; a trailing ``window``-month mean traces the path
    with arrows pointing forward in time, because month-to-month noise otherwise hides which
    way the economy moves along (or off) the curve.

    Args:
        beveridge: The ``beveridge_curve`` table (``month``, ``u``, ``v``).
        title: Figure title.
        window: Months in the trailing mean of the path (1: the monthly points themselves).
    """
    bc = _after_start(beveridge, beveridge["month"])
    fig = InlineFigure(figsize=(7.5, 6), layout="constrained")
    ax = fig.subplots()
    u, v, month = 100 * bc["u"].to_numpy(), 100 * bc["v"].to_numpy(), bc["month"].to_numpy()
    points = ax.scatter(u, v, c=month, cmap="viridis", s=16, alpha=0.6, zorder=2)
    fig.colorbar(points, ax=ax, label="month")
    span = min(window, len(bc)) or 1
    pu = pd.Series(u).rolling(span, min_periods=1).mean().to_numpy()
    pv = pd.Series(v).rolling(span, min_periods=1).mean().to_numpy()
    what = f"trailing {span}-month mean" if span > 1 else "path"
    ax.plot(pu, pv, color="0.25", lw=1.4, zorder=3, label=f"{what}, arrows: direction of time")
    for k in np.unique(np.linspace(0, len(pu) - 2, 8).astype(int)) if len(pu) > 1 else []:
        ax.annotate(
            "",
            xy=(pu[k + 1], pv[k + 1]),
            xytext=(pu[k], pv[k]),
            arrowprops={"arrowstyle": "-|>", "color": "0.25", "lw": 1.4},
            zorder=4,
        )
    if len(pu):
        ax.annotate("start", (pu[0], pv[0]), textcoords="offset points", xytext=(6, 6))
        ax.annotate("end", (pu[-1], pv[-1]), textcoords="offset points", xytext=(6, -12))
        ax.legend(fontsize="small", loc="best")
    ax.set_xlabel("unemployment rate U/(U+E), %")
    ax.set_ylabel("vacancy rate V/(V+E), %")
    ax.grid(alpha=0.3)
    return _finish(fig, title, "Beveridge curve")


def skill_gaps(gaps: pd.DataFrame, title: str = "") -> Figure:
    """Heatmaps (skill x month) of demanded minus held skill levels.

    Top: vacancies' openings-weighted requirements minus the unemployed's skills; bottom: filled
    jobs' requirements minus incumbents' skills. Red = skill in short supply, blue = in surplus;
    the colour scale is symmetric around 0 and common to both panels.

    Args:
        gaps: The ``skill_gaps`` table.
        title: Figure title.
    """
    skills = list(gaps["skill"].cat.categories)
    panels = (
        ("gap_vacancies", "Vacancies' requirements − unemployed job seekers' skills"),
        ("gap_jobs", "Filled jobs' requirements − incumbents' skills"),
    )
    wide = {
        col: gaps.pivot(index="skill", columns="month", values=col).reindex(skills)
        for col, _ in panels
    }
    months = wide["gap_jobs"].columns.to_numpy()
    finite = np.concatenate([w.to_numpy().ravel() for w in wide.values()])
    finite = finite[np.isfinite(finite)]
    half = float(np.max(np.abs(finite))) if finite.size and np.max(np.abs(finite)) > 0 else 1.0
    fig = InlineFigure(figsize=(12, 2.2 + 0.55 * len(skills)), layout="constrained")
    axes = fig.subplots(2, 1, sharex=True)
    norm = CenteredNorm(vcenter=0.0, halfrange=half)
    edges = np.append(months - 0.5, months[-1] + 0.5) if months.size else np.array([0.0, 1.0])
    mesh = None
    for ax, (col, label) in zip(axes, panels, strict=True):
        data = np.ma.masked_invalid(wide[col].to_numpy(dtype=np.float64))
        mesh = ax.pcolormesh(edges, np.arange(len(skills) + 1), data, cmap="RdBu_r", norm=norm)
        ax.set_yticks(np.arange(len(skills)) + 0.5, [_label(s) for s in skills])
        ax.invert_yaxis()
        ax.set_title(label)
    axes[-1].set_xlabel("month")
    axes[-1].xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.colorbar(
        mesh,
        ax=list(axes),
        label="mean required − mean held skill level (scale 0–1)\nred: short supply",
        shrink=0.9,
    )
    return _finish(fig, title, "Skill gaps by skill and month")


def employment_vs_target(
    breakdown: pd.DataFrame, group: str, title: str = "", top: int = TOP_OCCUPATIONS
) -> Figure:
    """Small multiples of employment relative to employers' target, on one shared scale.

    Each panel shows ``100 x (employment / target - 1)``: 0 is employment at target, -2 is 2%
    short. Every panel has the same axis, so a 1% gap looks as small as it is next to a 5% one
    (separate axes in persons made every wiggle look dramatic). The title says which groups
    are shown when not all are.

    Args:
        breakdown: A ``by_sector`` or ``by_occupation`` table.
        group: Its group column, ``"sector"`` or ``"occupation"``.
        title: Figure title.
        top: Show the ``top`` groups with the largest mean target.
    """
    sizes = breakdown.groupby(group, observed=False)["target"].mean().sort_values(ascending=False)
    shown = list(sizes.index[:top])
    n = max(len(shown), 1)
    cols = min(4, n)
    rows = int(np.ceil(n / cols))
    fig = InlineFigure(figsize=(3.3 * cols + 1, 2.3 * rows + 1.2), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False))
    axes = axes.ravel()
    for ax, name in zip(axes, shown, strict=False):
        part = breakdown[breakdown[group] == name]
        part = _after_start(part, part["month"])
        target = part["target"].to_numpy(dtype=np.float64)
        gap = np.divide(
            part["employment"].to_numpy(dtype=np.float64),
            target,
            out=np.full(target.size, np.nan),
            where=target > 0,
        )
        ax.plot(part["month"], 100 * (gap - 1), label="employment")
        ax.axhline(0, ls="--", color="C1", lw=1, label="target")
        ax.set_title(f"{_label(name)} (target {sizes[name]:,.0f})", fontsize="medium")
        ax.grid(alpha=0.3)
    for ax in axes[len(shown) :]:
        ax.set_visible(False)
    for ax in axes[: len(shown)][-cols:]:
        ax.set_xlabel("month")
    for ax in axes[: len(shown)][::cols]:
        ax.set_ylabel("% above target")
    if shown:
        axes[0].legend(fontsize="small")
    plural = "sectors" if group == "sector" else "occupations"
    if len(shown) < len(sizes):
        what = (
            f"the {len(shown)} largest of {len(sizes)} {plural} by mean target "
            f"(all in tables/by_{group})"
        )
    else:
        what = f"all {len(sizes)} {plural}"
    heading = title or "Employment relative to employers' target"
    return _finish(fig, f"{heading}\n{what}; mean target in persons in brackets", "")


def mismatch(table: pd.DataFrame, title: str = "") -> Figure:
    """Jackman–Roper and Şahin–Song–Topa–Violante mismatch indices over time.

    Segmentations with a single segment (e.g. one region), where both indices are 0 by
    definition, are not drawn.

    Args:
        table: The ``mismatch`` table.
        title: Figure title.
    """
    mm = _after_start(table, table["month"])
    alpha = float(mm["alpha"].iloc[0]) if len(mm) else 0.5
    fig = InlineFigure(figsize=(12, 4.8), layout="constrained")
    axes = fig.subplots(1, 2, sharey=True)
    panels = (
        ("jackman_roper", "Jackman–Roper  ½·Σ|uᵢ/u − vᵢ/v|"),
        ("sstv", f"Şahin–Song–Topa–Violante  1 − Σ(vᵢ/v)^α(uᵢ/u)^(1−α), α = {alpha:g}"),
    )
    for ax, (col, label) in zip(axes, panels, strict=True):
        for seg in mm["segmentation"].cat.categories:
            part = mm[mm["segmentation"] == seg]
            if len(part) and part["segments"].max() > 1:
                ax.plot(part["month"], part[col], label=f"across {seg}s")
        ax.set_title(label, fontsize="medium")
        ax.set_xlabel("month")
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize="small")
    axes[0].set_ylabel("index (0 = no mismatch, 1 = complete)")
    return _finish(fig, title, "Mismatch between unemployed and vacancies")


def inclusiveness(table: pd.DataFrame, title: str = "", window: int = 12) -> Figure:
    """Bars by education level, age band and region of residence.

    Unemployment rate and long-term unemployment share at the last month; job-finding rate as
    the mean over the last ``window`` months (a monthly flow is noisy in small groups).

    Args:
        table: The ``inclusiveness`` table.
        title: Figure title.
        window: Months averaged for the job-finding rate.
    """
    last_month = int(table["month"].max()) if len(table) else 0
    last = table[table["month"] == last_month]
    recent = table[(table["month"] > max(last_month - window, 0))]
    finding = recent.groupby(["dimension", "group"], observed=True)["job_finding_rate"].mean()
    dims = [d for d in table["dimension"].cat.categories if (last["dimension"] == d).any()]
    fig = InlineFigure(figsize=(13, 4.8), layout="constrained")
    counts = [max(int((last["dimension"] == d).sum()), 2) for d in dims] or [1]
    axes = np.atleast_1d(
        fig.subplots(1, len(counts), sharey=True, gridspec_kw={"width_ratios": counts})
    )
    series = (
        ("unemployment_rate", f"unemployment rate (month {last_month})"),
        (
            "long_term_unemployed_share",
            f"long-term (≥ 12 m) share of unemployed (month {last_month})",
        ),
        ("job_finding_rate", f"monthly job-finding rate (mean of last {window} months)"),
    )
    width = 0.8 / len(series)
    for ax, dim in zip(axes, dims, strict=False):
        part = last[last["dimension"] == dim]
        groups = [str(g) for g in part["group"]]
        x = np.arange(len(groups))
        for k, (col, label) in enumerate(series):
            if col == "job_finding_rate":
                values = [finding.get((dim, g), np.nan) for g in groups]
            else:
                values = part[col].to_list()
            heights = 100 * np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0)
            ax.bar(x + (k - 1) * width, heights, width, label=label, color=f"C{k}")
        ax.set_xticks(x, [_label(g) for g in groups], rotation=30 if len(groups) > 4 else 0)
        ax.set_title(f"by {_label(dim)}")
        ax.grid(alpha=0.3, axis="y")
    axes[0].set_ylabel("%")
    if dims:
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize="small")
    return _finish(fig, title, "Inclusiveness: outcomes by education, age and region")


def unemployment_duration(table: pd.DataFrame, title: str = "") -> Figure:
    """Stacked shares of the unemployed by ongoing spell length over time.

    Args:
        table: The ``unemployment_duration`` table.
        title: Figure title.
    """
    dd = _after_start(table, table["month"])
    wide = dd.pivot(index="month", columns="duration", values="share")
    wide = wide.reindex(columns=list(table["duration"].cat.categories))
    fig = InlineFigure(figsize=(11, 5), layout="constrained")
    ax = fig.subplots()
    colours = [f"C{k}" for k in range(wide.shape[1])]
    ax.stackplot(
        wide.index.to_numpy(),
        100 * np.nan_to_num(wide.to_numpy(dtype=np.float64).T, nan=0.0),
        labels=[_spell_label(str(c)) for c in wide.columns],
        colors=colours,
    )
    ax.set_xlabel("month")
    ax.set_ylabel("% of unemployed")
    ax.set_ylim(0, 100)
    ax.margins(x=0)
    ax.legend(
        title="ongoing spell", loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small"
    )
    return _finish(fig, title, "Unemployment by duration of the ongoing spell")


def _spell_label(band: str) -> str:
    """A legend entry for a duration band of completed months (``"0"``: begun this month)."""
    return "under 1 month" if band == "0" else f"{band} months"


def burn_in_note(provenance: dict) -> str:
    """What month 0 of a run's figures is: the end of the burn-in, or the constructed state.

    The burn-in (``burn_in`` months, simulated before month 0) is never recorded, so no figure
    shows it; a reader still needs to know that month 0 is a settled state and not the
    synthetic start, or, without a burn-in, that the first months are the model settling.
    """
    burn_in = (provenance.get("scenario") or {}).get("burn_in")
    if burn_in is None:
        return ""
    if burn_in == 0:
        return "no burn-in: the first months show the model settling from its constructed state"
    return f"month 0 = the end of a {burn_in}-month burn-in (simulated, not shown)"


def figures(results: Results) -> dict[str, Callable[[], Figure]]:
    """The figures a run's results support, by file stem (built lazily when called)."""
    from ecosim.metrics import derived_tables

    ts = results.timeseries
    tables = dict(results.tables)
    if any(name not in tables for name in ("mismatch", "beveridge_curve", "time_to_fill")):
        tables = {**derived_tables(ts, tables), **tables}
    name = results.provenance.get("scenario_name", "")
    seed = results.provenance.get("seed", "")
    run = f"{name} (seed {seed})" if name else ""

    note = burn_in_note(results.provenance)

    def titled(what: str, timed: bool = True) -> str:
        text = f"{what} — {run}" if run else what
        return f"{text}\n{note}" if timed and note else text

    out: dict[str, Callable[[], Figure]] = {
        "overview": lambda: overview(ts, titled("Overview"), tables),
        "beveridge_curve": lambda: beveridge_curve(
            tables["beveridge_curve"], titled("Beveridge curve")
        ),
    }
    if "skill_gaps" in tables:
        out["skill_gaps"] = lambda: skill_gaps(tables["skill_gaps"], titled("Skill gaps"))
    if "by_sector" in tables:
        out["employment_by_sector"] = lambda: employment_vs_target(
            tables["by_sector"], "sector", titled("Employment relative to target by sector")
        )
    if "by_occupation" in tables:
        out["employment_by_occupation"] = lambda: employment_vs_target(
            tables["by_occupation"],
            "occupation",
            titled("Employment relative to target by occupation"),
        )
    if not tables["mismatch"].empty:
        out["mismatch"] = lambda: mismatch(tables["mismatch"], titled("Mismatch indices"))
    if "inclusiveness" in tables:
        out["inclusiveness"] = lambda: inclusiveness(
            tables["inclusiveness"], titled("Inclusiveness", timed=False)
        )
    if "unemployment_duration" in tables:
        out["unemployment_duration"] = lambda: unemployment_duration(
            tables["unemployment_duration"], titled("Unemployment duration")
        )
    return out


def save_figures(results: Results, directory: str | Path) -> list[Path]:
    """Write every figure of a run as PNG into ``directory``; returns the files written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, build in figures(results).items():
        path = directory / f"{stem}.png"
        build().savefig(path, dpi=DPI)
        written.append(path)
    return written
