"""Scenario schema: the pydantic models of a scenario file, from ``Occupation`` to ``Scenario``.

A scenario is plain data validated by these models. Every number is finite and has a range, and
every default is documented once, here (the field's ``description``): what validation accepts
runs. The models check single fields only;
checks that span fields (references by name, shares summing to 1) are in
:mod:`ecosim.config.checks`, and reading files in :mod:`ecosim.config.loading`. All models are
frozen and forbid unknown fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    GetCoreSchemaHandler,
    Tag,
    model_validator,
)
from pydantic_core import PydanticCustomError, core_schema

from ecosim.config.distributions import REJECT_RENAMED, RENAMED_ERROR

EDUCATION_LEVELS: tuple[str, ...] = ("mbo", "hbo", "wo")

Share = Annotated[float, Field(ge=0.0, le=1.0)]
Level = Annotated[float, Field(ge=0.0, le=1.0)]
Name = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_\-]+$")]
FileName = Annotated[
    str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")
]
"""A name that is also a safe file name (no ``/``, not ``.`` or ``..``, no leading dot): the
default output folder of a run or sweep is named after it."""
Seed = Annotated[int, Field(strict=True, ge=0, le=2**63 - 1)]
"""A seed: an integer (``true`` is not one) that fits NumPy's int64, as seeds are stored."""
MIN_DURATION = 1e-6
"""Shortest duration (months) of a logistic or linear path; drawn durations are clipped to it."""


