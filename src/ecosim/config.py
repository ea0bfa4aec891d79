"""Scenario schema, YAML loading and error reporting.

A scenario is plain data: a YAML file validated by the pydantic models below. Every number has a
range and every default is documented once, here. Loading never executes anything from the file
(``yaml.SafeLoader`` only).

Problems are collected, not raised one at a time: :func:`load_scenario` raises a single
:class:`ScenarioError` that lists every problem as ``FILE:LINE: dotted.path: message (got VALUE)``.

Dotted overrides (``behaviour.separation_rate=0.02``, CLI ``--set``) address mapping keys by name
and list items by index or, for lists of named items, by the item's ``name``
(``occupations.process_operator.base_wage=3600``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

EDUCATION_LEVELS: tuple[str, ...] = ("mbo", "hbo", "wo")
SHARE_TOLERANCE = 1e-3

Share = Annotated[float, Field(ge=0.0, le=1.0)]
Level = Annotated[float, Field(ge=0.0, le=1.0)]
Name = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_\-]+$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class Occupation(_Strict):
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


class EmployerSizes(_Strict):
    """How many employer agents a sector has and how their sizes are spread."""

    count: int = Field(ge=1, le=100_000, description="Number of employer agents in the sector.")
    distribution: Literal["lognormal", "equal"] = Field(
        "lognormal", description="Distribution of employer sizes within the sector."
    )
    sigma: float = Field(
        1.0, ge=0.0, le=4.0, description="Log-normal sigma of employer sizes (dispersion)."
    )


class Sector(_Strict):
    """A sector: its share of employment, its occupation mix and its employers."""

    name: Name
    share: Share = Field(description="Share of total employment at the start.")
    occupations: dict[str, Share] = Field(description="Occupation mix; shares sum to 1.")
    employers: EmployerSizes
    wage_premium_sigma: float = Field(
        0.08, ge=0.0, le=1.0, description="Log-normal sigma of employer wage premia."
    )


class Municipality(_Strict):
    """A municipality: where workers live and jobs are."""

    name: Name
    residents: Share = Field(description="Share of the region's workforce living here.")
    jobs: Share = Field(description="Share of the region's jobs located here.")
    x_km: float | None = Field(None, ge=-1000, le=1000, description="Easting (km).")
    y_km: float | None = Field(None, ge=-1000, le=1000, description="Northing (km).")


class Distance(_Strict):
    """An explicit road distance between two municipalities, overriding coordinates."""

    between: tuple[Name, Name]
    km: float = Field(ge=0.0, le=2000.0)


class AgeBand(_Strict):
    """A band of ages [min_age, max_age) and its share of the workforce."""

    min_age: int = Field(ge=15, le=75)
    max_age: int = Field(ge=16, le=76)
    share: Share


class Region(_Strict):
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


class Workforce(_Strict):
    """The synthetic population of workers at the start."""

    size: int = Field(ge=10, le=5_000_000, description="Number of worker agents.")
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


class Behaviour(_Strict):
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
    retirement_age: float = Field(
        67.0, ge=55.0, le=75.0, description="Age at which workers retire."
    )
    graduate_inflow: float = Field(
        0.022,
        ge=0.0,
        le=0.2,
        description="New entrants from education per year, share of the workforce.",
    )
    entry_age: dict[Literal["mbo", "hbo", "wo"], float] = Field(
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


class Matching(_Strict):
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


class UnemploymentBenefits(_Strict):
    """Unemployment insurance (like the Dutch WW) and the social-assistance floor."""

    replacement_rate: Share = Field(0.7, description="Benefit over last wage.")
    duration_months: int = Field(24, ge=0, le=60, description="Maximum benefit duration.")
    max_monthly_benefit: float = Field(
        4_500.0, ge=0.0, le=50_000.0, description="Cap on the monthly benefit (euros)."
    )
    social_assistance: float = Field(
        1_450.0, ge=0.0, le=10_000.0, description="Monthly floor after benefits end (euros)."
    )


class Eligibility(_Strict):
    """Who may use an instrument: statuses, ages [min_age, max_age) and education levels."""

    statuses: list[Literal["employed", "unemployed"]] = Field(
        default_factory=lambda: ["employed", "unemployed"], min_length=1
    )
    min_age: float = Field(15.0, ge=15.0, le=76.0)
    max_age: float = Field(76.0, ge=15.0, le=76.0)
    education: list[Literal["mbo", "hbo", "wo"]] = Field(
        default_factory=lambda: list(EDUCATION_LEVELS), min_length=1
    )


class _Instrument(_Strict):
    """A government instrument: off unless ``enabled``; active in months [start, end)."""

    enabled: bool = Field(False, description="Whether the instrument exists in the scenario.")
    budget: float = Field(
        0.0, ge=0.0, le=1e12, description="Total euros over the run; never exceeded."
    )
    start: int = Field(0, ge=0, le=1200, description="First month the instrument is active.")
    end: int | None = Field(
        None, ge=1, le=1201, description="Month it stops (exclusive); none: until the end."
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

    Eligible workers get the full course cost paid (up to ``max_cost_per_person``), a higher
    propensity to train (outreach), and retrain toward the occupation of their education level
    with the most open vacancies.
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

    Multiplies the noise in curricula's demand signals, students' perceived prospects and
    workers' view of their jobs' requirements by ``1 - noise_reduction``.
    """

    noise_reduction: Share = Field(0.5, description="Share of forecast noise removed.")
    monthly_cost: float = Field(
        0.0, ge=0.0, le=1e9, description="Euros per month of running the agenda."
    )


