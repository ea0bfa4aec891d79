"""RegionModel: a regional labour ecosystem as a Mesa model.

The model builds a synthetic population from a validated scenario and owns the monthly step
order (DESIGN.md section 3):

1. demand targets per employer and occupation;
2. employers separate workers (exogenous separations, layoffs toward target) and open vacancies;
3. workers age and retire, graduates enter, skills are learnt at work and depreciate;
4. job seekers (the unemployed and a share of the employed) meet vacancies in the numba
   matching kernel (``ecosim.kernels.matching``);
5. bookkeeping: spells, wages, reservation wages, benefits; indicators are collected.

All per-worker and per-employer numbers are columnar (``ecosim.state``); every step is a few
vectorised or numba calls. All randomness flows from the scenario seed through independent
``numpy.random.Generator`` streams (``SeedSequence.spawn``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from ecosim import learning, policies
from ecosim.agents import Educator, Employer, Government, Worker
from ecosim.agents.government import BUDGETED
from ecosim.config import EDUCATION_LEVELS, Scenario, load_scenario, scenario_from_dict
from ecosim.config import Educator as EducatorConfig
from ecosim.indicators import INDICATORS, LEARNING_INDICATORS
from ecosim.kernels.learning import learn_and_forget
from ecosim.kernels.matching import MatchParams, Seekers, Vacancies, match
from ecosim.kernels.training import best_courses, shortfall_rows
from ecosim.metrics import default_recorders
from ecosim.state import NO_EMPLOYER, EmployerState, Snapshot, Status, WorkerState
from ecosim.transitions import Transitions

LONG_TERM_MONTHS = 12


def _stochastic_round(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Round non-negative reals to integers, up with probability equal to the fraction."""
    base = np.floor(x)
    return (base + (rng.random(x.shape) < (x - base))).astype(np.int64)


