"""Distributions: one vocabulary (dist, sd, the kinds) for scenarios and sweeps; old names."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

from scenario_files import TINY, line_of, problems, write
from typer.testing import CliRunner

from ecosim.cli import app
from ecosim.config import DIST_PARAMETERS, Normal, ScenarioDist, SweepDist, Triangular, Uniform
from ecosim.sweep import Distribution

TRANSITION = """\
transitions:
  - name: t
    demand:
      - sector: industry
        path:
          kind: logistic
          start: {START}
          duration: {DURATION}
"""


def with_path(tmp_path: Path, start: str, duration: str) -> Path:
    """tiny.yaml with a logistic demand path whose start and duration are as given."""
    text = TRANSITION.replace("{START}", start).replace("{DURATION}", duration)
    return write(tmp_path, TINY.read_text() + text)


def test_scenario_and_sweep_distributions_share_one_vocabulary() -> None:
    tags = {
        get_args(c.model_fields["dist"].annotation)[0]: c for c in (Uniform, Normal, Triangular)
    }
    assert tuple(tags) == get_args(ScenarioDist)
    for tag, cls in tags.items():
        assert set(cls.model_fields) == {"dist", *DIST_PARAMETERS[tag]}, tag
    assert set(get_args(SweepDist)) == set(DIST_PARAMETERS) > set(tags)
    assert get_args(Distribution.model_fields["dist"].annotation) == get_args(SweepDist)
    parameters = {name for need in DIST_PARAMETERS.values() for name in need}
    assert set(Distribution.model_fields) == {"dist", *parameters}


def test_old_distribution_names_in_a_scenario_name_the_new_spelling(tmp_path: Path) -> None:
    path = with_path(
        tmp_path, "{kind: uniform, low: 1, high: 3}", "{dist: normal, mean: 4, std: 1}"
    )
    where = "transitions.0.demand.0.path"
    assert problems(path) == [
        f"{path}:{line_of(path, 'start:')}: {where}.start.kind: renamed; write dist: uniform",
        f"{path}:{line_of(path, 'duration:')}: {where}.duration.std: renamed; write sd: 1",
    ]


def test_scenarios_take_dist_and_sd_but_not_the_sweep_only_kinds(tmp_path: Path) -> None:
    path = with_path(tmp_path, "{dist: uniform, low: 1, high: 3}", "{dist: normal, mean: 4, sd: 1}")
    assert CliRunner().invoke(app, ["validate", str(path)]).exit_code == 0
    path = with_path(tmp_path, "2", "{dist: loguniform, low: 1, high: 3}")
    assert any(
        ".path.duration: " in msg
        and "tag 'loguniform'" in msg
        and msg.endswith("expected tags: 'uniform', 'normal', 'triangular'")
        for msg in problems(path)
    )


def test_cli_validate_reports_old_distribution_names_with_exit_2(tmp_path: Path) -> None:
    path = with_path(tmp_path, "{kind: uniform, low: 1, high: 3}", "4")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    line = line_of(path, "start:")
    expected = (
        f"{path}:{line}: transitions.0.demand.0.path.start.kind: renamed; write dist: uniform"
    )
    assert result.stderr.splitlines() == [expected, "1 problem found."]
    assert "Traceback" not in result.output
