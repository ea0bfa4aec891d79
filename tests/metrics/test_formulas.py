"""Tests for ecosim.metrics.formulas: each indicator against hand-computed values on tiny inputs."""

import math

import numpy as np
import pandas as pd
import pytest

from ecosim import metrics as m
from ecosim import skills as ecosim_skills

# ---------------------------------------------------------------------------------------------
# Stocks and flows
# ---------------------------------------------------------------------------------------------


def test_unemployment_rate_scalar_and_array():
    assert m.unemployment_rate(5, 95) == pytest.approx(0.05)
    assert isinstance(m.unemployment_rate(5, 95), float)
    # U = [10, 30], E = [90, 70] -> [10/100, 30/100]
    np.testing.assert_allclose(m.unemployment_rate([10, 30], [90, 70]), [0.1, 0.3])


def test_vacancy_rate_jolts_definition():
    # V = 25, E = 475 -> 25 / 500 = 0.05 (denominator is V + E, not the labour force)
    assert m.vacancy_rate(25, 475) == pytest.approx(0.05)
    np.testing.assert_allclose(m.vacancy_rate(np.array([1, 3]), np.array([9, 1])), [0.1, 0.75])


def test_labour_market_tightness():
    np.testing.assert_allclose(m.labour_market_tightness([30, 5], [60, 20]), [0.5, 0.25])


@pytest.mark.usefixtures("no_warnings")
def test_rates_zero_denominator_nan():
    assert math.isnan(m.unemployment_rate(0, 0))
    assert math.isnan(m.vacancy_rate(0, 0))
    assert math.isnan(m.labour_market_tightness(3, 0))
    out = m.unemployment_rate(np.array([0, 2]), np.array([0, 2]))
    assert math.isnan(out[0])
    assert out[1] == pytest.approx(0.5)


def test_job_finding_and_separation_rates():
    # H_u = [2, 3, 0], U_{t-1} = [10, 12, 0] -> [0.2, 0.25, nan]
    f = m.job_finding_rate([2, 3, 0], [10, 12, 0])
    np.testing.assert_allclose(f[:2], [0.2, 0.25])
    assert np.isnan(f[2])
    # X_u = [1, 4], E_{t-1} = [100, 80] -> [0.01, 0.05]
    np.testing.assert_allclose(m.separation_rate([1, 4], [100, 80]), [0.01, 0.05])


@pytest.mark.usefixtures("no_warnings")
def test_separation_rate_zero_employed_nan():
    s = m.separation_rate(np.array([0.0]), np.array([0.0]))
    assert s.shape == (1,)
    assert np.isnan(s[0])


def test_hazard_from_probability():
    # -ln(1 - 0.5) = ln 2 ; F = 1 -> inf ; nan passes through
    h = m.hazard_from_probability([0.0, 0.5, 1.0, np.nan])
    np.testing.assert_allclose(h[:2], [0.0, math.log(2)])
    assert np.isposinf(h[2])
    assert np.isnan(h[3])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        m.hazard_from_probability([1.2])


