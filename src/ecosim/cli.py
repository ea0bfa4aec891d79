"""Command line: ``ecosim run | validate | plot``.

Scenario problems are printed as ``FILE:LINE: dotted.path: message (got VALUE)`` lines on
standard error with exit status 2, never as a traceback.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from ecosim.config import ScenarioError, load_scenario

app = typer.Typer(
    help="ecosim: agent-based simulation of a regional labour ecosystem.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ScenarioArg = Annotated[
    Path, typer.Argument(help="Scenario YAML file.", exists=False, dir_okay=False)
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option("--set", "-s", help="Override a scenario value: KEY=VALUE (dotted key)."),
]


def _fail(error: ScenarioError) -> typer.Exit:
    for problem in error.problems:
        typer.echo(str(problem), err=True)
    count = len(error.problems)
    typer.echo(f"{count} problem{'s' if count != 1 else ''} found.", err=True)
    return typer.Exit(code=2)


@app.command()
def validate(scenario: ScenarioArg, set_: SetOpt = None) -> None:
    """Check a scenario and say what is wrong with it, or that it is fine."""
    try:
        sc = load_scenario(scenario, set_ or None)
    except ScenarioError as exc:
        raise _fail(exc) from None
    n_munis = len(sc.municipality_names)
    typer.echo(
        f"{scenario}: ok — {sc.name}: {len(sc.skills)} skills, {len(sc.occupations)} occupations, "
        f"{len(sc.sectors)} sectors, {len(sc.regions)} region(s) with {n_munis} municipalities, "
        f"{sc.workforce.size:,} worker agents x {sc.scale:g} persons, {sc.months} months"
    )


@app.command()
def run(
    scenario: ScenarioArg,
    out: Annotated[
        Path | None, typer.Option(help="Results folder (default: results/<scenario name>).")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Override the scenario's seed.")] = None,
    months: Annotated[int | None, typer.Option(help="Override the run length.")] = None,
    set_: SetOpt = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
) -> None:
    """Run a scenario; write tables, provenance and figures; print a summary."""
    from ecosim.model import RegionModel
    from ecosim.results import Results

    overrides = list(set_ or [])
    if seed is not None:
        overrides.append(f"seed={seed}")
    if months is not None:
        overrides.append(f"months={months}")
    try:
        sc = load_scenario(scenario, overrides or None)
    except ScenarioError as exc:
        raise _fail(exc) from None
    out = out if out is not None else Path("results") / sc.name
    start = time.perf_counter()
    model = RegionModel(sc)
    model.run(progress=progress and sys.stderr.isatty())
    results = Results.from_model(model, wall_time=time.perf_counter() - start)
    try:
        path = results.save(out)
    except FileExistsError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(results.summary())
    typer.echo(f"results written to {path}")


@app.command()
def plot(
    results_dir: Annotated[Path, typer.Argument(help="A results folder written by `run`.")],
) -> None:
    """Regenerate all figures of a saved results folder."""
    from ecosim.plots import save_figures
    from ecosim.results import Results

    try:
        results = Results.load(results_dir)
    except FileNotFoundError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    for path in save_figures(results, results_dir / "figures"):
        typer.echo(f"wrote {path}")


def main() -> None:
    """Entry point for ``python -m ecosim``."""
    app()
