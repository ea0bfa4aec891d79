"""Comparing interventions with common random numbers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from ecosim.cli import app
from ecosim.compare import DIFFS, compare

TINY = Path(__file__).parent / "data" / "tiny.yaml"


def test_a_scenario_compared_with_itself_differs_by_exactly_zero():
    result = compare(TINY, [TINY], seeds=2, months=6)
    diffs = result.table[[f"diff_{d}" for d in DIFFS if d != "cost_per_avoided_unemployment_month"]]
    assert (diffs.to_numpy() == 0).all()
    assert (result.timeseries["diff_unemployed"] == 0).all()


def test_cli_compare_writes_table_and_figure(tmp_path):
    variant = tmp_path / "vouchers.yaml"
    variant.write_text(
        f"extends: {TINY}\nname: v\ngovernment:\n  vouchers: {{enabled: true, budget: 1.0e+6}}\n"
    )
    out = tmp_path / "cmp"
    res = CliRunner().invoke(
        app,
        ["compare", str(TINY), str(variant), "--seeds", "2", "--months", "12", "--out", str(out)],
    )
    assert res.exit_code == 0, res.output
    table = pd.read_parquet(out / "compare.parquet")
    assert {f"diff_{d}" for d in DIFFS} <= set(table.columns)
    assert set(table["statistic"]) == {"seed", "mean", "p05", "p95"}
    assert (out / "figures" / "compare.png").stat().st_size > 0
    per_seed = table[table["statistic"] == "seed"]
    mean = table.loc[table["statistic"] == "mean", "diff_unemployment_months"].item()
    assert np.isclose(per_seed["diff_unemployment_months"].mean(), mean)
    assert "diff_unemployment_months" in res.output
