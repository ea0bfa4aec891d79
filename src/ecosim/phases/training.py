"""Reactive learning: courses progress, and employers and workers decide to start new ones.

This is where the training decisions are made. Each month, in this order:

1. courses under way advance a month; some participants drop out (gaining nothing), those who
   finish gain the course's skills (:func:`progress_courses`);
2. the voucher year resets in January;
3. employers consider training incumbents whose skills fall short of their drifting jobs
   (:func:`employer_training`);
4. workers decide whether to start a course (:func:`worker_training`);
5. active learning communities' running costs are booked (:func:`community_costs`).

A course's value to a worker is the part of the shortfall against the profile aimed at that it
would close (:func:`ecosim.kernels.training.course_values`). Places are first come, first served per
course; funding is requested from the government's instruments (:mod:`ecosim.policies`) in a
seeded random order.
"""

from __future__ import annotations

import numpy as np

from ecosim import courses, policies
from ecosim.agents.government import Government
from ecosim.config import EDUCATION_LEVELS, Propensity, Scenario
from ecosim.draws import Draws, Purpose
from ecosim.flows import Flows
from ecosim.kernels.training import (
    Deciders,
    Participants,
    TrainingRule,
    aimed_occupations,
    course_values,
    shortfall_rows,
    worker_decisions,
)
from ecosim.kernels.training import progress_courses as kernel_progress_courses
from ecosim.phases import vacancies
from ecosim.phases.learning import active_communities, noise_factor
from ecosim.state import RegionState, Sponsor, Status


def train(
    state: RegionState,
    config: Scenario,
    government: Government,
    draws: Draws,
    flows: Flows,
) -> None:
    """The month's courses: progress, the voucher year, employers' and workers' decisions."""
    progress_courses(state, draws, flows)
    if (state.month - 1) % 12 == 0:
        state.workers.voucher_used[: state.workers.n] = 0.0
    if config.learning.enabled:
        employer_training(state, config, government, draws, flows)
        worker_training(state, config, government, draws, flows)
    pay_hire_training(state, config, government, flows)
    community_costs(state, config, government, flows)


def pay_hire_training(
    state: RegionState, config: Scenario, government: Government, flows: Flows
) -> None:
    """Book the on-the-job training of the month's hires (:func:`ecosim.phases.matching.
    hire_and_train`): the employer pays, less the employer subsidy's share while it is open and
    its envelope lasts, first come first served after the month's course decisions."""
    cost = flows.hire_training_cost
    paid = np.zeros(cost.size)
    if cost.size and government.open("employer_subsidy", state.month):
        share = config.government.employer_subsidy.share
        granted = government.request("employer_subsidy", state.month, share * cost)
        paid = np.where(granted, share * cost, 0.0)
    flows.employer_training_spending += float(np.sum(cost - paid))


def progress_courses(state: RegionState, draws: Draws, flows: Flows) -> None:
    """Courses started in earlier months advance a month; dropouts gain nothing.

    A participant drops out with the course's monthly hazard; one whose last month this was
    completes it and gains ``effect x gains`` (capped at 1) and, if they trained for another
    occupation, now seeks work in it.
    """
    w, cat = state.workers, state.world.catalogue
    rows = np.flatnonzero(w.view("course") >= 0)
    if rows.size == 0:
        return
    completed, dropped = kernel_progress_courses(
        Participants(*(w.view(name) for name in Participants._fields)),
        rows,
        cat.gains,
        cat.dropout_hazard,
        int(Status.UNEMPLOYED),
        int(Sponsor.WORKER),
        (draws.key, int(Purpose.DROPOUT), state.month),
    )
    flows.training_completions += completed
    flows.training_dropouts += dropped


