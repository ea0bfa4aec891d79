"""The idiomatic Mesa reference (benchmarks/mesa_reference.py) runs, stays consistent and behaves
like RegionModel in aggregate. No timing is asserted here (see benchmarks/bench_model.py)."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

from ecosim import RegionModel, load_scenario
from ecosim.state import Status

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "rijnmond.yaml"
sys.path.insert(0, str(ROOT / "benchmarks"))

from mesa_reference import EmployerAgent, MesaReferenceModel, WorkerAgent  # noqa: E402

SIZE = 4_000
MONTHS = 12


def _small_overrides() -> dict[str, object]:
    """The region at ``SIZE`` worker agents (and its employers at the same resolution)."""
    return {"resolution": load_scenario(SCENARIO).workforce.persons / SIZE}


@pytest.fixture(scope="module")
def runs() -> tuple[RegionModel, MesaReferenceModel, list[list[str]]]:
    fast = RegionModel(SCENARIO, **_small_overrides())
    ref = MesaReferenceModel.from_region_model(fast)
    problems = [ref.check_invariants()]
    for _ in range(MONTHS):
        fast.step()
        ref.step()
        problems.append(ref.check_invariants())
    return fast, ref, problems


def test_reference_starts_from_the_fast_models_state(runs):
    fast, ref, _ = runs
    ts = ref.datacollector.get_model_vars_dataframe()
    assert ts["unemployment_rate"].iloc[0] == pytest.approx(
        fast.timeseries()["unemployment_rate"].iloc[0]
    )
    assert len(ref.agents_by_type[EmployerAgent]) == fast.employers.n


def test_reference_keeps_its_invariants_every_month(runs):
    _, ref, problems = runs
    assert ref.month == MONTHS
    for month, found in enumerate(problems):
        assert found == [], f"month {month}: {found[:5]}"


def test_headcounts_equal_workers_pointing_at_employers(runs):
    _, ref, _ = runs
    employed = [w for w in ref.agents_by_type[WorkerAgent] if w.status == Status.EMPLOYED]
    assert sum(
        len(staff) for e in ref.agents_by_type[EmployerAgent] for staff in e.staff.values()
    ) == len(employed)
    assert all(w in w.employer.staff[w.occupation] for w in employed)


def test_reference_has_flows_in_every_direction(runs):
    _, ref, _ = runs
    ts = ref.datacollector.get_model_vars_dataframe().iloc[1:]
    for column in ("hires", "separations", "retirements", "entrants"):
        assert ts[column].sum() > 0, column


def test_unemployment_close_to_the_fast_model_after_a_year(runs):
    fast, ref, _ = runs
    u_ref = ref.datacollector.get_model_vars_dataframe()["unemployment_rate"].iloc[-1]
    u_fast = fast.indicators["unemployment_rate"]
    assert not math.isnan(u_ref) and 0.0 < u_ref < 0.2
    assert abs(u_ref - u_fast) <= 0.03, (u_ref, u_fast)
