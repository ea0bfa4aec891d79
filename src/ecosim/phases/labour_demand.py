"""Labour demand: transition events, target employment, separations, layoffs and vacancies.

Employers want ``target`` workers per occupation (their base target times the transitions'
demand multipliers). They lose workers to exogenous separations, lay off part of any excess
over target, and open vacancies for part of any gap below it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ecosim.config import Behaviour, Scenario
from ecosim.flows import Flows
from ecosim.sampling import stochastic_round
from ecosim.state import NO_EMPLOYER, RegionState, Status
from ecosim.transitions import ResolvedEvent, Transitions


def apply_events(
    state: RegionState, config: Scenario, transitions: Transitions, flows: Flows
) -> list[dict[str, Any]]:
    """This month's transition events; returns their log entries.

    A closure lays off every worker of the ``rank``-th largest live employer of the sector (in
    the region or municipality, if given) and sets its target to zero: a mass layoff whose
    workers are displaced (eligible for retraining). An opening gives a dormant employer a
    target of ``jobs`` persons with the event's occupation mix: a hiring wave.
    """
    log = []
    for event in transitions.events_at(state.month):
        if event.kind == "closure":
            employer, persons = _close(state, config, event, flows)
        else:
            employer, persons = event.employer, event.jobs
            state.employers.base_target[employer] = event.jobs / config.scale * event.mix
        log.append(
            {
                "month": state.month,
                "transition": event.transition,
                "event": event.name,
                "kind": event.kind,
                "sector": state.world.sector_names[event.sector],
                "employer": employer,
                "persons": float(persons),
            }
        )
    return log


def _close(
    state: RegionState, config: Scenario, event: ResolvedEvent, flows: Flows
) -> tuple[int, float]:
    """Close the event's employer; returns its row (-1: none that large) and persons laid off."""
    emp, w = state.employers, state.workers
    alive = (emp.sector == event.sector) & (emp.base_target.sum(axis=1) > 0)
    if event.region >= 0:
        alive &= emp.region == event.region
    if event.municipality >= 0:
        alive &= emp.municipality == event.municipality
    candidates = np.flatnonzero(alive)
    if candidates.size < event.rank:
        return -1, 0.0
    sizes = emp.headcount[candidates].sum(axis=1)
    e = int(candidates[np.argsort(-sizes, kind="stable")[event.rank - 1]])
    staff = np.flatnonzero((w.view("employer") == e) & (w.view("status") == Status.EMPLOYED))
    to_unemployment(state, staff, config.government.unemployment_benefits.duration_months, True)
    flows.separations += staff.size
    flows.layoffs += staff.size
    emp.base_target[e] = 0.0
    emp.openings[e] = 0
    return e, staff.size * config.scale


def update_targets(state: RegionState, transitions: Transitions) -> None:
    """Target employment per employer and occupation, and the occupations' requirements.

    ``target = base_target x demand multiplier(sector, region, occupation, month)``; the
    requirement profiles follow the transitions' content drift.
    """
    emp = state.employers
    factor = transitions.demand_factor(state.month)
    emp.target[:] = emp.base_target * factor[emp.sector, emp.region, :]
    if transitions.has_drift:
        state.requirements = transitions.requirements(state.month)


def separate(
    state: RegionState,
    behaviour: Behaviour,
    benefit_months: int,
    rng: np.random.Generator,
    flows: Flows,
) -> None:
    """Exogenous separations, then layoffs of part of any excess over target.

    Every employed worker separates with probability ``separation_rate`` a month (quits,
    temporary contracts ending, dismissals for cause). Where an employer has more workers in an
    occupation than its target, ``layoff_rate`` of the excess is laid off (stochastically
    rounded), chosen at random within the cell; laid-off workers are displaced.
    """
    w, emp = state.workers, state.employers
    employed = np.flatnonzero(w.view("status") == Status.EMPLOYED)
    quit_mask = rng.random(employed.size) < behaviour.separation_rate
    to_unemployment(state, employed[quit_mask], benefit_months)
    flows.separations += int(quit_mask.sum())
    excess = emp.headcount - emp.target
    if not np.any(excess > 0):
        return
    n_lay = stochastic_round(np.maximum(excess, 0.0) * behaviour.layoff_rate, rng)
    if not n_lay.any():
        return
    employed = np.flatnonzero(w.view("status") == Status.EMPLOYED)
    cells = emp.cell(w.employer[employed], w.occupation[employed])
    order = np.lexsort((rng.random(employed.size), cells))
    sorted_cells = cells[order]
    first = np.searchsorted(sorted_cells, sorted_cells, side="left")
    rank = np.arange(sorted_cells.size) - first
    laid_off = employed[order[rank < n_lay.ravel()[sorted_cells]]]
    to_unemployment(state, laid_off, benefit_months, displaced=True)
    flows.separations += laid_off.size
    flows.layoffs += laid_off.size


def to_unemployment(
    state: RegionState, rows: np.ndarray, benefit_months: int, displaced: bool = False
) -> None:
    """Move employed workers into unemployment, updating headcounts and entitlements.

    The worker keeps the last employer and wage (benefits and reservation wages depend on
    them), starts a spell of 0 months with ``benefit_months`` of entitlement; ``displaced``
    marks layoffs and closures (eligible for targeted retraining).
    """
    if rows.size == 0:
        return
    w, emp = state.workers, state.employers
    cells = emp.cell(w.employer[rows], w.occupation[rows])
    emp.headcount -= emp.cell_counts(cells)
    w.status[rows] = Status.UNEMPLOYED
    w.last_employer[rows] = w.employer[rows]
    w.employer[rows] = NO_EMPLOYER
    w.last_wage[rows] = w.wage[rows]
    w.wage[rows] = 0.0
    w.unemployment_months[rows] = 0
    w.spell_start[rows] = state.month
    w.benefit_months_left[rows] = benefit_months
    w.displaced[rows] = displaced


def open_vacancies(state: RegionState, behaviour: Behaviour, rng: np.random.Generator) -> None:
    """Open a share of the gap between target and filled-plus-open jobs; cancel any surplus.

    ``new = round(vacancy_opening_rate x max(0, target - headcount - openings))``; open
    vacancies are capped at the rounded gap ``target - headcount`` (an employer over target
    withdraws its openings).
    """
    emp = state.employers
    gap = emp.target - emp.headcount - emp.openings
    new = stochastic_round(np.maximum(gap, 0.0) * behaviour.vacancy_opening_rate, rng)
    cap = np.maximum(np.floor(emp.target - emp.headcount + 0.5), 0).astype(np.int64)
    emp.openings[:] = np.minimum(emp.openings + new, cap)