def employer_training(
    state: RegionState,
    config: Scenario,
    government: Government,
    draws: Draws,
    flows: Flows,
) -> None:
    """Employers train incumbents whose shortfall exceeds the threshold.

    For a considered incumbent the best available course ``c`` (largest value ``v``) is
    bought with probability ``rho**k / (1 + rho**k)``, ``rho = v * wage * payoff_months / net
    cost`` and ``k`` the price sensitivity, if ``net cost < hiring_cost_months * wage``
    (cheaper than replacing the worker); ``net cost = cost * (1 - subsidy share)`` while the
    subsidy is open. A subsidy makes training more likely at the margin and pays for some that
    would have happened anyway (deadweight, as evaluations of Dutch training subsidies find:
    Leuven & Oosterbeek 2004). In a seeded random order, the subsidy first, then the courses'
    places; an employer whose application is refused decides again at the full cost, buying
    with probability ``p(full cost) / p(subsidised)`` (so a refusal never adds training).
    """
    c, w, world = config, state.workers, state.world
    cat, et, scale, month = world.catalogue, c.learning.employer_training, c.resolution, state.month
    if not et.enabled:
        return
    employed = w.rows_with(Status.EMPLOYED)
    gap = shortfall_rows(
        w.skills, employed, w.occupation[employed], state.requirements, world.skill_weights
    )
    flows.shortfall_of_employed = (employed, gap)
    free = w.course[employed] < 0
    rows = employed[free][gap[free] > et.shortfall_threshold]
    rows = rows[draws.uniform(month, Purpose.EMPLOYER_CONSIDERS, rows) < et.monthly_rate]
    if rows.size == 0:
        return
    effect, lead = _member_effects(state, config, rows)
    values = course_values(
        w.skills[rows], state.requirements[w.occupation[rows]], cat.gains, world.skill_weights
    )
    values = np.where(_available(state, lead), values * effect[:, None], -np.inf)
    best = np.argmax(values, axis=1)
    value = values[np.arange(rows.size), best]
    cost = cat.cost[best]
    subsidised = government.open("employer_subsidy", month)
    share = c.government.employer_subsidy.share if subsidised else 0.0
    wage = w.wage[rows]

    def buy(net: np.ndarray) -> np.ndarray:
        """Probability of buying the course at a net cost."""
        benefit = np.maximum(value, 0.0) * wage * et.payoff_months  # -inf: nothing available
        ratio = np.divide(benefit, net, out=np.zeros(net.size),
                          where=net > 0) ** et.price_sensitivity  # fmt: skip
        p = np.where(net > 0, ratio / (1.0 + ratio), 1.0)  # a free course is always bought
        return np.where((net < et.hiring_cost_months * wage) & (value > 0), p, 0.0)

    p = buy(cost * (1.0 - share))
    buying = np.flatnonzero(draws.uniform(month, Purpose.EMPLOYER_BUYS, rows) < p)
    order = buying[draws.order(month, Purpose.EMPLOYER_ORDER, rows[buying])]
    granted = np.zeros(order.size, dtype=bool)
    if subsidised:
        granted = government.assess("employer_subsidy", month, share * cost[order] * scale)
        government.refuse("employer_subsidy", month, int(np.count_nonzero(~granted)))
        flows.training_refused_budget += int(np.count_nonzero(~granted))
        ratio = np.divide(buy(cost)[order], p[order], out=np.zeros(order.size), where=p[order] > 0)
        again = draws.uniform(month, Purpose.EMPLOYER_FULL_COST, rows[order])
        keep = granted | (again < ratio)  # refused: decide at the full cost
        order, granted = order[keep], granted[keep]
    fits = courses.within_capacity(best[order], _free_places(state))
    flows.training_refused_capacity += int(np.count_nonzero(~fits))
    order, granted = order[fits], granted[fits]
    if subsidised:
        government.request("employer_subsidy", month, share * cost[order[granted]] * scale)
    paid_share = np.where(granted, share, 0.0)
    _start_courses(state, rows[order], best[order], Sponsor.EMPLOYER, effect[order], flows)
    flows.employer_training_starts += order.size
    flows.employer_training_spending += float(np.sum(cost[order] * (1.0 - paid_share))) * scale


