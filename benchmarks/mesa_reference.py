"""An idiomatic, per-agent Mesa implementation of ecosim's monthly step (a benchmark baseline).

This is the way a typical Mesa user would write the model of :class:`ecosim.RegionModel`:
``WorkerAgent`` and ``EmployerAgent`` are ``mesa.Agent`` subclasses with plain Python
attributes (skills are a small NumPy array per worker), behaviour lives in Python methods run
with ``model.agents_by_type[...].shuffle_do(...)``, vacancies are Python objects and matching is
a plain Python loop over seekers and vacancies.

The monthly step follows ``RegionModel.step``::

    targets -> exogenous separations, layoffs toward target -> vacancy opening
    -> ageing / retirement -> graduate entry -> learning by doing / skill depreciation
    -> search and matching -> bookkeeping (benefits, spells, reservation wages) -> indicators

with the same formulas and parameters as the fast model and its matching kernel
(``ecosim.kernels.matching``): a seeker's fit for a vacancy is
``1 - sum_s a_s * max(0, r_vs - x_ws) / sum_s a_s`` (the employer accepts iff it is at least the
acceptance threshold); the seeker's utility is
``wage_weight * ln(wage / reservation_wage) - commute_cost * km + fit_weight * fit`` and a seeker
accepts iff the wage is at least the reservation wage and the utility beats the current job's
(minus infinity for the unemployed). Each round, every seeker samples ``sample_size`` vacancies
(biased to its own occupation and municipality), applies to its best ``applications``
acceptable ones; every vacancy offers its openings to its best-fitting applicants; every seeker
takes its best offer.

The initial population is copied from a freshly constructed ``RegionModel`` so both models start
from the identical state; random numbers are drawn differently, so runs agree in distribution,
not bit for bit. The reference covers the baseline's core (no transitions, constant targets)
and the labour force only: the fast model's inactive pool and the participation margin (exits
from and re-entry into the labour force), the vacancy table with its postings and withdrawals,
the wage curve and the learning system are not in it, so the two agree in level over a year,
not in the long run.

Usage::

    fast = RegionModel("scenarios/rijnmond.yaml", **{"workforce.size": 10_000})
    ref = MesaReferenceModel.from_region_model(fast)  # before ``fast`` steps
    for _ in range(12):
        ref.step()
    ref.datacollector.get_model_vars_dataframe()
"""

from __future__ import annotations

import math
from typing import Any

import mesa
import numpy as np

from ecosim.config import EDUCATION_LEVELS
from ecosim.state import Status


class EmployerAgent(mesa.Agent):
    """An establishment with, per occupation, its staff, a target and open vacancies."""

    def __init__(
        self,
        model: MesaReferenceModel,
        sector: int,
        municipality: int,
        wage_premium: float,
        base_target: dict[int, float],
    ):
        super().__init__(model)
        self.sector = sector
        self.municipality = municipality
        self.wage_premium = wage_premium
        self.base_target = dict(base_target)
        self.target = dict(base_target)
        # occupation -> workers employed in it (a dict used as an insertion-ordered set)
        self.staff: dict[int, dict[WorkerAgent, None]] = {o: {} for o in base_target}
        self.openings: dict[int, int] = dict.fromkeys(base_target, 0)

    def headcount(self, occupation: int) -> int:
        return len(self.staff.get(occupation, ()))

    def wage_for(self, occupation: int) -> float:
        return self.model.base_wage[occupation] * self.wage_premium

    def update_target(self) -> None:
        """Target employment per occupation (constant in the baseline)."""
        self.target = dict(self.base_target)

    def lay_off(self) -> None:
        """Lay off part of any excess of headcount over target, at random among the staff."""
        model = self.model
        for occ, staff in self.staff.items():
            excess = len(staff) - self.target.get(occ, 0.0)
            if excess <= 0:
                continue
            n = model.stochastic_round(excess * model.layoff_rate)
            for worker in self.random.sample(list(staff), min(n, len(staff))):
                worker.become_unemployed()
                model.flows["separations"] += 1
                model.flows["layoffs"] += 1

    def open_vacancies(self) -> None:
        """Open a share of the gap between target and filled-plus-open jobs; cancel surplus."""
        model = self.model
        for occ, target in self.target.items():
            filled = self.headcount(occ)
            gap = target - filled - self.openings[occ]
            new = model.stochastic_round(max(gap, 0.0) * model.vacancy_opening_rate)
            cap = max(math.floor(target - filled + 0.5), 0)
            self.openings[occ] = min(self.openings[occ] + new, cap)

    def hire(self, worker: WorkerAgent, occupation: int) -> None:
        self.staff[occupation][worker] = None
        self.openings[occupation] -= 1

    def release(self, worker: WorkerAgent, occupation: int) -> None:
        del self.staff[occupation][worker]