class StrictModel(BaseModel):
    """Base of scenario and sweep models: frozen, unknown fields forbidden, defaults validated."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False
    )


class Occupation(StrictModel):
    """An occupation: a task-requirement profile over the named skills and an education level."""

    name: Name
    education: Literal["mbo", "hbo", "wo"] = Field(
        description="Education level the occupation normally requires."
    )
    base_wage: float = Field(
        gt=0, le=50_000, description="Gross monthly wage (euros) of a typical job."
    )
    requirements: dict[str, Level] = Field(
        description="Required level (0-1) per skill name; skills not listed require 0."
    )


class EmployerSizes(StrictModel):
    """How many employers a sector has and how their sizes are spread.

    ``count`` is the region's employers as they are (at 1:1); a world at ``resolution`` r is a
    1-in-r sample of them (about ``count / r`` employer agents, at least one per sector), so an
    employer agent employs as many agents as the persons an employer employs at 1:1.
    """

    count: int = Field(
        ge=1, le=5_000_000, description="Employers in the sector at 1:1 (persons-world count)."
    )
    distribution: Literal["lognormal", "equal"] = Field(
        "lognormal", description="Distribution of employer sizes within the sector."
    )
    sigma: float = Field(
        1.0, ge=0.0, le=4.0, description="Log-normal sigma of employer sizes (dispersion)."
    )


class Sector(StrictModel):
    """A sector: its share of employment, its occupation mix and its employers."""

    name: Name
    share: Share = Field(description="Share of total employment at the start.")
    occupations: dict[str, Share] = Field(description="Occupation mix; shares sum to 1.")
    employers: EmployerSizes
    wage_premium_sigma: float = Field(
        0.08, ge=0.0, le=1.0, description="Log-normal sigma of employer wage premia."
    )


class Municipality(StrictModel):
    """A municipality: where workers live and jobs are."""

    name: Name
    residents: Share = Field(description="Share of the region's workforce living here.")
    jobs: Share = Field(description="Share of the region's jobs located here.")
    x_km: float | None = Field(None, ge=-1000, le=1000, description="Easting (km).")
    y_km: float | None = Field(None, ge=-1000, le=1000, description="Northing (km).")


class Distance(StrictModel):
    """An explicit road distance between two municipalities, overriding coordinates."""

    between: tuple[Name, Name]
    km: float = Field(ge=0.0, le=2000.0)


class AgeBand(StrictModel):
    """A band of ages [min_age, max_age) and its share of the workforce."""

    min_age: int = Field(ge=15, le=75)
    max_age: int = Field(ge=16, le=76)
    share: Share


class Region(StrictModel):
    """A labour-market region (e.g. Rijnmond) with its municipalities.

    A region may differ from the scenario-wide defaults in its sector mix and demography; fields
    left out take the scenario's (``sectors[].share``, ``workforce.*``).
    """

    name: Name
    share: Share = Field(1.0, description="Share of the total workforce living in this region.")
    municipalities: list[Municipality] = Field(min_length=1)
    sector_shares: dict[str, Share] = Field(
        default_factory=dict, description="Sector shares of the region's jobs; sum to 1."
    )
    age_bands: list[AgeBand] | None = None
    education: dict[Literal["mbo", "hbo", "wo"], Share] | None = None
    initial_unemployment: float | None = Field(None, ge=0.0, le=0.5)

    def default_educators(self) -> list[Educator]:
        """The region's educators when a scenario lists none.

        One per education level, named ``f"{region.name}-{level}"``, in the region's
        municipality with the most residents (the first of them on a tie).

        Raises:
            pydantic.ValidationError: the region's name is too long for its educators' names.
        """
        home = max(self.municipalities, key=lambda m: m.residents).name
        return [
            Educator(name=f"{self.name}-{level}", level=level, municipality=home)
            for level in EDUCATION_LEVELS
        ]


class Workforce(StrictModel):
    """The synthetic population of workers at the start."""

    persons: int = Field(
        ge=10,
        le=50_000_000,
        description="Labour force (employed plus unemployed) in persons; the worker agents are "
        "persons / resolution (plus the inactive at their steady state).",
    )
    age_bands: list[AgeBand] = Field(min_length=1)
    education: dict[Literal["mbo", "hbo", "wo"], Share] = Field(
        description="Education mix; shares sum to 1."
    )
    initial_unemployment: float = Field(
        0.04, ge=0.0, le=0.5, description="Unemployment rate at start."
    )
    initial_vacancy_rate: float = Field(
        0.03, ge=0.0, le=0.5, description="Vacancy rate V/(V+E) at start."
    )
    skill_noise: float = Field(
        0.12, ge=0.0, le=0.5, description="Std. dev. of skills around the occupation profile."
    )


class Behaviour(StrictModel):
    """Monthly behavioural rates of workers and employers."""

    separation_rate: float = Field(
        0.008,
        ge=0.0,
        le=0.2,
        description="Exogenous monthly probability an employed worker separates.",
    )
    vacancy_opening_rate: Share = Field(
        0.5, description="Share of the gap between target and filled-plus-open jobs opened monthly."
    )
    layoff_rate: Share = Field(
        0.2, description="Share of the excess of headcount over target laid off monthly."
    )
    on_the_job_search_share: Share = Field(
        0.05, description="Monthly share of employed workers who search on the job."
    )
    learning_by_doing_rate: float = Field(
        0.01, ge=0.0, le=0.2, description="Monthly share of a job's missing skill learnt at work."
    )
    skill_depreciation_rate: float = Field(
        0.004,
        ge=0.0,
        le=0.2,
        description="Monthly loss share of skills not used (above job needs).",
    )
    idle_skill_depreciation: float = Field(
        0.003,
        ge=0.0,
        le=0.2,
        description="Monthly loss share, without a job, of skill above the idle floor.",
    )
    idle_skill_floor: Share = Field(
        0.8,
        description="Share of the last occupation's required levels that time out of work "
        "does not erode.",
    )
    retirement_age: float = Field(
        67.0, ge=55.0, le=75.0, description="Age at which workers retire."
    )
    graduate_inflow: float = Field(
        0.022,
        ge=0.0,
        le=0.2,
        description="New entrants from education per year, share of the workforce (used with "
        "labour_supply.entry: fixed).",
    )
    entry_age: dict[Literal["mbo", "hbo", "wo"], Annotated[float, Field(ge=15.0, le=50.0)]] = Field(
        default_factory=lambda: {"mbo": 20.0, "hbo": 22.5, "wo": 24.5},
        description="Age at which graduates of each level enter the labour market.",
    )
    reservation_wage_ratio: float = Field(
        0.95, ge=0.2, le=1.5, description="Reservation wage over last wage at the start of a spell."
    )
    reservation_wage_decline: float = Field(
        0.02,
        ge=0.0,
        le=0.2,
        description="Monthly decline of the reservation wage during unemployment.",
    )


class Matching(StrictModel):
    """Parameters of the monthly talent-task matching (see ``ecosim.kernels.matching``)."""

    mode: Literal["search", "stable", "optimal"] = "search"
    sample_size: int = Field(20, ge=1, le=500, description="Vacancies a seeker looks at.")
    applications: int = Field(3, ge=1, le=100, description="Applications per seeker per round.")
    rounds: int = Field(3, ge=1, le=20, description="Application rounds per month.")
    acceptance_threshold: Share = Field(
        0.75, description="Lowest skill fit (1 - shortfall) an employer accepts."
    )
    commute_cost_per_km: float = Field(
        0.01, ge=0.0, le=1.0, description="Utility lost per km of commute."
    )
    wage_weight: float = Field(1.0, ge=0.0, le=100.0, description="Weight of log wage gain.")
    fit_weight: float = Field(0.5, ge=0.0, le=100.0, description="Weight of skill fit in utility.")
    own_occupation_share: Share = Field(
        0.5, description="Share of sampled vacancies drawn from the seeker's own occupation."
    )
    local_share: Share = Field(
        0.3, description="Share of sampled vacancies drawn from the seeker's municipality."
    )
    skill_weights: dict[str, Annotated[float, Field(ge=0.0, le=100.0)]] = Field(
        default_factory=dict, description="Weight per skill in the shortfall; default 1 each."
    )


class LabourSupply(StrictModel):
    """Flows into and out of the labour force (see :mod:`ecosim.phases.demography`).

    The CBS labour-force survey measures large gross flows between unemployment and
    non-participation: in 2018 about 130 of 375 thousand unemployed left the labour force per
    quarter (35%, 13% a month) and about as many returned (CBS, "Minder werklozen staken
    zoektocht naar werk", 2018); the attached inactive ("semi-werklozen") were 306 thousand
    against 350 thousand unemployed in 2022 Q4 (CBS 2023). Part of the measured churn is
    misclassification between survey waves (Abowd & Zellner 1985; Poterba & Summers 1986): the
    defaults (2% a month out of unemployment, 6% back) were chosen with the rest of the
    baseline so that the long-term share of the unemployed is that of the LFS (a first
    calibration; see calibration/nl_2023.yaml), and they keep the inactive pool near the
    unemployed one. A returner's unemployment duration starts
    again (the LFS measures the time spent searching, or since the last job if shorter).
    """

    exit_rate_employed: float = Field(
        0.002, ge=0.0, le=0.2, description="Monthly probability an employed worker leaves the "
        "labour force (care, illness, study).",
    )  # fmt: skip
    exit_rate_unemployed: float = Field(
        0.02, ge=0.0, le=0.5, description="Monthly probability an unemployed worker stops "
        "searching (discouraged, care, study).",
    )  # fmt: skip
    reentry_rate: float = Field(
        0.06, ge=0.0, le=1.0, description="Monthly probability an inactive worker returns to "
        "the labour force as a job seeker.",
    )  # fmt: skip
    early_retirement_age: float = Field(
        60.0, ge=40.0, le=75.0, description="Age from which workers may retire early."
    )
    early_retirement_rate: float = Field(
        0.004, ge=0.0, le=0.2, description="Monthly probability of retiring early from that age."
    )
    entry: Literal["replacement", "fixed"] = Field(
        "replacement",
        description="replacement: new entrants replace the month's retirements and the "
        "working-age population follows labour demand (a stationary baseline); fixed: "
        "behaviour.graduate_inflow a year, whatever happens (e.g. for demographic scenarios).",
    )
    experienced_share: Share = Field(
        0.25,
        description="Share of entrants who are experienced workers moving in or starting to "
        "commute, drawn to occupations by their open vacancies (ASSUMED; the rest are "
        "graduates).",
    )
    demand_elasticity: Share = Field(
        1.0,
        description="replacement: elasticity of the working-age population's target with "
        "respect to total target employment (1: supply follows demand fully, e.g. by migration "
        "and commuting; 0: a fixed population).",
    )
    adjustment_months: float = Field(
        24.0, ge=1.0, le=600.0, description="Months over which the population closes a gap to "
        "its target.",
    )  # fmt: skip


class HireAndTrain(StrictModel):
    """Employer-paid on-the-job training of workers hired with a skill shortfall.

    A hire whose fit is below 1 by more than ``min_shortfall`` is trained on the job for
    ``months``: learning by doing runs at ``rate`` a month instead of the usual rate, closing
    most of the gap. The employer pays ``cost_months`` of the hire's wage per unit of shortfall
    (a 0.2 shortfall costs 0.2 x cost_months monthly wages), booked as employer training and
    eligible for the employer training subsidy.
    """

    enabled: bool = True
    min_shortfall: Share = Field(0.02, description="Smallest shortfall that is trained.")
    months: int = Field(6, ge=1, le=60, description="Months of on-the-job training.")
    rate: Share = Field(
        0.15, description="Monthly share of the missing skill learnt during the training."
    )
    cost_months: float = Field(
        6.0, ge=0.0, le=120.0, description="Training cost in monthly wages per unit shortfall."
    )


class Hiring(StrictModel):
    """How employers post, keep and withdraw vacancies (see :mod:`ecosim.phases.vacancies`).

    At month end an employer replaces the workers who left a job (separations, retirements,
    exits, job-to-job moves) by posting vacancies, as long as the job is not above target, and
    opens ``behaviour.vacancy_opening_rate`` of any further gap to target. A vacancy stays open
    until it is filled or, after ``max_vacancy_months``, withdrawn. The vacancy stock is counted
    at month end, before the next month's matching, as CBS counts open vacancies on the last
    day of the quarter.

    A fresh vacancy accepts a worker whose skill fit is at least ``matching.acceptance_threshold``
    (the hiring standard); the longer it stays open, the lower the standard, by
    ``standard_decline`` a month down to ``standard_floor`` — employers lower requirements when
    posts are hard to fill (Modestino, Shoag & Ballance 2020) — and the hire's shortfall is
    trained on the job (``hire_and_train``). Every standard of an occupation whose vacancy rate
    is above ``tight_vacancy_rate`` is lower by ``tightness_decline`` per unit of the excess.
    """

    replacement_share: Share = Field(
        1.0, description="Share of the month's departures from a job replaced by a vacancy."
    )
    spontaneous_opening_rate: float = Field(
        0.0,
        ge=0.0,
        le=0.2,
        description="Vacancies opened monthly per employed worker regardless of the gap to "
        "target (a spontaneous term like the delta_v of del Rio-Chanona et al. 2021, in "
        "ecosim's own rule; 0 in the default model).",
    )
    max_vacancy_months: int = Field(
        12, ge=1, le=120, description="Months an unfilled vacancy stays open before withdrawal."
    )
    standard_decline: float = Field(
        0.02,
        ge=0.0,
        le=1.0,
        description="Fall of a vacancy's hiring standard (lowest fit accepted) per month it "
        "stays open, from matching.acceptance_threshold down to standard_floor.",
    )
    standard_floor: Share = Field(
        0.5, description="The lowest hiring standard of a vacancy, however long it is open."
    )
    tightness_decline: float = Field(
        0.0,
        ge=0.0,
        le=10.0,
        description="Fall of every hiring standard of an occupation per unit of its vacancy "
        "rate V/(V+E) above tight_vacancy_rate (employers ask less where workers are scarce), "
        "down to standard_floor.",
    )
    tight_vacancy_rate: Share = Field(
        0.05,
        description="The occupation vacancy rate above which standards fall with tightness: "
        "about the Dutch economy-wide rate in the tight market of 2022-2023 (CBS).",
    )
    sampling: Literal["vacancies", "cells"] = Field(
        "vacancies",
        description="What a seeker's draw picks uniformly: one open vacancy (so an employer "
        "with more openings is drawn more often: urn-ball) or one employer-occupation cell.",
    )
    hire_and_train: HireAndTrain = Field(default_factory=HireAndTrain)


class DelRioChanona(StrictModel):
    """Parameters of the del Rio-Chanona et al. (2021) rules of separation and opening.

    R. M. del Rio-Chanona, P. Mealy, M. Beguerisse-Díaz, F. Lafond and J. D. Farmer (2021),
    "Occupational mobility and automation: a data-driven network model", *J. R. Soc.
    Interface* 18: 20200898. Rates are per model step; the defaults are the paper's calibrated
    values per 6.75-week step (``gamma_u = gamma_v = 10 delta_u``), so a scenario that uses them
    reads a step as 6.75 weeks (``scenarios/literature/del_rio_chanona_2021.yaml`` says why).
    """

    delta_u: Share = Field(
        0.016, description="delta_u: share of employed workers separated each step, whatever "
        "the demand (spontaneous separations).",
    )  # fmt: skip
    delta_v: Share = Field(
        0.012, description="delta_v: vacancies opened each step per employed worker, whatever "
        "the demand (spontaneous openings).",
    )  # fmt: skip
    gamma_u: Share = Field(
        0.16, description="gamma_u: share of the excess of realised demand (employed plus open "
        "vacancies) over target demand shed by separations each step.",
    )  # fmt: skip
    gamma_v: Share = Field(
        0.16, description="gamma_v: share of the shortfall of realised demand below target "
        "demand opened as vacancies each step.",
    )  # fmt: skip


class LabourDemand(StrictModel):
    """Which rules decide separations and vacancy openings (:mod:`ecosim.phases.labour_demand`).

    ``ecosim`` (the default) is the model's own: exogenous separations at
    ``behaviour.separation_rate``, layoffs of ``behaviour.layoff_rate`` of any headcount over
    target, departures replaced by vacancies and ``behaviour.vacancy_opening_rate`` of any
    further gap opened, surplus vacancies withdrawn. ``del_rio_chanona`` replaces all of that by
    the rules of del Rio-Chanona et al. (2021), with the parameters of ``del_rio_chanona``:
    each step, decided from the stocks at its start, an employed worker separates with
    probability ``(delta_u e + (1 - delta_u) min(e, gamma_u max(0, d - d†))) / e`` and each
    employed worker opens a vacancy with probability
    ``(delta_v e + (1 - delta_v) min(e, gamma_v max(0, d† - d))) / e``, per employer and
    occupation, with ``e`` its employed, ``d = e + v`` its realised demand (``v`` open vacancies)
    and ``d†`` its target; nothing else separates workers or opens or withdraws vacancies
    (except ``hiring.max_vacancy_months``).
    """

    rule: Literal["ecosim", "del_rio_chanona"] = Field(
        "ecosim", description="The rules of separations and openings (see above)."
    )
    initial_target: Literal["jobs", "labour_force"] = Field(
        "jobs",
        description="Target employment at the start: jobs, the filled plus open jobs; "
        "labour_force, per occupation its employed plus unemployed, shared over its employers "
        "in proportion to their jobs (as del Rio-Chanona et al. 2021 set target demand).",
    )
    del_rio_chanona: DelRioChanona = Field(default_factory=DelRioChanona)


class Wages(StrictModel):
    """How occupations' wages respond to persistent shortage or surplus (``ecosim.phases.wages``).

    With the defaults, an occupation whose vacancies per job seeker stay twice what they were
    at the start, relative to the region's, pays about 7% more (0.1 x ln 2), reached over a
    year or two.
    """

    elasticity: float = Field(
        0.1,
        ge=0.0,
        le=2.0,
        description="Elasticity of an occupation's offered wage with respect to its relative "
        "tightness (0: fixed wages).",
    )
    smoothing_months: float = Field(
        6.0, ge=1.0, le=120.0, description="Months over which tightness is averaged."
    )
    adjustment_months: float = Field(
        12.0, ge=1.0, le=600.0, description="Months over which wages close the gap to their "
        "tightness-implied level.",
    )  # fmt: skip
    max_rise: float = Field(
        0.2, ge=0.0, le=2.0, description="Largest rise of the wage index above 1."
    )
    max_fall: Share = Field(0.1, description="Largest fall of the wage index below 1.")


class UnemploymentBenefits(StrictModel):
    """Unemployment insurance (like the Dutch WW) and the social-assistance floor."""

    replacement_rate: Share = Field(0.7, description="Benefit over last wage.")
    duration_months: int = Field(24, ge=0, le=60, description="Maximum benefit duration.")
    max_monthly_benefit: float = Field(
        4_500.0, ge=0.0, le=50_000.0, description="Cap on the monthly benefit (euros)."
    )
    social_assistance: float = Field(
        1_450.0, ge=0.0, le=10_000.0, description="Monthly floor after benefits end (euros)."
    )


class Eligibility(StrictModel):
    """Who may use an instrument: statuses, ages [min_age, max_age) and education levels."""

    statuses: list[Literal["employed", "unemployed"]] = Field(
        default_factory=lambda: ["employed", "unemployed"], min_length=1
    )
    min_age: float = Field(15.0, ge=15.0, le=76.0)
    max_age: float = Field(76.0, ge=15.0, le=76.0)
    education: list[Literal["mbo", "hbo", "wo"]] = Field(
        default_factory=lambda: list(EDUCATION_LEVELS), min_length=1
    )


class _Instrument(StrictModel):
    """A government instrument: off unless ``enabled``; active in months [start, end)."""

    enabled: bool = Field(False, description="Whether the instrument exists in the scenario.")
    budget: float = Field(
        0.0, ge=0.0, le=1e12, description="Total euros over the run; never exceeded."
    )
    start: int = Field(0, ge=0, le=1200, description="First month the instrument is active.")
    end: int | None = Field(
        None, ge=1, le=1201, description="Month it stops (exclusive); none: until the end."
    )
    spread: Literal["uniform", "none"] = Field(
        "uniform",
        description="uniform: the budget is a monthly envelope, budget / active months, unspent "
        "money carried forward; none: the whole budget is available from the first month.",
    )

    def active(self, month: int) -> bool:
        """Whether the instrument is on in ``month``."""
        return self.enabled and self.start <= month and (self.end is None or month < self.end)


class Vouchers(_Instrument):
    """Individual training vouchers (like the Dutch STAP budget / individual learning budget)."""

    amount_per_person_per_year: float = Field(
        1_000.0, ge=0.0, le=100_000.0, description="Euros a person may use per calendar year."
    )
    eligibility: Eligibility = Field(default_factory=Eligibility)


class EmployerSubsidy(_Instrument):
    """A subsidy on the cost of employer-initiated training (like the Dutch SLIM scheme)."""

    share: Share = Field(0.5, description="Share of the course cost paid by the subsidy.")


class Retraining(_Instrument):
    """Targeted retraining of displaced workers (laid off or hit by a closure, unemployed).

    Eligible workers get the full course cost paid (up to ``max_cost_per_person``) and a higher
    propensity to train (outreach); like every unemployed worker they aim at the occupation with
    the best perceived prospects within reach (``ecosim.phases.training.aimed_occupation``).
    """

    max_cost_per_person: float = Field(5_000.0, ge=0.0, le=100_000.0)
    propensity_boost: float = Field(
        3.0, ge=1.0, le=100.0, description="Multiplier on the monthly propensity to train."
    )


class LearningCommunityFunding(_Instrument):
    """Government pays a share of learning communities' running costs."""

    share: Share = Field(0.5, description="Share of the communities' monthly cost paid.")


class HumanCapitalAgenda(_Instrument):
    """Information: a regional human-capital agenda that makes demand forecasts less noisy.

    Multiplies the noise in curricula's demand signals, students' and job seekers' perceived
    prospects and workers' view of their jobs' requirements by ``1 - noise_reduction``, and
    makes the requirements the region's transition plans announce ``horizon_months`` ahead
    known: workers and curricula aim at them instead of today's (without the agenda a worker
    sees only the job as it is). Regional agendas publish such outlooks of skill needs (e.g.
    the Dutch regional human-capital agendas and UWV's labour-market outlooks).
    """

    noise_reduction: Share = Field(0.5, description="Share of forecast noise removed.")
    horizon_months: int = Field(
        24, ge=0, le=240, description="How far ahead the agenda's outlook of requirements looks."
    )
    monthly_cost: float = Field(
        0.0, ge=0.0, le=1e9, description="Euros per month of running the agenda."
    )


class Government(StrictModel):
    """Government instruments."""

    unemployment_benefits: UnemploymentBenefits = Field(default_factory=UnemploymentBenefits)
    vouchers: Vouchers = Field(default_factory=Vouchers)
    employer_subsidy: EmployerSubsidy = Field(default_factory=EmployerSubsidy)
    retraining: Retraining = Field(default_factory=Retraining)
    learning_community_funding: LearningCommunityFunding = Field(
        default_factory=LearningCommunityFunding
    )
    hc_agenda: HumanCapitalAgenda = Field(default_factory=HumanCapitalAgenda)


class Course(StrictModel):
    """A course: raises named skills by a gain, takes months, costs money, may be dropped."""

    name: Name
    skills: dict[str, Annotated[float, Field(gt=0.0, le=1.0)]] = Field(
        min_length=1, description="Skill gain on completion per skill (clipped to 1)."
    )
    months: int = Field(3, ge=1, le=48, description="Duration in months.")
    cost: float = Field(1_500.0, ge=0.0, le=100_000.0, description="Euros per participant.")
    dropout: Share = Field(0.15, description="Probability of dropping out over the course.")
    provider_level: Literal["mbo", "hbo", "wo"] = Field(
        "mbo", description="Educators of this level provide the course."
    )
    places_per_provider: int = Field(
        25_000, ge=0, le=10_000_000, description="Concurrent participants (persons) per provider."
    )
    available_from: int = Field(
        0, ge=0, le=1200, description="First month the course is offered (new skills)."
    )


class DefaultCourse(StrictModel):
    """Template of the catalogue used when ``learning.courses`` is empty: one course per skill."""

    gain: float = Field(0.1, gt=0.0, le=1.0)
    months: int = Field(3, ge=1, le=48)
    cost: float = Field(1_500.0, ge=0.0, le=100_000.0)
    dropout: Share = 0.15
    provider_level: Literal["mbo", "hbo", "wo"] = "mbo"
    places_per_provider: int = Field(25_000, ge=0, le=10_000_000)


class PropensityBand(StrictModel):
    """Monthly base probability of starting a course for ages [min_age, max_age)."""

    min_age: float = Field(ge=15.0, le=76.0)
    max_age: float = Field(ge=15.0, le=76.0)
    monthly_rate: Share


def _default_propensity_bands() -> list[PropensityBand]:
    rates = ((15, 25, 0.15), (25, 35, 0.15), (35, 45, 0.088), (45, 55, 0.078), (55, 76, 0.048))
    return [PropensityBand(min_age=a, max_age=b, monthly_rate=r) for a, b, r in rates]


class Propensity(StrictModel):
    """Workers' decision to start a course (made in :mod:`ecosim.phases.training`).

    Monthly probability ``min(1, base(age) * m(education) * u * exp(b_r * v - b_c * k / w))``
    with ``v`` the course's expected shortfall reduction, ``k`` the cost left after funding,
    ``w`` the monthly wage (last wage when unemployed) and ``u`` the unemployed factor.
    """

    by_age_band: list[PropensityBand] = Field(
        default_factory=_default_propensity_bands,
        min_length=1,
        description="Base monthly rates by age (calibrated to CBS LLO participation).",
    )
    by_education: dict[Literal["mbo", "hbo", "wo"], Annotated[float, Field(ge=0.0, le=100.0)]] = (
        Field(
            default_factory=lambda: {"mbo": 0.8, "hbo": 1.15, "wo": 1.25},
            description="Multiplier per education level (missing levels: 1).",
        )
    )
    unemployed_factor: float = Field(1.0, ge=0.0, le=20.0)
    return_weight: float = Field(
        5.0, ge=0.0, le=100.0, description="Weight b_r of the expected shortfall reduction."
    )
    cost_weight: float = Field(
        1.0, ge=0.0, le=100.0, description="Weight b_c of the net cost in monthly wages."
    )


class EmployerTraining(StrictModel):
    """Employers train incumbents whose jobs drifted away from their skills.

    An incumbent with shortfall above the threshold is considered with probability
    ``monthly_rate`` a month; the employer then buys the best course with probability
    ``rho**k / (1 + rho**k)``, ``rho`` the course's benefit ``v * wage * payoff_months`` over
    its net cost and ``k`` the price sensitivity (half the time when they are equal), provided
    the net cost is below replacing the worker (``hiring_cost_months * wage``).
    """

    enabled: bool = True
    shortfall_threshold: Share = Field(0.15)
    monthly_rate: Share = Field(0.1)
    payoff_months: float = Field(24.0, ge=0.0, le=240.0)
    hiring_cost_months: float = Field(3.0, ge=0.0, le=60.0)
    price_sensitivity: float = Field(
        1.0,
        ge=0.0,
        le=20.0,
        description="k: elasticity of the odds of training with respect to benefit over cost.",
    )


class Curricula(StrictModel):
    """Initial education: programme curricula following demand signals with a lag.

    Each occupation has a programme at its education level; its curriculum (a skill profile)
    moves each month by ``1 - (1 - responsiveness) ** (1 / 12)`` of the way toward the demand
    signal (the current requirements plus noise ``signal_noise``).
    """

    responsiveness: Share = Field(0.3, description="Share of the gap closed per year.")
    signal_noise: float = Field(0.1, ge=0.0, le=1.0, description="Std. dev. of demand signals.")
    prospect_weight: Share = Field(
        0.5, description="Weight of perceived job prospects in students' programme choice."
    )
    prospect_noise: float = Field(
        0.3, ge=0.0, le=3.0, description="Log-normal noise in perceived prospects."
    )


class Learning(StrictModel):
    """Reactive and conditional learning (courses, employer training, curricula)."""

    enabled: bool = Field(True, description="Whether workers and employers take courses.")
    courses: list[Course] = Field(
        default_factory=list, description="Catalogue; empty: one default course per skill."
    )
    default_course: DefaultCourse = Field(default_factory=DefaultCourse)
    propensity: Propensity = Field(default_factory=Propensity)
    retraining_reach: Share = Field(
        0.1,
        description="How far below the lowest hiring standard (hiring.standard_floor) an "
        "unemployed worker's skill fit to an occupation may be for retraining to aim at it.",
    )
    switch_ratio: float = Field(
        2.0,
        ge=1.0,
        le=100.0,
        description="How many times the vacancies per job seeker of their own occupation "
        "another must offer for an unemployed worker to retrain toward it.",
    )
    prospect_noise: float = Field(
        0.5,
        ge=0.0,
        le=3.0,
        description="Log-normal noise in the unemployed's view of occupations' prospects "
        "(vacancies per job seeker), reduced by the human-capital agenda.",
    )
    training_search_factor: Share = Field(
        0.5, description="Search intensity of workers in a course relative to others."
    )
    perception_noise: float = Field(
        0.05, ge=0.0, le=1.0, description="Std. dev. of workers' view of job requirements."
    )
    employer_training: EmployerTraining = Field(default_factory=EmployerTraining)
    curricula: Curricula = Field(default_factory=Curricula)

    def catalogue(self, skills: Sequence[str]) -> list[Course]:
        """The courses offered: the listed ones, or one default course per skill."""
        if self.courses:
            return list(self.courses)
        d = self.default_course
        return [
            Course(
                name=f"{skill}-course",
                skills={skill: d.gain},
                months=d.months,
                cost=d.cost,
                dropout=d.dropout,
                provider_level=d.provider_level,
                places_per_provider=d.places_per_provider,
            )
            for skill in skills
        ]


class LearningCommunity(StrictModel):
    """A learning community: employers of a sector (in a region) with educators (proactive).

    Members' programmes (the sector's occupations) renew curricula faster
    (``responsiveness * (1 + responsiveness_boost)``) and look ``lead_months`` ahead at the
    requirements; members' employees gain ``1 + training_effectiveness`` times more from
    courses and get new courses ``lead_months`` earlier. With ``side_entry`` the community
    also trains side entrants: a job seeker retraining toward one of its occupations learns in
    its programmes with the same effect and lead — the route regional partnerships of
    employers, schools and UWV open into shortage occupations (zij-instroom, e.g. the
    sectorplannen and the Regionale Mobiliteitsteams). A community's courses then add people
    to its occupations, not only skills to those already in them. Each member employer costs
    ``cost_per_member_per_month`` euros (participation time and money).
    """

    name: Name
    sector: Name
    region: Name | None = None
    educators: list[Name] = Field(default_factory=list)
    member_share: Share = Field(1.0, description="Share of the sector's employers that join.")
    start: int = Field(0, ge=0, le=1200)
    end: int | None = Field(None, ge=1, le=1201)
    responsiveness_boost: float = Field(1.0, ge=0.0, le=20.0)
    lead_months: int = Field(12, ge=0, le=120)
    training_effectiveness: float = Field(0.25, ge=0.0, le=5.0)
    cost_per_member_per_month: float = Field(1_000.0, ge=0.0, le=1e7)
    side_entry: bool = Field(
        True,
        description="Job seekers retraining toward the community's occupations learn in its "
        "programmes (its effect and lead); false limits it to the members' employees.",
    )


class Educator(StrictModel):
    """An education institution (mbo/hbo/wo) in a municipality.

    Its level's graduates and curricula are the educator's; course places are the catalogue's
    (``places_per_provider`` x the providers of the level), so an educator has no capacity field
    of its own (an earlier one was read and never used).
    """

    name: Name
    level: Literal["mbo", "hbo", "wo"]
    municipality: Name


class Uniform(StrictModel):
    """A number drawn uniformly from [low, high] once per run."""

    dist: Literal["uniform"]
    low: float
    high: float


class Normal(StrictModel):
    """A number drawn from a normal distribution once per run (clipped to the field's range)."""

    dist: Literal["normal"]
    mean: float
    sd: float = Field(ge=0.0)


class Triangular(StrictModel):
    """A number drawn from a triangular distribution on [low, high] with its mode."""

    dist: Literal["triangular"]
    low: float
    mode: float
    high: float


def _uncertain_tag(value: Any) -> str:
    return "[distribution]" if isinstance(value, Mapping | BaseModel) else "[number]"


Distribution = Annotated[Uniform | Normal | Triangular, Field(discriminator="dist")]
"""A scenario's distribution, of a kind in ``ecosim.config.distributions.ScenarioDist``."""


@dataclass(frozen=True)
class Bounds:
    """The range of an uncertain number: ``Annotated[Uncertain, Bounds(0, 1200)]``.

    Validation checks a plain number against it, and a distribution's parameters: the bounds of
    a uniform or triangular one (so every draw is within), the mean of a normal one, whose
    draws :func:`ecosim.transitions.draw_uncertain` clips to the range. Without it a month of
    ``1e300`` or a normal with a huge spread would pass validation and break the run.
    """

    low: float
    high: float

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def _check(self, value: float | Uniform | Normal | Triangular) -> Any:
        if isinstance(value, Normal):
            named = {"mean": value.mean}
        elif isinstance(value, Uniform | Triangular):
            named = {k: getattr(value, k) for k in ("low", "mode", "high") if hasattr(value, k)}
        else:
            named = {"": value}
        for name, number in named.items():
            if not self.low <= number <= self.high:
                what = f"{value.dist} {name} " if name else ""
                msg = f"{what}must be between {self.low:g} and {self.high:g} (got {number:g})"
                raise PydanticCustomError("out_of_bounds", msg)
        return value


Uncertain = Annotated[
    Annotated[float, Tag("[number]")] | Annotated[Distribution, Tag("[distribution]")],
    Discriminator(_uncertain_tag),
    REJECT_RENAMED,
]
"""A value, or a distribution to draw it from once per run (recorded in provenance); a field
of this type gives its range with :class:`Bounds`.

A number or a mapping picks the branch, so that a mistake is one problem, at the field that is
wrong, instead of one per branch. The branches' tags are written in brackets, which no field
name has: the loader leaves them, and the kind of distribution after ``[distribution]``, out of
the paths it reports (``...duration.mean``, not ``...duration.[distribution].normal.mean``).
"""


class TimePath(StrictModel):
    """A time path: a multiplier (demand) or the share of a move done (content drift).

    Kinds, with ``t`` the month and ``f`` = ``final``:

    * ``logistic``: ``1 + (f - 1) * L(t)`` with ``L`` the logistic curve that passes 5% at
      ``start`` and 95% at ``start + duration``;
    * ``linear``: ``1 + (f - 1) * clip((t - start) / duration, 0, 1)``;
    * ``step``: ``1`` before ``start``, ``f`` from ``start`` on;
    * ``table``: linear interpolation through ``points`` ``[[month, value], ...]``, constant
      beyond the first and last point;
    * ``sine`` (demand only): ``1`` before ``start``, then
      ``1 + amplitude * sin(2 pi (t - start) / period)``: a business cycle.

    For content drift the path runs from 0 to ``final`` instead of from 1 (the share of the move
    toward the new profile that is done).
    """

    kind: Literal["logistic", "linear", "step", "table", "sine"]
    start: Annotated[Uncertain, Bounds(-1200.0, 1200.0)] = Field(
        0.0, description="Month the change starts (logistic: reaches 5%)."
    )
    duration: Annotated[Uncertain, Bounds(0.0, 1200.0)] = Field(
        12.0, description="Months from start to (almost) full change."
    )
    final: Annotated[Uncertain, Bounds(0.0, 10.0)] = Field(
        1.0, description="Final multiplier (demand) or share (drift); at most tenfold."
    )
    points: list[
        tuple[
            Annotated[float, Field(ge=-1200.0, le=2400.0)], Annotated[float, Field(ge=0.0, le=10.0)]
        ]
    ] = Field(default_factory=list, description="table: [month, multiplier or share] points.")
    # Bounded loosely here so that the cross-checks can say why |amplitude| <= 1 (and draws are
    # clipped to it); the schema only keeps hostile numbers out.
    amplitude: Annotated[Uncertain, Bounds(-1000.0, 1000.0)] = Field(
        0.0, description="sine: relative amplitude of the cycle, between -1 and 1."
    )
    period: Annotated[Uncertain, Bounds(0.0, 1200.0)] = Field(
        12.0, description="sine: months of one full cycle."
    )


class DemandPath(StrictModel):
    """Target employment multiplied by a path over time.

    The path applies to the jobs of its ``sector`` and/or ``occupation`` in its ``region``;
    what is not named is not restricted — a path naming nothing moves every job in the region
    (e.g. a business cycle).
    """

    name: str = Field("", description="Optional; lets a variant override this path by name.")
    sector: Name | None = None
    occupation: Name | None = None
    region: Name | None = None
    path: TimePath


class ContentDrift(StrictModel):
    """Requirement profiles of occupations move toward new skill levels over time."""

    name: str = Field("", description="Optional; lets a variant override this drift by name.")
    occupations: list[Name] = Field(min_length=1)
    toward: dict[str, Level] = Field(min_length=1, description="New required level per skill.")
    path: TimePath = Field(description="Share of the move done over time (0 -> final).")


class Event(StrictModel):
    """A discrete shock: an employer closes (mass layoff) or a new one opens (hiring wave)."""

    kind: Literal["closure", "opening"]
    month: Annotated[Uncertain, Bounds(0.0, 1200.0)]
    sector: Name
    region: Name | None = None
    municipality: Name | None = None
    rank: int = Field(
        1,
        ge=1,
        le=1000,
        description="closure without jobs: close the rank-th largest employer (which employer "
        "that is depends on the resolution: prefer jobs).",
    )
    jobs: Annotated[Uncertain, Bounds(0.0, 1e7)] = Field(
        0.0,
        description="opening: jobs (persons) at the new employer; at most the labour force "
        "(workforce.persons). closure: jobs (persons) of the closing employer, built with the "
        "world from its sector's jobs so that it exists at every resolution (0: close by rank).",
    )
    occupations: dict[str, Share] = Field(
        default_factory=dict, description="opening: occupation mix (default: the sector's)."
    )
    name: str = ""


class Transition(StrictModel):
    """A transition (e.g. energy, circular): demand paths, content drift and events."""

    name: Name
    description: str = ""
    demand: list[DemandPath] = Field(default_factory=list)
    drift: list[ContentDrift] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)


