"""The worker table's status column and its shared index sets (ecosim.state)."""

from __future__ import annotations

import numpy as np
import pytest

from ecosim.state import Status, WorkerState


def rescan(w: WorkerState, status: Status) -> np.ndarray:
    return np.flatnonzero(w.view("status") == status)


def test_status_is_written_only_through_set_status() -> None:
    w = WorkerState(n_skills=2)
    w.add(5)
    with pytest.raises(ValueError, match="read-only"):
        w.status[0] = Status.EMPLOYED
    with pytest.raises(ValueError, match="read-only"):
        w.view("status")[:] = Status.EMPLOYED
    w.set_status(np.array([1, 3]), Status.EMPLOYED)
    assert list(w.view("status")) == [2, 1, 2, 1, 2]


def test_index_sets_follow_every_change_and_are_shared_in_between() -> None:
    rng = np.random.default_rng(7)
    w = WorkerState(n_skills=1, capacity=16)
    w.add(10)
    for step in range(60):
        if step % 7 == 3:
            w.add(int(rng.integers(1, 40)))  # new rows are unemployed; the table grows
        rows = rng.choice(w.n, size=int(rng.integers(0, 6)), replace=False)
        w.set_status(rows, Status(int(rng.integers(1, 5))))
        if step % 5 == 0:
            mask = rng.random(w.n) < 0.1
            w.set_status(mask, Status.INACTIVE)
        for status in Status:
            got = w.rows_with(status)
            np.testing.assert_array_equal(got, rescan(w, status))
            assert w.rows_with(status) is got  # unchanged column: the same array, not a rescan
            assert not got.flags.writeable
        np.testing.assert_array_equal(
            w.present_rows(), np.flatnonzero(w.view("status") != Status.RETIRED)
        )


def test_an_empty_change_keeps_the_sets() -> None:
    w = WorkerState(n_skills=1)
    w.add(8)
    unemployed = w.rows_with(Status.UNEMPLOYED)
    w.set_status(np.array([], dtype=np.int64), Status.EMPLOYED)
    w.set_status(np.zeros(8, dtype=bool), Status.EMPLOYED)
    assert w.rows_with(Status.UNEMPLOYED) is unemployed
    w.set_status(np.array([2]), Status.EMPLOYED)
    assert list(w.rows_with(Status.EMPLOYED)) == [2]
