"""The fused training kernels against plain NumPy references of their formulas.

The skill shortfall is defined once, in :mod:`ecosim.skills`; the kernels inline it and are
checked against it here (exactly, since both sum over skills in order).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from _decisions import decision_rule, decision_world

from ecosim import skills as fit
from ecosim.kernels import random as counter
from ecosim.kernels.training import (
    Participants,
    aimed_occupations,
    course_values,
    progress_courses,
    shortfall_rows,
    worker_decisions,
)


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


def _aim_reference(skills, rows, own, education, occ_education, req, weights, tight, sd, reach,
                   switch, draws):  # fmt: skip
    """The aimed occupation in plain NumPy: (rows, occupations) noise, fits and scores."""
    noise = counter.normal(*draws, rows, req.shape[0])
    perceived = tight[None, :] * np.exp(sd * noise)
    fits = 1.0 - fit.shortfall(skills[rows][:, None, :], req[None], weights)
    level_ok = occ_education[None, :] <= education[rows][:, None]
    score = np.where(level_ok & (fits >= reach), perceived, -np.inf)
    best = np.argmax(score, axis=1)
    i = np.arange(rows.size)
    mine = perceived[i, own]
    better = (score[i, best] >= switch * mine) & (score[i, best] > mine)
    return np.where(better, best, own)


@pytest.mark.parametrize("sd", [0.0, 0.5])
def test_aimed_occupations_equal_the_numpy_reference(sd: float) -> None:
    rng = np.random.default_rng(8)
    n, n_occ, n_skills = 400, 9, 6
    skills = rng.random((n, n_skills))
    req = rng.random((n_occ, n_skills)) * (rng.random((n_occ, n_skills)) < 0.7)
    weights = rng.random(n_skills) + 0.2
    education = rng.integers(0, 3, n).astype(np.int8)
    occ_education = rng.integers(0, 3, n_occ)
    tight = rng.random(n_occ) * (rng.random(n_occ) < 0.8)  # some occupations without openings
    rows = np.sort(rng.choice(n, 250, replace=False))
    own = rng.integers(0, n_occ, rows.size)
    args = (skills, rows, own, education, occ_education, req, weights, tight, sd, 0.6, 1.2)
    draws = (2**64 - 5, 17, -3)
    expected = _aim_reference(*args, draws)
    got = aimed_occupations(*args, draws)
    np.testing.assert_array_equal(got, expected)
    assert 0 < np.count_nonzero(got != own) < rows.size  # some switch, some stay
    assert aimed_occupations(skills, rows[:0], own[:0], *args[3:], draws).shape == (0,)


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


def test_course_values_match_a_plain_loop():
    rng = np.random.default_rng(1)
    x, r, g, a = rng.random((5, 3)), rng.random((5, 3)), rng.random((2, 3)) * 0.3, rng.random(3)
    got = course_values(x, r, g, a)
    for i in range(5):
        for c in range(2):
            gain = sum(a[s] * min(g[c, s], max(0.0, r[i, s] - x[i, s])) for s in range(3))
            assert got[i, c] == pytest.approx(gain / (r[i] @ a))


# ------------------------------------------------------------------ the workers' decision


def reference_noise(key: int, purpose: int, month: int, row: int, n_skills: int) -> list[float]:
    """Marsaglia's polar method on the row's counter-based uniforms ``2 (t P + k)`` and the next."""
    pairs = (n_skills + 1) // 2
    z = []
    for k in range(pairs):
        t = 0
        while True:
            j = 2 * (t * pairs + k)
            u = counter.uniform(key, purpose, month, np.array([row]), j + 2)[0]
            a, b = 2.0 * u[j] - 1.0, 2.0 * u[j + 1] - 1.0
            q = a * a + b * b
            if 0.0 < q < 1.0:
                break
            t += 1
        m = math.sqrt(-2.0 * math.log(q) / q)
        z += [a * m, b * m]
    return z[:n_skills]


def reference_decisions(workers, world, rule, sd, draws):
    """The decision rule, worker by worker, in plain Python (the formulas of the docstrings)."""
    key, month, noise_purpose, starts_purpose = draws
    x, a, g, cost = workers.skills, world["weights"], world["gains"], world["cost"]
    n_skills, n_courses = x.shape[1], cost.size
    aim = dict(zip(world["aim_rows"].tolist(), world["aim_occupation"].tolist(), strict=True))
    out = []
    for i in range(x.shape[0]):
        st = int(workers.status[i])
        if st not in (1, 2) or workers.course[i] >= 0:
            continue
        unemployed = st == 2
        r = world["outlook"][aim[i] if unemployed else workers.occupation[i]]
        retrain = rule.retrain_open and unemployed and bool(workers.displaced[i])
        age, edu = workers.age[i], int(workers.education[i])
        vouchers = (
            rule.voucher_open and not retrain and bool(rule.elig_status[st])
            and rule.elig_min_age <= age < rule.elig_max_age and bool(rule.elig_edu[edu])
        )  # fmt: skip
        effect, lead = 1.0, 0
        if workers.employer[i] >= 0:
            for k in range(world["members"].shape[0]):
                if world["members"][k, workers.employer[i]]:
                    effect = max(effect, world["member_effect"][k])
                    lead = max(lead, int(world["member_lead"][k]))
        if unemployed:
            for k in range(world["programmes"].shape[0]):
                if world["programmes"][k, aim[i]]:
                    effect = max(effect, world["member_effect"][k])
                    lead = max(lead, int(world["member_lead"][k]))
        z = reference_noise(key, noise_purpose, month, i, n_skills)
        perceived = [r[s] + sd * z[s] for s in range(n_skills)]
        need = 0.0
        for s in range(n_skills):
            need += a[s] * r[s]
        wage = max(workers.last_wage[i] if unemployed else workers.wage[i], 1.0)
        best, top = None, -math.inf
        for c in range(n_courses):
            gain = 0.0
            for s in range(n_skills):
                gain += a[s] * min(g[c, s], max(0.0, perceived[s] - x[i, s]))
            v = (gain / need if need > 0 else 0.0) * effect
            support = 0.0
            if retrain:
                support = min(cost[c], rule.retrain_max)
            elif vouchers:
                support = max(min(cost[c], rule.voucher_amount - workers.voucher_used[i]), 0.0)
            net = cost[c] - support
            score = rule.return_weight * v - rule.cost_weight * net / wage
            if world["available_from"][c] <= world["catalogue_month"] + lead and score > top:
                best, top, value, best_net = c, score, v, net
        if best is None:
            continue
        base = 0.0
        for lo, hi, rate in zip(rule.band_min, rule.band_max, rule.band_rate, strict=True):
            if lo <= age < hi:
                base = rate
        base = base * rule.edu_mult[edu]
        base = base * (rule.unemployed_factor if unemployed else 1.0)
        base = base * (rule.retrain_boost if retrain else 1.0)
        exponent = min(rule.return_weight * value - rule.cost_weight * (best_net / wage), 700.0)
        p = min(base * math.exp(exponent), 1.0)
        u = counter.uniform(key, starts_purpose, month, np.array([i]))[0, 0]
        if u < p:
            out.append((i, best, value, p))
    rows, best, value, p = zip(*out, strict=True)
    return np.array(rows), np.array(best), np.array(value), np.array(p)


OPEN = [(0, False, False), (1, True, True), (2, True, False), (3, False, True)]


@pytest.mark.parametrize(("seed", "retrain", "vouchers"), OPEN)
def test_worker_decisions_equal_a_plain_python_reference_exactly(seed, retrain, vouchers) -> None:
    workers, world = decision_world(seed)
    draws = (2**63 + 12345 + seed, -7 + seed, 23, 24)
    rule = decision_rule(retrain, vouchers)
    got = worker_decisions(workers, **world, rule=rule, sd=0.2, draws=draws)
    want = reference_decisions(workers, world, rule, 0.2, draws)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(g, w)
    rows = got[0]
    assert 100 < rows.size < 0.8 * len(workers.status)  # a real decision: some start, not all
    assert np.all(np.isin(workers.status[rows], [1, 2])) and np.all(workers.course[rows] < 0)


def test_the_perception_noise_is_standard_normal_per_skill() -> None:
    z = np.array([reference_noise(99, 23, 4, row, 5) for row in range(4000)])
    assert np.all(np.abs(z.mean(axis=0)) < 4 / np.sqrt(z.shape[0]))
    np.testing.assert_allclose(z.std(axis=0), 1.0, rtol=0.05)
    corr = np.corrcoef(z.T)[np.triu_indices(5, 1)]
    assert np.all(np.abs(corr) < 4 / np.sqrt(z.shape[0]))  # a pair's cos and sin included


def test_a_worker_decides_the_same_whoever_else_decides() -> None:
    """Counter-based draws: removing other deciders changes no one else's decision."""
    workers, world = decision_world(5)
    draws = (17, 3, 23, 24)
    full = worker_decisions(workers, **world, rule=decision_rule(True, True), sd=0.2, draws=draws)
    status = workers.status.copy()
    status[::3] = 3  # a third of the workers leave the labour force
    fewer = workers._replace(status=status)
    fewer = worker_decisions(fewer, **world, rule=decision_rule(True, True), sd=0.2, draws=draws)
    kept = full[0] % 3 != 0
    for f, g in zip(full, fewer, strict=True):
        np.testing.assert_array_equal(f[kept], g)