class WorkerAgent(mesa.Agent):
    """A person in the regional labour force."""

    def __init__(
        self,
        model: MesaReferenceModel,
        *,
        age: float,
        education: int,
        municipality: int,
        skills: np.ndarray,
        occupation: int,
        last_wage: float,
        reservation_wage: float,
    ):
        super().__init__(model)
        self.age = age
        self.education = education
        self.municipality = municipality
        self.skills = skills
        self.occupation = occupation
        self.status = Status.UNEMPLOYED
        self.employer: EmployerAgent | None = None
        self.wage = 0.0
        self.last_wage = last_wage
        self.reservation_wage = reservation_wage
        self.unemployment_months = 0
        self.benefit_months_left = 0
        self.job_start = -1

    # -- separations ------------------------------------------------------------------------

    def maybe_quit(self) -> None:
        """Exogenous separation with the scenario's monthly probability."""
        if self.status == Status.EMPLOYED and self.random.random() < self.model.separation_rate:
            self.become_unemployed()
            self.model.flows["separations"] += 1

    def become_unemployed(self) -> None:
        self.employer.release(self, self.occupation)
        self.status = Status.UNEMPLOYED
        self.employer = None
        self.last_wage = self.wage
        self.wage = 0.0
        self.unemployment_months = 0
        self.benefit_months_left = self.model.benefit_duration

    # -- ageing, learning ---------------------------------------------------------------------

    def age_and_retire(self) -> None:
        self.age += 1.0 / 12.0
        if self.age >= self.model.retirement_age:
            if self.status == Status.EMPLOYED:
                self.employer.release(self, self.occupation)
            self.status = Status.RETIRED
            self.employer = None
            self.model.flows["retirements"] += 1
            self.remove()

    def learn(self) -> None:
        """Skills move toward the job's profile (toward zero without a job)."""
        model = self.model
        if self.status == Status.EMPLOYED:
            gap = model.requirements[self.occupation] - self.skills
        else:
            gap = -self.skills
        self.skills += np.where(gap > 0, model.learning_rate, model.depreciation_rate) * gap

    # -- search ------------------------------------------------------------------------------

    def fit(self, requirements: np.ndarray) -> float:
        """1 minus the weighted skill shortfall against a requirement profile."""
        model = self.model
        shortfall = np.maximum(requirements - self.skills, 0.0) @ model.skill_weights
        return 1.0 - shortfall / model.skill_weight_sum

    def utility(self, wage: float, municipality: int, fit: float) -> float:
        model = self.model
        return (
            model.wage_weight * math.log(wage / self.reservation_wage)
            - model.commute_cost * model.distance[self.municipality][municipality]
            + model.fit_weight * fit
        )

    def current_job_utility(self) -> float:
        if self.status != Status.EMPLOYED:
            return -math.inf
        fit = self.fit(self.model.requirements[self.occupation])
        return self.utility(self.wage, self.employer.municipality, fit)

    def sample_vacancies(self, market: VacancyMarket) -> list[Vacancy]:
        """Vacancies looked at this round: own occupation, own municipality or anywhere."""
        model, rnd = self.model, self.random
        own = market.by_occupation.get(self.occupation, ())
        local = market.by_municipality.get(self.municipality, ())
        sample = set()
        for _ in range(model.sample_size):
            u = rnd.random()
            if u < model.own_occupation_share and own:
                pool = own
            elif u < model.own_occupation_share + model.local_share and local:
                pool = local
            else:
                pool = market.open
            sample.add(pool[rnd.randrange(len(pool))])
        return list(sample)

    def apply(self, market: VacancyMarket, quality: float) -> None:
        """Apply to the best ``applications`` acceptable vacancies of a sample."""
        model = self.model
        options = []
        for vacancy in self.sample_vacancies(market):
            if vacancy.count <= 0 or vacancy.wage < self.reservation_wage:
                continue
            fit = self.fit(vacancy.requirements)
            if fit < model.acceptance_threshold:
                continue
            utility = self.utility(vacancy.wage, vacancy.employer.municipality, fit)
            if utility > quality:
                options.append((utility, fit, vacancy))
        options.sort(key=lambda o: o[0], reverse=True)
        for utility, fit, vacancy in options[: model.applications]:
            vacancy.applicants.append((fit, utility, self))

    def take_job(self, vacancy: Vacancy, fit: float) -> None:
        model = self.model
        model.flows["hires"] += 1
        model.flows["shortfall_of_hires_sum"] += 1.0 - fit
        if self.status == Status.EMPLOYED:
            model.flows["job_to_job"] += 1
            self.employer.release(self, self.occupation)
            self.employer.openings[self.occupation] += 1  # the mover leaves an opening behind
        else:
            model.flows["hires_from_unemployment"] += 1
        vacancy.employer.hire(self, vacancy.occupation)
        self.status = Status.EMPLOYED
        self.employer = vacancy.employer
        self.occupation = vacancy.occupation
        self.wage = vacancy.wage
        self.reservation_wage = vacancy.wage
        self.job_start = model.month
        self.unemployment_months = 0
        self.benefit_months_left = 0

    # -- bookkeeping -------------------------------------------------------------------------

    def bookkeeping(self) -> None:
        """Benefits or assistance, spell length and the reservation wage of the unemployed."""
        if self.status != Status.UNEMPLOYED:
            return
        model = self.model
        if self.benefit_months_left > 0:
            model.flows["benefit_spending"] += self.benefit() * model.scale
            self.benefit_months_left -= 1
        else:
            model.flows["social_assistance_spending"] += model.social_assistance * model.scale
        self.unemployment_months += 1
        self.update_reservation_wage()

    def benefit(self) -> float:
        model = self.model
        return min(model.replacement_rate * self.last_wage, model.max_benefit)

    def update_reservation_wage(self) -> None:
        model = self.model
        floor = self.benefit() if self.benefit_months_left > 0 else model.social_assistance
        decline = (1.0 - model.reservation_wage_decline) ** self.unemployment_months
        self.reservation_wage = max(model.reservation_wage_ratio * self.last_wage * decline, floor)


