"""The validation report: which numbers ecosim reproduces, and how its parameters were chosen.

``make validate`` (``python -m ecosim.validation``) writes ``docs/validation.md`` and its
figures (``docs/figures/validation/``) from fresh runs:

1. **Targets.** Every target of ``calibration/nl_2023.yaml`` with its source, the baseline
   scenario's moment (mean ± sd over seeds, at its own defaults) and a verdict by the z-score.
2. **The matching function** estimated from model output with statsmodels: log hires from
   unemployment on log unemployment and log vacancies at the start of the month, with run fixed
   effects and Newey–West (HAC) standard errors, on the aggregate monthly series of the combined
   transitions (which move u and v), and on the occupation panel with run × occupation effects —
   beside the published range of elasticities (Petrongolo & Pissarides 2001).
3. **Morris screening** of the behavioural parameters on the main outcomes (SALib through the
   sweep engine), so users see which parameters matter.
4. **The literature special case**: del Rio-Chanona et al. (2021) on one occupation against the
   steady state of their equations (:mod:`ecosim.literature`), and the Beveridge loop of their
   sine cycle.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecosim import literature
from ecosim.calibrate import load_calibration

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    """Sizes of the report's runs (``quick`` makes every part small, for the tests)."""

    size: int = 30_000
    seeds: int = 5
    months: int = 180
    morris_size: int = 5_000
    morris_months: int = 96
    morris_trajectories: int = 6
    literature_size: int = 10_000
    literature_seeds: int = 4
    workers: int | None = 2

    @classmethod
    def quick(cls) -> Settings:
        """Small runs: every section is produced, none is meaningful."""
        return cls(
            size=1_500,
            seeds=2,
            months=36,
            morris_size=1_000,
            morris_months=24,
            morris_trajectories=2,
            literature_size=1_000,
            literature_seeds=1,
            workers=1,
        )


MORRIS_PARAMETERS: dict[str, tuple[float, float]] = {
    "behaviour.separation_rate": (0.005, 0.012),
    "behaviour.on_the_job_search_share": (0.06, 0.2),
    "behaviour.idle_skill_depreciation": (0.0, 0.01),
    "matching.acceptance_threshold": (0.7, 0.92),
    "hiring.standard_decline": (0.005, 0.05),
    "hiring.tightness_decline": (0.0, 2.0),
    "hiring.max_vacancy_months": (6.0, 24.0),
    "labour_supply.exit_rate_unemployed": (0.005, 0.04),
    "wages.elasticity": (0.0, 0.3),
    "learning.perception_noise": (0.0, 0.15),
    "learning.prospect_noise": (0.0, 1.0),
}
"""Behavioural parameters screened, with the ranges screened over."""

MORRIS_OUTPUTS = (
    "unemployment_rate",
    "vacancies_per_100_jobs",
    "long_term_unemployed_share",
    "job_to_job_rate",
    "training_participation",
)

PETRONGOLO_PISSARIDES = (0.5, 0.7)
"""Elasticity of hires with respect to unemployment: the 'stylised' range of Petrongolo &
Pissarides (2001, J. Econ. Lit.), from estimates between about 0.3 and 0.7."""


def at_agents(path: Path, agents: int) -> dict[str, float]:
    """The override that runs a scenario's region at about ``agents`` worker agents.

    The region stays as the scenario describes it; only the resolution (persons per agent)
    changes, so employers are sampled at the same rate and the rates stay comparable.
    """
    from ecosim import load_scenario

    return {"resolution": load_scenario(path).workforce.persons / agents}


def target_table(settings: Settings, calibration: Path) -> pd.DataFrame:
    """Each Dutch target against the baseline at its own defaults, over seeds."""
    from ecosim import RegionModel, load_scenario

    cal = load_calibration(calibration)
    spec = cal.spec
    overrides = {**at_agents(cal.base_path, settings.size), "months": settings.months}
    scenario = load_scenario(cal.base_path, overrides)
    first, last = spec.window or (1, settings.months)
    last = min(last, settings.months)
    first = min(first, last)
    per_seed = []
    for i in range(settings.seeds):
        ts = RegionModel(scenario, seed=scenario.seed + i).run().loc[first:last]
        per_seed.append({n: t.factor * ts[t.column or n].mean() for n, t in spec.targets.items()})
    runs = pd.DataFrame(per_seed)
    rows = []
    for name, t in spec.targets.items():
        mean, sd = float(runs[name].mean()), float(runs[name].std(ddof=1))
        z = (mean - t.value) / t.se
        verdict = "on target" if abs(z) <= 1 else "within 2 se" if abs(z) <= 2 else "off"
        rows.append(
            {
                "moment": name,
                "target": t.value,
                "se": t.se,
                "model": mean,
                "sd": sd,
                "z": z,
                "verdict": verdict,
                "source": t.source,
            }
        )
    return pd.DataFrame(rows)


