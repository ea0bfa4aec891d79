"""What is wrong with a scenario or sweep file: :class:`Problem` and :class:`ScenarioError`.

Problems are collected, not raised one at a time: loading raises a single :class:`ScenarioError`
that lists every problem as ``FILE:LINE: dotted.path: message (got VALUE)``. Kept apart from the
schema and the loader so that both (and ``ecosim.sweep``) report problems the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario.

    Attributes:
        source: The file, ``--set KEY=VALUE`` for an override, or ``<dict>``.
        line: Line in ``source`` (1-based), when known.
        path: Dotted path of the value (``behaviour.separation_rate``); empty for the whole file.
        message: What is wrong.
        value: The offending value, shown when ``has_value``.
        has_value: Whether ``value`` is worth showing (``None`` may be the offending value).
    """

    source: str
    line: int | None
    path: str
    message: str
    value: Any = None
    has_value: bool = False

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        path = f" {self.path}:" if self.path else ""
        got = f" (got {_short_repr(self.value)})" if self.has_value else ""
        return f"{where}:{path} {self.message}{got}"


class ScenarioError(ValueError):
    """A scenario (or sweep file) is invalid; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
