"""The recording kernels against plain NumPy references, and against ``ecosim.skills``.

The kernels add into their sums in row order. The references below add in the same order —
``np.bincount`` accumulates its weights in input order and ``np.cumsum`` row after row — and
add exact zeros where a kernel skips a term, which changes no sum, so results are compared for
exact equality. The status codes are deliberately not the model's: the kernels take them as
arguments.
"""

from __future__ import annotations

import numpy as np
import pytest

from ecosim import skills as ecosim_skills
from ecosim.kernels.recording import (
    GROUP_COLUMNS,
    WorkerSums,
    cell_sums,
    group_sums,
    worker_sums,
)

EMPLOYED, UNEMPLOYED, OTHER = 3, 5, 0


def in_row_order(values: np.ndarray) -> np.ndarray:
    """Column sums adding one row after another (a cumulative sum is sequential)."""
    if len(values) == 0:
        return np.zeros(values.shape[1:])
    return np.cumsum(values, axis=0)[-1]


def reference_worker_sums(
    status, occupation, employer, region, skills, requirements, weights, n_employers, n_regions
) -> WorkerSums:
    """The employed's shortfall ``missing / need`` (ecosim.skills) and plain sums and counts."""
    rows = np.flatnonzero(status == EMPLOYED)
    occ = occupation[rows]
    x, r = skills[rows], requirements[occ]
    shortfall = ecosim_skills.shortfall(x, r, weights)
    unemployed = status == UNEMPLOYED
    n_occ = requirements.shape[0]

    def count(groups: np.ndarray, size: int) -> np.ndarray:
        return np.bincount(groups, minlength=size).astype(np.float64)

    return WorkerSums(
        rows=rows,
        shortfall=shortfall,
        deficit_sum=in_row_order(np.maximum(r - x, 0.0)),
        held_employed_sum=in_row_order(x),
        held_unemployed_sum=in_row_order(skills[unemployed]),
        n_unemployed=int(np.count_nonzero(unemployed)),
        shortfall_by_employer=np.bincount(employer[rows], shortfall, n_employers),
        employed_by_employer=count(employer[rows], n_employers),
        shortfall_by_occupation=np.bincount(occ, shortfall, n_occ),
        employed_by_occupation=count(occ, n_occ),
        employed_by_residence=count(region[rows], n_regions),
    )


def random_workers(seed: int, n: int = 400, n_skills: int = 7) -> dict:
    rng = np.random.default_rng(seed)
    n_emp, n_occ, n_reg = 9, 5, 3
    status = rng.choice([EMPLOYED, UNEMPLOYED, OTHER], size=n, p=[0.6, 0.3, 0.1]).astype(np.int8)
    requirements = rng.random((n_occ, n_skills)) * (rng.random((n_occ, n_skills)) < 0.6)
    requirements[-1] = 0.0  # an occupation requiring nothing: shortfall 0
    return {
        "status": status,
        "occupation": rng.integers(0, n_occ, n),
        "employer": np.where(status == EMPLOYED, rng.integers(0, n_emp, n), -1),
        "region": rng.integers(0, n_reg, n),
        "skills": rng.random((n, n_skills)),
        "requirements": requirements,
        "weights": rng.random(n_skills) + 0.1,
        "n_employers": n_emp,
        "n_regions": n_reg,
    }


@pytest.mark.parametrize(("seed", "n_skills"), [(0, 3), (1, 7), (2, 12), (3, 20)])
def test_worker_sums_match_reference(seed: int, n_skills: int) -> None:
    args = random_workers(seed, n_skills=n_skills)
    got = worker_sums(**args, employed=EMPLOYED, unemployed=UNEMPLOYED)
    expected = reference_worker_sums(**args)
    assert got.n_unemployed == expected.n_unemployed > 0
    for name, value in expected._asdict().items():
        np.testing.assert_array_equal(getattr(got, name), value, err_msg=name)
    assert np.all(got.shortfall[args["occupation"][got.rows] == 4] == 0.0)


@pytest.mark.parametrize("n_skills", [3, 7, 8, 12, 20])
def test_worker_shortfall_is_the_ecosim_skills_shortfall(n_skills: int) -> None:
    args = random_workers(4, n_skills=n_skills)
    got = worker_sums(**args, employed=EMPLOYED, unemployed=UNEMPLOYED)
    r = args["requirements"][args["occupation"][got.rows]]
    expected = ecosim_skills.shortfall(args["skills"][got.rows], r, args["weights"])
    np.testing.assert_array_equal(got.shortfall, expected)


def test_worker_sums_with_nobody_employed() -> None:
    args = random_workers(6)
    args["status"][:] = UNEMPLOYED
    args["employer"][:] = -1
    got = worker_sums(**args, employed=EMPLOYED, unemployed=UNEMPLOYED)
    assert got.rows.size == 0 and got.shortfall.size == 0
    assert got.n_unemployed == args["status"].size
    assert np.all(got.employed_by_employer == 0.0) and np.all(got.deficit_sum == 0.0)
    np.testing.assert_array_equal(got.held_unemployed_sum, in_row_order(args["skills"]))


def reference_cell_sums(headcount, target, openings, hires, sector, region, n_sectors, n_regions):
    """Each value of the (employer, occupation) cells, in C order, summed by group."""
    n_emp, n_occ = headcount.shape
    values = np.stack([headcount, target, openings, hires]).astype(np.float64).reshape(4, -1)
    sectors, regions = np.repeat(sector, n_occ), np.repeat(region, n_occ)
    occupations = np.tile(np.arange(n_occ), n_emp)

    def by(groups: np.ndarray, size: int) -> np.ndarray:
        return np.stack([np.bincount(groups, v, size) for v in values])

    return by(sectors, n_sectors), by(occupations, n_occ), by(regions, n_regions)


