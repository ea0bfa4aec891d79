"""Sweep designs: the number of runs of each kind, stable run ids, common and independent seeds."""

from __future__ import annotations

import pytest
from sweep_files import OTJ, SEP, THR, spec

from ecosim.sweep import build_design, sweep_from_dict


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