@pytest.mark.parametrize(
    "func",
    [
        m.unemployment_rate,
        m.vacancy_rate,
        m.labour_market_tightness,
        m.job_finding_rate,
        m.separation_rate,
    ],
)
def test_rates_bad_input(func):
    with pytest.raises(ValueError, match="same shape"):
        func([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="non-negative"):
        func([1, -2], [1, 2])
    with pytest.raises(ValueError, match="finite"):
        func([1, np.nan], [1, 2])
    with pytest.raises(ValueError, match="numeric"):
        func(["a"], [1])


# ---------------------------------------------------------------------------------------------
# Beveridge curve
# ---------------------------------------------------------------------------------------------


def test_beveridge_curve():
    ts = pd.DataFrame(
        {"unemployment_rate": [0.05, 0.08, 0.0], "vacancy_rate": [0.04, 0.02, 0.03]},
        index=pd.Index([1, 2, 3], name="month"),
    )
    bc = m.beveridge_curve(ts)
    assert set(bc.columns) == {"month", "u", "v", "theta"}
    assert bc["month"].tolist() == [1, 2, 3]
    np.testing.assert_allclose(bc["u"], [0.05, 0.08, 0.0])
    np.testing.assert_allclose(bc["v"], [0.04, 0.02, 0.03])
    # theta = v / u = 0.04 / 0.05 = 0.8, 0.02 / 0.08 = 0.25, u = 0 -> nan
    np.testing.assert_allclose(bc["theta"].iloc[:2], [0.8, 0.25])
    assert np.isnan(bc["theta"].iloc[2])


@pytest.mark.usefixtures("no_warnings")
def test_beveridge_curve_zero_u_and_nan_no_warning():
    ts = pd.DataFrame({"unemployment_rate": [0.0, np.nan], "vacancy_rate": [0.0, 0.1]})
    bc = m.beveridge_curve(ts)
    assert bc["theta"].isna().all()


def test_beveridge_curve_bad_input():
    with pytest.raises(ValueError, match="vacancy_rate"):
        m.beveridge_curve(pd.DataFrame({"unemployment_rate": [0.1]}))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        m.beveridge_curve(pd.DataFrame({"unemployment_rate": [-0.1], "vacancy_rate": [0.1]}))
    with pytest.raises(ValueError, match="DataFrame"):
        m.beveridge_curve({"unemployment_rate": [0.1], "vacancy_rate": [0.1]})


# ---------------------------------------------------------------------------------------------
# Durations
# ---------------------------------------------------------------------------------------------


def test_long_term_unemployment_share():
    # durations 1, 5, 12, 13, 30: three are >= 12 -> 3/5
    assert m.long_term_unemployment_share([1, 5, 12, 13, 30]) == pytest.approx(0.6)
    # threshold 6: 12, 13, 30 -> 3/5 ; threshold 13: 13, 30 -> 2/5
    assert m.long_term_unemployment_share([1, 5, 12, 13, 30], threshold=13) == pytest.approx(0.4)


@pytest.mark.usefixtures("no_warnings")
def test_long_term_unemployment_share_empty_nan():
    assert math.isnan(m.long_term_unemployment_share([]))


def test_long_term_unemployment_share_bad_input():
    with pytest.raises(ValueError, match="non-negative"):
        m.long_term_unemployment_share([1, -1])
    with pytest.raises(ValueError, match="threshold"):
        m.long_term_unemployment_share([1, 2], threshold=-1)


def test_duration_distribution_shares_and_labels():
    # 8 spells: 0, 0.5 -> "0"; 1, 2.9 -> "1-2"; 3 -> "3-5"; none in "6-11";
    # 12 -> "12-23" (left-closed); 24, 100 -> "24+"
    d = [0, 0.5, 1, 2.9, 3, 12, 24, 100]
    dist = m.duration_distribution(d)
    assert list(dist.index) == ["0", "1-2", "3-5", "6-11", "12-23", "24+"]
    np.testing.assert_allclose(dist.to_numpy(), [2 / 8, 2 / 8, 1 / 8, 0, 1 / 8, 2 / 8])
    assert dist.sum() == pytest.approx(1.0)


def test_duration_distribution_custom_finite_bins():
    dist = m.duration_distribution([0.5, 1.5, 1.5, 2.5], bins=(0, 1, 2.5, 3))
    assert list(dist.index) == ["0-1", "1-2.5", "2.5-3"]
    np.testing.assert_allclose(dist.to_numpy(), [0.25, 0.5, 0.25])
    with pytest.raises(ValueError, match="lie in"):
        m.duration_distribution([3.0], bins=(0, 1, 3))


@pytest.mark.usefixtures("no_warnings")
def test_duration_distribution_empty_all_nan():
    dist = m.duration_distribution([])
    assert len(dist) == 6
    assert dist.isna().all()


def test_duration_distribution_bad_bins():
    with pytest.raises(ValueError, match="strictly increasing"):
        m.duration_distribution([1.0], bins=(0, 3, 2))
    with pytest.raises(ValueError, match="at least two"):
        m.duration_distribution([1.0], bins=(0,))


# ---------------------------------------------------------------------------------------------
# Skills
# ---------------------------------------------------------------------------------------------


def test_skill_gap_unweighted_and_weighted():
    demanded = np.array([[0.8, 0.2], [0.4, 0.6]])
    held = np.array([[0.5, 0.5], [0.3, 0.1]])
    # mean demanded = (0.6, 0.4); mean held = (0.4, 0.3) -> gap (0.2, 0.1)
    np.testing.assert_allclose(m.skill_gap(demanded, held), [0.2, 0.1])
    # weights (3, 1): demanded = (0.75*0.8 + 0.25*0.4, 0.75*0.2 + 0.25*0.6) = (0.7, 0.3)
    # gap = (0.7 - 0.4, 0.3 - 0.3) = (0.3, 0.0)
    np.testing.assert_allclose(m.skill_gap(demanded, held, weights=[3, 1]), [0.3, 0.0], atol=1e-15)


def test_weighted_mean_rows_adds_the_rows_in_order() -> None:
    """Row by row in float64, as a plain loop does: no BLAS summation order."""
    rng = np.random.default_rng(3)
    w, matrix = rng.integers(0, 9, 40).astype(float), rng.random((40, 7))
    acc = np.zeros(7)
    for j in range(40):
        acc = acc + w[j] * matrix[j]
    assert np.array_equal(m.weighted_mean_rows(w, matrix), acc / w.sum())
    assert np.isnan(m.weighted_mean_rows(np.zeros(40), matrix)).all()


@pytest.mark.usefixtures("no_warnings")
def test_skill_gap_empty_nan():
    assert np.isnan(m.skill_gap(np.empty((0, 3)), np.ones((2, 3)))).all()
    assert np.isnan(m.skill_gap(np.ones((2, 3)), np.ones((2, 3)), weights=[0, 0])).all()


def test_skill_gap_bad_input():
    with pytest.raises(ValueError, match="number of skills"):
        m.skill_gap(np.ones((2, 3)), np.ones((2, 2)))
    with pytest.raises(ValueError, match="one entry per row"):
        m.skill_gap(np.ones((2, 3)), np.ones((2, 3)), weights=[1, 2, 3])
    with pytest.raises(ValueError, match="non-negative"):
        m.skill_gap(np.ones((2, 3)), np.ones((2, 3)), weights=[1, -2])
    with pytest.raises(ValueError, match="2-D"):
        m.skill_gap(np.ones(3), np.ones((2, 3)))


def test_mean_shortfall_hand_computed():
    skills = np.array([[0.5, 0.9, 0.2], [1.0, 1.0, 1.0]])
    reqs = np.array([[0.7, 0.4, 0.6], [0.2, 0.3, 0.1]])
    a = np.array([2.0, 1.0, 1.0])
    # row 0 deficits: (0.2, 0, 0.4) -> (2*0.2 + 0 + 1*0.4) / 4 = 0.8 / 4 = 0.2
    # row 1: no deficit (surplus does not offset) -> 0
    res = m.mean_shortfall(skills, reqs, a)
    np.testing.assert_allclose(res.per_pair, [0.2, 0.0])
    assert res.mean == pytest.approx(0.1)
    per_pair, mean = res
    assert mean == res.mean
    assert per_pair is res.per_pair


@pytest.mark.usefixtures("no_warnings")
def test_mean_shortfall_row_weights_and_zero_weight_rows():
    skills = np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]])
    reqs = np.array([[1.0, 0.5], [1.0, 0.5], [1.0, 0.5]])
    a = np.array([[1.0, 1.0], [0.0, 1.0], [0.0, 0.0]])
    # row 0: (1 + 0.5) / 2 = 0.75; row 1: 0.5 / 1 = 0.5; row 2: weights sum to 0 -> nan
    res = m.mean_shortfall(skills, reqs, a)
    np.testing.assert_allclose(res.per_pair[:2], [0.75, 0.5])
    assert np.isnan(res.per_pair[2])
    assert res.mean == pytest.approx(0.625)
    empty = m.mean_shortfall(np.empty((0, 2)), np.empty((0, 2)), [1.0, 1.0])
    assert empty.per_pair.shape == (0,)
    assert math.isnan(empty.mean)


