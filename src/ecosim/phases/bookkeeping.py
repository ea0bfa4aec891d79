"""Bookkeeping at month end: unemployment spells, benefits, reservation wages.

Benefits follow the Dutch WW: a replacement rate of the last wage, capped, for at most
``duration_months`` (UWV); after that, social assistance (bijstand). Every euro is booked with
the government agent.
"""

from __future__ import annotations

import numpy as np

from ecosim.agents.government import Government
from ecosim.config import Behaviour, Scenario, UnemploymentBenefits
from ecosim.flows import Flows
from ecosim.state import RegionState, Status, WorkerState


def close_month(state: RegionState, config: Scenario, government: Government, flows: Flows) -> None:
    """Pay and book benefits, count the spells' full months, update reservation wages.

    The unemployed with entitlement left receive ``min(replacement_rate x last wage, max)``,
    the others social assistance; both are booked (in persons: agents x scale).
    """
    w = state.workers
    unemployed = w.rows_with(Status.UNEMPLOYED)
    ub = config.government.unemployment_benefits
    paid = w.benefit_months_left[unemployed] > 0
    benefit = np.minimum(ub.replacement_rate * w.last_wage[unemployed], ub.max_monthly_benefit)
    scale = config.resolution
    flows.benefit_spending = float(benefit[paid].sum()) * scale
    flows.social_assistance_spending = float((~paid).sum()) * ub.social_assistance * scale
    government.book("unemployment_benefits", state.month, flows.benefit_spending)
    government.book("social_assistance", state.month, flows.social_assistance_spending)
    w.benefit_months_left[unemployed[paid]] -= 1
    w.unemployment_months[unemployed] = state.month - w.spell_start[unemployed]
    update_reservation_wages(w, config.behaviour, ub, state.wage_index)


def update_reservation_wages(
    w: WorkerState,
    behaviour: Behaviour,
    benefits: UnemploymentBenefits,
    wage_index: np.ndarray,
) -> None:
    """The unemployed's reservation wage: a declining share of the going wage, floored by income.

    ``max(ratio x going wage x (1 - decline) ** months unemployed, floor)`` with the going wage
    the last wage moved with the occupation's wage index since it was earned (job seekers know
    what their occupation pays now) and the floor the benefit while entitled, else social
    assistance: nobody takes a job paying less than what they get without one, and the longer
    the search, the lower the demands (as in search models with finite benefit duration, e.g.
    Mortensen 1977).
    """
    rows = w.rows_with(Status.UNEMPLOYED)
    going = w.last_wage[rows] * wage_index[w.occupation[rows]] / w.last_wage_index[rows]
    decline = (1.0 - behaviour.reservation_wage_decline) ** w.unemployment_months[rows]
    floor = np.where(
        w.benefit_months_left[rows] > 0,
        np.minimum(benefits.replacement_rate * w.last_wage[rows], benefits.max_monthly_benefit),
        benefits.social_assistance,
    )
    w.reservation_wage[rows] = np.maximum(behaviour.reservation_wage_ratio * going * decline, floor)
