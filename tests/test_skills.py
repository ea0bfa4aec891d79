"""The one definition of the skill shortfall and fit, against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from ecosim import skills


def test_shortfall_counts_only_missing_skill_weighted() -> None:
    # missing: 0.5 (skill 0), 0 (skill 1: has more than needed), 0.1 (skill 2)
    x = np.array([0.4, 0.9, 0.4])
    r = np.array([0.9, 0.2, 0.5])
    a = np.array([1.0, 2.0, 1.0])
    need = 0.9 + 2 * 0.2 + 0.5
    assert skills.missing_mass(x, r, a) == pytest.approx(0.6)
    assert skills.required_mass(r, a) == pytest.approx(need)
    assert skills.shortfall(x, r, a) == pytest.approx(0.6 / need)
    assert skills.fit(x, r, a) == pytest.approx(1 - 0.6 / need)


def test_a_job_requiring_nothing_has_no_shortfall() -> None:
    out = skills.shortfall(np.zeros((2, 3)), np.zeros((2, 3)), np.ones(3))
    assert np.array_equal(out, [0.0, 0.0])
    assert np.array_equal(skills.fit(np.zeros(3), np.zeros(3), np.ones(3)), 1.0)


def test_broadcasts_workers_against_jobs() -> None:
    rng = np.random.default_rng(0)
    x, r, a = rng.random((4, 5)), rng.random((3, 5)), rng.random(5)
    pairs = skills.shortfall(x[:, None, :], r[None, :, :], a)
    assert pairs.shape == (4, 3)
    for i in range(4):
        for j in range(3):
            assert pairs[i, j] == skills.shortfall(x[i], r[j], a)
    assert np.all((pairs >= 0) & (pairs <= 1))


def test_mismatched_skill_axes_are_refused() -> None:
    with pytest.raises(ValueError, match="skill axis"):
        skills.shortfall(np.zeros((2, 3)), np.zeros((2, 4)), np.ones(3))
