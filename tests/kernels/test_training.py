"""The fused training kernels against plain NumPy references of their formulas.

The skill shortfall is defined once, in :mod:`ecosim.skills`; the kernels inline it and are
checked against it here (exactly, since both sum over skills in order).
"""

from __future__ import annotations

import numpy as np
import pytest

from ecosim import skills as fit
from ecosim.kernels.training import best_courses, course_values, shortfall_rows


def reference(skills, targets, gains, weights):
    """A course's value is the shortfall it closes: ``shortfall(x) - shortfall(x + g)``.

    Summed differently from the kernel's ``Σ_s a_s min(g_cs, max(0, r_is − x_is)) / need``, so
    the comparison allows for rounding: ``rtol=1e-12``, and ``atol=1e-15`` for values that are
    the difference of two nearly equal shortfalls (seen: 1.5e-16).
    """
    before = fit.shortfall(skills, targets, weights)
    after = [fit.shortfall(skills + g, targets, weights) for g in gains]
    return np.stack([before - a for a in after], axis=1)


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
    np.testing.assert_allclose(
        got, reference(skills, targets, gains, weights), rtol=1e-12, atol=1e-15
    )
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


def test_shortfall_rows_equal_the_one_definition() -> None:
    rng = np.random.default_rng(5)
    skills = rng.random((50, 6))
    requirements = rng.random((4, 6)) * (rng.random((4, 6)) < 0.6)
    requirements[3] = 0.0  # an occupation requiring nothing has no shortfall
    weights = rng.random(6) + 0.2
    rows = rng.choice(50, size=30, replace=False)
    occ = rng.integers(0, 4, size=30)
    expected = fit.shortfall(skills[rows], requirements[occ], weights)
    got = shortfall_rows(skills, rows, occ, requirements, weights)
    np.testing.assert_array_equal(got, expected)
    assert np.all(got[occ == 3] == 0.0)


@pytest.mark.parametrize("n", [0, 1, 7, 300, 1000])
def test_course_values_any_number_of_rows(n: int) -> None:
    rng = np.random.default_rng(n)
    skills, targets = rng.random((n, 4)), rng.random((n, 4))
    gains, weights = rng.random((3, 4)) * 0.3, rng.random(4) + 0.1
    got = course_values(skills, targets, gains, weights)
    assert got.shape == (n, 3)
    np.testing.assert_allclose(
        got, reference(skills, targets, gains, weights), rtol=1e-12, atol=1e-15
    )


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


def test_course_values_match_a_plain_loop():
    rng = np.random.default_rng(1)
    x, r, g, a = rng.random((5, 3)), rng.random((5, 3)), rng.random((2, 3)) * 0.3, rng.random(3)
    got = course_values(x, r, g, a)
    for i in range(5):
        for c in range(2):
            gain = sum(a[s] * min(g[c, s], max(0.0, r[i, s] - x[i, s])) for s in range(3))
            assert got[i, c] == pytest.approx(gain / (r[i] @ a))
