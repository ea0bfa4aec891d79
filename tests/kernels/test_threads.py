"""The kernels' thread policy: small calls on one thread, results independent of threads."""

from __future__ import annotations

import numba
import numpy as np
import pytest
from _decisions import decision_rule, decision_world

from ecosim.kernels import _threads
from ecosim.kernels._threads import threads_for
from ecosim.kernels.learning import learn_and_forget
from ecosim.kernels.training import course_values, shortfall_rows, worker_decisions

TWO = min(2, numba.config.NUMBA_NUM_THREADS)


@pytest.fixture
def two_threads():
    before = numba.get_num_threads()
    numba.set_num_threads(TWO)
    yield
    numba.set_num_threads(before)


@pytest.mark.skipif(TWO < 2, reason="needs two numba threads")
def test_small_work_runs_on_one_thread_and_the_count_is_restored(two_threads) -> None:
    small, large = _threads.PARALLEL_MIN_WORK - 1, _threads.PARALLEL_MIN_WORK
    with threads_for(small):
        assert numba.get_num_threads() == 1
    assert numba.get_num_threads() == 2
    with threads_for(large):
        assert numba.get_num_threads() == 2
    with pytest.raises(RuntimeError), threads_for(small):
        raise RuntimeError("a kernel failed")
    assert numba.get_num_threads() == 2


def test_a_caller_limited_to_one_thread_stays_there() -> None:
    before = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        with threads_for(10 * _threads.PARALLEL_MIN_WORK):
            assert numba.get_num_threads() == 1
        with threads_for(1):
            assert numba.get_num_threads() == 1
        assert numba.get_num_threads() == 1
    finally:
        numba.set_num_threads(before)


def _per_row_results(n: int) -> list[np.ndarray]:
    rng = np.random.default_rng(3)
    skills = rng.random((n, 7))
    rows = rng.permutation(n)[: n // 2]
    occ = rng.integers(-1, 5, rows.size)
    req = rng.random((5, 7))
    weights = rng.random(7)
    gains = rng.random((4, 7)) * 0.4
    learnt = skills.copy()
    learn_and_forget(learnt, rows, occ, rng.random(rows.size) < 0.9, req, 0.05, 0.02, 0.01, 0.8)
    occ = np.maximum(occ, 0)
    workers, world = decision_world(3, n=n)
    decisions = worker_decisions(
        workers, **world, rule=decision_rule(True, True), sd=0.2, draws=(5, 2, 23, 24)
    )
    return [
        shortfall_rows(skills, rows, occ, req, weights),
        course_values(skills[rows], req[occ], gains, weights),
        learnt,
        *decisions,
    ]


def test_per_row_kernels_do_not_depend_on_threads(monkeypatch, two_threads) -> None:
    monkeypatch.setattr(_threads, "PARALLEL_MIN_WORK", 0)  # every call parallel
    parallel = _per_row_results(4001)
    numba.set_num_threads(1)
    serial = _per_row_results(4001)
    for a, b in zip(parallel, serial, strict=True):
        np.testing.assert_array_equal(a, b)
