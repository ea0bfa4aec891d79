"""Lazy worker agents (ecosim.agents.lazy): Mesa's agent-set API on worker rows.

The reference for every method is Mesa's own ``_HardKeyAgentSet`` holding the same agents in
the same order, with a random generator in the same state: a lazy set must give what it gives.
"""

from __future__ import annotations

import gc
import random
from pathlib import Path

import mesa
import numpy as np
import pytest
from mesa.agentset import AgentSet, _HardKeyAgentSet

from ecosim import RegionModel
from ecosim.agents import Educator, Employer, Government, Worker
from ecosim.state import Status

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny.yaml"


def worker_objects() -> int:
    return sum(isinstance(o, Worker) for o in gc.get_objects())


@pytest.fixture(scope="module")
def run() -> RegionModel:
    """A model whose workers have retired and entered (burn-in and 12 months)."""
    model = RegionModel(TINY)
    model.run(12)
    return model


def flat(values: list) -> list:
    return [x for v in values for x in (v if isinstance(v, list) else [v])]


def materialised(lazy, model: RegionModel) -> tuple[_HardKeyAgentSet, random.Random]:
    """Mesa's registry class holding the lazy set's agents in its order, and a generator in
    the model's generator's state (for the shuffles)."""
    rng = random.Random()
    rng.setstate(model.random.getstate())
    return _HardKeyAgentSet(list(lazy), random=rng), rng


def test_building_and_running_a_model_makes_no_worker_objects() -> None:
    gc.collect()
    before = worker_objects()
    model = RegionModel(TINY)  # the build, a 36-month burn-in with retirements and entrants
    model.step()
    assert worker_objects() == before
    assert len(model.agents_by_type[Worker]) == np.count_nonzero(model.workers.present()) > 0
    worker = model.worker_agents[int(model._worker_set.rows()[3])]
    assert worker_objects() == before + 1
    staff = model.employer_agents[0].workers()
    assert worker_objects() == before + 1 + len(staff) - (worker in staff)


def test_a_worker_agent_is_the_same_object_wherever_it_is_reached(run: RegionModel) -> None:
    workers = run.agents_by_type[Worker]
    first = next(iter(workers))
    assert next(iter(workers)) is first
    assert run.worker_agents[first.row] is first
    assert first in workers and first in run.agents
    assert next(a for a in run.agents if isinstance(a, Worker)) is first
    employed = workers.select(lambda w: w.status == Status.EMPLOYED)
    some = next(iter(employed))
    assert some in some.employer.workers()
    assert any(w is some for w in some.employer.workers())
    assert workers.select(lambda w: w.row == some.row).to_list() == [some]
    first.note = "kept"  # an attribute a user puts on a handle stays with it
    run.step()
    if run.worker_agents[first.row] is not None:
        assert run.worker_agents[first.row].note == "kept"


def test_a_retired_worker_leaves_the_sets_and_its_handle_still_reads_its_row() -> None:
    model = RegionModel(TINY, burn_in=0)
    workers = model.agents_by_type[Worker]
    held = list(workers)  # every handle, kept as a user (or the agent sample) would
    n_before = len(workers)
    for _ in range(12):
        model.step()
    retired = [w for w in held if model.workers.status[w.row] == Status.RETIRED]
    assert retired, "tiny.yaml retires workers within a year"
    gone = retired[0]
    assert gone.status == Status.RETIRED and gone.age == model.workers.age[gone.row]
    assert model.worker_agents[gone.row] is None
    assert gone not in workers and gone not in model.agents
    assert all(w.row != gone.row for w in workers)
    stayed = [w for w in held if model.workers.status[w.row] != Status.RETIRED]
    assert all(model.worker_agents[w.row] is w for w in stayed)
    entered = model.workers.n - len(held)
    assert entered > 0 and len(workers) == n_before - len(retired) + entered
    assert len(workers) == np.count_nonzero(model.workers.present())


def test_ids_and_order_are_mesa_registration_order() -> None:
    """Employers, then the initial workers in row order, the government and the educators,
    then each month's entrants: the ids Mesa gives when each is registered in that order."""
    model = RegionModel(TINY, burn_in=0)
    n_emp, n = model.employers.n, model.workers.n
    members = list(model.agents)
    assert [type(a) for a in members[: n_emp + n + 1]] == (
        [Employer] * n_emp + [Worker] * n + [Government]
    )
    assert all(isinstance(a, Educator) for a in members[n_emp + n + 1 :])
    assert [a.unique_id for a in members] == list(range(1, len(members) + 1))
    assert [w.row for w in members[n_emp : n_emp + n]] == list(range(n))
    assert list(model.agents_by_type) == [Employer, Worker, Government, Educator]
    model.run(6)
    ids = [a.unique_id for a in model.agents]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    newest = model.worker_agents[model.workers.n - 1]
    assert newest.unique_id == model.agent_id_counter - 1
    assert list(model.agents)[-1] is newest
    # A real agent registered by a user gets the next id and comes last, and leaves again.
    extra = mesa.Agent(model)
    assert extra.unique_id == newest.unique_id + 1 and list(model.agents)[-1] is extra
    assert model.agents_by_type[mesa.Agent].to_list() == [extra]
    extra.remove()
    assert extra not in model.agents and list(model.agents)[-1] is newest


