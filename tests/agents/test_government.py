"""The government's budgets (ecosim.agents.government): envelopes, minimum grants, exhaustion."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ecosim import RegionModel

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny.yaml"


def _model(**vouchers) -> RegionModel:
    cfg = {"enabled": True, "budget": 12_000.0, "amount_per_person_per_year": 1000, **vouchers}
    return RegionModel(TINY, **{"government.vouchers": cfg, "months": 12})


def test_a_uniform_envelope_releases_the_budget_month_by_month_and_carries_savings() -> None:
    gov = _model().government
    assert gov.envelope("vouchers", 0) == 0.0
    assert gov.envelope("vouchers", 1) == pytest.approx(1_000.0)
    assert gov.envelope("vouchers", 12) == pytest.approx(12_000.0)
    assert gov.available("vouchers", 3) == pytest.approx(3_000.0)  # months 1-2 unspent
    granted = gov.request("vouchers", 3, np.array([2_000.0, 900.0, 200.0]))
    assert granted.tolist() == [True, True, False]
    assert gov.available("vouchers", 3) == pytest.approx(100.0)


def test_an_instrument_is_open_only_with_a_grant_left_and_exhausted_when_the_budget_is() -> None:
    model = _model()
    gov = model.government
    smallest = gov.min_grant["vouchers"]
    assert smallest == pytest.approx(
        min(model.world.catalogue.cost.min(), 1000) * model.config.resolution
    )
    assert not gov.open("vouchers", 0) and gov.open("vouchers", 12)
    gov.request("vouchers", 12, np.array([12_000.0 - smallest / 2]))
    assert not gov.open("vouchers", 12)  # less than one grant is left: closed ...
    assert gov.exhausted == {"vouchers": 12}  # ... and exhausted for good
    assert not gov.request("vouchers", 12, np.array([1.0])).any()


def test_without_a_spread_the_whole_budget_is_there_from_the_start() -> None:
    gov = _model(spread="none").government
    assert gov.available("vouchers", 1) == pytest.approx(12_000.0)


def test_the_instruments_table_books_every_euro_and_count() -> None:
    model = _model(budget=1e7)
    model.run()
    table = model.government.table(model.month)
    assert set(table["instrument"]) == {"vouchers"}
    assert table["spent"].sum() == pytest.approx(model.government.spent("vouchers"))
    assert table["spent"].sum() == pytest.approx(model.timeseries()["voucher_spending"].sum())
    assert (table["granted"] + table["refused"] == table["applications"]).all()
    assert (table["spent"].cumsum() <= table["envelope"] + 1e-6).all()