class Government(_Strict):
    """Government instruments."""

    unemployment_benefits: UnemploymentBenefits = Field(default_factory=UnemploymentBenefits)
    vouchers: Vouchers = Field(default_factory=Vouchers)
    employer_subsidy: EmployerSubsidy = Field(default_factory=EmployerSubsidy)
    retraining: Retraining = Field(default_factory=Retraining)
    learning_community_funding: LearningCommunityFunding = Field(
        default_factory=LearningCommunityFunding
    )
    hc_agenda: HumanCapitalAgenda = Field(default_factory=HumanCapitalAgenda)


class Course(_Strict):
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


class DefaultCourse(_Strict):
    """Template of the catalogue used when ``learning.courses`` is empty: one course per skill."""

    gain: float = Field(0.1, gt=0.0, le=1.0)
    months: int = Field(3, ge=1, le=48)
    cost: float = Field(1_500.0, ge=0.0, le=100_000.0)
    dropout: Share = 0.15
    provider_level: Literal["mbo", "hbo", "wo"] = "mbo"
    places_per_provider: int = Field(25_000, ge=0, le=10_000_000)


class PropensityBand(_Strict):
    """Monthly base probability of starting a course for ages [min_age, max_age)."""

    min_age: float = Field(ge=15.0, le=76.0)
    max_age: float = Field(ge=15.0, le=76.0)
    monthly_rate: Share


def _default_propensity_bands() -> list[PropensityBand]:
    rates = ((15, 25, 0.15), (25, 35, 0.15), (35, 45, 0.088), (45, 55, 0.078), (55, 76, 0.048))
    return [PropensityBand(min_age=a, max_age=b, monthly_rate=r) for a, b, r in rates]


class Propensity(_Strict):
    """Workers' decision to start a course (see ``ecosim.learning``).

    Monthly probability ``min(1, base(age) * m(education) * u * exp(b_r * v - b_c * k / w))``
    with ``v`` the course's expected shortfall reduction, ``k`` the cost left after funding,
    ``w`` the monthly wage (last wage when unemployed) and ``u`` the unemployed factor.
    """

    by_age_band: list[PropensityBand] = Field(
        default_factory=_default_propensity_bands,
        min_length=1,
        description="Base monthly rates by age (calibrated to CBS LLO participation).",
    )
    by_education: dict[Literal["mbo", "hbo", "wo"], float] = Field(
        default_factory=lambda: {"mbo": 0.8, "hbo": 1.15, "wo": 1.25},
        description="Multiplier per education level (missing levels: 1).",
    )
    unemployed_factor: float = Field(1.0, ge=0.0, le=20.0)
    return_weight: float = Field(
        5.0, ge=0.0, le=100.0, description="Weight b_r of the expected shortfall reduction."
    )
    cost_weight: float = Field(
        1.0, ge=0.0, le=100.0, description="Weight b_c of the net cost in monthly wages."
    )


class EmployerTraining(_Strict):
    """Employers train incumbents whose jobs drifted away from their skills.

    An incumbent with shortfall above the threshold is trained (with probability
    ``monthly_rate`` per month) when the course's value ``v * wage * payoff_months`` exceeds its
    net cost and the net cost is below replacing the worker (``hiring_cost_months * wage``).
    """

    enabled: bool = True
    shortfall_threshold: Share = Field(0.15)
    monthly_rate: Share = Field(0.1)
    payoff_months: float = Field(24.0, ge=0.0, le=240.0)
    hiring_cost_months: float = Field(3.0, ge=0.0, le=60.0)


