"""Course arithmetic (ecosim.courses): first-come-first-served places."""

from __future__ import annotations

import numpy as np

from ecosim.courses import within_capacity


def test_within_capacity_first_come_first_served():
    course = np.array([0, 1, 0, 0, 1, 2])
    assert within_capacity(course, np.array([2.0, 1.0, 0.0])).tolist() == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]
