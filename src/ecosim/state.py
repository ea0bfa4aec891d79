"""Columnar state: the numbers behind the agents.

Per-worker and per-employer state lives in NumPy arrays, one row per agent, so the monthly step
is a handful of vectorised or numba calls. Agents (``ecosim.agents``) are handles that read and
write their row. Each array has one owner: the phases of the month (``ecosim.phases``) write
them; agents, metrics and results only read (agent setters exist for notebook experiments on
numeric columns).

:class:`RegionState` bundles what a phase works on: the worker and employer tables, the month,
the current requirement profiles and curricula, and the region's fixed facts (:class:`World`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING

import numpy as np

from ecosim.kernels._arrays import read_only

if TYPE_CHECKING:
    from ecosim.courses import Catalogue
    from ecosim.kernels.matching import MatchParams


class Status(IntEnum):
    """A worker's labour-market status: exactly one per worker at any time.

    The labour force is the employed and the unemployed (ILO). Being in a course is not a
    status: employed and unemployed workers take courses (``WorkerState.course``). The codes are
    stored in ``WorkerState.status``.
    """

    EMPLOYED = 1
    UNEMPLOYED = 2
    INACTIVE = 3
    """Out of the labour force (not searching or not available), but may return to it."""
    RETIRED = 4
    """Retired (at the state-pension age or early): has left for good; the row is history."""

    def __str__(self) -> str:
        """The status as a word (``"employed"``), as printed and as agent reporters record
        it; an ``IntEnum`` would print its code, ``"1"``. The code stays the value."""
        return self.name.lower()

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


class Sponsor(IntEnum):
    """Who initiated (and mainly pays for) a worker's current course."""

    WORKER = 0
    """The worker, possibly with a training voucher."""
    EMPLOYER = 1
    """The employer, possibly with the employer training subsidy."""
    RETRAINING = 2
    """Targeted retraining of a displaced worker, paid by the government."""


NO_EMPLOYER = -1

# name -> (dtype, fill value); skills are stored separately as a 2-D array.
_WORKER_COLUMNS: dict[str, tuple[type, float]] = {
    "age": (np.float64, 0.0),
    "education": (np.int8, 0),
    "municipality": (np.int64, 0),
    "region": (np.int64, 0),
    "status": (np.int8, int(Status.UNEMPLOYED)),
    "employer": (np.int64, NO_EMPLOYER),
    "last_employer": (np.int64, NO_EMPLOYER),
    "occupation": (np.int64, -1),
    "wage": (np.float64, 0.0),
    "last_wage": (np.float64, 0.0),
    "last_wage_index": (np.float64, 1.0),
    "reservation_wage": (np.float64, 0.0),
    "unemployment_months": (np.int64, 0),
    "spell_start": (np.int64, 0),
    "benefit_months_left": (np.int64, 0),
    "job_start": (np.int64, -1),
    "course": (np.int64, -1),
    "course_months_left": (np.int64, 0),
    "course_sponsor": (np.int8, int(Sponsor.WORKER)),
    "course_effect": (np.float64, 1.0),
    "course_occupation": (np.int64, -1),
    "retrained": (np.bool_, False),
    "closure": (np.int64, -1),
    "onboarding_months_left": (np.int64, 0),
    "voucher_used": (np.float64, 0.0),
    "displaced": (np.bool_, False),
}
"""``last_wage_index`` is the wage index of the occupation when ``last_wage`` was earned (the
reservation wage follows the occupation's going wage since). ``unemployment_months`` is the
number of *full* months of the current spell at month end
(``month - spell_start``: 0 in the month the spell began), as the labour-force survey counts
durations. Learning columns: ``course`` (index into the model's catalogue, -1 for none),
``course_months_left``, ``course_sponsor`` (a :class:`Sponsor`),
``course_effect`` (gain multiplier fixed at the start), ``course_occupation`` (the occupation
an unemployed worker retrains for, -1 for their own), ``retrained`` (switched occupation by a
course, until the next hire), ``closure`` (the closure, numbered in order, that displaced the
worker; -1 for none), ``voucher_used`` (voucher euros used
this calendar year, per person), ``displaced`` (unemployed after a layoff or closure) and
``onboarding_months_left`` (months of employer-paid on-the-job training left after a hire with
a skill shortfall)."""


_PRESENT = 0
"""The key of the present (not retired) workers' index set: no status has code 0."""


