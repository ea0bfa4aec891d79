"""Government instruments: budgets never exceeded, refusals counted, vouchers work."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ecosim import RegionModel
from ecosim.agents.government import BUDGETED
from ecosim.config import ScenarioError, load_scenario

TINY = Path(__file__).parent / "data" / "tiny.yaml"
POLICIES = Path(__file__).parents[1] / "scenarios" / "policies"
TIGHT = {
    "government.vouchers": {"enabled": True, "budget": 150_000, "amount_per_person_per_year": 800},
    "government.employer_subsidy": {"enabled": True, "budget": 40_000, "share": 0.5},
    "government.retraining": {"enabled": True, "budget": 60_000, "start": 2, "end": 10},
    "government.hc_agenda": {"enabled": True, "budget": 30_000, "monthly_cost": 7_000},
    "government.learning_community_funding": {"enabled": True, "budget": 5_000, "share": 1.0},
    "learning_communities": [{"name": "lc", "sector": "industry"}],
    "behaviour.layoff_rate": 0.5,
}


def test_budgets_are_never_exceeded_and_every_refusal_is_counted():
    model = RegionModel(TINY, **TIGHT)
    gov = model.government
    for _ in range(12):
        model.step()
        assert model.check_invariants() == []
        for name in BUDGETED:
            assert gov.spent(name) <= gov.budget(name) + 1e-6
    refused = 0
    for name in BUDGETED:
        applications = gov.count("applications", name)
        granted = gov.count("granted", name)
        assert gov.count("refused", name) == applications - granted
        refused += applications - granted
        for month, euros in gov.ledger.get(name, {}).items():
            cfg = getattr(model.config.government, name)
            if euros > 0:
                assert cfg.start <= month and (cfg.end is None or month < cfg.end)
    assert refused > 0  # the tight budgets did run out
    assert gov.spent("vouchers") == pytest.approx(model.timeseries()["voucher_spending"].sum())


def test_request_grants_in_order_until_the_budget_is_used():
    model = RegionModel(TINY, **TIGHT)
    gov = model.government
    left = gov.available("vouchers", 1)
    granted = gov.request("vouchers", 1, np.array([left / 2, left / 4, left / 2, 1.0]))
    assert granted.tolist() == [True, True, False, False]
    assert gov.count("refused", "vouchers", 1) == 2


def test_voucher_variant_raises_training_participation_with_the_same_seeds():
    base, variant = [], []
    vouchers = {"government.vouchers": {"enabled": True, "budget": 1e9}}
    for seed in (1, 2):
        base.append(RegionModel(TINY, seed=seed).run(12)["training_participation"].mean())
        variant.append(
            RegionModel(TINY, seed=seed, **vouchers).run(12)["training_participation"].mean()
        )
    assert all(v > b for v, b in zip(variant, base, strict=True))


def test_instrument_errors_are_located():
    with pytest.raises(ScenarioError) as err:
        load_scenario(
            TINY,
            {
                "government.vouchers.start": 10,
                "government.vouchers.end": 5,
                "learning_communities": [{"name": "x", "sector": "nope"}],
            },
        )
    text = str(err.value)
    assert "government.vouchers.end: end must be after start" in text
    assert "learning_communities.0.sector: unknown sector" in text


@pytest.mark.parametrize("path", sorted(POLICIES.glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_policy_variants_are_valid(path):
    sc = load_scenario(path)
    assert sc.transitions  # built on the combined transition scenario
