"""Demography: ageing, retirement at the state-pension age, graduates entering the labour force.

Retirement is at ``retirement_age`` (the AOW age, 67 in 2024-2027). Graduates enter as job
seekers at a yearly rate ``graduate_inflow`` of the labour force, spread evenly over the months;
their programme — the occupation they trained for — is chosen by enrolment and perceived
prospects, and their skills are that programme's curriculum plus noise (conditional learning).
"""

from __future__ import annotations

import numpy as np

from ecosim.config import EDUCATION_LEVELS, Scenario
from ecosim.flows import Flows
from ecosim.phases.learning import noise_factor
from ecosim.sampling import normalised, stochastic_round
from ecosim.skills import shortfall
from ecosim.state import NO_EMPLOYER, RegionState, Status


def age_and_retire(state: RegionState, retirement_age: float, flows: Flows) -> np.ndarray:
    """Everyone ages a month; those reaching the retirement age leave the labour force.

    Returns:
        The rows of the workers who retired (their rows stay as history).
    """
    w = state.workers
    active = np.flatnonzero(w.active())
    w.age[active] += 1.0 / 12.0
    retiring = active[w.age[active] >= retirement_age]
    if retiring.size == 0:
        return retiring
    employed = retiring[w.status[retiring] == Status.EMPLOYED]
    if employed.size:
        emp = state.employers
        left = emp.cell_counts(emp.cell(w.employer[employed], w.occupation[employed]))
        emp.headcount -= left
        flows.departures_by_cell += left
    w.status[retiring] = Status.RETIRED
    w.employer[retiring] = NO_EMPLOYER
    w.wage[retiring] = 0.0
    w.benefit_months_left[retiring] = 0
    w.course[retiring] = -1
    w.course_months_left[retiring] = 0
    flows.retirements += retiring.size
    return retiring


def enter_graduates(
    state: RegionState,
    config: Scenario,
    rng_entry: np.random.Generator,
    rng_curricula: np.random.Generator,
    flows: Flows,
) -> np.ndarray:
    """Graduates enter the labour force as job seekers, spread evenly over the months.

    ``round(graduate_inflow / 12 x labour force)`` graduates a month (stochastically rounded),
    with the workforce's education mix, entry age by level, living where residents live. Their
    skills are their programme's curriculum plus noise; they ask 85% of the occupation's base
    wage.

    Returns:
        The rows of the new workers.
    """
    c, w, world = config, state.workers, state.world
    expected = c.behaviour.graduate_inflow / 12.0 * np.count_nonzero(w.active())
    k = int(stochastic_round(np.array([expected]), rng_entry)[0])
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    rows = w.add(k)
    ed_share = np.array([c.workforce.education.get(e, 0.0) for e in EDUCATION_LEVELS])
    education = rng_entry.choice(len(EDUCATION_LEVELS), size=k, p=normalised(ed_share))
    entry_age = np.array([c.behaviour.entry_age[e] for e in EDUCATION_LEVELS])
    occ = _chosen_programme(state, config, education, rng_entry, rng_curricula)
    w.education[rows] = education
    w.age[rows] = entry_age[education] + rng_entry.random(k)
    w.municipality[rows] = rng_entry.choice(
        len(world.resident_share), size=k, p=normalised(world.resident_share)
    )
    w.region[rows] = world.municipality_region[w.municipality[rows]]
    w.status[rows] = Status.UNEMPLOYED
    w.employer[rows] = NO_EMPLOYER
    w.occupation[rows] = occ
    w.spell_start[rows] = state.month
    noise = rng_entry.normal(0.0, c.workforce.skill_noise, (k, len(c.skills)))
    w.skills[rows] = np.clip(state.curricula[occ] + noise, 0.0, 1.0)
    gaps = shortfall(w.skills[rows], state.requirements[occ], world.skill_weights)
    flows.entrants_shortfall_sum += float(gaps.sum())
    flows.entrants_shortfall_n += k
    w.last_wage[rows] = 0.85 * world.base_wage[occ]
    w.reservation_wage[rows] = 0.85 * world.base_wage[occ]
    flows.entrants += k
    return rows


def _chosen_programme(
    state: RegionState,
    config: Scenario,
    education: np.ndarray,
    rng_entry: np.random.Generator,
    rng_curricula: np.random.Generator,
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
    perceived = now * np.exp(rng_curricula.normal(0.0, sd, now.size))
    out = np.empty(education.size, dtype=np.int64)
    for level in range(len(EDUCATION_LEVELS)):  # over levels, not workers
        idx = np.flatnonzero(education == level)
        own = levels == level
        if not own.any():
            own = np.ones_like(own)
        b = np.where(own, base, 0.0)
        p = np.where(own, perceived, 0.0)
        weights = (1.0 - cur.prospect_weight) * normalised(b) + cur.prospect_weight * normalised(p)
        out[idx] = rng_entry.choice(weights.size, size=idx.size, p=normalised(weights))
    return out