def matching_function(settings: Settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cobb–Douglas matching function fits; returns (estimates, the aggregate panel).

    Hires from unemployment in month ``t`` match the unemployed and the vacancies open at the
    end of month ``t - 1`` (the stock the month's search meets), so the regressors are lagged.
    """
    from ecosim import RegionModel, load_scenario

    combined = ROOT / "scenarios" / "rijnmond_combined.yaml"
    scenario = load_scenario(
        combined, {**at_agents(combined, settings.size), "months": settings.months}
    )
    aggregate, panel = [], []
    for i in range(settings.seeds):
        model = RegionModel(scenario, seed=scenario.seed + i)
        ts = model.run()
        frame = pd.DataFrame(
            {
                "run": i,
                "month": ts.index[1:],
                "hires": ts["hires_from_unemployment"].to_numpy()[1:],
                "u": ts["unemployed"].to_numpy()[:-1],
                "v": ts["vacancies"].to_numpy()[:-1],
            }
        )
        aggregate.append(frame)
        tables = model.tables()
        occ = tables["by_occupation"][["month", "occupation", "unemployed", "vacancies"]]
        lagged = occ.assign(month=occ["month"] + 1)
        hires = tables["channels"][["month", "occupation", "hires_from_unemployment"]]
        panel.append(hires.merge(lagged, on=["month", "occupation"]).assign(run=i))
    agg = pd.concat(aggregate, ignore_index=True)
    occ_panel = pd.concat(panel, ignore_index=True).rename(
        columns={"hires_from_unemployment": "hires", "unemployed": "u", "vacancies": "v"}
    )
    cycle_path = ROOT / "scenarios" / "literature" / "del_rio_chanona_2021_cycle.yaml"
    cycle = load_scenario(cycle_path, at_agents(cycle_path, settings.literature_size))
    record = ["hires_from_unemployment", "unemployed", "vacancies"]
    ts = RegionModel(cycle, seed=0, record=record).run()
    urn = pd.DataFrame(
        {
            "run": 0,
            "month": ts.index[1:],
            "hires": ts["hires_from_unemployment"].to_numpy()[1:],
            "u": ts["unemployed"].to_numpy()[:-1],
            "v": ts["vacancies"].to_numpy()[:-1],
        }
    )
    (demand,) = cycle.transitions[0].demand
    rates = literature.cycle_path(cycle.months, cycle.burn_in, demand.path.amplitude,
                                  demand.path.period)  # fmt: skip
    u_eq = rates[:, 0]  # labour force 1: stocks from the rates u/(u+e) and v/(v+e)
    v_eq = rates[:, 1] * (1.0 - u_eq) / (1.0 - rates[:, 1])
    exact = pd.DataFrame(
        {
            "run": 0,
            "month": np.arange(u_eq.size),
            "hires": v_eq * (1.0 - np.exp(-u_eq / v_eq)),
            "u": u_eq,
            "v": v_eq,
        }
    )
    fits = (
        ("check: the equations' exact cycle (urn-ball), CRS imposed", exact, ["run"], True),
        ("check: ecosim on the same cycle, CRS imposed", urn, ["run"], True),
        ("ecosim aggregate, run effects, CRS imposed", agg, ["run"], True),
        ("ecosim occupations, run x occupation effects, CRS imposed", occ_panel,
         ["run", "occupation"], True),
        ("ecosim occupations, run effects, free (returns to scale)", occ_panel, ["run"], False),
    )  # fmt: skip
    rows = [
        {"sample": label, "constant_returns": crs, **fit_matching_function(d, fe, crs)}
        for label, d, fe, crs in fits
    ]
    return pd.DataFrame(rows), agg


def fit_matching_function(
    data: pd.DataFrame, effects: list[str], constant_returns: bool = False, maxlags: int = 12
) -> dict[str, float]:
    """Cobb–Douglas matching function by OLS with fixed effects per ``effects`` group.

    Free: ``ln H = FE + alpha ln u + beta ln v``. With ``constant_returns`` the job-finding
    form ``ln(H / u) = FE + beta ln(v / u)`` (Petrongolo & Pissarides 2001, section 4), giving
    ``alpha = 1 - beta``. Along one Beveridge curve u and v move together, so the free form
    cannot tell the elasticities' sum apart from the curve's shape — even the exact urn-ball
    function, which has constant returns, fits a sum near 0.5 there; returns to scale are
    identified only from differences in scale (across occupations, without occupation effects).
    Standard errors are Newey–West (HAC) within each group (``hac-panel``, ``maxlags`` months),
    as the months of one run are serially correlated. Rows with a zero are dropped.

    Args:
        data: Columns ``hires``, ``u``, ``v``, ``month`` and the ``effects`` columns.
        effects: Columns whose combinations get their own intercept.
        constant_returns: Impose ``alpha + beta = 1``.
        maxlags: Lags of the HAC kernel.

    Returns:
        ``observations``, ``alpha_u``, ``se_alpha``, ``beta_v``, ``se_beta``,
        ``alpha_plus_beta`` and its standard error ``se_sum`` (0 when imposed).
    """
    import statsmodels.api as sm

    data = data[(data["hires"] > 0) & (data["u"] > 0) & (data["v"] > 0)]
    data = data.sort_values([*effects, "month"]).reset_index(drop=True)
    group = data[effects].astype(str).agg("-".join, axis=1)
    dummies = pd.get_dummies(group, prefix="fe", drop_first=True, dtype=float)
    if constant_returns:
        y = np.log(data["hires"] / data["u"])
        regressors = pd.DataFrame({"v": np.log(data["v"] / data["u"])})
    else:
        y = np.log(data["hires"])
        regressors = np.log(data[["u", "v"]])
    x = sm.add_constant(pd.concat([regressors, dummies], axis=1))
    fit = sm.OLS(y, x).fit(
        cov_type="hac-panel", cov_kwds={"groups": pd.factorize(group)[0], "maxlags": maxlags}
    )
    cov = fit.cov_params()
    beta, se_beta = float(fit.params["v"]), float(fit.bse["v"])
    if constant_returns:
        alpha, se_alpha, se_sum = 1.0 - beta, se_beta, 0.0
    else:
        alpha, se_alpha = float(fit.params["u"]), float(fit.bse["u"])
        se_sum = float(np.sqrt(cov.loc["u", "u"] + cov.loc["v", "v"] + 2 * cov.loc["u", "v"]))
    return {
        "observations": int(fit.nobs),
        "alpha_u": alpha,
        "se_alpha": se_alpha,
        "beta_v": beta,
        "se_beta": se_beta,
        "alpha_plus_beta": alpha + beta,
        "se_sum": se_sum,
    }


def morris(settings: Settings, out: Path) -> pd.DataFrame:
    """Morris elementary effects (mu*) of the behavioural parameters on the main outcomes.

    mu* is the mean absolute change of the outcome per unit of a parameter's screened range
    (SALib's normalisation), so parameters compare on one scale for each outcome.
    """
    from ecosim.analysis import sensitivity
    from ecosim.sweep import run_sweep, sweep_from_dict

    data: dict[str, Any] = {
        "name": "validation-morris",
        "base": "rijnmond.yaml",
        "set": {
            **at_agents(ROOT / "scenarios" / "rijnmond.yaml", settings.morris_size),
            "months": settings.morris_months,
        },
        "parameters": {
            k: {"range": list(r), "integer": k == "hiring.max_vacancy_months"}
            for k, r in MORRIS_PARAMETERS.items()
        },
        "design": {"kind": "morris", "samples": settings.morris_trajectories, "seed": 11},
        "replications": 1,
        "outputs": {
            "window": [13, settings.morris_months],
            "summaries": [{"column": c, "stat": "mean", "name": c} for c in MORRIS_OUTPUTS],
        },
    }
    sweep = sweep_from_dict(data, base_dir=ROOT / "scenarios")
    backend = "serial" if settings.workers == 1 else "processes"
    run_sweep(sweep, out, backend=backend, workers=settings.workers, progress=False)
    columns = {}
    for output in MORRIS_OUTPUTS:
        result = sensitivity(out, output, "morris")
        columns[output] = result.table["mu_star"]
    return pd.DataFrame(columns)


def literature_case(settings: Settings, figures: Path) -> tuple[pd.DataFrame, Path]:
    """del Rio-Chanona et al. (2021): steady state against the equations, and the cycle's loop."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from ecosim import RegionModel, load_scenario
    from ecosim.state import Status

    folder = ROOT / "scenarios" / "literature"
    path = folder / "del_rio_chanona_2021.yaml"
    base = load_scenario(path, at_agents(path, settings.literature_size))
    steps = min(base.months, 300)
    rows = []
    for i in range(settings.literature_seeds):
        model = RegionModel(base, seed=i, record=["unemployment_rate", "vacancy_rate"])
        long_term = []
        for _ in range(steps):
            model.step()
            w = model.workers
            spells = w.view("unemployment_months")[w.view("status") == Status.UNEMPLOYED]
            long_term.append(np.mean(spells >= literature.LONG_TERM))
        ts = model.timeseries().iloc[1:]
        rows.append(
            {
                "unemployment_rate": ts["unemployment_rate"].mean(),
                "vacancy_rate": ts["vacancy_rate"].mean(),
                "long_term_share": float(np.mean(long_term)),
            }
        )
    sims = pd.DataFrame(rows)
    equations = literature.steady_state()
    table = pd.DataFrame(
        {
            "equations": {k: equations[k] for k in sims.columns},
            "simulated": sims.mean(),
            "sd over seeds": sims.std(ddof=1) if len(sims) > 1 else np.nan,
        }
    )

    path = folder / "del_rio_chanona_2021_cycle.yaml"
    cycle = load_scenario(path, at_agents(path, settings.literature_size))
    (demand,) = cycle.transitions[0].demand
    period = int(demand.path.period)
    path = literature.cycle_path(cycle.months, cycle.burn_in, demand.path.amplitude, period)
    ts = RegionModel(cycle, seed=0, record=["unemployment_rate", "vacancy_rate"]).run().iloc[1:]
    later = slice(period, cycle.months)
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    u, v = ts["unemployment_rate"].to_numpy()[later], ts["vacancy_rate"].to_numpy()[later]
    ax.plot(100 * u, 100 * v, lw=0.8, color="tab:blue", label="ecosim (one run)")
    ax.plot(100 * path[later, 0], 100 * path[later, 1], lw=1.5, color="k", label="equations")
    k = period // 4
    ax.annotate(
        "",
        xy=(100 * path[later, 0][k + 3], 100 * path[later, 1][k + 3]),
        xytext=(100 * path[later, 0][k], 100 * path[later, 1][k]),
        arrowprops={"arrowstyle": "->", "color": "k"},
    )
    ax.set_xlabel("unemployment rate (%)")
    ax.set_ylabel("vacancy rate (%)")
    ax.set_title("Beveridge loop over the sine cycle (cycles 2-4)")
    ax.legend()
    figures.mkdir(parents=True, exist_ok=True)
    target = figures / "beveridge_loop.png"
    fig.savefig(target, dpi=110, bbox_inches="tight")
    plt.close(fig)
    table.loc["loop area (counter-clockwise > 0)"] = [
        literature.loop_area(path[later, 0], path[later, 1], period),
        literature.loop_area(u, v, period),
        np.nan,
    ]
    return table, target


def _matching_verdicts(mf: pd.DataFrame) -> str:
    """One sentence per fit: the elasticity against the published range, and returns to scale."""
    lo, hi = PETRONGOLO_PISSARIDES
    lines = []
    for row in mf.itertuples(index=False):
        inside = "inside" if lo <= row.alpha_u <= hi else "outside"
        if row.constant_returns:
            returns = "constant returns imposed"
        else:
            z = (row.alpha_plus_beta - 1.0) / row.se_sum
            returns = (
                "constant returns are not rejected"
                if abs(z) <= 2
                else f"{'decreasing' if z < 0 else 'increasing'} returns (alpha + beta = "
                f"{row.alpha_plus_beta:.2f}, {abs(z):.1f} se from 1)"
            )
        lines.append(
            f"- {row.sample}: alpha = {row.alpha_u:.2f} ± {row.se_alpha:.2f}, {inside} the "
            f"published range; beta = {row.beta_v:.2f} ± {row.se_beta:.2f}; {returns}."
        )
    return "\n".join(lines)


def _screening_verdicts(screening: pd.DataFrame) -> str:
    """The three parameters with the largest mu* for each outcome."""
    return "\n".join(
        f"- {output}: " + ", ".join(f"`{p}`" for p in screening[output].nlargest(3).index)
        for output in screening.columns
    )


def _markdown(frame: pd.DataFrame, floatfmt: str = ".4g") -> str:
    """A pipe table (no extra dependency)."""
    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    lines = [head, rule]
    for row in frame.itertuples(index=False):
        cells = [format(c, floatfmt) if isinstance(c, float) else str(c) for c in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def build(out: Path, settings: Settings, work: Path) -> Path:
    """Write the report to ``out`` (figures beside it in ``figures/validation``)."""
    start = time.perf_counter()
    figures = out.parent / "figures" / "validation"
    calibration = ROOT / "calibration" / "nl_2023.yaml"
    targets = target_table(settings, calibration)
    mf, _ = matching_function(settings)
    folder = (
        f"morris-{settings.morris_size}-{settings.morris_months}-{settings.morris_trajectories}"
    )
    screening = morris(settings, work / folder)
    lit, loop = literature_case(settings, figures)
    minutes = (time.perf_counter() - start) / 60
    relative = loop.relative_to(out.parent).as_posix()
    parts = [
        "# Validation",
        "",
        f"Written by `make validate` (`python -m ecosim.validation`) on {time.strftime('%Y-%m-%d')}"
        f" in {minutes:.1f} minutes; do not edit by hand. Baseline: `scenarios/rijnmond.yaml` at "
        f"its defaults, {settings.size:,} agents, {settings.seeds} seeds, {settings.months} months"
        " after the burn-in.",
        "",
        "## 1. Dutch targets",
        "",
        "The targets of `calibration/nl_2023.yaml` (window and definitions as there); model: mean "
        "and sd over seeds; z = (model - target) / se; on target |z| <= 1, within 2 se "
        "|z| <= 2.",
        "",
        _markdown(targets),
        "",
        "## 2. The matching function",
        "",
        "OLS of log hires from unemployment on log unemployed and log vacancies at the end of the"
        " previous month, `rijnmond_combined.yaml` (its transitions move u and v), with fixed "
        "effects and Newey-West (HAC, 12 lags, by panel) standard errors (statsmodels). With "
        "constant returns imposed (the job-finding form ln(H/u) on ln(v/u)). First, as a check, "
        "the literature case's sine cycle: the estimator on the exact urn-ball hires "
        "v (1 - exp(-u/v)) of the equations' path, whose elasticity to u runs from about 0 to "
        "0.9 as tightness swings, and on ecosim's simulation of it, which should agree. "
        "Returns to scale are tested where scale varies: across occupations, without "
        "occupation effects (along one Beveridge curve a free fit cannot separate them). "
        "Under structural transitions an aggregate fit mixes matching efficiency with the "
        "shift of vacancies toward occupations the unemployed do not fit (mismatch: Sahin, "
        "Song, Topa & Violante 2014); the occupation panel holds that shift apart. "
        "Published"
        f" range of the elasticity to unemployment: {PETRONGOLO_PISSARIDES[0]}-"
        f"{PETRONGOLO_PISSARIDES[1]} (Petrongolo & Pissarides 2001), roughly constant returns.",
        "",
        _markdown(mf),
        "",
        _matching_verdicts(mf),
        "",
        "## 3. Which parameters matter (Morris screening)",
        "",
        f"mu* (mean absolute elementary effect per unit of the screened range; SALib) of "
        f"{len(MORRIS_PARAMETERS)} behavioural parameters, {settings.morris_trajectories} "
        f"trajectories, {settings.morris_size:,} agents, {settings.morris_months} months, "
        "means over months 13 to the end. Ranges screened: "
        + "; ".join(f"`{k}` {lo:g}-{hi:g}" for k, (lo, hi) in MORRIS_PARAMETERS.items())
        + ".",
        "",
        _markdown(screening.reset_index(names="parameter")),
        "",
        "The three that matter most for each outcome:",
        "",
        _screening_verdicts(screening),
        "",
        "## 4. The literature as a special case: del Rio-Chanona et al. (2021)",
        "",
        "`scenarios/literature/del_rio_chanona_2021.yaml`: one occupation (their complete "
        "network), their separation and opening rules and urn-ball search, one step = 6.75 "
        "weeks; long-term = at least 27 weeks (4 steps). Equations: their deterministic "
        f"one-node map iterated to its steady state (`ecosim.literature`). Simulated: "
        f"{settings.literature_seeds} seeds at {settings.literature_size:,} agents. The cycle "
        "scenario's loop area (shoelace, per cycle, rates squared) is positive when the loop "
        "runs counter-clockwise, as they report.",
        "",
        _markdown(lit.reset_index(names="quantity")),
        "",
        f"![Beveridge loop]({relative})",
        "",
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".md.tmp")
    tmp.write_text("\n".join(parts), encoding="utf-8")
    tmp.replace(out)
    return out


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m ecosim.validation [--out docs/validation.md] [--quick]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "validation.md")
    parser.add_argument("--work", type=Path, default=ROOT / "results" / "validation")
    parser.add_argument("--quick", action="store_true", help="Small runs (for testing).")
    args = parser.parse_args(argv)
    settings = Settings.quick() if args.quick else Settings()
    print(build(args.out, settings, args.work))


if __name__ == "__main__":
    main()