def _attribute(column: str) -> str:
    """The attribute holding a worker column: ``status`` is private behind a read-only view."""
    return "_status" if column == "status" else column


class WorkerState:
    """Growable columnar table of workers (rows never move; retired rows stay as history).

    Attributes are full-capacity arrays; use ``n`` (rows in use) or :meth:`view` to slice.
    ``status`` is read-only: a change of status goes through :meth:`set_status`, so that the
    index sets of :meth:`rows_with` (the employed, the unemployed, the present) can be shared
    across the month instead of rescanned by every phase.
    """

    def __init__(self, n_skills: int, capacity: int = 1024):
        self.n = 0
        self.n_skills = n_skills
        self._capacity = 0
        self.skills = np.zeros((0, n_skills))
        for name, (dtype, _) in _WORKER_COLUMNS.items():
            setattr(self, _attribute(name), np.zeros(0, dtype=dtype))
        self._version = 0
        self._index: dict[int, tuple[int, np.ndarray]] = {}
        self._grow(max(capacity, 16))

    @property
    def status(self) -> np.ndarray:
        """Status codes (a :class:`Status` per row), full capacity, read-only.

        Write with :meth:`set_status`, which keeps the index sets of :meth:`rows_with` true.
        """
        return self._status_read_only

    @property
    def columns(self) -> tuple[str, ...]:
        """Names of the 1-D columns."""
        return tuple(_WORKER_COLUMNS)

    def _grow(self, capacity: int) -> None:
        for name, (dtype, fill) in _WORKER_COLUMNS.items():
            old = getattr(self, _attribute(name))
            # Zeros come from the OS untouched: rows not yet used cost no time and no memory.
            new = np.zeros(capacity, dtype) if fill == 0 else np.full(capacity, fill, dtype)
            new[: self.n] = old[: self.n]
            setattr(self, _attribute(name), new)
        self._status_read_only = read_only(self._status)
        skills = np.zeros((capacity, self.n_skills))
        skills[: self.n] = self.skills[: self.n]
        self.skills = skills
        self._capacity = capacity

    def add(self, k: int) -> np.ndarray:
        """Append ``k`` rows (filled with defaults) and return their indices."""
        if self.n + k > self._capacity:
            self._grow(max(2 * self._capacity, self.n + k))
        rows = np.arange(self.n, self.n + k)
        self.n += k
        self._version += 1
        return rows

    def set_status(self, rows: np.ndarray, status: Status) -> None:
        """Give workers ``rows`` (indices or a mask of the used rows) a new status."""
        rows = np.asarray(rows)
        if rows.size == 0 or (rows.dtype == np.bool_ and not rows.any()):
            return
        self._status[: self.n][rows] = status
        self._version += 1

    def rows_with(self, status: Status) -> np.ndarray:
        """The rows of every worker of ``status``, ascending, as a read-only array.

        The set is computed once per change of the status column (:meth:`set_status`,
        :meth:`add`) and shared by everything that asks in between: a month asks for the
        employed and the unemployed about ten times, and most of those asks find the column
        unchanged. (Keeping sorted sets up to date row by row costs as much as one rescan of
        the int8 column at a million workers, so the sets are rebuilt when stale instead.)
        """
        code = int(status)
        cached = self._index.get(code)
        if cached is not None and cached[0] == self._version:
            return cached[1]
        if code == _PRESENT:
            rows = np.flatnonzero(self._status[: self.n] != Status.RETIRED)
        else:
            rows = np.flatnonzero(self._status[: self.n] == code)
        rows = read_only(rows)
        self._index[code] = (self._version, rows)
        return rows

    def present_rows(self) -> np.ndarray:
        """The rows of the working-age population (everyone not retired), like :meth:`rows_with`."""
        return self.rows_with(_PRESENT)

    def view(self, name: str) -> np.ndarray:
        """The used part of a column (a view: writes go through; ``status`` is read-only)."""
        return getattr(self, name)[: self.n]

    def present(self) -> np.ndarray:
        """Boolean mask of the working-age population: everyone not retired.

        The labour force is the employed and the unemployed; the inactive are present but out
        of it.
        """
        return self.status[: self.n] != Status.RETIRED


