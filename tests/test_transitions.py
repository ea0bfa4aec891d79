"""Transitions: path formulas, demand response, closures, content drift, uncertainty, extends."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from ecosim import RegionModel, ScenarioError, load_scenario
from ecosim.cli import app
from ecosim.config import TimePath
from ecosim.transitions import (
    Transitions,
    demand_multiplier,
    drift_share,
    linear_progress,
    logistic_progress,
    sine_multiplier,
    step_progress,
    table_value,
)

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


# --------------------------------------------------------------------------- path formulas


def test_logistic_passes_5_50_95_percent() -> None:
    start, duration = 10.0, 40.0
    p = logistic_progress([start, start + duration / 2, start + duration], start, duration)
    np.testing.assert_allclose(p, [0.05, 0.5, 0.95], rtol=1e-12)
    t = 17.0
    k = 2 * math.log(19) / duration
    assert logistic_progress(t, start, duration) == pytest.approx(
        1 / (1 + math.exp(-k * (t - start - duration / 2))), rel=1e-14
    )


def test_linear_and_step() -> None:
    np.testing.assert_allclose(linear_progress([0, 5, 10, 15, 30], 5, 10), [0, 0, 0.5, 1, 1])
    np.testing.assert_array_equal(step_progress([0, 4.9, 5, 6], 5), [0, 0, 1, 1])


def test_table_interpolates_and_is_constant_beyond_ends() -> None:
    pts = [(10, 2.0), (0, 1.0), (20, 1.5)]
    np.testing.assert_allclose(
        table_value([-5, 0, 5, 10, 15, 20, 99], pts), [1.0, 1.0, 1.5, 2.0, 1.75, 1.5, 1.5]
    )


@pytest.mark.parametrize("kind", ["logistic", "linear", "step"])
def test_demand_multiplier_and_drift_share_formulas(kind: str) -> None:
    path = TimePath(kind=kind, start=12, duration=24, final=0.7)
    t = np.arange(0, 60)
    p = {
        "logistic": logistic_progress(t, 12, 24),
        "linear": linear_progress(t, 12, 24),
        "step": step_progress(t, 12),
    }[kind]
    np.testing.assert_allclose(demand_multiplier(path, t), 1 + (0.7 - 1) * p)
    np.testing.assert_allclose(drift_share(path, t), 0.7 * p)


def test_sine_is_one_before_start_then_a_cycle_of_its_period() -> None:
    path = TimePath(kind="sine", start=10, amplitude=0.065, period=103)
    t = np.array([0.0, 9.9, 10.0, 10 + 103 / 4, 10 + 103 / 2, 10 + 3 * 103 / 4, 10 + 103])
    np.testing.assert_allclose(
        demand_multiplier(path, t), [1, 1, 1, 1.065, 1, 0.935, 1], rtol=0, atol=1e-12
    )
    t = np.arange(10, 500)
    np.testing.assert_allclose(
        sine_multiplier(t, 10, 103, 0.065), 1 + 0.065 * np.sin(2 * np.pi * (t - 10) / 103)
    )


def test_a_sine_path_naming_nothing_moves_every_job() -> None:
    cycle = {
        "name": "cycle",
        "demand": [{"path": {"kind": "sine", "start": 0, "amplitude": 0.1, "period": 40}}],
    }
    model = RegionModel(load_scenario(TINY, {"transitions": [cycle]}))
    np.testing.assert_allclose(model.transitions.demand_factor(10), 1.1)
    np.testing.assert_allclose(model.transitions.demand_factor(30), 0.9)


def test_drawn_cycle_amplitude_and_period_stay_in_range() -> None:
    path = {
        "kind": "sine",
        "amplitude": {"dist": "normal", "mean": 5, "sd": 0.1},
        "period": {"dist": "normal", "mean": 0.0, "sd": 1e-9},  # every draw below 1e-6
    }
    model = RegionModel(
        load_scenario(TINY, {"transitions": [{"name": "c", "demand": [{"path": path}]}]})
    )
    drawn = model.transitions.transitions[0].demand[0].path
    assert drawn.amplitude == 1.0
    assert drawn.period == 1e-6
    path["period"] = {"dist": "normal", "mean": -50, "sd": 0.1}
    with pytest.raises(ScenarioError, match="period: normal mean must be between 0 and 1200"):
        load_scenario(TINY, {"transitions": [{"name": "c", "demand": [{"path": path}]}]})


# --------------------------------------------------------------------------- demand response


# --------------------------------------------------------------------------- events


# --------------------------------------------------------------------------- content drift


# --------------------------------------------------------------------------- uncertainty


UNCERTAIN = {
    "name": "u",
    "demand": [
        {
            "sector": "industry",
            "path": {
                "kind": "logistic",
                "start": {"dist": "uniform", "low": 6, "high": 30},
                "duration": {"dist": "normal", "mean": 24, "sd": 4},
                "final": 0.8,
            },
        }
    ],
    "events": [
        {
            "kind": "closure",
            "sector": "care",
            "month": {"dist": "triangular", "low": 3, "mode": 6, "high": 12},
        }
    ],
}


def test_distributions_are_drawn_per_seed_and_recorded() -> None:
    a = RegionModel(load_scenario(TINY, {"transitions": [UNCERTAIN]}))
    b = RegionModel(load_scenario(TINY, {"transitions": [UNCERTAIN]}))
    c = RegionModel(load_scenario(TINY, {"transitions": [UNCERTAIN], "seed": 99}))
    keys = {
        "transitions.u.demand.0.path.start",
        "transitions.u.demand.0.path.duration",
        "transitions.u.events.0.month",
    }
    assert set(a.transitions.drawn) == keys
    assert a.transitions.drawn == b.transitions.drawn
    assert a.transitions.drawn != c.transitions.drawn
    assert 6 <= a.transitions.drawn["transitions.u.demand.0.path.start"] <= 30
    assert 3 <= a.transitions.drawn["transitions.u.events.0.month"] <= 12


def test_without_distributions_transitions_are_deterministic() -> None:
    plain = {
        "name": "p",
        "demand": [{"sector": "industry", "path": {"kind": "linear", "start": 2, "duration": 10}}],
    }
    sc = load_scenario(TINY, {"transitions": [plain]})
    t1 = Transitions(sc, np.random.default_rng(1))
    t2 = Transitions(sc, np.random.default_rng(2))
    assert t1.drawn == {}
    for month in (0, 5, 20):
        np.testing.assert_array_equal(t1.demand_factor(month), t2.demand_factor(month))


# --------------------------------------------------------------------------- extends


def test_extends_merges_by_key_and_by_name(tmp_path: Path) -> None:
    variant = tmp_path / "variant.yaml"
    variant.write_text(
        f"extends: {TINY}\n"
        "name: variant\n"
        "behaviour: {separation_rate: 0.02}\n"
        "occupations:\n"
        "  - {name: nurse, base_wage: 3300}\n"
        "transitions:\n"
        "  - name: t\n"
        "    demand: [{sector: care, path: {kind: step, start: 3, final: 1.1}}]\n"
    )
    sc = load_scenario(variant)
    base = load_scenario(TINY)
    assert sc.name == "variant" and sc.behaviour.separation_rate == 0.02
    assert sc.behaviour.graduate_inflow == base.behaviour.graduate_inflow  # kept from base
    nurse = next(o for o in sc.occupations if o.name == "nurse")
    assert nurse.base_wage == 3300 and nurse.requirements == {"care": 0.8}  # merged by name
    assert [o.name for o in sc.occupations] == [o.name for o in base.occupations]
    assert sc.transitions[0].demand[0].sector == "care"


def test_bad_value_in_variant_names_the_variant_file(tmp_path: Path) -> None:
    variant = tmp_path / "variant.yaml"
    variant.write_text(f"extends: {TINY}\nbehaviour:\n  separation_rate: 0.9\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(variant)
    (msg,) = map(str, info.value.problems)
    assert msg.startswith(f"{variant}:3: behaviour.separation_rate:")


def test_bad_value_in_base_names_the_base_file(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_text(TINY.read_text().replace("months: 12", "months: -3"))
    variant = tmp_path / "variant.yaml"
    variant.write_text("extends: base.yaml\nseed: 3\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(variant)
    (msg,) = map(str, info.value.problems)
    line = next(i for i, s in enumerate(base.read_text().splitlines(), 1) if "months" in s)
    assert msg.startswith(f"{base.resolve()}:{line}: months:")


def test_extends_cycle_and_missing_base(tmp_path: Path) -> None:
    a = tmp_path / "a.yaml"
    a.write_text("extends: a.yaml\n")
    with pytest.raises(ScenarioError, match="cycle"):
        load_scenario(a)
    b = tmp_path / "b.yaml"
    b.write_text("extends: nowhere.yaml\n")
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(b)


# --------------------------------------------------------------------------- regions, library


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_library_runs_at_reduced_size(path: Path) -> None:
    model = RegionModel(path, **{"resolution": 575, "months": 12})
    for _ in range(12):
        model.step()
    assert model.check_invariants() == []


def test_combined_scenario_end_to_end_through_cli(tmp_path: Path) -> None:
    out = tmp_path / "combined"
    result = CliRunner().invoke(
        app,
        [
            "run",
            str(ROOT / "scenarios" / "rijnmond_combined.yaml"),
            "--out",
            str(out),
            "--months",
            "70",
            "--resolution",
            "345",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (out / "timeseries.parquet").exists()
