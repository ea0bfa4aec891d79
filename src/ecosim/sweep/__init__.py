"""Parameter sweeps: specification, experiment designs, execution backends, storage and resume.

A sweep is a YAML file validated like a scenario (problems are reported as
``FILE:LINE: dotted.path: message (got VALUE)``)::

    name: separation_grid
    base: ../scenarios/rijnmond.yaml        # relative to this file
    set: {months: 60}                       # fixed overrides of the base scenario
    parameters:                             # dotted scenario paths
      behaviour.separation_rate: {values: [0.005, 0.01, 0.02]}
      matching.acceptance_threshold: {range: [0.6, 0.9], levels: 4}
      behaviour.on_the_job_search_share:
        distribution: {dist: truncnorm, mean: 0.05, sd: 0.02, low: 0, high: 0.2}
    design: {kind: grid}                    # grid | lhs | sobol | morris
    replications: 3
    seed: 100                               # default: the base scenario's seed
    outputs:
      window: 12                            # last 12 months; or [first, last] (inclusive)
      summaries:
        - unemployment_rate                 # mean over the window
        - {column: long_term_unemployed_share, stat: last}
      timeseries: [unemployment_rate]       # false (default), true (all) or columns
    out: ../results/sweeps/separation_grid  # default: results/sweeps/<name>
    max_runs: 100000                        # default; a larger design is refused before it is built

**Runs.** A design row (a *point*) times ``replications`` gives the runs. Run ``r`` of a point
gets the seed ``seed + r`` (``seeds: common``, the default: every point sees the same random
streams, which sharpens comparisons and sensitivity indices), or a seed derived with
``numpy.random.SeedSequence`` from the seed, the point's parameter values and ``r``
(``seeds: independent``). A run's id is a hash of its parameter values and seed, so it does not
depend on the design order, the backend or the chunking, and results are identical on every
backend.

**Execution.** One engine submits *chunks* of runs to a :class:`concurrent.futures.Executor`
whose workers live for the whole sweep. Backends: ``serial`` (in this process), ``processes``
(a local spawn pool, default) and ``dask`` (a new ``LocalCluster``, or an existing scheduler
such as one started by ``dask-jobqueue`` on SLURM). Each run uses one numba thread: parallelism
comes from the workers. ``processes`` workers are started when the sweep starts and warm up
(import the model, load its numba kernels: :func:`warm_up`) while the output folder is
prepared. Chunks are large at first and shrink to single runs toward the end
(:func:`chunk_sizes`), so that the workers finish together. Each run validates the base
scenario's data with its overrides applied (the file is read once) and, with the default
runner, computes and records only the indicators the sweep keeps (:func:`run_outputs`:
``RegionModel(..., record=columns)``, no breakdown tables), with values identical to
``RegionModel(...).run()``'s.

**Storage** (``OUT``)::

    sweep.yaml                 resolved sweep specification
    scenario.yaml              resolved base scenario (with ``set`` applied)
    design.parquet             every run: run_id, point, replicate, seed, parameter values
    runs/chunk-<hash>.parquet  one row per run: status, summaries, error and traceback
    timeseries/chunk-<hash>.parquet   optional monthly outputs (run_id, month, columns)
    manifest.json              fingerprint, counts of the last invocation, versions

Chunk files are written atomically (temporary file, then ``os.replace``) as chunks complete;
a run counts as stored once its ``runs`` file exists. Running the same sweep into the same
``OUT`` skips stored runs, so an interrupted sweep resumes and ends with the same dataset as an
uninterrupted one. A run that raises is stored as ``failed`` with its traceback. When a worker
process dies, the runs of its chunk (and, for ``processes``, of every chunk the broken pool
stopped with it) are re-run one by one, alone; a run whose worker dies while running it alone
is retried once more, then stored as ``failed``. Failed runs are retried on the next
invocation unless ``retry_failed=False``.

**Modules.** :mod:`~ecosim.sweep.schema` (the sweep file's fields),
:mod:`~ecosim.sweep.loading` (validation against the base scenario: :func:`load_sweep`),
:mod:`~ecosim.sweep.designs` (points, seeds and run ids), :mod:`~ecosim.sweep.worker` (what
runs on a worker), :mod:`~ecosim.sweep.backends`, :mod:`~ecosim.sweep.storage` (the folder,
written and read back), :mod:`~ecosim.sweep.engine` (:func:`run_sweep`) and
:mod:`~ecosim.sweep.errors`. This package re-exports the public names of its modules: import
them from ``ecosim.sweep``.
"""

from ecosim.sweep.backends import BACKENDS, Backend
from ecosim.sweep.designs import build_design, design_runs, plain_value, run_id, unit_design
from ecosim.sweep.engine import SweepSummary, chunk_sizes, run_sweep
from ecosim.sweep.errors import SweepError
from ecosim.sweep.loading import Sweep, load_sweep, sweep_from_dict, sweep_from_scenario
from ecosim.sweep.schema import (
    DEFAULT_SUMMARIES,
    MAX_RUNS,
    MAX_RUNS_LIMIT,
    STATS,
    Design,
    Distribution,
    Outputs,
    Parameter,
    Summary,
    SweepSpec,
    Window,
    window_bounds,
)
from ecosim.sweep.storage import (
    RUN_COLUMNS,
    check_folder,
    load_design,
    load_failures,
    load_results,
    load_timeseries,
    prepare_folder,
    stored_runs,
    write_chunk,
    write_manifest,
)
from ecosim.sweep.worker import (
    WORKER_ENV,
    ChunkResult,
    ChunkTask,
    Runner,
    RunTask,
    configure_worker,
    default_runner,
    exit_with_parent,
    init_worker,
    output_columns,
    resolve_runner,
    run_chunk,
    run_outputs,
    summarise,
    warm_up,
)

__all__ = [
    "BACKENDS",
    "DEFAULT_SUMMARIES",
    "MAX_RUNS",
    "MAX_RUNS_LIMIT",
    "RUN_COLUMNS",
    "STATS",
    "WORKER_ENV",
    "Backend",
    "ChunkResult",
    "ChunkTask",
    "Design",
    "Distribution",
    "Outputs",
    "Parameter",
    "RunTask",
    "Runner",
    "Summary",
    "Sweep",
    "SweepError",
    "SweepSpec",
    "SweepSummary",
    "Window",
    "build_design",
    "check_folder",
    "chunk_sizes",
    "configure_worker",
    "default_runner",
    "design_runs",
    "exit_with_parent",
    "init_worker",
    "load_design",
    "load_failures",
    "load_results",
    "load_sweep",
    "load_timeseries",
    "output_columns",
    "plain_value",
    "prepare_folder",
    "resolve_runner",
    "run_chunk",
    "run_id",
    "run_outputs",
    "run_sweep",
    "stored_runs",
    "summarise",
    "sweep_from_dict",
    "sweep_from_scenario",
    "unit_design",
    "warm_up",
    "window_bounds",
    "write_chunk",
    "write_manifest",
]
