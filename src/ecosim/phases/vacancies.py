"""Vacancies: posted by employers at month end, kept open until filled or withdrawn.

Openings come from *replacement demand* — a worker who leaves a job (separation, retirement,
exit from the labour force, a move to another employer) is replaced by a vacancy, as long as
the job is not above its target — and from *growth*: a share of any further gap between target
employment and filled-plus-open jobs is opened each month (employers expand gradually). An
optional spontaneous term opens vacancies in proportion to employment regardless of the gap
(del Rio-Chanona et al. 2021). A vacancy unfilled for ``max_vacancy_months`` is withdrawn, and
so are the newest vacancies of a job that is above target. The stock at month end, before the
next month's matching, is the one reported: CBS counts the vacancies open on the reference day
(the last day of the quarter). With ``labour_demand.rule: del_rio_chanona`` the month's openings
are those planned at its start (:func:`ecosim.phases.labour_demand.plan_openings_and_separations`)
and only stale vacancies are withdrawn.
"""

from __future__ import annotations

import numpy as np

from ecosim.config import Behaviour, Hiring, Scenario
from ecosim.draws import Draws, Purpose
from ecosim.flows import OCCUPATION_FLOWS, Flows
from ecosim.state import EmployerState, RegionState


def post(
    state: RegionState,
    behaviour: Behaviour,
    hiring: Hiring,
    draws: Draws,
    flows: Flows,
    planned: np.ndarray | None = None,
) -> None:
    """Month end: withdraw stale and surplus vacancies, then post replacement and growth ones.

    Per employer and occupation, with ``cap = round(target - headcount)`` the jobs that may be
    open: vacancies older than ``max_vacancy_months`` are withdrawn, then the newest beyond
    ``cap``; then ``replace = min(round(replacement_share x departures), gap)`` and
    ``grow = round(vacancy_opening_rate x (gap - replace))`` are posted, with
    ``gap = max(0, cap - open)``, plus ``spontaneous_opening_rate x headcount`` (rounded).

    With ``planned`` openings per employer and occupation (``rule: del_rio_chanona``), only
    stale vacancies are withdrawn and the planned ones posted: in del Rio-Chanona et al. (2021)
    an excess of jobs is shed by separations, not by withdrawing vacancies.
    """
    emp, vac, month = state.employers, state.vacancies, state.month
    stale = np.flatnonzero(month - vac.view("opened") >= hiring.max_vacancy_months)
    _withdraw(state, stale, flows)
    new = _openings(state, behaviour, hiring, draws, flows) if planned is None else planned
    cells = np.repeat(np.arange(new.size), new.ravel())
    employer, occupation = np.divmod(cells, emp.n_occupations)
    vac.add(employer, occupation, month)
    flows.vacancies_posted += cells.size
    sync(state)


def _openings(
    state: RegionState, behaviour: Behaviour, hiring: Hiring, draws: Draws, flows: Flows
) -> np.ndarray:
    """The model's own openings per cell after withdrawing the surplus (see :func:`post`)."""
    emp, vac, month = state.employers, state.vacancies, state.month
    cap = _cap(emp)
    open_now = vac.counts(emp.n, emp.n_occupations)
    # A surplus needs an open vacancy: look at the vacancies' cells, not every cell.
    cells = vac.cells(emp.n_occupations)
    surplus = np.maximum(open_now.ravel()[cells] - cap.ravel()[cells], 0)
    if surplus.any():
        _withdraw(state, _newest(cells, vac.view("opened"), surplus), flows)
        open_now = vac.counts(emp.n, emp.n_occupations)
    gap = np.maximum(cap - open_now, 0)
    departures = hiring.replacement_share * flows.departures_by_cell
    replace = np.minimum(draws.round(month, Purpose.REPLACE, departures), gap)
    grow = draws.round(month, Purpose.GROW, behaviour.vacancy_opening_rate * (gap - replace))
    new = replace + grow
    if hiring.spontaneous_opening_rate > 0:
        spontaneous = hiring.spontaneous_opening_rate * emp.headcount
        new += draws.round(month, Purpose.SPONTANEOUS, spontaneous)
    return new


