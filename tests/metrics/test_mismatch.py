"""Tests for ecosim.metrics.mismatch: the indices against worked examples and their bounds."""

import math

import numpy as np
import pytest

from ecosim import metrics as m


def test_mismatch_zero_when_shares_coincide():
    # u shares = v shares = (0.2, 0.3, 0.5) although the levels differ
    u, v = [20, 30, 50], [4, 6, 10]
    assert m.jackman_roper(u, v) == pytest.approx(0.0, abs=1e-15)
    assert m.sstv_mismatch(u, v) == pytest.approx(0.0, abs=1e-15)
    assert m.sstv_mismatch(u, v, alpha=0.3) == pytest.approx(0.0, abs=1e-15)


def test_mismatch_worked_example_two_occupations():
    # u = (80, 20) -> shares (0.8, 0.2); v = (10, 40) -> shares (0.2, 0.8)
    # JR   = 0.5 * (|0.8 - 0.2| + |0.2 - 0.8|) = 0.5 * 1.2 = 0.6
    # SSTV = 1 - [sqrt(0.2 * 0.8) + sqrt(0.8 * 0.2)] = 1 - (0.4 + 0.4) = 0.2
    assert m.jackman_roper([80, 20], [10, 40]) == pytest.approx(0.6)
    assert m.sstv_mismatch([80, 20], [10, 40]) == pytest.approx(0.2)


def test_mismatch_worked_example_three_occupations():
    # u = (10, 20, 70) -> (0.1, 0.2, 0.7); v = (30, 30, 40) -> (0.3, 0.3, 0.4)
    # JR = 0.5 * (0.2 + 0.1 + 0.3) = 0.3
    # SSTV(0.5) = 1 - [sqrt(.03) + sqrt(.06) + sqrt(.28)]
    #           = 1 - (0.1732051 + 0.2449490 + 0.5291503) = 0.0526956
    assert m.jackman_roper([10, 20, 70], [30, 30, 40]) == pytest.approx(0.3)
    assert m.sstv_mismatch([10, 20, 70], [30, 30, 40]) == pytest.approx(0.0526956, abs=1e-7)


def test_sstv_alpha_weights_vacancy_share():
    # u shares (1, 0), v shares (0.5, 0.5), alpha = 0.3 (vacancy exponent):
    # sum = 0.5^0.3 * 1^0.7 + 0.5^0.3 * 0^0.7 = 2^-0.3 -> M = 1 - 2^-0.3 = 0.1877476
    assert m.sstv_mismatch([10, 0], [5, 5], alpha=0.3) == pytest.approx(1 - 2**-0.3)
    assert m.sstv_mismatch([10, 0], [5, 5], alpha=0.3) == pytest.approx(0.1877476, abs=1e-7)


def test_mismatch_complete_segregation_is_one():
    assert m.jackman_roper([10, 0], [0, 5]) == pytest.approx(1.0)
    assert m.sstv_mismatch([10, 0], [0, 5]) == pytest.approx(1.0)


def test_mismatch_bounds_random():
    rng = np.random.default_rng(42)
    for _ in range(50):
        u = rng.integers(0, 100, size=7)
        v = rng.integers(0, 100, size=7)
        jr = m.jackman_roper(u, v)
        ms = m.sstv_mismatch(u, v, alpha=rng.uniform())
        assert 0.0 <= jr <= 1.0
        assert 0.0 <= ms <= 1.0


@pytest.mark.usefixtures("no_warnings")
def test_mismatch_zero_totals_nan():
    assert math.isnan(m.jackman_roper([0, 0], [1, 2]))
    assert math.isnan(m.jackman_roper([1, 2], [0, 0]))
    assert math.isnan(m.sstv_mismatch([0, 0], [1, 2]))
    assert math.isnan(m.sstv_mismatch([1, 2], [0, 0]))
    assert math.isnan(m.jackman_roper([], []))


@pytest.mark.parametrize("func", [m.jackman_roper, m.sstv_mismatch])
def test_mismatch_bad_input(func):
    with pytest.raises(ValueError, match="same shape"):
        func([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="non-negative"):
        func([1, -2], [1, 2])
    with pytest.raises(ValueError, match="one-dimensional"):
        func([[1, 2]], [[1, 2]])


def test_sstv_bad_alpha():
    with pytest.raises(ValueError, match="alpha"):
        m.sstv_mismatch([1, 2], [1, 2], alpha=1.5)
