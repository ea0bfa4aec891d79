"""Demography and labour supply: ageing, retirement, leaving and returning, entrants.

Retirement is at ``retirement_age`` (the AOW age, 67 in 2024-2027), or earlier. Workers leave
the labour force and return to it at monthly rates from CBS flows (:class:`ecosim.config.
LabourSupply`). Entrants — graduates and others new to the regional labour market — replace the
retirements and follow labour demand (or come at a fixed yearly rate); they start as job
seekers. Their programme — the occupation they trained for — is chosen by enrolment and perceived
prospects, and their skills are that programme's curriculum plus noise (conditional learning).
"""

from __future__ import annotations

import numpy as np

from ecosim.config import EDUCATION_LEVELS, LabourSupply, Scenario
from ecosim.draws import Draws, Purpose
from ecosim.flows import Flows
from ecosim.phases.learning import noise_factor
from ecosim.sampling import normalised
from ecosim.skills import shortfall
from ecosim.state import NO_EMPLOYER, RegionState, Status


def age_and_retire(state: RegionState, retirement_age: float, flows: Flows) -> np.ndarray:
    """Everyone ages a month; those reaching the retirement age leave for good.

    Returns:
        The rows of the workers who retired (their rows stay as history).
    """
    w = state.workers
    present = w.present_rows()
    w.age[present] += 1.0 / 12.0
    retiring = present[w.age[present] >= retirement_age]
    _retire(state, retiring, flows)
    flows.retirements += retiring.size
    return retiring


def leave_and_return(
    state: RegionState, supply: LabourSupply, draws: Draws, flows: Flows
) -> np.ndarray:
    """Flows between employment, unemployment and non-participation, and early retirement.

    Each month, from ``early_retirement_age`` on, a worker retires early with probability
    ``early_retirement_rate``; otherwise the employed leave the labour force with probability
    ``exit_rate_employed`` (their job is vacated and replaced), the unemployed stop searching
    with ``exit_rate_unemployed`` (keeping any benefit entitlement for when they return; none is
    paid meanwhile), and the inactive return as job seekers with ``reentry_rate``. A returner's
    spell of unemployment starts again, as the labour-force survey measures duration: the time
    spent searching, or since the last job if that is shorter (Eurostat).

    Returns:
        The rows of the workers who retired early.
    """
    w = state.workers
    present = w.present_rows()
    retire_draw = draws.uniform(state.month, Purpose.RETIRE_EARLY, present)
    move_draw = draws.uniform(state.month, Purpose.MOVE, present)
    status, age = w.status[present], w.age[present]
    early = (age >= supply.early_retirement_age) & (retire_draw < supply.early_retirement_rate)
    leave_job = ~early & (status == Status.EMPLOYED) & (move_draw < supply.exit_rate_employed)
    stop = ~early & (status == Status.UNEMPLOYED) & (move_draw < supply.exit_rate_unemployed)
    back = ~early & (status == Status.INACTIVE) & (move_draw < supply.reentry_rate)
    retiring = present[early]
    _retire(state, retiring, flows)
    flows.early_retirements += retiring.size
    rows = present[leave_job]
    _leave_job(state, rows, flows)
    w.set_status(rows, Status.INACTIVE)
    w.benefit_months_left[rows] = 0  # leaving a job of one's own accord gives no WW
    rows = present[stop]
    w.set_status(rows, Status.INACTIVE)
    w.course[rows] = -1
    w.course_occupation[rows] = -1
    w.course_months_left[rows] = 0
    flows.exits_to_inactivity += int(np.count_nonzero(leave_job | stop))
    rows = present[back]
    w.set_status(rows, Status.UNEMPLOYED)
    w.spell_start[rows] = state.month
    w.unemployment_months[rows] = 0
    flows.returns_to_labour_force += rows.size
    return retiring


def _leave_job(state: RegionState, rows: np.ndarray, flows: Flows) -> None:
    """Workers leave their jobs (not to unemployment): headcounts, departures, courses."""
    w, emp = state.workers, state.employers
    employed = rows[w.status[rows] == Status.EMPLOYED]
    if employed.size:
        left = emp.cell_counts(emp.cell(w.employer[employed], w.occupation[employed]))
        emp.headcount -= left
        flows.departures_by_cell += left
        w.last_employer[employed] = w.employer[employed]
        w.last_wage[employed] = w.wage[employed]
        w.last_wage_index[employed] = state.wage_index[w.occupation[employed]]
        w.spell_start[employed] = state.month
        w.unemployment_months[employed] = 0
        w.displaced[employed] = False
    w.employer[rows] = NO_EMPLOYER
    w.wage[rows] = 0.0
    w.course[rows] = -1
    w.course_occupation[rows] = -1
    w.course_months_left[rows] = 0
    w.onboarding_months_left[rows] = 0


def _retire(state: RegionState, rows: np.ndarray, flows: Flows) -> None:
    """Workers leave the population for good (retirement); their rows stay as history."""
    if rows.size == 0:
        return
    _leave_job(state, rows, flows)
    w = state.workers
    w.set_status(rows, Status.RETIRED)
    w.benefit_months_left[rows] = 0