def worker_training(
    state: RegionState,
    config: Scenario,
    government: Government,
    draws: Draws,
    flows: Flows,
) -> None:
    """Workers decide to start a course, and the course is funded.

    Each active worker not in a course values the available courses against the profile they
    aim at, as they perceive it (requirements plus noise reduced by the human-capital agenda);
    the unemployed aim at the occupation with the best prospects within their reach
    (:func:`aimed_occupation`), and switch to it when they start a course. They pick the course
    with the best ``b_r * v - b_c * k / w`` (``k`` the net
    cost after support) and start it with :func:`ecosim.courses.start_probability`.
    Applications go in a seeded random order through the funding instruments
    (:mod:`ecosim.policies`: retraining, else vouchers), then through the courses' places; a
    worker whose application is refused reconsiders at the full cost, starting with probability
    ``p(full cost) / p(with support)``, so a refusal never raises participation, and funding is
    booked for those who start.
    """
    c, w, world, month = config, state.workers, state.world, state.month
    cat, scale, prop = world.catalogue, c.resolution, c.learning.propensity
    unemployed = w.rows_with(Status.UNEMPLOYED)
    aim_rows = unemployed[w.course[unemployed] < 0]
    aim = aimed_occupation(state, config, draws, aim_rows)
    # Workers see the gap between their skills and the requirements with unbiased noise,
    # reduced by the human-capital agenda (the perceived level is not clipped to [0, 1]).
    sd = c.learning.perception_noise * noise_factor(state, c.government)
    active = np.flatnonzero(active_communities(c, month))
    members = world.community_member[active]
    lcs = [c.learning_communities[k] for k in active]
    rule = _rule(config, government, month)
    rows, best, value, p = worker_decisions(
        Deciders(*(w.view(name) for name in Deciders._fields)),
        aim_rows,
        aim,
        state.outlook,
        world.skill_weights,
        cat.gains,
        cat.cost,
        cat.available_from,
        catalogue_month(state),
        members,
        world.community_programme[active] & np.array([lc.side_entry for lc in lcs], bool)[:, None],
        np.array([1.0 + lc.training_effectiveness for lc in lcs]),
        np.array([lc.lead_months for lc in lcs], dtype=np.int64),
        rule,
        sd,
        (draws.key, month, int(Purpose.PERCEPTION), int(Purpose.WORKER_STARTS)),
    )
    # The starters' terms, as the kernel computed them (only they are needed from here on).
    st, age, edu = w.status[rows], w.age[rows], w.education[rows]
    unemployed = st == Status.UNEMPLOYED
    retrain = unemployed & w.displaced[rows] & rule.retrain_open
    voucher_ok = np.zeros(rows.size, dtype=bool)
    if rule.voucher_open:
        voucher_ok = policies.eligible(c.government.vouchers.eligibility, st, age, edu)
        voucher_ok &= ~retrain
    cost = cat.cost[best]
    support = np.zeros(rows.size)
    support[voucher_ok] = policies.voucher_amounts(
        c.government.vouchers, cost[voucher_ok], w.voucher_used[rows[voucher_ok]]
    )
    support[retrain] = policies.retraining_amounts(c.government, cost[retrain])
    wage = np.maximum(np.where(unemployed, w.last_wage[rows], w.wage[rows]), 1.0)
    base = base_propensity(prop, age, edu) * np.where(unemployed, prop.unemployed_factor, 1.0)
    base = base * np.where(retrain, c.government.retraining.propensity_boost, 1.0)
    target_occ = w.occupation[rows].copy()
    target_occ[unemployed] = aim[np.searchsorted(aim_rows, rows[unemployed])]
    effect, _ = _member_effects(state, config, rows, target_occ)
    order = np.argsort(draws.uniform(month, Purpose.WORKER_ORDER, rows), kind="stable")
    keep = np.ones(order.size, dtype=bool)
    funded = np.zeros(order.size, dtype=bool)
    funder = np.full(order.size, -1)
    instruments = (("retraining", retrain), ("vouchers", voucher_ok))
    for k, (instrument, who) in enumerate(instruments):
        apply = who[order] & (support[order] > 0)
        if not apply.any():
            continue
        idx = np.flatnonzero(apply)
        granted = government.assess(instrument, month, support[order[idx]] * scale)
        government.refuse(instrument, month, int(np.count_nonzero(~granted)))
        funder[idx[granted]] = k
        refused = order[idx[~granted]]
        p_full = courses.start_probability(
            base[refused],
            value[refused],
            cost[refused],
            wage[refused],
            prop.return_weight,
            prop.cost_weight,
        )
        ratio = np.divide(p_full, p[refused], out=np.zeros_like(p_full), where=p[refused] > 0)
        self_paid = draws.uniform(month, Purpose.WORKER_FULL_COST, rows[refused]) < ratio
        keep[idx[~granted]] = self_paid
        funded[idx[granted]] = True
        flows.training_refused_budget += int(np.count_nonzero(~granted))
    order, funded, funder = order[keep], funded[keep], funder[keep]
    fits = courses.within_capacity(best[order], _free_places(state))
    flows.training_refused_capacity += int(np.count_nonzero(~fits))
    order, funded, funder = order[fits], funded[fits], funder[fits]
    for k, (instrument, _) in enumerate(instruments):
        mine = funder == k
        if mine.any():
            government.request(instrument, month, support[order[mine]] * scale)
    chosen = best[order]
    paid = np.where(funded, support[order], 0.0)
    w.voucher_used[rows[order]] += np.where(voucher_ok[order], paid, 0.0)
    flows.private_training_spending += float((cat.cost[chosen] - paid).sum()) * scale
    switching = target_occ[order] != w.occupation[rows[order]]  # switch on completion
    w.course_occupation[rows[order]] = np.where(switching, target_occ[order], -1)
    # Courses that teach nothing the worker lacks (a perception error the agenda reduces).
    aimed = state.outlook[target_occ[order]]
    true_value = course_values(w.skills[rows[order]], aimed, cat.gains, world.skill_weights)
    flows.training_starts_unneeded += int(
        np.count_nonzero(true_value[np.arange(order.size), chosen] <= 0)
    )
    sponsor = np.where(retrain[order] & funded, Sponsor.RETRAINING, Sponsor.WORKER)
    _start_courses(state, rows[order], chosen, sponsor, effect[order], flows)


