"""Government instruments as applied to workers: who may apply, and for how much.

The training decisions that apply for this money are made in :mod:`ecosim.phases.training`;
the budgets, the ledger and the first-come-first-served granting live with the
:class:`~ecosim.agents.government.Government` agent (``request``). Funding of a course a worker
starts on their own:

1. targeted retraining, for displaced unemployed workers while it is open (the full cost up to
   ``max_cost_per_person``);
2. otherwise the training voucher, for eligible workers while it is open
   (``min(cost, amount_per_person_per_year - used this calendar year)``);
3. the rest is paid by the worker.

A worker whose application is refused (the budget is exhausted) reconsiders at the full cost:
they start with probability ``p(full cost) / p(with support)``, so a refusal never raises
participation. Employer-initiated training is paid by the employer, less the employer subsidy
(``share * cost``) while that is open; an employer whose subsidy is refused does not start the
course that month. Every refusal is counted per instrument and month.
"""

from __future__ import annotations

import numpy as np

from ecosim.config import EDUCATION_LEVELS, Eligibility, Government, Vouchers
from ecosim.state import Status


def eligible(
    rule: Eligibility, status: np.ndarray, age: np.ndarray, education: np.ndarray
) -> np.ndarray:
    """Workers meeting an eligibility rule (status, age in [min_age, max_age), education)."""
    codes = [Status.EMPLOYED if s == "employed" else Status.UNEMPLOYED for s in rule.statuses]
    levels = [EDUCATION_LEVELS.index(e) for e in rule.education]
    return (
        np.isin(status, [int(c) for c in codes])
        & (age >= rule.min_age)
        & (age < rule.max_age)
        & np.isin(education, levels)
    )


def voucher_amounts(cfg: Vouchers, cost: np.ndarray, used: np.ndarray) -> np.ndarray:
    """Voucher euros per person toward courses: ``min(cost, amount - used)``, at least 0."""
    return np.clip(np.minimum(cost, cfg.amount_per_person_per_year - used), 0.0, None)


def retraining_amounts(cfg: Government, cost: np.ndarray) -> np.ndarray:
    """Retraining euros per person: the course cost up to ``max_cost_per_person``."""
    return np.minimum(cost, cfg.retraining.max_cost_per_person)


def agenda_noise_factor(cfg: Government, month: int, funded: bool) -> float:
    """Multiplier on forecast noise: ``1 - noise_reduction`` while the agenda runs, else 1."""
    agenda = cfg.hc_agenda
    return 1.0 - agenda.noise_reduction if agenda.active(month) and funded else 1.0


def min_grants(cfg: Government, course_cost: np.ndarray, scale: float) -> dict[str, float]:
    """The smallest full grant of each budgeted instrument, in euros (persons).

    An instrument is offered only while its envelope covers one of these, and is exhausted once
    its budget cannot: the cheapest course's voucher, subsidy or retraining grant, the agenda's
    monthly cost; learning-community funding has no minimum.
    """
    cheapest = float(course_cost.min()) if course_cost.size else 0.0
    return {
        "vouchers": min(cheapest, cfg.vouchers.amount_per_person_per_year) * scale,
        "employer_subsidy": cfg.employer_subsidy.share * cheapest * scale,
        "retraining": min(cheapest, cfg.retraining.max_cost_per_person) * scale,
        "learning_community_funding": 0.0,
        "hc_agenda": cfg.hc_agenda.monthly_cost,
    }