class EmployerState:
    """Columnar table of employers and their jobs by occupation (cells = employer x occupation)."""

    def __init__(self, n_employers: int, n_occupations: int):
        self.n = n_employers
        self.n_occupations = n_occupations
        self.sector = np.zeros(n_employers, dtype=np.int64)
        self.municipality = np.zeros(n_employers, dtype=np.int64)
        self.region = np.zeros(n_employers, dtype=np.int64)
        self.wage_premium = np.ones(n_employers)
        shape = (n_employers, n_occupations)
        self.headcount = np.zeros(shape, dtype=np.int64)
        self.openings = np.zeros(shape, dtype=np.int64)
        self.base_target = np.zeros(shape)
        self.target = np.zeros(shape)
        self.cell_threshold = np.zeros(shape)
        """Each cell's threshold ``u`` in [0, 1) for opening a job
        (:func:`ecosim.phases.vacancies.post`): drawn once by the build, fixed for the run."""

    def cell(self, employer: np.ndarray, occupation: np.ndarray) -> np.ndarray:
        """Flat cell index of (employer, occupation) pairs."""
        return employer * self.n_occupations + occupation

    def cell_counts(self, cells: np.ndarray) -> np.ndarray:
        """Count occurrences per cell, shaped (employers, occupations)."""
        size = self.n * self.n_occupations
        return np.bincount(cells, minlength=size).reshape(self.n, self.n_occupations)


class VacancyState:
    """The open vacancies, one row each, as a statistics office counts them.

    A vacancy belongs to an employer and an occupation (a *cell*) and was posted in month
    ``opened``; its age is ``month - opened``. Rows are appended when employers post and removed
    when a vacancy is filled or withdrawn (the table is compacted, so row numbers change every
    month). ``EmployerState.openings`` holds the count per cell and is kept equal to this table
    (:meth:`counts`).
    """

    def __init__(self, capacity: int = 1024):
        self.n = 0
        self.employer = np.zeros(capacity, dtype=np.int64)
        self.occupation = np.zeros(capacity, dtype=np.int64)
        self.opened = np.zeros(capacity, dtype=np.int64)

    def view(self, name: str) -> np.ndarray:
        """The used part of a column (a view: writes go through)."""
        return getattr(self, name)[: self.n]

    def add(self, employer: np.ndarray, occupation: np.ndarray, month: int) -> None:
        """Post vacancies (one per element) in ``month``."""
        k = len(employer)
        if self.n + k > self.employer.size:
            size = max(2 * self.employer.size, self.n + k)
            for name in ("employer", "occupation", "opened"):
                new = np.zeros(size, dtype=np.int64)
                new[: self.n] = getattr(self, name)[: self.n]
                setattr(self, name, new)
        rows = slice(self.n, self.n + k)
        self.employer[rows] = employer
        self.occupation[rows] = occupation
        self.opened[rows] = month
        self.n += k

    def remove(self, rows: np.ndarray) -> None:
        """Remove vacancies (filled or withdrawn); the others keep their order."""
        if len(rows) == 0:
            return
        keep = np.ones(self.n, dtype=bool)
        keep[rows] = False
        m = int(keep.sum())
        for name in ("employer", "occupation", "opened"):
            col = getattr(self, name)
            col[:m] = col[: self.n][keep]
        self.n = m

    def cells(self, n_occupations: int) -> np.ndarray:
        """Flat (employer, occupation) cell of every vacancy."""
        return self.view("employer") * n_occupations + self.view("occupation")

    def counts(self, n_employers: int, n_occupations: int) -> np.ndarray:
        """Open vacancies per employer and occupation."""
        size = n_employers * n_occupations
        counts = np.bincount(self.cells(n_occupations), minlength=size)
        return counts.reshape(n_employers, n_occupations)


@dataclass(frozen=True)
class World:
    """The region's fixed facts, built once from the scenario (``ecosim.world``).

    Attributes:
        skill_names, occupation_names, sector_names, municipality_names, region_names: Labels,
            in scenario order (the index of a name is its code in the state arrays).
        base_wage: (O,) monthly base wage per occupation.
        occupation_education: (O,) education level index per occupation.
        skill_weights: (S,) weights of the skill shortfall (``ecosim.skills``).
        municipality_region: (M,) region of each municipality.
        distance: (M, M) commuting distance in km, with the cross-region surcharge.
        resident_share, job_share: (M,) shares of residents and of jobs per municipality
            (times the region's share).
        match_params: The matching kernel's parameters.
        catalogue: The courses on offer.
        course_capacity: (C,) concurrent places per course, in agents.
        community_member: (K, E) membership of employers in the learning communities.
        community_programme: (K, O) programmes (occupations) each community's curricula cover.
    """

    skill_names: tuple[str, ...]
    occupation_names: tuple[str, ...]
    sector_names: tuple[str, ...]
    municipality_names: tuple[str, ...]
    region_names: tuple[str, ...]
    base_wage: np.ndarray
    occupation_education: np.ndarray
    skill_weights: np.ndarray
    municipality_region: np.ndarray
    distance: np.ndarray
    resident_share: np.ndarray
    job_share: np.ndarray
    match_params: MatchParams
    catalogue: Catalogue
    course_capacity: np.ndarray
    community_member: np.ndarray
    community_programme: np.ndarray


