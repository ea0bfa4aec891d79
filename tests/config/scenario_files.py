"""Helpers of the scenario tests: the tiny scenario, edited copies of it, its problems."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ecosim.config import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
LINE_FORMAT = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<path>[\w.\-]+): (?P<msg>.+)$")


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    """Write ``text`` to a file in ``tmp_path``."""
    path = tmp_path / name
    path.write_text(text)
    return path


def tiny_with(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of tiny.yaml with the first ``old`` replaced by ``new``."""
    text = TINY.read_text()
    assert old in text, f"test setup: {old!r} not in tiny.yaml"
    return write(tmp_path, text.replace(old, new, 1))


def line_of(path: Path, needle: str) -> int:
    """The first line of ``path`` that contains ``needle``."""
    for i, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not found")


def problems(path: Path, overrides=None) -> list[str]:
    """The problems loading ``path`` reports (it must fail)."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, overrides)
    return [str(p) for p in info.value.problems]


TRANSITIONS = ROOT / "tests" / "data" / "tiny_transitions.yaml"


def transitions_with(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of tiny_transitions.yaml (extending tiny.yaml) with ``old`` replaced by ``new``."""
    text = TRANSITIONS.read_text()
    assert old in text, f"test setup: {old!r} not in tiny_transitions.yaml"
    path = write(
        tmp_path, text.replace(old, new, 1).replace("extends: tiny.yaml", f"extends: {TINY}")
    )
    return path
