"""Matching (ecosim.phases.matching): hires, and hire-and-train of hires who fall short."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ecosim import RegionModel
from ecosim.flows import Flows
from ecosim.phases import learning, matching, training
from ecosim.state import Status

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny.yaml"


@pytest.mark.parametrize("subsidy", [False, True])
def test_hire_and_train_books_its_cost_and_the_subsidy_pays_its_share(subsidy: bool) -> None:
    sub = {"enabled": subsidy, "budget": 1e12, "share": 0.5, "spread": "none"}
    model = RegionModel(TINY, **{"burn_in": 0, "government.employer_subsidy": sub})
    state, w, c = model.state, model.workers, model.config
    state.month = 1
    rows = np.flatnonzero(w.view("status") == Status.EMPLOYED)[:3]
    gap = np.array([0.01, 0.2, 0.3])  # the first is below min_shortfall (0.02): not trained
    flows = Flows.start(state)
    matching.hire_and_train(state, c, rows, gap, flows)
    training.pay_hire_training(state, c, model.government, flows)
    ht = c.hiring.hire_and_train
    assert w.onboarding_months_left[rows].tolist() == [0, ht.months, ht.months]
    cost = ht.cost_months * gap[1:] * w.wage[rows[1:]] * c.resolution
    paid = 0.5 * cost.sum() if subsidy else 0.0
    assert flows.hires_trained == 2
    assert flows.employer_training_spending == pytest.approx(cost.sum() - paid)
    assert model.government.spent("employer_subsidy") == pytest.approx(paid)


def test_a_hire_trained_on_the_job_closes_the_gap_at_the_training_rate() -> None:
    model = RegionModel(TINY, **{"burn_in": 0})
    state, w, c = model.state, model.workers, model.config
    rows = np.flatnonzero(w.view("status") == Status.EMPLOYED)[:2]
    r = state.requirements[w.occupation[rows]]
    w.skills[rows] = r * 0.5  # both short of their job by half of every required level
    w.onboarding_months_left[rows[0]] = 3
    learning.learn_on_the_job(state, c.behaviour, c.hiring.hire_and_train)
    trained = r[0] - w.skills[rows[0]]
    usual = r[1] - w.skills[rows[1]]
    np.testing.assert_allclose(trained, 0.5 * r[0] * (1 - c.hiring.hire_and_train.rate))
    np.testing.assert_allclose(usual, 0.5 * r[1] * (1 - c.behaviour.learning_by_doing_rate))
    assert w.onboarding_months_left[rows[0]] == 2