class Scenario(StrictModel):
    """A complete, validated ecosim scenario."""

    name: FileName = Field(
        "scenario", description="Names the run; its default output folder is results/<name>."
    )
    description: str = Field("", max_length=5000)
    seed: Seed = Field(0, description="Seed of every random stream in a run.")
    months: int = Field(120, ge=1, le=1200, description="Length of a run in months.")
    burn_in: int = Field(
        36,
        ge=0,
        le=600,
        description="Months simulated before month 0 so that the run starts from the model's "
        "steady state, not the synthetic initial one (nothing is recorded or booked, no "
        "transition or instrument acts).",
    )
    resolution: float = Field(
        1.0,
        gt=0.0,
        le=100_000.0,
        description="Persons per agent: the world is a 1-in-resolution sample of the region "
        "(workforce.persons / resolution worker agents, employers.count / resolution employers).",
    )
    skills: list[Name] = Field(min_length=1, max_length=64)
    occupations: list[Occupation] = Field(min_length=1)
    sectors: list[Sector] = Field(min_length=1)
    regions: list[Region] = Field(min_length=1)
    distances: list[Distance] = Field(default_factory=list)
    workforce: Workforce
    behaviour: Behaviour = Field(default_factory=Behaviour)
    matching: Matching = Field(default_factory=Matching)
    hiring: Hiring = Field(default_factory=Hiring)
    labour_demand: LabourDemand = Field(default_factory=LabourDemand)
    labour_supply: LabourSupply = Field(default_factory=LabourSupply)
    wages: Wages = Field(default_factory=Wages)
    government: Government = Field(default_factory=Government)
    educators: list[Educator] = Field(default_factory=list)
    transitions: list[Transition] = Field(default_factory=list)
    learning: Learning = Field(default_factory=Learning)
    learning_communities: list[LearningCommunity] = Field(default_factory=list)
    cross_region_extra_km: float = Field(
        25.0, ge=0.0, le=1000.0, description="Extra commuting distance charged across regions."
    )

    @model_validator(mode="before")
    @classmethod
    def _reject_agent_counts(cls, data: Any) -> Any:
        """Refuse ``scale`` and ``workforce.size``, which counted agents, with what to write."""
        return _reject_agent_counts(data)

    @property
    def worker_agents(self) -> int:
        """Worker agents of the labour force: ``workforce.persons / resolution``, rounded."""
        return _half_up(self.workforce.persons / self.resolution)

    def employer_agents(self, sector: Sector) -> int:
        """Employer agents of a sector: ``employers.count / resolution``, rounded, at least 1."""
        return max(_half_up(sector.employers.count / self.resolution), 1)

    @property
    def municipality_names(self) -> list[str]:
        """All municipality names, region by region."""
        return [m.name for r in self.regions for m in r.municipalities]

    def distance_matrix(self) -> np.ndarray:
        """Distances (km) between all municipalities: coordinates, then explicit overrides."""
        munis = [m for r in self.regions for m in r.municipalities]
        xy = np.array([[m.x_km or 0.0, m.y_km or 0.0] for m in munis], dtype=np.float64)
        dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=-1))
        index = {m.name: i for i, m in enumerate(munis)}
        for d in self.distances:
            a, b = index[d.between[0]], index[d.between[1]]
            dist[a, b] = dist[b, a] = d.km
        return dist

    def requirement_matrix(self) -> np.ndarray:
        """Requirements (occupations x skills), skills in scenario order."""
        col = {s: j for j, s in enumerate(self.skills)}
        req = np.zeros((len(self.occupations), len(self.skills)))
        for i, occ in enumerate(self.occupations):
            for skill, level in occ.requirements.items():
                req[i, col[skill]] = level
        return req

    def skill_weight_vector(self) -> np.ndarray:
        """Skill weights of the matching (1 where not given)."""
        return np.array([self.matching.skill_weights.get(s, 1.0) for s in self.skills])

    def educator_list(self) -> list[Educator]:
        """The educators of a run: the listed ones, or else every region's default educators.

        See :meth:`Region.default_educators` for the defaults. Never fails for a scenario that
        passed the semantic checks (they report region names too long for the defaults).
        """
        if self.educators:
            return list(self.educators)
        return [e for region in self.regions for e in region.default_educators()]


