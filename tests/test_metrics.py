"""Tests for ecosim.metrics: each indicator against hand-computed values on tiny inputs."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from ecosim import metrics as m
from ecosim import skills as ecosim_skills
from ecosim.state import Status


@pytest.fixture
def no_warnings():
    """Turn every warning into an error inside the test body."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


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
    # 8 spells: 0, 0.5 -> "0–1"; 1, 2.9 -> "1–3"; 3 -> "3–6"; none in "6–12";
    # 12 -> "12–24" (left-closed); 24, 100 -> "24+"
    d = [0, 0.5, 1, 2.9, 3, 12, 24, 100]
    dist = m.duration_distribution(d)
    assert list(dist.index) == ["0–1", "1–3", "3–6", "6–12", "12–24", "24+"]
    np.testing.assert_allclose(dist.to_numpy(), [2 / 8, 2 / 8, 1 / 8, 0, 1 / 8, 2 / 8])
    assert dist.sum() == pytest.approx(1.0)


def test_duration_distribution_custom_finite_bins():
    dist = m.duration_distribution([0.5, 1.5, 1.5, 2.5], bins=(0, 1, 2.5, 3))
    assert list(dist.index) == ["0–1", "1–2.5", "2.5–3"]
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
# Mismatch
# ---------------------------------------------------------------------------------------------


def test_mismatch_zero_when_shares_coincide():
    # u shares = v shares = (0.2, 0.3, 0.5) although the levels differ
    u, v = [20, 30, 50], [4, 6, 10]
    assert m.jackman_roper(u, v) == pytest.approx(0.0, abs=1e-15)
    assert m.sstv_mismatch(u, v) == pytest.approx(0.0, abs=1e-15)
    assert m.sstv_mismatch(u, v, alpha=0.3) == pytest.approx(0.0, abs=1e-15)


def test_mismatch_worked_example_two_occupations():
    # u = (80, 20) -> shares (0.8, 0.2); v = (10, 40) -> shares (0.2, 0.8)
    # JR   = 0.5 * (|0.8 - 0.2| + |0.2 - 0.8|) = 0.5 * 1.2 = 0.6
    # SSTV = 1 - [sqrt(0.2 * 0.8) + sqrt(0.8 * 0.2)] = 1 - (0.4 + 0.4) = 0.2
    assert m.jackman_roper([80, 20], [10, 40]) == pytest.approx(0.6)
    assert m.sstv_mismatch([80, 20], [10, 40]) == pytest.approx(0.2)


def test_mismatch_worked_example_three_occupations():
    # u = (10, 20, 70) -> (0.1, 0.2, 0.7); v = (30, 30, 40) -> (0.3, 0.3, 0.4)
    # JR = 0.5 * (0.2 + 0.1 + 0.3) = 0.3
    # SSTV(0.5) = 1 - [sqrt(.03) + sqrt(.06) + sqrt(.28)]
    #           = 1 - (0.1732051 + 0.2449490 + 0.5291503) = 0.0526956
    assert m.jackman_roper([10, 20, 70], [30, 30, 40]) == pytest.approx(0.3)
    assert m.sstv_mismatch([10, 20, 70], [30, 30, 40]) == pytest.approx(0.0526956, abs=1e-7)


def test_sstv_alpha_weights_vacancy_share():
    # u shares (1, 0), v shares (0.5, 0.5), alpha = 0.3 (vacancy exponent):
    # sum = 0.5^0.3 * 1^0.7 + 0.5^0.3 * 0^0.7 = 2^-0.3 -> M = 1 - 2^-0.3 = 0.1877476
    assert m.sstv_mismatch([10, 0], [5, 5], alpha=0.3) == pytest.approx(1 - 2**-0.3)
    assert m.sstv_mismatch([10, 0], [5, 5], alpha=0.3) == pytest.approx(0.1877476, abs=1e-7)


def test_mismatch_complete_segregation_is_one():
    assert m.jackman_roper([10, 0], [0, 5]) == pytest.approx(1.0)
    assert m.sstv_mismatch([10, 0], [0, 5]) == pytest.approx(1.0)


