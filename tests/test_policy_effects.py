"""The instruments do what they say: each variant of ``scenarios/policies/`` against the combined
transitions, over common random numbers (the same seeds, counter-based draws), with signs an
economist would expect and the mechanism visible in the run's own tables.

Budgets are raised where the shipped envelope is too small for its effect to stand clear of the
seed-to-seed noise at this test size (10,000 agents): the test is about the sign of the
mechanism, the shipped variants about plausible Dutch amounts. Figures measured at this size
(2026-12-02, 5 seeds, 12 for learning communities, hiring standards that also fall with
tightness) are quoted beside each assertion.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecosim import RegionModel
from ecosim.config import resolve_scenario

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "scenarios" / "rijnmond_combined.yaml"
# 10,000 worker agents at the scenario's 1:23 beside all its 1,320 employers: a smaller region
# (230,000 persons) with Rijnmond's employers, the world these signs were established in. At
# 1:69 (10,000 agents, 440 employers) one seed of five raises unemployment under hc_agenda and
# learning_community's short occupation-months are not significant (t = 0.4).
SMALL, MONTHS, SEEDS = {"workforce.persons": 230_000}, 120, 5
RETRAINING_SEEDS = 10  # see its test: the displaced are few
# The months occupations stay short are a count of a noisy monthly rate: see its assertion.
VARIANT_SEEDS = {"learning_community": 12}
VARIANTS: dict[str, dict[str, object]] = {
    "vouchers": {},
    "employer_subsidy": {"government.employer_subsidy.budget": 400_000_000},
    "hc_agenda": {},
    "learning_community": {},
}


def _outcomes(model: RegionModel, ts: pd.DataFrame) -> dict[str, float]:
    run = ts.iloc[1:]
    tables = model.tables()
    channels = tables["channels"]
    return {
        "unemployment_rate": float(run["unemployment_rate"].mean()),
        "vacancy_months": float(run["vacancies"].sum()),
        "participation": float(run["training_participation"].mean()),
        "employer_training_starts": float(run["employer_training_starts"].sum()),
        "unneeded_starts": float(run["training_starts_unneeded"].sum()),
        # occupation-months more than 10% vacant: how long the growing occupations stay short
        "short_occupation_months": float((channels["vacancy_rate"] > 0.10).sum()),
    }


def _runs(path: Path, extra: dict[str, object], seeds: int = SEEDS) -> pd.DataFrame:
    scenario = resolve_scenario(path, {**SMALL, **extra})
    rows = []
    for i in range(seeds):
        model = RegionModel(scenario, seed=scenario.seed + i)
        rows.append(_outcomes(model, model.run(MONTHS)))
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def base() -> pd.DataFrame:
    return _runs(BASE, {}, max(SEEDS, *VARIANT_SEEDS.values()))


@pytest.fixture(scope="module", params=list(VARIANTS))
def effect(request, base: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    """Per-seed differences variant minus base (paired by seed)."""
    name = request.param
    seeds = VARIANT_SEEDS.get(name, SEEDS)
    variant = _runs(ROOT / "scenarios" / "policies" / f"{name}.yaml", VARIANTS[name], seeds)
    return name, variant - base.iloc[:seeds]


def _t(d: pd.Series) -> float:
    """The paired t statistic of the mean difference over seeds."""
    return float(d.mean()) / (float(d.std(ddof=1)) / np.sqrt(d.size))


def test_each_instrument_has_the_expected_sign(effect: tuple[str, pd.DataFrame]) -> None:
    name, d = effect
    if name == "vouchers":
        # +0.26..+0.38 pp on every seed (t = 13.8): a voucher lowers the net cost of a course
        # (STAP); it also pays for 19,000-30,000 starts that teach nothing needed (deadweight).
        assert (d["participation"] > 0).all(), d["participation"]
    elif name == "employer_subsidy":
        # 40x the shipped envelope: +3,400-5,900 employer-paid starts (+10-18%) on every seed.
        assert (d["employer_training_starts"] > 0).all(), d["employer_training_starts"]
        # Unemployment -0.04..+0.06 pp (t = 0.28). The budget bug gave +322k person-months
        # (about +0.5 pp at this size); the bound says any effect stays economically negligible.
        assert d["unemployment_rate"].mean() < 0.0005, d["unemployment_rate"]
    elif name == "hc_agenda":
        # -0.02..-0.07 pp unemployment (t = -5.4), fewer vacancy-months (t = -6.1) on every
        # seed: workers and curricula aim at the requirements announced ahead. Participation
        # falls (-1.6..-1.7 pp) because 210,000-222,000 fewer courses teach what the worker
        # already has.
        assert (d["unemployment_rate"] < 0).all(), d["unemployment_rate"]
        assert (d["vacancy_months"] < 0).all(), d["vacancy_months"]
        assert _t(d["unemployment_rate"]) < -2.0, d["unemployment_rate"]
        if d["participation"].mean() < 0:
            assert (d["unneeded_starts"] < 0).all(), d["unneeded_starts"]
    elif name == "learning_community":
        # Twelve seeds (figures below). Members' and side entrants' courses are 25% more
        # effective, so worth more: participation +0.05..+0.23 pp on every seed (t = 10.1).
        assert _t(d["participation"]) > 2.0, d["participation"]
        # Side entrants retrain into the communities' occupations and fill their posts:
        # vacancy-months -24,000 of about 1.27 million (11 of 12 seeds, t = -5.0), unemployment
        # -0.04 pp (t = -2.1). Employer-paid courses fall (t = -3.7), not yet explained: fewer
        # incumbents short of skills, or places taken by side entrants.
        assert _t(d["vacancy_months"]) < -2.0, d["vacancy_months"]
        # The months occupations stay over 10% vacant: -39 of about 530 occupation-months
        # (-123..+44, t = -2.5). Curricula that lead the requirements and members' courses
        # alone add skills, not people: once standards fall with tightness shortages are about
        # people, and without side entry the effect was t = -0.9 (8 seeds). This count of a
        # noisy monthly rate needs the twelve seeds: with five, t = -1.8.
        assert _t(d["short_occupation_months"]) < -2.0, d["short_occupation_months"]


def _displaced_employed(retraining: bool, seed_offset: int) -> pd.Series:
    """Share of the refinery's displaced workers employed, by months since the closure."""
    overrides: dict[str, object] = {}
    if retraining:
        overrides.update(
            {"government.retraining.enabled": True, "government.retraining.budget": 150_000_000}
        )
    scenario = resolve_scenario(ROOT / "scenarios" / "rijnmond_energy.yaml", overrides)
    model = RegionModel(scenario, seed=scenario.seed + seed_offset)
    model.run(132)  # the closure is in month 60
    closures = model.tables()["closures"]
    return closures.groupby("months_since")["employed_share"].mean()


def test_retraining_raises_the_re_employment_of_the_displaced() -> None:
    """Targeted retraining of the displaced (energy transition, refinery closure in month 60;
    30,000 agents so that the closure displaces enough workers). Training programmes raise
    employment most after two to three years, often after a lock-in while in training (Card,
    Kluve & Weber 2018). Ten seeds: the closure displaces only 90-470 agents, so one seed's
    share moves by several points either way. Measured (2026-12-02): over months 36-72 after the
    closure +7.5 pp (+2.8..+11.9 on every seed, t = 7.2); months 13-35 +3.3 pp (t = 2.8); months
    3-12 -3.2 pp (t = -2.1, the lock-in)."""
    gain = pd.DataFrame(
        {
            i: _displaced_employed(True, i) - _displaced_employed(False, i)
            for i in range(RETRAINING_SEEDS)
        }
    ).T
    later = gain[[m for m in gain.columns if 36 <= m <= 72]].mean(axis=1)
    assert _t(later) > 2.0, later
