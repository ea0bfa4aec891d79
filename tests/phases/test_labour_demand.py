"""Labour demand (ecosim.phases.labour_demand): targets, layoffs, vacancies, events, drift."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import ecosim.phases.matching
from ecosim import RegionModel, load_scenario
from ecosim.phases import labour_demand
from ecosim.state import Status

ROOT = Path(__file__).resolve().parents[2]


TINY = ROOT / "tests" / "data" / "tiny.yaml"


def test_excess_employment_is_shed_toward_a_lower_target() -> None:
    model = RegionModel(TINY, **{"resolution": 3})
    emp = model.employers
    industry = emp.sector == 0
    start = emp.headcount[industry].sum()
    emp.base_target[industry] *= 0.6
    model.run(24)
    end = emp.headcount[industry].sum()
    target = emp.target[industry].sum()
    assert end < 0.75 * start
    assert end == pytest.approx(target, rel=0.1)
    assert model.timeseries()["layoffs"].sum() > 0


def test_shrinking_sector_converges_to_its_target() -> None:
    tr = {
        "name": "down",
        "demand": [{"sector": "industry", "path": {"kind": "step", "start": 1, "final": 0.7}}],
    }
    model = _with_transition(tr, **{"resolution": 2})
    start, _ = _sector_employment(model, 0)
    model.run(36)
    end, target = _sector_employment(model, 0)
    assert target == pytest.approx(
        0.7 * model.employers.base_target[model.employers.sector == 0].sum()
    )
    # Layoffs remove 20% of the excess a month: after 35 months < 0.1% of the initial 30% excess
    # is left; what remains is the churn of ordinary separations not yet refilled, which stays
    # below the vacancy share of the sector (a few percent). 6% is a generous bound on that.
    assert end <= target * 1.01
    assert end >= target * 0.94
    assert end < 0.75 * start


def test_growing_sector_fills_toward_its_target() -> None:
    tr = {
        "name": "up",
        "demand": [{"sector": "care", "path": {"kind": "step", "start": 1, "final": 1.06}}],
    }
    # Growth is filled out of the unemployed, job movers and entrants, limited by skills (the
    # hiring standard) and by reservation wages. With the adjustment channels (standards that
    # fall as a post stays open, experienced newcomers drawn by openings) at least half of the
    # gap closes within three years on average over seeds (one seed's share varies by about
    # +-0.15 in a 3,000-agent region); with a strict standard that never falls and no newcomers,
    # less of it does.
    fixed = {"hiring.standard_decline": 0.0, "labour_supply.experienced_share": 0.0}
    closed, strict_closed = [], []
    for seed in range(5):
        model = _with_transition(tr, seed=seed, **{"resolution": 2})
        strict = _with_transition(
            tr, seed=seed, **{"resolution": 2, "matching.acceptance_threshold": 0.9, **fixed}
        )
        start, _ = _sector_employment(model, 1)
        strict_start, _ = _sector_employment(strict, 1)
        model.run(36)
        strict.run(36)
        end, target = _sector_employment(model, 1)
        assert end <= target + 0.5
        closed.append((end - start) / (target - start))
        strict_end, strict_target = _sector_employment(strict, 1)
        strict_closed.append((strict_end - strict_start) / (strict_target - strict_start))
    assert np.mean(closed) > 0.5
    assert np.mean(strict_closed) < np.mean(closed)


def test_occupation_path_only_touches_that_occupation() -> None:
    tr = {
        "name": "occ",
        "demand": [{"occupation": "nurse", "path": {"kind": "step", "start": 0, "final": 2.0}}],
    }
    model = _with_transition(tr)
    model.step()
    emp = model.employers
    nurse = model.world.occupation_names.index("nurse")
    np.testing.assert_allclose(emp.target[:, nurse], 2 * emp.base_target[:, nurse])
    others = np.arange(len(model.world.occupation_names)) != nurse
    np.testing.assert_allclose(emp.target[:, others], emp.base_target[:, others])


def test_closure_lays_off_exactly_the_closed_employers_workers() -> None:
    tr = {"name": "shock", "events": [{"kind": "closure", "month": 3, "sector": "industry"}]}
    model = _with_transition(tr)
    model.run(2)
    emp, w = model.employers, model.workers
    industry = np.flatnonzero(emp.sector == 0)
    biggest = int(industry[np.argmax(emp.headcount[industry].sum(axis=1))])
    staff = np.flatnonzero((w.view("employer") == biggest) & (w.view("status") == Status.EMPLOYED))
    assert staff.size > 0
    model.step()
    (log,) = model.event_log
    assert log["month"] == 3 and log["employer"] == biggest
    assert log["persons"] == staff.size * model.config.resolution
    assert np.all(w.last_employer[staff] == biggest)
    assert np.all(w.employer[staff] != biggest)
    assert model.timeseries()["layoffs"].loc[3] >= staff.size * model.config.resolution
    model.run(6)
    assert emp.headcount[biggest].sum() == 0 and emp.openings[biggest].sum() == 0
    assert model.check_invariants() == []


@pytest.mark.parametrize("resolution", [10, 2])
def test_a_closure_sized_in_jobs_closes_an_employer_of_that_size_at_any_resolution(
    resolution: float,
) -> None:
    """A closure with ``jobs`` gets its own employer, carved from its sector's jobs; the month
    it closes, its staff (in persons) is its jobs up to the stochastic rounding of headcounts
    and the month's turnover, at either resolution."""
    tr = {
        "name": "shock",
        "events": [{"kind": "closure", "month": 3, "sector": "industry", "jobs": 600}],
    }
    model = _with_transition(tr, resolution=resolution, burn_in=0)
    plain = RegionModel(load_scenario(TINY, {"resolution": resolution, "burn_in": 0}))
    emp, plant = model.employers, model.employers.n - 1
    assert emp.n == plain.employers.n + 1 and emp.sector[plant] == 0
    industry = emp.sector == 0
    assert emp.base_target[plant].sum() == pytest.approx(600 / resolution * (1 - 0.03), rel=0.2)
    # the sector's jobs are as many as without the closure's employer (sampling noise aside)
    jobs, jobs_plain = emp.headcount[industry].sum(), plain.employers.headcount[:, :].sum() / 2
    assert abs(jobs - jobs_plain) < 5 * np.sqrt(jobs_plain)
    model.run(3)
    (log,) = model.event_log
    assert log["employer"] == plant
    assert log["persons"] == pytest.approx(600, rel=0.25)
    assert emp.headcount[plant].sum() == 0


