"""Matching: job seekers meet vacancies in the numba matching kernel; hires are applied.

Seekers are the unemployed and a share ``on_the_job_search_share`` of the employed (fewer of
those in a course: ``training_search_factor``). The kernel (:func:`ecosim.kernels.matching.match`,
``matching.mode``) pairs seekers with vacancies by the skill fit (:mod:`ecosim.skills`), the
commute and the wage; an employed seeker moves only to a job better than the current one, and
leaves an opening behind (a vacancy chain).
"""

from __future__ import annotations

import numpy as np

from ecosim.config import Scenario
from ecosim.draws import Draws, Purpose
from ecosim.flows import OCCUPATION_FLOWS, Flows
from ecosim.kernels.matching import Seekers, Vacancies, match
from ecosim.kernels.training import shortfall_rows
from ecosim.phases import vacancies
from ecosim.state import NO_EMPLOYER, RegionState, Status


def search_and_match(
    state: RegionState,
    config: Scenario,
    draws_step: Draws,
    draws_learning: Draws,
    draws_match: Draws,
    flows: Flows,
) -> None:
    """Seekers meet vacancies in the matching kernel; apply hires and job-to-job moves.

    Workers in a course search less: their search probability is multiplied by the training
    search factor.
    """
    w, emp, c, world, month = state.workers, state.employers, config, state.world, state.month
    employed = w.rows_with(Status.EMPLOYED)
    factor = c.learning.training_search_factor
    on_the_job = employed[
        draws_step.uniform(month, Purpose.SEARCH_ON_THE_JOB, employed)
        < c.behaviour.on_the_job_search_share * np.where(w.course[employed] >= 0, factor, 1.0)
    ]
    unemployed = w.rows_with(Status.UNEMPLOYED)
    training = w.course[unemployed] >= 0
    if training.any():
        searching = draws_learning.uniform(month, Purpose.SEARCH_IN_COURSE, unemployed) < factor
        unemployed = unemployed[~training | searching]
    seekers = np.concatenate([unemployed, on_the_job])
    rows, count = _vacancy_rows(state, c.hiring.sampling)
    if seekers.size == 0 or rows.size == 0:
        return
    vac = state.vacancies
    v_emp, v_occ = vac.employer[rows], vac.occupation[rows]
    v_wage = world.base_wage[v_occ] * state.wage_index[v_occ] * emp.wage_premium[v_emp]
    quality = np.full(seekers.size, -np.inf)
    is_emp = w.status[seekers] == Status.EMPLOYED
    quality[is_emp] = job_utility(state, seekers[is_emp])
    result = match(
        c.matching.mode,
        Seekers(
            skills=np.take(w.skills, seekers, axis=0),  # half the time of w.skills[seekers]
            municipality=w.municipality[seekers],
            reservation_wage=w.reservation_wage[seekers],
            current_quality=quality,
            occupation=w.occupation[seekers],
        ),
        Vacancies(
            requirements=state.requirements[v_occ],
            municipality=emp.municipality[v_emp],
            wage=v_wage,
            count=count,
            occupation=v_occ,
            threshold=vacancies.standards(state, c, rows),
        ),
        world.match_params,
        draws_match.seed(month, Purpose.MATCHING_SEED),
    )
    got = result.vacancy_of_seeker >= 0
    hired, vrow = seekers[got], result.vacancy_of_seeker[got]
    if hired.size == 0:
        return
    filled = _filled(state, rows, count, vrow)
    cells = emp.cell(v_emp[vrow], v_occ[vrow])
    gap = 1.0 - result.fit_of_seeker[got]
    _hire(state, hired, cells, v_wage[vrow], gap, flows)
    hire_and_train(state, c, hired, gap, flows)
    vac.remove(filled)
    vacancies.sync(state)


def hire_and_train(
    state: RegionState,
    config: Scenario,
    rows: np.ndarray,
    gap: np.ndarray,
    flows: Flows,
) -> None:
    """Employers train the new hires who fall short of the job, on the job and at their cost.

    A hire whose shortfall exceeds ``hire_and_train.min_shortfall`` learns at the training rate
    for its months (:func:`ecosim.phases.learning.learn_on_the_job`); the employer pays
    ``cost_months x shortfall`` monthly wages, booked later in the month, after employers'
    course decisions, when the employer training subsidy pays its share of what its envelope
    has left (:func:`ecosim.phases.training.pay_hire_training`): the training happens anyway,
    so the subsidy is a windfall here and goes first to decisions it can change.
    """
    ht = config.hiring.hire_and_train
    if not ht.enabled:
        return
    trained = gap > ht.min_shortfall
    rows, gap = rows[trained], gap[trained]
    w = state.workers
    w.onboarding_months_left[rows] = ht.months
    flows.hire_training_cost = ht.cost_months * gap * w.wage[rows] * config.resolution
    flows.hires_trained += rows.size
    flows.by_occupation[OCCUPATION_FLOWS.index("hires_trained_on_the_job")] += np.bincount(
        w.occupation[rows], minlength=state.employers.n_occupations
    )


