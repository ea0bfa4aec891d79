"""Sensitivity indices against known answers, the analyze command, PRIM peeling, EMA adapter."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import _sweep_runners as runners
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from ecosim.analysis import AnalysisError, box_limits, choose_box, prim_peel, sensitivity
from ecosim.cli import app
from ecosim.sweep import run_sweep, sweep_from_dict

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
SEP = "behaviour.separation_rate"
THR = "matching.acceptance_threshold"
OTJ = "behaviour.on_the_job_search_share"


def linear_sweep(tmp_path: Path, kind: str, samples: int) -> Path:
    """A sweep of y = 2a + b (+ 0 c) with a, b, c uniform on [0, 1]: S1 = ST = (0.8, 0.2, 0)."""
    sweep = sweep_from_dict(
        {
            "name": kind,
            "base": str(TINY),
            "set": {"months": 2},
            "parameters": {
                SEP: {"range": [0, 0.2]},
                THR: {"range": [0, 1]},
                OTJ: {"range": [0, 1]},
            },
            "design": {"kind": kind, "samples": samples, "seed": 3},
            "outputs": {"window": 1, "summaries": ["unemployment_rate", "vacancy_rate"]},
        }
    )
    out = tmp_path / kind
    run_sweep(sweep, out, backend="serial", progress=False, runner=runners.linear_runner)
    return out


def test_sobol_indices_of_a_known_function(tmp_path: Path) -> None:
    out = linear_sweep(tmp_path, "sobol", 64)
    result = sensitivity(out, "unemployment_rate_mean")
    table = result.table
    assert result.method == "sobol" and result.points == 64 * 5
    assert table.loc[SEP, "S1"] == pytest.approx(0.8, abs=0.1)
    assert table.loc[THR, "S1"] == pytest.approx(0.2, abs=0.1)
    assert table.loc[SEP, "ST"] == pytest.approx(0.8, abs=0.1)
    assert abs(table.loc[OTJ, "S1"]) < 0.02 and abs(table.loc[OTJ, "ST"]) < 0.02
    with pytest.raises(AnalysisError, match="does not vary"):
        sensitivity(out, "vacancy_rate_mean")
    with pytest.raises(AnalysisError, match="morris design"):
        sensitivity(out, method="morris")


def test_morris_ranks_parameters_by_effect(tmp_path: Path) -> None:
    out = linear_sweep(tmp_path, "morris", 8)
    table = sensitivity(out).table
    assert table["mu_star"].idxmax() == SEP
    assert table.loc[SEP, "mu_star"] == pytest.approx(2 * table.loc[THR, "mu_star"], rel=1e-6)
    assert table.loc[OTJ, "mu_star"] == pytest.approx(0.0, abs=1e-12)


def test_analyze_command_writes_table_and_figure(tmp_path: Path) -> None:
    out = linear_sweep(tmp_path, "sobol", 16)
    result = CliRunner().invoke(app, ["analyze", str(out), "-o", "unemployment_rate_mean"])
    assert result.exit_code == 0, result.output
    assert "S1" in result.stdout and SEP in result.stdout
    assert (out / "analysis" / "unemployment_rate_mean-sobol.csv").is_file()
    assert (out / "analysis" / "unemployment_rate_mean-sobol.png").stat().st_size > 1000
    bad = CliRunner().invoke(app, ["analyze", str(out), "-o", "nothing"])
    assert bad.exit_code == 2 and "no output 'nothing'" in bad.stderr


def test_prim_peeling_finds_the_box() -> None:
    rng = np.random.default_rng(0)
    x = pd.DataFrame({"a": rng.random(2000), "b": rng.random(2000), "c": ["k"] * 2000})
    y = (x["a"] > 0.7) & (x["b"] < 0.5)
    trajectory = prim_peel(x, y, alpha=0.05)
    assert trajectory["density"].iloc[0] == pytest.approx(y.mean())
    assert trajectory["mass"].is_monotonic_decreasing
    box = choose_box(trajectory, min_coverage=0.8)
    assert box["density"] > 0.9 and box["coverage"] >= 0.8
    limits = box_limits(box, trajectory.iloc[0])
    assert limits.loc["a", "low"] == pytest.approx(0.7, abs=0.05)
    assert limits.loc["b", "high"] == pytest.approx(0.5, abs=0.05)
    assert limits["restricted"].all()


# --------------------------------------------------------------------------- EMA adapter


def test_ema_adapter_says_how_to_install_the_extra(monkeypatch) -> None:
    from ecosim.ema import make_ema_model

    monkeypatch.setitem(sys.modules, "ema_workbench", None)
    with pytest.raises(ImportError, match=r"pip install 'ecosim\[ema\]'"):
        make_ema_model(TINY, {SEP: (0.005, 0.02)})


def _fake_workbench() -> types.ModuleType:
    """Just enough of ema_workbench's modelling API to check what the adapter builds."""
    wb = types.ModuleType("ema_workbench")

    class Named:
        def __init__(self, name: str, *args: Any, **kwargs: Any) -> None:
            self.name, self.args, self.kwargs = name, args, kwargs

    class Model(Named):
        pass

    for cls in ("RealParameter", "IntegerParameter", "CategoricalParameter", "ScalarOutcome"):
        setattr(wb, cls, type(cls, (Named,), {}))
    wb.Constant = type("Constant", (Named,), {})
    wb.Model = Model
    wb.ReplicatorModel = type("ReplicatorModel", (Model,), {})
    return wb


def test_ema_model_runs_ecosim(monkeypatch) -> None:
    from ecosim.config import ScenarioError
    from ecosim.ema import make_ema_model

    monkeypatch.setitem(sys.modules, "ema_workbench", _fake_workbench())
    model = make_ema_model(
        TINY,
        uncertainties={SEP: (0.005, 0.02), "matching.mode": ["search", "stable"]},
        levers={"matching.sample_size": (5, 30)},
        outcomes=["unemployment_rate", "long_term_unemployed_share"],
        set={"months": 3},
        replications=2,
    )
    assert type(model).__name__ == "ReplicatorModel"
    assert [type(u).__name__ for u in model.uncertainties] == [
        "RealParameter",
        "CategoricalParameter",
    ]
    assert [type(lv).__name__ for lv in model.levers] == ["IntegerParameter"]
    assert model.ecosim_names["behaviour__separation_rate"] == SEP
    assert model.replications == [{"seed": 7}, {"seed": 8}]
    function = model.kwargs["function"]
    outcome = function(
        behaviour__separation_rate=0.01, matching__mode="stable", matching__sample_size=10, seed=8
    )
    assert set(outcome) == {"unemployment_rate_mean", "long_term_unemployed_share_mean"}
    assert 0.0 <= outcome["unemployment_rate_mean"] <= 1.0
    with pytest.raises(ScenarioError):
        make_ema_model(TINY, {SEP: (0.005, 0.5)})