def test_opening_creates_a_hiring_wave() -> None:
    tr = {
        "name": "new",
        "events": [
            {"kind": "opening", "month": 2, "sector": "industry", "municipality": "B", "jobs": 300}
        ],
    }
    model = _with_transition(tr)
    plant = model.employers.n - 1  # dormant until month 2
    assert model.employers.target[plant].sum() == 0
    model.run(12)
    emp = model.employers
    assert emp.target[plant].sum() == pytest.approx(300 / model.config.resolution)
    assert emp.municipality[plant] == model.world.municipality_names.index("B")
    assert emp.headcount[plant].sum() >= 0.5 * emp.target[plant].sum()


def test_content_drift_raises_incumbent_shortfall_by_its_size(monkeypatch) -> None:
    tr = {
        "name": "drift",
        "drift": [
            {
                "occupations": ["technician"],
                "toward": {"tech": 1.0},
                "path": {"kind": "step", "start": 2, "final": 1.0},
            }
        ],
    }
    model = _with_transition(
        tr,
        **{
            "workforce.skill_noise": 0.0,
            "behaviour.learning_by_doing_rate": 0.0,
            "behaviour.skill_depreciation_rate": 0.0,
            "burn_in": 0,
        },
    )
    tech = model.world.occupation_names.index("technician")
    model.run(1)
    w = model.workers
    incumbents = np.flatnonzero(
        (w.view("status") == Status.EMPLOYED) & (w.view("occupation") == tech)
    )
    np.testing.assert_allclose(model.shortfall(incumbents), 0.0, atol=1e-12)
    seen = []
    real_match = ecosim.phases.matching.match

    def spy(mode, seekers, vacancies, params, seed):
        seen.append(vacancies)
        return real_match(mode, seekers, vacancies, params, seed)

    monkeypatch.setattr(ecosim.phases.matching, "match", spy)
    model.step()
    np.testing.assert_allclose(model.requirements[tech], [1.0, 0.0, 0.0])
    still = incumbents[(w.employer[incumbents] >= 0) & (w.job_start[incumbents] < 2)]
    assert still.size > 0
    # missing tech: 1.0 - 0.8 = 0.2, over the required skill mass 1.0
    np.testing.assert_allclose(model.shortfall(still), 0.2, rtol=1e-12)
    vac = seen[-1]
    rows = vac.occupation == tech
    if rows.any():
        np.testing.assert_allclose(
            vac.requirements[rows], np.tile([1.0, 0.0, 0.0], (rows.sum(), 1))
        )


def _with_transition(transition: dict, seed: int | None = None, **overrides) -> RegionModel:
    sc = load_scenario(TINY, {**overrides, "transitions": [transition]})
    return RegionModel(sc, seed=seed)


