"""Courses and training decisions (ecosim.phases.training): gains, places, participation."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ecosim import RegionModel
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
        **{"workforce.size": 4000},
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


def test_the_unemployed_aim_at_the_tightest_occupation_within_reach() -> None:
    from ecosim.phases.training import aimed_occupation
    from ecosim.phases.vacancies import lowest_standard

    model = RegionModel(TINY)
    state, w, emp = model.state, model.workers, model.employers
    occ = {name: i for i, name in enumerate(model.world.occupation_names)}
    row = np.flatnonzero(w.view("status") == Status.UNEMPLOYED)[0]
    w.education[row] = 2  # wo: every occupation is at or below the worker's level
    w.occupation[row] = occ["nurse"]
    # Skills: exactly a technician's profile, far from the analyst's and the nurse's.
    w.skills[row] = state.requirements[occ["technician"]]
    emp.openings[:] = 0
    emp.openings[0, occ["technician"]] = 5
    emp.openings[0, occ["analyst"]] = 50  # tighter, but out of reach
    reach = lowest_standard(model.config) - model.config.learning.retraining_reach
    fit = 1.0 - model.shortfall(np.array([row]))  # against the nurse profile
    assert fit[0] < reach
    assert aimed_occupation(state, model.config, np.array([row]))[0] == occ["technician"]
    w.education[row] = 0  # mbo: the engineer and analyst occupations are above the level
    emp.openings[0, occ["engineer"]] = 500
    assert aimed_occupation(state, model.config, np.array([row]))[0] == occ["technician"]
    w.skills[row] = 0.0  # nothing within reach: keep the own occupation
    assert aimed_occupation(state, model.config, np.array([row]))[0] == occ["nurse"]
