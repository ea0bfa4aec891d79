"""Comparing interventions with common random numbers.

Every scenario runs over the same seeds (``seed_i = base seed + i``); a variant's outcome on a
seed minus the base's outcome on the same seed is a paired difference, so noise shared by the two
runs (the same transition timing, the same people) cancels. Each scenario runs as a sweep of
seeds on the sweep engine (:func:`ecosim.sweep.run_sweep`), so on any of its backends
(``serial``, ``processes``, ``dask``) with identical results, and with a progress bar.
Outcomes per run, over months 1 to the end:

* ``unemployment_months``: ``sum_t unemployed_t`` (person-months);
* ``unfilled_vacancy_months``: ``sum_t vacancies_t`` (vacancy-months);
* ``skill_shortfall``: mean over months of the incumbents' mean skill shortfall (a share of
  the required skill; differences in percentage points);
* ``training_participation``: mean over months of the share of the labour force in a course
  (differences in percentage points);
* ``policy_spending``: euros spent on the budgeted instruments;
* ``government_spending``: policy spending plus benefits and social assistance (euros);
* ``cost_per_avoided_unemployment_month``: ``diff policy_spending / -diff unemployment_months``
  (euros per person-month; only for differences): ``inf`` when no unemployment-month is
  avoided at a positive cost, ``nan`` when nothing is avoided at no cost.

**Statistics: one definition for every outcome.** The estimate is the mean over seeds of the
paired difference; for the cost per avoided month it is the ratio of the mean differences (not
a mean of per-seed ratios, which is dominated by seeds that avoided almost nothing). Its band
is the 5-95% percentile interval of the same estimate over :data:`BOOTSTRAP` bootstrap
resamples of the seeds (drawn from a fixed seed, so the band is reproducible), so the mean and
its band always describe the same quantity and the band always contains the estimate's
bootstrap median. With fewer than :data:`FEW_SEEDS` seeds the band is rough, and
:func:`caveat` says so wherever a band is shown. The per-seed differences are kept as rows of
the table and shown as dots in the figure.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ecosim.config import Scenario, resolve_scenario

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ecosim.sweep import Backend, SweepSummary

OUTCOMES: tuple[str, ...] = (
    "unemployment_months",
    "unfilled_vacancy_months",
    "skill_shortfall",
    "training_participation",
    "policy_spending",
    "government_spending",
)
DIFFS: tuple[str, ...] = (*OUTCOMES, "cost_per_avoided_unemployment_month")
UNITS: dict[str, str] = {
    "unemployment_months": "person-months",
    "unfilled_vacancy_months": "vacancy-months",
    "skill_shortfall": "pp",
    "training_participation": "pp",
    "policy_spending": "EUR",
    "government_spending": "EUR",
    "cost_per_avoided_unemployment_month": "EUR per person-month",
}
"""The unit of each outcome's difference (``pp``: percentage points of a share)."""
LEVEL_UNITS: dict[str, str] = {
    **{name: unit for name, unit in UNITS.items() if unit != "pp"},
    "skill_shortfall": "%",
    "training_participation": "%",
}
"""The unit of each outcome itself (a run's level, not a difference: shares in %)."""
SPENDING: dict[str, str] = {
    "vouchers": "voucher_spending",
    "employer_subsidy": "employer_subsidy_spending",
    "retraining": "retraining_spending",
    "learning_community_funding": "learning_community_spending",
    "hc_agenda": "hc_agenda_spending",
    "unemployment_benefits": "benefit_spending",
    "social_assistance": "social_assistance_spending",
}
"""Each instrument's monthly spending indicator (euros), for the spending per instrument."""
BAND = (0.05, 0.95)
BOOTSTRAP = 2000
"""Bootstrap resamples of the seeds behind every band."""
FEW_SEEDS = 10
"""Below this many seeds a band is flagged as rough (:func:`caveat`)."""

_SUMS = {
    "unemployment_months": "unemployed",
    "unfilled_vacancy_months": "vacancies",
    "policy_spending": "policy_spending",
    **{f"spent_{name}": column for name, column in SPENDING.items()},
}
_MEANS = {
    "skill_shortfall": "mean_skill_shortfall_of_incumbents",
    "training_participation": "training_participation",
}


