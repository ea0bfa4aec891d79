"""Learning by doing and skill depreciation (kernels/learning.py) against a plain loop."""

from __future__ import annotations

import numpy as np
import pytest

from ecosim.kernels.learning import learn_and_forget


def reference(skills, rows, occupation, working, requirements, lbd, delta, idle, phi):
    out = skills.copy()
    for k, i in enumerate(rows):
        for s in range(skills.shape[1]):
            x = out[i, s]
            r = requirements[occupation[k], s] if occupation[k] >= 0 else 0.0
            if working[k]:
                x = x + lbd * (r - x) if r > x else x - delta * (x - r)
            elif x > phi * r:
                x = x - idle * (x - phi * r)
            out[i, s] = x
    return out


@pytest.mark.parametrize("seed", range(3))
def test_matches_the_plain_loop(seed: int) -> None:
    rng = np.random.default_rng(seed)
    skills = rng.random((300, 6))
    rows = rng.permutation(300)[:200]
    occupation = rng.integers(-1, 4, rows.size)
    working = rng.random(rows.size) < 0.7
    requirements = rng.random((4, 6)) * (rng.random((4, 6)) < 0.6)
    args = (rows, occupation, working, requirements, 0.05, 0.01, 0.004, 0.8)
    expected = reference(skills, *args)
    learn_and_forget(skills, *args)
    np.testing.assert_array_equal(skills, expected)


def test_without_a_job_skills_fall_toward_the_floor_not_to_zero() -> None:
    skills = np.array([[0.9, 0.5]])
    requirements = np.array([[1.0, 0.0]])
    for _ in range(2000):
        learn_and_forget(skills, np.array([0]), np.array([0]), np.array([False]), requirements,
                         0.05, 0.01, 0.01, 0.8)  # fmt: skip
    np.testing.assert_allclose(skills, [[0.8, 0.0]], atol=1e-6)
    assert skills[0, 0] >= 0.8  # never below the floor


def test_at_work_skills_move_to_the_profile_from_both_sides() -> None:
    skills = np.array([[0.2, 0.9]])
    requirements = np.array([[0.7, 0.3]])
    for _ in range(3000):
        learn_and_forget(skills, np.array([0]), np.array([0]), np.array([True]), requirements,
                         0.05, 0.01, 0.5, 0.0)  # fmt: skip
    np.testing.assert_allclose(skills, requirements, atol=1e-6)