@dataclass
class RegionState:
    """Everything a phase of the month reads and writes.

    Attributes:
        world: The fixed facts of the region.
        workers: The worker table.
        employers: The employer table.
        vacancies: The open vacancies.
        requirements: (O, S) the occupations' requirement profiles this month (they drift).
        curricula: (O, S) what each occupation's education programme teaches this month.
        wage_index: (O,) multiplier on each occupation's offered wages (``ecosim.phases.wages``).
        tightness: (O + 1,) smoothed log tightness of each occupation and (last) the region.
        tightness_start: (O + 1,) the same at the start of the run (the wages' reference).
        baseline: Total target employment and the working-age population at the start (the
            reference of the population's target, ``ecosim.phases.demography``).
        month: Months simulated so far (0 before the first step).
        agenda_funded: Whether the human-capital agenda is funded this month.
        outlook: (O, S) the requirement profiles workers and curricula aim at: this month's, or
            while the human-capital agenda is funded the ones announced ``horizon_months`` ahead.
        closures: Closures so far (the next one's number in ``WorkerState.closure``).
    """

    world: World
    workers: WorkerState
    employers: EmployerState
    vacancies: VacancyState
    requirements: np.ndarray
    curricula: np.ndarray
    wage_index: np.ndarray = field(default_factory=lambda: np.ones(0))
    tightness: np.ndarray = field(default_factory=lambda: np.zeros(0))
    tightness_start: np.ndarray = field(default_factory=lambda: np.zeros(0))
    baseline: tuple[float, float] = (0.0, 0.0)
    month: int = 0
    agenda_funded: bool = False
    outlook: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    closures: int = 0


@dataclass(frozen=True)
class Snapshot:
    """Read-only views of the state at the end of a month, handed to indicator recorders.

    Arrays are views (not copies) of the live state: a recorder must finish with them before the
    next step. Worker arrays cover rows ``0..n`` including retired rows (``status == RETIRED``).
    Counts are in agents; multiply by ``scale`` for persons.

    Attributes:
        month: The month just simulated (0 = initial state).
        scale: Persons per worker agent.
        status, age, education, region, municipality, occupation, employer, last_employer,
        unemployment_months, skills: Worker columns (see :class:`WorkerState`).
        employer_sector, employer_region, employer_municipality: Per employer.
        headcount, openings, target: Per employer x occupation (agents).
        requirements: Current requirement profiles (occupations x skills).
        skill_weights: Skill weights of the shortfall.
        skill_names, occupation_names, sector_names, region_names, education_names: Labels.
        hires_by_cell: Hires this month per employer x occupation.
        shortfall_of_hires: Skill shortfall of each hire this month.
        wage_index: Per occupation, the multiplier on offered wages.
        occupation_flows: The month's flows per occupation (``ecosim.flows.OCCUPATION_FLOWS``).
        closure: Worker column: the closure that displaced the worker (-1: none).
    """

    month: int
    scale: float
    status: np.ndarray
    age: np.ndarray
    education: np.ndarray
    region: np.ndarray
    municipality: np.ndarray
    occupation: np.ndarray
    employer: np.ndarray
    last_employer: np.ndarray
    unemployment_months: np.ndarray
    skills: np.ndarray
    employer_sector: np.ndarray
    employer_region: np.ndarray
    employer_municipality: np.ndarray
    headcount: np.ndarray
    openings: np.ndarray
    target: np.ndarray
    requirements: np.ndarray
    skill_weights: np.ndarray
    skill_names: tuple[str, ...]
    occupation_names: tuple[str, ...]
    sector_names: tuple[str, ...]
    region_names: tuple[str, ...]
    education_names: tuple[str, ...]
    hires_by_cell: np.ndarray
    shortfall_of_hires: np.ndarray
    wage_index: np.ndarray
    occupation_flows: np.ndarray
    closure: np.ndarray
