"""Descriptors that map agent attributes onto rows of columnar state."""

from __future__ import annotations

from typing import Any


class Column:
    """An agent attribute stored in ``agent.<table>.<name>[agent.row]``.

    Args:
        table: Attribute of the model holding the state table (``"workers"``, ``"employers"``).
        name: Column name in that table.
        writable: Whether setting the attribute writes the row.
        cast: Conversion applied on read (e.g. ``float``) so users get plain Python scalars.
    """

    def __init__(self, table: str, name: str, *, writable: bool = True, cast: Any = None):
        self.table = table
        self.name = name
        self.writable = writable
        self.cast = cast

    def __set_name__(self, owner: type, attr: str) -> None:
        self.attr = attr

    def __get__(self, agent: Any, owner: type | None = None) -> Any:
        if agent is None:
            return self
        value = getattr(getattr(agent.model, self.table), self.name)[agent.row]
        return self.cast(value) if self.cast is not None else value

    def __set__(self, agent: Any, value: Any) -> None:
        if not self.writable:
            raise AttributeError(
                f"{type(agent).__name__}.{self.attr} is changed only by the model's step "
                "(it must stay consistent with other state)"
            )
        getattr(getattr(agent.model, self.table), self.name)[agent.row] = value
