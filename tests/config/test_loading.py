"""Scenario loading: file, line and path of every problem, bad files, dotted overrides."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scenario_files import LINE_FORMAT, TINY, line_of, problems, tiny_with, write

from ecosim.config import ScenarioError, load_scenario, parse_override


def test_unknown_field_names_path_and_line(tmp_path: Path) -> None:
    path = tiny_with(tmp_path, "  separation_rate: 0.01", "  separation_rate: 0.01\n  sepration: 3")
    (msg,) = problems(path)
    m = LINE_FORMAT.match(msg)
    assert m, msg
    assert m["file"] == str(path)
    assert int(m["line"]) == line_of(path, "sepration")
    assert m["path"] == "behaviour.sepration"
    assert "unknown field" in m["msg"] and "(got 3)" in msg


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    text = TINY.read_text().replace("months: 12", "months: -1").replace("seed: 7", "seed: x")
    msgs = problems(write(tmp_path, text))
    assert {m.split(": ")[1] for m in msgs} == {"months", "seed"}
    assert all(LINE_FORMAT.match(m) for m in msgs), msgs


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
