"""Scenario schema: the shipped scenarios and defaults; single-field types, ranges, required."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from scenario_files import ROOT, TINY, line_of, problems, tiny_with, write

from ecosim import RegionModel
from ecosim.config import load_scenario


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").rglob("*.yaml")), ids=lambda p: p.name)
def test_shipped_scenarios_validate(path: Path) -> None:
    sc = load_scenario(path)
    assert sc.workforce.size > 0
    assert sc.requirement_matrix().shape == (len(sc.occupations), len(sc.skills))


def test_tiny_loads_with_defaults_and_derived_arrays() -> None:
    sc = load_scenario(TINY)
    assert sc.seed == 7 and sc.months == 12
    assert sc.behaviour.separation_rate == 0.01
    assert sc.behaviour.retirement_age == 67.0  # schema default
    assert sc.matching.mode == "search"
    req = sc.requirement_matrix()
    assert req[1].tolist() == [0.9, 0.0, 0.3]
    dist = sc.distance_matrix()
    assert dist[0, 1] == pytest.approx(10.0) and dist[1, 2] == pytest.approx(np.hypot(10, 20))
    np.testing.assert_array_equal(sc.skill_weight_vector(), [1.0, 1.0, 1.0])


def test_wrong_type_reports_value(tmp_path: Path) -> None:
    path = tiny_with(tmp_path, "months: 12", "months: twelve")
    (msg,) = problems(path)
    assert msg.startswith(f"{path}:{line_of(path, 'months:')}: months: ")
    assert "integer" in msg and "(got 'twelve')" in msg


def test_out_of_range_reports_bound(tmp_path: Path) -> None:
    path = tiny_with(tmp_path, "separation_rate: 0.01", "separation_rate: 1.5")
    (msg,) = problems(path)
    assert f":{line_of(path, 'separation_rate')}: behaviour.separation_rate: " in msg
    assert "less than or equal to 0.2" in msg and "(got 1.5)" in msg


def test_missing_required_field(tmp_path: Path) -> None:
    text = TINY.read_text().replace("name: tiny\n", "")
    text = re.sub(r"workforce:\n(  .*\n|    .*\n)+", "", text)
    (msg,) = problems(write(tmp_path, text))
    assert "workforce: required field is missing" in msg


def test_educator_list_defaults_to_one_per_region_and_level_where_most_residents_live() -> None:
    moved = {
        "regions.R.municipalities.A.residents": 0.3,
        "regions.R.municipalities.B.residents": 0.5,
    }
    sc = load_scenario(TINY, moved)
    assert not sc.educators
    defaults = sc.educator_list()
    assert [(e.name, e.level, e.municipality) for e in defaults] == [
        ("R-mbo", "mbo", "B"),
        ("R-hbo", "hbo", "B"),
        ("R-wo", "wo", "B"),
    ]
    assert defaults == sc.regions[0].default_educators()
    listed = load_scenario(
        TINY, {"educators": [{"name": "X", "level": "hbo", "municipality": "C"}]}
    )
    assert listed.educator_list() == list(listed.educators)


@pytest.mark.parametrize("listed", [False, True])
def test_the_model_places_the_educators_of_educator_list(listed: bool) -> None:
    educators = [{"name": "X", "level": "hbo", "municipality": "C"}]
    sc = load_scenario(TINY, {"educators": educators} if listed else None)
    model = RegionModel(sc)
    expected = [(e.name, e.level, e.municipality, e.capacity) for e in sc.educator_list()]
    assert [(e.name, e.level, e.municipality, e.capacity) for e in model.educators] == expected