def _half_up(x: float) -> int:
    """``x`` rounded to the nearest whole number, halves up (the same on every platform)."""
    return int(np.floor(x + 0.5))


def _reject_agent_counts(data: Any) -> Any:
    """Scenario data with ``scale`` or ``workforce.size`` is an error naming what replaced them.

    Both counted agents: ``size`` worker agents of ``scale`` persons each, beside employer
    counts that were agents too, so changing ``size`` changed the region rather than its
    resolution. A scenario now says ``workforce.persons`` and 1:1 employer counts, and
    ``resolution`` alone sets the agents. An old file is refused rather than reinterpreted, since
    reading its employer counts as 1:1 counts would silently change its results.
    """
    if not isinstance(data, Mapping):
        return data
    workforce = data.get("workforce")
    size = workforce.get("size") if isinstance(workforce, Mapping) else None
    scale = data.get("scale")
    renamed = []
    if "scale" in data:
        renamed.append(
            (
                "scale",
                f"resolution: {scale} (persons per agent), and give employers.count at 1:1 "
                "(the old counts x scale)",
            )
        )
    if size is not None:
        numbers = all(isinstance(v, int | float) for v in (size, scale))
        persons = f" {round(size * scale)}" if numbers else ""
        renamed.append(
            (
                "workforce.size",
                f"workforce.persons:{persons} (the labour force in persons: the old size x "
                "scale); fewer or more agents: set resolution",
            )
        )
    if renamed:
        text = ", ".join(f"{old} is now {new}" for old, new in renamed)
        raise PydanticCustomError(
            RENAMED_ERROR, "renamed: {text}", {"text": text, "renamed": renamed}
        )
    return data
