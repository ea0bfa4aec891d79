"""Worker agents made on first access: Mesa's agent sets as views of the worker rows.

A model of a million workers would otherwise hold a million ``mesa.Agent`` objects (about
280 bytes each, and most of its build time) that the vectorised month never touches. Here the
worker rows *are* the agents: :class:`WorkerAgents` (``model.agents_by_type[Worker]``) keeps per
row a unique id, whether the worker is in the model and, once touched, its :class:`Worker`
handle; :class:`ModelAgents` (``model.agents``) merges those rows with the model's few real
agents (employers, the government, educators, anything a user adds). Both are Mesa
``_HardKeyAgentSet`` subclasses with the same API and results: members in registration order
(ascending ``unique_id``), ``select``/``shuffle``/``sort``/``groupby``/``copy`` returning
ordinary (weak) ``AgentSet`` objects, ``shuffle_do`` and ``shuffle`` drawing the same order from
``model.random`` as Mesa does for the same members, and a worker's handle the same object on
every access for as long as the worker is in the model.

What differs from registering one agent per worker: worker handles are not created or
registered one by one (no per-agent ``AGENT_ADDED``/``AGENT_REMOVED`` signals; ids are still
taken from ``model.agent_id_counter`` in order), a retired worker leaves the sets in one
vectorised step, and the model's registries cannot be reordered or filtered in place (Mesa
says not to; ``inplace=True`` raises, a copy works). This relies on Mesa 3.5's registry
attributes (``Model._all_agents``, ``Model._agents_by_type``) and ``_HardKeyAgentSet``, which is
why ``pyproject.toml`` pins ``mesa<3.6``.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from mesa.agent import Agent
from mesa.agentset import AgentSet, GroupBy, _HardKeyAgentSet

from ecosim.agents._columns import Column
from ecosim.agents.worker import Worker

if TYPE_CHECKING:
    from ecosim.model import RegionModel

_GONE = object()
"""What :meth:`_LazyAgentSet._resolve` gives for a key whose agent has left the set."""


class _LazyAgentSet(_HardKeyAgentSet):
    """Mesa's agent-set API over *keys* that resolve to agents when touched.

    Subclasses give the members' keys in order (:meth:`_keys`), resolve a key to its agent or
    :data:`_GONE` (:meth:`_resolve`), and implement ``__len__``, ``__contains__``, ``add`` and
    ``discard``. Every method here behaves as ``_HardKeyAgentSet``'s on the same members.
    """

    model: RegionModel

    def _keys(self, agent_type: type | None = None) -> list[Any]:
        """The members' keys in order (a snapshot); only those that may be ``agent_type``."""
        raise NotImplementedError

    def _resolve(self, key: Any) -> Any:
        """The agent of a key, or :data:`_GONE` when it is no longer a member."""
        raise NotImplementedError

    @property
    def _agents(self) -> dict[Agent, None]:
        """Every member, materialised (for Mesa code that reads the registry's dict)."""
        return dict.fromkeys(self)

    def __iter__(self) -> Iterator[Agent]:
        for key in self._keys():
            if (agent := self._resolve(key)) is not _GONE:
                yield agent

    def _update(self, agents: Iterable[Agent]) -> _LazyAgentSet:
        raise TypeError(
            "the model's agent registry cannot be changed in place (Mesa: do not modify "
            "model.agents or model.agents_by_type[...] directly); work on a copy, e.g. "
            ".select(...) or .copy()"
        )

    def remove(self, agent: Agent) -> None:
        """Remove a member; ``KeyError`` if it is not one."""
        if agent not in self:
            raise KeyError(agent)
        self.discard(agent)

    def to_list(self) -> list[Agent]:
        """The members, in order."""
        return list(self)

    def __getitem__(self, item: int | slice) -> Any:
        keys = self._keys()  # a fresh snapshot: every key resolves
        if isinstance(item, slice):
            return [self._resolve(k) for k in keys[item]]
        return self._resolve(keys[operator.index(item)])

    def copy(self) -> AgentSet:
        """A weak-reference ``AgentSet`` of the members, in order."""
        return AgentSet(self, self.random)

    def __copy__(self) -> AgentSet:
        return self.copy()

    def select(
        self,
        filter_func: Callable[[Agent], bool] | None = None,
        at_most: int | float = float("inf"),
        inplace: bool = False,
        agent_type: type | None = None,
    ) -> AgentSet:
        """Members passing ``filter_func`` and of ``agent_type``, the first ``at_most`` of them.

        As Mesa's: a float ``at_most`` of at most 1 is a share of the set (rounded down); the
        result is a weak-reference ``AgentSet``.
        """
        if inplace:
            self._update(())
        if at_most <= 1.0 and isinstance(at_most, float):
            at_most = int(len(self) * at_most)

        def chosen() -> Iterator[Agent]:
            count = 0
            for key in self._keys(agent_type):
                if count >= at_most:
                    break
                agent = self._resolve(key)
                if agent is _GONE:
                    continue
                if (not filter_func or filter_func(agent)) and (
                    not agent_type or isinstance(agent, agent_type)
                ):
                    yield agent
                    count += 1

        return AgentSet(chosen(), self.random)

    def get(
        self, attr_names: str | list[str], handle_missing: str = "error", default_value: Any = None
    ) -> list[Any]:
        """Attribute values of every member, in order (as Mesa's ``get``)."""
        if handle_missing not in ("error", "default"):
            raise ValueError(
                f"Unknown handle_missing option: {handle_missing}, "
                "should be one of 'error' or 'default'"
            )
        if handle_missing == "error":
            read = getattr
        else:

            def read(agent: Agent, name: str) -> Any:
                return getattr(agent, name, default_value)

        if isinstance(attr_names, str):
            return [read(agent, attr_names) for agent in self]
        return [[read(agent, name) for name in attr_names] for agent in self]

    def groupby(
        self, by: Callable | str, result_type: Literal["agentset", "list"] = "agentset"
    ) -> GroupBy:
        """Members grouped by an attribute or a function's value (groups are weak sets)."""
        groups: dict[Any, list[Agent]] = defaultdict(list)
        key = by if callable(by) else operator.attrgetter(by)
        for agent in self:
            groups[key(agent)].append(agent)
        if result_type == "agentset":
            return GroupBy({k: AgentSet(v, self.random) for k, v in groups.items()})
        return GroupBy(groups)

    def _call_each(self, keys: list[Any], method: str | Callable, args: Any, kwargs: Any) -> list:
        """Call ``method`` on the agent of each key still a member when its turn comes."""
        results = []
        for key in keys:
            agent = self._resolve(key)
            if agent is _GONE:
                continue
            if isinstance(method, str):
                results.append(getattr(agent, method)(*args, **kwargs))
            else:
                results.append(method(agent, *args, **kwargs))
        return results

    def do(self, method: str | Callable, *args: Any, **kwargs: Any) -> _LazyAgentSet:
        """Call a method (by name) or a function on every member, in order."""
        self._call_each(self._keys(), method, args, kwargs)
        return self

    def map(self, method: str | Callable, *args: Any, **kwargs: Any) -> list[Any]:
        """As :meth:`do`, returning the results."""
        return self._call_each(self._keys(), method, args, kwargs)

    def _shuffled_keys(self) -> list[Any]:
        """The keys in the order Mesa's ``shuffle`` gives the members: ``random.shuffle``
        permutes by position only, so shuffling the keys draws the same order."""
        keys = self._keys()
        self.random.shuffle(keys)
        return keys

    def shuffle_do(self, method: str | Callable, *args: Any, **kwargs: Any) -> _LazyAgentSet:
        """Call a method or function on every member in a random order drawn from
        ``model.random``: the order Mesa's ``shuffle_do`` gives on the same members."""
        self._call_each(self._shuffled_keys(), method, args, kwargs)
        return self

    def shuffle(self, inplace: bool = False) -> AgentSet:
        """The members in a random order (a weak ``AgentSet``), as Mesa's ``shuffle``."""
        if inplace:
            self._update(())
        keys = self._shuffled_keys()
        return AgentSet((a for k in keys if (a := self._resolve(k)) is not _GONE), self.random)

    def sort(
        self, key: Callable[[Agent], Any] | str, ascending: bool = False, inplace: bool = False
    ) -> AgentSet:
        """The members sorted by an attribute or function (a weak ``AgentSet``)."""
        if inplace:
            self._update(())
        if isinstance(key, str):
            key = operator.attrgetter(key)
        return AgentSet(sorted(self, key=key, reverse=not ascending), self.random)

    def _from_iterable(self, agents: Iterable[Agent]) -> AgentSet:
        # Set operators (``a | b``, ``a & b``) build their result with this.
        return AgentSet(agents, self.random)