class Vacancy:
    """Open jobs of one employer in one occupation, with this round's applicants."""

    __slots__ = ("applicants", "count", "employer", "occupation", "requirements", "wage")

    def __init__(self, employer: EmployerAgent, occupation: int, count: int):
        self.employer = employer
        self.occupation = occupation
        self.count = count
        self.wage = employer.wage_for(occupation)
        self.requirements = employer.model.requirements[occupation]
        self.applicants: list[tuple[float, float, WorkerAgent]] = []


class VacancyMarket:
    """The vacancies still open in a round, indexed for biased sampling."""

    def __init__(self, vacancies: list[Vacancy]):
        self.open = [v for v in vacancies if v.count > 0]
        self.by_occupation: dict[int, list[Vacancy]] = {}
        self.by_municipality: dict[int, list[Vacancy]] = {}
        for v in self.open:
            self.by_occupation.setdefault(v.occupation, []).append(v)
            self.by_municipality.setdefault(v.employer.municipality, []).append(v)


class MesaReferenceModel(mesa.Model):
    """The baseline monthly step of ``RegionModel``, written agent by agent.

    Args:
        region_model: A freshly built ``ecosim.RegionModel``; its scenario, constants and initial
            population (workers, employers, openings) are copied.
        seed: Seed of this model's random numbers (default: the scenario's seed).
    """

    def __init__(self, region_model: Any, seed: int | None = None):
        c = region_model.config
        super().__init__(rng=c.seed if seed is None else seed)
        self.config = c
        self.month = 0
        self.scale = c.resolution
        b, m = c.behaviour, c.matching
        ub = c.government.unemployment_benefits
        self.separation_rate = b.separation_rate
        self.layoff_rate = b.layoff_rate
        self.vacancy_opening_rate = b.vacancy_opening_rate
        self.retirement_age = b.retirement_age
        self.graduate_inflow = b.graduate_inflow
        self.entry_age = [b.entry_age[e] for e in EDUCATION_LEVELS]
        self.learning_rate = b.learning_by_doing_rate
        self.depreciation_rate = b.skill_depreciation_rate
        self.on_the_job_search_share = b.on_the_job_search_share
        self.reservation_wage_ratio = b.reservation_wage_ratio
        self.reservation_wage_decline = b.reservation_wage_decline
        self.benefit_duration = ub.duration_months
        self.replacement_rate = ub.replacement_rate
        self.max_benefit = ub.max_monthly_benefit
        self.social_assistance = ub.social_assistance
        self.sample_size, self.applications, self.rounds = m.sample_size, m.applications, m.rounds
        self.acceptance_threshold = m.acceptance_threshold
        self.commute_cost, self.wage_weight, self.fit_weight = (
            m.commute_cost_per_km,
            m.wage_weight,
            m.fit_weight,
        )
        self.own_occupation_share, self.local_share = m.own_occupation_share, m.local_share
        self.skill_noise = c.workforce.skill_noise
        self.education_share = [c.workforce.education.get(e, 0.0) for e in EDUCATION_LEVELS]
        self.skill_weights = np.asarray(region_model.world.skill_weights, dtype=float)
        self.skill_weight_sum = float(self.skill_weights.sum())
        self.requirements = np.asarray(region_model.requirements, dtype=float)
        self.base_wage = [float(x) for x in region_model.world.base_wage]
        self.occupation_education = [int(x) for x in region_model.world.occupation_education]
        self.distance = np.asarray(region_model.world.distance).tolist()
        self.resident_share = [float(x) for x in region_model.world.resident_share]
        self._copy_population(region_model)
        self.flows = self._new_flows()
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "employed": lambda mdl: mdl.count_status(Status.EMPLOYED) * mdl.scale,
                "unemployed": lambda mdl: mdl.count_status(Status.UNEMPLOYED) * mdl.scale,
                "vacancies": lambda mdl: mdl.count_vacancies() * mdl.scale,
                "unemployment_rate": MesaReferenceModel.unemployment_rate,
                "vacancy_rate": MesaReferenceModel.vacancy_rate,
                "hires": lambda mdl: mdl.flows["hires"] * mdl.scale,
                "separations": lambda mdl: mdl.flows["separations"] * mdl.scale,
                "job_to_job": lambda mdl: mdl.flows["job_to_job"] * mdl.scale,
                "retirements": lambda mdl: mdl.flows["retirements"] * mdl.scale,
                "entrants": lambda mdl: mdl.flows["entrants"] * mdl.scale,
                "benefit_spending": lambda mdl: mdl.flows["benefit_spending"],
            }
        )
        self.datacollector.collect(self)

    @classmethod
    def from_region_model(cls, region_model: Any, seed: int | None = None) -> MesaReferenceModel:
        """Copy a freshly built ``RegionModel`` (before it steps) into a reference model."""
        return cls(region_model, seed=seed)

    # -- construction ------------------------------------------------------------------------

    def _copy_population(self, fast: Any) -> None:
        emp, w = fast.employers, fast.workers
        self.employer_list: list[EmployerAgent] = []
        for e in range(emp.n):
            occs = np.flatnonzero((emp.base_target[e] > 0) | (emp.headcount[e] > 0))
            employer = EmployerAgent(
                self,
                sector=int(emp.sector[e]),
                municipality=int(emp.municipality[e]),
                wage_premium=float(emp.wage_premium[e]),
                base_target={int(o): float(emp.base_target[e, o]) for o in occs},
            )
            for o in occs:
                employer.target[int(o)] = float(emp.target[e, o])
                employer.openings[int(o)] = int(emp.openings[e, o])
            self.employer_list.append(employer)
        for r in range(w.n):
            status = Status(int(w.status[r]))
            if status in (Status.RETIRED, Status.INACTIVE):
                continue
            worker = WorkerAgent(
                self,
                age=float(w.age[r]),
                education=int(w.education[r]),
                municipality=int(w.municipality[r]),
                skills=w.skills[r].copy(),
                occupation=int(w.occupation[r]),
                last_wage=float(w.last_wage[r]),
                reservation_wage=float(w.reservation_wage[r]),
            )
            worker.status = status
            worker.wage = float(w.wage[r])
            worker.unemployment_months = int(w.unemployment_months[r])
            worker.benefit_months_left = int(w.benefit_months_left[r])
            worker.job_start = int(w.job_start[r])
            if status == Status.EMPLOYED:
                worker.employer = self.employer_list[int(w.employer[r])]
                worker.employer.staff[worker.occupation][worker] = None
        # demand per occupation, used to aim graduates at occupations of their level
        self.demand = [0.0] * len(self.base_wage)
        for employer in self.employer_list:
            for occ, target in employer.base_target.items():
                self.demand[occ] += target

    # -- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _new_flows() -> dict[str, float]:
        flows: dict[str, float] = dict.fromkeys(
            ("hires", "hires_from_unemployment", "separations", "layoffs", "job_to_job"), 0
        )
        flows.update(dict.fromkeys(("retirements", "entrants"), 0))
        flows.update(
            dict.fromkeys(
                ("shortfall_of_hires_sum", "benefit_spending", "social_assistance_spending"), 0.0
            )
        )
        return flows

    def stochastic_round(self, x: float) -> int:
        base = math.floor(x)
        return int(base) + (self.random.random() < x - base)

    @property
    def workers(self) -> mesa.agent.AgentSet:
        return self.agents_by_type.get(WorkerAgent, mesa.agent.AgentSet([], random=self.random))

    @property
    def employers(self) -> mesa.agent.AgentSet:
        return self.agents_by_type[EmployerAgent]

    def count_status(self, status: Status) -> int:
        return sum(1 for w in self.workers if w.status == status)

    def count_vacancies(self) -> int:
        return sum(sum(e.openings.values()) for e in self.employers)

    def unemployment_rate(self) -> float:
        e, u = self.count_status(Status.EMPLOYED), self.count_status(Status.UNEMPLOYED)
        return u / (u + e) if u + e else float("nan")

    def vacancy_rate(self) -> float:
        e, v = self.count_status(Status.EMPLOYED), self.count_vacancies()
        return v / (v + e) if v + e else float("nan")

    def check_invariants(self) -> list[str]:
        """Consistency of the agents' state; returns the violations found (empty when all hold)."""
        problems: list[str] = []
        pointing: dict[tuple[EmployerAgent, int], int] = {}
        for w in self.workers:
            if w.status == Status.EMPLOYED:
                if w.employer is None or w not in w.employer.staff.get(w.occupation, {}):
                    problems.append(f"employed worker {w.unique_id} is not on its employer's staff")
                else:
                    key = (w.employer, w.occupation)
                    pointing[key] = pointing.get(key, 0) + 1
            elif w.status == Status.UNEMPLOYED:
                if w.employer is not None:
                    problems.append(f"unemployed worker {w.unique_id} points at an employer")
            else:
                problems.append(f"worker {w.unique_id} in the model has status {w.status.name}")
            if np.any(w.skills < 0.0) or np.any(w.skills > 1.0):
                problems.append(f"worker {w.unique_id} has a skill outside [0, 1]")
        for e in self.employers:
            for occ, staff in e.staff.items():
                if len(staff) != pointing.get((e, occ), 0):
                    problems.append(
                        f"employer {e.unique_id} occupation {occ}: headcount {len(staff)} but "
                        f"{pointing.get((e, occ), 0)} workers point at it"
                    )
            if any(n < 0 for n in e.openings.values()):
                problems.append(f"employer {e.unique_id} has negative openings")
        return problems

    # -- the monthly step --------------------------------------------------------------------

    def step(self) -> None:
        self.month += 1
        self.flows = self._new_flows()
        self.employers.shuffle_do("update_target")
        self.workers.shuffle_do("maybe_quit")
        self.employers.shuffle_do("lay_off")
        self.employers.shuffle_do("open_vacancies")
        self.workers.shuffle_do("age_and_retire")
        self.enter_graduates()
        self.workers.shuffle_do("learn")
        self.search_and_match()
        self.workers.shuffle_do("bookkeeping")
        self.datacollector.collect(self)

    def enter_graduates(self) -> None:
        """Graduates enter as job seekers, aimed at an occupation of their level by demand."""
        n_active = len(self.workers)
        k = self.stochastic_round(self.graduate_inflow / 12.0 * n_active)
        rnd = self.random
        occupations = range(len(self.base_wage))
        for _ in range(k):
            education = rnd.choices(range(len(EDUCATION_LEVELS)), weights=self.education_share)[0]
            weights = [
                d if self.occupation_education[o] == education else 0.0
                for o, d in enumerate(self.demand)
            ]
            if sum(weights) <= 0:
                weights = self.demand
            occ = rnd.choices(occupations, weights=weights)[0]
            noise = self.rng.normal(0.0, self.skill_noise, self.requirements.shape[1])
            municipality = rnd.choices(range(len(self.resident_share)), self.resident_share)[0]
            WorkerAgent(
                self,
                age=self.entry_age[education] + rnd.random(),
                education=education,
                municipality=municipality,
                skills=np.clip(self.requirements[occ] + noise, 0.0, 1.0),
                occupation=occ,
                last_wage=0.85 * self.base_wage[occ],
                reservation_wage=0.85 * self.base_wage[occ],
            )
            self.flows["entrants"] += 1

    def search_and_match(self) -> None:
        """Rounds of: seekers apply, vacancies make offers, seekers accept their best offer."""
        rnd = self.random
        seekers = [
            w
            for w in self.workers
            if w.status == Status.UNEMPLOYED
            or (w.status == Status.EMPLOYED and rnd.random() < self.on_the_job_search_share)
        ]
        quality = {w: w.current_job_utility() for w in seekers}
        vacancies = [
            Vacancy(employer, occ, count)
            for employer in self.employers
            for occ, count in employer.openings.items()
            if count > 0
        ]
        for _ in range(self.rounds):
            market = VacancyMarket(vacancies)
            if not market.open or not seekers:
                break
            rnd.shuffle(seekers)
            for seeker in seekers:
                seeker.apply(market, quality[seeker])
            # vacancies offer their openings to their best-fitting applicants
            offers: dict[WorkerAgent, list[tuple[float, float, Vacancy]]] = {}
            for vacancy in market.open:
                vacancy.applicants.sort(key=lambda a: a[0], reverse=True)
                for fit, utility, seeker in vacancy.applicants[: vacancy.count]:
                    offers.setdefault(seeker, []).append((utility, fit, vacancy))
                vacancy.applicants.clear()
            # seekers accept their best offer
            hired = set()
            for seeker, options in offers.items():
                utility, fit, vacancy = max(options, key=lambda o: o[0])
                vacancy.count -= 1
                seeker.take_job(vacancy, fit)
                hired.add(seeker)
            seekers = [s for s in seekers if s not in hired]
