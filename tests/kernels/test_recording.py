"""The recording kernels against plain NumPy references, and against ``ecosim.skills``.

The kernels sum in parallel over fixed row ranges and then add the ranges in order, so their
floating-point sums differ from the references' (``np.bincount``, ``np.add.at``, ``sum``) in
the last bits: those are compared with a relative tolerance of 1e-12, while per-row values,
counts and sums of whole numbers must be equal. The results must not depend on the number of
threads, to the bit. The status codes are deliberately not the model's: the kernels take them
as arguments.
"""

from __future__ import annotations

import numba
import numpy as np
import pytest

from ecosim import skills as ecosim_skills
from ecosim.kernels import _threads
from ecosim.kernels.recording import (
    GROUP_COLUMNS,
    WorkerSums,
    cell_sums,
    group_sums,
    labour_force_sums,
    worker_sums,
)
from ecosim.metrics.formulas import (
    band_edges,
    participation_by_age,
    participation_from_counts,
)

EMPLOYED, UNEMPLOYED, OTHER, INACTIVE = 3, 5, 0, 7
TWO = min(2, numba.config.NUMBA_NUM_THREADS)
EXACT = {"rows", "shortfall", "n_unemployed", "shortfall_by_employer"} | {
    f"employed_by_{group}" for group in ("employer", "occupation", "residence")
}
"""Fields of :class:`WorkerSums` that must equal the reference to the bit: per-row values,
counts, and the per-employer sums, which still add the employed in row order."""


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
        deficit_sum=np.maximum(r - x, 0.0).sum(axis=0),
        held_employed_sum=x.sum(axis=0),
        held_unemployed_sum=skills[unemployed].sum(axis=0),
        n_unemployed=int(np.count_nonzero(unemployed)),
        shortfall_by_employer=np.bincount(employer[rows], shortfall, n_employers),
        employed_by_employer=count(employer[rows], n_employers),
        shortfall_by_occupation=np.bincount(occ, shortfall, n_occ),
        employed_by_occupation=count(occ, n_occ),
        employed_by_residence=count(region[rows], n_regions),
    )


def random_workers(
    seed: int, n: int = 400, n_skills: int = 7, groups: tuple[int, int, int] = (9, 5, 3)
) -> dict:
    """Random workers; ``groups`` are the numbers of employers, occupations and regions."""
    rng = np.random.default_rng(seed)
    n_emp, n_occ, n_reg = groups
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


def assert_worker_sums(got: WorkerSums, expected: WorkerSums) -> None:
    for name, value in expected._asdict().items():
        if name in EXACT:
            np.testing.assert_array_equal(getattr(got, name), value, err_msg=name)
        else:
            np.testing.assert_allclose(getattr(got, name), value, rtol=1e-12, err_msg=name)


@pytest.mark.parametrize(
    ("seed", "n", "n_skills", "groups"),
    [
        (0, 400, 3, (9, 5, 3)),
        (1, 400, 7, (1, 1, 1)),
        (2, 5000, 12, (300, 27, 12)),
        (3, 3000, 20, (2, 40, 5)),
        (4, 50, 7, (9, 5, 3)),  # fewer rows than row ranges
        (5, 1, 4, (3, 2, 2)),
    ],
)
def test_worker_sums_match_reference(seed: int, n: int, n_skills: int, groups: tuple) -> None:
    args = random_workers(seed, n, n_skills, groups)
    got = worker_sums(**args, employed=EMPLOYED, unemployed=UNEMPLOYED)
    expected = reference_worker_sums(**args)
    assert_worker_sums(got, expected)
    assert np.all(got.shortfall[args["occupation"][got.rows] == groups[1] - 1] == 0.0)
    if n >= 400:
        assert got.n_unemployed > 0 and got.rows.size > 0


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
    np.testing.assert_allclose(got.held_unemployed_sum, args["skills"].sum(axis=0), rtol=1e-12)


def test_worker_sums_with_no_workers() -> None:
    args = random_workers(7, n=0)
    got = worker_sums(**args, employed=EMPLOYED, unemployed=UNEMPLOYED)
    assert got.rows.size == 0 and got.n_unemployed == 0
    assert_worker_sums(got, reference_worker_sums(**args))


