"""Property: a mutated valid scenario is refused with located problems, or it runs.

Hypothesis deletes, scales or replaces up to three values anywhere in ``tiny_transitions.yaml``
(tiny with paths and events of every kind, uncertain numbers included), replacing them with
hostile and careless values: NaN, infinities, huge and negative numbers, wrong types,
distributions with inverted or huge parameters. Validation must then either raise
:class:`ScenarioError` whose every problem names the path of a value, or give a scenario that
builds and runs two months with its invariants intact: whatever ``validate`` accepts, ``run``
runs. Derandomized and bounded (50 examples of a 600-agent scenario), so that it is a fast and
stable part of the suite.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_files import TRANSITIONS

from ecosim import RegionModel
from ecosim.config import ScenarioError, read_scenario, scenario_from_dict

BASE, _ = read_scenario(TRANSITIONS)
DELETE = object()


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a value of ``node``, containers included."""
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in items:
        yield (*path, key)
        yield from _paths(value, (*path, key))


PATHS = list(_paths(BASE))
HOSTILE = [None, True, 0, -1, 2**64, -0.5, 1e-300, 1e300, math.nan, math.inf, -math.inf, "", "../x"]
HOSTILE += [[], {}, [1.5], {"dist": "normal", "mean": 1e300, "sd": 1e300}]
HOSTILE += [
    {"dist": "uniform", "low": 5, "high": 1},
    {"dist": "triangular", "low": 0, "mode": 9, "high": 3},
]
VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.integers(-10, 1000),
    st.floats(width=64),
    st.text(max_size=4),
)
EDITS = st.one_of(
    st.just(DELETE),
    VALUES.map(lambda v: ("set", v)),
    st.sampled_from([0.0, 0.5, 0.9, 1.1, 2.0, 10.0]).map(lambda f: ("resolution", f)),
)
MUTATIONS = st.lists(st.tuples(st.sampled_from(PATHS), EDITS), min_size=1, max_size=3)


def _mutate(data: dict[str, Any], path: tuple[Any, ...], edit: Any) -> None:
    """Delete, set or scale (numbers only) the value at ``path``, if it is still there."""
    node: Any = data
    for key in path[:-1]:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return
    key = path[-1]
    if isinstance(node, dict):
        present = key in node
    else:
        present = isinstance(node, list) and isinstance(key, int) and key < len(node)
    if edit is not DELETE and edit[0] == "set" and (present or isinstance(node, dict)):
        node[key] = edit[1]
    elif present and edit is DELETE:
        del node[key]
    elif present and type(node[key]) in (int, float):  # scaled; booleans are left alone
        node[key] = node[key] * edit[1]


@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(MUTATIONS)
def test_mutated_scenarios_are_refused_with_a_path_or_run(mutations) -> None:
    data = copy.deepcopy(BASE)
    for path, edit in mutations:
        _mutate(data, path, edit)
    try:
        scenario = scenario_from_dict(data)
    except ScenarioError as exc:
        assert exc.problems and all(p.path for p in exc.problems), str(exc)
        return
    model = RegionModel(scenario)
    assert len(model.run(months=2)) == 3
    assert model.check_invariants() == []