class Curricula(_Strict):
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


class Learning(_Strict):
    """Reactive and conditional learning (courses, employer training, curricula)."""

    enabled: bool = Field(True, description="Whether workers and employers take courses.")
    courses: list[Course] = Field(
        default_factory=list, description="Catalogue; empty: one default course per skill."
    )
    default_course: DefaultCourse = Field(default_factory=DefaultCourse)
    propensity: Propensity = Field(default_factory=Propensity)
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


class LearningCommunity(_Strict):
    """A learning community: employers of a sector (in a region) with educators (proactive).

    Members' programmes (the sector's occupations) renew curricula faster
    (``responsiveness * (1 + responsiveness_boost)``) and look ``lead_months`` ahead at the
    requirements; members' employees gain ``1 + training_effectiveness`` times more from
    courses and get new courses ``lead_months`` earlier. Each member employer costs
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


class Educator(_Strict):
    """An education institution (mbo/hbo/wo) in a municipality."""

    name: Name
    level: Literal["mbo", "hbo", "wo"]
    municipality: Name
    capacity: int = Field(1000, ge=0, le=1_000_000, description="Students per year (persons).")


class Uniform(_Strict):
    """A number drawn uniformly from [low, high] once per run."""

    dist: Literal["uniform"]
    low: float
    high: float


class Normal(_Strict):
    """A number drawn from a normal distribution once per run (clipped to the field's range)."""

    dist: Literal["normal"]
    mean: float
    sd: float = Field(ge=0.0)


class Triangular(_Strict):
    """A number drawn from a triangular distribution on [low, high] with its mode."""

    dist: Literal["triangular"]
    low: float
    mode: float
    high: float


Distribution = Annotated[Uniform | Normal | Triangular, Field(discriminator="dist")]
Uncertain = float | Distribution
"""A value, or a distribution to draw it from once per run (recorded in provenance)."""


class TimePath(_Strict):
    """A time path: a multiplier (demand) or the share of a move done (content drift).

    Kinds, with ``t`` the month and ``f`` = ``final``:

    * ``logistic``: ``1 + (f - 1) * L(t)`` with ``L`` the logistic curve that passes 5% at
      ``start`` and 95% at ``start + duration``;
    * ``linear``: ``1 + (f - 1) * clip((t - start) / duration, 0, 1)``;
    * ``step``: ``1`` before ``start``, ``f`` from ``start`` on;
    * ``table``: linear interpolation through ``points`` ``[[month, value], ...]``, constant
      beyond the first and last point.

    For content drift the path runs from 0 to ``final`` instead of from 1 (the share of the move
    toward the new profile that is done).
    """

    kind: Literal["logistic", "linear", "step", "table"]
    start: Uncertain = Field(0.0, description="Month the change starts (logistic: reaches 5%).")
    duration: Uncertain = Field(12.0, description="Months from start to (almost) full change.")
    final: Uncertain = Field(1.0, description="Final multiplier (demand) or share (drift).")
    points: list[tuple[float, float]] = Field(default_factory=list)


class DemandPath(_Strict):
    """Target employment of a sector and/or occupation multiplied by a path over time."""

    name: str = Field("", description="Optional; lets a variant override this path by name.")
    sector: Name | None = None
    occupation: Name | None = None
    region: Name | None = None
    path: TimePath


class ContentDrift(_Strict):
    """Requirement profiles of occupations move toward new skill levels over time."""

    name: str = Field("", description="Optional; lets a variant override this drift by name.")
    occupations: list[Name] = Field(min_length=1)
    toward: dict[str, Level] = Field(min_length=1, description="New required level per skill.")
    path: TimePath = Field(description="Share of the move done over time (0 -> final).")


class Event(_Strict):
    """A discrete shock: an employer closes (mass layoff) or a new one opens (hiring wave)."""

    kind: Literal["closure", "opening"]
    month: Uncertain
    sector: Name
    region: Name | None = None
    municipality: Name | None = None
    rank: int = Field(1, ge=1, le=1000, description="closure: close the rank-th largest employer.")
    jobs: Uncertain = Field(0.0, description="opening: jobs (persons) at the new employer.")
    occupations: dict[str, Share] = Field(
        default_factory=dict, description="opening: occupation mix (default: the sector's)."
    )
    name: str = ""


class Transition(_Strict):
    """A transition (e.g. energy, circular): demand paths, content drift and events."""

    name: Name
    description: str = ""
    demand: list[DemandPath] = Field(default_factory=list)
    drift: list[ContentDrift] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)


