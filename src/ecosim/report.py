"""``report.html``: one self-contained page per results folder, to hand to a colleague.

A run's report (:func:`run_report`) gives the summary, every figure, the government's spending
per instrument, a guide to the tables and the provenance; a comparison's
(:func:`compare_report`) gives each variant's differences with their bands and number of seeds,
the figure, the spending per instrument of every scenario and the provenance. Images are
embedded as base64 PNG and the style sheet is inline, so the one file reads the same when mailed,
opened offline or archived; nothing is fetched from the network.
"""

from __future__ import annotations

import base64
import html
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from ecosim.compare import Comparison
    from ecosim.results import Results

STYLE = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2327;
       max-width: 1120px; margin: 2em auto; padding: 0 1.5em; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 1px solid #ccd0d4; padding-bottom: .2em; }
h3 { font-size: 1.05em; margin-top: 1.5em; }
p.lead { color: #50575e; margin-top: 0; }
nav { background: #f6f7f7; padding: .6em 1em; border-radius: 4px; }
nav a { margin-right: 1.2em; }
table { border-collapse: collapse; margin: .6em 0 1em; font-size: 0.92em; }
th, td { border-bottom: 1px solid #dcdcde; padding: .3em .7em; text-align: left;
         vertical-align: top; }
th { background: #f6f7f7; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #dcdcde; }
figcaption { color: #50575e; font-size: 0.92em; margin-top: .3em; }
.note { background: #fcf9e8; border-left: 4px solid #dba617; padding: .5em 1em; }
code { background: #f6f7f7; padding: 0 .25em; border-radius: 3px; }
pre { background: #f6f7f7; padding: 1em; overflow-x: auto; font-size: 0.85em; }
details summary { cursor: pointer; }
div.wide { overflow-x: auto; }
"""


def _e(value: Any) -> str:
    return html.escape(str(value))


def number(value: Any, unit: str = "", digits: int = 3, bare: bool = False) -> str:
    """A number as a reader wants it: thousands separated, a few significant digits, its unit.

    ``unit`` ``"%"`` expects a share in [0, 1]; ``"EUR"`` gives ``€ 1,234,567``; ``bare``
    leaves the unit out (a table that has a unit column). ``nan`` reads "n/a" (e.g. no
    unemployment-month avoided, so no cost per avoided month).
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    x = float(value)
    if unit == "%":
        text = f"{100 * x:.{max(digits - 1, 0)}f}"
        return text if bare else f"{text}%"
    if unit == "EUR":
        text = f"{x:,.0f}" if abs(x) >= 100 or x == 0 else f"{x:,.2f}"
        return text if bare else f"€ {text}"
    text = f"{x:,.0f}" if abs(x) >= 10 ** (digits - 1) or x == 0 else f"{x:,.{digits}g}"
    return text if bare or not unit else f"{text} {unit}"


def table(frame: pd.DataFrame, numeric: Iterable[str] = ()) -> str:
    """An HTML table of already formatted cells; ``numeric`` columns are right-aligned."""
    right = set(numeric)
    head = "".join(f"<th{' class=num' if c in right else ''}>{_e(c)}</th>" for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = "".join(
            f"<td{' class=num' if c in right else ''}>{_e(v)}</td>"
            for c, v in zip(frame.columns, record, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def image(png: bytes, alt: str, caption: str) -> str:
    """A figure embedded as a base64 PNG data URI, with its caption."""
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure><img alt="{_e(alt)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{_e(caption)}</figcaption></figure>"
    )


def page(title: str, lead: str, sections: Sequence[tuple[str, str, str]]) -> str:
    """A whole page: title, lead line, contents and ``(anchor, heading, body)`` sections."""
    nav = "".join(f'<a href="#{a}">{_e(h)}</a>' for a, h, _ in sections)
    body = "".join(f'<h2 id="{a}">{_e(h)}</h2>{b}' for a, h, b in sections)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>"
        f'<h1>{_e(title)}</h1><p class="lead">{_e(lead)}</p><nav>{nav}</nav>{body}'
        "</body></html>\n"
    )


# --------------------------------------------------------------------------- a run


_KEY_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("unemployment_rate", "Unemployment rate U/(U+E)", "%"),
    ("vacancy_rate", "Vacancy rate V/(V+E)", "%"),
    ("long_term_unemployed_share", "Long-term unemployed (>= 12 months), share of unemployed", "%"),
    ("job_finding_rate", "Job-finding rate, per month", "%"),
    ("hires", "Hires", "persons/month"),
    ("job_to_job", "Job-to-job moves", "persons/month"),
    ("mean_skill_shortfall_of_hires", "Skill shortfall of hires", "%"),
    ("mean_skill_shortfall_of_incumbents", "Skill shortfall of incumbents", "%"),
    ("training_participation", "In a course, share of the labour force", "%"),
    ("mean_wage", "Mean monthly wage of the employed", "EUR"),
)


def key_figures(timeseries: pd.DataFrame, window: int = 12) -> pd.DataFrame:
    """The first and last simulated month and the mean of the last ``window`` months of the
    main indicators, with their units (the report's summary).

    Month 0, the state at the end of the burn-in, has no flows (no hires in it), so the
    first column is month 1.
    """
    ts = timeseries.iloc[1:] if len(timeseries) > 1 else timeseries
    tail = ts.iloc[-window:]
    first, last = int(ts.index[0]), int(ts.index[-1])
    rows = []
    for column, label, unit in _KEY_FIGURES:
        if column not in ts:
            continue
        shown = "€" if unit == "EUR" else unit
        rows.append(
            {
                "indicator": label,
                "unit": shown,
                f"month {first}": number(ts[column].iloc[0], unit, bare=True),
                f"month {last}": number(ts[column].iloc[-1], unit, bare=True),
                f"mean of the last {len(tail)} months": number(
                    tail[column].mean(), unit, bare=True
                ),
            }
        )
    return pd.DataFrame(rows)


def run_totals(timeseries: pd.DataFrame) -> pd.DataFrame:
    """Totals over months 1 to the end: unemployment and vacancies in person-months, euros."""
    run = timeseries.iloc[1:]
    items = (
        ("unemployed", "Unemployment", "person-months"),
        ("vacancies", "Unfilled vacancies", "vacancy-months"),
        ("policy_spending", "Policy spending (budgeted instruments)", "EUR"),
        ("benefit_spending", "Unemployment benefits", "EUR"),
        ("social_assistance_spending", "Social assistance", "EUR"),
    )
    rows = [
        {"total over the run": label, "value": number(run[col].sum(), unit)}
        for col, label, unit in items
        if col in run
    ]
    return pd.DataFrame(rows)


def instrument_spending(
    instruments: pd.DataFrame, timeseries: pd.DataFrame, exhausted: Mapping[str, int]
) -> pd.DataFrame:
    """Per instrument: budget, euros spent and the share of the budget, grants, refusals and
    the month it ran out; then the unbudgeted entitlements (benefits, social assistance)."""
    rows = []
    if not instruments.empty:
        grouped = instruments.groupby("instrument", observed=True, sort=False)
        for name, part in grouped:
            budget, spent = float(part["budget"].iloc[0]), float(part["spent"].sum())
            rows.append(
                {
                    "instrument": str(name).replace("_", " "),
                    "budget": number(budget, "EUR"),
                    "spent": number(spent, "EUR"),
                    "share of budget": number(spent / budget if budget > 0 else math.nan, "%"),
                    "applications": number(part["applications"].sum()),
                    "granted": number(part["granted"].sum()),
                    "refused": number(part["refused"].sum()),
                    "ran out in month": str(exhausted.get(str(name), "-")),
                }
            )
    run = timeseries.iloc[1:]
    for column, label in (
        ("benefit_spending", "unemployment benefits (entitlement)"),
        ("social_assistance_spending", "social assistance (entitlement)"),
    ):
        if column in run:
            rows.append(
                {
                    "instrument": label,
                    "budget": "no budget",
                    "spent": number(run[column].sum(), "EUR"),
                }
            )
    return pd.DataFrame(rows).fillna("")


def run_report(results: Results, figures: Mapping[str, bytes], formats: Sequence[str] = ()) -> str:
    """The ``report.html`` of a run.

    Args:
        results: The run's results.
        figures: PNG bytes by figure stem (``figures/<stem>.png``), in display order.
        formats: Table formats written besides Parquet (``csv``, ``xlsx``), for the guide.
    """
    from ecosim.metrics import TABLE_DESCRIPTIONS
    from ecosim.plots import CAPTIONS, burn_in_note

    prov = results.provenance
    scenario = prov.get("scenario") or {}
    ts = results.timeseries
    name = prov.get("scenario_name", "?")
    lead = " ".join(
        part
        for part in (
            scenario.get("description", ""),
            f"Scenario {name}, seed {prov.get('seed', '?')}, {len(ts) - 1} months;",
            f"{number((scenario.get('workforce') or {}).get('persons'))} persons in the labour "
            f"force at 1:{number(prov.get('resolution'))}: "
            f"{number(prov.get('worker_agents'))} worker agents.",
            f"{burn_in_note(prov).capitalize()}." if burn_in_note(prov) else "",
            f"Written {prov.get('created', '?')} by ecosim "
            f"{prov.get('versions', {}).get('ecosim', '?')}.",
        )
        if part
    )
    figures_table = key_figures(ts)
    summary = (
        "<p>Counts are persons (agents x resolution). Month 0 is the state at the end of the "
        "burn-in; flows are counted from month 1.</p>"
        + table(figures_table, numeric=list(figures_table.columns[2:]))
        + table(run_totals(ts), numeric=["value"])
    )
    shown = "".join(
        image(png, stem, CAPTIONS.get(stem, stem.replace("_", " ")))
        for stem, png in figures.items()
    )
    instruments = results.tables.get("instruments", pd.DataFrame())
    spending = instrument_spending(instruments, ts, prov.get("instruments_exhausted", {}))
    money = ["budget", "spent", "share of budget", "applications", "granted", "refused"]
    enabled = "" if not instruments.empty else "<p>No budgeted instrument is enabled.</p>"
    instruments_html = (
        "<p>Euros over the whole run; applications, grants and refusals count agents. "
        "Per month: <code>tables/instruments.parquet</code>.</p>" + enabled + table(spending, money)
    )
    sections = [
        ("summary", "Summary", summary),
        ("figures", "Figures", shown or "<p>No figures were written.</p>"),
        ("instruments", "Spending by instrument", instruments_html),
        ("tables", "Guide to the tables", _run_guide(results, TABLE_DESCRIPTIONS, formats)),
        ("provenance", "Provenance", _provenance(prov)),
    ]
    return page(f"ecosim run: {name}", lead, sections)


def _run_guide(results: Results, descriptions: Mapping[str, str], formats: Sequence[str]) -> str:
    rows = [
        {
            "file": "timeseries.parquet",
            "rows": f"{len(results.timeseries):,}",
            "holds": "model-level indicators, one row per month (index month)",
        }
    ]
    rows += [
        {
            "file": f"tables/{name}.parquet",
            "rows": f"{len(frame):,}",
            "holds": descriptions.get(name, "recorded table"),
        }
        for name, frame in results.tables.items()
    ]
    if results.agents is not None:
        rows.append(
            {
                "file": "agents.parquet",
                "rows": f"{len(results.agents):,}",
                "holds": "one row per worker at the chosen months",
            }
        )
    extra = []
    if "csv" in formats:
        extra.append("a <code>.csv</code> beside each Parquet file")
    if "xlsx" in formats:
        extra.append("<code>tables.xlsx</code> (one sheet per table, a <code>guide</code> sheet)")
    also = f"<p>Also written: {' and '.join(extra)}.</p>" if extra else ""
    return (
        "<p>Long format: one row per month and group. Read them with "
        "<code>pandas.read_parquet</code> or <code>ecosim.results.Results.load(folder)</code>; "
        "<code>README.md</code> in the folder lists them too.</p>"
        + also
        + table(pd.DataFrame(rows), numeric=["rows"])
    )


def _provenance(prov: Mapping[str, Any]) -> str:
    """Seed, drawn values, events, versions, commit, command and the resolved scenario."""
    facts = [
        ("scenario", prov.get("scenario_name")),
        ("seed", prov.get("seed")),
        ("months", prov.get("months")),
        ("git commit", prov.get("git_commit") or "unknown (not run from a git checkout)"),
        ("command", " ".join(map(str, prov.get("command", [])))),
        ("platform", prov.get("platform")),
        ("created", prov.get("created")),
        ("wall time", f"{prov['wall_time_s']:.1f} s" if "wall_time_s" in prov else None),
    ]
    out = table(pd.DataFrame([{"item": k, "value": v} for k, v in facts if v not in (None, "")]))
    drawn = prov.get("drawn") or {}
    out += "<h3>Values drawn for uncertain parameters</h3>"
    if drawn:
        frame = pd.DataFrame(
            {"parameter": list(drawn), "value": [f"{v:.6g}" for v in drawn.values()]}
        )
        out += table(frame, numeric=["value"])
    else:
        out += "<p>None: the scenario has no uncertain (<code>dist:</code>) numbers.</p>"
    events = prov.get("events") or []
    out += "<h3>Events</h3>"
    if events:
        frame = pd.DataFrame(events).fillna("")
        if "persons" in frame:
            frame["persons"] = [number(v) for v in frame["persons"]]
        out += table(frame, numeric=["month", "employer", "persons"])
    else:
        out += "<p>No transition event happened.</p>"
    out += _versions(prov.get("versions") or {})
    if "scenario" in prov:
        text = json.dumps(prov["scenario"], indent=1)
        out += (
            "<details><summary>The resolved scenario (every value the run used)</summary>"
            f"<pre>{_e(text)}</pre></details>"
        )
    return out


# --------------------------------------------------------------------------- a comparison


def compare_report(
    comparison: Comparison, meta: Mapping[str, Any], figures: Mapping[str, bytes]
) -> str:
    """The ``report.html`` of a comparison (``ecosim compare``).

    Args:
        comparison: The comparison.
        meta: What the provenance holds (scenarios, seeds, months, overrides, versions, ...).
        figures: PNG bytes by figure stem.
    """
    from ecosim.compare import LEVEL_UNITS, caveat

    n = comparison.seeds
    variants = list(comparison.table["variant"].unique())
    lead = (
        f"Base {comparison.base} against {len(variants)} variant(s) over {n} common seeds "
        f"(seed i is the same for every scenario, so the differences are paired)."
    )
    warn = caveat(n)
    summary = (f'<p class="note">{_e(warn)}</p>' if warn else "") + (
        "<p>Variant minus base, paired seed by seed. Each cell is the estimate and, in "
        f"brackets, its 5-95% band over the {n} seeds: the estimate is the mean of the paired "
        "differences (for the cost per avoided unemployment-month, the ratio of the mean "
        "differences), the band the 5th and 95th percentiles of the same estimate over "
        "bootstrap resamples of the seeds. Negative unemployment and skill-shortfall "
        'differences are improvements; pp are percentage points; "none avoided": on '
        "average (or in part of the resamples) no unemployment-month was avoided, so the "
        "cost per avoided month has no finite value.</p>"
    )
    summary += table(comparison.summary_table(), numeric=variants)
    shown = "".join(
        image(
            png,
            stem,
            "Per outcome: each variant's mean difference (bar), 5-95% band (line) "
            f"and the {n} seeds (dots); last panel: the monthly difference in unemployed persons.",
        )
        for stem, png in figures.items()
    )
    spending = comparison.spending_table()
    spending_html = (
        f"<p>Mean over the {n} seeds of the euros each instrument spent over the run.</p>"
        + table(spending, numeric=list(spending.columns[1:]))
    )
    runs = pd.DataFrame({"scenario": comparison.runs["scenario"], "seed": comparison.runs["seed"]})
    for column in comparison.runs.columns[2:]:
        unit = LEVEL_UNITS.get(column, "")
        header = f"{column.replace('_', ' ')} ({unit.replace('EUR', '€')})"
        runs[header] = [number(v, unit, bare=True) for v in comparison.runs[column]]
    runs_html = (
        "<p>One row per scenario and seed (<code>runs.parquet</code>): the outcomes "
        "themselves, over months 1 to the end.</p>"
        + f'<div class="wide">{table(runs, numeric=list(runs.columns[1:]))}</div>'
    )
    sections = [
        ("summary", "Differences from the base", summary),
        ("figures", "Figure", shown or "<p>No figure was written.</p>"),
        ("instruments", "Spending by instrument", spending_html),
        ("runs", "Every run", runs_html),
        ("tables", "Guide to the files", _compare_guide(meta.get("formats", ()))),
        ("provenance", "Provenance", _compare_provenance(meta)),
    ]
    return page(f"ecosim comparison: variants against {comparison.base}", lead, sections)


def _compare_guide(formats: Sequence[str]) -> str:
    rows = [
        (
            "compare.parquet",
            "per variant: rows statistic = seed (one per seed), mean, p05, p95; "
            "one diff_<outcome> column per outcome (units in the summary above)",
        ),
        ("runs.parquet", "per scenario and seed: the outcomes of the run"),
        ("monthly.parquet", "per variant, seed and month: the difference in unemployed persons"),
        ("spending.parquet", "per scenario and seed: euros spent per instrument over the run"),
        ("summary.txt", "the summary printed by ecosim compare"),
        ("provenance.json", "scenarios, seeds, months, overrides, backend, versions"),
    ]
    extra = []
    if "csv" in formats:
        extra.append("a <code>.csv</code> beside each Parquet file")
    if "xlsx" in formats:
        extra.append("<code>tables.xlsx</code> (one sheet per table)")
    also = f"<p>Also written: {' and '.join(extra)}.</p>" if extra else ""
    return also + table(pd.DataFrame(rows, columns=["file", "holds"]))


def _compare_provenance(meta: Mapping[str, Any]) -> str:
    skip = {"versions", "formats", "units", "kind"}
    joiners = {"command": " ", "set": " "}
    facts = [
        {
            "item": k.replace("_", " "),
            "value": joiners.get(k, ", ").join(map(str, v)) if isinstance(v, list) else v,
        }
        for k, v in meta.items()
        if k not in skip and v not in (None, "", [])
    ]
    return table(pd.DataFrame(facts)) + _versions(meta.get("versions") or {})


def _versions(versions: Mapping[str, Any]) -> str:
    """The packages' versions on one line: ten rows of a table said less per inch."""
    if not versions:
        return ""
    line = " · ".join(f"{_e(k)} {_e(v)}" for k, v in versions.items())
    return f"<h3>Versions</h3><p>{line}</p>"
