"""Curricula follow demand (conditional and proactive learning): ecosim.phases.learning."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ecosim import RegionModel

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny.yaml"


DRIFT = {
    "name": "digital",
    "drift": [
        {
            "occupations": ["technician", "engineer"],
            "toward": {"office": 0.7},
            "path": {"kind": "step", "start": 6},
        }
    ],
}


def _entrant_shortfall(responsiveness: float, communities: list | None = None):
    """Mean shortfall of entrants after a drift, the model and its time series."""
    overrides = {
        "learning.curricula.responsiveness": responsiveness,
        "learning.curricula.signal_noise": 0.0,
        "transitions": [DRIFT],
    }
    if communities:
        overrides["learning_communities"] = communities
    model = RegionModel(TINY, **overrides)
    ts = model.run(36)
    return float(ts["mean_skill_shortfall_of_entrants"].iloc[13:].mean()), model, ts


def test_more_responsive_curricula_give_graduates_smaller_shortfalls_after_drift():
    slow, _, _ = _entrant_shortfall(0.05)
    fast, _, _ = _entrant_shortfall(0.9)
    assert fast < slow


def _drifted_curriculum_gap(communities: list | None = None) -> list[float]:
    """Month by month: how far the drifted programmes' curricula are from their requirements."""
    overrides = {
        "learning.curricula.responsiveness": 0.3,
        "learning.curricula.signal_noise": 0.0,
        "transitions": [DRIFT],
    }
    if communities:
        overrides["learning_communities"] = communities
    model = RegionModel(TINY, **overrides)
    drifted = [model.world.occupation_names.index(o) for o in DRIFT["drift"][0]["occupations"]]
    gaps = []
    for _ in range(36):
        model.step()
        gap = model.state.curricula[drifted] - model.state.requirements[drifted]
        gaps.append(float(np.abs(gap).sum()))
    return gaps


def test_learning_community_shortens_the_curriculum_lag():
    lc = [
        {
            "name": "tech-hub",
            "sector": "industry",
            "lead_months": 0,
            "responsiveness_boost": 2.0,
            "cost_per_member_per_month": 0,
        }
    ]
    without, with_lc = _drifted_curriculum_gap(), _drifted_curriculum_gap(lc)
    peak = without[5]  # the drift happens in month 6 (index 5)
    assert peak > 0 and without[4] == with_lc[4] == 0.0

    def first_below_half(gaps: list[float]) -> float:
        """The first month the gap is below half its peak (inf: not within the run)."""
        below = [m for m, g in enumerate(gaps, start=1) if m > 6 and g < 0.5 * peak]
        return float(below[0]) if below else float("inf")

    # The community's programmes renew three times as fast: half the gap closes in about a
    # year instead of about two (0.3 of the gap a year: 1 - 0.7 ** t = 0.5 at t = 1.9 years).
    assert first_below_half(with_lc) < first_below_half(without)
    assert first_below_half(with_lc) <= 6 + 14