class WorkerAgents(_LazyAgentSet):
    """``model.agents_by_type[Worker]``: one agent per worker row in the model, made when used.

    Per row it keeps the agent's ``unique_id`` (given when the row was admitted), whether the
    worker is in the model (until retirement or ``agent.remove()``) and the handle once made,
    so a handle stays the same object while its worker is in the model. Admitting and retiring
    workers are array operations.

    Args:
        model: The model whose ``workers`` table the rows are.
    """

    def __init__(self, model: RegionModel):
        self.model = model
        self.random = model.random
        self._n = 0
        self._size = 0
        self._ids = np.zeros(0, dtype=np.int64)
        self._member = np.zeros(0, dtype=bool)
        self._handles = np.empty(0, dtype=object)

    # ------------------------------------------------------------------ the rows

    def admit(self, rows: np.ndarray) -> None:
        """Make the new rows ``rows`` (the next ones of the table) members, with the next ids."""
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size == 0:
            return
        if rows[0] != self._n or rows[-1] != self._n + rows.size - 1:
            raise ValueError("admitted rows must be the table's next rows, in order")
        end = self._n + rows.size
        if end > self._ids.size:
            capacity = max(end, 2 * self._ids.size)
            self._ids = np.resize(self._ids, capacity)
            self._member = np.resize(self._member, capacity)
            handles = np.empty(capacity, dtype=object)
            handles[: self._n] = self._handles[: self._n]
            self._handles = handles
        first = self.model.agent_id_counter
        self._ids[self._n : end] = np.arange(first, first + rows.size)
        self._member[self._n : end] = True
        self._handles[self._n : end] = None
        self.model.agent_id_counter = first + rows.size
        self._n = end
        self._size += rows.size

    def retire(self, rows: np.ndarray) -> None:
        """Take the workers of ``rows`` out of the model (their handles are dropped)."""
        self._size -= int(np.count_nonzero(self._member[rows]))
        self._member[rows] = False
        self._handles[rows] = None

    def rows(self) -> np.ndarray:
        """Rows of the workers in the model, ascending (the agents' order)."""
        return np.flatnonzero(self._member[: self._n])

    def agent(self, row: int) -> Worker | None:
        """The agent of worker row ``row``, or ``None`` when that worker is not in the model."""
        if not 0 <= row < self._n or not self._member[row]:
            return None
        handle = self._handles[row]
        if handle is None:
            handle = self._handles[row] = Worker(self.model, row, int(self._ids[row]))
        return handle

    # ------------------------------------------------------------------ the set

    def _keys(self, agent_type: type | None = None) -> list[Any]:
        if agent_type is not None and not issubclass(Worker, agent_type):
            return []
        return self.rows().tolist()

    def _resolve(self, key: Any) -> Any:
        agent = self.agent(key)
        return _GONE if agent is None else agent

    def __len__(self) -> int:
        return self._size

    def __contains__(self, agent: object) -> bool:
        return (
            isinstance(agent, Worker)
            and agent.model is self.model
            and 0 <= agent.row < self._n
            and self._handles[agent.row] is agent
        )

    def add(self, agent: Agent) -> None:
        """Refused: worker agents are the model's worker rows, admitted by the model."""
        raise TypeError(
            "worker agents are rows of model.workers, made by the model when workers enter; "
            "they cannot be added by hand"
        )

    def discard(self, agent: Agent) -> None:
        """Take a worker agent out of the model (``agent.remove()``); nothing if not a member."""
        if agent in self:
            self.retire(np.array([agent.row]))

    def get(
        self, attr_names: str | list[str], handle_missing: str = "error", default_value: Any = None
    ) -> list[Any]:
        """Attribute values of every member, in order (as Mesa's ``get``).

        Attributes stored in a column (``age``, ``wage``, ...) are read from it for all rows
        at once, without making the agents; the values are the same plain Python numbers.
        """
        names = [attr_names] if isinstance(attr_names, str) else list(attr_names)
        columns = [_column_values(self.model, name, self.rows()) for name in names]
        if any(c is None for c in columns):
            return super().get(attr_names, handle_missing, default_value)
        if isinstance(attr_names, str):
            return columns[0]
        return [list(values) for values in zip(*columns, strict=True)]


