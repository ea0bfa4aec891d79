"""Small random inputs of the workers' training decision kernel, shared by kernel tests."""

from __future__ import annotations

import numpy as np

from ecosim.kernels.training import Deciders, TrainingRule


def decision_world(seed: int, n: int = 2500, s: int = 5, c: int = 4, e: int = 30):
    """Small random arrays for :func:`worker_decisions` (an odd number of skills on purpose)."""
    rng = np.random.default_rng(seed)
    o = 6
    workers = Deciders(
        status=rng.choice(np.array([1, 2, 3, 4], dtype=np.int8), n, p=[0.6, 0.2, 0.1, 0.1]),
        course=np.where(rng.random(n) < 0.15, rng.integers(0, c, n), -1),
        age=rng.uniform(15.0, 80.0, n),
        education=rng.integers(0, 3, n).astype(np.int8),
        occupation=rng.integers(0, o, n),
        employer=np.where(rng.random(n) < 0.8, rng.integers(0, e, n), -1),
        displaced=rng.random(n) < 0.3,
        wage=rng.uniform(0.0, 5000.0, n),
        last_wage=rng.uniform(0.0, 5000.0, n),
        voucher_used=rng.choice([0.0, 300.0, 2000.0], n),
        skills=rng.random((n, s)),
    )
    aim_rows = np.flatnonzero((workers.status == 2) & (workers.course < 0))
    aim_occ = rng.integers(0, o, aim_rows.size)
    outlook = rng.random((o, s)) * (rng.random((o, s)) < 0.7)
    outlook[2] = 0.0  # a profile requiring nothing: every course is worth 0
    gains = rng.random((c, s)) * 0.4 * (rng.random((c, s)) < 0.5)
    world = dict(
        aim_rows=aim_rows,
        aim_occupation=aim_occ,
        outlook=outlook,
        weights=rng.random(s) + 0.1,
        gains=gains,
        cost=np.array([500.0, 1500.0, 4000.0, 800.0])[:c],
        available_from=np.array([0, 3, 0, 9])[:c],
        catalogue_month=2,
        members=rng.random((2, e)) < 0.3,
        programmes=np.array([[True, False, False, True, False, False], [False] * o]),
        member_effect=np.array([1.5, 1.2]),
        member_lead=np.array([7, 2]),
    )
    return workers, world


def decision_rule(retrain: bool, vouchers: bool) -> TrainingRule:
    """A rule with overlapping age bands and vouchers for some of the employed."""
    return TrainingRule(
        band_min=np.array([15.0, 30.0, 25.0]),
        band_max=np.array([30.0, 60.0, 40.0]),  # overlapping: the later band wins
        band_rate=np.array([0.3, 0.1, 0.2]),
        edu_mult=np.array([0.8, 1.2, 1.5]),
        unemployed_factor=1.7,
        return_weight=5.0,
        cost_weight=0.8,
        retrain_open=retrain,
        retrain_max=1000.0,
        retrain_boost=3.0,
        voucher_open=vouchers,
        voucher_amount=1000.0,
        elig_status=np.array([False, True, False, False, False]),  # the employed only
        elig_min_age=25.0,
        elig_max_age=60.0,
        elig_edu=np.array([True, False, True]),
    )
