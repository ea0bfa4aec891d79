"""Courses and training decisions (ecosim.phases.training): gains, places, participation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ecosim import RegionModel
from ecosim.draws import Draws
from ecosim.metrics import participation_by_age
from ecosim.state import Status

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny.yaml"


COURSES = [
    {"name": "tech-up", "skills": {"tech": 0.2}, "months": 2, "cost": 1000, "dropout": 0.3},
    {
        "name": "office-care",
        "skills": {"office": 0.15, "care": 0.1},
        "months": 3,
        "cost": 2000,
        "dropout": 0.2,
    },
]


def test_completed_courses_raise_exactly_the_named_skills_and_dropouts_gain_nothing():
    overrides = {
        "learning.courses": COURSES,
        "behaviour.learning_by_doing_rate": 0.0,
        "behaviour.skill_depreciation_rate": 0.0,
        "behaviour.idle_skill_depreciation": 0.0,
        "hiring.hire_and_train.enabled": False,
        "learning.employer_training.enabled": False,
    }
    model = RegionModel(TINY, **overrides)
    w, cat = model.workers, model.world.catalogue
    started: dict[int, tuple[int, np.ndarray]] = {}
    completed = dropped = 0
    for _ in range(24):
        n = w.n
        skills_before = w.view("skills").copy()
        model.step()
        course, left = w.course[:n], w.course_months_left[:n]
        fresh = (course >= 0) & (left == cat.months[np.maximum(course, 0)])
        for i, (c0, s0) in list(started.items()):
            if course[i] == c0 and not fresh[i]:
                continue  # still in the course
            del started[i]
            if w.status[i] == Status.RETIRED:
                continue
            # The course ended at this step: skills before the step vs after it.
            after = w.skills[i]  # starting a new course in the same step changes nothing
            assert np.array_equal(skills_before[i], s0)  # nothing else changes skills
            expected = np.minimum(s0 + cat.gains[c0], 1.0)
            if np.allclose(after, expected, atol=1e-12, rtol=0):
                completed += 1
            else:
                assert np.array_equal(after, s0)  # a dropout gains nothing
                dropped += 1
        for i in np.flatnonzero(fresh):
            # Skills at the start are final for the course (a restart begins from them).
            started[int(i)] = (int(course[i]), w.skills[i].copy())
        assert model.check_invariants() == []
    ts = model.timeseries()
    assert completed > 20 and dropped > 5
    assert ts["training_dropouts"].sum() > 0


def test_course_capacity_is_respected_and_refusals_counted():
    courses = [{**c, "places_per_provider": 30} for c in COURSES]  # 3 agents of 10 persons
    model = RegionModel(TINY, **{"learning.courses": courses})
    for _ in range(12):
        model.step()
        taken = np.bincount(
            model.workers.view("course")[model.workers.view("course") >= 0], minlength=2
        )
        assert np.all(taken <= model.world.course_capacity)
        assert model.check_invariants() == []
    ts = model.timeseries()
    assert ts["training_refused_capacity"].sum() > 0


def test_baseline_participation_by_age_lands_in_documented_ranges():
    """Documented ranges (README, learning section): 25-34 0.22-0.34, 35-44 0.14-0.26,
    45-54 0.12-0.23, 55-64 0.07-0.17 (CBS: 29%, 20%, 17%, 12% in any four-week period)."""
    model = RegionModel(
        Path(__file__).resolve().parents[2] / "scenarios" / "rijnmond.yaml",
        **{"resolution": 1.5},
    )
    shares = []
    for month in range(24):
        model.step()
        if month >= 12:
            w = model.workers
            lf = np.isin(w.view("status"), [Status.EMPLOYED, Status.UNEMPLOYED])
            shares.append(participation_by_age(w.view("age")[lf], w.view("course")[lf] >= 0))
    mean = {k: np.mean([s[k] for s in shares]) for k in shares[0]}
    ranges = {
        "25-34": (0.22, 0.34),
        "35-44": (0.14, 0.26),
        "45-54": (0.12, 0.23),
        "55-64": (0.07, 0.17),
    }
    for band, (lo, hi) in ranges.items():
        assert lo <= mean[band] <= hi, (band, mean[band])


def _aim_setup(**overrides: object):
    """A tiny model with one unemployed nurse holding exactly a technician's skills."""
    model = RegionModel(TINY, **overrides)
    state, w, emp = model.state, model.workers, model.employers
    occ = {name: i for i, name in enumerate(model.world.occupation_names)}
    row = np.flatnonzero(w.view("status") == Status.UNEMPLOYED)[0]
    w.education[row] = 2  # wo: every occupation is at or below the worker's level
    w.occupation[row] = occ["nurse"]
    # Skills: exactly a technician's profile, far from the analyst's and the nurse's.
    w.skills[row] = state.requirements[occ["technician"]]
    emp.openings[:] = 0
    return model, occ, row