def _vacancy_rows(state: RegionState, sampling: str) -> tuple[np.ndarray, np.ndarray]:
    """The kernel's vacancy rows: every open vacancy, or one row per cell with its count.

    Returns the vacancy-table row of each kernel row (for cells: the cell's oldest vacancy)
    and each row's count of identical openings.
    """
    vac = state.vacancies
    if sampling == "vacancies" or vac.n == 0:
        return np.arange(vac.n), np.ones(vac.n, dtype=np.int64)
    cells = vac.cells(state.employers.n_occupations)
    order = np.lexsort((vac.view("opened"), cells))
    first = np.flatnonzero(np.r_[True, cells[order][1:] != cells[order][:-1]])
    return order[first], np.diff(np.r_[first, vac.n]).astype(np.int64)


def _filled(
    state: RegionState, rows: np.ndarray, count: np.ndarray, vrow: np.ndarray
) -> np.ndarray:
    """Vacancy-table rows filled by the hires into kernel rows ``vrow``.

    One vacancy per kernel row; for cell rows, the cell's oldest vacancies first.
    """
    if np.all(count == 1):
        return rows[vrow]
    vac = state.vacancies
    cells = vac.cells(state.employers.n_occupations)
    n_fill = np.bincount(vrow, minlength=rows.size)
    order = np.lexsort((np.arange(vac.n), vac.view("opened"), cells))  # by cell, oldest first
    sorted_cells = cells[order]
    first = np.searchsorted(sorted_cells, sorted_cells, side="left")
    rank = np.arange(vac.n) - first
    fills_per_cell = np.zeros(state.employers.headcount.size, dtype=np.int64)
    fills_per_cell[cells[rows]] = n_fill
    return order[rank < fills_per_cell[sorted_cells]]


def _hire(
    state: RegionState,
    rows: np.ndarray,
    cells: np.ndarray,
    wage: np.ndarray,
    gap: np.ndarray,
    flows: Flows,
) -> None:
    """Apply the month's hires: headcounts, the hired workers' rows, the flows.

    A job-to-job mover leaves a job behind: it counts among the month's departures, to be
    replaced at month end (a vacancy chain).
    """
    w, emp = state.workers, state.employers
    fills = np.bincount(cells, minlength=emp.headcount.size).reshape(emp.headcount.shape)
    flows.fills_beyond_openings += int(np.count_nonzero(fills > emp.openings))
    movers = rows[w.status[rows] == Status.EMPLOYED]
    if movers.size:
        left = emp.cell_counts(emp.cell(w.employer[movers], w.occupation[movers]))
        emp.headcount -= left
        flows.departures_by_cell += left
    emp.headcount += fills
    flows.hires_by_cell = fills
    flows.shortfall_of_hires = gap
    flows.hires += rows.size
    flows.job_to_job += movers.size
    flows.hires_from_unemployment += rows.size - movers.size
    # Unemployed at the start of the month: their spell began in an earlier month (entrants
    # and the newly separated began theirs this month).
    stock = (w.status[rows] == Status.UNEMPLOYED) & (w.spell_start[rows] < state.month)
    flows.hires_from_unemployment_stock += int(np.count_nonzero(stock))
    flows.shortfall_of_hires_sum += float(np.sum(gap))
    v_emp, v_occ = np.divmod(cells, emp.n_occupations)
    was_unemployed = w.status[rows] == Status.UNEMPLOYED
    channels = (
        ("hires_from_unemployment", was_unemployed),
        ("hires_job_to_job", ~was_unemployed),
        ("hires_of_entrants", was_unemployed & (w.last_employer[rows] == NO_EMPLOYER)),
        ("hires_retrained", was_unemployed & w.retrained[rows] & (w.occupation[rows] == v_occ)),
    )
    for name, which in channels:
        flows.by_occupation[OCCUPATION_FLOWS.index(name)] += np.bincount(
            v_occ[which], minlength=emp.n_occupations
        )
    w.retrained[rows] = False
    w.set_status(rows, Status.EMPLOYED)
    w.employer[rows] = v_emp
    w.occupation[rows] = v_occ
    w.wage[rows] = wage
    w.reservation_wage[rows] = wage
    w.job_start[rows] = state.month
    w.unemployment_months[rows] = 0
    w.benefit_months_left[rows] = 0
    w.displaced[rows] = False
    w.onboarding_months_left[rows] = 0


def job_utility(state: RegionState, rows: np.ndarray) -> np.ndarray:
    """Utility of employed workers' current jobs, on the matching kernel's scale.

    ``wage_weight x ln(wage / reservation wage) - commute_cost x km + fit_weight x fit``: a
    job-to-job move must beat this.
    """
    w, emp, world = state.workers, state.employers, state.world
    p = world.match_params
    fit = 1.0 - shortfall_rows(
        w.skills, rows, w.occupation[rows], state.requirements, world.skill_weights
    )
    commute = world.distance[w.municipality[rows], emp.municipality[w.employer[rows]]]
    wage_term = np.log(w.wage[rows] / w.reservation_wage[rows])
    return p.wage_weight * wage_term - p.commute_cost * commute + p.fit_weight * fit
