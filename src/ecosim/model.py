"""RegionModel: a regional labour ecosystem as a Mesa model.

The model builds the region from a validated scenario (:mod:`ecosim.world`) and composes each
month from its phases (:mod:`ecosim.phases`), in this order:

1. labour demand: transition events, targets and requirement profiles, and — with
   ``labour_demand.rule: del_rio_chanona`` — the month's separations and openings, decided
   from the stocks at its start (:mod:`~ecosim.phases.labour_demand`);
2. job seekers meet the vacancies open at the end of last month (:mod:`~ecosim.phases.matching`);
3. separations and layoffs (:mod:`~ecosim.phases.labour_demand`);
4. demography and labour supply: leaving and returning to the labour force, early retirement,
   ageing and retirement (:mod:`~ecosim.phases.demography`);
5. curricula follow demand (:mod:`~ecosim.phases.learning`);
6. graduates enter (:mod:`~ecosim.phases.demography`);
7. learning by doing and skill depreciation (:mod:`~ecosim.phases.learning`);
8. courses and training decisions (:mod:`~ecosim.phases.training`);
9. employers post vacancies for the month's departures and growth, and withdraw stale ones
   (:mod:`~ecosim.phases.vacancies`); occupations' wages move with their tightness
   (:mod:`~ecosim.phases.wages`);
10. bookkeeping: spells, benefits, reservation wages (:mod:`~ecosim.phases.bookkeeping`);
11. the month's indicators are recorded at month end — the vacancy stock as CBS counts it on
    the reference day (:mod:`ecosim.metrics.indicators`).

Per-worker and per-employer numbers are columnar (:mod:`ecosim.state`); every phase is a few
vectorised or numba calls. All randomness flows from the scenario seed through named streams
(:mod:`ecosim.streams`).
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from copy import deepcopy
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd
from pydantic import TypeAdapter, ValidationError

from ecosim import invariants, policies, world
from ecosim.agents import Educator, Employer, Government, Worker, lazy
from ecosim.config import EDUCATION_LEVELS, Scenario, Seed, resolve_scenario
from ecosim.flows import Flows
from ecosim.indicators import INDICATORS, LEARNING_INDICATORS
from ecosim.kernels.training import shortfall_rows
from ecosim.metrics import default_recorders, indicators
from ecosim.phases import (
    bookkeeping,
    demography,
    labour_demand,
    learning,
    matching,
    training,
    vacancies,
    wages,
)
from ecosim.state import Snapshot
from ecosim.streams import Streams
from ecosim.transitions import Transitions

SAMPLE = 100
"""Workers followed by agent reporters when ``agent_sample`` is not given."""
_SAMPLE_KEY = 2**31 + 5
"""Spawn key of the sample's generator: apart from the run's streams, which it never draws."""


class _SampledCollector(mesa.DataCollector):
    """Mesa's collector whose agent reporters read a sample of workers, not every agent.

    Every month's reporters over 30,000 workers (and over employers and the government, which
    have other attributes) would cost more than the simulation; a sample keeps Mesa's agent
    data (``get_agent_vars_dataframe()``, ``batch_run`` rows per agent) affordable.
    """

    def __init__(self, sample: Callable[[], Iterable[mesa.Agent]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._sample = sample

    def _record_agents(self, model: mesa.Model):
        reporters = list(self.agent_reporters.values())
        immutable = (str, int, bool, float, tuple)

        def report(agent: mesa.Agent) -> tuple[Any, ...]:
            values = (r(agent) for r in reporters)
            kept = tuple(v if isinstance(v, immutable) else deepcopy(v) for v in values)
            return (model.time, agent.unique_id, *kept)

        return map(report, self._sample())


class RegionModel(mesa.Model):
    """A regional labour ecosystem: workers, employers, educators and government.

    Args:
        scenario: A validated :class:`~ecosim.config.Scenario`, a path to a scenario YAML file,
            or a mapping of scenario data.
        seed: Overrides the scenario's seed (Mesa's ``rng``); ``None`` keeps the scenario's
            own seed, so a scenario is one reproducible run. Replicates with
            ``mesa.batch_run`` take their seeds from its ``rng`` list,
            ``mesa.batch_run(RegionModel, parameters, rng=[0, 1, 2])``, which it passes here;
            its deprecated ``iterations=N`` passes ``None`` N times, which gives N identical
            runs, so a model that ``batch_run`` builds without a seed warns and says so.
        rng: Alias of ``seed`` for Mesa conventions.
        record: The indicators to compute and collect every month (names from
            :data:`~ecosim.indicators.INDICATORS`; one name may be given as a string, e.g. as a
            fixed ``mesa.batch_run`` parameter). ``None`` (the default) records all of them and
            the breakdown tables (:meth:`tables`); with a selection the tables are not kept and
            indicators nobody asked for are not computed, which is what sweeps use. The
            simulation is the same either way: recorded values are identical bit for bit.
        agent_reporters: Mesa agent reporters (``{"status": "status", "wage": "wage"}`` or
            functions of a worker), collected every month for a sample of ``agent_sample``
            workers: ``model.datacollector.get_agent_vars_dataframe()``. As a fixed
            ``mesa.batch_run`` parameter, wrap the mapping in a list.
        agent_sample: Workers in the sample (default :data:`SAMPLE`), drawn at month 0 from
            the seed by a generator of its own, so following agents changes no result. A
            sampled worker who retires leaves the sample; entrants do not join it.
        **overrides: Dotted-key overrides applied to the scenario before validation, e.g.
            ``RegionModel("s.yaml", **{"behaviour.separation_rate": 0.02})``.

    Attributes:
        config: The validated scenario (``model.scenario`` is Mesa's own scenario object).
        state: Everything the phases work on (:class:`~ecosim.state.RegionState`).
        world: The region's fixed facts (``state.world``).
        workers: Columnar worker state (``state.workers``).
        employers: Columnar employer state (``state.employers``).
        streams: The run's named random streams.
        transitions: The run's resolved transitions (``transitions.drawn``: values drawn).
        flows: This month's flows (:class:`~ecosim.flows.Flows`).
        event_log: One entry per transition event that happened.
        government, educators: The government and educator agents.
        worker_agents: The worker agent of each worker row (``None`` once retired), made on
            first access like every worker agent (:mod:`ecosim.agents.lazy`).
        employer_agents: The employer agent of each employer row.
        indicators: This month's model-level indicators (with ``record``, at least those).
        recorded: The names of the indicators collected every month, in column order.
        sample: The worker agents the agent reporters follow (empty without reporters).
    """

    def __init__(
        self,
        scenario: Scenario | str | Path | dict[str, Any],
        *,
        seed: int | None = None,
        rng: int | None = None,
        record: str | Sequence[str] | None = None,
        agent_reporters: Mapping[str, Any] | None = None,
        agent_sample: int | None = None,
        **overrides: Any,
    ):
        recorded = _recorded(record)
        config = resolve_scenario(scenario, overrides)
        if seed is not None and rng is not None and seed != rng:
            raise ValueError("give either seed or rng, not both")
        seed = seed if seed is not None else rng
        if seed is not None:
            config = config.model_copy(update={"seed": _seed(seed)})
        elif _caller_module() == "mesa.batchrunner":
            warnings.warn(
                f"mesa.batch_run gave no seed, so this run uses the scenario's own seed "
                f"({config.seed}) and replicates (iterations=N) are identical; give the "
                "seeds instead: mesa.batch_run(..., rng=[0, 1, 2])",
                UserWarning,
                stacklevel=2,
            )
        super().__init__(rng=config.seed)
        self.config = config
        self.recorded = recorded
        self.streams = Streams.from_seed(config.seed)
        self.transitions = Transitions(config, self.streams.transitions)
        self.event_log: list[dict[str, Any]] = []
        educators = config.educator_list()
        self.state = world.build(config, self.streams, self.transitions, educators)
        self.employer_agents = [Employer(self, e) for e in range(self.employers.n)]
        self._worker_set = lazy.install(self)
        self._worker_set.admit(np.arange(self.workers.n))
        self.worker_agents = lazy.RowAgents(self._worker_set)
        min_grant = policies.min_grants(
            config.government, self.world.catalogue.cost, config.resolution
        )
        self.government = Government(self, config.government, config.months, min_grant)
        self.educators = [Educator(self, e) for e in educators]
        self.flows = Flows.start(self.state)
        self._burn_in(config.burn_in)
        self.recorders = default_recorders() if record is None else []
        self.sample = self._draw_sample(agent_sample) if agent_reporters else []
        self.datacollector = _SampledCollector(
            self._sampled,
            model_reporters={name: _reporter(name) for name in self.recorded},
            agent_reporters=dict(agent_reporters or {}),
        )
        self._record()

    def _draw_sample(self, size: int | None) -> list[Worker]:
        """``size`` worker agents, in row order, drawn apart from the run's random streams."""
        size = SAMPLE if size is None else size
        if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 1:
            raise ValueError(f"agent_sample must be a whole number of 1 or more (got {size!r})")
        alive = self._worker_set.rows()
        seq = np.random.SeedSequence(self.config.seed, spawn_key=(_SAMPLE_KEY,))
        picks = np.random.default_rng(seq).permutation(alive.size)[: int(size)]
        return [self.worker_agents[r] for r in alive[np.sort(picks)]]

    def _sampled(self) -> list[Worker]:
        """The sampled workers still in the model (retired ones have left it)."""
        return [agent for agent in self.sample if self.worker_agents[agent.row] is agent]

    # ------------------------------------------------------------------ views of the state

    @property
    def world(self):
        """The region's fixed facts (:class:`~ecosim.state.World`)."""
        return self.state.world

    @property
    def workers(self):
        """Columnar worker state (:class:`~ecosim.state.WorkerState`)."""
        return self.state.workers

    @property
    def employers(self):
        """Columnar employer state (:class:`~ecosim.state.EmployerState`)."""
        return self.state.employers

    @property
    def month(self) -> int:
        """Months simulated so far."""
        return self.state.month

    @property
    def requirements(self) -> np.ndarray:
        """(occupations, skills) requirement profiles this month."""
        return self.state.requirements

    def shortfall(self, rows: np.ndarray) -> np.ndarray:
        """Skill shortfall (:mod:`ecosim.skills`) of workers against their occupation's profile."""
        w = self.workers
        return shortfall_rows(
            w.skills, rows, w.occupation[rows], self.requirements, self.world.skill_weights
        )

    # ------------------------------------------------------------------ the month

    def step(self) -> None:
        """Advance the model by one month, phase by phase (see the module docstring)."""
        self._month()
        self._record()

    def _burn_in(self, months: int) -> None:
        """Simulate ``months`` months before month 0, so the run starts from a steady state.

        The synthetic initial state (skills around the profiles, spells and vacancies drawn,
        nobody out of the labour force) is not the model's own steady state; the burn-in lets
        the stocks settle. Its months are numbered ``-months .. -1``: no transition acts (targets
        and profiles stay at month 0's), no instrument is active (they start at month 0 or
        later), nothing is recorded, and the benefits it paid are not booked.
        """
        if months == 0:
            return
        # The built state is the one of month -months - 1: move its dates there.
        s, shift = self.state, months + 1
        s.workers.spell_start[: s.workers.n] -= shift
        s.workers.job_start[: s.workers.n] -= shift
        s.vacancies.opened[: s.vacancies.n] -= shift
        s.month = -shift
        for _ in range(months):
            self._month()
        # The end of burn-in month -1 is the run's month 0, which month 1 follows: every date
        # moves up a month, so that a spell, a tenure or a vacancy's age grows by one from month
        # 0 to month 1 (not by two).
        s.workers.spell_start[: s.workers.n] += 1
        s.workers.job_start[: s.workers.n] += 1
        s.vacancies.opened[: s.vacancies.n] += 1
        self.state.month = 0
        self.government.clear()
        for educator in self.educators:
            educator.graduates = 0
        self.flows = Flows.start(self.state)

    def _month(self) -> None:
        """The phases of one month (see the module docstring)."""
        c, s, st = self.config, self.state, self.streams
        gov, tr = self.government, self.transitions
        s.month += 1
        self.flows = flows = Flows.start(s)
        self.event_log += labour_demand.apply_events(s, c, tr, flows)
        labour_demand.update_targets(s, tr)
        plan = labour_demand.plan_openings_and_separations(s, c.labour_demand, st.step)
        matching.search_and_match(s, c, st.step, st.learning, st.match, flows)
        benefit_months = c.government.unemployment_benefits.duration_months
        labour_demand.separate(s, c.behaviour, benefit_months, st.step, flows, plan)
        self._retire(demography.leave_and_return(s, c.labour_supply, st.supply, flows))
        self._retire(demography.age_and_retire(s, c.behaviour.retirement_age, flows))
        learning.update_curricula(s, c, tr, gov, st.curricula)
        self._admit(demography.enter_graduates(s, c, st.entry, st.curricula, flows))
        learning.learn_on_the_job(s, c.behaviour, c.hiring.hire_and_train)
        training.train(s, c, gov, st.learning, flows)
        openings = None if plan is None else plan.openings
        vacancies.post(s, c.behaviour, c.hiring, st.step, flows, openings)
        wages.update(s, c.wages)
        bookkeeping.close_month(s, c, gov, flows)

    def run(self, months: int | None = None, progress: bool = False) -> pd.DataFrame:
        """Run ``months`` months (default: the scenario's length) and return the time series.

        Raises:
            TypeError: ``months`` is not a whole number.
            ValueError: ``months`` is negative.
        """
        if months is None:
            months = self.config.months
        elif isinstance(months, bool) or not isinstance(months, int | np.integer):
            raise TypeError(f"months must be a whole number, not {months!r}")
        elif months < 0:
            raise ValueError(f"months must be 0 or more (got {months})")
        steps = range(months)
        if progress:
            from tqdm.auto import tqdm

            steps = tqdm(steps, desc=self.config.name, unit="month")
        for _ in steps:
            self.step()
        return self.timeseries()

    def _retire(self, rows: np.ndarray) -> None:
        """Remove the agents of retired workers from the model (their rows stay as history)."""
        self._worker_set.retire(rows)

    def _admit(self, rows: np.ndarray) -> None:
        """Agents for the workers who entered; count graduates per educator level."""
        self._worker_set.admit(rows)
        education = self.workers.education[rows]
        for educator in self.educators:
            level = EDUCATION_LEVELS.index(educator.level)
            educator.graduates += int(np.count_nonzero(education == level))

    # ------------------------------------------------------------------ indicators

    def _record(self) -> None:
        self.indicators = indicators.compute(
            self.state,
            self.flows,
            self.government,
            self.config.resolution,
            incumbents="mean_skill_shortfall_of_incumbents" in self.recorded,
            learning=not LEARNING_INDICATORS.isdisjoint(self.recorded),
        )
        self.datacollector.collect(self)
        if self.recorders:
            snapshot = self.snapshot()
            for recorder in self.recorders:
                recorder.record(snapshot)

    def snapshot(self) -> Snapshot:
        """Read-only views of the current state for indicator recorders (no copies)."""
        w, emp, wd = self.workers, self.employers, self.world
        return Snapshot(
            month=self.month,
            scale=self.config.resolution,
            status=w.view("status"),
            age=w.view("age"),
            education=w.view("education"),
            region=w.view("region"),
            municipality=w.view("municipality"),
            occupation=w.view("occupation"),
            employer=w.view("employer"),
            last_employer=w.view("last_employer"),
            unemployment_months=w.view("unemployment_months"),
            skills=w.view("skills"),
            employer_sector=emp.sector,
            employer_region=emp.region,
            employer_municipality=emp.municipality,
            headcount=emp.headcount,
            openings=emp.openings,
            target=emp.target,
            requirements=self.requirements,
            skill_weights=wd.skill_weights,
            skill_names=wd.skill_names,
            occupation_names=wd.occupation_names,
            sector_names=wd.sector_names,
            region_names=wd.region_names,
            education_names=EDUCATION_LEVELS,
            hires_by_cell=self.flows.hires_by_cell,
            shortfall_of_hires=self.flows.shortfall_of_hires,
            wage_index=self.state.wage_index,
            occupation_flows=self.flows.by_occupation,
            closure=w.view("closure"),
        )

    def tables(self) -> dict[str, pd.DataFrame]:
        """Monthly breakdown tables (``by_sector``, ``by_occupation``, ``by_region``, ...)."""
        out: dict[str, pd.DataFrame] = {}
        for recorder in self.recorders:
            out.update(recorder.tables())
        return out

    def timeseries(self) -> pd.DataFrame:
        """Recorded indicators, one row per month (month 0 is the initial state)."""
        if not self.recorded:  # Mesa's collector refuses to build a frame without reporters
            return pd.DataFrame(index=pd.RangeIndex(self.month + 1, name="month"))
        df = self.datacollector.get_model_vars_dataframe()
        df.index = pd.RangeIndex(len(df), name="month")
        return df

    def check_invariants(self) -> list[str]:
        """Consistency of the state (:mod:`ecosim.invariants`); the violations found."""
        n_agents = len(self.agents_by_type.get(Worker, ()))
        return invariants.violations(self.state, self.flows, self.government, n_agents)


_SEED = TypeAdapter(Seed)


def _seed(seed: Any) -> int:
    """A seed given to the model, checked as the scenario's ``seed`` is (``model_copy`` does not).

    Raises:
        TypeError: ``seed`` is not an integer (``True`` and ``1.5`` are not).
        ValueError: ``seed`` is outside NumPy's int64 range of seeds (0 to 2**63 - 1).
    """
    if isinstance(seed, np.integer):
        seed = int(seed)
    try:
        return _SEED.validate_python(seed)
    except ValidationError as exc:
        (error,) = exc.errors(include_url=False)
        problem = TypeError if error["type"] == "int_type" else ValueError
        raise problem(f"seed: {error['msg']} (got {seed!r})") from None


def _caller_module() -> str:
    """The module that called ``RegionModel(...)`` (two frames up from here).

    Only ``mesa.batch_run``'s missing seed deserves a warning; a caller passing an optional
    seed through (``RegionModel(s, seed=maybe)``) means the scenario's seed.
    """
    return str(sys._getframe(2).f_globals.get("__name__", ""))


def _recorded(record: str | Sequence[str] | None) -> tuple[str, ...]:
    """The indicator names to record, in order, without repeats; unknown names are an error."""
    if record is None:
        return INDICATORS
    names = tuple(dict.fromkeys([record] if isinstance(record, str) else record))
    unknown = [n for n in names if n not in INDICATORS]
    if unknown:
        raise ValueError(
            f"record: unknown indicator(s) {', '.join(map(repr, unknown))}; "
            f"allowed: {', '.join(INDICATORS)}"
        )
    return names


def _reporter(name: str):
    def report(model: RegionModel) -> float:
        return model.indicators[name]

    report.__name__ = name
    return report
