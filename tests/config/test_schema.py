"""Scenario schema: the shipped scenarios and defaults; single-field types, ranges, required."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from scenario_files import (
    ROOT,
    TINY,
    TRANSITIONS,
    line_of,
    problems,
    tiny_with,
    transitions_with,
    write,
)

from ecosim import RegionModel
from ecosim.config import ScenarioError, load_scenario


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").rglob("*.yaml")), ids=lambda p: p.name)
def test_shipped_scenarios_validate(path: Path) -> None:
    sc = load_scenario(path)
    assert sc.workforce.persons > 0
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
    expected = [(e.name, e.level, e.municipality) for e in sc.educator_list()]
    assert [(e.name, e.level, e.municipality) for e in model.educators] == expected


def test_an_educator_capacity_is_refused_since_course_places_are_the_catalogues() -> None:
    educators = [{"name": "X", "level": "hbo", "municipality": "C", "capacity": 500}]
    with pytest.raises(ScenarioError, match="capacity"):
        load_scenario(TINY, {"educators": educators})


# Numbers that must be finite, positive or bounded: what validation accepts runs.


def test_the_transitions_test_scenario_runs() -> None:
    model = RegionModel(TRANSITIONS)
    assert len(model.run(months=4)) == 5 and model.check_invariants() == []
    assert len(model.transitions.drawn) == 3


@pytest.mark.parametrize("bad", [".nan", ".inf", "-.inf"])
@pytest.mark.parametrize(
    ("old", "template", "path"),
    [
        ("month: 2,", "month: {bad},", "transitions.0.events.0.month"),
        ("jobs: 300", "jobs: {bad}", "transitions.0.events.1.jobs"),
        ("low: 1, high: 4}", "low: {bad}, high: 4}", "transitions.0.demand.1.path.start.low"),
        ("final: 0.7", "final: {bad}", "transitions.0.demand.0.path.final"),
        ("duration: 6,", "duration: {bad},", "transitions.0.demand.0.path.duration"),
        ("mean: 6", "mean: {bad}", "transitions.0.demand.1.path.duration.mean"),
        ("[6, 1.1]", "[6, {bad}]", "transitions.0.demand.2.path.points.1.1"),
    ],
)
def test_numbers_must_be_finite(
    tmp_path: Path, bad: str, old: str, template: str, path: str
) -> None:
    new = template.replace("{bad}", bad)
    file = transitions_with(tmp_path, old, new)
    (msg,) = problems(file)  # one mistake, one problem (not one per branch of the union)
    assert msg.startswith(f"{file}:{line_of(file, new)}: {path}: Input should be a finite number")


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        ("jobs: 300", "jobs: 1e15", "transitions.0.events.1.jobs", "must be between 0 and 1e+07"),
        (
            "jobs: 300",
            "jobs: 6001",
            "transitions.0.events.1.jobs",
            "an opening employs at most the labour force (workforce.persons = 6,000)",
        ),
        (
            "high: 4}\n        sector",
            "high: 1e300}\n        sector",
            "transitions.0.events.1.month",
            "triangular high must be between 0 and 1200",
        ),
        (
            "final: 0.7",
            "final: -0.5",
            "transitions.0.demand.0.path.final",
            "must be between 0 and 10",
        ),
        (
            "[6, 1.1]",
            "[6, -1.1]",
            "transitions.0.demand.2.path.points.1.1",
            "greater than or equal to 0",
        ),
        (
            "duration: 6,",
            "duration: 1e-300,",
            "transitions.0.demand.0.path.duration",
            "must be at least 1e-06 months",
        ),
        (
            "month: 2,",
            "month: 1e300,",
            "transitions.0.events.0.month",
            "must be between 0 and 1200",
        ),
    ],
)
def test_numbers_must_be_within_bounds(
    tmp_path: Path, old: str, new: str, path: str, message: str
) -> None:
    file = transitions_with(tmp_path, old, new)
    (msg,) = problems(file)
    assert msg.startswith(f"{file}:{line_of(file, new.split(chr(10))[0])}: {path}: "), msg
    assert message in msg


def test_numbers_at_their_bounds_run(tmp_path: Path) -> None:
    file = transitions_with(tmp_path, "jobs: 300", "jobs: 6000")
    text = (
        file.read_text()
        .replace("duration: 6,", "duration: 1e-6,")
        .replace("final: 1.3", "final: 10")
    )
    text = text.replace("mean: 6, sd: 2", "mean: 1200, sd: 1e300").replace("[0, 1.0]", "[-1200, 0]")
    model = RegionModel(write(tmp_path, text, "edge.yaml"))
    assert len(model.run(months=3)) == 4 and model.check_invariants() == []
    assert model.transitions.drawn["transitions.shift.demand.1.path.duration"] <= 1200


@pytest.mark.parametrize("seed", ["true", "-1", "9223372036854775808", "1.5", "'3'"])
def test_seed_must_be_an_integer_in_numpy_s_range(tmp_path: Path, seed: str) -> None:
    path = tiny_with(tmp_path, "seed: 7", f"seed: {seed}")
    (msg,) = problems(path)
    assert msg.startswith(f"{path}:{line_of(path, 'seed:')}: seed: "), msg


@pytest.mark.parametrize("name", ["../../x", "/tmp/x", "a/b", "..", ".hidden", "a\\\\b", "''"])
def test_scenario_name_must_be_a_safe_file_name(tmp_path: Path, name: str) -> None:
    path = tiny_with(tmp_path, "name: tiny", f"name: {name}")
    (msg,) = problems(path)
    assert msg.startswith(f"{path}:{line_of(path, 'name:')}: name: "), msg


def test_scenario_name_may_hold_dots_dashes_and_underscores(tmp_path: Path) -> None:
    assert load_scenario(tiny_with(tmp_path, "name: tiny", "name: tiny_2.v-1")).name == "tiny_2.v-1"
