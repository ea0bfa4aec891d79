"""Loading sweep files: bad files get the same clear errors as scenarios; shipped files load."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sweep_files import OTJ, ROOT, TINY, spec
from typer.testing import CliRunner

from ecosim.cli import app
from ecosim.config import ScenarioError
from ecosim.sweep import load_sweep, sweep_from_dict

BAD = f"""\
name: bad
base: {TINY}
set:
  behaviour.separation_rate: 0.5
parameters:
  behaviour.separation_rate:
    values: [0.01, 1.5]
  behaviour.separaton_rate:
    values: [0.01]
  matching.acceptance_threshold:
    range: [0.5, 1.2]
replication: 2
outputs:
  summaries:
    - unemployment_rat
"""


def test_bad_sweep_files_get_the_same_clear_errors_as_scenarios(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    with pytest.raises(ScenarioError) as info:
        load_sweep(bad)
    assert [str(p) for p in info.value.problems] == [
        f"{bad}:12: replication: unknown field (got 2)"
    ]
    bad.write_text(BAD.replace("replication: 2\n", ""))
    with pytest.raises(ScenarioError) as info:
        load_sweep(bad)
    lines = [str(p) for p in info.value.problems]
    assert lines == [
        f"{bad}:4: set.behaviour.separation_rate: Input should be less than or equal to 0.2 "
        "(got 0.5)"
    ]
    bad.write_text(
        BAD.replace("replication: 2\n", "").replace("behaviour.separation_rate: 0.5", "seed: 3")
    )
    with pytest.raises(ScenarioError) as info:
        load_sweep(bad)
    lines = [str(p) for p in info.value.problems]
    assert (
        f"{bad}:7: parameters.behaviour.separation_rate.values.1: "
        "Input should be less than or equal to 0.2 (got 1.5)"
    ) in lines
    assert any(
        line.startswith(f"{bad}:8: parameters.behaviour.separaton_rate: not a scenario value")
        for line in lines
    )
    assert (
        f"{bad}:11: parameters.matching.acceptance_threshold.range.1: "
        "Input should be less than or equal to 1 (got 1.2)"
    ) in lines
    assert any(
        line.startswith(f"{bad}:14: outputs.summaries.0: unknown output column")
        and line.endswith("(got 'unemployment_rat')")
        for line in lines
    )
    assert (
        f"{bad}:10: parameters.matching.acceptance_threshold: a grid needs levels for a range or "
        "a distribution (or give values)"
    ) in lines
    assert len(lines) == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: x\nbase: nowhere.yaml\n", "nowhere.yaml: file not found"),
        ("- 1\n", ":1: top level must be a mapping of sweep fields, not a list"),
        ("name: x\nbase: [\n", "YAML syntax error"),
        (
            f"name: x\nbase: {TINY}\nparameters:\n  seed: {{values: [1]}}\n"
            "design: {kind: sobol, samples: 6}\n",
            ":5: design: Value error, sobol samples must be a power of 2",
        ),
        (
            f"name: x\nbase: {TINY}\nparameters:\n  matching.mode: {{values: [search]}}\n"
            "  behaviour.layoff_rate: {range: [0.1, 0.2], values: [1]}\n",
            ":5: parameters.behaviour.layoff_rate: Value error, give exactly one of values, "
            "range or distribution",
        ),
        (
            f"name: x\nbase: {TINY}\nparameters:\n"
            "  behaviour.layoff_rate: {distribution: {dist: normal, mean: 0.2}, levels: 3}\n",
            ":4: parameters.behaviour.layoff_rate.distribution: Value error, "
            "normal needs mean, sd; missing sd",
        ),
    ],
)
def test_bad_sweep_file_cases(tmp_path: Path, text: str, expected: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(ScenarioError) as info:
        load_sweep(bad)
    assert expected in str(info.value)


def test_cli_reports_bad_sweep_files_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    result = CliRunner().invoke(app, ["sweep", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:12: replication: unknown field" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("path", sorted((ROOT / "sweeps").glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_sweep_files_validate(path: Path) -> None:
    assert len(load_sweep(path).design) > 0


OLD_NAMES = f"""\
name: old
base: {TINY}
parameters:
  behaviour.on_the_job_search_share:
    distribution: {{kind: truncnorm, mean: 0.05, std: 0.03, low: 0.0, high: 0.2}}
  behaviour.layoff_rate:
    distribution:
      dist: normal
      mean: 0.2
      std: 0.01
design: {{kind: lhs, samples: 4}}
"""


def test_old_distribution_names_in_a_sweep_name_the_new_spelling(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(OLD_NAMES)
    otj = "parameters.behaviour.on_the_job_search_share.distribution"
    expected = [
        f"{old}:5: {otj}.kind: renamed; write dist: truncnorm",
        f"{old}:5: {otj}.std: renamed; write sd: 0.03",
        f"{old}:10: parameters.behaviour.layoff_rate.distribution.std: renamed; write sd: 0.01",
    ]
    with pytest.raises(ScenarioError) as info:
        load_sweep(old)
    assert [str(p) for p in info.value.problems] == expected
    result = CliRunner().invoke(app, ["sweep", str(old)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [*expected, "3 problems found."]
    assert "Traceback" not in result.output
    old.write_text(OLD_NAMES.replace("kind: truncnorm", "dist: truncnorm").replace("std:", "sd:"))
    design = load_sweep(old).design
    assert len(design) == 4
    assert design[OTJ].between(0.0, 0.2).all()


@pytest.mark.parametrize(
    "base", sorted((ROOT / "scenarios" / "policies").glob("*.yaml")), ids=lambda p: p.name
)
def test_a_base_scenario_that_extends_another_is_accepted(base: Path) -> None:
    sweep = sweep_from_dict(spec(base=str(base), set={"months": 2}))
    assert sweep.base.name == yaml.safe_load(base.read_text())["name"]
    assert len(sweep.design) == 8


@pytest.mark.parametrize("seed", [True, 1.5])
def test_sweep_seed_must_be_an_integer(seed) -> None:
    with pytest.raises(ScenarioError, match="seed: Input should be a valid integer"):
        sweep_from_dict(spec(seed=seed))


@pytest.mark.parametrize("name", ["..", "../x", "/abs"])
def test_sweep_name_must_be_a_safe_file_name(name: str) -> None:
    # The default output folder is results/sweeps/<name>.
    with pytest.raises(ScenarioError, match="name: String should match pattern"):
        sweep_from_dict(spec(name=name))


def test_a_sweep_over_a_scenario_in_memory_matches_one_from_its_file() -> None:
    """compare runs its scenarios this way: a sweep of seeds over a validated scenario."""
    from ecosim import load_scenario
    from ecosim.sweep import sweep_from_scenario

    data = {key: value for key, value in spec().items() if key != "base"}
    in_memory = sweep_from_scenario(load_scenario(TINY), data)
    from_file = sweep_from_dict(spec())
    assert in_memory.base_data == from_file.base_data
    assert in_memory.design.equals(from_file.design)
    seeds = sweep_from_scenario(
        load_scenario(TINY), {"name": "seeds", "replications": 3, "seed": 40}
    ).design
    assert seeds["seed"].tolist() == [40, 41, 42] and seeds["point"].tolist() == [0, 0, 0]
    with pytest.raises(ScenarioError) as caught:
        sweep_from_scenario(load_scenario(TINY), {"name": "x", "outputs": {"window": [0, 99]}})
    assert "window must lie within months 0..12" in str(caught.value)