@pytest.mark.parametrize("which", ["workers", "all"])
def test_the_mesa_api_on_a_lazy_set_is_mesa_s_on_the_same_agents(
    run: RegionModel, which: str
) -> None:
    lazy = run.agents_by_type[Worker] if which == "workers" else run.agents
    ref, rng = materialised(lazy, run)
    assert len(lazy) == len(ref) and list(lazy) == list(ref) and lazy.to_list() == ref.to_list()
    assert lazy == ref and all(a in lazy for a in ref)

    def employed(agent) -> bool:
        return getattr(agent, "status", None) == Status.EMPLOYED

    for kwargs in (
        {},
        {"filter_func": employed},
        {"filter_func": employed, "at_most": 7},
        {"at_most": 0.25},
        {"agent_type": Worker, "at_most": 3},
        {"agent_type": Employer},
    ):
        got, want = lazy.select(**kwargs), ref.select(**kwargs)
        assert type(got) is type(want) is AgentSet
        assert got.to_list() == want.to_list(), kwargs
    assert lazy.copy().to_list() == ref.copy().to_list()
    assert lazy[5] is ref[5] and lazy[2:9] == ref[2:9]
    assert (lazy & ref.select(employed)).to_list() == ref.select(employed).to_list()

    names = ["age", "wage", "unemployment_months", "status"]
    for attrs in ("age", "unemployment_months", names):
        got = lazy.get(attrs, handle_missing="default", default_value="-")
        want = ref.get(attrs, handle_missing="default", default_value="-")
        assert got == want and list(map(type, flat(got))) == list(map(type, flat(want)))
    if which == "workers":
        assert lazy.get("status") == ref.get("status")
        with pytest.raises(AttributeError):
            lazy.get("no_such_attribute")
    assert lazy.agg("unique_id", max) == ref.agg("unique_id", max)
    assert lazy.map("__repr__") == ref.map("__repr__")
    by_type = {k: v.to_list() for k, v in lazy.groupby(type).groups.items()}
    assert by_type == {k: v.to_list() for k, v in ref.groupby(type).groups.items()}
    key = "age" if which == "workers" else "unique_id"
    assert lazy.sort(key).to_list() == ref.sort(key).to_list()
    assert lazy.sort(key, ascending=True).to_list() == ref.sort(key, ascending=True).to_list()
    seen = []
    lazy.do(lambda a: seen.append(a))
    assert seen == list(ref)

    # Shuffles: the same order from a generator in the same state, which moves the same way.
    lazy_order, ref_order = [], []
    lazy.shuffle_do(lambda a: lazy_order.append(a))
    ref.shuffle_do(lambda a: ref_order.append(a))
    assert lazy_order == ref_order and lazy_order != list(ref)
    assert run.random.getstate() == rng.getstate()
    assert lazy.shuffle().to_list() == ref.shuffle().to_list()
    assert run.random.getstate() == rng.getstate()


def test_do_skips_agents_removed_by_an_earlier_call() -> None:
    model = RegionModel(TINY, burn_in=0)
    workers = model.agents_by_type[Worker]
    n = len(workers)
    victim = workers.to_list()[10]
    called = []

    def act(worker: Worker) -> None:
        called.append(worker.row)
        if worker.row == 3:
            victim.remove()  # Mesa's agent.remove(): out of every registry

    workers.do(act)
    assert victim.row not in called and len(called) == n - 1
    assert len(workers) == n - 1 and len(model.agents_by_type[Worker]) == n - 1
    assert victim not in model.agents and model.worker_agents[victim.row] is None
    victim.remove()  # again: nothing to do, as for any Mesa agent


def test_the_model_s_registries_refuse_in_place_changes_and_added_workers() -> None:
    model = RegionModel(TINY, burn_in=0)
    workers = model.agents_by_type[Worker]
    for change in (
        lambda s: s.select(lambda a: True, inplace=True),
        lambda s: s.shuffle(inplace=True),
        lambda s: s.sort("unique_id", inplace=True),
    ):
        for registry in (workers, model.agents):
            with pytest.raises(TypeError, match="cannot be changed in place"):
                change(registry)
    handle = next(iter(workers))
    for registry in (workers, model.agents):
        with pytest.raises(TypeError, match="cannot be added by hand"):
            registry.add(handle)
    assert len(workers) == model.workers.n