def standards(state: RegionState, config: Scenario, rows: np.ndarray) -> np.ndarray:
    """The hiring standard of vacancies (table rows): the lowest skill fit each accepts.

    ``max(standard_floor, acceptance_threshold - standard_decline x age - tightness_decline x
    max(0, rate - tight_vacancy_rate))`` with ``age`` the months the vacancy has been open and
    ``rate`` the vacancy rate of its occupation, ``V / (V + E)`` (:func:`occupation_vacancy_rate`).
    An employer who cannot fill a post lowers the bar (and trains the hire on the job), and
    employers ask for less where the labour market of the occupation is tight and for more where
    it is slack: postings' skill and education requirements fall as local labour markets
    tighten and rise when workers are plentiful (Modestino, Shoag & Ballance 2016, 2020). The
    second term lowers every vacancy of a short occupation at once, however young, so a growing
    occupation's shortage does not wait for each post to age; an occupation at the economy's
    usual vacancy rate keeps its standard. Never above the fresh standard.
    """
    fresh, hiring = config.matching.acceptance_threshold, config.hiring
    vac = state.vacancies
    age = state.month - vac.opened[rows]
    lowered = fresh - hiring.standard_decline * age
    if hiring.tightness_decline > 0:
        excess = np.maximum(occupation_vacancy_rate(state) - hiring.tight_vacancy_rate, 0.0)
        lowered = lowered - hiring.tightness_decline * excess[vac.occupation[rows]]
    return np.maximum(lowered, min(fresh, hiring.standard_floor))


def occupation_vacancy_rate(state: RegionState) -> np.ndarray:
    """Open vacancies over open vacancies plus filled jobs, per occupation (0 where neither)."""
    emp = state.employers
    open_ = emp.openings.sum(axis=0).astype(np.float64)
    jobs = open_ + emp.headcount.sum(axis=0)
    return np.divide(open_, jobs, out=np.zeros_like(open_), where=jobs > 0)


def lowest_standard(config: Scenario) -> float:
    """The lowest fit any vacancy accepts: its standard once aged or tight, or the fresh one.

    ``hiring.standard_floor`` when standards fall with a vacancy's age or its occupation's
    tightness (``standard_decline > 0`` or ``tightness_decline > 0``), else
    ``matching.acceptance_threshold`` (never above the fresh standard).
    """
    fresh, hiring = config.matching.acceptance_threshold, config.hiring
    if hiring.standard_decline > 0 or hiring.tightness_decline > 0:
        return min(fresh, hiring.standard_floor)
    return fresh


def withdraw_employer(state: RegionState, employer: int, flows: Flows) -> None:
    """Withdraw every vacancy of an employer (it closes)."""
    _withdraw(state, np.flatnonzero(state.vacancies.view("employer") == employer), flows)
    sync(state)


def _withdraw(state: RegionState, rows: np.ndarray, flows: Flows) -> None:
    """Withdraw vacancies (table rows), counting them in total and per occupation."""
    vac = state.vacancies
    flows.vacancies_withdrawn += len(rows)
    flows.by_occupation[OCCUPATION_FLOWS.index("vacancies_withdrawn")] += np.bincount(
        vac.occupation[rows], minlength=state.employers.n_occupations
    )
    vac.remove(rows)


def sync(state: RegionState) -> None:
    """Make ``employers.openings`` the count of open vacancies per employer and occupation."""
    emp = state.employers
    emp.openings[:] = state.vacancies.counts(emp.n, emp.n_occupations)


def _cap(emp: EmployerState) -> np.ndarray:
    """Jobs that may be open per cell: ``floor(target - headcount + u)``, at least 0.

    A target is an expected headcount and a job indivisible: an employer opens a job once the
    unmet part of its target passes its own threshold ``1 - u``, with ``u`` uniform on [0, 1)
    and fixed per employer and occupation (``EmployerState.cell_threshold``, drawn once by the
    build, :attr:`Purpose.CELL_THRESHOLD`). Rounding
    every cell to the nearest job instead never opened the growth of small cells — a target that
    grows from 1.2 to 1.45 — so a growing occupation spread thinly over many small employers
    stayed 10-17% below its target for years with only two thirds of the gap posted
    (construction in ``rijnmond_combined``). With a threshold of its own per cell the posted
    jobs add up to the gap in expectation, ``E[floor(x + u)] = x``; integer targets (the
    baseline's) are unchanged.
    """
    gap = emp.target - emp.headcount
    gap += emp.cell_threshold
    np.floor(gap, out=gap)
    np.maximum(gap, 0.0, out=gap)
    return gap.astype(np.int64)


def _newest(cells: np.ndarray, opened: np.ndarray, surplus: np.ndarray) -> np.ndarray:
    """Rows of the ``surplus`` most recently posted vacancies of each cell.

    ``surplus[k]`` is the surplus of the cell of vacancy ``k`` (the same for all of a cell's).
    """
    rows = np.arange(cells.size)
    order = np.lexsort((-rows, -opened, cells))  # by cell, newest first
    sorted_cells = cells[order]
    first = np.searchsorted(sorted_cells, sorted_cells, side="left")
    rank = np.arange(cells.size) - first
    return order[rank < surplus[order]]
