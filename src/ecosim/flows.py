"""The month's flows: counts and euros that accumulate during one month, reset at its start.

Counts are in agents (multiply by the scenario's ``resolution`` for persons); euros are already
in persons. The phases of the month add to these fields; the indicators read them at month end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ecosim.state import RegionState, Status

OCCUPATION_FLOWS: tuple[str, ...] = (
    "hires_from_unemployment",
    "hires_job_to_job",
    "hires_of_entrants",
    "hires_retrained",
    "hires_trained_on_the_job",
    "vacancies_withdrawn",
)
"""Rows of :attr:`Flows.by_occupation`: the channels through which an occupation's jobs are
filled — hires of the unemployed, of workers moving from another job, of entrants into their
first job in the region, of the unemployed who retrained into the occupation (a course aimed
at it), of hires trained on the job by their employer (overlapping the others) — and vacancies
withdrawn."""


@dataclass
class Flows:
    """What happened this month (see the module docstring for units).

    Attributes:
        employed_at_start, unemployed_at_start: Stocks when the month began (denominators of
            the job-finding and separation rates).
        hires: All hires (from unemployment and job to job).
        hires_from_unemployment: Hires of workers who were unemployed.
        hires_from_unemployment_stock: Of those, workers unemployed at the start of the month
            (spell of at least one month): the job-finding rate's numerator.
        separations: Exogenous separations, layoffs and closures.
        layoffs: Layoffs toward target and closures (the displaced).
        job_to_job: Employed workers hired by another employer.
        retirements: Workers reaching the retirement age.
        early_retirements: Workers retiring before it.
        exits_to_inactivity: Employed and unemployed workers leaving the labour force.
        returns_to_labour_force: Inactive workers returning to it (as job seekers).
        entrants: Entrants into the labour force (graduates and experienced newcomers).
        entrants_experienced: Of those, experienced workers moving in or commuting.
        fills_beyond_openings: Cells filled beyond their open vacancies (always 0; an invariant).
        vacancies_posted, vacancies_withdrawn: Vacancies posted at month end, and withdrawn
            (unfilled too long, or the job is above target).
        by_occupation: (len(OCCUPATION_FLOWS), O) the month's flows per occupation.
        departures_by_cell: Workers who left a job this month, per employer x occupation
            (separations, retirements, exits, job-to-job moves): the replacement demand.
        shortfall_of_hires_sum: Sum of the hires' skill shortfalls.
        hires_trained: Hires with a shortfall their employer trains on the job.
        hire_training_cost: The cost of training each of them (euros), booked in the training
            phase.
        hires_by_cell: Hires per employer x occupation.
        shortfall_of_hires: Skill shortfall of each hire.
        shortfall_of_employed: ``(rows, shortfall)`` of every employed worker, computed once
            by the employers' training decisions (:func:`ecosim.phases.training.
            employer_training`) and read again by the month-end indicators: no later phase
            changes skills, occupations, statuses or profiles (``rows`` is the workers'
            shared index set, so the indicators can tell it is still the month-end one).
            ``None`` when employer training is off.
        training_starts, employer_training_starts, training_completions, training_dropouts:
            Courses started (of which employer-initiated), completed, dropped.
        training_starts_unneeded: Courses started by workers that teach nothing they lack (chosen
            on a misperceived gap).
        training_refused_capacity, training_refused_budget: Applications refused for want of a
            place or of budget.
        entrants_shortfall_sum, entrants_shortfall_n: Skill shortfall of entrants (sum, count).
        employer_training_spending: Employers' net spending on courses they initiated and on
            training new hires on the job (euros).
        private_training_spending: Workers' own spending on courses (euros).
        learning_community_cost: Running cost of active learning communities (euros).
        benefit_spending, social_assistance_spending: Benefits paid this month (euros).
    """

    employed_at_start: int = 0
    unemployed_at_start: int = 0
    hires: int = 0
    hires_from_unemployment: int = 0
    hires_from_unemployment_stock: int = 0
    separations: int = 0
    layoffs: int = 0
    job_to_job: int = 0
    retirements: int = 0
    early_retirements: int = 0
    exits_to_inactivity: int = 0
    returns_to_labour_force: int = 0
    entrants: int = 0
    entrants_experienced: int = 0
    fills_beyond_openings: int = 0
    vacancies_posted: int = 0
    vacancies_withdrawn: int = 0
    by_occupation: np.ndarray = field(
        default_factory=lambda: np.zeros((len(OCCUPATION_FLOWS), 0), dtype=np.int64)
    )
    departures_by_cell: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))
    shortfall_of_hires_sum: float = 0.0
    hires_trained: int = 0
    hire_training_cost: np.ndarray = field(default_factory=lambda: np.zeros(0))
    hires_by_cell: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))
    shortfall_of_hires: np.ndarray = field(default_factory=lambda: np.zeros(0))
    shortfall_of_employed: tuple[np.ndarray, np.ndarray] | None = None
    training_starts: int = 0
    training_starts_unneeded: int = 0
    employer_training_starts: int = 0
    training_completions: int = 0
    training_dropouts: int = 0
    training_refused_capacity: int = 0
    training_refused_budget: int = 0
    entrants_shortfall_sum: float = 0.0
    entrants_shortfall_n: int = 0
    employer_training_spending: float = 0.0
    private_training_spending: float = 0.0
    learning_community_cost: float = 0.0
    benefit_spending: float = 0.0
    social_assistance_spending: float = 0.0

    def employed_shortfall(self, employed: np.ndarray) -> np.ndarray | None:
        """The shared shortfall of the employed if it is of ``employed``, else ``None``.

        ``employed`` is the workers' current index set (``WorkerState.rows_with``): the same
        array object only while no status has changed since the shortfall was computed.
        """
        shared = self.shortfall_of_employed
        return shared[1] if shared is not None and shared[0] is employed else None

    @classmethod
    def start(cls, state: RegionState) -> Flows:
        """Empty flows for a month that begins in ``state``."""
        status = state.workers.view("status")
        return cls(
            employed_at_start=int(np.count_nonzero(status == Status.EMPLOYED)),
            unemployed_at_start=int(np.count_nonzero(status == Status.UNEMPLOYED)),
            hires_by_cell=np.zeros_like(state.employers.headcount),
            departures_by_cell=np.zeros_like(state.employers.headcount),
            by_occupation=np.zeros(
                (len(OCCUPATION_FLOWS), state.employers.n_occupations), dtype=np.int64
            ),
        )