def caveat(seeds: int) -> str:
    """A warning to print beside bands from few seeds; empty from :data:`FEW_SEEDS` on."""
    if seeds >= FEW_SEEDS:
        return ""
    return (
        f"Only {seeds} seed{'s' if seeds != 1 else ''}: the 5-95% bands are rough (a bootstrap "
        f"over {seeds} values); use --seeds {FEW_SEEDS} or more before drawing conclusions."
    )


def outcomes(ts: pd.DataFrame) -> dict[str, float]:
    """Run outcomes from a time series (months after month 0)."""
    run = ts.iloc[1:]
    sums = {name: float(run[column].sum()) for name, column in _SUMS.items() if column in run}
    means = {name: float(run[column].mean()) for name, column in _MEANS.items()}
    return _with_government(sums | means)


def _with_government(values: dict[str, float]) -> dict[str, float]:
    """The outcomes in :data:`OUTCOMES` order, government spending added up."""
    government = (
        values["policy_spending"]
        + values["spent_unemployment_benefits"]
        + values["spent_social_assistance"]
    )
    ordered = {name: values[name] for name in OUTCOMES if name != "government_spending"}
    ordered["government_spending"] = government
    return ordered | {k: v for k, v in values.items() if k.startswith("spent_")}


@dataclass
class Comparison:
    """The result of :func:`compare`.

    Attributes:
        runs: One row per scenario and seed: ``scenario``, ``seed`` and the :data:`OUTCOMES`.
        table: Per variant: rows with ``statistic`` ``"seed"`` (``seed`` set) and ``"mean"``,
            ``"p05"``, ``"p95"`` (``seed`` = -1; the estimate and its bootstrap band, see the
            module documentation); one ``diff_<outcome>`` column per outcome.
        timeseries: Monthly ``unemployed`` difference per variant and seed (``variant``,
            ``seed``, ``month``, ``diff_unemployed``).
        base: Name of the base scenario.
        spending: Euros spent per instrument (columns ``spent_<instrument>``) per scenario and
            seed, over the run.
    """

    runs: pd.DataFrame
    table: pd.DataFrame
    timeseries: pd.DataFrame
    base: str
    spending: pd.DataFrame

    @property
    def seeds(self) -> int:
        """Number of common seeds."""
        return int(self.runs["seed"].nunique())

    def summary(self) -> pd.DataFrame:
        """Mean and 90% band of every difference, one row per variant."""
        t = self.table[self.table["statistic"] != "seed"]
        return t.pivot(index="variant", columns="statistic", values=list(_diff_cols()))

    def summary_table(self) -> pd.DataFrame:
        """One row per outcome with its unit; per variant ``mean [p05, p95] (n seeds)``."""
        from ecosim.report import number

        t = self.table.set_index(["variant", "statistic"])
        rows = []
        for outcome in DIFFS:
            unit = UNITS[outcome]
            row = {"outcome": outcome.replace("_", " "), "unit": _unit_label(unit)}
            for variant in self.table["variant"].unique():
                m, lo, hi = (
                    _text(_shown(t.loc[(variant, s), f"diff_{outcome}"], unit), unit, number)
                    for s in ("mean", "p05", "p95")
                )
                row[variant] = f"{m} [{lo}, {hi}]"
            rows.append(row)
        return pd.DataFrame(rows)

    def spending_table(self) -> pd.DataFrame:
        """Mean euros per instrument over the seeds: one row per instrument, a column per
        scenario (instruments no scenario spent on are left out)."""
        from ecosim.report import number

        means = self.spending.groupby("scenario", sort=False).mean(numeric_only=True)
        means = means.drop(columns="seed")
        rows = []
        for column in means.columns:
            if not means[column].any():
                continue
            row = {"instrument": column.removeprefix("spent_").replace("_", " ")}
            row |= {name: number(value, "EUR") for name, value in means[column].items()}
            rows.append(row)
        return pd.DataFrame(rows)

    def __str__(self) -> str:
        n = self.seeds
        lines = [
            f"base: {self.base}; {n} seeds (common random numbers); "
            "mean difference [5-95% bootstrap band of the mean]"
        ]
        if caveat(n):
            lines.append(f"note: {caveat(n)}")
        t = self.table.set_index(["variant", "statistic"])
        for variant in self.table["variant"].unique():
            lines.append(f"{variant} - {self.base}:")
            for outcome in DIFFS:
                col, unit = f"diff_{outcome}", UNITS[outcome]
                m, lo, hi = (
                    _text(_shown(t.loc[(variant, s), col], unit), unit, _short)
                    for s in ("mean", "p05", "p95")
                )
                lines.append(f"  {col:<42} {m:>14}   [{lo}, {hi}]  {_unit_label(unit)}")
        return "\n".join(lines)