def reference_cell_sums(headcount, target, openings, hires, sector, region, n_sectors, n_regions):
    """Each value of the (employer, occupation) cells, in C order, summed by group."""
    n_emp, n_occ = headcount.shape
    values = np.stack([headcount, target, openings, hires]).astype(np.float64).reshape(4, -1)
    sectors, regions = np.repeat(sector, n_occ), np.repeat(region, n_occ)
    occupations = np.tile(np.arange(n_occ), n_emp)

    def by(groups: np.ndarray, size: int) -> np.ndarray:
        return np.stack([np.bincount(groups, v, size) for v in values])

    return by(sectors, n_sectors), by(occupations, n_occ), by(regions, n_regions)


def assert_by_value(got: np.ndarray, expected: np.ndarray) -> None:
    """Headcount, openings and hires (whole numbers) equal; targets within 1e-12."""
    np.testing.assert_array_equal(got[[0, 2, 3]], expected[[0, 2, 3]])
    np.testing.assert_allclose(got[1], expected[1], rtol=1e-12)


@pytest.mark.parametrize(
    ("seed", "n_emp", "n_occ", "n_sec", "n_reg"),
    [(0, 30, 6, 4, 3), (1, 2000, 27, 12, 9), (2, 700, 3, 2, 1), (3, 1, 5, 2, 2)],
)
def test_cell_sums_match_reference(seed: int, n_emp: int, n_occ: int, n_sec: int, n_reg: int):
    rng = np.random.default_rng(seed)
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
        assert_by_value(g, e)
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


