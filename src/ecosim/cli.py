"""Command line: ``ecosim run | validate | plot | dashboard | sweep | calibrate | analyze |
compare``.

Scenario problems are printed as ``FILE:LINE: dotted.path: message (got VALUE)`` lines on
standard error with exit status 2, never as a traceback. An output folder that cannot be written
(a file, another program's folder, a read-only file system) is found before the simulation
starts; it, and a write that fails (a full disk), is one ``error:`` line with exit status 1, and
leaves nothing behind. Ctrl-C exits with status 130 and says what was saved.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ecosim import __version__
from ecosim.config import ScenarioError, load_scenario

if TYPE_CHECKING:
    from ecosim.config import Scenario
    from ecosim.model import RegionModel
    from ecosim.results import Results

app = typer.Typer(
    help="ecosim: agent-based simulation of a regional labour ecosystem.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class BackendKind(StrEnum):
    """Where runs execute (``ecosim.sweep.BACKENDS``)."""

    serial = "serial"
    processes = "processes"
    dask = "dask"


class Method(StrEnum):
    """Sensitivity methods of ``ecosim analyze`` (``ecosim.analysis.METHODS``)."""

    sobol = "sobol"
    morris = "morris"


class TableFormat(StrEnum):
    """Table formats (``ecosim.export.FORMATS``); Parquet is always written."""

    parquet = "parquet"
    csv = "csv"
    xlsx = "xlsx"


# The same option has the same short flag in every command: -o folder, -s override,
# -m months, -b backend, -w workers, -f table format. Destructive --force has none.
ScenarioArg = Annotated[
    Path, typer.Argument(help="Scenario YAML file.", exists=False, dir_okay=False)
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option("--set", "-s", help="Override a scenario value: KEY=VALUE (dotted key)."),
]
MonthsOpt = Annotated[
    int | None, typer.Option("--months", "-m", help="Override the run length.", min=1)
]
BackendOpt = Annotated[BackendKind, typer.Option("--backend", "-b", help="Where runs execute.")]
WorkersOpt = Annotated[
    int | None,
    typer.Option("--workers", "-w", help="Worker processes (default: the CPU count).", min=1),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(help="Address of a running Dask scheduler, e.g. tcp://host:8786 (dask)."),
]
FormatOpt = Annotated[
    list[TableFormat] | None,
    typer.Option(
        "--format",
        "-f",
        help="Also write the tables as CSV files or one Excel workbook (repeatable); Parquet "
        "is always written.",
    ),
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Replace the results already in the folder.")
]
ProgressOpt = Annotated[bool, typer.Option(help="Show progress (on a terminal).")]
ResolutionOpt = Annotated[
    float | None,
    typer.Option(
        "--resolution",
        help="Persons per agent (overrides the scenario's; 1 = the region at 1:1). The region "
        "stays the same: worker and employer agents follow.",
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ecosim {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """ecosim: agent-based simulation of a regional labour ecosystem."""


def _formats(chosen: list[TableFormat] | None) -> list[str]:
    return [f.value for f in chosen or []]


def _fail(error: ScenarioError) -> typer.Exit:
    """Print a scenario's problems; the exit status 2 to raise."""
    for problem in error.problems:
        typer.echo(str(problem), err=True)
    count = len(error.problems)
    typer.echo(f"{count} problem{'s' if count != 1 else ''} found.", err=True)
    return typer.Exit(code=2)


@app.command()
def validate(scenario: ScenarioArg, set_: SetOpt = None, resolution: ResolutionOpt = None) -> None:
    """Check a scenario and say what is wrong with it, or that it is fine."""
    overrides = [*(set_ or []), *_resolution_override(resolution)]
    try:
        sc = load_scenario(scenario, overrides or None)
    except ScenarioError as exc:
        raise _fail(exc) from None
    n_munis = len(sc.municipality_names)
    typer.echo(
        f"{scenario}: ok — {sc.name}: {len(sc.skills)} skills, {len(sc.occupations)} occupations, "
        f"{len(sc.sectors)} sectors, {len(sc.regions)} region(s) with {n_munis} municipalities, "
        f"{sc.workforce.persons:,} persons at 1:{sc.resolution:g} = {sc.worker_agents:,} worker "
        f"agents, {sc.months} months"
    )


