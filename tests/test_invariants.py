"""Invariants of the state (ecosim.invariants): kept every step, and detected when broken."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ecosim import RegionModel
from ecosim.agents import Worker
from ecosim.state import NO_EMPLOYER, Status

ROOT = Path(__file__).resolve().parents[1]


TINY = ROOT / "tests" / "data" / "tiny.yaml"


def active_count(model: RegionModel) -> int:
    return int(np.count_nonzero(model.workers.present()))


def test_invariants_hold_every_step() -> None:
    model = RegionModel(TINY, **{"resolution": 4})
    assert model.check_invariants() == []
    for _ in range(36):
        before = active_count(model)
        model.step()
        assert model.check_invariants() == [], f"month {model.month}"
        flows = model.flows
        left = flows.retirements + flows.early_retirements
        assert active_count(model) == before + flows.entrants - left
        assert len(model.agents_by_type[Worker]) == active_count(model)
        active_ages = model.workers.view("age")[model.workers.present()]
        assert active_ages.max() < model.config.behaviour.retirement_age
    ts = model.timeseries()
    assert ts["retirements"].sum() > 0 and ts["entrants"].sum() > 0
    assert ts["hires"].iloc[1:].min() > 0


def test_invariants_detect_a_broken_state() -> None:
    model = RegionModel(TINY)
    row = int(np.flatnonzero(model.workers.view("status") == Status.EMPLOYED)[0])
    model.workers.employer[row] = NO_EMPLOYER
    assert any("not employed" in p or "no existing" in p for p in model.check_invariants())
    model = RegionModel(TINY)
    model.employers.headcount[0, 0] += 1
    assert any("headcounts" in p for p in model.check_invariants())


def test_invariants_detect_stale_shared_quantities() -> None:
    model = RegionModel(TINY, **{"resolution": 4})
    model.step()
    assert model.flows.shortfall_of_employed is not None  # the indicators used the shared one
    gap = model.flows.shortfall_of_employed[1]
    gap[0] += 0.01  # as if a phase after the training decisions had changed a skill
    assert "the shortfall of the employed shared with the indicators is stale" in (
        model.check_invariants()
    )
    row = int(model.workers.rows_with(Status.EMPLOYED)[0])
    model.workers._status[row] = Status.UNEMPLOYED  # a write that bypasses set_status
    problems = model.check_invariants()
    assert "the index set of the employed differs from the status column" in problems
    assert "the index set of the unemployed differs from the status column" in problems