def random_group_args(
    seed: int, edges: tuple[float, ...], n: int = 600, n_ed: int = 3, n_reg: int = 4
) -> dict:
    """Random workers for :func:`group_sums`; rows from ``0.9 n`` on are new this month."""
    rng = np.random.default_rng(seed)
    m = 9 * n // 10
    status = rng.choice([EMPLOYED, UNEMPLOYED, OTHER], size=n, p=[0.6, 0.3, 0.1]).astype(np.int8)
    age = rng.uniform(10, 85, n)
    finite = np.asarray(edges)[np.isfinite(edges)]
    age[: n // 30] = rng.choice(finite, n // 30)  # exactly on an edge
    return dict(
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


SHORTFALL_SUM = GROUP_COLUMNS.index("shortfall_sum")
"""The one column of :func:`group_sums` that adds fractions; the others add whole numbers."""


@pytest.mark.parametrize(
    ("seed", "edges", "n", "n_ed", "n_reg"),
    [
        (0, (15, 25, 35, 45, 55, 65, 75), 600, 3, 4),
        (1, (15, 25, 65, np.inf), 600, 3, 4),
        (2, (18, 67), 600, 3, 4),
        (3, (15, 25, 35, 45, 55, 65, 75), 20_000, 5, 12),
        (4, (15, 65), 5000, 1, 1),
        (5, (15, 25, 65), 40, 2, 3),  # fewer rows than row ranges
    ],
)
def test_group_sums_match_reference(seed: int, edges: tuple, n: int, n_ed: int, n_reg: int):
    args = random_group_args(seed, edges, n, n_ed, n_reg)
    got = group_sums(**args, employed=EMPLOYED, unemployed=UNEMPLOYED)
    expected = reference_group_sums(**args)
    assert got.shape == (n_ed + len(edges) - 1 + n_reg, len(GROUP_COLUMNS))
    whole = [c for c in range(len(GROUP_COLUMNS)) if c != SHORTFALL_SUM]
    np.testing.assert_array_equal(got[:, whole], expected[:, whole])
    np.testing.assert_allclose(got[:, SHORTFALL_SUM], expected[:, SHORTFALL_SUM], rtol=1e-12)
    # every worker counts once per dimension, and only the banded ones by age
    total = got[:, 0] + got[:, 1]
    assert total[:n_ed].sum() == total[-n_reg:].sum() == np.count_nonzero(args["status"] != OTHER)


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


def random_labour_force(seed: int, n: int) -> dict[str, np.ndarray]:
    """Statuses of every kind (retired ``OTHER`` among them), ages 15-75, some in courses."""
    rng = np.random.default_rng(seed)
    return {
        "status": rng.choice(np.array([EMPLOYED, UNEMPLOYED, INACTIVE, OTHER], np.int8), n),
        "age": np.round(rng.uniform(15.0, 75.0, n), 1),  # some ages exactly on the edges
        "course": np.where(rng.random(n) < 0.2, rng.integers(0, 9, n), -1),
        "wage": rng.lognormal(8.0, 0.4, n),
        "edges": band_edges(),
    }


def _labour_force(args: dict[str, np.ndarray]):
    return labour_force_sums(**args, employed=EMPLOYED, unemployed=UNEMPLOYED, inactive=INACTIVE)


@pytest.mark.parametrize(("seed", "n"), [(0, 0), (1, 5), (2, 63), (3, 20_000)])
def test_labour_force_sums_match_reference(seed: int, n: int) -> None:
    args = random_labour_force(seed, n)
    got = _labour_force(args)
    status, course = args["status"], args["course"]
    labour = (status == EMPLOYED) | (status == UNEMPLOYED)
    assert got.employed == np.count_nonzero(status == EMPLOYED)
    assert got.unemployed == np.count_nonzero(status == UNEMPLOYED)
    assert got.inactive == np.count_nonzero(status == INACTIVE)
    assert got.in_course == np.count_nonzero(labour & (course >= 0))
    np.testing.assert_allclose(got.wage_sum, args["wage"][status == EMPLOYED].sum(), rtol=1e-12)
    interval = np.searchsorted(args["edges"], args["age"][labour], side="right")
    size = args["edges"].size + 1
    np.testing.assert_array_equal(got.by_interval, np.bincount(interval, minlength=size))
    learning = interval[course[labour] >= 0]
    np.testing.assert_array_equal(got.in_course_by_interval, np.bincount(learning, minlength=size))
    # the indicators' participation by age from these counts is the formula's, to the bit
    expected = participation_by_age(args["age"][labour], course[labour] >= 0)
    from_counts = participation_from_counts(got.by_interval, got.in_course_by_interval)
    np.testing.assert_array_equal(list(from_counts.values()), list(expected.values()))
    assert list(from_counts) == list(expected)


def _all_sums(seed: int) -> list[np.ndarray]:
    """Every output of the three kernels on random inputs large enough to fill the ranges."""
    args = random_workers(seed, n=20_000, n_skills=12, groups=(500, 27, 12))
    ws = worker_sums(**args, employed=EMPLOYED, unemployed=UNEMPLOYED)
    groups = random_group_args(seed, (15, 25, 35, 45, 55, 65, 75), n=20_000, n_reg=12)
    rng = np.random.default_rng(seed)
    cells = cell_sums(
        rng.integers(0, 50, (500, 27)),
        rng.random((500, 27)) * 50,
        rng.integers(0, 5, (500, 27)),
        rng.integers(0, 3, (500, 27)),
        rng.integers(0, 12, 500),
        rng.integers(0, 12, 500),
        12,
        12,
    )
    return [
        *(np.asarray(value) for value in ws),
        *(np.asarray(value) for value in _labour_force(random_labour_force(seed, 20_000))),
        group_sums(**groups, employed=EMPLOYED, unemployed=UNEMPLOYED),
        *cells,
    ]


@pytest.mark.skipif(TWO < 2, reason="needs two numba threads")
@pytest.mark.parametrize("seed", range(2))
def test_sums_do_not_depend_on_threads(monkeypatch, seed: int) -> None:
    monkeypatch.setattr(_threads, "PARALLEL_MIN_WORK", 0)  # every call parallel
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(TWO)
        parallel = _all_sums(seed)
        numba.set_num_threads(1)
        serial = _all_sums(seed)
    finally:
        numba.set_num_threads(before)
    for a, b in zip(parallel, serial, strict=True):
        np.testing.assert_array_equal(a, b)
