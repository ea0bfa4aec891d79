"""Wages (ecosim.phases.wages): offered wages follow changes in occupations' tightness."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ecosim import RegionModel
from ecosim.config import Wages
from ecosim.phases import wages

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny.yaml"


def test_a_growing_shortage_raises_the_wage_and_a_surplus_lowers_it_within_bounds() -> None:
    model = RegionModel(TINY)
    state, emp = model.state, model.employers
    state.month = 1
    state.tightness = wages.log_tightness(state)  # settled at the start
    state.tightness_start = state.tightness.copy()
    start = state.wage_index.copy()
    rule = Wages(elasticity=0.5, smoothing_months=1.0, adjustment_months=2.0, max_rise=0.1,
                 max_fall=0.05)  # fmt: skip
    emp.openings[:, 0] += 40  # occupation 0 becomes much tighter than at the start
    wages.update(state, rule)
    assert state.wage_index[0] > start[0]
    assert np.all(state.wage_index[1:] <= start[1:])  # relative to the region: the rest ease
    for _ in range(600):
        wages.update(state, rule)
    assert state.wage_index[0] == 1.1  # bounded above
    assert np.all(state.wage_index[1:] >= 0.95)  # bounded below
    emp.openings[:, 0] -= 40  # the shortage ends: the wage returns to its start
    for _ in range(600):
        wages.update(state, rule)
    np.testing.assert_allclose(state.wage_index, 1.0, atol=1e-6)


def test_during_the_burn_in_the_tightness_becomes_the_reference() -> None:
    model = RegionModel(TINY)
    state = model.state
    state.month = -3
    before = state.wage_index.copy()
    model.employers.openings[:, 0] += 40
    wages.update(state, model.config.wages)
    assert np.array_equal(state.wage_index, before)
    assert np.array_equal(state.tightness_start, state.tightness)


def test_offered_wages_carry_the_index() -> None:
    model = RegionModel(TINY)
    model.state.wage_index[:] = 1.1
    employer = next(iter(model.agents_by_type[type(model.employer_agents[0])]))
    occupation = model.world.occupation_names[0]
    assert employer.wage_for(occupation) == model.world.base_wage[0] * 1.1 * employer.wage_premium
