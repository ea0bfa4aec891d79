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
    _, _, without = _entrant_shortfall(0.3)
    _, _, with_lc = _entrant_shortfall(0.3, lc)
    peak = without["mean_curriculum_gap"].loc[6:].max()

    def first_below(ts) -> float:
        """The first month the gap is below half the peak (inf: not within the run)."""
        below = ts["mean_curriculum_gap"].loc[7:] < 0.5 * peak
        return float(below.idxmax()) if below.any() else float("inf")

    assert first_below(with_lc) < first_below(without)
    assert np.isfinite(first_below(with_lc))
