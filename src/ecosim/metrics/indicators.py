"""The model-level indicators of a month, computed from the state and the month's flows.

Each rate is computed by its one definition in :mod:`ecosim.metrics.formulas`; counts are in persons
(agents x ``scale``), euros as booked. The names and their order are
:data:`ecosim.indicators.INDICATORS`.
"""

from __future__ import annotations

import numpy as np

from ecosim.agents.government import BUDGETED, Government
from ecosim.flows import Flows
from ecosim.kernels.recording import LabourForceSums, labour_force_sums
from ecosim.kernels.training import shortfall_rows
from ecosim.metrics import formulas as metrics
from ecosim.state import RegionState, Status

LONG_TERM_MONTHS = 12
"""Long-term unemployment: a spell of at least this many months (OECD/Eurostat)."""


def compute(
    state: RegionState,
    flows: Flows,
    government: Government,
    scale: float,
    *,
    incumbents: bool = True,
    learning: bool = True,
) -> dict[str, float]:
    """This month's indicators: all cheap ones, the costlier groups only when asked for.

    Args:
        state: The state at month end.
        flows: The month's flows.
        government: The government agent (its ledger gives spending per instrument).
        scale: Persons per agent.
        incumbents: Compute ``mean_skill_shortfall_of_incumbents`` (a pass over the employed).
        learning: Compute the learning ecosystem's indicators.
    """
    w, f, s = state.workers, flows, scale
    status = w.view("status")
    edges = metrics.band_edges()
    lf = labour_force_sums(
        status,
        w.view("age"),
        w.view("course"),
        w.view("wage"),
        edges,
        Status.EMPLOYED,
        Status.UNEMPLOYED,
        Status.INACTIVE,
    )
    e, u = lf.employed, lf.unemployed
    v = int(state.employers.openings.sum())
    durations = w.unemployment_months[w.rows_with(Status.UNEMPLOYED)]
    out = {
        "labour_force": (e + u) * s,
        "employed": e * s,
        "unemployed": u * s,
        "vacancies": v * s,
        "unemployment_rate": metrics.unemployment_rate(u, e),
        "vacancy_rate": metrics.vacancy_rate(v, e),
        "vacancies_per_100_jobs": 100.0 * _ratio(v, e),
        "hires": f.hires * s,
        "hires_from_unemployment": f.hires_from_unemployment * s,
        "separations": f.separations * s,
        "layoffs": f.layoffs * s,
        "job_to_job": f.job_to_job * s,
        "retirements": f.retirements * s,
        "early_retirements": f.early_retirements * s,
        "exits_to_inactivity": f.exits_to_inactivity * s,
        "returns_to_labour_force": f.returns_to_labour_force * s,
        "inactive": lf.inactive * s,
        "entrants": f.entrants * s,
        "entrants_experienced": f.entrants_experienced * s,
        "job_finding_rate": metrics.job_finding_rate(
            f.hires_from_unemployment_stock, f.unemployed_at_start
        ),
        "separation_rate": metrics.separation_rate(f.separations, f.employed_at_start),
        "job_to_job_rate": _ratio(f.job_to_job, f.employed_at_start),
        "long_term_unemployed_share": metrics.long_term_unemployment_share(
            durations, LONG_TERM_MONTHS
        ),
        "mean_unemployment_duration": float(durations.mean()) if u else float("nan"),
        "mean_skill_shortfall_of_hires": _ratio(f.shortfall_of_hires_sum, f.hires),
        "hires_trained": f.hires_trained * s,
        "mean_wage": lf.wage_sum / e if e else float("nan"),
        "benefit_spending": f.benefit_spending,
        "social_assistance_spending": f.social_assistance_spending,
    }
    if incumbents:
        employed_rows = w.rows_with(Status.EMPLOYED)
        gap = f.employed_shortfall(employed_rows)
        if gap is None:
            gap = shortfall_rows(
                w.skills,
                employed_rows,
                w.occupation[employed_rows],
                state.requirements,
                state.world.skill_weights,
            )
        out["mean_skill_shortfall_of_incumbents"] = float(gap.mean()) if e else float("nan")
    if learning:
        out |= _learning(state, flows, government, scale, lf)
    return out


def _learning(
    state: RegionState,
    f: Flows,
    government: Government,
    s: float,
    lf: LabourForceSums,
) -> dict[str, float]:
    """Training flows and stocks, curricula and spending per instrument (persons, euros).

    ``mean_curriculum_gap`` is the skill-weighted mean absolute difference between what the
    programmes teach and what their occupations require, weighted by the occupations' open
    vacancies (by target employment when there are none).
    """
    month, world = state.month, state.world
    by_age = metrics.participation_from_counts(lf.by_interval, lf.in_course_by_interval)
    spend = {name: government.spent(name, month) for name in BUDGETED}
    openings = state.employers.openings.sum(axis=0).astype(np.float64)
    weight = openings if openings.sum() > 0 else state.employers.target.sum(axis=0)
    gap = np.sum(np.abs(state.curricula - state.requirements) * world.skill_weights, axis=1)
    gap /= max(float(world.skill_weights.sum()), 1e-12)
    return {
        "in_training": lf.in_course * s,
        "training_participation": _ratio(lf.in_course, lf.employed + lf.unemployed),
        **{f"participation_{band.replace('-', '_')}": share for band, share in by_age.items()},
        "training_starts": f.training_starts * s,
        "training_starts_unneeded": f.training_starts_unneeded * s,
        "employer_training_starts": f.employer_training_starts * s,
        "training_completions": f.training_completions * s,
        "training_dropouts": f.training_dropouts * s,
        "training_refused_capacity": f.training_refused_capacity * s,
        "training_refused_budget": f.training_refused_budget * s,
        "mean_skill_shortfall_of_entrants": _ratio(
            f.entrants_shortfall_sum, f.entrants_shortfall_n
        ),
        "mean_curriculum_gap": float(np.average(gap, weights=weight))
        if weight.sum() > 0
        else float("nan"),
        "voucher_spending": spend["vouchers"],
        "employer_subsidy_spending": spend["employer_subsidy"],
        "retraining_spending": spend["retraining"],
        "learning_community_spending": spend["learning_community_funding"],
        "hc_agenda_spending": spend["hc_agenda"],
        "policy_spending": float(sum(spend.values())),
        "employer_training_spending": f.employer_training_spending
        + f.learning_community_cost
        - spend["learning_community_funding"],
        "private_training_spending": f.private_training_spending,
    }


def _ratio(num: float, den: float) -> float:
    """A mean from a sum and a count; nan when the count is 0."""
    return float(num) / float(den) if den else float("nan")