def _text(value: float, unit: str, fmt: Callable[..., str]) -> str:
    """A statistic as text; an infinite cost per avoided month reads "none avoided"."""
    if value == np.inf:
        return "none avoided"
    return fmt(value, unit, bare=True)


def _short(value: float, unit: str, bare: bool = True) -> str:
    """Four significant digits, thousands separated (the terminal's summary)."""
    if not np.isfinite(value):
        return "n/a"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def _shown(value: float, unit: str) -> float:
    """A difference in the unit it is shown in: shares as percentage points."""
    return 100.0 * float(value) if unit == "pp" else float(value)


def _unit_label(unit: str) -> str:
    return unit.replace("EUR", "€")


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
    backend: str | Backend = "serial",
    workers: int | None = None,
    scheduler: str = "",
    on_scenario: Callable[[str, SweepSummary], None] | None = None,
) -> Comparison:
    """Run a base scenario and variants over the same seeds and difference their outcomes.

    Args:
        base: Scenario path (or validated scenario / mapping) of the base.
        variants: Scenario paths (or scenarios) of the variants.
        seeds: Number of seeds; seed ``i`` is the base scenario's seed plus ``i``.
        months: Run length (default: the base scenario's); at least 1.
        overrides: Dotted overrides applied to every scenario (e.g. ``resolution``).
        progress: Show a progress bar per scenario.
        backend: ``serial`` (default), ``processes`` or ``dask``, or a started
            :class:`~ecosim.sweep.Backend` (left running). The results do not depend on it.
        workers: Worker processes (``processes``, a dask ``LocalCluster``).
        scheduler: Address of a running Dask scheduler (implies ``dask``).
        on_scenario: Called with the scenario's name and its sweep summary after each
            scenario (the CLI prints a line).

    Returns:
        The :class:`Comparison`.

    Raises:
        ValueError: ``seeds`` or ``months`` is less than 1.
        RuntimeError: A run failed (its error is in the message).
    """
    from ecosim.sweep import Backend, load_results, load_timeseries, run_sweep

    if seeds < 1:
        raise ValueError(f"seeds must be 1 or more (got {seeds})")
    overrides = overrides or {}
    scenarios = [(_name(s), resolve_scenario(s, dict(overrides))) for s in [base, *variants]]
    names = _unique([n for n, _ in scenarios])
    first = scenarios[0][1]
    length = months if months is not None else first.months
    if length < 1:
        raise ValueError(f"months must be 1 or more (got {length})")
    owned = not isinstance(backend, Backend)
    kind = "dask" if scheduler and owned else backend
    engine = Backend(kind, workers, scheduler) if owned else backend
    rows, series = [], {}
    try:
        with tempfile.TemporaryDirectory(prefix="ecosim-compare-") as tmp:
            for k, (name, (_, scenario)) in enumerate(zip(names, scenarios, strict=True)):
                sweep = _seed_sweep(name, scenario, seeds, first.seed, length)
                folder = Path(tmp) / str(k)
                summary = run_sweep(sweep, folder, backend=engine, progress=progress)
                if summary.failed:
                    raise RuntimeError(_failure(name, folder))
                if on_scenario is not None:
                    on_scenario(name, summary)
                runs = load_results(folder).sort_values("seed")
                monthly = load_timeseries(folder, ["unemployed"]).merge(
                    load_results(folder)[["run_id", "seed"]], on="run_id"
                )
                for record in runs.to_dict("records"):
                    values = {key: record[key] for key in (*_SUMS, *_MEANS)}
                    rows.append(
                        {"scenario": name, "seed": int(record["seed"])} | _with_government(values)
                    )
                for seed, part in monthly.groupby("seed"):
                    series[(name, int(seed))] = part.sort_values("month")["unemployed"].to_numpy()
    finally:
        if owned:
            engine.close()
    every = pd.DataFrame(rows)
    spent = ["scenario", "seed", *(c for c in every.columns if c.startswith("spent_"))]
    runs = every[["scenario", "seed", *OUTCOMES]]
    table, monthly_diff = _differences(runs, series, names)
    return Comparison(runs, table, monthly_diff, names[0], every[spent])


