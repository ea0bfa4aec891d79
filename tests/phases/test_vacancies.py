"""Vacancies (ecosim.phases.vacancies): replacement and growth openings, withdrawal, the stock."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ecosim import RegionModel
from ecosim.config import Behaviour, Hiring
from ecosim.draws import Draws
from ecosim.flows import Flows
from ecosim.phases import vacancies

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny.yaml"


def _at_target(model: RegionModel) -> None:
    """Every job at its target, no vacancy open: a clean slate for one cell's story."""
    emp = model.employers
    emp.target[:] = emp.headcount
    model.state.vacancies.remove(np.arange(model.state.vacancies.n))
    vacancies.sync(model.state)


def test_departures_are_replaced_and_growth_opens_gradually() -> None:
    model = RegionModel(TINY)
    _at_target(model)
    state, emp = model.state, model.employers
    e, o = np.argwhere(emp.headcount > 3)[0]
    flows = Flows.start(state)
    flows.departures_by_cell[e, o] = 2
    emp.headcount[e, o] -= 2  # two workers left the job this month
    emp.target[e, o] += 4  # and the employer wants four more
    rng = Draws(0)
    vacancies.post(state, Behaviour(vacancy_opening_rate=0.5), Hiring(), rng, flows)
    # cap = target - headcount = 6: both departures replaced, half of the other 4 opened.
    assert emp.openings[e, o] == 2 + 2
    assert emp.openings.sum() == 4 == flows.vacancies_posted
    assert np.array_equal(state.vacancies.counts(emp.n, emp.n_occupations), emp.openings)


def test_stale_vacancies_are_withdrawn_and_surplus_goes_newest_first() -> None:
    model = RegionModel(TINY)
    _at_target(model)
    state, emp, vac = model.state, model.employers, model.state.vacancies
    e, o = np.argwhere(emp.headcount > 3)[0]
    emp.target[e, o] += 3
    vac.add(np.full(3, e), np.full(3, o), 0)  # posted in month 0
    state.month = 5
    vac.add(np.full(2, e), np.full(2, o), 5)  # and in month 5: one more than the cap of 3
    vacancies.sync(state)
    flows = Flows.start(state)
    behaviour = Behaviour(vacancy_opening_rate=0.0)
    vacancies.post(state, behaviour, Hiring(max_vacancy_months=12), Draws(0), flows)
    assert flows.vacancies_withdrawn == 2 and emp.openings[e, o] == 3
    assert sorted(vac.view("opened").tolist()) == [0, 0, 0]  # the newest two went (LIFO)
    state.month = 12  # the month-0 vacancies reach 12 months unfilled
    flows = Flows.start(state)
    vacancies.post(state, behaviour, Hiring(max_vacancy_months=12), Draws(0), flows)
    assert flows.vacancies_withdrawn == 3 and vac.n == 0 and emp.openings.sum() == 0


def test_the_stock_is_counted_at_month_end_after_posting() -> None:
    model = RegionModel(TINY)
    for _ in range(6):
        model.step()
        assert model.indicators["vacancies"] == model.state.vacancies.n * model.config.resolution
        assert np.array_equal(
            model.state.vacancies.counts(model.employers.n, model.employers.n_occupations),
            model.employers.openings,
        )
        ages = model.month - model.state.vacancies.view("opened")
        assert ages.min() >= 0 and ages.max() < model.config.hiring.max_vacancy_months


def test_a_seekers_draws_weigh_vacancies_or_cells() -> None:
    # Same region, both samplings: every invariant holds and hires happen either way.
    for sampling in ("vacancies", "cells"):
        model = RegionModel(TINY, **{"hiring.sampling": sampling})
        hires = 0
        for _ in range(6):
            model.step()
            assert model.check_invariants() == []
            hires += model.flows.hires
        assert hires > 0


def test_cell_rows_fill_a_cells_oldest_vacancies_first() -> None:
    from ecosim.phases.matching import _filled, _vacancy_rows

    model = RegionModel(TINY)
    _at_target(model)
    state, vac = model.state, model.state.vacancies
    vac.add(np.array([0, 0, 0, 1]), np.array([2, 2, 2, 2]), 0)
    vac.opened[:4] = [0, 3, 1, 2]
    rows, count = _vacancy_rows(state, "cells")
    assert sorted(count.tolist()) == [1, 3]
    big = int(np.flatnonzero(count == 3)[0])
    assert vac.opened[rows[big]] == 0  # a cell's row is its oldest vacancy
    filled = _filled(state, rows, count, np.array([big, big]))
    assert sorted(vac.opened[filled].tolist()) == [0, 1]
    rows, count = _vacancy_rows(state, "vacancies")
    assert np.array_equal(rows, np.arange(4)) and np.all(count == 1)


def test_a_vacancy_open_longer_accepts_a_lower_fit_down_to_the_floor() -> None:
    model = RegionModel(
        TINY,
        **{
            "matching.acceptance_threshold": 0.8,
            "hiring.standard_decline": 0.05,
            "hiring.standard_floor": 0.6,
        },
    )
    state, vac = model.state, model.state.vacancies
    _at_target(model)
    vac.add(np.zeros(4, dtype=np.int64), np.zeros(4, dtype=np.int64), 0)
    vac.opened[:4] = [10, 8, 4, -20]  # ages 0, 2, 6 and 30 in month 10
    state.month = 10
    np.testing.assert_allclose(
        vacancies.standards(state, model.config, np.arange(4)), [0.8, 0.7, 0.6, 0.6]
    )
    assert vacancies.lowest_standard(model.config) == 0.6


def test_a_tight_occupation_lowers_every_standard_by_its_excess_vacancy_rate() -> None:
    model = RegionModel(
        TINY,
        **{
            "matching.acceptance_threshold": 0.8,
            "hiring.standard_decline": 0.01,
            "hiring.standard_floor": 0.5,
            "hiring.tightness_decline": 1.0,
            "hiring.tight_vacancy_rate": 0.05,
        },
    )
    state, vac, emp = model.state, model.state.vacancies, model.employers
    _at_target(model)
    tight, slack = np.argsort(emp.headcount.sum(axis=0))[-2:]
    jobs = emp.headcount.sum(axis=0)
    # Open vacancies in the tight occupation until a quarter of its jobs are open: V/(V+E) =
    # n / (n + E) = 0.25 when n = E / 3; one vacancy in the other (below the 5% norm).
    n = int(jobs[tight]) // 3
    e = int(np.argmax(emp.headcount[:, tight]))
    vac.add(np.full(n, e), np.full(n, tight), 10)
    vac.add(np.array([e]), np.array([slack]), 4)
    vacancies.sync(state)
    state.month = 10
    rate = n / (n + jobs[tight])
    assert vacancies.occupation_vacancy_rate(state)[tight] == rate
    got = vacancies.standards(state, model.config, np.array([0, n]))
    # Fresh tight vacancy: 0.8 - 1.0 x (rate - 0.05); slack one aged 6: 0.8 - 0.06, no tightness.
    np.testing.assert_allclose(got, [0.8 - (rate - 0.05), 0.8 - 0.06])
    assert 0.55 < got[0] < 0.65  # the tight occupation asks about 0.2 less at once
    # However tight, never below the floor.
    vac.add(np.full(50 * n, e), np.full(50 * n, tight), 10)
    vacancies.sync(state)
    assert vacancies.standards(state, model.config, np.array([0]))[0] == 0.5
    assert vacancies.lowest_standard(model.config) == 0.5
