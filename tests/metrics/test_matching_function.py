"""Tests for ecosim.metrics.matching_function: the log-linear OLS fit on synthetic data."""

import math

import numpy as np
import pytest

from ecosim import metrics as m


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
