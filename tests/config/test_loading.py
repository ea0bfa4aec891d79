"""Scenario loading: file, line and path of every problem, bad files, dotted overrides."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from scenario_files import LINE_FORMAT, TINY, line_of, problems, tiny_with, write

from ecosim.config import ScenarioError, load_scenario, loading, parse_override, read_yaml


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


# Hostile and careless files: bounded work, a located problem, never a traceback.


def _laughs(levels: int) -> str:
    """A "billion laughs" file: each level's list repeats the previous one nine times."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_at_the_line_that_exceeds_the_bound(tmp_path: Path) -> None:
    path = write(tmp_path, _laughs(9))  # 9**9 values once expanded
    (msg,) = problems(path)
    assert f"more than {loading.MAX_NODES:,} values once aliases are expanded" in msg
    assert msg.startswith(f"{path}:7: l6:"), msg  # 9**7 is the first level above 10**6


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "name: x\nskills: &a [*a]\n")
    (msg,) = problems(path)
    assert msg.startswith(f"{path}:2: skills:") and "inside the node it names" in msg


@pytest.mark.parametrize(
    "text",
    ["skills: " + "[" * 20_000 + "]" * 20_000, "skills: " + "{a: " * 3_000 + "1" + "}" * 3_000],
    ids=["20000-deep-lists", "3000-deep-mappings"],
)
def test_deep_nesting_is_refused(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text + "\n")
    (msg,) = problems(path)
    assert f"nested deeper than {loading.MAX_DEPTH} levels" in msg
    assert msg.startswith(f"{path}:1: skills.")


def test_nesting_up_to_the_bound_loads_and_one_level_more_does_not(tmp_path: Path) -> None:
    depth = loading.MAX_DEPTH - 1  # the top-level mapping is one level
    data, _ = read_yaml(write(tmp_path, "x: " + "[" * depth + "]" * depth + "\n"))
    for _ in range(depth):
        data = next(iter(data.values())) if isinstance(data, dict) else data[0]
    assert data == []
    deeper = write(tmp_path, "x: " + "[" * (depth + 1) + "]" * (depth + 1) + "\n", "deeper.yaml")
    with pytest.raises(ScenarioError, match="nested deeper than"):
        read_yaml(deeper)


def test_duplicate_key_names_the_key_and_both_lines(tmp_path: Path) -> None:
    text = TINY.read_text() + "behaviour:\n  separation_rate: 0.02\n"
    path = write(tmp_path, text)
    (msg,) = problems(path)
    first, second = line_of(path, "behaviour:"), len(text.splitlines()) - 1
    assert msg == (
        f"{path}:{second}: behaviour: duplicate key 'behaviour': on line {first} and again "
        f"on line {second}"
    )


def test_duplicate_nested_key_has_its_path(tmp_path: Path) -> None:
    path = tiny_with(
        tmp_path, "  separation_rate: 0.01", "  separation_rate: 0.01\n  separation_rate: 0.03"
    )
    (msg,) = problems(path)
    assert msg.startswith(
        f"{path}:{line_of(path, 'separation_rate: 0.03')}: behaviour.separation_rate:"
    )


def test_keys_that_are_not_text_are_reported_at_their_line(tmp_path: Path) -> None:
    text = TINY.read_text() + "1: 2\n~: 3\n"
    path = write(tmp_path, text)
    found = problems(path)
    n = len(text.splitlines())
    assert sorted(found) == sorted(
        [
            f"{path}:{n - 1}: 1: Keys should be strings (got 1)",
            f"{path}:{n}: None: Keys should be strings (got None)",
        ]
    )


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!set {tech: null, care: null}", "!!set"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!custom [a]", "!custom"),
        ("2024-01-01", "!!timestamp"),
    ],
)
def test_tags_other_than_the_plain_ones_are_refused(tmp_path: Path, value: str, tag: str) -> None:
    path = tiny_with(tmp_path, "skills: [tech, care, office]", f"skills: {value}")
    (msg,) = problems(path)
    assert msg.startswith(
        f"{path}:{line_of(path, 'skills:')}: skills: YAML tag {tag} is not allowed"
    )


def test_anchors_merges_and_plain_explicit_tags_still_load(tmp_path: Path) -> None:
    path = tiny_with(
        tmp_path,
        "  - name: care\n    share: 0.5",
        "  - name: care\n    share: !!float 0.5",
    )
    text = (
        path.read_text()
        .replace("{count: 120}", "&emp {count: 120, <<: {sigma: 1.5}}")
        .replace("{count: 80, distribution: equal}", "{<<: *emp, count: 80, distribution: equal}")
    )
    sc = load_scenario(write(tmp_path, text))
    assert [s.employers.count for s in sc.sectors] == [120, 80]
    assert [s.employers.sigma for s in sc.sectors] == [1.5, 1.5]
    assert sc.sectors[1].employers.distribution == "equal" and sc.sectors[1].share == 0.5


def test_files_that_are_not_regular_are_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # opening it for reading would block until a writer comes
    for path in (Path("/dev/zero"), fifo):
        (msg,) = problems(path)
        assert msg == f"{path}: not a regular file (a device, pipe or socket); give a YAML file"
    (msg,) = problems(tmp_path)
    assert msg == f"{tmp_path}: not a regular file (a directory); give a YAML file"


def test_file_size_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "MAX_FILE_BYTES", 2**20)
    path = write(tmp_path, TINY.read_text() + "#" * 2**20)
    (msg,) = problems(path)
    assert msg == f"{path}: file is larger than 1 MiB; is it a scenario?"


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"name: \xff\xfe\n")
    (msg,) = problems(path)
    assert "not UTF-8 text" in msg and "at byte 6" in msg


def test_override_values_are_loaded_as_files_are() -> None:
    with pytest.raises(ScenarioError) as info:
        parse_override("skills=!!set {a, b}")
    (problem,) = info.value.problems
    assert problem.source == "--set skills=!!set {a, b}" and problem.path == "skills"
    assert "YAML tag !!set is not allowed" in problem.message


def test_a_string_of_overrides_is_a_type_error_saying_what_to_write() -> None:
    with pytest.raises(TypeError, match=r"not a str; write \['resolution=46'\]"):
        load_scenario(TINY, "resolution=46")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        ({1: 2}, "override keys must be dotted paths .* not 1 \\(int\\)"),
        (["seed=1", 3], "must be a 'KEY=VALUE' string, not 3"),
        (42, "not a int"),
    ],
)
def test_overrides_of_the_wrong_kind_are_type_errors(overrides, match: str) -> None:
    with pytest.raises(TypeError, match=match):
        load_scenario(TINY, overrides)


def test_an_override_that_creates_an_unknown_section_is_blamed() -> None:
    (msg,) = problems(TINY, ["foo.bar=1"])
    assert msg == "--set foo.bar=1: foo: unknown field"
