"""Scenario schema: valid files load; every kind of bad input is reported with file, line, path."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from ecosim.config import ScenarioError, load_scenario, parse_override

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
LINE_FORMAT = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<path>[\w.\-]+): (?P<msg>.+)$")


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def tiny_with(tmp_path: Path, old: str, new: str) -> Path:
    text = TINY.read_text()
    assert old in text, f"test setup: {old!r} not in tiny.yaml"
    return write(tmp_path, text.replace(old, new, 1))


def line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not found")


def problems(path: Path, overrides=None) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, overrides)
    return [str(p) for p in info.value.problems]


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


def test_unknown_field_names_path_and_line(tmp_path: Path) -> None:
    path = tiny_with(tmp_path, "  separation_rate: 0.01", "  separation_rate: 0.01\n  sepration: 3")
    (msg,) = problems(path)
    m = LINE_FORMAT.match(msg)
    assert m, msg
    assert m["file"] == str(path)
    assert int(m["line"]) == line_of(path, "sepration")
    assert m["path"] == "behaviour.sepration"
    assert "unknown field" in m["msg"] and "(got 3)" in msg


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


def test_shares_must_sum_to_one(tmp_path: Path) -> None:
    path = tiny_with(tmp_path, "{technician: 0.6, engineer: 0.3", "{technician: 0.7, engineer: 0.3")
    (msg,) = problems(path)
    assert "sectors.0.occupations: occupation shares must sum to 1" in msg
    assert "(got 1.1)" in msg
    assert msg.startswith(f"{path}:{line_of(path, 'technician: 0.7')}:")


def test_undefined_references_are_named(tmp_path: Path) -> None:
    text = TINY.read_text()
    text = text.replace("requirements: {care: 0.8}", "requirements: {caring: 0.8}")
    text = text.replace("{nurse: 0.8, analyst: 0.2}", "{nurse: 0.8, analist: 0.2}")
    text += "educators:\n  - {name: X, level: mbo, municipality: Nowhere}\n"
    text += "distances:\n  - {between: [A, Atlantis], km: 3}\n"
    msgs = problems(write(tmp_path, text))
    joined = "\n".join(msgs)
    assert len(msgs) == 4, joined
    assert "occupations.2.requirements.caring: unknown skill" in joined
    assert "defined skills are: care, office, tech" in joined
    assert "sectors.1.occupations.analist: unknown occupation" in joined
    assert "educators.0.municipality: unknown municipality" in joined
    assert "defined municipalities are: A, B, C" in joined
    assert "distances.0.between: unknown municipality" in joined
    assert "(got 'Nowhere')" in joined


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    text = TINY.read_text().replace("months: 12", "months: -1").replace("seed: 7", "seed: x")
    msgs = problems(write(tmp_path, text))
    assert {m.split(": ")[1] for m in msgs} == {"months", "seed"}
    assert all(LINE_FORMAT.match(m) for m in msgs), msgs


def test_missing_required_field(tmp_path: Path) -> None:
    text = TINY.read_text().replace("name: tiny\n", "")
    text = re.sub(r"workforce:\n(  .*\n|    .*\n)+", "", text)
    (msg,) = problems(write(tmp_path, text))
    assert "workforce: required field is missing" in msg


def test_empty_file(tmp_path: Path) -> None:
    (msg,) = problems(write(tmp_path, "# nothing here\n"))
    assert "file is empty" in msg


def test_non_mapping_file(tmp_path: Path) -> None:
    (msg,) = problems(write(tmp_path, "- a\n- b\n"))
    assert "top level must be a mapping" in msg and "list" in msg


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    path = write(tmp_path, "seed: 1\nmonths: [1, 2\nscale: 3\n")
    (msg,) = problems(path)
    assert re.match(rf"^{re.escape(str(path))}:\d+: YAML syntax error", msg), msg


def test_missing_file(tmp_path: Path) -> None:
    (msg,) = problems(tmp_path / "nope.yaml")
    assert "file not found" in msg


def test_unsafe_tags_are_not_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = write(tmp_path, f"seed: !!python/object/apply:os.system ['touch {marker}']\n")
    (msg,) = problems(path)
    assert "YAML" in msg
    assert not marker.exists()


def test_duplicate_names(tmp_path: Path) -> None:
    path = tiny_with(tmp_path, "skills: [tech, care, office]", "skills: [tech, care, office, tech]")
    (msg,) = problems(path)
    assert "skills.3: duplicate skill name (got 'tech')" in msg


def test_municipality_needs_coordinates_or_distances(tmp_path: Path) -> None:
    path = tiny_with(tmp_path, "jobs: 0.1, x_km: 0, y_km: 20}", "jobs: 0.1}")
    (msg,) = problems(path)
    assert "regions.0.municipalities.2: no coordinates" in msg


def test_overrides_by_key_index_and_name() -> None:
    sc = load_scenario(
        TINY,
        [
            "behaviour.separation_rate=0.02",
            "occupations.nurse.base_wage=3100",
            "sectors.0.employers.count=5",
            "matching.mode=stable",
        ],
    )
    assert sc.behaviour.separation_rate == 0.02
    assert sc.occupations[2].base_wage == 3100
    assert sc.sectors[0].employers.count == 5
    assert sc.matching.mode == "stable"
    assert load_scenario(TINY, {"months": 3}).months == 3


def test_bad_override_value_is_reported_as_override() -> None:
    msgs = problems(TINY, ["behaviour.separation_rate=2"])
    (msg,) = msgs
    assert msg.startswith("--set behaviour.separation_rate=2: behaviour.separation_rate: ")
    assert "(got 2)" in msg


def test_override_of_unknown_list_item() -> None:
    (msg,) = problems(TINY, ["occupations.pilot.base_wage=1"])
    assert "no item 'pilot' in list occupations" in msg


def test_override_of_unknown_key_is_unknown_field() -> None:
    (msg,) = problems(TINY, ["behaviour.speed=1"])
    assert "behaviour.speed: unknown field" in msg


def test_override_mode_is_checked_against_allowed_values() -> None:
    (msg,) = problems(TINY, ["matching.mode=greedy"])
    assert "matching.mode" in msg and "'search', 'stable' or 'optimal'" in msg


@pytest.mark.parametrize("text", ["novalue", "=3"])
def test_malformed_override(text: str) -> None:
    with pytest.raises(ScenarioError, match="expected KEY=VALUE"):
        parse_override(text)
