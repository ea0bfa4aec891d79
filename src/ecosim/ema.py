"""Adapter for the EMA workbench (exploratory modelling and analysis; optional extra).

Install with ``pip install 'ecosim[ema]'``. :func:`make_ema_model` builds an
``ema_workbench.Model`` from a base scenario: uncertainties and levers are dotted scenario
paths, outcomes are the same scalar summaries as in sweeps. Then the workbench's experiments,
optimisation and scenario discovery (PRIM, CART, feature scoring) work on ecosim::

    import numpy as np
    from ema_workbench import MultiprocessingEvaluator
    from ema_workbench.analysis import prim

    from ecosim.ema import make_ema_model

    model = make_ema_model(
        "scenarios/rijnmond.yaml",
        uncertainties={"behaviour.separation_rate": (0.004, 0.03),
                       "matching.mode": ["search", "stable"]},
        levers={"behaviour.on_the_job_search_share": (0.0, 0.2)},
        outcomes=["unemployment_rate", "long_term_unemployed_share"],
        set={"months": 60},
        replications=3,
        aggregate=np.mean,          # one value per experiment: the mean over the replications
    )
    with MultiprocessingEvaluator(model, n_processes=4) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=200, policies=4)
    x = experiments[list(model.ecosim_names)]      # the parameters, by workbench name
    box = prim.Prim(x, outcomes["long_term_unemployed_share_mean"] > 0.3).find_box()
    box.inspect()

The workbench names variables with Python identifiers, so a dotted path becomes
``behaviour__separation_rate`` (:func:`ema_name`); ``model.ecosim_names`` maps workbench names
back to dotted paths. With ``replications`` the workbench runs each experiment with seeds
``seed, seed + 1, ...`` (a ``ReplicatorModel``). Its outcomes are then arrays of one value per
replication (``ArrayOutcome``: ``outcomes[name]`` has shape (experiments, replications);
``ema_workbench``'s ``process_replications`` averages them), or, with ``aggregate``, scalars
(``ScalarOutcome``s that reduce the replications, as PRIM and optimisation need). The workbench
registers outcome names with their class for the whole process, so one name cannot be an
``ArrayOutcome`` in one model and a ``ScalarOutcome`` in another: name the summaries
(:class:`~ecosim.sweep.Summary` ``name``) when building both kinds.

``MultiprocessingEvaluator`` forks its workers (on Linux, before Python 3.14). A process that has
already run ecosim has started numba's OpenMP threads, and GNU OpenMP aborts forked children
("fork() called from a process already using GNU OpenMP"), so the evaluator waits forever. Run
the experiments from a fresh process, or call ``multiprocessing.set_start_method("spawn")``
first (in the ``if __name__ == "__main__":`` block of a script). Tested with ``ema_workbench``
3.0.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecosim.config import Scenario, load_scenario, scenario_from_dict
from ecosim.sweep import Summary, Window, default_runner, summarise

INSTALL_HINT = (
    "the EMA workbench adapter needs the optional extra: pip install 'ecosim[ema]' "
    "(ema_workbench>=3.0)"
)


def _workbench() -> Any:
    try:
        import ema_workbench
    except ImportError as exc:
        raise ImportError(INSTALL_HINT) from exc
    return ema_workbench


def ema_name(path: str) -> str:
    """A workbench variable name (a Python identifier) for a dotted scenario path."""
    name = path.replace(".", "__").replace("-", "_")
    return name if name.isidentifier() else f"p_{name}"


@dataclass(frozen=True)
class EcosimFunction:
    """The callable a workbench ``Model`` runs: keyword arguments in, outcomes out.

    Picklable, so the workbench's multiprocessing and distributed evaluators can ship it.

    Attributes:
        base_data: The base scenario as plain data.
        paths: Workbench variable name to dotted scenario path.
        summaries: The outcomes (scalar summaries of the time series).
        window: The default window of the summaries.
        seed: Seed used when the workbench passes none.
    """

    base_data: dict[str, Any]
    paths: dict[str, str]
    summaries: tuple[Summary, ...]
    window: Window
    seed: int

    def __call__(self, **kwargs: Any) -> dict[str, float]:
        """Run one experiment; unknown keyword arguments are rejected."""
        seed = int(kwargs.pop("seed", self.seed))
        unknown = sorted(set(kwargs) - set(self.paths))
        if unknown:
            raise TypeError(f"unknown variables {unknown}; known: {sorted(self.paths)}")
        overrides = {self.paths[k]: _plain(v) for k, v in kwargs.items()}
        scenario = scenario_from_dict(self.base_data, overrides or None)
        frame = default_runner(scenario, seed)
        return summarise(frame, self.summaries, self.window)


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def make_function(
    base: str | Path | Scenario,
    variables: Sequence[str],
    outcomes: Sequence[str | Summary] = ("unemployment_rate", "long_term_unemployed_share"),
    *,
    set: Mapping[str, Any] | None = None,
    window: Window = 12,
) -> EcosimFunction:
    """The run function of :func:`make_ema_model`, usable without the workbench."""
    scenario = base if isinstance(base, Scenario) else load_scenario(base, dict(set or {}))
    if isinstance(base, Scenario) and set:
        scenario = scenario_from_dict(base.model_dump(mode="json"), dict(set))
    summaries = tuple(Summary(column=o) if isinstance(o, str) else o for o in outcomes)
    paths = {ema_name(p): p for p in variables}
    return EcosimFunction(scenario.model_dump(mode="json"), paths, summaries, window, scenario.seed)


def _parameter(wb: Any, path: str, spec: Any) -> Any:
    name = ema_name(path)
    if isinstance(spec, list):
        return wb.CategoricalParameter(name, spec)
    low, high = spec
    if isinstance(low, int) and isinstance(high, int) and not isinstance(low, bool):
        return wb.IntegerParameter(name, low, high)
    return wb.RealParameter(name, float(low), float(high))


def _check_bounds(function: EcosimFunction, specs: Mapping[str, Any]) -> None:
    """Every bound (or category) must give a valid scenario; raises ScenarioError."""
    for path, spec in specs.items():
        for value in spec if isinstance(spec, list | tuple) else [spec]:
            scenario_from_dict(function.base_data, {path: value})


def _outcome(
    wb: Any, label: str, replications: int, aggregate: Callable[[Sequence[float]], float] | None
) -> Any:
    """A scalar outcome; per replication, a ``ReplicatorModel`` gives a list of values.

    The workbench's ``ScalarOutcome`` rejects such a list unless a function reduces it; without
    ``aggregate`` an ``ArrayOutcome`` keeps every replication's value.
    """
    if replications > 1 and aggregate is None:
        return wb.ArrayOutcome(label)
    if replications > 1:
        return wb.ScalarOutcome(label, function=aggregate)
    return wb.ScalarOutcome(label)


def make_ema_model(
    base: str | Path | Scenario,
    uncertainties: Mapping[str, tuple[float, float] | list[Any]],
    levers: Mapping[str, tuple[float, float] | list[Any]] | None = None,
    outcomes: Sequence[str | Summary] = ("unemployment_rate", "long_term_unemployed_share"),
    *,
    name: str = "ecosim",
    set: Mapping[str, Any] | None = None,
    window: Window = 12,
    replications: int = 1,
    aggregate: Callable[[Sequence[float]], float] | None = None,
    seed: int | None = None,
) -> Any:
    """An ``ema_workbench`` model of a base scenario.

    Args:
        base: Scenario file or validated scenario.
        uncertainties: Dotted path to ``(low, high)`` (real, or integer when both are ints) or
            to a list of categories.
        levers: Policy levers, in the same form.
        outcomes: Summary columns (means over ``window``) or :class:`~ecosim.sweep.Summary`
            objects; each becomes an outcome named by its label: a ``ScalarOutcome``, or with
            ``replications`` (and no ``aggregate``) an ``ArrayOutcome`` of one value per
            replication.
        name: The workbench model's name (an identifier).
        set: Fixed overrides of the base scenario (e.g. ``{"months": 60}``).
        window: Default window of the outcomes (last ``N`` months or ``(first, last)``).
        replications: Seeds per experiment; more than 1 gives a ``ReplicatorModel``.
        aggregate: With ``replications``, reduces an outcome's values over the replications
            to one number (e.g. ``numpy.mean``; it must be picklable for the multiprocessing
            evaluators): the outcomes are then ``ScalarOutcome``s.
        seed: First seed (default: the scenario's).

    Returns:
        An ``ema_workbench.Model`` (or ``ReplicatorModel``) with ``ecosim_names`` mapping
        workbench names to dotted paths.

    Raises:
        ImportError: ``ema_workbench`` is not installed (``pip install 'ecosim[ema]'``).
        ScenarioError: A bound or category is not a valid scenario value.
    """
    wb = _workbench()
    levers = dict(levers or {})
    specs = {**uncertainties, **levers}
    function = make_function(base, list(specs), outcomes, set=set, window=window)
    _check_bounds(function, specs)
    first = function.seed if seed is None else int(seed)
    if replications > 1:
        model = wb.ReplicatorModel(name, function=function)
        model.replications = [{"seed": first + r} for r in range(replications)]
    else:
        model = wb.Model(name, function=function)
        model.constants = [wb.Constant("seed", first)]
    model.uncertainties = [_parameter(wb, p, s) for p, s in uncertainties.items()]
    model.levers = [_parameter(wb, p, s) for p, s in levers.items()]
    model.outcomes = [_outcome(wb, s.label, replications, aggregate) for s in function.summaries]
    model.ecosim_names = dict(function.paths)
    return model