def test_the_unemployed_aim_at_the_tightest_occupation_within_reach() -> None:
    from ecosim.phases.training import aimed_occupation
    from ecosim.phases.vacancies import lowest_standard

    model, occ, row = _aim_setup(**{"learning.prospect_noise": 0.0})
    state, w, emp, draws = model.state, model.workers, model.employers, model.streams.learning
    emp.openings[0, occ["technician"]] = 5
    emp.openings[0, occ["analyst"]] = 50  # tighter, but out of reach
    reach = lowest_standard(model.config) - model.config.learning.retraining_reach
    fit = 1.0 - model.shortfall(np.array([row]))  # against the nurse profile
    assert fit[0] < reach
    assert aimed_occupation(state, model.config, draws, np.array([row]))[0] == occ["technician"]
    w.education[row] = 0  # mbo: the engineer and analyst occupations are above the level
    emp.openings[0, occ["engineer"]] = 500
    assert aimed_occupation(state, model.config, draws, np.array([row]))[0] == occ["technician"]
    w.skills[row] = 0.0  # nothing within reach: keep the own occupation
    assert aimed_occupation(state, model.config, draws, np.array([row]))[0] == occ["nurse"]


def _aims_at_technician(agenda: bool) -> float:
    """Share of months in which the nurse aims at the technicians' tighter market."""
    from ecosim.phases.training import aimed_occupation

    overrides = {
        "government.hc_agenda.enabled": agenda,
        "government.hc_agenda.noise_reduction": 0.8,
    }
    model, occ, row = _aim_setup(**overrides)
    state, emp, draws = model.state, model.employers, model.streams.learning
    # With equal numbers of unemployed in both, the technicians' prospects are 2.5x the
    # nurses': worth switching (switch_ratio 2), but noise can hide it.
    unemployed = model.workers.view("status") == Status.UNEMPLOYED
    seekers = np.bincount(model.workers.view("occupation")[unemployed], minlength=len(occ))
    emp.openings[0, occ["technician"]] = 25 * (seekers[occ["technician"]] + 1)
    emp.openings[0, occ["nurse"]] = 10 * (seekers[occ["nurse"]] + 1)
    state.agenda_funded = agenda
    hits = []
    for month in range(1, 201):
        state.month = month
        hits.append(aimed_occupation(state, model.config, draws, np.array([row]))[0])
    return float(np.mean(np.array(hits) == occ["technician"]))


def test_noisy_prospects_misdirect_retraining_and_the_agenda_reduces_it() -> None:
    without, with_agenda = _aims_at_technician(False), _aims_at_technician(True)
    assert 0.0 < without < 1.0  # noise sometimes hides the better market
    assert with_agenda > without + 0.1


def _employer_training_starts(subsidy: bool, grant: bool | None, seed: int = 3) -> int:
    """Employer-initiated starts in one call, every drifted incumbent considered."""
    from ecosim.flows import Flows
    from ecosim.phases.training import employer_training

    overrides = {
        "resolution": 0.3,
        "burn_in": 0,
        "learning.employer_training.monthly_rate": 1.0,
        "learning.employer_training.shortfall_threshold": 0.0,
        "learning.employer_training.payoff_months": 6.0,  # benefit near cost: price matters
        "government.employer_subsidy": {"enabled": subsidy, "budget": 1e12, "spread": "none"},
    }
    model = RegionModel(TINY, **overrides)
    model.state.month = 1
    if grant is not None:
        model.government.assess = lambda name, month, euros: np.full(len(euros), grant)
    flows = Flows.start(model.state)
    employer_training(model.state, model.config, model.government, Draws(seed), flows)
    return flows.employer_training_starts


def test_the_subsidy_raises_employer_training_and_a_refusal_falls_back_to_the_full_cost() -> None:
    none = _employer_training_starts(subsidy=False, grant=None)
    granted = _employer_training_starts(subsidy=True, grant=True)
    refused = _employer_training_starts(subsidy=True, grant=False)
    assert none > 100
    assert granted > none + 4 * np.sqrt(none)  # cheaper training: more of it
    assert abs(refused - none) < 4 * np.sqrt(none)  # refused: as if there were no subsidy