def _rule(config: Scenario, government: Government, month: int) -> TrainingRule:
    """This month's decision rule (:class:`~ecosim.kernels.training.TrainingRule`)."""
    prop, gov = config.learning.propensity, config.government
    bands = prop.by_age_band
    rule = gov.vouchers.eligibility
    elig_status = np.zeros(len(Status) + 1, dtype=bool)
    for s in rule.statuses:
        elig_status[Status.EMPLOYED if s == "employed" else Status.UNEMPLOYED] = True
    return TrainingRule(
        band_min=np.array([b.min_age for b in bands], dtype=np.float64),
        band_max=np.array([b.max_age for b in bands], dtype=np.float64),
        band_rate=np.array([b.monthly_rate for b in bands], dtype=np.float64),
        edu_mult=np.array([prop.by_education.get(e, 1.0) for e in EDUCATION_LEVELS]),
        unemployed_factor=prop.unemployed_factor,
        return_weight=prop.return_weight,
        cost_weight=prop.cost_weight,
        retrain_open=government.open("retraining", month),
        retrain_max=gov.retraining.max_cost_per_person,
        retrain_boost=gov.retraining.propensity_boost,
        voucher_open=government.open("vouchers", month),
        voucher_amount=gov.vouchers.amount_per_person_per_year,
        elig_status=elig_status,
        elig_min_age=rule.min_age,
        elig_max_age=rule.max_age,
        elig_edu=np.array([e in rule.education for e in EDUCATION_LEVELS]),
    )


def base_propensity(prop: Propensity, age: np.ndarray, education: np.ndarray) -> np.ndarray:
    """Base monthly rate of starting a course: by age band, times the education multiplier.

    0 outside the bands. The bands' rates are set so that participation by age matches the
    CBS labour-force survey (4-week participation in education and training).
    """
    base = np.zeros(age.size)
    for band in prop.by_age_band:  # a handful of bands
        inside = (age >= band.min_age) & (age < band.max_age)
        base[inside] = band.monthly_rate
    mult = np.array([prop.by_education.get(e, 1.0) for e in EDUCATION_LEVELS])
    return base * mult[education]


def community_costs(
    state: RegionState, config: Scenario, government: Government, flows: Flows
) -> None:
    """Active communities cost their members; the funding instrument pays a share."""
    c, month = config, state.month
    for k in np.flatnonzero(active_communities(c, month)):
        lc = c.learning_communities[k]
        cost = float(state.world.community_member[k].sum()) * lc.cost_per_member_per_month
        flows.learning_community_cost += cost
        if government.open("learning_community_funding", month):
            share = c.government.learning_community_funding.share
            granted = government.request(
                "learning_community_funding", month, np.array([share * cost])
            )
            if not granted[0]:
                flows.training_refused_budget += 1


def _start_courses(
    state: RegionState,
    rows: np.ndarray,
    course: np.ndarray,
    sponsor: Sponsor | np.ndarray,
    effect: np.ndarray,
    flows: Flows,
) -> None:
    w = state.workers
    w.course[rows] = course
    w.course_months_left[rows] = state.world.catalogue.months[course]
    w.course_sponsor[rows] = sponsor
    w.course_effect[rows] = effect
    flows.training_starts += rows.size


