"""Comparing interventions with common random numbers, on the sweep engine's backends."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from ecosim import RegionModel, load_scenario
from ecosim.cli import app
from ecosim.compare import (
    DIFFS,
    bootstrap_band,
    caveat,
    compare,
    cost_per_avoided,
    figure,
    outcomes,
)

TINY = Path(__file__).parent / "data" / "tiny.yaml"


@pytest.fixture(scope="module")
def variant(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("variant") / "vouchers.yaml"
    path.write_text(
        f"extends: {TINY}\nname: v\ngovernment:\n  vouchers: {{enabled: true, budget: 1.0e+6}}\n"
    )
    return path


@pytest.fixture(scope="module")
def serial(variant: Path):
    return compare(TINY, [variant], seeds=3, months=6, backend="serial")


def test_a_scenario_compared_with_itself_differs_by_exactly_zero():
    result = compare(TINY, [TINY], seeds=2, months=6)
    diffs = result.table[[f"diff_{d}" for d in DIFFS if d != "cost_per_avoided_unemployment_month"]]
    assert (diffs.to_numpy() == 0).all()
    assert (result.timeseries["diff_unemployed"] == 0).all()
    assert result.table["diff_cost_per_avoided_unemployment_month"].isna().all()  # nothing, free


def test_results_are_the_same_on_serial_and_processes(serial, variant: Path) -> None:
    parallel = compare(TINY, [variant], seeds=3, months=6, backend="processes", workers=2)
    for name in ("table", "runs", "timeseries", "spending"):
        pd.testing.assert_frame_equal(
            getattr(serial, name), getattr(parallel, name), check_exact=True
        )


def test_each_run_is_the_run_of_its_scenario_and_seed(serial, variant: Path) -> None:
    """The sweep path gives the outcomes of RegionModel(...).run() with --months applied to
    the scenario (as ecosim run --months does, so budgets spread over the months run)."""
    scenario = load_scenario(variant, {"months": 6})
    seed = scenario.seed + 2
    expected = outcomes(RegionModel(scenario, seed=seed).run())
    row = serial.runs.query("scenario == 'vouchers' and seed == @seed").iloc[0]
    assert {k: row[k] for k in expected if k in row} == {
        k: v for k, v in expected.items() if k in row
    }
    spent = serial.spending.query("scenario == 'vouchers' and seed == @seed").iloc[0]
    assert spent["spent_vouchers"] == expected["spent_vouchers"] > 0


def test_mean_and_band_describe_the_same_quantity(serial) -> None:
    table = serial.table.set_index("statistic")
    per_seed = serial.table[serial.table["statistic"] == "seed"]
    for outcome in DIFFS[:-1]:
        col = f"diff_{outcome}"
        assert table.loc["mean", col] == pytest.approx(per_seed[col].mean())
        assert table.loc["p05", col] <= table.loc["mean", col] <= table.loc["p95", col]
    cost = table.loc["mean", "diff_cost_per_avoided_unemployment_month"]
    ratio = cost_per_avoided(
        table.loc["mean", "diff_policy_spending"], table.loc["mean", "diff_unemployment_months"]
    )
    assert cost == ratio or (np.isinf(cost) and np.isinf(ratio))


def test_the_bootstrap_band_of_the_ratio_of_means_is_reproducible() -> None:
    per_seed = pd.DataFrame(
        {
            "diff_unemployment_months": [-10.0, -20.0, -30.0, -40.0],
            "diff_policy_spending": [1000.0, 1000.0, 1000.0, 1000.0],
            **{
                f"diff_{o}": [0.0] * 4
                for o in (
                    "unfilled_vacancy_months",
                    "skill_shortfall",
                    "training_participation",
                    "government_spending",
                )
            },
        }
    )
    estimate, low, high = bootstrap_band(per_seed)
    col = "diff_cost_per_avoided_unemployment_month"
    assert estimate[col] == pytest.approx(1000 / 25)  # ratio of the means, not mean of ratios
    assert 1000 / 40 <= low[col] < estimate[col] < high[col] <= 1000 / 10
    again = bootstrap_band(per_seed)
    assert again[1].equals(low) and again[2].equals(high)


def test_cost_per_avoided_month_when_nothing_is_avoided() -> None:
    got = cost_per_avoided(np.array([100.0, 100.0, 0.0, -50.0]), np.array([-4.0, 3.0, 0.0, -5.0]))
    assert got[0] == 25.0 and got[1] == np.inf and np.isnan(got[2]) and got[3] == -10.0


def test_few_seeds_carry_a_caveat_everywhere_a_band_is_shown(serial) -> None:
    assert "Only 3 seeds" in caveat(3) and caveat(10) == ""
    assert "Only 3 seeds" in str(serial)
    fig = figure(serial)
    assert "Only 3 seeds" in fig.get_suptitle()
    labelled = [ax for ax in fig.axes if ax.get_xlabel().endswith("over 3 seeds")]
    assert len(labelled) == len(DIFFS)
    for ax in fig.axes:
        fig.canvas.draw()
        assert ax.xaxis.get_offset_text().get_text() == ""
        assert ax.yaxis.get_offset_text().get_text() == ""
    units = {ax.get_title(): ax.get_xlabel().split(";")[0] for ax in labelled}
    assert units["policy spending"] == "€" and units["unemployment months"] == "person-months"
    assert units["skill shortfall"] == "pp"


def test_summary_tables_name_units_and_instruments(serial) -> None:
    summary = serial.summary_table().set_index("outcome")
    assert summary.loc["policy spending", "unit"] == "€"
    assert summary.loc["policy spending", "vouchers"].startswith("1,000,000 [")
    spending = serial.spending_table().set_index("instrument")
    assert spending.loc["vouchers", "tiny"] == "€ 0"
    assert spending.loc["vouchers", "vouchers"] == "€ 1,000,000"


def test_cli_compare_writes_table_figure_and_report(tmp_path: Path, variant: Path) -> None:
    out = tmp_path / "cmp"
    args = ["compare", str(TINY), str(variant), "-n", "2", "-m", "6", "-o", str(out)]
    res = CliRunner().invoke(app, [*args, "-b", "serial", "-f", "csv"])
    assert res.exit_code == 0, res.output
    table = pd.read_parquet(out / "compare.parquet")
    assert {f"diff_{d}" for d in DIFFS} <= set(table.columns)
    assert set(table["statistic"]) == {"seed", "mean", "p05", "p95"}
    assert (out / "figures" / "compare.png").stat().st_size > 0
    pd.testing.assert_frame_equal(
        pd.read_csv(out / "runs.csv"), pd.read_parquet(out / "runs.parquet")
    )
    report = (out / "report.html").read_text()
    assert "data:image/png;base64," in report and "Only 2 seeds" in report
    prov = json.loads((out / "provenance.json").read_text())
    assert prov["backend"] == "serial" and prov["units"]["policy_spending"] == "EUR"
    assert "comparing 2 scenarios x 2 seeds = 4 runs on the serial backend" in res.stderr
    assert "diff_unemployment_months" in res.stdout
    again = CliRunner().invoke(app, [*args, "-b", "serial"])
    assert again.exit_code == 1 and "already holds results; add --force" in again.stderr