def _seed_sweep(name: str, scenario: Scenario, seeds: int, seed: int, months: int):
    """A scenario's runs as a sweep of seeds ``seed .. seed + seeds - 1`` keeping the outcomes."""
    from ecosim.sweep import sweep_from_scenario

    window = [1, months]
    summaries = [
        {"column": column, "stat": "sum", "window": window, "name": key}
        for key, column in _SUMS.items()
    ] + [
        {"column": column, "stat": "mean", "window": window, "name": key}
        for key, column in _MEANS.items()
    ]
    data = {
        "name": name,
        "set": {"months": months},
        "replications": seeds,
        "seed": seed,
        "seeds": "common",
        "outputs": {"summaries": summaries, "timeseries": ["unemployed"]},
    }
    return sweep_from_scenario(scenario, data, source=f"<compare {name}>")


def _failure(name: str, folder: Path) -> str:
    from ecosim.sweep import load_failures

    failures = load_failures(folder)
    error = failures["error"].iloc[0] if len(failures) else "unknown error"
    return f"{len(failures)} run(s) of {name} failed: {error}"


def _name(scenario: Any) -> str:
    if isinstance(scenario, str | Path):
        return _label(scenario)
    if isinstance(scenario, dict):
        return str(scenario.get("name", "scenario"))
    return str(getattr(scenario, "name", "scenario"))