def _free_places(state: RegionState) -> np.ndarray:
    """Places not taken per course (agents)."""
    capacity = state.world.course_capacity
    taken = np.bincount(state.workers.course[state.workers.course >= 0], minlength=capacity.size)
    return np.maximum(capacity - taken, 0.0)


def catalogue_month(state: RegionState) -> int:
    """The month whose course catalogue is offered: the current one, and month 0's during the
    burn-in (as targets and profiles are), so that courses run and participation is in its
    steady state when the run starts."""
    return max(state.month, 0)


def _available(state: RegionState, lead: np.ndarray) -> np.ndarray:
    """(N, C) courses available to workers with the given lead (months earlier)."""
    return state.world.catalogue.available_from[None, :] <= catalogue_month(state) + lead[:, None]


def _member_effects(
    state: RegionState, config: Scenario, rows: np.ndarray, target: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Gain multiplier and lead months for workers, from their employer's communities.

    Employees of a member of an active learning community learn ``1 + training_effectiveness``
    times as much from a course and can take courses ``lead_months`` before they are generally
    available; so can a job seeker aiming at one of a side-entry community's occupations
    (``target``, the occupation each row aims at; without it only employees count).
    """
    effect = np.ones(rows.size)
    lead = np.zeros(rows.size, dtype=np.int64)
    employer = state.workers.employer[rows]
    has = employer >= 0
    for k in np.flatnonzero(active_communities(config, state.month)):
        lc = config.learning_communities[k]
        member = np.zeros(rows.size, dtype=bool)
        member[has] = state.world.community_member[k, employer[has]]
        if target is not None and lc.side_entry:
            seeker = state.workers.status[rows] == Status.UNEMPLOYED
            member[seeker] |= state.world.community_programme[k, target[seeker]]
        effect[member] = np.maximum(effect[member], 1.0 + lc.training_effectiveness)
        lead[member] = np.maximum(lead[member], lc.lead_months)
    return effect, lead


def aimed_occupation(
    state: RegionState, config: Scenario, draws: Draws, rows: np.ndarray
) -> np.ndarray:
    """The occupation unemployed workers aim their training at: better prospects within reach.

    Among the occupations of their education level or below, those within reach — a skill fit
    of at least the lowest hiring standard (:func:`ecosim.phases.vacancies.lowest_standard`)
    minus ``learning.retraining_reach``, a gap a course or two can close — are ranked by their
    tightness ``V_o / (U_o + 1)`` (open vacancies per unemployed worker of the occupation, the
    job-finding prospect of a searcher there) as the worker perceives it: times log-normal
    noise ``exp(sd * z)``, ``sd = learning.prospect_noise`` reduced by the human-capital agenda.
    Job seekers know their prospects and the alternatives only roughly (Mueller, Spinnewijn &
    Topa 2021), and information on which occupations have openings broadens and redirects their
    search (Belot, Kircher & Muller 2019) — the agenda's labour-market information. A worker
    aims at the tightest if it offers at least ``learning.switch_ratio`` times the perceived
    prospects of their own occupation — switching occupation costs the occupation-specific
    skills and contacts of the old one (Kambourov & Manovskii 2009), so a small edge does not
    pay — and keeps their own otherwise. This is the adjustment channel by which the unemployed
    retrain toward occupations with openings; they seek work in the new occupation once the
    course is completed.
    """
    w, world, emp = state.workers, state.world, state.employers
    own = w.occupation[rows]
    if rows.size == 0:
        return own
    unemployed = w.rows_with(Status.UNEMPLOYED)
    n_occ = len(world.occupation_names)
    seekers = np.bincount(w.occupation[unemployed], minlength=n_occ)
    tightness = emp.openings.sum(axis=0) / (seekers + 1.0)
    sd = config.learning.prospect_noise * noise_factor(state, config.government)
    return aimed_occupations(
        w.skills,
        rows,
        own,
        w.education,
        world.occupation_education,
        state.requirements,
        world.skill_weights,
        tightness,
        sd,
        vacancies.lowest_standard(config) - config.learning.retraining_reach,
        config.learning.switch_ratio,
        (draws.key, int(Purpose.RETRAINING_PROSPECTS), state.month),
    )
