"""Invariants of the state that every month must keep (checked by the tests after every step).

One status per worker; employed workers point at existing employers and headcounts equal the
workers pointing at each (employer, occupation); no vacancy count is negative or filled beyond
its count, and the openings are the vacancy table's counts; the worker agents are exactly the
workers present (not retired); skills stay in [0, 1]; courses respect their places; no
instrument spends beyond its budget. What the phases share rather than recompute (the status
index sets, the employed's shortfall) equals a fresh computation.
"""

from __future__ import annotations

import numpy as np

from ecosim.agents.government import BUDGETED, Government
from ecosim.flows import Flows
from ecosim.kernels.training import shortfall_rows
from ecosim.state import NO_EMPLOYER, RegionState, Status


def violations(
    state: RegionState, flows: Flows, government: Government, worker_agents: int
) -> list[str]:
    """The invariants that do not hold (empty when the state is consistent).

    Args:
        state: The state to check.
        flows: The month's flows.
        government: The government agent (budgets and spending).
        worker_agents: The number of worker agents registered with the model.
    """
    w, emp = state.workers, state.employers
    problems: list[str] = []
    status = w.view("status")
    if not np.isin(status, [int(s) for s in Status]).all():
        problems.append("a worker has an unknown status")
    employed = status == Status.EMPLOYED
    employer = w.view("employer")
    if np.any(employer[~employed] != NO_EMPLOYER):
        problems.append("a worker who is not employed points at an employer")
    if np.any((employer[employed] < 0) | (employer[employed] >= emp.n)):
        problems.append("an employed worker points at no existing employer")
    else:
        rows = np.flatnonzero(employed)
        counts = emp.cell_counts(emp.cell(w.employer[rows], w.occupation[rows]))
        if not np.array_equal(counts, emp.headcount):
            problems.append("employer headcounts differ from the workers pointing at them")
    if np.any(emp.openings < 0):
        problems.append("an employer has a negative number of openings")
    vac = state.vacancies
    if np.any((vac.view("employer") < 0) | (vac.view("employer") >= emp.n)):
        problems.append("a vacancy belongs to no existing employer")
    elif not np.array_equal(vac.counts(emp.n, emp.n_occupations), emp.openings):
        problems.append("employers' openings differ from their open vacancies")
    if np.any(vac.view("opened") > state.month):
        problems.append("a vacancy was posted in the future")
    if flows.fills_beyond_openings:
        problems.append("a vacancy was filled beyond its count")
    if worker_agents != int(np.count_nonzero(status != Status.RETIRED)):
        problems.append("worker agents differ from the workers present (not retired)")
    if np.any(w.view("skills") < 0) or np.any(w.view("skills") > 1):
        problems.append("a skill is outside [0, 1]")
    course = w.view("course")
    if np.any(course[(status == Status.RETIRED) | (status == Status.INACTIVE)] >= 0):
        problems.append("a worker out of the labour force is in a course")
    capacity = state.world.course_capacity
    taken = np.bincount(course[course >= 0], minlength=capacity.size)
    if np.any(taken > capacity):
        problems.append("a course has more participants than places")
    for name in BUDGETED:
        if government.spent(name) > government.budget(name) * (1 + 1e-9):
            problems.append(f"instrument {name} spent beyond its budget")
    return problems + _shared_quantities(state, flows)


def _shared_quantities(state: RegionState, flows: Flows) -> list[str]:
    """What the phases share instead of recomputing equals a fresh computation at month end."""
    w, problems = state.workers, []
    status = w.view("status")
    for code in (Status.EMPLOYED, Status.UNEMPLOYED, Status.INACTIVE):
        if not np.array_equal(w.rows_with(code), np.flatnonzero(status == code)):
            problems.append(f"the index set of the {code} differs from the status column")
    if not np.array_equal(w.present_rows(), np.flatnonzero(status != Status.RETIRED)):
        problems.append("the index set of the present differs from the status column")
    rows = w.rows_with(Status.EMPLOYED)
    gap = flows.employed_shortfall(rows)
    if gap is not None:
        fresh = shortfall_rows(
            w.skills, rows, w.occupation[rows], state.requirements, state.world.skill_weights
        )
        if not np.array_equal(gap, fresh):
            problems.append("the shortfall of the employed shared with the indicators is stale")
    return problems