def enter_graduates(
    state: RegionState,
    config: Scenario,
    draws: Draws,
    draws_curricula: Draws,
    flows: Flows,
) -> np.ndarray:
    """Entrants join the labour force as job seekers.

    The expected number of entrants (:func:`_expected_entrants`) stochastically rounded, living
    where residents live. Most are graduates: the workforce's education mix, their level's entry
    age, a programme chosen by enrolment and prospects, the programme's curriculum plus noise
    as skills, asking 85% of the occupation's going wage. A share ``experienced_share`` are
    experienced workers moving in or starting to commute from elsewhere: they come for the
    openings — their occupation is drawn in proportion to the region's open vacancies — with
    its current profile plus noise as skills, aged 25 to 55, asking the going wage. Regional
    labour supply responds to job openings through migration and commuting (Blanchard & Katz
    1992; Moretti 2011).

    Returns:
        The rows of the new workers.
    """
    c, w, world, month = config, state.workers, state.world, state.month
    expected = np.array([_expected_entrants(state, c, flows)])
    k = int(draws.round(month, Purpose.ENTRANTS, expected)[0])
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    rows = w.add(k)
    ed_share = np.array([c.workforce.education.get(e, 0.0) for e in EDUCATION_LEVELS])
    education = draws.choice(month, Purpose.ENTRANT_EDUCATION, rows, normalised(ed_share))
    entry_age = np.array([c.behaviour.entry_age[e] for e in EDUCATION_LEVELS])
    occ = _chosen_programme(state, config, rows, education, draws, draws_curricula)
    u_age = draws.uniform(month, Purpose.ENTRANT_AGE, rows)
    age = entry_age[education] + u_age
    experienced = (
        draws.uniform(month, Purpose.ENTRANT_EXPERIENCED, rows) < c.labour_supply.experienced_share
    )
    n_exp = int(np.count_nonzero(experienced))
    if n_exp:
        openings = state.employers.openings.sum(axis=0).astype(np.float64)
        pull = openings if openings.sum() > 0 else state.employers.target.sum(axis=0)
        occ[experienced] = draws.choice(
            month, Purpose.ENTRANT_OCCUPATION, rows[experienced], normalised(pull)
        )
        education[experienced] = world.occupation_education[occ[experienced]]
        age[experienced] = 25.0 + 30.0 * u_age[experienced]
    w.education[rows] = education
    w.age[rows] = age
    w.municipality[rows] = draws.choice(
        month, Purpose.ENTRANT_HOME, rows, normalised(world.resident_share)
    )
    w.region[rows] = world.municipality_region[w.municipality[rows]]
    w.set_status(rows, Status.UNEMPLOYED)
    w.employer[rows] = NO_EMPLOYER
    w.occupation[rows] = occ
    w.spell_start[rows] = state.month
    noise = c.workforce.skill_noise * draws.normal(
        month, Purpose.ENTRANT_SKILLS, rows, len(c.skills)
    )
    profile = np.where(experienced[:, None], state.requirements[occ], state.curricula[occ])
    w.skills[rows] = np.clip(profile + noise, 0.0, 1.0)
    gaps = shortfall(w.skills[rows], state.requirements[occ], world.skill_weights)
    flows.entrants_shortfall_sum += float(gaps.sum())
    flows.entrants_shortfall_n += k
    asked = np.where(experienced, 1.0, 0.85)
    w.last_wage[rows] = asked * world.base_wage[occ] * state.wage_index[occ]
    w.last_wage_index[rows] = state.wage_index[occ]
    w.reservation_wage[rows] = w.last_wage[rows]
    flows.entrants += k
    flows.entrants_experienced += n_exp
    return rows


def _expected_entrants(state: RegionState, config: Scenario, flows: Flows) -> float:
    """This month's expected number of entrants (see :class:`ecosim.config.LabourSupply`).

    ``fixed``: ``graduate_inflow / 12`` of the working-age population. ``replacement``: the
    month's retirements (at the pension age and early), plus ``(P* - P) / adjustment_months``,
    with ``P`` the working-age population and ``P* = P_0 (D / D_0) ** demand_elasticity`` its
    target, ``D`` total target employment and ``_0`` their values at the start. In a region
    whose demand does not change the population is then stationary; when demand grows, people
    come (from education elsewhere, migration, commuting) and when it shrinks fewer do.
    """
    present = state.workers.present_rows().size
    supply = config.labour_supply
    if supply.entry == "fixed":
        return config.behaviour.graduate_inflow / 12.0 * present
    demand = float(state.employers.target.sum())
    base_demand, base_population = state.baseline
    target = base_population * (demand / base_demand) ** supply.demand_elasticity
    gap = (target - present) / supply.adjustment_months
    return max(0.0, flows.retirements + flows.early_retirements + gap)


def _chosen_programme(
    state: RegionState,
    config: Scenario,
    rows: np.ndarray,
    education: np.ndarray,
    draws: Draws,
    draws_curricula: Draws,
) -> np.ndarray:
    """Students' programmes: their level's occupations by enrolment and perceived prospects.

    Weights ``(1 - pi) * base share + pi * perceived share``, with the base share the
    occupations' initial target employment, the perceived share the current target plus
    openings times log-normal noise (reduced by the human-capital agenda), ``pi`` the
    prospect weight.
    """
    cur = config.learning.curricula
    emp, levels = state.employers, state.world.occupation_education
    base = emp.base_target.sum(axis=0)
    now = emp.target.sum(axis=0) + emp.openings.sum(axis=0)
    sd = cur.prospect_noise * noise_factor(state, config.government)
    noise = draws_curricula.normal(state.month, Purpose.PROSPECTS, np.arange(now.size), 1)[:, 0]
    perceived = now * np.exp(sd * noise)
    out = np.empty(education.size, dtype=np.int64)
    for level in range(len(EDUCATION_LEVELS)):  # over levels, not workers
        idx = np.flatnonzero(education == level)
        own = levels == level
        if not own.any():
            own = np.ones_like(own)
        b = np.where(own, base, 0.0)
        p = np.where(own, perceived, 0.0)
        weights = (1.0 - cur.prospect_weight) * normalised(b) + cur.prospect_weight * normalised(p)
        out[idx] = draws.choice(state.month, Purpose.PROGRAMME, rows[idx], normalised(weights))
    return out
