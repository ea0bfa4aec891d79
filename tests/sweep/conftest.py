"""Fixtures shared by the sweep tests."""

import _sweep_runners as runners
import pytest


@pytest.fixture(autouse=True)
def _fresh_runners():
    runners.reset()
    yield
    runners.reset()
