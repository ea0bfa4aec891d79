"""Golden digests: every shipped scenario's outputs, bit for bit (see ``tests/golden.py``).

A failure here means results changed. If the change is intended (a new mechanism), regenerate
the digests in the same commit with ``.venv/bin/python tests/golden.py --update`` and say why in
the commit message; if not, the change is a bug.
"""

from __future__ import annotations

import json
from pathlib import Path

import golden
import pytest

STORED = json.loads(golden.DIGESTS.read_text())


@pytest.mark.parametrize("path", golden.scenario_paths(), ids=golden.key)
def test_outputs_match_the_golden_digests(path: Path) -> None:
    digests = golden.scenario_digests(path)
    stored = STORED[golden.key(path)]
    changed = sorted(p for p in set(stored) | set(digests) if stored.get(p) != digests.get(p))
    assert not changed, f"outputs changed: {changed}"


def test_every_shipped_scenario_has_a_digest() -> None:
    assert sorted(STORED) == sorted(golden.key(p) for p in golden.scenario_paths())
