"""The words for distributions, shared by scenarios and sweeps.

A scenario may give a number of a transition as a distribution drawn once per run
(``{dist: uniform, low: 12, high: 48}``, :data:`ecosim.config.schema.Uncertain`); a sweep
samples a parameter from one (``distribution: {dist: truncnorm, mean: 0.05, sd: 0.02, low: 0,
high: 0.2}``, ``ecosim.sweep.Distribution``). Both write the kind as ``dist:`` and its
parameters with the names of :data:`DIST_PARAMETERS`; sweeps know two kinds more than
scenarios. The vocabulary is defined here once, so that the two schemas cannot drift apart.

Sweep files used to write ``kind:`` and ``std:``. Both schemas validate distributions through
:data:`REJECT_RENAMED`, which turns an old name into a problem located at that field and naming
its new spelling (``...distribution.kind: renamed; write dist: truncnorm``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

ScenarioDist = Literal["uniform", "normal", "triangular"]
"""Kinds of distribution a scenario's uncertain numbers may have."""

SweepDist = Literal[ScenarioDist, "loguniform", "truncnorm"]
"""Kinds of distribution a sweep parameter may have: the scenarios' and two more."""

DIST_PARAMETERS: dict[str, tuple[str, ...]] = {
    "uniform": ("low", "high"),
    "normal": ("mean", "sd"),
    "triangular": ("low", "mode", "high"),
    "loguniform": ("low", "high"),
    "truncnorm": ("mean", "sd", "low", "high"),
}
"""The parameters each kind of distribution takes, all of them required."""

RENAMED_DIST_FIELDS: dict[str, str] = {"kind": "dist", "std": "sd"}
"""Old field names of sweep distributions and the names that replaced them."""

RENAMED_ERROR = "renamed_field"
"""Type of the pydantic error raised for old field names; its ``ctx["renamed"]`` lists
``(old name, what to write instead)`` pairs (see ``ecosim.config.loading.validation_problems``).
"""


def _reject_renamed(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    renamed = [
        (old, _spelling(RENAMED_DIST_FIELDS[old], value[old]))
        for old in value
        if old in RENAMED_DIST_FIELDS
    ]
    if renamed:
        text = ", ".join(f"{old} is now {new}" for old, new in renamed)
        raise PydanticCustomError(
            RENAMED_ERROR, "renamed: {text}", {"text": text, "renamed": renamed}
        )
    return value


REJECT_RENAMED = BeforeValidator(_reject_renamed)
"""Validator of a distribution field, ``Annotated[..., REJECT_RENAMED]``: a mapping with an old
field name is an error of type :data:`RENAMED_ERROR` listing every old name with what to write
instead (``dist: truncnorm``, ``sd: 0.02``); anything else passes on unchanged."""


def _spelling(name: str, value: Any) -> str:
    return f"{name}: {value}" if isinstance(value, str | int | float) else f"{name}:"
