"""Labour demand: transition events, target employment, separations and layoffs.

Employers want ``target`` workers per occupation (their base target times the transitions'
demand multipliers). They lose workers to exogenous separations and lay off part of any excess
over target; vacancies for the departures and for any gap below target are posted at month end
(:mod:`ecosim.phases.vacancies`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ecosim.config import Behaviour, Scenario
from ecosim.draws import Draws, Purpose
from ecosim.flows import Flows
from ecosim.phases import vacancies
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
    if state.month < 1:  # the burn-in: nothing happens before month 1
        return log
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
    to_unemployment(
        state, staff, config.government.unemployment_benefits.duration_months, flows, True
    )
    flows.separations += staff.size
    flows.layoffs += staff.size
    emp.base_target[e] = 0.0
    vacancies.withdraw_employer(state, e, flows)
    w.closure[staff] = state.closures
    state.closures += 1
    return e, staff.size * config.scale


def update_targets(state: RegionState, transitions: Transitions) -> None:
    """Target employment per employer and occupation, and the occupations' requirements.

    ``target = base_target x demand multiplier(sector, region, occupation, month)``; the
    requirement profiles follow the transitions' content drift. Before month 0 (the burn-in)
    both are month 0's.
    """
    emp = state.employers
    month = max(state.month, 0)
    factor = transitions.demand_factor(month)
    emp.target[:] = emp.base_target * factor[emp.sector, emp.region, :]
    if transitions.has_drift:
        state.requirements = transitions.requirements(month)


def separate(
    state: RegionState,
    behaviour: Behaviour,
    benefit_months: int,
    draws: Draws,
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
    month = state.month
    quit_mask = draws.uniform(month, Purpose.QUIT, employed) < behaviour.separation_rate
    to_unemployment(state, employed[quit_mask], benefit_months, flows)
    flows.separations += int(quit_mask.sum())
    excess = emp.headcount - emp.target
    if not np.any(excess > 0):
        return
    n_lay = draws.round(month, Purpose.LAYOFFS, np.maximum(excess, 0.0) * behaviour.layoff_rate)
    if not n_lay.any():
        return
    employed = np.flatnonzero(w.view("status") == Status.EMPLOYED)
    cells = emp.cell(w.employer[employed], w.occupation[employed])
    order = np.lexsort((draws.uniform(month, Purpose.LAYOFF_ORDER, employed), cells))
    sorted_cells = cells[order]
    first = np.searchsorted(sorted_cells, sorted_cells, side="left")
    rank = np.arange(sorted_cells.size) - first
    laid_off = employed[order[rank < n_lay.ravel()[sorted_cells]]]
    to_unemployment(state, laid_off, benefit_months, flows, displaced=True)
    flows.separations += laid_off.size
    flows.layoffs += laid_off.size


def to_unemployment(
    state: RegionState,
    rows: np.ndarray,
    benefit_months: int,
    flows: Flows,
    displaced: bool = False,
) -> None:
    """Move employed workers into unemployment, updating headcounts and entitlements.

    The worker keeps the last employer and wage (benefits and reservation wages depend on
    them), starts a spell of 0 months with ``benefit_months`` of entitlement; ``displaced``
    marks layoffs and closures (eligible for targeted retraining).
    """
    if rows.size == 0:
        return
    w, emp = state.workers, state.employers
    left = emp.cell_counts(emp.cell(w.employer[rows], w.occupation[rows]))
    emp.headcount -= left
    flows.departures_by_cell += left
    w.status[rows] = Status.UNEMPLOYED
    w.last_employer[rows] = w.employer[rows]
    w.employer[rows] = NO_EMPLOYER
    w.last_wage[rows] = w.wage[rows]
    w.last_wage_index[rows] = state.wage_index[w.occupation[rows]]
    w.wage[rows] = 0.0
    w.unemployment_months[rows] = 0
    w.spell_start[rows] = state.month
    w.benefit_months_left[rows] = benefit_months
    w.displaced[rows] = displaced
    w.onboarding_months_left[rows] = 0