def _sector_employment(model: RegionModel, sector: int) -> tuple[float, float]:
    emp = model.employers
    rows = emp.sector == sector
    return float(emp.headcount[rows].sum()), float(emp.target[rows].sum())


def test_a_demand_path_naming_no_sector_or_occupation_moves_every_job() -> None:
    tr = {"name": "cycle", "demand": [{"path": {"kind": "step", "start": 1, "final": 0.9}}]}
    model = _with_transition(tr, **{"burn_in": 0})
    base = model.employers.base_target.copy()
    model.step()
    np.testing.assert_allclose(model.employers.target, base * 0.9)


# --------------------------------------------------------------------------- del Rio-Chanona rule

PAPER = {"delta_u": 0.016, "delta_v": 0.012, "gamma_u": 0.16, "gamma_v": 0.16}


def test_del_rio_chanona_rates_follow_the_papers_formulas() -> None:
    e = np.array([100.0, 90.0, 100.0, 50.0, 0.0])
    v = np.array([10.0, 0.0, 0.0, 200.0, 3.0])
    target = np.array([100.0, 100.0, 100.0, 100.0, 10.0])
    p_sep, p_open = labour_demand.del_rio_chanona_rates(e, v, target, **PAPER)
    # excess d - d† = 10: 0.016 * 100 + 0.984 * 0.16 * 10 separations, only spontaneous openings
    assert p_sep[0] == pytest.approx((1.6 + 0.984 * 1.6) / 100)
    assert p_open[0] == pytest.approx(0.012)
    # shortfall 10: only spontaneous separations, 0.012 * 90 + 0.988 * 0.16 * 10 openings
    assert p_sep[1] == pytest.approx(0.016)
    assert p_open[1] == pytest.approx((1.08 + 0.988 * 1.6) / 90)
    # at target: the spontaneous rates
    assert (p_sep[2], p_open[2]) == pytest.approx((0.016, 0.012))
    # an excess of 150 sheds 0.16 * 150 = 24 of the 50; with gamma_u = 1 at most all 50
    assert p_sep[3] == pytest.approx(0.016 + 0.984 * 0.16 * 150 / 50)
    p_all, _ = labour_demand.del_rio_chanona_rates(
        e[3:4], v[3:4], target[3:4], **{**PAPER, "gamma_u": 1.0}
    )
    assert p_all[0] == pytest.approx(1.0)
    # nobody employed: nothing separates or opens
    assert (p_sep[4], p_open[4]) == (0.0, 0.0)


def _del_rio_chanona_tiny(**overrides) -> RegionModel:
    rule = {
        "labour_demand.rule": "del_rio_chanona",
        "labour_demand.initial_target": "labour_force",
        "hiring.max_vacancy_months": 120,
        "resolution": 3,
    }
    return RegionModel(load_scenario(TINY, {**rule, **overrides}))


def test_labour_force_target_is_each_occupations_employed_plus_unemployed() -> None:
    model = _del_rio_chanona_tiny(burn_in=0)
    w, emp = model.workers, model.employers
    status = w.view("status")
    active = (status == Status.EMPLOYED) | (status == Status.UNEMPLOYED)
    force = np.bincount(w.view("occupation")[active], minlength=emp.n_occupations)
    np.testing.assert_allclose(emp.target.sum(axis=0), force)
    jobs = RegionModel(load_scenario(TINY, {"resolution": 3, "burn_in": 0})).employers
    np.testing.assert_allclose(
        emp.base_target, emp.base_target.sum(0) * jobs.base_target / jobs.base_target.sum(0)
    )


def test_under_the_del_rio_chanona_rule_only_its_separations_and_openings_happen() -> None:
    # nobody leaves, returns or retires, so this month's new spells are its separations
    flows = ("exit_rate_employed", "exit_rate_unemployed", "reentry_rate", "early_retirement_rate")
    still = {f"labour_supply.{k}": 0.0 for k in flows}
    still |= {"behaviour.retirement_age": 75.0, "behaviour.on_the_job_search_share": 0.0}
    model = _del_rio_chanona_tiny(**still)
    w = model.workers
    for _ in range(12):
        model.step()
        month = model.month
        separated = np.flatnonzero(
            (w.view("status") == Status.UNEMPLOYED) & (w.view("spell_start") == month)
        )
        # nobody hired this month separates in it; the paper's separations are not layoffs
        assert 0 < separated.size == model.flows.separations
        assert np.all(w.job_start[separated] < month)
        assert model.flows.layoffs == 0
        assert model.flows.vacancies_withdrawn == 0
    assert model.check_invariants() == []
