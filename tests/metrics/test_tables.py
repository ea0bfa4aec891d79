"""Tests for ecosim.metrics.tables: the derived tables from recorded tables and time series."""

import numpy as np
import pandas as pd
import pytest
from _tiny_state import tiny_snapshot

from ecosim import metrics as m


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