def _worker_training_starts(vouchers: bool, grant: bool | None, seed: int = 4) -> int:
    """Workers' own starts in one call."""
    from ecosim.flows import Flows
    from ecosim.phases.training import worker_training

    overrides = {
        "resolution": 0.3,
        "burn_in": 0,
        "government.vouchers": {"enabled": vouchers, "budget": 1e12, "spread": "none"},
    }
    model = RegionModel(TINY, **overrides)
    model.state.month = 1
    if grant is not None:
        model.government.assess = lambda name, month, euros: np.full(len(euros), grant)
    flows = Flows.start(model.state)
    worker_training(model.state, model.config, model.government, Draws(seed), flows)
    return flows.training_starts


def test_vouchers_raise_starts_and_a_refused_voucher_falls_back_to_the_full_cost() -> None:
    none = _worker_training_starts(vouchers=False, grant=None)
    granted = _worker_training_starts(vouchers=True, grant=True)
    refused = _worker_training_starts(vouchers=True, grant=False)
    assert none > 100
    assert granted > none + 4 * np.sqrt(none)
    assert abs(refused - none) < 4 * np.sqrt(none)


def test_workers_see_requirements_with_the_scenarios_noise_and_the_unemployed_their_aim(
    monkeypatch,
) -> None:
    """The kernel gets the noise's sd, the profiles and the unemployed deciders' aims (that it
    draws unbiased standard normal noise per skill is tested with the kernel)."""
    from ecosim.flows import Flows
    from ecosim.phases import training

    seen = {}
    real = training.worker_decisions

    def spy(workers, aim_rows, aim_occupation, outlook, *args, **kwargs):
        seen.update(aim_rows=aim_rows, aim=aim_occupation, outlook=outlook, sd=args[-2])
        return real(workers, aim_rows, aim_occupation, outlook, *args, **kwargs)

    monkeypatch.setattr(training, "worker_decisions", spy)
    model = RegionModel(TINY, **{"resolution": 0.3, "burn_in": 0})
    model.state.month = 1
    w = model.workers
    unemployed = np.flatnonzero((w.view("status") == Status.UNEMPLOYED) & (w.view("course") < 0))
    flows = Flows.start(model.state)
    training.worker_training(model.state, model.config, model.government,
                             Draws(5), flows)  # fmt: skip
    assert seen["sd"] == model.config.learning.perception_noise > 0  # no agenda: full noise
    assert seen["outlook"] is model.state.outlook
    np.testing.assert_array_equal(seen["aim_rows"], unemployed)
    assert seen["aim"].shape == unemployed.shape and unemployed.size > 100
    assert flows.training_starts > 100


def test_courses_run_in_the_burn_in_so_participation_starts_in_its_steady_state() -> None:
    """The burn-in offers month 0's catalogue: without it participation started at 0 and took
    four months to climb to about 20%."""
    model = RegionModel(
        Path(__file__).resolve().parents[2] / "scenarios" / "rijnmond.yaml",
        **{"resolution": 2},
    )
    ts = model.run(12)
    later = ts["training_participation"].iloc[6:].mean()
    assert later > 0.1
    assert ts["training_participation"].iloc[0] == pytest.approx(later, rel=0.15)


@pytest.mark.parametrize("side_entry", [True, False])
def test_side_entrants_learn_in_the_communitys_programmes(side_entry: bool) -> None:
    """A job seeker aiming at a community occupation has its effect and lead; one aiming
    elsewhere, or at a community without side entry, has neither; members' employees keep it."""
    from ecosim.phases.training import _member_effects

    community = {"name": "hub", "sector": "industry", "lead_months": 5}
    community |= {"training_effectiveness": 0.4, "side_entry": side_entry}
    model = RegionModel(TINY, learning_communities=[community])
    w, occ = model.workers, {n: i for i, n in enumerate(model.world.occupation_names)}
    status = w.view("status")
    seekers = np.flatnonzero(status == Status.UNEMPLOYED)[:2]
    member = model.world.community_member[0][np.maximum(w.view("employer"), 0)]
    employee = np.flatnonzero((status == Status.EMPLOYED) & member)[0]
    rows = np.array([*seekers, employee])
    target = np.array([occ["technician"], occ["nurse"], w.occupation[employee]])
    effect, lead = _member_effects(model.state, model.config, rows, target)
    expected = 1.4 if side_entry else 1.0
    assert effect.tolist() == [expected, 1.0, 1.4]
    assert lead.tolist() == [5 if side_entry else 0, 0, 5]