def _column_values(model: RegionModel, name: str, rows: np.ndarray) -> list[Any] | None:
    """``[getattr(worker, name) for worker at rows]`` read from the column, or ``None`` when
    the attribute is not a plain numeric column (then the agents are asked)."""
    descriptor = getattr(Worker, name, None)
    if not isinstance(descriptor, Column) or descriptor.cast not in (float, int):
        return None
    values = getattr(getattr(model, descriptor.table), descriptor.name)[rows]
    return values.astype(descriptor.cast).tolist()


class ModelAgents(_LazyAgentSet):
    """``model.agents``: the model's real agents and its worker agents, in registration order.

    Args:
        model: The model.
        workers: Its worker agents (``model.agents_by_type[Worker]``).
        agents: Agents already registered (kept, in order).
    """

    def __init__(self, model: RegionModel, workers: WorkerAgents, agents: Iterable[Agent] = ()):
        self.model = model
        self.random = model.random
        self._workers = workers
        self._others: dict[Agent, None] = dict.fromkeys(agents)

    def _keys(self, agent_type: type | None = None) -> list[Any]:
        others = list(self._others)
        rows = self._workers._keys(agent_type)
        if not rows:
            return others
        if not others:
            return rows
        ids = np.concatenate(
            [[a.unique_id for a in others], self._workers._ids[np.asarray(rows, dtype=np.int64)]]
        )
        merged: Sequence[Any] = others + rows
        return [merged[i] for i in np.argsort(ids, kind="stable").tolist()]

    def _resolve(self, key: Any) -> Any:
        if isinstance(key, int):
            return self._workers._resolve(key)
        return key if key in self._others else _GONE

    def __len__(self) -> int:
        return len(self._others) + len(self._workers)

    def __contains__(self, agent: object) -> bool:
        return agent in self._others or agent in self._workers

    def add(self, agent: Agent) -> None:
        """Register a (real) agent; worker agents come from the model's rows (refused)."""
        if isinstance(agent, Worker):
            self._workers.add(agent)  # raises
        self._others[agent] = None

    def discard(self, agent: Agent) -> None:
        """Unregister an agent; nothing if it is not a member.

        A worker agent's ``remove()`` takes it out of ``agents_by_type[Worker]`` first, which
        is the one record of worker membership, so this finds nothing more to do for it.
        """
        if isinstance(agent, Worker):
            self._workers.discard(agent)
        else:
            self._others.pop(agent, None)

    def remove(self, agent: Agent) -> None:
        """Unregister an agent; ``KeyError`` if it is not one (a worker agent: see
        :meth:`discard`)."""
        if isinstance(agent, Worker):
            self.discard(agent)
        else:
            super().remove(agent)


def install(model: RegionModel) -> WorkerAgents:
    """Give ``model`` lazy worker agents: ``agents_by_type[Worker]`` and ``model.agents``.

    Call once, after the agents registered before the workers (they keep their ids and places)
    and before those after them; then :meth:`WorkerAgents.admit` the initial rows.
    """
    workers = WorkerAgents(model)
    model._all_agents = ModelAgents(model, workers, model._all_agents)
    model._agents_by_type[Worker] = workers
    return workers


class RowAgents(Sequence):
    """``model.worker_agents``: the agent of each worker row (``None`` once it left the model).

    Indexing makes the agent if it was not made yet; ``len`` is the number of rows.
    """

    def __init__(self, workers: WorkerAgents):
        self._workers = workers

    def __len__(self) -> int:
        return self._workers._n

    def __getitem__(self, row: int) -> Worker | None:  # type: ignore[override]
        row = operator.index(row)
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(f"worker row {row} out of range")
        return self._workers.agent(row)
