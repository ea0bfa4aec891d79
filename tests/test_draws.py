"""Draws (ecosim.draws): choices, rounding and orders keyed by identity."""

from __future__ import annotations

import numpy as np
from scipy import stats

from ecosim.draws import Draws, Purpose


def test_choice_follows_its_probabilities() -> None:
    draws = Draws(7)
    p = np.array([0.5, 0.0, 0.3, 0.2])
    picks = draws.choice(3, Purpose.PROGRAMME, np.arange(100_000), p)
    counts = np.bincount(picks, minlength=4)
    assert counts[1] == 0
    keep = p > 0
    chi = stats.chisquare(counts[keep], p[keep] * picks.size)
    assert chi.pvalue > 1e-3


def test_round_keeps_expectations_and_integers() -> None:
    draws = Draws(8)
    x = np.full((200, 100), 2.3)
    r = draws.round(1, Purpose.GROW, x)
    assert set(np.unique(r)) <= {2, 3}
    assert abs(r.mean() - 2.3) < 4 * np.sqrt(0.21 / x.size)
    assert np.array_equal(draws.round(1, Purpose.GROW, np.array([4.0, 0.0])), [4, 0])


def test_an_order_is_a_permutation_that_sorts_the_ids_draws() -> None:
    draws = Draws(9)
    ids = np.array([10, 3, 99, 42, 7])
    order = draws.order(2, Purpose.WORKER_ORDER, ids)
    assert sorted(order.tolist()) == list(range(5))
    u = draws.uniform(2, Purpose.WORKER_ORDER, ids)
    assert np.all(np.diff(u[order]) >= 0)
    # The same ids in another arrangement come out in the same relative order.
    again = draws.order(2, Purpose.WORKER_ORDER, ids[::-1])
    assert ids[::-1][again].tolist() == ids[order].tolist()
