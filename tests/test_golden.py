"""Golden digests: every shipped scenario's outputs, bit for bit (see ``tests/golden.py``).

A failure here means results changed. If the change is intended (a new mechanism), regenerate
the digests in the same commit with ``.venv/bin/python tests/golden.py --update`` and say why in
the commit message; if not, the change is a bug.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import golden
import pytest

STORED = json.loads(golden.DIGESTS.read_text())


@pytest.fixture(scope="module")
def computed() -> dict[str, dict[str, str]]:
    """Every scenario's digests, computed in a child process in ``golden.PORTABLE_ENV``."""
    out = subprocess.run(
        [sys.executable, str(Path(golden.__file__)), "--json"],
        env=os.environ | golden.PORTABLE_ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.splitlines()[-1])


@pytest.mark.parametrize("path", golden.scenario_paths(), ids=golden.key)
def test_outputs_match_the_golden_digests(path: Path, computed: dict) -> None:
    digests = computed[golden.key(path)]
    stored = STORED[golden.key(path)]
    changed = sorted(p for p in set(stored) | set(digests) if stored.get(p) != digests.get(p))
    assert not changed, f"outputs changed: {changed}"


def test_every_shipped_scenario_has_a_digest() -> None:
    assert sorted(STORED) == sorted(golden.key(p) for p in golden.scenario_paths())