@pytest.mark.parametrize("n_skills", [3, 12])
def test_mean_shortfall_is_the_ecosim_skills_formula(n_skills):
    rng = np.random.default_rng(n_skills)
    skills = rng.random((40, n_skills))
    reqs = rng.random((40, n_skills)) * (rng.random((40, n_skills)) < 0.5)
    a = rng.random(n_skills) + 0.1
    res = m.mean_shortfall(skills, reqs, a, relative_to="requirement")
    expected = ecosim_skills.shortfall(skills, reqs, a)
    need = ecosim_skills.required_mass(reqs, a)
    np.testing.assert_array_equal(res.per_pair[need > 0], expected[need > 0])
    assert np.isnan(res.per_pair[need == 0]).all()  # nan here, 0 in ecosim.skills
    # relative to the weights: the missing mass over Σ_s a_s, summed in skill order
    by_weights = m.mean_shortfall(skills, reqs, a).per_pair
    total = 0.0
    for w in a:
        total += w
    np.testing.assert_array_equal(by_weights, ecosim_skills.missing_mass(skills, reqs, a) / total)
    # job-specific weights give, row by row, what that row's weights give alone
    rows = rng.random((40, n_skills))
    per_row = m.mean_shortfall(skills, reqs, rows, relative_to="requirement").per_pair
    alone = [m.mean_shortfall(skills[[p]], reqs[[p]], rows[p], "requirement") for p in range(40)]
    np.testing.assert_array_equal(per_row, [s.per_pair[0] for s in alone])


