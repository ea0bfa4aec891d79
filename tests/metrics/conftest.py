"""Fixtures shared by the metrics tests."""

import warnings

import pytest


@pytest.fixture
def no_warnings():
    """Turn every warning into an error inside the test body."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