@app.command()
def run(
    scenario: ScenarioArg,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Results folder (default: results/<scenario name>)."),
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Override the scenario's seed.")] = None,
    months: MonthsOpt = None,
    resolution: ResolutionOpt = None,
    set_: SetOpt = None,
    progress: ProgressOpt = True,
    snapshot_months: Annotated[
        str | None,
        typer.Option(
            help="Also save every worker's state at these months (comma-separated, e.g. "
            "12,60; 0 = initial state) to agents.parquet."
        ),
    ] = None,
    table_format: FormatOpt = None,
    force: ForceOpt = False,
) -> None:
    """Run a scenario; write tables, figures, report.html and provenance; print a summary."""
    from ecosim.metrics import AgentSnapshotRecorder
    from ecosim.model import RegionModel
    from ecosim.results import Results

    chosen: list[int] = []
    if snapshot_months:
        try:
            chosen = [int(m) for m in snapshot_months.split(",") if m.strip()]
        except ValueError:
            chosen = [-1]
        if not chosen or min(chosen) < 0:
            typer.echo(
                f"error: --snapshot-months must be non-negative whole months separated by "
                f"commas, e.g. 12,60 (got {snapshot_months!r})",
                err=True,
            )
            raise typer.Exit(code=2)
    overrides = list(set_ or [])
    if seed is not None:
        overrides.append(f"seed={seed}")
    if months is not None:
        overrides.append(f"months={months}")
    overrides += _resolution_override(resolution)
    try:
        sc = load_scenario(scenario, overrides or None)
    except ScenarioError as exc:
        raise _fail(exc) from None
    try:
        _announce_size(sc)
    except MemoryError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    out = _writable(out if out is not None else Path("results") / sc.name, force)
    start = time.perf_counter()
    model: RegionModel | None = None
    results: Results | None = None
    try:
        model = RegionModel(sc)
        if chosen:
            late = [m for m in chosen if m > sc.months]
            if late:
                typer.echo(f"warning: snapshot months {late} are after the last month", err=True)
            recorder = AgentSnapshotRecorder(chosen)
            recorder.record(model.snapshot())
            model.recorders.append(recorder)
        model.run(progress=progress and sys.stderr.isatty())
        results = Results.from_model(model, wall_time=time.perf_counter() - start)
        path = results.save(out, formats=_formats(table_format))
    except KeyboardInterrupt:
        if results is None:
            when = "before the first month" if model is None else f"in month {model.month}"
            what = f"interrupted {when} of {sc.months}: nothing was saved"
        else:
            what = "interrupted while saving"
        typer.echo(f"{what}; {_what_is_in(out, results)}", err=True)
        raise typer.Exit(code=130) from None
    except OSError as exc:
        typer.echo(f"error: cannot save the results to {out}: {exc}; {_what_is_in(out)}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(results.summary())
    typer.echo(f"results written to {path}")
    typer.echo(f"  tables:  {path / 'tables'} ({len(results.tables)} Parquet files)")
    if results.agents is not None:
        typer.echo(f"  agents:  {path / 'agents.parquet'} ({len(results.agents):,} rows)")
    n_figures = len(list((path / "figures").glob("*.png")))
    typer.echo(f"  figures: {path / 'figures'} ({n_figures} PNG files)")
    typer.echo(f"  report:  {path / 'report.html'}")
    typer.echo(f"  guide:   {path / 'README.md'}")


def _resolution_override(resolution: float | None) -> list[str]:
    """``--resolution`` as a ``--set`` override (none if not given)."""
    return [] if resolution is None else [f"resolution={resolution!r}"]


def _announce_size(sc: Scenario) -> None:
    """Say how large the world will be, with its memory, before building a large one.

    Raises:
        MemoryError: The world would not fit in the memory available (see
            :func:`ecosim.world.check_memory`).
    """
    from ecosim.world import LARGE_WORLD_BYTES, check_memory

    need = check_memory(sc)
    if need >= LARGE_WORLD_BYTES:
        typer.echo(
            f"building {sc.worker_agents:,} worker agents (1:{sc.resolution:g}): about "
            f"{need / 2**30:.1f} GiB of memory",
            err=True,
        )


def _writable(out: Path, force: bool) -> Path:
    """``out`` as an absolute path, after checking that results can be written there.

    Earlier results there are replaced only with ``--force``: a second run with the same
    ``--out`` (or none) would otherwise silently replace the first.
    """
    from ecosim.results import MARKER, check_output_folder

    try:
        path = check_output_folder(out)
    except OSError as exc:
        typer.echo(f"error: {exc}; choose another --out", err=True)
        raise typer.Exit(code=1) from None
    if (path / MARKER).exists() and not force:
        typer.echo(
            f"error: {out} already holds results; add --force to replace them, or choose "
            "another --out",
            err=True,
        )
        raise typer.Exit(code=1)
    return path


def _what_is_in(out: Path, results: Results | None = None) -> str:
    """What a results folder holds after a save was cut short: the new results, the old or none.

    ``results`` are the ones being saved, recognised by their provenance.
    """
    from ecosim.results import MARKER

    marker = out / MARKER
    if not marker.is_file():
        return f"{out} was not created"
    if results is not None:
        saved = json.loads(json.dumps(results.provenance, default=str))
        if json.loads(marker.read_text()) == saved:
            return f"the results were saved to {out}"
    return f"{out} keeps its earlier results"


@app.command()
def plot(
    results_dir: Annotated[Path, typer.Argument(help="A results folder written by `run`.")],
) -> None:
    """Regenerate all figures of a saved results folder, and its report.html with them."""
    from ecosim.plots import save_figures
    from ecosim.report import run_report
    from ecosim.results import REPORT, Results

    try:
        results = Results.load(results_dir)
    except FileNotFoundError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    try:
        written = save_figures(results, results_dir / "figures")
        formats = json.loads((results_dir / "manifest.json").read_text()).get("table_formats", [])
        report = run_report(results, {p.stem: p.read_bytes() for p in written}, formats)
        (results_dir / REPORT).write_text(report, encoding="utf-8")
    except OSError as exc:
        typer.echo(f"error: cannot write the figures to {results_dir / 'figures'}: {exc}", err=True)
        raise typer.Exit(code=1) from None
    for path in written:
        typer.echo(f"wrote {path}")
    typer.echo(f"{len(written)} figures in {results_dir / 'figures'}; {results_dir / REPORT}")


@app.command()
def dashboard(
    scenario: ScenarioArg,
    host: Annotated[
        str, typer.Option(help="Address to serve on (0.0.0.0: every interface).")
    ] = "localhost",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8765,
) -> None:
    """Explore a scenario in the browser: policy and transition levers, play/step/reset, plots.

    Serves Mesa's SolaraViz page (``ecosim.dashboard``) until interrupted.
    """
    try:
        load_scenario(scenario)
    except ScenarioError as exc:
        raise _fail(exc) from None
    if importlib.util.find_spec("solara") is None:
        typer.echo("error: the dashboard needs Solara: pip install 'ecosim[dashboard]'", err=True)
        raise typer.Exit(code=2)
    from ecosim.dashboard import serve

    typer.echo(f"ecosim dashboard of {scenario} on http://{host}:{port} (Ctrl-C stops it)")
    serve(scenario, host, port)


def main() -> None:
    """Entry point for ``python -m ecosim``."""
    app()


@app.command("sweep")
def sweep_command(
    sweep_file: Annotated[Path, typer.Argument(help="Sweep YAML file.", dir_okay=False)],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Sweep folder (default: the file's `out`, else results/sweeps/<name>). "
            "Running again with the same folder resumes.",
        ),
    ] = None,
    backend: BackendOpt = BackendKind.processes,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    chunk_size: Annotated[
        int | None, typer.Option(help="Runs per chunk sent to a worker.", min=1)
    ] = None,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed/--skip-failed", help="Run stored failures again.")
    ] = True,
    runner: Annotated[
        str | None, typer.Option(help="Custom runner MODULE:FUNCTION (scenario, seed) -> frame.")
    ] = None,
    progress: ProgressOpt = True,
) -> None:
    """Run (or resume) a parameter sweep; exit status 1 when runs failed."""
    from ecosim.sweep import SweepError, load_sweep, resolve_runner, run_sweep

    try:
        sweep = load_sweep(sweep_file)
    except ScenarioError as exc:
        raise _fail(exc) from None
    target = out if out is not None else sweep.default_out
    try:
        summary = run_sweep(
            sweep,
            out,
            backend="dask" if scheduler else backend.value,
            workers=workers,
            scheduler=scheduler or "",
            chunk_size=chunk_size,
            retry_failed=retry_failed,
            progress=progress and sys.stderr.isatty(),
            runner=resolve_runner(runner) if runner else None,
        )
    except SweepError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    except OSError as exc:
        notes = "".join(f"; {note}" for note in getattr(exc, "__notes__", []))
        typer.echo(
            f"error: cannot store results in {target}: {exc}{notes}; the chunks stored "
            "before are kept: run the same command again to resume",
            err=True,
        )
        raise typer.Exit(code=1) from None
    except KeyboardInterrupt:
        typer.echo(
            f"interrupted; completed chunks are stored in {target}; "
            "run the same command again to resume",
            err=True,
        )
        raise typer.Exit(code=130) from None
    typer.echo(str(summary))
    if summary.failed:
        typer.echo(
            f"{summary.failed} runs failed; their errors and tracebacks are in "
            f"{summary.out / 'runs'} (ecosim.sweep.load_failures)",
            err=True,
        )
        raise typer.Exit(code=1)


