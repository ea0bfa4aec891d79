"""Sweep designs: the number of runs of each kind, stable run ids, common and independent seeds."""

from __future__ import annotations

import pytest
from sweep_files import OTJ, SEP, THR, spec

from ecosim.config import ScenarioError
from ecosim.sweep import build_design, loading, sweep_from_dict


def test_designs_have_the_expected_number_of_runs_and_stable_ids() -> None:
    grid = sweep_from_dict(
        spec(
            parameters={
                SEP: {"values": [0.005, 0.01, 0.02]},
                THR: {"range": [0.6, 0.9], "levels": 4},
            },
            replications=2,
        )
    )
    assert len(grid.design) == 3 * 4 * 2
    assert grid.design["run_id"].is_unique
    assert sorted(grid.design[THR].unique()) == pytest.approx([0.6, 0.7, 0.8, 0.9])
    three = {SEP: {"range": [0.004, 0.03]}, THR: {"range": [0.6, 0.9]}, OTJ: {"range": [0, 0.2]}}
    sizes = {
        ("lhs", False): 10,
        ("sobol", False): 8 * (3 + 2),
        ("sobol", True): 8 * (2 * 3 + 2),
        ("morris", False): 5 * (3 + 1),
    }
    for (kind, second), expected in sizes.items():
        samples = 10 if kind == "lhs" else 8 if kind == "sobol" else 5
        design = {"kind": kind, "samples": samples}
        if second:
            design["second_order"] = True
        sw = sweep_from_dict(spec(parameters=three, design=design))
        assert len(sw.design) == expected, kind
        again = build_design(sw.spec, sw.base.seed)
        assert again["run_id"].tolist() == sw.design["run_id"].tolist()
    # Ids depend on parameter values and seed only, not on the order parameters are listed in.
    reordered = spec(parameters=dict(reversed(list(spec()["parameters"].items()))))
    ids = set(sweep_from_dict(spec()).design["run_id"])
    assert set(sweep_from_dict(reordered).design["run_id"]) == ids


def test_seeds_common_and_independent() -> None:
    common = sweep_from_dict(spec(replications=3, seed=100)).design
    assert set(common["seed"]) == {100, 101, 102}
    indep = sweep_from_dict(spec(replications=3, seed=100, seeds="independent")).design
    assert indep["seed"].is_unique
    assert (indep["seed"] >= 0).all()
    assert sweep_from_dict(spec(replications=2)).design["seed"].tolist()[:2] == [7, 8]


@pytest.mark.parametrize(
    ("changes", "how"),
    [
        (
            {"parameters": {p: {"range": [0.01, 0.02], "levels": 10_000} for p in (SEP, THR, OTJ)}},
            "a grid of 10000 x 10000 x 10000 levels x 1 replication is 1,000,000,000,000 runs",
        ),
        (
            {
                "parameters": {SEP: {"range": [0.001, 0.02]}},
                "design": {"kind": "sobol", "samples": 8_388_608},
            },
            "sobol: 8388608 samples x 3 points x 1 replication is 25,165,824 runs",
        ),
    ],
    ids=["grid", "sobol"],
)
def test_designs_too_large_are_refused_before_they_are_built(
    changes: dict, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the design was built")

    monkeypatch.setattr(loading, "build_design", refuse)
    with pytest.raises(ScenarioError) as info:
        sweep_from_dict(spec(**changes))
    (problem,) = info.value.problems
    assert problem.path == "design"
    assert problem.message == (
        f"{how}, more than max_runs (100,000); make the design smaller or raise max_runs in "
        "the sweep file (at most 10,000,000)"
    )


def test_max_runs_can_be_raised_and_lowered() -> None:
    assert len(sweep_from_dict(spec(replications=2, max_runs=16)).design) == 16
    with pytest.raises(ScenarioError, match="is 16 runs, more than max_runs \\(15\\)"):
        sweep_from_dict(spec(replications=2, max_runs=15))
