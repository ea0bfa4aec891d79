"""Labour demand: transition events, target employment, separations and layoffs.

Employers want ``target`` workers per occupation (their base target times the transitions'
demand multipliers). They lose workers to exogenous separations and lay off part of any excess
over target; vacancies for the departures and for any gap below target are posted at month end
(:mod:`ecosim.phases.vacancies`). With ``labour_demand.rule: del_rio_chanona`` the rules of del
Rio-Chanona et al. (2021) decide instead, from the stocks at the start of the month, who
separates and how many vacancies open (:func:`plan_openings_and_separations`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ecosim.config import Behaviour, LabourDemand, Scenario
from ecosim.draws import Draws, Purpose
from ecosim.flows import Flows
from ecosim.phases import vacancies
from ecosim.state import NO_EMPLOYER, RegionState, Status
from ecosim.transitions import ResolvedEvent, Transitions


def apply_events(
    state: RegionState, config: Scenario, transitions: Transitions, flows: Flows
) -> list[dict[str, Any]]:
    """This month's transition events; returns their log entries.

    A closure lays off every worker of a live employer of the sector (in the region or
    municipality, if given) and sets its target to zero: with ``jobs``, the event's own
    employer, built with the world with that many persons' jobs (the same at every resolution);
    without, the ``rank``-th largest (whose share of the sector depends on the resolution): a
    mass layoff whose workers are displaced (eligible for retraining). An opening gives a
    dormant employer a target of ``jobs`` persons with the event's occupation mix: a hiring
    wave.
    """
    log = []
    if state.month < 1:  # the burn-in: nothing happens before month 1
        return log
    for event in transitions.events_at(state.month):
        if event.kind == "closure":
            employer, persons = _close(state, config, event, flows)
        else:
            employer, persons = event.employer, event.jobs
            state.employers.base_target[employer] = event.jobs / config.resolution * event.mix
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
    """Close the event's employer; returns its row (-1: none) and the persons laid off."""
    emp, w = state.employers, state.workers
    alive = (emp.sector == event.sector) & (emp.base_target.sum(axis=1) > 0)
    if event.region >= 0:
        alive &= emp.region == event.region
    if event.municipality >= 0:
        alive &= emp.municipality == event.municipality
    candidates = np.flatnonzero(alive)
    if event.employer >= 0:  # sized in jobs: its own employer, built with the world
        if event.employer not in candidates:
            return -1, 0.0
        e = event.employer
    elif candidates.size < event.rank:
        return -1, 0.0
    else:
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
    return e, staff.size * config.resolution


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


