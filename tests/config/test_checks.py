"""Scenario semantic checks: shares, references by name, unique names, coordinates."""

from __future__ import annotations

from pathlib import Path

from scenario_files import TINY, line_of, problems, tiny_with, write

from ecosim.config import load_scenario


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


def test_duplicate_names(tmp_path: Path) -> None:
    path = tiny_with(tmp_path, "skills: [tech, care, office]", "skills: [tech, care, office, tech]")
    (msg,) = problems(path)
    assert "skills.3: duplicate skill name (got 'tech')" in msg


def test_municipality_needs_coordinates_or_distances(tmp_path: Path) -> None:
    path = tiny_with(tmp_path, "jobs: 0.1, x_km: 0, y_km: 20}", "jobs: 0.1}")
    (msg,) = problems(path)
    assert "regions.0.municipalities.2: no coordinates" in msg


def test_learning_communities_name_default_or_listed_educators(tmp_path: Path) -> None:
    community = "learning_communities:\n  - {name: lc, sector: industry, educators: [R-hbo, X]}\n"
    (msg,) = problems(write(tmp_path, TINY.read_text() + community))
    assert "learning_communities.0.educators: unknown educator" in msg
    assert "defined educators are: R-hbo, R-mbo, R-wo (got 'X')" in msg
    listed = "educators:\n  - {name: X, level: mbo, municipality: A}\n"
    (msg,) = problems(write(tmp_path, TINY.read_text() + community + listed))
    assert "defined educators are: X (got 'R-hbo')" in msg


def test_region_name_too_long_for_its_default_educators(tmp_path: Path) -> None:
    long = "R" * 80
    path = tiny_with(tmp_path, "  - name: R\n", f"  - name: {long}\n")
    (msg,) = problems(path)
    assert msg.startswith(f"{path}:{line_of(path, long)}: regions.0.name: names its default")
    assert "at most 80 characters; shorten it or list educators" in msg
    listed = "educators:\n  - {name: X, level: mbo, municipality: A}\n"
    assert load_scenario(write(tmp_path, path.read_text() + listed)).regions[0].name == long


def test_sine_paths_need_a_period_an_amplitude_within_one_and_a_demand(tmp_path: Path) -> None:
    cycle = "{kind: sine, amplitude: 1.5, period: 0}"
    text = TINY.read_text() + (
        "transitions:\n"
        "  - name: cycle\n"
        f"    demand: [{{path: {cycle}}}]\n"
        f"    drift: [{{occupations: [nurse], toward: {{care: 1.0}}, path: {{kind: sine}}}}]\n"
    )
    path = write(tmp_path, text)
    msgs = problems(path)
    joined = "\n".join(msgs)
    assert len(msgs) == 3, joined
    line = line_of(path, "demand: [")
    assert f"{path}:{line}: transitions.0.demand.0.path.period: must be > 0 (got 0.0)" in joined
    assert "transitions.0.demand.0.path.amplitude: must be between -1 and 1" in joined
    assert "transitions.0.drift.0.path.kind: a sine path is a demand cycle" in joined


def test_del_rio_chanona_parameters_without_their_rule_are_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path, TINY.read_text() + "labour_demand:\n  del_rio_chanona: {delta_u: 0.02}\n"
    )
    (msg,) = problems(path)
    assert msg.startswith(f"{path}:{line_of(path, 'del_rio_chanona:')}: ")
    assert "labour_demand.del_rio_chanona: has no effect unless labour_demand.rule is" in msg
    wrong = write(tmp_path, TINY.read_text() + "labour_demand:\n  rule: drc\n")
    (msg,) = problems(wrong)
    assert msg.startswith(f"{wrong}:{line_of(wrong, 'rule: drc')}: labour_demand.rule: ")
    assert "'ecosim' or 'del_rio_chanona' (got 'drc')" in msg
    rule = "labour_demand:\n  rule: del_rio_chanona\n  del_rio_chanona: {delta_u: 0.02}\n"
    scenario = load_scenario(write(tmp_path, TINY.read_text() + rule))
    assert scenario.labour_demand.del_rio_chanona.delta_u == 0.02
