"""The initial state built from a scenario (ecosim.world)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ecosim import RegionModel, load_scenario
from ecosim.state import Status

ROOT = Path(__file__).resolve().parents[1]


TINY = ROOT / "tests" / "data" / "tiny.yaml"


def test_initial_population_matches_scenario() -> None:
    sc = load_scenario(TINY, {"resolution": 1.5, "burn_in": 0})
    model = RegionModel(sc)
    w = model.workers
    status = w.view("status")
    u = np.count_nonzero(status == Status.UNEMPLOYED)
    e = np.count_nonzero(status == Status.EMPLOYED)
    i = np.count_nonzero(status == Status.INACTIVE)
    assert u / (u + e) == pytest.approx(sc.workforce.initial_unemployment, abs=0.01)
    assert abs((u + e) - sc.worker_agents) <= 0.02 * sc.worker_agents
    # The inactive start at the steady state of the flows out of and back into the labour force:
    # each of those without a job is inactive with the steady state's share (4 sd allowed).
    s, u0 = sc.labour_supply, sc.workforce.initial_unemployment
    steady = (
        s.exit_rate_unemployed * e * u0 / (1 - u0) + s.exit_rate_employed * e
    ) / s.reentry_rate
    share = steady / (u + i)
    assert abs(i - steady) < 4 * np.sqrt((u + i) * share * (1 - share))
    ages = w.view("age")
    assert ages.min() >= 18 and ages.max() < sc.behaviour.retirement_age
    assert np.mean(ages < 40) == pytest.approx(0.5, abs=0.04)
    assert np.bincount(w.view("education"), minlength=3) / w.n == pytest.approx(
        [0.6, 0.3, 0.1], abs=0.03
    )
    # sector employment shares follow the scenario
    emp = model.employers
    by_sector = np.bincount(emp.sector, weights=emp.headcount.sum(axis=1))
    assert by_sector / by_sector.sum() == pytest.approx([0.5, 0.5], abs=0.03)
    # skills are drawn around the occupation profile
    rows = np.flatnonzero(status == Status.EMPLOYED)
    mean_gap = np.abs(w.skills[rows] - model.requirements[w.occupation[rows]]).mean()
    assert mean_gap < sc.workforce.skill_noise


def test_two_regions_commute_costs_and_breakdown() -> None:
    model = RegionModel(
        ROOT / "scenarios" / "two_regions.yaml",
        **{"resolution": 365, "months": 6, "burn_in": 0},
    )
    assert model.world.region_names == ("Rijnmond", "Zuidoost-Brabant")
    i, j = (
        model.world.municipality_names.index("Rotterdam"),
        model.world.municipality_names.index("Eindhoven"),
    )
    road = model.config.distance_matrix()[i, j]
    assert model.world.distance[i, j] == pytest.approx(road + model.config.cross_region_extra_km)
    w, emp = model.workers, model.employers
    employed = np.flatnonzero(w.view("status") == Status.EMPLOYED)
    assert np.all(emp.region[w.employer[employed]] == w.region[employed])  # start: work at home
    manuf = model.world.sector_names.index("manufacturing")
    share = [
        emp.headcount[(emp.region == r) & (emp.sector == manuf)].sum()
        / emp.headcount[emp.region == r].sum()
        for r in (0, 1)
    ]
    assert share[1] > 2 * share[0]
    model.run()
    by_region = model.tables()["by_region"]
    assert set(by_region["region"]) == {"Rijnmond", "Zuidoost-Brabant"}


def test_the_build_s_blocks_and_sort_give_the_one_shot_results(monkeypatch) -> None:
    """Skills drawn and learnt in blocks, and the fast lexsort, change no number of the build."""
    from ecosim import world

    rng = np.random.default_rng(3)
    for n in (0, 1, 5, 2000):
        tiebreak, key = rng.random(n), rng.integers(0, 3, n).astype(np.int8)
        for t, k in ((tiebreak, key), (np.repeat(tiebreak[:1], n), key), (tiebreak, key * 3)):
            np.testing.assert_array_equal(world._lexsort2(t, k), np.lexsort((t, k)))
    requirements, occupation = rng.random((6, 4)), rng.integers(0, 6, 1001)
    a, b = np.random.default_rng(9), np.random.default_rng(9)
    monkeypatch.setattr(world, "_BLOCK", 64)
    skills = np.empty((1001, 4))
    world._skills_around_profiles(skills, occupation, requirements, 0.2, a)
    one_shot = np.clip(requirements[occupation] + b.normal(0.0, 0.2, (1001, 4)), 0.0, 1.0)
    np.testing.assert_array_equal(skills, one_shot)
    assert a.random() == b.random()  # the same draws were used up
    blocked = RegionModel(TINY, burn_in=0).workers
    monkeypatch.setattr(world, "_BLOCK", 1 << 16)
    whole = RegionModel(TINY, burn_in=0).workers
    assert blocked.n == whole.n > 64
    for name in (*whole.columns, "skills"):
        np.testing.assert_array_equal(blocked.view(name), whole.view(name), err_msg=name)