def del_rio_chanona_rates(
    employed: np.ndarray,
    vacancies: np.ndarray,
    target: np.ndarray,
    *,
    delta_u: float,
    delta_v: float,
    gamma_u: float,
    gamma_v: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The probabilities of separating and of opening a vacancy, per employed worker of a job.

    del Rio-Chanona, Mealy, Beguerisse-Díaz, Lafond & Farmer (2021), "Occupational mobility
    and automation: a data-driven network model", *J. R. Soc. Interface* 18: 20200898. With
    ``e`` the employed, ``v`` the open vacancies, ``d = e + v`` the realised demand and ``d†``
    the target demand of a job (their occupation), a step has

    * separations ``δu e + (1 - δu) min(e, γu max(0, d - d†))``: spontaneous ones (quits,
      contracts ending) and, where more jobs exist than are wanted, a share ``γu`` of the
      excess shed;
    * openings ``δv e + (1 - δv) min(e, γv max(0, d† - d))``: spontaneous ones (replacement
      and churn) and a share ``γv`` of any shortfall opened.

    Employers close a gap gradually because adjusting is costly. Divided by ``e``, these are
    the probabilities with which each employed worker separates and each opens a vacancy (the
    binomial draws of the paper's stochastic model, whose mean is the deterministic
    approximation); ``0`` where nobody is employed. Arrays of any one shape, element by element.

    Args:
        employed: ``e`` per job.
        vacancies: ``v`` per job.
        target: ``d†`` per job.
        delta_u, delta_v, gamma_u, gamma_v: ``δu, δv, γu, γv``
            (:class:`~ecosim.config.DelRioChanona`).

    Returns:
        The separation and the opening probability per job.
    """
    e = np.asarray(employed, dtype=np.float64)
    excess = e + vacancies - target
    shed = np.minimum(e, gamma_u * np.maximum(excess, 0.0))
    opened = np.minimum(e, gamma_v * np.maximum(-excess, 0.0))
    separations = delta_u * e + (1.0 - delta_u) * shed
    openings = delta_v * e + (1.0 - delta_v) * opened
    zero = np.zeros_like(e)
    return (
        np.divide(separations, e, out=zero.copy(), where=e > 0),
        np.divide(openings, e, out=zero, where=e > 0),
    )


@dataclass(frozen=True)
class Plan:
    """The month's separations and openings decided at its start (``rule: del_rio_chanona``).

    Attributes:
        separation_probability: (employers, occupations), per employed worker of the job.
        openings: (employers, occupations), the vacancies to post at month end.
    """

    separation_probability: np.ndarray
    openings: np.ndarray


def plan_openings_and_separations(
    state: RegionState, labour_demand: LabourDemand, draws: Draws
) -> Plan | None:
    """With ``rule: del_rio_chanona``, the month's separations and openings; else ``None``.

    Decided from the stocks at the start of the month — the employed, the vacancies open at the
    end of last month and this month's target — before anyone is hired, as a step of del
    Rio-Chanona et al. (2021) decides them (:func:`del_rio_chanona_rates`). Each employed
    worker opens a vacancy with the opening probability (a binomial count per job, drawn
    worker by worker); the separations are drawn after matching (:func:`separate`) among
    these same workers, so nobody hired this month separates in it.
    """
    if labour_demand.rule != "del_rio_chanona":
        return None
    w, emp = state.workers, state.employers
    params = labour_demand.del_rio_chanona.model_dump()
    p_separate, p_open = del_rio_chanona_rates(emp.headcount, emp.openings, emp.target, **params)
    employed = w.rows_with(Status.EMPLOYED)
    cells = emp.cell(w.employer[employed], w.occupation[employed])
    opens = draws.uniform(state.month, Purpose.OPEN, employed) < p_open.ravel()[cells]
    return Plan(separation_probability=p_separate, openings=emp.cell_counts(cells[opens]))


def separate(
    state: RegionState,
    behaviour: Behaviour,
    benefit_months: int,
    draws: Draws,
    flows: Flows,
    plan: Plan | None = None,
) -> None:
    """Exogenous separations, then layoffs of part of any excess over target.

    Every employed worker separates with probability ``separation_rate`` a month (quits,
    temporary contracts ending, dismissals for cause). Where an employer has more workers in an
    occupation than its target, ``layoff_rate`` of the excess is laid off (stochastically
    rounded), chosen at random within the cell; laid-off workers are displaced.

    With a :class:`Plan` (``rule: del_rio_chanona``) instead, each worker employed since before
    this month separates with its job's planned probability, and nothing else (the paper's
    separations are not split into quits and layoffs, so none counts as displaced).
    """
    w, emp = state.workers, state.employers
    employed = w.rows_with(Status.EMPLOYED)
    month = state.month
    if plan is not None:
        employed = employed[w.job_start[employed] < month]
        cells = emp.cell(w.employer[employed], w.occupation[employed])
        p = plan.separation_probability.ravel()[cells]
        leaving = employed[draws.uniform(month, Purpose.QUIT, employed) < p]
        to_unemployment(state, leaving, benefit_months, flows)
        flows.separations += leaving.size
        return
    quit_mask = draws.uniform(month, Purpose.QUIT, employed) < behaviour.separation_rate
    to_unemployment(state, employed[quit_mask], benefit_months, flows)
    flows.separations += int(quit_mask.sum())
    excess = emp.headcount - emp.target
    if not np.any(excess > 0):
        return
    n_lay = draws.round(month, Purpose.LAYOFFS, np.maximum(excess, 0.0) * behaviour.layoff_rate)
    if not n_lay.any():
        return
    employed = w.rows_with(Status.EMPLOYED)
    cells = emp.cell(w.employer[employed], w.occupation[employed])
    cut = n_lay.ravel()[cells] > 0  # only the workers of cells with layoffs are ordered
    employed, cells = employed[cut], cells[cut]
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
    w.set_status(rows, Status.UNEMPLOYED)
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