@pytest.mark.parametrize("seed", range(3))
def test_cell_sums_match_reference(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_emp, n_occ, n_sec, n_reg = 30, 6, 4, 3
    args = (
        rng.integers(0, 50, (n_emp, n_occ)),
        rng.random((n_emp, n_occ)) * 50,
        rng.integers(0, 5, (n_emp, n_occ)),
        rng.integers(0, 3, (n_emp, n_occ)),
        rng.integers(0, n_sec - 1, n_emp),  # the last sector has no employer
        rng.integers(0, n_reg, n_emp),
        n_sec,
        n_reg,
    )
    got = cell_sums(*args)
    expected = reference_cell_sums(*args)
    assert [g.shape for g in got] == [(4, n_sec), (4, n_occ), (4, n_reg)]
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_array_equal(g, e)
    assert np.all(got[0][:, -1] == 0.0)


def reference_group_sums(
    status, prev_status, education, age, age_edges, region, spells, shortfall, long_term,
    n_education, n_regions,
):  # fmt: skip
    """Per-worker indicator columns, summed per group of each dimension with np.bincount."""
    n, m, n_age = status.size, prev_status.size, len(age_edges) - 1
    is_e, is_u = status == EMPLOYED, status == UNEMPLOYED
    was_e, was_u = np.zeros(n, bool), np.zeros(n, bool)
    was_e[:m], was_u[:m] = prev_status == EMPLOYED, prev_status == UNEMPLOYED
    columns = np.zeros((n, len(GROUP_COLUMNS)))
    columns[:, 0] = is_e
    columns[:, 1] = is_u
    columns[:, 2] = is_u & (spells >= long_term)
    columns[is_u, 3] = spells[is_u]
    columns[is_e, 4] = shortfall
    columns[:, 5] = was_u
    columns[:, 6] = was_u & is_e
    columns[:, 7] = was_e
    columns[:, 8] = was_e & is_u
    band = np.searchsorted(age_edges, age, side="right") - 1
    in_band = (age >= age_edges[0]) & (age < age_edges[-1])
    size = n_education + n_age + n_regions
    out = np.zeros((size, len(GROUP_COLUMNS)))
    for groups, keep in (
        (education.astype(np.int64), np.ones(n, bool)),
        (n_education + band, in_band),
        (n_education + n_age + region, np.ones(n, bool)),
    ):
        for c in range(len(GROUP_COLUMNS)):
            out[:, c] += np.bincount(groups[keep], columns[keep, c], size)
    return out


@pytest.mark.parametrize(
    ("seed", "edges"),
    [(0, (15, 25, 35, 45, 55, 65, 75)), (1, (15, 25, 65, np.inf)), (2, (18, 67))],
)
def test_group_sums_match_reference(seed: int, edges: tuple[float, ...]) -> None:
    rng = np.random.default_rng(seed)
    n, m, n_ed, n_reg = 600, 550, 3, 4  # rows from m on are new this month
    status = rng.choice([EMPLOYED, UNEMPLOYED, OTHER], size=n, p=[0.6, 0.3, 0.1]).astype(np.int8)
    age = rng.uniform(10, 85, n)
    age[:20] = rng.choice(np.asarray(edges)[np.isfinite(edges)], 20)  # exactly on an edge
    args = dict(
        status=status,
        prev_status=rng.choice([EMPLOYED, UNEMPLOYED, OTHER], size=m).astype(np.int8),
        education=rng.integers(0, n_ed, n).astype(np.int8),
        age=age,
        age_edges=np.asarray(edges, dtype=np.float64),
        region=rng.integers(0, n_reg, n),
        spells=np.where(status == UNEMPLOYED, rng.integers(1, 40, n), 0),
        shortfall=rng.random(int(np.count_nonzero(status == EMPLOYED))),
        long_term=12,
        n_education=n_ed,
        n_regions=n_reg,
    )
    got = group_sums(**args, employed=EMPLOYED, unemployed=UNEMPLOYED)
    expected = reference_group_sums(**args)
    assert got.shape == (n_ed + len(edges) - 1 + n_reg, len(GROUP_COLUMNS))
    np.testing.assert_array_equal(got, expected)
    # every worker counts once per dimension, and only the banded ones by age
    total = got[:, 0] + got[:, 1]
    assert total[:n_ed].sum() == total[-n_reg:].sum() == np.count_nonzero(status != OTHER)


def test_group_sums_first_month_has_no_flows() -> None:
    status = np.array([EMPLOYED, UNEMPLOYED, UNEMPLOYED], dtype=np.int8)
    got = group_sums(
        status,
        np.zeros(0, np.int8),
        np.array([0, 0, 1], dtype=np.int8),
        np.array([30.0, 20.0, 70.0]),
        np.array([15.0, 25.0, 67.0]),
        np.array([0, 0, 0]),
        np.array([0, 12, 3]),
        np.array([0.25]),
        12,
        2,
        1,
        employed=EMPLOYED,
        unemployed=UNEMPLOYED,
    )
    # education 0: w0 (E, 0.25), w1 (U, 12 months: long-term); education 1: w2 (U, 3 months)
    np.testing.assert_array_equal(got[0, :5], [1, 1, 1, 12, 0.25])
    np.testing.assert_array_equal(got[1, :5], [0, 1, 0, 3, 0])
    # bands [15, 25): w1; [25, 67): w0; w2 (70) is in no band
    np.testing.assert_array_equal(got[2:4, :2], [[0, 1], [1, 0]])
    np.testing.assert_array_equal(got[4, :2], [1, 2])
    assert np.all(got[:, 5:] == 0.0)