class Scenario(_Strict):
    """A complete, validated ecosim scenario."""

    name: str = Field("scenario", max_length=200)
    description: str = Field("", max_length=5000)
    seed: int = Field(0, ge=0, le=2**63 - 1, description="Seed of every random stream in a run.")
    months: int = Field(120, ge=1, le=1200, description="Length of a run in months.")
    scale: float = Field(1.0, gt=0.0, le=100_000.0, description="Persons per worker agent.")
    skills: list[Name] = Field(min_length=1, max_length=64)
    occupations: list[Occupation] = Field(min_length=1)
    sectors: list[Sector] = Field(min_length=1)
    regions: list[Region] = Field(min_length=1)
    distances: list[Distance] = Field(default_factory=list)
    workforce: Workforce
    behaviour: Behaviour = Field(default_factory=Behaviour)
    matching: Matching = Field(default_factory=Matching)
    government: Government = Field(default_factory=Government)
    educators: list[Educator] = Field(default_factory=list)
    transitions: list[Transition] = Field(default_factory=list)
    learning: Learning = Field(default_factory=Learning)
    learning_communities: list[LearningCommunity] = Field(default_factory=list)
    cross_region_extra_km: float = Field(
        25.0, ge=0.0, le=1000.0, description="Extra commuting distance charged across regions."
    )

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


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario."""

    source: str
    line: int | None
    path: str
    message: str
    value: Any = None
    has_value: bool = False

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        path = f" {self.path}:" if self.path else ""
        got = f" (got {_short_repr(self.value)})" if self.has_value else ""
        return f"{where}:{path} {self.message}{got}"


class ScenarioError(ValueError):
    """A scenario (or sweep file) is invalid; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _dotted(loc: Iterable[Any]) -> str:
    return ".".join(str(p) for p in loc)


class _LineMap:
    """Map from a path of keys/indices to the YAML line (and file) where it is written.

    ``files`` names the file of entries that came from another file than the one being loaded
    (through ``extends``); other entries belong to the source's own file.
    """

    def __init__(self, node: yaml.Node | None, file: str | None = None):
        self.lines: dict[tuple[Any, ...], int] = {}
        self.files: dict[tuple[Any, ...], str] = {}
        if node is not None:
            self._walk(node, ())
        if file is not None:
            self.files = dict.fromkeys(self.lines, file)

    def _walk(self, node: yaml.Node, path: tuple[Any, ...]) -> None:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = (*path, key.value)
                self._walk(value, sub)
                self.lines[sub] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, (*path, i))

    def line(self, path: Sequence[Any]) -> int | None:
        return self.where(path)[1]

    def where(self, path: Sequence[Any]) -> tuple[str | None, int | None]:
        """File (``None``: the source's own) and line of the closest written ancestor of path."""
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.files.get(path), self.lines.get(path)

    def drop(self, prefix: tuple[Any, ...]) -> None:
        """Forget every entry at or below ``prefix``."""
        n = len(prefix)
        for key in [k for k in self.lines if k[:n] == prefix]:
            del self.lines[key]
            self.files.pop(key, None)

    def graft(self, other: _LineMap, src: tuple[Any, ...], dst: tuple[Any, ...]) -> None:
        """Copy ``other``'s entries below ``src`` to below ``dst``."""
        n = len(src)
        for key, line in other.lines.items():
            if key[:n] == src:
                new = dst + key[n:]
                self.lines[new] = line
                if key in other.files:
                    self.files[new] = other.files[key]


@dataclass
class _Source:
    """Where a scenario's data came from, to locate problems."""

    name: str
    lines: _LineMap
    overrides: dict[tuple[Any, ...], str]

    def locate(self, loc: Sequence[Any], message: str, value: Any, has_value: bool) -> Problem:
        loc = tuple(p for p in loc if p != "[key]")
        for path, text in self.overrides.items():
            if tuple(loc[: len(path)]) == path:
                return Problem(f"--set {text}", None, _dotted(loc), message, value, has_value)
        file, line = self.lines.where(loc)
        return Problem(file or self.name, line, _dotted(loc), message, value, has_value)


# --------------------------------------------------------------------------- loading