def test_mismatch_bounds_random():
    rng = np.random.default_rng(42)
    for _ in range(50):
        u = rng.integers(0, 100, size=7)
        v = rng.integers(0, 100, size=7)
        jr = m.jackman_roper(u, v)
        ms = m.sstv_mismatch(u, v, alpha=rng.uniform())
        assert 0.0 <= jr <= 1.0
        assert 0.0 <= ms <= 1.0


@pytest.mark.usefixtures("no_warnings")
def test_mismatch_zero_totals_nan():
    assert math.isnan(m.jackman_roper([0, 0], [1, 2]))
    assert math.isnan(m.jackman_roper([1, 2], [0, 0]))
    assert math.isnan(m.sstv_mismatch([0, 0], [1, 2]))
    assert math.isnan(m.sstv_mismatch([1, 2], [0, 0]))
    assert math.isnan(m.jackman_roper([], []))


@pytest.mark.parametrize("func", [m.jackman_roper, m.sstv_mismatch])
def test_mismatch_bad_input(func):
    with pytest.raises(ValueError, match="same shape"):
        func([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="non-negative"):
        func([1, -2], [1, 2])
    with pytest.raises(ValueError, match="one-dimensional"):
        func([[1, 2]], [[1, 2]])


def test_sstv_bad_alpha():
    with pytest.raises(ValueError, match="alpha"):
        m.sstv_mismatch([1, 2], [1, 2], alpha=1.5)


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
# Matching function
# ---------------------------------------------------------------------------------------------


def _cobb_douglas(n, alpha, beta, a, sigma, seed):
    rng = np.random.default_rng(seed)
    u = rng.uniform(50, 500, n)
    v = rng.uniform(20, 300, n)
    h = a * u**alpha * v**beta * np.exp(rng.normal(0.0, sigma, n))
    return h, u, v


def test_matching_function_exact_without_noise():
    h, u, v = _cobb_douglas(200, 0.6, 0.4, 0.5, 0.0, seed=1)
    fit = m.estimate_matching_function(h, u, v)
    assert fit.alpha == pytest.approx(0.6, abs=1e-10)
    assert fit.beta == pytest.approx(0.4, abs=1e-10)
    assert fit.log_A == pytest.approx(math.log(0.5), abs=1e-10)
    assert fit.A == pytest.approx(0.5, abs=1e-10)
    assert fit.r2 == pytest.approx(1.0, abs=1e-10)
    assert fit.n_obs == 200
    assert fit.n_dropped == 0


def test_matching_function_recovers_elasticities_with_noise():
    h, u, v = _cobb_douglas(400, 0.6, 0.4, 0.5, 0.05, seed=2)
    fit = m.estimate_matching_function(h, u, v)
    assert 0 < fit.se_alpha < 0.05
    assert 0 < fit.se_beta < 0.05
    assert abs(fit.alpha - 0.6) < 4 * fit.se_alpha
    assert abs(fit.beta - 0.4) < 4 * fit.se_beta
    assert abs(fit.log_A - math.log(0.5)) < 4 * fit.se_log_A
    assert fit.residual_std == pytest.approx(0.05, rel=0.2)
    assert fit.constant_returns_pvalue > 0.01


def test_matching_function_rejects_crs_for_increasing_returns():
    h, u, v = _cobb_douglas(400, 0.9, 0.6, 0.5, 0.05, seed=3)
    fit = m.estimate_matching_function(h, u, v)
    assert fit.returns_to_scale == pytest.approx(1.5, abs=4 * (fit.se_alpha + fit.se_beta))
    assert fit.constant_returns_pvalue < 1e-10


def test_matching_function_standard_errors_match_textbook_formula():
    # se = sqrt(diag(s^2 (X'X)^-1)), s^2 = RSS / (n - 3), computed independently here
    h, u, v = _cobb_douglas(60, 0.5, 0.5, 1.0, 0.1, seed=4)
    x = np.column_stack([np.ones(60), np.log(u), np.log(v)])
    y = np.log(h)
    coef = np.linalg.solve(x.T @ x, x.T @ y)
    resid = y - x @ coef
    cov = (resid @ resid) / 57 * np.linalg.inv(x.T @ x)
    fit = m.estimate_matching_function(h, u, v)
    np.testing.assert_allclose([fit.log_A, fit.alpha, fit.beta], coef, rtol=1e-10)
    np.testing.assert_allclose(
        [fit.se_log_A, fit.se_alpha, fit.se_beta], np.sqrt(np.diag(cov)), rtol=1e-8
    )
    r2 = 1 - (resid @ resid) / np.sum((y - y.mean()) ** 2)
    assert fit.r2 == pytest.approx(r2, rel=1e-10)


def test_matching_function_drops_zero_observations():
    h, u, v = _cobb_douglas(50, 0.6, 0.4, 0.5, 0.05, seed=5)
    base = m.estimate_matching_function(h, u, v)
    h2 = np.concatenate([h, [0.0, 3.0, 4.0]])
    u2 = np.concatenate([u, [10.0, 0.0, 10.0]])
    v2 = np.concatenate([v, [10.0, 10.0, 0.0]])
    fit = m.estimate_matching_function(h2, u2, v2)
    assert fit.n_dropped == 3
    assert fit.n_obs == 50
    assert fit.alpha == pytest.approx(base.alpha, rel=1e-12)
    assert fit.beta == pytest.approx(base.beta, rel=1e-12)


def test_matching_function_ensemble_pooling():
    runs = [_cobb_douglas(n, 0.6, 0.4, 0.5, 0.05, seed=s) for n, s in ((30, 6), (45, 7))]
    hs, us, vs = zip(*runs, strict=True)
    pooled = m.estimate_matching_function(list(hs), list(us), list(vs))
    concat = m.estimate_matching_function(
        np.concatenate(hs), np.concatenate(us), np.concatenate(vs)
    )
    assert pooled.n_obs == 75
    assert pooled == concat


def test_matching_function_bad_input():
    h, u, v = _cobb_douglas(10, 0.6, 0.4, 0.5, 0.05, seed=8)
    with pytest.raises(ValueError, match="same pooled length"):
        m.estimate_matching_function(h, u[:-1], v)
    with pytest.raises(ValueError, match="non-negative"):
        m.estimate_matching_function(-h, u, v)
    with pytest.raises(ValueError, match="at least 4"):
        m.estimate_matching_function(h[:3], u[:3], v[:3])
    with pytest.raises(ValueError, match="collinear"):
        m.estimate_matching_function(h, np.full(10, 100.0), v)


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
    assert res.labels == ["15–24", "25–34", "35–44", "45–54", "55–64", "65–74"]
    np.testing.assert_array_equal(res.index, [-1, 0, 0, 1, 2, 4, 5, -1, -1])


def test_age_band_open_top_and_feeds_group_rates():
    res = m.age_band([16, 30, 70, 90], edges=(15, 25, 65, np.inf))
    assert res.labels == ["15–24", "25–64", "65+"]
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


# ---------------------------------------------------------------------------------------------
# Recorders on a tiny constructed state, and the derived tables
# ---------------------------------------------------------------------------------------------

E, U, R = Status.EMPLOYED, Status.UNEMPLOYED, Status.RETIRED


def tiny_snapshot(month: int = 0, **changes):
    """Two skills, two occupations, two employers, six workers (one retired); scale 10.

    Workers (skills; status; occupation; employer; education; age; region; spell):
      w0 [0.6, 0.2] employed  o1 e0 mbo 30 r0  0
      w1 [0.3, 0.1] employed  o2 e1 hbo 50 r1  0
      w2 [0.2, 0.4] unemployed (last e0, aims o1) mbo 20 r0  3
      w3 [0.4, 0.8] unemployed (no last employer, aims o2) hbo 40 r1 13
      w4 retired, age 70
      w5 [0.0, 0.0] unemployed (last e1, aims o1) mbo 60 r1 24
    Occupation requirements o1 = [1, 0], o2 = [0.5, 0.5]; skill weights [1, 1].
    Employer e0 (sector s0, region r0): 1 o1 job, 2 o1 openings; e1 (s1, r1): 1 o2 job,
    1 o2 opening.
    """
    from ecosim.state import Snapshot

    data = dict(
        month=month,
        scale=10.0,
        status=np.array([E, E, U, U, R, U], dtype=np.int8),
        age=np.array([30.0, 50.0, 20.0, 40.0, 70.0, 60.0]),
        education=np.array([0, 1, 0, 1, 0, 0], dtype=np.int8),
        region=np.array([0, 1, 0, 1, 0, 1]),
        municipality=np.array([0, 1, 0, 1, 0, 1]),
        occupation=np.array([0, 1, 0, 1, 0, 0]),
        employer=np.array([0, 1, -1, -1, -1, -1]),
        last_employer=np.array([-1, -1, 0, -1, 0, 1]),
        unemployment_months=np.array([0, 0, 3, 13, 0, 24]),
        skills=np.array([[0.6, 0.2], [0.3, 0.1], [0.2, 0.4], [0.4, 0.8], [0.5, 0.5], [0.0, 0.0]]),
        employer_sector=np.array([0, 1]),
        employer_region=np.array([0, 1]),
        employer_municipality=np.array([0, 1]),
        headcount=np.array([[1, 0], [0, 1]]),
        openings=np.array([[2, 0], [0, 1]]),
        target=np.array([[3.0, 0.0], [0.0, 2.0]]),
        requirements=np.array([[1.0, 0.0], [0.5, 0.5]]),
        skill_weights=np.array([1.0, 1.0]),
        skill_names=("a", "b"),
        occupation_names=("o1", "o2"),
        sector_names=("s0", "s1"),
        region_names=("r0", "r1"),
        education_names=("mbo", "hbo", "wo"),
        hires_by_cell=np.array([[1, 0], [0, 0]]),
        shortfall_of_hires=np.array([0.1]),
    )
    data.update(changes)
    return Snapshot(**data)


@pytest.mark.usefixtures("no_warnings")
def test_skill_gap_recorder_hand_computed():
    rec = m.SkillGapRecorder()
    rec.record(tiny_snapshot())
    t = rec.tables()["skill_gaps"].set_index("skill")
    assert list(t.index) == ["a", "b"]
    # openings by occupation [2, 1]: (2*[1, 0] + [0.5, 0.5]) / 3
    np.testing.assert_allclose(t["demand_vacancies"], [2.5 / 3, 0.5 / 3])
    # headcount by occupation [1, 1]: ([1, 0] + [0.5, 0.5]) / 2
    np.testing.assert_allclose(t["demand_jobs"], [0.75, 0.25])
    # unemployed w2, w3, w5: ([0.2, 0.4] + [0.4, 0.8] + [0, 0]) / 3 ; employed w0, w1
    np.testing.assert_allclose(t["held_seekers"], [0.2, 0.4])
    np.testing.assert_allclose(t["held_incumbents"], [0.45, 0.15])
    np.testing.assert_allclose(t["gap_vacancies"], [2.5 / 3 - 0.2, 0.5 / 3 - 0.4])
    np.testing.assert_allclose(t["gap_jobs"], [0.3, 0.1])
    # deficits: w0 vs [1, 0] -> [0.4, 0]; w1 vs [0.5, 0.5] -> [0.2, 0.4]; mean per skill
    np.testing.assert_allclose(t["shortfall_incumbents"], [0.3, 0.2])
    assert (t["month"] == 0).all()


@pytest.mark.usefixtures("no_warnings")
def test_breakdown_recorder_hand_computed():
    rec = m.BreakdownRecorder()
    rec.record(tiny_snapshot())
    tables = rec.tables()
    occ = tables["by_occupation"].set_index("occupation")
    np.testing.assert_allclose(occ["unemployed"], [20.0, 10.0])  # w2, w5 aim o1; w3 o2
    np.testing.assert_allclose(occ["vacancies"], [20.0, 10.0])
    np.testing.assert_allclose(occ["unemployment_rate"], [2 / 3, 0.5])
    # shortfall = Σ a·max(0, r − x) / Σ a·r: w0 0.4 / 1 ; w1 (0.2 + 0.4) / 1
    np.testing.assert_allclose(occ["mean_shortfall_incumbents"], [0.4, 0.6])
    sec = tables["by_sector"].set_index("sector")
    np.testing.assert_allclose(sec["unemployed"], [10.0, 10.0])  # by last employer's sector
    reg = tables["by_region"].set_index("region")
    np.testing.assert_allclose(reg["unemployed"], [10.0, 20.0])  # by residence
    np.testing.assert_allclose(reg["resident_employment"], [10.0, 10.0])


def test_requirement_relative_shortfall_matches_recorder_definition():
    skills = np.array([[0.6, 0.2], [0.3, 0.1]])
    reqs = np.array([[1.0, 0.0], [0.5, 0.5]])
    res = m.mean_shortfall(skills, reqs, [1.0, 1.0], relative_to="requirement")
    np.testing.assert_allclose(res.per_pair, [0.4, 0.6])
    # the default (relative to the weights) halves them: Σ a = 2
    np.testing.assert_allclose(m.mean_shortfall(skills, reqs, [1.0, 1.0]).per_pair, [0.2, 0.3])
    with pytest.raises(ValueError, match="relative_to"):
        m.mean_shortfall(skills, reqs, [1.0, 1.0], relative_to="jobs")


@pytest.mark.usefixtures("no_warnings")
def test_inclusiveness_recorder_stocks_hand_computed():
    rec = m.InclusivenessRecorder()
    rec.record(tiny_snapshot())
    t = rec.tables()["inclusiveness"]
    ed = t[t["dimension"] == "education"].set_index("group")
    assert list(ed.index) == ["mbo", "hbo", "wo"]
    np.testing.assert_allclose(ed["employed"], [10.0, 10.0, 0.0])  # w0 ; w1 ; -
    np.testing.assert_allclose(ed["unemployed"], [20.0, 10.0, 0.0])  # w2, w5 ; w3 ; -
    np.testing.assert_allclose(ed["unemployment_rate"][:2], [2 / 3, 0.5])
    np.testing.assert_allclose(ed["long_term_unemployed_share"][:2], [0.5, 1.0])  # w5 ; w3
    np.testing.assert_allclose(ed["mean_unemployment_duration"][:2], [13.5, 13.0])
    np.testing.assert_allclose(ed["mean_shortfall_incumbents"][:2], [0.4, 0.6])
    assert ed.loc["wo", ["unemployment_rate", "job_finding_rate"]].isna().all()
    assert ed["job_finding_rate"].isna().all()  # no previous month yet
    age = t[t["dimension"] == "age_band"].set_index("group")
    # w2 20 (U), w0 30 (E), w3 40 (U), w1 50 (E), w5 60 (U); retired w4 (70) left out
    np.testing.assert_allclose(age["unemployed"], [10.0, 0.0, 10.0, 0.0, 10.0, 0.0])
    np.testing.assert_allclose(age["employed"], [0.0, 10.0, 0.0, 10.0, 0.0, 0.0])
    reg = t[t["dimension"] == "region"].set_index("group")
    np.testing.assert_allclose(reg["unemployment_rate"], [0.5, 2 / 3])


@pytest.mark.usefixtures("no_warnings")
def test_inclusiveness_recorder_flows_across_months_and_new_rows():
    rec = m.InclusivenessRecorder()
    first = tiny_snapshot(0)
    rec.record(first)
    # Month 1: w2 is hired, w0 separates, and an entrant w6 (wo, unemployed) is appended.
    status = np.array([U, E, E, U, R, U, U], dtype=np.int8)
    grow = {
        name: np.append(getattr(first, name), value)
        for name, value in (
            ("age", 22.0),
            ("education", 2),
            ("region", 0),
            ("municipality", 0),
            ("occupation", 1),
            ("employer", -1),
            ("last_employer", -1),
            ("unemployment_months", 1),
        )
    }
    grow["employer"][[0, 2]] = [-1, 0]
    grow["education"] = grow["education"].astype(np.int8)
    skills = np.vstack([first.skills, [[0.1, 0.1]]])
    rec.record(tiny_snapshot(1, status=status, skills=skills, **grow))
    t = rec.tables()["inclusiveness"]
    ed = t[(t["month"] == 1) & (t["dimension"] == "education")].set_index("group")
    # previously unemployed: mbo {w2, w5} -> w2 hired: 1/2 ; hbo {w3}: 0/1 ; wo: none -> nan
    np.testing.assert_allclose(ed["job_finding_rate"][:2], [0.5, 0.0])
    assert np.isnan(ed.loc["wo", "job_finding_rate"])
    # previously employed: mbo {w0} -> separated: 1/1 ; hbo {w1}: 0/1
    np.testing.assert_allclose(ed["separation_rate"][:2], [1.0, 0.0])
    np.testing.assert_allclose(ed["unemployed"], [20.0, 10.0, 10.0])


@pytest.mark.usefixtures("no_warnings")
def test_duration_recorder_hand_computed():
    rec = m.DurationRecorder()
    rec.record(tiny_snapshot())
    t = rec.tables()["unemployment_duration"].set_index("duration")
    # spells of the unemployed: 3, 13, 24 months (the retired w4 is not counted)
    np.testing.assert_allclose(t["unemployed"], [0, 0, 10, 0, 10, 10])
    np.testing.assert_allclose(t["share"], [0, 0, 1 / 3, 0, 1 / 3, 1 / 3])
    assert list(t.index) == ["0–1", "1–3", "3–6", "6–12", "12–24", "24+"]


def test_agent_snapshot_recorder_copies_chosen_months_and_columns():
    rec = m.AgentSnapshotRecorder([1], columns=["status", "occupation", "sector", "skills"])
    rec.record(tiny_snapshot(0))
    assert rec.tables() == {}
    snap = tiny_snapshot(1)
    rec.record(snap)
    rec.record(snap)  # the same month twice is kept once
    agents = rec.tables()["agents"]
    assert list(agents.columns) == [
        "month",
        "worker",
        "status",
        "occupation",
        "sector",
        "skill_a",
        "skill_b",
    ]
    assert agents["worker"].tolist() == [0, 1, 2, 3, 5]  # the retired w4 is left out
    assert agents["status"].tolist() == [
        "employed",
        "employed",
        "unemployed",
        "unemployed",
        "unemployed",
    ]
    # the labels are the Status members, lower-cased (whatever codes they have)
    assert agents["status"].cat.categories.tolist() == [s.name.lower() for s in Status]
    assert agents["sector"].tolist()[:2] == ["s0", "s1"]
    assert agents["sector"].isna().tolist() == [False, False, True, True, True]
    np.testing.assert_allclose(agents["skill_b"], [0.2, 0.1, 0.4, 0.8, 0.0])
    snap.skills[0, 1] = 0.9  # a copy, not a view of the live state
    assert agents["skill_b"].iloc[0] == 0.2
    with pytest.raises(ValueError, match="unknown agent column"):
        m.AgentSnapshotRecorder([1], columns=["wage"])


def test_default_recorders_record_the_constructed_state():
    snap = tiny_snapshot()
    tables = {}
    for rec in m.default_recorders():
        rec.record(snap)
        tables.update(rec.tables())
    assert set(tables) == {
        "by_sector",
        "by_occupation",
        "by_region",
        "skill_gaps",
        "inclusiveness",
        "unemployment_duration",
    }


@pytest.mark.usefixtures("no_warnings")
def test_mismatch_over_time_from_recorded_tables():
    rec = m.BreakdownRecorder()
    rec.record(tiny_snapshot())
    mm = m.mismatch_over_time(rec.tables(), alpha=0.5).set_index("segmentation")
    # occupations: u = [2, 1], v = [2, 1] -> shares coincide -> 0
    assert mm.loc["occupation", "jackman_roper"] == pytest.approx(0.0, abs=1e-12)
    assert mm.loc["occupation", "sstv"] == pytest.approx(0.0, abs=1e-12)
    # sectors: u = [1, 1] (by last employer), v = [2, 1]: ½(|½ − ⅔| + |½ − ⅓|) = 1/6
    assert mm.loc["sector", "jackman_roper"] == pytest.approx(1 / 6)
    assert mm.loc["sector", "sstv"] == pytest.approx(1 - (np.sqrt(1 / 3) + np.sqrt(1 / 6)))
    # regions: u = [1, 2] (residence), v = [2, 1] (workplace): ½(⅓ + ⅓) = 1/3
    assert mm.loc["region", "jackman_roper"] == pytest.approx(1 / 3)
    assert (mm["segments"] == 2).all()
    assert (mm["alpha"] == 0.5).all()


def test_stock_flow_time_to_fill():
    # V = [10, 0, 5], H = [5, 0, 0] -> [2, nan, nan] months
    d = m.stock_flow_time_to_fill([10, 0, 5], [5, 0, 0])
    assert d[0] == pytest.approx(2.0)
    assert np.isnan(d[1]) and np.isnan(d[2])
    assert m.stock_flow_time_to_fill(6, 4) == pytest.approx(1.5)
    with pytest.raises(ValueError, match="same shape"):
        m.stock_flow_time_to_fill([1, 2], [1])


def test_time_to_fill_table_rolling_window():
    ts = pd.DataFrame(
        {"vacancies": [50.0, 10.0, 30.0, 20.0], "hires": [0.0, 10.0, 10.0, 40.0]},
        index=pd.RangeIndex(4, name="month"),
    )
    t = m.time_to_fill_table(ts, window=2)
    assert t["occupation"].tolist() == ["all"] * 4
    np.testing.assert_allclose(t["time_to_fill_months"][1:], [1.0, 3.0, 0.5])
    # month 0 is excluded from the window: (10)/(10), (10+30)/(10+10), (30+20)/(10+40)
    np.testing.assert_allclose(t["time_to_fill_months_rolling"][1:], [1.0, 2.0, 1.0])
    assert np.isnan(t["time_to_fill_months"][0]) and np.isnan(t["time_to_fill_months_rolling"][0])


def cobb_douglas_timeseries(n=40, a=0.4, b=0.6, log_a=0.5, seed=1):
    rng = np.random.default_rng(seed)
    u = rng.uniform(500, 2000, n)
    v = rng.uniform(200, 1500, n)
    h = np.r_[0.0, np.exp(log_a) * u[:-1] ** a * v[:-1] ** b]
    return pd.DataFrame(
        {"unemployed": u, "vacancies": v, "hires": h, "hires_from_unemployment": 0.5 * h},
        index=pd.RangeIndex(n, name="month"),
    )


def test_matching_function_table_recovers_lagged_cobb_douglas():
    t = m.matching_function_table(cobb_douglas_timeseries()).set_index("specification")
    row = t.loc["aggregate, all hires"]
    assert row["elasticity_unemployed"] == pytest.approx(0.4, abs=1e-8)
    assert row["elasticity_vacancies"] == pytest.approx(0.6, abs=1e-8)
    assert row["log_efficiency"] == pytest.approx(0.5, abs=1e-6)
    assert row["n_obs"] == 39 and row["note"] == ""
    # hires from unemployment are half of all hires: same elasticities, ln A lower by ln 2
    half = t.loc["aggregate, hires from unemployment"]
    assert half["elasticity_vacancies"] == pytest.approx(0.6, abs=1e-8)
    assert half["log_efficiency"] == pytest.approx(0.5 - np.log(2), abs=1e-6)


def test_matching_function_table_reports_unidentified_fit():
    ts = cobb_douglas_timeseries()
    ts["unemployed"] = 1000.0
    ts["vacancies"] = 500.0
    row = m.matching_function_table(ts).iloc[0]
    assert np.isnan(row["elasticity_unemployed"])
    assert "collinear" in row["note"]


def test_derived_tables_names_and_beveridge():
    ts = cobb_douglas_timeseries(n=5)
    ts["unemployment_rate"] = [0.05, 0.06, 0.04, 0.05, 0.05]
    ts["vacancy_rate"] = [0.02, 0.03, 0.01, 0.02, 0.04]
    rec = m.BreakdownRecorder()
    rec.record(tiny_snapshot())
    out = m.derived_tables(ts, rec.tables())
    assert set(out) == {"mismatch", "beveridge_curve", "matching_function", "time_to_fill"}
    bc = out["beveridge_curve"]
    np.testing.assert_allclose(bc["theta"], ts["vacancy_rate"] / ts["unemployment_rate"])
    np.testing.assert_allclose(bc["v_over_u"], ts["vacancies"] / ts["unemployed"])
    assert set(out) <= set(m.TABLE_DESCRIPTIONS)