def test_mean_shortfall_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        m.mean_shortfall(np.ones((2, 3)), np.ones((3, 3)), np.ones(3))
    with pytest.raises(ValueError, match="length n_skills"):
        m.mean_shortfall(np.ones((2, 3)), np.ones((2, 3)), np.ones(2))
    with pytest.raises(ValueError, match="non-negative"):
        m.mean_shortfall(np.ones((2, 3)), np.ones((2, 3)), [1, -1, 1])


def test_requirement_relative_shortfall_matches_recorder_definition():
    skills = np.array([[0.6, 0.2], [0.3, 0.1]])
    reqs = np.array([[1.0, 0.0], [0.5, 0.5]])
    res = m.mean_shortfall(skills, reqs, [1.0, 1.0], relative_to="requirement")
    np.testing.assert_allclose(res.per_pair, [0.4, 0.6])
    # the default (relative to the weights) halves them: Σ a = 2
    np.testing.assert_allclose(m.mean_shortfall(skills, reqs, [1.0, 1.0]).per_pair, [0.2, 0.3])
    with pytest.raises(ValueError, match="relative_to"):
        m.mean_shortfall(skills, reqs, [1.0, 1.0], relative_to="jobs")


# ---------------------------------------------------------------------------------------------
# Groups
# ---------------------------------------------------------------------------------------------


EMP, UNEMP, INACTIVE = 1, 2, 0


def test_group_rates_hand_computed():
    status = np.array([EMP, EMP, UNEMP, EMP, UNEMP, UNEMP, INACTIVE, INACTIVE], dtype=np.int8)
    groups = np.array([0, 0, 0, 1, 1, 1, 1, 2], dtype=np.int16)
    # group 0: E=2, U=1 -> 1/3 ; group 1: E=1, U=2 (inactive ignored) -> 2/3
    # group 2: only inactive -> nan ; group 3: empty -> nan
    res = m.group_rates(status, groups, 4, employed_code=EMP, unemployed_code=UNEMP)
    np.testing.assert_array_equal(res.employed, [2, 1, 0, 0])
    np.testing.assert_array_equal(res.unemployed, [1, 2, 0, 0])
    np.testing.assert_allclose(res.unemployment_rate[:2], [1 / 3, 2 / 3])
    assert np.isnan(res.unemployment_rate[2:]).all()
    frame = res.to_frame(labels=["low", "mid", "high", "phd"])
    assert frame.loc["mid", "unemployed"] == 2
    assert frame.loc["low", "unemployment_rate"] == pytest.approx(1 / 3)


