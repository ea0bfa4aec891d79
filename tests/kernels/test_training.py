"""The fused training kernels against plain NumPy references of their formulas."""

from __future__ import annotations

import numpy as np
import pytest

from ecosim.kernels.training import best_courses, course_values, shortfall_rows


def reference(skills, targets, gains, weights):
    """v_ic = sum_s a_s min(g_cs, max(0, r_is - x_is)) / sum_s a_s r_is (0 if nothing required)."""
    gap = np.maximum(targets - skills, 0.0)
    need = targets @ weights
    out = np.stack([np.minimum(gap, g) @ weights for g in gains], axis=1)
    return np.divide(out, need[:, None], out=np.zeros_like(out), where=need[:, None] > 0)


@pytest.mark.parametrize("seed", range(4))
def test_course_values_match_reference(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, s, c = 500, 7, 5
    skills = rng.random((n, s))
    targets = rng.random((n, s)) * (rng.random((n, s)) < 0.5)
    targets[:3] = 0.0  # nothing required: value 0
    gains = rng.random((c, s)) * 0.3 * (rng.random((c, s)) < 0.5)
    weights = rng.random(s) + 0.1
    got = course_values(skills, targets, gains, weights)
    np.testing.assert_allclose(got, reference(skills, targets, gains, weights), rtol=1e-12, atol=0)
    assert np.all(got[:3] == 0.0)
    assert np.all((got >= 0) & (got <= 1 + 1e-12))


def test_course_value_hand_computed() -> None:
    # gap = (0.5, 0, 0.1); a = (1, 2, 1); need = 0.9 + 0 + 0.5 = 1.4
    skills = np.array([[0.4, 0.9, 0.4]])
    targets = np.array([[0.9, 0.0, 0.5]])
    gains = np.array([[0.2, 0.5, 0.0], [1.0, 1.0, 1.0]])
    weights = np.array([1.0, 2.0, 1.0])
    np.testing.assert_allclose(
        course_values(skills, targets, gains, weights), [[0.2 / 1.4, 0.6 / 1.4]]
    )


def test_shortfall_rows_match_reference() -> None:
    rng = np.random.default_rng(5)
    skills = rng.random((50, 6))
    requirements = rng.random((4, 6)) * (rng.random((4, 6)) < 0.6)
    requirements[3] = 0.0  # an occupation requiring nothing has no shortfall
    weights = rng.random(6) + 0.2
    rows = rng.choice(50, size=30, replace=False)
    occ = rng.integers(0, 4, size=30)
    req = requirements[occ]
    need = req @ weights
    gap = np.maximum(req - skills[rows], 0.0) @ weights
    expected = np.divide(gap, need, out=np.zeros_like(gap), where=need > 0)
    got = shortfall_rows(skills, rows, occ, requirements, weights)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)
    assert np.all(got[occ == 3] == 0.0)


@pytest.mark.parametrize("n", [0, 1, 7, 300, 1000])
def test_course_values_any_number_of_rows(n: int) -> None:
    rng = np.random.default_rng(n)
    skills, targets = rng.random((n, 4)), rng.random((n, 4))
    gains, weights = rng.random((3, 4)) * 0.3, rng.random(4) + 0.1
    got = course_values(skills, targets, gains, weights)
    assert got.shape == (n, 3)
    np.testing.assert_allclose(got, reference(skills, targets, gains, weights), rtol=1e-12, atol=0)


def best_reference(values, cost, support, wage, available_from, horizon, rw, cw):
    """The numpy formulation the model used before the fused kernel (its results, exactly)."""
    net = np.broadcast_to(cost, values.shape) - support
    score = rw * values - cw * net / wage[:, None]
    score = np.where(available_from[None, :] <= horizon[:, None], score, -np.inf)
    best = np.argmax(score, axis=1)
    pick = np.arange(values.shape[0])
    return best, score[pick, best], net[pick, best]


@pytest.mark.parametrize("seed", range(3))
def test_best_courses_equal_the_numpy_argmax_exactly(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, c = 400, 6
    values = rng.random((n, c)) * (rng.random((n, c)) < 0.7)
    values[:20, 2] = values[:20, 4]  # equal values: the tie goes to the first course
    cost = rng.uniform(200.0, 3000.0, c)
    cost[4] = cost[2]
    support = np.where(rng.random((n, c)) < 0.3, rng.uniform(0.0, 1.0, (n, c)) * cost, 0.0)
    support[:20, [2, 4]] = 0.0
    wage = rng.uniform(1.0, 5000.0, n)
    available_from = np.array([0, 5, 0, 12, 0, 30])
    horizon = rng.integers(0, 40, n)
    horizon[:5] = -1  # nothing available yet
    got = best_courses(values, cost, support, wage, available_from, horizon, 3.0, 0.7)
    want = best_reference(values, cost, support, wage, available_from, horizon, 3.0, 0.7)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(g, w)
    assert np.all(got[0][:5] == 0) and np.all(np.isneginf(got[1][:5]))
    tied = (horizon[:20] >= 0) & (got[0][:20] == 4)
    assert not tied.any()  # course 4 never wins a tie against course 2