class RegionModel(mesa.Model):
    """A regional labour ecosystem: workers, employers, educators and government.

    Args:
        scenario: A validated :class:`~ecosim.config.Scenario`, a path to a scenario YAML file,
            or a mapping of scenario data.
        seed: Overrides the scenario's seed (Mesa's ``rng``); ``None`` keeps the scenario's.
        rng: Alias of ``seed`` for Mesa conventions (``mesa.batch_run`` passes ``rng``).
        record: The indicators to compute and collect every month (names from
            :data:`~ecosim.indicators.INDICATORS`; one name may be given as a string, e.g. as a
            fixed ``mesa.batch_run`` parameter). ``None`` (the default) records all of them and
            the breakdown tables (:meth:`tables`); with a selection the tables are not kept and
            indicators nobody asked for are not computed, which is what sweeps use. The
            simulation is the same either way: recorded values are identical bit for bit.
        **overrides: Dotted-key overrides applied to the scenario before validation, e.g.
            ``RegionModel("s.yaml", **{"behaviour.separation_rate": 0.02})``.

    Attributes:
        config: The validated scenario (``model.scenario`` is Mesa's own scenario object).
        workers: Columnar worker state (:class:`~ecosim.state.WorkerState`).
        employers: Columnar employer state (:class:`~ecosim.state.EmployerState`).
        month: Months simulated so far.
        indicators: This month's model-level indicators (see :data:`INDICATORS`; with
            ``record``, at least the recorded ones).
        recorded: The names of the indicators collected every month, in column order.
    """

    def __init__(
        self,
        scenario: Scenario | str | Path | dict[str, Any],
        *,
        seed: int | None = None,
        rng: int | None = None,
        record: str | Sequence[str] | None = None,
        **overrides: Any,
    ):
        recorded = _recorded(record)
        config = _resolve_scenario(scenario, overrides)
        if seed is not None and rng is not None and seed != rng:
            raise ValueError("give either seed or rng, not both")
        seed = seed if seed is not None else rng
        if seed is not None:
            config = config.model_copy(update={"seed": int(seed)})
        super().__init__(rng=config.seed)
        self.config = config
        self.recorded = recorded
        # Children 0-4 are the core streams; 5-6 (learning, curricula) were added later and
        # leave the first five unchanged.
        streams = np.random.SeedSequence(config.seed).spawn(7)
        self._rng_init, self._rng_step, self._rng_match, self._rng_entry, rng_transitions = (
            np.random.default_rng(s) for s in streams[:5]
        )
        self._rng_learn, self._rng_curricula = (np.random.default_rng(s) for s in streams[5:])
        self.month = 0
        self.transitions = Transitions(config, rng_transitions)
        self.event_log: list[dict[str, Any]] = []
        self._setup_constants()
        self._build_employers()
        self._build_workers()
        self.government = Government(self, config.government)
        self.educators = [Educator(self, e) for e in _educators(config)]
        self._setup_learning()
        self._reset_flows()
        self.recorders = default_recorders() if record is None else []
        self._wants_incumbents = "mean_skill_shortfall_of_incumbents" in self.recorded
        self._wants_learning = not LEARNING_INDICATORS.isdisjoint(self.recorded)
        self.datacollector = mesa.DataCollector(
            model_reporters={name: _reporter(name) for name in self.recorded}
        )
        self._record()

    # ------------------------------------------------------------------ construction

    def _setup_constants(self) -> None:
        c = self.config
        self.skill_names = list(c.skills)
        self.occupation_names = [o.name for o in c.occupations]
        self.sector_names = [s.name for s in c.sectors]
        self.municipality_names = c.municipality_names
        self.region_names = [r.name for r in c.regions]
        self.requirements = c.requirement_matrix()
        self.base_wage = np.array([o.base_wage for o in c.occupations])
        self.occupation_education = np.array(
            [EDUCATION_LEVELS.index(o.education) for o in c.occupations]
        )
        self.skill_weights = c.skill_weight_vector()
        self.municipality_region = np.array(
            [ri for ri, r in enumerate(c.regions) for _ in r.municipalities]
        )
        # Commuting across regions costs extra: effective distance = road km + a surcharge.
        cross = self.municipality_region[:, None] != self.municipality_region[None, :]
        self.distance = c.distance_matrix() + c.cross_region_extra_km * cross
        self.resident_share = np.array(
            [r.share * m.residents for r in c.regions for m in r.municipalities]
        )
        self.job_share = np.array([r.share * m.jobs for r in c.regions for m in r.municipalities])
        self.match_params = MatchParams(
            skill_weights=self.skill_weights,
            distance=self.distance,
            commute_cost=c.matching.commute_cost_per_km,
            wage_weight=c.matching.wage_weight,
            fit_weight=c.matching.fit_weight,
            acceptance_threshold=c.matching.acceptance_threshold,
            sample_size=c.matching.sample_size,
            applications=c.matching.applications,
            rounds=c.matching.rounds,
            own_occupation_share=c.matching.own_occupation_share,
            local_share=c.matching.local_share,
        )

    def _build_employers(self) -> None:
        """Employers per sector and region, sized by the sector's size distribution.

        A sector's employer count is split over regions in proportion to its jobs there; each
        employer is placed in a municipality of its region by the municipalities' job shares.
        Employers that open during a run (transition events) exist from the start, dormant.
        """
        c, rng = self.config, self._rng_init
        n_occ, n_sec = len(c.occupations), len(c.sectors)
        occ_index = {name: i for i, name in enumerate(self.occupation_names)}
        mixes = np.zeros((n_sec, n_occ))
        for si, sector in enumerate(c.sectors):
            for name, share in sector.occupations.items():
                mixes[si, occ_index[name]] = share
        mixes /= mixes.sum(axis=1, keepdims=True)
        jobs = np.zeros((len(c.regions), n_sec))
        for ri, region in enumerate(c.regions):
            u0 = _region_value(region.initial_unemployment, c.workforce.initial_unemployment)
            shares = np.array(
                [
                    region.sector_shares.get(x.name, 0.0) if region.sector_shares else x.share
                    for x in c.sectors
                ]
            )
            jobs[ri] = c.workforce.size * region.share * (1.0 - u0) * _norm(shares)
        blocks = []  # (sector, region, count)
        for si, sector in enumerate(c.sectors):
            counts = _allocate(sector.employers.count, jobs[:, si])
            blocks += [(si, ri, k) for ri, k in enumerate(counts) if k > 0]
        openings = [e for e in self.transitions.events if e.kind == "opening"]
        n_emp = sum(k for _, _, k in blocks) + len(openings)
        emp = EmployerState(n_emp, n_occ)
        start = 0
        for si, ri, k in blocks:
            rows = slice(start, start + k)
            sector = c.sectors[si]
            if sector.employers.distribution == "lognormal":
                size = rng.lognormal(0.0, sector.employers.sigma, k)
            else:
                size = np.ones(k)
            emp.sector[rows] = si
            emp.region[rows] = ri
            emp.municipality[rows] = self._place(ri, k, rng)
            emp.base_target[rows] = (jobs[ri, si] * _norm(size))[:, None] * mixes[si][None, :]
            emp.wage_premium[rows] = rng.lognormal(0.0, sector.wage_premium_sigma, k)
            start += k
        self._opening_employer: dict[int, int] = {}
        for event in openings:
            ri = event.region if event.region >= 0 else 0
            if event.municipality >= 0:
                ri = int(self.municipality_region[event.municipality])
                emp.municipality[start] = event.municipality
            else:
                emp.municipality[start] = self._place(ri, 1, rng)[0]
            emp.sector[start], emp.region[start] = event.sector, ri
            self._opening_employer[id(event)] = start
            start += 1
        emp.headcount[:] = _stochastic_round(emp.base_target, rng)
        vr = c.workforce.initial_vacancy_rate
        emp.openings[:] = rng.poisson(emp.headcount * vr / max(1.0 - vr, 1e-9))
        emp.base_target[:] = emp.headcount + emp.openings
        emp.target[:] = emp.base_target
        self.employers = emp
        self.employer_agents = [Employer(self, e) for e in range(n_emp)]

    def _place(self, region: int, k: int, rng: np.random.Generator) -> np.ndarray:
        """Municipalities for ``k`` employers in a region, by the municipalities' job shares."""
        munis = np.flatnonzero(self.municipality_region == region)
        return munis[rng.choice(munis.size, size=k, p=_norm(self.job_share[munis]))]

    def _build_workers(self) -> None:
        """A synthetic workforce per region filling its jobs, plus the initially unemployed."""
        c, rng, emp = self.config, self._rng_init, self.employers
        jobs_by_region = np.bincount(
            emp.region, weights=emp.headcount.sum(axis=1), minlength=len(c.regions)
        ).astype(np.int64)
        unemp_by_region = []
        for ri, region in enumerate(c.regions):
            u0 = _region_value(region.initial_unemployment, c.workforce.initial_unemployment)
            unemp_by_region.append(round(jobs_by_region[ri] * u0 / (1.0 - u0)))
        n = int(jobs_by_region.sum() + sum(unemp_by_region))
        w = WorkerState(len(c.skills), capacity=int(n * 1.3) + 16)
        self.workers = w
        for ri in range(len(c.regions)):
            self._populate_region(ri, int(jobs_by_region[ri]), unemp_by_region[ri], rng)
        rows = np.arange(w.n)
        self._update_reservation_wages()
        employed_rows = np.flatnonzero(w.view("status") == Status.EMPLOYED)
        w.reservation_wage[employed_rows] = w.wage[employed_rows]
        self.worker_agents: list[Worker | None] = [Worker(self, r) for r in rows]

    def _populate_region(self, ri: int, n_jobs: int, n_unemp: int, rng) -> None:
        c, emp, w = self.config, self.employers, self.workers
        region = c.regions[ri]
        n = n_jobs + n_unemp
        rows = w.add(n)
        bands = region.age_bands or c.workforce.age_bands
        band = rng.choice(len(bands), size=n, p=_norm([b.share for b in bands]))
        lo = np.array([b.min_age for b in bands], dtype=float)[band]
        hi = np.array([b.max_age for b in bands], dtype=float)[band]
        hi = np.minimum(hi, c.behaviour.retirement_age)
        w.age[rows] = lo + rng.random(n) * (hi - lo)
        mix = region.education or c.workforce.education
        ed_share = np.array([mix.get(e, 0.0) for e in EDUCATION_LEVELS])
        education = rng.choice(len(EDUCATION_LEVELS), size=n, p=_norm(ed_share))
        # Jobs go to workers sorted by education, so job levels and worker levels line up as
        # far as the two mixes allow (the rest is over- or under-education at the margins).
        in_region = (emp.region == ri)[:, None]
        counts = np.where(in_region, emp.headcount, 0).ravel()
        cells = np.repeat(np.arange(counts.size), counts)
        cell_occ = cells % emp.n_occupations
        job_order = np.lexsort((rng.random(n_jobs), self.occupation_education[cell_occ]))
        worker_order = np.lexsort((rng.random(n), education))
        holders = np.sort(rng.choice(n, size=n_jobs, replace=False))
        employed_rows = rows[worker_order[holders]]
        cells = cells[job_order]
        w.education[rows] = education
        w.status[rows] = Status.UNEMPLOYED
        w.status[employed_rows] = Status.EMPLOYED
        w.employer[employed_rows] = cells // emp.n_occupations
        w.occupation[employed_rows] = cells % emp.n_occupations
        unemployed_rows = rows[w.status[rows] == Status.UNEMPLOYED]
        w.occupation[unemployed_rows] = self._aimed_occupation(w.education[unemployed_rows], rng)
        w.last_employer[unemployed_rows] = self._employer_for(w.occupation[unemployed_rows], rng)
        munis = np.flatnonzero(self.municipality_region == ri)
        w.municipality[rows] = munis[
            rng.choice(munis.size, size=n, p=_norm(self.resident_share[munis]))
        ]
        w.region[rows] = ri
        occ = w.occupation[rows]
        noise = rng.normal(0.0, c.workforce.skill_noise, (n, len(c.skills)))
        w.skills[rows] = np.clip(self.requirements[occ] + noise, 0.0, 1.0)
        e = w.employer[employed_rows]
        o = w.occupation[employed_rows]
        w.wage[employed_rows] = self.base_wage[o] * emp.wage_premium[e]
        w.last_wage[rows] = self.base_wage[occ]
        w.last_wage[employed_rows] = w.wage[employed_rows]
        w.job_start[employed_rows] = -rng.integers(0, 120, size=employed_rows.size)
        # The initially unemployed have spells of varied length (geometric, mean 6 months).
        spells = rng.geometric(1 / 6, size=unemployed_rows.size)
        w.unemployment_months[unemployed_rows] = spells
        duration = c.government.unemployment_benefits.duration_months
        w.benefit_months_left[unemployed_rows] = np.maximum(duration - spells, 0)

    def _aimed_occupation(self, education: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """An occupation for job seekers without a job history: one of their level's, by demand."""
        demand = self.employers.target.sum(axis=0)
        out = np.empty(education.size, dtype=np.int64)
        for level in range(len(EDUCATION_LEVELS)):
            idx = np.flatnonzero(education == level)
            weights = np.where(self.occupation_education == level, demand, 0.0)
            if weights.sum() <= 0:
                weights = demand
            out[idx] = rng.choice(len(weights), size=idx.size, p=_norm(weights))
        return out

    def _employer_for(self, occupation: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A random employer for each occupation, weighted by its headcount in it."""
        out = np.full(occupation.size, NO_EMPLOYER, dtype=np.int64)
        for o in np.unique(occupation):
            idx = np.flatnonzero(occupation == o)
            weights = self.employers.headcount[:, o].astype(np.float64)
            if weights.sum() > 0:
                out[idx] = rng.choice(weights.size, size=idx.size, p=_norm(weights))
        return out

    # ------------------------------------------------------------------ the monthly step

    def step(self) -> None:
        """Advance the model by one month."""
        self.month += 1
        self._reset_flows()
        self._apply_events()
        self._update_targets()
        self._separate()
        self._open_vacancies()
        self._age_and_retire()
        self._update_curricula()
        self._enter_graduates()
        self._learn()
        self._train()
        self._search_and_match()
        self._bookkeeping()
        self._record()

    def run(self, months: int | None = None, progress: bool = False) -> pd.DataFrame:
        """Run ``months`` months (default: the scenario's length) and return the time series."""
        months = self.config.months if months is None else int(months)
        steps = range(months)
        if progress:
            from tqdm.auto import tqdm

            steps = tqdm(steps, desc=self.config.name, unit="month")
        for _ in steps:
            self.step()
        return self.timeseries()

    def _reset_flows(self) -> None:
        self.flows = dict.fromkeys(
            (
                "hires",
                "hires_from_unemployment",
                "hires_from_unemployment_stock",
                "separations",
                "layoffs",
                "job_to_job",
                "retirements",
                "entrants",
                "fills_beyond_openings",
                "training_starts",
                "employer_training_starts",
                "training_completions",
                "training_dropouts",
                "training_refused_capacity",
                "training_refused_budget",
                "entrants_shortfall_n",
            ),
            0,
        )
        for name in (
            "entrants_shortfall_sum",
            "employer_training_spending",
            "private_training_spending",
            "learning_community_cost",
        ):
            self.flows[name] = 0.0
        self.flows["shortfall_of_hires_sum"] = 0.0
        self._hires_by_cell = np.zeros_like(self.employers.headcount)
        self._shortfall_of_hires = np.zeros(0)
        self.flows["benefit_spending"] = 0.0
        self.flows["social_assistance_spending"] = 0.0
        status = self.workers.view("status")
        self._prev_employed = int(np.count_nonzero(status == Status.EMPLOYED))
        self._prev_unemployed = int(np.count_nonzero(status == Status.UNEMPLOYED))

    def _apply_events(self) -> None:
        """Closures lay off all of an employer's workers; openings give a dormant one a target."""
        for event in self.transitions.events_at(self.month):
            if event.kind == "closure":
                self._close(event)
            else:
                e = self._opening_employer[id(event)]
                self.employers.base_target[e] = event.jobs / self.config.scale * event.mix
                self._log_event(event, e, event.jobs)

    def _close(self, event) -> None:
        emp, w = self.employers, self.workers
        alive = (emp.sector == event.sector) & (emp.base_target.sum(axis=1) > 0)
        if event.region >= 0:
            alive &= emp.region == event.region
        if event.municipality >= 0:
            alive &= emp.municipality == event.municipality
        candidates = np.flatnonzero(alive)
        if candidates.size < event.rank:
            self._log_event(event, -1, 0.0)
            return
        sizes = emp.headcount[candidates].sum(axis=1)
        e = int(candidates[np.argsort(-sizes, kind="stable")[event.rank - 1]])
        staff = np.flatnonzero((w.view("employer") == e) & (w.view("status") == Status.EMPLOYED))
        self._to_unemployment(staff, displaced=True)
        self.flows["separations"] += staff.size
        self.flows["layoffs"] += staff.size
        emp.base_target[e] = 0.0
        emp.openings[e] = 0
        self._log_event(event, e, staff.size * self.config.scale)

    def _log_event(self, event, employer: int, persons: float) -> None:
        self.event_log.append(
            {
                "month": self.month,
                "transition": event.transition,
                "event": event.name,
                "kind": event.kind,
                "sector": self.sector_names[event.sector],
                "employer": employer,
                "persons": float(persons),
            }
        )

    def _update_targets(self) -> None:
        """Target employment per employer and occupation, and the occupations' requirements.

        ``target = base_target x demand multiplier(sector, region, occupation, month)``; the
        requirement profiles follow the transitions' content drift.
        """
        emp = self.employers
        factor = self.transitions.demand_factor(self.month)
        emp.target[:] = emp.base_target * factor[emp.sector, emp.region, :]
        if self.transitions.has_drift:
            self.requirements = self.transitions.requirements(self.month)

    def _separate(self) -> None:
        """Exogenous separations, then layoffs of part of any excess over target."""
        w, emp, rng = self.workers, self.employers, self._rng_step
        employed = np.flatnonzero(w.view("status") == Status.EMPLOYED)
        quit_mask = rng.random(employed.size) < self.config.behaviour.separation_rate
        self._to_unemployment(employed[quit_mask])
        self.flows["separations"] += int(quit_mask.sum())
        excess = emp.headcount - emp.target
        if not np.any(excess > 0):
            return
        n_lay = _stochastic_round(np.maximum(excess, 0.0) * self.config.behaviour.layoff_rate, rng)
        if not n_lay.any():
            return
        employed = np.flatnonzero(w.view("status") == Status.EMPLOYED)
        cells = emp.cell(w.employer[employed], w.occupation[employed])
        order = np.lexsort((rng.random(employed.size), cells))
        sorted_cells = cells[order]
        first = np.searchsorted(sorted_cells, sorted_cells, side="left")
        rank = np.arange(sorted_cells.size) - first
        laid_off = employed[order[rank < n_lay.ravel()[sorted_cells]]]
        self._to_unemployment(laid_off, displaced=True)
        self.flows["separations"] += laid_off.size
        self.flows["layoffs"] += laid_off.size

    def _to_unemployment(self, rows: np.ndarray, displaced: bool = False) -> None:
        """Move employed workers into unemployment, updating headcounts and entitlements.

        ``displaced`` marks layoffs and closures (eligible for targeted retraining).
        """
        if rows.size == 0:
            return
        w, emp = self.workers, self.employers
        cells = emp.cell(w.employer[rows], w.occupation[rows])
        emp.headcount -= emp.cell_counts(cells)
        w.status[rows] = Status.UNEMPLOYED
        w.last_employer[rows] = w.employer[rows]
        w.employer[rows] = NO_EMPLOYER
        w.last_wage[rows] = w.wage[rows]
        w.wage[rows] = 0.0
        w.unemployment_months[rows] = 0
        w.benefit_months_left[rows] = self.config.government.unemployment_benefits.duration_months
        w.displaced[rows] = displaced

    def _open_vacancies(self) -> None:
        """Open a share of the gap between target and filled-plus-open jobs; cancel surplus."""
        emp = self.employers
        gap = emp.target - emp.headcount - emp.openings
        new = _stochastic_round(
            np.maximum(gap, 0.0) * self.config.behaviour.vacancy_opening_rate, self._rng_step
        )
        cap = np.maximum(np.floor(emp.target - emp.headcount + 0.5), 0).astype(np.int64)
        emp.openings[:] = np.minimum(emp.openings + new, cap)

    def _age_and_retire(self) -> None:
        """Everyone ages a month; those reaching the retirement age leave the labour force."""
        w = self.workers
        active = np.flatnonzero(w.active())
        w.age[active] += 1.0 / 12.0
        retiring = active[w.age[active] >= self.config.behaviour.retirement_age]
        if retiring.size == 0:
            return
        employed = retiring[w.status[retiring] == Status.EMPLOYED]
        if employed.size:
            emp = self.employers
            emp.headcount -= emp.cell_counts(emp.cell(w.employer[employed], w.occupation[employed]))
        w.status[retiring] = Status.RETIRED
        w.employer[retiring] = NO_EMPLOYER
        w.wage[retiring] = 0.0
        w.benefit_months_left[retiring] = 0
        w.course[retiring] = -1
        w.course_months_left[retiring] = 0
        for r in retiring:
            self.worker_agents[r].remove()
            self.worker_agents[r] = None
        self.flows["retirements"] += retiring.size

    def _enter_graduates(self) -> None:
        """Graduates enter the labour force as job seekers, spread evenly over the months."""
        c, rng, w = self.config, self._rng_entry, self.workers
        expected = c.behaviour.graduate_inflow / 12.0 * np.count_nonzero(w.active())
        k = int(_stochastic_round(np.array([expected]), rng)[0])
        if k == 0:
            return
        rows = w.add(k)
        ed_share = np.array([c.workforce.education.get(e, 0.0) for e in EDUCATION_LEVELS])
        education = rng.choice(len(EDUCATION_LEVELS), size=k, p=_norm(ed_share))
        entry_age = np.array([c.behaviour.entry_age[e] for e in EDUCATION_LEVELS])
        occ = self._chosen_programme(education, rng)
        w.education[rows] = education
        w.age[rows] = entry_age[education] + rng.random(k)
        w.municipality[rows] = rng.choice(
            len(self.resident_share), size=k, p=_norm(self.resident_share)
        )
        w.region[rows] = self.municipality_region[w.municipality[rows]]
        w.status[rows] = Status.UNEMPLOYED
        w.employer[rows] = NO_EMPLOYER
        w.occupation[rows] = occ
        noise = rng.normal(0.0, c.workforce.skill_noise, (k, len(c.skills)))
        w.skills[rows] = np.clip(self.curricula[occ] + noise, 0.0, 1.0)
        self.flows["entrants_shortfall_sum"] += float(self.shortfall(rows).sum())
        self.flows["entrants_shortfall_n"] += k
        w.last_wage[rows] = 0.85 * self.base_wage[occ]
        w.reservation_wage[rows] = 0.85 * self.base_wage[occ]
        w.entry_month[rows] = self.month
        self.worker_agents.extend(Worker(self, r) for r in rows)
        for educator in self.educators:
            educator.graduates += int(
                np.count_nonzero(education == EDUCATION_LEVELS.index(educator.level))
            )
        self.flows["entrants"] += k

    def _learn(self) -> None:
        """Learning by doing for the employed; skill depreciation for everyone active."""
        w, b = self.workers, self.config.behaviour
        rows = np.flatnonzero(w.active())
        occ = np.where(w.status[rows] == Status.EMPLOYED, w.occupation[rows], -1)
        learn_and_forget(
            w.skills,
            rows,
            occ,
            self.requirements,
            b.learning_by_doing_rate,
            b.skill_depreciation_rate,
        )

    # ------------------------------------------------------------------ the learning ecosystem

    def _setup_learning(self) -> None:
        """Course catalogue, capacities, curricula and learning-community membership."""
        c, rng = self.config, self._rng_learn
        self.catalogue = learning.Catalogue.from_courses(
            c.learning.catalogue(c.skills), self.skill_names
        )
        providers = np.bincount(
            [EDUCATION_LEVELS.index(e.level) for e in self.educators],
            minlength=len(EDUCATION_LEVELS),
        )
        # Concurrent places in agents: places per provider x providers of the level / scale.
        self.course_capacity = np.floor(
            self.catalogue.places_per_provider * providers[self.catalogue.provider_level] / c.scale
        )
        self.curricula = self.requirements.copy()
        emp = self.employers
        n_lc = len(c.learning_communities)
        self.community_member = np.zeros((n_lc, emp.n), dtype=bool)
        self.community_programme = np.zeros((n_lc, len(c.occupations)), dtype=bool)
        sector_index = {name: i for i, name in enumerate(self.sector_names)}
        occ_index = {name: i for i, name in enumerate(self.occupation_names)}
        for k, lc in enumerate(c.learning_communities):
            si = sector_index[lc.sector]
            pool = emp.sector == si
            if lc.region is not None:
                pool &= emp.region == self.region_names.index(lc.region)
            self.community_member[k] = pool & (rng.random(emp.n) < lc.member_share)
            for name in c.sectors[si].occupations:
                self.community_programme[k, occ_index[name]] = True
        self._agenda_funded = False

    def _active_communities(self) -> np.ndarray:
        c = self.config
        return np.array(
            [
                lc.start <= self.month and (lc.end is None or self.month < lc.end)
                for lc in c.learning_communities
            ],
            dtype=bool,
        )

    def _noise_factor(self) -> float:
        return policies.agenda_noise_factor(self.config.government, self.month, self._agenda_funded)

    def _update_curricula(self) -> None:
        """Programmes' curricula move toward noisy demand signals with a lag.

        Signal: the programme occupation's requirements (``lead`` months ahead for programmes of
        an active learning community) plus noise ``N(0, signal_noise * f)``, with ``f`` the
        human-capital agenda's noise factor; curricula follow by exponential smoothing
        (:func:`ecosim.learning.update_curricula`). The agenda's running cost is booked here.
        """
        c, gov = self.config, self.government
        agenda = c.government.hc_agenda
        self._agenda_funded = False
        if agenda.active(self.month):
            self._agenda_funded = bool(
                gov.request("hc_agenda", self.month, np.array([agenda.monthly_cost]))[0]
            )
        cur = c.learning.curricula
        target = self.requirements.copy()
        rate = np.full(len(self.occupation_names), learning.monthly_rate(cur.responsiveness))
        active = self._active_communities()
        for k in np.flatnonzero(active):
            lc = c.learning_communities[k]
            progs = self.community_programme[k]
            rate[progs] = np.minimum(
                learning.monthly_rate(cur.responsiveness) * (1.0 + lc.responsiveness_boost), 1.0
            )
            if lc.lead_months and self.transitions.has_drift:
                ahead = self.transitions.requirements(self.month + lc.lead_months)
                target[progs] = ahead[progs]
        sd = cur.signal_noise * self._noise_factor()
        signal = target + self._rng_curricula.normal(0.0, sd, target.shape)
        self.curricula = learning.update_curricula(self.curricula, signal, rate)

    def _chosen_programme(self, education: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Students' programmes: their level's occupations by enrolment and perceived prospects.

        Weights ``(1 - pi) * base share + pi * perceived share``, with the base share the
        occupations' initial target employment, the perceived share the current target plus
        openings times log-normal noise (reduced by the human-capital agenda), ``pi`` the
        prospect weight.
        """
        cur = self.config.learning.curricula
        base = self.employers.base_target.sum(axis=0)
        now = self.employers.target.sum(axis=0) + self.employers.openings.sum(axis=0)
        sd = cur.prospect_noise * self._noise_factor()
        perceived = now * np.exp(self._rng_curricula.normal(0.0, sd, now.size))
        out = np.empty(education.size, dtype=np.int64)
        for level in range(len(EDUCATION_LEVELS)):  # over levels, not workers
            idx = np.flatnonzero(education == level)
            own = self.occupation_education == level
            if not own.any():
                own = np.ones_like(own)
            b = np.where(own, base, 0.0)
            p = np.where(own, perceived, 0.0)
            weights = (1.0 - cur.prospect_weight) * _norm(b) + cur.prospect_weight * _norm(p)
            out[idx] = rng.choice(weights.size, size=idx.size, p=_norm(weights))
        return out

    def _train(self) -> None:
        """Reactive learning: courses progress; employers and workers start new ones.

        Order: ongoing courses advance (dropouts, completions raise the taught skills); voucher
        years reset in January; employers train drifted incumbents; workers decide; learning
        communities' costs are booked.
        """
        self._progress_courses()
        if (self.month - 1) % 12 == 0:
            self.workers.voucher_used[: self.workers.n] = 0.0
        if self.config.learning.enabled:
            self._employer_training()
            self._worker_training()
        self._community_costs()

    def _progress_courses(self) -> None:
        """Courses started in earlier months advance a month; dropouts gain nothing."""
        w, cat = self.workers, self.catalogue
        rows = np.flatnonzero(w.view("course") >= 0)
        if rows.size == 0:
            return
        course = w.course[rows]
        w.course_months_left[rows] -= 1
        drop = self._rng_learn.random(rows.size) < cat.dropout_hazard[course]
        done = (w.course_months_left[rows] <= 0) & ~drop
        fin = rows[done]
        w.skills[fin] = learning.complete(
            w.skills[fin], cat.gains[w.course[fin]], w.course_effect[fin]
        )
        ended = rows[done | drop]
        w.course[ended] = -1
        w.course_months_left[ended] = 0
        w.course_sponsor[ended] = 0
        w.course_effect[ended] = 1.0
        self.flows["training_completions"] += fin.size
        self.flows["training_dropouts"] += int(np.count_nonzero(drop))

    def _free_places(self) -> np.ndarray:
        taken = np.bincount(
            self.workers.course[self.workers.course >= 0], minlength=self.course_capacity.size
        )
        return np.maximum(self.course_capacity - taken, 0.0)

    def _available(self, lead: np.ndarray) -> np.ndarray:
        """(N, C) courses available to workers with the given lead (months earlier)."""
        return self.catalogue.available_from[None, :] <= self.month + lead[:, None]

    def _member_effects(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Gain multiplier and lead months for workers, from their employer's communities."""
        effect = np.ones(rows.size)
        lead = np.zeros(rows.size, dtype=np.int64)
        employer = self.workers.employer[rows]
        has = employer >= 0
        for k in np.flatnonzero(self._active_communities()):
            lc = self.config.learning_communities[k]
            member = np.zeros(rows.size, dtype=bool)
            member[has] = self.community_member[k, employer[has]]
            effect[member] = np.maximum(effect[member], 1.0 + lc.training_effectiveness)
            lead[member] = np.maximum(lead[member], lc.lead_months)
        return effect, lead

    def _start_courses(
        self, rows: np.ndarray, course: np.ndarray, sponsor: int | np.ndarray, effect: np.ndarray
    ) -> None:
        w = self.workers
        w.course[rows] = course
        w.course_months_left[rows] = self.catalogue.months[course]
        w.course_sponsor[rows] = sponsor
        w.course_effect[rows] = effect
        self.flows["training_starts"] += rows.size

    def _employer_training(self) -> None:
        """Employers train incumbents whose shortfall exceeds the threshold.

        For a considered incumbent the best available course ``c`` (largest value ``v``) is
        bought when ``v * wage * payoff_months > net cost`` and ``net cost < hiring_cost_months
        * wage`` (cheaper than replacing the worker); ``net cost = cost * (1 - subsidy share)``
        while the subsidy is active. Capacity first, then the subsidy budget, in random order.
        """
        c, w, cat, rng = self.config, self.workers, self.catalogue, self._rng_learn
        et, gov, scale = c.learning.employer_training, self.government, c.scale
        if not et.enabled:
            return
        status, course = w.view("status"), w.view("course")
        rows = np.flatnonzero((status == Status.EMPLOYED) & (course < 0))
        rows = rows[self.shortfall(rows) > et.shortfall_threshold]
        rows = rows[rng.random(rows.size) < et.monthly_rate]
        if rows.size == 0:
            return
        effect, lead = self._member_effects(rows)
        values = learning.course_values(
            w.skills[rows], self.requirements[w.occupation[rows]], cat.gains, self.skill_weights
        )
        values = np.where(self._available(lead), values * effect[:, None], -np.inf)
        best = np.argmax(values, axis=1)
        value = values[np.arange(rows.size), best]
        cost = cat.cost[best]
        subsidised = gov.open("employer_subsidy", self.month)
        share = c.government.employer_subsidy.share if subsidised else 0.0
        wage = w.wage[rows]
        worth = (value * wage * et.payoff_months > cost * (1.0 - share)) & (
            cost * (1.0 - share) < et.hiring_cost_months * wage
        )
        order = rng.permutation(np.flatnonzero(worth))
        fits = learning.within_capacity(best[order], self._free_places())
        self.flows["training_refused_capacity"] += int(np.count_nonzero(~fits))
        order = order[fits]
        if subsidised:
            granted = gov.request("employer_subsidy", self.month, share * cost[order] * scale)
            self.flows["training_refused_budget"] += int(np.count_nonzero(~granted))
            order = order[granted]
        self._start_courses(rows[order], best[order], 1, effect[order])
        self.flows["employer_training_starts"] += order.size
        self.flows["employer_training_spending"] += float(cost[order].sum()) * (1.0 - share) * scale

    def _retraining_target(self, education: np.ndarray) -> np.ndarray:
        """Per education level: the occupation with the most open vacancies (ties: first)."""
        openings = self.employers.openings.sum(axis=0).astype(np.float64)
        best = np.empty(len(EDUCATION_LEVELS), dtype=np.int64)
        for level in range(len(EDUCATION_LEVELS)):  # three levels
            own = np.where(self.occupation_education == level, openings, -1.0)
            best[level] = int(np.argmax(own)) if (own >= 0).any() else int(np.argmax(openings))
        return best[education]

    def _worker_training(self) -> None:
        """Workers decide to start a course (see :mod:`ecosim.policies` for the funding order).

        Each active worker not in a course values the available courses against the profile
        they aim at, as they perceive it (requirements plus noise reduced by the human-capital
        agenda); displaced unemployed workers under retraining aim at the occupation of their
        level with the most vacancies. They pick the course with the best ``b_r * v - b_c * k /
        w`` and start it with :func:`ecosim.learning.start_probability`. Applications go in a
        seeded random order through capacity, then through the funding budget.
        """
        c, w, cat, rng = self.config, self.workers, self.catalogue, self._rng_learn
        gov, scale, prop = self.government, c.scale, c.learning.propensity
        status = w.view("status")
        rows = np.flatnonzero(
            ((status == Status.EMPLOYED) | (status == Status.UNEMPLOYED)) & (w.view("course") < 0)
        )
        if rows.size == 0:
            return
        st, age, edu = w.status[rows], w.age[rows], w.education[rows]
        unemployed = st == Status.UNEMPLOYED
        retrain = np.zeros(rows.size, dtype=bool)
        if gov.open("retraining", self.month):
            retrain = unemployed & w.displaced[rows]
        target_occ = w.occupation[rows].copy()
        target_occ[retrain] = self._retraining_target(edu[retrain])
        sd = c.learning.perception_noise * self._noise_factor()
        perceived = np.clip(
            self.requirements[target_occ] + rng.normal(0.0, sd, (rows.size, cat.gains.shape[1])),
            0.0,
            1.0,
        )
        effect, lead = self._member_effects(rows)
        values = learning.course_values(w.skills[rows], perceived, cat.gains, self.skill_weights)
        values *= effect[:, None]
        cost = np.broadcast_to(cat.cost, values.shape)
        support = np.zeros(values.shape)
        voucher_ok = np.zeros(rows.size, dtype=bool)
        if gov.open("vouchers", self.month):
            voucher_ok = policies.eligible(c.government.vouchers.eligibility, st, age, edu)
            voucher_ok &= ~retrain
            support[voucher_ok] = policies.voucher_amounts(
                c.government.vouchers, cost[voucher_ok], w.voucher_used[rows[voucher_ok], None]
            )
        support[retrain] = policies.retraining_amounts(c.government, cost[retrain])
        wage = np.where(unemployed, w.last_wage[rows], w.wage[rows])
        wage = np.maximum(wage, 1.0)
        best, score, net = best_courses(
            values,
            cat.cost,
            support,
            wage,
            cat.available_from,
            self.month + lead,
            prop.return_weight,
            prop.cost_weight,
        )
        offered = np.isfinite(score)
        if not offered.any():
            return
        base = self._base_propensity(age, edu) * np.where(unemployed, prop.unemployed_factor, 1.0)
        base = base * np.where(retrain, c.government.retraining.propensity_boost, 1.0)
        base = np.where(offered, base, 0.0)
        p = learning.start_probability(
            base,
            values[np.arange(rows.size), best],
            net,
            wage,
            prop.return_weight,
            prop.cost_weight,
        )
        order = rng.permutation(np.flatnonzero(rng.random(rows.size) < p))
        fits = learning.within_capacity(best[order], self._free_places())
        self.flows["training_refused_capacity"] += int(np.count_nonzero(~fits))
        order = order[fits]
        keep = np.ones(order.size, dtype=bool)
        funded = np.zeros(order.size, dtype=bool)
        for instrument, who in (("retraining", retrain), ("vouchers", voucher_ok)):
            apply = who[order] & (support[order, best[order]] > 0)
            if not apply.any():
                continue
            idx = np.flatnonzero(apply)
            granted = gov.request(
                instrument, self.month, support[order[idx], best[order[idx]]] * scale
            )
            # Refused: the worker reconsiders at the full cost, starting with probability
            # p(full cost) / p(with support) <= 1 (so a refusal never raises participation).
            refused = order[idx[~granted]]
            c_ref = best[refused]
            p_full = learning.start_probability(
                base[refused],
                values[refused, c_ref],
                cost[refused, c_ref],
                wage[refused],
                prop.return_weight,
                prop.cost_weight,
            )
            ratio = np.divide(p_full, p[refused], out=np.zeros_like(p_full), where=p[refused] > 0)
            self_paid = rng.random(refused.size) < ratio
            keep[idx[~granted]] = self_paid
            funded[idx[granted]] = True
            self.flows["training_refused_budget"] += int(np.count_nonzero(~granted))
        order, funded = order[keep], funded[keep]
        chosen = best[order]
        paid = np.where(funded, support[order, chosen], 0.0)
        w.voucher_used[rows[order]] += np.where(voucher_ok[order], paid, 0.0)
        self.flows["private_training_spending"] += float((cat.cost[chosen] - paid).sum()) * scale
        re = retrain[order] & funded
        w.occupation[rows[order][re]] = target_occ[order][re]
        self._start_courses(rows[order], chosen, np.where(re, 2, 0), effect[order])

    def _base_propensity(self, age: np.ndarray, education: np.ndarray) -> np.ndarray:
        """Base monthly rate by age band times the education multiplier (0 outside bands)."""
        prop = self.config.learning.propensity
        base = np.zeros(age.size)
        for band in prop.by_age_band:  # a handful of bands
            inside = (age >= band.min_age) & (age < band.max_age)
            base[inside] = band.monthly_rate
        mult = np.array([prop.by_education.get(e, 1.0) for e in EDUCATION_LEVELS])
        return base * mult[education]

    def _community_costs(self) -> None:
        """Active communities cost their members; the funding instrument pays a share."""
        c, gov = self.config, self.government
        for k in np.flatnonzero(self._active_communities()):
            lc = c.learning_communities[k]
            cost = float(self.community_member[k].sum()) * lc.cost_per_member_per_month
            self.flows["learning_community_cost"] += cost
            if gov.open("learning_community_funding", self.month):
                share = c.government.learning_community_funding.share
                granted = gov.request(
                    "learning_community_funding", self.month, np.array([share * cost])
                )
                if not granted[0]:
                    self.flows["training_refused_budget"] += 1

    def _search_and_match(self) -> None:
        """Seekers meet vacancies in the matching kernel; apply hires and job-to-job moves."""
        w, emp, c = self.workers, self.employers, self.config
        status = w.view("status")
        employed = np.flatnonzero(status == Status.EMPLOYED)
        # Workers in a course search less: their search probability is multiplied by the
        # training search factor (drawn from the learning stream, so runs without courses
        # keep the core streams unchanged).
        factor = c.learning.training_search_factor
        on_the_job = employed[
            self._rng_step.random(employed.size)
            < c.behaviour.on_the_job_search_share * np.where(w.course[employed] >= 0, factor, 1.0)
        ]
        unemployed = np.flatnonzero(status == Status.UNEMPLOYED)
        training = w.course[unemployed] >= 0
        if training.any():
            searching = self._rng_learn.random(unemployed.size) < factor
            unemployed = unemployed[~training | searching]
        seekers = np.concatenate([unemployed, on_the_job])
        open_cells = np.flatnonzero(emp.openings.ravel() > 0)
        if seekers.size == 0 or open_cells.size == 0:
            return
        v_emp, v_occ = np.divmod(open_cells, emp.n_occupations)
        v_wage = self.base_wage[v_occ] * emp.wage_premium[v_emp]
        quality = np.full(seekers.size, -np.inf)
        is_emp = w.status[seekers] == Status.EMPLOYED
        quality[is_emp] = self._job_utility(seekers[is_emp])
        result = match(
            c.matching.mode,
            Seekers(
                skills=w.skills[seekers],
                municipality=w.municipality[seekers],
                reservation_wage=w.reservation_wage[seekers],
                current_quality=quality,
                occupation=w.occupation[seekers],
            ),
            Vacancies(
                requirements=self.requirements[v_occ],
                municipality=emp.municipality[v_emp],
                wage=v_wage,
                count=emp.openings.ravel()[open_cells],
                occupation=v_occ,
            ),
            self.match_params,
            int(self._rng_match.integers(0, 2**63 - 1)),
        )
        got = result.vacancy_of_seeker >= 0
        rows, vac = seekers[got], result.vacancy_of_seeker[got]
        if rows.size == 0:
            return
        new_cells = open_cells[vac]
        fills = np.bincount(new_cells, minlength=emp.headcount.size).reshape(emp.headcount.shape)
        self.flows["fills_beyond_openings"] += int(np.count_nonzero(fills > emp.openings))
        movers = rows[w.status[rows] == Status.EMPLOYED]
        if movers.size:
            old = emp.cell_counts(emp.cell(w.employer[movers], w.occupation[movers]))
            emp.headcount -= old
            emp.openings += old  # a job-to-job mover leaves an opening behind
        emp.headcount += fills
        emp.openings -= fills
        self._hires_by_cell = fills
        self._shortfall_of_hires = 1.0 - result.fit_of_seeker[got]
        self.flows["hires"] += rows.size
        self.flows["job_to_job"] += movers.size
        self.flows["hires_from_unemployment"] += rows.size - movers.size
        # Unemployed at the start of the month: spells are counted at month end, so they have
        # at least one month; entrants and the newly separated have none yet.
        stock = (w.status[rows] == Status.UNEMPLOYED) & (w.unemployment_months[rows] >= 1)
        self.flows["hires_from_unemployment_stock"] += int(np.count_nonzero(stock))
        self.flows["shortfall_of_hires_sum"] += float(np.sum(1.0 - result.fit_of_seeker[got]))
        w.status[rows] = Status.EMPLOYED
        w.employer[rows] = v_emp[vac]
        w.occupation[rows] = v_occ[vac]
        w.wage[rows] = v_wage[vac]
        w.reservation_wage[rows] = v_wage[vac]
        w.job_start[rows] = self.month
        w.unemployment_months[rows] = 0
        w.benefit_months_left[rows] = 0
        w.displaced[rows] = False

    def _job_utility(self, rows: np.ndarray) -> np.ndarray:
        """Utility of employed workers' current jobs, on the matching kernel's scale."""
        w, emp, p = self.workers, self.employers, self.match_params
        fit = 1.0 - self.shortfall(rows)
        commute = self.distance[w.municipality[rows], emp.municipality[w.employer[rows]]]
        wage_term = np.log(w.wage[rows] / w.reservation_wage[rows])
        return p.wage_weight * wage_term - p.commute_cost * commute + p.fit_weight * fit

    def shortfall(self, rows: np.ndarray) -> np.ndarray:
        """Skill shortfall of workers against their (current or last) occupation's profile.

        ``sum_s a_s max(0, r_s - x_s) / sum_s a_s r_s``: the share of the job's required skill
        mass that is missing (``a`` the matching skill weights; 0 for a job requiring nothing).
        """
        w = self.workers
        return shortfall_rows(
            w.skills, rows, w.occupation[rows], self.requirements, self.skill_weights
        )

    def _bookkeeping(self) -> None:
        """Spells, benefits (booked with the government) and reservation wages."""
        w = self.workers
        unemployed = np.flatnonzero(w.view("status") == Status.UNEMPLOYED)
        ub = self.config.government.unemployment_benefits
        paid = w.benefit_months_left[unemployed] > 0
        benefit = np.minimum(ub.replacement_rate * w.last_wage[unemployed], ub.max_monthly_benefit)
        scale = self.config.scale
        self.flows["benefit_spending"] = float(benefit[paid].sum()) * scale
        self.flows["social_assistance_spending"] = (
            float((~paid).sum()) * ub.social_assistance * scale
        )
        self.government.book("unemployment_benefits", self.month, self.flows["benefit_spending"])
        self.government.book(
            "social_assistance", self.month, self.flows["social_assistance_spending"]
        )
        w.benefit_months_left[unemployed[paid]] -= 1
        w.unemployment_months[unemployed] += 1
        self._update_reservation_wages()

    def _update_reservation_wages(self) -> None:
        """Unemployed: a declining share of the last wage, floored by benefits or assistance."""
        w, b = self.workers, self.config.behaviour
        ub = self.config.government.unemployment_benefits
        rows = np.flatnonzero(w.view("status") == Status.UNEMPLOYED)
        decline = (1.0 - b.reservation_wage_decline) ** w.unemployment_months[rows]
        floor = np.where(
            w.benefit_months_left[rows] > 0,
            np.minimum(ub.replacement_rate * w.last_wage[rows], ub.max_monthly_benefit),
            ub.social_assistance,
        )
        w.reservation_wage[rows] = np.maximum(
            b.reservation_wage_ratio * w.last_wage[rows] * decline, floor
        )

    # ------------------------------------------------------------------ indicators

    def _record(self) -> None:
        self.indicators = self._compute_indicators()
        self.datacollector.collect(self)
        if self.recorders:
            snapshot = self.snapshot()
            for recorder in self.recorders:
                recorder.record(snapshot)

    def snapshot(self) -> Snapshot:
        """Read-only views of the current state for indicator recorders (no copies)."""
        w, emp = self.workers, self.employers
        return Snapshot(
            month=self.month,
            scale=self.config.scale,
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
            skill_weights=self.skill_weights,
            skill_names=tuple(self.skill_names),
            occupation_names=tuple(self.occupation_names),
            sector_names=tuple(self.sector_names),
            region_names=tuple(self.region_names),
            education_names=EDUCATION_LEVELS,
            hires_by_cell=self._hires_by_cell,
            shortfall_of_hires=self._shortfall_of_hires,
        )

    def tables(self) -> dict[str, pd.DataFrame]:
        """Monthly breakdown tables (``by_sector``, ``by_occupation``, ``by_region``, ...)."""
        out: dict[str, pd.DataFrame] = {}
        for recorder in self.recorders:
            out.update(recorder.tables())
        return out

    def _compute_indicators(self) -> dict[str, float]:
        """This month's indicators: all cheap ones, the costlier ones only when recorded."""
        w, f, s = self.workers, self.flows, self.config.scale
        status = w.view("status")
        employed_rows = np.flatnonzero(status == Status.EMPLOYED)
        unemployed_rows = np.flatnonzero(status == Status.UNEMPLOYED)
        e, u = employed_rows.size, unemployed_rows.size
        v = int(self.employers.openings.sum())
        durations = w.unemployment_months[unemployed_rows]
        out = {
            "labour_force": (e + u) * s,
            "employed": e * s,
            "unemployed": u * s,
            "vacancies": v * s,
            "unemployment_rate": _ratio(u, u + e),
            "vacancy_rate": _ratio(v, v + e),
            "hires": f["hires"] * s,
            "hires_from_unemployment": f["hires_from_unemployment"] * s,
            "separations": f["separations"] * s,
            "layoffs": f["layoffs"] * s,
            "job_to_job": f["job_to_job"] * s,
            "retirements": f["retirements"] * s,
            "entrants": f["entrants"] * s,
            "job_finding_rate": _ratio(f["hires_from_unemployment_stock"], self._prev_unemployed),
            "separation_rate": _ratio(f["separations"], self._prev_employed),
            "long_term_unemployed_share": _ratio(
                int(np.count_nonzero(durations >= LONG_TERM_MONTHS)), u
            ),
            "mean_unemployment_duration": float(durations.mean()) if u else float("nan"),
            "mean_skill_shortfall_of_hires": _ratio(f["shortfall_of_hires_sum"], f["hires"]),
            "mean_wage": float(w.wage[employed_rows].mean()) if e else float("nan"),
            "benefit_spending": f["benefit_spending"],
            "social_assistance_spending": f["social_assistance_spending"],
        }
        if self._wants_incumbents:
            out["mean_skill_shortfall_of_incumbents"] = (
                float(self.shortfall(employed_rows).mean()) if e else float("nan")
            )
        if self._wants_learning:
            out |= self._learning_indicators(employed_rows, unemployed_rows)
        return out

    def _learning_indicators(self, employed: np.ndarray, unemployed: np.ndarray) -> dict:
        """Training flows and stocks, curricula and spending per instrument (persons, euros)."""
        w, f, s, gov, m = self.workers, self.flows, self.config.scale, self.government, self.month
        labour = np.concatenate([employed, unemployed])
        in_course = int(np.count_nonzero(w.course[labour] >= 0))
        spend = {name: gov.spent(name, m) for name in BUDGETED}
        openings = self.employers.openings.sum(axis=0).astype(np.float64)
        weight = openings if openings.sum() > 0 else self.employers.target.sum(axis=0)
        gap = np.abs(self.curricula - self.requirements) @ self.skill_weights
        gap /= max(float(self.skill_weights.sum()), 1e-12)
        return {
            "in_training": in_course * s,
            "training_participation": _ratio(in_course, labour.size),
            "training_starts": f["training_starts"] * s,
            "employer_training_starts": f["employer_training_starts"] * s,
            "training_completions": f["training_completions"] * s,
            "training_dropouts": f["training_dropouts"] * s,
            "training_refused_capacity": f["training_refused_capacity"] * s,
            "training_refused_budget": f["training_refused_budget"] * s,
            "mean_skill_shortfall_of_entrants": _ratio(
                f["entrants_shortfall_sum"], f["entrants_shortfall_n"]
            ),
            "mean_curriculum_gap": float(np.average(gap, weights=weight))
            if weight.sum() > 0
            else float("nan"),
            "voucher_spending": spend["vouchers"],
            "employer_subsidy_spending": spend["employer_subsidy"],
            "retraining_spending": spend["retraining"],
            "learning_community_spending": spend["learning_community_funding"],
            "hc_agenda_spending": spend["hc_agenda"],
            "policy_spending": float(sum(spend.values())),
            "employer_training_spending": f["employer_training_spending"]
            + f["learning_community_cost"]
            - spend["learning_community_funding"],
            "private_training_spending": f["private_training_spending"],
        }

    def timeseries(self) -> pd.DataFrame:
        """Recorded indicators, one row per month (month 0 is the initial state)."""
        if not self.recorded:  # Mesa's collector refuses to build a frame without reporters
            return pd.DataFrame(index=pd.RangeIndex(self.month + 1, name="month"))
        df = self.datacollector.get_model_vars_dataframe()
        df.index = pd.RangeIndex(len(df), name="month")
        return df

    # ------------------------------------------------------------------ checks

    def check_invariants(self) -> list[str]:
        """Consistency of the state; returns the violations found (empty when all hold)."""
        w, emp = self.workers, self.employers
        problems: list[str] = []
        status = w.view("status")
        if not np.isin(status, [int(s) for s in Status]).all():
            problems.append("a worker has an unknown status")
        employed = status == Status.EMPLOYED
        employer = w.view("employer")
        if np.any(employer[~employed] != NO_EMPLOYER):
            problems.append("a worker who is not employed points at an employer")
        if np.any((employer[employed] < 0) | (employer[employed] >= emp.n)):
            problems.append("an employed worker points at no existing employer")
        else:
            rows = np.flatnonzero(employed)
            counts = emp.cell_counts(emp.cell(w.employer[rows], w.occupation[rows]))
            if not np.array_equal(counts, emp.headcount):
                problems.append("employer headcounts differ from the workers pointing at them")
        if np.any(emp.openings < 0):
            problems.append("an employer has a negative number of openings")
        if self.flows["fills_beyond_openings"]:
            problems.append("a vacancy was filled beyond its count")
        n_agents = len(self.agents_by_type.get(Worker, ()))
        if n_agents != int(np.count_nonzero(status != Status.RETIRED)):
            problems.append("worker agents differ from workers in the labour force")
        if np.any(w.view("skills") < 0) or np.any(w.view("skills") > 1):
            problems.append("a skill is outside [0, 1]")
        course = w.view("course")
        if np.any(course[status == Status.RETIRED] >= 0):
            problems.append("a retired worker is in a course")
        taken = np.bincount(course[course >= 0], minlength=self.course_capacity.size)
        if np.any(taken > self.course_capacity):
            problems.append("a course has more participants than places")
        for name in BUDGETED:
            if self.government.spent(name) > self.government.budget(name) * (1 + 1e-9):
                problems.append(f"instrument {name} spent beyond its budget")
        return problems


def _resolve_scenario(scenario: Any, overrides: dict[str, Any]) -> Scenario:
    if isinstance(scenario, Scenario):
        if overrides:
            return scenario_from_dict(scenario.model_dump(mode="python"), overrides)
        return scenario
    if isinstance(scenario, str | Path):
        return load_scenario(scenario, overrides or None)
    if isinstance(scenario, dict):
        return scenario_from_dict(scenario, overrides or None)
    raise TypeError(
        f"scenario must be a Scenario, a path or a mapping, not {type(scenario).__name__}"
    )


def _educators(config: Scenario) -> list[EducatorConfig]:
    """The scenario's educators, or one per education level and region when none are listed."""
    if config.educators:
        return list(config.educators)
    out = []
    for region in config.regions:
        home = max(region.municipalities, key=lambda m: m.residents).name
        for level in EDUCATION_LEVELS:
            out.append(
                EducatorConfig(name=f"{region.name}-{level}", level=level, municipality=home)
            )
    return out


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


def _region_value(value: float | None, default: float) -> float:
    return default if value is None else value


def _allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split an integer total in proportion to weights (largest remainders), >= 1 where > 0."""
    weights = np.asarray(weights, dtype=np.float64)
    positive = weights > 0
    if not positive.any():
        return np.zeros(weights.size, dtype=np.int64)
    exact = total * weights / weights.sum()
    out = np.floor(exact).astype(np.int64)
    order = np.argsort(-(exact - out), kind="stable")
    out[order[: total - out.sum()]] += 1
    out[positive & (out == 0)] = 1
    return out


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den else float("nan")


def _norm(x: Any) -> np.ndarray:
    arr = np.asarray(x, dtype=np.float64)
    return arr / arr.sum()