def _read_yaml(path: Path) -> tuple[Any, _LineMap]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem(str(path), None, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(str(path), None, "", f"cannot read file: {exc}")]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        msg = f"YAML syntax error: {exc.problem or exc}"
        raise ScenarioError([Problem(str(path), line, "", msg)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(str(path), None, "", f"YAML error: {exc}")]) from None
    if data is None:
        raise ScenarioError([Problem(str(path), None, "", "file is empty")])
    if not isinstance(data, dict):
        msg = f"top level must be a mapping of scenario fields, not a {type(data).__name__}"
        raise ScenarioError([Problem(str(path), 1, "", msg)])
    return data, _LineMap(node)


def parse_override(text: str) -> tuple[str, Any]:
    """Split ``KEY=VALUE`` into a dotted key and a YAML-parsed value."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ScenarioError([Problem(f"--set {text}", None, "", "expected KEY=VALUE")])
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError as exc:
        msg = f"value is not valid YAML: {exc}"
        raise ScenarioError([Problem(f"--set {text}", None, key, msg)]) from None
    return key, value


def _apply_override(data: dict[str, Any], key: str, value: Any) -> tuple[Any, ...]:
    """Set a dotted key in nested data; returns the resolved path (indices for lists)."""
    parts = key.split(".")
    node: Any = data
    path: list[Any] = []
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if isinstance(node, list):
            index = _list_index(node, part)
            if index is None:
                raise KeyError(f"no item {part!r} in list {_dotted(path) or '<root>'}")
            path.append(index)
            if last:
                node[index] = value
            else:
                node = node[index]
        elif isinstance(node, dict):
            path.append(part)
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
        else:
            raise KeyError(f"{_dotted(path)} is a value, not a mapping or list")
    return tuple(path)


def _list_index(items: list[Any], part: str) -> int | None:
    if part.lstrip("-").isdigit():
        index = int(part)
        return index if -len(items) <= index < len(items) else None
    for i, item in enumerate(items):
        if isinstance(item, dict) and item.get("name") == part:
            return i
    return None


def load_scenario(
    path: str | Path, overrides: Mapping[str, Any] | Sequence[str] | None = None
) -> Scenario:
    """Load, override and validate a scenario file.

    Args:
        path: YAML scenario file.
        overrides: Dotted-key overrides, as a mapping ``{"behaviour.separation_rate": 0.02}`` or
            as ``"KEY=VALUE"`` strings (values parsed as YAML).

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: listing every problem found, each with file, line and dotted path.
    """
    path = Path(path)
    data, lines = _read_with_extends(path, ())
    return scenario_from_dict(data, overrides, source=str(path), lines=lines)


def _read_with_extends(path: Path, chain: tuple[Path, ...]) -> tuple[dict[str, Any], _LineMap]:
    """Read a scenario file, resolving ``extends`` (one file or a list, relative to the file).

    Bases are merged in the order listed, then the file's own values over them: mappings merge
    key by key; lists of named items (occupations, sectors, regions, municipalities, transitions,
    their demand paths, drifts and events) merge item by item by ``name`` (new names are
    appended); any other value, lists included, replaces the base's.
    """
    data, lines = _read_yaml(path)
    bases = data.pop("extends", None)
    if bases is None:
        return data, lines
    here = str(path)
    where = lines.line(("extends",))
    names = [bases] if isinstance(bases, str) else bases
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
        msg = "must name a scenario file or a list of them"
        raise ScenarioError([Problem(here, where, "extends", msg, bases, True)])
    merged: dict[str, Any] = {}
    merged_lines = _LineMap(None)
    for name in names:
        base_path = (path.parent / name).resolve()
        if base_path in chain or base_path == path.resolve():
            msg = "scenario extends itself (cycle)"
            raise ScenarioError([Problem(here, where, "extends", msg, name, True)])
        try:
            base, base_lines = _read_with_extends(base_path, (*chain, path.resolve()))
        except ScenarioError as exc:
            note = Problem(here, where, "extends", f"in the base scenario {name}:")
            raise ScenarioError([note, *exc.problems]) from None
        for key in base_lines.lines:
            base_lines.files.setdefault(key, str(base_path))
        _deep_merge(merged, base, merged_lines, base_lines, (), ())
    _deep_merge(merged, data, merged_lines, lines, (), ())
    return merged, merged_lines


def _deep_merge(
    base: dict[str, Any],
    over: dict[str, Any],
    base_lines: _LineMap,
    over_lines: _LineMap,
    base_path: tuple[Any, ...],
    over_path: tuple[Any, ...],
) -> None:
    """Merge ``over`` into ``base`` in place, carrying line locations along."""
    for key, value in over.items():
        bp, op = (*base_path, key), (*over_path, key)
        old = base.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            _deep_merge(old, value, base_lines, over_lines, bp, op)
        elif _named_list(old) and _named_list(value):
            index = {item["name"]: i for i, item in enumerate(old)}
            for j, item in enumerate(value):
                i = index.get(item["name"])
                if i is None:
                    old.append(item)
                    base_lines.graft(over_lines, (*op, j), (*bp, len(old) - 1))
                else:
                    _deep_merge(old[i], item, base_lines, over_lines, (*bp, i), (*op, j))
            continue
        else:
            base[key] = value
            base_lines.drop(bp)
            base_lines.graft(over_lines, op, bp)
            continue
        if op in over_lines.lines:
            base_lines.lines[bp] = over_lines.lines[op]
            if op in over_lines.files:
                base_lines.files[bp] = over_lines.files[op]
            else:
                base_lines.files.pop(bp, None)


def _named_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and isinstance(item.get("name"), str) for item in value)
    )


def scenario_from_dict(
    data: Mapping[str, Any],
    overrides: Mapping[str, Any] | Sequence[str] | None = None,
    *,
    source: str = "<dict>",
    lines: _LineMap | None = None,
) -> Scenario:
    """Validate scenario data already in memory (see :func:`load_scenario`)."""
    import copy

    data = copy.deepcopy(dict(data))
    pairs: list[tuple[str, Any, str]] = []
    if isinstance(overrides, Mapping):
        pairs = [(k, v, f"{k}={v}") for k, v in overrides.items()]
    elif overrides:
        pairs = [(*parse_override(t), t) for t in overrides]
    applied: dict[tuple[Any, ...], str] = {}
    problems: list[Problem] = []
    for key, value, text in pairs:
        try:
            applied[_apply_override(data, key, value)] = text
        except KeyError as exc:
            problems.append(Problem(f"--set {text}", None, key, str(exc.args[0])))
    if problems:
        raise ScenarioError(problems)
    src = _Source(source, lines or _LineMap(None), applied)
    return validate_scenario(data, src)


def validate_scenario(data: Mapping[str, Any], src: _Source) -> Scenario:
    """Schema validation, then cross-reference and share checks; all problems at once."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [
            src.locate(err["loc"], _message(err), err.get("input"), _has_input(err))
            for err in exc.errors(include_url=False)
        ]
        raise ScenarioError(problems) from None
    problems = [src.locate(loc, msg, val, True) for loc, msg, val in _semantic_checks(scenario)]
    if problems:
        raise ScenarioError(problems)
    return scenario


