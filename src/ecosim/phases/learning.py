"""Learning outside courses: curricula following demand, learning by doing, skill depreciation.

Conditional learning — what graduates know — is the curricula of the education programmes
(one per occupation). Curricula follow noisy demand signals with a lag, faster in programmes
of an active learning community, which also see new requirements ``lead_months`` earlier
(proactive learning). On the job, the employed learn by doing toward their occupation's
profile; every active worker's unused skill above what their job requires depreciates.
"""

from __future__ import annotations

import numpy as np

from ecosim.agents.government import Government
from ecosim.config import Behaviour, HireAndTrain, Scenario
from ecosim.config import Government as GovernmentConfig
from ecosim.draws import Draws, Purpose
from ecosim.kernels.learning import learn_and_forget
from ecosim.policies import agenda_noise_factor
from ecosim.state import RegionState, Status
from ecosim.transitions import Transitions


def update_curricula(
    state: RegionState,
    config: Scenario,
    transitions: Transitions,
    government: Government,
    draws: Draws,
) -> None:
    """Programmes' curricula move toward noisy demand signals with a lag.

    Signal: the programme occupation's requirements (``lead`` months ahead for programmes of
    an active learning community) plus noise ``N(0, signal_noise * f)``, with ``f`` the
    human-capital agenda's noise factor; curricula follow by exponential smoothing,
    ``C <- C + rho (signal - C)`` clipped to [0, 1], with ``rho`` the monthly rate equivalent to
    the yearly ``responsiveness``. The agenda's running cost is requested (and booked) here,
    which decides whether it is funded this month.
    """
    agenda = config.government.hc_agenda
    state.agenda_funded = False
    if agenda.active(state.month):
        granted = government.request("hc_agenda", state.month, np.array([agenda.monthly_cost]))
        state.agenda_funded = bool(granted[0])
    state.outlook = state.requirements
    if state.agenda_funded and transitions.has_drift:
        state.outlook = transitions.requirements(max(state.month, 0) + agenda.horizon_months)
    cur = config.learning.curricula
    target = state.outlook.copy()
    rate = np.full(len(state.world.occupation_names), monthly_rate(cur.responsiveness))
    for k in np.flatnonzero(active_communities(config, state.month)):
        lc = config.learning_communities[k]
        progs = state.world.community_programme[k]
        rate[progs] = np.minimum(
            monthly_rate(cur.responsiveness) * (1.0 + lc.responsiveness_boost), 1.0
        )
        if lc.lead_months and transitions.has_drift:
            ahead = transitions.requirements(max(state.month, 0) + lc.lead_months)
            target[progs] = ahead[progs]
    sd = cur.signal_noise * noise_factor(state, config.government)
    rows = np.arange(target.shape[0])
    signal = target + sd * draws.normal(
        state.month, Purpose.CURRICULUM_SIGNAL, rows, target.shape[1]
    )
    state.curricula = np.clip(
        state.curricula + rate[:, None] * (signal - state.curricula), 0.0, 1.0
    )


def learn_on_the_job(
    state: RegionState, behaviour: Behaviour, hire_and_train: HireAndTrain
) -> None:
    """Learning by doing for the employed; skill depreciation for everyone active.

    Per skill, the employed learn ``learning_by_doing_rate x max(0, r - x)`` toward their job's
    requirement (``hire_and_train.rate`` while a new hire is trained on the job) and lose
    ``skill_depreciation_rate x max(0, x - r)`` of skill beyond what the
    job uses. Without a job nothing is used: skills depreciate by ``idle_skill_depreciation``
    a month, but only toward ``idle_skill_floor x r`` of the last (or aimed-at) occupation's
    profile — time out of work erodes skills slowly and does not erase them (Edin & Gustavsson
    2008 estimate about 5 percentiles of the skill distribution per year out of work). See
    :mod:`ecosim.kernels.learning`.
    """
    w = state.workers
    rows = w.present_rows()
    onboarding = rows[w.onboarding_months_left[rows] > 0]
    rate = np.where(
        w.onboarding_months_left[rows] > 0, hire_and_train.rate, behaviour.learning_by_doing_rate
    )
    learn_and_forget(
        w.skills,
        rows,
        w.occupation[rows],
        w.status[rows] == Status.EMPLOYED,
        state.requirements,
        rate,
        behaviour.skill_depreciation_rate,
        behaviour.idle_skill_depreciation,
        behaviour.idle_skill_floor,
    )
    w.onboarding_months_left[onboarding] -= 1


def active_communities(config: Scenario, month: int) -> np.ndarray:
    """Boolean mask of the learning communities running in a month."""
    return np.array(
        [
            lc.start <= month and (lc.end is None or month < lc.end)
            for lc in config.learning_communities
        ],
        dtype=bool,
    )


def noise_factor(state: RegionState, government: GovernmentConfig) -> float:
    """Multiplier on everyone's forecast noise this month (the human-capital agenda's effect)."""
    return agenda_noise_factor(government, state.month, state.agenda_funded)


def monthly_rate(yearly_share: float) -> float:
    """Monthly share equivalent to closing ``yearly_share`` of a gap per year."""
    return 1.0 - (1.0 - yearly_share) ** (1.0 / 12.0)