def _progress_reference(cols: dict, rows, gains, hazard, draws):
    """Courses advancing a month, in plain NumPy on copies of the columns."""
    c = {k: v.copy() for k, v in cols.items()}
    course = c["course"][rows]
    c["course_months_left"][rows] -= 1
    drop = counter.uniform(*draws, rows)[:, 0] < hazard[course]
    done = (c["course_months_left"][rows] <= 0) & ~drop
    fin = rows[done]
    c["skills"][fin] = np.minimum(
        c["skills"][fin] + c["course_effect"][fin][:, None] * gains[c["course"][fin]], 1.0
    )
    switch = fin[(c["course_occupation"][fin] >= 0) & (c["status"][fin] == 2)]
    c["occupation"][switch] = c["course_occupation"][switch]
    c["retrained"][switch] = True
    ended = rows[done | drop]
    c["course_occupation"][ended] = -1
    c["course"][ended] = -1
    c["course_months_left"][ended] = 0
    c["course_sponsor"][ended] = 0
    c["course_effect"][ended] = 1.0
    return c, fin.size, int(np.count_nonzero(drop))


def test_progress_courses_equals_the_numpy_reference() -> None:
    rng = np.random.default_rng(11)
    n, n_courses, n_skills = 3000, 6, 5
    in_course = rng.random(n) < 0.4
    cols = {
        "course": np.where(in_course, rng.integers(0, n_courses, n), -1),
        "course_months_left": np.where(in_course, rng.integers(1, 4, n), 0),
        "course_occupation": np.where(in_course & (rng.random(n) < 0.3), 2, -1),
        "course_sponsor": np.where(in_course, rng.integers(0, 2, n), 0).astype(np.int8),
        "course_effect": np.where(in_course, 1.0 + rng.random(n), 1.0),
        "status": rng.integers(0, 3, n).astype(np.int8),
        "occupation": rng.integers(0, 4, n),
        "retrained": np.zeros(n, dtype=bool),
        "skills": rng.random((n, n_skills)),
    }
    gains = rng.random((n_courses, n_skills)) * (rng.random((n_courses, n_skills)) < 0.5)
    hazard = rng.random(n_courses) * 0.3
    rows = np.flatnonzero(in_course)
    draws = (2**63 + 9, 21, -4)
    expected, completed, dropped = _progress_reference(cols, rows, gains, hazard, draws)
    got = {k: v.copy() for k, v in cols.items()}
    counts = progress_courses(Participants(**got), rows, gains, hazard, 2, 0, draws)
    assert counts == (completed, dropped) and completed > 0 and dropped > 0
    for name, values in expected.items():
        np.testing.assert_array_equal(got[name], values, err_msg=name)