def test_group_rates_bad_input():
    s = np.array([EMP, UNEMP])
    with pytest.raises(ValueError, match="same shape"):
        m.group_rates(s, np.array([0, 1, 1]), 2, EMP, UNEMP)
    with pytest.raises(ValueError, match="lie in"):
        m.group_rates(s, np.array([0, 2]), 2, EMP, UNEMP)
    with pytest.raises(ValueError, match="lie in"):
        m.group_rates(s, np.array([-1, 0]), 2, EMP, UNEMP)
    with pytest.raises(ValueError, match="integer dtype"):
        m.group_rates(s, np.array([0.0, 1.0]), 2, EMP, UNEMP)
    with pytest.raises(ValueError, match="differ"):
        m.group_rates(s, np.array([0, 1]), 2, EMP, EMP)
    with pytest.raises(ValueError, match="n_groups"):
        m.group_rates(s, np.array([0, 0]), 0, EMP, UNEMP)


def test_age_band_defaults():
    ages = np.array([14, 15, 24.9, 25, 44, 64.5, 74, 75, 80])
    res = m.age_band(ages)
    assert res.labels == ["15-24", "25-34", "35-44", "45-54", "55-64", "65-74"]
    np.testing.assert_array_equal(res.index, [-1, 0, 0, 1, 2, 4, 5, -1, -1])


def test_age_band_open_top_and_feeds_group_rates():
    res = m.age_band([16, 30, 70, 90], edges=(15, 25, 65, np.inf))
    assert res.labels == ["15-24", "25-64", "65+"]
    np.testing.assert_array_equal(res.index, [0, 1, 2, 2])
    rates = m.group_rates(
        np.array([EMP, UNEMP, EMP, UNEMP]), res.index, len(res.labels), EMP, UNEMP
    )
    np.testing.assert_array_equal(rates.unemployed, [0, 1, 1])


def test_age_band_bad_input():
    with pytest.raises(ValueError, match="strictly increasing"):
        m.age_band([20], edges=(15, 15, 25))
    with pytest.raises(ValueError, match="finite"):
        m.age_band([np.nan])


# ---------------------------------------------------------------------------------------------
# Vacancies
# ---------------------------------------------------------------------------------------------


def test_time_to_fill():
    # durations 1, 2, 2, 7: mean = 12 / 4 = 3, median = (2 + 2) / 2 = 2
    res = m.time_to_fill([1, 2, 2, 7])
    assert res.mean == pytest.approx(3.0)
    assert res.median == pytest.approx(2.0)
    mean, median = m.time_to_fill([4])
    assert (mean, median) == (4.0, 4.0)


@pytest.mark.usefixtures("no_warnings")
def test_time_to_fill_empty_nan():
    res = m.time_to_fill([])
    assert math.isnan(res.mean)
    assert math.isnan(res.median)


def test_time_to_fill_bad_input():
    with pytest.raises(ValueError, match="non-negative"):
        m.time_to_fill([1, -1])
    with pytest.raises(ValueError, match="one-dimensional"):
        m.time_to_fill([[1, 2]])


def test_stock_flow_time_to_fill():
    # V = [10, 0, 5], H = [5, 0, 0] -> [2, nan, nan] months
    d = m.stock_flow_time_to_fill([10, 0, 5], [5, 0, 0])
    assert d[0] == pytest.approx(2.0)
    assert np.isnan(d[1]) and np.isnan(d[2])
    assert m.stock_flow_time_to_fill(6, 4) == pytest.approx(1.5)
    with pytest.raises(ValueError, match="same shape"):
        m.stock_flow_time_to_fill([1, 2], [1])


@pytest.mark.parametrize(
    "bands", [((25, 35), (35, 45), (45, 55), (55, 65)), ((20, 40), (30, 50), (60, 61), (90, 99))]
)
def test_participation_by_age_is_the_share_in_a_course_of_each_band(bands) -> None:
    """Each band's share, as a mask per band computes it (overlapping and empty bands too)."""
    from ecosim.metrics.formulas import participation_by_age

    rng = np.random.default_rng(3)
    age = np.round(rng.uniform(15.0, 70.0, 5_000), 1)
    age[:5] = [25.0, 35.0, 45.0, 55.0, 65.0]  # the edges belong to the band they open
    in_course = rng.random(age.size) < 0.2
    got = participation_by_age(age, in_course, bands)
    for lo, hi in bands:
        mask = (age >= lo) & (age < hi)
        expected = in_course[mask].mean() if mask.any() else np.nan
        np.testing.assert_equal(got[f"{lo:g}-{hi - 1:g}"], expected)