@app.command("calibrate")
def calibrate_command(
    calibration_file: Annotated[
        Path, typer.Argument(help="Calibration YAML file.", dir_okay=False)
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Output folder (default: the file's `out`, else results/calibration/<name>). "
            "Running again with the same folder reuses every stored run.",
        ),
    ] = None,
    backend: BackendOpt = BackendKind.processes,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    progress: ProgressOpt = True,
) -> None:
    """Fit a scenario's free parameters to target moments (simulated method of moments)."""
    import pandas as pd

    from ecosim.calibrate import calibrate, load_calibration
    from ecosim.sweep import SweepError

    try:
        cal = load_calibration(calibration_file)
    except ScenarioError as exc:
        raise _fail(exc) from None
    try:
        result = calibrate(
            cal,
            out,
            backend="dask" if scheduler else backend.value,
            workers=workers,
            scheduler=scheduler or "",
            progress=progress and sys.stderr.isatty(),
        )
    except SweepError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    except KeyboardInterrupt:
        target = out if out is not None else cal.default_out
        typer.echo(
            f"interrupted; the runs completed so far are stored in {target}; "
            "run the same command again to resume",
            err=True,
        )
        raise typer.Exit(code=130) from None
    with pd.option_context("display.width", 120, "display.max_columns", 20):
        typer.echo(result.moments.drop(columns=["source"]).to_string(index=False))
    shown = ", ".join(f"{k} = {v:.6g}" for k, v in result.best.items())
    typer.echo(
        f"best: {shown}; distance {result.distance:.4g}; {result.runs} runs in "
        f"{result.wall_time_s / 60:.1f} min; written to {result.out}"
    )


