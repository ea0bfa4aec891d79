"""Counter-based draws (kernels/random.py) against a plain-Python SplitMix64 chain."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from ecosim.kernels import random as counter

M64 = (1 << 64) - 1


def mix(z: int) -> int:
    z = (z + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def ref_uniform(key: int, purpose: int, month: int, i: int, j: int) -> float:
    h = mix(mix(mix(mix(key & M64) ^ (purpose & M64)) ^ (month & M64)) ^ (i & M64))
    return (mix(h ^ j) >> 11) * 2.0**-53


def test_uniforms_are_the_documented_hash_of_their_coordinates() -> None:
    ids = np.array([0, 1, 7, -3, 2**40])
    got = counter.uniform(12345, 6, -36, ids, columns=2)
    for a, i in enumerate(ids):
        for j in range(2):
            assert got[a, j] == ref_uniform(12345, 6, -36, int(i), j)


def test_a_draw_depends_on_who_what_and_when_only() -> None:
    ids = np.arange(1000)
    full = counter.uniform(9, 1, 5, ids)[:, 0]
    subset = counter.uniform(9, 1, 5, ids[::7])[:, 0]
    assert np.array_equal(full[::7], subset)  # others drawing or not changes nothing
    assert not np.array_equal(full, counter.uniform(9, 2, 5, ids)[:, 0])  # another purpose
    assert not np.array_equal(full, counter.uniform(9, 1, 6, ids)[:, 0])  # another month
    assert not np.array_equal(full, counter.uniform(10, 1, 5, ids)[:, 0])  # another stream


def test_uniforms_and_normals_have_their_distributions() -> None:
    ids = np.arange(200_000)
    u = counter.uniform(3, 4, 1, ids)[:, 0]
    assert u.min() >= 0.0 and u.max() < 1.0
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    z = counter.normal(3, 4, 1, ids, columns=2)
    assert stats.kstest(z[:, 0], "norm").pvalue > 1e-3
    assert abs(np.corrcoef(z[:, 0], z[:, 1])[0, 1]) < 4 / math.sqrt(ids.size)


def test_draws_do_not_depend_on_the_thread_count(monkeypatch) -> None:
    import numba

    from ecosim.kernels import _threads

    monkeypatch.setattr(_threads, "PARALLEL_MIN_WORK", 0)
    ids = np.arange(50_000)
    before = numba.get_num_threads()
    try:
        parallel = counter.normal(1, 2, 3, ids, 3)
        numba.set_num_threads(1)
        serial = counter.normal(1, 2, 3, ids, 3)
    finally:
        numba.set_num_threads(before)
    assert np.array_equal(parallel, serial)


@pytest.mark.parametrize("columns", [1, 4])
def test_empty_ids(columns: int) -> None:
    assert counter.uniform(1, 1, 1, np.zeros(0, dtype=np.int64), columns).shape == (0, columns)


def _round_reference(key: int, purpose: int, month: int, x: np.ndarray) -> np.ndarray:
    """Floor, and up where the flat index's uniform is below the fractional part."""
    flat = x.ravel()
    u = counter.uniform(key, purpose, month, np.arange(flat.size))[:, 0]
    frac = flat - np.floor(flat)
    up = (frac > 0) & (u < frac)
    return (np.floor(flat).astype(np.int64) + up).reshape(x.shape)


def test_stochastic_round_is_floor_plus_the_flat_index_draw(monkeypatch) -> None:
    import numba

    from ecosim.kernels import _threads

    rng = np.random.default_rng(5)
    x = rng.uniform(-3, 40, (300, 41))
    x[rng.random(x.shape) < 0.4] = 0.0
    x[rng.random(x.shape) < 0.2] = 7.0
    assert np.array_equal(counter.stochastic_round(9, 4, -2, x), _round_reference(9, 4, -2, x))
    monkeypatch.setattr(_threads, "PARALLEL_MIN_WORK", 0)
    before = numba.get_num_threads()
    try:
        parallel = counter.stochastic_round(9, 4, -2, x)
        numba.set_num_threads(1)
        serial = counter.stochastic_round(9, 4, -2, x)
    finally:
        numba.set_num_threads(before)
    assert np.array_equal(parallel, serial)
    assert counter.stochastic_round(1, 1, 1, np.zeros((0, 3))).shape == (0, 3)
