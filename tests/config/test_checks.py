"""Scenario semantic checks: shares, references by name, unique names, coordinates."""

from __future__ import annotations

from pathlib import Path

from scenario_files import TINY, line_of, problems, tiny_with, write


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