def _message(err: Mapping[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    return str(err.get("msg", "invalid value"))


def _has_input(err: Mapping[str, Any]) -> bool:
    return err.get("type") not in ("missing",) and not isinstance(err.get("input"), dict | list)


# --------------------------------------------------------------------------- semantic checks

_Check = tuple[tuple[Any, ...], str, Any]


def _shares(values: Iterable[float], loc: tuple[Any, ...], what: str) -> list[_Check]:
    total = float(sum(values))
    if math.isclose(total, 1.0, abs_tol=SHARE_TOLERANCE):
        return []
    return [(loc, f"{what} must sum to 1 (±{SHARE_TOLERANCE})", round(total, 6))]


def _names(items: Sequence[Any], loc: tuple[Any, ...], what: str) -> list[_Check]:
    seen: set[str] = set()
    out: list[_Check] = []
    for i, item in enumerate(items):
        name = item if isinstance(item, str) else item.name
        if name in seen:
            out.append(((*loc, i), f"duplicate {what} name", name))
        seen.add(name)
    return out


def _refs(
    keys: Iterable[str], known: set[str], loc: tuple[Any, ...], what: str, keyed: bool = True
) -> list[_Check]:
    """Names that refer to nothing defined; ``keyed`` adds the name itself to the path."""
    allowed = ", ".join(sorted(known))
    plural = what[:-1] + "ies" if what.endswith("y") else what + "s"
    return [
        ((*loc, k) if keyed else loc, f"unknown {what}; defined {plural} are: {allowed}", k)
        for k in keys
        if k not in known
    ]


def _semantic_checks(sc: Scenario) -> list[_Check]:
    """Checks that span fields: unique names, references, shares summing to 1."""
    out: list[_Check] = []
    skills = set(sc.skills)
    occupations = {o.name for o in sc.occupations}
    munis = set(sc.municipality_names)
    out += _names(sc.skills, ("skills",), "skill")
    out += _names(sc.occupations, ("occupations",), "occupation")
    out += _names(sc.sectors, ("sectors",), "sector")
    out += _names(sc.regions, ("regions",), "region")
    out += _names([m for r in sc.regions for m in r.municipalities], ("regions",), "municipality")
    for i, occ in enumerate(sc.occupations):
        out += _refs(occ.requirements, skills, ("occupations", i, "requirements"), "skill")
    out += _refs(sc.matching.skill_weights, skills, ("matching", "skill_weights"), "skill")
    if sc.matching.skill_weights and not any(sc.skill_weight_vector() > 0):
        out.append((("matching", "skill_weights"), "at least one weight must be positive", 0))
    out += _shares((s.share for s in sc.sectors), ("sectors",), "sector shares")
    for i, sector in enumerate(sc.sectors):
        loc = ("sectors", i, "occupations")
        out += _refs(sector.occupations, occupations, loc, "occupation")
        out += _shares(sector.occupations.values(), loc, "occupation shares")
    out += _shares((r.share for r in sc.regions), ("regions",), "region shares")
    for i, region in enumerate(sc.regions):
        loc = ("regions", i, "municipalities")
        out += _shares((m.residents for m in region.municipalities), loc, "residents shares")
        out += _shares((m.jobs for m in region.municipalities), loc, "jobs shares")
    out += _coordinates(sc)
    for i, d in enumerate(sc.distances):
        out += _refs(d.between, munis, ("distances", i, "between"), "municipality", keyed=False)
    for i, e in enumerate(sc.educators):
        loc = ("educators", i, "municipality")
        out += _refs([e.municipality], munis, loc, "municipality", keyed=False)
    wf = sc.workforce
    out += _shares((b.share for b in wf.age_bands), ("workforce", "age_bands"), "age-band shares")
    for i, band in enumerate(wf.age_bands):
        if band.max_age <= band.min_age:
            loc = ("workforce", "age_bands", i, "max_age")
            out.append((loc, "max_age must exceed min_age", band.max_age))
        if band.min_age >= sc.behaviour.retirement_age:
            loc = ("workforce", "age_bands", i, "min_age")
            out.append((loc, "band starts at or after the retirement age", band.min_age))
    out += _shares(wf.education.values(), ("workforce", "education"), "education shares")
    sectors = {x.name for x in sc.sectors}
    regions = {r.name for r in sc.regions}
    for i, region in enumerate(sc.regions):
        loc = ("regions", i, "sector_shares")
        if region.sector_shares:
            out += _refs(region.sector_shares, sectors, loc, "sector")
            out += _shares(region.sector_shares.values(), loc, "sector shares")
        if region.education is not None:
            loc = ("regions", i, "education")
            out += _shares(region.education.values(), loc, "education shares")
        if region.age_bands is not None:
            loc = ("regions", i, "age_bands")
            out += _shares((b.share for b in region.age_bands), loc, "age-band shares")
    out += _names(sc.transitions, ("transitions",), "transition")
    for ti, tr in enumerate(sc.transitions):
        base = ("transitions", ti)
        for di, d in enumerate(tr.demand):
            loc = (*base, "demand", di)
            if d.sector is None and d.occupation is None:
                out.append((loc, "give a sector, an occupation or both", None))
            out += _opt_ref(d.sector, sectors, (*loc, "sector"), "sector")
            out += _opt_ref(d.occupation, occupations, (*loc, "occupation"), "occupation")
            out += _opt_ref(d.region, regions, (*loc, "region"), "region")
            out += _path_checks(d.path, (*loc, "path"))
        for di, d in enumerate(tr.drift):
            loc = (*base, "drift", di)
            out += _refs(d.occupations, occupations, (*loc, "occupations"), "occupation", False)
            out += _refs(d.toward, skills, (*loc, "toward"), "skill")
            out += _path_checks(d.path, (*loc, "path"))
        for ei, ev in enumerate(tr.events):
            loc = (*base, "events", ei)
            out += _opt_ref(ev.sector, sectors, (*loc, "sector"), "sector")
            out += _opt_ref(ev.region, regions, (*loc, "region"), "region")
            out += _opt_ref(ev.municipality, munis, (*loc, "municipality"), "municipality")
            out += _uncertain_checks(ev.month, (*loc, "month"))
            if ev.kind == "opening":
                out += _uncertain_checks(ev.jobs, (*loc, "jobs"))
                if isinstance(ev.jobs, float) and ev.jobs <= 0:
                    out.append(((*loc, "jobs"), "an opening needs jobs > 0", ev.jobs))
                if ev.occupations:
                    out += _refs(ev.occupations, occupations, (*loc, "occupations"), "occupation")
                    out += _shares(
                        ev.occupations.values(), (*loc, "occupations"), "occupation shares"
                    )
    out += _learning_checks(sc, skills, sectors, regions)
    return out


def _learning_checks(
    sc: Scenario, skills: set[str], sectors: set[str], regions: set[str]
) -> list[_Check]:
    """Courses, propensity bands, instruments' windows and learning communities."""
    out: list[_Check] = []
    out += _names(sc.learning.courses, ("learning", "courses"), "course")
    for i, course in enumerate(sc.learning.courses):
        out += _refs(course.skills, skills, ("learning", "courses", i, "skills"), "skill")
    for i, band in enumerate(sc.learning.propensity.by_age_band):
        if band.max_age <= band.min_age:
            loc = ("learning", "propensity", "by_age_band", i, "max_age")
            out.append((loc, "max_age must exceed min_age", band.max_age))
    for name in ("vouchers", "employer_subsidy", "retraining", "learning_community_funding"):
        out += _window(getattr(sc.government, name), ("government", name))
    out += _window(sc.government.hc_agenda, ("government", "hc_agenda"))
    elig = sc.government.vouchers.eligibility
    if elig.max_age <= elig.min_age:
        loc = ("government", "vouchers", "eligibility", "max_age")
        out.append((loc, "max_age must exceed min_age", elig.max_age))
    educators = {e.name for e in sc.educators} or {
        f"{r.name}-{level}" for r in sc.regions for level in EDUCATION_LEVELS
    }
    out += _names(sc.learning_communities, ("learning_communities",), "learning community")
    for i, lc in enumerate(sc.learning_communities):
        loc = ("learning_communities", i)
        out += _opt_ref(lc.sector, sectors, (*loc, "sector"), "sector")
        out += _opt_ref(lc.region, regions, (*loc, "region"), "region")
        out += _refs(lc.educators, educators, (*loc, "educators"), "educator", keyed=False)
        out += _window(lc, loc)
    return out


def _window(item: Any, loc: tuple[Any, ...]) -> list[_Check]:
    if item.end is not None and item.end <= item.start:
        return [((*loc, "end"), "end must be after start", item.end)]
    return []


def _opt_ref(name: str | None, known: set[str], loc: tuple[Any, ...], what: str) -> list[_Check]:
    return [] if name is None else _refs([name], known, loc, what, keyed=False)


def _uncertain_checks(value: Any, loc: tuple[Any, ...]) -> list[_Check]:
    if isinstance(value, Uniform) and value.low > value.high:
        return [(loc, "uniform needs low <= high", (value.low, value.high))]
    if isinstance(value, Triangular) and not value.low <= value.mode <= value.high:
        return [(loc, "triangular needs low <= mode <= high", (value.low, value.mode, value.high))]
    return []


def _path_checks(path: TimePath, loc: tuple[Any, ...]) -> list[_Check]:
    out: list[_Check] = []
    for field in ("start", "duration", "final"):
        out += _uncertain_checks(getattr(path, field), (*loc, field))
    if path.kind == "table" and len(path.points) < 1:
        out.append(((*loc, "points"), "a table path needs at least one [month, value] point", []))
    if path.kind in ("logistic", "linear") and isinstance(path.duration, float):
        if path.duration <= 0:
            out.append(((*loc, "duration"), "must be > 0", path.duration))
    return out


def _coordinates(sc: Scenario) -> list[_Check]:
    munis = [m for r in sc.regions for m in r.municipalities]
    if len(munis) == 1:
        return []
    given = {frozenset(d.between) for d in sc.distances}
    out: list[_Check] = []
    for ri, region in enumerate(sc.regions):
        for mi, m in enumerate(region.municipalities):
            if (m.x_km is None) != (m.y_km is None):
                loc = ("regions", ri, "municipalities", mi)
                out.append((loc, "give both x_km and y_km, or neither", m.name))
            elif m.x_km is None and not all(
                frozenset((m.name, o.name)) in given for o in munis if o.name != m.name
            ):
                loc = ("regions", ri, "municipalities", mi)
                msg = "no coordinates (x_km, y_km) and not every distance to it is listed"
                out.append((loc, msg, m.name))
    return out
