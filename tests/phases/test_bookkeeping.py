"""Bookkeeping (ecosim.phases.bookkeeping): benefits booked with the government."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ecosim import RegionModel
from ecosim.state import Status

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


def test_spells_count_full_months_so_long_term_means_twelve_of_them() -> None:
    # Nobody is hired (no worker fits a vacancy perfectly) and nobody stops searching, so
    # spells run on.
    overrides = {"matching.acceptance_threshold": 1.0, "labour_supply.exit_rate_unemployed": 0}
    model = RegionModel(TINY, **overrides)
    model.step()
    w = model.workers
    new = np.flatnonzero((w.view("status") == Status.UNEMPLOYED) & (w.view("spell_start") == 1))
    assert new.size > 0
    assert np.all(w.unemployment_months[new] == 0)  # the month the spell began: no full month
    for month in range(2, 14):
        model.step()
        still = new[(w.status[new] == Status.UNEMPLOYED) & (w.spell_start[new] == 1)]
        assert np.all(w.unemployment_months[still] == month - 1)
    unemployed = np.flatnonzero(w.view("status") == Status.UNEMPLOYED)
    durations = w.unemployment_months[unemployed]
    assert np.array_equal(durations, model.month - w.spell_start[unemployed])
    expected = np.count_nonzero(durations >= 12) / unemployed.size
    assert model.indicators["long_term_unemployed_share"] == expected
    assert np.all(w.unemployment_months[still] == 12)  # month 13: twelve full months, long-term
