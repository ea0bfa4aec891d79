"""Helpers of the sweep tests: the tiny scenario, the paths they vary, a small grid sweep."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
SEP = "behaviour.separation_rate"
THR = "matching.acceptance_threshold"
OTJ = "behaviour.on_the_job_search_share"


def spec(**changes: Any) -> dict[str, Any]:
    """A small grid sweep on the tiny scenario, with changes."""
    data: dict[str, Any] = {
        "name": "t",
        "base": str(TINY),
        "set": {"months": 4},
        "parameters": {SEP: {"values": [0.005, 0.01, 0.015, 0.02]}, THR: {"values": [0.6, 0.7]}},
        "replications": 1,
        "outputs": {"window": 2, "summaries": ["unemployment_rate", "vacancy_rate"]},
    }
    data.update(changes)
    return data
