"""Course arithmetic (ecosim.courses): first-come-first-served places."""

from __future__ import annotations

import numpy as np

from ecosim import courses
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


def test_start_probability_of_a_huge_course_value_is_one_without_overflow() -> None:
    # A job that requires almost nothing makes the relative value of a course huge.
    p = courses.start_probability(
        np.array([0.1, 0.0]), np.array([1e300, 1e300]), np.zeros(2), np.ones(2), 5.0, 1.0
    )
    assert p.tolist() == [1.0, 0.0]