@app.command()
def analyze(
    sweep_dir: Annotated[Path, typer.Argument(help="A sweep folder written by `sweep`.")],
    output: Annotated[
        str | None, typer.Option("--output", help="Summary column (default: the first).")
    ] = None,
    method: Annotated[
        Method | None, typer.Option(help="Sensitivity method (default: the sweep's design).")
    ] = None,
    figure: Annotated[
        Path | None,
        typer.Option(help="Figure file (default: SWEEP_DIR/analysis/<output>-<method>.png)."),
    ] = None,
) -> None:
    """Sobol (first-order and total) or Morris indices of a sweep's output: table and figure."""
    import matplotlib

    matplotlib.use("Agg")
    from ecosim.analysis import AnalysisError, plot_indices, sensitivity

    try:
        result = sensitivity(sweep_dir, output, method.value if method else None)
    except (AnalysisError, FileNotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    typer.echo(str(result))
    folder = sweep_dir / "analysis"
    table = folder / f"{result.output}-{result.method}.csv"
    figure = figure or folder / f"{result.output}-{result.method}.png"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        result.table.to_csv(table)
        figure.parent.mkdir(parents=True, exist_ok=True)
        plot_indices(result).savefig(figure, dpi=130)
    except OSError as exc:
        typer.echo(f"error: cannot write the analysis: {exc}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(f"wrote {table}")
    typer.echo(f"wrote {figure}")


@app.command("compare")
def compare_command(
    scenarios: Annotated[
        list[Path], typer.Argument(help="BASE.yaml then one or more VARIANT.yaml files.")
    ],
    seeds: Annotated[
        int, typer.Option("--seeds", "-n", help="Common seeds (base seed + 0..N-1).", min=1)
    ] = 5,
    months: MonthsOpt = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Folder (default: results/compare).")
    ] = None,
    resolution: ResolutionOpt = None,
    set_: SetOpt = None,
    backend: BackendOpt = BackendKind.processes,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    table_format: FormatOpt = None,
    force: ForceOpt = False,
    progress: ProgressOpt = True,
) -> None:
    """Compare interventions: variant minus base per seed; means with 5-95% bands, a figure
    and report.html. Runs go through the sweep engine: results are the same on any backend."""
    from ecosim.compare import compare, elapsed, save
    from ecosim.config import parse_override
    from ecosim.sweep import SweepError

    if len(scenarios) < 2:
        typer.echo("error: give a base scenario and at least one variant", err=True)
        raise typer.Exit(code=2)
    try:
        texts = [*(set_ or []), *_resolution_override(resolution)]
        overrides = dict(parse_override(t) for t in texts)
        for path in scenarios:
            load_scenario(path, overrides or None)
    except ScenarioError as exc:
        raise _fail(exc) from None
    out = _writable(out or Path("results/compare"), force)
    kind = "dask" if scheduler else backend.value
    start = time.perf_counter()
    typer.echo(
        f"comparing {len(scenarios)} scenarios x {seeds} seeds = {len(scenarios) * seeds} runs "
        f"on the {kind} backend",
        err=True,
    )

    def done(name: str, summary) -> None:
        typer.echo(f"  {name}: {summary.done} runs done ({elapsed(start)} so far)", err=True)

    try:
        result = compare(
            scenarios[0],
            scenarios[1:],
            seeds=seeds,
            months=months,
            overrides=overrides,
            progress=progress and sys.stderr.isatty(),
            backend=kind,
            workers=workers,
            scheduler=scheduler or "",
            on_scenario=done,
        )
        meta = {
            "scenarios": [str(p) for p in scenarios],
            "seeds": seeds,
            "months": months,
            "resolution": resolution,
            "set": set_,
            "backend": kind,
            "workers": workers,
            "wall_time_s": round(time.perf_counter() - start, 3),
        }
        folder = save(result, out, meta, formats=_formats(table_format))
    except SweepError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    except RuntimeError as exc:
        typer.echo(f"error: {exc}; nothing was saved; {_what_is_in(out)}", err=True)
        raise typer.Exit(code=1) from None
    except KeyboardInterrupt:
        typer.echo(f"interrupted: nothing was saved; {_what_is_in(out)}", err=True)
        raise typer.Exit(code=130) from None
    except OSError as exc:
        typer.echo(
            f"error: cannot save the comparison to {out}: {exc}; {_what_is_in(out)}", err=True
        )
        raise typer.Exit(code=1) from None
    typer.echo(str(result))
    typer.echo(f"wrote {folder / 'report.html'}, {folder / 'compare.parquet'} and the figure")