def _unique(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        k, cand = 2, n
        while cand in out:
            cand, k = f"{n}-{k}", k + 1
        out.append(cand)
    return out


def cost_per_avoided(spending: np.ndarray, unemployment: np.ndarray) -> np.ndarray:
    """Euros per avoided unemployment-month from (mean) differences of spending and months.

    ``spending / -unemployment`` where months were avoided; ``inf`` where none were avoided
    at a positive cost (it has no finite price), ``nan`` where none were avoided at no cost.
    """
    spending, avoided = np.asarray(spending, float), -np.asarray(unemployment, float)
    safe = np.where(avoided > 0, avoided, 1.0)
    unbounded = np.where(spending > 0, np.inf, np.nan)
    return np.where(avoided > 0, spending / safe, unbounded)


def bootstrap_band(
    per_seed: pd.DataFrame, draws: int = BOOTSTRAP, seed: int = 0
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The estimate of every difference and its 5-95% bootstrap band over the seeds.

    Args:
        per_seed: One row per seed, the ``diff_<outcome>`` columns of :data:`OUTCOMES`.
        draws: Bootstrap resamples.
        seed: Seed of the resampling (fixed: the same runs give the same band).

    Returns:
        ``(estimate, p05, p95)``, each indexed by the ``diff_`` columns of :data:`DIFFS`. The
        estimate is the mean over seeds (the ratio of means for the cost per avoided month),
        the band the percentiles of the same statistic over resamples of the seeds.
    """
    columns = [f"diff_{o}" for o in OUTCOMES]
    values = per_seed[columns].to_numpy(dtype=np.float64)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(values), size=(draws, len(values)))
    means = values[picks].mean(axis=1)  # draws x outcomes
    spend, months = columns.index("diff_policy_spending"), columns.index("diff_unemployment_months")
    estimate = values.mean(axis=0)
    estimate = np.append(estimate, cost_per_avoided(estimate[spend], estimate[months]))
    means = np.column_stack([means, cost_per_avoided(means[:, spend], means[:, months])])
    low, high = (_quantile(means, q) for q in BAND)
    index = [*columns, "diff_cost_per_avoided_unemployment_month"]
    return (pd.Series(estimate, index), pd.Series(low, index), pd.Series(high, index))


def _quantile(samples: np.ndarray, q: float) -> np.ndarray:
    """Per column, the ``q`` quantile of the finite-or-infinite values (NaN draws left out).

    Quantiles are taken as sample values (``inverted_cdf``), never interpolated, so a band
    that reaches an ``inf`` draw is ``inf`` rather than ``inf - inf``.
    """
    out = np.full(samples.shape[1], np.nan)
    for j in range(samples.shape[1]):
        column = samples[:, j][~np.isnan(samples[:, j])]
        if column.size:
            out[j] = np.quantile(column, q, method="inverted_cdf")
    return out


def _differences(
    runs: pd.DataFrame, series: dict[tuple[str, int], np.ndarray], names: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    base = runs[runs["scenario"] == names[0]].set_index("seed")
    parts, monthly = [], []
    for variant in names[1:]:
        v = runs[runs["scenario"] == variant].set_index("seed")
        diff = (v[list(OUTCOMES)] - base[list(OUTCOMES)]).add_prefix("diff_")
        diff["diff_cost_per_avoided_unemployment_month"] = cost_per_avoided(
            diff["diff_policy_spending"].to_numpy(), diff["diff_unemployment_months"].to_numpy()
        )
        per_seed = diff.reset_index().assign(variant=variant, statistic="seed")
        stats = zip(("mean", "p05", "p95"), bootstrap_band(diff), strict=True)
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


def figure(comparison: Comparison) -> Figure:
    """One figure: per outcome, each variant's mean difference, its 5-95% band and the seeds.

    Axes are in the outcomes' units (€, person-months, percentage points), with plain tick
    labels (no ``1e7`` offset); every panel says how many seeds its bands come from.
    """
    from matplotlib.ticker import FuncFormatter

    from ecosim.plots import InlineFigure

    cols = [*_diff_cols(), "diff_unemployed"]
    fig = InlineFigure(figsize=(16, 8), layout="constrained")
    axes = fig.subplots(2, 4)
    table = comparison.table
    variants = list(table["variant"].unique())
    n = comparison.seeds
    y = np.arange(len(variants))
    for ax, col in zip(axes.ravel(), cols, strict=True):
        if col == "diff_unemployed":
            _monthly_panel(ax, comparison.timeseries, variants, n)
            continue
        unit = UNITS[col.removeprefix("diff_")]
        for j, variant in enumerate(variants):
            t = table[table["variant"] == variant]
            stat = t.set_index("statistic")[col]
            seeds = np.asarray(
                [_shown(x, unit) for x in t.loc[t["statistic"] == "seed", col]], dtype=float
            )
            lo, mid, hi = (_shown(stat.get(s, np.nan), unit) for s in ("p05", "mean", "p95"))
            if np.isfinite(mid):
                ax.barh(j, mid, color=f"C{j}", alpha=0.6)
            if np.isfinite(lo) and np.isfinite(hi):
                ax.errorbar(mid, j, xerr=[[max(mid - lo, 0)], [max(hi - mid, 0)]], color="k")
            if not np.isfinite(mid) or not np.isfinite(hi):
                what = "none avoided on average" if mid == np.inf else "band unbounded"
                ax.annotate(what, (0.03, j), xycoords=("axes fraction", "data"), fontsize=8)
            finite = seeds[np.isfinite(seeds)]
            ax.plot(finite, np.full(finite.size, j), "k.", ms=4, alpha=0.6)
        ax.axvline(0, color="grey", lw=0.8)
        ax.xaxis.set_major_formatter(FuncFormatter(_plain_tick))
        ax.set_yticks(y, variants if ax in axes[:, 0] else [""] * len(variants))
        ax.set_title(col.removeprefix("diff_").replace("_", " "), fontsize=10)
        ax.set_xlabel(f"{_unit_label(unit)}; band: 5-95% over {n} seeds", fontsize=8)
    note = caveat(n)
    fig.suptitle(
        f"Variant minus {comparison.base}: mean (bar), 5-95% bootstrap band (line) and the "
        f"{n} seeds (dots)" + (f"\n{note}" if note else "")
    )
    return fig


def _plain_tick(x: float, _pos: int) -> str:
    """Tick labels in full, thousands separated: no offset or ``1e7`` above the axis."""
    if x == 0:
        return "0"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def _monthly_panel(ax, monthly: pd.DataFrame, variants: list[str], n: int) -> None:
    from matplotlib.ticker import FuncFormatter

    if monthly.empty:
        return
    rng = np.random.default_rng(0)
    for j, variant in enumerate(variants):
        m = monthly[monthly["variant"] == variant].pivot(
            index="month", columns="seed", values="diff_unemployed"
        )
        values = m.to_numpy(dtype=np.float64)  # months x seeds
        picks = rng.integers(0, values.shape[1], size=(BOOTSTRAP, values.shape[1]))
        means = values[:, picks].mean(axis=2)  # months x draws
        ax.plot(m.index, values.mean(axis=1), color=f"C{j}", label=variant)
        ax.fill_between(m.index, *np.quantile(means, BAND, axis=1), color=f"C{j}", alpha=0.2, lw=0)
    ax.axhline(0, color="grey", lw=0.8)
    ax.yaxis.set_major_formatter(FuncFormatter(_plain_tick))
    ax.set_title("unemployed by month", fontsize=10)
    ax.set_xlabel("month")
    ax.set_ylabel(f"persons; band: 5-95% over {n} seeds", fontsize=8)
    ax.legend(fontsize=7)


def save(
    comparison: Comparison,
    out: str | Path,
    meta: dict[str, Any] | None = None,
    formats: Sequence[str] = ("parquet",),
) -> Path:
    """Write a comparison folder atomically.

    It holds ``compare.parquet``, ``runs.parquet``, ``monthly.parquet``, ``spending.parquet``,
    ``figures/compare.png``, ``report.html``, ``summary.txt`` and ``provenance.json`` (written
    last), and the CSV or Excel copies of the tables asked for in ``formats``.
    """
    from ecosim.export import check_formats, write_exports
    from ecosim.report import compare_report
    from ecosim.results import provenance_basics, write_atomically

    formats = check_formats(formats)
    info = {
        "kind": "compare",
        "base": comparison.base,
        **(meta or {}),
        "statistics": "mean over seeds of the paired differences (ratio of mean differences "
        f"for the cost per avoided month); band: 5-95% of {BOOTSTRAP} bootstrap resamples of "
        "the seeds",
        "units": UNITS,
        "formats": list(formats),
        **provenance_basics(),
    }
    frames = {
        "compare": comparison.table,
        "runs": comparison.runs,
        "monthly": comparison.timeseries,
        "spending": comparison.spending,
    }

    def write(tmp: Path) -> None:
        for name, frame in frames.items():
            frame.to_parquet(tmp / f"{name}.parquet", index=False)
        write_exports(tmp, frames, formats, _DESCRIPTIONS)
        (tmp / "figures").mkdir()
        fig = figure(comparison)
        fig.savefig(tmp / "figures" / "compare.png", dpi=120)
        png = (tmp / "figures" / "compare.png").read_bytes()
        report = compare_report(comparison, info, {"compare": png})
        (tmp / "report.html").write_text(report, encoding="utf-8")
        (tmp / "summary.txt").write_text(str(comparison) + "\n")
        (tmp / "provenance.json").write_text(json.dumps(info, indent=2, default=str))

    return write_atomically(out, write)


_DESCRIPTIONS = {
    "compare": "per variant: the per-seed differences (statistic seed), their mean and 5-95% "
    "bootstrap band (mean, p05, p95); units in provenance.json",
    "runs": "per scenario and seed: the outcomes of the run",
    "monthly": "per variant, seed and month: the difference in unemployed persons",
    "spending": "per scenario and seed: euros spent per instrument over the run",
}


def elapsed(start: float) -> str:
    """Wall time since ``start`` (``time.perf_counter()``), for the CLI's lines."""
    seconds = time.perf_counter() - start
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"
