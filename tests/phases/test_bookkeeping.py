"""Bookkeeping (ecosim.phases.bookkeeping): benefits booked with the government."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecosim import RegionModel

ROOT = Path(__file__).resolve().parents[2]


TINY = ROOT / "tests" / "data" / "tiny.yaml"


@pytest.fixture(scope="module")
def tiny_run() -> RegionModel:
    model = RegionModel(TINY)
    model.run(24)
    return model


def test_unemployed_receive_benefits_booked_with_government(tiny_run: RegionModel) -> None:
    gov = tiny_run.government
    ts = tiny_run.timeseries()
    assert gov.spent("unemployment_benefits") == pytest.approx(ts["benefit_spending"].sum())
    assert gov.spent("unemployment_benefits", 5) == pytest.approx(ts["benefit_spending"].loc[5])
    assert ts["benefit_spending"].iloc[1:].min() > 0
