"""Comparing interventions with common random numbers.

Every scenario runs over the same seeds (``seed_i = base seed + i``); a variant's outcome on a
seed minus the base's outcome on the same seed is a paired difference, so noise shared by the two
runs (the same transition timing, the same people) cancels. Outcomes per run:

* ``unemployment_months``: ``sum_t unemployed_t`` (person-months);
* ``unfilled_vacancy_months``: ``sum_t vacancies_t``;
* ``skill_shortfall``: mean over months of the incumbents' mean skill shortfall;
* ``training_participation``: mean over months of the share of the labour force in a course;
* ``policy_spending``: euros spent on the budgeted instruments;
* ``government_spending``: policy spending plus benefits and social assistance;
* ``cost_per_avoided_unemployment_month``: ``diff policy_spending / -diff unemployment_months``
  (only for differences; NaN when no unemployment-month is avoided); its ``mean`` row is the
  ratio of the mean differences, its band the percentiles of the per-seed ratios.

Summaries per variant: mean and the 5th and 95th percentiles of the per-seed differences.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecosim.config import resolve_scenario

OUTCOMES: tuple[str, ...] = (
    "unemployment_months",
    "unfilled_vacancy_months",
    "skill_shortfall",
    "training_participation",
    "policy_spending",
    "government_spending",
)
DIFFS: tuple[str, ...] = (*OUTCOMES, "cost_per_avoided_unemployment_month")
BAND = (0.05, 0.95)


def outcomes(ts: pd.DataFrame) -> dict[str, float]:
    """Run outcomes from a time series (months after month 0)."""
    run = ts.iloc[1:]
    return {
        "unemployment_months": float(run["unemployed"].sum()),
        "unfilled_vacancy_months": float(run["vacancies"].sum()),
        "skill_shortfall": float(run["mean_skill_shortfall_of_incumbents"].mean()),
        "training_participation": float(run["training_participation"].mean()),
        "policy_spending": float(run["policy_spending"].sum()),
        "government_spending": float(
            run[["policy_spending", "benefit_spending", "social_assistance_spending"]].sum().sum()
        ),
    }


@dataclass
class Comparison:
    """The result of :func:`compare`.

    Attributes:
        runs: One row per scenario and seed: ``scenario``, ``seed`` and the :data:`OUTCOMES`.
        table: Per variant: rows with ``statistic`` ``"seed"`` (``seed`` set) and ``"mean"``,
            ``"p05"``, ``"p95"`` (``seed`` = -1); one ``diff_<outcome>`` column per outcome.
        timeseries: Monthly ``unemployed`` difference per variant and seed (``variant``,
            ``seed``, ``month``, ``diff_unemployed``).
        base: Name of the base scenario.
    """

    runs: pd.DataFrame
    table: pd.DataFrame
    timeseries: pd.DataFrame
    base: str

    def summary(self) -> pd.DataFrame:
        """Mean and 90% band of every difference, one row per variant."""
        t = self.table[self.table["statistic"] != "seed"]
        wide = t.pivot(index="variant", columns="statistic", values=list(_diff_cols()))
        return wide

    def __str__(self) -> str:
        lines = [f"base: {self.base}; {self.runs['seed'].nunique()} seeds (common random numbers)"]
        t = self.table.set_index(["variant", "statistic"])
        for variant in self.table["variant"].unique():
            lines.append(f"{variant} - {self.base}:")
            for col in _diff_cols():
                m, lo, hi = (t.loc[(variant, s), col] for s in ("mean", "p05", "p95"))
                lines.append(f"  {col:<42} {m:>14,.4g}   [{lo:,.4g}, {hi:,.4g}]")
        return "\n".join(lines)


def _diff_cols() -> list[str]:
    return [f"diff_{name}" for name in DIFFS]


def _label(path: Any) -> str:
    return Path(str(path)).stem


def compare(
    base: Any,
    variants: Sequence[Any],
    *,
    seeds: int = 5,
    months: int | None = None,
    overrides: dict[str, Any] | None = None,
    progress: bool = False,
) -> Comparison:
    """Run a base scenario and variants over the same seeds and difference their outcomes.

    Args:
        base: Scenario path (or validated scenario / mapping) of the base.
        variants: Scenario paths (or scenarios) of the variants.
        seeds: Number of seeds; seed ``i`` is the base scenario's seed plus ``i``.
        months: Run length (default: the base scenario's).
        overrides: Dotted overrides applied to every scenario (e.g. ``workforce.size``).
        progress: Print one line per run.

    Returns:
        The :class:`Comparison`.
    """
    from ecosim.model import RegionModel

    overrides = overrides or {}
    scenarios = [(_name(s), resolve_scenario(s, dict(overrides))) for s in [base, *variants]]
    names = _unique([n for n, _ in scenarios])
    first = scenarios[0][1]
    length = months if months is not None else first.months
    rows, series = [], {}
    for name, sc in zip(names, (s for _, s in scenarios), strict=True):
        for i in range(seeds):
            seed = first.seed + i
            model = RegionModel(sc, seed=seed)
            ts = model.run(length)
            rows.append({"scenario": name, "seed": seed, **outcomes(ts)})
            series[(name, seed)] = ts["unemployed"].to_numpy()
            if progress:
                print(f"{name} seed {seed}: done", flush=True)
    runs = pd.DataFrame(rows)
    table, monthly = _differences(runs, series, names)
    return Comparison(runs=runs, table=table, timeseries=monthly, base=names[0])


def _name(scenario: Any) -> str:
    if isinstance(scenario, str | Path):
        return _label(scenario)
    return str(getattr(scenario, "name", "scenario"))


def _unique(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        k, cand = 2, n
        while cand in out:
            cand, k = f"{n}-{k}", k + 1
        out.append(cand)
    return out


def _differences(
    runs: pd.DataFrame, series: dict[tuple[str, int], np.ndarray], names: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    base = runs[runs["scenario"] == names[0]].set_index("seed")
    parts, monthly = [], []
    for variant in names[1:]:
        v = runs[runs["scenario"] == variant].set_index("seed")
        diff = (v[list(OUTCOMES)] - base[list(OUTCOMES)]).add_prefix("diff_")
        avoided = -diff["diff_unemployment_months"]
        diff["diff_cost_per_avoided_unemployment_month"] = np.where(
            avoided > 0, diff["diff_policy_spending"] / avoided.where(avoided > 0, 1.0), np.nan
        )
        per_seed = diff.reset_index().assign(variant=variant, statistic="seed")
        mean = diff.mean()
        # Cost per avoided month of the means (a ratio of means, not a mean of ratios).
        avoided_mean = -mean["diff_unemployment_months"]
        mean["diff_cost_per_avoided_unemployment_month"] = (
            mean["diff_policy_spending"] / avoided_mean if avoided_mean > 0 else np.nan
        )
        stats = [
            ("mean", mean),
            ("p05", diff.quantile(BAND[0])),
            ("p95", diff.quantile(BAND[1])),
        ]
        summary = pd.DataFrame(
            [
                {"variant": variant, "statistic": s, "seed": -1, **vals.to_dict()}
                for s, vals in stats
            ]
        )
        parts += [per_seed, summary]
        for seed in base.index:
            d = series[(variant, seed)] - series[(names[0], seed)]
            monthly.append(
                pd.DataFrame(
                    {
                        "variant": variant,
                        "seed": seed,
                        "month": np.arange(d.size),
                        "diff_unemployed": d,
                    }
                )
            )
    columns = ["variant", "statistic", "seed", *_diff_cols()]
    table = pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)
    table["seed"] = table["seed"].astype(np.int64)
    ts = pd.concat(monthly, ignore_index=True) if monthly else pd.DataFrame()
    return table, ts


def figure(comparison: Comparison):
    """One figure: per outcome, each variant's mean difference with its 5-95% band and seeds."""
    import matplotlib.pyplot as plt

    cols = [*_diff_cols(), "diff_unemployed"]
    fig, axes = plt.subplots(2, 4, figsize=(16, 7.5), constrained_layout=True)
    table = comparison.table
    variants = list(table["variant"].unique())
    y = np.arange(len(variants))
    for ax, col in zip(axes.ravel(), cols, strict=True):
        if col == "diff_unemployed":
            _monthly_panel(ax, comparison.timeseries, variants)
            continue
        for j, variant in enumerate(variants):
            t = table[table["variant"] == variant]
            stat = t.set_index("statistic")[col]
            seeds = t.loc[t["statistic"] == "seed", col].to_numpy(dtype=float)
            lo, mid, hi = (float(stat.get(s, np.nan)) for s in ("p05", "mean", "p95"))
            ax.barh(j, mid, color=f"C{j}", alpha=0.6)
            if np.isfinite(lo) and np.isfinite(hi):
                ax.errorbar(mid, j, xerr=[[max(mid - lo, 0)], [max(hi - mid, 0)]], color="k")
            ax.plot(seeds, np.full(seeds.size, j), "k.", ms=4, alpha=0.6)
        ax.axvline(0, color="grey", lw=0.8)
        ax.set_yticks(y, variants if ax in axes[:, 0] else [""] * len(variants))
        ax.set_title(col.removeprefix("diff_").replace("_", " "), fontsize=10)
    fig.suptitle(
        f"Variant minus {comparison.base}: mean, 5-95% band and seeds "
        f"({comparison.runs['seed'].nunique()} common seeds)"
    )
    return fig


def _monthly_panel(ax, monthly: pd.DataFrame, variants: list[str]) -> None:
    if monthly.empty:
        return
    for j, variant in enumerate(variants):
        m = monthly[monthly["variant"] == variant].pivot(
            index="month", columns="seed", values="diff_unemployed"
        )
        ax.plot(m.index, m.mean(axis=1), color=f"C{j}", label=variant)
        ax.fill_between(
            m.index,
            m.quantile(BAND[0], axis=1),
            m.quantile(BAND[1], axis=1),
            color=f"C{j}",
            alpha=0.2,
        )
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_title("unemployed (persons) by month", fontsize=10)
    ax.set_xlabel("month")
    ax.legend(fontsize=7)


def save(comparison: Comparison, out: str | Path, meta: dict[str, Any] | None = None) -> Path:
    """Write ``compare.parquet``, ``runs.parquet``, ``monthly.parquet``, ``figures/compare.png``
    and ``provenance.json`` to ``out`` atomically.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ecosim.results import write_atomically

    def write(tmp: Path) -> None:
        comparison.table.to_parquet(tmp / "compare.parquet", index=False)
        comparison.runs.to_parquet(tmp / "runs.parquet", index=False)
        comparison.timeseries.to_parquet(tmp / "monthly.parquet", index=False)
        (tmp / "figures").mkdir()
        fig = figure(comparison)
        fig.savefig(tmp / "figures" / "compare.png", dpi=120)
        plt.close(fig)
        info = {"kind": "compare", "base": comparison.base, **(meta or {})}
        (tmp / "provenance.json").write_text(json.dumps(info, indent=2, default=str))
        (tmp / "summary.txt").write_text(str(comparison) + "\n")

    return write_atomically(out, write)
